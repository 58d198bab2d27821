"""The writer: refuses unsafe output folders, stages what changed beside the site, then commits it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, NamedTuple

from healthsite.problems import BuildError, Problem, error

PSEUDO = ("/proc", "/sys", "/dev")
MARKER = ".healthsite-output"
MARKER_TEXT = b"This folder is written by healthsite; each build replaces it whole.\n"
File = tuple[str, str, "bytes | None"]  # an output to write: its path, its key, and its bytes (None: unchanged)
Finish = Callable[[Path, Mapping[str, str]], None]  # a step over the staged site, given each output's key


class Output(NamedTuple):
    """An output file as a build wrote it: the key of what it was made from, its size and modification time (ns)."""

    key: str
    size: int
    mtime: int


@dataclass(frozen=True)
class Written:
    """What writing the site did: a record of every file in the new site, and how many were unchanged outputs."""

    records: dict[str, Output]
    reused: int


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


def write_site(files: Iterable[File], out: Path, finish: Finish | None = None) -> Written:
    """Write the site into a staging folder beside `out`, then commit it: nothing in `out` changes before that.

    Files are written as they come, so the whole site never has to be in memory. A None file is the
    unchanged one of the previous site. Without `finish`, and with a previous site in `out`, only the new and
    changed files are staged, then moved into place (`_commit`); `finish` (the search index, which reads the
    whole site) gets a complete staging folder, swapped in whole. A path given twice is an error.
    Returns every file's record (its key, size and mtime_ns), so the next build can tell whether it is intact.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    whole = finish is not None or not (out / MARKER).is_file()
    staging = tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent)
    try:
        keys, reused, twice = _write_all(files, out, staging, whole)
        if twice:
            raise BuildError([error("site.yaml", 1, f"two outputs would be written to '{name}'") for name in twice])
        if whole:
            return Written(_replace_whole(Path(staging), out, keys, finish), reused)
        _commit(Path(staging), out, set(keys))
        return Written({name: Output(keys[name], *_stat(os.path.join(out, name))) for name in sorted(keys)}, reused)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace_whole(staging: Path, out: Path, keys: dict[str, str], finish: Finish | None) -> dict[str, Output]:
    """Let `finish` add to a complete staging folder, then swap it in for `out`."""
    if finish:
        finish(staging, keys)
    paths = (os.path.join(folder, name) for folder, _, names in os.walk(staging) for name in names)
    records = {name: Output(keys.get(name, ""), *_stat(path)) for path in paths
               if (name := os.path.relpath(path, staging))}
    with open(staging / MARKER, "wb") as stream:
        stream.write(MARKER_TEXT)
    os.chmod(staging, 0o755)
    swap(staging, out)
    return records


def _write_all(files: Iterable[File], out: Path, staging: str, whole: bool) -> tuple[dict[str, str], int, list[str]]:
    """Write the files into the staging folder (the unchanged ones too if `whole`): every path with its key, how
    many were unchanged, and the paths given twice."""
    made, keys, reused, twice = {staging}, {}, 0, []
    for name, key, data in files:
        if name in keys:
            twice.append(name)
            continue
        keys[name] = key
        reused += data is None
        if data is None and not whole:
            continue
        target = os.path.join(staging, _safe(name))
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if data is None:
            _link(os.path.join(out, name), target)
        else:
            with open(target, "xb") as stream:  # a new name in a fresh folder: never through a link
                stream.write(data)
    return keys, reused, twice


def link_previous(out: Path, staging: Path, names: Iterable[str]) -> None:
    """Bring unchanged files of the previous site into the new one."""
    for name in names:
        target = os.path.join(staging, _safe(name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _link(os.path.join(out, name), target)


def intact(out: Path, name: str, record: Output) -> bool:
    """Whether a file of the previous site is still as that build left it."""
    try:
        return _stat(os.path.join(out, name)) == (record.size, record.mtime)
    except OSError:
        return False


def _stat(path: str) -> tuple[int, int]:
    """A file's size and modification time."""
    info = os.lstat(path)  # a link planted in place of a file never passes for it
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


def _commit(staging: Path, out: Path, names: set[str]) -> None:
    """Move the staged files into `out` and take away every file no output names any more.

    Whatever was at a path is first moved aside into a folder beside `out`, so if the OS refuses a step, every
    step done is undone and the previous site stays as it was. Each step is a rename on one file system. If the
    machine stops in the middle, `out` holds some new files beside old ones; the cache that vouches for the
    outputs is written only after a commit, so the next build finds those files changed and makes them again
    (and the folders `.NAME.new-*` and `.NAME.old-*` left beside `out` can be deleted).
    """
    placed = sorted(os.path.relpath(os.path.join(folder, name), staging)
                    for folder, _, files in os.walk(staging) for name in files)
    gone = sorted(_present(out) - names - {MARKER})
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    steps: list[tuple[str, bool, bool]] = []  # (path, an old file moved aside, the new one put in place)
    try:
        for name in gone:
            _move(out / name, aside / name)
            steps.append((name, True, False))
        for name in placed:
            had = os.path.lexists(out / name)
            if had:
                _move(out / name, aside / name)
            steps.append((name, had, False))
            _move(staging / name, out / name)
            steps[-1] = (name, had, True)
    except BaseException:
        _undo(steps, staging, out, aside)
        raise
    _prune(out, gone)
    shutil.rmtree(aside, ignore_errors=True)


def _undo(steps: list[tuple[str, bool, bool]], staging: Path, out: Path, aside: Path) -> None:
    """Put back what a failed commit moved, newest step first."""
    for name, had, put in reversed(steps):
        if put:
            os.replace(out / name, staging / name)
        if had:
            os.replace(aside / name, out / name)
    shutil.rmtree(aside, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    """Rename a file (or whatever is there) to a path whose folders are made if missing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _present(out: Path) -> set[str]:
    """Every file (and link) in the output folder, as paths relative to it."""
    found = set()
    for folder, folders, files in os.walk(out):
        links = [name for name in folders if os.path.islink(os.path.join(folder, name))]
        found.update(os.path.relpath(os.path.join(folder, name), out) for name in files + links)
    return found


def _prune(out: Path, gone: list[str]) -> None:
    """Remove the folders that removed files left empty."""
    for name in sorted(gone, key=lambda n: -n.count("/")):
        folder = (out / name).parent
        while folder != out:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def swap(staging: Path, out: Path) -> None:
    """Replace the folder `out` with `staging` (a file or link there is removed first); the old folder is removed
    only once the new one is in place, and put back if the new one cannot be."""
    if out.is_symlink() or out.is_file():
        out.unlink()
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
