"""Whole builds: outputs, determinism, atomic writing and the output-folder refusals."""

from __future__ import annotations

import hashlib
import re
import shutil
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import FIXTURE, SITE_YAML, article, build_copy, copy_site

ATOM = "{http://www.w3.org/2005/Atom}"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once."""
    return build_copy(FIXTURE, tmp_path_factory.mktemp("fixture"))


def test_every_output_is_written(fixture_site: Path) -> None:
    """Home, articles, topics, 404, sitemap, robots, feed and fingerprinted CSS; drafts left out."""
    names = set(tree(fixture_site))
    assert {"index.html", "alpha/index.html", "beta/index.html", "gamma/index.html", "topics/index.html",
            "topics/back/index.html", "topics/running/index.html", "topics/rare/index.html", "404.html",
            "sitemap.xml", "robots.txt", "feed.xml"} <= names
    assert "delta/index.html" not in names
    css = [n for n in names if n.startswith("style.") and n.endswith(".css")]
    digest = hashlib.sha256((FIXTURE / "static" / "style.css").read_bytes()).hexdigest()[:10]
    assert css == [f"style.{digest}.css"]
    assert f'href="/style.{digest}.css"' in (fixture_site / "alpha" / "index.html").read_text()


def test_home_groups_articles_by_topic(fixture_site: Path) -> None:
    """The home page lists the library grouped by each article's first topic."""
    page = BeautifulSoup((fixture_site / "index.html").read_text(), "html.parser")
    groups = {s.find("h2").get_text(): [c.find(class_="card-title").get_text() for c in s.find_all("article")]
              for s in page.find_all("section", class_="topic-group")}
    assert groups == {"Back": ["Alpha: back pain basics"], "Rare topic": ["Gamma"], "Running": ["Beta"]}


def test_read_more_cards_markup(fixture_site: Path) -> None:
    """Cards: title heading, teaser, and a 'Read more' link whose accessible name includes the title."""
    page = BeautifulSoup((fixture_site / "alpha" / "index.html").read_text(), "html.parser")
    cards = page.find("section", class_="read-more").find_all("article", class_="card")
    assert [c.find(["h2", "h3"]).get_text() for c in cards] == ["Gamma", "Beta"]
    link = cards[1].find("a")
    assert link["href"] == "/beta/"
    assert link.get_text() == "Read more about Beta"
    assert next(link.strings) == "Read more"
    description = re.search(r'^description: "(.*)"$', (FIXTURE / "content" / "beta.md").read_text(), re.M)[1]
    assert len(description) > 160 and cards[1].find("p", class_="card-teaser").get_text() == description


def test_review_dates_and_honest_unreviewed(fixture_site: Path) -> None:
    """Reviewed pages show both dates in time elements; others say they are not yet reviewed."""
    beta = BeautifulSoup((fixture_site / "beta" / "index.html").read_text(), "html.parser")
    review = beta.find(class_="page-review")
    assert [t["datetime"] for t in review.find_all("time")] == ["2026-03-01", "2027-03-01"]
    assert "Page last reviewed" in review.get_text() and "Next review due" in review.get_text()
    alpha = BeautifulSoup((fixture_site / "alpha" / "index.html").read_text(), "html.parser")
    assert "Not yet medically reviewed" in alpha.find(class_="page-review").get_text()


def test_article_page_hooks(fixture_site: Path) -> None:
    """Key takeaways, contents, references with back-links, disclaimer and call to action."""
    page = BeautifulSoup((fixture_site / "alpha" / "index.html").read_text(), "html.parser")
    assert page.find("main", id="main") and page.find("a", href="#main")
    assert [li.get_text() for li in page.find("section", class_="key-takeaways").find_all("li")] == [
        "Most back pain gets better.", "Keep moving."]
    assert [a["href"] for a in page.find("nav", class_="contents").find_all("a")] == [
        "#what-it-is", "#phases", "#third", "#fourth"]
    refs = page.find("section", class_="references", id="references").find("ol").find_all("li", recursive=False)
    assert [li["id"] for li in refs] == ["ref-1", "ref-2"]
    assert [a["href"] for a in refs[0].find_all("a", class_="backref")] == ["#cite-1-1", "#cite-1-2"]
    assert page.select_one(".disclaimer p").get_text(strip=True) == "General information only."
    assert str(page.select(".disclaimer p")[1].a) == '<a href="tel:999">999</a>'  # the fact emergency-number
    assert len(page.find_all("h1")) == 1
    assert len(page.find_all("script", type="application/ld+json")) == 1
    assert page.find("link", rel="canonical")["href"] == "https://fixture.example/alpha/"


