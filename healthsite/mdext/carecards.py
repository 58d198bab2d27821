"""Care cards: `!!! non-urgent|urgent|emergency "Title"` in the NHS's three levels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from healthsite.reading.i18n import CARE_LEVELS
from healthsite.problems import warning
from healthsite.mdext.phones import link_numbers
from healthsite.mdext.state import CareCardFact, Hooked, text_of

LEVELS = CARE_LEVELS
OPENING = re.compile(r"^[ \t]*!!! ?[\w\-]+(?: +[\w\-]+)*(?: +\"(?:.*?)\")? *$")
INDENT = "    "


class CareCardProcessor(Hooked, Treeprocessor):
    """Turns admonition blocks into care cards; any other admonition type is an error."""

    def run(self, root: etree.Element) -> None:
        """Convert each admonition, giving its heading the level below the section it is in; record each card
        (its id, level, title and section) and check the order of the cards."""
        self.check_raw_html()
        level, section = 1, ""
        lines = self.extension.state.text.expandtabs(4).split("\n")
        openings = iter([i for i, line in enumerate(lines) if OPENING.match(line)])
        for position, child in enumerate(root):
            if child.tag in ("h1", "h2", "h3", "h4", "h5"):
                level = int(child.tag[1])
            if child.tag == "h2":
                section = text_of(child, self.md.htmlStash.rawHtmlBlocks)
            for div in [d for d in child.iter("div") if d.get("class", "").startswith("admonition ")]:
                opening = next(openings, None)
                if self.convert(div, min(level + 1, 6)) and opening is not None:
                    self.check_indent(div, lines, opening)
                    self.record(div, section, opening, position if div is child else -1)
        self.check_order()

    def record(self, card: etree.Element, section: str, opening: int, position: int) -> None:
        """Give a converted card its id, make its phone numbers tappable, and note it for the page's summary."""
        state = self.extension.state
        kind = card.get("class", "").rsplit("--", 1)[1]
        card.set("id", f"care-card-{len(state.care_cards) + 1}")
        title = text_of(card[0], self.md.htmlStash.rawHtmlBlocks).removeprefix(card[0][0].text or "").strip()
        link_numbers(card, str(state.ask(self.extension.refs, "emergency")))
        state.care_cards.append(CareCardFact(card.get("id"), kind, title, section, state.origin(opening), position))

    def check_order(self) -> None:
        """Warn about two cards of the same level back to back, and an emergency card after a less urgent card of
        its section."""
        state, previous = self.extension.state, None
        for card in state.care_cards:
            if previous and previous.level == card.level and previous.position >= 0 \
                    and card.position == previous.position + 1:
                state.problems.append(warning(*card.origin, f"two {card.level} care cards in a row: merge them into "
                                              "one card, so a reader finds one list of signs for each level"))
            before = [c for c in state.care_cards[:state.care_cards.index(card)] if c.section == card.section]
            lower = next((c for c in before if c.level != "emergency"), None)
            if card.level == "emergency" and lower is not None:
                article = "an" if lower.level == "urgent" else "a"
                state.problems.append(warning(*card.origin, f"an emergency care card after {article} {lower.level} card in "
                                              "the same section: put the emergency card first (the most urgent "
                                              "advice comes first)", "safety"))
            previous = card

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
