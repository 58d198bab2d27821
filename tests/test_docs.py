"""The documentation cannot drift: every site.yaml key documented with its default, the README short, its
commands single lines, and its test command the one `.ci/run` runs."""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any, Iterator

from healthsite.reading.config import SiteConfig
from tests.conftest import REPO

DOCS = REPO / "docs"
ROW = re.compile(r"^\| `([A-Za-z_.]+)` \| ([^|]+) \|", re.MULTILINE)


def schema_keys(cls: type, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every key of a typed configuration class as (dotted name, default), nested classes and maps included."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        name, kind = prefix + f.name, hints[f.name]
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
        yield name, default
        if dataclasses.is_dataclass(kind):
            yield from schema_keys(kind, name + ".")
        elif typing.get_origin(kind) is dict and dataclasses.is_dataclass(typing.get_args(kind)[1]):
            yield from schema_keys(typing.get_args(kind)[1], name + ".SLUG.")


def shown(default: Any) -> str | None:
    """How docs/configuration.md writes a default ('required' when there is none; None: not checked)."""
    if default is dataclasses.MISSING:
        return "required"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, int):
        return f"`{default}`"
    if isinstance(default, float):
        return f"`{default:g}`"
    if isinstance(default, str):
        return f"`{default}`" if default else '`""`'
    return "`{}`" if default == {} else None


def test_configuration_page_lists_every_key_with_its_default() -> None:
    """docs/configuration.md has one table row per key of the schema in healthsite/reading/config.py, and no other."""
    text = (DOCS / "configuration.md").read_text()
    text = text[:text.index("\n## Command line")] if "\n## Command line" in text else text
    documented = {key: default.strip() for key, default in ROW.findall(text)}
    keys = dict(schema_keys(SiteConfig))
    assert sorted(set(keys) - set(documented)) == [], "keys missing from docs/configuration.md"
    assert sorted(set(documented) - set(keys)) == [], "documented keys the schema lacks"
    wrong = {key: (documented[key], shown(default)) for key, default in keys.items()
             if shown(default) is not None and documented[key] != shown(default)}
    assert wrong == {}


def readme_block() -> list[str]:
    """The lines of the README's Quick start code block."""
    text = (REPO / "README.md").read_text()
    quick = text[text.index("## Quick start"):]
    return quick[quick.index("```sh\n") + 6:quick.index("\n```", quick.index("```sh\n"))].splitlines()


def test_readme_is_short_and_links_docs_that_exist() -> None:
    """At most about 150 lines; every docs/ link and the screenshot exist."""
    text = (REPO / "README.md").read_text()
    assert len(text.splitlines()) <= 150
    links = re.findall(r"\]\((docs/[^)#]+)", text)
    assert {"docs/writing.md", "docs/configuration.md", "docs/theme.md", "docs/architecture.md",
            "docs/performance.md", "docs/article.png"} <= set(links)
    assert all((REPO / link).exists() for link in links)
    assert (REPO / "docs" / "article.png").read_bytes().startswith(b"\x89PNG")


def test_quick_start_is_two_single_line_commands_in_a_venv() -> None:
    """Serve, then test; each one line that makes and activates a virtual environment (pip outside one is refused)."""
    serve, test = readme_block()
    for command in (serve, test):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e ")
    assert serve.endswith("&& python build.py serve") and test.endswith("&& python -m pytest")
    assert '".[test]"' in test


def test_ci_runs_the_readmes_test_command_exactly_with_ci_set() -> None:
    """.ci/run runs the README's second command as written, with CI set so browser tests are required."""
    script = (REPO / ".ci" / "run").read_text().splitlines()
    assert readme_block()[1] in script
    assert "export CI=1" in script
    assert script.index("export CI=1") < script.index(readme_block()[1])
    assert "rm -rf .venv" in script


def test_writing_guide_covers_what_a_writer_touches() -> None:
    """The writing guide has a section for each thing the issue lists."""
    headings = re.findall(r"^## (.+)$", (DOCS / "writing.md").read_text(), re.MULTILINE)
    for needed in ("Start an article", "Front matter", "Sources and citations", "Cross-links", "Care cards",
                   "Shared care advice", "Frequently asked questions", "Images", "House rules",
                   "How Read More cards are chosen", "Preview: what `serve` shows when something is wrong",
                   "Check: the ranked report", "The editorial dashboard"):
        assert needed in headings


def test_house_rules_in_the_guide_match_site_yaml() -> None:
    """The values the writing guide gives for the house rules are the shipped site.yaml's."""
    import yaml
    rules = yaml.safe_load((REPO / "site.yaml").read_text())["editorial"]
    text = (DOCS / "writing.md").read_text()
    for key, value in rules.items():
        assert re.search(rf"\| `{key}` \| {value:g} \|", text), key


def test_the_project_stands_alone() -> None:
    """No doc, test, script or content file refers to a file outside the repository (a clone has only itself)."""
    import subprocess
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    outside = re.compile(r"\.\./shared|(?<![\w.-])/work/|REPO\.parent|references\.yaml")
    for name in tracked.splitlines():
        path = REPO / name
        if path.suffix in (".md", ".py", ".yaml", ".yml", ".toml", ".txt", ".html", ".cfg") or name.startswith(".ci/"):
            if path.is_file() and path.name != "test_docs.py":
                assert not outside.search(path.read_text(errors="replace")), name


def test_readme_says_how_long_the_tests_take_and_who_runs_them() -> None:
    """Writers are told they need not run the test suite, and how long it takes."""
    text = " ".join((REPO / "README.md").read_text().split())
    assert "about two minutes" in text and "Writers need not run it" in text
