"""CI: a build cache restored into another checkout path makes the build incremental and the site byte-identical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from healthsite import workers
from healthsite.cache import FOLDER
from healthsite.pipeline import Options, build
from tests.conftest import REPO, copy_site


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by its path inside it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_restored_cache_from_another_path_gives_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in CI: a first checkout builds and its cache is saved; a second checkout elsewhere restores the cache.

    The second build renders no article again (the cache is keyed by content and file name, not by path) and
    writes exactly the bytes of a clean build of the same sources.
    """
    first = copy_site(REPO, tmp_path / "runner-1" / "work" / "site")
    build(Options(first))
    second = copy_site(REPO, tmp_path / "runner-2" / "checkout")
    shutil.copytree(first.parent / FOLDER, second.parent / FOLDER)
    rendered: list[int] = []
    run = workers.run
    monkeypatch.setattr(workers, "run", lambda jobs, *rest: rendered.append(len(jobs)) or run(jobs, *rest))
    report = build(Options(second))
    assert rendered == [0]
    assert report.notices == []
    clean = copy_site(REPO, tmp_path / "clean")
    build(Options(clean, clean=True))
    assert files(second.parent / "_site") == files(clean.parent / "_site")
