"""A fresh machine: browser and Java tests skip with a reason without their tools, and are required under CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

BROWSER_TEST = "tests/test_browser.py::test_dark_scheme_follows_the_system"
NU_TEST = "tests/test_browser.py::test_nu_html_checker_finds_no_errors"


def pytest_run(test: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run one test in a fresh pytest with the given environment (CI unset unless given)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "HEALTHSITE_CHROMIUM")} | env
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", test], cwd=REPO, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_missing_browser_skips_with_how_to_enable_it(tmp_path: Path) -> None:
    """Without Chromium at $HEALTHSITE_CHROMIUM, a browser test is skipped and the summary says how to enable it."""
    run = pytest_run(BROWSER_TEST, HEALTHSITE_CHROMIUM=str(tmp_path / "no-chromium"))
    assert run.returncode == 0, run.stdout
    assert re.search(r"\b1 skipped\b", run.stdout)
    assert f"browser test skipped: no Chromium at {tmp_path / 'no-chromium'}" in run.stdout
    assert "apt-get install chromium default-jre-headless" in run.stdout and "HEALTHSITE_CHROMIUM" in run.stdout


def test_missing_browser_fails_under_ci(tmp_path: Path) -> None:
    """With CI set, a missing browser is a failure, not a skip."""
    run = pytest_run(BROWSER_TEST, HEALTHSITE_CHROMIUM=str(tmp_path / "no-chromium"), CI="true")
    assert run.returncode == 1, run.stdout
    assert re.search(r"\b1 error\b", run.stdout) and "skipped" not in run.stdout
    assert "CI is set, so browser tests are required" in run.stdout


def test_missing_java_skips_the_nu_checker(tmp_path: Path) -> None:
    """With a browser but no java on PATH, the Nu HTML checker test is skipped (and fails under CI)."""
    browser = tmp_path / "chromium"
    browser.write_text("")
    path = str(Path(sys.executable).parent)  # python only: no java
    skipped = pytest_run(NU_TEST, HEALTHSITE_CHROMIUM=str(browser), PATH=path)
    assert skipped.returncode == 0 and "Nu HTML checker test skipped: no java on PATH" in skipped.stdout
    failed = pytest_run(NU_TEST, HEALTHSITE_CHROMIUM=str(browser), PATH=path, CI="1")
    assert failed.returncode == 1 and "CI is set" in failed.stdout


def test_the_browser_path_comes_from_the_environment(tmp_path: Path) -> None:
    """$HEALTHSITE_CHROMIUM names the browser (shown in the header); the default is Debian's."""
    run = pytest_run(BROWSER_TEST, HEALTHSITE_CHROMIUM=str(tmp_path / "elsewhere"))
    assert f"browser tests: {tmp_path / 'elsewhere'}, skipped when it is missing" in run.stdout
    assert "browser tests: /usr/bin/chromium, required (CI is set)" in pytest_run(BROWSER_TEST, CI="1").stdout
