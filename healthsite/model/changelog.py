"""Change history: a warning while a published article's text differs from the text its newest `changes:` entry
describes. The build cache remembers, with each article, the text (section by section) it had when its change
history was last brought up to date, until an entry is added."""

from __future__ import annotations

import dataclasses
from typing import Iterable

from healthsite.reading.content import Page, StoredPage
from healthsite.problems import Problem, warning
from healthsite.model.translations import changed_sections


def carry(pages: list[Page], before: Iterable[Page]) -> list[Page]:
    """The pages, each with the text its change history last described (from the same file's page of the last
    build, `before`): kept while neither `changes:` nor `updated:` has a new date, cleared when one has."""
    known = {page.source: page for page in before}
    return [_with_baseline(page, _baseline(page, known.get(page.source))) for page in pages]


def _baseline(page: Page, old: Page | None) -> str:
    """The text digest an article's change history describes, if its text differs from it now ("" if not)."""
    if old is None or old.meta.draft or page.meta.draft or not old.text_digest:
        return ""
    if old.meta.changes[:1] != page.meta.changes[:1] or old.meta.updated != page.meta.updated:
        return ""
    baseline = old.text_baseline or old.text_digest
    return "" if baseline == page.text_digest else baseline


def _with_baseline(page: Page, baseline: str) -> Page:
    """A page with its text baseline set (a stored page stays stored)."""
    if page.text_baseline == baseline:
        return page
    if isinstance(page, StoredPage):
        plain = Page(**{part.name: getattr(page, part.name) for part in dataclasses.fields(Page)})
        return StoredPage(dataclasses.replace(plain, text_baseline=baseline), getattr(page, "path"))
    return dataclasses.replace(page, text_baseline=baseline)


def unrecorded(listed: list[Page]) -> list[Problem]:
    """A warning on each published article whose text changed since its change history was brought up to date."""
    problems = []
    for page in listed:
        if not page.text_baseline or page.text_baseline == page.text_digest:
            continue
        sections = ", ".join(f"'{name}'" for name in changed_sections(page, page.text_baseline))
        problems.append(warning(page.source, page.line("changes"), f"the text changed ({sections}) but 'changes' has "
                                "no new entry: add one at the top (the date and one plain sentence saying what "
                                "changed)", "evidence"))
    return problems
