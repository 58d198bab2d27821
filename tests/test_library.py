"""The shipped library: every published article cited, readable, linked, safe and honest about review.

The house rules apply to every published article found in content/, never to a hard-coded list of slugs.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from healthsite.review import editorial
from healthsite.model import readability
from healthsite.reading.config import load_config
from healthsite.pipeline import Options, build
from healthsite.model.sources import make_site, read_sources
from tests.conftest import REPO, build_copy, copy_site

# The house rules come from site.yaml (`editorial:`, and the clinical rules `rules:`), what is about this library
# alone from here.
CONFIG = load_config(REPO / "site.yaml", REPO)[0]
RULES = CONFIG.editorial
MIN_CITATIONS = RULES.min_citations  # distinct sources cited by every article
MIN_CROSS_LINKS = RULES.min_cross_links  # distinct in-text links to other articles
MAX_MEDIAN_GRADE = RULES.pass_grade  # median Flesch-Kincaid grade of the library
MAX_GRADE = RULES.pass_grade  # no article above this grade
MIN_WORDS = RULES.min_words  # words of prose in every article body
MAX_DESCRIPTION = RULES.max_description  # characters: cards show the description whole
OVERVIEW = CONFIG.start_here.removesuffix(".md")  # the hub ("Start here") article links to every other article
BACK_PAIN_TAGS = {"back-pain", "running"}

MIRRORS = ("moam.info", "scribd.com", "docplayer", "lawserver.com", "uslawyerdatabase.com", "fda.report")
INTERNAL_NOTE = re.compile(r"\s*\([^()]*\bnot seen\b[^()]*\)", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """The real site, read and assembled (from a copy, so nothing is written into the repository)."""
    config = copy_site(REPO, tmp_path_factory.mktemp("library") / "site")
    return make_site(read_sources(Options(config)))


@pytest.fixture(scope="module")
def stats(site) -> dict[str, readability.TextStats]:
    """Readability measurements of every article."""
    return {slug: readability.measure(site.bodies[slug].prose) for slug in site.pages}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built from a copy."""
    return build_copy(REPO, tmp_path_factory.mktemp("library-built"))


def html(out: Path, slug: str) -> BeautifulSoup:
    """A built article page."""
    return BeautifulSoup((out / slug / "index.html").read_text(), "html.parser")


def discusses_back_pain(page) -> bool:
    """Whether an article is about back pain (by its topics)."""
    return bool(BACK_PAIN_TAGS & set(page.meta.tags))


def test_every_article_file_is_published(site) -> None:
    """Every Markdown article in content/ is a page, and none is a draft."""
    files = {path.stem for path in (REPO / "content").glob("*.md")}
    assert set(site.pages) == files and len(files) >= 14
    assert not [page.slug for page in site.pages.values() if page.meta.draft]


def test_citations_resolve_and_every_article_is_cited(site) -> None:
    """Every article cites at least MIN_CITATIONS distinct sources, all from the bibliography."""
    for slug, body in site.bodies.items():
        keys = {key for key, _ in body.citations}
        assert len(keys) >= MIN_CITATIONS, (slug, sorted(keys))
        assert keys <= set(site.bibliography), slug


def test_in_text_cross_links(site) -> None:
    """Every article links in its text to at least MIN_CROSS_LINKS other articles."""
    for slug, body in site.bodies.items():
        targets = {link.target.split("#")[0] for link in body.links} - {f"{slug}.md"}
        assert len(targets) >= MIN_CROSS_LINKS, (slug, targets)


def test_bibliography_only_holds_acceptable_sources(site) -> None:
    """Every source meets the writing guide's bar: a full citation, a secure link (https or a DOI), and editorial
    notes saying what it covers and supports."""
    for key, source in site.bibliography.items():
        assert len(source.citation.split()) >= 4, key
        assert source.doi or source.url.startswith("https://"), key
        assert source.topics and source.facts, key


def test_sources_link_safely_and_carry_no_internal_notes(site) -> None:
    """No source is reached through plain http:// or a document mirror, and no citation keeps a working note."""
    for key, source in site.bibliography.items():
        assert not source.url.startswith("http://") and not any(m in source.url for m in MIRRORS), key
        assert not INTERNAL_NOTE.search(source.citation), key


