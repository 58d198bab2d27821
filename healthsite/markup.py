"""Markdown bodies: Python-Markdown with its own extensions plus the health additions."""

from __future__ import annotations

from dataclasses import dataclass

from markdown import Markdown

from .mdext import HealthExtension, Link, Mention, PageState, Refs, sanitize
from .problems import Problem

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
        html = sanitize(self.md.convert(text))
        return Body(html, tuple(state.toc), frozenset(state.anchors), tuple(state.citations.items()),
                    tuple(state.links), tuple(state.faq), tuple(state.prose), tuple(state.sections),
                    tuple(state.problems),
                    tuple((kind, key, value) for (kind, key), value in state.lookups.items()),
                    tuple(state.mentions))
