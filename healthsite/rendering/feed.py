"""The Atom feed of the newest articles."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as etree

from healthsite.model.site import Site

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50


def feed(site: Site) -> bytes:
    """An Atom feed; its `updated` is the newest article's date, or SOURCE_DATE_EPOCH when set."""
    config = site.config
    pages = sorted(site.listed.values(), key=lambda p: (-p.newest.toordinal(), p.slug))[:LIMIT]
    updated = _stamp(_source_date() or (pages[0].newest if pages else dt.date(1970, 1, 1)))
    root = etree.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    _text(root, "title", config.title)
    if config.description:
        _text(root, "subtitle", config.description)
    _text(root, "id", config.base_url)
    etree.SubElement(root, "link", {"rel": "alternate", "href": config.base_url})
    etree.SubElement(root, "link", {"rel": "self", "href": config.absolute(f"{config.base_path}feed.xml")})
    _text(root, "updated", updated)
    _text(etree.SubElement(root, "author"), "name", config.publisher)
    for page in pages:
        url = config.absolute(site.url(page.slug))
        entry = etree.SubElement(root, "entry")
        _text(entry, "title", page.meta.title)
        etree.SubElement(entry, "link", {"rel": "alternate", "href": url})
        _text(entry, "id", url)
        _text(entry, "updated", _stamp(page.newest) if page.newest > dt.date.min else updated)
        if page.meta.date:
            _text(entry, "published", _stamp(page.meta.date))
        _text(entry, "summary", page.meta.description)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _text(parent: etree.Element, tag: str, text: str) -> etree.Element:
    """Add a child element holding text."""
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def _stamp(day: dt.date) -> str:
    """An RFC 3339 timestamp for the start of a day (UTC)."""
    return f"{day.isoformat()}T00:00:00Z"


def _source_date() -> dt.date | None:
    """The date of SOURCE_DATE_EPOCH, for reproducible builds that want it."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date() if value.isdigit() else None
    except (ValueError, OverflowError, OSError):
        return None
