"""The editorial dashboard: the `check` report as one self-contained HTML page for editors (never published).

The plots are inline SVG laid out here (positions in pixels) and drawn by the template; they read without
JavaScript, and every number they show is also in the table.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from urllib.parse import quote

import jinja2

from healthsite.review import editorial
from healthsite.model import readability
from healthsite.review.editorial import Article, Editorial
from healthsite.problems import CATEGORIES, Problem

if TYPE_CHECKING:
    from healthsite.model.site import Site

WIDTH = 380         # px: a plot's width (it scales down on narrow screens)
MARGIN = 8          # px on either side of the plotted values
ROW = 34            # px per article: its label line, then its bar or dot
BOTTOM = 30         # px below the last row, for the axis
STATUS_CLASS = {"reviewed": "ok", "due soon": "soon", "overdue": "bad", "not reviewed": "none", "changed": "bad"}


@dataclass(frozen=True)
class Bar:
    """One article's row in a plot: its label line (name and value), where its bar ends, its kind."""

    label: str
    y: int
    end: float
    kind: str


@dataclass(frozen=True)
class Tick:
    """A labelled position on a plot: an axis tick, or a marked line with its label's height and anchor."""

    x: float
    text: str
    y: int = 0
    anchor: str = "middle"


@dataclass(frozen=True)
class Plot:
    """A plot's height, where its rows start, its rows, axis ticks, marked lines and shaded bands."""

    height: int
    top: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    marks: tuple[Tick, ...] = ()
    bands: tuple[tuple[float, float, str], ...] = ()
    width: int = WIDTH


def scale(low: float, high: float) -> "functools.partial[float]":
    """A function from values in [low, high] to x positions of the plot area."""
    return functools.partial(_position, low, max(high, low + 1e-9))


def _position(low: float, high: float, value: float) -> float:
    """The x position of one value."""
    return round(MARGIN + (WIDTH - 2 * MARGIN) * (min(max(value, low), high) - low) / (high - low), 1)


def plot(bars: list[tuple[str, float, str]], ticks: tuple[Tick, ...], marks: list[tuple[float, str]],
         bands: tuple[tuple[float, float, str], ...] = ()) -> Plot:
    """Lay a plot out: one label line per mark above the rows (anchored to stay inside), then a row per bar."""
    placed = tuple(Tick(x, text, 12 + 14 * i, "start" if x + 8 + 7 * len(text) < WIDTH else "end")
                   for i, (x, text) in enumerate(marks))
    top = 14 + 14 * len(marks)
    rows = tuple(Bar(label, top + i * ROW, end, kind) for i, (label, end, kind) in enumerate(bars))
    return Plot(top + ROW * max(len(rows), 1) + BOTTOM, top, rows, ticks, placed, bands)


def grade_plot(report: Editorial) -> Plot:
    """Reading grade per article, against the target band (at or below pass_grade) and the hard line."""
    rules = report.thresholds
    graded = [a for a in report.articles if a.stats.formula == rules.readability]  # one scale per plot
    top = max([rules.warn_grade + 2, *(a.stats.grade + 1 for a in graded)])
    x = scale(0, top)
    bars = [(f"{a.slug}: {a.stats.grade:.1f}" + ("" if a.readability == "pass" else f" ({a.readability})"),
             x(a.stats.grade), a.readability) for a in graded]
    bands = ((x(0), x(rules.pass_grade), "target"), (x(rules.pass_grade), x(rules.warn_grade), "warn"))
    return plot(bars, tuple(Tick(x(g), str(g)) for g in range(0, int(top) + 1, 2)),
                [(x(rules.pass_grade), f"target {rules.pass_grade:g}"), (x(rules.warn_grade),
                                                                        f"hard above {rules.warn_grade:g}")], bands)


