"""Editorial checks: each warning with a small site that triggers it and one that does not."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Callable

import pytest

from healthsite.review import editorial
from healthsite.model import readability
from healthsite.problems import BuildError
from healthsite.pipeline import Options
from healthsite.model.sources import read_sources, make_site as assemble_site
from healthsite.model.site import Site
from tests.conftest import SITE_YAML, article

TODAY = dt.date(2026, 6, 1)
BIBLIOGRAPHY = "- key: nhs\n  citation: NHS. Back pain. 2024.\n  url: https://example.org/nhs\n"
EASY = "Most back pain gets better on its own [@nhs]. Keep moving and rest when you need to.\n"
WARN = ("Back pain after running is common and often settles within a few weeks [@nhs]. Gentle activity, "
        "such as walking or easy cycling, usually helps recovery more than rest.\n")
HARD = ("Back pain after running is common and usually settles within a few weeks [@nhs]. Gentle activity, "
        "such as walking or easy cycling, generally helps recovery more than complete rest. Physical "
        "therapists recommend strengthening exercises for the hips and trunk.\n")
REVIEWED = {"reviewed_by": "Dr Lee", "last_reviewed": "2026-01-10", "next_review_due": "2027-01-10"}
Maker = Callable[..., Path]


def good_site(**changes: dict[str, str]) -> dict[str, str]:
    """Two reviewed, cited, easy articles that link to each other; `changes` adds or replaces files."""
    files = {
        "content/bibliography.yaml": BIBLIOGRAPHY,
        "content/a.md": article("A", EASY + "See [B](b.md).\n", **REVIEWED),
        "content/b.md": article("B", EASY + "See [A](a.md).\n", **REVIEWED),
    }
    files.update(changes)
    return files


def site_of(make_site: Maker, files: dict[str, str]) -> Site:
    """The assembled Site of a small site folder."""
    root = make_site(files)
    return assemble_site(read_sources(Options(root / "site.yaml")))


def warnings_of(make_site: Maker, files: dict[str, str]) -> list[str]:
    """The editorial warnings of a small site, as printed."""
    return [str(p) for p in editorial.review(site_of(make_site, files), TODAY).warnings]


def row(make_site: Maker, files: dict[str, str], slug: str = "a") -> editorial.Article:
    """One article's report row."""
    return next(a for a in editorial.review(site_of(make_site, files), TODAY).articles if a.slug == slug)


def test_a_good_site_has_no_warnings(make_site: Maker) -> None:
    """Readable, reviewed, cited and linked articles pass every gate."""
    report = editorial.review(site_of(make_site, good_site()), TODAY)
    assert report.warnings == ()
    first = report.articles[0]
    assert (first.slug, first.readability, first.citations, first.inbound) == ("a", "pass", 1, 1)
    assert first.stats == readability.TextStats(grade=0.9, smog=0.0, words=18, sentences=2, lengths=(8, 8, 2))
    assert first.review == editorial.Review("reviewed", "Dr Lee", dt.date(2026, 1, 10), dt.date(2027, 1, 10))


def test_grade_above_pass_warns(make_site: Maker) -> None:
    """A grade between pass_grade and warn_grade warns at the body's first line."""
    files = good_site(**{"content/a.md": article("A", WARN + "See [B](b.md).\n", **REVIEWED)})
    assert warnings_of(make_site, files) == [
        "content/a.md:9: warning: reading grade 8.9 (above 8); aim for 8 or below with shorter sentences "
        "and everyday words"]
    assert row(make_site, files).readability == "warn"


def test_grade_above_warn_grade_warns_loudly(make_site: Maker) -> None:
    """Above warn_grade the warning says the page is hard to read."""
    files = good_site(**{"content/a.md": article("A", HARD + "See [B](b.md).\n", **REVIEWED)})
    assert warnings_of(make_site, files) == [
        "content/a.md:9: warning: hard to read: grade 10.8 (above 10); aim for 8 or below with shorter "
        "sentences and everyday words"]
    assert row(make_site, files).readability == "hard"


