"""The build cache's records in one SQLite database, read and written a record at a time, each record signed.

Tables: `meta` (one row: the format, engine, inputs' digest, output folder, search key, page count, and a digest
of every output record and every warning chunk, so a removed or replayed record is seen), `outputs` (one row per
output file), `sources` (one row per article file's stat and digest), `warnings` (the build's warnings in chunks of
CHUNK, in order, with their printed text), `media` (one row per media file made: what it is made from, and the name
of its file) and `pages` (one row per cached page: its front matter and body facts, and the name of its body's
file); the files those rows name are named by the digest of their bytes. Every row carries a keyed digest (this
machine's key and the engine) of its table, key and value: a changed or planted row is dropped with a warning. A build writes only the rows that changed, in one
transaction, so the database is never half-written.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path

from healthsite.writing.cache import FOLDER, ignored
from healthsite.writing.signing import machine_key
from healthsite.problems import Problem
from healthsite.reading.safeio import discard, kind_problem

NAME = "cache.sqlite"
FORMAT = 8
CHUNK = 1000  # warnings a row
TABLES = {
    "meta": "CREATE TABLE meta (id INTEGER PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL)",
    "outputs": "CREATE TABLE outputs (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID",
    "sources": "CREATE TABLE sources (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID",
    "warnings": "CREATE TABLE warnings (key INTEGER PRIMARY KEY, value TEXT NOT NULL, html TEXT NOT NULL,"
                " mac BLOB NOT NULL)",
    "media": "CREATE TABLE media (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID",
    "pages": "CREATE TABLE pages (key TEXT PRIMARY KEY, value TEXT NOT NULL, html TEXT NOT NULL, mac BLOB NOT NULL)"
             " WITHOUT ROWID",
}
PAIRED = ("pages", "warnings")  # tables whose rows have a second text: a page's body file, warnings as printed
SIDE_FILES = ("-journal", "-wal", "-shm")


class Untrusted(Exception):
    """The database is not one this engine's builds wrote (its reason is the message)."""


def path_of(root: Path) -> Path:
    """Where the database lives."""
    return root / FOLDER / NAME


def mac(engine: str, table: str, key: str | int, value: str, html: str = "") -> bytes:
    """A record's keyed digest: this machine's key, the engine, its table, key and value (and a page's body file)."""
    message = f"{engine}\0{table}\0{key}\0{value}\0{html}".encode()
    return hashlib.blake2b(message, key=machine_key(), digest_size=20).digest()


def connect(path: Path, create: bool) -> sqlite3.Connection | None:
    """The database, its tables checked to be exactly the cache's (a planted schema never runs): None if there is
    none and `create` is false; Untrusted if it is not the cache's."""
    if path.parent.is_symlink() or any(_refused(path.with_name(path.name + side)) for side in ("", *SIDE_FILES)):
        raise Untrusted("not a plain file")  # a link, pipe or hard link must not lead SQLite's writes elsewhere
    if not path.exists() and not create:
        return None
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'ro'}"
    try:
        db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise Untrusted(f"unreadable ({type(exc).__name__})") from None
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        schema = dict(db.execute("SELECT name, sql FROM sqlite_master"))
        if not schema and create:
            for sql in TABLES.values():
                db.execute(sql)
        elif schema != TABLES:
            raise Untrusted("unreadable (its tables are not the cache's)")
    except sqlite3.Error as exc:
        db.close()
        raise Untrusted(f"unreadable ({type(exc).__name__})") from None
    except Untrusted:
        db.close()
        raise
    return db


def rows(db: sqlite3.Connection, engine: str, table: str) -> tuple[dict, int, str]:
    """A table's records whose keyed digest is right, by key (value, and html for pages); how many were not; and
    the digest of the good records' digests in key order (see `digest_of`)."""
    extra = ", html" if table in PAIRED else ", ''"
    good, bad, macs = {}, 0, []
    for key, value, html, m in db.execute(f"SELECT key, value{extra}, mac FROM {table} ORDER BY key"):  # noqa: S608
        if not isinstance(value, str) or not isinstance(html, str) or m != mac(engine, table, key, value, html):
            bad += 1
        else:
            good[key] = (value, html) if table in PAIRED else value
            macs.append(m)
    return good, bad, digest_of(macs)


def digest_of(macs: Iterable[bytes]) -> str:
    """One digest of a table's record digests, in key order: a removed or replayed record changes it."""
    h = hashlib.blake2b(digest_size=20)
    for m in macs:
        h.update(m)
    return h.hexdigest()