def test_short_pages_have_no_contents(fixture_site: Path) -> None:
    """The contents list appears only with four or more sections."""
    page = BeautifulSoup((fixture_site / "beta" / "index.html").read_text(), "html.parser")
    assert page.find("nav", class_="contents") is None


def test_feed_is_valid_atom(fixture_site: Path) -> None:
    """The feed is Atom with the newest article first and its updated from content dates."""
    root = etree.fromstring((fixture_site / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated").text == "2026-03-01T00:00:00Z"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Fixture Publisher"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        "https://fixture.example/beta/", "https://fixture.example/alpha/", "https://fixture.example/gamma/"]
    for entry in entries:
        assert entry.find(f"{ATOM}title").text and entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href") == entry.find(f"{ATOM}id").text


def test_sitemap_and_robots(fixture_site: Path) -> None:
    """The sitemap lists every public page; robots.txt points to it."""
    root = etree.fromstring((fixture_site / "sitemap.xml").read_bytes())
    locs = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for u in root]
    assert "https://fixture.example/alpha/" in locs and "https://fixture.example/topics/rare/" in locs
    assert not any("delta" in loc or "404" in loc for loc in locs)
    assert "Sitemap: https://fixture.example/sitemap.xml" in (fixture_site / "robots.txt").read_text()


def test_404_page_has_a_way_back(fixture_site: Path) -> None:
    """The 404 page links home."""
    page = BeautifulSoup((fixture_site / "404.html").read_text(), "html.parser")
    assert page.find("h1").get_text() == "Page not found"
    assert page.find("main").find("a", href="/")


def test_drafts_option_publishes_drafts(tmp_path: Path) -> None:
    """--drafts includes draft articles."""
    assert (build_copy(FIXTURE, tmp_path, drafts=True) / "delta" / "index.html").exists()


def test_two_builds_in_different_folders_are_identical(tmp_path: Path, fixture_site: Path) -> None:
    """Same inputs, same bytes; no absolute path of the build machine in the output."""
    build(Options(copy_site(FIXTURE, tmp_path / "copy"), tmp_path / "elsewhere" / "site"))
    second = tree(tmp_path / "elsewhere" / "site")
    assert second == tree(fixture_site)
    for data in second.values():
        for path in (str(tmp_path), str(FIXTURE), str(Path.home())):
            assert path.encode() not in data


def test_build_never_changes_content(make_site) -> None:
    """The content folder is byte-identical after a build."""
    root = make_site({"content/a.md": article("A", body="Text.\n")})
    before = tree(root / "content")
    build(Options(root / "site.yaml"))
    assert tree(root / "content") == before


def test_rebuild_replaces_the_previous_site(make_site) -> None:
    """A second build swaps in the new site and leaves no temporary folders."""
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml"))
    (root / "content" / "a.md").unlink()
    (root / "content" / "b.md").write_text(article("B"))
    build(Options(root / "site.yaml"))
    assert not (root / "_site" / "a").exists() and (root / "_site" / "b" / "index.html").exists()
    assert sorted(p.name for p in root.iterdir()) == [".healthsite-cache", "_site", "content", "site.yaml", "static", "templates"]


@pytest.mark.parametrize("where", ["site", "content", "inside-content", "templates", "static-parent", "root",
                                   "home", "foreign"])
def test_refuses_dangerous_output_folders(where: str, make_site, monkeypatch) -> None:
    """The build refuses output folders whose replacement could destroy something else."""
    root = make_site({"content/a.md": article("A")})
    home = root.parent / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    foreign = root.parent / "documents"
    foreign.mkdir()
    (foreign / "letter.txt").write_text("keep me")
    out = {"site": root, "content": root / "content", "inside-content": root / "content" / "out",
           "templates": root / "templates", "static-parent": root / "static" / "..", "root": Path("/"),
           "home": home, "foreign": foreign}[where]
    before = tree(root.parent)
    with pytest.raises(BuildError) as caught:
        build(Options(root / "site.yaml", out))
    [problem] = caught.value.problems
    assert problem.path == "site.yaml" and "refusing output folder" in problem.message
    assert tree(root.parent) == before


