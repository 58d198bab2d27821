"""The build cache: what each output was made from, in signed records (store.py keeps them, bodystore the pages and
bodies); the files the cache makes (bodies, media) are named by the digest of their own bytes, and a signed record
names each one."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from healthsite.reading.digests import LIBRARIES, digest, engine_digest  # noqa: F401  (the cache's keys)
from healthsite.problems import CATEGORIES, Problem, warning
from healthsite.reading.sourcefiles import NO_STAT, SourceFile
from healthsite.reading.options import CACHE
from healthsite.reading.safeio import read_regular, write_fresh
from healthsite.writing.signing import machine_key  # noqa: F401  (the key that signs the store's records)
from healthsite.writing.writer import Output, intact

if TYPE_CHECKING:
    from healthsite.reading.content import Page
    from healthsite.mdext.markup import Body
    from healthsite.model.readability import TextStats

FOLDER = CACHE  # the folder the cache lives in
ADDRESSED = re.compile(r"[0-9a-f]{64}\.[a-z]{3,4}")  # a file the cache made, named by the digest of its bytes
LEVELS = ("error", "warning")


class SourceRecord(NamedTuple):
    """An article's source file as a build read it: its size, mtime and ctime (ns), inode, and digest."""

    size: int
    mtime: int
    ctime: int
    inode: int
    digest: str

    @property
    def stat(self) -> tuple[int, int, int, int]:
        """The file's stat, as `sourcefiles.read_articles` compares it."""
        return self.size, self.mtime, self.ctime, self.inode


class Entry(NamedTuple):
    """A cached page: its front matter, its rendered body and its readability."""

    page: Page
    body: Body
    stats: TextStats


@dataclass
class Cache:
    """What the last successful build left behind for the next one."""

    engine: str = ""
    inputs: str = ""
    out: str = ""
    bodies: dict[str, Entry] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    warnings: Sequence[Problem] = field(default_factory=list)
    search: str = ""
    pages: int = 0
    lines: dict[str, str] = field(default_factory=dict)  # each page read from the store: its body's file name
    sources: dict[str, SourceRecord] = field(default_factory=dict)  # each article file's stat and digest, as last read
    media: dict[str, str] = field(default_factory=dict)  # each media file made: its task key -> its file's name

    def known(self) -> dict[str, tuple[tuple[int, int, int, int], str]]:
        """Each article file's recorded stat and digest, as `sourcefiles.read_articles` takes them."""
        return {shown: (record.stat, record.digest) for shown, record in self.sources.items()}

    def holds(self, inputs: str, out: Path) -> bool:
        """Whether nothing changed since this build: same inputs, same output folder, every file intact."""
        return self.inputs == inputs and self.out == str(out) and \
            all(intact(out, path, record) for path, record in self.outputs.items())

    def reusable(self, out: Path, path: str, key: str) -> bool:
        """Whether this build's file for `path`, in `out`, was made from inputs with `key` and is intact."""
        record = self.outputs.get(path)
        return self.out == str(out) and record is not None and record.key == key and intact(out, path, record)



def source_records(articles: dict[str, list[SourceFile]]) -> dict[str, SourceRecord]:
    """Each article file's stat and digest, for the next build's `read_editions` (files changed too recently to
    trust their stat are left out: the next build reads them)."""
    return {f.shown: SourceRecord(*f.stat, f.digest) for files in articles.values() for f in files
            if f.stat != NO_STAT}


def load(root: Path, engine: str) -> tuple[Cache, list[Problem]]:
    """The cache's records (pages come later, with load_bodies); a bad or foreign cache is ignored with a warning,
    a changed, planted or removed record with one warning (what it described is made again)."""
    from healthsite.writing import store
    meta, db, problems = store.read(root, engine)
    if meta is None or db is None:
        return Cache(engine), problems
    try:
        with db:
            tables = {table: store.rows(db, engine, table) for table in ("outputs", "sources", "warnings", "media")}
        outputs = {path: _output(value) for path, value in tables["outputs"][0].items()}
        sources = {shown: _source(value) for shown, value in tables["sources"][0].items()}
        warnings = StoredWarnings([chunk for _, chunk in sorted(tables["warnings"][0].items())])
        media = {key: name for key, name in tables["media"][0].items() if ADDRESSED.fullmatch(name)}
        inputs, out, search, pages = (meta[name] for name in ("inputs", "out", "search", "pages"))
        if not all(isinstance(v, str) for v in (inputs, out, search)) or type(pages) is not int:
            raise ValueError("not a meta record")
    except (sqlite3.Error, ValueError, TypeError, KeyError, RecursionError) as exc:
        return Cache(engine), [ignored(store.NAME, f"unreadable ({type(exc).__name__})")]
    finally:
        db.close()
    bad = sum(found[1] for found in tables.values())
    whole = all(meta.get("digests", {}).get(table) == tables[table][2] for table in ("outputs", "warnings"))
    if bad or not whole:
        problems = [ignored(store.NAME, f"{bad} records changed or not written by this machine's builds"
                            if bad else "records removed or replaced since it was written")]
        inputs = ""  # no shortcut: the build renders (and warns) again, what a dropped record described made anew
    return Cache(engine, inputs, out, {}, outputs, warnings, search, pages, sources=sources, media=media), problems


