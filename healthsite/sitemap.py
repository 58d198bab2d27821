"""sitemap.xml and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from .site import Site

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(site: Site) -> bytes:
    """Every public HTML page, with the date it last changed where known."""
    config = site.config
    root = etree.Element("urlset", {"xmlns": NS})
    paths = [(config.base_path, None), (f"{config.base_path}topics/", None)]
    paths += [(topic.url, None) for topic in site.topics.values()]
    paths += [(site.url(slug), page.meta.updated or page.meta.date) for slug, page in site.listed.items()]
    for path, changed in paths:
        url = etree.SubElement(root, "url")
        etree.SubElement(url, "loc").text = config.absolute(path)
        if changed:
            etree.SubElement(url, "lastmod").text = changed.isoformat()
    return etree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(site: Site) -> bytes:
    """Allow everything and point crawlers at the sitemap."""
    location = site.config.absolute(f"{site.config.base_path}sitemap.xml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {location}\n".encode()
