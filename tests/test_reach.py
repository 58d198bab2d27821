"""Read More reach: how many other articles show an article in their cards, and a warning for one none shows."""

from __future__ import annotations

import pytest

from healthsite.review import editorial
from healthsite.model.reach import reach
from tests.conftest import article
from tests.test_editorial import EASY, REVIEWED, TODAY, Maker, good_site, site_of, warnings_of


def running_site(new_related: str | None = None) -> dict[str, str]:
    """Four running articles whose `related` fill each other's three cards, and a new running article."""
    slugs = ["a", "b", "c", "d"]
    files = good_site()
    for slug in slugs:
        others = [s for s in slugs if s != slug]
        if new_related and slug == "a":
            others = [new_related, *others[:2]]
        links = " ".join(f"See [{o.upper()}]({o}.md)." for o in others)
        files[f"content/{slug}.md"] = article(slug.upper(), EASY + links + "\n", tags="[running]",
                                              related=f"[{', '.join(others)}]", **REVIEWED)
    files["content/new.md"] = article("New", EASY + "See [A](a.md).\n", tags="[running]", **REVIEWED)
    return files


def test_an_article_no_card_shows_warns_and_says_how_to_fix_it(make_site: Maker) -> None:
    """A new article the others' `related` crowd out of every card: one style warning naming where to add it."""
    files = running_site()
    assert [w for w in warnings_of(make_site, files) if "no Read More card leads here" in w] == [
        "content/new.md:1: warning: no Read More card leads here: no other article shows it in its Read More cards "
        "(they show `related` first); add 'new' to `related` in an article of the same topic (a.md, b.md, c.md, "
        "...)"]


def test_related_in_an_article_of_the_same_topic_fixes_it(make_site: Maker) -> None:
    """Listing it in one article's `related` puts it in that article's cards: no warning, reach 1."""
    files = running_site(new_related="new")
    assert not [w for w in warnings_of(make_site, files) if "no Read More card leads here" in w]
    report = editorial.review(site_of(make_site, files), TODAY)
    assert {a.slug: a.reach for a in report.articles}["new"] == 1


def test_reach_counts_each_other_article_once(make_site: Maker) -> None:
    """Reach is the number of other listed articles whose cards show the article."""
    site = site_of(make_site, running_site())
    counts = reach(site)
    assert counts == {slug: sum(slug in cards for other, cards in site.cards.items() if other != slug)
                      for slug in site.pages}
    assert counts["new"] == 0 and counts["a"] == 4


def test_no_shared_topic_suggests_a_related_subject(make_site: Maker) -> None:
    """Without an article of the same topic, the warning says to pick one on a related subject."""
    files = running_site()
    files["content/new.md"] = article("New", EASY + "See [A](a.md).\n", tags="[knees]", **REVIEWED)
    assert [w for w in warnings_of(make_site, files) if "no Read More card leads here" in w] == [
        "content/new.md:1: warning: no Read More card leads here: no other article shows it in its Read More cards "
        "(they show `related` first); add 'new' to `related` in an article on a related subject"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_shows_the_reach_of_each_article(make_site: Maker, capsys: pytest.CaptureFixture, fmt: str) -> None:
    """The text table has a reach column; JSON has "reach" per article."""
    import json
    from healthsite.commands.cli import main
    root = make_site(running_site())
    main(["check", "--all", "--format", fmt, "--config", str(root / "site.yaml")])
    out = capsys.readouterr().out
    if fmt == "json":
        assert {a["slug"]: a["reach"] for a in json.loads(out)["articles"]}["new"] == 0
    else:
        header = next(line for line in out.splitlines() if line.startswith("article"))
        assert header.split()[8] == "reach"
        assert next(line for line in out.splitlines() if line.startswith("new ")).split()[8] == "0"
