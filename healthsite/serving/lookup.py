"""Which file of the site served a request names: one resolver, for a site in memory or its folder on disk."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Callable, Literal
from urllib.parse import unquote

from healthsite.writing.writer import MARKER

if TYPE_CHECKING:
    from healthsite.serving.session import Snapshot

MAX_NAME = 255  # bytes in one file name: longer path segments name nothing
FEEDS = frozenset({"feed.xml"})
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".xml": "application/xml", ".atom": "application/atom+xml",
    ".json": "application/json", ".map": "application/json", ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff", ".woff2": "font/woff2", ".pdf": "application/pdf", ".wasm": "application/wasm",
}

Kind = Literal["file", "folder"] | None
Lookup = Callable[[str], Kind]  # what a path under the site's root (`a/index.html`, `` for the root) names


@dataclass(frozen=True)
class Redirect:
    """A request for a folder without its trailing slash."""

    location: str


def resolve(base_path: str, target: str, kind: Lookup) -> str | Redirect | None:
    """The path under the site's root of the file a request target names (`a/index.html` for `/a/`), a redirect
    to add a folder's slash, or None (404)."""
    parsed = _request(base_path, target)
    if not isinstance(parsed, tuple):
        return parsed
    raw, parts, query = parsed
    name = "/".join(parts).rstrip("/")
    found = kind(name)
    if found == "folder":
        if not raw.endswith("/"):
            return Redirect(raw + "/" + (f"?{query}" if query else ""))
        name = f"{name}/index.html" if name else "index.html"
        found = kind(name)
    return name if found == "file" else None


def not_found(base_path: str, target: str, kind: Lookup) -> str | None:
    """The 404 page for a missing address: the one of the edition it is under (`es/404.html`), else the site's."""
    first = target.partition("?")[0].removeprefix(base_path).split("/", 1)[0]  # an edition's folder, maybe
    edition = resolve(base_path, f"{base_path}{first}/404.html", kind) if first else None
    return edition if isinstance(edition, str) else "404.html" if kind("404.html") == "file" else None


def in_memory(site: Snapshot) -> Lookup:
    """What a path names in a site held in memory."""
    return lambda name: "file" if name in site.files else "folder" if not name or name in site.folders else None


def on_disk(out: Path) -> Lookup:
    """What a path names in a site's folder, with links followed only while they stay inside it."""
    def kind(name: str) -> Kind:
        try:
            found = _inside(out / name, out)
            return None if found is None else "folder" if found.is_dir() else "file" if found.is_file() else None
        except (OSError, ValueError):  # e.g. a name too long for the file system
            return None
    return kind


def find_in(site: Snapshot, base_path: str, target: str) -> str | Redirect | None:
    """The path of the file of a site held in memory that a request target names, a redirect, or None (404)."""
    return resolve(base_path, target, in_memory(site))


def not_found_in(site: Snapshot, base_path: str, target: str) -> str | None:
    """find_in's 404 page: the edition's (`es/404.html`), else the site's."""
    return not_found(base_path, target, in_memory(site))


def find_file(out: Path, base_path: str, target: str) -> Path | Redirect | None:
    """The file inside `out` a request target names, a redirect to add a folder's slash, or None (404)."""
    found = resolve(base_path, target, on_disk(out))
    return _inside(out / found, out) if isinstance(found, str) else found


def not_found_page(out: Path, base_path: str, target: str) -> Path | None:
    """find_file's 404 page: the edition's (`/es/404.html`), else the site's."""
    found = not_found(base_path, target, on_disk(out))
    return _inside(out / found, out) if found is not None else None


def content_type(path: PurePath) -> str:
    """The Content-Type a served file is sent with."""
    if path.name in FEEDS:
        return "application/atom+xml"
    return CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _request(base_path: str, target: str) -> tuple[str, list[str], str] | Redirect | None:
    """A request target as (path as sent, its segments under the base path, query); a redirect, or None if it
    names nothing (outside the base path, escaping it, or malformed)."""
    raw, _, query = target.partition("#")[0].partition("?")
    lowered = raw.lower()
    if not raw.startswith("/") or raw.startswith("//") or any(c in lowered for c in ("%2f", "%5c", "%00")):
        return None
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in path or "\\" in path:
        return None
    if path != base_path and path in ("/", base_path.rstrip("/")):
        return Redirect(base_path)
    if not path.startswith(base_path):
        return None
    parts = path[len(base_path):].split("/")
    if any(part in (".", "..", MARKER) or len(part.encode("utf-8", "surrogateescape")) > MAX_NAME for part in parts) \
            or "" in parts[:-1]:
        return None
    return raw, parts, query


def _inside(path: Path, out: Path) -> Path | None:
    """The path with every link resolved, if it is still inside `out`."""
    real, root = Path(os.path.realpath(path)), Path(os.path.realpath(out))
    return real if real.is_relative_to(root) else None
