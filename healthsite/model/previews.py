"""Preview images (what a shared link shows): an article's own `image:`, or a generated one described here and
drawn by `social.py`; the model's side, without drawing anything."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlsplit

from healthsite.model import assets
from healthsite.reading import themefiles
from healthsite.reading.content import Page
from healthsite.reading.digests import digest
from healthsite.reading.i18n import N_
from healthsite.reading.images import FOLDER, Image
from healthsite.problems import Problem, error
from healthsite.reading.typed import did_you_mean

SIZE = (1200, 630)  # a generated preview image's width and height
COLOURS = {"brand": "#005eb8", "brand-dark": "#003d78", "brand-tint": "#e8f1f8", "header-text": "#ffffff"}
VARIABLE = re.compile(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;")
TOPIC_ALT = N_("%(title)s: %(topic)s article from %(site)s")  # a generated preview image's text alternative
PLAIN_ALT = N_("%(title)s: an article from %(site)s")
MAX_TITLE, MAX_LABEL = 300, 100  # characters a preview image shows of the title, and of the site's name and topic


def capped(text: str, limit: int) -> str:
    """A text cut to `limit` characters (ending in '...' if cut): a preview image never draws more than fits."""
    return text if len(text) <= limit else text[:limit - 4].rstrip() + " ..."


@dataclass(frozen=True)
class Drawn:
    """What a generated preview image shows, and in which colours."""

    title: str
    site: str
    topic: str
    colours: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Preview:
    """An article's preview image: absolute URL, text alternative, size if known, and what to draw if generated."""

    url: str
    alt: str
    width: int = 0
    height: int = 0
    drawn: Drawn | None = None
    path: str = ""


def palette(stylesheet: Path | None) -> tuple[tuple[str, str], ...]:
    """The theme's light colours from static/style.css (its first definition of each), defaults where absent."""
    found: dict[str, str] = {}
    text = stylesheet.read_text(errors="replace") if stylesheet and stylesheet.is_file() else ""
    for name, value in VARIABLE.findall(text):
        found.setdefault(name, value)
    return tuple((name, found.get(name, default)) for name, default in COLOURS.items())


def check_images(pages: list[Page], images: dict[str, Image], static: tuple[Path, ...]) -> list[Problem]:
    """Every `image:` must name a PNG or JPEG of content/images/, a file of static/, or an http(s) URL."""
    problems = []
    for page in pages:
        name = page.meta.image
        why = _image_problem(name, images, static) if name else None
        if why:
            problems.append(error(page.source, page.line("image"), f"image '{name}': {why}"))
    return problems


def _image_problem(name: str, images: dict[str, Image], static: tuple[Path, ...]) -> str | None:
    """Why an `image:` value cannot be published, or None."""
    parts = urlsplit(name)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    if name.startswith("/"):
        found = themefiles.find(static, name) is not None
        return None if found else f"there is no file static{name}"
    if not name.startswith(f"{FOLDER}/"):
        return f"write {FOLDER}/NAME.png for a file in content/{FOLDER}/ (or an https:// URL)"
    if name not in images:
        return f"there is no file content/{name}{did_you_mean(name, images)}"
    if images[name].kind == "svg":
        return "social sites do not show SVG previews; use a PNG or JPEG (1200 x 630 works best)"
    return None


def preview(page: Page, site_title: str, topic: str, absolute: Callable[[str], str], images: dict[str, Image],
            static: tuple[Path, ...], colours: tuple[tuple[str, str], ...], design: str,
            said: Callable[[str], str] = lambda text: text) -> Preview:
    """The preview image of one article; `absolute` turns a site path into a URL, `design` is the fingerprint of
    how generated ones are drawn, `said` translates a generated one's text alternative into the page's language."""
    meta = page.meta
    name = meta.image
    if not name:
        drawn = Drawn(capped(meta.title, MAX_TITLE), capped(site_title, MAX_LABEL), capped(topic, MAX_LABEL), colours)
        path = f"social/{page.slug}.{drawn_digest(drawn, design)[:10]}.png"
        alt = said(TOPIC_ALT if topic else PLAIN_ALT) % {"title": meta.title, "topic": topic, "site": site_title}
        return Preview(absolute(path), alt, *SIZE, drawn, path)
    if name.startswith("/"):
        file = themefiles.find(static, name)
        published = assets.published_name(name.lstrip("/"), file.read_bytes() if file else b"")
        return Preview(absolute(published), meta.image_alt)
    if name in images:
        image = images[name]
        width = image.widths()[-1]
        return Preview(absolute(quote(image.file(width, image.kind))), meta.image_alt, width, image.height_at(width))
    return Preview(name, meta.image_alt)


def drawn_digest(drawn: Drawn, design: str) -> str:
    """The fingerprint of a generated preview image: its content and its design, not the engine's, so a release that
    did not change how they look keeps every one's URL (the text hashed is the one earlier releases hashed)."""
    shown = ", ".join(f"{f.name}={getattr(drawn, f.name)!r}" for f in dataclasses.fields(drawn))
    return digest(design, f"Card({shown})")
