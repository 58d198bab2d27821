"""Care cards: `!!! non-urgent|urgent|emergency "Title"` in the NHS's three levels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from ..i18n import CARE_LEVELS
from .state import Hooked, text_of

LEVELS = CARE_LEVELS
OPENING = re.compile(r"^[ \t]*!!! ?[\w\-]+(?: +[\w\-]+)*(?: +\"(?:.*?)\")? *$")
INDENT = "    "


class CareCardProcessor(Hooked, Treeprocessor):
    """Turns admonition blocks into care cards; any other admonition type is an error."""

    def run(self, root: etree.Element) -> None:
        """Convert each admonition, giving its heading the level below the section it is in."""
        self.check_raw_html()
        level = 1
        lines = self.extension.state.text.expandtabs(4).split("\n")
        openings = iter([i for i, line in enumerate(lines) if OPENING.match(line)])
        for child in root:
            if child.tag in ("h1", "h2", "h3", "h4", "h5"):
                level = int(child.tag[1])
            for div in [d for d in child.iter("div") if d.get("class", "").startswith("admonition ")]:
                opening = next(openings, None)
                if self.convert(div, min(level + 1, 6)) and opening is not None:
                    self.check_indent(div, lines, opening)

    def check_raw_html(self) -> None:
        """A care card inside a raw HTML block is an error: Markdown there is published as plain text (a comment,
        which is not published, may hold one)."""
        for raw in map(str, self.md.htmlStash.rawHtmlBlocks):
            if raw.lstrip().startswith("<!--"):
                continue
            for line in filter(OPENING.match, raw.split("\n")):
                self.extension.state.fail(line.strip(), "a care card inside raw HTML would be published as plain "
                                                        "text, not as a card: move it out of the HTML block, with "
                                                        "a blank line before and after it")

    def check_indent(self, card: etree.Element, lines: list[str], opening: int) -> None:
        """An empty card, or one followed by lines indented by fewer than four spaces, is an error at its line."""
        state = self.extension.state
        content = card[-1]
        after = [line for line in lines[opening + 1:] if line.strip()]
        body = [line for line in after[:next((i for i, line in enumerate(after) if not line.startswith(INDENT)),
                                             len(after))]]
        stray = after[len(body)] if len(body) < len(after) else ""
        if not len(content) and not (content.text or "").strip():
            state.fail_at(opening, "the care card has no content: indent its advice by four spaces under the "
                                   "'!!!' line")
        elif stray[:1] in (" ", "\t"):
            state.fail_at(opening, "part of the care card is not indented by four spaces: indent every line of "
                                   "its advice by four spaces under the '!!!' line")

    def convert(self, div: etree.Element, level: int) -> bool:
        """Rebuild one admonition div as a care card; False if it is not one."""
        kind = div.get("class", "").split(" ", 1)[1]
        if kind.startswith("care "):
            self.extension.state.fail(f"!!! {kind}", f"'!!! {kind}': a shared care card goes on a line of its own, "
                                                     "not indented (it cannot sit inside a list or another card)")
            return False
        if kind not in LEVELS:
            self.extension.state.fail(f"!!! {kind}", f"unknown care card level '{kind}' "
                                                     f"(use {', '.join(LEVELS)})")
            return False
        state, refs = self.extension.state, self.extension.refs
        hidden, default = (state.ask(refs, "text", text) for text in LEVELS[kind])
        first = div[0] if len(div) and div[0].get("class") == "admonition-title" else None
        title = text_of(first) if first is not None else ""
        if first is not None:
            div.remove(first)
        if title in ("", kind.capitalize()):
            title = default.format(number=state.ask(refs, "emergency"))
        content = etree.Element("div", {"class": "care-card__content"})
        content.extend(list(div))
        for child in list(div):
            div.remove(child)
        div.set("class", f"care-card care-card--{kind}")
        heading = etree.SubElement(div, f"h{level}", {"class": "care-card__title"})
        span = etree.SubElement(heading, "span", {"class": "visually-hidden"})
        span.text = hidden
        span.tail = f" {title}"
        div.append(content)
        return True
