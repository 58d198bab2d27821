"""Static files: copied with fingerprinted names so browsers may cache them forever."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FIXED_NAMES = frozenset({"favicon.ico"})


@dataclass(frozen=True)
class Asset:
    """One static file: where it comes from and the path it is published at."""

    source: Path
    published: str


def collect(static: Path) -> dict[str, Asset]:
    """Every file under static/, by its path there, with its fingerprinted output path."""
    assets = {}
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        name = path.relative_to(static).as_posix()
        assets[name] = Asset(path, published_name(name, path.read_bytes()))
    return assets


def published_name(name: str, data: bytes) -> str:
    """`css/style.css` becomes `css/style.<hash>.css`; root `_*`, `.*` and favicon.ico keep their names."""
    pure = PurePosixPath(name)
    if len(pure.parts) == 1 and (name in FIXED_NAMES or name.startswith(("_", "."))):
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))
