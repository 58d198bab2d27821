"""The "When to get help" summary from a page's own cards, the card-order checks and tappable phone numbers."""

from __future__ import annotations

import textwrap
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from healthsite.reading.facts import Fact
from healthsite.model.gethelp import contents_first, get_help
from healthsite.mdext.markup import Body, Renderer
from healthsite.mdext import Refs
from healthsite.pipeline import Options, build
from tests.conftest import article

REFS = Refs(urls={}, drafts=frozenset(), bibliography=frozenset(), emergency_number="112")


def render(text: str) -> Body:
    """Render a body as content/a.md from its line 1."""
    return Renderer(REFS).render("content/a.md", textwrap.dedent(text), 1)


def warnings(body: Body) -> list[str]:
    """The body's warnings as printed."""
    return [str(p) for p in body.problems if p.level == "warning"]


PAGE = """\
## Signs

!!! non-urgent
    - Mild.

Text between.

!!! emergency
    - Severe.

## When to get help

!!! urgent "Go today if"
    - Fever.
"""


def test_cards_are_recorded_with_ids_levels_titles_and_sections() -> None:
    """Each card gets an id in page order; the body lists its level, title and section."""
    body = render(PAGE)
    ids = [div["id"] for div in BeautifulSoup(body.html, "html.parser").select("div.care-card")]
    assert ids == ["care-card-1", "care-card-2", "care-card-3"]
    assert [(c.id, c.level, c.title, c.section) for c in body.care_cards] == [
        ("care-card-1", "non-urgent", "See a doctor if", "Signs"),
        ("care-card-2", "emergency", "Call 112 or go to the emergency room if", "Signs"),
        ("care-card-3", "urgent", "Go today if", "When to get help")]


def test_emergency_after_a_lower_card_of_its_section_is_a_warning() -> None:
    """An emergency card after a non-urgent one in the same section is a safety warning at its line."""
    body = render(PAGE)
    assert warnings(body) == ["content/a.md:8: warning: an emergency care card after a non-urgent card in the same "
                              "section: put the emergency card first (the most urgent advice comes first)"]
    assert body.problems[0].category == "safety"


def test_an_emergency_card_first_or_in_another_section_is_fine() -> None:
    """Emergency before urgent, or an urgent card in an earlier section, gives no warning."""
    assert warnings(render("!!! emergency\n    - A.\n\n!!! urgent\n    - B.\n")) == []
    assert warnings(render("## One\n\n!!! urgent\n    - B.\n\n## Two\n\n!!! emergency\n    - A.\n")) == []


def test_two_adjacent_cards_of_one_level_are_a_warning() -> None:
    """Two urgent cards back to back: merge them (warning at the second); text between them is fine."""
    assert warnings(render("!!! urgent\n    - A.\n\n!!! urgent \"Also\"\n    - B.\n")) == [
        "content/a.md:4: warning: two urgent care cards in a row: merge them into one card, so a reader finds one "
        "list of signs for each level"]
    assert warnings(render("!!! urgent\n    - A.\n\nText.\n\n!!! urgent \"Also\"\n    - B.\n")) == []
    assert warnings(render("!!! urgent\n    - A.\n\n!!! non-urgent\n    - B.\n")) == []


@pytest.mark.parametrize("text, href", [("call 112 now", "tel:112"), ("Poison Control at 1-800-222-1222.",
                                                                        "tel:+18002221222"),
                                        ("call (800) 222-1222", "tel:+18002221222")])
def test_phone_numbers_in_cards_are_tel_links(text: str, href: str) -> None:
    """The emergency number and US numbers in a card's text become tappable `tel:` links; elsewhere they do not."""
    body = render(f"Outside: {text}\n\n!!! urgent\n    - Inside: {text}\n")
    page = BeautifulSoup(body.html, "html.parser")
    links = page.select("a.tel")
    assert [(a["href"], a.parent.name) for a in links] == [(href, "li")]
    assert page.select_one("li").get_text() == f"Inside: {text}"


def test_the_emergency_card_title_number_is_a_link() -> None:
    """The default emergency title's number is tappable too; the page text is unchanged."""
    title = BeautifulSoup(render("!!! emergency\n    - A.\n").html, "html.parser").select_one(".care-card__title")
    assert title.select_one("a.tel")["href"] == "tel:112"
    assert title.get_text() == "Immediate action required: Call 112 or go to the emergency room if"


