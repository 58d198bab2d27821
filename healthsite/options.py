"""What a build is asked to do (from the command line, the dev server or a test)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Options:
    """What the command line asks of a build."""

    config: Path
    out: Path | None = None
    drafts: bool = False
    clean: bool = False
    jobs: int = 0
    progress: Progress | None = None
    strict: bool = False
