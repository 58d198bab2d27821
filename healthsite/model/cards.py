"""Read More cards: explicit `related` first, then shared topics weighted by rarity, then newest."""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from typing import Iterable, Iterator, Sequence

from healthsite.reading.content import Page

COUNT = 3


def read_more(pages: Sequence[Page], count: int = COUNT, listed: Sequence[Page] | None = None) \
        -> dict[str, tuple[str, ...]]:
    """Card slugs for every page, chosen among the `listed` ones (default: all), near-linear in pages."""
    pages_listed = pages if listed is None else listed
    newest = sorted(pages_listed, key=_recency)
    rank = {page.slug: i for i, page in enumerate(newest)}
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for page in newest:
        groups[frozenset(page.meta.tags)].append(page.slug)
    index: dict[str, list[frozenset[str]]] = defaultdict(list)
    for tags in groups:
        for tag in tags:
            index[tag].append(tags)
    counts = {tag: sum(len(groups[g]) for g in sets) for tag, sets in index.items()}
    weight = {tag: math.log((len(pages_listed) + 1) / n) for tag, n in counts.items()}
    fallback = [page.slug for page in newest]
    return {page.slug: _cards(page, groups, index, weight, rank, fallback, count) for page in pages}


def _recency(page: Page) -> tuple[int, str]:
    """Sort key: newest first, then by slug."""
    return -page.newest.toordinal(), page.slug


def _cards(page: Page, groups: dict[frozenset[str], list[str]], index: dict[str, list[frozenset[str]]],
           weight: dict[str, float], rank: dict[str, int], fallback: list[str], count: int) -> tuple[str, ...]:
    """The cards of one page."""
    related = (slug for slug in page.meta.related if slug in rank)
    ranked = _by_shared_topics(frozenset(page.meta.tags), groups, index, weight, rank)
    chosen: list[str] = []
    for slug in itertools.chain(related, ranked, fallback):
        if slug != page.slug and slug not in chosen:
            chosen.append(slug)
            if len(chosen) == count:
                break
    return tuple(chosen)


def _by_shared_topics(tags: frozenset[str], groups: dict[frozenset[str], list[str]],
                      index: dict[str, list[frozenset[str]]], weight: dict[str, float],
                      rank: dict[str, int]) -> Iterator[str]:
    """Pages sharing topics, best first: summed rarity weight of shared topics, then newest."""
    candidates = {other for tag in tags for other in index[tag]}
    scored: dict[float, list[list[str]]] = defaultdict(list)
    for other in candidates:
        score = round(math.fsum(sorted(weight[t] for t in tags & other)), 9)
        scored[score].append(groups[other])
    for score in sorted(scored, reverse=True):
        yield from heapq.merge(*scored[score], key=rank.__getitem__)


def topic_pages(pages: Iterable[Page]) -> dict[str, tuple[str, ...]]:
    """For each topic, its pages' slugs, newest first."""
    result: dict[str, list[str]] = defaultdict(list)
    for page in sorted(pages, key=_recency):
        for tag in page.meta.tags:
            result[tag].append(page.slug)
    return {tag: tuple(slugs) for tag, slugs in sorted(result.items())}
