"""lookup.py: one resolver turns a request target into a file of the site, alike for a site in memory and on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthsite.serving.lookup import (Redirect, content_type, find_file, find_in, in_memory, not_found,
                                       not_found_in, not_found_page, on_disk, resolve)
from healthsite.serving.session import Snapshot

SITE = ["index.html", "404.html", "a/index.html", "a/b.css", "es/index.html", "es/404.html", "es/x/index.html",
        "empty/none.txt", "caf\u00e9/index.html"]


def memory(paths: list[str]) -> Snapshot:
    """A site in memory holding each path (its bytes are the path)."""
    return Snapshot.of({p: p.encode() for p in paths})


def disk(root: Path, paths: list[str]) -> Path:
    """A site folder holding each path (its bytes are the path)."""
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(path.encode())
    return root


@pytest.mark.parametrize(("target", "expected"), [
    ("/", "index.html"), ("/a/", "a/index.html"), ("/a/b.css", "a/b.css"), ("/a/b.css?v=1#top", "a/b.css"),
    ("/a", Redirect("/a/")), ("/a?q=1", Redirect("/a/?q=1")), ("/caf%C3%A9/", "caf\u00e9/index.html"),
    ("/empty/", None), ("/missing/", None), ("/a/missing", None), ("a/", None), ("//a/", None), ("/a//", None),
    ("/../a/", None), ("/a/../a/", None), ("/%2e%2e/a/", None), ("/a%2fb.css", None), ("/a%5cb.css", None),
    ("/a%00/", None), ("/%ff/", None), ("/.healthsite-output", None), ("/" + "x" * 256 + "/", None),
])
def test_resolve_at_the_root(target: str, expected: str | Redirect | None) -> None:
    """Clean URLs, folder redirects with the query kept, and nothing outside the site or malformed."""
    assert resolve("/", target, in_memory(memory(SITE))) == expected


@pytest.mark.parametrize(("target", "expected"), [
    ("/docs/", "index.html"), ("/docs/a/", "a/index.html"), ("/docs", Redirect("/docs/")), ("/", Redirect("/docs/")),
    ("/docs/a", Redirect("/docs/a/")), ("/a/", None), ("/docsa/", None),
])
def test_resolve_under_a_base_path(target: str, expected: str | Redirect | None) -> None:
    """Under a base path, only addresses below it name files; the base path without its slash redirects."""
    assert resolve("/docs/", target, in_memory(memory(SITE))) == expected


@pytest.mark.parametrize(("target", "expected"), [
    ("/es/no-such/", "es/404.html"), ("/es/x/y?q=1", "es/404.html"), ("/fr/x/", "404.html"), ("/x", "404.html"),
    ("/", "404.html"), ("/%2e%2e/es/x", "404.html"),
])
def test_not_found_is_the_editions_404_page(target: str, expected: str) -> None:
    """A missing address under an edition gets that edition's 404 page, anything else the site's."""
    assert not_found("/", target, in_memory(memory(SITE))) == expected


def test_no_404_page_is_none() -> None:
    """A site without a 404.html has no 404 page to give."""
    assert not_found("/", "/x/", in_memory(memory(["index.html"]))) is None


def test_the_folder_wrappers_give_real_paths(tmp_path: Path) -> None:
    """find_file and not_found_page answer with paths inside the folder; find_in and not_found_in with names."""
    out = disk(tmp_path / "out", SITE)
    assert find_file(out, "/", "/a/") == out.resolve() / "a" / "index.html"
    assert not_found_page(out, "/", "/es/nothing") == out.resolve() / "es" / "404.html"
    assert find_in(memory(SITE), "/", "/a/") == "a/index.html"
    assert not_found_in(memory(SITE), "/", "/es/nothing") == "es/404.html"


def test_links_that_leave_the_folder_name_nothing(tmp_path: Path) -> None:
    """A link inside the site's folder is followed only while it stays inside it."""
    out = disk(tmp_path / "out", ["index.html"])
    (tmp_path / "secret.txt").write_text("secret")
    (out / "inside.txt").symlink_to(out / "index.html")
    (out / "outside.txt").symlink_to(tmp_path / "secret.txt")
    (out / "up").symlink_to(tmp_path)
    assert find_file(out, "/", "/inside.txt") == out.resolve() / "index.html"
    assert find_file(out, "/", "/outside.txt") is None and find_file(out, "/", "/up/secret.txt") is None


def test_a_path_too_long_for_the_file_system_names_nothing(tmp_path: Path) -> None:
    """A lookup the file system refuses is a 404, not an error."""
    target = "/" + "/".join(["y" * 250] * (os.pathconf("/", "PC_PATH_MAX") // 250 + 2)) + "/"
    assert find_file(tmp_path, "/", target) is None
    assert on_disk(tmp_path)("y" * 250 + "/" + "z" * 250) is None


SEGMENTS = st.sampled_from(["a", "b", "es", "index.html", "404.html", "x.css", "caf\u00e9", ".healthsite-output"])
TARGET_PARTS = st.sampled_from(["a", "b", "es", "index.html", "404.html", "x.css", "caf%C3%A9", "", ".", "..",
                                "%2e%2e", "a%2fb", "?q=1", "#f"])


@st.composite
def sites(draw: st.DrawFn) -> list[str]:
    """Paths of a small site in which no file is also a folder."""
    paths: list[str] = []
    for parts in draw(st.lists(st.lists(SEGMENTS, min_size=1, max_size=3), max_size=8)):
        path = "/".join(parts)
        if not any(p == path or p.startswith(path + "/") or path.startswith(p + "/") for p in paths):
            paths.append(path)
    return paths


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites(), st.lists(TARGET_PARTS, max_size=4), st.sampled_from(["/", "/docs/"]))
def test_memory_and_disk_agree(paths: list[str], parts: list[str], base_path: str) -> None:
    """The site in memory and the same site on disk answer every request alike: file, redirect, 404 page."""
    target = base_path + "/".join(parts)
    with tempfile.TemporaryDirectory() as folder:
        out = disk(Path(folder), paths)
        on_disk_found, in_memory_found = find_file(out, base_path, target), find_in(memory(paths), base_path, target)
        assert _name(on_disk_found, out) == in_memory_found
        assert _name(not_found_page(out, base_path, target), out) == not_found_in(memory(paths), base_path, target)


def _name(found: Path | Redirect | None, out: Path) -> str | Redirect | None:
    """A path inside the folder as the site in memory names it."""
    return found.relative_to(out.resolve()).as_posix() if isinstance(found, Path) else found


@pytest.mark.parametrize(("name", "kind"), [
    ("feed.xml", "application/atom+xml"), ("sitemap.xml", "application/xml"),
    ("a/INDEX.HTML", "text/html; charset=utf-8"), ("x.webmanifest", "application/manifest+json"),
    ("x.mp4", "video/mp4"), ("x.unknown-kind", "application/octet-stream"),
])
def test_content_type(name: str, kind: str) -> None:
    """The site's own types first (feeds as Atom), then the platform's, else bytes."""
    assert content_type(PurePosixPath(name)) == kind
