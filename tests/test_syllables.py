"""Spanish syllables (Spanish rules, not a hyphenation dictionary), and what the Spanish readability shows."""

from __future__ import annotations

import pytest

from healthsite.review import editorial
from healthsite.model import readability
from healthsite.reading.config import HouseRules
from healthsite.review.housewarnings import too_hard
from healthsite.model.syllables import spanish

# Each word's syllables, by the Spanish rules (hiatus with an accented i or u, two strong vowels, diphthongs,
# triphthongs, consonant clusters, silent h and u).
KNOWN = {
    "día": 2, "idea": 3, "leer": 2, "río": 2, "ahora": 3, "preeclampsia": 4, "dolor": 2, "lumbar": 2,
    "después": 2, "correr": 2, "analgésicos": 5, "caída": 3, "país": 2, "reúne": 3, "aéreo": 4, "cuidado": 3,
    "huevo": 2, "ciudad": 2, "baúl": 2, "oído": 3, "creer": 2, "poeta": 3, "ley": 1, "muy": 1, "hoy": 1,
    "y": 1, "construir": 2, "abstracto": 3, "instrucción": 3, "hielo": 2, "acuario": 3, "paracetamol": 5,
    "ibuprofeno": 5, "antiinflamatorio": 7, "cigüeña": 3, "averigüéis": 4, "búho": 2, "zoológico": 5,
    "reír": 2, "leía": 3, "actúa": 3, "ciática": 3, "guía": 2, "qué": 1, "embarazo": 4, "espalda": 3,
}


@pytest.mark.parametrize("word, count", sorted(KNOWN.items()))
def test_spanish_syllables_are_exact(word: str, count: int) -> None:
    """Every word of the list has exactly its known number of syllables."""
    assert spanish(word) == count


def test_capitals_punctuation_and_foreign_words() -> None:
    """Capitals count like small letters; digits are not syllables; a word Spanish rules reject counts its
    vowel groups."""
    assert len(KNOWN) >= 30
    assert (spanish("Día"), spanish("3"), spanish("AINE"), spanish("mmm"), spanish("k")) == (2, 0, 2, 1, 1)


def test_spanish_text_syllables_are_its_words() -> None:
    """A Spanish text's syllable count is the sum of its words' Spanish syllables."""
    counted = readability.tally("El día de la idea, leer el río.", "es")
    assert counted.syllables == 1 + 2 + 1 + 1 + 3 + 2 + 1 + 2 and counted.polysyllables == 1  # idea


def test_fernandez_huerta_uses_the_right_count() -> None:
    """Fernández Huerta of a known text: 206.84 - 60 * syllables per word (1 decimal) - 1.02 * words per sentence."""
    stats = readability.measure(("Leer el río hoy. La idea es buena.",), (), "fernandez-huerta")
    # 9 words (leer 2, el 1, río 2, hoy 1, la 1, idea 3, es 1, buena 2 = 13 syllables of 8 words: 1.6), 2 sentences
    assert (stats.words, stats.sentences) == (8, 2)
    assert stats.grade == pytest.approx(206.84 - 60 * 1.6 - 1.02 * 4, abs=0.01)


def test_english_figures_are_unchanged() -> None:
    """English counts syllables with the hyphenation dictionary, as textstat 0.7.3 did: its grade, SMOG shown."""
    text = "Most back pain gets better on its own. Keep moving and rest when you need to understand everything."
    stats = readability.measure((text,))
    assert (stats.grade, stats.smog) == (3.3, 0.0)  # textstat 0.7.3's flesch_kincaid_grade and smog_index
    assert stats.shown_smog == stats.smog and stats.grade == 3.3


def test_a_section_with_no_prose_is_not_scored() -> None:
    """A section holding only cards has no score (None), and is never called hard; SMOG is not shown for Spanish."""
    prose = ("Leer el río hoy. La idea es buena.",)
    stats = readability.measure(prose, (("Ayuda", 5, 1),), "fernandez-huerta")
    assert stats.sections == (None,) and stats.shown_smog is None
    rules = HouseRules(readability="fernandez-huerta")
    assert not too_hard(None, rules)


def test_the_report_shows_smog_only_for_english() -> None:
    """The text table's SMOG cell is '-' for a Spanish article, and JSON's smog is null."""
    from healthsite.commands import report
    stats = readability.measure(("Leer el río hoy. La idea es buena.",), (), "fernandez-huerta")
    review = editorial.Review("not reviewed", "", None, None)
    article = editorial.Article("a", "content/es/a.md", "A", stats, "pass", 0, 1, review, 1)
    rules = HouseRules(readability="fernandez-huerta")
    assert [cell for cell, _ in report.row(article, rules)][:3] == ["a", f"{stats.grade:.1f} FH", "-"]
    assert report.article_json(article)["smog"] is None
