"""What the health Markdown extensions share: site references in, per-page findings out."""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Sequence
from urllib.parse import urlsplit

from healthsite.reading.digests import digest
from healthsite.reading.facts import Fact
from healthsite.reading.rules import TextRule
from healthsite.reading.files import line_of
from healthsite.reading.images import Image
from healthsite.problems import Problem, error, warning


class Hooked:
    """A Python-Markdown processor that reaches the page's state and the site's references through the extension."""

    def __init__(self, md, extension) -> None:
        super().__init__(md)
        self.extension = extension


@dataclass(frozen=True)
class CareCard:
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
    bibliography: frozenset[str]  # the keys of the sources articles may cite
    emergency_number: str
    care_cards: dict[str, CareCard] = field(default_factory=dict)
    safety: tuple[tuple[tuple[str, ...], str], ...] = ()
    base_url: str = ""
    pages: frozenset[str] = frozenset()  # addresses of the site's other pages, under its base path
    images: dict[str, Image] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # the edition's translations of the body strings
    media_base: str = ""  # where images are published (a translation's: the site's root); default: base path
    facts: dict[str, Fact] = field(default_factory=dict)  # the edition's facts (site.yaml `facts:`), by name
    rules: tuple[TextRule, ...] = ()  # the edition's text rules (site.yaml `rules:`), compiled

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
            return key in self.bibliography
        if kind == "card":
            return self.care_cards.get(key)
        if kind == "safety":
            return self.safety
        if kind == "text":
            return self.texts.get(key, key)
        if kind == "path":
            return self.files.get(key, "" if key in self.pages else None)
        if kind == "fact":
            return self.facts.get(key)
        if kind == "rules":
            return tuple((rule.kind, tuple(p.pattern for p in rule.patterns), rule.rule, rule.expected) for rule in self.rules)
        return self.emergency_number

    @functools.cached_property
    def answers(self) -> dict[tuple[str, str], object]:
        """The facts `agrees` has looked up, as bodies record them (the same ones come back in every body)."""
        return {}

    def agrees(self, lookups: tuple[tuple[str, str, object], ...]) -> bool:
        """Whether every fact a body was rendered with still holds (each fact looked up once)."""
        known = self.answers
        for kind, key, value in lookups:
            if (kind, key) not in known:
                known[kind, key] = plain_fact(self.answer(kind, key))
        return all(known[kind, key] == value for kind, key, value in lookups)


def plain_fact(value: object) -> object:
    """A fact as a body records it (plain data, so the cache can keep it): a scalar as it is, anything else (a card,
    an image, the safety rules) by a digest of its fields."""
    return value if value is None or isinstance(value, (str, int, float, bool)) else digest(repr(value))


@dataclass(frozen=True)
class CareCardFact:
    """A care card on a page: its id, level, title and section, where it is written, and its place among the
    body's top-level blocks (-1 inside a list or another block)."""

    id: str
    level: str
    title: str
    section: str
    origin: tuple[str, int]
    position: int


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
    claimed: list[tuple[str, str]] = field(default_factory=list)  # (id, where) content set on a non-heading
    care_cards: list[CareCardFact] = field(default_factory=list)  # the page's care cards, in order

    def ask(self, refs: Refs, kind: str, key: str = "") -> object:
        """Look a fact up in the site's references and remember it (cached bodies are checked against it)."""
        value = refs.answer(kind, key)
        self.lookups[kind, key] = plain_fact(value)
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


PLACEHOLDER = re.compile("\x02(?:wzxhzdk:([0-9]+)|([0-9]+))\x03")
BLOCKS = frozenset("p li div figure figcaption h1 h2 h3 h4 h5 h6 td th tr ul ol blockquote pre table caption "
                   "summary dt dd section details".split())


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



def plain_heading(line: str) -> str:
    """A Markdown heading line's text: without the #s, an attribute list, emphasis or code marks."""
    text = re.sub(r"\s*\{[^}]*\}\s*$", "", line.strip().lstrip("#").rstrip("#").strip())
    return re.sub(r"[*_`]", "", text).strip()
