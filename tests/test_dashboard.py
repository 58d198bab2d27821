"""The editorial dashboard: one self-contained page with the ranked table and three inline-SVG plots."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from healthsite.commands import dashboard, report
from healthsite.commands.cli import main
from healthsite.pipeline import Options
from tests.conftest import article
from tests.test_editorial import EASY, REVIEWED, Maker, good_site

TODAY = dt.date(2026, 6, 1)


def demo(make_site: Maker) -> Path:
    """Three articles: one overdue, one without citations and never reviewed, one reviewed and fine."""
    return make_site(good_site(**{
        "content/a.md": article("Overdue <b>A</b>", EASY + "See [B](b.md).\n", related="[c]",
                                **{**REVIEWED, "next_review_due": "2026-05-01"}),
        "content/b.md": article("B", "Keep moving. See [A](a.md).\n", related="[c]"),
        "content/c.md": article("C", EASY + "See [A](a.md).\n", **REVIEWED)}))


def page_of(root: Path, today: dt.date = TODAY) -> str:
    """The dashboard of a site on a day, as `check --format html` renders it."""
    out, err = io.StringIO(), io.StringIO()
    assert report.check(Options(root / "site.yaml"), today, "html", out, err, False) == 0
    return out.getvalue()


def test_check_writes_the_dashboard_to_a_file(make_site: Maker, capsys: pytest.CaptureFixture,
                                              tmp_path: Path) -> None:
    """--format html --output FILE writes one page and says where (on standard output); nothing on stderr."""
    root = demo(make_site)
    target = tmp_path / "dashboard.html"
    assert main(["check", "--config", str(root / "site.yaml"), "--format", "html", "--output", str(target)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.endswith(f"wrote {target}\n")
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_the_page_is_self_contained(make_site: Maker) -> None:
    """No external requests: no linked files, images, fonts or remote URLs (links a reader follows aside); one
    inline script, inline styles."""
    soup = BeautifulSoup(page_of(demo(make_site)), "html.parser")
    assert soup.find_all("link") == [] and soup.find_all("img") == [] and soup.find_all("iframe") == []
    assert [s.get("src") for s in soup.find_all("script")] == [None]
    assert not any(tag.get(attr, "").startswith(("http:", "https:", "//")) for tag in soup.find_all(True)
                   for attr in ("src", "href", "action", "xlink:href") if (tag.name, attr) != ("a", "href"))
    assert "url(" not in soup.style.get_text() and "@import" not in soup.style.get_text()


def test_the_table_lists_every_article_ranked_with_its_facts(make_site: Maker) -> None:
    """Review status, next review, grade, words, citations, inbound links and problems; most serious first;
    escaped."""
    soup = BeautifulSoup(page_of(demo(make_site)), "html.parser")
    table = soup.select_one("table#article-table")
    assert [th.get_text(" ", strip=True) for th in table.thead.find_all("th")] == [
        "Article", "Review status", "Next review", "Flesch-Kincaid grade target 8 or less; lower is easier", "Words",
        "Citations", "Inbound links", "Problems"]
    rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert [r[0].split(" content/")[0] for r in rows] == ["Overdue <b>A</b>", "B", "C"]
    assert rows[0][1:3] == ["overdue", "2026-05-01"] and rows[0][7] == "1 safety"
    assert rows[1][1:3] == ["not reviewed", "none"] and rows[1][5] == "0 (too few)" and rows[1][7] == "1 evidence"
    assert rows[2][1] == "reviewed" and rows[2][3:5] == ["0.9", "18"] and rows[2][6] == "2" and rows[2][7] == "none"
    assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))


def test_plots_are_inline_svg_that_read_without_script(make_site: Maker) -> None:
    """Three labelled SVG images: grades against the target band, review dates with today, citations."""
    soup = BeautifulSoup(page_of(demo(make_site)), "html.parser")
    svgs = soup.select("figure svg[role=img]")
    assert len(svgs) == 3 and all(svg.title and svg["aria-labelledby"] == svg.title["id"] for svg in svgs)
    grades, reviews, citations = svgs
    assert [t.get_text() for t in grades.select("text.row-label")] == ["a: 0.9", "b: 1.3", "c: 0.9"]
    assert grades.select_one("rect.band-target") and "target 8" in grades.get_text()
    assert [t.get_text() for t in reviews.select("text.row-label")] == ["a: 01 May 2026, overdue",
                                                                         "c: 10 Jan 2027, reviewed"]
    assert "today, 01 Jun 2026" in reviews.get_text() and len(reviews.select("circle")) == 2
    overdue, fine = (float(c["cx"]) for c in reviews.select("circle"))
    today = float(reviews.select("line.mark")[0]["x1"])
    assert overdue < today < fine
    assert "1 article has no next review date" in soup.get_text(" ")
    assert [t.get_text() for t in citations.select("text.row-label")] == ["a: 1", "b: 0 (too few)", "c: 1"]
    widths = [float(r["width"]) for r in citations.select("rect.bar")]
    assert widths[1] == 0 < widths[0] == widths[2]


def test_bars_are_proportional_to_their_values() -> None:
    """A plot's scale maps values linearly onto the plot area and clamps what falls outside."""
    x = dashboard.scale(0, 10)
    assert (x(0), x(5), x(10), x(20), x(-1)) == (8, 190, 372, 372, 8)


def test_the_dashboard_is_deterministic(make_site: Maker) -> None:
    """The same site on the same day gives the same bytes (no timestamps beyond the day checked)."""
    root = demo(make_site)
    assert page_of(root) == page_of(root)
    assert "2026-06-01" in page_of(root) and "2026-06-02" in page_of(root, dt.date(2026, 6, 2))


def test_a_library_without_review_dates_says_so(make_site: Maker) -> None:
    """No article with a date: the timeline says so instead of showing nothing."""
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n"),
                                  "content/b.md": article("B", EASY + "See [A](a.md).\n")}))
    assert "No article has a next review date yet." in page_of(root)


def test_print_styles_open_the_scroll_boxes(make_site: Maker) -> None:
    """In print the table is not cut off by its scroll box and figures are not split across pages."""
    css = BeautifulSoup(page_of(demo(make_site)), "html.parser").style.get_text()
    printed = css[css.index("@media print"):]
    assert re.search(r"\.scroll \{ overflow: visible", printed) and "break-inside: avoid" in printed
