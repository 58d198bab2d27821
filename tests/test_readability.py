"""The readability meter: textstat's figures, with syllables counted once per word, equal to uncached textstat."""

from __future__ import annotations

import subprocess
import sys
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from healthsite.review import editorial

WORDS = ["rest", "walk", "physiotherapist", "inflammation", "it's", "GP", "co-ordinate", "naïve", "x-ray",
         "anti-inflammatory", "paracetamol", "ibuprofen", "well-being", "numbness", "a", "I", "back", "pain", "42",
         "séance", "Ça", "straße", "don't", "ACHES", "'quoted'", "e.g.", "—", "(see", "below)", ""]
SEPARATORS = [" ", " ", " ", ". ", "! ", "? ", ", ", "; ", "\n", " - ", "... "]


def uncached() -> object:
    """A fresh textstat meter exactly as textstat ships it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from textstat.textstat import textstatistics
    return textstatistics()


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Random prose from medical and everyday words, odd punctuation and any other text."""
    parts = draw(st.lists(st.tuples(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)),
                                    st.sampled_from(SEPARATORS)), max_size=60))
    return "".join(word + separator for word, separator in parts)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts(), min_size=1, max_size=4))
def test_cached_meter_gives_textstats_figures(paragraphs: list[str]) -> None:
    """Every figure the build uses equals uncached textstat's, for any text, with the cache warm or cold."""
    cached, plain = editorial.meter(), uncached()
    for text in [editorial.plain_text(paragraphs), *paragraphs]:
        for figure in ("syllable_count", "flesch_kincaid_grade", "smog_index", "lexicon_count", "sentence_count",
                       "polysyllabcount", "avg_syllables_per_word"):
            assert getattr(cached, figure)(text) == getattr(plain, figure)(text), (figure, text)


def test_cached_meter_counts_each_word_once() -> None:
    """The meter's syllable counter is memoized per word: a second text of known words hyphenates nothing new."""
    meter = editorial.meter()
    meter.syllable_count("Physiotherapists coordinate rehabilitation.")
    hyphenated = []
    original = meter.pyphen.positions
    meter.pyphen.positions = lambda word: hyphenated.append(word) or original(word)
    try:
        assert meter.syllable_count("rehabilitation. Physiotherapists coordinate") == \
            uncached().syllable_count("rehabilitation. Physiotherapists coordinate")
    finally:
        meter.pyphen.positions = original
    assert hyphenated == []


def test_meter_loads_without_pkg_resources() -> None:
    """The meter imports textstat without pkg_resources (a third of a second) and still reads its word lists."""
    script = """
import sys
from healthsite.review import editorial
meter = editorial.meter()
assert "pkg_resources" not in sys.modules, "pkg_resources was imported"
easy = meter.dale_chall_readability_score("The patient rests and walks a little each day.")
import pkg_resources, importlib
sys.modules.pop("textstat.textstat"); sys.modules.pop("textstat")
from textstat.textstat import textstatistics
assert textstatistics().dale_chall_readability_score("The patient rests and walks a little each day.") == easy
"""
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
