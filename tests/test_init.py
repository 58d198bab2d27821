"""`init DIR`: a new site that builds and checks at once; never overwrites; refuses a folder that is not empty."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from healthsite import __version__
from healthsite.commands import init
from healthsite.commands.cli import main
from tests.conftest import REPO

FILES = [".gitignore", "README.md", "content/bibliography.yaml", "content/care/back-pain-emergency.md",
         "content/care/back-pain-urgent.md", "content/lower-back-pain-first-steps.md", "site.yaml",
         "static/README.md", "templates/README.md"]


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    """Run the command line; exit status, standard output and standard error."""
    code = main(list(argv), prog="healthsite")
    out, err = capsys.readouterr()
    return code, out, err


def files_of(folder: Path) -> list[str]:
    """Every file under a folder, by relative path."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_init_writes_a_site_that_builds_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The new site has every starter file, builds (exit 0) and checks with no error, run from its folder."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "init", "mysite")
    assert (code, err) == (0, "")
    assert out.startswith("created a new site in mysite\nnext: cd mysite && healthsite serve")
    assert files_of(tmp_path / "mysite") == FILES
    monkeypatch.chdir(tmp_path / "mysite")
    code, out, err = run(capsys, "build")
    assert code == 0 and ": error: " not in err, err
    assert out.startswith("built 1 pages")
    site = tmp_path / "mysite" / "_site"
    page = (site / "lower-back-pain-first-steps" / "index.html").read_text()
    assert "Lower back pain: first steps" in page and 'class="care-card' in page
    assert not any("README" in name for name in files_of(site))
    code, out, err = run(capsys, "check")
    assert code == 0 and ": error: " not in err, err


def test_the_starter_settings_a_publisher_must_choose_are_marked(tmp_path: Path) -> None:
    """site.yaml marks the settings to choose; rules: and facts: are working examples; .gitignore covers outputs."""
    init.create(tmp_path / "s")
    text = (tmp_path / "s" / "site.yaml").read_text()
    config = yaml.safe_load(text)
    for key in ("title", "base_url", "publisher", "language", "disclaimer", "call_to_action", "  emergency-number",
                "  poison-control"):
        line = next(line for line in text.splitlines() if line.startswith(f"{key}:"))
        assert "# CHOOSE:" in line, key
    assert config["facts"]["emergency-number"] == {"value": "911", "phone": True} and config["facts"]["poison-control"]
    assert {"required_cards", "care_level", "consistent", "avoid"} <= set(config["rules"])
    assert config["rules"]["consistent"][0]["fact"] in config["facts"] and "docs/configuration.md" in text
    ignored = (tmp_path / "s" / ".gitignore").read_text().split()
    assert {"_site/", "_preview/", ".healthsite-cache/"} <= set(ignored)
    sources = yaml.safe_load((tmp_path / "s" / "content" / "bibliography.yaml").read_text())
    assert sources[0]["key"] == "nhs-back-pain"


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Without --force nothing is written into a folder that holds anything."""
    (tmp_path / "notes.txt").write_text("mine\n")
    code, out, err = run(capsys, "init", str(tmp_path))
    assert (code, out) == (1, "")
    assert err == (f"{tmp_path}:1: error: the folder is not empty, so nothing was written: name a new or empty "
                   "folder, or add --force to add the starter files beside what is there (an existing file is "
                   "never overwritten)\n")
    assert files_of(tmp_path) == ["notes.txt"]


def test_force_adds_the_starter_files_and_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """--force keeps every file that exists, says so, and writes the others."""
    (tmp_path / "site.yaml").write_text("title: Mine\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "bibliography.yaml").write_text("[]\n")
    code, out, err = run(capsys, "init", str(tmp_path), "--force")
    assert (code, err) == (0, "")
    assert out.startswith("kept content/bibliography.yaml (it exists)\nkept site.yaml (it exists)\ncreated a new "
                          "site in ")
    assert (tmp_path / "site.yaml").read_text() == "title: Mine\n"
    assert (tmp_path / "content" / "bibliography.yaml").read_text() == "[]\n"
    assert files_of(tmp_path) == FILES
    code, out, _ = run(capsys, "init", str(tmp_path), "--force")
    assert code == 0 and f"nothing to add: {tmp_path} has every starter file" in out


def test_a_file_is_not_a_site_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """init into a file is an error at that path."""
    (tmp_path / "f").write_text("x")
    code, _, err = run(capsys, "init", str(tmp_path / "f"), "--force")
    assert code == 1 and err.startswith(f"{tmp_path / 'f'}:1: error: not a folder")


def test_init_never_replaces_a_link(tmp_path: Path) -> None:
    """A dangling link where a starter file goes is kept, and nothing is written through it."""
    target = tmp_path / "site"
    target.mkdir()
    (target / "site.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    written, kept, problems = init.create(target, force=True)
    assert problems == [] and kept == ["site.yaml"] and "README.md" in written
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_the_starter_care_cards_are_the_shared_ones() -> None:
    """The example cards are this library's shared back-pain cards: a fix to one must reach both (copy
    content/care/*.md to healthsite/starter/content/care/)."""
    for name in ("back-pain-emergency.md", "back-pain-urgent.md"):
        assert (init.STARTER / "content" / "care" / name).read_text() == (REPO / "content" / "care" / name).read_text()


def test_version(capsys: pytest.CaptureFixture) -> None:
    """--version prints the package's version, with or without a command after it."""
    with pytest.raises(SystemExit) as exited:
        main(["--version"], prog="healthsite")
    assert exited.value.code == 0 and capsys.readouterr().out == f"healthsite {__version__}\n"
