"""Health Markdown: cross-links, care cards, citations, FAQ, tables, outline and sanitizing."""

from __future__ import annotations

import textwrap

import pytest
from bs4 import BeautifulSoup

from healthsite.mdext.markup import Body, Renderer
from healthsite.mdext import Refs

REFS = Refs(urls={"other.md": "/other/", "third.md": "/third/"}, drafts=frozenset({"draft.md"}),
            bibliography=frozenset({"smith", "jones", "lee"}), emergency_number="112")


def render(text: str, first_line: int = 5) -> Body:
    """Render a Markdown body as the first page of content/a.md."""
    return Renderer(REFS).render("content/a.md", textwrap.dedent(text), first_line)


def soup(body: Body) -> BeautifulSoup:
    """Parse a rendered body."""
    return BeautifulSoup(body.html, "html.parser")


def messages(body: Body) -> list[str]:
    """The problems of a body as printed."""
    return [str(p) for p in body.problems]


def test_cross_links_become_urls() -> None:
    """Links to source files point at the article URL, keeping the anchor."""
    body = render("See [this](other.md) and [that part](third.md#causes).\n")
    assert [a["href"] for a in soup(body).find_all("a")] == ["/other/", "/third/#causes"]
    assert [(l.target, l.anchor, l.line) for l in body.links] == [("other.md", "", 5), ("third.md", "causes", 5)]
    assert body.problems == ()


def test_missing_link_target_is_an_error_at_its_line() -> None:
    """A link to a file that does not exist names the line of the link."""
    body = render("Intro.\n\nText.\n\nSee [x](othr.md).\n", first_line=7)
    assert messages(body) == ["content/a.md:11: error: link to 'othr.md': the article does not exist in content/ "
                              "(did you mean 'other.md'?)"]


def test_link_to_draft_is_an_error() -> None:
    """A published page must not link to an unpublished draft."""
    assert messages(render("[d](draft.md)\n")) == [
        "content/a.md:5: error: link to 'draft.md': the article is a draft (publish it or remove the link)"]


def test_external_links_get_noopener() -> None:
    """External links carry rel=noopener; internal ones do not."""
    links = soup(render("[a](https://example.org/) [b](/local/)\n")).find_all("a")
    assert [a.get("rel") for a in links] == [["noopener"], None]


@pytest.mark.parametrize("level, hidden", [("non-urgent", "Non-urgent advice:"), ("urgent", "Urgent advice:"),
                                           ("emergency", "Immediate action required:")])
def test_care_card_levels(level: str, hidden: str) -> None:
    """Each level renders as div.care-card.care-card--LEVEL with a visually hidden prefix."""
    body = render(f'## Section\n\n!!! {level} "Get help if"\n    - Fever.\n')
    card = soup(body).find("div", class_="care-card")
    assert card["class"] == ["care-card", f"care-card--{level}"]
    heading = card.find("h3")
    assert heading.find("span", class_="visually-hidden").get_text() == hidden
    assert heading.get_text() == f"{hidden} Get help if"
    assert card.find("div", class_="care-card__content").find("li").get_text() == "Fever."


def test_emergency_card_default_title_uses_emergency_number() -> None:
    """Without a title the emergency card tells readers which number to call."""
    heading = soup(render("!!! emergency\n    - Numbness.\n")).find("h2")
    assert heading.get_text() == "Immediate action required: Call 112 or go to the emergency room if"


def test_unknown_card_level_is_an_error() -> None:
    """Only the three care-card levels exist."""
    assert messages(render('Text.\n\n!!! warning "Careful"\n    Body.\n')) == [
        "content/a.md:7: error: unknown care card level 'warning' (use non-urgent, urgent, emergency)"]


def test_citations_numbered_in_order_of_first_use() -> None:
    """Numbers follow first use; repeated sources reuse their number; each use has its own anchor."""
    body = render("One [@jones]. Two [@smith; @jones]. Three [@smith].\n")
    sups = soup(body).find_all("sup", class_="citations")
    assert [[(a.get_text(), a["href"], a["id"]) for a in s.find_all("a")] for s in sups] == [
        [("1", "#ref-1", "cite-1-1")],
        [("2", "#ref-2", "cite-2-1"), ("1", "#ref-1", "cite-1-2")],
        [("2", "#ref-2", "cite-2-2")]]
    assert body.citations == (("jones", 2), ("smith", 2))


def test_unknown_citation_key_is_an_error_at_its_line() -> None:
    """Only bibliography sources can be cited."""
    assert messages(render("Fine [@smith].\n\nBad [@smyth].\n")) == [
        "content/a.md:7: error: unknown source 'smyth' (did you mean 'smith'?): add it to the bibliography or fix the key"]


def test_unknown_key_first_in_a_group() -> None:
    """An unknown key before a known one is an error, not a crash."""
    assert messages(render("Text [@nope; @smith].\n")) == [
        "content/a.md:5: error: unknown source 'nope': add it to the bibliography or fix the key"]


def test_card_level_found_whatever_its_case() -> None:
    """An unknown level written in capitals is reported at its own line."""
    assert messages(render("Text.\n\n!!! Note\n    Body.\n"))[0].startswith("content/a.md:7: error: unknown care card")


