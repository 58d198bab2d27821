"""The build cache: what each output was made from (the manifest), signed; bodystore keeps the pages and bodies."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import plain
from .digests import LIBRARIES, digest, engine_digest  # noqa: F401  (the cache's keys)
from .problems import CATEGORIES, Problem, warning
from .safeio import read_regular, write_fresh
from .writer import intact

if TYPE_CHECKING:
    from .content import Page
    from .editorial import TextStats
    from .markup import Body

FOLDER = ".healthsite-cache"
LEVELS = ("error", "warning")
FORMAT = 6
KEY_BYTES = 32
KEY_VARIABLE = "HEALTHSITE_CACHE_KEY"  # a secret shared by the machines that restore each other's caches


@dataclass
class Cache:
    """What the last successful build left behind for the next one."""

    engine: str = ""
    inputs: str = ""
    out: str = ""
    bodies: dict[str, tuple[Page, Body, TextStats]] = field(default_factory=dict)
    outputs: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    search: str = ""
    pages: int = 0
    lines: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # each page's line as read, its HTML file
    sources: dict[str, Record] = field(default_factory=dict)  # each article file's stat and digest, as last read

    def known(self) -> dict[str, tuple[tuple[int, int, int, int], str]]:
        """Each article file's recorded stat and digest, as `content.read_articles` takes them."""
        return {shown: (record[:4], record[4]) for shown, record in self.sources.items()}

    def holds(self, inputs: str, out: Path) -> bool:
        """Whether nothing changed since this build: same inputs, same output folder, every file intact."""
        return self.inputs == inputs and self.out == str(out) and \
            all(intact(out, path, record) for path, record in self.outputs.items())

    def kept(self, out: Path, path: str, key: str) -> bool:
        """Whether this build's file for `path`, in `out`, was made from inputs with `key` and is intact."""
        record = self.outputs.get(path)
        return self.out == str(out) and record is not None and record[0] == key and intact(out, path, record)


MANIFEST, PAGES = "manifest.json", "pages.json"
Record = tuple[int, int, int, int, str]  # an article file's size, mtime and ctime (ns), inode, and digest
Manifest = tuple[str, str, dict[str, tuple[str, int, int]], list[Problem], str, int, tuple[int, int],
                 dict[str, Record]]


def load(root: Path, engine: str) -> tuple[Cache, list[Problem]]:
    """The cache's manifest (pages come later, with load_bodies); a bad or foreign one is ignored with a warning."""
    manifest, problems = read_signed(root / FOLDER / MANIFEST, engine, _manifest)
    if manifest is None:
        return Cache(engine), problems
    inputs, out, outputs, warnings, search, pages, stamp, sources = manifest
    if _stamp(root / FOLDER / PAGES) != stamp:
        return Cache(engine), [ignored(MANIFEST, "its pages file is missing or was changed since it was written")]
    return Cache(engine, inputs, out, {}, outputs, warnings, search, pages, sources=sources), []


def _manifest(payload: bytes) -> Manifest:
    """The manifest's parts, checked; its warnings (many: 18 an article on the bench) by a check of their own, not
    plain's general one, which takes a call per field."""
    data = json.loads(payload)
    if not isinstance(data, list) or len(data) != len(typing.get_args(Manifest)):
        raise ValueError("not a manifest")
    parts = plain.decode(Manifest, [*data[:3], [], *data[4:]])
    return (*parts[:3], _problems(data[3]), *parts[4:])


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


