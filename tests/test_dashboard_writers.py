"""The dashboard never lies and never goes missing: errors first, unreviewed pages under safety, one column per
readability formula, links to each source file and page, word counts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from healthsite.commands import report
from healthsite.commands.cli import main
from healthsite.pipeline import Options
from tests.conftest import article
from tests.test_editorial import EASY, REVIEWED, Maker, good_site
from tests.test_spanish import LANGUAGES
from tests.test_spanish import files as spanish_files

TODAY = dt.date(2026, 6, 1)
SPANISH_EASE = LANGUAGES.replace("    name: Español\n", "    name: Español\n    editorial:\n"
                                                       "      readability: fernandez-huerta\n")
BROKEN = EASY + "See [B](b.md). Rest [@nope].\n"


def dashboard(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture, code: int = 0) -> BeautifulSoup:
    """`check --format html --output FILE` on a site: the page written (the exit status checked)."""
    target = tmp_path / "reports" / "dashboard.html"
    target.parent.mkdir(exist_ok=True)
    assert main(["check", "--config", str(root / "site.yaml"), "--format", "html", "--output", str(target)]) == code
    capsys.readouterr()
    return BeautifulSoup(target.read_text(), "html.parser")


def test_written_even_with_an_error_which_comes_first(make_site: Maker, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    """A site with an error: the dashboard is still written, its errors first (in the safety colour, with their
    line), then every article that could be checked; exit 1 and one failure line on stderr."""
    root = make_site(good_site(**{"content/a.md": article("A", BROKEN, **REVIEWED),
                                  "content/b.md": article("B", EASY + "See [A](a.md).\n")}))
    target = tmp_path / "dashboard.html"
    assert main(["check", "--config", str(root / "site.yaml"), "--format", "html", "--output", str(target)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == (f"wrote {target}\n", "check failed: 1 error (listed first on the dashboard)\n")
    soup = BeautifulSoup(target.read_text(), "html.parser")
    assert [li.get_text(" ", strip=True) for li in soup.select(".counts li")] == [
        "1 error", "1 safety", "0 evidence", "0 readability", "0 style"]
    assert soup.select_one("h3").get_text() == "Errors (1): the site does not build until they are fixed"
    assert [li.get_text(" ", strip=True) for li in soup.select("ul.errors-list li")] == [
        "content/a.md:10 unknown source 'nope': add it to the bibliography or fix the key"]
    assert ".errors-list li, .errors-list code { color: var(--bad); }" in soup.style.get_text()
    assert len(soup.select("#article-table tbody tr")) == 2


def test_an_unbuildable_site_still_gets_its_errors(make_site: Maker, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    """When nothing can be checked (a broken site.yaml), the page lists the errors alone."""
    root = make_site(good_site(**{"site.yaml": "title: [\n"}))
    soup = dashboard(root, tmp_path, capsys, code=1)
    assert soup.select("ul.errors-list li") and not soup.select("#article-table tbody tr")
    assert "No article could be checked past these errors" in soup.get_text(" ")


def test_unreviewed_articles_count_under_safety(make_site: Maker) -> None:
    """'0 safety' never shows while articles are unreviewed: each counts, and is listed, under safety."""
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n"),
                                  "content/b.md": article("B", EASY + "See [A](a.md).\n", **REVIEWED)}))
    out = io.StringIO()
    assert report.check(Options(root / "site.yaml"), TODAY, "html", out, io.StringIO(), False) == 0
    soup = BeautifulSoup(out.getvalue(), "html.parser")
    assert soup.select_one(".counts li.safety").get_text(" ", strip=True) == "1 safety"
    assert [li.get_text(" ", strip=True) for li in soup.select("#problems-safety + ul li")] == [
        "content/a.md:1 not yet medically reviewed (no reviewed_by and last_reviewed)"]


def test_one_readability_column_per_formula_sorted_the_right_way(make_site: Maker, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture) -> None:
    """English grades and Spanish ease scores in their own columns with their targets; ease sorts descending
    first (easiest first), grades ascending; an article not scored by a column sorts last."""
    root = make_site(spanish_files(**{"site.yaml": SPANISH_EASE}))
    soup = dashboard(root, tmp_path, capsys)
    heads = soup.select("#article-table thead th")
    names = [th.get_text(" ", strip=True) for th in heads]
    assert names[3:5] == ["Flesch-Kincaid grade target 8 or less; lower is easier",
                          "Fernández Huerta ease target 60 or more; higher is easier"]
    assert [heads[3]["data-first"], heads[4]["data-first"]] == ["ascending", "descending"]
    rows = {tr.th["data-sort"]: tr.find_all("td") for tr in soup.select("#article-table tbody tr")}
    assert rows["alfa"][2]["data-sort"] == "" and rows["alfa"][3]["data-sort"] != ""
    assert rows["a"][2]["data-sort"] != "" and rows["a"][3]["data-sort"] == ""
    assert 'if (x === "" || y === "")' in soup.script.get_text()


def test_rows_link_to_the_source_file_and_the_page(make_site: Maker, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    """By default a link relative to the dashboard's folder (a file: URL in the browser); the page's address."""
    root = make_site(good_site())
    soup = dashboard(root, tmp_path, capsys)
    links = [a["href"] for a in soup.select("#article-table tbody th a")]
    relative = Path("..", "site", "content")  # from tmp_path/reports/ to the site folder's content
    assert links == [(relative / "a.md").as_posix(), "https://test.example/a/",
                     (relative / "b.md").as_posix(), "https://test.example/b/"]
    assert (tmp_path / "reports" / links[0]).resolve() == (root / "content" / "a.md").resolve()


def test_an_editor_url_pattern_from_site_yaml(make_site: Maker, tmp_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    """editor_url: {path} is the file's absolute path, {line} its first problem's line (else 1)."""
    files = good_site(**{"content/a.md": article("A", "Keep moving. See [B](b.md).\n", **REVIEWED)})
    files["site.yaml"] = (Path(__file__).parent.parent / "tests" / "conftest.py").read_text().split(
        'SITE_YAML = """\\\n')[1].split('"""')[0] + 'editor_url: "vscode://file/{path}:{line}"\n'
    root = make_site(files)
    soup = dashboard(root, tmp_path, capsys)
    links = [a["href"] for a in soup.select("#article-table tbody th a")]
    assert links[0] == f"vscode://file/{(root / 'content' / 'a.md').resolve().as_posix()}:9"
    assert links[2] == f"vscode://file/{(root / 'content' / 'b.md').resolve().as_posix()}:1"


@pytest.mark.browser
def test_nothing_is_cut_at_320_px(make_site: Maker, tmp_path: Path, capsys: pytest.CaptureFixture, browser) -> None:
    """At 320 px, light and dark, nothing outside the table's scroll box is wider than the screen."""
    root = make_site(spanish_files())
    dashboard(root, tmp_path, capsys)
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 320, "height": 800}, color_scheme=scheme)
        page.goto((tmp_path / "reports" / "dashboard.html").as_uri())
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *')).filter(el =>
            !el.closest('.scroll') && !el.closest('svg') &&
            el.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(el => el.tagName)""")
        assert wide == [] and page.evaluate("document.documentElement.scrollWidth") == 320
        page.close()
