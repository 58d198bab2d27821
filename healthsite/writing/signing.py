"""The key that signs the cache's records: this machine's (or one shared through the environment), so a planted or
changed record is never trusted."""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
import tempfile
from pathlib import Path

KEY_BYTES = 32
KEY_VARIABLE = "HEALTHSITE_CACHE_KEY"  # a secret shared by the machines that restore each other's caches


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
