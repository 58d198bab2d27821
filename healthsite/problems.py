"""Problems (errors and warnings) as values that carry their location."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
import os
from pathlib import Path
from typing import Iterable, Literal

Level = Literal["error", "warning"]
Category = Literal["safety", "evidence", "readability", "style"]
# Most serious first: `check` ranks problems and articles in this order.
CATEGORIES: tuple[Category, ...] = ("safety", "evidence", "readability", "style")


@dataclass(frozen=True, order=True, slots=True)  # slots: a large site has millions of warnings
class Problem:
    """One error or warning at PATH:LINE."""

    path: str
    line: int
    message: str
    level: Level = "error"
    category: Category = "style"

    def __str__(self) -> str:
        """Format as `PATH:LINE: level: MESSAGE`."""
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


MESSAGE_LIMIT = 600
EXCERPT_LIMIT = 60


def error(path: str, line: int, message: str) -> Problem:
    """An error at a location."""
    return Problem(printable(path, MESSAGE_LIMIT), max(line, 1), printable(message, MESSAGE_LIMIT), "error")


def warning(path: str, line: int, message: str, category: Category = "style") -> Problem:
    """A warning at a location, in a category of `CATEGORIES` (safety matters rank first)."""
    return Problem(printable(path, MESSAGE_LIMIT), max(line, 1), printable(message, MESSAGE_LIMIT), "warning",
                   category)


def as_error(problem: Problem) -> Problem:
    """The same problem as an error (`--strict`), keeping its category."""
    return dataclasses.replace(problem, level="error")


def ranked(problems: Iterable[Problem]) -> list[Problem]:
    """Problems most serious first: errors, then warnings by category, then by place."""
    return sorted(problems, key=lambda p: (p.level != "error", CATEGORIES.index(p.category), p.path, p.line,
                                           p.message))


def printable(text: str, limit: int) -> str:
    """Text safe to print on a terminal: control characters escaped (no escape sequences), cut at `limit`."""
    if text.isprintable() and len(text) <= limit:
        return text
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """A short, escaped excerpt of what a file holds, for a message (never a whole line of someone's file)."""
    return printable(text, limit)


def sharing_text(problems: Iterable[Problem], texts: dict[str, str] | None = None) -> list[Problem]:
    """The same problems, each distinct message held once (a large site repeats most of its warnings' texts):
    the first equal one met here or in `texts`, which keeps them for the next call."""
    texts = {} if texts is None else texts
    return [p if (text := texts.setdefault(p.message, p.message)) is p.message else
            dataclasses.replace(p, message=text) for p in problems]


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are errors."""
    return [p for p in problems if p.level == "error"]


class BuildError(Exception):
    """A stage failed; carries every problem found, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(map(str, self.problems)))


def from_here(path: Path) -> str:
    """A path as the command line reports it: relative to the working folder when inside it."""
    return os.path.relpath(path) if path.absolute().is_relative_to(Path.cwd()) else str(path)


def shown_path(path: Path, root: Path) -> str:
    """A path as shown in messages: relative to the site folder when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
