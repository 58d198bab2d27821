"""CI: a build cache restored into another checkout path, on another machine, makes the build incremental and the
site byte-identical; the machines share the cache's signing key through HEALTHSITE_CACHE_KEY."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from healthsite.writing import cache
from healthsite.model import workers
from healthsite.pipeline import Options, Report, build
from tests.conftest import REPO, copy_site


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by its path inside it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def on_runner(home: Path, monkeypatch: pytest.MonkeyPatch, secret: str | None) -> None:
    """Act as a fresh CI runner: its own home (so its own key file), and the secret if the workflow passes one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    if secret is None:
        monkeypatch.delenv("HEALTHSITE_CACHE_KEY", raising=False)
    else:
        monkeypatch.setenv("HEALTHSITE_CACHE_KEY", secret)
    cache.machine_key.cache_clear()


def restored_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str | None) -> tuple[Report, list[int]]:
    """Build on one runner, restore its cache into a checkout at another path on a second runner, build there."""
    first = copy_site(REPO, tmp_path / "runner-1" / "work" / "site")
    on_runner(tmp_path / "home-1", monkeypatch, secret)
    build(Options(first))
    second = copy_site(REPO, tmp_path / "runner-2" / "checkout")
    shutil.copytree(first.parent / cache.FOLDER, second.parent / cache.FOLDER)
    on_runner(tmp_path / "home-2", monkeypatch, secret)
    rendered: list[int] = []
    run = workers.run
    monkeypatch.setattr(workers, "run", lambda jobs, *rest: rendered.append(len(jobs)) or run(jobs, *rest))
    report = build(Options(second))
    restored = list(rendered)  # the clean build below renders too
    clean = copy_site(REPO, tmp_path / "clean")
    build(Options(clean, clean=True))
    assert files(second.parent / "_site") == files(clean.parent / "_site")
    return report, restored


def test_restored_cache_with_the_shared_key_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With HEALTHSITE_CACHE_KEY on both runners, no article is rendered again and the site is a clean build's."""
    try:
        report, rendered = restored_build(tmp_path, monkeypatch, "a CI secret of at least thirty-two characters")
    finally:
        cache.machine_key.cache_clear()
    assert rendered and not any(rendered)  # one render call per edition (English, Spanish), none rendering
    assert report.notices == []


def test_restored_cache_without_the_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without it, the second runner's own key refuses the cache with a notice and builds everything: same bytes."""
    try:
        report, rendered = restored_build(tmp_path, monkeypatch, None)
    finally:
        cache.machine_key.cache_clear()
    assert rendered and rendered[0] > 0
    assert any("build cache ignored" in p.message for p in report.notices)
