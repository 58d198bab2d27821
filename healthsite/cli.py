"""The command line: `python build.py [build|serve|check] [options]`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Callable, TextIO

from . import report, serve
from .pipeline import Options, build
from .problems import BuildError, Problem


def parser() -> argparse.ArgumentParser:
    """The argument parser: one command and the common options."""
    ap = argparse.ArgumentParser(prog="build.py", description="Build, serve or check a healthsite static site.")
    ap.add_argument("command", nargs="?", default="build", choices=sorted(COMMANDS),
                    help="build (default): write the site (drafts left out); serve: build a preview with drafts "
                         "into _preview/, serve it and rebuild on change; check: validate and print the editorial "
                         "report")
    ap.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration file")
    ap.add_argument("--out", type=Path, help="output folder (default: output_dir of site.yaml)")
    ap.add_argument("--drafts", action="store_true",
                    help="build a preview with draft articles (marked 'Draft') into _preview/ or --out, never "
                         "into output_dir; serve always shows drafts")
    ap.add_argument("--quiet", action="store_true", help="print only problems")
    ap.add_argument("--clean", action="store_true", help="ignore the build cache and render everything")
    ap.add_argument("--jobs", type=_positive, default=0, metavar="N",
                    help="processes to render with (default: the number of cores)")
    ap.add_argument("--strict", action="store_true", help="warnings fail the build or check (exit status 1)")
    ap.add_argument("--format", choices=("text", "json"), default="text", help="check: report format")
    ap.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default: this machine only)")
    ap.add_argument("--port", type=serve.port_number, default=8000, help="serve: port to listen on (0: any free one)")
    return ap


def _positive(text: str) -> int:
    """A whole number of at least 1, for --jobs."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got '{text}'")
    return int(text)


def options_from(args: argparse.Namespace) -> Options:
    """Build options from parsed arguments; a progress bar only on a terminal and without --quiet."""
    show = sys.stderr.isatty() and not args.quiet
    return Options(args.config, args.out, args.drafts, args.clean, args.jobs,
                   ProgressBar(sys.stderr) if show else None, strict=args.strict)


class ProgressBar:
    """Pages rendered of the total, as a bar on one terminal line, once a build has taken a second."""

    def __init__(self, stream: TextIO, delay: float = 1.0, width: int = 30) -> None:
        self.stream, self.delay, self.width = stream, delay, width
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar (never in the first second, so quick builds stay quiet)."""
        if time.monotonic() - self.started < self.delay:
            return
        filled = self.width * done // max(total, 1)
        end = "\n" if done == total else ""
        self.stream.write(f"\rrendering [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}{end}")
        self.stream.flush()


def print_problems(problems: list[Problem]) -> None:
    """Print errors and warnings, one per line, to standard error."""
    for problem in problems:
        print(problem, file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    """`build`: write the site once."""
    try:
        report = build(options_from(args))
    except BuildError as exc:
        print_problems(exc.problems)
        count = sum(p.level == "error" for p in exc.problems)
        print(f"build failed: {count} error{'s' * (count != 1)}; the previous site was left as it was",
              file=sys.stderr)
        return 1
    print_problems(report.notices + report.warnings)
    if not args.quiet:
        shown = os.path.relpath(report.out) if report.out.is_relative_to(Path.cwd()) else report.out
        print(f"built {report.pages} pages ({report.files} files) in {report.seconds:.1f} s -> {shown}")
        if args.drafts:
            print(f"this is a preview with drafts: do not publish {shown}", file=sys.stderr)
    return 0


def run_check(args: argparse.Namespace) -> int:
    """`check`: validate without writing and print the editorial report (coloured only on a terminal)."""
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return report.check(options_from(args), dt.date.today(), args.format, sys.stdout, sys.stderr, colour)


def run_serve(args: argparse.Namespace) -> int:
    """`serve`: build, serve the site on --host/--port, rebuild on change and reload open pages."""
    return serve.DevServer(options_from(args), args.host, args.port, args.quiet).serve_forever()


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"build": run_build, "check": run_check,
                                                            "serve": run_serve}


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit status 0 on success, 1 on content errors, 2 on usage errors."""
    args = parser().parse_args(argv)
    return COMMANDS[args.command](args)
