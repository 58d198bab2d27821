"""The command line: `python build.py [build|serve|check|search|new|translated|sources|cards] [options]` (also the
`healthsite` script)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Callable, TextIO

from healthsite.commands.arguments import parser, with_command
from healthsite.reading.options import Options
from healthsite.problems import Problem, from_here



def options_from(args: argparse.Namespace) -> Options:
    """Build options from parsed arguments; a progress bar only on a terminal and without --quiet."""
    show = sys.stderr.isatty() and not args.quiet
    return Options(args.config, args.out, args.drafts, args.clean, args.jobs,
                   ProgressBar(sys.stderr) if show else None, strict=args.strict,
                   search_index=getattr(args, "search_index", True))


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
    """Print errors and warnings, one per line, to standard error (in one write: a large site has many)."""
    sys.stderr.write("".join(f"{problem}\n" for problem in problems))
    sys.stderr.flush()


def run_build(args: argparse.Namespace) -> int:
    """`build`: write the site once."""
    from healthsite.writing.cache import printed_parts
    from healthsite.pipeline import build
    from healthsite.problems import BuildError
    try:
        report = build(options_from(args))
    except BuildError as exc:
        print_problems(exc.problems)
        count = sum(p.level == "error" for p in exc.problems)
        print(f"build failed: {count} error{'s' * (count != 1)}; the previous site was left as it was",
              file=sys.stderr)
        return 1
    print_problems(report.notices)
    for part in printed_parts(report.warnings):  # a build with nothing changed prints them as stored
        sys.stderr.write(part)
    sys.stderr.flush()
    if not args.quiet:
        shown = from_here(report.out)
        print(f"built {report.pages} pages ({report.files} files) in {report.seconds:.1f} s -> {shown}")
        if args.drafts:
            print(f"this is a preview with drafts: do not publish {shown}", file=sys.stderr)
    return 0


def run_check(args: argparse.Namespace) -> int:
    """`check`: validate without writing and print the editorial report (coloured only on a terminal)."""
    from healthsite.commands import report
    from healthsite.commands.selection import select
    selection, missing = select(args.paths, args.config.resolve().parent)
    if missing:
        print("".join(f"check: error: {message}\n" for message in missing), end="", file=sys.stderr)
        return 2
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return report.check(options_from(args), dt.date.today(), args.format, sys.stdout, sys.stderr, colour,
                        args.every, args.output, args.quiet, selection)


def run_new(args: argparse.Namespace) -> int:
    """`new`: write content/SLUG.md from the archetype and say what to do next."""
    from healthsite.commands import newpage
    from healthsite.reading.config import load_config
    root = args.config.resolve().parent
    config, problems = load_config(args.config, root)
    if args.lang or args.source or "/" in args.slug:
        return new_translation(args, root, config, problems)
    request = newpage.Request(args.slug, args.title, newpage.split_tags(args.tags))
    path, more = newpage.create(request, config, root, dt.date.today()) if config else (None, [])
    if path is None:
        print_problems(problems + more)
        return 1
    if not args.quiet:
        shown = from_here(path)
        print(f"created {shown} (a draft)\n"
              f"next: write it, then preview it with `python build.py serve` at "
              f"http://127.0.0.1:8000/{request.slug}/ and run `python build.py check`; delete `draft: true` "
              "when it is ready to publish")
    return 0


def run_init(args: argparse.Namespace) -> int:
    """`init`: a new site from the starter files (healthsite/commands/init.py)."""
    from healthsite.commands import init
    written, kept, problems = init.create(args.folder, args.force)
    print_problems(problems)
    if problems:
        return 1
    if not args.quiet:
        print("".join(f"kept {name} (it exists)\n" for name in kept) + init.next_steps(args.folder, bool(written)))
    return 0


def new_translation(args: argparse.Namespace, root: Path, config: object, problems: list[Problem]) -> int:
    """`new --lang CODE SLUG --from ENGLISH-SLUG` (or `new CODE/SLUG --from ...`): start a translation."""
    from healthsite.commands import newtranslation
    code, slug = newtranslation.split_code(args.slug, args.lang)
    path, more = newtranslation.create(root, config, code, slug, args.source, dt.date.today()) \
        if config else (None, [])
    if path is None:
        print_problems(problems + more)
        return 1
    if not args.quiet:
        shown = from_here(path)
        print(f"created {shown} (a draft translation of content/{Path(args.source).stem}.md)\n"
              f"next: translate every line marked TRANSLATE and each heading, then delete `draft: true` and run "
              f"`python build.py translated {code}/{slug}`")
    return 0


def run_translated(args: argparse.Namespace) -> int:
    """`translated`: record in a translation the version of the English article it now matches."""
    from healthsite.model import translations
    from healthsite.reading.config import load_config
    root = args.config.resolve().parent
    config, problems = load_config(args.config, root)
    path, more = translations.mark_current(root, config, args.page, args.config.name) if config else (None, [])
    if path is None:
        print_problems(problems + more)
        return 1
    if not args.quiet:
        print(f"marked {from_here(path)} current with its "
              "English article")
    return 0


def run_reviewed(args: argparse.Namespace) -> int:
    """`reviewed`: record in an article's front matter who reviewed it, when, and the digest of each section."""
    from healthsite.model.reviews import run
    return run(args, print_problems)


