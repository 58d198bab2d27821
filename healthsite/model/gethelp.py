"""The "When to get help" summary at the top of an article: made from the page's own care cards, never retyped."""

from __future__ import annotations

from dataclasses import dataclass

from healthsite.reading.config import SiteConfig
from healthsite.reading.facts import EMERGENCY, tel
from healthsite.mdext import CareCardFact

URGENCY = ("emergency", "urgent", "non-urgent")  # most urgent first


@dataclass(frozen=True)
class HelpEntry:
    """One line of the summary: a card's level, the link to it and the text of that link."""

    level: str
    href: str
    text: str


@dataclass(frozen=True)
class GetHelp:
    """The summary: the emergency number (shown and as a `tel:` address) and one entry per card, most urgent
    first."""

    number: str
    tel: str
    entries: tuple[HelpEntry, ...]

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels the page's cards have, most urgent first."""
        return tuple(level for level in URGENCY if any(e.level == level for e in self.entries))


def emergency_number(config: SiteConfig) -> str:
    """The number readers are told to call in an emergency: the edition's fact emergency-number."""
    return config.all_facts[EMERGENCY].value


def get_help(config: SiteConfig, cards: tuple[CareCardFact, ...]) -> GetHelp | None:
    """The summary of an article's cards, or None for a page without any."""
    if not cards:
        return None
    ordered = sorted(cards, key=lambda card: URGENCY.index(card.level) if card.level in URGENCY else len(URGENCY))
    titles = [card.title for card in ordered]
    entries = tuple(HelpEntry(card.level, f"#{card.id}", _text(card, titles.count(card.title) > 1))
                    for card in ordered)
    number = emergency_number(config)
    return GetHelp(number, tel(number), entries)


def _text(card: CareCardFact, repeated: bool) -> str:
    """A card's link text: its title, with its section's title when another card has the same title."""
    return f"{card.title} ({card.section})" if repeated and card.section else card.title


@dataclass(frozen=True)
class NeedHelp:
    """The home page's "Need help now?" strip: the number to call and the article card that lists the emergency
    signs."""

    number: str
    tel: str
    href: str


def need_help(config: SiteConfig, cards: list[tuple[str, tuple[CareCardFact, ...]]]) -> NeedHelp | None:
    """The strip, from the first article (start here first) with an emergency card: `cards` is (URL, cards) per
    article."""
    for url, facts in cards:
        emergency = next((card for card in facts if card.level == "emergency"), None)
        if emergency is not None:
            number = emergency_number(config)
            return NeedHelp(number, tel(number), f"{url}#{emergency.id}")
    return None


def contents_first(toc: tuple[tuple[str, str], ...], cards: tuple[CareCardFact, ...]) -> tuple[tuple[str, str], ...]:
    """The contents list with the section of the page's most urgent card first (the rest in page order)."""
    if not cards or not toc:
        return toc
    first = min(cards, key=lambda card: URGENCY.index(card.level) if card.level in URGENCY else len(URGENCY))
    found = [entry for entry in toc if entry[1] == first.section][:1]
    return tuple(found + [entry for entry in toc if entry not in found])
