"""Spelling candidates: the words of an article its language's dictionary does not know, with their line and
suggestions, found where the article is rendered and cached with it (the site's word list filters them later).

pyspellchecker's own dictionaries (offline; for Spanish, with wordfreq's common word forms), each loaded once per
process. Citations, URLs and code never reach the prose the scan reads; acronyms (NSAID, NSAIDs) and words with
digits are left alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping

if TYPE_CHECKING:
    from spellchecker import SpellChecker

    from healthsite.mdext.markup import Body
    from healthsite.reading.content import Page

WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
SKIPPED = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|`[^`]*`")  # URLs, e-mail addresses and inline code
CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.M | re.S)  # fenced blocks and inline code of the Markdown
ACRONYM = re.compile(r"[A-Z]{2,}s?")
LANGUAGES = frozenset({"en", "es"})
ENCLITICS = tuple(first + second for first in ("", "me", "te", "se", "nos", "os")  # attached pronouns: "tómelo"
                  for second in ("", "lo", "la", "los", "las", "le", "les") if first + second)
UNACCENTED = str.maketrans("áéíóú", "aeiou")
RARER = 100  # a suggestion this many times rarer than the best one is left out ("moving", not "mong")
MIN_FREQUENCY = 1e-7  # wordfreq's Spanish words at least this frequent (Zipf 2) count as known; rarer are typos too


@dataclass(frozen=True)
class Unknown:
    """A word of an article its dictionary does not know: lower case, as first written, its line, suggestions."""

    word: str
    written: str
    line: int
    near: tuple[str, ...]  # up to three known words one edit away, in the case of `written`


@dataclass(frozen=True)
class Spelling:
    """An article's unknown words, in order of first appearance, for the dictionary of `language` ("" for none)."""

    language: str
    words: tuple[Unknown, ...] = ()


@dataclass(frozen=True)
class Dictionary:
    """A language's words: pyspellchecker's dictionary and, where it holds only lemmas, more forms with their
    frequencies."""

    checker: SpellChecker
    forms: Mapping[str, float]
    memo: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)  # what `remembers` looked up

    def remembers(self, word: str) -> bool:
        """`knows`, each word looked up once (the same words come back in every article)."""
        known = self.memo.get(word)
        if known is None:
            known = self.memo[word] = self.knows(word)
        return known

    def knows(self, word: str) -> bool:
        """Whether a lower-case word is a known word of the language (a Spanish verb with pronouns attached,
        "tómelo", "moverse", is known when its verb is)."""
        return any(form in self.checker or form in self.forms for form in (word, *self.bases(word)))

    def bases(self, word: str) -> list[str]:
        """The verb forms a Spanish word may be with its attached pronouns taken off (its written accent too)."""
        if not self.forms:
            return []
        stems = [word[:-len(ending)] for ending in ENCLITICS if word.endswith(ending) and len(word) > len(ending) + 1]
        return [form for stem in stems for form in (stem, stem.translate(UNACCENTED))]

    def frequency(self, word: str) -> float:
        """How common a known word is (to order suggestions)."""
        return max(self.forms.get(word, 0.0), self.checker.word_usage_frequency(word) or 0.0)


@dataclass(frozen=True)
class Recall:
    """What an article's last version tells of its words: each word the dictionary was asked about, and those it
    did not know with their suggestions (lower case)."""

    language: str
    words: frozenset[str]
    unknown: Mapping[str, tuple[str, ...]]


class Lookup:
    """A language's dictionary, asked only about words a `Recall` does not answer (loaded when first asked)."""

    def __init__(self, language: str, recalled: Recall | None = None) -> None:
        self.language = language
        self.recalled = recalled if recalled and recalled.language == language else Recall(language, frozenset(), {})

    def remembers(self, word: str) -> bool:
        """Whether the language knows a lower-case word."""
        if word in self.recalled.words:
            return word not in self.recalled.unknown
        spell = checker(self.language)
        assert spell is not None
        return spell.remembers(word)

    def near(self, word: str) -> tuple[str, ...]:
        """An unknown word's suggestions (lower case)."""
        recalled = self.recalled.unknown.get(word)
        return recalled if recalled is not None else suggestions(word, self.language)


def recall(page: Page, prose: tuple[str, ...], html: str, spelling: Spelling | None) -> Recall | None:
    """What an article's last version (its page, prose and HTML, and its unknown words) tells of its words; None
    for one with code, whose words were not all looked up."""
    texts = [text for _, text in shown_texts(page)] + list(prose)
    if spelling is None or "<code" in html or any("~~~" in text or "```" in text for text in texts):
        return None
    words = frozenset(plain(written).lower() for text in texts for written in WORD.findall(_unskipped(text))
                      if checked(plain(written)))
    unknown = {found.word: tuple(s[:1].lower() + s[1:] if found.written[:1].isupper() else s for s in found.near)
               for found in spelling.words}
    return Recall(spelling.language, words, unknown)


def shown_texts(page: Page) -> list[tuple[str, str]]:
    """The front matter a page shows, by key: its title, description and key takeaways."""
    return [("title", page.meta.title), ("description", page.meta.description),
            *(("key_takeaways", item) for item in page.meta.key_takeaways)]


