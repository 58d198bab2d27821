"""A hostile site folder: planted files, links out of the site, unsafe URLs, resource bombs, odd requests."""

from __future__ import annotations

import ast
import json
import os
import pickle
from pathlib import Path

import pytest

from healthsite import cache
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


@pytest.mark.parametrize("name", ["manifest.json", "bodies.json", "manifest.pickle", "bodies.pickle"])
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


def _cache_file(root: Path, name: str) -> tuple[dict, bytes]:
    """A cache file's header and payload."""
    head, _, payload = (root / cache.FOLDER / name).read_bytes().partition(b"\n")
    return json.loads(head), payload


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "deep", "wrong type", "header only",
                                    "not json header", "directory", "link"])
@pytest.mark.parametrize("name", ["manifest.json", "bodies.json"])
def test_a_damaged_cache_is_ignored_with_one_warning(make_site, tmp_path: Path, name: str, damage: str) -> None:
    """Any damaged cache file gives exactly one warning, and the build renders everything again."""
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    path = root / cache.FOLDER / name
    data = path.read_bytes()
    path.unlink()
    if damage == "directory":
        path.mkdir()
    elif damage == "link":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "garbage": os.urandom(300),
                          "deep": b"[" * 100000, "wrong type": data.split(b"\n")[0] + b"\n{\"a\": 1}",
                          "header only": data.split(b"\n")[0], "not json header": b"\x80\x04\n[]"}[damage])
    (root / "content" / "a.md").write_text(article("A changed"))
    report = build(Options(root / "site.yaml"))
    assert [p.message.split(":")[0] for p in report.notices] == ["build cache ignored"]
    assert "A changed" in (root / "_site" / "a" / "index.html").read_text()
    assert build(Options(root / "site.yaml")).notices == []  # rebuilt: trusted again


def test_a_cache_edited_by_hand_is_not_trusted(make_site) -> None:
    """A cache whose data was changed (even keeping its size and time) is refused: it could carry unsanitized HTML."""
    root = make_site({"content/a.md": article("A", body="Plain words here.\n"), "content/b.md": article("B")})
    build(Options(root / "site.yaml"))
    path = root / cache.FOLDER / "bodies.json"
    info = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Plain words here.", b"<script>1</script>"[:17]))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    (root / "content" / "b.md").write_text(article("B changed"))
    report = build(Options(root / "site.yaml"))
    assert [p.message for p in report.notices] == ["build cache ignored: damaged, or not written by this machine's builds"]
    assert "<script>" not in (root / "_site" / "a" / "index.html").read_text()


def test_a_planted_cache_folder_link_is_replaced(make_site, tmp_path: Path) -> None:
    """A `.healthsite-cache` that is a link out of the site is not read, and the cache is written inside the site."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = make_site({"content/a.md": article("A")})
    (root / cache.FOLDER).symlink_to(elsewhere)
    build(Options(root / "site.yaml"))
    assert list(elsewhere.iterdir()) == []
    assert (root / cache.FOLDER).is_dir() and not (root / cache.FOLDER).is_symlink()


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
    ("https://ex.example/health", "clinics/", "icon.svg"),
])
def test_safe_urls_still_build(make_site, base: str, link: str, image: str) -> None:
    """http(s) URLs and site paths are accepted where they make sense."""
    root = make_site({"site.yaml": SITE_YAML.replace("https://test.example/", base) + f"  link_url: {link}\n",
                      "content/bibliography.yaml": "- {key: s, citation: C., url: 'https://a.example/x?y=1&z=2', "
                                                   "doi: 10.1000/xyz}\n",
                      "content/a.md": article("A", body="Text [@s].\n", image=image, image_alt="A picture")})
    build(Options(root / "site.yaml"))
    assert f'href="{link}"' in (root / "_site" / "a" / "index.html").read_text()
