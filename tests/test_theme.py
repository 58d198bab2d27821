"""The theme without a browser: page weight, a strict Content-Security-Policy, and the markup hooks on the real site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from healthsite.pipeline import Options, build
from tests.conftest import FIXTURE, REPO, article, build_copy

WEIGHT_LIMIT = 60 * 1024
LEVELS = {"non-urgent": "Non-urgent advice:", "urgent": "Urgent advice:", "emergency": "Immediate action required:"}


@pytest.fixture(scope="module", params=["real", "fixture"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site and the fixture site (every feature), each built once from a temporary copy."""
    return build_copy(REPO if request.param == "real" else FIXTURE, tmp_path_factory.mktemp(request.param))


def soups(out: Path) -> dict[str, BeautifulSoup]:
    """Every HTML page of a built site, parsed, by path."""
    return {p.relative_to(out).as_posix(): BeautifulSoup(p.read_text(), "html.parser")
            for p in sorted(out.rglob("*.html"))}


def articles(out: Path) -> dict[str, BeautifulSoup]:
    """The article pages of a built site, by path."""
    return {path: soup for path, soup in soups(out).items() if soup.find("article", class_="article")}


def test_article_page_with_its_css_is_under_60_kb(site: Path) -> None:
    """Each article page plus every stylesheet it links weighs under 60 KB uncompressed."""
    weights = {}
    for path, soup in articles(site).items():
        sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
        assert sheets
        weights[path] = (site / path).stat().st_size + sum((site / h.lstrip("/")).stat().st_size for h in sheets)
    assert weights and {p: w for p, w in weights.items() if w >= WEIGHT_LIMIT} == {}


def test_pages_work_under_a_strict_content_security_policy(site: Path) -> None:
    """No inline script, style element, style attribute, event handler, javascript: URL or third-party file."""
    found = []
    for path, soup in soups(site).items():
        for tag in soup.find_all(True):
            attributes = tag.attrs
            if "style" in attributes or any(name.lower().startswith("on") for name in attributes):
                found.append(f"{path}: <{tag.name}> has an inline style or event handler")
            if tag.name == "style":
                found.append(f"{path}: <style> element")
            if tag.name == "script" and not tag.get("src") and tag.get("type") != "application/ld+json":
                found.append(f"{path}: inline script")
            for name in ("href", "src", "action"):
                value = str(tag.get(name, "")).strip().lower()
                if value.startswith("javascript:"):
                    found.append(f"{path}: javascript: URL")
                if name != "href" and value.startswith(("http:", "https:", "//")):
                    found.append(f"{path}: third-party {name} {value}")
            if tag.name == "link" and str(tag.get("href", "")).startswith(("http:", "https:", "//")) \
                    and "canonical" not in tag.get("rel", []) and "alternate" not in tag.get("rel", []):
                found.append(f"{path}: third-party <link> {tag['href']}")
    assert found == []


def test_stylesheet_loads_nothing_else() -> None:
    """The stylesheet imports nothing and uses no web fonts or remote images (the system font stack is enough)."""
    css = (REPO / "static" / "style.css").read_text()
    assert not re.search(r"@import|@font-face|url\(", css)
    assert "prefers-color-scheme: dark" in css and "@media print" in css


def test_headers_example_is_published_with_a_strict_policy(site: Path) -> None:
    """static/_headers reaches the output root unchanged and sets default-src 'self' for every path."""
    published = (site / "_headers").read_text()
    assert published == (REPO / "static" / "_headers").read_text()
    policy = re.search(r"^/\*\n(?:  .*\n)*?  Content-Security-Policy: (.*)$", published, re.MULTILINE)
    assert policy and policy.group(1).startswith("default-src 'self';") and "unsafe-inline" not in published


def test_every_page_has_the_shared_hooks(site: Path) -> None:
    """Skip link first, to `<main id="main">`; one h1; a site header, navigation and footer on every page."""
    for path, soup in soups(site).items():
        first_link = soup.body.find("a")
        assert first_link["href"] == "#main" and "skip-link" in first_link["class"], path
        assert soup.find("main", id="main"), path
        assert len(soup.find_all("h1")) == 1, path
        assert soup.find("header", class_="site-header") and soup.find("footer", class_="site-footer"), path
        assert soup.find("nav", attrs={"aria-label": "Site"}), path
        assert soup.html["lang"], path


def test_article_pages_have_the_theme_contract(site: Path) -> None:
    """Review dates, disclaimer, call to action, 3 Read More cards, JSON-LD in the head, on every article."""
    pages = articles(site)
    assert pages
    for path, soup in pages.items():
        assert soup.find(class_="page-review") and soup.find(class_="disclaimer"), path
        assert soup.find(class_="call-to-action"), path
        [script] = soup.find_all("script", type="application/ld+json")
        assert script.parent.name == "head", path
        cards = soup.find("section", class_="read-more").find_all("article", class_="card")
        assert 1 <= len(cards) <= 3, path
        for card in cards:
            link = card.find("a", class_="card-link")
            title = card.find(class_="card-title").get_text()
            assert next(link.strings) == "Read More" and title in link.get_text(), path
            assert card.find("p", class_="card-teaser"), path


def test_components_keep_their_markup(site: Path) -> None:
    """Care cards, FAQ, tables, citations and references have the markup the stylesheet and readers rely on."""
    seen = set()
    for path, soup in articles(site).items():
        for card in soup.select("div.care-card"):
            level = next(c.removeprefix("care-card--") for c in card["class"] if c.startswith("care-card--"))
            title = card.find(["h2", "h3", "h4"], class_="care-card__title")  # one level below its section
            hidden = title.find(True)
            assert hidden.name == "span" and "visually-hidden" in hidden["class"], path
            assert hidden.get_text() == LEVELS[level], path
            assert card.find("div", class_="care-card__content"), path
            seen.add(level)
        for item in soup.select("section.faq > details.faq-item"):
            assert item.find(True).name == "summary" and item.find("div", class_="faq-answer"), path
            seen.add("faq")
        for box in soup.select("div.table-scroll"):
            assert box["role"] == "region" and box["tabindex"] == "0" and box.find("table").find("caption"), path
            seen.add("table")
        for link in soup.select("sup.citations a"):
            assert soup.find("li", id=link["href"].removeprefix("#")), path
            seen.add("citation")
        for item in soup.select("section.references#references ol > li"):
            assert re.fullmatch(r"ref-\d+", item["id"]) and item.find("a", class_="backref"), path
            seen.add("reference")
    assert seen == {"non-urgent", "urgent", "emergency", "faq", "table", "citation", "reference"}


def test_social_image_from_static_or_an_absolute_url(make_site) -> None:
    """`image` names a file in static/ (published fingerprinted, absolute URL) or is already an absolute URL."""
    root = make_site({"static/img/spine.png": "png", "content/a.md": article("A", image='"/img/spine.png"',
                                                                          image_alt='"A spine"'),
                      "content/b.md": article("B", image='"https://cdn.example/b.png"', image_alt='"B"')})
    build(Options(root / "site.yaml", root / "out"))
    meta = {slug: BeautifulSoup((root / "out" / slug / "index.html").read_text(), "html.parser")
            .find("meta", property="og:image")["content"] for slug in ("a", "b")}
    assert re.fullmatch(r"https://test\.example/img/spine\.[0-9a-f]{10}\.png", meta["a"])
    assert meta["b"] == "https://cdn.example/b.png"