def test_thresholds_come_from_site_yaml(make_site: Maker) -> None:
    """Raising the thresholds in site.yaml lets the same text pass."""
    files = good_site(**{"content/a.md": article("A", HARD + "See [B](b.md).\n", **REVIEWED),
                         "site.yaml": SITE_YAML + "editorial:\n  pass_grade: 11\n  warn_grade: 12\n"})
    assert warnings_of(make_site, files) == []
    assert row(make_site, files).readability == "pass"


def test_readability_ignores_headings_tables_cards_faq_and_references(make_site: Maker) -> None:
    """Only the body's prose is measured: hard headings, tables, care cards and FAQ questions change nothing."""
    extra = """
## Musculoskeletal considerations regarding intervertebral degeneration

| Pharmacological intervention | Contraindications |
|---|---|
| Nonsteroidal anti-inflammatory medication | Gastrointestinal haemorrhage |

Table: Medicines

!!! urgent "Get medical help today if"
    - Neurological deterioration accompanies progressively worsening radicular symptomatology

## Frequently asked questions

### Does intervertebral degeneration necessitate pharmacological intervention?
"""
    body = EASY + "See [B](b.md).\n"
    plain = row(make_site, good_site(**{"content/a.md": article("A", body + "\nNo.\n", **REVIEWED)}))
    busy = row(make_site, good_site(**{"content/a.md": article("A", body + extra + "\nNo.\n", **REVIEWED)}))
    assert dataclasses.replace(busy.stats, sections=()) == dataclasses.replace(plain.stats, sections=())


def test_review_overdue_warns_at_its_line(make_site: Maker) -> None:
    """A next_review_due before today warns at the key's line; due today is not overdue but due soon."""
    overdue = good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n",
                                                   **{**REVIEWED, "next_review_due": "2026-05-31"})})
    assert warnings_of(make_site, overdue) == ["content/a.md:6: warning: review overdue since 2026-05-31: have the "
                                              "article reviewed again and update last_reviewed and next_review_due"]
    assert row(make_site, overdue).review.status == "overdue"
    today = good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n",
                                                 **{**REVIEWED, "next_review_due": "2026-06-01"})})
    assert warnings_of(make_site, today) == []
    assert row(make_site, today).review.status == "due soon"


@pytest.mark.parametrize(("due", "status"), [("2026-07-01", "due soon"), ("2026-07-02", "reviewed")])
def test_review_due_within_30_days_is_reported_not_warned(make_site: Maker, due: str, status: str) -> None:
    """A review due within 30 days shows as 'due soon' in the report without a warning."""
    files = good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n",
                                                 **{**REVIEWED, "next_review_due": due})})
    assert warnings_of(make_site, files) == []
    assert row(make_site, files).review.status == status


def test_not_yet_reviewed_is_reported_but_is_an_error_only_when_required(make_site: Maker) -> None:
    """An unreviewed article is 'not reviewed' in the report; require_review makes it an error of the build."""
    files = good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n")})
    assert warnings_of(make_site, files) == []
    assert row(make_site, files).review.status == "not reviewed"
    files["site.yaml"] = SITE_YAML + "require_review: true\n"
    with pytest.raises(BuildError) as failed:
        warnings_of(make_site, files)
    assert [str(p) for p in failed.value.problems] == [
        "content/a.md:1: error: not yet medically reviewed (site.yaml sets require_review): have it reviewed, then "
        "run `python build.py reviewed a --by KEY`"]


def test_no_citations_warns(make_site: Maker) -> None:
    """An article without any [@key] citation warns at its body's first line."""
    files = good_site(**{"content/a.md": article("A", "Keep moving. See [B](b.md).\n", **REVIEWED)})
    assert warnings_of(make_site, files) == [
        "content/a.md:9: warning: no citations: support the article with at least one source from the "
        "bibliography, cited as [@key]"]
    assert row(make_site, files).citations == 0


def orphan_site(link_to_e: bool, relate_e: bool = False) -> dict[str, str]:
    """Five articles on one topic: a-d link in a ring; e, the newest, shows first in their Read More cards."""
    files = good_site()
    for name, after in zip("abcd", "bcda"):
        body = EASY + f"See [{after.upper()}]({after}.md).\n" + ("See [E](e.md).\n" if link_to_e and name == "a" else "")
        related = {"related": "[e]"} if relate_e and name == "b" else {}
        files[f"content/{name}.md"] = article(name.upper(), body, tags="[back]", date="2026-05-01", **REVIEWED,
                                              **related)
    files["content/e.md"] = article("E", EASY + "See [A](a.md).\n", tags="[back]", date="2026-06-01", **REVIEWED)
    return files


