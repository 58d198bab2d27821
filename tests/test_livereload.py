"""livereload.py: the reload script comes from the package, apart from what a site publishes."""

from __future__ import annotations

from pathlib import Path

from healthsite.serving.livereload import SCRIPT_URL, script, with_reload
from healthsite.pipeline import Options, build
from tests.conftest import REPO, article


def test_the_script_is_the_packages_file() -> None:
    """The bytes served at /__healthsite/reload.js are the package's theme/devserver/reload.js."""
    assert script() == (REPO / "healthsite" / "theme" / "devserver" / "reload.js").read_bytes()
    assert b'new EventSource("/__healthsite/events")' in script()


def test_a_built_site_never_holds_the_script(make_site, tmp_path: Path) -> None:
    """The script is the dev server's alone: a build publishes no reload.js and no tag for it."""
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml", tmp_path / "out", jobs=1))
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert files and not any(p.name == "reload.js" or SCRIPT_URL.encode() in p.read_bytes() for p in files)


def test_the_tag_goes_before_the_last_body_end() -> None:
    """One tag, with the build's id, before the document's own </body>."""
    page = with_reload(b"<body><p>a</p></body>\n</html>", "b-7")
    tag = b'<script src="/__healthsite/reload.js" data-build="b-7" defer></script>\n'
    assert page == b"<body><p>a</p>" + tag + b"</body>\n</html>"
