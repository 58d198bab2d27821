"""What the health Markdown extensions share: site references in, per-page findings out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

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
    sections: list[tuple[str, int, int]] = field(default_factory=list)
    lookups: dict[tuple[str, str], object] = field(default_factory=dict)

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

    def heading_line(self, title: str) -> int:
        """The file line of the `#` heading with this text, markup and `{#id}` aside (else its first mention)."""
        for number, line in enumerate(self.text.splitlines(), self.first_line):
            if line.startswith("#") and plain_heading(line) == title:
                return number
        return self.line(title)

    def fail(self, needle: str, message: str) -> None:
        """Record an error at the line where `needle` appears."""
        self.problems.append(error(self.source, self.line(needle), message))


BLOCKS = frozenset("p li div h1 h2 h3 h4 h5 h6 td th tr ul ol blockquote pre table caption summary dt dd "
                   "section details".split())


def text_of(element: etree.Element) -> str:
    """The visible text of an element, without citation numbers, whitespace collapsed."""
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
    return " ".join("".join(parts).split())


def plain_heading(line: str) -> str:
    """A Markdown heading line's text: without the #s, an attribute list, emphasis or code marks."""
    text = re.sub(r"\s*\{[^}]*\}\s*$", "", line.strip().lstrip("#").rstrip("#").strip())
    return re.sub(r"[*_`]", "", text).strip()
