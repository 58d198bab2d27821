"""Media files: image variants and generated preview images, made in a worker pool (while the pages render) once
and kept by content hash."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PilImage
from PIL import ImageOps

from healthsite.reading.digests import digest
from healthsite.reading.images import Image
from healthsite.model.site import Site
from healthsite.model.previews import Drawn
from healthsite.rendering.social import Previews, draw, preview_of

MEDIA = "media"
WEIGHT = {"preview": 1, "raster": 10}  # the cost of making one, in units of one article's rendering
SAVE = {"png": {"compress_level": 6}, "jpeg": {"quality": 82, "optimize": True, "subsampling": 2},
        "webp": {"quality": 80, "method": 4}}


@dataclass(frozen=True)
class Task:
    """One file to make: a raster image at a width in a format, or a generated preview image."""

    key: str
    source: Path | None = None
    width: int = 0
    kind: str = ""
    preview: Drawn | None = None
    shown: str = ""  # the file a failure is reported at: the image, or the article whose preview it is


def plan(site: Site, root: Path, previews: Previews | None = None) -> dict[str, Path | Task]:
    """Every media file the site publishes: a file to copy as it is, or a task whose result is published (with
    `previews`, each article's preview kept from the last build while its page is the same)."""
    files: dict[str, Path | Task] = {}
    for one in (site, *site.editions):  # every edition's media, published at the site's root
        used = [one.images[key] for body in one.bodies.values() for kind, key, v in body.lookups
                if kind == "image" and v and key in one.images]
        used += [one.images[page.meta.image] for page in one.pages.values() if page.meta.image in one.images]
        for image in used:
            for path, width, kind in image.variants():
                files[path] = _task(root, image, width, kind)
        for slug in one.pages:
            preview = previews.of(one, slug) if previews is not None else preview_of(one, slug)
            if preview.drawn:
                files[preview.path] = Task(f"preview-{preview.path.rsplit('/', 1)[-1]}", preview=preview.drawn,
                                           shown=one.pages[slug].source)
    return files


def _task(root: Path, image: Image, width: int, kind: str) -> Path | Task:
    """An SVG is published as it is; a raster variant is made."""
    source = root / "content" / image.name
    if image.kind == "svg":
        return source
    return Task(f"{digest(image.digest, str(width), kind)[:24]}.{kind}", source, width, kind,
                shown=f"content/{image.name}")


def make(task: Task) -> bytes:
    """The bytes of one media file (a pool task)."""
    if task.preview:
        return draw(task.preview)
    assert task.source is not None
    return encode(task.source.read_bytes(), task.width, task.kind)


def encode(data: bytes, width: int, kind: str) -> bytes:
    """An image upright, scaled to a width, without metadata, saved with fixed settings (same input, same bytes)."""
    with PilImage.open(io.BytesIO(data)) as opened:
        picture = ImageOps.exif_transpose(opened) if opened.format == "JPEG" else opened
        alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
        mode = "RGBA" if alpha and kind != "jpeg" else "RGB"
        picture = picture.convert(mode)
    if picture.width != width:
        picture = picture.resize((width, max(1, round(picture.height * width / picture.width))),
                                 PilImage.Resampling.LANCZOS)
    clean = PilImage.frombytes(mode, picture.size, picture.tobytes())
    out = io.BytesIO()
    clean.save(out, kind.upper(), **SAVE[kind])
    return out.getvalue()
