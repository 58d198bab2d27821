"""Generated preview images: the 1200 x 630 PNG a shared link shows for an article without its own `image:`,
drawn from what `previews.py` describes."""

from __future__ import annotations

import inspect
import io
import textwrap
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

import PIL
from PIL import Image as PilImage
from PIL import features
from PIL import ImageColor, ImageDraw, ImageFont

from healthsite.reading.digests import digest
from healthsite.reading.i18n import translations
from healthsite.model.previews import SIZE, Drawn, Preview, preview
from healthsite.model.site import Site, topic_names

FONTS = Path(__file__).parent.parent / "fonts"
MARGIN = 80
TITLE_SIZES = (72, 64, 56, 48)
MAX_LINES = 4
BAND, STRIPE = 120, 24  # the band below and the stripe at the left, in brand-dark
STEPS = 128  # colours per ramp: two ramps fill a PNG palette
RAMPS = (("brand", "header-text"), ("brand-dark", "brand-tint"))
DRAWING = "palette-1"  # changes when the drawing code does: part of every generated preview image's digest
Card = Drawn  # the name the drawing functions use: their source is in every image's URL, so it stays as written


def preview_of(site: Site, slug: str) -> Preview:
    """The preview image of an article: its own image, or a generated one (its URL keyed on how they are drawn)."""
    page = site.pages[slug]
    topic = topic_names(site.config, page.meta.tags[0])[0] if page.meta.tags else ""
    return preview(page, site.config.title, topic, lambda path: site.config.absolute(site.root_path + path),
                   site.images, site.static, site.colours, design(), translations(site.code).gettext)


class Previews:
    """Each article's preview, kept between builds (the dev server's saves) while its page and its edition's
    settings (configuration, images, static files, colours) are the same."""

    def __init__(self) -> None:
        self.sites: dict[str, tuple[Site, tuple]] = {}  # each edition's site last seen, and its settings
        self.kept: dict[tuple[str, str], tuple[object, Preview]] = {}  # (code, slug) -> (page, its preview)

    def of(self, site: Site, slug: str) -> Preview:
        """An article's preview: the one kept while its page is the very same, else made again."""
        seen = self.sites.get(site.code)
        if seen is None or seen[0] is not site:
            settings = (site.config, site.images, site.static, site.colours)
            if seen is None or seen[1] != settings:
                self.kept = {key: value for key, value in self.kept.items() if key[0] != site.code}
            self.sites[site.code] = (site, settings)
        page, kept = site.pages[slug], self.kept.get((site.code, slug))
        if kept is None or kept[0] is not page:
            kept = self.kept[(site.code, slug)] = (page, preview_of(site, slug))
        return kept[1]


@cache
def design() -> str:
    """The fingerprint of how preview images are drawn: the drawing code's source and constants, the fonts, and the
    versions of Pillow, FreeType and zlib that turn them into PNG bytes."""
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