def read_signed(path: Path, engine: str, parse: Callable[[bytes], Any]) -> tuple[Any, list[Problem]]:
    """One cache file's parsed payload, or None with the reason it is not trusted.

    A file is a header line (format, engine, a keyed MAC of the payload) and a payload of JSON plain data:
    reading it runs nothing, and a file changed by anyone without this machine's key is refused.
    """
    if not path.exists() and not path.is_symlink():
        return None, []
    if path.is_symlink() or path.parent.is_symlink() or not path.is_file():
        return None, [ignored(path.name, "not a plain file")]
    try:
        header_line, _, payload = read_regular(path).partition(b"\n")
        header = json.loads(header_line)
        version, made_by, mac = header["format"], header["engine"], header["mac"]
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
        return None, [ignored(path.name, f"unreadable ({type(exc).__name__})")]
    if version != FORMAT:
        return None, [ignored(path.name, "another format")]
    if made_by != engine:
        return None, [ignored(path.name, "made by another version of the engine or its libraries")]
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(payload)):
        return None, [ignored(path.name, "damaged, or not written by this machine's builds")]
    try:
        return parse(payload), []
    except (ValueError, TypeError, RecursionError) as exc:
        return None, [ignored(path.name, f"unreadable ({type(exc).__name__})")]


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


def write_manifest(root: Path, cache: Cache) -> None:
    """Write the manifest, which vouches for the pages file already written beside it."""
    manifest = (cache.inputs, cache.out, cache.outputs, cache.warnings, cache.search, cache.pages,
                _stamp(root / FOLDER / PAGES), cache.sources)
    write_signed(root / FOLDER / MANIFEST, cache.engine, json.dumps(plain.encode(Manifest, manifest)).encode())


def write_signed(path: Path, engine: str, payload: bytes) -> None:
    """Write one cache file (header line, payload) through a temporary file: a half-written file never replaces a whole one."""
    header = json.dumps({"format": FORMAT, "engine": engine, "mac": _mac(payload)}).encode()
    replace_file(path, header + b"\n" + payload)


def replace_file(path: Path, data: bytes) -> None:
    """Replace a file (never a link's target) through a new temporary file beside it; a folder planted under the
    cache's own name is removed."""
    write_fresh(path, data)


def _stamp(path: Path) -> tuple[int, int]:
    """A file's size and modification time; (-1, -1) when it is missing."""
    try:
        info = path.stat()
    except OSError:
        return -1, -1
    return info.st_size, info.st_mtime_ns


def sign(path: Path, data: bytes) -> None:
    """Write a file of the cache with a keyed digest beside it (`NAME.mac`), so a planted file is never trusted."""
    write_fresh(path, data)  # a fresh temporary name, renamed: never through a planted link, pipe or folder
    write_fresh(path.with_name(path.name + ".mac"), _mac(path.name.encode() + b"\0" + data).encode())


def signed(path: Path) -> bool:
    """Whether a file of the cache is one this machine wrote (`sign`), unchanged."""
    try:
        mac = read_regular(path.with_name(path.name + ".mac"), limit=100).decode()
        data = read_regular(path)
    except (OSError, UnicodeDecodeError):
        return False
    return data is not None and hmac.compare_digest(mac, _mac(path.name.encode() + b"\0" + data))


def _mac(payload: bytes) -> str:
    """A keyed digest of a payload, with this machine's key."""
    return hmac.new(machine_key(), payload, "sha256").hexdigest()


@functools.cache
def machine_key() -> bytes:
    """The key that signs caches: kept outside every site folder, made on first use (per process if unwritable).

    Two builds that start at once agree on one key: the first to link its new key file into place wins.
    A key given in the environment (HEALTHSITE_CACHE_KEY, e.g. from a CI secret) is used instead, so a cache
    restored on another machine that has the same secret is trusted.
    """
    given = os.environ.get(KEY_VARIABLE, "")
    if given:
        return hashlib.sha256(given.encode()).digest()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "healthsite"
    path = home / "cache.key"
    key = _key_in(path)
    if key:
        return key
    key = secrets.token_bytes(KEY_BYTES)
    try:
        home.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()  # a damaged key file: its caches are not trusted anyway
        fd, temporary = tempfile.mkstemp(prefix=".cache.key.", dir=home)  # readable by its owner only
        with os.fdopen(fd, "wb") as stream:
            stream.write(key)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    except OSError:
        return key  # an unwritable home: caches live as long as this process
    return _key_in(path) or key


def _key_in(path: Path) -> bytes | None:
    """The key a key file holds, if it holds one."""
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None
