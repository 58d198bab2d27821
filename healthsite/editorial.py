"""Editorial checks: readability, review dates, evidence and links, as warnings and one row per article."""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

from .config import Readability, SiteConfig
from .content import Page
from .markup import Body
from .problems import Problem, warning
from .site import Site

DUE_SOON = dt.timedelta(days=30)
SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")  # textstat 0.7.3's own sentence pattern
CLOSERS = "\"')]\u201d\u2019"
ADVICE = "aim for {} or below with shorter sentences and everyday words"

Grade = Literal["pass", "warn", "hard"]
Status = Literal["reviewed", "due soon", "overdue", "not reviewed"]


@dataclass(frozen=True)
class TextStats:
    """What textstat measures of an article's prose (independent of the configuration, so it can be cached)."""

    grade: float
    smog: float
    words: int
    sentences: int
    lengths: tuple[int, ...]

    def long(self, limit: int) -> int:
        """How many sentences have more than `limit` words."""
        return sum(words > limit for words in self.lengths)


@dataclass(frozen=True)
class Review:
    """Where an article stands in its medical-review cycle."""

    status: Status
    reviewed_by: str
    last_reviewed: dt.date | None
    next_review_due: dt.date | None


@dataclass(frozen=True)
class Article:
    """One row of the report."""

    slug: str
    source: str
    title: str
    stats: TextStats
    readability: Grade
    long_sentences: int
    citations: int
    review: Review
    inbound: int


@dataclass(frozen=True)
class Editorial:
    """The editorial report of a site on a given day: its rows and every warning."""

    today: dt.date
    thresholds: Readability
    require_review: bool
    articles: tuple[Article, ...]
    warnings: tuple[Problem, ...]


def review(site: Site, today: dt.date, measured: Mapping[str, TextStats] | None = None) -> Editorial:
    """Check every article of a built site against its editorial gates; `measured` may hold known TextStats."""
    inbound = inbound_articles(site)
    limits = site.config.readability
    articles: list[Article] = []
    problems: list[Problem] = []
    for slug, page in site.pages.items():
        body = site.bodies[slug]
        stats = (measured or {}).get(slug) or measure(body.prose)
        article = Article(slug, page.source, page.meta.title, stats, grade(stats.grade, limits),
                          stats.long(limits.long_sentence_words), len(body.citations), review_of(page, today),
                          len(inbound[slug]))
        articles.append(article)
        problems += article_warnings(article, page, body, site.config)
        problems += safety_warnings(body)
        problems += sentence_warnings(page, body.prose, stats, limits)
    return Editorial(today, site.config.readability, site.config.require_review, tuple(articles),
                     tuple(sorted(problems)))


def as_errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems with every warning turned into an error (`--strict`)."""
    return [Problem(p.path, p.line, p.message, "error") for p in problems]


def plain_text(prose: Iterable[str]) -> str:
    """Paragraphs joined into one text; one without end punctuation (a list item) ends a sentence."""
    return " ".join(p if p.rstrip(CLOSERS).endswith((".", "!", "?")) else p + "." for p in prose if p.strip())


def sentences(prose: Iterable[str]) -> list[str]:
    """The sentences of the paragraphs, split as textstat splits them."""
    return [s.strip() for paragraph in prose for s in SENTENCE.findall(paragraph)]


@functools.cache
def meter() -> Any:
    """textstat's meter, imported on first use: the import alone takes a fifth of a second."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # textstat 0.7.3 imports pkg_resources, which setuptools deprecates
        from textstat.textstat import textstatistics
    return textstatistics()


def measure(prose: tuple[str, ...]) -> TextStats:
    """Flesch-Kincaid grade, SMOG, words, sentences and each sentence's words, of an article's prose."""
    meter_ = meter()
    text = plain_text(prose)
    if not text:
        return TextStats(0.0, 0.0, 0, 0, ())
    lengths = tuple(meter_.lexicon_count(s) for s in sentences(prose))
    return TextStats(meter_.flesch_kincaid_grade(text), meter_.smog_index(text), meter_.lexicon_count(text),
                     meter_.sentence_count(text), lengths)


