"""A hostile site folder: planted files, links out of the site, unsafe URLs, resource bombs, odd requests."""

from __future__ import annotations

import ast
import json
import os
import pickle
from contextlib import closing
from pathlib import Path

import pytest

from healthsite.writing import cache, store
from healthsite.pipeline import Options, build, validate
from healthsite.problems import BuildError
from tests.conftest import REPO, SITE_YAML, article

PACKAGE = REPO / "healthsite"


def problems_of(root: Path, **options: object) -> list[str]:
    """The problems (as printed) of a build that must fail."""
    with pytest.raises(BuildError) as failed:
        build(Options(root / "site.yaml", **options))
    return [str(p) for p in failed.value.problems]


# 1. Nothing from the site folder runs -------------------------------------------------------------------------


class Planted:
    """Unpickling this creates a file: the proof that a pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_the_engine_uses_no_executing_loader() -> None:
    """No module imports pickle, marshal or shelve, or calls eval, exec or an unsafe YAML loader."""
    banned_modules = {"pickle", "marshal", "shelve", "dill", "cloudpickle"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.name}: import {n}" for n in names if n.split(".")[0] in banned_modules]
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in ("eval", "exec", "unsafe_load", "full_load") or \
                        name == "load" and isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "yaml":
                    found.append(f"{path.name}:{node.lineno}: {name}()")
    assert found == []


@pytest.mark.parametrize("name", ["cache.sqlite", "manifest.json", "pages.json", "manifest.pickle"])
def test_a_planted_pickle_never_runs(make_site, tmp_path: Path, name: str) -> None:
    """A pickle planted in the cache folder is never unpickled, by `build` or by `check`."""
    root = make_site({"content/a.md": article("A")})
    marker = tmp_path / "ran"
    build(Options(root / "site.yaml"))
    (root / ".healthsite-cache" / name).write_bytes(pickle.dumps(Planted(marker)))
    (root / "content" / "a.md").write_text(article("A changed"))
    validate(Options(root / "site.yaml"), __import__("datetime").date(2026, 1, 1))
    build(Options(root / "site.yaml"))
    assert not marker.exists()
    assert "A changed" in (root / "_site" / "a" / "index.html").read_text()


def _planted_database(path: Path, trigger: bool) -> None:
    """A SQLite database in the cache's place: the cache's tables plus a trigger, or tables of another shape."""
    import sqlite3
    with closing(sqlite3.connect(path)) as db:
        db.executescript("CREATE TABLE meta (id INTEGER PRIMARY KEY, value TEXT, mac BLOB);"
                         "CREATE TABLE planted (x);" + (
                             "CREATE TRIGGER t AFTER INSERT ON meta BEGIN INSERT INTO planted VALUES (1); END;"
                             if trigger else ""))


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "directory", "link", "other tables",
                                    "trigger", "no meta", "meta not json", "journal link", "hard link", "pipe"])
def test_a_damaged_cache_is_ignored_with_one_warning(make_site, tmp_path: Path, damage: str) -> None:
    """Any damaged cache database gives exactly one warning, and the build renders everything again."""
    import sqlite3
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    path = root / cache.FOLDER / store.NAME
    data = path.read_bytes()
    if damage in ("no meta", "meta not json"):
        with closing(sqlite3.connect(path)) as db, db:
            db.execute("DELETE FROM meta" if damage == "no meta" else "UPDATE meta SET value = '[['")
    elif damage == "journal link":
        path.with_name(store.NAME + "-journal").symlink_to(tmp_path / "elsewhere")
    else:
        path.unlink()
    if damage == "directory":
        path.mkdir()
    elif damage == "link":
        path.symlink_to("/dev/zero")
    elif damage in ("other tables", "trigger"):
        _planted_database(path, damage == "trigger")
    elif damage == "hard link":  # another name for a file outside the site: never written through
        (tmp_path / "outside").write_bytes(data)
        os.link(tmp_path / "outside", path)
    elif damage == "pipe":
        os.mkfifo(path)
    elif damage in ("truncated", "empty", "garbage"):
        path.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "garbage": os.urandom(300)}[damage])
    (root / "content" / "a.md").write_text(article("A changed"))
    report = build(Options(root / "site.yaml"))
    assert [p.message.split(":")[0] for p in report.notices] == ["build cache ignored"]
    assert "A changed" in (root / "_site" / "a" / "index.html").read_text()
    assert build(Options(root / "site.yaml")).notices == []  # rebuilt: trusted again
    assert not (tmp_path / "elsewhere").exists()
    assert damage != "hard link" or (tmp_path / "outside").read_bytes() == data


def test_a_cache_edited_by_hand_is_not_trusted(make_site) -> None:
    """A page record whose data was changed is dropped with one warning and its article rendered again: it could
    carry unsanitized HTML. (The record holds each page's front matter; its body's HTML is in its own file.)"""
    import sqlite3
    root = make_site({"content/a.md": article("Plain words here."), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    with closing(sqlite3.connect(root / cache.FOLDER / store.NAME)) as db, db:
        changed = db.execute("UPDATE pages SET value = replace(value, 'Plain words here.', '<script>1</script>')"
                             " WHERE value LIKE '%Plain words here.%'").rowcount
    assert changed == 1
    (root / "content" / "b.md").write_text(article("B changed"))
    report = build(Options(root / "site.yaml"))
    assert [p.message for p in report.notices] == [
        "build cache ignored: 1 page records changed or not written by this machine's builds "
        "(their articles are rendered again)"]
    assert "<script>" not in (root / "_site" / "a" / "index.html").read_text()
    assert "Plain words here." in (root / "_site" / "a" / "index.html").read_text()


@pytest.mark.parametrize("damage", ["changed", "planted", "removed", "replayed"])
def test_a_changed_planted_or_removed_output_record_is_not_trusted(make_site, damage: str) -> None:
    """An output or warning record changed, planted, removed or put back from an older build: one warning, and
    no nothing-changed shortcut (which would skip checking that file, or report other warnings)."""
    import sqlite3
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    path = root / cache.FOLDER / store.NAME
    with closing(sqlite3.connect(path)) as db:
        old = db.execute("SELECT key, value, mac FROM outputs WHERE key = 'b/index.html'").fetchone()
    (root / "content" / "b.md").write_text(article("B changed"))
    build(Options(root / "site.yaml"))
    with closing(sqlite3.connect(path)) as db, db:
        if damage == "changed":
            db.execute("UPDATE outputs SET value = replace(value, '\"', '\"0') WHERE key = 'b/index.html'")
        elif damage == "planted":
            db.execute("INSERT INTO outputs VALUES ('planted.html', '[\"k\",1,1]', x'00')")
        elif damage == "removed":
            db.execute("DELETE FROM outputs WHERE key = 'b/index.html'")
        else:
            db.execute("REPLACE INTO outputs VALUES (?, ?, ?)", old)
    (root / "_site" / "b" / "index.html").write_text("planted")
    report = build(Options(root / "site.yaml"))
    assert [p.message.split(":")[0] for p in report.notices] == ["build cache ignored"]
    assert report.written > 0 and "B changed" in (root / "_site" / "b" / "index.html").read_text()
    assert build(Options(root / "site.yaml")).notices == []


@pytest.mark.parametrize("damage", ["script", "deleted", "link"])
def test_a_cached_body_changed_by_hand_is_not_trusted(make_site, tmp_path: Path, damage: str) -> None:
    """A body's HTML file in the cache changed, deleted or replaced by a link is not used: one warning, and that
    article is rendered again (its file is named by the digest the signed pages file vouches for)."""
    root = make_site({"content/a.md": article("A", body="Plain words here.\n"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    [path] = [p for p in (root / cache.FOLDER / "html").iterdir() if b"Plain words here." in p.read_bytes()]
    path.unlink()
    if damage == "script":
        path.write_bytes(b"<p>Plain words here.</p><script>1</script>")
    elif damage == "link":
        (tmp_path / "elsewhere.html").write_bytes(b"<script>1</script>")
        path.symlink_to(tmp_path / "elsewhere.html")
    (root / "content" / "b.md").write_text(article("B changed"))
    report = build(Options(root / "site.yaml"))
    assert [p.message for p in report.notices] == [
        "build cache ignored: 1 rendered bodies are missing or damaged (their articles are rendered again)"]
    assert "<script>" not in (root / "_site" / "a" / "index.html").read_text()
    assert "Plain words here." in (root / "_site" / "a" / "index.html").read_text()
    (root / "content" / "b.md").write_text(article("B again"))
    assert build(Options(root / "site.yaml")).notices == []


def test_a_planted_cache_folder_link_is_replaced(make_site, tmp_path: Path) -> None:
    """A `.healthsite-cache` that is a link out of the site is not read, and the cache is written inside the site."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = make_site({"content/a.md": article("A")})
    (root / cache.FOLDER).symlink_to(elsewhere)
    build(Options(root / "site.yaml"))
    assert list(elsewhere.iterdir()) == []
    assert (root / cache.FOLDER).is_dir() and not (root / cache.FOLDER).is_symlink()



