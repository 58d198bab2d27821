"""`new`: an article from the archetype, never over another; and the command line's help, -q and console script."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from healthsite.commands import cli
from healthsite.commands.cli import main
from healthsite.reading.content import FrontMatter
from healthsite.pipeline import Options, build
from tests.conftest import REPO, SITE_YAML

TOPICS = SITE_YAML + "topics:\n  running:\n    title: Running\n  exercise:\n    title: Exercise\n"


@pytest.fixture
def root(make_site) -> Path:
    """A site with two topics, the real theme (archetype included) and one article."""
    return make_site({"site.yaml": TOPICS, "content/a.md": "---\ntitle: A\ndescription: D.\n---\n\nText.\n"})


def new(root: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run `new` on a site; exit status, standard output, standard error."""
    code = main(["new", *args, "--config", str(root / "site.yaml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_new_writes_a_draft_from_the_archetype(root: Path, capsys: pytest.CaptureFixture) -> None:
    """Today's date, draft: true, the title and topics, every optional field as a comment, FAQ and care stubs."""
    code, out, err = new(root, capsys, "knee-pain", "--title", "Knee pain in runners", "--tags", "running,exercise")
    assert (code, err) == (0, "")
    path = root / "content" / "knee-pain.md"
    assert out.splitlines()[0] == f"created {path} (a draft)"
    assert "python build.py serve`" in out and "/knee-pain/" in out and "draft: true" in out
    text = path.read_text()
    assert 'title: "Knee pain in runners"' in text and f"date: {dt.date.today()}" in text
    assert "\ndraft: true\n" in text and "tags: [running, exercise]" in text
    optional = {f.name for f in dataclasses.fields(FrontMatter)} - {"title", "description", "date", "tags",
                                                                     "draft", "key_takeaways",
                                                                     "translation_of", "translated_from"}
    assert [name for name in sorted(optional) if f"\n# {name}:" not in text] == []
    assert "## Frequently asked questions\n\n### " in text
    assert "!!! care NAME" in text  # no shared cards in this site: the example is a comment


def test_the_new_draft_builds_and_is_not_published(root: Path, capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    """The stub renders without errors as a draft preview, and a normal build leaves it out."""
    assert new(root, capsys, "knee-pain", "--tags", "running")[0] == 0
    assert build(Options(root / "site.yaml", tmp_path / "drafts", drafts=True)).pages == 2
    assert build(Options(root / "site.yaml", tmp_path / "published")).pages == 1
    assert 'title: "Knee pain"' in (root / "content" / "knee-pain.md").read_text()


def test_new_uses_a_shared_care_card_of_the_site(root: Path, capsys: pytest.CaptureFixture) -> None:
    """When content/care/ has cards, the stub shows one with `!!! care NAME` on a line of its own."""
    (root / "content" / "care").mkdir()
    (root / "content" / "care" / "back-pain-emergency.md").write_text("---\nlevel: emergency\n---\n- Signs.\n")
    assert new(root, capsys, "knee-pain")[0] == 0
    assert "\n!!! care back-pain-emergency\n" in (root / "content" / "knee-pain.md").read_text()


def test_new_never_overwrites(root: Path, capsys: pytest.CaptureFixture) -> None:
    """An existing article is left exactly as it was; exit 1 with the reason at its path."""
    before = (root / "content" / "a.md").read_bytes()
    code, out, err = new(root, capsys, "a")
    assert (code, out) == (1, "")
    assert err == ("content/a.md:1: error: the article already exists and was left as it was; pick another slug, "
                   "or edit the file\n")
    assert (root / "content" / "a.md").read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (["Knee_Pain"], "content/Knee_Pain.md:1: error: 'Knee_Pain' is not a slug (lowercase letters, digits and '-'); "
                    "choose a name like knee-pain-in-runners"),
    (["search"], "content/search.md:1: error: slug 'search' is reserved for the site; choose a name like "
                 "knee-pain-in-runners"),
    (["knee", "--tags", "runing"], "content/knee.md:1: error: unknown topic 'runing' (did you mean 'running'?); "
                                   "the topics of site.yaml are: exercise, running"),
    (["knee", "--tags", "Running"], "content/knee.md:1: error: tag 'Running' is not a slug (lowercase letters, "
                                    "digits and '-')"),
])
def test_new_validates_the_slug_and_topics(root: Path, capsys: pytest.CaptureFixture, args: list[str],
                                           message: str) -> None:
    """A bad slug, a reserved one or a topic site.yaml does not have: an error, exit 1, nothing written."""
    before = sorted((root / "content").iterdir())
    code, out, err = new(root, capsys, *args)
    assert (code, out, err) == (1, "", message + "\n")
    assert sorted((root / "content").iterdir()) == before


def test_quiet_new_prints_nothing(root: Path, capsys: pytest.CaptureFixture) -> None:
    """-q: the file is written, nothing printed."""
    assert new(root, capsys, "knee-pain", "-q") == (0, "", "")
    assert (root / "content" / "knee-pain.md").exists()


def test_a_site_without_an_archetype_uses_the_themes(root: Path, capsys: pytest.CaptureFixture) -> None:
    """A site without its own archetype starts articles from the packaged theme's."""
    (root / "templates" / "archetypes" / "article.md").unlink()
    assert new(root, capsys, "knee-pain", "-q") == (0, "", "")
    text = (root / "content" / "knee-pain.md").read_text()
    assert text.startswith("---\n") and 'title: "Knee pain"' in text and "draft: true" in text


def test_a_sites_archetype_replaces_the_themes(root: Path, capsys: pytest.CaptureFixture) -> None:
    """templates/archetypes/article.md of the site wins over the theme's."""
    (root / "templates" / "archetypes" / "article.md").write_text(
        "---\ntitle: {{ title }}\ndescription: Mine.\ndraft: true\n---\n\nOur own start.\n")
    assert new(root, capsys, "knee-pain", "-q") == (0, "", "")
    assert (root / "content" / "knee-pain.md").read_text().endswith("Our own start.\n")


def test_a_missing_archetype_is_an_error_at_its_path(root: Path, capsys: pytest.CaptureFixture,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without an archetype in the site or the theme, the message says where it belongs."""
    from healthsite.reading import themefiles
    monkeypatch.setattr(themefiles, "THEME", tmp_path / "no-theme")
    (root / "templates" / "archetypes" / "article.md").unlink()
    code, _, err = new(root, capsys, "knee-pain")
    assert code == 1 and err.startswith("templates/archetypes/article.md:1: error: no archetype")
    assert not (root / "content" / "knee-pain.md").exists()


@pytest.mark.parametrize("command", ["build", "serve", "check", "new"])
def test_every_command_help_shows_examples(command: str, capsys: pytest.CaptureFixture) -> None:
    """`COMMAND --help` lists its options and examples of real use."""
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "examples:\n  python build.py " + ("" if command == "build" else command) in out
    assert "-q, --quiet" in out


def test_options_may_come_before_the_command(make_site, capsys: pytest.CaptureFixture) -> None:
    """`--config FILE check` is `check --config FILE`; an output folder named like a command stays a folder."""
    root = make_site({"content/a.md": "---\ntitle: A\ndescription: D.\n---\n\nText.\n"})
    assert main(["--config", str(root / "site.yaml"), "check", "--all"]) == 0
    assert "\narticle  " in capsys.readouterr().out
    assert cli.with_command(["--out", "check", "-q"]) == ["build", "--out", "check", "-q"]


def test_the_healthsite_script_runs_the_same_command_line(capsys: pytest.CaptureFixture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """[project.scripts] names healthsite.commands.cli:console, which is main() under the name 'healthsite'."""
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"healthsite": "healthsite.commands.cli:console"}
    monkeypatch.setattr(sys, "argv", ["healthsite", "new", "--help"])
    with pytest.raises(SystemExit):
        cli.console()
    out = capsys.readouterr().out
    assert out.startswith("usage: healthsite new") and "healthsite new knee-pain-in-runners" in out


def test_build_py_and_the_module_agree() -> None:
    """`python build.py --help` runs the same parser (a subprocess, as a writer runs it)."""
    run = subprocess.run([sys.executable, "build.py", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("usage: build.py") and "new" in run.stdout
