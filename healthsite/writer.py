"""The writer: refuses unsafe output folders, writes a temporary folder, swaps it in atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .problems import Problem, error

MARKER = ".healthsite-output"
MARKER_TEXT = b"This folder is written by healthsite; each build replaces it whole.\n"


def check_output_dir(out: Path, root: Path, config_name: str) -> list[Problem]:
    """Refuse an output folder whose replacement could destroy something that is not a built site."""
    out, root = out.resolve(), root.resolve()
    protected = [root / name for name in ("content", "templates", "static")]
    reason = None
    if out == Path(out.anchor) or out == Path.home().resolve():
        reason = "is the file system root or the home folder"
    elif out == root or out in root.parents:
        reason = "is the site folder or holds it"
    elif any(out == p or p in out.parents or out in p.parents for p in protected):
        reason = "holds or lies inside content/, templates/ or static/"
    elif out.exists() and not out.is_dir():
        reason = "exists and is not a folder"
    elif out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        reason = "is a folder that holds files healthsite did not write; choose an empty or new folder"
    return [error(config_name, 1, f"refusing output folder {out}: it {reason}")] if reason else []


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write every file into a fresh folder beside `out`, then swap it into place."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name, data in sorted(files.items()):
            target = staging / _safe(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_bytes(MARKER_TEXT)
        os.chmod(staging, 0o755)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _safe(name: str) -> str:
    """An output path that stays inside the output folder."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"unsafe output path {name!r}")
    return str(pure)


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` with `staging`; the old site is removed only once the new one is in place."""
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old)
