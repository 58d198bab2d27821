"""The editorial report: an aligned table (coloured only on a terminal) or JSON, and `check`'s exit status."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from typing import Any, TextIO

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from healthsite.commands import dashboard, reportfile
from healthsite.review import editorial
from healthsite.model import readability
from healthsite.reading.config import HouseRules
from healthsite.review.editorial import Article, Editorial
from healthsite.reading.options import FORMATS  # noqa: F401  (the formats `check` writes)
from healthsite.pipeline import Options, validate
from healthsite.problems import CATEGORIES, BuildError, Problem
from healthsite.commands.selection import Selection, narrowed

COLOURS = {"red": "bold red", "yellow": "yellow", "bold": "bold"}
# Colour says how serious a flagged cell or heading is: safety and evidence red, the rest yellow.
CATEGORY_COLOUR = {"safety": "red", "evidence": "red", "readability": "yellow", "style": "yellow"}
HEADERS = ("article", "grade", "SMOG", "words", "long", "cites", "links", "inbound", "reach", "review", "due",
           "problems")
LEFT = frozenset({"article", "review", "due", "problems"})

Cell = tuple[str, str]


def check(options: Options, today: dt.date, fmt: str, out: TextIO, err: TextIO, colour: bool,
          every: bool = False, output: Path | None = None, quiet: bool = False,
          selection: Selection = Selection()) -> int:
    """`check`: validate without writing the site, print problems and the report; 1 on errors (or warnings if strict).

    `every` lists every article, not only those with problems; `output` writes the report (html: the dashboard)
    to a file instead of standard output; `quiet` prints only the problems (and no text report); `selection`
    reports only the named articles (the whole site is still validated). Everything but the line that says the
    check failed goes to `out`, so a redirect keeps the whole report.
    """
    try:
        site, report = validate(options, today)
    except BuildError as exc:
        if fmt == "html":
            return failed_dashboard(options, today, [p for p in exc.problems if selection.concerns(p)], out, err,
                                    output, quiet, selection)
        return failed([p for p in exc.problems if selection.concerns(p)], fmt, out, err, exc.problems)
    report = narrowed(report, selection)
    strict = options.strict
    problems = editorial.as_errors(report.warnings) if strict else list(report.warnings)
    if fmt == "text":
        print(grouped(problems, colour), end="", file=out)
    document = {"text": lambda: text(report, colour, every), "json": lambda: to_json(report, problems),
                "html": lambda: dashboard.render(report, site.config.title, (), links(site, report, options, output))
                }[fmt]()
    if output:
        if (refused := reportfile.write(output, document, fmt)) is not None:
            print(refused, file=err)
            return 1
        if not quiet:
            print(f"wrote {output}", file=out)
    elif not (quiet and fmt == "text"):
        print(document, file=out)
    if strict and problems:
        print(f"check failed: {plural(len(problems), 'warning')} treated as errors (--strict)", file=err)
    return 1 if strict and problems else 0


def links(site: Any, report: Editorial, options: Options, output: Path | None) -> dict[str, dashboard.Links]:
    """The dashboard's links of each article: its source (relative to the dashboard's folder) and its page."""
    where = output.resolve().parent if output else Path.cwd()
    return dashboard.article_links(site, options.config.resolve().parent, where, site.config.editor_url, report)


def failed_dashboard(options: Options, today: dt.date, problems: list[Problem], out: TextIO, err: TextIO,
                     output: Path | None, quiet: bool, selection: Selection) -> int:
    """The dashboard of a site that does not build: its errors first, then what could still be checked; exit 1."""
    from healthsite.commands.salvage import salvaged
    found = salvaged(options, today)
    if found:
        site, report = found
        report = narrowed(report, selection)
        page = dashboard.render(report, site.config.title, problems, links(site, report, options, output))
    else:
        page = dashboard.render(Editorial(today, HouseRules(), False, (), ()), "this site", problems)
    if output:
        output.write_text(page + "\n", encoding="utf-8")
        if not quiet:
            print(f"wrote {output}", file=out)
    else:
        print(page, file=out)
    out.flush()
    count = sum(p.level == "error" for p in problems)
    print(f"check failed: {plural(count, 'error')} (listed first on the dashboard)", file=err)
    return 1


def grouped(problems: list[Problem], colour: bool) -> str:
    """Problems in order of severity, under one heading per category ('safety: 2 warnings'); '' if none."""
    lines = []
    for category in CATEGORIES:
        found = [p for p in problems if p.category == category]
        if found:
            noun = "error" if found[0].level == "error" else "warning"
            lines.append(paint(f"{category}: {plural(len(found), noun)}", CATEGORY_COLOUR[category], colour))
            lines += map(str, found)
    return "".join(line + "\n" for line in lines)


def failed(problems: list[Problem], fmt: str, out: TextIO, err: TextIO, every: list[Problem] | None = None) -> int:
    """Report a site that does not build: its errors (and warnings) on `out`, the failure line on `err`; exit 1.

    `every` is all the site's problems when `problems` are only those of the named articles.
    """
    if fmt == "json":
        print(to_json(None, problems), file=out)
        return 1
    for problem in problems:
        print(problem, file=out)
    out.flush()
    count = sum(p.level == "error" for p in problems)
    hidden = sum(p.level == "error" for p in every or problems) - count
    found = [plural(count, "error")] * bool(count or not hidden) + \
        [f"{plural(hidden, 'error')} in other files (run check without paths to see them)"] * bool(hidden)
    print(f"check failed: {' and '.join(found)}", file=err)
    return 1


def plural(count: int, noun: str) -> str:
    """'1 warning', '2 warnings'."""
    return f"{count} {noun}{'s' * (count != 1)}"


def text(report: Editorial, colour: bool, every: bool = False) -> str:
    """The report for a terminal: the ranked table (articles with problems, or `every` one), a legend, a summary."""
    rules = report.thresholds
    shown = [a for a in report.articles if every or a.problems]
    scores = "; ".join(editorial.legend(r) for r in (rules, *report.editions))
    legend = (f"grade: {scores}; "
              f"SMOG: SMOG grade (an English formula: - for other languages); long: sentences over {rules.max_sentence_words} words\n"
              f"cites: sources cited (at least {rules.min_citations}); links: other articles linked in the text "
              f"(at least {rules.min_cross_links}); inbound: articles that link to it in their text or list it in related; "
              f"reach: articles that show it in their Read More cards")
    if shown:
        listing = table([row(a, rules, report.require_review) for a in shown], colour)
    else:
        listing = f"no article has a problem ({plural(len(report.articles), 'article')} checked; --all lists them)"
    return "\n".join([listing, "", legend, "", summary(report)])


def row(article: Article, rules: HouseRules, require_review: bool = False) -> list[Cell]:
    """One article's cells, a cell coloured only when it breaks a house rule (by the rule's severity)."""
    stats, review = article.stats, article.review
    def flag(broken: bool, category: str) -> str:
        return CATEGORY_COLOUR[category] if broken else ""
    grade_hue = {"pass": "", "warn": "yellow", "hard": "red"}[article.readability]
    flagged = {"overdue": "red", "changed": "red", "due soon": "yellow", "not reviewed": "red" if require_review else ""}
    review_hue = flagged.get(review.status, "")
    counts = [f"{article.count(c)} {c}" for c in CATEGORIES if article.count(c)]
    mark = f" {readability.short(stats.formula)}" if readability.is_ease(stats.formula) else ""
    return [(article.slug, ""), (f"{stats.grade:.1f}{mark}", grade_hue), (f"{stats.smog:.1f}" if stats.shown_smog is not None else "-", ""),
            (str(stats.words), flag(stats.words < rules.min_words, "style")),
            (str(article.long_sentences), flag(article.long_sentences > 0, "readability")),
            (str(article.citations), flag(article.citations < rules.min_citations, "evidence")),
            (str(article.cross_links), flag(article.cross_links < rules.min_cross_links, "style")),
            (str(article.inbound), flag(not article.inbound, "style")),
            (str(article.reach), flag(not article.reach, "style")),
            (review.status, review_hue), (str(review.next_review_due or "-"), review_hue),
            (", ".join(counts) or "-", "")]


def table(rows: list[list[Cell]], colour: bool) -> str:
    """Rows under the headers, columns as wide as their widest cell (text left, numbers right), two spaces apart."""
    grid = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold" if colour else "")
    for name in HEADERS:
        grid.add_column(name, justify="left" if name in LEFT else "right", no_wrap=True)
    for cells in rows:
        grid.add_row(*(Text(value, style=COLOURS[hue] if hue else "") for value, hue in cells))
    return printed(grid, colour)


def paint(value: str, hue: str, colour: bool) -> str:
    """A line in a colour, when colour is on and the line has one."""
    return printed(Text(value, style=COLOURS[hue] if hue else ""), colour)


def printed(renderable: Table | Text, colour: bool) -> str:
    """What rich prints for a table or text (ANSI colour only if `colour`), without trailing spaces."""
    console = Console(file=io.StringIO(), force_terminal=colour, no_color=not colour, highlight=False,
                      color_system="standard" if colour else None, width=10_000, soft_wrap=False)
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())


def summary(report: Editorial) -> str:
    """One line: readability and review counts, and the warnings by category, most serious first."""
    def count(values: list[str], names: tuple[str, ...]) -> str:
        return ", ".join(f"{values.count(name)} {name}" for name in names)
    grades = count([a.readability for a in report.articles], ("pass", "warn", "hard"))
    statuses = [a.review.status for a in report.articles]
    reviews = count(statuses, ("reviewed", "due soon", "overdue", "not reviewed"))
    reviews += f", {statuses.count('changed')} changed since review" if "changed" in statuses else ""
    problems = count([p.category for p in report.warnings], CATEGORIES)
    return (f"{plural(len(report.articles), 'article')} on {report.today}: readability {grades}; "
            f"reviews {reviews}; {plural(len(report.warnings), 'warning')} ({problems})")


def to_json(report: Editorial | None, problems: list[Problem]) -> str:
    """The report as JSON: problems by level (most serious first), thresholds, every article ranked (none if it failed)."""
    data: dict[str, Any] = {"ok": not any(p.level == "error" for p in problems)}
    if report:
        data["today"] = report.today.isoformat()
        data["thresholds"] = {**dataclasses.asdict(report.thresholds), "require_review": report.require_review,
                              "due_soon_days": editorial.DUE_SOON.days}
    data["categories"] = list(CATEGORIES)
    data["errors"] = [problem_json(p) for p in problems if p.level == "error"]
    data["warnings"] = [problem_json(p) for p in problems if p.level == "warning"]
    data["articles"] = [article_json(a) for a in report.articles] if report else []
    return json.dumps(data, indent=2, ensure_ascii=False)


def problem_json(problem: Problem) -> dict[str, Any]:
    """One problem as a JSON object."""
    return {"path": problem.path, "line": problem.line, "level": problem.level, "category": problem.category,
            "message": problem.message}


def article_json(article: Article) -> dict[str, Any]:
    """One article's row as a JSON object (dates as YYYY-MM-DD or null)."""
    review = article.review
    stats = article.stats
    return {"slug": article.slug, "source": article.source, "title": article.title, "grade": stats.grade,
            "formula": stats.formula,
            "smog": stats.shown_smog, "words": stats.words, "sentences": stats.sentences,
            "long_sentences": article.long_sentences, "readability": article.readability,
            "citations": article.citations, "cross_links": article.cross_links, "inbound": article.inbound,
            "reach": article.reach,
            "sections": [{"title": t, "line": line, "grade": g}
                         for (t, line, _), g in zip(article.sections, stats.sections)],
            "problems": {c: article.count(c) for c in CATEGORIES},
            "review": {"status": review.status, "reviewed_by": review.reviewed_by or None,
                       "last_reviewed": _date(review.last_reviewed),
                       "next_review_due": _date(review.next_review_due)}}


def _date(value: dt.date | None) -> str | None:
    """A date as YYYY-MM-DD, or None."""
    return value.isoformat() if value else None