def test_parallel_build_equals_single_process(make_site, tmp_path: Path, monkeypatch) -> None:
    """A build on process pools (articles, then the preview cards while the pages render) gives the same bytes as
    one in a single process."""
    from healthsite.model import workers
    pools: list[int] = []
    monkeypatch.setattr(workers, "_pool", lambda n, args, pool=workers._pool: pools.append(n) or pool(n, args))
    files = {f"content/a{i:02d}.md": article(f"Article {i}", body=f"Text {i} [link](a{(i + 1) % 40:02d}.md).\n\n"
                                            "## Part\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
                                            tags=f"[t{i % 3}]", date=f"2026-01-{1 + i % 28:02d}")
             for i in range(40)}
    root = make_site(files)
    progress: list[tuple[int, int]] = []
    build(Options(root / "site.yaml", tmp_path / "two", jobs=2, clean=True, progress=lambda d, t: progress.append((d, t))))
    assert pools == [2, 2] and progress[-1] == (40, 40)
    shutil.rmtree(root / ".healthsite-cache")
    build(Options(root / "site.yaml", tmp_path / "one", jobs=1, clean=True))
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_corrupt_cache_is_ignored_with_a_warning(make_site) -> None:
    """A damaged cache file is never trusted: the build warns and renders everything."""
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml"))
    (root / ".healthsite-cache" / "cache.sqlite").write_bytes(b"not a cache")
    (root / "content" / "a.md").write_text(article("A changed"))
    report = build(Options(root / "site.yaml"))
    assert [p.message.split(":")[0] for p in report.notices] == ["build cache ignored"]
    assert "A changed" in (root / "_site" / "a" / "index.html").read_text()


def test_nothing_changed_rebuild_writes_nothing(make_site) -> None:
    """A rebuild with no change writes no file; one edit rewrites only what shows it."""
    root = make_site({f"content/{n}.md": article(n.upper(), tags=f"[{t}]") for n, t in
                      (("a", "x"), ("b", "x"), ("c", "y"), ("d", "y"), ("e", "z"))})
    first = build(Options(root / "site.yaml"))
    assert first.written == first.files
    unchanged = build(Options(root / "site.yaml"))
    assert (unchanged.written, unchanged.pages, unchanged.files) == (0, first.pages, first.files)
    (root / "content" / "e.md").write_text(article("E", body="Edited body.\n", tags="[z]"))
    assert build(Options(root / "site.yaml")).written < first.files


def test_search_index_present_in_every_build(make_site) -> None:
    """Pagefind's index is in the output of every build: cold, unchanged, after an edit elsewhere and in an article."""
    root = make_site({"content/a.md": article("A", body="Cadence matters.\n"), "content/b.md": article("B")})
    out = root / "_site"

    def index() -> dict[str, bytes]:
        return {k: v for k, v in tree(out).items() if k.startswith("pagefind/")}

    build(Options(root / "site.yaml"))
    first = index()
    assert "pagefind/pagefind.js" in first and any(k.startswith("pagefind/fragment/") for k in first)
    assert build(Options(root / "site.yaml")).written == 0 and index() == first
    (root / "static" / "extra.txt").write_text("not a page\n")
    build(Options(root / "site.yaml"))
    assert index() == first
    (root / "content" / "b.md").write_text(article("B", body="Stride length matters too.\n"))
    build(Options(root / "site.yaml"))
    assert index() != first and "pagefind/pagefind.js" in index()
    clean = root.parent / "clean"
    build(Options(root / "site.yaml", clean, clean=True))
    assert {k: v for k, v in tree(clean).items() if k.startswith("pagefind/")} == index()


def test_site_builds_without_search_when_pagefind_cannot_run(make_site, monkeypatch) -> None:
    """A Pagefind binary that cannot run gives a warning, the site is built without search, and the next
    build, once Pagefind works again, indexes it (the failed build is no base for the shortcut)."""
    root = make_site({"content/a.md": article("A")})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(root / "no-such-binary"))
    report = build(Options(root / "site.yaml"))
    assert [p.message.split(":")[0] for p in report.notices] == ["search index not built"]
    assert (root / "_site" / "a" / "index.html").exists() and not (root / "_site" / "pagefind").exists()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert build(Options(root / "site.yaml")).notices == []
    assert (root / "_site" / "pagefind" / "pagefind.js").exists()


def test_search_can_be_turned_off(make_site) -> None:
    """`search: false` builds no index, no search page and no link to it."""
    root = make_site({"site.yaml": SITE_YAML + "search: false\n", "content/a.md": article("A")})
    build(Options(root / "site.yaml"))
    names = set(tree(root / "_site"))
    assert not any(n.startswith(("pagefind/", "search/")) for n in names)
    assert "/search/" not in (root / "_site" / "a" / "index.html").read_text()


def test_cache_from_another_format_or_engine_is_not_trusted(make_site) -> None:
    """A cache written by another format or engine version is ignored with a warning, and everything is rendered."""
    import json
    import sqlite3
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml"))
    path = root / ".healthsite-cache" / "cache.sqlite"

    def rewrite(**changes: object) -> None:
        with sqlite3.connect(path) as db:
            [value] = db.execute("SELECT value FROM meta").fetchone()
            db.execute("UPDATE meta SET value = ?", (json.dumps({**json.loads(value), **changes}),))
        db.close()

    rewrite(engine="another engine")
    report = build(Options(root / "site.yaml"))
    assert [p.message for p in report.notices] == [
        "build cache ignored: made by another version of the engine or its libraries"]
    assert report.written == report.files
    rewrite(format=0)
    assert [p.message for p in build(Options(root / "site.yaml")).notices] == [
        "build cache ignored: another format"]


