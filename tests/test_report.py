"""`check`: the editorial report as an aligned table or JSON, exit statuses, --strict, and nothing written."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import time
from pathlib import Path

import pytest

from healthsite.commands import report
from healthsite.commands.cli import main
from healthsite.pipeline import Options
from tests.conftest import article
from tests.test_editorial import BIBLIOGRAPHY, EASY, REVIEWED, Maker, good_site

ANSI = re.compile(r"\033\[[0-9;]*m")
NO_CITATION = "Keep moving. See [B](b.md).\n"
NO_CITATION_WARNING = ("content/a.md:9: warning: no citations: support the article with at least one source "
                       "from the bibliography, cited as [@key]")


def check(root: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run `check` on a site folder; return exit status, standard output and standard error."""
    code = main(["check", "--config", str(root / "site.yaml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_columns_are_aligned() -> None:
    """Text columns are padded on the right, numbers on the left, two spaces apart."""
    rows = [[("a-long-slug", ""), ("5.0", ""), ("7.6", ""), ("566", ""), ("4", ""), ("8", ""), ("3", ""),
             ("5", ""), ("2", ""), ("not reviewed", ""), ("-", ""), ("-", "")],
            [("b", ""), ("11.2", ""), ("12.0", ""), ("1139", ""), ("15", ""), ("19", ""), ("12", ""), ("0", ""),
             ("0", ""), ("overdue", ""), ("2026-03-01", ""), ("1 safety", "")]]
    assert report.table(rows, colour=False).splitlines() == [
        "article      grade  SMOG  words  long  cites  links  inbound  reach  review        due         problems",
        "a-long-slug    5.0   7.6    566     4      8      3        5      2  not reviewed  -           -",
        "b             11.2  12.0   1139    15     19     12        0      0  overdue       2026-03-01  1 safety",
    ]


def test_colour_marks_cells_without_moving_columns() -> None:
    """With colour on, flagged cells are wrapped in ANSI codes; stripped, the table is the same."""
    rows = [[("b", ""), ("11.2", "red"), ("12.0", ""), ("1139", ""), ("15", ""), ("0", "red"), ("1", "yellow"),
             ("0", "red"), ("overdue", "red"), ("2026-03-01", ""), ("1 safety", "")]]
    coloured = report.table(rows, colour=True)
    assert re.search("\033\\[1;31m +11.2\033\\[0m", coloured) and "\033[1marticle\033[0m" in coloured
    assert re.search("\033\\[33m +1\033\\[0m", coloured)  # a number keeps its padding inside its colour
    assert [line.rstrip() for line in ANSI.sub("", coloured).splitlines()] == \
        report.table(rows, colour=False).splitlines()


def test_check_prints_the_report_and_writes_nothing(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A clean site: exit 0, a table with one row per article, no colour off a terminal, no files written."""
    root = make_site(good_site())
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    code, out, err = check(root, capsys)
    assert (code, err) == (0, "")
    assert out.startswith("no article has a problem (2 articles checked; --all lists them)\n")
    code, out, err = check(root, capsys, "--all")
    lines = out.splitlines()
    assert lines[0].split() == ["article", "grade", "SMOG", "words", "long", "cites", "links", "inbound", "reach",
                                "review", "due", "problems"]
    assert lines[1].split() == ["a", "0.9", "0.0", "18", "0", "1", "1", "1", "1", "reviewed", "2027-01-10", "-"]
    assert lines[2].split()[0] == "b"
    assert re.fullmatch(r"2 articles on \d{4}-\d\d-\d\d: readability 2 pass, 0 warn, 0 hard; reviews 2 reviewed, "
                        r"0 due soon, 0 overdue, 0 not reviewed; 0 warnings \(0 safety, 0 evidence, 0 readability, "
                        r"0 style\)", lines[-1])
    assert "\033[" not in out
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_check_never_calls_the_writer(make_site: Maker, capsys: pytest.CaptureFixture,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` validates the outputs in memory only."""
    def refuse(*args: object) -> None:
        raise AssertionError("check must not write the site")
    monkeypatch.setattr("healthsite.pipeline.write_site", refuse)
    assert check(make_site(good_site()), capsys)[0] == 0


def test_colour_only_on_a_terminal(make_site: Maker, capsys: pytest.CaptureFixture,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal the report is coloured, unless NO_COLOR is set."""
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    root = make_site(good_site(**{"content/a.md": article("A", NO_CITATION, **REVIEWED)}))
    for no_color, coloured in ((None, True), ("1", False)):
        if no_color:
            monkeypatch.setenv("NO_COLOR", no_color)
        else:
            monkeypatch.delenv("NO_COLOR", raising=False)
        terminal = Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        assert main(["check", "--config", str(root / "site.yaml")]) == 0
        assert bool(re.search("\033\\[1;31m +0\033\\[0m", terminal.getvalue())) is coloured  # no citations: red


def test_warnings_are_printed_and_do_not_fail(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """Warnings go to standard output (before the table) as PATH:LINE: warning: MESSAGE; the exit status stays 0."""
    root = make_site(good_site(**{"content/a.md": article("A", NO_CITATION, **REVIEWED)}))
    code, out, err = check(root, capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == ["evidence: 1 warning", NO_CITATION_WARNING, "article  grade  SMOG  words  long  "
                                    "cites  links  inbound  reach  review    due         problems"]
    assert out.splitlines()[-1].endswith("; 1 warning (0 safety, 1 evidence, 0 readability, 0 style)")


def test_strict_turns_warnings_into_errors(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """--strict: the same findings as errors, exit 1, and the report still printed."""
    root = make_site(good_site(**{"content/a.md": article("A", NO_CITATION, **REVIEWED)}))
    code, out, err = check(root, capsys, "--strict")
    assert code == 1
    assert err.splitlines() == ["check failed: 1 warning treated as errors (--strict)"]
    assert out.splitlines()[:2] == ["evidence: 1 error", NO_CITATION_WARNING.replace(": warning: ", ": error: ")]
    assert out.splitlines()[2].startswith("article")


def test_strict_passes_a_clean_site(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """--strict with nothing to warn about exits 0; not being reviewed is reported, not failed."""
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n")}))
    code, out, err = check(root, capsys, "--strict", "--all")
    assert (code, err) == (0, "")
    assert "not reviewed" in out.splitlines()[1]


def test_json_report(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """--format json: the same findings, thresholds and rows, for other tools."""
    root = make_site(good_site(**{"content/a.md": article("A", NO_CITATION, **REVIEWED)}))
    code, out, err = check(root, capsys, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["ok"] is True and data["errors"] == []
    assert data["warnings"] == [{"path": "content/a.md", "line": 9, "level": "warning", "category": "evidence",
                                 "message": NO_CITATION_WARNING.split(": warning: ")[1]}]
    assert data["categories"] == ["safety", "evidence", "readability", "style"]
    assert data["thresholds"] == {"min_words": 0, "min_cross_links": 0, "min_citations": 1, "max_description": 160,
                                  "pass_grade": 8.0, "warn_grade": 10.0, "max_sentence_words": 25,
                                  "readability": "flesch-kincaid", "pass_ease": 60.0, "warn_ease": 50.0,
                                  "require_review": False, "due_soon_days": 30}
    assert [a["slug"] for a in data["articles"]] == ["a", "b"]  # ranked: the article with a problem first
    assert data["articles"][0]["problems"] == {"safety": 0, "evidence": 1, "readability": 0, "style": 0}
    assert data["articles"][1] == {
        "slug": "b", "source": "content/b.md", "title": "B", "grade": 0.9, "formula": "flesch-kincaid", "smog": 0.0,
        "words": 18,
        "sentences": 2, "long_sentences": 0, "readability": "pass", "citations": 1, "cross_links": 1,
        "inbound": 1, "reach": 1, "sections": [], "problems": {"safety": 0, "evidence": 0, "readability": 0, "style": 0},
        "review": {"status": "reviewed", "reviewed_by": "Dr Lee", "last_reviewed": "2026-01-10",
                   "next_review_due": "2027-01-10"}}


def test_json_strict_lists_errors(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """--format json --strict: warnings come back as errors and the exit status is 1."""
    root = make_site(good_site(**{"content/a.md": article("A", NO_CITATION, **REVIEWED)}))
    code, out, _ = check(root, capsys, "--format", "json", "--strict")
    data = json.loads(out)
    assert (code, data["ok"], data["warnings"]) == (1, False, [])
    assert [e["level"] for e in data["errors"]] == ["error"]


def test_content_errors_fail_the_check(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A site that would not build: its errors, exit 1, no report; in JSON too."""
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [C](c.md).\n")}))
    code, out, err = check(root, capsys)
    assert code == 1
    assert out.splitlines() == ["content/a.md:7: error: link to 'c.md': the article does not exist in content/ "
                                "(did you mean 'b.md'?)"]
    assert err.splitlines() == ["check failed: 1 error"]
    code, out, _ = check(root, capsys, "--format", "json")
    data = json.loads(out)
    assert (code, data["ok"], data["articles"]) == (1, False, [])
    assert data["errors"][0]["message"].startswith("link to 'c.md': the article does not exist")


def test_template_errors_fail_the_check(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """The outputs are rendered (in memory), so a broken template fails `check` as it fails `build`."""
    root = make_site(good_site(**{"templates/article.html": "{% extends 'base.html' %}\n{% block main %}\n"}))
    code, out, _ = check(root, capsys)
    assert code == 1
    assert out.startswith("templates/article.html:")


def test_unsafe_output_folder_fails_the_check(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """The output-folder refusals of `build` apply to `check` too."""
    root = make_site(good_site())
    code, out, err = check(root, capsys, "--out", str(root / "content"))
    assert code == 1 and ": error: " in out and err == "check failed: 1 error\n"


def test_today_is_a_parameter(make_site: Maker) -> None:
    """The same site is reviewed, due soon or overdue depending on the day it is checked."""
    root = make_site(good_site())
    statuses = []
    for today in (dt.date(2026, 6, 1), dt.date(2026, 12, 20), dt.date(2027, 2, 1)):
        out, err = io.StringIO(), io.StringIO()
        assert report.check(Options(root / "site.yaml"), today, "json", out, err, False) == 0
        statuses.append(json.loads(out.getvalue())["articles"][0]["review"]["status"])
    assert statuses == ["reviewed", "due soon", "overdue"]


def test_build_prints_the_same_warnings(make_site: Maker, capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    """`build` prints the editorial warnings too; with --strict it fails and writes nothing."""
    root = make_site(good_site(**{"content/a.md": article("A", NO_CITATION, **REVIEWED)}))
    config = str(root / "site.yaml")
    assert main(["--config", config, "--out", str(tmp_path / "strict"), "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == NO_CITATION_WARNING.replace(": warning: ", ": error: ")
    assert not (tmp_path / "strict").exists()
    assert main(["--config", config, "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err.splitlines() == [NO_CITATION_WARNING]
    assert main(["--config", config, "--out", str(tmp_path / "out")]) == 0  # nothing changed: from the cache
    assert capsys.readouterr().err.splitlines() == [NO_CITATION_WARNING]


def test_check_is_fast(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A library of 14 articles of about 1,000 words is checked in well under a second."""
    paragraph = ("Most back pain gets better on its own within a few weeks [@nhs]. Keep moving, and rest only "
                 "when you need to. Gentle walking helps more than lying in bed. ") * 4
    files = {"content/bibliography.yaml": BIBLIOGRAPHY}
    for n in range(14):
        sections = "\n\n".join(f"## Part {i}\n\n{paragraph}" for i in range(6))
        body = sections + f"\n\nSee [next](a{(n + 1) % 14}.md).\n"
        files[f"content/a{n}.md"] = article(f"Article {n}", body, related=f"[a{(n + 1) % 14}]", **REVIEWED)
    root = make_site(files)
    started = time.perf_counter()
    code, out, _ = check(root, capsys, "--all")
    seconds = time.perf_counter() - started
    assert code == 0 and len(out.splitlines()) == 1 + 14 + 5
    assert seconds < 1.0, f"check took {seconds:.2f} s"
