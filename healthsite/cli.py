"""The command line: `python build.py [build|serve|check] [options]`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Callable

from . import report
from .pipeline import Options, build
from .problems import BuildError, Problem


def parser() -> argparse.ArgumentParser:
    """The argument parser: one command and the common options."""
    ap = argparse.ArgumentParser(prog="build.py", description="Build, serve or check a healthsite static site.")
    ap.add_argument("command", nargs="?", default="build", choices=sorted(COMMANDS),
                    help="build (default): write the site; serve: build, serve and rebuild on change; "
                         "check: validate and print the editorial report")
    ap.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration file")
    ap.add_argument("--out", type=Path, help="output folder (default: output_dir of site.yaml)")
    ap.add_argument("--drafts", action="store_true", help="include draft articles")
    ap.add_argument("--quiet", action="store_true", help="print only problems")
    ap.add_argument("--strict", action="store_true", help="warnings fail the build or check (exit status 1)")
    ap.add_argument("--format", choices=("text", "json"), default="text", help="check: report format")
    return ap


def options_from(args: argparse.Namespace) -> Options:
    """Build options from parsed arguments."""
    return Options(args.config, args.out, args.drafts, strict=args.strict)


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
    print_problems(report.warnings)
    if not args.quiet:
        shown = os.path.relpath(report.out) if report.out.is_relative_to(Path.cwd()) else report.out
        print(f"built {report.pages} pages ({report.files} files) in {report.seconds:.1f} s -> {shown}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """`check`: validate without writing and print the editorial report (coloured only on a terminal)."""
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return report.check(options_from(args), dt.date.today(), args.format, sys.stdout, sys.stderr, colour)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"build": run_build, "check": run_check}


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit status 0 on success, 1 on content errors, 2 on usage errors."""
    args = parser().parse_args(argv)
    return COMMANDS[args.command](args)