def grade(value: float, limits: Readability) -> Grade:
    """Whether a reading grade passes, warns, or is hard to read."""
    return "pass" if value <= limits.pass_grade else "warn" if value <= limits.warn_grade else "hard"


def review_of(page: Page, today: dt.date) -> Review:
    """An article's review status on a given day."""
    meta = page.meta
    due = meta.next_review_due
    if due and due < today:
        status: Status = "overdue"
    elif not meta.reviewed_by:
        status = "not reviewed"
    elif due and due <= today + DUE_SOON:
        status = "due soon"
    else:
        status = "reviewed"
    return Review(status, meta.reviewed_by, meta.last_reviewed, due)


def inbound_articles(site: Site) -> dict[str, set[str]]:
    """For each article, the other articles whose cross-links or Read More cards lead to it."""
    by_file = {Path(page.source).name: slug for slug, page in site.pages.items()}
    leads: dict[str, set[str]] = {slug: set() for slug in site.pages}
    for slug in site.pages:
        targets = [by_file.get(link.target) for link in site.bodies[slug].links]
        for target in [*targets, *site.cards.get(slug, ())]:
            if target in leads and target != slug:
                leads[target].add(slug)
    return leads


def article_warnings(article: Article, page: Page, body: Body, config: SiteConfig) -> list[Problem]:
    """The warnings of one report row: readability, review, citations and orphans."""
    limits, found = config.readability, []
    score = article.stats.grade
    if article.readability == "hard":
        found.append(warning(page.source, first_line(page), f"hard to read: grade {score:g} (above "
                             f"{limits.warn_grade:g}); {ADVICE.format(f'{limits.pass_grade:g}')}"))
    elif article.readability == "warn":
        found.append(warning(page.source, first_line(page), f"reading grade {score:g} (above "
                             f"{limits.pass_grade:g}); {ADVICE.format(f'{limits.pass_grade:g}')}"))
    if article.review.status == "overdue":
        found.append(warning(page.source, page.line("next_review_due"),
                             f"review overdue since {article.review.next_review_due}"))
    if config.require_review and not page.meta.reviewed_by:
        found.append(warning(page.source, page.line("reviewed_by"),
                             "not yet medically reviewed (site.yaml sets require_review)"))
    if not body.citations:
        found.append(warning(page.source, first_line(page), "no citations: support the article with at least "
                                                          "one source from the bibliography, cited as [@key]"))
    if not article.inbound:
        found.append(warning(page.source, 1, "orphaned: no other article links to it or shows it in its "
                                             "Read More cards"))
    return found


def safety_warnings(body: Body) -> list[Problem]:
    """A warning at the first mention of each medicine-safety term whose section the page does not link to."""
    return [warning(m.source, m.line, f"'{m.term}' is mentioned but the page does not link to {m.link}, where "
                                      f"its safe use is explained: link to it (safety_links in site.yaml)")
            for m in body.mentions]


def sentence_warnings(page: Page, prose: tuple[str, ...], stats: TextStats, limits: Readability) -> list[Problem]:
    """A warning at the line of every sentence longer than the limit."""
    if not stats.long(limits.max_sentence_words):
        return []
    found = []
    for sentence, words in zip(sentences(prose), stats.lengths):
        if words > limits.max_sentence_words:
            start = " ".join(sentence.split()[:6])
            found.append(warning(page.source, line_of_sentence(page, sentence), f"long sentence: {words} words "
                                 f"(at most {limits.max_sentence_words}): '{start} ...'"))
    return found


def line_of_sentence(page: Page, sentence: str) -> int:
    """The file line where a sentence starts: its first words found in the Markdown, markup between them."""
    words = re.findall(r"\w+", sentence)[:6]
    for count in range(len(words), 1, -1):
        found = re.search(r"\b" + r"\W+".join(map(re.escape, words[:count])) + r"\b", page.body)
        if found:
            return page.body_line + page.body.count("\n", 0, found.start())
    return first_line(page)


def first_line(page: Page) -> int:
    """The file line of the body's first text."""
    return page.body_line + page.body.count("\n", 0, len(page.body) - len(page.body.lstrip()))
