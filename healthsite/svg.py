"""SVG safety: an image file may draw, never run code or fetch anything; parsed with entities refused."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import defusedxml
import defusedxml.ElementTree as safe_xml

from .files import line_of
from .problems import Problem, error

FORBIDDEN = {"script": "a script", "foreignobject": "a foreignObject (embedded HTML)"}
URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
HINT = "remove it: an image must draw only, from inside the file"


def check_svg(data: bytes, shown: str) -> tuple[tuple[int, int] | None, list[Problem]]:
    """An SVG file's intrinsic (width, height), and every reason it may not be published."""
    text = data.decode("utf-8", "replace")
    try:
        root = safe_xml.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        line = _line(text, "<!DOCTYPE", "<!ENTITY")
        return None, [error(shown, line, "SVG declares a DOCTYPE or entities (they can read other files); "
                                         "remove the <!DOCTYPE ...> part")]
    except etree.ParseError as exc:
        return None, [error(shown, exc.position[0], f"SVG is not well-formed XML: {exc}".split(": line")[0])]
    if _local(root.tag) != "svg" or not root.tag.startswith("{http://www.w3.org/2000/svg}"):
        return None, [error(shown, 1, "not an SVG image: the root must be <svg xmlns=\"http://www.w3.org/2000/svg\">")]
    problems = [error(shown, line, message) for line, message in _dangers(root, text)]
    if "<?xml-stylesheet" in text:
        problems.append(error(shown, _line(text, "<?xml-stylesheet"), f"SVG loads an external stylesheet; {HINT}"))
    size = _size(root)
    if size is None:
        problems.append(error(shown, _line(text, "<svg"), "SVG has no usable size: give it a viewBox, "
                                                           "e.g. viewBox=\"0 0 800 450\""))
    return size, problems


def _dangers(root: etree.Element, text: str) -> list[tuple[int, str]]:
    """(line, message) for each script, foreignObject, event handler and external reference."""
    found = []
    for element in root.iter():
        tag = _local(element.tag).lower()
        if tag in FORBIDDEN:
            found.append((_line(text, f"<{_local(element.tag)}", f":{_local(element.tag)}"),
                          f"SVG contains {FORBIDDEN[tag]}; {HINT}"))
        for name, value in element.attrib.items():
            local = _local(name)
            if local.lower().startswith("on"):
                found.append((_line(text, f"{local}="), f"SVG has an event handler '{local}'; {HINT}"))
            elif local == "href" and not value.strip().startswith("#"):
                found.append((_line(text, value), f"SVG refers to '{value}' outside itself; {HINT}"))
            else:
                found += _css(value, text)
        if tag == "style":
            found += _css(element.text or "", text)
    return found


def _css(css: str, text: str) -> list[tuple[int, str]]:
    """External references in a style sheet or a presentation attribute: url() not to #id, and @import."""
    found = [(_line(text, target), f"SVG refers to '{target}' outside itself; {HINT}")
             for target in URL.findall(css) if not target.startswith("#")]
    if "@import" in css.lower():
        found.append((_line(text, "@import"), f"SVG style imports another file (@import); {HINT}"))
    return found


def _size(root: etree.Element) -> tuple[int, int] | None:
    """The SVG's width and height in pixels: its width/height attributes, else its viewBox."""
    width, height = _pixels(root.get("width")), _pixels(root.get("height"))
    if width and height:
        return width, height
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        w, h = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return None
    return (round(w), round(h)) if w >= 1 and h >= 1 else None


def _pixels(value: str | None) -> int | None:
    """A length in pixels (plain or px), or None for anything relative."""
    try:
        number = float((value or "").strip().removesuffix("px"))
    except ValueError:
        return None
    return round(number) if number >= 1 else None


def _local(name: str) -> str:
    """A tag or attribute name without its namespace."""
    return name.rsplit("}", 1)[-1]


def _line(text: str, *needles: str) -> int:
    """The line of the first needle found in the text (1 if none is)."""
    for needle in needles:
        line, _ = line_of(text, needle)
        if line:
            return line
    return 1