def read(root: Path, engine: str) -> tuple[dict | None, sqlite3.Connection | None, list[Problem]]:
    """The meta record and an open database to read the rest from; (None, None, the reason) if not trusted."""
    try:
        db = connect(path_of(root), create=False)
    except Untrusted as exc:
        return None, None, [ignored(NAME, str(exc))]
    if db is None:
        return None, None, []
    try:
        found = db.execute("SELECT value, mac FROM meta WHERE id = 1").fetchone()
        meta = json.loads(found[0]) if found else None
        if not isinstance(meta, dict):
            raise ValueError("no meta record")
    except (sqlite3.Error, ValueError, TypeError, RecursionError) as exc:
        db.close()
        return None, None, [ignored(NAME, f"unreadable ({type(exc).__name__})")]
    why = "another format" if meta.get("format") != FORMAT else \
        "made by another version of the engine or its libraries" if meta.get("engine") != engine else \
        "damaged, or not written by this machine's builds" if found[1] != mac(engine, "meta", 1, found[0]) else ""
    if why:
        db.close()
        return None, None, [ignored(NAME, why)]
    return meta, db, []


def chunks(warnings: list[Problem]) -> Iterator[tuple[int, str, str]]:
    """The warnings' rows, CHUNK of them a row, in order: their plain form and their text as printed (a build with
    nothing changed prints that, decoding nothing)."""
    for start in range(0, len(warnings), CHUNK):
        part = warnings[start:start + CHUNK]
        plain = [[p.path, p.line, p.message, p.level, p.category] for p in part]
        yield (start // CHUNK, json.dumps(plain, ensure_ascii=False, separators=(",", ":")),
               "".join(f"{p}\n" for p in part))


Row = tuple[str | int, str | None, str]  # a record's key, value (None: keep the stored one) and body file name


def sync(db: sqlite3.Connection, engine: str, table: str, records: Iterable[Row]) -> str:
    """Make a table hold exactly these records, writing only those that changed; the digest of its record digests,
    in key order."""
    known = dict(db.execute(f"SELECT key, mac FROM {table}"))  # noqa: S608 (a known name)
    wanted: dict[str | int, bytes] = {}

    def changed() -> Iterator[tuple]:
        """The rows to write, made one at a time as SQLite takes them (a cold build's are never all held)."""
        for key, value, html in records:
            if value is None:  # a record kept as it is (a page this build reused), if it is still there
                if key in known:
                    wanted[key] = known[key]
                continue
            m = wanted[key] = mac(engine, table, key, value, html)
            if known.get(key) != m:
                yield (key, value, html, m) if table in PAIRED else (key, value, m)
    marks = "?, ?, ?, ?" if table in PAIRED else "?, ?, ?"
    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", changed())  # noqa: S608
    gone = [(key,) for key in known if key not in wanted]
    db.executemany(f"DELETE FROM {table} WHERE key = ?", gone)  # noqa: S608
    return digest_of(wanted[key] for key in sorted(wanted))


def write(root: Path, engine: str, meta: dict, tables: dict[str, Iterable[Row]]) -> None:
    """Write the cache's records (only those that changed) and its meta record, in one transaction; a database
    that is not the cache's is replaced."""
    path = path_of(root)
    try:
        db = connect(path, create=True)
    except Untrusted:
        _remove(path)
        try:
            db = connect(path, create=True)
        except Untrusted as exc:
            raise OSError(f"the cache database: {exc}") from None
    assert db is not None
    with closing(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            digests = {table: sync(db, engine, table, records) for table, records in tables.items()}
            value = json.dumps({**meta, "format": FORMAT, "engine": engine, "digests": digests}, sort_keys=True)
            db.execute("INSERT OR REPLACE INTO meta VALUES (1, ?, ?)", (value, mac(engine, "meta", 1, value)))
            db.execute("COMMIT")
        except sqlite3.Error as exc:  # a full disk, or the file system gone: the caller warns, the site stands
            db.execute("ROLLBACK") if db.in_transaction else None
            raise OSError(f"the cache database: {exc}") from None
        except BaseException:
            db.execute("ROLLBACK") if db.in_transaction else None
            raise


def _refused(path: Path) -> bool:
    """Whether something is at `path` that SQLite must not open: a link, a folder, a pipe or device, a hard link."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    return stat.S_ISLNK(info.st_mode) or kind_problem(info) is not None


def _remove(path: Path) -> None:
    """Remove a database that is not the cache's, and its side files (links removed, never followed)."""
    for side in ("", *SIDE_FILES):
        discard(path.with_name(path.name + side))