def citation_plot(report: Editorial) -> Plot:
    """Sources cited per article, against the house rule's minimum."""
    rules = report.thresholds
    top = max([rules.min_citations + 2, *(a.citations + 1 for a in report.articles)])
    x = scale(0, top)
    bars = [(f"{a.slug}: {a.citations}" + (" (too few)" if a.citations < rules.min_citations else ""),
             x(a.citations), "bad" if a.citations < rules.min_citations else "ok") for a in report.articles]
    step = max(1, -(-top // 8))
    return plot(bars, tuple(Tick(x(n), str(n)) for n in range(0, top + 1, step)),
                [(x(rules.min_citations), f"at least {rules.min_citations}")])


def review_plot(report: Editorial) -> Plot:
    """Next review dates on a timeline with today marked; articles without a date are left out (and counted)."""
    dated = sorted((a for a in report.articles if a.review.next_review_due),
                   key=lambda a: (a.review.next_review_due, a.slug))
    days = [a.review.next_review_due for a in dated] + [report.today]
    start = min(days) - dt.timedelta(days=20)
    end = max(max(days), report.today + dt.timedelta(days=90)) + dt.timedelta(days=20)
    x = scale(start.toordinal(), end.toordinal())
    bars = [(f"{a.slug}: {a.review.next_review_due:%d %b %Y}, {a.review.status}",
             x(a.review.next_review_due.toordinal()), STATUS_CLASS[a.review.status]) for a in dated]
    return plot(bars, month_ticks(start, end, x), [(x(report.today.toordinal()), f"today, {report.today:%d %b %Y}")])


def month_ticks(start: dt.date, end: dt.date, x: "functools.partial[float]") -> tuple[Tick, ...]:
    """Ticks on the first day of months between two dates, at most about four of them (labels need room)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    step = max(1, -(-months // 4))
    ticks, index = [], start.year * 12 + start.month  # the month after start, counted from year 0
    while (day := dt.date(index // 12, index % 12 + 1, 1)) <= end:
        ticks.append(Tick(x(day.toordinal()), f"{day:%b %Y}"))
        index += step
    return tuple(ticks)


def problem_counts(article: Article) -> str:
    """'1 safety, 2 style', or 'none'."""
    return ", ".join(f"{article.count(c)} {c}" for c in CATEGORIES if article.count(c)) or "none"


@functools.cache
def environment() -> jinja2.Environment:
    """The dashboard's own Jinja environment (its template ships with the package, not the site's theme)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["problems"] = problem_counts
    env.filters["num"] = lambda value: f"{value:g}"
    return env


@dataclass(frozen=True)
class Links:
    """Where an article's row leads: its source file (a relative file link or the editor's URL) and its page."""

    source: str
    page: str


@dataclass(frozen=True)
class Score:
    """One readability column: its formula, heading, what its target is, and which way is easier."""

    formula: str
    heading: str
    target: str
    ease: bool


def article_links(site: Site, root: Path, where: Path, editor_url: str, report: Editorial) -> dict[str, Links]:
    """Each article's links, by its source path: the file (relative to the dashboard's folder `where`, or through
    site.yaml's `editor_url` pattern at its first problem's line) and its published page."""
    first = {a.source: min((p.line for p in a.problems), default=1) for a in report.articles}
    links = {}
    for edition in (site, *site.editions):
        for slug, page in edition.pages.items():
            path = (root / page.source).resolve()
            if editor_url:
                href = editor_url.replace("{path}", quote(path.as_posix())).replace(
                    "{line}", str(first.get(page.source, 1)))
            else:
                href = quote(Path(os.path.relpath(path, where.resolve())).as_posix())
            links[page.source] = Links(href, edition.config.absolute(edition.url(slug)))
    return links


def scores(report: Editorial) -> list[Score]:
    """One column per readability formula the articles are scored by, in the order of the house rules."""
    used = {a.stats.formula for a in report.articles}
    columns = []
    for rules in (report.thresholds, *report.editions):
        formula = rules.readability
        if formula in used and formula not in [c.formula for c in columns]:
            name = readability.FORMULAS[formula][2]
            ease = readability.is_ease(formula)
            target = f"target {rules.pass_ease:g} or more; higher is easier" if ease else \
                f"target {rules.pass_grade:g} or less; lower is easier"
            columns.append(Score(formula, name, target, ease))
    return columns


def unreviewed(report: Editorial) -> list[Article]:
    """Articles not yet medically reviewed that no warning counts already (without require_review)."""
    return [] if report.require_review else [a for a in report.articles if a.review.status == "not reviewed"]


def render(report: Editorial, title: str, errors: Iterable[Problem] = (), links: dict[str, Links] | None = None
           ) -> str:
    """The dashboard page of a site's editorial report: its errors first (a site that does not build), then the
    problems by category (unreviewed articles under safety), the table and the plots."""
    problems = {c: [p for p in report.warnings if p.category == c] for c in CATEGORIES}
    waiting = unreviewed(report)
    counts = {c: len(problems[c]) + (len(waiting) if c == "safety" else 0) for c in CATEGORIES}
    return environment().get_template("dashboard.html").render(
        errors=[p for p in errors if p.level == "error"], links=links or {}, unreviewed=waiting, counts=counts,
        scores=scores(report),
        report=report, title=title, rules=report.thresholds, problems=problems, categories=CATEGORIES,
        grades=grade_plot(report), citations=citation_plot(report), reviews=review_plot(report), row=ROW,
        margin=MARGIN, status_class=STATUS_CLASS,
        undated=sum(not a.review.next_review_due for a in report.articles),
        formula_mark=lambda a: f" {readability.short(a.stats.formula)}" if readability.is_ease(a.stats.formula) else "",
        other_scores=[editorial.legend(r) for r in report.editions])
