"""Phone numbers in care cards: the emergency number and US phone numbers become `tel:` links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from healthsite.reading.facts import tel

US_NUMBER = r"(?:1-)?\d{3}-\d{3}-\d{4}|\(\d{3}\) \d{3}-\d{4}"


def pattern(emergency: str) -> re.Pattern[str]:
    """Whole-word phone numbers: the emergency number (any digits) or a US number (1-800-222-1222)."""
    number = re.escape(emergency) + "|" if emergency.strip() else ""
    return re.compile(rf"(?<![\w-])(?:{number}{US_NUMBER})(?![\w-])")


def link_numbers(element: etree.Element, emergency: str) -> None:
    """Wrap each phone number in the element's text (not already inside a link) in a `tel:` link."""
    found = pattern(emergency)
    for parent in [e for e in element.iter() if e.tag != "a"]:
        if parent.text and found.search(parent.text):
            parent.text = _split(parent, 0, parent.text, found)
        for child in list(parent):
            if child.tail and found.search(child.tail):
                child.tail = _split(parent, list(parent).index(child) + 1, child.tail, found)


def _split(parent: etree.Element, at: int, text: str, found: re.Pattern[str]) -> str:
    """Insert links for the numbers of `text` at child position `at`; the text before the first is returned."""
    pieces = found.split(text)
    numbers = found.findall(text)
    for offset, (number, after) in enumerate(zip(numbers, pieces[1:])):
        link = etree.Element("a", {"href": tel(number), "class": "tel"})
        link.text, link.tail = number, after
        parent.insert(at + offset, link)
    return pieces[0]