def test_summary_lists_the_cards_most_urgent_first_with_the_number() -> None:
    """get_help orders emergency, urgent, non-urgent (page order within a level) and carries the tel: number."""
    body = render(PAGE)
    config = SimpleNamespace(all_facts={"emergency-number": Fact("112", phone=True)})
    summary = get_help(config, body.care_cards)
    assert (summary.number, summary.tel) == ("112", "tel:112")
    assert [(e.level, e.href) for e in summary.entries] == [
        ("emergency", "#care-card-2"), ("urgent", "#care-card-3"), ("non-urgent", "#care-card-1")]
    assert get_help(config, ()) is None


def test_repeated_titles_are_told_apart_by_their_section() -> None:
    """Two emergency cards with the default title: each link names its section."""
    body = render("## Hernia\n\n!!! emergency\n    - A.\n\n## Testicle\n\n!!! emergency\n    - B.\n")
    config = SimpleNamespace(all_facts={"emergency-number": Fact("112", phone=True)})
    assert [e.text for e in get_help(config, body.care_cards).entries] == [
        "Call 112 or go to the emergency room if (Hernia)", "Call 112 or go to the emergency room if (Testicle)"]


def test_contents_start_with_the_most_urgent_cards_section() -> None:
    """The section of the page's most urgent card moves to the top of the contents list."""
    body = render(PAGE)
    toc = (("signs", "Signs"), ("when-to-get-help", "When to get help"), ("faq", "FAQ"))
    assert contents_first(toc, body.care_cards)[0] == ("signs", "Signs")
    assert contents_first(toc, render(PAGE.replace("!!! emergency", "!!! non-urgent")).care_cards)[0] == (
        "when-to-get-help", "When to get help")
    assert contents_first(toc, ()) == toc


BODY = """\
Intro.

## One

Text.

## Two

Text.

## Three

Text.

## When to get help

!!! care red-flags

!!! non-urgent "See a doctor if"
    - It lasts.
"""
CARD = "---\nlevel: emergency\ntitle: \"Call 112 now if\"\n---\n\n- Numb legs.\n"


def test_article_page_shows_the_summary_and_contents_start_with_cards(make_site) -> None:
    """The built page: a #get-help section after the header, a tel: number, a link to each card (shared ones
    too) that lands on it, and the cards' section first in the contents."""
    root = make_site({"content/a.md": article(body=BODY), "content/care/red-flags.md": CARD})
    build(Options(root / "site.yaml", jobs=1))
    page = BeautifulSoup((root / "_site" / "a" / "index.html").read_text(), "html.parser")
    summary = page.select_one("article header section.get-help#get-help")
    assert summary.find_previous_sibling()["class"] == ["lede"] and summary.parent.name == "header"
    number = summary.select_one("a.get-help__number")
    assert number["href"].startswith("tel:") and number.get_text() == number["href"].removeprefix("tel:")
    links = [(a["href"], a.get_text(" ", strip=True)) for a in summary.select(".get-help__list a")]
    assert links == [("#care-card-1", "Immediate action required: Call 112 now if"),
                     ("#care-card-2", "Non-urgent advice: See a doctor if")]
    assert all(page.select_one(href) and "care-card" in page.select_one(href)["class"] for href, _ in links)
    assert page.select("nav.contents a")[0]["href"] == "#when-to-get-help"


def test_a_page_without_cards_has_no_summary(make_site) -> None:
    """No cards, no summary."""
    root = make_site({"content/a.md": article(body="Just text.\n")})
    build(Options(root / "site.yaml", jobs=1))
    assert "get-help" not in (root / "_site" / "a" / "index.html").read_text()


MEDICINE = """\
## Taking ibuprofen safely

!!! emergency "Stop taking it and call 112 if you"
    - throw up blood, or have black or bloody poop
    - have weakness on one side of your body or slurred speech

## Taking acetaminophen safely

!!! urgent "Call Poison Control at 1-800-222-1222 right away if"
    - you think you have taken too much, even if you feel fine
"""


def test_medicine_emergencies_are_cards_with_tappable_numbers() -> None:
    """A bleeding or stroke emergency card and an overdose card: each number in a title or the advice is a tel:
    link, the summary lists both (emergency first), and nothing warns."""
    body = render(MEDICINE)
    page = BeautifulSoup(body.html, "html.parser")
    titles = page.select(".care-card__title")
    assert [a["href"] for a in titles[0].select("a.tel")] == ["tel:112"]
    assert [a["href"] for a in titles[1].select("a.tel")] == ["tel:+18002221222"]
    assert body.problems == ()
    summary = get_help(SimpleNamespace(all_facts={"emergency-number": Fact("112", phone=True)}), body.care_cards)
    assert [(e.level, e.text) for e in summary.entries] == [
        ("emergency", "Stop taking it and call 112 if you"),
        ("urgent", "Call Poison Control at 1-800-222-1222 right away if")]
