"""Lists for writers: `sources [WORD]` (citation keys with short titles) and `cards` (shared care cards and who uses them)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from healthsite.reading.bibliography import Source, load_bibliography
from healthsite.mdext.care import read_care_cards
from healthsite.reading.config import SiteConfig
from healthsite.mdext.shared import USE
from healthsite.problems import Problem, shown_path

TITLE_LIMIT = 72
AUTHORS = re.compile(r"[A-Z][\w'-]+ [A-Z]{1,3}(,|$)")  # "Foster NE, Anema JR, ..."
SENTENCE_END = re.compile(r"(?<=[\w)\]'])\. (?=[A-Z])")  # "NHS. Back pain." splits, "No. 222" does not


def short_title(citation: str, limit: int = TITLE_LIMIT) -> str:
    """A source's title, as short as a list can show: the citation's first part after the authors, cut."""
    parts = [part.strip() for part in SENTENCE_END.split(" ".join(citation.split())) if part.strip()]
    titles = [part for part in parts[1:] if not AUTHORS.match(part)] or parts or [""]
    title = titles[0]
    title = " ".join(title.split()).rstrip(".")
    return title if len(title) <= limit else title[:limit - 3].rstrip() + "..."


def matches(key: str, source: Source, word: str) -> bool:
    """Whether a source's key, citation or topics contain a word (any case)."""
    word = word.lower()
    return any(word in text.lower() for text in (key, source.citation, *source.topics))


def sources_listing(root: Path, config: SiteConfig, word: str = "") -> tuple[str, list[Problem], bool]:
    """The bibliography's keys (those matching `word`) with short titles; the problems reading it; whether any matched."""
    bibliography, problems = load_bibliography(root / config.bibliography, root)
    if problems and not bibliography:
        return "", problems, False
    found = {key: source for key, source in sorted(bibliography.items()) if not word or matches(key, source, word)}
    where = shown_path(root / config.bibliography, root)
    if not found:
        return (f"no source in {where} matches '{word}' ({len(bibliography)} sources; `python build.py sources` "
                f"lists them all)\n", problems, False)
    width = max(map(len, found))
    lines = [f"{key:<{width}}  {short_title(source.citation)}" for key, source in found.items()]
    shown = f"{len(found)} of {len(bibliography)} sources match '{word}'" if word else f"{len(found)} sources"
    lines.append(f"{shown} in {where}; cite one as [@key]")
    return "".join(line + "\n" for line in lines), problems, True


@dataclass(frozen=True)
class CardUse:
    """One shared card name: its level, the languages it is written in, and the article files that use it."""

    name: str
    level: str
    languages: tuple[str, ...]
    articles: tuple[str, ...]


def card_uses(root: Path, config: SiteConfig) -> tuple[list[CardUse], list[Problem]]:
    """Every shared card of every edition (content/care/, content/CODE/care/), with the articles that use it."""
    levels: dict[str, str] = {}
    languages: dict[str, list[str]] = {}
    users: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for code in ("", *config.languages):
        folder = root / "content" / code
        cards, found = read_care_cards(folder, root)
        problems += found
        for name, card in cards.items():
            levels.setdefault(name, card.level)
            languages.setdefault(name, []).append(code or config.language.split("-")[0])
        for path in sorted(folder.glob("*.md")):
            for name in used_in(path.read_text(encoding="utf-8", errors="replace")):
                users.setdefault(name, []).append(shown_path(path, root))
    uses = [CardUse(name, levels[name], tuple(languages[name]), tuple(users.get(name, ())))
            for name in sorted(levels)]
    return uses, problems


def used_in(markdown: str) -> list[str]:
    """The shared card names an article's Markdown uses, as `!!! care NAME` lines (the extension's own pattern)."""
    found = (USE.fullmatch(line.strip()) for line in markdown.splitlines())
    return sorted({match.group(1) for match in found if match and match.group(1)})


def cards_listing(uses: list[CardUse]) -> str:
    """The shared cards as a list: name, level, languages, then the articles that use each (wrapped)."""
    if not uses:
        return "no shared care cards: write one in content/care/NAME.md (see docs/writing.md, Shared care advice)\n"
    width = max(len(use.name) for use in uses)
    lines = []
    for use in uses:
        count = f"{len(use.articles)} article{'s' * (len(use.articles) != 1)}" if use.articles else "no article"
        lines.append(f"{use.name:<{width}}  {use.level:<9}  {' '.join(use.languages):<6}  used by {count}")
        if use.articles:
            lines += textwrap.wrap(", ".join(use.articles), 100, initial_indent="    ", subsequent_indent="    ",
                                   break_on_hyphens=False, break_long_words=False)
    lines.append(f"{len(uses)} shared care cards; use one in an article with a line '!!! care NAME'")
    return "".join(line + "\n" for line in lines)
