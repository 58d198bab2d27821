"""Article pages' output keys kept between the dev server's builds, reused while what they are made from is the same.

An article page's key digests its inputs (`htmlpages.article_inputs`): its page and body, the cards it shows, its
topics and breadcrumbs, the sources it cites, its preview, its translation notes and language versions. Building
and digesting those for every article on every save is most of a warm rebuild's keying; here a page's key is
reused when every one of those facts is the very object (page, body, each card's page) or an equal value it was
the last time, under the same theme, configuration and images. Anything else is computed again.
"""

from __future__ import annotations

from typing import Any

from healthsite.model.site import Site
from healthsite.reading.urls import article_address

MadeFrom = tuple[Any, ...]


class PageKeys:
    """The last build's article page keys per edition, with what each was made from."""

    def __init__(self) -> None:
        self._world: dict[str, MadeFrom] = {}
        self._keys: dict[tuple[str, str], tuple[MadeFrom, str]] = {}

    def start(self, common: str, site: Site) -> None:
        """Begin an edition's pages: forget its keys if the theme, configuration or images changed."""
        world = (common, site.images, site.colours, site.static)
        if not _same(self._world.get(site.code), world):
            self._keys = {k: v for k, v in self._keys.items() if k[0] != site.code}
        self._world[site.code] = world

    def get(self, site: Site, slug: str) -> str | None:
        """The article page's key from the last build, if nothing it is made from has changed."""
        kept = self._keys.get((site.code, slug))
        return kept[1] if kept is not None and _same(kept[0], made_from(site, slug)) else None

    def put(self, site: Site, slug: str, key: str) -> None:
        """Remember an article page's key."""
        self._keys[(site.code, slug)] = (made_from(site, slug), key)

    def keep_only(self, sites: list[Site]) -> None:
        """Forget the pages (and editions) these sites no longer have."""
        present = {(site.code, slug) for site in sites for slug in site.pages}
        self._keys = {k: v for k, v in self._keys.items() if k in present}
        self._world = {code: w for code, w in self._world.items() if code in {site.code for site in sites}}


def made_from(site: Site, slug: str) -> MadeFrom:
    """Everything an article page's inputs are computed from, beyond the edition's theme and configuration."""
    page, body = site.pages[slug], site.bodies[slug]
    address = site.url(slug)
    return (page, body, site.cards[slug], tuple(site.pages[s] for s in site.cards[slug]),
            tuple(tag in site.topics for tag in page.meta.tags),
            tuple(site.bibliography.get(key) for key, _ in body.citations),
            site.outdated.get(slug, ()), site.versions.get(article_address(slug), ()), address, site.extras)


def _same(old: MadeFrom | None, new: MadeFrom) -> bool:
    """Whether two records of what a page is made from match: each part the same object, or an equal value."""
    return old is not None and len(old) == len(new) and all(a is b or a == b for a, b in zip(old, new))
