"""The dev server's warm session is exactly a clean build: random edit sequences, told only the files that changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from healthsite.pipeline import Options
from healthsite.problems import BuildError
from healthsite.serving.session import Session
from tests.test_incremental import BIB, SITE, apply, edits, outcome, spanish_edit, starting_site

OWN = (".healthsite-cache", "out")  # what the build writes in the work folder, not a source
session_edits = edits.filter(lambda edit: edit[0] not in ("cached body", "output"))
site_edits = st.one_of(session_edits, st.tuples(st.just("bibliography"), st.just(""), st.integers(0, 3)),
                       st.tuples(st.just("site.yaml"), st.just(""), st.integers(0, 3)))


def sources(site: Path) -> dict[Path, bytes]:
    """Every source file of the site folder with its bytes."""
    return {p: p.read_bytes() for p in site.rglob("*") if p.is_file() and not p.relative_to(site).parts[0] in OWN}


def changed(before: dict[Path, bytes], after: dict[Path, bytes]) -> frozenset[Path]:
    """The files added, removed or changed (what the watcher reports)."""
    return frozenset(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def edit(site: Path, articles: dict[str, dict], step: tuple) -> None:
    """One edit of the site: an article, card, image or theme file (as test_incremental), the bibliography or
    site.yaml."""
    kind, _, value = step
    if kind == "bibliography":
        (site / "content" / "bibliography.yaml").write_text(BIB.replace("A source.", f"A source, edition {value}."))
    elif kind == "site.yaml":
        (site / "site.yaml").write_text(SITE.replace("title: Edits", f"title: Edits {value}") + "search: false\n")
    else:
        apply(site, articles, step)


def served(session: Session, options: Options, changes: frozenset[Path] | None = None
           ) -> dict[str, bytes] | list[str]:
    """The site the session holds after a build told these files changed (file -> bytes), or its error messages."""
    try:
        built = session.build(options, changed=changes)
    except BuildError as exc:
        return [str(p) for p in exc.problems]
    if built.later:
        built.later()
    assert built.site is not None
    return {path: built.site.data(path) for path in built.site.files}


def files_only(tree: dict[str, bytes] | list[str]) -> dict[str, bytes] | list[str]:
    """A clean build's files (no folders, no output marker), or its error messages."""
    if isinstance(tree, list):
        return tree
    return {path: data for path, data in tree.items() if not path.endswith("/") and path != ".healthsite-output"}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(site_edits, min_size=1, max_size=8))
@example([("title", "bee", "Zed"), ("body", "ant", "See [b](bee.md).\n"), ("slug", "bee", "moved"),
          ("tags", "ant", ["alpha"]), ("related", "cat", ["ant", "bee"]), ("title", "ant", "Other"),
          ("draft", "bee", True), ("draft", "bee", False)])
@example([("body", "ant", "Text [@src].\n\n!!! care red\n"), ("bibliography", "", 1),
          ("card", "red", ("urgent", "- Fever [@src].\n")), ("site.yaml", "", 2), ("title", "ant", "New")])
@example([("es", "ant", "Texto [ver](../bee.md).\n"), ("title", "ant", "Changed"), ("es", "ant", "mark"),
          ("body", "ant", "Changed.\n"), ("add", "dog", "Dog"), ("rename", "dog", "eel"), ("delete", "eel", None)])
@example([("body", "ant", '![A](images/pic.png "C")\n'), ("image", "pic.png", 2), ("title", "ant", "Pictured"),
          ("template", "", 3), ("style", "", 1), ("title", "bee", "Styled")])
def test_session_equals_clean(tmp_path_factory: pytest.TempPathFactory, sequence: list[tuple]) -> None:
    """After every edit, told only which files changed, the session holds exactly a clean build's files (or
    fails with the same messages)."""
    work = tmp_path_factory.mktemp("session")
    site = work / "site"
    articles = starting_site(site, False)
    spanish_edit(site, "bee", "Texto [ver](../ant.md).\n")
    options = Options(site / "site.yaml", work / "out", jobs=1)
    session = Session()
    try:
        assert isinstance(served(session, options), dict)
        for step, change in enumerate(sequence):
            before = sources(site)
            edit(site, articles, change)
            held = served(session, options, changed(before, sources(site)))
            clean_site = work / f"clean{step}"
            shutil.copytree(site, clean_site, ignore=shutil.ignore_patterns(*OWN))
            assert held == files_only(outcome(clean_site / "site.yaml", work / f"clean{step}-out")), change
    finally:
        session.close()
