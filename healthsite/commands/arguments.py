"""The command line's arguments: every command, its options, its help and examples."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Iterable

from healthsite import __version__
from healthsite.reading.options import FORMATS

EXAMPLES = {
    "build": """examples:
  python build.py                      build the site into output_dir of site.yaml (_site/)
  python build.py --out /tmp/site -q   build elsewhere, printing only problems
  python build.py --strict             fail (exit 1) on any warning, e.g. before publishing
  python build.py --drafts             a preview with drafts in _preview/ (never publish it)
  python build.py --no-search          leave out the search index (a very large site: index it with `search`)""",
    "serve": """examples:
  python build.py serve                preview at http://127.0.0.1:8000/, rebuilt on every save
  python build.py serve --port 0       use any free port""",
    "check": """examples:
  python build.py check                problems, most serious first, and the articles that have them
  python build.py check content/knee-pain-in-runners.md
                                       only that article's problems (the whole site is still checked)
  python build.py check content/es/    only the Spanish articles
  python build.py check > report.txt   keep the whole report in a file
  python build.py check --all          every article, problems or not
  python build.py check --format json  the same report for other tools
  python build.py check --format html --output dashboard.html
                                       the editorial dashboard: one page, works offline""",
    "search": """examples:
  python build.py --no-search && python build.py search
                                       build, then index the built site for search as a separate step
  python build.py search --out /tmp/site
                                       index the site built into /tmp/site""",
    "new": """examples:
  python build.py new knee-pain-in-runners
  python build.py new knee-pain-in-runners --title "Knee pain in runners" --tags running,exercise
  python build.py new --lang es dolor-de-rodilla --from knee-pain-in-runners
                                       start the Spanish translation of an English article
                                       (also: python build.py new es/dolor-de-rodilla --from ...)""",
    "sources": """examples:
  python build.py sources              every citation key of the bibliography with a short title
  python build.py sources sciatica     only the sources whose key, citation or topics mention sciatica""",
    "cards": """examples:
  python build.py cards                the shared care cards: level, languages and the articles that use them""",
    "init": """examples:
  python build.py init mysite          start a new site in mysite/ (a new or empty folder), then: cd mysite
  python build.py init . --force       add the starter files to this folder (existing files are kept)""",
    "translated": """examples:
  python build.py translated es/dolor-lumbar-despues-de-correr
                                       mark a translation current with its English article""",
    "reviewed": """examples:
  python build.py reviewed lower-back-pain-after-running --by jo-rivera --date 2026-12-01
                                       record a medical review: who, when, each section's digest""",
}
VALUE_OPTIONS = frozenset({"--config", "--out", "--jobs", "--format", "--output", "--host", "--port", "--title",
                           "--tags", "--by", "--date"})


def common() -> argparse.ArgumentParser:
    """The options every command takes."""
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="FILE",
                    help="site configuration file (default: site.yaml)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return ap


def site_options() -> argparse.ArgumentParser:
    """The options of the commands that read the whole site (build, serve, check)."""
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: output_dir of site.yaml)")
    ap.add_argument("--drafts", action="store_true",
                    help="build a preview with draft articles (marked 'Draft') into _preview/ or --out, never "
                         "into output_dir; serve always shows drafts")
    ap.add_argument("--clean", action="store_true", help="ignore the build cache and render everything")
    ap.add_argument("--jobs", type=_positive, default=0, metavar="N",
                    help="processes to render with (default: the number of cores)")
    ap.add_argument("--strict", action="store_true", help="warnings fail the build or check (exit status 1)")
    return ap


HELPS = {"build": "write the site, drafts left out (the default command)", "serve": "build, serve and rebuild on every save",
         "check": "validate and print the editorial report, most serious problems first",
         "search": "build the search index of the site already built, in place",
         "new": "start an article from templates/archetypes/article.md",
         "sources": "list the citation keys of the bibliography (those matching WORD) with short titles",
         "cards": "list the shared care cards with their level, languages and the articles that use them",
         "init": "start a new site that builds at once: site.yaml, an example article, shared care cards, sources",
         "translated": "mark a translation as current with the English article it translates",
         "reviewed": "record a medical review of an article: who, when and what text it covered"}


def examples(names: Iterable[str], prog: str) -> str:
    """The examples of some commands, written for the way the command line was started."""
    text = "\n\n".join(EXAMPLES[name] for name in names)
    return text if prog == "build.py" else text.replace("python build.py", prog)


