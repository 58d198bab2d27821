"""Shared care advice: `content/care/NAME.md` written once, used in articles as `!!! care NAME`."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from healthsite.pipeline import Options, build, validate
from healthsite.problems import BuildError
from tests.conftest import article

BIB = "- {key: smith, citation: Smith A. Backs. 2020.}\n- {key: jones, citation: Jones B. Runs. 2021.}\n"
CARD = '---\nlevel: emergency\ntitle: "Call 999 now if you have"\n---\n\n- Numbness around your bottom [@jones].\n' \
       "- New difficulty peeing.\n"
INLINE = '!!! emergency "Call 999 now if you have"\n    - Numbness around your bottom [@jones].\n' \
         "    - New difficulty peeing.\n"
BODY = "Intro [@smith].\n\n## Warning signs\n\n{card}\n## Later\n\nMore [@smith].\n"


def site(make_site, body: str, cards: dict[str, str] | None = None, **files: str) -> Path:
    """A site whose article a.md has `body`, with shared cards by name and other files by path."""
    extra = {f"content/care/{name}.md": text for name, text in (cards or {}).items()}
    return make_site({"content/bibliography.yaml": BIB, "content/a.md": article("A", body, related="[b]"),
                      "content/b.md": article("B", "See [a](a.md) [@smith].\n"), **extra, **files})


def problems_of(root: Path) -> list[str]:
    """The problems a failing build reports."""
    with pytest.raises(BuildError) as caught:
        build(Options(root / "site.yaml", jobs=1))
    return [str(p) for p in caught.value.problems]


def card_html(root: Path) -> str:
    """The care card of a.md as built, and its References list."""
    build(Options(root / "site.yaml", jobs=1))
    page = BeautifulSoup((root / "_site" / "a" / "index.html").read_text(), "html.parser")
    return str(page.find("div", class_="care-card")) + str(page.find(id="ref-2"))


def test_shared_card_renders_exactly_like_inline(make_site, tmp_path: Path) -> None:
    """Same markup hooks, heading, heading level and citation numbering as the same card written inline."""
    shared = card_html(site(make_site, BODY.format(card="!!! care back-pain-emergency\n"),
                            {"back-pain-emergency": CARD}))
    inline_root = site(make_site, BODY.format(card=INLINE))
    (inline_root / "content" / "care" / "back-pain-emergency.md").unlink()
    assert shared == card_html(inline_root)
    assert '<h3 class="care-card__title"' in shared and 'care-card care-card--emergency' in shared
    assert 'href="#ref-2"' in shared and "Jones B. Runs. 2021." in shared


@pytest.mark.parametrize("before, tag", [("", "h2"), ("## Part\n\n", "h3"), ("## Part\n\n### Detail\n\n", "h4")])
def test_heading_level_fits_where_used(make_site, before: str, tag: str) -> None:
    """The card's heading is one level below the section it is used in."""
    root = site(make_site, f"{before}!!! care red-flags\n\nAfter.\n", {"red-flags": CARD})
    build(Options(root / "site.yaml", jobs=1))
    page = BeautifulSoup((root / "_site" / "a" / "index.html").read_text(), "html.parser")
    assert page.find("div", class_="care-card").find(class_="care-card__title").name == tag


def test_card_citations_count_as_the_page_citations(make_site) -> None:
    """An article whose only citation is in its shared card has citations (no warning) and a References list."""
    root = site(make_site, "Text.\n\n!!! care red-flags\n", {"red-flags": CARD})
    _, report = validate(Options(root / "site.yaml", jobs=1), dt.date(2026, 1, 1))
    row = next(a for a in report.articles if a.slug == "a")
    assert row.citations == 1
    assert not [w for w in report.warnings if w.path == "content/a.md" and "no citations" in w.message]


def test_unknown_card_is_an_error_at_the_article_line(make_site) -> None:
    """A name with no file is an error at the line that uses it, with the near miss."""
    root = site(make_site, "Text [@smith].\n\n!!! care red-flag\n", {"red-flags": CARD})
    assert problems_of(root) == ["content/a.md:9: error: unknown shared care card 'red-flag' (did you mean "
                                 "'red-flags'?): add content/care/red-flag.md or fix the name"]


