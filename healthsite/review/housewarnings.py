"""The house rules' warnings of one article: review, evidence, readability (page, sections, sentences), style and
safety links, each at its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from healthsite.reading.config import HouseRules, SiteConfig
from healthsite.reading.content import Page
from healthsite.mdext.markup import Body
from healthsite.mdext import Mention
from healthsite.mdext.mentions import term_pattern
from healthsite.problems import Problem, warning
from healthsite.model.readability import FORMULAS, TextStats, is_ease, sentences

if TYPE_CHECKING:
    from healthsite.review.editorial import Article

ADVICE = "aim for {} or below with shorter sentences and everyday words"

Grade = Literal["pass", "warn", "hard"]


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
