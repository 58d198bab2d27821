"""The command line: usage errors, the summary line, the progress bar only where it helps."""

from __future__ import annotations

import io

import pytest

from healthsite.commands.cli import ProgressBar, main, options_from, parser
from tests.conftest import article


def test_summary_line_and_quiet(make_site, capsys) -> None:
    """A build ends with one summary line; --quiet prints nothing on success."""
    root = make_site({"content/a.md": article("A")})
    assert main(["--config", str(root / "site.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("built 1 pages (") and " files) in " in out
    assert main(["--config", str(root / "site.yaml"), "--quiet"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--jobs", "many"], ["publish"], ["--format", "xml"]])
def test_usage_errors_exit_2(args: list[str], capsys) -> None:
    """A wrong option is a usage error: exit status 2 and a message, no traceback."""
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert "usage: build.py" in capsys.readouterr().err


def test_no_progress_bar_off_a_terminal_or_when_quiet() -> None:
    """Progress goes to a terminal only; tests and CI logs (not terminals) get none, nor does --quiet."""
    assert options_from(parser().parse_args([])).progress is None
    assert options_from(parser().parse_args(["--quiet"])).progress is None


def test_progress_bar_waits_a_second_then_draws() -> None:
    """Quick builds show no bar; a slow one redraws one line and ends it when done."""
    stream = io.StringIO()
    ProgressBar(stream)(5, 10)
    assert stream.getvalue() == ""
    bar = ProgressBar(stream, delay=0, width=10)
    bar(5, 10)
    bar(10, 10)
    assert stream.getvalue() == "\rrendering [#####.....] 5/10\rrendering [##########] 10/10\n"


def test_help_says_where_drafts_go(capsys) -> None:
    """The help tells a writer that drafts only ever go to a preview folder."""
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "build a preview with draft articles (marked 'Draft') into _preview/ or --out, never into output_dir" \
        in help_text
    assert "write the site, drafts left out (the default command)" in help_text


def test_drafts_build_says_it_is_a_preview(make_site, capsys) -> None:
    """A --drafts build names the preview folder and warns not to publish it; a plain build does not."""
    root = make_site({"content/a.md": article("A"), "content/d.md": article("D", draft="true")})
    assert main(["--config", str(root / "site.yaml")]) == 0
    assert "preview" not in capsys.readouterr().err
    assert main(["--config", str(root / "site.yaml"), "--drafts"]) == 0
    captured = capsys.readouterr()
    assert "-> " in captured.out and "_preview" in captured.out
    assert "this is a preview with drafts: do not publish" in captured.err
    assert not (root / "_site" / "d").exists() and (root / "_preview" / "d" / "index.html").exists()
