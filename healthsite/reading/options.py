"""What a build is asked to do (from the command line, the dev server or a test)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

Progress = Callable[[int, int], None]
FORMATS = ("text", "json", "html")  # what `check --format` writes: a report for people, for tools, the dashboard
PREVIEW = "_preview"  # where a build with drafts goes unless --out says otherwise: never the published folder
CACHE = ".healthsite-cache"  # the build cache, kept in the site folder between builds


@dataclass(frozen=True)
class Options:
    """What the command line asks of a build."""

    config: Path
    out: Path | None = None
    drafts: bool = False  # a preview: drafts rendered with a banner, into PREVIEW (never the configured output)
    clean: bool = False
    jobs: int = 0
    progress: Progress | None = None
    strict: bool = False
    search_index: bool = True  # False: the search page without its index (`search` indexes the site later)
