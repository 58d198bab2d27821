"""Reading and writing files without being led astray: no link followed, no pipe or device opened in a way that
blocks, no file with other names (hard links) read, every write to a fresh temporary name renamed into place."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
HARD_LINKED = ("a file with more than one hard link (another name for a file that may lie outside the site "
               "folder): copy the file here instead")
SPECIAL = "neither a file nor a folder (a pipe, socket or device): remove it"


class Refused(OSError):
    """A path that is not a plain file of its own: a link, a pipe, socket or device, a folder, a hard link."""


def kind_problem(info: os.stat_result, single: bool = True) -> str | None:
    """Why a file with this stat may not be read (a special file, or, if `single`, one with other names), or None."""
    if stat.S_ISDIR(info.st_mode):
        return "a folder where a file should be"
    if not stat.S_ISREG(info.st_mode):
        return SPECIAL
    if single and info.st_nlink > 1:
        return HARD_LINKED
    return None


def read_regular(path: Path | str, single: bool = True, limit: int | None = None, follow: bool = False) -> bytes:
    """A plain file's bytes, opened without following a link (unless `follow`: an input checked to stay inside the
    site) and without blocking on a pipe; Refused (an OSError) for anything else, or (if `single`) for a file with
    more than one hard link; at most `limit` bytes + 1."""
    try:
        fd = os.open(path, FLAGS & ~getattr(os, "O_NOFOLLOW", 0) if follow else FLAGS)
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise Refused(exc.errno, "a folder where a file should be", str(path)) from None
        if not follow and (exc.errno in (errno.ELOOP, errno.ENOTDIR) or os.path.islink(path)):
            raise Refused(exc.errno, "a link, which is never followed here", str(path)) from None
        raise
    why = kind_problem(os.fstat(fd), single)
    if why:
        os.close(fd)
        raise Refused(0, why, str(path))
    with os.fdopen(fd, "rb") as stream:
        os.set_blocking(fd, True)
        return stream.read() if limit is None else stream.read(limit + 1)


def write_fresh(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` by a new file: written to a fresh temporary name beside it (O_EXCL, never a link's target),
    then renamed; whatever was at `path` (a file, a link, a pipe, a planted folder) is replaced, never written
    through."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise



def discard(path: Path) -> None:
    """Remove whatever is at `path` (a file, a link, a pipe, a planted folder), never following a link."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
