"""Outline: the page's section list, its anchors and its prose, and a check for stray h1s."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from healthsite.mdext.state import Hooked, text_of

SKIPPED = ("care-card", "table-scroll")


class OutlineProcessor(Hooked, Treeprocessor):
    """Records sections (h2), every id, and the prose used for readability."""

    def run(self, root: etree.Element) -> None:
        """Walk the finished tree once."""
        state, stash = self.extension.state, self.md.htmlStash.rawHtmlBlocks
        for element in root.iter():
            if element.get("id"):
                state.anchors.add(element.get("id"))
            if element.tag == "h2":
                state.toc.append((element.get("id", ""), text_of(element, stash)))
            if element.tag == "h1":
                state.fail(text_of(element, stash), "use '##' for sections: the title is the page's only h1")
        self.prose(root, state.prose, stash)

    def prose(self, element: etree.Element, out: list[str], stash: list) -> None:
        """Collect the text of paragraphs, list items and captions outside headings, tables, cards and questions.

        Each h2 met on the way starts a section: (title, file line, index of its first paragraph in `out`).
        """
        for child in element:
            if child.tag == "h2":
                title = text_of(child, stash)
                self.extension.state.sections.append((title, self.extension.state.heading_line(title), len(out)))
            if child.tag in ("p", "li", "figcaption") and not any(c.tag in ("p", "ul", "ol") for c in child):
                out.append(text_of(child, stash))
            elif child.tag not in ("summary", "h1", "h2", "h3", "h4", "h5", "h6") and \
                    not any(child.get("class", "").startswith(s) for s in SKIPPED):
                self.prose(child, out, stash)
