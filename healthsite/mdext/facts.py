"""Facts: `[=name]` stands for the value of a fact of site.yaml (`facts:`); a phone number becomes a tel: link.

`[=` never occurs in ordinary text or in Markdown's own syntax, and article bodies are not Jinja templates, so a
fact cannot be mistaken for either. Inside code (`[=name]` between backticks) it stays as written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor

from healthsite.reading.facts import NAME, Fact, unknown
from healthsite.problems import excerpt

FACT = r"\[=([^\]\n]*)\]"


class FactProcessor(InlineProcessor):
    """Puts a fact's value in place: as text, or as a link that calls a phone number."""

    def __init__(self, extension) -> None:
        super().__init__(FACT)
        self.extension = extension

    def handleMatch(self, m: re.Match, data: str) -> tuple[etree.Element | str, int, int]:
        """The fact's value, or the text as written with an error at its line."""
        state, refs = self.extension.state, self.extension.refs
        name = m.group(1).strip()
        written = m.group(0)
        if not NAME.fullmatch(name):
            state.fail(written, f"malformed fact '{excerpt(written)}': write [=name], a name of lowercase letters, "
                                "digits and '-' from facts: in site.yaml")
            return written, m.start(0), m.end(0)
        fact = state.ask(refs, "fact", name)
        if not isinstance(fact, Fact):
            state.fail(written, unknown(name, refs.facts))
            return written, m.start(0), m.end(0)
        if not fact.phone:
            return fact.value, m.start(0), m.end(0)
        link = etree.Element("a", {"href": fact.href})
        link.text = fact.value
        return link, m.start(0), m.end(0)
