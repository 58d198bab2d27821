"""FAQ: a `## Frequently asked questions` section of `###` questions becomes <details> items."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from healthsite.reading.i18n import FAQ_HEADING
from healthsite.mdext.state import Hooked, text_of


class FaqProcessor(Hooked, Treeprocessor):
    """Rebuilds the FAQ section as `section.faq` and records its questions and answers."""

    def run(self, root: etree.Element) -> None:
        """Find the FAQ heading and fold what follows it, up to the next h2, into items."""
        children = list(root)
        heading = str(self.extension.state.ask(self.extension.refs, "text", FAQ_HEADING)).lower()
        start = next((i for i, c in enumerate(children)
                      if c.tag == "h2" and text_of(c, self.md.htmlStash.rawHtmlBlocks).lower() == heading), None)
        if start is None:
            return
        end = next((i for i in range(start + 1, len(children)) if children[i].tag in ("h1", "h2")), len(children))
        part = children[start:end]
        if not any(c.tag == "h3" for c in part):
            return
        for child in part:
            root.remove(child)
        root.insert(start, self.section(part))

    def section(self, part: list[etree.Element]) -> etree.Element:
        """The FAQ section: its heading, any introduction, then one details item per question."""
        heading = part[0]
        section = etree.Element("section", {"class": "faq", "aria-labelledby": heading.get("id", "")})
        section.append(heading)
        answer: etree.Element | None = None
        for child in part[1:]:
            if child.tag == "h3":
                answer = self.item(section, child)
            elif answer is not None:
                answer.append(child)
            else:
                section.append(child)
        for details in section.iter("details"):
            stash = self.md.htmlStash.rawHtmlBlocks
            self.extension.state.faq.append((text_of(details[0], stash), text_of(details[1], stash)))
        return section

    def item(self, section: etree.Element, question: etree.Element) -> etree.Element:
        """Add one details item for a question heading; return the element its answer goes in."""
        details = etree.SubElement(section, "details", {"class": "faq-item"})
        if question.get("id"):
            details.set("id", question.get("id"))
        summary = etree.SubElement(details, "summary")
        summary.text = question.text
        summary.extend(list(question))
        return etree.SubElement(details, "div", {"class": "faq-answer"})