def test_takeaways_descriptions_authors_and_no_invented_reviewers(site) -> None:
    """3 to 5 key takeaways, a description cards can show whole, the editorial team as author, no reviewer."""
    for page in site.pages.values():
        assert 3 <= len(page.meta.key_takeaways) <= 5, page.slug
        assert len(page.meta.description) <= MAX_DESCRIPTION, (page.slug, len(page.meta.description))
        assert not page.meta.reviewed_by and not page.meta.last_reviewed
        key = page.meta.author or site.config.default_author
        assert key == "harborline-editorial-team" and site.extras.people[key].meta.name == "Harborline editorial team"
        assert not any(person.meta.credentials for person in site.extras.people.values())  # no invented reviewer


def test_pages_say_they_are_not_yet_medically_reviewed(site, out: Path) -> None:
    """Every article page says honestly that no medical review has happened yet."""
    for slug in site.pages:
        text = html(out, slug).get_text(" ")
        assert "Not yet medically reviewed" in text and "Medically reviewed by" not in text, slug


def test_trust_pages_feedback_and_policy_links(site, out: Path) -> None:
    """The editorial team has a person page; every page's footer links every policy page; every article has the
    report link; the policy pages say honestly that no medical reviewer has signed the library."""
    policies = [page.url for page in site.extras.policies.values()]
    assert len(policies) >= 6 and (out / "people" / "harborline-editorial-team" / "index.html").is_file()
    for path in out.rglob("index.html"):
        links = {a["href"] for a in BeautifulSoup(path.read_text(), "html.parser").select("footer a")}
        assert set(policies) <= links or path.is_relative_to(out / "es") or "pagefind" in path.parts, path
    for slug in site.pages:
        page = html(out, slug)
        assert page.find("a", string="Report a problem with this page")["href"].startswith(
            "mailto:editors@health.example.org?subject="), slug
    review = (out / "pages" / "how-we-write-and-review" / "index.html").read_text()
    assert "No medical reviewer has signed any article in this library yet." in review


def test_no_orphans_and_overview_links_to_all(site) -> None:
    """Every article is reached by another's links or cards; the overview links to every other article."""
    inbound = editorial.inbound_articles(site)
    assert [slug for slug, sources in inbound.items() if not sources] == []
    overview = {link.target.split("#")[0].removesuffix(".md") for link in site.bodies[OVERVIEW].links}
    assert overview >= set(site.pages) - {OVERVIEW}


def test_length_and_readability(stats) -> None:
    """Bodies of MIN_WORDS or more; no article above MAX_GRADE and the median at most MAX_MEDIAN_GRADE."""
    for slug, measured in stats.items():
        assert measured.words >= MIN_WORDS, (slug, measured.words)
        assert measured.grade <= MAX_GRADE, (slug, measured.grade)
    assert statistics.median(s.grade for s in stats.values()) <= MAX_MEDIAN_GRADE


def test_builds_strictly_without_warnings(site, tmp_path: Path) -> None:
    """Every article builds under --strict without a single warning or notice."""
    report = build(Options(copy_site(REPO, tmp_path / "site"), tmp_path / "out", strict=True))
    assert (report.pages, report.warnings, report.notices) == (len(site.pages), [], [])


def test_shared_cards_hold_the_complete_lists(site, out: Path) -> None:
    """The emergency card lists every cauda equina sign, the urgent card every other red flag."""
    for slug in (page.slug for page in site.pages.values() if discusses_back_pain(page)):
        page = html(out, slug)
        emergency = " ".join(card.get_text(" ").lower() for card in page.select("div.care-card--emergency"))
        for sign in ("911", "genitals", "buttocks", "inner thighs", "difficulty peeing", "cannot pee", "bladder",
                     "bowels", "sex", "both legs", "chest pain", "serious accident", "tearing", "collapse"):
            assert sign in emergency, (slug, sign)
        urgent = " ".join(card.get_text(" ").lower() for card in page.select("div.care-card--urgent"))
        for sign in ("fever", "weight", "cancer", "immune", "inject drugs", "spinal injection", "over 50",
                     "osteoporosis", "severe", "worse at night", "swelling", "shape", "foot drop", "unsteady", "steroid"):
            assert sign in urgent, (slug, sign)


