"""Citations: `[@key]` and `[@a; @b]` become numbered superscript links to the References."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor

from healthsite.reading.i18n import SOURCE
from healthsite.reading.typed import did_you_mean
from healthsite.problems import excerpt

CITATION = r"[ \t]*\[@([^\]\n]*)\]"  # the space before a citation goes, so its number never wraps alone
KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_.:-]*)")


class CitationProcessor(InlineProcessor):
    """Turns a citation into `<sup class="citations">` holding one link per source."""

    def __init__(self, extension) -> None:
        super().__init__(CITATION)
        self.extension = extension

    def handleMatch(self, m: re.Match, data: str) -> tuple[etree.Element, int, int]:
        """Number each cited key in order of first use and link it to its entry."""
        state, refs = self.extension.state, self.extension.refs
        keys = [KEY.fullmatch(part.strip()) for part in ("@" + m.group(1)).split(";")]
        sup = etree.Element("sup", {"class": "citations"})
        if not all(keys):
            written = m.group(0).strip()
            state.fail(written, f"malformed citation '{excerpt(written)}' (write [@key] or [@key1; @key2])")
            return sup, m.start(0), m.end(0)
        for index, key in enumerate(k.group(1) for k in keys):
            if not state.ask(refs, "source", key):
                state.fail(f"@{key}", f"unknown source '{excerpt(key)}'{did_you_mean(key, refs.bibliography)}: add it to "
                                      "the bibliography or fix the key")
                continue
            occurrence = state.citations[key] = state.citations.get(key, 0) + 1
            number = list(state.citations).index(key) + 1
            link = etree.SubElement(sup, "a", {"href": f"#ref-{number}", "id": f"cite-{number}-{occurrence}",
                                               "aria-label": str(state.ask(refs, "text", SOURCE)) % {"number": number}})
            link.text = str(number)
            if len(sup) > 1:
                sup[-2].tail = ", "
        return sup, m.start(0), m.end(0)
