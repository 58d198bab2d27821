"""The build cache: parsed pages and rendered bodies by content hash, and what each output was made from."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .problems import Problem, warning

FOLDER = ".healthsite-cache"
FORMAT = 1
LIBRARIES = ("markdown", "jinja2", "nh3", "pyyaml", "python-frontmatter")


def digest(*parts: bytes | str) -> str:
    """A hex digest of several parts, unambiguously joined."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def engine_digest() -> str:
    """What the engine is: its own source files, the libraries it renders with, and Python's version."""
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


def load(root: Path, engine: str) -> tuple[Cache, list[Problem]]:
    """The cache of a site folder; one that is corrupt or from another engine is ignored with a warning."""
    path = root / FOLDER / "build.pickle"
    if not path.exists():
        return Cache(engine), []
    try:
        with path.open("rb") as stream:
            version, cache = pickle.load(stream)
    except Exception as exc:  # a damaged file can fail in any way inside pickle; it is never trusted
        return Cache(engine), [warning(f"{FOLDER}/build.pickle", 1, f"build cache ignored: unreadable ({exc})")]
    if version != FORMAT or not isinstance(cache, Cache):
        return Cache(engine), [warning(f"{FOLDER}/build.pickle", 1, "build cache ignored: another format")]
    if cache.engine != engine:
        return Cache(engine), [warning(f"{FOLDER}/build.pickle", 1, "build cache ignored: made by another "
                                       "version of the engine or its libraries")]
    return cache, []


def save(root: Path, cache: Cache) -> None:
    """Write the cache atomically: a half-written cache never replaces a whole one."""
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    (folder / ".gitignore").write_text("*\n")
    temporary = folder / f"build.pickle.{os.getpid()}.tmp"
    with temporary.open("wb") as stream:
        pickle.dump((FORMAT, cache), stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, folder / "build.pickle")
