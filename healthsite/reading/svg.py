"""SVG safety: an image file may draw, never run code or fetch anything; parsed with entities refused."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import defusedxml
import defusedxml.ElementTree as safe_xml

from healthsite.reading.files import line_of
from healthsite.problems import Problem, error
from healthsite.reading.svgrules import ATTRIBUTES, ELEMENTS, FOREIGN_ATTRIBUTES, HINT, SVG_NS, XLINK_NS, css_problems

FORBIDDEN = {"script": "a script", "foreignobject": "a foreignObject (embedded HTML)"}
BOMS = {b"\xef\xbb\xbf": "", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe\x00\x00": "UTF-32",
        b"\xfe\xff": "UTF-16", b"\xff\xfe": "UTF-16"}
DECLARED = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
MAX_SIDE = 100_000  # pixels: a size beyond this is not a drawing's


def check_svg(data: bytes, shown: str) -> tuple[tuple[int, int] | None, list[Problem]]:
    """An SVG file's intrinsic (width, height), and every reason it may not be published."""
    text, why = decoded(data)
    if text is None:
        return None, [error(shown, 1, why)]
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
    problems = [error(shown, line, message) for line, message in _instructions(text) + _dangers(root, text)]
    size = _size(root)
    if size is None:
        problems.append(error(shown, _line(text, "<svg"), "SVG has no usable size: give it a viewBox, "
                                                           f"e.g. viewBox=\"0 0 800 450\" (each side 1 to "
                                                           f"{MAX_SIDE:,} pixels)"))
    return size, problems


def decoded(data: bytes) -> tuple[str | None, str]:
    """The file's text if it is UTF-8 (with or without a byte-order mark) and declares no other encoding; else
    why not (a browser would decode UTF-16 or another declared encoding, so the checks must see what it sees)."""
    for bom, name in BOMS.items():
        if data.startswith(bom) and name:
            return None, f"SVG is saved as {name}: save it as UTF-8"
    declared = DECLARED.match(data)
    if declared and declared.group(1).decode("ascii", "replace").strip().lower() not in ("utf-8", "utf8"):
        return None, (f"SVG declares the encoding '{declared.group(1).decode('ascii', 'replace')[:40]}': "
                      "save it as UTF-8 (and declare encoding=\"UTF-8\", or nothing)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"SVG is not valid UTF-8 (byte 0x{data[exc.start]:02x}): save it as UTF-8"
    if "\0" in text:
        return None, "SVG holds NUL characters: save it as UTF-8"
    return text, ""


def _instructions(text: str) -> list[tuple[int, str]]:
    """(line, message) for each processing instruction (an `<?xml-stylesheet?>` could restyle or rebuild the
    drawing); only the XML declaration at the very start is allowed."""
    found = []
    for match in re.finditer(r"<\?", text):
        if match.start() == 0 and re.match(r"<\?xml\s", text):
            continue
        name = re.match(r"<\?([^\s?>]*)", text[match.start():]).group(1)  # type: ignore[union-attr]
        line = text.count("\n", 0, match.start()) + 1
        what = "loads an external stylesheet" if name.lower() == "xml-stylesheet" else \
            f"holds a processing instruction (<?{name[:40]}?>)"
        found.append((line, f"SVG {what}; {HINT}"))
    return found


def _dangers(root: etree.Element, text: str) -> list[tuple[int, str]]:
    """(line, message) for each element or attribute outside the allowlist, and each external reference."""
    found, pending = [], [root]
    while pending:
        element = pending.pop()
        found += _attribute_problems(element, text)
        refused = _element_problem(element, text)
        found += refused
        if _local(element.tag) == "style" and element.tag.startswith(f"{{{SVG_NS}}}"):
            found += [(_line(text, needle), message) for needle, message in css_problems(element.text or "")]
        if not refused:  # what a refused element holds goes with it
            pending += reversed(list(element))
    return found


def _element_problem(element: etree.Element, text: str) -> list[tuple[int, str]]:
    """The problem with an element that is not a drawing element of the SVG namespace, if it is one."""
    if not isinstance(element.tag, str):
        return []
    local = _local(element.tag)
    line = _line(text, f"<{local}", f":{local}")
    if local.lower() in FORBIDDEN:
        return [(line, f"SVG contains {FORBIDDEN[local.lower()]}; {HINT}")]
    if not element.tag.startswith(f"{{{SVG_NS}}}"):
        return [(line, f"SVG contains <{local[:40]}> from another namespace; {HINT} (export it as plain SVG)")]
    if local not in ELEMENTS:
        return [(line, f"SVG contains <{local[:40]}>, which a drawing may not (no scripts, links, animation or "
                       f"embedded content); {HINT}")]
    return []


def _attribute_problems(element: etree.Element, text: str) -> list[tuple[int, str]]:
    """The problems with an element's attributes: event handlers, attributes outside the allowlist, references
    outside the file, and style that could fetch or hide something."""
    found = []
    for name, value in element.attrib.items():
        local, space = _local(name), name[1:].split("}", 1)[0] if name.startswith("{") else ""
        if local.lower().startswith("on"):
            found.append((_line(text, f"{local}="), f"SVG has an event handler '{local}'; {HINT}"))
        elif local == "href" and space in ("", XLINK_NS) and not value.strip().startswith("#"):
            found.append((_line(text, value), f"SVG refers to '{value}' outside itself; {HINT}"))
        elif not (local in ATTRIBUTES and not space or local.startswith("data-") and not space
                  or local in FOREIGN_ATTRIBUTES.get(space, ())):
            found.append((_line(text, f"{local}="), f"SVG has the attribute '{local[:40]}', which a drawing may "
                                                      f"not; {HINT}"))
        else:
            found += [(_line(text, needle), message) for needle, message in css_problems(value)]
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
    return (round(w), round(h)) if 1 <= w <= MAX_SIDE and 1 <= h <= MAX_SIDE else None


def _pixels(value: str | None) -> int | None:
    """A length in pixels (plain or px), or None for anything relative."""
    try:
        number = float((value or "").strip().removesuffix("px"))
    except ValueError:
        return None
    return round(number) if 1 <= number <= MAX_SIDE else None  # never inf or nan


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
