"""Outputs: every file of the site, rendered one by one as the writer takes them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

import jinja2

from healthsite.model import assets
from healthsite.rendering import feed, htmlpages, redirects, sitemap, templating
from healthsite.checks import check
from healthsite.reading.config import SiteConfig
from healthsite.reading.digests import digest, engine_digest
from healthsite.reading.facts import template_function
from healthsite.reading.inputs import theme_files
from healthsite.reading.options import CACHE
from healthsite.rendering.media import MEDIA
from healthsite.model.pagekeys import PageKeys
from healthsite.problems import Problem
from healthsite.reading.rules import Rules
from healthsite.model.site import Site
from healthsite.reading.themefiles import static_files
from healthsite.reading.urls import article_file


@dataclass
class Outputs:
    """Every file of the site, rendered as the writer asks for it: (path, key, bytes), or (path, key, None) to keep.

    A page's key is a digest of everything it is made from; a page whose key is unchanged is not rendered
    again (`unchanged` says so). Template problems are raised, all together, once every file has been seen.
    """

    site: Site
    root: Path
    unchanged: Callable[[str, str], bool] = lambda path, key: False
    media: dict[str, Path] = field(default_factory=dict)
    environments: dict[tuple[str, str], jinja2.Environment] | None = None  # kept between builds (the dev server)
    page_keys: PageKeys | None = None  # article page keys kept between builds (the dev server)

    def __iter__(self) -> Iterator[tuple[str, str, bytes | None]]:
        """The files, pages first."""
        theme = theme_files(self.root)
        common = digest(engine_digest(), keyed_config(self.site.config, [path for _, path in theme]),
                              *(label for label, _ in theme), *(path.read_bytes() for _, path in theme))
        files = assets.collect(static_files(self.root))
        problems: list[Problem] = []
        for site in (self.site, *self.site.editions):
            prefix = f"{site.code}/" if site.code else ""
            helpers = {"asset": _asset_url(self.site, files), "site_root": self.site.config.base_path,
                       "alternates": sitemap.alternates, "fact": template_function(site.config.all_facts)}
            env = self._environment(common, site, helpers)
            for page_path, key, make in self._pages(common, site):
                path = prefix + page_path
                if self.unchanged(path, key):
                    yield path, key, None
                    continue
                data, found = htmlpages.render_page(env, site, make(), self.root)
                problems += found
                if data is not None:
                    yield path, key, data
            if site.code:
                yield f"{prefix}feed.xml", "", feed.feed(site)
        for asset in files.values():
            yield asset.published, "", assets.content(asset, files)
        for path, source in self.media.items():
            key = media_key(self.root, path, source)
            yield path, key, None if self.unchanged(path, key) else source.read_bytes()
        yield "feed.xml", "", feed.feed(self.site)
        pages = sitemap.entries(self.site)
        key = digest(common, repr(pages))
        yield "sitemap.xml", key, None if self.unchanged("sitemap.xml", key) else \
            sitemap.sitemap(pages, bool(self.site.editions))
        yield "robots.txt", "", sitemap.robots(self.site)
        rules = redirects.redirects(self.site)
        if rules is not None and "_redirects" not in files:
            yield "_redirects", "", rules
        check(problems)

    def _pages(self, common: str, site: Site) -> Iterator[tuple[str, str, Callable[[], htmlpages.HtmlPage]]]:
        """An edition's pages: each one's path, key, and how to have the page to render; with `page_keys`, an
        article whose key is known is made only if it must be rendered."""
        keys = self.page_keys
        if keys is not None:
            keys.start(common, site)
        for slug in site.pages:
            known = keys.get(site, slug) if keys is not None else None
            if known is not None:
                yield article_file(slug), known, partial(htmlpages.article_page, site, slug)
                continue
            page = htmlpages.article_page(site, slug)
            key = digest(common, repr(page.inputs))
            if keys is not None:
                keys.put(site, slug, key)
            yield page.path, key, partial(_made, page)
        for page in htmlpages.other_pages(site):
            yield page.path, digest(common, repr(page.inputs)), partial(_made, page)

    def _environment(self, common: str, site: Site, helpers: dict) -> jinja2.Environment:
        """An edition's Jinja environment; with `environments`, made once per theme and configuration (the
        `common` digest covers both), so templates are compiled once, not on every build."""
        if self.environments is None:
            return templating.environment(self.root / "templates", helpers, site.code, site.config.language)
        for stale in [key for key in self.environments if key[0] != common]:
            del self.environments[stale]
        key = (common, site.code)
        if key not in self.environments:
            self.environments[key] = templating.environment(self.root / "templates", helpers, site.code,
                                                            site.config.language)
        return self.environments[key]


def keyed_config(config: SiteConfig, theme: list[Path]) -> str:
    """The configuration as every page is made from it: not the rules (they change no page, only what is checked),
    and of the facts only those the templates show (a body records the facts it shows)."""
    names = templating.theme_facts(tuple(p.read_text(errors="replace") for p in theme
                                         if p.suffix in (".html", ".xml", ".txt")))
    shown = [{name: fact for name, fact in edition.all_facts.items() if names is None or name in names}
             for edition in (config, *(config.edition(code) for code in config.languages))]
    bare = replace(config, rules=Rules(), facts={}, emergency_number="",
                   languages={code: replace(lang, facts={}, emergency_number="")
                              for code, lang in config.languages.items()})
    return repr((bare, shown))


def _made(page: htmlpages.HtmlPage) -> htmlpages.HtmlPage:
    """A page already made."""
    return page


def media_key(root: Path, path: str, source: Path) -> str:
    """The key of a published media file: its path and what it is made from."""
    return digest(path, *_media_identity(root, source))


def _media_identity(root: Path, source: Path) -> tuple[str | bytes, ...]:
    """What a media file is: a made one is named by the digest of what it was made from, a copied one by its bytes."""
    made = root / CACHE / MEDIA
    return ("made", source.name) if source.parent == made else ("copied", source.read_bytes())


def _asset_url(site: Site, files: dict[str, assets.Asset]):
    """The template function `asset(name)`: the fingerprinted URL of a static file."""
    def asset(name: str) -> str:
        if name not in files:
            raise LookupError(f"no file static/{name} (in the site's static/ or the theme's)")
        return site.config.base_path + files[name].published
    return asset