def test_planted_media_are_made_again_and_a_media_link_is_not_followed(make_site, tmp_path: Path) -> None:
    """A preview card planted (or edited) in the cache's media folder is not published: it is drawn again; a media
    folder that is a link out of the site is neither read nor emptied."""
    root = make_site({"content/a.md": article("A", tags="[a-topic]")})
    build(Options(root / "site.yaml"))
    clean = published_cards(root)
    media = root / cache.FOLDER / "media"
    for path in media.iterdir():  # each is named by the digest of its bytes: planted bytes no longer match it
        path.write_bytes(b"\x89PNG planted")
    (root / "content" / "a.md").write_text(article("A", "Other text.\n", tags="[a-topic]"))  # a real rebuild
    build(Options(root / "site.yaml"))
    assert published_cards(root) == clean and clean
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the cache's")
    for path in media.iterdir():
        path.unlink()
    media.rmdir()
    media.symlink_to(elsewhere)
    (root / "content" / "a.md").write_text(article("A", "Third text.\n", tags="[a-topic]"))
    build(Options(root / "site.yaml"))
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"] and media.is_dir() and not media.is_symlink()
    assert published_cards(root) == clean

def media_rows(root: Path) -> dict[str, str]:
    """The store's media records: each task's key -> the name of the media file made from it."""
    import sqlite3
    with closing(sqlite3.connect(root / cache.FOLDER / store.NAME)) as db:
        return dict(db.execute("SELECT key, value FROM media"))


def published_cards(root: Path) -> dict[str, bytes]:
    """The site's published PNG files, by name."""
    return {p.name: p.read_bytes() for p in (root / "_site").rglob("*.png")}


def one_card_site(make_site) -> tuple[Path, dict[str, bytes], Path, str, str]:
    """A site built with one preview card: its folder, its published cards, the cache's media folder, and the
    card's store row (its key and its file's name)."""
    root = make_site({"content/a.md": article("A", tags="[a-topic]")})
    build(Options(root / "site.yaml"))
    [(key, name)] = media_rows(root).items()
    return root, published_cards(root), root / cache.FOLDER / "media", key, name


