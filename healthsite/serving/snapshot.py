"""A good build in memory: its files by output path (media made when first asked for), what is left to write to
disk, and what to tell the terminal."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from healthsite.problems import Problem
from healthsite.rendering import media
from healthsite.writing import cache, mediafiles, search
from healthsite.writing.cache import addressed


class MediaFile:
    """A media file of the site: a file of the site copied as it is, or one made into the cache folder (named by the
    digest of its bytes), read when asked for and made first if it is not made yet, or is missing or damaged."""

    def __init__(self, source: Path | media.Task, folder: Path, name: str = "") -> None:
        self.task = source if isinstance(source, media.Task) else None
        self.source = source.key if isinstance(source, media.Task) else str(source)  # what it is made from
        self.file = source if isinstance(source, Path) else folder / name if name else None
        self.folder = folder
        self._lock = threading.Lock()

    def data(self) -> bytes:
        """The file's bytes."""
        with self._lock:
            if self.task is None and self.file is not None:
                return self.file.read_bytes()
            found = addressed(self.folder, self.file.name) if self.file is not None else None
            if found is None and self.task is not None:
                found = media.make(self.task)
                self.file = self.folder / mediafiles.put(self.folder, self.task, found)
            assert found is not None
            return found

    def path(self) -> Path:
        """Where the file is (made first if it is not made yet)."""
        if self.file is None:
            self.data()
        assert self.file is not None
        return self.file

    def row(self) -> tuple[str, str] | None:
        """The store's record of a made file: what it is made from, and its file's name (None if not made yet)."""
        return (self.source, self.file.name) if self.task is not None and self.file is not None else None


File = bytes | MediaFile


@dataclass(frozen=True)
class Snapshot:
    """A good build's files in memory by output path (`topics/index.html`), and every folder that holds one."""

    files: Mapping[str, File]
    folders: frozenset[str] = frozenset()
    search: str = ""  # with a search index: the key of what it must index (search.index_key)
    indexed: str = ""  # the key of what the index it holds was made from (behind `search` until Pagefind is done)

    @classmethod
    def of(cls, files: Mapping[str, File], search: str = "", indexed: str = "") -> Snapshot:
        """A snapshot of some files, with their folders."""
        folders: set[str] = set()
        for path in files:
            at = path.rfind("/")
            while at > 0 and path[:at] not in folders:
                folders.add(path[:at])
                at = path.rfind("/", 0, at)
        return cls(files, frozenset(folders), search, indexed)

    def with_index(self, key: str, index: Mapping[str, bytes]) -> Snapshot | None:
        """This site with the search index made for `key` in place of the one it holds; None if it is not for it."""
        if not self.search or self.search != key or self.indexed == key:
            return None
        return Snapshot.of({p: v for p, v in self.files.items() if not search.is_index(p)} | dict(index), key, key)

    def data(self, path: str) -> bytes:
        """The bytes of one file."""
        value = self.files[path]
        return value if isinstance(value, bytes) else value.data()


@dataclass(frozen=True)
class Saved:
    """What a good build leaves to write to disk: its files with their keys, and the cache's entries."""

    root: Path
    out: Path
    files: Mapping[str, File]
    keys: Mapping[str, str]
    bodies: dict[str, cache.Entry]
    inputs: list[str | bytes]
    pages: int
    warnings: list[Problem] = field(default_factory=list)
    search: str = ""  # with a search index: the key of what it indexes (search.index_key)
    config_name: str = "site.yaml"
    sources: dict[str, cache.SourceRecord] = field(default_factory=dict)  # each article file's stat and digest


@dataclass
class Built:
    """A finished build: the site to serve (None when it is served from its folder), and what to tell the terminal."""

    out: Path
    site: Snapshot | None
    pages: int
    files: int
    written: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    later: Callable[[], list[Problem]] | None = None  # the editorial review, when it waits until after publishing
