"""Images: `![alt](images/x.svg "Caption")` becomes a checked, responsive <figure> with its caption."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections import Counter
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from markdown.treeprocessors import Treeprocessor

from healthsite.reading.images import FOLDER, KINDS, Image
from healthsite.reading.typed import did_you_mean
from healthsite.mdext.state import Hooked

DECORATIVE = "decorative"
LONG_ALT = 150
SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
HOW = "write what it shows between the brackets: ![A runner stretching](images/stretch.svg)"


class ImageProcessor(Hooked, Treeprocessor):
    """Checks every image's file and alt text, then publishes it as a figure (or inline) with its variants."""

    def __init__(self, md, extension) -> None:
        super().__init__(md, extension)
        self.where = ("", 0)

    def run(self, root: etree.Element) -> None:
        """Visit the page's images in order; all but the first load lazily."""
        parents = {child: parent for parent in root.iter() for child in parent}
        seen: Counter[str] = Counter()
        for number, img in enumerate(list(root.iter("img"))):
            needle = f"({img.get('src', '')}"
            self.where = (needle, seen[needle])  # the image's own line, even when the same one is shown twice
            seen[needle] += 1
            image = self.image(img)
            if image is not None:
                self.place(img, parents, image, lazy=number > 0)
        for block in self.md.htmlStash.rawHtmlBlocks:
            for tag in raw_images(str(block)):
                self.extension.state.fail(f"<{tag}", f"an image written as HTML (<{tag}>) is not checked or "
                                                      f"published; write ![alt text](images/NAME.svg \"Caption\")")

    def fail(self, message: str) -> None:
        """An error at the current image's line."""
        self.extension.state.fail(self.where[0], message, nth=self.where[1])

    def warn(self, message: str) -> None:
        """A warning at the current image's line."""
        self.extension.state.warn(self.where[0], message, nth=self.where[1])

    def image(self, img: etree.Element) -> Image | None:
        """The image file an <img> names, with its alt text checked; None (and an error) when unusable."""
        state, refs = self.extension.state, self.extension.refs
        src = img.get("src", "")
        parts = urlsplit(src)
        name = posixpath.normpath(unquote(parts.path)) if parts.path else ""
        if parts.scheme or parts.netloc or not name.startswith(f"{FOLDER}/"):
            self.fail(f"image '{src}': put the file in content/{FOLDER}/ and write its path as "
                      f"{FOLDER}/NAME, e.g. ![A runner stretching]({FOLDER}/stretch.svg)")
            return None
        image = state.ask(refs, "image", name)
        if not isinstance(image, Image):
            suffix = PurePosixPath(name).suffix.lower()
            why = (f"'{suffix or 'no extension'}' is not a supported format (use PNG, JPEG or SVG)"
                   if suffix not in KINDS else f"there is no file content/{name}{did_you_mean(name, refs.images)}")
            self.fail(f"image '{src}': {why}")
            return None
        self.check_alt(img, image)
        return image

    def check_alt(self, img: etree.Element, image: Image) -> None:
        """Alt text must describe the image; a decorative image says so and gets an empty alt."""
        alt = " ".join(img.get("alt", "").split())
        classes = img.get("class", "").split()
        decorative = DECORATIVE in classes
        if decorative:
            if alt:
                self.fail(f"image '{image.name}' is marked {{.{DECORATIVE}}} but has alt text: "
                          f"remove the text or the marker")
            classes.remove(DECORATIVE)
            img.attrib.pop("class")
            if classes:
                img.set("class", " ".join(classes))
        elif not alt:
            self.fail(f"image '{image.name}' has no alt text: {HOW}; a purely decorative image takes "
                      f"the marker: ![]({image.name}){{.{DECORATIVE}}}")
        elif plain(alt) in (plain(PurePosixPath(image.name).name), plain(PurePosixPath(image.name).stem)):
            self.fail(f"image '{image.name}': the alt text is the file name; {HOW}")
        elif len(alt) > LONG_ALT:
            self.warn(f"image '{image.name}': alt text is {len(alt)} characters (keep it under "
                      f"{LONG_ALT}); put the detail in the caption: ![short alt]({image.name} \"Caption\")")
        img.set("alt", "" if decorative else alt)

    def place(self, img: etree.Element, parents: dict, image: Image, lazy: bool) -> None:
        """An image alone in its paragraph becomes a figure (captioned by its title); else it stays inline."""
        state, parent = self.extension.state, parents[img]
        base = state.ask(self.extension.refs, "base")
        caption = " ".join(img.attrib.pop("title", "").split())
        media = picture(img, image, str(base), lazy)
        alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and \
            not (img.tail or "").strip()
        if not alone:
            if caption:
                self.fail(f"image '{image.name}' has a caption, so it must stand in a paragraph of "
                          f"its own (blank lines around it)")
            if media is not img:
                _swap(parent, img, media)
            return
        figure = etree.Element("figure", {"class": "figure"})
        media.tail = None
        figure.append(media)
        if caption:
            etree.SubElement(figure, "figcaption").text = caption
        figure.tail = parent.tail
        _swap(parents[parent], parent, figure)


def picture(img: etree.Element, image: Image, base: str, lazy: bool) -> etree.Element:
    """The <img> with its published source, size and loading hints; a <picture> with WebP for rasters."""
    img.attrib.pop("src")
    img.set("width", str(image.width))
    img.set("height", str(image.height))
    if lazy:
        img.set("loading", "lazy")
        img.set("decoding", "async")
    if image.kind == "svg":
        img.set("src", base + quote(image.file()))
        return img
    img.set("src", base + quote(image.file(0, image.kind)))
    img.set("srcset", srcset(image, base, image.kind))
    img.set("sizes", SIZES)
    frame = etree.Element("picture")
    etree.SubElement(frame, "source", {"type": "image/webp", "srcset": srcset(image, base, "webp"), "sizes": SIZES})
    frame.append(img)
    frame.tail, img.tail = img.tail, None
    return frame


class _ImageTags(HTMLParser):
    """Collects the image tags of a piece of raw HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        """Note an img, picture or svg tag."""
        if tag in ("img", "picture", "svg"):
            self.found.append(tag)


def raw_images(html: str) -> list[str]:
    """The image tags (img, picture, svg) in raw HTML a writer put in the Markdown."""
    parser = _ImageTags()
    parser.feed(html)
    parser.close()
    return parser.found


def srcset(image: Image, base: str, kind: str) -> str:
    """The srcset of one format: every published width."""
    return ", ".join(f"{base}{quote(image.file(w, kind))} {w}w" for w in image.widths())  # no spaces or commas


def plain(name: str) -> str:
    """A name compared loosely: lower case, with '-', '_' and runs of spaces as one space."""
    return " ".join(re.split(r"[\s_-]+", name.lower())).strip()


def _swap(parent: etree.Element, old: etree.Element, new: etree.Element) -> None:
    """Put `new` where `old` is."""
    index = list(parent).index(old)
    parent.remove(old)
    parent.insert(index, new)
