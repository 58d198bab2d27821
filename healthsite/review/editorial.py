"""Editorial checks: readability, review dates, evidence and links, as warnings and one row per article."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import importlib.resources
import re
import sys
import types
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping

from healthsite.reading.config import HouseRules, SiteConfig
from healthsite.reading.content import Page
from healthsite.mdext.markup import Body
from healthsite.mdext import Mention
from healthsite.mdext.mentions import term_pattern
from healthsite.problems import CATEGORIES, Category, Problem, as_error, ranked, warning
from healthsite.model.site import Site

DUE_SOON = dt.timedelta(days=30)
SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")  # textstat 0.7.3's own sentence pattern
CLOSERS = "\"')]\u201d\u2019"
ADVICE = "aim for {} or below with shorter sentences and everyday words"

Grade = Literal["pass", "warn", "hard"]
Status = Literal["reviewed", "due soon", "overdue", "not reviewed", "changed"]  # changed: since its review


@dataclass(frozen=True)
class TextStats:
    """What textstat measures of an article's prose (independent of the configuration, so it can be cached)."""

    grade: float
    smog: float
    words: int
    sentences: int
    lengths: tuple[int, ...]
    sections: tuple[float | None, ...] = ()  # each h2 section's score, in Body.sections' order (None: no prose)
    formula: str = "flesch-kincaid"  # what `grade` and `sections` measure (an ease formula: higher is easier)

    def long(self, limit: int) -> int:
        """How many sentences have more than `limit` words."""
        return sum(words > limit for words in self.lengths)

    @property
    def shown_smog(self) -> float | None:
        """The SMOG grade, an English formula: shown only beside the English grade (None for an ease formula)."""
        return None if is_ease(self.formula) else self.smog


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


def review(site: Site, today: dt.date, measured: Mapping[str, TextStats] | None = None) -> Editorial:
    """Check every article of a built site against its editorial gates; `measured` may hold known TextStats."""
    from healthsite.model.reach import reach, unreached
    inbound, shown = inbound_articles(site), reach(site)
    rules = site.config.editorial
    articles: list[Article] = []
    problems: list[Problem] = []
    for slug, page in site.pages.items():
        body = site.bodies[slug]
        stats = (measured or {}).get(slug) or measure(body.prose, body.sections, rules.readability)
        article = Article(slug, page.source, page.meta.title, stats, grade(stats.grade, rules),
                          stats.long(rules.max_sentence_words), len(body.citations),
                          review_of(page, today, slug in (site.extras.stale if site.extras else ())),
                          len(inbound[slug]), len(cross_links(page, body)), body.sections, reach=shown[slug])
        articles.append(article)
        problems += (article_warnings(article, page, body, site.config) + safety_warnings(page, body, site.config)
                     + sentence_warnings(page, body, stats, rules))
    return including(Editorial(today, rules, site.config.require_review, tuple(articles), ()),
                     problems + unreached(site, shown))


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


def plain_text(prose: Iterable[str]) -> str:
    """Paragraphs joined into one text; one without end punctuation (a list item) ends a sentence."""
    return " ".join(p if p.rstrip(CLOSERS).endswith((".", "!", "?")) else p + "." for p in prose if p.strip())


def sentences(prose: Iterable[str]) -> list[str]:
    """The sentences of the paragraphs, split as textstat splits them."""
    return [s.strip() for paragraph in prose for s in SENTENCE.findall(paragraph)]


# Each readability formula: the language textstat counts syllables in, its method, and its name in reports.
FORMULAS = {
    "flesch-kincaid": ("en_US", "flesch_kincaid_grade", "Flesch-Kincaid grade"),
    "fernandez-huerta": ("es", "fernandez_huerta", "Fernández Huerta ease"),
    "szigriszt-pazos": ("es", "szigriszt_pazos", "Szigriszt-Pazos ease"),
}


