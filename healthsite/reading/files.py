"""Reading source files as text: UTF-8 (with or without BOM), any line ending."""

from __future__ import annotations

import os
import re
from pathlib import Path

from healthsite.problems import Problem, error
from healthsite.reading.safeio import HARD_LINKED, Refused, read_regular

INPUT_FOLDERS = ("content", "templates", "static")
SPECIAL = "neither a file nor a folder (a pipe, socket or device): remove it"


def read_source(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """A source file's text with LF line ends, or the problem reading it."""
    try:
        data = read_regular(path, follow=True)  # never a pipe or device (which could block), nor a hard link
    except FileNotFoundError:
        return None, [error(shown, 1, "file not found")]
    except Refused as exc:
        return None, [error(shown, 1, f"cannot read file: it is {exc.strerror}")]
    except OSError as exc:
        return None, [error(shown, 1, f"cannot read file: {exc.strerror}")]
    return decode_source(data, shown)


def decode_source(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """Source bytes as text with LF line ends, or why they are not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [error(shown, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def setting_line(text: str, key: str, value: str, section: str = "") -> int:
    """The line of a YAML file that sets `key: value` (else where the value, then `section:` or `key:`, first
    appears; else 1): where a message about that setting points."""
    match = re.search(rf"^[ \t-]*{re.escape(key)}[ \t]*:[ \t]*['\"]?{re.escape(value)}", text, re.MULTILINE)
    if match:
        return text.count("\n", 0, match.start()) + 1
    return line_of(text, value)[0] or line_of(text, f"{section or key}:")[0] or 1


def line_of(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """(1-based line, index) of the first `needle` in `text` at or after `start`; (0, -1) if absent."""
    index = text.find(needle, start)
    return (text.count("\n", 0, index) + 1, index) if index >= 0 else (0, -1)


def inside(path: Path, root: Path) -> bool:
    """Whether a path, with every link followed, lies inside the folder `root`."""
    return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))


def unsafe_inputs(root: Path, folders: tuple[str, ...] = INPUT_FOLDERS) -> list[Problem]:
    """An error at every link in the site's input folders that leads out of the site folder (or nowhere), and at
    every entry that is neither a file nor a folder (a pipe or device could stall or flood the build)."""
    problems = []
    pending = [entry for entry in _entries(root) if entry.name in folders]
    while pending:
        entry = pending.pop()
        why = _unsafe(entry, root)
        if why:
            problems.append(error(Path(entry.path).relative_to(root).as_posix(), 1, why))
        elif entry.is_dir(follow_symlinks=False):
            pending += _entries(Path(entry.path))
    return sorted(problems)


def _entries(folder: Path) -> list[os.DirEntry]:
    """The entries of a folder (none if it cannot be listed)."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _unsafe(entry: os.DirEntry, root: Path) -> str | None:
    """Why one entry of an input folder may not be read, or None (file types come from the listing itself)."""
    if entry.is_symlink():
        path = Path(entry.path)
        if not (path.exists() and inside(path, root)):
            where = "nowhere" if not path.exists() else "outside the site folder"
            return (f"a link that leads {where}: the build reads and publishes only files inside the site folder; "
                    "put the file itself here")
        return _hard_linked(path) if path.is_file() else None if path.is_dir() else SPECIAL
    if entry.is_file(follow_symlinks=False):
        return _hard_linked(entry)
    return None if entry.is_dir(follow_symlinks=False) else SPECIAL


def _hard_linked(path: Path | os.DirEntry) -> str | None:
    """Why a file may not be read because it has other names (hard links, which may lie outside the site), or None."""
    try:
        return HARD_LINKED if path.stat().st_nlink > 1 else None
    except OSError:
        return None
