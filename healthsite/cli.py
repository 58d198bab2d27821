"""The command line: `python build.py [build|serve|check] [options]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .pipeline import Options, build
from .problems import BuildError


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    ap = argparse.ArgumentParser(prog="build.py", description="Build a healthsite static site.")
    ap.add_argument("command", nargs="?", default="build", choices=["build"], help="what to do (default: build)")
    ap.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration file")
    ap.add_argument("--out", type=Path, help="output folder (default: output_dir of site.yaml)")
    ap.add_argument("--drafts", action="store_true", help="include draft articles")
    ap.add_argument("--quiet", action="store_true", help="print only problems")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run a command; 0 on success, 1 on content errors, 2 on usage errors."""
    args = parser().parse_args(argv)
    options = Options(args.config, args.out, args.drafts)
    try:
        report = build(options)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len([p for p in exc.problems if p.level == "error"])
        print(f"build failed: {count} error{'s' * (count != 1)}; the previous site was left as it was",
              file=sys.stderr)
        return 1
    for problem in report.warnings:
        print(problem, file=sys.stderr)
    if not args.quiet:
        print(f"built {report.pages} pages ({report.files} files) in {report.seconds:.1f} s -> {report.out}")
    return 0