def test_clinical_rules_are_in_site_yaml() -> None:
    """The library's clinical rules are data in site.yaml, which every build and check enforces (tests/test_rules.py
    proves the engine does; test_builds_strictly_without_warnings that the library keeps them)."""
    rules, facts = CONFIG.rules, CONFIG.all_facts
    assert any({"back-pain", "running"} <= set(r.tags) and {"back-pain-emergency", "back-pain-urgent"} <= set(r.cards)
               for r in rules.required_cards)
    assert any(r.at_least == "emergency" and "trouble peeing" in r.phrases
               and "dificultad para orinar" in r.translations["es"].phrases for r in rules.care_level)
    assert any(r.card == "back-pain-emergency" and {"both legs", "bladder or bowel"} <= set(r.phrases)
               and "ambas piernas" in r.translations["es"].phrases for r in rules.written_once)
    limits = [r for r in rules.consistent if r.fact == "self-treatment-days"]
    assert limits and all(r.regex and r.translations["es"].regex for r in limits)
    assert facts["self-treatment-days"].value == "10"
    assert any(r.value == "12" and "chronic" in r.regex[0] for r in rules.consistent)
    assert any(r.instead == "Pilates" for r in rules.avoid)
    assert facts["emergency-number"].value == "911" and facts["poison-control"].phone


EMERGENCY_SIGNS = {"chest pain": "dolor en el pecho", "car crash": "choque de auto",
                   "fall from a height": "caída desde una altura", "tearing pain": "desgarrador",
                   "between your shoulders": "entre los omóplatos"}


def test_the_new_emergency_signs_and_limits_are_rules() -> None:
    """The emergency card's signs beyond cauda equina are emergency-only in both languages, and the dose and
    pregnancy limits read the same everywhere (tests/test_rules.py proves a page that breaks them fails)."""
    rules = CONFIG.rules
    for english, spanish in EMERGENCY_SIGNS.items():
        assert any(r.at_least == "emergency" and english in r.phrases and spanish in r.translations["es"].phrases
                   for r in rules.care_level), english
    assert {"ibuprofen-otc-daily-max", "acetaminophen-daily-max", "nsaid-pregnancy-weeks"} <= {
        r.fact for r in rules.consistent if r.translations.get("es")}


CALL = re.compile(r"\b(?:call|llame(?: también)? al)\s+(?:911|1-800-222-1222)\b|\]\(tel:", re.I)


def test_numbers_to_call_come_from_facts() -> None:
    """Every number a reader is told to call is a fact (a tel: link on the page), never typed by hand."""
    files = [*(REPO / "content").rglob("*.md")]
    typed = [f"{path.relative_to(REPO)}:{number}" for path in files
             for number, line in enumerate(path.read_text().split("\n---", 1)[-1].splitlines(), 1)
             if CALL.search(line)]
    assert typed == []


def test_phase_table_has_honest_labels(site, out: Path) -> None:
    """The recovery phases: the first days, early recovery, and pain lasting beyond 6 weeks (not "chronic")."""
    tables = [table for slug in site.pages for table in html(out, slug).select("div.table-scroll table")
              if "phase" in table.caption.get_text().lower()]
    assert len(tables) == 1
    rows = [[c.get_text() for c in tr.find_all(["td", "th"])] for tr in tables[0].find_all("tr")]
    assert [r[:2] for r in rows[1:]] == [["The first days", "0 to 72 hours"], ["Early recovery", "3 days to 6 weeks"],
                                         ["Pain lasting beyond 6 weeks", "More than 6 weeks"]]
    assert all(th.get("scope") == "col" for th in tables[0].find_all("th"))


def test_medicine_safety_sections_exist(out: Path) -> None:
    """Every safety link in site.yaml points at a heading that exists."""
    rules = yaml.safe_load((REPO / "site.yaml").read_text())["safety_links"]
    for rule in rules:
        target, anchor = rule["link"].split("#")
        assert html(out, target.removesuffix(".md")).find(id=anchor) is not None, rule["link"]


def test_faq_renders_with_its_hooks(out: Path, site) -> None:
    """An FAQ article has its accordion of questions."""
    faqs = [slug for slug, body in site.bodies.items() if len(body.faq) >= 5]
    assert faqs
    for slug in faqs:
        questions = [s.get_text() for s in html(out, slug).select("section.faq details.faq-item summary")]
        assert len(questions) >= 5 and all(q.endswith("?") for q in questions), slug
