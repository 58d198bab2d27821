"""Shared test helpers: small sites built from a dict of files in a temporary folder."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path
from typing import Callable, Iterator

import pytest

from healthsite.pipeline import Options, build

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
HOW_TO_ENABLE = ("to run them, install Debian's chromium and a Java runtime (apt-get install chromium "
                 "default-jre-headless) or set HEALTHSITE_CHROMIUM to a Chromium or Chrome binary")
FIXTURE = REPO / "tests" / "fixture"
THEME = REPO / "healthsite" / "theme"  # the packaged default theme

SITE_YAML = """\
title: Test Health
base_url: https://test.example/
publisher: Test Publisher
disclaimer: General information only.
call_to_action:
  heading: Need help?
  text: Talk to your doctor.
"""


def article(title: str = "A title", body: str = "Some text.\n", **fields: str) -> str:
    """An article file: front matter from keyword arguments (YAML values as written), then the body."""
    lines = [f'title: "{title}"', 'description: "A description."'] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body)


def copy_site(source: Path, target: Path) -> Path:
    """Copy a site folder (site.yaml, content, templates, static; links followed) and return its config."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "templates", "static"):
        shutil.copytree(source / name, target / name, symlinks=False)
    shutil.copy(source / "site.yaml", target / "site.yaml")
    return target / "site.yaml"


def build_copy(source: Path, folder: Path, **options: object) -> Path:
    """Build a copy of a site folder into `folder/out` (nothing is written into the repository); the output."""
    out = folder / "out"
    build(Options(copy_site(source, folder / "site"), out, **options))
    return out


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a site (a copy of the packaged theme as its own, plus the given files) into a temporary folder; return its folder."""
    def make(files: dict[str, str], with_config: bool = True) -> Path:
        root = tmp_path / "site"
        shutil.copytree(THEME / "templates", root / "templates", dirs_exist_ok=True)
        shutil.copytree(THEME / "static", root / "static", dirs_exist_ok=True)
        (root / "content").mkdir(parents=True, exist_ok=True)
        if with_config and "site.yaml" not in files:
            (root / "site.yaml").write_text(SITE_YAML)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return root
    return make


def chromium() -> str:
    """The browser the browser tests drive: $HEALTHSITE_CHROMIUM, or Debian's Chromium."""
    return os.environ.get("HEALTHSITE_CHROMIUM") or DEFAULT_CHROMIUM


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for the whole session (never a downloaded one), shared by every browser test:
    Playwright's synchronous API runs one at a time in a process."""
    from playwright import sync_api
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def missing_tool(item: pytest.Item) -> str | None:
    """What a test's markers need that this machine lacks: Chromium (`browser`) or Java (`java`); None if nothing."""
    if item.get_closest_marker("browser") and not Path(chromium()).is_file():
        return f"browser test skipped: no Chromium at {chromium()}"
    if item.get_closest_marker("java") and not shutil.which("java"):
        return "Nu HTML checker test skipped: no java on PATH"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a test whose browser or Java is missing, saying how to enable it; with $CI set, fail it instead."""
    why = missing_tool(item)
    if why is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{why.split(':')[1].strip()}, and CI is set, so browser tests are required: "
                    f"{HOW_TO_ENABLE}", pytrace=False)
    pytest.skip(f"{why}; {HOW_TO_ENABLE}")


def pytest_report_header(config: pytest.Config) -> str:
    """One header line: which browser the browser tests use and whether they are required."""
    required = "required (CI is set)" if os.environ.get("CI") else "skipped when it is missing"
    return f"browser tests: {chromium()}, {required}"