def test_problem_inside_card_is_at_the_card_line(make_site) -> None:
    """A bad citation or link inside a shared card is reported at the card's own path and line."""
    card = "---\nlevel: urgent\n---\n\nSee a GP today.\n\n- Fever [@smiht].\n- See [b](b.md#nowhere).\n"
    root = site(make_site, "Text [@smith].\n\n!!! care fever\n", {"fever": card})
    assert problems_of(root) == [
        "content/care/fever.md:7: error: unknown source 'smiht' (did you mean 'smith'?): add it to the bibliography "
        "or fix the key"]
    (root / "content" / "care" / "fever.md").write_text(card.replace("smiht", "smith"))
    assert problems_of(root) == [
        "content/care/fever.md:8: error: link to 'b.md#nowhere': no heading with id 'nowhere' there"]


def test_unused_card_is_checked_and_warned(make_site) -> None:
    """A card no article uses is still checked, and warned about at its path."""
    root = site(make_site, "Text [@smith].\n", {"spare": "---\nlevel: urgent\n---\n\nAsk [@nobody].\n"})
    assert problems_of(root) == [
        "content/care/spare.md:5: error: unknown source 'nobody': add it to the bibliography or fix the key"]
    (root / "content" / "care" / "spare.md").write_text("---\nlevel: urgent\n---\n\nAsk a GP.\n")
    report = build(Options(root / "site.yaml", jobs=1))
    assert [str(w) for w in report.warnings if "care" in w.path] == [
        "content/care/spare.md:1: warning: shared care card 'spare' is not used by any published article "
        "(use it with a line '!!! care spare', or delete the file)"]


def test_used_card_gets_no_warning(make_site) -> None:
    """A card an article uses is not warned about."""
    root = site(make_site, "Text [@smith].\n\n!!! care red-flags\n", {"red-flags": CARD})
    report = build(Options(root / "site.yaml", jobs=1))
    assert [w for w in report.warnings if "care" in w.path] == []


def test_cards_are_not_pages(make_site) -> None:
    """No URL, no sitemap entry, no feed entry, no search record for a shared card."""
    root = site(make_site, "Text [@smith].\n\n!!! care red-flags\n", {"red-flags": CARD})
    build(Options(root / "site.yaml", jobs=1))
    out = root / "_site"
    assert not (out / "care").exists() and not (out / "red-flags").exists()
    assert "red-flags" not in (out / "sitemap.xml").read_text() + (out / "feed.xml").read_text()
    urls = [e.text for e in etree.fromstring((out / "sitemap.xml").read_bytes()).iter() if e.tag.endswith("loc")]
    assert sorted(urls) == ["https://test.example/", "https://test.example/a/", "https://test.example/b/",
                            "https://test.example/topics/"]


@pytest.mark.parametrize("text, expected", [
    ("---\nlevel: urgent\n---\n\n", "content/care/c.md:5: error: the shared care card has no content: write its "
                                     "advice below the front matter"),
    ("---\nlevel: urgnt\n---\n\nText.\n", "content/care/c.md:2: error: 'level' must be one of non-urgent, urgent, "
                                          "emergency"),
    ("---\ntitle: T\n---\n\nText.\n", "content/care/c.md:2: error: missing required key 'level'"),
    ("---\nlevel: urgent\n---\n\nText.\n\n!!! care c\n", "content/care/c.md:7: error: a shared care card cannot use "
                                                        "another one: write the advice here"),
    ("Text.\n", "content/care/c.md:1: error: missing front matter: start the file with a '---' line"),
])
def test_bad_card_file(make_site, text: str, expected: str) -> None:
    """A broken card file is an error at its own line."""
    root = site(make_site, "Text [@smith].\n\n!!! care c\n", {"c": text})
    assert expected in problems_of(root)


