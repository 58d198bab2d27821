"""Change history: a warning when a published article's text changed since the last build without a new
`changes:` entry (the build cache remembers each article's text, section by section)."""

from __future__ import annotations

from typing import Iterable

from .content import Page
from .problems import Problem, warning
from .translations import changed_sections


def unrecorded(listed: list[Page], before: Iterable[Page]) -> list[Problem]:
    """A warning on each published article whose text differs from the version the last build saw (`before`, from
    the cache) while its newest `changes:` entry and `updated:` stayed the same."""
    known = {page.source: page for page in before}
    problems = []
    for page in listed:
        old = known.get(page.source)
        if old is None or old.meta.draft or not old.text_digest or old.text_digest == page.text_digest:
            continue
        if old.meta.changes[:1] != page.meta.changes[:1] or old.meta.updated != page.meta.updated:
            continue
        sections = ", ".join(f"'{name}'" for name in changed_sections(page, old.text_digest))
        problems.append(warning(page.source, page.line("changes"), f"the text changed ({sections}) but 'changes' has "
                                "no new entry: add one at the top (the date and one plain sentence saying what "
                                "changed)", "evidence"))
    return problems
