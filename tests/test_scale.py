"""What a large build keeps out of memory, and the signed stat record that spares reading unchanged sources."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from healthsite.writing import bodystore, cache, store
from healthsite.reading import sourcefiles
from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import article


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Stat records trusted for files changed before the build began (no margin), and every file digested."""
    monkeypatch.setattr(sourcefiles, "RACY_NS", 0)
    digested: list[Path] = []
    read = sourcefiles.source_file

    def spy(path: Path, shown: str, known: tuple | None, since: int, listed=None) -> sourcefiles.SourceFile:
        file = read(path, shown, known, since, listed)
        if known is None or known[0] != file.stat or file.stat == sourcefiles.NO_STAT:
            digested.append(path)
        return file
    monkeypatch.setattr(sourcefiles, "source_file", spy)
    return digested


def test_an_unchanged_file_is_not_read_again(make_site, trusted: list[Path]) -> None:
    """With nothing changed, no article file is read: its stat is the one the signed record holds."""
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    trusted.clear()
    assert build(Options(root / "site.yaml")).written == 0
    assert trusted == []


def test_an_edit_keeping_size_and_modification_time_is_noticed(make_site, trusted: list[Path]) -> None:
    """An edit that keeps the file's size and puts its modification time back still changes its change time
    (which no program can set): the file is read again and its page rebuilt."""
    root = make_site({"content/a.md": article("A", body="Old words.\n"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    path = root / "content" / "a.md"
    info = path.stat()
    path.write_text(article("A", body="New words.\n"))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    build(Options(root / "site.yaml"))
    assert path in trusted
    assert "New words." in (root / "_site" / "a" / "index.html").read_text()


def test_a_file_changed_as_the_build_starts_is_read_next_time(make_site) -> None:
    """A file changed within the margin before the build began is recorded without a stat to trust (its next
    change could fall within the same tick of the clock): the next build reads it."""
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    assert cache.load(root, cache.engine_digest())[0].sources == {}  # both written just now, within RACY_NS


def test_a_build_keeps_bodies_on_disk(make_site) -> None:
    """The cache's body file holds each body's HTML, prose, contents and anchors; the pages file none of them."""
    root = make_site({"content/a.md": article("A", body="## Part one\n\nPlain words here.\n"),
                      "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    with closing(sqlite3.connect(root / cache.FOLDER / store.NAME)) as db:
        pages = "".join(value for value, in db.execute("SELECT value FROM pages")).encode()
    assert b"Plain words here." not in pages and b"part-one" not in pages
    [stored] = [p for p in (root / cache.FOLDER / bodystore.HTML).iterdir() if b"Plain words here." in p.read_bytes()]
    assert b"part-one" in stored.read_bytes()


def test_a_source_changed_during_the_build_is_an_error(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """An article file changed between being digested and being read again (to render or review it) stops the
    build with an error at that file, never a page made from other bytes than the ones the cache is keyed by."""
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B")})
    read = sourcefiles.read_articles

    def edit_after(*args, **kwargs):
        files = read(*args, **kwargs)
        (root / "content" / "a.md").write_text(article("A, edited"))
        return files
    monkeypatch.setattr("healthsite.reading.inputs.read_articles", edit_after)
    with pytest.raises(BuildError) as failed:
        build(Options(root / "site.yaml"))
    assert [str(p) for p in failed.value.problems] == [
        "content/a.md:1: error: the file changed while the site was being built: build again"]


def test_a_build_after_the_dev_server_reads_no_unchanged_source(make_site, trusted: list[Path]) -> None:
    """The dev server's cache records each article file's stat too: the next command-line build reads none of
    them, while a file saved since is read."""
    from healthsite.serving.session import Session
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B"), "content/c.md": article("C")})
    session = Session(on_error=pytest.fail)
    built = session.build(Options(root / "site.yaml", drafts=True))
    assert built.later is not None
    built.later()  # the review, then the save
    session.close()
    trusted.clear()
    (root / "content" / "c.md").write_text(article("C, edited"))
    build(Options(root / "site.yaml", drafts=True))
    assert trusted == [root / "content" / "c.md"]
    assert "C, edited" in (root / "_preview" / "c" / "index.html").read_text()
