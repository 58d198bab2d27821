"""What the health Markdown extensions share: site references in, per-page findings out."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..files import line_of
from ..images import Image
from ..problems import Problem, error, warning


@dataclass(frozen=True)
class SharedCard:
    """One shared care card: where it is written, its level and title, and its Markdown body."""

    source: str
    level: str
    title: str
    body: str
    body_line: int


@dataclass(frozen=True)
class Refs:
    """What any article may refer to: other articles by file name, sources by key, shared cards and images by name."""

    urls: dict[str, str]
    drafts: frozenset[str]
    sources: frozenset[str]
    emergency_number: str
    cards: dict[str, SharedCard] = field(default_factory=dict)
    safety: tuple[tuple[tuple[str, ...], str], ...] = ()
    base_url: str = ""
    pages: frozenset[str] = frozenset()  # addresses of the site's other pages, under its base path
    images: dict[str, Image] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # the edition's translations of the body strings
    media_base: str = ""  # where images are published (a translation's: the site's root); default: base path

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always ending in '/'."""
        return urlsplit(self.base_url).path.rstrip("/") + "/"

    @functools.cached_property
    def files(self) -> dict[str, str]:
        """Article file names by their address under the base path."""
        return {url.removeprefix(self.base_path): name for name, url in self.urls.items()}

    def addresses(self) -> list[str]:
        """Every address a link may lead to, for near-miss hints."""
        return sorted([*self.urls.values(), *(self.base_path + page for page in self.pages)])

    def answer(self, kind: str, key: str) -> object:
        """One fact a page may depend on: an article's URL, a draft, a source, a card, an image, the base path,
        the number."""
        if kind == "image":
            return self.images.get(key)
        if kind == "base":
            return self.media_base or self.base_path
        if kind == "url":
            return self.urls.get(key)
        if kind == "draft":
            return key in self.drafts
        if kind == "source":
            return key in self.sources
        if kind == "card":
            return self.cards.get(key)
        if kind == "safety":
            return self.safety
        if kind == "text":
            return self.texts.get(key, key)
        if kind == "path":
            return self.files.get(key, "" if key in self.pages else None)
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
    source: str = ""
    written: str = ""  # the address as the writer wrote it, when not the file name


@dataclass(frozen=True)
class Mention:
    """A term of a medicine-safety link mentioned on a page that does not link to its section."""

    link: str
    term: str
    source: str
    line: int


@dataclass
class PageState:
    """What rendering one page's Markdown found."""

    source: str = ""
    text: str = ""
    first_line: int = 1
    draft: bool = False  # a draft page (in a preview) may link to other drafts
    problems: list[Problem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    citations: dict[str, int] = field(default_factory=dict)
    faq: list[tuple[str, str]] = field(default_factory=list)
    toc: list[tuple[str, str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    prose: list[str] = field(default_factory=list)
    sections: list[tuple[str, int, int]] = field(default_factory=list)
    lookups: dict[tuple[str, str], object] = field(default_factory=dict)
    origins: list[tuple[str, int]] = field(default_factory=list)  # (file, line) of each line of `text`
    mentions: list[Mention] = field(default_factory=list)

    def ask(self, refs: Refs, kind: str, key: str = "") -> object:
        """Look a fact up in the site's references and remember it (cached bodies are checked against it)."""
        value = self.lookups[kind, key] = refs.answer(kind, key)
        return value

    def where(self, *needles: str, nth: int = 0) -> tuple[str, int]:
        """The file and line of the first (or nth repeated) occurrence of the first needle found (cards included)."""
        for needle in needles:
            line, index = line_of(self.text, needle)
            for _ in range(nth):
                line, index = line_of(self.text, needle, index + 1) if index >= 0 else (line, index)
            if not line:
                line, _ = line_of(self.text.lower(), needle.lower())
            if line:
                return self.origin(line - 1)
        return self.origin(0)

    def origin(self, index: int) -> tuple[str, int]:
        """The file and line that line `index` (from 0) of the body text comes from."""
        return self.origins[index] if index < len(self.origins) else (self.source, self.first_line + index)

    def fail(self, *needles_and_message: str, nth: int = 0) -> None:
        """Record an error (the last argument) at the line where the first needle found (its nth repeat) appears."""
        *needles, message = needles_and_message
        self.problems.append(error(*self.where(*needles, nth=nth), message))

    def warn(self, *needles_and_message: str, nth: int = 0) -> None:
        """Record a warning (the last argument) at the line where the first needle found appears."""
        *needles, message = needles_and_message
        self.problems.append(warning(*self.where(*needles, nth=nth), message))

    def fail_at(self, index: int, message: str) -> None:
        """Record an error at line `index` (from 0) of the body text."""
        self.problems.append(error(*self.origin(index), message))

    def heading_line(self, title: str) -> int:
        """The file line of the `#` heading with this text, markup and `{#id}` aside (else its first mention)."""
        for index, line in enumerate(self.text.splitlines()):
            if line.startswith("#") and plain_heading(line) == title:
                return self.origin(index)[1]
        return self.where(title)[1]


BLOCKS = frozenset("p li div figure figcaption h1 h2 h3 h4 h5 h6 td th tr ul ol blockquote pre table caption "
                   "summary dt dd section details".split())


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