def run_sources(args: argparse.Namespace) -> int:
    """`sources [WORD]`: the bibliography's citation keys with short titles; exit 1 when none matches."""
    from healthsite.commands import writerlists
    from healthsite.reading.config import load_config
    root = args.config.resolve().parent
    config, problems = load_config(args.config, root)
    listing, more, found = writerlists.sources_listing(root, config, args.word) if config else ("", [], False)
    print_problems(problems + more)
    sys.stdout.write(listing)
    return 0 if found else 1


def run_cards(args: argparse.Namespace) -> int:
    """`cards`: the shared care cards with their level, languages and the articles that use them."""
    from healthsite.commands import writerlists
    from healthsite.reading.config import load_config
    root = args.config.resolve().parent
    config, problems = load_config(args.config, root)
    uses, more = writerlists.card_uses(root, config) if config else ([], [])
    print_problems(problems + more)
    if config is None:
        return 1
    sys.stdout.write(writerlists.cards_listing(uses))
    return 1 if any(p.level == "error" for p in more) else 0


def run_search(args: argparse.Namespace) -> int:
    """`search`: index the built site with Pagefind, replacing its previous index only once the new one is whole."""
    from healthsite.writing import search
    from healthsite.reading.config import load_config
    from healthsite.reading.files import read_source
    from healthsite.problems import shown_path
    root = args.config.resolve().parent
    shown = shown_path(args.config, root)
    config, problems = load_config(args.config, root)
    if config is None:
        print_problems(problems)
        return 1
    out = (args.out or root / config.output_dir).resolve()
    problems = search.index_built(out, config, shown, read_source(args.config, shown)[0] or "")
    print_problems(problems)
    if problems:
        return 1
    if not args.quiet:
        print(f"indexed {from_here(out)} for search "
              f"-> {search.FOLDER}/")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """`serve`: build, serve the site on --host/--port, rebuild on change and reload open pages."""
    from healthsite.serving import devserver
    return devserver.DevServer(options_from(args), args.host, args.port, args.quiet).serve_forever()


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"build": run_build, "check": run_check,
                                                            "serve": run_serve, "new": run_new,
                                                            "translated": run_translated, "search": run_search,
                                                             "init": run_init, "reviewed": run_reviewed,
                                                             "sources": run_sources, "cards": run_cards}


def main(argv: list[str] | None = None, prog: str = "build.py") -> int:
    """Run a command; exit status 0 on success, 1 on content errors, 2 on usage errors."""
    args = parser(prog).parse_args(with_command(sys.argv[1:] if argv is None else argv))
    from healthsite.commands.guard import guarded  # Ctrl-C: exit 130 with one line; an uncaught file-system error: one error line
    return guarded(COMMANDS[args.command or "build"], args, str(getattr(args, "config", "site.yaml")))


def console() -> int:
    """The `healthsite` console script: the same command line as `python build.py`."""
    from healthsite.commands.guard import leave
    leave(main(prog="healthsite"))
    return 0  # never reached: leave() ends the process
