"""`check PATH ...`: the whole site validated, only the named articles reported; the whole report on stdout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from healthsite.commands.cli import main
from healthsite.problems import Problem
from healthsite.commands.selection import Selection, is_article, select
from tests.conftest import REPO, article
from tests.test_editorial import EASY, REVIEWED, Maker, good_site

NO_CITATION = "Keep moving. See [A](a.md) and [C](c.md).\n"
B_WARNING = ("content/b.md:9: warning: no citations: support the article with at least one source from the "
             "bibliography, cited as [@key]")


def check(root: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run `check` on a site folder from inside it (paths as a writer types them); status, stdout, stderr."""
    code = main(["check", "--config", str(root / "site.yaml"), *(a if a.startswith("-") else str(root / a) for a in args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def site(make_site: Maker) -> Path:
    """Three articles: a and c clean, b without citations."""
    return make_site(good_site(**{"content/b.md": article("B", NO_CITATION, **REVIEWED),
                                  "content/c.md": article("C", EASY + "See [A](a.md).\n", **REVIEWED)}))


def test_one_article_reports_only_its_problems(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """`check content/a.md` leaves out b's warning and b's row; `check content/b.md` shows both."""
    root = site(make_site)
    code, out, err = check(root, capsys, "content/a.md")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "no article has a problem (1 article checked; --all lists them)"
    assert "b.md" not in out
    code, out, err = check(root, capsys, "content/b.md", "--all")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == ["evidence: 1 warning", B_WARNING]
    assert [line.split()[0] for line in lines[2:4]] == ["article", "b"]
    assert lines[-1].startswith("1 article on ")


def test_a_folder_names_every_article_in_it(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """`check content` reports every article; the site folder too."""
    root = site(make_site)
    code, out, _ = check(root, capsys, "content", "--all")
    assert code == 0 and out.splitlines()[-1].startswith("3 articles on ")
    assert B_WARNING in out.splitlines()


def test_strict_fails_only_on_the_named_articles(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """--strict with a clean named article passes although another article has a warning."""
    root = site(make_site)
    assert check(root, capsys, "--strict", "content/a.md")[0] == 0
    code, out, err = check(root, capsys, "--strict", "content/b.md")
    assert code == 1 and err == "check failed: 1 warning treated as errors (--strict)\n"


def test_errors_elsewhere_fail_with_one_line(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """An error in another article is not shown, but the check fails and says where to look."""
    root = make_site(good_site(**{"content/b.md": article("B", EASY + "See [C](c.md).\n", **REVIEWED)}))
    code, out, err = check(root, capsys, "content/a.md")
    assert (code, out) == (1, "")
    assert err == "check failed: 1 error in other files (run check without paths to see them)\n"
    code, out, err = check(root, capsys, "content/b.md")
    assert out == ("content/b.md:10: error: link to 'c.md': the article does not exist in content/ "
                   "(did you mean 'b.md'?)\n")
    assert err == "check failed: 1 error\n"


def test_a_path_that_names_no_article_is_a_usage_error(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A missing file or a file that is not an article: exit 2 and what to give instead."""
    root = site(make_site)
    code, out, err = check(root, capsys, "content/nope.md", "site.yaml")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"check: error: {root}/content/nope.md: no such file or folder: name article files or folders of them, "
        "e.g. content/NAME.md",
        f"check: error: {root}/site.yaml: not an article (content/*.md): name article files or folders of them, "
        "e.g. content/NAME.md"]


def test_a_redirect_keeps_the_whole_report(make_site: Maker, tmp_path: Path) -> None:
    """`check > report.txt`: problems, table and summary are in the file; stderr only says the check failed."""
    root = site(make_site)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--strict"], cwd=root,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == "check failed: 1 warning treated as errors (--strict)\n"
    lines = result.stdout.splitlines()
    assert lines[:2] == ["evidence: 1 error", B_WARNING.replace(": warning: ", ": error: ")]
    assert lines[2].split()[0] == "article" and lines[-1].startswith("3 articles on ")


def test_which_problems_concern_a_selection() -> None:
    """A named article's problems and site-wide ones (site.yaml, the bibliography, shared cards) are kept."""
    chosen = Selection(("content/a.md", "content/es/"))
    kept = [path for path in ("content/a.md", "content/b.md", "content/es/x.md", "site.yaml",
                              "content/bibliography.yaml", "content/care/ice.md", "templates/base.html")
            if chosen.concerns(Problem(path, 1, "m"))]
    assert kept == ["content/a.md", "content/es/x.md", "site.yaml", "content/bibliography.yaml",
                    "content/care/ice.md", "templates/base.html"]
    assert [is_article(p) for p in ("content/a.md", "content/es/a.md", "content/care/x.md", "a.md")] == \
        [True, True, False, False]
    assert select([REPO], REPO)[0] == Selection(("",)) and Selection(("",)).holds("content/a.md")
