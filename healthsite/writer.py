"""The writer: refuses unsafe output folders, writes a temporary folder, swaps it in atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .problems import BuildError, Problem, error

PSEUDO = ("/proc", "/sys", "/dev")
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
    elif os.path.ismount(out):
        reason = "is a mount point, which cannot be replaced whole; use a folder inside it"
    elif any(out == Path(p) or Path(p) in out.parents for p in PSEUDO):
        reason = "is in a system folder (/proc, /sys, /dev) that holds no files"
    elif out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        reason = "is a folder that holds files healthsite did not write; choose an empty or new folder"
    else:
        reason = _unwritable(out)
    return [error(config_name, 1, f"refusing output folder {out}: it {reason}")] if reason else []


def _unwritable(out: Path) -> str | None:
    """Why the folder that will hold `out` (its nearest existing ancestor) cannot be written, or None."""
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"lies inside {folder}, which is a file, not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot be written in {folder} (a read-only place, or one this user may not change)"
    return None


def write_site(files: Iterable[tuple[str, bytes | None]], out: Path,
               finish: Callable[[Path], None] | None = None) -> dict[str, tuple[int, int]]:
    """Write every file into a fresh folder beside `out`, let `finish` add to it, then swap it into place.

    Files are written as they come, so the whole site never has to be in memory. A None file is the
    unchanged one of the previous site, hard-linked (or copied) rather than written. A path given twice
    is an error. Returns every file's (size, mtime_ns), so the next build can tell whether it is intact.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent)
    try:
        twice = _write_all(files, out, staging)
        if twice:
            raise BuildError([error("site.yaml", 1, f"two outputs would be written to '{name}'") for name in twice])
        if finish:
            finish(Path(staging))
        stats = {os.path.relpath(os.path.join(folder, name), staging): _stat(os.path.join(folder, name))
                 for folder, _, names in os.walk(staging) for name in names}
        with open(os.path.join(staging, MARKER), "wb") as stream:
            stream.write(MARKER_TEXT)
        os.chmod(staging, 0o755)
        _swap(Path(staging), out)
        return stats
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_all(files: Iterable[tuple[str, bytes | None]], out: Path, staging: str) -> list[str]:
    """Write the files into the staging folder; return the paths that came more than once."""
    made, seen, twice = {staging}, set(), []
    for name, data in files:
        if name in seen:
            twice.append(name)
            continue
        seen.add(name)
        target = os.path.join(staging, _safe(name))
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if data is None:
            _link(os.path.join(out, name), target)
        else:
            with open(target, "wb") as stream:
                stream.write(data)
    return twice


def link_previous(out: Path, staging: Path, names: Iterable[str]) -> None:
    """Bring unchanged files of the previous site into the new one."""
    for name in names:
        target = os.path.join(staging, _safe(name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _link(os.path.join(out, name), target)


def intact(out: Path, name: str, record: tuple[str, int, int]) -> bool:
    """Whether a file of the previous site is still as that build left it."""
    try:
        return _stat(os.path.join(out, name)) == tuple(record[1:])
    except OSError:
        return False


def _stat(path: str) -> tuple[int, int]:
    """A file's size and modification time."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def _link(source: str, target: str) -> None:
    """Reuse a previous file: a hard link where the file system allows, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


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
