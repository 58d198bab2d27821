"""Social previews: the image a shared link shows, an article's own `image:` or a generated title card."""

from __future__ import annotations

import inspect
import io
import re
import textwrap
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import PIL
from PIL import Image as PilImage
from PIL import features
from PIL import ImageColor, ImageDraw, ImageFont

from healthsite.rendering import assets
from healthsite.reading import themefiles
from healthsite.reading.digests import digest
from healthsite.reading.content import Page
from healthsite.reading.i18n import N_
from healthsite.reading.images import Image

FONTS = Path(__file__).parent.parent / "fonts"
SIZE = (1200, 630)
MARGIN = 80
TITLE_SIZES = (72, 64, 56, 48)
MAX_LINES = 4
COLOURS = {"brand": "#005eb8", "brand-dark": "#003d78", "brand-tint": "#e8f1f8", "header-text": "#ffffff"}
BAND, STRIPE = 120, 24  # the band below and the stripe at the left, in brand-dark
STEPS = 128  # colours per ramp: two ramps fill a PNG palette
RAMPS = (("brand", "header-text"), ("brand-dark", "brand-tint"))
TOPIC_ALT = N_("%(title)s: %(topic)s article from %(site)s")  # a generated card's text alternative
PLAIN_ALT = N_("%(title)s: an article from %(site)s")
DRAWING = "palette-1"  # changes when the drawing code does: part of every card's digest
VARIABLE = re.compile(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;")


MAX_TITLE, MAX_LABEL = 300, 100  # characters a card shows of the title, and of the site's name and the topic


def capped(text: str, limit: int) -> str:
    """A text cut to `limit` characters (ending in '...' if cut): a card never draws more than fits."""
    return text if len(text) <= limit else text[:limit - 4].rstrip() + " ..."


@dataclass(frozen=True)
class Card:
    """What a generated preview card shows, and in which colours."""

    title: str
    site: str
    topic: str
    colours: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Preview:
    """An article's social preview: absolute URL, text alternative, size if known, and the card to draw if any."""

    url: str
    alt: str
    width: int = 0
    height: int = 0
    card: Card | None = None
    path: str = ""


def palette(stylesheet: Path | None) -> tuple[tuple[str, str], ...]:
    """The theme's light colours from static/style.css (its first definition of each), defaults where absent."""
    found: dict[str, str] = {}
    text = stylesheet.read_text(errors="replace") if stylesheet and stylesheet.is_file() else ""
    for name, value in VARIABLE.findall(text):
        found.setdefault(name, value)
    return tuple((name, found.get(name, default)) for name, default in COLOURS.items())


def preview(page: Page, site_title: str, topic: str, absolute: Callable[[str], str], images: dict[str, Image],
            static: tuple[Path, ...], colours: tuple[tuple[str, str], ...],
            said: Callable[[str], str] = lambda text: text) -> Preview:
    """The preview of one article; `absolute` turns a site path into a URL, `said` translates the card's text
    alternative into the page's language."""
    meta = page.meta
    name = meta.image
    if not name:
        card = Card(capped(meta.title, MAX_TITLE), capped(site_title, MAX_LABEL), capped(topic, MAX_LABEL), colours)
        path = f"social/{page.slug}.{card_digest(card)[:10]}.png"
        alt = said(TOPIC_ALT if topic else PLAIN_ALT) % {"title": meta.title, "topic": topic, "site": site_title}
        return Preview(absolute(path), alt, *SIZE, card, path)
    if name.startswith("/"):
        file = themefiles.find(static, name)
        published = assets.published_name(name.lstrip("/"), file.read_bytes() if file else b"")
        return Preview(absolute(published), meta.image_alt)
    if name in images:
        image = images[name]
        width = image.widths()[-1]
        return Preview(absolute(quote(image.file(width, image.kind))), meta.image_alt, width, image.height_at(width))
    return Preview(name, meta.image_alt)


def card_digest(card: Card) -> str:
    """The fingerprint of a card: its content and its design, not the engine's, so a release that did not change
    how cards look keeps every card's URL (and the file made for it)."""
    return digest(design(), repr(card))


@cache
def design() -> str:
    """The fingerprint of how cards are drawn: the drawing code's source and constants, the fonts, and the versions
    of Pillow, FreeType and zlib that turn them into PNG bytes."""
    code = [_source(function) for function in (draw, layout, _fit, _wrap, _palette, _blend)]
    constants = repr((SIZE, MARGIN, TITLE_SIZES, MAX_LINES, BAND, STRIPE, STEPS, RAMPS))
    return digest(DRAWING, *code, constants, _fonts_digest(), PIL.__version__,
                  str(features.version("freetype2")), zlib.ZLIB_RUNTIME_VERSION)


def _source(function: Callable) -> str:
    """A function's source (its bytecode where the source is not installed)."""
    try:
        return inspect.getsource(function)
    except OSError:
        return function.__code__.co_code.hex()


@cache
def _fonts_digest() -> str:
    """The fingerprint of the shipped fonts (read once per process)."""
    return digest(*(_font_bytes(bold) for bold in (True, False)))


@cache
def _font_bytes(bold: bool) -> bytes:
    """The shipped DejaVu Sans font file."""
    return (FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")).read_bytes()


@cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    """The shipped font at a size."""
    return ImageFont.truetype(io.BytesIO(_font_bytes(bold)), size)


def draw(card: Card) -> bytes:
    """A 1200 x 630 PNG: the site's name, the title wrapped large, and the topic on a band below.

    Two flat regions with anti-aliased text, drawn as a palette image of two ramps of STEPS colours each (brand
    -> header-text above, brand-dark -> brand-tint on the band and the stripe): the regions are filled with the
    first index of their ramp and the text drawn with the last, so Pillow's anti-aliasing blends the index along
    the ramp as it would blend the colours. The PNG has one byte a pixel, and differs from the same drawing in RGB
    by at most one level per channel.
    """
    width, height = SIZE
    picture = PilImage.new("L", SIZE, 0)
    pen = ImageDraw.Draw(picture)
    pen.rectangle((0, height - BAND, width, height), fill=STEPS)
    pen.rectangle((0, 0, STRIPE, height - BAND), fill=STEPS)
    for text in layout(card):
        pen.text(text.xy, text.text, font=_font(text.size, text.bold), fill=STEPS * (text.region + 1) - 1,
                 anchor=text.anchor)
    picture.putpalette(_palette(card.colours))  # the indexes become colours: a palette ("P") image
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=1)  # flat colours: level 1 is about as small as 6, and faster
    return out.getvalue()


@dataclass(frozen=True)
class Text:
    """One line of text on a card: where, what, in which font, and on which region (0: above, 1: the band)."""

    xy: tuple[int, int]
    text: str
    size: int
    bold: bool
    region: int
    anchor: str | None = None


def layout(card: Card) -> list[Text]:
    """The lines of text a card shows, placed."""
    width, height = SIZE
    size, lines = _fit(card.title, width - 2 * MARGIN)
    top = 140 + (height - BAND - 140 - 40 - len(lines) * round(size * 1.2)) // 2
    texts = [Text((MARGIN, 64), card.site, 36, True, 0)]
    texts += [Text((MARGIN, top + number * round(size * 1.2)), line, size, True, 0) for number, line in enumerate(lines)]
    if card.topic:
        texts.append(Text((MARGIN, height - BAND // 2), card.topic, 34, False, 1, "lm"))
    return texts


@cache
def _palette(colours: tuple[tuple[str, str], ...]) -> list[int]:
    """The card's two ramps, as flat RGB triples: brand -> header-text, then brand-dark -> brand-tint."""
    rgb = {name: ImageColor.getrgb(value)[:3] for name, value in colours}
    flat: list[int] = []
    for back, ink in RAMPS:
        for step in range(STEPS):
            cover = round(step * 255 / (STEPS - 1))
            flat += [_blend(cover, b, i) for b, i in zip(rgb[back], rgb[ink])]
    return flat


def _blend(cover: int, back: int, ink: int) -> int:
    """One channel of ink over a background at a coverage of 0-255, rounded as Pillow's text drawing rounds."""
    total = back * (255 - cover) + ink * cover + 128
    return ((total >> 8) + total) >> 8


def _fit(title: str, room: int) -> tuple[int, list[str]]:
    """The largest title size whose wrapped lines fit the card; at the smallest, the excess is cut with '...'."""
    for size in TITLE_SIZES:
        lines = _wrap(title, _font(size, True), room)
        if len(lines) <= MAX_LINES:
            return size, lines
    lines = lines[:MAX_LINES]
    lines[-1] = textwrap.shorten(lines[-1] + " ...", len(lines[-1]), placeholder=" ...")
    return size, lines


def _wrap(text: str, font: ImageFont.FreeTypeFont, room: int) -> list[str]:
    """Greedy word wrap by measured width."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
