"""What an edited article's last build measured, handed to the worker that renders it again: its readability (reused
while its prose is the same) and the words its dictionary was asked about (so a title edit loads no dictionary)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, TypeVar

from healthsite.mdext.markup import Body
from healthsite.model.readability import TextStats
from healthsite.model.spellscan import Recall, recall
from healthsite.problems import BuildError
from healthsite.reading.content import Page

J = TypeVar("J")  # a worker's job, which has a `before`


@dataclass(frozen=True)
class Before:
    """An article's last measured prose (its paragraphs, and where each h2 section starts), its readability and
    unknown words, and the words its dictionary knew then."""

    prose: tuple[str, ...]
    starts: tuple[int, ...]
    stats: TextStats
    words: Recall | None

    def stats_for(self, body: Body, formula: str) -> TextStats | None:
        """The readability measured before, if the body's prose and sections measure the same by the same formula."""
        same = self.stats.formula == formula and body.prose == self.prose and starts_of(body) == self.starts
        return self.stats if same else None


def starts_of(body: Body) -> tuple[int, ...]:
    """The index of each h2 section's first prose paragraph (all readability reads of the sections)."""
    return tuple(start for _, _, start in body.sections)


def before(entry: tuple[Page, Body, TextStats] | None) -> Before | None:
    """What a worker may reuse of an article's last version (None if nothing: no cached version, or its body's file
    is gone)."""
    if entry is None:
        return None
    page, body, stats = entry
    try:
        prose, html = tuple(body.prose), body.html
    except BuildError:  # its body's file changed or went away: measured again instead
        return None
    return Before(prose, starts_of(body), stats, recall(page, prose, html, stats.spelling))


def attached(jobs: list[J], entries: Iterable[tuple[Page, Body, TextStats]]) -> list[J]:
    """The jobs (articles to render again), each with what its file's last cached version measured."""
    if not jobs:
        return jobs
    by_source = {entry[0].source: entry for entry in entries}
    return [replace(job, before=before(by_source.get(job.shown))) for job in jobs]  # type: ignore[type-var]
