"""Media files: image variants and preview cards, made in a worker pool (while the pages render) once and kept by
content hash."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from PIL import Image as PilImage
from PIL import ImageOps

from healthsite.model import workers
from healthsite.writing.cache import own_folder, sign, signed
from healthsite.reading.digests import digest
from healthsite.reading.images import Image
from healthsite.problems import BuildError, error
from healthsite.reading.safeio import discard
from healthsite.model.site import Site
from healthsite.rendering.social import Card, draw

MEDIA = "media"
WEIGHT = {"card": 1, "raster": 10}  # the cost of making one, in units of one article's rendering
SAVE = {"png": {"compress_level": 6}, "jpeg": {"quality": 82, "optimize": True, "subsampling": 2},
        "webp": {"quality": 80, "method": 4}}


@dataclass(frozen=True)
class Task:
    """One file to make: a raster image at a width in a format, or a preview card."""

    key: str
    source: Path | None = None
    width: int = 0
    kind: str = ""
    card: Card | None = None
    shown: str = ""  # the file a failure is reported at: the image, or the article whose card it is


class MediaFailed(Exception):
    """A media file that could not be made: (the file to blame, why), plain values that cross process pipes."""


def plan(site: Site, root: Path) -> dict[str, Path | Task]:
    """Every media file the site publishes: a file to copy as it is, or a task whose result is published."""
    files: dict[str, Path | Task] = {}
    for one in (site, *site.editions):  # every edition's media, published at the site's root
        used = [one.images[key] for body in one.bodies.values() for kind, key, v in body.lookups
                if kind == "image" and v and key in one.images]
        used += [one.images[page.meta.image] for page in one.pages.values() if page.meta.image in one.images]
        for image in used:
            for path, width, kind in image.variants():
                files[path] = _task(root, image, width, kind)
        for slug in one.pages:
            preview = one.preview(slug)
            if preview.card:
                files[preview.path] = Task(f"card-{preview.path.rsplit('/', 1)[-1]}", card=preview.card,
                                           shown=one.pages[slug].source)
    return files


def _task(root: Path, image: Image, width: int, kind: str) -> Path | Task:
    """An SVG is published as it is; a raster variant is made."""
    source = root / "content" / image.name
    if image.kind == "svg":
        return source
    return Task(f"{digest(image.digest, str(width), kind)[:24]}.{kind}", source, width, kind,
                shown=f"content/{image.name}")


def produce(site: Site, root: Path, jobs: int) -> Made:
    """Start making every media file not already in the cache, in parallel; the published path -> file to publish.

    Files of the cache that this site no longer uses are removed, so the cache holds one site's media.
    """
    folder = own_folder(root) / MEDIA
    if folder.is_symlink() or folder.exists() and not folder.is_dir():
        folder.unlink()  # planted: the cache never reads, writes or deletes through a link
    folder.mkdir(exist_ok=True)
    files = plan(site, root)
    tasks = {t.key: t for t in files.values() if isinstance(t, Task)}
    kept = set(tasks) | {f"{key}.mac" for key in tasks}
    for stale in folder.iterdir():
        if stale.name not in kept:
            discard(stale)  # a file, link, pipe or folder planted in the cache: removed, never followed
    missing = [t for key, t in sorted(tasks.items()) if not signed(folder / key)]  # planted files are remade
    weight = sum(WEIGHT["card" if t.card else "raster"] for t in missing)
    try:
        wait = workers.make_all(partial(make_into, folder), missing, weight, jobs)
    except MediaFailed as exc:
        raise failure(exc) from None
    return Made({path: folder / t.key if isinstance(t, Task) else t for path, t in sorted(files.items())}, wait)


class Made(Mapping[str, Path]):
    """The media files to publish, by path, as they will be once made: looking into it waits until they are.

    The pool makes them while the build renders its pages, which come first in the site's outputs.
    """

    def __init__(self, files: dict[str, Path], wait: Callable[[], list[None]]) -> None:
        self.files, self.wait, self.ready = files, wait, False

    def __getitem__(self, path: str) -> Path:
        self._made()
        return self.files[path]

    def __iter__(self) -> Iterator[str]:
        self._made()
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def _made(self) -> None:
        """Wait, once, until every file is made (a failure in the pool is raised here)."""
        if not self.ready:
            try:
                self.wait()
            except MediaFailed as exc:
                raise failure(exc) from None
            self.ready = True


def make_into(folder: Path, task: Task) -> None:
    """Make one media file into the cache folder, signed (a pool task); an image that cannot be made is a
    MediaFailed at the image (a damaged file, one too large), never a traceback."""
    try:
        data = make(task)
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, PilImage.DecompressionBombError) as exc:
        raise MediaFailed(task.shown or task.key, f"{type(exc).__name__}: {exc}"[:200]) from None
    sign(folder / task.key, data)


def failure(exc: MediaFailed) -> BuildError:
    """The build error of a media file that could not be made, at its file."""
    shown, why = exc.args
    return BuildError([error(shown, 1, f"cannot make the published image ({why}); save the file again as PNG or "
                                       "JPEG")])


def make(task: Task) -> bytes:
    """The bytes of one media file (a pool task)."""
    if task.card:
        return draw(task.card)
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