def counting_media(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The key of every media file made from now on (made in this process: the test sites are small)."""
    from healthsite.writing import mediafiles
    made: list[str] = []
    make = mediafiles.make
    monkeypatch.setattr(mediafiles, "make", lambda task: made.append(task.key) or make(task))
    return made


def test_media_files_are_named_by_their_bytes_and_by_signed_rows(make_site, monkeypatch) -> None:
    """Each media file of the cache is named by the digest of its bytes and named by a signed row of the store's
    media table (no sidecar files); a build with the same media makes none of them again."""
    root = make_site({"content/a.md": article("A", tags="[a-topic]")})
    build(Options(root / "site.yaml"))
    rows, media = media_rows(root), root / cache.FOLDER / "media"
    assert rows and sorted(rows.values()) == sorted(p.name for p in media.iterdir())
    assert all(cache.addressed(media, name) is not None for name in rows.values())
    made = counting_media(monkeypatch)
    (root / "content" / "a.md").write_text(article("A", "Other text.\n", tags="[a-topic]"))
    assert build(Options(root / "site.yaml")).notices == [] and made == []


def test_a_planted_media_file_under_its_own_digest_is_not_trusted(make_site, monkeypatch) -> None:
    """A file planted under a name that is the digest of its own bytes, but that no signed row names, is never
    published: it is removed, and the media file is made (its row names the real one)."""
    root, clean, media, key, name = one_card_site(make_site)
    planted = b"\x89PNG planted"
    (media / name).unlink()
    (media / cache.address(planted, ".png")).write_bytes(planted)
    made = counting_media(monkeypatch)
    (root / "content" / "a.md").write_text(article("A", "Other text.\n", tags="[a-topic]"))
    build(Options(root / "site.yaml"))
    assert made == [key] and [p.name for p in media.iterdir()] == [name]
    assert published_cards(root) == clean


def test_a_media_file_whose_bytes_changed_is_made_again(make_site, monkeypatch) -> None:
    """A media file whose bytes were changed in place (under the name its row gives) is made again, and the site
    publishes the right bytes."""
    root, clean, media, key, name = one_card_site(make_site)
    right = (media / name).read_bytes()
    (media / name).write_bytes(right[:-1] + bytes([right[-1] ^ 1]))
    made = counting_media(monkeypatch)
    (root / "content" / "a.md").write_text(article("A", "Other text.\n", tags="[a-topic]"))
    build(Options(root / "site.yaml"))
    assert made == [key] and (media / name).read_bytes() == right
    assert published_cards(root) == clean


def test_a_media_row_signed_with_another_key_is_dropped(make_site, monkeypatch) -> None:
    """A media row copied from a cache that another machine's key signed (naming a planted file by its own
    digest) is dropped with one warning; the media file is made again and the planted file never published."""
    import sqlite3
    root, clean, media, key, name = one_card_site(make_site)
    planted = b"\x89PNG planted"
    other = cache.address(planted, ".png")
    (media / other).write_bytes(planted)
    with monkeypatch.context() as foreign:
        foreign.setattr(store, "machine_key", lambda: b"another machine's key, 32 bytes")
        mac = store.mac(cache.engine_digest(), "media", key, other)
    with closing(sqlite3.connect(root / cache.FOLDER / store.NAME)) as db, db:
        db.execute("UPDATE media SET value = ?, mac = ? WHERE key = ?", (other, mac, key))
    made = counting_media(monkeypatch)
    (root / "content" / "a.md").write_text(article("A", "Other text.\n", tags="[a-topic]"))
    report = build(Options(root / "site.yaml"))
    assert [p.message for p in report.notices] == [
        "build cache ignored: 1 records changed or not written by this machine's builds"]
    assert made == [key] and [p.name for p in media.iterdir()] == [name] and media_rows(root) == {key: name}
    assert published_cards(root) == clean


# 2. Nothing from outside the site is read or published ---------------------------------------------------------


@pytest.mark.parametrize("where", ["content/linked.md", "static/linked.css", "templates/linked.html",
                                   "content/care/linked.md", "content/images/linked.svg", "static/sub/deep/x.txt",
                                   "content/folder"])
def test_a_link_out_of_the_site_is_an_error_at_its_path(make_site, tmp_path: Path, where: str) -> None:
    """A link (to a file or a folder) in any input folder that leads outside the site folder is an error at its path."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_text("root:x:0:0:secret line\n")
    root = make_site({"content/a.md": article("A")})
    link = root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret if where == "content/folder" else secret / "passwd")
    problems = problems_of(root)
    assert problems == [f"{where}:1: error: a link that leads outside the site folder: the build reads and "
                        "publishes only files inside the site folder; put the file itself here"]
    assert not (root / "_site").exists()


def test_links_inside_the_site_are_fine_and_dangling_ones_are_errors(make_site) -> None:
    """A link to a file inside the site folder is followed; one that leads nowhere is an error."""
    root = make_site({"content/a.md": article("A"), "shared/b.md": article("B")})
    (root / "content" / "b.md").symlink_to(root / "shared" / "b.md")
    build(Options(root / "site.yaml"))
    assert (root / "_site" / "b" / "index.html").exists()
    (root / "static" / "gone.css").symlink_to(root / "nothing-here.css")
    assert problems_of(root)[0].startswith("static/gone.css:1: error: a link that leads nowhere")


@pytest.mark.parametrize("value", ["/etc/passwd", "../outside.yaml", "content/../../outside.yaml", "C:/refs.yaml",
                                   "..\\\\outside.yaml"])
def test_bibliography_must_lie_inside_the_site(make_site, value: str) -> None:
    """`bibliography:` outside the site folder is an error at its line in site.yaml, and nothing of it is shown."""
    root = make_site({"site.yaml": SITE_YAML + f'bibliography: "{value}"\n', "content/a.md": article("A")})
    assert problems_of(root) == ["site.yaml:8: error: 'bibliography' must be a path inside the site folder, "
                                 "relative to site.yaml (no '..', not absolute)"]


def test_bibliography_linked_out_of_the_site_is_refused_unread(make_site, tmp_path: Path) -> None:
    """A bibliography path inside the site that is a link to a file outside it is refused, unread."""
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    root = make_site({"site.yaml": SITE_YAML + "bibliography: refs.yaml\n", "content/a.md": article("A")})
    (root / "refs.yaml").symlink_to(outside)
    problems = problems_of(root)
    assert problems == ["site.yaml:8: error: 'bibliography' leads out of the site folder (through a link): the "
                        "build reads only files inside it"]


