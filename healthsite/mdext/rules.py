"""Editorial rules in the text: each match of a rule's pattern is checked against where it stands (the article's
text, an inline care card of some level, or a shared care card) and, for a quantity, the value it gives."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from healthsite.reading.facts import Fact
from healthsite.problems import excerpt
from healthsite.reading.rules import CARE_ORDER, TextRule, reported
from healthsite.mdext.state import Hooked

MASKED = re.compile(r"<!--.*?-->|`[^`\n]*`|\]\([^)\n]*\)|\[@[^\]\n]*\]|<[^>\n]*>|\{[:#.][^}\n]*\}|^[ \t]*!!! ?[\w-]+",
                    re.DOTALL | re.MULTILINE)  # comments, code, link targets, citations, tags, attributes, '!!! kind'
FACT = re.compile(r"\[=([a-z0-9-]+)\]")
OPENING = re.compile(r"[ \t]*!!! ?([\w-]+)")
Place = tuple[str, str, int]  # (care level or "" for the article's text, shared card name or "", card's first line)
TEXT: Place = ("", "", -1)


class RuleProcessor(Hooked, Treeprocessor):
    """Checks the page's Markdown (shared cards in place) against the edition's text rules."""

    def run(self, root: etree.Element) -> None:
        """Find every match of every rule; record an error or warning at its line where it breaks the rule."""
        state, refs = self.extension.state, self.extension.refs
        rules = state.ask(refs, "rules")
        if not rules:
            return
        text = self.plain(state.text)
        places = self.places(text.split("\n"))
        said: set[tuple[str, int]] = set()  # one problem of a kind per line (retyped advice: per card)
        for rule, pattern in ((rule, pattern) for rule in refs.rules for pattern in rule.patterns):
            for found in pattern.finditer(text):
                index = text.count("\n", 0, found.start())
                place = places[index] if index < len(places) else TEXT
                message = complaint(rule, found, place)
                key = (rule.kind, place[2] if rule.kind == "written_once" and place[2] >= 0 else index)
                if message and key not in said:
                    said.add(key)
                    state.problems.append(reported(rule.rule.level, *state.origin(index), message,
                                                   "style" if rule.kind == "avoid" else "safety"))

    def plain(self, text: str) -> str:
        """The Markdown as readers see its words, line for line: markup blanked out, facts as their values."""
        state, refs = self.extension.state, self.extension.refs

        def value(match: re.Match) -> str:
            fact = state.ask(refs, "fact", match.group(1))
            return fact.value if isinstance(fact, Fact) else " "
        text = MASKED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        return re.sub(r"[*_]", "", FACT.sub(value, text)).replace("\u2019", "'")

    def places(self, lines: list[str]) -> list[Place]:
        """Where each line stands: in the article's text, or in a care card (its level, and its shared card)."""
        state = self.extension.state
        shared = {card.source: name for name, card in self.extension.refs.care_cards.items()}
        out: list[Place] = []
        card: tuple[int, Place] | None = None
        for index, line in enumerate(self.extension.state.text.split("\n")[:len(lines)]):
            expanded = line.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip())
            if card is not None and expanded.strip() and indent < card[0] + 4:
                card = None
            opening = OPENING.match(line)
            if card is None and opening and opening.group(1) in CARE_ORDER:
                following = next((i for i in range(index + 1, len(lines)) if lines[i].strip()), index)
                card = indent, (opening.group(1), shared.get(state.origin(following)[0], ""), index)
            out.append(card[1] if card else TEXT)
        return out


def complaint(rule: TextRule, found: re.Match, place: Place) -> str | None:
    """Why a match breaks its rule where it stands, or None if it does not."""
    level, card, _ = place
    shown = excerpt(" ".join(found.group(0).split()))
    where = "the article's text" if not level else f"the shared care card '{card}' ({level})" if card \
        else f"an inline {level} care card"
    spec = rule.rule
    if rule.kind == "care_level":
        if (not level and not spec.in_prose) or (level and CARE_ORDER.index(level) >= CARE_ORDER.index(spec.at_least)):
            return None
        return f"'{shown}' may appear only in a care card of level {spec.at_least} or higher, not in {where}: " \
               f"{spec.message}"
    if rule.kind == "written_once":
        if card or (not level and not spec.in_prose):
            return None
        return f"'{shown}' is written once, in the shared care card '{spec.card}': show it with a line " \
               f"'!!! care {spec.card}' instead of retyping it in {where}: {spec.message}"
    if rule.kind == "consistent":
        value = next((g for g in found.groups() if g is not None), found.group(0))
        if same(value, rule.expected):
            return None
        fact = f" (write [={spec.fact}])" if spec.fact else ""
        return f"{spec.name}: '{shown}' gives {excerpt(value)}, but this site's value is {rule.expected}{fact}: " \
               f"{spec.message}"
    return f"'{shown}': write '{spec.instead}' instead: {spec.why}" + (f" ({spec.message})" if spec.message else "")


def same(value: str, expected: str) -> bool:
    """Whether a value found in the text is the expected one (any case, spacing and final punctuation aside)."""
    def norm(text: str) -> str:
        return " ".join(text.casefold().split()).rstrip(".,;:")
    return norm(value) == norm(expected)
