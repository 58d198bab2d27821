"""The build cache: parsed pages and rendered bodies by content hash, and what each output was made from."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import plain
from .digests import LIBRARIES, digest, engine_digest  # noqa: F401  (the cache's keys)
from .content import Page
from .editorial import TextStats
from .markup import Body
from .problems import BuildError, Problem, error, warning
from .writer import intact

FOLDER = ".healthsite-cache"
FORMAT = 4
KEY_BYTES = 32
KEY_VARIABLE = "HEALTHSITE_CACHE_KEY"  # a secret shared by the machines that restore each other's caches
HTML_NAME = re.compile(r"[0-9a-f]{64}\.html")


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

    def holds(self, inputs: str, out: Path) -> bool:
        """Whether nothing changed since this build: same inputs, same output folder, every file intact."""
        return self.inputs == inputs and self.out == str(out) and \
            all(intact(out, path, record) for path, record in self.outputs.items())

    def kept(self, out: Path, path: str, key: str) -> bool:
        """Whether this build's file for `path`, in `out`, was made from inputs with `key` and is intact."""
        record = self.outputs.get(path)
        return self.out == str(out) and record is not None and record[0] == key and intact(out, path, record)


MANIFEST, PAGES, HTML = "manifest.json", "pages.json", "html"
Entry = tuple[Page, Body, TextStats]
Manifest = tuple[str, str, dict[str, tuple[str, int, int]], list[Problem], str, int, tuple[int, int]]


def load(root: Path, engine: str) -> tuple[Cache, list[Problem]]:
    """The cache's manifest (pages come later, with load_bodies); a bad or foreign one is ignored with a warning."""
    manifest, problems = _read(root / FOLDER / MANIFEST, engine, lambda p: plain.decode(Manifest, json.loads(p)))
    if manifest is None:
        return Cache(engine), problems
    inputs, out, outputs, warnings, search, pages, stamp = manifest
    if _stamp(root / FOLDER / PAGES) != stamp:
        return Cache(engine), [_ignored(MANIFEST, "its pages file is missing or was changed since it was written")]
    return Cache(engine, inputs, out, {}, outputs, warnings, search, pages), []


def load_bodies(root: Path, cache: Cache) -> list[Problem]:
    """Fill in the cached pages, each body's HTML left on disk until a page shows it (only a build that has to
    render needs them); a page whose HTML file is missing or damaged is dropped, to be rendered again."""
    lines, problems = _read(root / FOLDER / PAGES, cache.engine, _entries)
    lines = lines or {}
    folder = root / FOLDER / HTML
    good = {key: value for key, value in lines.items() if _html(folder, value[2]) is not None}
    if len(good) < len(lines):
        problems.append(_ignored(HTML, f"{len(lines) - len(good)} rendered bodies are missing or damaged "
                                       "(their articles are rendered again)"))
    cache.bodies = {key: (page, StoredBody(body, folder, name), stats)
                    for key, ((page, body, stats), _, name) in good.items()}
    cache.lines = {key: (line, name) for key, (_, line, name) in good.items()}
    return problems


def _entries(payload: bytes) -> dict[str, tuple[Entry, bytes, str]]:
    """The pages file: one JSON line per page, [key, entry, HTML file]; each entry kept with its line, to write
    again as is."""
    entries = {}
    for line in payload.split(b"\n") if payload else ():
        key, data, name = json.loads(line)
        if not isinstance(key, str) or not isinstance(name, str) or not HTML_NAME.fullmatch(name):
            raise ValueError("a key or file name that is not one")
        entries[key] = (plain.decode(Entry, data), line, name)
    return entries


class StoredBody(Body):
    """A cached body whose HTML stays in the cache's html/ folder until a page shows it (read, checked, not kept)."""

    def __init__(self, body: Body, folder: Path, name: str) -> None:
        for part in dataclasses.fields(Body):
            if part.name != "html":
                object.__setattr__(self, part.name, getattr(body, part.name))
        object.__setattr__(self, "stored", (folder, name))

    @property  # type: ignore[override]
    def html(self) -> str:
        """The body's HTML, read from its file and checked against the digest that names it."""
        html = _html(*self.stored)
        if html is None:
            raise BuildError([error(f"{FOLDER}/{HTML}/{self.stored[1]}", 1, "a cached body changed or went away "
                                                                           "during the build: build again")])
        return html


def _html(folder: Path, name: str) -> str | None:
    """The HTML a file of the html/ folder holds, if it is a plain file whose contents have the digest it is named by."""
    path = folder / name
    try:
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None
    if data is None or not hmac.compare_digest(_html_name(data), name):
        return None
    return data.decode()


def _html_name(data: bytes) -> str:
    """The name of an HTML file of the cache: the digest of its bytes (the signed pages file vouches for it)."""
    return hashlib.blake2b(data, digest_size=32).hexdigest() + ".html"


