"""The site: every published page with its rendered body, and the facts that span pages."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from healthsite.reading import themefiles
from healthsite.reading.bibliography import Bibliography
from healthsite.model.cards import read_more, topic_pages
from healthsite.reading.config import SiteConfig
from healthsite.reading.content import Page
from healthsite.reading.files import setting_line
from healthsite.reading.images import Image
from healthsite.mdext.markup import Body
from healthsite.problems import Problem, error, warning
from healthsite.model.previews import palette
from healthsite.reading.typed import did_you_mean
from healthsite.reading.urls import article_url

RESERVED = frozenset({"topics", "search", "pagefind", "feed", "sitemap", "404", "people", "pages"})


@dataclass(frozen=True, repr=False)
class Card:
    """What a Read More card shows of its target: its title, its whole description and its URL."""

    title: str
    description: str
    url: str

    def __repr__(self) -> str:
        """As a dataclass shows it, without its guard against recursion (a page's key holds hundreds of cards)."""
        return f"Card(title={self.title!r}, description={self.description!r}, url={self.url!r})"


@dataclass(frozen=True)
class Topic:
    """A topic with its pages, newest first."""

    slug: str
    title: str
    description: str
    url: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Version:
    """One language's version of a page, for hreflang links and the language switch."""

    language: str
    name: str
    path: str  # the page's address on the site, e.g. /es/slug/
    default: bool


@dataclass(frozen=True)
class Site:
    """Everything the outputs need, computed once."""

    config: SiteConfig
    pages: dict[str, Page]
    bodies: dict[str, Body]
    cards: dict[str, tuple[str, ...]]
    topics: dict[str, Topic]
    bibliography: Bibliography  # the sources articles may cite, by key
    images: dict[str, Image]
    static: tuple[Path, ...]  # the site's static/, then the packaged theme's
    colours: tuple[tuple[str, str], ...]
    drafts: frozenset[str] = frozenset()
    code: str = ""  # the language folder of a translated edition ("" for the default language)
    editions: tuple[Site, ...] = ()  # the translated editions (on the default language's site)
    versions: dict[str, tuple[Version, ...]] = field(default_factory=dict)  # by address: every language's page
    sources_of: dict[str, str] = field(default_factory=dict)  # a translation's slug -> its source's file name
    outdated: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> source sections changed since
    extras: Any = None  # sidepages.Extras: the edition's people, policy pages and reviews changed since

    @property
    def listed(self) -> dict[str, Page]:
        """The pages readers can find: every page but the drafts a preview shows."""
        return {slug: page for slug, page in self.pages.items() if slug not in self.drafts}

    @property
    def root_path(self) -> str:
        """The base path of the whole site, where media live for every edition (a translation's is under it)."""
        return self.config.base_path.removesuffix(f"{self.code}/") if self.code else self.config.base_path

    def url(self, slug: str) -> str:
        """The site path of an article."""
        return article_url(self.config.base_path, slug)

    def card(self, slug: str) -> Card:
        """The card data of an article."""
        meta = self.pages[slug].meta
        return Card(meta.title, meta.description, self.url(slug))

    def topics_of(self, slug: str) -> list[Topic]:
        """An article's topics that have a page (a draft in a preview may use a tag no listed article has)."""
        return [self.topics[tag] for tag in self.pages[slug].meta.tags if tag in self.topics]

    def start_here(self) -> str | None:
        """The slug of the article `start_here` names, if it names a published one."""
        return next((slug for slug, page in self.pages.items()
                     if page.file == self.config.start_here), None)


def assemble(config: SiteConfig, pages: list[Page], bodies: dict[str, Body], sources: Bibliography,
             images: dict[str, Image], root: Path, code: str = "") -> Site:
    """Index the pages by slug and topic and choose every page's cards; drafts (in a preview) are never listed."""
    by_slug = {page.slug: page for page in sorted(pages, key=lambda p: p.slug)}
    listed = [page for page in pages if not page.meta.draft]
    tagged = topic_pages(listed)
    order = [tag for tag in config.topics if tag in tagged] + [tag for tag in tagged if tag not in config.topics]
    topics = {tag: Topic(tag, *topic_names(config, tag), f"{config.base_path}topics/{tag}/", tagged[tag])
              for tag in order}
    drafts = frozenset(page.slug for page in pages if page.meta.draft)
    static = themefiles.layers(root, "static")
    return Site(config, by_slug, bodies, read_more(pages, listed=listed), topics, sources, images, static,
                palette(themefiles.find(static, "style.css")), drafts, code)


def topic_names(config: SiteConfig, tag: str) -> tuple[str, str]:
    """A topic's title and description, from site.yaml or derived from its slug."""
    topic = config.topics.get(tag)
    return (topic.title, topic.description) if topic else (tag.replace("-", " ").capitalize(), "")


def check_pages(pages: list[Page], config: SiteConfig, templates: tuple[Path, ...]) -> list[Problem]:
    """Checks across pages that need no rendering: slugs, related, tags, templates."""
    problems: list[Problem] = []
    owners = Counter(page.slug for page in pages)
    owner = _slug_owners(pages)
    exists = functools.cache(lambda name: themefiles.find(templates, name) is not None)  # a stat per template
    for page in pages:
        if owner[page.slug] is not page:
            problems.append(error(page.source, page.line("slug"), f"slug '{page.slug}' is already used by "
                                  f"{owner[page.slug].source} (two articles cannot share /{page.slug}/)"))
        if page.slug in RESERVED:
            problems.append(error(page.source, page.line("slug"), f"slug '{page.slug}' is reserved for the site"))
        elif page.slug in config.languages:
            problems.append(error(page.source, page.line("slug"), f"slug '{page.slug}' is the address of the "
                                  f"'{page.slug}' edition (/{page.slug}/, languages: in site.yaml); choose another"))
        problems += _check_refs(page, owners, config, exists)
    return problems


def _slug_owners(pages: list[Page]) -> dict[str, Page]:
    """For each slug, the page that keeps it: the first without an explicit `slug:`, else the first file."""
    owner: dict[str, Page] = {}
    for page in sorted(pages, key=lambda p: (p.meta.slug is not None, p.source)):
        owner.setdefault(page.slug, page)
    return owner


def title_warnings(published: list[Page]) -> list[Problem]:
    """A warning on each published article whose title an earlier file already has."""
    first: dict[str, Page] = {}
    problems = []
    for page in sorted(published, key=lambda p: p.source):
        earlier = first.setdefault(" ".join(page.meta.title.casefold().split()), page)
        if earlier is not page:
            problems.append(warning(page.source, page.line("title"), f"the title is the same as {earlier.source}'s: "
                                    "give each article its own title, so readers and search can tell them apart"))
    return problems


def _check_refs(page: Page, slugs: Counter, config: SiteConfig, exists: Callable[[str], bool]) -> list[Problem]:
    """A page's related slugs, tags and template (`exists`: in the theme's templates) must exist."""
    problems = [error(page.source, page.line("related"), f"related article '{slug}' does not exist"
                      f"{did_you_mean(slug, slugs)}") for slug in page.meta.related if slug not in slugs]
    problems += [error(page.source, page.line("related"), "an article cannot be related to itself")
                 for slug in page.meta.related if slug == page.slug]
    if config.topics:
        problems += [error(page.source, page.line("tags"), f"unknown topic '{tag}'"
                           f"{did_you_mean(tag, config.topics)} (topics are listed in site.yaml)")
                     for tag in page.meta.tags if tag not in config.topics]
    name = page.meta.template
    if "/" in name or "\\" in name or name.startswith(".") or not exists(name):
        problems.append(error(page.source, page.line("template"), f"template '{page.meta.template}' "
                              f"does not exist in templates/"))
    return problems


def check_start_here(config: SiteConfig, shown: str, text: str, pages: list[Page],
                     published: list[Page]) -> list[Problem]:
    """`start_here` must name a published article's file in content/, like a cross-link."""
    name = config.start_here
    if not name:
        return []
    files = {page.file for page in pages}
    if name in {page.file for page in published}:
        return []
    line = setting_line(text, "start_here", name)
    hint = did_you_mean(name if name.endswith(".md") else f"{name}.md", files)
    folder = PurePosixPath(pages[0].source).parent.as_posix() if pages else "content"
    why = "is a draft (publish it or choose another article)" if name in files else \
        f"does not exist in {folder}/{hint}"
    return [error(shown, line, f"start_here '{name}': the article {why}")]


def check_links(pages: list[Page], bodies: dict[str, Body], others: dict[str, Body] | None = None) -> list[Problem]:
    """Every cross-link anchor must exist in its target; links to drafts are flagged by rendering.

    `others` holds the bodies a translation may link to in the default edition, by their `../name.md`.
    """
    by_file = {page.file: bodies[page.slug] for page in pages} | (others or {})
    problems = []
    for page in pages:
        for link in bodies[page.slug].links:
            anchors = by_file[link.target].anchors
            if link.anchor and link.anchor not in anchors:
                problems.append(error(link.source or page.source, link.line,
                                      missing_anchor(link.written or link.target, link.anchor, anchors)))
    return problems


def missing_anchor(target: str, anchor: str, anchors: frozenset[str]) -> str:
    """The message for a link to a heading id its target does not have (`target` may already name the id)."""
    written = target if target.endswith(f"#{anchor}") else f"{target}#{anchor}"
    return f"link to '{written}': no heading with id '{anchor}' there{did_you_mean(anchor, anchors)}"


def check_safety_links(config: SiteConfig, config_file: tuple[str, str], pages: list[Page], published: list[Page],
                       bodies: dict[str, Body], folder: str = "content/") -> list[Problem]:
    """Every medicine-safety link must lead to a heading of a published article, like a cross-link."""
    shown, text = config_file
    files = {page.file for page in pages}
    by_file = {page.file: page.slug for page in published}
    problems = []
    for rule in config.safety_links:
        line = setting_line(text, "link", rule.link, "safety_links")
        target, _, anchor = rule.link.partition("#")
        if target not in by_file:
            why = "is a draft (publish it or change the link)" if target in files else \
                f"does not exist in {folder}{did_you_mean(target, by_file)}"
            problems.append(error(shown, line, f"safety link to '{target}': the article {why}"))
        elif anchor not in bodies[by_file[target]].anchors:
            problems.append(error(shown, line, "safety " + missing_anchor(target, anchor,
                                                                          bodies[by_file[target]].anchors)))
    return problems


def draft_warnings(pages: list[Page], published: set[str]) -> list[Problem]:
    """Warn where a published page names a draft as related."""
    return [warning(page.source, page.line("related"), f"related article '{slug}' is a draft and is not shown")
            for page in pages if page.slug in published for slug in page.meta.related if slug not in published]
