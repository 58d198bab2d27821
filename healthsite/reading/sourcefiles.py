"""Source files: each article's file found, stat'ed and digested once per build (a file whose stat is the one
recorded keeps its digest unread), and read again, checked against that digest, when it is parsed."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from healthsite.checks import check
from healthsite.problems import Problem, error, shown_path

Stat = tuple[int, int, int, int]  # a file's size, modification and change times (ns) and inode
NO_STAT: Stat = (-1, -1, -1, -1)
RACY_NS = 2_000_000_000  # a file changed this close to the build's start may change again within its stat's tick


@dataclass(frozen=True)
class SourceFile:
    """An article file as read: its path, its name in messages, its size and the digest of its bytes (the bytes
    themselves are read again by whoever parses the file, and checked against the digest)."""

    path: Path
    shown: str
    size: int
    digest: str
    stat: Stat = NO_STAT  # the file's stat when it was read; NO_STAT if it changed too recently to be trusted

    @property
    def data(self) -> bytes:
        """The file's bytes, read again; a BuildError if they are not the bytes this build read first."""
        data = read_again(self.path, self.shown, self.digest)
        if isinstance(data, Problem):
            check([data])
        return data


def file_digest(data: bytes) -> str:
    """The digest that names an article file's bytes (Page.digest, the cache's keys)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_again(path: Path, shown: str, digest: str) -> bytes | Problem:
    """A file's bytes, read again, or an error if they are no longer the bytes with `digest`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return error(shown, 1, f"cannot read file: {exc.strerror}")
    if file_digest(data) != digest:
        return changed_while_building(shown)
    return data


CHANGED = "the file changed while the site was being built: build again"


def changed_while_building(shown: str) -> Problem:
    """The error for a file whose bytes are no longer the ones this build read first."""
    return error(shown, 1, CHANGED)


def read_articles(content_dir: Path, root: Path, known: Mapping[str, tuple[Stat, str]] | None = None,
                  since: int = 0) -> list[SourceFile]:
    """Every article file of a content folder, in name order, each read once to digest it.

    A file whose stat (size, times, inode) is what `known` recorded keeps its recorded digest without being read
    (as git's index does); a file changed at or after `since` (ns, minus a margin) is not given a stat to trust.
    """
    folder = shown_path(content_dir, root)
    if not content_dir.is_dir():
        check([error(f"{folder}/", 1, "no content folder: the site's articles go in content/*.md (nothing was "
                                      "built, so an empty site does not replace the published one)")])
    files, problems = [], []
    for entry in _markdown_files(content_dir):
        shown = f"{folder}/{entry.name}"
        try:
            files.append(source_file(content_dir / entry.name, shown, (known or {}).get(shown), since, entry.stat))
        except OSError as exc:
            problems.append(error(shown, 1, f"cannot read file: {exc.strerror}"))
    if not files and not problems:
        problems.append(error(f"{folder}/", 1, "no articles: content/ holds no *.md files (nothing was built, "
                                               "so an empty site does not replace the published one)"))
    check(problems)
    return files


def _markdown_files(folder: Path) -> list[os.DirEntry]:
    """The Markdown files of a folder, in name order (file types from the listing, not a stat of each file)."""
    with os.scandir(folder) as entries:
        return sorted((entry for entry in entries if entry.name.endswith(".md") and entry.is_file()),
                      key=lambda entry: entry.name)


def source_file(path: Path, shown: str, known: tuple[Stat, str] | None = None, since: int = 0,
                listed: Callable[[], os.stat_result] | None = None) -> SourceFile:
    """One article file, digested: its bytes read only if its stat (from its folder's `listed` entry, or its path)
    is not the one recorded with a digest (as git's index does)."""
    if known is not None and known[0] != NO_STAT and _stat(listed() if listed else os.stat(path)) == known[0]:
        return SourceFile(path, shown, known[0][0], known[1], known[0])
    with open(path, "rb") as stream:
        info = os.fstat(stream.fileno())  # taken before reading: a change after it shows in the next build's stat
        stat = _stat(info)
        data = stream.read()
    racy = max(info.st_mtime_ns, info.st_ctime_ns) >= since - RACY_NS
    return SourceFile(path, shown, len(data), file_digest(data), NO_STAT if racy else stat)


def _stat(info: os.stat_result) -> Stat:
    """What a file's stat says of its version: size, modification and change times, inode."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino
