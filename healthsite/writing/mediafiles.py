"""Making the site's media files into the cache folder, in parallel, each signed: images at their widths and the
preview images of articles (what each is, and how it is drawn or encoded, is `rendering.media`'s)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from PIL import Image as PilImage

from healthsite.model import workers
from healthsite.model.site import Site
from healthsite.problems import BuildError, error
from healthsite.reading.safeio import discard
from healthsite.rendering.media import MEDIA, WEIGHT, Task, make, plan
from healthsite.writing.cache import own_folder
from healthsite.writing.signing import sign, signed


class MediaFailed(Exception):
    """A media file that could not be made: (the file to blame, why), plain values that cross process pipes."""


def produce(site: Site, root: Path, jobs: int) -> MediaFiles:
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
    weight = sum(WEIGHT["preview" if t.preview else "raster"] for t in missing)
    try:
        wait = workers.make_all(partial(make_into, folder), missing, weight, jobs)
    except MediaFailed as exc:
        raise failure(exc) from None
    return MediaFiles({path: folder / t.key if isinstance(t, Task) else t for path, t in sorted(files.items())}, wait)


class MediaFiles(Mapping[str, Path]):
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