def _ignored(name: str, why: str) -> Problem:
    """The one warning a cache that is not trusted gives."""
    return warning(f"{FOLDER}/{name}", 1, f"build cache ignored: {why}")


def _read(path: Path, engine: str, parse: Callable[[bytes], Any]) -> tuple[Any, list[Problem]]:
    """One cache file's parsed payload, or None with the reason it is not trusted.

    A file is a header line (format, engine, a keyed MAC of the payload) and a payload of JSON plain data:
    reading it runs nothing, and a file changed by anyone without this machine's key is refused.
    """
    if not path.exists() and not path.is_symlink():
        return None, []
    if path.is_symlink() or path.parent.is_symlink() or not path.is_file():
        return None, [_ignored(path.name, "not a plain file")]
    try:
        header_line, _, payload = path.read_bytes().partition(b"\n")
        header = json.loads(header_line)
        version, made_by, mac = header["format"], header["engine"], header["mac"]
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
        return None, [_ignored(path.name, f"unreadable ({type(exc).__name__})")]
    if version != FORMAT:
        return None, [_ignored(path.name, "another format")]
    if made_by != engine:
        return None, [_ignored(path.name, "made by another version of the engine or its libraries")]
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(payload)):
        return None, [_ignored(path.name, "damaged, or not written by this machine's builds")]
    try:
        return parse(payload), []
    except (ValueError, TypeError, RecursionError) as exc:
        return None, [_ignored(path.name, f"unreadable ({type(exc).__name__})")]


def own_folder(root: Path) -> Path:
    """The cache folder, made if missing; a planted link or file there is removed (the cache is only ever written
    inside the site folder)."""
    return _own(root / FOLDER)


def save(root: Path, cache: Cache, previous: Cache | None = None) -> None:
    """Write the cache: each new body's HTML file, then the pages file, then the manifest that vouches for it.

    A page the previous cache held, and this build reused as it was, is written as the line it was read from.
    HTML files no page names any more are removed.
    """
    folder = own_folder(root)
    _replace(folder / ".gitignore", b"*\n")
    html = _own(folder / HTML)
    old = previous or Cache()
    lines = [old.lines[key] if _same(old.bodies.get(key), entry) and key in old.lines else _line(html, key, entry)
             for key, entry in cache.bodies.items()]
    _write(folder / PAGES, cache.engine, b"\n".join(line for line, _ in lines))
    manifest = (cache.inputs, cache.out, cache.outputs, cache.warnings, cache.search, cache.pages,
                _stamp(folder / PAGES))
    _write(folder / MANIFEST, cache.engine, json.dumps(plain.encode(Manifest, manifest)).encode())
    named = {name for _, name in lines}
    for stale in html.iterdir():
        if stale.name not in named:
            stale.unlink()


def _line(folder: Path, key: str, entry: Entry) -> tuple[bytes, str]:
    """One page's line of the pages file, its body's HTML written to its own file (if not there already)."""
    page, body, stats = entry
    data = body.html.encode()
    name = _html_name(data)
    if not (folder / name).is_file() or (folder / name).is_symlink():
        _replace(folder / name, data)
    bare = Body(**{f.name: "" if f.name == "html" else getattr(body, f.name) for f in dataclasses.fields(Body)})
    line = json.dumps([key, plain.encode(Entry, (page, bare, stats)), name], ensure_ascii=False,
                      separators=(",", ":")).encode()
    return line, name


def _same(old: Entry | None, new: Entry) -> bool:
    """Whether an entry is, part for part, the very one read from the cache."""
    return old is not None and all(a is b for a, b in zip(old, new))


def _own(folder: Path) -> Path:
    """A folder of the cache, made if missing; a planted link or file in its place is removed."""
    if folder.is_symlink() or folder.exists() and not folder.is_dir():
        folder.unlink()
    folder.mkdir(exist_ok=True)
    return folder


def _write(path: Path, engine: str, payload: bytes) -> None:
    """Write one cache file (header line, payload) through a temporary file: a half-written file never replaces a whole one."""
    header = json.dumps({"format": FORMAT, "engine": engine, "mac": _mac(payload)}).encode()
    _replace(path, header + b"\n" + payload)


def _replace(path: Path, data: bytes) -> None:
    """Replace a file (never a link's target) through a new temporary file beside it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)  # a folder planted in the cache folder, under one of the cache's own names
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _stamp(path: Path) -> tuple[int, int]:
    """A file's size and modification time; (-1, -1) when it is missing."""
    try:
        info = path.stat()
    except OSError:
        return -1, -1
    return info.st_size, info.st_mtime_ns


def sign(path: Path, data: bytes) -> None:
    """Write a file of the cache with a keyed digest beside it (`NAME.mac`), so a planted file is never trusted."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    path.with_name(path.name + ".mac").write_text(_mac(path.name.encode() + b"\0" + data))


def signed(path: Path) -> bool:
    """Whether a file of the cache is one this machine wrote (`sign`), unchanged."""
    try:
        mac = path.with_name(path.name + ".mac").read_text()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
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
