"""Digests: of several parts, unambiguously joined, and of the engine itself (its code and libraries)."""

from __future__ import annotations

import functools
import hashlib
import sys
from importlib import metadata
from pathlib import Path

LIBRARIES = ("markdown", "jinja2", "nh3", "pyyaml", "python-frontmatter", "pyphen", "pagefind", "pagefind-bin",
             "rcssmin", "pillow", "defusedxml", "babel", "pylabeador",
             "pyspellchecker", "wordfreq")  # every library that shapes the output


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
    package = Path(__file__).parent.parent  # the package, not this sub-package
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
