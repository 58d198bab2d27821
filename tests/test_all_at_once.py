"""Every problem of a file at once: a front-matter error does not hide the body's errors."""

from __future__ import annotations


import pytest

from healthsite.commands.cli import main
from tests.conftest import article
from tests.test_editorial import EASY, REVIEWED, Maker, good_site

BODY = EASY + "See [B](b.md) and [C](c.md). Rest [@nope].\n"


def body(line: int) -> list[str]:
    """The body's two errors, at their line."""
    return [f"content/a.md:{line}: error: link to 'c.md': the article does not exist in content/ (did you mean "
            "'b.md'?)",
            f"content/a.md:{line}: error: unknown source 'nope': add it to the bibliography or fix the key"]


@pytest.mark.parametrize("front, expected", [
    ({"date": "2026-02-30", **REVIEWED},
     ["content/a.md:4: error: invalid date '2026-02-30' (expected a real date as YYYY-MM-DD)", *body(11)]),
    ({"tittle": "x", **REVIEWED}, ["content/a.md:4: error: unknown key 'tittle' (did you mean 'title'?)", *body(11)]),
    ({"tags": "[unclosed"},
     ["content/a.md:4: error: YAML syntax: while parsing a flow sequence: did not find expected ',' or ']'",
      *body(8)]),
    ({"reviewed_by": "Dr Lee"}, ["content/a.md:4: error: 'reviewed_by' needs 'last_reviewed' too", *body(8)]),
    ({"related": "[d]", **REVIEWED}, ["content/a.md:4: error: related article 'd' does not exist", *body(11)]),
], ids=["bad date", "unknown key", "yaml syntax", "cross-field", "unknown related"])
def test_front_matter_and_body_errors_in_one_run(make_site: Maker, capsys: pytest.CaptureFixture,
                                                 front: dict[str, str], expected: list[str]) -> None:
    """The front matter's error and each of the body's errors, at their lines, in one run of check."""
    root = make_site(good_site(**{"content/a.md": article("A", BODY, **front)}))
    assert main(["check", "--config", str(root / "site.yaml")]) == 1
    assert capsys.readouterr().out.splitlines() == expected


def test_the_build_reports_them_all_too(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """`build` stops with the same errors, all at once, and writes nothing."""
    root = make_site(good_site(**{"content/a.md": article("A", BODY, date="2026-02-30", **REVIEWED)}))
    assert main(["--config", str(root / "site.yaml"), "-q"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line for line in lines if ": error: " in line] == [
        "content/a.md:4: error: invalid date '2026-02-30' (expected a real date as YYYY-MM-DD)", *body(11)]
    assert not (root / "_site").exists()


def test_a_file_without_front_matter_still_reports_only_that(make_site: Maker,
                                                              capsys: pytest.CaptureFixture) -> None:
    """No front matter at all: one error (there is no body to tell apart from it)."""
    root = make_site(good_site(**{"content/a.md": "Rest [@nope].\n"}))
    assert main(["check", "--config", str(root / "site.yaml")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/a.md:1: error: missing front matter: start the file with a '---' line"]
