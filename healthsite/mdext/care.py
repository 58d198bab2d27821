"""Shared care advice: `content/care/NAME.md`, written once and used in articles as `!!! care NAME`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from healthsite.reading.content import SLUG, load_source
from healthsite.reading.inputs import CARE_CARDS, care_card_files
from healthsite.mdext.carecards import LEVELS
from healthsite.mdext.shared import USE
from healthsite.mdext.state import CareCard
from healthsite.problems import Problem, error, shown_path, warning
from healthsite.reading.typed import field

FOLDER = CARE_CARDS


def _level(value: str) -> str | None:
    """Check a care level."""
    return None if value.lower() in LEVELS else f"must be one of {', '.join(LEVELS)}"


@dataclass(frozen=True)
class CardMatter:
    """The fields at the top of a shared care card."""

    level: str = field("how urgent the advice is: non-urgent, urgent or emergency", check=_level)
    title: str = field("the card's heading; default: the level's standard heading", "")


def read_care_cards(content_dir: Path, root: Path) -> tuple[dict[str, CareCard], list[Problem]]:
    """Every shared card of a content folder, by name, with the problems found reading them."""
    cards, problems = {}, []
    for path in care_card_files(content_dir):
        shown = shown_path(path, root)
        try:
            card, found = parse_card(path.read_bytes(), shown)
        except OSError as exc:
            card, found = None, [error(shown, 1, f"cannot read file: {exc.strerror}")]
        problems += found
        if not SLUG.fullmatch(path.stem):
            problems.append(error(shown, 1, f"file name '{path.stem}' is not a slug (lowercase letters, digits "
                                            "and '-'); rename the file"))
        elif card is not None:
            cards[path.stem] = card
    return cards, problems


def parse_card(data: bytes, shown: str) -> tuple[CareCard | None, list[Problem]]:
    """One shared card from its file's bytes."""
    meta, body, body_line, reader = load_source(data, shown, CardMatter,
                                                "a shared care card needs front matter with its level")
    if meta is None:
        return None, reader.problems
    card = CareCard(shown, meta.level.lower(), meta.title, body.rstrip(), body_line)
    if not body.strip():
        return None, [error(shown, body_line, "the shared care card has no content: write its advice below "
                                              "the front matter")]
    nested = next((i for i, line in enumerate(body.split("\n")) if USE.match(line.strip())), None)
    if nested is not None:
        return None, [error(shown, body_line + nested, "a shared care card cannot use another one: "
                                                        "write the advice here")]
    return card, []


def unused_care_cards(cards: dict[str, CareCard], used: set[str]) -> list[Problem]:
    """A warning on every shared card no published article uses."""
    return [warning(card.source, 1, f"shared care card '{name}' is not used by any published article "
                                    f"(use it with a line '!!! care {name}', or delete the file)")
            for name, card in sorted(cards.items()) if name not in used]
