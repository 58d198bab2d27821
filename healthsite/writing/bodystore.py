"""The cache's pages: each page's front matter, body facts and readability in a signed record of the store, and each
body's HTML and prose in a file of html/ named by its digest, read only when a page that shows it is written or
reviewed.

A build keeps only those facts in memory: each body goes to its file as it is rendered (`keeper`), and a page's
Markdown is read again from its source file when needed (`StoredPage`).
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterator

from healthsite.reading import plain
from healthsite.reading.interning import Interner
from healthsite.writing import cache as caches, store
from healthsite.writing.cache import FOLDER, Cache, Entry, address, addressed, ignored, own, own_folder, replace_file
from healthsite.reading.safeio import discard
from healthsite.reading.content import Page, StoredPage
from healthsite.mdext.markup import Body
from healthsite.problems import BuildError, Problem, error
from healthsite.model.readability import TextStats

HTML = "html"
HTML_NAME = re.compile(r"[0-9a-f]{64}\.html")
EntryParts = tuple[Page, Body, TextStats]  # a cached page, as its record encodes it
Rendered = tuple[Page | None, Body | None, TextStats | None, list[Problem]]
STORED = ("html", "prose", "toc", "anchors")  # the parts of a body kept in its file, not in memory or the page record
EMPTY = {"html": "", "prose": (), "toc": (), "anchors": frozenset()}
Parts = tuple[tuple[str, ...], tuple[tuple[str, str], ...], frozenset[str]]  # a body file's first line


def load_bodies(root: Path, cache: Cache) -> list[Problem]:
    """Fill in the cached pages, each body's HTML left on disk until a page shows it (only a build that has to
    render needs them); a page whose record or HTML file is changed, missing or damaged is dropped, to be rendered
    again."""
    meta, db, problems = store.read(root, cache.engine)
    if meta is None or db is None:
        return problems
    try:
        with db:
            found, bad, _ = store.rows(db, cache.engine, "pages")
    except sqlite3.Error as exc:
        return [ignored(store.NAME, f"unreadable ({type(exc).__name__})")]
    finally:
        db.close()
    entries = {}
    for key, (value, name) in found.items():
        try:
            entries[key] = (Entry(*plain.decode(EntryParts, json.loads(value))), name)
        except (ValueError, TypeError, RecursionError):
            bad += 1
    if bad:
        problems.append(ignored(store.NAME, f"{bad} page records changed or not written by this machine's builds "
                                            "(their articles are rendered again)"))
    folder = root / FOLDER / HTML
    good = {key: value for key, value in entries.items() if HTML_NAME.fullmatch(value[1])
            and addressed(folder, value[1]) is not None}
    if len(good) < len(entries):
        problems.append(ignored(HTML, f"{len(entries) - len(good)} rendered bodies are missing or damaged "
                                       "(their articles are rendered again)"))
    one = Interner().one  # each page's equal strings held once
    cache.bodies = {key: Entry(StoredPage(page, root / page.source, one), StoredBody(body, folder, name, one),
                               one(stats)) for key, ((page, body, stats), name) in good.items()}
    cache.lines = {key: name for key, (_, name) in good.items()}
    return problems


class StoredBody(Body):
    """A body whose HTML and prose stay in the cache's html/ folder until a page shows them (read, checked, not
    kept)."""

    def __init__(self, body: Body, folder: Path, name: str, one: Callable[[Any], Any] = lambda value: value) -> None:
        for part in dataclasses.fields(Body):
            if part.name not in STORED:
                object.__setattr__(self, part.name, one(getattr(body, part.name)))
        object.__setattr__(self, "stored", (folder, name))

    html = property(lambda self: self._read()[3], doc="The body's HTML, read from its file.")
    prose = property(lambda self: self._read()[0], doc="The body's prose paragraphs, read from its file.")
    toc = property(lambda self: self._read()[1], doc="The body's contents (heading ids and texts), read from its file.")
    anchors = property(lambda self: self._read()[2], doc="The body's anchors (ids), read from its file.")

    def _read(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], frozenset[str], str]:
        """The body's prose, contents, anchors and HTML, checked against the digest that names their file; a
        BuildError if that file changed or went away."""
        found = _html(*self.stored)
        if found is None:
            raise BuildError([error(f"{FOLDER}/{HTML}/{self.stored[1]}", 1, "a cached body changed or went away "
                                                                           "during the build: build again")])
        return found

    def loaded(self) -> Body:
        """A plain body with its HTML, prose, contents and anchors read from its file once."""
        prose, toc, anchors, html = self._read()
        parts = {"html": html, "prose": prose, "toc": toc, "anchors": anchors}
        return Body(**{part.name: parts[part.name] if part.name in parts else getattr(self, part.name)
                       for part in dataclasses.fields(Body)})

    def __reduce__(self) -> tuple:
        """Pickled as a plain body, its HTML and prose read."""
        return Body, tuple(getattr(self, part.name) for part in dataclasses.fields(Body))


def keeper(root: Path) -> Callable[[Rendered, Path], Rendered]:
    """What a build keeps of each article as it is rendered: its body's HTML and prose written to the cache's
    html/ folder (kept as a StoredBody), its Markdown left in its source file (a StoredPage)."""
    folder, one = own(own_folder(root) / HTML), Interner().one  # each article's equal strings held once

    def keep(rendered: Rendered, path: Path) -> Rendered:
        page, body, stats, problems = rendered
        return (StoredPage(page, path, one) if page is not None else None,
                stored(folder, body, one) if body is not None else None, one(stats), problems)
    return keep


def stored(folder: Path, body: Body, one: Callable[[Any], Any] = lambda value: value) -> StoredBody:
    """A body with its HTML and prose written to their file of `folder` (if not there already)."""
    if isinstance(body, StoredBody):
        return body
    data = _body_file(body)
    name = address(data, ".html")
    if addressed(folder, name) is None:  # missing, or not what its name says (a planted file is replaced)
        replace_file(folder / name, data)
    return StoredBody(body, folder, name, one)


def _body_file(body: Body) -> bytes:
    """A body's file: its prose, contents and anchors as one JSON line, then its HTML."""
    parts = plain.encode(Parts, (body.prose, body.toc, body.anchors))
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" + body.html.encode()


