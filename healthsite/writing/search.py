"""Search: Pagefind indexes the built articles into a static index, inside the new site before it goes live (or,
with the `search` command, inside a site already built)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from healthsite.writing import cache
from healthsite.reading.config import SiteConfig
from healthsite.reading.files import setting_line
from healthsite.problems import Problem, error, warning
from healthsite.model.site import Site
from healthsite.reading.urls import article_file
from healthsite.writing.writer import MARKER, link_previous, swap

FOLDER = "pagefind"
# Not prose: citation numbers (an excerpt would show "within 4 to 6 weeks 5."), back-references and labels for
# screen readers only ("Urgent advice:"); the theme marks the rest of the page's non-prose data-pagefind-ignore.
NOT_INDEXED = ["--exclude-selectors", "sup.citations", "--exclude-selectors", ".visually-hidden",
               "--exclude-selectors", ".backrefs"]
ENTRY = "pagefind-entry.json"
TIMEOUT = 600  # seconds


def is_index(path: str) -> bool:
    """Whether an output path belongs to the search index."""
    return path.startswith(f"{FOLDER}/")


def index(site_folder: Path, config_name: str) -> list[Problem]:
    """Index a written site folder with Pagefind; if it cannot run here, warn and leave the site without search."""
    why = pagefind(site_folder, ["--output-subdir", FOLDER])
    if why:
        return [warning(config_name, 1, f"search index not built: {why}")]
    steady_entry(site_folder / FOLDER / ENTRY)
    return []


def pagefind(site_folder: Path, output: list[str]) -> str | None:
    """Run Pagefind over a site folder, writing where `output` says; why it could not, or None."""
    try:
        from pagefind.service import get_executable  # imported here: a build that keeps its index never needs it
    except ImportError:
        return "Pagefind is not installed (pip install 'pagefind[bin]')"
    binary = get_executable()
    if binary is None:
        return "the Pagefind binary is missing (pip install 'pagefind[bin]')"
    try:
        with tempfile.TemporaryDirectory(prefix="healthsite-pagefind-") as empty:
            result = subprocess.run(command(binary, site_folder, output), cwd=empty, env=clean_environment(),
                                    stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Pagefind could not run here ({exc})"
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no message"]
        return f"Pagefind failed ({detail[0]})"
    return None


def command(binary: Path | str, site_folder: Path, output: list[str]) -> list[str]:
    """Pagefind's command line: every setting given explicitly (absolute paths, the default glob, quiet), never a
    log file, a playground or a server."""
    absolute = [str(Path(value).resolve()) if before == "--output-path" else value
                for before, value in zip(["", *output], output)]
    return [str(binary), "--site", str(site_folder.resolve()), *absolute, "--glob", "**/*.{html}", *NOT_INDEXED,
            "--quiet"]


def clean_environment() -> dict[str, str]:
    """This process's environment without Pagefind's own settings (PAGEFIND_*), which would override the flags.

    Pagefind also reads a pagefind.yml/.yaml/.toml/.json from its working folder: it runs in a fresh empty one.
    """
    return {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND")}


def index_built(site_folder: Path, config: SiteConfig, config_name: str, config_text: str) -> list[Problem]:
    """Index an already built site (the `search` command): the new index replaces the old one only once complete.

    Pagefind writes into a folder beside the site; a failure leaves the site and its previous index as they were.
    """
    if not config.search:
        return [error(config_name, setting_line(config_text, "search", "false"),
                      "search is off (search: false), so the site has no search page to index for; set it to "
                      "true and build again")]
    if not (site_folder / MARKER).is_file():
        return [error(config_name, 1, f"there is no built site in {site_folder}: build it first "
                                      "(python build.py --no-search), then index it")]
    fresh = Path(tempfile.mkdtemp(prefix=f".{site_folder.name}.new-{FOLDER}-", dir=site_folder.parent))
    try:
        why = pagefind(site_folder, ["--output-path", str(fresh)])
        if why:
            return [error(config_name, 1, f"search index not built: {why}; the site was left as it was")]
        steady_entry(fresh / ENTRY)
        swap(fresh, site_folder / FOLDER)
        return []
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def index_key(site: Site, keys: Mapping[str, str]) -> str:
    """What the search index is made from: every edition's listed articles (one index, split by language) and their
    pages' keys."""
    pages = sorted(article_file(slug, one.code) for one in (site, *site.editions) for slug in one.listed)
    return cache.digest(*pages, *(keys[path] for path in pages))


def steady_entry(path: Path) -> None:
    """Pagefind lists an index's languages in a random order: sort them, so the same site gives the same bytes."""
    if not path.is_file():
        return
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@dataclass
class SearchStep:
    """Runs on the new site before it goes live: Pagefind indexes it, unless no indexed page changed."""

    site: Site
    previous: cache.Cache
    out: Path
    config_name: str
    notices: list[Problem]
    key: str = ""
    reused: int = 0
    failed: bool = False

    def __call__(self, staging: Path, keys: Mapping[str, str]) -> None:
        """Link the previous index into the new site if it still holds, or index the new site (`keys`: each output's
        key, as written)."""
        self.key = index_key(self.site, keys)
        old = [path for path in self.previous.outputs if is_index(path)]
        if self.key == self.previous.search and old and \
                all(self.previous.reusable(self.out, p, self.previous.outputs[p].key) for p in old):
            link_previous(self.out, staging, old)
            self.reused = len(old)
        else:
            problems = index(staging, self.config_name)
            self.failed = bool(problems)
            self.notices.extend(problems)
