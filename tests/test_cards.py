"""Read More cards: explicit related first, then shared topics weighted by rarity, then newest."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from healthsite.model.cards import read_more, topic_pages
from healthsite.reading.content import FrontMatter, Page


def page(slug: str, tags: tuple[str, ...] = (), related: tuple[str, ...] = (), day: int = 1) -> Page:
    """A page with just what the card algorithm reads."""
    meta = FrontMatter(title=slug.title(), description="d", tags=tags, related=related,
                       date=dt.date(2026, 1, 1) + dt.timedelta(days=day))
    return Page(f"content/{slug}.md", slug, meta, "", 1, ())


def test_explicit_related_first_in_given_order() -> None:
    """`related` slugs come first, in the order the writer gave."""
    pages = [page("a", ("x",), related=("d", "c")), page("b", ("x",)), page("c"), page("d")]
    assert read_more(pages)["a"] == ("d", "c", "b")


def test_rarer_shared_topics_weigh_more() -> None:
    """Sharing a rare topic beats sharing a common one, whatever the dates."""
    common = [page(f"filler{i}", ("common",), day=50 + i) for i in range(6)]
    pages = [page("a", ("common", "rare")), page("shares-rare", ("rare",), day=1),
             page("shares-common", ("common",), day=99)] + common
    assert read_more(pages)["a"][0] == "shares-rare"


def test_more_shared_topics_rank_higher() -> None:
    """Two shared topics beat one of them."""
    pages = [page("a", ("x", "y")), page("both", ("x", "y"), day=1), page("one", ("x",), day=9),
             page("other", ("z",), day=9)]
    assert read_more(pages)["a"][:2] == ("both", "one")


def test_ties_go_to_the_newest_then_slug() -> None:
    """Equal scores are ordered newest first, then by slug."""
    pages = [page("a", ("x",)), page("old", ("x",), day=1), page("new", ("x",), day=5),
             page("m2", ("x",), day=3), page("m1", ("x",), day=3)]
    assert read_more(pages)["a"] == ("new", "m1", "m2")


def test_newest_fill_when_nothing_is_shared() -> None:
    """Pages without shared topics are filled with the newest articles, never the page itself."""
    pages = [page("a", day=9), page("b", day=1), page("c", day=3), page("d", day=2)]
    assert read_more(pages) == {"a": ("c", "d", "b"), "b": ("a", "c", "d"), "c": ("a", "d", "b"),
                                "d": ("a", "c", "b")}


def test_never_self_never_duplicates_and_unknown_related_skipped() -> None:
    """A page's own slug in related, repeats and slugs not published (drafts) are skipped."""
    pages = [page("a", ("x",), related=("a", "b", "b", "draft")), page("b", ("x",)), page("c", ("x",))]
    assert read_more(pages)["a"] == ("b", "c")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sets(st.sampled_from("pqrst"), max_size=3), st.integers(0, 30)), min_size=1,
                max_size=25), st.randoms())
def test_deterministic_whatever_the_input_order(specs, rnd: random.Random) -> None:
    """The same pages in any order give the same cards; cards never include the page itself."""
    pages = [page(f"p{i}", tuple(sorted(tags)), day=day) for i, (tags, day) in enumerate(specs)]
    shuffled = pages[:]
    rnd.shuffle(shuffled)
    cards = read_more(pages)
    assert read_more(shuffled) == cards
    for slug, chosen in cards.items():
        assert slug not in chosen and len(set(chosen)) == len(chosen) == min(3, len(pages) - 1)


def test_matches_brute_force_ranking() -> None:
    """The inverted index gives the same order as scoring every pair."""
    rnd = random.Random(7)
    pages = [page(f"p{i:02d}", tuple(rnd.sample("abcdefg", rnd.randint(0, 3))), day=rnd.randint(0, 20))
             for i in range(60)]
    counts = {t: sum(t in p.meta.tags for p in pages) for t in "abcdefg"}
    import math
    weight = {t: math.log((len(pages) + 1) / n) for t, n in counts.items() if n}
    for p in pages:
        others = [o for o in pages if o is not p]
        def key(o: Page) -> tuple:
            shared = set(p.meta.tags) & set(o.meta.tags)
            return (-round(math.fsum(sorted(weight[t] for t in shared)), 9), -o.newest.toordinal(), o.meta.title)
        expected = tuple(o.slug for o in sorted(others, key=key)[:3])
        assert read_more(pages)[p.slug] == expected


def test_topic_pages_newest_first() -> None:
    """Each topic lists its pages, newest first."""
    pages = [page("a", ("x",), day=1), page("b", ("x", "y"), day=5)]
    assert topic_pages(pages) == {"x": ("b", "a"), "y": ("b",)}
