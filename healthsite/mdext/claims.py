"""Claims: content may not take the ids and classes the theme and these extensions give meaning to.

A writer's `{#main}` or `{.care-card--emergency}`, or raw `<div class="care-card">`, could forge a care card, hide
text, or steal the anchor a link or skip link points to. Each is an error at its line (not silently stripped:
what a reader sees must be what the writer meant).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.treeprocessors import Treeprocessor

from healthsite.problems import excerpt
from healthsite.mdext.state import Hooked

THEME_IDS = re.compile(r"main|contents|contents-title|references|references-title|read-more-title|"
                       r"key-takeaways(-title)?|call-to-action(-title)?|article-topics-title|search-[a-z-]+|"
                       r"(ref|group|table|care-card)-[0-9]+|get-help(-title)?|cite-[0-9]+-[0-9]+|fn(ref)?:.*|healthsite-.*", re.IGNORECASE)
THEME_CLASSES = re.compile(r"(care-card|faq|key-takeaways|visually-hidden|citations|table-scroll|align-|admonition|"
                           r"skip-link|site-|search-|topic-|page-review|not-found|byline|card|call-to-action|"
                           r"read-more|reference|article|breadcrumb|footnote|footer-links|backref|toc)[a-z0-9_-]*|"
                           r"button|contents|disclaimer|intro|lede|prose|wrap|references", re.IGNORECASE)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def reserved(name: str, value: str) -> str | None:
    """The first id or class in an attribute's value that the theme reserves, or None."""
    if name == "id":
        return value if THEME_IDS.fullmatch(value.strip()) else None
    if name == "class":
        return next((c for c in value.split() if THEME_CLASSES.fullmatch(c)), None)
    return None


def complaint(name: str, value: str) -> str:
    """The error for a reserved id or class."""
    return (f"the {name} '{excerpt(value)}' belongs to the theme (it marks its own parts, such as care cards, references "
            f"or the main landmark): choose another {name} or leave it out")


class ClaimingAttrList(Hooked, AttrListTreeprocessor):
    """Python-Markdown's attribute lists, refusing the theme's ids and classes and noting ids set on non-headings."""

    def assign_attrs(self, elem: etree.Element, attrs_string: str, *, strict: bool = False) -> str:
        """Check what the attribute list asks for, then assign it."""
        state = self.extension.state
        for key, value in get_attrs_and_remainder(attrs_string)[0]:
            name = "class" if key in (".", "class") else key.lower()
            taken = reserved(name, value or "")
            if taken:
                state.fail(attrs_string.strip()[:40] or "{", complaint(name, taken))
            elif name == "id" and elem.tag not in HEADINGS:
                state.claimed.append((value, attrs_string.strip()[:40]))
        return super().assign_attrs(elem, attrs_string, strict=strict)


class _Attributes(HTMLParser):
    """Every (name, value) attribute of the start tags in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect the tag's attributes."""
        self.found += [(name, value or "") for name, value in attrs]


class RawHtmlClaims(Hooked, Treeprocessor):
    """Refuses the theme's ids and classes in raw HTML, and any id (in content) that a heading of the page has."""

    def run(self, root: etree.Element) -> None:
        """Check every piece of raw HTML, then every id content set against the headings' ids."""
        state = self.extension.state
        for raw in self.md.htmlStash.rawHtmlBlocks:
            parser = _Attributes()
            parser.feed(str(raw))
            parser.close()
            needle = str(raw).strip()[:40]
            for name, value in parser.found:
                taken = reserved(name, value)
                if taken:
                    state.fail(needle, complaint(name, taken))
                elif name == "id":
                    state.claimed.append((value, needle))
        headings = {el.get("id", "") for el in root.iter() if el.tag in HEADINGS or el.tag == "details"}
        for value, needle in state.claimed:
            if any(h == value or re.fullmatch(re.escape(value) + r"_[0-9]+", h) for h in headings):
                state.fail(needle, f"the id '{excerpt(value)}' is a heading's id on this page (links to the heading would "
                                   "land here): choose another id")
