"""Making the site's media files into the cache folder, in parallel: images at their widths and the preview images
of articles (what each is, and how it is drawn or encoded, is `rendering.media`'s). Each file is named by the digest of
its bytes, and a signed record of the store names it under the key of what it is made from."""

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
from healthsite.writing.cache import address, addressed, own, own_folder, replace_file


class MediaFailed(Exception):
    """A media file that could not be made: (the file to blame, why), plain values that cross process pipes."""


def produce(site: Site, root: Path, jobs: int, known: Mapping[str, str]) -> MediaFiles:
    """Start making every media file the cache does not hold, in parallel; the published path -> file to publish.

    `known` is the store's media records (a task's key -> its file's name): a file is reused only if a record names
    it and its bytes have the digest it is named by. Every other file of the folder is removed (planted, changed or
    no longer used), so the cache holds one site's media.
    """
    folder = own(own_folder(root) / MEDIA)
    files = plan(site, root)
    tasks = {t.key: t for t in files.values() if isinstance(t, Task)}
    names = {key: known[key] for key in sorted(tasks) if key in known and addressed(folder, known[key]) is not None}
    kept = set(names.values())
    for stale in folder.iterdir():
        if stale.name not in kept:
            discard(stale)  # a file, link, pipe or folder planted in the cache: removed, never followed
    missing = [t for key, t in sorted(tasks.items()) if key not in names]
    weight = sum(WEIGHT["preview" if t.preview else "raster"] for t in missing)
    try:
        wait = workers.make_all(partial(make_into, folder), missing, weight, jobs)
    except MediaFailed as exc:
        raise failure(exc) from None
    return MediaFiles(folder, files, names, lambda: dict(zip((t.key for t in missing), wait())))


class MediaFiles(Mapping[str, Path]):
    """The media files to publish, by path, as they will be once made: looking into it waits until they are.

    The pool makes them while the build renders its pages, which come first in the site's outputs.
    """

    def __init__(self, folder: Path, sources: dict[str, Path | Task], names: dict[str, str],
                 wait: Callable[[], dict[str, str]]) -> None:
        self.folder, self.sources, self.names, self.wait = folder, sources, names, wait
        self.files: dict[str, Path] = {}

    def __getitem__(self, path: str) -> Path:
        return self._made()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self.sources)

    def rows(self) -> dict[str, str]:
        """The store's media records: each task's key -> the name of the file made from it."""
        self._made()
        return dict(sorted(self.names.items()))

    def _made(self) -> dict[str, Path]:
        """Wait, once, until every file is made (a failure in the pool is raised here); the files by path."""
        if len(self.files) < len(self.sources):
            try:
                self.names.update(self.wait())
            except MediaFailed as exc:
                raise failure(exc) from None
            self.files = {path: self.folder / self.names[t.key] if isinstance(t, Task) else t
                          for path, t in sorted(self.sources.items())}
        return self.files


def make_into(folder: Path, task: Task) -> str:
    """Make one media file into the cache folder (a pool task); the name of its file. An image that cannot be made
    is a MediaFailed at the image (a damaged file, one too large), never a traceback."""
    try:
        data = make(task)
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, PilImage.DecompressionBombError) as exc:
        raise MediaFailed(task.shown or task.key, f"{type(exc).__name__}: {exc}"[:200]) from None
    return put(folder, task, data)


def put(folder: Path, task: Task, data: bytes) -> str:
    """Write a media file's bytes into the cache folder under the digest of those bytes (to a fresh temporary name,
    renamed: never through a planted link, pipe or folder); its name."""
    name = address(data, Path(task.key).suffix)
    replace_file(folder / name, data)
    return name


def failure(exc: MediaFailed) -> BuildError:
    """The build error of a media file that could not be made, at its file."""
    shown, why = exc.args
    return BuildError([error(shown, 1, f"cannot make the published image ({why}); save the file again as PNG or "
                                       "JPEG")])
