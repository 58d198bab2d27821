"""Static files: copied with fingerprinted names so browsers may cache them forever."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import rcssmin

FIXED_NAMES = frozenset({"favicon.ico"})
HEADERS = "_headers"
IMMUTABLE = "  Cache-Control: public, max-age=31536000, immutable\n"


@dataclass(frozen=True)
class Asset:
    """One static file: where it comes from and the path it is published at."""

    source: Path
    published: str


def collect(files: dict[str, Path]) -> dict[str, Asset]:
    """Static files (by their path under static/; `themefiles.static_files`) with their fingerprinted output paths."""
    return {name: Asset(path, published_name(name, path.read_bytes())) for name, path in files.items()}


def _data(path: Path) -> bytes:
    """The bytes a static file is published with: stylesheets minified, everything else as it is."""
    data = path.read_bytes()
    return rcssmin.cssmin(data) if path.suffix == ".css" else data


def published_name(name: str, data: bytes) -> str:
    """`css/style.css` becomes `css/style.<hash of its source>.css`; root `_*`, `.*` and favicon.ico keep their names."""
    pure = PurePosixPath(name)
    if len(pure.parts) == 1 and (name in FIXED_NAMES or name.startswith(("_", "."))):
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def content(asset: Asset, files: dict[str, Asset]) -> bytes:
    """The bytes published for a static file: `_headers` gains a long-cache rule per fingerprinted file."""
    data = _data(asset.source)
    if asset.published != HEADERS:
        return data
    fingerprinted = sorted(a.published for name, a in files.items() if a.published != name)
    rules = "".join(f"/{path}\n{IMMUTABLE}" for path in fingerprinted)
    note = "\n# Fingerprinted files never change under the same name (rules added by the build):\n"
    return data.rstrip(b"\n") + b"\n" + (note + rules).encode() if rules else data
