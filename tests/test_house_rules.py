"""House rules from site.yaml's `editorial:` section, section grades, and the ranking by severity."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from healthsite.commands import report
from healthsite.commands.cli import main
from healthsite.problems import CATEGORIES, Problem, ranked, warning
from tests.conftest import SITE_YAML, article
from tests.test_editorial import EASY, REVIEWED, Maker, good_site, row, warnings_of

JARGON = ("Intervertebral disc degeneration with concomitant radiculopathy necessitates comprehensive "
          "multidisciplinary evaluation incorporating neurological examination, electrodiagnostic "
          "investigations, magnetic resonance imaging and individualised pharmacological management "
          "considerations [@nhs].\n")
SHORT_EASY = "".join(f"Walk a bit each day {n} [@nhs]. Rest when you need to. Keep going.\n" for n in range(12))


def rules(**values: object) -> str:
    """site.yaml with the given house rules."""
    return SITE_YAML + "editorial:\n" + "".join(f"  {key}: {value}\n" for key, value in values.items())


def test_a_hard_section_warns_at_its_heading_though_the_page_passes(make_site: Maker) -> None:
    """One jargon paragraph under its own h2: the page average passes, the section is flagged at its heading."""
    body = SHORT_EASY + "See [B](b.md).\n\n## What the tests show\n\n" + JARGON + "\n## Getting better\n\n" + EASY
    files = good_site(**{"content/a.md": article("A", body, **REVIEWED)})
    found = warnings_of(make_site, files)
    assert row(make_site, files).readability == "pass"
    hard = [w for w in found if "hard section" in w]
    assert len(hard) == 1 and hard[0].startswith("content/a.md:23: warning: hard section 'What the tests show': "
                                                 "reading grade ")
    assert "(above 8); aim for 8 or below" in hard[0]
    assert row(make_site, files).stats.sections[0] > 8 >= row(make_site, files).stats.sections[1]


def test_a_section_at_the_target_passes(make_site: Maker) -> None:
    """Easy sections give no section warning; the threshold is pass_grade of site.yaml."""
    body = EASY + "See [B](b.md).\n\n## First\n\n" + EASY + "\n## Second\n\n" + EASY
    assert warnings_of(make_site, good_site(**{"content/a.md": article("A", body, **REVIEWED)})) == []
    files = good_site(**{"content/a.md": article("A", "See [B](b.md).\n\n## Hard\n\n" + JARGON, **REVIEWED),
                         "site.yaml": rules(pass_grade=40, warn_grade=50)})
    assert warnings_of(make_site, files) == []


def test_house_rules_warn_with_their_numbers(make_site: Maker) -> None:
    """Words, cross-links, citations and description length, each against its site.yaml setting."""
    long_description = "A" * 170
    text = f'---\ntitle: "A"\ndescription: "{long_description}"\n' + "\n".join(
        f"{k}: {v}" for k, v in REVIEWED.items()) + "\n---\n\n" + EASY + "See [B](b.md).\n"
    files = good_site(**{"content/a.md": text,
                         "site.yaml": rules(min_words=50, min_cross_links=2, min_citations=2)})
    assert [w for w in warnings_of(make_site, files) if w.startswith("content/a.md")] == [
        "content/a.md:9: warning: too few citations: 1 source cited (at least 2); support its main claims with "
        "sources from the bibliography, as [@key]",
        "content/a.md:3: warning: description too long: 170 characters (at most 160); search engines cut it off",
        "content/a.md:9: warning: few cross-links: links to 1 other article (at least 2); link related articles "
        "in the text as [text](other-article.md)",
        "content/a.md:9: warning: short article: 18 words (at least 50); say what readers need to know and do",
    ]
    files["site.yaml"] = rules(min_words=10, min_cross_links=1, min_citations=1, max_description=200)
    assert warnings_of(make_site, files) == []


def test_every_warning_has_a_category_and_ranks_by_it(make_site: Maker) -> None:
    """Overdue review is safety, citations evidence, grades readability, length style; safety ranks first."""
    overdue = {**REVIEWED, "next_review_due": "2026-05-31"}
    files = good_site(**{"content/a.md": article("A", "Keep moving. See [B](b.md).\n", **overdue),
                         "content/b.md": article("B", "See [A](a.md).\n\n" + JARGON, **REVIEWED),
                         "site.yaml": rules(min_words=20)})
    found = warnings_of(make_site, files)
    categories = [w.split(": warning: ")[1].split(":")[0] for w in found]
    assert categories == ["review overdue since 2026-05-31", "no citations", "hard to read", "short article"]
    assert [p.category for p in ranked_problems(make_site, files)] == ["safety", "evidence", "readability", "style"]


def ranked_problems(make_site: Maker, files: dict[str, str]) -> list[Problem]:
    """The editorial report's warnings as values."""
    from tests.test_editorial import TODAY, site_of
    from healthsite.review import editorial
    return list(editorial.review(site_of(make_site, files), TODAY).warnings)


def test_one_argument_tags_a_warning_safety() -> None:
    """Another module's warning becomes a safety matter with one argument, and outranks the rest."""
    style = warning("content/a.md", 3, "a style note")
    safety = warning("content/z.md", 9, "mentions ibuprofen but links no medicine-safety advice", category="safety")
    assert (style.category, safety.category) == ("style", "safety")
    assert ranked([style, safety]) == [safety, style]
    assert CATEGORIES == ("safety", "evidence", "readability", "style")
    assert ranked([Problem("b.md", 1, "x", "error"), safety])[0].level == "error"


