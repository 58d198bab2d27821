"""Markdown bodies: Python-Markdown with its own extensions plus the health additions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown import Markdown

from healthsite.mdext import CareCardFact, HealthExtension, Link, Mention, PageState, Refs, sanitize
from healthsite.problems import Problem, error

MAX_NESTING = 20  # levels of lists and block quotes inside each other
INLINE_MARKS = "*_[<`"
DEEP_CANDIDATE = re.compile(r"^[ \t>]{%d,}" % (MAX_NESTING + 1), re.MULTILINE)
EXTENSIONS = ("tables", "toc", "attr_list", "admonition", "footnotes")
SETTINGS = {"toc": {"toc_depth": "2-6"}}


@dataclass(frozen=True)
class Body:
    """An article body rendered to safe HTML, with what rendering found in it."""

    html: str
    toc: tuple[tuple[str, str], ...]
    anchors: frozenset[str]
    citations: tuple[tuple[str, int], ...]
    links: tuple[Link, ...]
    faq: tuple[tuple[str, str], ...]
    prose: tuple[str, ...]
    sections: tuple[tuple[str, int, int], ...]  # each h2: title, file line, index of its first prose paragraph
    problems: tuple[Problem, ...]
    lookups: tuple[tuple[str, str, object], ...]
    mentions: tuple[Mention, ...] = ()
    care_cards: tuple[CareCardFact, ...] = ()  # the care cards, in order

    def loaded(self) -> Body:
        """This body with every part in memory (a body kept in the cache reads its file once, here)."""
        return self


class Renderer:
    """One reusable Markdown converter for many pages of one site."""

    def __init__(self, refs: Refs) -> None:
        self.extension = HealthExtension(refs)
        self.md = Markdown(extensions=[*EXTENSIONS, self.extension], extension_configs=SETTINGS,
                           output_format="html")

    def render(self, source: str, text: str, first_line: int, draft: bool = False) -> Body:
        """Render one Markdown body to sanitized HTML; problems come back inside the Body."""
        self.md.reset()
        state = self.extension.state = PageState(source, text, first_line, draft=draft)
        deep = too_deep(text)
        if deep:
            return failed(source, first_line + deep[0] - 1, deep[1])
        try:
            html = sanitize(self.md.convert(text))
        except RecursionError:
            line = first_line + _busiest_line(text) - 1
            self.md.reset()
            return failed(source, line, "nested too deeply for the Markdown parser (emphasis, links or HTML "
                                        "inside each other): simplify this line")
        return Body(html, tuple(state.toc), frozenset(state.anchors), tuple(state.citations.items()),
                    tuple(state.links), tuple(state.faq), tuple(state.prose), tuple(state.sections),
                    tuple(state.problems),
                    tuple((kind, key, value) for (kind, key), value in state.lookups.items()),
                    tuple(state.mentions), tuple(state.care_cards))


def failed(source: str, line: int, message: str) -> Body:
    """The body of an article that could not be rendered: no HTML, one error."""
    return Body("", (), frozenset(), (), (), (), (), (), (error(source, line, message),), ())


def too_deep(text: str) -> tuple[int, str] | None:
    """(line in the body, why) for the first line nested more than MAX_NESTING lists or quotes deep."""
    for candidate in DEEP_CANDIDATE.finditer(text):  # only a long run of indentation or '>' can be that deep
        end = text.find("\n", candidate.start())
        line = text[candidate.start():end if end >= 0 else None]
        stripped = line.lstrip(" \t>")
        quotes = line[: len(line) - len(stripped)].count(">")
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" ")) if not quotes else 0
        if quotes > MAX_NESTING or indent // 4 > MAX_NESTING and stripped[:1] in ("-", "*", "+", *"0123456789"):
            return text.count("\n", 0, candidate.start()) + 1, (
                f"lists or quotes nested more than {MAX_NESTING} levels deep: no reader can follow that; "
                "flatten them")
    return None


def _busiest_line(text: str) -> int:
    """The body line with the most inline markup (where a too-deep nesting most likely is)."""
    lines = text.split("\n")
    return 1 + max(range(len(lines)), key=lambda i: sum(map(lines[i].count, INLINE_MARKS)))
