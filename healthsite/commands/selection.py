"""`check PATH ...`: which articles a writer named, and which problems and rows concern them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from healthsite.problems import Problem, shown_path


@dataclass(frozen=True)
class Selection:
    """The articles named on the command line, as the paths messages show (files, and folders ending in '/')."""

    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        """Whether any path was named (no path: the whole site is reported)."""
        return bool(self.named)

    def holds(self, source: str) -> bool:
        """Whether an article (by its path in messages) is one of the named ones, or inside a named folder."""
        return not self.named or any(source == name or (name in ("", "/") or name.endswith("/")) and source.startswith(name)
                                     for name in self.named)

    def concerns(self, problem: Problem) -> bool:
        """Whether a problem is reported: one of a named article, or a site-wide one (not of any article)."""
        return self.holds(problem.path) or not is_article(problem.path)


def is_article(path: str) -> bool:
    """Whether a path in a message is an article file (content/*.md or content/CODE/*.md, not a shared card)."""
    parts = path.split("/")
    return path.endswith(".md") and parts[0] == "content" and "care" not in parts[1:-1] and len(parts) <= 3


def select(paths: Iterable[Path], root: Path) -> tuple[Selection, list[str]]:
    """The named paths, relative to the site folder, and an error message for each that names no article."""
    named, missing = [], []
    for path in paths:
        shown = shown_path(path, root)
        if path.is_dir():
            named.append("" if shown == "." else shown.rstrip("/") + "/")
        elif path.is_file() and is_article(shown):
            named.append(shown)
        else:
            what = "no such file or folder" if not path.exists() else "not an article (content/*.md)"
            missing.append(f"{path}: {what}: name article files or folders of them, e.g. content/NAME.md")
    return Selection(tuple(named)), missing


def narrowed(report: object, selection: Selection) -> object:
    """An editorial report with only the named articles' rows and the problems that concern them."""
    if not selection:
        return report
    articles = tuple(a for a in report.articles if selection.holds(a.source))  # type: ignore[attr-defined]
    warnings = tuple(p for p in report.warnings if selection.concerns(p))  # type: ignore[attr-defined]
    return dataclasses.replace(report, articles=articles, warnings=warnings)  # type: ignore[type-var]