def test_messages_show_only_a_short_escaped_excerpt(make_site) -> None:
    """A value echoed in an error is cut short and its control characters escaped (no terminal escape sequences)."""
    long_value = "x" * 5000
    root = make_site({"content/a.md": article("A", tags=f'"\\e]0;owned\\a{long_value}"')})
    [problem] = problems_of(root)
    assert "\x1b" not in problem and "\x07" not in problem and len(problem) < 200
    assert "\\x1b]0;owned\\x07xxx" in problem


@pytest.mark.parametrize("body", ["[x](" + "a" * 5000 + ".md)\n", "Text [@" + "k" * 5000 + "].\n",
                                  "Text [@a b " + "c" * 5000 + "].\n"])
def test_long_values_in_bodies_are_shown_as_excerpts(make_site, body: str) -> None:
    """A link target or citation key of thousands of characters is echoed as a short excerpt."""
    root = make_site({"content/a.md": article("A", body=body)})
    [problem] = problems_of(root)
    assert len(problem) < 250 and problem.startswith("content/a.md:6: error: ")


# 3. Every URL field is checked ---------------------------------------------------------------------------------

HOSTILE = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
           "java\\tscript:alert(1)", "java\\nscript:alert(1)", "\\x01javascript:alert(1)", "java&#115;cript:alert(1)",
           "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
           "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "\\\\\\\\evil.example/x",
           "/\\\\evil.example/x", "ftp://evil.example/", "blob:https://evil.example/x", "https://", "https:evil"]


def _yaml(value: str) -> str:
    """A YAML double-quoted string of a value written with Python escapes (so control characters survive)."""
    return '"' + value.replace('"', '\\"') + '"'


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_urls_are_errors_in_every_url_field(make_site, value: str) -> None:
    """bibliography url, call_to_action.link_url, front-matter image and base_url refuse every unsafe URL at its line."""
    site = SITE_YAML.replace("https://test.example/", _yaml(value)) + f"  link_url: {_yaml(value)}\n" \
        + "  link_text: Go\n"
    bib = f"- key: src\n  citation: A source.\n  url: {_yaml(value)}\n"
    root = make_site({"site.yaml": site, "content/bibliography.yaml": bib,
                      "content/a.md": article("A", body="Text [@src].\n", image=_yaml(value), image_alt="x")})
    with pytest.raises(BuildError) as failed:
        build(Options(root / "site.yaml"))
    where = sorted({(p.path, p.line, p.message.split(" ")[0]) for p in failed.value.problems})
    assert where == [("site.yaml", 2, "'base_url'"), ("site.yaml", 8, "'link_url'")]
    root = make_site({"site.yaml": SITE_YAML, "content/bibliography.yaml": bib, "content/a.md": article("A")})
    assert [p.split(": error: ")[0] for p in problems_of(root)] == ["content/bibliography.yaml:3"]
    root = make_site({"site.yaml": SITE_YAML, "content/bibliography.yaml": "- {key: src, citation: C}\n",
                      "content/a.md": article("A", body="Text [@src].\n", image=_yaml(value), image_alt="x")})
    assert [(p.split(":")[0], p.split(":")[1]) for p in problems_of(root)] == [("content/a.md", "4")]


@pytest.mark.parametrize("value", ["https://doi.org/10.1/x", "javascript:alert(1)", "10.1000", "10.1000/a b",
                                   "doi:10.1000/abc", "10.12/abc"])
def test_a_doi_must_be_a_doi(make_site, value: str) -> None:
    """A bibliography doi must be a bare DOI (it is linked as https://doi.org/DOI)."""
    root = make_site({"content/bibliography.yaml": f"- key: src\n  citation: C.\n  doi: {_yaml(value)}\n",
                      "content/a.md": article("A", body="Text [@src].\n")})
    assert [p.split(": error: ")[0] for p in problems_of(root)] == ["content/bibliography.yaml:3"]


@pytest.mark.parametrize("value", ["https://ex.example//evil.example/", "https://ex.example/a?b=1",
                                   "https://ex.example/#top", "https://user:pw@ex.example/", "https://user@ex.example/",
                                   "https://ex.example/a/../b/", "https://ex.example/./", "https://ex.example:99999/",
                                   "https://ex.example/a\\\\b/", "ex.example", "/health/", "https://ex.example/a%20b/x y"])
def test_base_url_is_a_plain_absolute_http_url(make_site, value: str) -> None:
    """base_url: absolute http(s), a plain absolute path; no '//' path, query, fragment or user name."""
    root = make_site({"site.yaml": SITE_YAML.replace("https://test.example/", _yaml(value)),
                      "content/a.md": article("A")})
    assert [p.split(": error: ")[0] for p in problems_of(root)] == ["site.yaml:2"]


@pytest.mark.parametrize("base, link, image", [
    ("https://ex.example/", "https://ex.example/clinics/", "https://cdn.example/a.png"),
    ("http://ex.example:8080/health/", "/clinics/", "/icon.svg"),
    ("https://ex.example/health", "clinics/", "HTTPS://cdn.example/b.png"),
])
def test_safe_urls_still_build(make_site, base: str, link: str, image: str) -> None:
    """http(s) URLs and site paths are accepted where they make sense."""
    root = make_site({"site.yaml": SITE_YAML.replace("https://test.example/", base) + f"  link_url: {link}\n",
                      "content/bibliography.yaml": "- {key: s, citation: C., url: 'https://a.example/x?y=1&z=2', "
                                                   "doi: 10.1000/xyz}\n",
                      "content/a.md": article("A", body="Text [@s].\n", image=image, image_alt="A picture")})
    build(Options(root / "site.yaml"))
    assert f'href="{link}"' in (root / "_site" / "a" / "index.html").read_text()


# 4. Bounded work -----------------------------------------------------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" \
       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n" \
       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n" \
       "? [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n: bomb\n"
ALIAS = "YAML alias '*a' is not allowed: write the value out in full (aliases can make a few bytes expand " \
        "without bound)"