def clean(root: Path, engine: str) -> Cache:
    """The cache a --clean build starts from: nothing but the media files the signed rows name (they are named by
    what they are made from, so they are still what they were; every other record is ignored, without a word)."""
    from healthsite.writing import store
    _, db, _ = store.read(root, engine)
    if db is None:
        return Cache(engine)
    try:
        with db:
            found = store.rows(db, engine, "media")[0]
    except sqlite3.Error:
        return Cache(engine)
    finally:
        db.close()
    return Cache(engine, media={key: name for key, name in found.items() if ADDRESSED.fullmatch(name)})


class StoredWarnings(Sequence[Problem]):
    """A cache's warnings as read: their text printed as stored, decoded into Problems only when asked for."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows  # each chunk's plain form (JSON) and printed text, in order

    @property
    def text(self) -> str:
        """The warnings as printed, one a line, as stored."""
        return "".join(text for _, text in self.rows)

    @functools.cached_property
    def problems(self) -> list[Problem]:
        """The warnings, decoded (their rows were checked against their keyed digests)."""
        return [p for value, _ in self.rows for p in _problems(json.loads(value))]

    def __getitem__(self, index: Any) -> Any:
        """A warning, or a slice of them."""
        return self.problems[index]

    def __len__(self) -> int:
        """How many warnings."""
        return len(self.problems)

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence of the same warnings."""
        return isinstance(other, Sequence) and list(self) == list(other)

    def __add__(self, other: Sequence[Problem]) -> list[Problem]:
        """The warnings followed by others, as a list."""
        return [*self.problems, *other]

    def __radd__(self, other: Sequence[Problem]) -> list[Problem]:
        """Others followed by the warnings, as a list."""
        return [*other, *self.problems]


def printed(problems: Sequence[Problem]) -> str:
    """Problems as printed, one a line (stored warnings as they were stored)."""
    return "".join(printed_parts(problems))


def printed_parts(problems: Sequence[Problem], size: int = 1000) -> Iterator[str]:
    """Problems as printed, `size` lines a part (stored warnings a stored chunk a part): a large site's million
    warnings are never one string."""
    if isinstance(problems, StoredWarnings):
        yield from (text for _, text in problems.rows)
        return
    for start in range(0, len(problems), size):
        yield "".join(f"{p}\n" for p in problems[start:start + size])


def _output(value: str) -> Output:
    """An output record (its key, size and modification time) from its plain form; ValueError if it is not one."""
    key, size, mtime = json.loads(value)
    if type(key) is not str or type(size) is not int or type(mtime) is not int:
        raise ValueError("not an output record")
    return Output(key, size, mtime)


def _source(value: str) -> SourceRecord:
    """An article file's record (stat and digest) from its plain form; ValueError if it is not one."""
    size, mtime, ctime, inode, digest_ = json.loads(value)
    if not all(type(n) is int for n in (size, mtime, ctime, inode)) or type(digest_) is not str:
        raise ValueError("not a source record")
    return SourceRecord(size, mtime, ctime, inode, digest_)


def _problems(data: Any) -> list[Problem]:
    """Problems from their plain form ([path, line, message, level, category] each); ValueError if one is not."""
    if not isinstance(data, list) or not all(
            type(p) is list and len(p) == 5 and type(p[0]) is str and type(p[1]) is int and type(p[2]) is str
            and type(p[3]) is str and p[3] in LEVELS and type(p[4]) is str and p[4] in CATEGORIES for p in data):
        raise ValueError("a warning that is not one")
    return [Problem(*p) for p in data]


def ignored(name: str, why: str) -> Problem:
    """The one warning a cache that is not trusted gives."""
    return warning(f"{FOLDER}/{name}", 1, f"build cache ignored: {why}")


def own_folder(root: Path) -> Path:
    """The cache folder, made if missing; a planted link or file there is removed (the cache is only ever written
    inside the site folder)."""
    return own(root / FOLDER)


def own(folder: Path) -> Path:
    """A folder of the cache, made if missing; a planted link or file in its place is removed."""
    if folder.is_symlink() or folder.exists() and not folder.is_dir():
        folder.unlink()
    folder.mkdir(exist_ok=True)
    return folder


def records(cache: Cache) -> dict[str, Iterator[tuple[Any, str, str]]]:
    """The cache's records but its pages, each table's rows (key, plain value, "") as the store writes them, made
    one at a time as it takes them."""
    from healthsite.writing.store import chunks
    compact = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    return {"outputs": ((path, compact(list(record)), "") for path, record in cache.outputs.items()),
            "sources": ((shown, compact(list(record)), "") for shown, record in cache.sources.items()),
            "warnings": chunks(cache.warnings),
            "media": ((key, name, "") for key, name in cache.media.items())}


def meta(cache: Cache) -> dict[str, Any]:
    """The cache's one meta record."""
    return {"inputs": cache.inputs, "out": cache.out, "search": cache.search, "pages": cache.pages}


def replace_file(path: Path, data: bytes) -> None:
    """Replace a file (never a link's target) through a new temporary file beside it; a folder planted under the
    cache's own name is removed."""
    write_fresh(path, data)


def address(data: bytes, suffix: str) -> str:
    """The name of a file the cache makes: the digest of its bytes (a signed record that names it vouches for it)."""
    return hashlib.blake2b(data, digest_size=32).hexdigest() + suffix


def addressed(folder: Path, name: str) -> bytes | None:
    """The bytes of a file the cache made, if it is a plain file (no link, pipe or hard link) whose bytes have the
    digest it is named by; None for anything else (a planted, changed or missing file)."""
    if not ADDRESSED.fullmatch(name):
        return None
    try:
        data = read_regular(folder / name)
    except OSError:
        return None
    return data if hmac.compare_digest(address(data, name[name.rindex("."):]), name) else None
