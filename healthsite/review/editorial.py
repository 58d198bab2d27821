"""The editorial report: one row per article (readability, review, evidence, links) and every warning, ranked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal, Mapping

from healthsite.reading.config import HouseRules
from healthsite.reading.content import Page
from healthsite.review.housewarnings import Grade, article_warnings, grade, safety_warnings, sentence_warnings
from healthsite.mdext.markup import Body
from healthsite.problems import CATEGORIES, Category, Problem, as_error, ranked, sharing_text
from healthsite.model.readability import FORMULAS, TextStats, is_ease, measure, short
from healthsite.model.site import Site

DUE_SOON = dt.timedelta(days=30)

Status = Literal["reviewed", "due soon", "overdue", "not reviewed", "changed"]  # changed: since its review


@dataclass(frozen=True)
class Review:
    """Where an article stands in its medical-review cycle."""

    status: Status
    reviewed_by: str
    last_reviewed: dt.date | None
    next_review_due: dt.date | None


@dataclass(frozen=True)
class Article:
    """One row of the report, with the article's warnings."""

    slug: str
    source: str
    title: str
    stats: TextStats
    readability: Grade
    long_sentences: int
    citations: int
    review: Review
    inbound: int
    cross_links: int = 0
    sections: tuple[tuple[str, int, int], ...] = ()  # each h2: title, file line, first prose paragraph
    problems: tuple[Problem, ...] = ()
    reach: int = 0  # other articles that show it in their Read More cards

    def count(self, category: Category) -> int:
        """How many of the article's warnings are in a category."""
        return sum(p.category == category for p in self.problems)

    def rank(self) -> tuple[int, ...]:
        """Sort key, most serious first: problems per category in order of severity, then none."""
        return tuple(-self.count(category) for category in CATEGORIES)


@dataclass(frozen=True)
class Editorial:
    """The editorial report of a site on a given day: its rows (most serious first) and every warning."""

    today: dt.date
    thresholds: HouseRules
    require_review: bool
    articles: tuple[Article, ...]
    warnings: tuple[Problem, ...]
    editions: tuple[HouseRules, ...] = ()  # the other house rules of translated editions (their formulas)


def review(site: Site, today: dt.date, measured: Mapping[str, TextStats] | None = None,
           also: Iterable[Problem] = ()) -> Editorial:
    """Check every article of a built site against its editorial gates; `measured` may hold known TextStats, `also`
    warnings found elsewhere (ranked with these, once)."""
    from healthsite.model.reach import reach, unreached
    inbound, shown = inbound_articles(site), reach(site)
    rules = site.config.editorial
    articles: list[Article] = []
    problems: list[Problem] = []
    texts: dict[str, str] = {}  # each warning's text held once as the articles are reviewed
    for slug, page in site.pages.items():
        body = site.bodies[slug]
        stats = (measured or {}).get(slug) or measure(body.prose, body.sections, rules.readability)
        article = Article(slug, page.source, page.meta.title, stats, grade(stats.grade, rules),
                          stats.long(rules.max_sentence_words), len(body.citations),
                          review_of(page, today, slug in (site.extras.stale if site.extras else ())),
                          len(inbound[slug]), len(cross_links(page, body)), body.sections, reach=shown[slug])
        articles.append(article)
        found = (article_warnings(article, page, body, site.config) + safety_warnings(page, body, site.config)
                 + sentence_warnings(page, body, stats, rules))
        problems += sharing_text(found, texts)
    return including(Editorial(today, rules, site.config.require_review, tuple(articles), ()),
                     [*problems, *unreached(site, shown), *also])


def merged(report: Editorial, other: Editorial) -> Editorial:
    """Two editions' reports as one: every article and every warning, and the other edition's house rules."""
    rules = report.editions + ((other.thresholds,) if other.thresholds not in (report.thresholds, *report.editions)
                               else ())
    return including(dataclasses.replace(report, articles=report.articles + other.articles, editions=rules),
                     other.warnings)


def legend(rules: HouseRules) -> str:
    """What a report's readability score means under some house rules."""
    name = FORMULAS[rules.readability][2]
    if is_ease(rules.readability):
        return f"{short(rules.readability)}: {name}, reading ease, higher is easier (target {rules.pass_ease:g} or more, hard below " \
               f"{rules.warn_ease:g})"
    return f"{name} (target {rules.pass_grade:g}, hard above {rules.warn_grade:g})"


def including(report: Editorial, problems: Iterable[Problem]) -> Editorial:
    """The report with more warnings: each added to its article's row (by path), rows and warnings ranked again."""
    warnings = ranked(set(report.warnings) | set(problems))
    by_path: dict[str, list[Problem]] = {}
    for problem in warnings:
        by_path.setdefault(problem.path, []).append(problem)
    rows = [dataclasses.replace(a, problems=tuple(by_path.get(a.source, ()))) for a in report.articles]
    return dataclasses.replace(report, articles=tuple(sorted(rows, key=lambda a: (a.rank(), a.slug))),
                               warnings=tuple(warnings))


def as_errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems with every warning turned into an error (`--strict`)."""
    return [as_error(p) for p in problems]


def review_of(page: Page, today: dt.date, changed: bool = False) -> Review:
    """An article's review status on a given day (`changed`: edited since its recorded review)."""
    meta = page.meta
    due = meta.next_review_due
    if changed:
        status: Status = "changed"
    elif due and due < today:
        status = "overdue"
    elif not meta.reviewed_by:
        status = "not reviewed"
    elif due and due <= today + DUE_SOON:
        status = "due soon"
    else:
        status = "reviewed"
    return Review(status, meta.reviewed_by, meta.last_reviewed, due)


def inbound_articles(site: Site) -> dict[str, set[str]]:
    """For each article, the other listed articles that link to it in their text or list it in `related`.

    Read More cards do not count: cards filled by topic similarity would hide an article no one chose to link.
    """
    by_file = {Path(page.source).name: slug for slug, page in site.pages.items()}
    leads: dict[str, set[str]] = {slug: set() for slug in site.pages}
    for slug, page in site.listed.items():
        targets = [by_file.get(link.target) for link in site.bodies[slug].links]
        for target in [*targets, *page.meta.related]:
            if target in leads and target != slug:
                leads[target].add(slug)
    return leads


def cross_links(page: Page, body: Body) -> set[str]:
    """The other articles an article links to in its text (by file name)."""
    return {link.target for link in body.links} - {Path(page.source).name}


