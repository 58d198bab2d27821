"""The search index as a separate step: `build --no-search`, then `search` indexes the built site in place."""

from __future__ import annotations

from pathlib import Path

from healthsite.commands.cli import main
from tests.conftest import SITE_YAML, article


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def index_of(folder: Path) -> dict[str, bytes]:
    """The search index files of a built site."""
    return {name: data for name, data in tree(folder).items() if name.startswith("pagefind/")}


def two_articles(make_site) -> Path:
    """A small site with two indexed articles; its site.yaml."""
    root = make_site({"content/a.md": article("A", body="Cadence matters.\n"),
                      "content/b.md": article("B", body="Stride length matters too.\n")})
    return root / "site.yaml"


def test_build_then_search_equals_a_build_with_the_index(make_site, capsys, monkeypatch) -> None:
    """`--no-search` writes the search page but no index; `search` then adds the same index a build makes."""
    config = two_articles(make_site)
    site = config.parent / "_site"
    assert main(["--config", str(config), "--no-search", "-q"]) == 0
    assert index_of(site) == {} and "search/index.html" in tree(site)
    pages = {name: data for name, data in tree(site).items()}
    monkeypatch.chdir(config.parent)
    assert main(["search"]) == 0
    assert capsys.readouterr().out == "indexed _site for search -> pagefind/\n"
    whole = config.parent.parent / "whole"
    assert main(["--config", str(config), "--out", str(whole), "--clean", "-q"]) == 0
    assert index_of(site) == index_of(whole) and "pagefind/pagefind.js" in index_of(site)
    assert {n: d for n, d in tree(site).items() if not n.startswith("pagefind/")} == pages
    assert not [p.name for p in config.parent.parent.iterdir() if p.name.startswith(".")]  # no folder left behind


def test_a_build_after_a_build_without_the_index_indexes(make_site) -> None:
    """A plain build after `--no-search`, nothing else changed, does not take the nothing-changed shortcut."""
    config = two_articles(make_site)
    assert main(["--config", str(config), "--no-search", "-q"]) == 0
    assert main(["--config", str(config), "-q"]) == 0
    assert "pagefind/pagefind.js" in index_of(config.parent / "_site")


def test_search_replaces_the_previous_index(make_site) -> None:
    """Indexing again after an edit and a rebuild replaces the index; a page gone from the site is gone from it."""
    config = two_articles(make_site)
    site = config.parent / "_site"
    assert main(["--config", str(config), "--no-search", "-q"]) == 0
    assert main(["search", "--config", str(config), "-q"]) == 0
    first = index_of(site)
    (config.parent / "content" / "b.md").unlink()
    assert main(["--config", str(config), "--no-search", "-q"]) == 0
    assert index_of(site) == {}
    assert main(["search", "--config", str(config), "-q"]) == 0
    assert index_of(site) != first and "pagefind/pagefind.js" in index_of(site)


def test_search_errors(make_site, monkeypatch, capsys) -> None:
    """No built site, search turned off, or Pagefind unable to run: `PATH:LINE: error:`, exit 1, site untouched."""
    config = two_articles(make_site)
    site = config.parent / "_site"
    assert main(["search", "--config", str(config)]) == 1
    assert capsys.readouterr().err == (f"site.yaml:1: error: there is no built site in {site}: build it first "
                                       "(python build.py --no-search), then index it\n")
    assert main(["--config", str(config), "-q"]) == 0
    capsys.readouterr()
    before = tree(site)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(config.parent / "no-such-binary"))
    assert main(["search", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("site.yaml:1: error: search index not built: Pagefind could not run here (")
    assert err.endswith("; the site was left as it was\n")
    assert tree(site) == before and "pagefind/pagefind.js" in before
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    config.write_text(SITE_YAML + "search: false\n")
    assert main(["search", "--config", str(config)]) == 1
    assert capsys.readouterr().err == ("site.yaml:8: error: search is off (search: false), so the site has no search "
                                       "page to index for; set it to true and build again\n")