def short(formula: str) -> str:
    """A formula's mark after a score in reports: none for Flesch-Kincaid grades, FH or SP for the ease scores."""
    return "".join(word[0] for word in formula.split("-")).upper() if is_ease(formula) else ""


def is_ease(formula: str) -> bool:
    """Whether a formula scores reading ease (higher is easier) rather than a school grade."""
    return formula != "flesch-kincaid"


@functools.cache
def meter(language: str = "en_US") -> Any:
    """textstat's meter for one language, imported on first use, counting each distinct word's syllables once
    per process and language.

    textstat 0.7.3 runs every word of every text through pyphen again (its own caches hold 128 texts), a
    third of a cold build: the instance's two syllable counts are replaced by the same counts, memoized per word.
    """
    with warnings.catch_warnings(), resource_reader():
        warnings.simplefilter("ignore")
        from textstat.textstat import textstatistics
    meter_ = textstatistics()
    meter_.set_lang(language)
    word = spanish_per_word(meter_) if language == "es" else syllables_per_word(meter_)
    meter_.syllable_count = lambda text: sum(map(word, text.split()))
    meter_.polysyllabcount = lambda text: sum(1 for n in map(word, text.split()) if n >= 3)
    return meter_


@contextlib.contextmanager
def resource_reader() -> Iterator[None]:
    """While textstat 0.7.3 is imported, `pkg_resources` is a module with only the one function it calls.

    textstat imports pkg_resources (a third of a second, and deprecated) just to call resource_stream for its
    word lists; importlib.resources reads the same package files. Nothing else ever sees the stand-in.
    """
    if "pkg_resources" in sys.modules:
        yield
        return
    stand_in = types.ModuleType("pkg_resources")
    stand_in.resource_stream = (  # type: ignore[attr-defined]
        lambda package, name: importlib.resources.files(package).joinpath(name).open("rb"))
    sys.modules["pkg_resources"] = stand_in
    try:
        yield
    finally:
        del sys.modules["pkg_resources"]


def syllables_per_word(meter_: Any) -> Callable[[str], int]:
    """textstat's syllable_count of one whitespace-free token (lower case, punctuation removed, pyphen's
    hyphenation points + 1 per word), remembered."""
    @functools.lru_cache(maxsize=1 << 16)
    def count(token: str) -> int:
        return sum(len(meter_.pyphen.positions(word)) + 1 for word in meter_.remove_punctuation(token.lower()).split())
    return count


def spanish_per_word(meter_: Any) -> Callable[[str], int]:
    """The Spanish syllables of one whitespace-free token (punctuation removed as textstat removes it), counted
    by the rules of `syllables.spanish`, not a hyphenation dictionary."""
    from healthsite.model.syllables import spanish

    @functools.lru_cache(maxsize=1 << 16)
    def count(token: str) -> int:
        return sum(spanish(word) for word in meter_.remove_punctuation(token.lower()).split())
    return count


def measure(prose: tuple[str, ...], sections: tuple[tuple[str, int, int], ...] = (),
            formula: str = "flesch-kincaid") -> TextStats:
    """The formula's score (Flesch-Kincaid grade by default), SMOG, words, sentences, each sentence's words and
    each h2 section's score (None for a section with no prose, such as one holding only care cards)."""
    language, method, _ = FORMULAS[formula]
    meter_ = meter(language)
    score = getattr(meter_, method)
    text = plain_text(prose)
    if not text:
        return TextStats(0.0, 0.0, 0, 0, (), tuple(None for _ in sections), formula)
    lengths = tuple(meter_.lexicon_count(s) for s in sentences(prose))
    starts = [start for _, _, start in sections] + [len(prose)]
    parts = [plain_text(prose[a:b]) for a, b in zip(starts, starts[1:])]
    return TextStats(score(text), meter_.smog_index(text), meter_.lexicon_count(text),
                     meter_.sentence_count(text), lengths, tuple(score(part) if part else None for part in parts),
                     formula)