def test_a_yaml_alias_bomb_in_front_matter_is_refused_at_its_line(make_site) -> None:
    """A billion-laughs alias bomb (used as a mapping key) in front matter is refused at once, at the alias's line."""
    root = make_site({"content/a.md": "---\ntitle: T\ndescription: D\n" + BOMB + "---\nBody.\n"})
    assert problems_of(root) == [f"content/a.md:5: error: {ALIAS}"]


@pytest.mark.parametrize("name, text, line", [
    ("site.yaml", SITE_YAML + BOMB, 9),
    ("content/bibliography.yaml", "- &a {key: a, citation: C}\n- *a\n", 2),
    ("site.yaml", SITE_YAML.replace("call_to_action:\n", "call_to_action: &a\n") + "x: *a\n", 8),
    ("site.yaml", "base: &a\n  title: T\n<<: *a\n", 3),
])
def test_yaml_aliases_are_refused_in_every_yaml_file(make_site, name: str, text: str, line: int) -> None:
    """site.yaml and the bibliography refuse aliases too (merge keys included)."""
    root = make_site({name: text, "content/a.md": article("A")})
    [problem] = problems_of(root)
    assert problem.startswith(f"{name}:{line}: error: YAML alias '*")


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000,
                                    "".join(f"{'  ' * i}k{i}:\n" for i in range(200)) + "  " * 200 + "v"])
@pytest.mark.parametrize("name", ["site.yaml", "content/a.md", "content/bibliography.yaml"])
def test_deep_yaml_is_an_error_not_a_traceback(make_site, nested: str, name: str) -> None:
    """Deeply nested YAML anywhere is an error at a line, never a RecursionError."""
    text = {"site.yaml": SITE_YAML + "x:\n  " + nested.replace("\n", "\n  ") + "\n",
            "content/a.md": "---\ntitle: T\ndescription: D\nx:\n  " + nested.replace("\n", "\n  ") + "\n---\nBody.\n",
            "content/bibliography.yaml": "- key: a\n  citation: C\n  x:\n    " + nested.replace("\n", "\n    ") + "\n"}[name]
    root = make_site({name: text, "content/a.md": text if name == "content/a.md" else article("A")})
    [problem] = problems_of(root)
    assert problem.startswith(f"{name}:") and "nest" in problem  # ours at depth 32, or libyaml's own limit


@pytest.mark.parametrize("body, line", [
    (">" * 100 + " deep\n", 6), ("> " * 100 + "deep\n", 6),
    ("".join("    " * i + "- item\n" for i in range(40)), 27), ("".join("\t" * i + "1. item\n" for i in range(40)), 27),
    ("*a " * 3000 + "x" + " a*" * 3000 + "\n", 6), ("**a " * 3000 + "x" + " a**" * 3000 + "\n", 6),
    ("Fine line.\n\n" + "_a " * 4000 + "x" + " a_" * 4000 + "\n", 8),
])
@pytest.mark.parametrize("jobs", [1, 2])
def test_deep_markdown_is_an_error_at_its_line(make_site, body: str, line: int, jobs: int) -> None:
    """Lists, quotes or emphasis nested too deep are an error at a line, never a RecursionError; others still report."""
    files = {f"content/ok{i}.md": article(f"OK {i}") for i in range(40)}
    files["content/z.md"] = article("Z", body="[broken](nowhere.md)\n")
    root = make_site({**files, "content/a.md": article("A", body=body)})
    problems = problems_of(root, jobs=jobs)
    assert problems[0].startswith(f"content/a.md:{line}: error: ") and "nested" in problems[0]
    assert problems[1].startswith("content/z.md:6: error: link to 'nowhere.md'")


def test_article_size_and_line_length_limits(make_site) -> None:
    """A file over the size limit or with an over-long line is an error (the limits are set in site.yaml)."""
    root = make_site({"content/big.md": article("Big", body="Ten words of plain text here, nine and ten.\n" * 25_000),
                      "content/wide.md": article("Wide", body="Fine.\n\n" + "é" * 60_000 + "\n"),
                      "content/ok.md": article("OK", body="é" * 40_000 + "\n")})
    assert problems_of(root) == [
        "content/big.md:1: error: the file is 1,100,052 bytes, over the limit of 1,000,000 "
        "(limits.article_bytes in site.yaml): split it",
        "content/wide.md:8: error: the line is 60,000 characters long, over the limit of 50,000 "
        "(limits.line_characters in site.yaml): break it up"]
    (root / "site.yaml").write_text(SITE_YAML + "limits:\n  article_bytes: 2000000\n  line_characters: 70000\n")
    line = SITE_YAML.count("\n") + 2
    assert problems_of(root) == [  # the site may lower the engine's ceilings, never raise them
        f"site.yaml:{line}: error: 'article_bytes' must be from 1 to 1,000,000: the engine's ceiling, which site.yaml "
        "may lower but never raise",
        f"site.yaml:{line + 1}: error: 'line_characters' must be from 1 to 50,000: the engine's ceiling, which "
        "site.yaml may lower but never raise"]
    (root / "site.yaml").write_text(SITE_YAML + "limits:\n  line_characters: 30000\n")
    assert [p.split(": error:")[0] for p in problems_of(root)] == ["content/big.md:1", "content/ok.md:6",
                                                                   "content/wide.md:8"]


SLOW = "[" * 6000 + "x" + "](y)" * 6000 + "\n"  # quadratic in Python-Markdown's link pattern


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_over_its_time_budget_is_an_error_and_the_rest_still_reports(make_site, jobs: int) -> None:
    """An article that takes too long to render is stopped and reported at its path; every other problem is too."""
    files = {f"content/ok{i}.md": article(f"OK {i}") for i in range(40)}
    files["content/z.md"] = article("Z", body="[broken](nowhere.md)\n")
    root = make_site({**files, "content/slow.md": article("Slow", body=SLOW),
                      "site.yaml": SITE_YAML + "limits:\n  render_seconds: 2\n"})
    import time
    started = time.monotonic()
    problems = problems_of(root, jobs=jobs)
    assert time.monotonic() - started < 15
    assert problems == [
        "content/slow.md:1: error: took longer than 2 s to read and render (limits.render_seconds in site.yaml): "
        "look for a very long line or deeply nested lists, quotes, links or emphasis",
        "content/z.md:6: error: link to 'nowhere.md': the article does not exist in content/"]


