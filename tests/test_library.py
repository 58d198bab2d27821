"""The shipped library: every topic present, cited, readable, linked, honest about review."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from healthsite import editorial
from healthsite.pipeline import Options, build, make_site, read_sources
from tests.conftest import REPO, build_copy, copy_site

CLUSTER = ["lower-back-pain-after-running", "why-running-causes-lower-back-pain", "running-surface-and-footwear",
           "preventing-lower-back-pain-in-runners", "treating-lower-back-pain-after-running",
           "running-and-back-pain-faq"]
LIBRARY = ["what-causes-lower-back-pain", "recurring-back-pain", "easing-lower-back-pain-at-home",
           "otc-pain-relievers-for-back-pain", "back-pain-spreading-to-groin", "tailbone-pain-coccydynia",
           "preeclampsia-signs", "missed-prescription-refills"]
SHARED_REFERENCES = REPO.parent / "shared" / "references.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """The real site, read and assembled (from a copy, so nothing is written into the repository)."""
    config = copy_site(REPO, tmp_path_factory.mktemp("library") / "site")
    return make_site(read_sources(Options(config)))


@pytest.fixture(scope="module")
def stats(site) -> dict[str, editorial.TextStats]:
    """Readability measurements of every article."""
    return {slug: editorial.measure(site.bodies[slug].prose) for slug in site.pages}


def test_every_topic_has_its_article(site) -> None:
    """The 14 articles of the content issue, and no drafts or placeholders."""
    assert sorted(site.pages) == sorted(CLUSTER + LIBRARY)


def test_citations_resolve_and_every_article_is_cited(site) -> None:
    """At least 2 citations per article, 3 in the running cluster, all from the bibliography."""
    for slug, body in site.bodies.items():
        assert len(body.citations) >= (3 if slug in CLUSTER else 2), slug
        assert all(key in site.sources for key, _ in body.citations)


@pytest.mark.skipif(not SHARED_REFERENCES.exists(), reason="the checked references are not beside the repository")
def test_bibliography_only_holds_checked_sources(site) -> None:
    """Every bibliography entry is copied unchanged from the checked references."""
    checked = {entry["key"]: entry for entry in yaml.safe_load(SHARED_REFERENCES.read_text())}
    for key, source in site.sources.items():
        assert key in checked
        assert (source.citation, source.url, source.doi) == (checked[key]["citation"], checked[key].get("url", ""),
                                                            checked[key].get("doi", ""))


def test_takeaways_authors_and_no_invented_reviewers(site) -> None:
    """3 to 5 key takeaways, the editorial team as author, and no reviewer anyone made up."""
    for page in site.pages.values():
        assert 3 <= len(page.meta.key_takeaways) <= 5, page.slug
        assert not page.meta.reviewed_by and not page.meta.last_reviewed
        assert (page.meta.author or site.config.default_author) == "Harborline editorial team"


def test_no_orphans_and_overview_links_to_all(site) -> None:
    """Every article is reached by another's links or cards; the overview links to every other article."""
    inbound = editorial.inbound_articles(site)
    assert [slug for slug, sources in inbound.items() if not sources] == []
    overview = {link.target.removesuffix(".md") for link in site.bodies["lower-back-pain-after-running"].links}
    assert overview >= set(CLUSTER + LIBRARY) - {"lower-back-pain-after-running"}
    for slug, body in site.bodies.items():
        assert len({link.target for link in body.links}) >= 2, slug


def test_length_and_readability(stats) -> None:
    """Bodies of 350+ words (cluster 600 to 1,500); every grade at most 10, the median at most 8."""
    for slug, measured in stats.items():
        low, high = (600, 1500) if slug in CLUSTER else (350, 10_000)
        assert low <= measured.words <= high, (slug, measured.words)
    grades = [s.grade for s in stats.values()]
    assert max(grades) <= 10 and statistics.median(grades) <= 8


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built from a copy."""
    return build_copy(REPO, tmp_path_factory.mktemp("library-built"))


def test_builds_without_warnings(tmp_path: Path) -> None:
    """All 14 articles build without a single warning."""
    report = build(Options(copy_site(REPO, tmp_path / "site"), tmp_path / "out"))
    assert (report.pages, report.warnings, report.notices) == (14, [], [])


def test_red_flags_are_care_cards(out: Path) -> None:
    """Back-pain articles carry the emergency card with its three signs; preeclampsia an urgent card."""
    for slug in CLUSTER + LIBRARY[:6]:
        page = BeautifulSoup((out / slug / "index.html").read_text(), "html.parser")
        card = page.find("div", class_="care-card--emergency")
        assert card is not None, slug
        text = card.get_text(" ").lower()
        assert "911" in text and "both legs" in text and "bladder" in text and "bowel" in text, slug
        assert "genital" in text and ("buttock" in text or "bottom" in text), slug
    preeclampsia = BeautifulSoup((out / "preeclampsia-signs" / "index.html").read_text(), "html.parser")
    assert preeclampsia.find("div", class_="care-card--urgent").find("li")


def test_faq_and_phase_table_render_with_their_hooks(out: Path) -> None:
    """The FAQ article has its accordion; the treatment article its captioned phase table."""
    faq = BeautifulSoup((out / "running-and-back-pain-faq" / "index.html").read_text(), "html.parser")
    questions = [s.get_text() for s in faq.select("section.faq details.faq-item summary")]
    assert len(questions) >= 5 and all(q.endswith("?") for q in questions)
    treat = BeautifulSoup((out / "treating-lower-back-pain-after-running" / "index.html").read_text(), "html.parser")
    table = treat.select_one("div.table-scroll table")
    assert table.caption.get_text()
    rows = [[c.get_text() for c in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]
    assert [r[0] for r in rows[1:]] == ["Acute", "Subacute", "Chronic"]
    assert all(th.get("scope") == "col" for th in table.find_all("th"))
