"""Medicine-safety links: a page that names a medicine links to the section on its safe use."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthsite.commands.cli import main
from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import SITE_YAML, article

SAFETY = """safety_links:
  - terms: [ibuprofen, naproxen, NSAID, NSAIDs, over the counter]
    link: pills.md#who-should-not-take-nsaids
"""
PILLS = "## Who should not take NSAIDs\n\nIbuprofen is an NSAID.\n\n## More\n\nText.\n"


def site(make_site, body: str, safety: str = SAFETY, **files: str) -> Path:
    """A site with a pills.md target article and an article a.md with `body`."""
    return make_site({"site.yaml": SITE_YAML + safety, "content/pills.md": article("Pills", PILLS),
                      "content/a.md": article("A", body), **files})


def warnings_of(root: Path) -> list[str]:
    """The safety-link warnings of a successful build."""
    return [str(w) for w in build(Options(root / "site.yaml", jobs=1)).warnings if "safety_links" in w.message]


def errors_of(root: Path, strict: bool = False) -> list[str]:
    """The problems of a failing build."""
    with pytest.raises(BuildError) as caught:
        build(Options(root / "site.yaml", jobs=1, strict=strict))
    return [str(p) for p in caught.value.problems if p.level == "error"]


def message(term: str) -> str:
    """The warning text for a term."""
    return (f"'{term}' is mentioned but the page does not link to pills.md#who-should-not-take-nsaids, where its "
            "safe use is explained: link to it (safety_links in site.yaml)")


def test_mention_without_link_warns_at_first_mention(make_site) -> None:
    """The first mention, whatever its case, is where the warning points."""
    root = site(make_site, "Rest first.\n\nThen try *Ibuprofen*.\n\nOr naproxen.\n")
    assert warnings_of(root) == [f"content/a.md:8: warning: {message('Ibuprofen')}"]


def test_strict_makes_it_an_error(make_site) -> None:
    """--strict turns the warning into an error."""
    root = site(make_site, "Try naproxen.\n")
    assert f"content/a.md:6: error: {message('naproxen')}" in errors_of(root, strict=True)


@pytest.mark.parametrize("body", [
    "Try [ibuprofen](pills.md#who-should-not-take-nsaids).\n",
    "Try ibuprofen.\n\nRead [who should not](pills.md#who-should-not-take-nsaids) first.\n",
    "Try ibuprofen.\n\n!!! care pills-advice\n",
    "No medicine is named here; ibuprofenate and pre-NSAIDsx are not words of the list.\n",
    "See [the pain article](pills.md) [@nsaids-review].\n",
])
def test_no_warning(make_site, body: str) -> None:
    """A link anywhere on the page (a shared card included), or no whole-word mention, gives no warning."""
    card = "---\nlevel: non-urgent\n---\n\nAsk first: [who should not take NSAIDs](pills.md#who-should-not-take-nsaids).\n"
    root = site(make_site, body, **{"content/care/pills-advice.md": card,
                                    "content/bibliography.yaml": "- {key: nsaids-review, citation: A review.}\n"})
    assert warnings_of(root) == []


def test_phrase_across_lines_and_in_card(make_site) -> None:
    """A phrase may break across lines; a mention inside a shared card warns at the card's line."""
    root = site(make_site, "Medicines bought\nover the\ncounter.\n")
    assert warnings_of(root) == [f"content/a.md:7: warning: {message('over the counter')}"]
    card = "---\nlevel: urgent\n---\n\n- You took naproxen and feel worse.\n"
    root = site(make_site, "Text.\n\n!!! care worse\n", **{"content/care/worse.md": card})
    assert warnings_of(root) == [f"content/care/worse.md:5: warning: {message('naproxen')}"]


def test_target_article_is_exempt(make_site) -> None:
    """The article that explains safe use mentions the terms freely."""
    root = site(make_site, "Nothing here.\n")
    assert warnings_of(root) == []


@pytest.mark.parametrize("link, expected", [
    ("pill.md#who-should-not-take-nsaids",
     "site.yaml:10: error: safety link to 'pill.md': the article does not exist in content/ (did you mean 'pills.md'?)"),
    ("pills.md#who-should-not-take-nsaid",
     "site.yaml:10: error: safety link to 'pills.md#who-should-not-take-nsaid': no heading with id "
     "'who-should-not-take-nsaid' there (did you mean 'who-should-not-take-nsaids'?)"),
    ("draft.md#x", "site.yaml:10: error: safety link to 'draft.md': the article is a draft (publish it or change "
                   "the link)"),
    ("pills.md", "site.yaml:10: error: 'link' must be an article file and a heading id, like "
                 "other-article.md#heading-id"),
])
def test_target_validated_like_a_cross_link(make_site, link: str, expected: str) -> None:
    """A safety link that leads nowhere is an error at its line of site.yaml."""
    root = site(make_site, "Text.\n", SAFETY.replace("pills.md#who-should-not-take-nsaids", link),
                **{"content/draft.md": article("D", "## X\n", draft="true")})
    assert errors_of(root) == [expected]


def test_terms_must_not_be_empty(make_site) -> None:
    """A rule needs at least one term."""
    root = site(make_site, "Text.\n", "safety_links:\n  - terms: []\n    link: pills.md#who-should-not-take-nsaids\n")
    assert errors_of(root) == ["site.yaml:9: error: 'terms' must list at least one word or phrase, none empty"]


def test_check_lists_them(make_site, capsys) -> None:
    """`check` prints the warning; with --strict it fails."""
    root = site(make_site, "Try naproxen.\n")
    assert main(["check", "--config", str(root / "site.yaml")]) == 0
    assert f"content/a.md:6: warning: {message('naproxen')}" in capsys.readouterr().out
    assert main(["check", "--strict", "--config", str(root / "site.yaml")]) == 1
    assert f"content/a.md:6: error: {message('naproxen')}" in capsys.readouterr().out


def test_mention_in_front_matter_counts_first(make_site) -> None:
    """The title, description and key takeaways are on the page too: a mention there warns at its key's line."""
    root = make_site({"site.yaml": SITE_YAML + SAFETY, "content/pills.md": article("Pills", PILLS),
                      "content/a.md": article("A", "Later naproxen.\n", key_takeaways='["Ibuprofen may help."]')})
    assert warnings_of(root) == [f"content/a.md:4: warning: {message('Ibuprofen')}"]
    root = make_site({"site.yaml": SITE_YAML + SAFETY,
                      "content/a.md": article("A", "See [it](pills.md#who-should-not-take-nsaids).\n",
                                              key_takeaways='["Ibuprofen may help."]')})
    assert warnings_of(root) == []
