"""Search: Pagefind indexes the built articles into a static index, inside the new site before it goes live."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .outputs import Outputs
from .problems import Problem, warning
from .site import Site
from .writer import link_previous

FOLDER = "pagefind"
ENTRY = "pagefind-entry.json"


def is_index(path: str) -> bool:
    """Whether an output path belongs to the search index."""
    return path.startswith(f"{FOLDER}/")


def index(site_folder: Path, config_name: str) -> list[Problem]:
    """Index a written site folder with Pagefind; if it cannot run here, warn and leave the site without search."""
    try:
        from pagefind.service import get_executable  # imported here: a build that keeps its index never needs it
    except ImportError:
        return [warning(config_name, 1, "search index not built: Pagefind is not installed "
                                        "(pip install 'pagefind[bin]')")]
    binary = get_executable()
    if binary is None:
        return [warning(config_name, 1, "search index not built: the Pagefind binary is missing "
                                        "(pip install 'pagefind[bin]')")]
    try:
        result = subprocess.run([str(binary), "--site", str(site_folder), "--output-subdir", FOLDER, "--quiet"],
                                capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        return [warning(config_name, 1, f"search index not built: Pagefind could not run here ({exc})")]
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no message"]
        return [warning(config_name, 1, f"search index not built: Pagefind failed ({detail[0]})")]
    steady_entry(site_folder / FOLDER / ENTRY)
    return []


def index_key(site: Site, keys: dict[str, str]) -> str:
    """What the search index is made from: every edition's listed articles (one index, split by language) and their
    pages' keys."""
    pages = sorted(f"{one.code}/{slug}/index.html".lstrip("/") for one in (site, *site.editions) for slug in one.listed)
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
    outputs: Outputs
    previous: cache.Cache
    out: Path
    config_name: str
    notices: list[Problem]
    key: str = ""
    kept: int = 0
    failed: bool = False

    def __call__(self, staging: Path) -> None:
        """Link the previous index into the new site if it still holds, or index the new site."""
        self.key = index_key(self.site, self.outputs.keys)
        old = [path for path in self.previous.outputs if is_index(path)]
        if self.key == self.previous.search and old and \
                all(self.previous.kept(self.out, p, self.previous.outputs[p][0]) for p in old):
            link_previous(self.out, staging, old)
            self.kept = len(old)
        else:
            problems = index(staging, self.config_name)
            self.failed = bool(problems)
            self.notices.extend(problems)