def language_of(tag: str) -> str:
    """The dictionary's language of a site's language tag ("en-US" -> "en"), "" when there is none for it."""
    language = tag.split("-")[0].lower()
    return language if language in LANGUAGES else ""


@functools.cache
def checker(language: str) -> Dictionary | None:
    """The dictionary of a language (en, es), loaded once per process; None for a language it has none for.

    pyspellchecker's Spanish dictionary holds lemmas ("todo", "tener", "semana") but few of their forms
    ("todos", "tiene", "semanas"), so Spanish adds wordfreq's list of the forms in common use.
    """
    if language not in LANGUAGES:
        return None
    from spellchecker import SpellChecker
    forms: Mapping[str, float] = {}
    if language == "es":
        import wordfreq
        forms = {w: f for w, f in wordfreq.get_frequency_dict("es", wordlist="best").items() if f >= MIN_FREQUENCY}
    return Dictionary(SpellChecker(language=language, distance=1), forms)


def words_in(text: str) -> Iterator[str]:
    """The words of a text to check: letters (with inner apostrophes), outside URLs and code, "'s" dropped."""
    for match in WORD.finditer(SKIPPED.sub(" ", text)):
        yield plain(match.group(0))


def plain(word: str) -> str:
    """A word with its typographic apostrophes made straight and a possessive "'s" dropped."""
    if "\u2019" not in word and "'" not in word:
        return word
    word = word.replace("\u2019", "'")
    return word[:-2] if word.lower().endswith("'s") else word


def checked(word: str) -> bool:
    """Whether a word is one the check looks at (not a single letter, an acronym or a mixed-case name)."""
    return len(word) > 1 and not ACRONYM.fullmatch(word) and not any(c.isupper() for c in word[1:])


def unknown(texts: Iterable[str], spell: Dictionary | Lookup, known: frozenset[str], also: frozenset[str] = frozenset()
            ) -> list[str]:
    """The distinct words of the texts the dictionary and the site's words (`known`, `also`) do not have, in order
    of appearance (the words of `words_in`, each written form looked at once: a site has millions)."""
    seen: dict[str, None] = {}
    for written in dict.fromkeys(chain.from_iterable(WORD.findall(_unskipped(text)) for text in texts)):
        word = plain(written)
        lower = word.lower()
        if lower not in seen and lower not in known and lower not in also and checked(word):
            seen[lower] = None
    return [word for word in seen if not spell.remembers(word)]


def _unskipped(text: str) -> str:
    """A text with its URLs, e-mail addresses and inline code blanked (most texts have none: left as they are)."""
    return SKIPPED.sub(" ", text) if "`" in text or "@" in text or "://" in text or "www." in text else text


@functools.lru_cache(maxsize=1 << 14)
def suggestions(word: str, language: str, limit: int = 3) -> tuple[str, ...]:
    """Up to `limit` known words one edit away (a letter added, dropped, changed or two swapped), most frequent
    first (two edits would take a second a word); worked out once per word and process."""
    spell = checker(language)
    assert spell is not None
    near = sorted({w for w in spell.checker.edit_distance_1(word) if spell.knows(w)},
                  key=lambda w: (-spell.frequency(w), w))
    common = spell.frequency(near[0]) / RARER if near else 0.0
    return tuple(w for w in near if spell.frequency(w) >= common)[:limit]


def scan(page: Page, body: Body, language: str, recalled: Recall | None = None) -> Spelling:
    """Each distinct unknown word of an article (front matter, then body) at its first line, with suggestions;
    the words of its code (`inline` or fenced) are left alone. The dictionary is asked only about the words
    `recalled` (from the article's last version) does not answer."""
    if language not in LANGUAGES:
        return Spelling("")
    spell = Lookup(language, recalled)
    shown = shown_texts(page)
    fenced = page.body if "`" in page.body or "~~~" in page.body else ""  # most articles have no code
    code = frozenset(word.lower() for block in CODE.finditer(fenced) for word in WORD.findall(block.group(0)))
    found = []
    for word in unknown([text for _, text in shown] + list(body.prose), spell, frozenset(), code):
        key = next((key for key, text in shown if re.search(rf"\b{re.escape(word)}\b", text, re.I)), None)
        line = page.line(key) if key else line_in_body(page, word)
        written = original(word, shown, body.prose)
        found.append(Unknown(word, written, line, tuple(cased(s, written) for s in spell.near(word))))
    return Spelling(language, tuple(found))


def original(word: str, shown: list[tuple[str, str]], prose: Iterable[str]) -> str:
    """The word as first written (its case) in the front matter or the prose."""
    for text in [t for _, t in shown] + list(prose):
        found = re.search(rf"\b{re.escape(word)}\b", text, re.I)
        if found:
            return found.group(0)
    return word


def cased(suggestion: str, word: str) -> str:
    """A suggestion in the case of the word it replaces (capitalized if that was)."""
    return suggestion[:1].upper() + suggestion[1:] if word[:1].isupper() else suggestion


def line_in_body(page: Page, word: str) -> int:
    """The file line of a word's first appearance in the Markdown body (the body's first text line if not found)."""
    markdown = page.body
    found = re.search(rf"(?<![\w/@.]){re.escape(word)}\b", markdown, re.I)
    if not found:
        return page.text_line or page.body_line
    return page.body_line + markdown.count("\n", 0, found.start())