def test_the_time_budget_holds_off_the_main_thread(make_site) -> None:
    """In a thread (as the dev server rebuilds) the budget holds too."""
    import threading
    root = make_site({"content/slow.md": article("Slow", body=SLOW), "content/ok.md": article("OK"),
                      "site.yaml": SITE_YAML + "limits:\n  render_seconds: 2\n"})
    found: list[list[str]] = []
    thread = threading.Thread(target=lambda: found.append(problems_of(root, jobs=1)))
    thread.start()
    thread.join(20)
    assert found and found[0][0].startswith("content/slow.md:1: error: took longer than 2 s")


# 5. A missing or empty content/ ----------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["missing", "empty", "only other files", "a file"])
def test_no_articles_is_an_error_that_keeps_the_previous_site(make_site, damage: str) -> None:
    """Without content/ (or with no article in it) the build fails, exit status 1, and the old site stays."""
    import shutil
    from healthsite.commands.cli import main
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml"))
    before = (root / "_site" / "a" / "index.html").read_bytes()
    shutil.rmtree(root / "content")
    if damage == "a file":
        (root / "content").write_text("not a folder")
    elif damage != "missing":
        (root / "content").mkdir()
        if damage == "only other files":
            (root / "content" / "notes.txt").write_text("x")
    [problem] = problems_of(root)
    assert problem.startswith("content/:1: error: no ")
    assert main(["--config", str(root / "site.yaml"), "--quiet"]) == 1
    assert (root / "_site" / "a" / "index.html").read_bytes() == before


def test_serve_keeps_the_last_good_site_when_content_goes(make_site) -> None:
    """The dev server keeps serving the last good site and says why when content/ disappears."""
    import shutil
    from tests.test_serve import Running
    running = Running(make_site({"content/a.md": article("A title")}))
    try:
        shutil.rmtree(running.root / "content")
        running.server.builder.run()
        status = running.status()
        assert not status["ok"] and status["problems"][0].startswith("content/:1: error: no content folder")
        assert running.get("/a/")[0] == 200
        assert "still serving the last good site" in running.stderr.getvalue()
    finally:
        running.server.stop()


# 6. The dev server answers every request -------------------------------------------------------------------------


@pytest.fixture
def server(make_site):
    """A dev server for a one-article site."""
    from tests.test_serve import Running
    running = Running(make_site({"content/a.md": article("A title")}))
    yield running
    running.server.stop()


def _exchange(port: int, request: bytes) -> bytes:
    """Send raw bytes, return the whole answer (the server must answer, not drop the connection)."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize("target", ["/" + "a" * 300, "/a/" + "b" * 5000 + "/", "/%zz", "/%", "/%e9%ff",
                                    "/a%00b", "/a\x00b", "/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd",
                                    "/a/..%2f..%2fetc", "/\\..\\..\\x", "//evil.example/", "/" + "é" * 200,
                                    "*", "http://127.0.0.1/a/", "/a/?" + "q" * 10000])
def test_odd_paths_get_an_answer(server, capfd, target: str) -> None:
    """Over-long segments, bad percent-encoding, NUL bytes and traversal get a 4xx (or the page), never a drop."""
    answer = _exchange(server.port, b"GET " + target.encode("utf-8") + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Connection: close\r\n\r\n")
    status = int(answer.split(b" ", 2)[1])
    assert 200 <= status < 500 and b"root:" not in answer
    assert "Traceback" not in server.stderr.getvalue() + capfd.readouterr().err


@pytest.mark.parametrize("host", ["[::1", "[zz]", "a:b:c", "host:99999", "[::1]:99999", "127.0.0.1:x",
                                  "exa mple", "[]", ":80", "a@b", "\x7f", "[::1]]"])
def test_malformed_host_headers_get_400(server, capfd, host: str) -> None:
    """A malformed or bracketed Host header is a 400, never a dropped connection or a traceback."""
    answer = _exchange(server.port, b"GET /a/ HTTP/1.1\r\nHost: " + host.encode("latin-1") + b"\r\n"
                       b"Connection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 400") or answer.startswith(b"HTTP/1.1 400")
    assert "Traceback" not in server.stderr.getvalue() + capfd.readouterr().err


@pytest.mark.parametrize("host, status", [("127.0.0.1", 200), ("localhost:8000", 200), ("[::1]:8000", 200),
                                          ("[::1]", 200), ("evil.example", 403), ("[2001:db8::1]", 403)])
def test_good_host_headers_still_checked(server, host: str, status: int) -> None:
    """Well-formed Host headers are served, or refused when they name another host (DNS rebinding)."""
    answer = _exchange(server.port, f"GET /a/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    assert int(answer.split(b" ", 2)[1]) == status


@pytest.mark.parametrize("request_bytes", [
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /a/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"y" * 70000 + b"\r\n\r\n",
    b"GET /a/ HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n",
    b"GET /a/ HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
    b"BREW /a/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET\r\n\r\n",
    b"\x00\x01\x02 garbage\r\n\r\n",
    b"GET /a/ HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n",
])
def test_malformed_requests_get_a_4xx(server, capfd, request_bytes: bytes) -> None:
    """Over-long request lines or headers, a second Host, an unknown version or method: a 4xx or 5xx answer."""
    answer = _exchange(server.port, request_bytes)
    assert 400 <= int(answer.split(b" ", 2)[1]) < 600
    assert "Traceback" not in server.stderr.getvalue() + capfd.readouterr().err


# 7. Markup integrity ---------------------------------------------------------------------------------------------

FAQ = """\
Intro.

