"""The packaged default theme: a site without templates/ or static/ uses it, and overrides it file by file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from healthsite.reading import digests, themefiles
from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import FIXTURE, REPO, THEME, build_copy

PAGES = ("index.html", "alpha/index.html", "beta/index.html", "topics/index.html", "search/index.html", "404.html")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def bare_site(folder: Path, files: dict[str, str] | None = None) -> Path:
    """The fixture site without templates/ or static/ (the packaged theme only), plus `files`; its folder."""
    root = folder / "site"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copy(FIXTURE / "site.yaml", root / "site.yaml")
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def built(root: Path, **options: object) -> dict[str, bytes]:
    """Build a site into `out` beside it; every output file."""
    out = root.parent / "out"
    build(Options(root / "site.yaml", out, jobs=1, **options))
    return tree(out)


@pytest.fixture(scope="module")
def bare_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The fixture site built with the packaged theme alone."""
    return built(bare_site(tmp_path_factory.mktemp("bare")))


def test_a_site_without_templates_or_static_builds_with_the_packaged_theme(bare_output: dict[str, bytes],
                                                                            tmp_path: Path) -> None:
    """No templates/, no static/: the same site as one holding a full copy of the theme."""
    assert set(PAGES) <= set(bare_output)
    assert tree(build_copy(FIXTURE, tmp_path)) == bare_output


def test_overriding_one_template_changes_only_what_it_renders(bare_output: dict[str, bytes], tmp_path: Path) -> None:
    """templates/404.html replaces the theme's: the not-found page changes, no other file does."""
    mine = "{% extends 'base.html' %}\n{% block main %}\n<h1>Lost? Our own page</h1>\n{% endblock %}\n"
    output = built(bare_site(tmp_path, {"templates/404.html": mine}))
    changed = sorted(name for name in output if output[name] != bare_output.get(name))
    assert changed == ["404.html"]
    assert b"<h1>Lost? Our own page</h1>" in output["404.html"]
    assert b'class="site-footer"' in output["404.html"]  # base.html still the theme's


def test_a_footer_of_your_own_reaches_every_page(bare_output: dict[str, bytes], tmp_path: Path) -> None:
    """templates/partials/footer.html (the docs' example) replaces the theme's footer on every page, and only it."""
    footer = (THEME / "templates" / "partials" / "footer.html").read_text()
    mine = footer.replace('<li><a href="{{ site.base_path }}feed.xml">{{ _("Atom feed") }}</a></li>',
                          '<li><a href="https://health.example.org/about/">About us</a></li>')
    assert mine != footer
    output = built(bare_site(tmp_path, {"templates/partials/footer.html": mine, "static/.nojekyll": ""}))
    for name in PAGES:
        assert b"About us</a>" in output[name] and b"Atom feed" not in output[name], name
        assert output[name].replace(b'<li><a href="https://health.example.org/about/">About us</a></li>',
                                    b'<li><a href="/feed.xml">Atom feed</a></li>') == bare_output[name], name
    assert output[".nojekyll"] == b""


def test_a_partial_override_reaches_every_page_that_uses_it(bare_output: dict[str, bytes], tmp_path: Path) -> None:
    """templates/partials/card.html replaces the theme's card macros wherever the theme imports them."""
    card = (THEME / "templates" / "partials" / "card.html").read_text()
    output = built(bare_site(tmp_path, {"templates/partials/card.html": card.replace('class="card', 'class="mycard')}))
    assert b'class="mycard' in output["index.html"] and b'class="mycard' in output["alpha/index.html"]
    assert output["404.html"] == bare_output["404.html"]  # no cards there


def test_a_template_can_extend_the_theme_template_it_replaces(tmp_path: Path) -> None:
    """`{% extends "theme/base.html" %}` in templates/base.html changes one block of the pages that keep it."""
    mine = '{% extends "theme/base.html" %}\n{% block head %}<meta name="x-mine" content="1">{% endblock %}\n'
    output = built(bare_site(tmp_path, {"templates/base.html": mine}))
    for name in PAGES:  # article.html and search.html fill the head block themselves
        assert output[name].count(b'<meta name="x-mine" content="1">') == (name in ("index.html", "topics/index.html",
                                                                                      "404.html")), name
        assert b'class="site-footer"' in output[name]


