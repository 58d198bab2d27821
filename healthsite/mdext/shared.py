"""Shared care cards: a line `!!! care NAME` stands for the card written once in `content/care/NAME.md`."""

from __future__ import annotations

import re

from markdown.preprocessors import Preprocessor

from healthsite.problems import error
from healthsite.reading.typed import did_you_mean
from healthsite.mdext.state import Hooked, CareCard

from healthsite.reading.sections import USE  # noqa: F401  (the line that shows a care card)
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def card_lines(card: CareCard) -> list[str]:
    """The card as an inline care card: its '!!!' line, then its body indented by four spaces."""
    title = f' "{" ".join(card.title.split())}"' if card.title.strip() else ""
    return [f"!!! {card.level}{title}"] + [f"    {line}" if line.strip() else "" for line in card.body.split("\n")]


class CareCardUseProcessor(Hooked, Preprocessor):
    """Puts each used shared card in place as an inline care card, remembering where each line came from."""

    def run(self, lines: list[str]) -> list[str]:
        """Expand every `!!! care NAME` line of the page."""
        state = self.extension.state
        if not any(USE.fullmatch(line) for line in lines):
            return lines
        out: list[str] = []
        origins: list[tuple[str, int]] = []
        for index, line in enumerate(lines):
            here = state.origin(index)
            match = USE.fullmatch(line)
            card = self.card(match.group(1) or "", lines, index, here) if match else None
            if match is None:
                out.append(line)
                origins.append(here)
            elif card is not None:
                body = card_lines(card)
                out += ["", *body, ""]
                origins += [here, here] + [(card.source, card.body_line + i) for i in range(len(body) - 1)] + [here]
        state.text, state.origins = "\n".join(out), origins
        return out

    def card(self, name: str, lines: list[str], index: int, here: tuple[str, int]) -> CareCard | None:
        """The card a `!!! care` line names, or None with the reason recorded."""
        state, refs = self.extension.state, self.extension.refs
        if not NAME.fullmatch(name):
            why = "name the shared card: write '!!! care NAME' for the card in content/care/NAME.md" if not name \
                else f"'!!! care {name}': write only the card's name after 'care' (a shared card has its own title)"
            state.problems.append(error(*here, why))
            return None
        card = state.ask(refs, "card", name)
        if not isinstance(card, CareCard):
            state.problems.append(error(*here, f"unknown shared care card '{name}'{did_you_mean(name, refs.care_cards)}: "
                                               f"add content/care/{name}.md or fix the name"))
            return None
        following = next((line for line in lines[index + 1:] if line.strip()), "")
        if following.startswith("    "):
            state.problems.append(error(*here, f"'!!! care {name}' takes no content of its own: remove the "
                                               f"indented lines under it (the advice is in {card.source})"))
        return card

