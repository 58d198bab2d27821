#!/usr/bin/env python3
"""Where a cold build's CPU goes: each part's CPU time against the Markdown's, in one process.

usage: budget.py SITE_FOLDER

Copies the site folder (without its cache) to a temporary folder and builds it there cold (`--jobs 1`, so every part runs in this process and nothing is hidden in a pool)
with a CPU clock (time.process_time) around each part of the pipeline, then prints each part's seconds and its
ratio to the Markdown rendering. bench/floor.py times the Markdown alone on all cores; this says what the rest
costs, which is what stands between a cold build and that floor. The parts overlap where one calls another
(writing the site takes each page as it renders; assembling it renders every article); "the rest" is what the
five outer parts leave out.
"""

from __future__ import annotations

import argparse
import collections
import functools
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTS = (  # (module, function or Class.method, what it is); a part is timed wherever it is called from
    ("healthsite.mdext.markup", "Renderer.render", "Markdown rendering (the floor's work)"),
    ("healthsite.rendering.social", "draw", "preview cards (text and PNG)"),
    ("healthsite.rendering.htmlpages", "render_page", "templates"),
    ("healthsite.model.readability", "measure", "readability"),
    ("healthsite.model.spellscan", "scan", "unknown words (spelling)"),
    ("healthsite.reading.content", "parse_page", "front matter"),
    ("healthsite.pipeline", "assembled", "sources read, rendered and checked, the site assembled (with the above)"),
    ("healthsite.writing.mediafiles", "produce", "media made into the cache (with the cards)"),
    ("healthsite.writing.writer", "write_site", "writing the site (with the templates)"),
    ("healthsite.pipeline", "reviewed", "editorial review"),
    ("healthsite.pipeline", "save", "saving the cache"),
)


def timed(spent: collections.Counter, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding the CPU time of each call to `spent[label]`."""
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started
    return wrapper


def instrument(spent: collections.Counter) -> None:
    """Wrap every part, in its module and in each module that imported it by name."""
    for module_name, name, label in PARTS:
        module = importlib.import_module(module_name)
        owner_name, _, attribute = name.rpartition(".")
        owner = getattr(module, owner_name) if owner_name else module
        original = getattr(owner, attribute)
        wrapped = timed(spent, label, original)
        setattr(owner, attribute, wrapped)
        if owner_name:
            continue
        for other in list(sys.modules.values()):
            if getattr(other, "__name__", "").startswith("healthsite") and getattr(other, attribute, None) is original:
                setattr(other, attribute, wrapped)


def main() -> None:
    """Build the site cold in one process and print each part's CPU time."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    args = ap.parse_args()
    spent: collections.Counter = collections.Counter()
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        shutil.copytree(args.site, site, ignore=shutil.ignore_patterns(".healthsite-cache", "_site", "_preview"))
        started = time.process_time()
        import healthsite.commands.cli as cli  # imported inside the clock: the imports are part of a build
        from healthsite.model import workers  # noqa: F401  (loads the modules whose names are wrapped)
        instrument(spent)
        code = cli.main(["--config", str(site / "site.yaml"), "--jobs", "1", "--out", str(Path(temporary) / "out"),
                         "--quiet"])
        total = time.process_time() - started
    markdown = spent[PARTS[0][2]] or 1e-9
    print("| part | CPU | vs Markdown |\n|---|---|---|")
    for _, _, label in PARTS:
        print(f"| {label} | {spent[label]:.2f} s | {spent[label] / markdown:.2f}x |")
    rest = total - sum(spent[label] for _, _, label in PARTS[6:])
    print(f"| the rest: imports, reading the files, the command line | {rest:.2f} s | {rest / markdown:.2f}x |")
    print(f"| the whole build (exit status {code}) | {total:.2f} s | {total / markdown:.2f}x |")


if __name__ == "__main__":
    main()
