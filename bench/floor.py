#!/usr/bin/env python3
"""The parser's floor: every article body of a site through the build's own Python-Markdown, on all cores.

usage: floor.py SITE_FOLDER [--jobs N]

The converter is configured exactly as the build configures it (the same standard extensions with the same
settings, and the health extension with the same links, bibliography and care cards); each process converts
its share of the bodies and nothing else: no checks, no readability, no templates, no writing.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from healthsite.mdext import care
from healthsite.reading import images  # noqa: E402
from healthsite.reading.bibliography import load_bibliography  # noqa: E402
from healthsite.reading.config import load_config  # noqa: E402
from healthsite.mdext.markup import Renderer  # noqa: E402
from healthsite.mdext import PageState  # noqa: E402
from healthsite.model.sources import _refs  # noqa: E402

_renderer: Renderer | None = None


def start(root: Path) -> None:
    """Pool initializer: one converter per process, configured as the build's."""
    global _renderer
    config, _ = load_config(root / "site.yaml", root)
    bibliography, _ = load_bibliography(root / config.bibliography, root)
    cards, _ = care.read_care_cards(root / "content", root)
    pictures, _ = images.scan(root)
    names = {p.name: p.stem for p in (root / "content").glob("*.md")}
    _renderer = Renderer(_refs(config, bibliography, names, frozenset(), cards, set(), pictures))


def convert(path: str) -> int:
    """Convert one article's body; the length of the HTML, so nothing large crosses processes."""
    assert _renderer is not None
    text = Path(path).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    _renderer.md.reset()
    _renderer.extension.state = PageState(path, body, 1)
    return len(_renderer.md.convert(body))


def main() -> None:
    """Convert every article of the site on all cores."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = ap.parse_args()
    root = args.site.resolve()
    paths = sorted(str(p) for p in (root / "content").glob("*.md"))
    with ProcessPoolExecutor(args.jobs, initializer=start, initargs=(root,)) as pool:
        total = sum(pool.map(convert, paths, chunksize=max(1, len(paths) // (args.jobs * 8))))
    print(f"{len(paths)} articles, {total} characters of HTML")


if __name__ == "__main__":
    main()