def _html(folder: Path, name: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], frozenset[str], str] | None:
    """The prose, contents, anchors and HTML a file of the html/ folder holds, if it is intact."""
    data = addressed(folder, name)
    if data is None:
        return None
    parts, _, html = data.partition(b"\n")
    try:
        prose, toc, anchors = plain.decode(Parts, json.loads(parts))
    except (ValueError, TypeError, RecursionError):
        return None
    return prose, toc, anchors, html.decode()


def save(root: Path, cache: Cache, previous: Cache | None = None) -> None:
    """Write the cache: each new body's HTML file, then the store's records that changed (one transaction).

    A page the previous cache held, and this build reused as it was, is not encoded again.
    HTML files no page names any more are removed.
    """
    folder = own_folder(root)
    replace_file(folder / ".gitignore", b"*\n")
    html = own(folder / HTML)
    old, named = previous or Cache(), set()

    def pages() -> Iterator[tuple[str, str | None, str]]:
        """Each page's row, made as the store writes it (a cold build's rows are never all held), its file named."""
        for key, entry in cache.bodies.items():
            row = (key, None, old.lines[key]) if _same(old.bodies.get(key), entry) and key in old.lines \
                else _line(html, key, entry)
            named.add(row[-1])
            yield row
    store.write(root, cache.engine, caches.meta(cache), {**caches.records(cache), "pages": pages()})
    for stale in html.iterdir():
        if stale.name not in named:
            discard(stale)


def _line(folder: Path, key: str, entry: Entry) -> tuple[str, str, str]:
    """One page's record (no Markdown, HTML or prose) and the name of its body's file, which holds those."""
    page, body, stats = entry
    body = stored(folder, body)
    bare_page = Page(**{f.name: "" if f.name == "body" else getattr(page, f.name) for f in dataclasses.fields(Page)})
    bare = Body(**{f.name: EMPTY.get(f.name, None) if f.name in STORED else getattr(body, f.name)
                   for f in dataclasses.fields(Body)})
    value = json.dumps(plain.encode(EntryParts, (bare_page, bare, stats)), ensure_ascii=False, separators=(",", ":"))
    return key, value, body.stored[1]


def _same(old: Entry | None, new: Entry) -> bool:
    """Whether an entry is, part for part, the very one read from the cache."""
    return old is not None and all(a is b for a, b in zip(old, new))