def test_malformed_citation() -> None:
    """A citation that is not [@key] or [@a; @b] is an error."""
    assert messages(render("Bad [@smith, jones].\n")) == [
        "content/a.md:5: error: malformed citation '[@smith, jones]' (write [@key] or [@key1; @key2])"]


FAQ = """\
Intro.

## Frequently asked questions

Quick answers.

### Should I stop running?

Not always [@smith].

It depends on the pain.

### Do *shoes* matter?

A little.

## After

Other text.
"""


def test_faq_section_markup_and_data() -> None:
    """The FAQ becomes section.faq with details.faq-item/summary items and matching data."""
    body = render(FAQ)
    page = soup(body)
    section = page.find("section", class_="faq")
    assert section.find("h2").get_text() == "Frequently asked questions"
    items = section.find_all("details", class_="faq-item")
    assert [d.find("summary").get_text() for d in items] == ["Should I stop running?", "Do shoes matter?"]
    assert body.faq == (("Should I stop running?", "Not always. It depends on the pain."),
                        ("Do shoes matter?", "A little."))
    assert page.find("h2", id="after").find_parent("section") is None


def test_table_caption_scope_and_scroll_box() -> None:
    """Tables get header scopes, a caption from `Table:` and a focusable, labelled scroll box."""
    body = render("| Phase | Time |\n|:---|---:|\n| Acute | 3 days |\n\nTable: Recovery phases\n")
    page = soup(body)
    box = page.find("div", class_="table-scroll")
    assert (box["role"], box["tabindex"], box["aria-labelledby"]) == ("region", "0", "table-1")
    assert box.table.caption.get_text() == "Recovery phases"
    assert [th["scope"] for th in box.find_all("th")] == ["col", "col"]
    assert [th["class"] for th in box.find_all("th")] == [["align-left"], ["align-right"]]
    assert "style=" not in body.html
    assert "Table:" not in body.html


def test_table_cells_carry_their_column_labels_and_explicit_roles() -> None:
    """Each body cell names its column's header text in data-label (inline markup flattened, empty headers
    give none); every table element has its explicit role, so stacking rows on phones keeps a table."""
    body = render("| **Phase** | Time since *start* | |\n|---|---|---|\n"
                  "| Acute | 3 days | x |\n| Chronic | 6 weeks | y |\n")
    table = soup(body).find("table")
    assert [[td.get("data-label") for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")] == [
        ["Phase", "Time since start", None], ["Phase", "Time since start", None]]
    roles = {tag.name: tag["role"] for tag in table.find_all(["thead", "tbody", "tr", "th", "td"])}
    assert table["role"] == "table" and roles == {"thead": "rowgroup", "tbody": "rowgroup", "tr": "row",
                                                   "th": "columnheader", "td": "cell"}


def test_outline_toc_anchors_and_prose() -> None:
    """h2 sections form the contents; prose leaves out headings, tables, cards and questions."""
    body = render("Intro text [@smith].\n\n## First part\n\nBody.\n\n!!! urgent\n    Card text.\n\n" + FAQ)
    assert body.toc == (("first-part", "First part"), ("frequently-asked-questions", "Frequently asked questions"),
                        ("after", "After"))
    assert {"first-part", "after", "cite-1-1"} <= body.anchors
    assert body.prose == ("Intro text.", "Body.", "Intro.", "Quick answers.", "Not always.",
                          "It depends on the pain.", "A little.", "Other text.")


def test_h1_in_body_is_an_error() -> None:
    """The title is the page's only h1."""
    assert messages(render("Text.\n\n# Big\n")) == [
        "content/a.md:7: error: use '##' for sections: the title is the page's only h1"]


HOSTILE = """\
<script>alert(1)</script>

<img src="x.png" onerror="alert(2)" alt="x">

[click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=)

<a href="JaVaScRiPt:alert(4)">mixed case</a>

<iframe src="https://evil.example/"></iframe>
<object data="x.swf"></object>
<style>body{display:none}</style>
<svg onload="alert(5)"></svg>

Paragraph with attributes
{: onclick="alert(6)" style="color:red" }

## Heading {: onfocus="alert(8)" tabindex="1" }

<div onmouseover="alert(7)">hover</div>
"""


def test_hostile_content_never_reaches_the_output() -> None:
    """Scripts, event handlers, javascript:/data: URLs, frames, objects and styles are removed."""
    html = render(HOSTILE).html.lower()
    for bad in ("<script", "alert(", "onerror", "onload", "onclick", "onmouseover", "javascript:", "data:",
                "<iframe", "<object", "<style", "<svg", "style="):
        assert bad not in html, bad
    assert "hover" in html


def test_a_table_without_a_caption_is_named_in_the_page_language() -> None:
    """The box of a table with no caption is named "Table N", from the edition's catalog ("Tabla N" in Spanish)."""
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    english = Renderer(Refs({}, frozenset(), frozenset(), "911")).render("a.md", table, 1)
    spanish = Renderer(Refs({}, frozenset(), frozenset(), "911", texts={"Table %(number)s": "Tabla %(number)s"}))
    assert 'aria-label="Table 1"' in english.html
    assert 'aria-label="Tabla 1"' in spanish.render("a.md", table, 1).html
