"""Medicine-safety links: a page that names a medicine must link to the section on its safe use."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import PurePosixPath

from markdown.treeprocessors import Treeprocessor

from healthsite.mdext.state import Hooked, Mention, text_of

HIDDEN = re.compile(r"\]\([^)\n]*\)|\[@[^\]\n]*\]|<[^>\n]*>|\{[:#.][^}\n]*\}")  # link targets, citations, tags, attrs


def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the terms, in any case, as whole words (a phrase may break across lines)."""
    phrases = sorted((r"\s+".join(map(re.escape, t.split())) for t in terms if t.strip()), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


class MentionProcessor(Hooked, Treeprocessor):
    """Records the first mention of each safety-link term on a page that does not link to the term's section."""

    def run(self, root: etree.Element) -> None:
        """Search the page's visible text, shared cards included, once per safety link."""
        state = self.extension.state
        rules = state.ask(self.extension.refs, "safety")
        if not rules:
            return
        text = text_of(root)
        linked = {f"{link.target}#{link.anchor}" for link in state.links}
        own = PurePosixPath(state.source).name
        for terms, link in rules:
            pattern = term_pattern(terms)
            found = pattern.search(text)
            if found and link not in linked and link.partition("#")[0] != own:
                state.mentions.append(Mention(link, found.group(0), *self.where(pattern)))

    def where(self, pattern: re.Pattern[str]) -> tuple[str, int]:
        """The file and line of the first mention in the Markdown (outside link targets and citations)."""
        state = self.extension.state
        masked = HIDDEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), state.text)
        found = pattern.search(masked)
        return state.origin(masked.count("\n", 0, found.start()) if found else 0)
