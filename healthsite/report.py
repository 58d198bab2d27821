"""The editorial report: an aligned table (coloured only on a terminal) or JSON, and `check`'s exit status."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, TextIO

from . import editorial
from .editorial import Article, Editorial
from .pipeline import Options, validate
from .problems import BuildError, Problem

COLOURS = {"green": "32", "yellow": "33", "red": "1;31", "bold": "1"}
HEADERS = ("article", "grade", "SMOG", "words", "long", "cites", "inbound", "review", "due")
LEFT = frozenset({"article", "review", "due"})
GRADE_COLOUR = {"pass": "green", "warn": "yellow", "hard": "red"}
REVIEW_COLOUR = {"reviewed": "green", "due soon": "yellow", "overdue": "red", "not reviewed": "yellow"}

Cell = tuple[str, str]


def check(options: Options, today: dt.date, fmt: str, out: TextIO, err: TextIO, colour: bool) -> int:
    """`check`: validate without writing, print problems and the report; 1 on errors (or warnings if strict)."""
    try:
        _, report = validate(options, today)
    except BuildError as exc:
        return failed(exc.problems, fmt, out, err)
    strict = options.strict
    problems = editorial.as_errors(report.warnings) if strict else list(report.warnings)
    if fmt == "json":
        print(to_json(report, problems), file=out)
    else:
        for problem in problems:
            print(problem, file=err)
        err.flush()
        print(text(report, colour), file=out)
        if strict and problems:
            print(f"check failed: {plural(len(problems), 'warning')} treated as errors (--strict)", file=err)
    return 1 if strict and problems else 0


def failed(problems: list[Problem], fmt: str, out: TextIO, err: TextIO) -> int:
    """Report a site that does not build: its errors (and warnings), exit status 1."""
    if fmt == "json":
        print(to_json(None, problems), file=out)
        return 1
    for problem in problems:
        print(problem, file=err)
    count = sum(p.level == "error" for p in problems)
    print(f"check failed: {plural(count, 'error')}", file=err)
    return 1


def plural(count: int, noun: str) -> str:
    """'1 warning', '2 warnings'."""
    return f"{count} {noun}{'s' * (count != 1)}"


def text(report: Editorial, colour: bool) -> str:
    """The report for a terminal: the table, a legend and a summary."""
    limits = report.thresholds
    legend = (f"grade: Flesch-Kincaid grade (pass <= {limits.pass_grade:g}, warn <= {limits.warn_grade:g}); "
              f"SMOG: SMOG grade; long: sentences over {limits.long_sentence_words} words\n"
              "cites: sources cited; inbound: articles that link to it or list it in related")
    return "\n".join([table([row(a) for a in report.articles], colour), "", legend, "", summary(report)])


def row(article: Article) -> list[Cell]:
    """One article's cells, each with the colour that flags it ('' for none)."""
    stats, review = article.stats, article.review
    return [(article.slug, ""), (f"{stats.grade:.1f}", GRADE_COLOUR[article.readability]),
            (f"{stats.smog:.1f}", ""),
            (str(stats.words), ""), (str(article.long_sentences), ""),
            (str(article.citations), "" if article.citations else "red"),
            (str(article.inbound), "" if article.inbound else "red"),
            (review.status, REVIEW_COLOUR[review.status]), (str(review.next_review_due or "-"), "")]


def table(rows: list[list[Cell]], colour: bool) -> str:
    """Rows under the headers, columns padded to their widest cell (text left, numbers right)."""
    header = [(name, "bold") for name in HEADERS]
    widths = [max(len(cells[i][0]) for cells in [header, *rows]) for i in range(len(HEADERS))]
    lines = []
    for cells in [header, *rows]:
        padded = [pad(paint(value, hue, colour), width - len(value), name in LEFT)
                  for (value, hue), width, name in zip(cells, widths, HEADERS)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def pad(cell: str, spaces: int, left: bool) -> str:
    """A cell padded to its column (outside any colour codes): on the right for text, on the left for numbers."""
    return cell + " " * spaces if left else " " * spaces + cell


def paint(value: str, hue: str, colour: bool) -> str:
    """A cell wrapped in an ANSI colour, when colour is on and the cell has one."""
    return f"\033[{COLOURS[hue]}m{value}\033[0m" if colour and hue else value


def summary(report: Editorial) -> str:
    """One line: how many articles pass, warn or are hard to read, where reviews stand, how many warnings."""
    def count(values: list[str], names: tuple[str, ...]) -> str:
        return ", ".join(f"{values.count(name)} {name}" for name in names)
    grades = count([a.readability for a in report.articles], ("pass", "warn", "hard"))
    reviews = count([a.review.status for a in report.articles], tuple(REVIEW_COLOUR))
    return (f"{plural(len(report.articles), 'article')} on {report.today}: readability {grades}; "
            f"reviews {reviews}; {plural(len(report.warnings), 'warning')}")


def to_json(report: Editorial | None, problems: list[Problem]) -> str:
    """The report as JSON: problems by level, thresholds and one object per article (none if it failed)."""
    data: dict[str, Any] = {"ok": not any(p.level == "error" for p in problems)}
    if report:
        data["today"] = report.today.isoformat()
        data["thresholds"] = {**dataclasses.asdict(report.thresholds), "require_review": report.require_review,
                              "due_soon_days": editorial.DUE_SOON.days}
    data["errors"] = [problem_json(p) for p in problems if p.level == "error"]
    data["warnings"] = [problem_json(p) for p in problems if p.level == "warning"]
    data["articles"] = [article_json(a) for a in report.articles] if report else []
    return json.dumps(data, indent=2, ensure_ascii=False)


def problem_json(problem: Problem) -> dict[str, Any]:
    """One problem as a JSON object."""
    return {"path": problem.path, "line": problem.line, "level": problem.level, "message": problem.message}


def article_json(article: Article) -> dict[str, Any]:
    """One article's row as a JSON object (dates as YYYY-MM-DD or null)."""
    review = article.review
    stats = article.stats
    return {"slug": article.slug, "source": article.source, "title": article.title, "grade": stats.grade,
            "smog": stats.smog, "words": stats.words, "sentences": stats.sentences,
            "long_sentences": article.long_sentences, "readability": article.readability,
            "citations": article.citations, "inbound": article.inbound,
            "review": {"status": review.status, "reviewed_by": review.reviewed_by or None,
                       "last_reviewed": _date(review.last_reviewed),
                       "next_review_due": _date(review.next_review_due)}}


def _date(value: dt.date | None) -> str | None:
    """A date as YYYY-MM-DD, or None."""
    return value.isoformat() if value else None