def grade(value: float, limits: HouseRules) -> Grade:
    """Whether a reading score passes, warns, or is hard to read (by grade, or by ease for an ease formula)."""
    if is_ease(limits.readability):
        return "pass" if value >= limits.pass_ease else "warn" if value >= limits.warn_ease else "hard"
    return "pass" if value <= limits.pass_grade else "warn" if value <= limits.warn_grade else "hard"


def too_hard(value: float | None, limits: HouseRules) -> bool:
    """Whether an h2 section's score misses the target (a section with no prose is not scored)."""
    if value is None:
        return False
    return value < limits.pass_ease if is_ease(limits.readability) else value > limits.pass_grade


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


def article_warnings(article: Article, page: Page, body: Body, config: SiteConfig) -> list[Problem]:
    """The warnings of one report row: safety (review), evidence, readability and style."""
    return (review_warnings(article, page, config) + evidence_warnings(article, page, config.editorial)
            + grade_warnings(article, page, body, config.editorial) + style_warnings(article, page, config.editorial))


def review_warnings(article: Article, page: Page, config: SiteConfig) -> list[Problem]:
    """Safety: an overdue review (a review missing where site.yaml requires one is an error: reviews.py)."""
    found = []
    if article.review.status == "overdue":
        found.append(warning(page.source, page.line("next_review_due"),
                             f"review overdue since {article.review.next_review_due}: have the article reviewed "
                             "again and update last_reviewed and next_review_due", "safety"))
    return found


def evidence_warnings(article: Article, page: Page, rules: HouseRules) -> list[Problem]:
    """Evidence: fewer distinct sources cited than the house rule asks for."""
    if article.citations >= rules.min_citations:
        return []
    if not article.citations:
        message = "no citations: support the article with at least one source from the bibliography, cited as [@key]"
    else:
        message = (f"too few citations: {article.citations} source{'s' * (article.citations != 1)} cited (at least "
                   f"{rules.min_citations}); support its main claims with sources from the bibliography, as [@key]")
    return [warning(page.source, first_line(page), message, "evidence")]


def grade_warnings(article: Article, page: Page, body: Body, rules: HouseRules) -> list[Problem]:
    """Readability: the page's grade against the targets, and each h2 section above the target."""
    if is_ease(rules.readability):
        return ease_warnings(article, page, body, rules)
    found, score, target = [], article.stats.grade, f"{rules.pass_grade:g}"
    if article.readability == "hard":
        found.append(warning(page.source, first_line(page), f"hard to read: grade {score:g} (above "
                             f"{rules.warn_grade:g}); {ADVICE.format(target)}", "readability"))
    elif article.readability == "warn":
        found.append(warning(page.source, first_line(page), f"reading grade {score:g} (above "
                             f"{target}); {ADVICE.format(target)}", "readability"))
    for (title, line, _), value in zip(body.sections, article.stats.sections):
        if too_hard(value, rules):
            found.append(warning(page.source, line, f"hard section '{title}': reading grade {value:g} (above "
                                 f"{target}); {ADVICE.format(target)}", "readability"))
    return found


def ease_warnings(article: Article, page: Page, body: Body, rules: HouseRules) -> list[Problem]:
    """Readability by an ease formula (higher is easier): the page's score and each h2 section's."""
    name, target = FORMULAS[rules.readability][2], f"{rules.pass_ease:g}"
    advice = f"aim for {target} or more with shorter sentences and everyday words"
    found, score = [], article.stats.grade
    if article.readability == "hard":
        found.append(warning(page.source, first_line(page), f"hard to read: {name} {score:g} (below "
                             f"{rules.warn_ease:g}); {advice}", "readability"))
    elif article.readability == "warn":
        found.append(warning(page.source, first_line(page), f"{name} {score:g} (below {target}); {advice}",
                             "readability"))
    for (title, line, _), value in zip(body.sections, article.stats.sections):
        if too_hard(value, rules):
            found.append(warning(page.source, line, f"hard section '{title}': {name} {value:g} (below "
                                 f"{target}); {advice}", "readability"))
    return found


