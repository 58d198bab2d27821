"""What the health Markdown extensions share: site references in, per-page findings out."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Sequence

from ..files import line_of
from ..problems import Problem, error


@dataclass(frozen=True)
class Refs:
    """What any article may refer to: other articles by file name, and sources by key."""

    urls: dict[str, str]
    drafts: frozenset[str]
    sources: frozenset[str]
    emergency_number: str

    def answer(self, kind: str, key: str) -> object:
        """One fact a page may depend on: an article's URL, whether it is a draft, a source, the number."""
        if kind == "url":
            return self.urls.get(key)
        if kind == "draft":
            return key in self.drafts
        if kind == "source":
            return key in self.sources
        return self.emergency_number

    def agrees(self, lookups: tuple[tuple[str, str, object], ...]) -> bool:
        """Whether every fact a body was rendered with still holds."""
        return all(self.answer(kind, key) == value for kind, key, value in lookups)


@dataclass(frozen=True)
class Link:
    """A cross-link to another article, found at a line."""

    target: str
    anchor: str
    line: int


@dataclass
class PageState:
    """What rendering one page's Markdown found."""

    source: str = ""
    text: str = ""
    first_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    citations: dict[str, int] = field(default_factory=dict)
    faq: list[tuple[str, str]] = field(default_factory=list)
    toc: list[tuple[str, str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    prose: list[str] = field(default_factory=list)
    lookups: dict[tuple[str, str], object] = field(default_factory=dict)
    claimed: list[tuple[str, str]] = field(default_factory=list)  # (id, where) content set on a non-heading

    def ask(self, refs: Refs, kind: str, key: str = "") -> object:
        """Look a fact up in the site's references and remember it (cached bodies are checked against it)."""
        value = self.lookups[kind, key] = refs.answer(kind, key)
        return value

    def line(self, needle: str) -> int:
        """The file line of the first occurrence of `needle` in the body."""
        line, _ = line_of(self.text, needle)
        if not line:
            line, _ = line_of(self.text.lower(), needle.lower())
        return self.first_line + max(line, 1) - 1

    def fail(self, needle: str, message: str) -> None:
        """Record an error at the line where `needle` appears."""
        self.problems.append(error(self.source, self.line(needle), message))


PLACEHOLDER = re.compile("\x02(?:wzxhzdk:([0-9]+)|([0-9]+))\x03")
BLOCKS = frozenset("p li div h1 h2 h3 h4 h5 h6 td th tr ul ol blockquote pre table caption summary dt dd "
                   "section details".split())


def text_of(element: etree.Element, stash: Sequence[object] = ()) -> str:
    """The visible text of an element, without citation numbers, whitespace collapsed.

    Python-Markdown's placeholders are resolved: raw HTML (from `stash`, the page's htmlStash) becomes its
    text, a backslash-escaped character itself, and character references are decoded.
    """
    parts: list[str] = []

    def walk(node: etree.Element) -> None:
        if node.get("class") == "citations":
            parts[:] = ["".join(parts).rstrip()]
        else:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        parts.append(" " if node.tag in BLOCKS else "")
        parts.append(node.tail or "" if node is not element else "")

    walk(element)
    return " ".join(plain_text("".join(parts), stash).split())


def plain_text(text: str, stash: Sequence[object] = ()) -> str:
    """Text with Python-Markdown's placeholders resolved (stashed HTML as its text) and entities decoded."""
    def resolve(match: re.Match) -> str:
        if match.group(1) is not None:
            index = int(match.group(1))
            return _html_text(str(stash[index])) if index < len(stash) else ""
        return chr(int(match.group(2)))
    return html.unescape(PLACEHOLDER.sub(resolve, text))


class _Text(HTMLParser):
    """The text of a piece of HTML, without scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        """Enter a script or style."""
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        """Leave a script or style."""
        self.hidden -= tag in ("script", "style") and self.hidden > 0

    def handle_data(self, data: str) -> None:
        """Keep visible text (entities stay encoded until the end)."""
        if not self.hidden:
            self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        """Keep a named character reference as written."""
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        """Keep a numeric character reference as written."""
        self.handle_data(f"&#{name};")


def _html_text(raw: str) -> str:
    """The text of a stashed piece of raw HTML (a lone tag has none)."""
    parser = _Text()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)
