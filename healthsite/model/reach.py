"""Read More reach: how many other articles show an article in their Read More cards, and a warning for none."""

from __future__ import annotations

import heapq
from pathlib import Path
from typing import TYPE_CHECKING

from healthsite.problems import Problem, warning

if TYPE_CHECKING:
    from healthsite.model.site import Site

SHOWN = 3  # articles of the same topic named in the warning


def reach(site: Site) -> dict[str, int]:
    """For each article, how many other listed articles show it among their Read More cards."""
    counts = {slug: 0 for slug in site.pages}
    for slug in site.listed:
        for card in set(site.cards.get(slug, ())):
            if card in counts and card != slug:
                counts[card] += 1
    return counts


def unreached(site: Site, counts: dict[str, int]) -> list[Problem]:
    """A style warning for each listed article no other article's Read More cards show, saying where to add it."""
    listed = site.listed
    if len(listed) < 2:
        return []
    by_tag: dict[str, list[str]] = {}  # each topic's listed articles, in slug order
    for slug in sorted(listed):
        for tag in dict.fromkeys(listed[slug].meta.tags):
            by_tag.setdefault(tag, []).append(slug)
    problems = []
    for slug, page in listed.items():
        if counts.get(slug, 0):
            continue
        peers = [Path(listed[other].source).name for other in _first_peers(slug, page.meta.tags, by_tag)]
        where = (f"an article of the same topic ({', '.join(peers[:SHOWN])}{', ...' if len(peers) > SHOWN else ''})"
                 if peers else "an article on a related subject")
        problems.append(warning(page.source, 1,
                                f"no Read More card leads here: no other article shows it in its Read More cards "
                                f"(they show `related` first); add '{slug}' to `related` in {where}"))
    return problems


def _first_peers(slug: str, tags: tuple[str, ...], by_tag: dict[str, list[str]]) -> list[str]:
    """The first SHOWN + 1 other articles, in slug order, that share a topic with an article (enough to name
    SHOWN and say whether there are more), merged from each topic's sorted list."""
    found: list[str] = []
    for other in heapq.merge(*(by_tag[tag] for tag in dict.fromkeys(tags))):
        if other != slug and (not found or found[-1] != other):
            found.append(other)
            if len(found) > SHOWN:
                break
    return found
