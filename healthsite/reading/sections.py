"""An article's sections as a translation follows them (header, introduction, each `##` section, with the shared
care cards it uses), and the short digest of each that names what changed since a recorded version."""

from __future__ import annotations

import hashlib
import re
from typing import Any, Mapping

from healthsite.reading.content import Page

USE = re.compile(r"!!! +(?i:care)(?:[ \t]+(.*?))?[ \t]*")  # a line that shows a shared care card
FENCE = re.compile(r"^(```|~~~)")
H2 = re.compile(r"^##(?!#)\s*(.+?)\s*#*\s*$")
INTRODUCTION = "the introduction"
HEADER = "the title, description and key takeaways"


def sections(page: Page, cards: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """(name, text) of each part of an article a translation follows: its header, introduction and h2 sections,
    each with the shared care cards it uses (a changed card changes the sections that show it)."""
    meta = page.meta
    parts = [(HEADER, "\n".join((meta.title, meta.description, *meta.key_takeaways))), (INTRODUCTION, "")]
    fenced = False
    for line in page.body.split("\n"):
        fenced = fenced != bool(FENCE.match(line.strip()))
        heading = None if fenced else H2.match(line)
        if heading:
            parts.append((heading.group(1), ""))
        parts[-1] = (parts[-1][0], parts[-1][1] + line.rstrip() + "\n" + _card_text(line, cards or {}))
    return [(name, text.strip()) for name, text in parts]


def _card_text(line: str, cards: Mapping[str, Any]) -> str:
    """The shared card a line uses, as the digest sees it: its level, title and advice."""
    use = USE.fullmatch(line.strip())
    card = cards.get((use.group(1) or "").strip()) if use else None
    return f"{card.level}\n{card.title}\n{card.body}\n" if card else ""


def _hash(text: str, size: int) -> str:
    """A short hex digest."""
    return hashlib.blake2b(text.encode(), digest_size=size).hexdigest()


def _part(name: str, text: str) -> str:
    """One section's digest: its heading's (4 hex digits) then its text's (6), so a change can be named."""
    return _hash(name, 2) + _hash(text, 3)


def digest(page: Page, cards: Mapping[str, Any] | None = None) -> str:
    """The version of an article a translation records: one short digest per section, joined by '-'."""
    return "-".join(_part(name, text) for name, text in sections(page, cards))


def changed_sections(page: Page, recorded: str, cards: Mapping[str, Any] | None = None) -> list[str]:
    """The sections of an article that changed, or are new, since the `recorded` version; removed ones counted."""
    old = {part[:4]: part for part in recorded.split("-")}
    now = [(name, _part(name, text)) for name, text in sections(page, cards)]
    changed = [name for name, part in now if old.get(part[:4]) != part]
    removed = len(set(old) - {part[:4] for _, part in now})
    return changed + ([f"{removed} removed section{'s' * (removed != 1)}"] if removed else [])
