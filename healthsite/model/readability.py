"""Readability: the Flesch-Kincaid grade, SMOG and the Spanish ease formulas of an article's prose.

Words, sentences and rounding follow textstat 0.7.3, whose figures the house rules were set with: a word is
what whitespace separates once punctuation is removed; a sentence is a run up to `.`, `!` or `?` or the end
of its paragraph (a list item), one of two words or fewer not counted. English syllables are pyphen's
hyphenation points + 1 per word (what textstat counted); Spanish syllables are counted by Spanish rules
(`syllables.spanish`). Each distinct word is counted once.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Callable, Iterable, NamedTuple

from pyphen import Pyphen

from healthsite.model.spellscan import Spelling
from healthsite.model.syllables import spanish

SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
PUNCTUATION = re.compile(r"[^\w\s]")  # removed before words and syllables are counted (apostrophes, hyphens too)
# ASCII text goes through byte tables instead, several times faster: punctuation deleted, then whitespace (as
# str.split sees it) made a space and every other byte kept (SPACES), or made an x to count words as " x" (SHAPES).
ASCII_PUNCTUATION = bytes(code for code in range(128) if PUNCTUATION.match(chr(code)))
SPACES = bytes(32 if chr(code).isspace() else code for code in range(256))
SHAPES = bytes(32 if chr(code).isspace() else ord("x") for code in range(256))


@dataclass(frozen=True)
class TextStats:
    """What is measured of an article's prose (independent of the configuration but for the formula and the
    language, which it names, so it can be cached)."""

    grade: float
    smog: float
    words: int
    sentences: int
    lengths: tuple[int, ...]
    sections: tuple[float | None, ...] = ()  # each h2 section's score, in Body.sections' order (None: no prose)
    formula: str = "flesch-kincaid"  # what `grade` and `sections` measure (an ease formula: higher is easier)
    spelling: Spelling | None = None  # the words the language's dictionary does not know (None: not looked for)

    def long(self, limit: int) -> int:
        """How many sentences have more than `limit` words."""
        return sum(words > limit for words in self.lengths)

    @property
    def shown_smog(self) -> float | None:
        """The SMOG grade, an English formula: shown only beside the English grade (None for an ease formula)."""
        return None if is_ease(self.formula) else self.smog


class Counts(NamedTuple):
    """What the formulas are computed from: words, sentences, syllables and words of three syllables or more."""

    words: int
    sentences: int  # of three words or more (a whole text counts at least one)
    syllables: int
    polysyllables: int
    lengths: tuple[int, ...] = ()  # each sentence's words, short ones included


NOTHING = Counts(0, 0, 0, 0)


def rounded(number: float, places: int) -> float:
    """A number rounded half away from zero (as textstat rounds, not Python's round half to even)."""
    scale = 10 ** places
    return float(math.floor(number * scale + math.copysign(0.5, number))) / scale


def per_sentence(counts: Counts) -> float:
    """Average words per sentence, to one decimal."""
    return rounded(float(counts.words / counts.sentences), 1)


def per_word(counts: Counts) -> float:
    """Average syllables per word, to one decimal (0 for no words)."""
    return rounded(float(counts.syllables) / float(counts.words), 1) if counts.words else 0.0


def flesch_kincaid(counts: Counts) -> float:
    """The Flesch-Kincaid grade: 0.39 words per sentence + 11.8 syllables per word - 15.59, to one decimal."""
    return rounded(float(0.39 * per_sentence(counts)) + float(11.8 * per_word(counts)) - 15.59, 1)


def fernandez_huerta(counts: Counts) -> float:
    """Fernández Huerta's reading ease: 206.84 - 60 syllables per word - 1.02 words per sentence."""
    return rounded(206.84 - float(60 * per_word(counts)) - float(1.02 * per_sentence(counts)), 2)


def szigriszt_pazos(counts: Counts) -> float:
    """Szigriszt-Pazos' perspicuity: 206.84 - 62.3 syllables per word - words per sentence (0 for no words)."""
    if not counts.words:
        return 0.0
    return rounded(206.84 - 62.3 * (counts.syllables / counts.words) - (counts.words / counts.sentences), 2)


def smog(counts: Counts) -> float:
    """The SMOG grade: 1.043 √(30 polysyllables per sentence) + 3.1291, to one decimal (0 below 3 sentences)."""
    if counts.sentences < 3:
        return 0.0
    return rounded((1.043 * (30 * (counts.polysyllables / counts.sentences)) ** .5) + 3.1291, 1)


# Each readability formula: the language its syllables are counted in, its function, and its name in reports.
FORMULAS: dict[str, tuple[str, Callable[[Counts], float], str]] = {
    "flesch-kincaid": ("en", flesch_kincaid, "Flesch-Kincaid grade"),
    "fernandez-huerta": ("es", fernandez_huerta, "Fernández Huerta ease"),
    "szigriszt-pazos": ("es", szigriszt_pazos, "Szigriszt-Pazos ease"),
}


def short(formula: str) -> str:
    """A formula's mark after a score in reports: none for Flesch-Kincaid grades, FH or SP for the ease scores."""
    return "".join(word[0] for word in formula.split("-")).upper() if is_ease(formula) else ""


def is_ease(formula: str) -> bool:
    """Whether a formula scores reading ease (higher is easier) rather than a school grade."""
    return formula != "flesch-kincaid"


@functools.cache
def hyphenator() -> Pyphen:
    """pyphen's American English hyphenation dictionary, loaded on first use."""
    return Pyphen(lang="en_US")


@functools.lru_cache(maxsize=1 << 16)
def english_syllables(word: str) -> int:
    """The syllables of one word (lower case, no punctuation): pyphen's hyphenation points + 1."""
    return len(hyphenator().positions(word)) + 1


SYLLABLES: dict[str, Callable[[str], int]] = {"en": english_syllables, "es": spanish}  # each remembers its words


def words(text: str) -> list[str]:
    """The words of a text: what whitespace separates once punctuation is removed."""
    if text.isascii():
        return text.encode("ascii").translate(SPACES, ASCII_PUNCTUATION).decode("ascii").split()
    return PUNCTUATION.sub("", text).split()


def word_count(text: str) -> int:
    """How many words a text has: len(words(text)), without making them."""
    if text.isascii():
        return (b" " + text.encode("ascii")).translate(SHAPES, ASCII_PUNCTUATION).count(b" x")
    return len(PUNCTUATION.sub("", text).split())


def tally(paragraph: str, language: str) -> Counts:
    """One paragraph's counts, its syllables counted in a language (a sentence never runs on into the next
    paragraph, so a text's counts are the sum of its paragraphs'). Lower case never makes or unmakes a word."""
    lengths = tuple(word_count(sentence) for sentence in SENTENCE.findall(paragraph))
    lower = words(paragraph.lower())
    syllables = Counter(map(SYLLABLES[language], lower))  # how many words have each number of syllables
    return Counts(len(lower), sum(n > 2 for n in lengths), sum(n * count for n, count in syllables.items()),
                  sum(count for n, count in syllables.items() if n >= 3), lengths)


def total(parts: Iterable[Counts]) -> Counts:
    """The counts of a text made of parts; it has at least one sentence."""
    word_counts, sentence_counts, syllable_counts, polysyllable_counts, each_lengths = zip(NOTHING, *parts)
    return Counts(sum(word_counts), max(1, sum(sentence_counts)), sum(syllable_counts), sum(polysyllable_counts),
                  tuple(chain.from_iterable(each_lengths)))


def sentences(prose: Iterable[str]) -> list[str]:
    """The sentences of the paragraphs, as they are counted."""
    return [s.strip() for paragraph in prose for s in SENTENCE.findall(paragraph)]


def measure(prose: tuple[str, ...], sections: tuple[tuple[str, int, int], ...] = (),
            formula: str = "flesch-kincaid") -> TextStats:
    """The formula's score (Flesch-Kincaid grade by default), SMOG, words, sentences, each sentence's words and
    each h2 section's score (None for a section with no prose, such as one holding only care cards)."""
    language, score, _ = FORMULAS[formula]
    if not any(p.strip() for p in prose):
        return TextStats(0.0, 0.0, 0, 0, (), tuple(None for _ in sections), formula)
    tallies = [tally(p, language) for p in prose]
    whole = total(tallies)
    starts = [start for _, _, start in sections] + [len(prose)]
    return TextStats(score(whole), smog(whole), whole.words, whole.sentences, whole.lengths,
                     tuple(score(total(tallies[a:b])) if any(p.strip() for p in prose[a:b]) else None
                           for a, b in zip(starts, starts[1:])), formula)
