"""Spanish syllables for the Spanish reading-ease formulas, counted by pylabeador's syllabification rules.

Hyphenation dictionaries (what `readability.py` counts English syllables with) mark where a word may break at
a line end, not its syllables: they never split a vowel from the next, so "día", "leer" and "río" come out as
one syllable. pylabeador applies Spanish syllabification rules (hiatus, diphthongs, triphthongs, consonant
clusters) and is exact on the words tests/test_syllables.py lists.
"""

from __future__ import annotations

import functools
import re

import pylabeador

VOWEL_GROUPS = re.compile(r"[aeiouáéíóúüy]+")
LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=1 << 16)
def spanish(word: str) -> int:
    """The syllables of one word (letters only; 0 for none): Spanish rules, vowel groups for what they reject."""
    count = 0
    for part in LETTERS.findall(word.lower()):
        try:
            count += len(pylabeador.syllabify(part))
        except pylabeador.HyphenatorError:  # letters Spanish does not use (a name, an English abbreviation): count vowel groups
            count += max(len(VOWEL_GROUPS.findall(part)), 1)
    return count
