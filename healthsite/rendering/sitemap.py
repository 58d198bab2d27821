"""sitemap.xml and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Callable

from healthsite.model.site import Site, Version

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


Entry = tuple[str, str, list[tuple[str, str]]]  # a page's URL, the date it last changed (or ""), its versions


def entries(site: Site) -> list[Entry]:
    """Every public HTML page of every edition: its URL, the date it last changed where known and its language
    versions (hreflang alternates, x-default the default language's)."""
    found = []
    for one in (site, *site.editions):
        config = one.config
        paths = [(config.base_path, None), (f"{config.base_path}topics/", None)]
        paths += [(topic.url, None) for topic in one.topics.values()]
        paths += [(one.url(slug), page.modified or page.meta.date) for slug, page in one.listed.items()]
        paths += [(page.url, None) for page in _side_pages(one)]
        found += [(config.absolute(path), changed.isoformat() if changed else "",
                   alternates(one.versions.get(path.removeprefix(config.base_path), ()), config.absolute))
                  for path, changed in paths]
    return found


def sitemap(pages: list[Entry], editions: bool) -> bytes:
    """sitemap.xml of these pages (with the xhtml namespace when the site has other editions)."""
    root = etree.Element("urlset", {"xmlns": NS, **({"xmlns:xhtml": XHTML} if editions else {})})
    for location, changed, versions in pages:
        url = etree.SubElement(root, "url")
        etree.SubElement(url, "loc").text = location
        if changed:
            etree.SubElement(url, "lastmod").text = changed
        for language, href in versions:
            etree.SubElement(url, "xhtml:link", {"rel": "alternate", "hreflang": language, "href": href})
    return etree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _side_pages(site: Site) -> list:
    """The person and policy pages an edition publishes."""
    extras = site.extras
    return [*extras.own_people.values(), *extras.own_policies.values()] if extras else []


def alternates(versions: tuple[Version, ...], absolute: Callable[[str], str]) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of each language version of a page, then x-default: the default language's."""
    return [(v.language, absolute(v.path)) for v in versions] + \
        [("x-default", absolute(v.path)) for v in versions if v.default]


def robots(site: Site) -> bytes:
    """Allow everything and point crawlers at the sitemap."""
    location = site.config.absolute(f"{site.config.base_path}sitemap.xml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {location}\n".encode()
