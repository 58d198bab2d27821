"""The theme without a browser: page weight, a strict Content-Security-Policy, and the markup hooks on the real site."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from healthsite.reading import i18n
from healthsite.pipeline import Options, build
from tests.conftest import FIXTURE, REPO, article, build_copy

# 60 KB until the byline linked its people and the policy page, the footer the policy pages and every article
# its feedback link: the largest article was then 84 bytes under 60 KB (Spanish, with its stylesheet).
WEIGHT_LIMIT = 76 * 1024  # the longest clinical pages: 25 sources, a dozen care cards (docs/theme.md)
LEVELS = {"non-urgent": "Non-urgent advice:", "urgent": "Urgent advice:", "emergency": "Immediate action required:"}


@pytest.fixture(scope="module", params=["real", "fixture"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site and the fixture site (every feature), each built once from a temporary copy."""
    return build_copy(REPO if request.param == "real" else FIXTURE, tmp_path_factory.mktemp(request.param))


def soups(out: Path) -> dict[str, BeautifulSoup]:
    """Every HTML page of a built site, parsed, by path."""
    return {p.relative_to(out).as_posix(): BeautifulSoup(p.read_text(), "html.parser")
            for p in sorted(out.rglob("*.html"))}


def said(soup: BeautifulSoup, text: str) -> str:
    """An interface string as a page says it: from the catalog of the page's language (the folder of its URL)."""
    tag = soup.html["lang"]
    code = "" if tag.startswith("en") else tag.split("-")[0]
    return i18n.translations(code).gettext(text)


def articles(out: Path) -> dict[str, BeautifulSoup]:
    """The article pages of a built site, by path."""
    return {path: soup for path, soup in soups(out).items() if soup.find("article", class_="article")}


def test_article_page_with_its_css_is_under_76_kb(site: Path) -> None:
    """Each article page plus every stylesheet it links weighs under 76 KB uncompressed."""
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
    css = (REPO / "healthsite" / "theme" / "static" / "style.css").read_text()
    assert not re.search(r"@import|@font-face|url\(", css)
    assert "prefers-color-scheme: dark" in css and "@media print" in css


def test_headers_example_is_published_with_a_strict_policy(site: Path) -> None:
    """static/_headers reaches the output root (with cache rules added) and sets default-src 'self' for every path."""
    published = (site / "_headers").read_text()
    assert published.startswith((REPO / "healthsite" / "theme" / "static" / "_headers").read_text().rstrip("\n"))
    policy = re.search(r"^/\*\n(?:  .*\n)*?  Content-Security-Policy: (.*)$", published, re.MULTILINE)
    assert policy and policy.group(1).startswith("default-src 'self';") and "unsafe-inline" not in published