def style_warnings(article: Article, page: Page, rules: HouseRules) -> list[Problem]:
    """Style: length, cross-links, the description's length, and articles nothing leads to."""
    found = []
    if article.stats.words < rules.min_words:
        found.append(warning(page.source, first_line(page), f"short article: {article.stats.words} words (at least "
                             f"{rules.min_words}); say what readers need to know and do"))
    if article.cross_links < rules.min_cross_links:
        found.append(warning(page.source, first_line(page), f"few cross-links: links to {article.cross_links} other "
                             f"article{'s' * (article.cross_links != 1)} (at least {rules.min_cross_links}); link "
                             "related articles in the text as [text](other-article.md)"))
    length = len(page.meta.description)
    if length > rules.max_description:
        found.append(warning(page.source, page.line("description"), f"description too long: {length} characters "
                             f"(at most {rules.max_description}); search engines cut it off"))
    if not article.inbound and not page.meta.draft:
        found.append(warning(page.source, 1, "orphaned: no other article links to it in its text or lists it in "
                                             "'related' (Read More cards chosen by topic do not count); link to it "
                                             "from an article on a related subject"))
    return found


def safety_warnings(page: Page, body: Body, config: SiteConfig) -> list[Problem]:
    """A warning at the first mention (front matter, then body) of each safety term whose section is not linked."""
    in_body = {m.link: m for m in body.mentions}
    problems = []
    for rule in config.safety_links:
        first = _front_matter_mention(page, term_pattern(rule.terms)) or in_body.get(rule.link)
        if first and not _links_to(page, body, rule.link):
            problems.append(warning(first.source, first.line, f"'{first.term}' is mentioned but the page does not "
                                    f"link to {rule.link}, where its safe use is explained: link to it "
                                    "(safety_links in site.yaml)", "safety"))
    return problems


def _front_matter_mention(page: Page, pattern: re.Pattern[str]) -> Mention | None:
    """The first mention of a term in the front matter the page shows (title, description, key takeaways)."""
    shown = [("title", page.meta.title), ("description", page.meta.description),
             *(("key_takeaways", item) for item in page.meta.key_takeaways)]
    found = next(((key, m) for key, text in shown if (m := pattern.search(text))), None)
    return Mention("", found[1].group(0), page.source, page.line(found[0])) if found else None


def _links_to(page: Page, body: Body, link: str) -> bool:
    """Whether the page is the section's own article or links to the section."""
    return link.partition("#")[0] == Path(page.source).name or \
        any(f"{l.target}#{l.anchor}" == link for l in body.links)


def sentence_warnings(page: Page, body: Body, stats: TextStats, limits: HouseRules) -> list[Problem]:
    """A warning at the line of every sentence longer than the limit (the prose and Markdown, which may be on
    disk, are read only for an article that has one)."""
    if not stats.long(limits.max_sentence_words):
        return []
    found, markdown = [], page.body
    for sentence, words in zip(sentences(body.prose), stats.lengths):
        if words > limits.max_sentence_words:
            start = " ".join(sentence.split()[:6])
            found.append(warning(page.source, line_of_sentence(page, markdown, sentence), f"long sentence: {words} "
                                 f"words (at most {limits.max_sentence_words}): '{start} ...'", "readability"))
    return found


def line_of_sentence(page: Page, markdown: str, sentence: str) -> int:
    """The file line where a sentence starts: its first words found in the page's Markdown, markup between them."""
    words = re.findall(r"\w+", sentence)[:6]
    for count in range(len(words), 1, -1):
        found = re.search(r"\b" + r"\W+".join(map(re.escape, words[:count])) + r"\b", markdown)
        if found:
            return page.body_line + markdown.count("\n", 0, found.start())
    return first_line(page)


def first_line(page: Page) -> int:
    """The file line of the body's first text (found when the page was parsed: the body may be on disk)."""
    return page.text_line or page.body_line
