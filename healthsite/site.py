"""The site: every published page with its rendered body, and the facts that span pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .bibliography import Bibliography
from .cards import read_more, topic_pages
from .cache import engine_digest
from .config import SiteConfig
from .content import Page
from .images import Image
from .markup import Body
from .problems import Problem, error, warning
from .social import Preview, palette, preview
from .typed import did_you_mean

RESERVED = frozenset({"topics", "search", "pagefind", "feed", "sitemap", "404"})
TEASER = 160


@dataclass(frozen=True)
class Card:
    """What a Read More card shows of its target."""

    title: str
    teaser: str
    url: str


@dataclass(frozen=True)
class Topic:
    """A topic with its pages, newest first."""

    slug: str
    title: str
    description: str
    url: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """Everything the outputs need, computed once."""

    config: SiteConfig
    pages: dict[str, Page]
    bodies: dict[str, Body]
    cards: dict[str, tuple[str, ...]]
    topics: dict[str, Topic]
    sources: Bibliography
    images: dict[str, Image]
    static: Path
    colours: tuple[tuple[str, str], ...]

    def url(self, slug: str) -> str:
        """The site path of an article."""
        return f"{self.config.base_path}{slug}/"

    def card(self, slug: str) -> Card:
        """The card data of an article."""
        meta = self.pages[slug].meta
        return Card(meta.title, teaser(meta.description), self.url(slug))

    def preview(self, slug: str) -> Preview:
        """The social preview of an article: its own image, or its generated card."""
        page = self.pages[slug]
        topic = self.topics[page.meta.tags[0]].title if page.meta.tags else ""
        return preview(page, self.config.title, topic, lambda path: self.config.absolute(self.config.base_path + path),
                       self.images, self.static, self.colours, engine_digest())


def teaser(text: str, limit: int = TEASER) -> str:
    """A text cut at a word boundary, marked with '[...]' when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " [...]"


def assemble(config: SiteConfig, pages: list[Page], bodies: dict[str, Body], sources: Bibliography,
             images: dict[str, Image], root: Path) -> Site:
    """Index the published pages by slug and topic and choose every page's cards."""
    by_slug = {page.slug: page for page in sorted(pages, key=lambda p: p.slug)}
    topics = {tag: Topic(tag, *topic_names(config, tag), f"{config.base_path}topics/{tag}/", slugs)
              for tag, slugs in topic_pages(pages).items()}
    return Site(config, by_slug, bodies, read_more(pages), topics, sources, images, root / "static",
                palette(root / "static" / "style.css"))


def topic_names(config: SiteConfig, tag: str) -> tuple[str, str]:
    """A topic's title and description, from site.yaml or derived from its slug."""
    topic = config.topics.get(tag)
    return (topic.title, topic.description) if topic else (tag.replace("-", " ").capitalize(), "")


def check_pages(pages: list[Page], config: SiteConfig, templates: Path) -> list[Problem]:
    """Checks across pages that need no rendering: slugs, related, tags, templates."""
    problems: list[Problem] = []
    owners = Counter(page.slug for page in pages)
    first = {}
    for page in pages:
        first.setdefault(page.slug, page)
        if first[page.slug] is not page:
            problems.append(error(page.source, page.line("slug"), f"slug '{page.slug}' is already used by "
                                  f"{first[page.slug].source} (two articles cannot share /{page.slug}/)"))
        if page.slug in RESERVED:
            problems.append(error(page.source, page.line("slug"), f"slug '{page.slug}' is reserved for the site"))
        problems += _check_refs(page, owners, config, templates)
    return problems


def _check_refs(page: Page, slugs: Counter, config: SiteConfig, templates: Path) -> list[Problem]:
    """A page's related slugs, tags and template must exist."""
    problems = [error(page.source, page.line("related"), f"related article '{slug}' does not exist"
                      f"{did_you_mean(slug, slugs)}") for slug in page.meta.related if slug not in slugs]
    problems += [error(page.source, page.line("related"), "an article cannot be related to itself")
                 for slug in page.meta.related if slug == page.slug]
    if config.topics:
        problems += [error(page.source, page.line("tags"), f"unknown topic '{tag}'"
                           f"{did_you_mean(tag, config.topics)} (topics are listed in site.yaml)")
                     for tag in page.meta.tags if tag not in config.topics]
    name = page.meta.template
    if "/" in name or "\\" in name or name.startswith(".") or not (templates / name).is_file():
        problems.append(error(page.source, page.line("template"), f"template '{page.meta.template}' "
                              f"does not exist in templates/"))
    return problems


def check_links(pages: list[Page], bodies: dict[str, Body]) -> list[Problem]:
    """Every cross-link anchor must exist in its target; links to drafts are flagged by rendering."""
    by_file = {Path(page.source).name: page.slug for page in pages}
    problems = []
    for page in pages:
        for link in bodies[page.slug].links:
            anchors = bodies[by_file[link.target]].anchors
            if link.anchor and link.anchor not in anchors:
                problems.append(error(page.source, link.line, f"link to '{link.target}#{link.anchor}': no heading "
                                      f"with id '{link.anchor}' there{did_you_mean(link.anchor, anchors)}"))
    return problems


def draft_warnings(pages: list[Page], published: set[str]) -> list[Problem]:
    """Warn where a published page names a draft as related."""
    return [warning(page.source, page.line("related"), f"related article '{slug}' is a draft and is not shown")
            for page in pages if page.slug in published for slug in page.meta.related if slug not in published]