def parser(prog: str = "build.py") -> argparse.ArgumentParser:
    """The argument parser: one command (build by default), each with its options and examples."""
    raw = argparse.RawDescriptionHelpFormatter
    ap = argparse.ArgumentParser(prog=prog, description="Build, preview and check a healthsite static site, or "
                                 "start a new article. Without a command: build, with the options below.",
                                 parents=[common(), site_options()], formatter_class=raw,
                                 epilog=examples(EXAMPLES, prog) + f"\n\nhelp on one command: {prog} COMMAND --help")
    commands = ap.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub = {name: commands.add_parser(name, parents=[common()] + [site_options()] * (name not in ("new", "translated", "search",
                                                                                                   "init", "reviewed", "sources", "cards")),
                                     help=help_,
                                     description=help_.capitalize() + ".", epilog=examples([name], prog),
                                     formatter_class=raw)
           for name, help_ in HELPS.items()}
    sub["build"].add_argument("--no-search", action="store_false", dest="search_index",
                              help="build the search page but not its index (run `search` afterwards)")
    sub["search"].add_argument("--out", type=Path, metavar="DIR",
                               help="the built site (default: output_dir of site.yaml)")
    sub["check"].add_argument("--format", choices=FORMATS, default="text",
                              help="text (default): problems and a table; json: for other tools; html: the "
                                   "editorial dashboard")
    sub["check"].add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE")
    sub["check"].add_argument("paths", nargs="*", type=Path, metavar="PATH",
                              help="report only these articles (files, or folders of them); default: all")
    sub["check"].add_argument("--all", action="store_true", dest="every",
                              help="list every article, not only those with problems")
    sub["serve"].add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    sub["serve"].add_argument("--port", type=_port, default=8000, help="port to listen on (0: any free one)")
    sub["new"].add_argument("slug", metavar="SLUG", help="the article's file and URL name, e.g. knee-pain-in-runners")
    sub["new"].add_argument("--title", default="", help="the article's title (default: from the slug)")
    sub["new"].add_argument("--lang", default="", metavar="CODE",
                            help="start a translation into a language of site.yaml (content/CODE/SLUG.md)")
    sub["new"].add_argument("--from", default="", dest="source", metavar="ENGLISH-SLUG",
                            help="with --lang: the English article it translates")
    sub["new"].add_argument("--tags", nargs="+", default=[], metavar="TOPIC",
                            help="topic tags from site.yaml, e.g. --tags running exercise (or running,exercise)")
    sub["init"].add_argument("folder", type=Path, metavar="DIR", help="the new site's folder (created if missing)")
    sub["init"].add_argument("--force", action="store_true",
                             help="use a folder that is not empty: add the starter files, never overwriting one")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub["reviewed"].add_argument("page", metavar="SLUG", help="the article, e.g. lower-back-pain-after-running "
                                 "(CODE/SLUG for a translation)")
    sub["reviewed"].add_argument("--by", required=True, metavar="KEY", help="the reviewer: a file of content/people/ "
                                 "without .md, with credentials")
    sub["reviewed"].add_argument("--date", type=_day, default=None, metavar="YYYY-MM-DD",
                                 help="the day of the review (default: today)")
    sub["sources"].add_argument("word", nargs="?", default="", metavar="WORD",
                                help="show only sources whose key, citation or topics contain WORD (any case)")
    sub["translated"].add_argument("page", metavar="CODE/SLUG", help="the translation, e.g. es/dolor-lumbar "
                                   "(its file content/CODE/SLUG.md gets `translated_from:`, nothing else changes)")
    return ap


def with_command(argv: list[str]) -> list[str]:
    """The arguments with the command first: `build` when none is given, moved up when options come first."""
    for index, arg in enumerate(argv):
        if arg in EXAMPLES and (index == 0 or argv[index - 1] not in VALUE_OPTIONS):
            return [arg, *argv[:index], *argv[index + 1:]]
        if arg in ("-h", "--help", "--version"):
            return argv
    return ["build", *argv]


def _positive(text: str) -> int:
    """A whole number of at least 1, for --jobs."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got '{text}'")
    return int(text)


def _day(text: str) -> dt.date:
    """A --date value: a real date as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _port(text: str) -> int:
    """A TCP port for --port, checked by the server's own rule (its module loaded only when the option is given)."""
    from healthsite.serving.serve import port_number
    return port_number(text)