## Frequently asked questions

### Can I take <abbr title="non-steroidal anti-inflammatory drugs">NSAIDs</abbr> &amp; still run?

Yes, \\*carefully\\*, with <em>advice</em> &lt;always&gt;.

### Is `x < y` a \\[question\\]?

<span lang="la">Ita</span> vero.
"""


def test_structured_data_carries_no_markdown_internals(make_site) -> None:
    """FAQPage questions and answers are clean text, the same as the visible ones (no placeholders or markers)."""
    import re as regex
    root = make_site({"content/a.md": article("A", body=FAQ)})
    build(Options(root / "site.yaml"))
    html = (root / "_site" / "a" / "index.html").read_text()
    data = json.loads(regex.search(r'<script type="application/ld\+json">(.*?)</script>', html, regex.S).group(1))
    faq = next(node for node in data["@graph"] if node["@type"] == "FAQPage")["mainEntity"]
    assert [(q["name"], q["acceptedAnswer"]["text"]) for q in faq] == [
        ("Can I take NSAIDs & still run?", "Yes, *carefully*, with advice <always>."),
        ("Is x < y a [question]?", "Ita vero.")]
    assert "wzxhzdk" not in html and "\x02" not in html and "\x03" not in html
    assert 'NSAIDs</abbr> &amp; still run?</summary>' in html


def test_headings_with_inline_html_give_clean_contents(make_site) -> None:
    """The contents list shows a heading's text, not a placeholder of its inline HTML."""
    body = "".join(f"## Part <abbr title='t'>P{i}</abbr>\n\nText.\n\n" for i in range(4))
    root = make_site({"content/a.md": article("A", body=body)})
    build(Options(root / "site.yaml"))
    html = (root / "_site" / "a" / "index.html").read_text()
    assert "wzxhzdk" not in html and ">Part P3<" in html


@pytest.mark.parametrize("markup, line", [
    ("## Heading {#main}\n", 6), ("Para\n{#ref-1}\n", 7), ("Para\n{: #cite-2-1 }\n", 7), ("Para\n{#table-3}\n", 7),
    ("Para\n{#contents}\n", 7), ("Para\n{#references}\n", 7), ("Para\n{#key-takeaways}\n", 7),
    ("Para\n{.care-card}\n", 7), ("Para\n{.care-card--emergency}\n", 7), ("Para\n{: class='faq-item' }\n", 7),
    ("Para\n{.key-takeaways}\n", 7), ("Word *here*{.visually-hidden} too.\n", 6), ("Para\n{.CARE-CARD}\n", 7),
    ('<div class="care-card care-card--emergency"><p>Call now</p></div>\n', 6),
    ('Text <span class="visually-hidden">hidden</span> here.\n', 6), ('<p id="main">x</p>\n', 6),
    ("Text <span id='ref-9'>x</span>.\n", 6), ('<div class="faq"><p>x</p></div>\n', 6),
    ("## Symptoms\n\nText\n\nSee <span id=\"symptoms\">here</span>.\n", 10),
    ("## Symptoms\n\nPara\n{#symptoms}\n", 9),
])
def test_content_cannot_claim_the_themes_ids_or_classes(make_site, markup: str, line: int) -> None:
    """An attribute list or raw HTML that takes a theme id or class (or a heading's id) is an error at its line."""
    root = make_site({"content/a.md": article("A", body=markup)})
    [problem] = problems_of(root)
    assert problem.startswith(f"content/a.md:{line}: error: the ")
    assert "belongs to the theme" in problem or "is a heading's id" in problem


def test_content_may_still_use_its_own_ids_and_classes(make_site) -> None:
    """Ids and classes that are not the theme's pass, and a heading may have its own id."""
    root = make_site({"content/a.md": article("A", body="## Signs {#warning-signs}\n\nPara\n{#my-note .note}\n\n"
                                                    "<span class='highlight'>x</span>\n")})
    build(Options(root / "site.yaml"))
    html = (root / "_site" / "a" / "index.html").read_text()
    assert 'id="warning-signs"' in html and 'id="my-note"' in html


# 8. Odd output folders -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("out, reason", [
    ("/proc", "is a mount point"), ("/sys", "is a mount point"), ("/dev/shm", "is a mount point"),
    ("/proc/healthsite-out", "is in a system folder"), ("/sys/kernel/healthsite-out", "is in a system folder"),
    ("/dev/healthsite-out", "is in a system folder"), ("FILE", "exists and is not a folder"),
    ("FILE/site", "which is a file, not a folder"), ("FILE/a/b", "which is a file, not a folder"),
])
def test_odd_output_folders_are_refused_clearly(make_site, tmp_path: Path, capsys, out: str, reason: str) -> None:
    """A mount point, a system folder or a file as the output folder is a clear error (exit 1), not a traceback."""
    from healthsite.commands.cli import main
    root = make_site({"content/a.md": article("A")})
    (tmp_path / "file").write_text("x")
    target = out.replace("FILE", str(tmp_path / "file"))
    assert main(["--config", str(root / "site.yaml"), "--out", target, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"site.yaml:1: error: refusing output folder {target}: it ") and reason in err
    assert "Traceback" not in err


def test_a_read_only_place_is_refused(make_site, tmp_path: Path, monkeypatch) -> None:
    """A folder the build may not write in is refused before anything is built."""
    import healthsite.writing.writer
    root = make_site({"content/a.md": article("A")})
    monkeypatch.setattr(healthsite.writing.writer.os, "access", lambda path, mode: False)
    assert problems_of(root, out=tmp_path / "new" / "out") == [
        f"site.yaml:1: error: refusing output folder {tmp_path / 'new' / 'out'}: it cannot be written in {tmp_path} "
        "(a read-only place, or one this user may not change)"]


def test_a_file_system_that_fails_while_writing_is_an_error(make_site, tmp_path: Path, monkeypatch) -> None:
    """A write that fails midway (disk full, read-only remount) is an error and the previous site stays."""
    import errno
    import healthsite.writing.writer
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml"))
    before = (root / "_site" / "a" / "index.html").read_bytes()
    (root / "content" / "a.md").write_text(article("A changed"))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(root / "_site" / "x"))

    monkeypatch.setattr(healthsite.writing.writer, "swap", full)
    [problem] = problems_of(root)
    assert problem.startswith(f"site.yaml:1: error: cannot write the site to {root / '_site'}: No space left on device")
    assert (root / "_site" / "a" / "index.html").read_bytes() == before
    assert not [p for p in root.iterdir() if p.name.startswith("._site")]


