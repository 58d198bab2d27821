"""Signing the cache: this machine's key (or one shared through the environment) and a keyed digest beside each
file the cache makes, so a planted or changed file is never trusted."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from healthsite.reading.safeio import read_regular, write_fresh

KEY_BYTES = 32
KEY_VARIABLE = "HEALTHSITE_CACHE_KEY"  # a secret shared by the machines that restore each other's caches


def sign(path: Path, data: bytes) -> None:
    """Write a file of the cache with a keyed digest beside it (`NAME.mac`), so a planted file is never trusted."""
    write_fresh(path, data)  # a fresh temporary name, renamed: never through a planted link, pipe or folder
    write_fresh(path.with_name(path.name + ".mac"), _mac(path.name.encode() + b"\0" + data).encode())


def signed(path: Path) -> bool:
    """Whether a file of the cache is one this machine wrote (`sign`), unchanged."""
    try:
        mac = read_regular(path.with_name(path.name + ".mac"), limit=100).decode()
        data = read_regular(path)
    except (OSError, UnicodeDecodeError):
        return False
    return data is not None and hmac.compare_digest(mac, _mac(path.name.encode() + b"\0" + data))


def _mac(payload: bytes) -> str:
    """A keyed digest of a payload, with this machine's key."""
    return hmac.new(machine_key(), payload, "sha256").hexdigest()


@functools.cache
def machine_key() -> bytes:
    """The key that signs caches: kept outside every site folder, made on first use (per process if unwritable).

    Two builds that start at once agree on one key: the first to link its new key file into place wins.
    A key given in the environment (HEALTHSITE_CACHE_KEY, e.g. from a CI secret) is used instead, so a cache
    restored on another machine that has the same secret is trusted.
    """
    given = os.environ.get(KEY_VARIABLE, "")
    if given:
        return hashlib.sha256(given.encode()).digest()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "healthsite"
    path = home / "cache.key"
    key = _key_in(path)
    if key:
        return key
    key = secrets.token_bytes(KEY_BYTES)
    try:
        home.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()  # a damaged key file: its caches are not trusted anyway
        fd, temporary = tempfile.mkstemp(prefix=".cache.key.", dir=home)  # readable by its owner only
        with os.fdopen(fd, "wb") as stream:
            stream.write(key)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    except OSError:
        return key  # an unwritable home: caches live as long as this process
    return _key_in(path) or key


def _key_in(path: Path) -> bytes | None:
    """The key a key file holds, if it holds one."""
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None
