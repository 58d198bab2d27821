"""Spelling: likely misspellings in an article's text, as style warnings with suggestions (English and Spanish).

Each article's unknown words (the words its language's dictionary does not know, `model/spellscan.py`) are
found where it is rendered and cached with its readability; the review leaves out the site's own words (its word
list `content/words.txt`, one word a line, `#` comments, the words of the bibliography, and the site's tags and
topic names) and warns of the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from healthsite.model import spellscan
from healthsite.model.spellscan import Spelling, checked, checker, language_of, words_in
from healthsite.reading.inputs import WORDS_FILE
from healthsite.problems import Problem, warning

if TYPE_CHECKING:
    from healthsite.model.readability import TextStats
    from healthsite.model.site import Site

__all__ = ["checked", "checker", "words_in", "read_word_list", "site_words", "message", "page_warnings", "review"]


def read_word_list(root: Path) -> tuple[frozenset[str], Path]:
    """The site's own words (lower case) from content/words.txt, if it exists, and the file's path."""
    path = root / WORDS_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return frozenset(), path
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(word.lower() for line in lines for word in words_in(line)), path


def site_words(site: Site, own: frozenset[str]) -> frozenset[str]:
    """Words every edition accepts: the site's list, the bibliography's, and the tags and topic names."""
    texts = [source.citation for source in site.bibliography.values()] + list(site.bibliography)
    for edition in (site, *site.editions):
        texts += [f"{tag} {topic.title}" for tag, topic in edition.topics.items()]
        texts += [f"{tag} {topic.title} {topic.description}" for tag, topic in edition.config.topics.items()]
    texts += [edition.config.title for edition in (site, *site.editions)]
    return own | frozenset(word.lower() for text in texts for part in text.split("-") for word in words_in(part))


def message(word: str, found: list[str], words_file: str = WORDS_FILE) -> str:
    """A misspelling's warning text, with its suggestions."""
    quoted = [repr(s) for s in found]
    hint = f"did you mean {' or '.join([', '.join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)}?" \
        if found else "no suggestion"
    return f"possible misspelling '{word}': {hint} (if it is right, add it to {words_file}, one word a line)"


def page_warnings(spelling: Spelling, source: str, known: frozenset[str]) -> list[Problem]:
    """A style warning at the first line of each of an article's unknown words that is not one of the site's."""
    return [warning(source, found.line, message(found.written, list(found.near)))
            for found in spelling.words if found.word not in known]


def review(site: Site, root: Path, measured: Mapping[str, Mapping[str, TextStats]] | None = None) -> list[Problem]:
    """The spelling warnings of every listed article of every edition of a site, from each article's unknown words
    as measured with its readability (`measured`: by edition's language folder, then slug), or found now where
    they are not."""
    own, _ = read_word_list(root)
    known = site_words(site, own)
    problems: list[Problem] = []
    for edition in (site, *site.editions):
        language = language_of(edition.config.language)
        if not language:
            continue
        stats = (measured or {}).get(edition.code, {})
        for slug, page in edition.pages.items():
            spelling = _spelling(stats.get(slug))
            if spelling is None or spelling.language != language:
                spelling = spellscan.scan(page, edition.bodies[slug], language)
            problems += page_warnings(spelling, page.source, known)
    return problems


def _spelling(stats: TextStats | None) -> Spelling | None:
    """An article's unknown words as measured with its readability, if they were."""
    return stats.spelling if stats is not None else None