ORPHAN = ("content/e.md:1: warning: orphaned: no other article links to it in its text or lists it in 'related' "
          "(Read More cards chosen by topic do not count); link to it from an article on a related subject")


def without_reach(warnings: list[str]) -> list[str]:
    """The warnings but Read More reach's (tests/test_reach.py), which these small sites also get."""
    return [w for w in warnings if "no Read More card leads here" not in w]


def test_orphaned_article_warns(make_site: Maker) -> None:
    """An article no other article links to or lists as related warns at line 1, though cards show it."""
    site = site_of(make_site, orphan_site(False))
    assert "e" in {slug for cards in site.cards.values() for slug in cards}
    assert without_reach(warnings_of(make_site, orphan_site(False))) == [ORPHAN]
    assert row(make_site, orphan_site(False), "e").inbound == 0


def test_a_cross_link_rescues_an_orphan(make_site: Maker) -> None:
    """One cross-link is enough to lead readers to the article."""
    assert without_reach(warnings_of(make_site, orphan_site(True))) == []
    assert row(make_site, orphan_site(True), "e").inbound == 1


def test_related_rescues_an_orphan(make_site: Maker) -> None:
    """An article another one lists in `related` is not orphaned."""
    assert without_reach(warnings_of(make_site, orphan_site(False, relate_e=True))) == []
    assert row(make_site, orphan_site(False, relate_e=True), "e").inbound == 1


def test_inbound_counts_linking_and_relating_articles_once(make_site: Maker) -> None:
    """Links and `related` lead to an article; cards alone do not; one that both links and relates counts once."""
    report = editorial.review(site_of(make_site, orphan_site(True, relate_e=True)), TODAY)
    assert {a.slug: a.inbound for a in report.articles} == {"a": 2, "b": 1, "c": 1, "d": 1, "e": 2}


def test_sentence_over_the_limit_warns_at_its_line(make_site: Maker) -> None:
    """A sentence over max_sentence_words warns at the line where it starts, even across markup."""
    long = ("Runners who **feel** pain in the lower back after a long run should slow down, rest for a day "
            "or two and then go back to easy runs on soft and flat ground [@nhs].\n")
    files = good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n\n" + long, **REVIEWED)})
    assert warnings_of(make_site, files) == [
        "content/a.md:12: warning: long sentence: 33 words (at most 25): 'Runners who feel pain in the ...'"]
    assert row(make_site, files).long_sentences == 1


def test_sentence_at_the_limit_is_neither_counted_nor_warned(make_site: Maker) -> None:
    """One threshold: a sentence of exactly max_sentence_words words is not long, in the column or the warnings."""
    sentence = ("Runners who feel pain in the lower back after a long run should slow down and rest for a day "
                "or two then walk again [@nhs].\n")
    files = good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n\n" + sentence, **REVIEWED)})
    assert warnings_of(make_site, files) == []
    assert row(make_site, files).long_sentences == 0
    files["site.yaml"] = SITE_YAML + "editorial:\n  max_sentence_words: 24\n"
    assert [w.split(": warning: ")[1][:28] for w in warnings_of(make_site, files)] == ["long sentence: 25 words (at "]
    assert row(make_site, files).long_sentences == 1


def test_known_measurements_are_used(make_site: Maker) -> None:
    """TextStats computed earlier (by a worker or a cache) are used instead of measuring again."""
    site = site_of(make_site, good_site())
    hard = readability.TextStats(grade=12.5, smog=13.0, words=18, sentences=2, lengths=(8, 30))
    report = editorial.review(site, TODAY, {"a": hard})
    assert [str(p) for p in report.warnings] == [
        "content/a.md:9: warning: hard to read: grade 12.5 (above 10); aim for 8 or below with shorter sentences "
        "and everyday words",
        "content/a.md:9: warning: long sentence: 30 words (at most 25): 'Keep moving and rest when you ...'"]
    assert report.articles[0].long_sentences == 1 and report.articles[1].stats.grade == 0.9