def test_a_commit_that_fails_midway_is_undone(make_site, tmp_path: Path, monkeypatch) -> None:
    """Without the search index only what changed is staged and moved in; if the OS refuses a move part way, the
    moves done are undone: the previous site stays byte for byte, with nothing left beside it."""
    import errno
    import healthsite.writing.writer
    root = make_site({"site.yaml": SITE_YAML + "search: false\n", "content/a.md": article("A"),
                      "content/b.md": article("B"), "content/c.md": article("C")})
    build(Options(root / "site.yaml"))
    before = {p.relative_to(root / "_site"): p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    (root / "content" / "a.md").write_text(article("A changed"))
    (root / "content" / "c.md").unlink()
    moves = []
    real = healthsite.writing.writer._move

    def refuse_the_fourth(source: Path, target: Path) -> None:
        moves.append(source)
        if len(moves) == 4:
            raise OSError(errno.EIO, "Input/output error", str(target))
        real(source, target)

    monkeypatch.setattr(healthsite.writing.writer, "_move", refuse_the_fourth)
    [problem] = problems_of(root)
    assert problem.startswith(f"site.yaml:1: error: cannot write the site to {root / '_site'}: Input/output error")
    assert len(moves) == 4
    assert {p.relative_to(root / "_site"): p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()} == before
    assert not [p for p in root.iterdir() if p.name.startswith("._site")]


def test_a_file_added_to_the_site_by_hand_goes_at_the_next_build(make_site) -> None:
    """A file or folder put into the output folder by hand is removed by the next build that writes, as a clean
    build would not have it."""
    root = make_site({"site.yaml": SITE_YAML + "search: false\n", "content/a.md": article("A")})
    build(Options(root / "site.yaml"))
    (root / "_site" / "notes").mkdir()
    (root / "_site" / "notes" / "mine.txt").write_text("x")
    (root / "_site" / "a" / "extra.html").write_text("x")
    (root / "content" / "a.md").write_text(article("A changed"))
    build(Options(root / "site.yaml"))
    assert not (root / "_site" / "notes").exists() and not (root / "_site" / "a" / "extra.html").exists()
    assert "A changed" in (root / "_site" / "a" / "index.html").read_text()


def test_an_unexpected_error_still_gets_an_answer(server, capfd, monkeypatch) -> None:
    """Whatever goes wrong inside a request, the client gets a 500 and the terminal no traceback."""
    import healthsite.serving.serve

    def broken(*args: object) -> None:
        raise ValueError("unexpected")

    monkeypatch.setattr(healthsite.serving.serve, "find_file", broken)  # the site served from its folder
    monkeypatch.setattr(healthsite.serving.serve, "find_in", broken)  # and from memory
    answer = _exchange(server.port, b"GET /a/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 500") and b"ValueError" in answer
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{% endfor %}",
])
def test_a_template_cannot_run_code(make_site, tmp_path: Path, payload: str) -> None:
    """Templates run in Jinja's sandbox: reaching Python internals is an error at the template's line."""
    marker = tmp_path / "ran"
    root = make_site({"content/a.md": article("A")})
    template = root / "templates" / "404.html"
    text = template.read_text()
    template.write_text(text.replace("{% block main %}", "{% block main %}" + payload.replace("MARKER", str(marker))))
    line = text[:text.index("{% block main %}")].count("\n") + 1
    problems = problems_of(root)
    assert not marker.exists()
    assert problems and all(p.startswith(f"templates/404.html:{line}: error: ") for p in problems), problems


@pytest.mark.parametrize("where", ["content/pipe.md", "templates/base2.html", "static/fifo.css", "content/care/x.md"])
def test_pipes_and_devices_in_input_folders_are_errors(make_site, where: str) -> None:
    """A named pipe (which would stall a read forever) in an input folder is an error at its path."""
    root = make_site({"content/a.md": article("A")})
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / where)
    assert problems_of(root) == [f"{where}:1: error: neither a file nor a folder (a pipe, socket or device): "
                                 "remove it"]


def test_a_configuration_linked_out_of_its_folder_is_refused(make_site, tmp_path: Path) -> None:
    """site.yaml as a link to another folder's configuration would make that folder the site: refused."""
    root = make_site({"content/a.md": article("A")})
    other = tmp_path / "other"
    other.mkdir()
    (root / "site.yaml").rename(other / "site.yaml")
    (root / "site.yaml").symlink_to(other / "site.yaml")
    assert problems_of(root) == ["site.yaml:1: error: the configuration is a link out of its folder: the site folder "
                                 "would be another one; give the real file with --config"]


def test_the_cache_key_lives_outside_the_site_and_is_private(make_site, tmp_path: Path, monkeypatch) -> None:
    """The key that signs caches is made once in the user's cache folder, readable by its owner only; a damaged
    key file is replaced (and caches signed with another key are ignored)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache.machine_key.cache_clear()
    try:
        key_file = tmp_path / "xdg" / "healthsite" / "cache.key"
        first = cache.machine_key()
        assert key_file.read_bytes() == first and key_file.stat().st_mode & 0o077 == 0
        cache.machine_key.cache_clear()
        assert cache.machine_key() == first
        key_file.write_bytes(b"short")
        cache.machine_key.cache_clear()
        assert cache.machine_key() != first and key_file.read_bytes() == cache.machine_key()
    finally:
        cache.machine_key.cache_clear()