def test_build_never_writes_drafts(tmp_path: Path) -> None:
    """A plain build leaves the draft out of the output, sitemap, feed, cards and listings."""
    out = build_copy(FIXTURE, tmp_path)
    text = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml"))
    assert not (out / "delta").exists() and b"/delta/" not in text and b"draft-banner" not in text


def test_drafts_build_is_a_separate_preview(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """--drafts writes to _preview/ (never output_dir), says so, and keeps drafts out of every listing."""
    from healthsite.commands.cli import main
    config = copy_site(FIXTURE, tmp_path / "site")
    assert main(["--config", str(config), "--drafts"]) == 0
    err = capsys.readouterr().err
    preview, published = config.parent / "_preview", config.parent / "_site"
    assert "this is a preview with drafts: do not publish" in err and "_preview" in err
    assert not published.exists()
    draft = (preview / "delta" / "index.html").read_text()
    assert '<p class="draft-banner" role="note"><strong>Draft</strong>' in draft
    assert "data-pagefind-body" not in draft and "data-pagefind-body" in (preview / "alpha" / "index.html").read_text()
    listings = [preview / "sitemap.xml", preview / "feed.xml", preview / "index.html", *preview.glob("topics/**/*.html"),
                *(preview / slug / "index.html" for slug in ("alpha", "beta", "gamma"))]
    assert [p for p in listings if "/delta/" in p.read_text()] == []


def test_drafts_refused_in_the_published_folder(tmp_path: Path) -> None:
    """A preview cannot be written over the published site."""
    config = copy_site(FIXTURE, tmp_path / "site")
    with pytest.raises(BuildError) as caught:
        build(Options(config, config.parent / "_site", drafts=True))
    assert [str(p) for p in caught.value.problems] == [
        "site.yaml:1: error: a build with drafts is a preview and cannot go to the published folder _site "
        "(output_dir); leave out --out to write it to _preview/"]


def test_preview_still_refuses_links_to_drafts(make_site) -> None:
    """In a preview a published article linking to a draft is the same error as in a build; drafts may link."""
    root = make_site({"content/a.md": article("A", "See [d](d.md).\n"), "content/d.md": article("D", draft="true"),
                      "content/e.md": article("E", "See [d](d.md) and [a](/a/).\n", draft="true")})
    for drafts in (False, True):
        with pytest.raises(BuildError) as caught:
            build(Options(root / "site.yaml", drafts=drafts, jobs=1))
        assert [str(p) for p in caught.value.problems if p.level == "error"] == [
            "content/a.md:6: error: link to 'd.md': the article is a draft (publish it or remove the link)"]

def test_a_reference_has_one_short_outward_link_and_lettered_back_links() -> None:
    """A source links out once: its DOI (label doi:...) if it has one, else its URL (label: the host); a
    source cited once has one "↩" back-link, one cited several times a letter per use."""
    from healthsite.reading.bibliography import Source
    from healthsite.rendering.htmlpages import Reference
    both = Source("a", "A.", url="https://www.example.org/paper/1", doi="10.1/xyz")
    assert both.link == ("https://doi.org/10.1/xyz", "doi:10.1/xyz")
    assert Source("b", "B.", url="https://www.nhs.uk/conditions/back-pain/").link == (
        "https://www.nhs.uk/conditions/back-pain/", "nhs.uk")
    assert Source("c", "C.").link is None
    assert Reference(2, both, 1).backlinks() == [("#cite-2-1", "\u21a9\ufe0e", "Back to citation 2 in the text")]
    many = Reference(3, both, 28).backlinks()
    assert [text for _, text, _ in many][:3] == ["a", "b", "c"] and many[26][1:] == (
        "aa", "Back to citation 3 in the text, use aa")
    assert many[27][0] == "#cite-3-28"


def test_a_build_with_nothing_changed_gives_the_same_warnings(make_site) -> None:
    """The nothing-changed shortcut reports the warnings of the build it skips, in order, and prints them as that
    build would have (their stored text, not decoded again)."""
    from healthsite.writing import cache
    root = make_site({"content/a.md": article("A", body="A sentense with a mispelling.\n"),
                      "content/b.md": article("B", body="Anothr one.\n")})
    first = build(Options(root / "site.yaml"))
    again = build(Options(root / "site.yaml"))
    assert again.written == 0 and len(first.warnings) >= 2
    assert cache.printed(again.warnings) == "".join(f"{p}\n" for p in first.warnings)
    assert list(again.warnings) == list(first.warnings) and again.warnings == first.warnings