def test_card_name_must_be_a_slug(make_site) -> None:
    """Card files are named like articles."""
    root = site(make_site, "Text [@smith].\n", {"Red Flags": CARD})
    assert problems_of(root) == ["content/care/Red Flags.md:1: error: file name 'Red Flags' is not a slug "
                                 "(lowercase letters, digits and '-'); rename the file"]


@pytest.mark.parametrize("line, expected", [
    ("!!! care", "content/a.md:9: error: name the shared card: write '!!! care NAME' for the card in "
                 "content/care/NAME.md"),
    ('!!! care red-flags "Other title"', "content/a.md:9: error: '!!! care red-flags \"Other title\"': write only "
                                         "the card's name after 'care' (a shared card has its own title)"),
    ("!!! care red-flags\n    Extra advice.", "content/a.md:9: error: '!!! care red-flags' takes no content of its "
                                              "own: remove the indented lines under it (the advice is in "
                                              "content/care/red-flags.md)"),
])
def test_bad_use_line(make_site, line: str, expected: str) -> None:
    """A use line is a name and nothing else."""
    root = site(make_site, f"Text [@smith].\n\n{line}\n", {"red-flags": CARD})
    assert problems_of(root) == [expected]


def test_editing_a_card_rebuilds_its_pages(make_site) -> None:
    """A changed card shows on the next (incremental) build of every page that uses it."""
    root = site(make_site, "Text [@smith].\n\n!!! care red-flags\n", {"red-flags": CARD},
                **{"content/c.md": article("C", "See [a](a.md) [@smith].\n\n!!! care red-flags\n")})
    build(Options(root / "site.yaml", jobs=1))
    (root / "content" / "care" / "red-flags.md").write_text(CARD.replace("peeing", "weeing"))
    report = build(Options(root / "site.yaml", jobs=1))
    for slug in ("a", "c"):
        assert "New difficulty weeing." in (root / "_site" / slug / "index.html").read_text()
    assert report.written >= 2


def test_indented_use_line(make_site) -> None:
    """A `!!! care` line inside a list or card is an error at its line, not a silent empty card."""
    root = site(make_site, "Text [@smith].\n\n- Item\n\n    !!! care red-flags\n", {"red-flags": CARD})
    assert problems_of(root) == ["content/a.md:11: error: '!!! care red-flags': a shared care card goes on a line "
                                 "of its own, not indented (it cannot sit inside a list or another card)"]


def test_capital_care_still_works(make_site) -> None:
    """`!!! Care NAME` is the same as `!!! care NAME`."""
    root = site(make_site, "Text [@smith].\n\n!!! Care red-flags\n", {"red-flags": CARD})
    build(Options(root / "site.yaml", jobs=1))
    assert "New difficulty peeing." in (root / "_site" / "a" / "index.html").read_text()


RAW = "a care card inside raw HTML would be published as plain text, not as a card: move it out of the HTML block, " \
      "with a blank line before and after it"


@pytest.mark.parametrize("inside, line", [("\n!!! care red-flags\n\n", 11), (INLINE, 10)])
def test_a_card_inside_raw_html_is_an_error_at_its_line(make_site, inside: str, line: int) -> None:
    """Markdown inside a raw HTML block is published as it is: a card there (shared or inline) would be text."""
    root = site(make_site, f"Intro [@smith].\n\n<div>\n{inside}</div>\n\nMore [@smith].\n", {"red-flags": CARD})
    assert problems_of(root) == [f"content/a.md:{line}: error: {RAW}"]


def test_a_card_in_an_html_comment_is_not_published(make_site) -> None:
    """A card commented out is left out of the page, like the rest of the comment."""
    root = site(make_site, "Intro [@smith].\n\n<!--\n\n!!! care red-flags\n\n-->\n\nMore [@smith].\n",
                {"red-flags": CARD})
    build(Options(root / "site.yaml", jobs=1))
    page = (root / "_site" / "a" / "index.html").read_text()
    assert "care-card" not in page.split("<main", 1)[1] and "Numbness" not in page and "!!!" not in page
