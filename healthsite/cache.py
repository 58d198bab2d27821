"""The build cache: parsed pages and rendered bodies by content hash, and what each output was made from."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .problems import Problem, warning
from .writer import intact

FOLDER = ".healthsite-cache"
FORMAT = 2
LIBRARIES = ("markdown", "jinja2", "nh3", "pyyaml", "python-frontmatter", "textstat", "pagefind", "pagefind-bin",
             "rcssmin", "pillow", "defusedxml")


def digest(*parts: bytes | str) -> str:
    """A hex digest of several parts, unambiguously joined."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@functools.cache
def engine_digest() -> str:
    """What the engine is: its own source files, the libraries it renders with, and Python's version.

    Computed once per process: the code that runs is the code that was imported.
    """
    package = Path(__file__).parent
    files = sorted(package.rglob("*.py"))
    versions = [f"{name}={_version(name)}" for name in LIBRARIES]
    return digest(sys.version, *versions, *(p.relative_to(package).as_posix() for p in files),
                  *(p.read_bytes() for p in files))


def _version(name: str) -> str:
    """An installed distribution's version, or '?'."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


@dataclass
class Cache:
    """What the last successful build left behind for the next one."""

    engine: str = ""
    inputs: str = ""
    out: str = ""
    bodies: dict[str, tuple] = field(default_factory=dict)
    outputs: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    search: str = ""
    pages: int = 0

    def holds(self, inputs: str, out: Path) -> bool:
        """Whether nothing changed since this build: same inputs, same output folder, every file intact."""
        return self.inputs == inputs and self.out == str(out) and \
            all(intact(out, path, record) for path, record in self.outputs.items())

    def kept(self, out: Path, path: str, key: str) -> bool:
        """Whether this build's file for `path`, in `out`, was made from inputs with `key` and is intact."""
        record = self.outputs.get(path)
        return self.out == str(out) and record is not None and record[0] == key and intact(out, path, record)


MANIFEST, BODIES = "manifest.pickle", "bodies.pickle"


def load(root: Path, engine: str) -> tuple[Cache, list[Problem]]:
    """The cache's manifest (bodies come later, with load_bodies); a bad or foreign one is ignored with a warning."""
    manifest, problems = _read(root / FOLDER / MANIFEST, engine)
    if manifest is None:
        return Cache(engine), problems
    inputs, out, outputs, warnings, search, pages = manifest
    return Cache(engine, inputs, out, {}, outputs, warnings, search, pages), []


def load_bodies(root: Path, cache: Cache) -> list[Problem]:
    """Fill in the cached pages and bodies (only a build that has to render needs them)."""
    bodies, problems = _read(root / FOLDER / BODIES, cache.engine)
    cache.bodies = bodies if isinstance(bodies, dict) else {}
    return problems


def _read(path: Path, engine: str) -> tuple[Any, list[Problem]]:
    """One cache file's payload, or None with the reason it is not trusted."""
    shown = f"{FOLDER}/{path.name}"
    if not path.exists():
        return None, []
    try:
        with path.open("rb") as stream:
            version, made_by, payload = pickle.load(stream)
    except Exception as exc:  # a damaged file can fail in any way inside pickle; it is never trusted
        return None, [warning(shown, 1, f"build cache ignored: unreadable ({type(exc).__name__})")]
    if version != FORMAT:
        return None, [warning(shown, 1, "build cache ignored: another format")]
    if made_by != engine:
        return None, [warning(shown, 1, "build cache ignored: made by another version of the engine or its libraries")]
    return payload, []


def save(root: Path, cache: Cache) -> None:
    """Write the cache atomically, bodies before the manifest that vouches for them."""
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    (folder / ".gitignore").write_text("*\n")
    _write(folder / BODIES, cache.engine, cache.bodies)
    _write(folder / MANIFEST, cache.engine, (cache.inputs, cache.out, cache.outputs, cache.warnings, cache.search, cache.pages))


def _write(path: Path, engine: str, payload: Any) -> None:
    """Write one cache file through a temporary file, so a half-written file never replaces a whole one."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as stream:
        pickle.dump((FORMAT, engine, payload), stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)