def test_every_fingerprinted_file_is_cached_for_a_year(site: Path) -> None:
    """`_headers` gives each fingerprinted file (stylesheet, search script, icon...) a long immutable cache;
    names that can change content (pages, pagefind.js) get none."""
    from tests.test_browser import read_headers
    rules = read_headers(site)

    def cached(path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, pattern) and name == "Cache-Control" and "immutable" in value
                   for pattern, name, value in rules)
    files = ["/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    fingerprinted = [f for f in files if re.search(r"\.[0-9a-f]{10}\.\w+$", f) and "/pagefind/" not in f]
    assert {Path(f).name.split(".")[0] for f in fingerprinted} >= {"style", "icon", "search"} or \
        not (site / "search").exists()
    assert [f for f in fingerprinted if not cached(f)] == []
    assert not any(cached(f) for f in files if f.endswith((".html", "pagefind.js", "pagefind-entry.json", ".xml")))


def test_footer_names_the_publisher_once(site: Path) -> None:
    """The footer says who publishes the site once, without repeating the site's name."""
    for path, soup in soups(site).items():
        text = soup.find("footer", class_="site-footer").get_text(" ", strip=True)
        published = said(soup, "Published by %(publisher)s. General health information, not personal medical "
                                "advice.").split("%")[0]
        assert text.count(published) == 1 and "is published by" not in text, path


def test_cards_are_one_link_with_the_whole_description(site: Path) -> None:
    """Each card holds exactly one link, "Read more" (sentence case) + the title as its name, and the whole
    description."""
    for path, soup in soups(site).items():
        for card in soup.select("article.card"):
            [link] = card.find_all("a")
            title = card.find(class_="card-title").get_text()
            more = said(soup, "Read more")
            assert "card-link" in link["class"] and next(link.strings) == more, path
            assert link.get_text() == f"{more} {said(soup, 'about %(title)s') % {'title': title}}", path
            teaser = card.find("p", class_="card-teaser").get_text()
            assert "[...]" not in teaser and not teaser.endswith("..."), path


def test_home_page_search_form_start_here_and_topic_order(site: Path) -> None:
    """Home: a real GET form to /search/ with a `q` field, a heading other than the site name, the Start here
    card when site.yaml sets start_here, and topic sections in site.yaml order with link headings."""
    home = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    config = yaml.safe_load((site.parent / "site" / "site.yaml").read_text())
    form = home.find("form", class_="search-form")
    assert form["action"] == "/search/" and form["method"] == "get" and form.find("input", attrs={"name": "q"})
    assert home.h1.get_text() != config["title"]
    start = home.select_one("section.start-here article.card")
    if config.get("start_here"):
        slug = config["start_here"].removesuffix(".md")
        assert start and start.find("a")["href"] == f"/{slug}/"
    else:
        assert start is None
    titles = [a.get_text() for a in home.select("section.topic-group > h2 > a.topic-group__link")]
    order = [t["title"] for t in (config.get("topics") or {}).values()]
    assert titles and [t for t in titles if t in order] == [t for t in order if t in titles]


def test_404_page_has_the_search_form_and_topic_links(site: Path) -> None:
    """The 404 page offers the search form and a link to every topic."""
    page = BeautifulSoup((site / "404.html").read_text(), "html.parser")
    form = page.find("form", class_="search-form")
    assert form and form["action"] == "/search/" and form.find("input", attrs={"name": "q"})
    topics = {p.parent.name for p in site.glob("topics/*/index.html")}
    assert {a["href"].strip("/").split("/")[-1] for a in page.select("ul.topic-links a")} == topics


def test_search_page_marks_results_meta_and_has_topic_suggestions(site: Path) -> None:
    """Articles mark their description and topic for Pagefind; the search page holds hidden topic suggestions."""
    for path, soup in articles(site).items():
        assert soup.select_one('[data-pagefind-body] .lede[data-pagefind-meta="description"]'), path
        if soup.select_one("nav.article-topics"):
            assert len(soup.select('nav.article-topics a[data-pagefind-meta="topic"]')) == 1, path
    search = BeautifulSoup((site / "search" / "index.html").read_text(), "html.parser")
    suggestions = search.find(id="search-suggestions")
    assert suggestions.has_attr("hidden") and suggestions.select("ul.topic-links a")


def test_every_page_has_the_shared_hooks(site: Path) -> None:
    """Skip link first, to `<main id="main">`; one h1; a site header, navigation and footer on every page."""
    for path, soup in soups(site).items():
        first_link = soup.body.find("a")
        assert first_link["href"] == "#main" and "skip-link" in first_link["class"], path
        assert soup.find("main", id="main"), path
        assert len(soup.find_all("h1")) == 1, path
        assert soup.find("header", class_="site-header") and soup.find("footer", class_="site-footer"), path
        assert soup.find("nav", attrs={"aria-label": said(soup, "Site")}), path
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
            assert next(link.strings) == said(soup, "Read more") and title in link.get_text(), path
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
            assert hidden.get_text() == said(soup, LEVELS[level]), path
            assert card.find("div", class_="care-card__content"), path
            seen.add(level)
        for item in soup.select("section.faq > details.faq-item"):
            assert item.find(True).name == "summary" and item.find("div", class_="faq-answer"), path
            seen.add("faq")
        for box in soup.select("div.table-scroll"):
            table = box.find("table")
            assert box["role"] == "region" and box["tabindex"] == "0" and table.find("caption"), path
            headers = [th.get_text(strip=True) for th in table.select("thead th")]
            assert table["role"] == "table" and all(tr["role"] == "row" for tr in table.find_all("tr")), path
            for row in table.select("tbody tr"):
                assert [td["data-label"] for td in row.find_all("td")] == headers[:len(row.find_all("td"))], path
                assert all(td["role"] == "cell" for td in row.find_all("td")), path
            seen.add("table")
        for link in soup.select("sup.citations a"):
            assert soup.find("li", id=link["href"].removeprefix("#")), path
            seen.add("citation")
        for item in soup.select("section.references#references ol > li"):
            assert re.fullmatch(r"ref-\d+", item["id"]) and item.find("a", class_="backref"), path
            number = item["id"].removeprefix("ref-")
            outward = [a for a in item.find_all("a") if not a["href"].startswith("#")]
            assert len(outward) <= 1, path
            for a in outward:
                label = a.get_text()
                assert "://" not in label and (label.startswith("doi:") or "/" not in label), path
                assert not label.startswith("doi:") or a["href"] == "https://doi.org/" + label[4:], path
            back = item.find_all("a", class_="backref")
            if len(back) == 1:
                assert back[0].get_text() == "\u21a9\ufe0e", path
                assert back[0]["aria-label"] == said(soup, "Back to citation %(number)s in the text") % {
                    "number": number}, path
            else:
                letters = list("abcdefghijklmnopqrstuvwxyz"[:len(back)])
                shown = letters if len(back) <= 4 else letters[:3]  # many uses: the rest behind "N more"
                assert item.find(class_="backrefs").get_text().split() == ["\u21a9\ufe0e", *shown], path
                more = item.select_one("details.backrefs-more")
                assert (more is None) == (len(back) <= 4), path
                assert more is None or [a.get_text() for a in more.find_all("a")] == letters[3:], path
                start = said(soup, "Back to citation %(number)s in the text") % {"number": number}
                assert all(a["aria-label"].startswith(start) for a in back), path
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
