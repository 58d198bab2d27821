"""HTML pages: each article, the home page, the topic pages and the 404 page, through the theme."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2

from healthsite.reading.bibliography import Source
from healthsite.model.gethelp import contents_first, get_help, need_help
from healthsite.problems import Problem
from healthsite.model.site import Site
from healthsite.rendering.social import preview_of
from healthsite.rendering.switch import language_switch
from healthsite.rendering.structured import article_graph, breadcrumbs, script_json
from healthsite.rendering.trustpages import byline, extra_pages, feedback, footer_links
from healthsite.rendering.templating import render
from healthsite.reading.urls import article_file, page_address

CONTENTS_MIN_SECTIONS = 4


@dataclass(frozen=True)
class Reference:
    """One entry of an article's References list."""

    number: int
    source: Source
    uses: int

    def backlinks(self) -> list[tuple[str, str, str]]:
        """(href, visible text, accessible name) of each link back to a use: "↩" alone, or a letter per use."""
        back = f"Back to citation {self.number} in the text"
        if self.uses == 1:
            return [(f"#cite-{self.number}-1", "\u21a9\ufe0e", back)]
        return [(f"#cite-{self.number}-{use}", letter, f"{back}, use {letter}")
                for use, letter in zip(range(1, self.uses + 1), letters())]


def letters() -> Iterator[str]:
    """a, b, ... z, aa, ab, ...: the labels of a source's several back-links."""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    for size in itertools.count(1):
        yield from ("".join(t) for t in itertools.product(alphabet, repeat=size))


@dataclass(frozen=True)
class TopicLink:
    """A topic as an article page shows it."""

    slug: str
    title: str
    url: str


@dataclass(frozen=True)
class HtmlPage:
    """A page to render: its output path, its template, what it is made from, and how to make its context."""

    path: str
    template: str
    inputs: tuple
    context: Callable[[], dict[str, Any]]


def article_page(site: Site, slug: str) -> HtmlPage:
    """An article's page, with its language versions."""
    page = site.pages[slug]
    inputs = article_inputs(site, slug)
    return _versioned(site, HtmlPage(article_file(slug), page.meta.template, (page.source, page.digest, inputs),
                                 partial(article, site, slug, inputs)))


def other_pages(site: Site) -> Iterator[HtmlPage]:
    """The pages that are not articles (home, topics, search, 404), with their language versions."""
    for page in _other_pages(site):
        yield _versioned(site, page)


def _versioned(site: Site, page: HtmlPage) -> HtmlPage:
    """A page with its language versions among what it is made from."""
    address = page_address(page.path)
    return replace(page, inputs=(*page.inputs, site.versions.get(address, ()), language_switch(site, address),
                                 footer_links(site)))


def _other_pages(site: Site) -> Iterator[HtmlPage]:
    """The pages that are not articles; a context is only built for a page that is rendered."""
    start = site.start_here()
    topics = [TopicLink(t.slug, t.title, t.url) for t in site.topics.values()]
    order = [start] * bool(start) + [slug for slug in site.listed if slug != start]
    yield _fixed("index.html", "home.html", groups=home_groups(site, start), start_here=start and site.card(start),
                 counts={t.url: len(t.pages) for t in site.topics.values()},
                 need_help=need_help(site.config, [(site.url(slug), site.bodies[slug].care_cards) for slug in order]))
    yield _fixed("topics/index.html", "topics.html", topics=list(site.topics.values()))
    for topic in site.topics.values():
        yield _fixed(f"topics/{topic.slug}/index.html", "topic.html", topic=topic,
                     cards=[site.card(s) for s in topic.pages])
    if site.config.search:
        yield _fixed("search/index.html", "search.html", topics=topics, articles=[site.card(s) for s in site.listed])
    yield _fixed("404.html", "404.html", topics=topics)
    for path, template, context in extra_pages(site):
        yield _fixed(path, template, **context)


def _fixed(path: str, template: str, **context: Any) -> HtmlPage:
    """A page whose context is small and is itself what the page is made from."""
    return HtmlPage(path, template, tuple(context.items()), lambda: context)


def article(site: Site, slug: str, inputs: tuple) -> dict[str, Any]:
    """The context of one article's page."""
    page, body = site.pages[slug], site.bodies[slug].loaded()
    lookups, _, cards, trail, topics, sources, preview, credit, links = inputs
    references = [Reference(n, source, uses) for n, (source, (_, uses)) in enumerate(zip(sources, body.citations), 1)]
    return {
        "page": page.meta, "slug": slug, "url": site.url(slug), "body": body,
        "contents": contents_first(body.toc, body.care_cards) if len(body.toc) >= CONTENTS_MIN_SECTIONS else (),
        "get_help": get_help(site.config, body.care_cards),
        "breadcrumbs": trail, "references": references, "topics": topics, "cards": cards, "preview": preview,
        "structured_data": script_json(article_graph(site, slug)),
        "outdated": site.outdated.get(slug, ()), "byline": credit, "feedback": links,
    }


def article_inputs(site: Site, slug: str) -> tuple:
    """What an article page shows beyond its own source: the key of its incremental rebuild."""
    body = site.bodies[slug]
    topics = [TopicLink(t.slug, t.title, t.url) for t in site.topics_of(slug)]
    lookups = tuple(found for found in body.lookups if found[0] != "rules")  # the rules check a body, never change it
    return (lookups, site.outdated.get(slug, ()), [site.card(s) for s in site.cards[slug]], breadcrumbs(site, slug), topics,
            [site.bibliography[key] for key, _ in body.citations], preview_of(site, slug), byline(site, slug),
            feedback(site, slug))


def home_groups(site: Site, start: str | None = None) -> list[tuple[str, str, list]]:
    """Cards grouped by each article's first topic in site.yaml order, untagged last: (title, url, cards); the
    Start here article is not shown twice."""
    def first_topic(slug: str) -> str:
        return (site.pages[slug].meta.tags or ("",))[0]
    groups = [(t.title, t.url, [site.card(s) for s in t.pages if first_topic(s) == t.slug and s != start])
              for t in site.topics.values()]
    untagged = [site.card(slug) for slug, page in site.listed.items() if not page.meta.tags and slug != start]
    return [g for g in groups if g[2]] + ([("More articles", "", untagged)] if untagged else [])


def render_page(env: jinja2.Environment, site: Site, page: HtmlPage, root: Path) -> tuple[bytes | None, list[Problem]]:
    """Render one page with the site-wide context."""
    address = page_address(page.path)
    context = {"site": site.config, "path": site.config.base_path + address,
               "versions": site.versions.get(address, ()), "switch": language_switch(site, address),
               "footer_links": footer_links(site), **page.context()}
    html, problems = render(env, page.template, context, root)
    return (html.encode() if html is not None else None), problems
