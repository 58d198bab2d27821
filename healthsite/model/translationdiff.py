"""What changed in an English article since its translation was marked current: a short paragraph diff.

`translated` keeps a copy of the English article as it was translated, in content/CODE/translated-from/NAME.md
(commit it with the translation); `check` compares the English article's paragraphs with that copy's.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from healthsite.problems import excerpt
from healthsite.reading.safeio import write_fresh

FOLDER = "translated-from"
SHOWN = 3  # changed paragraphs named in a warning (the rest are counted)
QUOTE = 40  # characters of a paragraph quoted
BLANK = re.compile(r"\n[ \t]*\n")


def snapshot_path(root: Path, code: str, name: str) -> Path:
    """Where the copy of an English article (`name`, its file name in content/) translated into `code` is kept."""
    return root / "content" / code / FOLDER / name


def save(root: Path, code: str, name: str, data: bytes) -> Path:
    """Keep the English article's bytes as translated (a fresh file, never written through a link, never outside
    the site); the copy's path."""
    path = snapshot_path(root, code, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not Path(os.path.realpath(path.parent)).is_relative_to(os.path.realpath(root)):
        raise OSError(f"{path.parent.relative_to(root)} leads outside the site folder: remove the link")
    write_fresh(path, data)
    return path


def paragraphs(text: str) -> list[tuple[int, str]]:
    """The paragraphs of a file (front matter included: its lines are what a translator translates), each with
    its first line, whitespace made single."""
    found = []
    starts = [0] + [m.end() for m in BLANK.finditer(text)]
    ends = [m.start() for m in BLANK.finditer(text)] + [len(text)]
    for start, end in zip(starts, ends):
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip("\n"))
            found.append((text.count("\n", 0, start + lead) + 1, " ".join(chunk.split())))
    return found


def changes(old: str, new: str) -> list[str]:
    """The English article's changed, added and removed paragraphs since the kept copy, each as 'line N: ...'."""
    before, after = paragraphs(old), paragraphs(new)
    matcher = difflib.SequenceMatcher(a=[t for _, t in before], b=[t for _, t in after], autojunk=False)
    found = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = before[a1:a2], after[b1:b2]
        for index in range(max(len(olds), len(news))):
            was = olds[index] if index < len(olds) else None
            now = news[index] if index < len(news) else None
            if was and now:
                found.append(f"line {now[0]} changed: '{quote(was[1])}' -> '{quote(now[1])}'")
            elif now:
                found.append(f"line {now[0]} added: '{quote(now[1])}'")
            elif was:
                found.append(f"removed: '{quote(was[1])}'")
    return found


def quote(text: str) -> str:
    """A short, printable quotation of a paragraph."""
    return excerpt(text if len(text) <= QUOTE else text[:QUOTE - 3].rstrip() + "...", QUOTE)


def summary(found: list[str]) -> str:
    """The first few changes, and how many more: for a one-line warning."""
    more = len(found) - SHOWN
    return "; ".join(found[:SHOWN]) + (f"; and {more} more" if more > 0 else "")


def described(root: Path, code: str, source: str) -> str:
    """What a warning adds about an English article's changes (`source`: its path in messages): its paragraph
    diff against the copy kept when the translation was marked current ('' without a copy)."""
    try:
        old = snapshot_path(root, code, Path(source).name).read_text(encoding="utf-8-sig")
        current = (root / source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    found = changes(old, current)
    return f"; changed paragraphs: {summary(found)}" if found else ""