def test_static_files_overlay_the_themes(bare_output: dict[str, bytes], tmp_path: Path) -> None:
    """A site's static file is published beside the theme's; one of the same name replaces the theme's."""
    root = bare_site(tmp_path, {"static/extra.css": "p { margin: 0 }\n", "static/icon.svg":
                                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n'})
    output = built(root)
    icons = [name for name in output if name.startswith("icon.")]
    theme_icons = [name for name in bare_output if name.startswith("icon.")]
    assert len(icons) == 1 and icons != theme_icons
    assert output[icons[0]] == (root / "static" / "icon.svg").read_bytes()
    assert any(name.startswith("extra.") and name.endswith(".css") for name in output)
    assert [n for n in output if n.startswith("style.")] == [n for n in bare_output if n.startswith("style.")]


def test_a_readme_in_templates_or_static_is_neither_published_nor_a_template(bare_output: dict[str, bytes],
                                                                             tmp_path: Path) -> None:
    """The folders' README.md notes change nothing in the output, and no page may use one as its template."""
    notes = {"templates/README.md": "# Overrides\n{{ broken", "static/README.md": "# Static files\n"}
    assert built(bare_site(tmp_path / "a", notes)) == bare_output
    page = "---\ntitle: A\ndescription: B.\ntemplate: README.md\n---\n\nText.\n"
    with pytest.raises(BuildError) as caught:
        built(bare_site(tmp_path / "b", {**notes, "content/alpha.md": page}))
    assert "content/alpha.md:4: error: template 'README.md' does not exist in templates/" in \
        [str(p) for p in caught.value.problems]


def test_a_site_template_error_is_at_the_site_file(tmp_path: Path) -> None:
    """A broken override is reported at templates/NAME:LINE of the site."""
    root = bare_site(tmp_path, {"templates/404.html": "{% extends 'base.html' %}\n{% block main %}\n{{ nope }}\n"
                                                      "{% endblock %}\n"})
    with pytest.raises(BuildError) as caught:
        built(root)
    assert [str(p) for p in caught.value.problems] == ["templates/404.html:3: error: template: 'nope' is undefined"]


@pytest.fixture
def theme_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the packaged theme standing in for it (an engine upgrade that changes the theme)."""
    copy = tmp_path / "theme"
    shutil.copytree(THEME, copy)
    monkeypatch.setattr(themefiles, "THEME", copy)
    return copy


def test_a_changed_packaged_theme_rebuilds_the_pages(theme_copy: Path, tmp_path: Path) -> None:
    """The theme's files are in every page key and the input digest: a new theme version rebuilds the pages."""
    root = bare_site(tmp_path)
    before = built(root)
    base = theme_copy / "templates" / "base.html"
    base.write_text(base.read_text().replace("<main id=\"main\"", "<main data-upgraded id=\"main\""))
    after = built(root)
    for name in PAGES:
        assert b"data-upgraded" in after[name] and b"data-upgraded" not in before[name], name
    assert after == built(root, clean=True)


def test_the_packaged_theme_renders_in_the_sandbox(theme_copy: Path, tmp_path: Path) -> None:
    """The theme is trusted but sandboxed all the same; its errors name healthsite/theme/..."""
    page = theme_copy / "templates" / "404.html"
    page.write_text(page.read_text().replace("{% block main %}", "{% block main %}\n{{ ''.__class__.__mro__ }}", 1))
    with pytest.raises(BuildError) as caught:
        built(bare_site(tmp_path))
    [problem] = [str(p) for p in caught.value.problems]
    assert problem.startswith("healthsite/theme/templates/404.html:8: error: template: ")
    assert "unsafe" in problem


def test_serve_watches_the_packaged_theme_of_a_clone() -> None:
    """Serving this repository's site, an edit to the packaged theme rebuilds it, as one to templates/ does."""
    import watchfiles
    from healthsite.serving.watch import SourceFilter
    watch = SourceFilter(REPO, frozenset)
    for path in (THEME / "templates" / "base.html", THEME / "static" / "style.css", REPO / "templates" / "x.html"):
        assert watch(watchfiles.Change.modified, str(path)), path
    assert not watch(watchfiles.Change.modified, str(REPO / "healthsite" / "cli.py"))


def test_the_engine_digest_covers_babel() -> None:
    """Every library that shapes the output is in the engine's cache key, Babel (catalogs, dates) included."""
    assert {"babel", "jinja2", "markdown", "nh3", "pillow"} <= set(digests.LIBRARIES)


def test_find_refuses_escapes_and_readmes(tmp_path: Path) -> None:
    """Lookups stay inside the theme's folders; the site's file wins."""
    site, theme = tmp_path / "site", tmp_path / "theme"
    for folder in (site, theme):
        (folder / "a.html").parent.mkdir(parents=True)
        (folder / "a.html").write_text(folder.name)
        (folder / "README.md").write_text("note")
    (theme / "b.html").write_text("theme")
    assert themefiles.find((site, theme), "a.html") == site / "a.html"
    assert themefiles.find((site, theme), "/b.html") == theme / "b.html"
    for name in ("../site/a.html", "README.md", "", "x\\a.html", "c.html"):
        assert themefiles.find((site, theme), name) is None, name
    assert themefiles.overlay((site, theme)) == {"a.html": site / "a.html", "b.html": theme / "b.html"}