def test_check_lists_only_articles_with_problems_most_serious_first(make_site: Maker,
                                                                      capsys: pytest.CaptureFixture) -> None:
    """Rows are ranked by severity; --all adds the articles without problems; problems are grouped above them."""
    overdue = {**REVIEWED, "next_review_due": "2026-05-31"}
    files = good_site(**{"content/a.md": article("A", "Keep moving. See [B](b.md) and [C](c.md).\n", **REVIEWED),
                         "content/b.md": article("B", EASY + "See [A](a.md).\n", **overdue),
                         "content/c.md": article("C", EASY + "See [A](a.md).\n", **REVIEWED)})
    root = make_site(files)
    assert main(["check", "--config", str(root / "site.yaml")]) == 0
    out, err = capsys.readouterr()
    problems, rows = out.split("article  ", 1)
    assert err == ""
    assert [line.split()[0] for line in rows.splitlines()[1:3]] == ["b", "a"]
    assert rows.splitlines()[3] == ""
    assert [line for line in problems.splitlines() if ":" not in line.split()[0][:-1]] == ["safety: 1 warning",
                                                                                           "evidence: 1 warning"]
    assert out.index("safety:") < out.index("overdue") < out.index("evidence:") < out.index("no citations")
    assert main(["check", "--config", str(root / "site.yaml"), "--all"]) == 0
    rows = capsys.readouterr().out.split("article  ", 1)[1]
    assert [line.split()[0] for line in rows.splitlines()[1:4]] == ["b", "a", "c"]


def test_json_carries_the_same_ranking(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """--format json: warnings and articles in the order of the text report, with categories."""
    overdue = {**REVIEWED, "next_review_due": "2026-05-31"}
    root = make_site(good_site(**{"content/a.md": article("A", "Keep moving. See [B](b.md).\n", **REVIEWED),
                                  "content/b.md": article("B", EASY + "See [A](a.md).\n", **overdue)}))
    assert main(["check", "--config", str(root / "site.yaml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(w["path"], w["category"]) for w in data["warnings"]] == [("content/b.md", "safety"),
                                                                      ("content/a.md", "evidence")]
    assert [a["slug"] for a in data["articles"]] == ["b", "a"]
    assert data["articles"][0]["problems"]["safety"] == 1


def test_colour_marks_only_what_breaks_a_rule(make_site: Maker, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal an article without problems has no colour at all; 'not reviewed' is never coloured."""
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    monkeypatch.delenv("NO_COLOR", raising=False)
    root = make_site(good_site(**{"content/a.md": article("A", "Keep moving. See [B](b.md).\n"),
                                  "content/b.md": article("B", EASY + "See [A](a.md).\n")}))
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["check", "--config", str(root / "site.yaml"), "--all"]) == 0
    lines = terminal.getvalue().splitlines()
    a, b = (next(line for line in lines if line.split()[0] in (f"\033[1m{s}", s)) for s in "ab")
    assert re.search("\033\\[1;31m +0\033\\[0m", a) and "\033[" not in b and "not reviewed" in b


def test_long_column_and_warning_use_one_threshold(make_site: Maker) -> None:
    """A sentence counted as long in the table is exactly one the warning names, and the legend says so."""
    long = " ".join(["word"] * 30) + " [@nhs].\n"
    files = good_site(**{"content/a.md": article("A", EASY + "See [B](b.md).\n\n" + long, **REVIEWED),
                         "site.yaml": rules(max_sentence_words=28)})
    assert row(make_site, files).long_sentences == 1
    assert [w for w in warnings_of(make_site, files) if "long sentence" in w][0].endswith(
        "long sentence: 30 words (at most 28): 'word word word word word word ...'")


def test_not_reviewed_is_red_only_where_site_yaml_requires_review(make_site: Maker) -> None:
    """'not reviewed' is a fact, uncoloured; with require_review it is a safety warning, and red."""
    from tests.test_editorial import TODAY, site_of
    from healthsite.review import editorial
    article_row = editorial.review(site_of(make_site, good_site(**{"content/a.md": article("A", EASY)})), TODAY)
    a = next(x for x in article_row.articles if x.slug == "a")
    rules_ = article_row.thresholds
    assert report.row(a, rules_, require_review=False)[9] == ("not reviewed", "")
    assert report.row(a, rules_, require_review=True)[9] == ("not reviewed", "red")


def test_a_hard_section_is_found_under_markup_and_custom_ids(make_site: Maker) -> None:
    """A heading with emphasis and an attribute list still gets the warning at its own line."""
    body = EASY + "See [B](b.md).\n\n## What *the* tests show {#tests}\n\n" + JARGON
    files = good_site(**{"content/a.md": article("A", body, **REVIEWED), "site.yaml": rules(warn_grade=99,
                                                                                             pass_grade=20)})
    assert [w for w in warnings_of(make_site, files) if "hard section" in w][0].startswith(
        "content/a.md:12: warning: hard section 'What the tests show': reading grade ")


def test_quiet_check_prints_only_the_problems(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """check -q: the grouped problems, no table, legend or summary."""
    root = make_site(good_site(**{"content/a.md": article("A", "Keep moving. See [B](b.md).\n", **REVIEWED)}))
    assert main(["check", "-q", "--config", str(root / "site.yaml")]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.splitlines() == ["evidence: 1 warning", "content/a.md:9: warning: no citations: "
                                              "support the article with at least one source from the "
                                              "bibliography, cited as [@key]"]
