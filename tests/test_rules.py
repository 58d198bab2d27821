"""Editorial rules and facts of site.yaml: each rule kind fails a violating page with its exact message at its
line (English and Spanish pages, inline and shared cards), facts reach every page, bad rules fail at their line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from healthsite.commands.cli import main
from healthsite.reading.config import load_config
from healthsite.pipeline import Options, build, validate
from healthsite.problems import BuildError
from healthsite.reading.rulevalues import regex_problem
from tests.conftest import REPO, SITE_YAML, article, copy_site

TODAY = dt.date(2026, 12, 4)
BIB = "- {key: smith, citation: Smith A. Backs. 2020.}\n"
RULES = """\
search: false
facts:
  poison-control: {value: 1-800-222-1222, phone: true}
  day-limit: "10"
  dose: "4,000 mg"
rules:
  required_cards:
    - tags: [back]
      cards: [red-flags]
      message: back articles show the red flags
  care_level:
    - at_least: emergency
      phrases: [trouble peeing, dificultad para orinar]
      message: trouble peeing is an emergency
  written_once:
    - card: red-flags
      phrases: [both legs, ambas piernas]
      message: the signs are written once
  consistent:
    - name: days of pain relievers
      phrases: ['pain reliever after {value} days', 'analgésico después de {value} días']
      fact: day-limit
      message: the label's limit
  avoid:
    - regex: ['\\bpilates\\b']
      instead: Pilates
      why: it is a name
      languages: [en]
"""
SPANISH = """\
languages:
  es:
    language: es-US
    name: Español
    title: Salud
    disclaimer: Información general.
    call_to_action: {heading: Ayuda, text: Hable con su médico.}
    facts:
      dose: "4000 mg"
"""
CARD = "---\nlevel: emergency\n---\n\n- Numbness in both legs.\n- New trouble peeing.\n"
CARD_ES = "---\nlevel: emergency\n---\n\n- Entumecimiento en ambas piernas.\n- Nueva dificultad para orinar.\n"


def site(make_site, body: str, config: str = "", tags: str = "[back]", **files: str) -> Path:
    """A site whose article a.md (tagged `tags`) has `body`, with the shared card red-flags and the rules above."""
    return make_site({"site.yaml": SITE_YAML + RULES + config, "content/bibliography.yaml": BIB,
                      "content/care/red-flags.md": CARD,
                      "content/a.md": article("A", body, tags=tags, related="[b]"),
                      "content/b.md": article("B", "See [a](a.md) [@smith].\n\n!!! care red-flags\n", tags="[back]"),
                      **files})


def problems_of(root: Path) -> list[str]:
    """Every problem a failing check reports."""
    with pytest.raises(BuildError) as caught:
        validate(Options(root / "site.yaml", jobs=1), TODAY)
    return [str(p) for p in caught.value.problems]


def warnings_of(root: Path) -> list[str]:
    """The warnings a passing check reports (readability aside: these bodies are a line long)."""
    return [str(p) for p in validate(Options(root / "site.yaml", jobs=1), TODAY)[1].warnings
            if "reading grade" not in p.message]


def page(root: Path, slug: str) -> BeautifulSoup:
    """A built page."""
    return BeautifulSoup((root / "_site" / slug / "index.html").read_text(), "html.parser")


OK = "Some words [@smith].\n\n!!! care red-flags\n"


def test_a_page_that_keeps_the_rules_passes(make_site) -> None:
    """A page with its shared card, the right value and the signs only in the shared card builds cleanly."""
    root = site(make_site, OK + "\nIf you still need a pain reliever after [=day-limit] days, see a doctor.\n")
    assert warnings_of(root) == []


def test_required_card_missing_is_an_error_at_the_tags_line(make_site) -> None:
    """An article about a tag that lacks its shared card: one error at its tags line naming the line to add."""
    root = site(make_site, "Some words [@smith].\n")
    assert problems_of(root) == [
        "content/a.md:4: error: articles about 'back' must show the shared care card 'red-flags': add a line "
        "'!!! care red-flags' to the article: back articles show the red flags"]


def test_care_level_phrase_in_an_urgent_inline_card(make_site) -> None:
    """Trouble peeing in an urgent card is an error at its line; in the emergency shared card it is fine."""
    body = OK + '\n!!! urgent "Get help today if"\n    - You have a fever.\n    - You have trouble peeing.\n'
    assert problems_of(site(make_site, body)) == [
        "content/a.md:14: error: 'trouble peeing' may appear only in a care card of level emergency or higher, "
        "not in an inline urgent care card: trouble peeing is an emergency"]


def test_care_level_phrase_in_prose(make_site) -> None:
    """The same phrase in the article's text is an error too (a phrase may break across lines)."""
    body = OK + "\nSome people have trouble\npeeing.\n"
    assert problems_of(site(make_site, body)) == [
        "content/a.md:12: error: 'trouble peeing' may appear only in a care card of level emergency or higher, "
        "not in the article's text: trouble peeing is an emergency"]


def test_care_level_in_a_shared_card_is_reported_in_the_card_file(make_site) -> None:
    """A shared card of a lower level that holds the phrase: the error is at the card file's line."""
    card = "---\nlevel: urgent\n---\n\n- A fever.\n- New trouble peeing.\n"
    root = site(make_site, OK, **{"content/care/red-flags.md": card})
    assert problems_of(root) == [
        "content/care/red-flags.md:6: error: 'trouble peeing' may appear only in a care card of level emergency or "
        "higher, not in the shared care card 'red-flags' (urgent): trouble peeing is an emergency"]


def test_written_once_retyped_in_an_inline_card(make_site) -> None:
    """Retyping the shared card's signs in an inline card: one error naming the shared card to use."""
    body = OK + "\n!!! emergency\n    - Numbness in both legs.\n    - Weakness in both legs.\n"
    assert [p for p in problems_of(site(make_site, body)) if ": error: " in p] == [
        "content/a.md:13: error: 'both legs' is written once, in the shared care card 'red-flags': show it with a "
        "line '!!! care red-flags' instead of retyping it in an inline emergency care card: the signs are written "
        "once"]


def test_consistent_value_other_than_the_fact(make_site) -> None:
    """7 days where the site's limit is 10: an error at its line; the fact's own value passes."""
    body = OK + "\nText.\n\nIf you still need a pain reliever after 7 days, see a doctor.\n"
    assert problems_of(site(make_site, body)) == [
        "content/a.md:14: error: days of pain relievers: 'pain reliever after 7 days' gives 7, but this site's value "
        "is 10 (write [=day-limit]): the label's limit"]


def test_avoid_is_a_warning_and_can_be_made_an_error(make_site) -> None:
    """An avoided word warns at its line (style), case-sensitive regex; `level: error` stops the build."""
    body = OK + "\nTry yoga or pilates. Pilates is fine.\n"
    expected = "content/a.md:12: warning: 'pilates': write 'Pilates' instead: it is a name"
    assert warnings_of(site(make_site, body)) == [expected]
    root = site(make_site, body, config="")
    config = root / "site.yaml"
    config.write_text(config.read_text().replace("      languages: [en]\n", "      languages: [en]\n      level: error\n"))
    assert problems_of(root) == [expected.replace("warning", "error")]


def test_a_rule_can_be_a_warning(make_site) -> None:
    """`level: warning` turns a safety rule's error into a warning."""
    root = site(make_site, "Some words [@smith].\n")
    config = root / "site.yaml"
    config.write_text(config.read_text().replace("      message: back articles show the red flags\n",
                                                 "      message: back articles show the red flags\n"
                                                 "      level: warning\n"))
    assert warnings_of(root) == [
        "content/a.md:4: warning: articles about 'back' must show the shared care card 'red-flags': add a line "
        "'!!! care red-flags' to the article: back articles show the red flags"]


def test_spanish_pages_shared_and_inline_cards(make_site) -> None:
    """The rules apply to a translated edition with its own phrases, shared cards and facts."""
    body_es = ("Texto [@smith].\n\n!!! care red-flags\n\n!!! urgent\n    - Tiene dificultad para orinar.\n\n"
               "Si necesita un analgésico después de 5 días, vea a un médico. Yoga o pilates.\n")
    root = site(make_site, OK, config=SPANISH, **{
        "content/es/care/red-flags.md": CARD_ES,
        "content/es/a.md": article("A es", body_es, tags="[back]", translation_of="a.md"),
        "content/es/b.md": article("B es", "Vea [a](a.md) [@smith].\n\n!!! emergency\n    - Ambas piernas.\n",
                                   tags="[back]", translation_of="b.md")})
    assert problems_of(root) == [
        "content/es/a.md:13: error: 'dificultad para orinar' may appear only in a care card of level emergency or "
        "higher, not in an inline urgent care card: trouble peeing is an emergency",
        "content/es/a.md:15: error: days of pain relievers: 'analgésico después de 5 días' gives 5, but this site's "
        "value is 10 (write [=day-limit]): the label's limit",
        "content/es/b.md:4: error: articles about 'back' must show the shared care card 'red-flags': add a line "
        "'!!! care red-flags' to the article: back articles show the red flags",
        "content/es/b.md:11: error: 'Ambas piernas' is written once, in the shared care card 'red-flags': show it "
        "with a line '!!! care red-flags' instead of retyping it in an inline emergency care card: the signs are "
        "written once"]


def test_facts_render_with_tel_links_per_language(make_site) -> None:
    """[=name] becomes the fact's value (a tel: link for a phone), in articles and shared cards; in code it stays."""
    card = CARD.replace("- New trouble peeing.", "- New trouble peeing. Call [=emergency-number].")
    body = OK + "\nCall Poison Control at [=poison-control]. At most [=dose] a day. Code: `[=dose]`.\n"
    root = site(make_site, body, config=SPANISH, **{
        "content/care/red-flags.md": card, "content/es/care/red-flags.md": CARD_ES,
        "content/es/a.md": article("A es", "Texto [@smith]. Hasta [=dose] al día.\n\n!!! care red-flags\n",
                                   tags="[back]", translation_of="a.md")})
    build(Options(root / "site.yaml", jobs=1))
    text = str(page(root, "a").find(class_="prose") or page(root, "a"))
    assert 'Poison Control at <a href="tel:+18002221222">1-800-222-1222</a>' in text
    assert "At most 4,000 mg a day" in text and "<code>[=dose]</code>" in text
    assert 'Call <a href="tel:911">911</a>.' in str(page(root, "a").select_one(".care-card--emergency"))
    assert "Hasta 4000 mg al día" in page(root, "es/a").get_text()
    assert '<a href="tel:911">911</a>' in str(page(root, "es/a").select_one(".disclaimer"))


def test_unknown_and_malformed_facts_are_errors_at_their_line(make_site) -> None:
    """An unknown fact (with did-you-mean) or a malformed one: an error at its line, in articles and shared cards."""
    card = CARD.replace("- New trouble peeing.", "- New trouble peeing. Call [=emergency-numbr].")
    root = site(make_site, OK + "\nCall [=poison-contrl] or [=Poison Control].\n",
                **{"content/care/red-flags.md": card})
    assert problems_of(root) == [
        "content/a.md:12: error: malformed fact '[=Poison Control]': write [=name], a name of lowercase letters, "
        "digits and '-' from facts: in site.yaml",
        "content/a.md:12: error: unknown fact 'poison-contrl' (did you mean 'poison-control'?): add it to facts: "
        "in site.yaml or fix the name",
        "content/care/red-flags.md:6: error: unknown fact 'emergency-numbr' (did you mean 'emergency-number'?): add "
        "it to facts: in site.yaml or fix the name"]


def test_a_fact_in_a_template(make_site) -> None:
    """fact('name') in a template; an unknown name is an error at the template's line."""
    root = site(make_site, OK)
    (root / "templates" / "404.html").write_text("{{ fact('poison-control') }} {{ fact('dose', link=true) }}\n"
                                                 "{{ fact('posion-control') }}\n")
    problems = problems_of(root)
    assert problems == ["templates/404.html:2: error: template: unknown fact 'posion-control' (did you mean "
                        "'poison-control'?): add it to facts: in site.yaml or fix the name"]


@pytest.mark.parametrize("rules, line, message", [
    ("  care_levl: []\n", 2, "unknown key 'care_levl' (did you mean 'care_level'?)"),
    ("  avoid:\n    - regex: [ok, '(a+)+b']\n      instead: x\n      why: y\n", 3,
     "'regex' pattern '(a+)+b' repeats a group that itself repeats (like (a+)+): this can make matching take "
     "forever; write it without the nested repeat"),
    ("  avoid:\n    - regex:\n        - fine\n        - '(ab|cd)*z'\n      instead: x\n      why: y\n", 5,
     "'regex' pattern '(ab|cd)*z' repeats an alternation (like (a|b)+): this can make matching take forever; use a "
     "character class or write the alternatives out"),
    ("  avoid:\n    - regex: ['a[']\n      instead: x\n      why: y\n", 3,
     "'regex' pattern 'a[' is not a valid regular expression: unterminated character set at position 1"),
    ("  avoid:\n    - phrases: ['" + "a" * 201 + "']\n      instead: x\n      why: y\n", 3,
     "'phrases' has a phrase of 201 characters (at most 200)"),
    ("  consistent:\n    - name: n\n      regex: ['after \\d+ days']\n      value: '10'\n      message: m\n", 4,
     "'regex' pattern 'after \\d+ days' must have exactly one group in parentheses, around the value: use (?:...) "
     "for other groups"),
    ("  care_level:\n    - at_least: critical\n      phrases: [x]\n      message: m\n", 3,
     "'at_least' must be one of non-urgent, urgent, emergency"),
    ("  consistent:\n    - name: n\n      phrases: ['after {value} days']\n      fact: day-limt\n      message: m\n",
     3, "unknown fact 'day-limt' (did you mean 'day-limit'?): add it to facts: in site.yaml or fix the name"),
    ("  consistent:\n    - name: n\n      phrases: ['after {value} days']\n      message: m\n", 3,
     "the consistent rule 'n' needs either value: or fact: (one of them)"),
    ("  written_once:\n    - card: x\n      message: m\n", 3,
     "the rule has no phrases and no regex: give it at least one"),
])
def test_bad_rules_are_errors_at_their_site_yaml_line(tmp_path: Path, rules: str, line: int, message: str) -> None:
    """Unknown keys, wrong values and risky patterns: errors at their line of site.yaml."""
    path = tmp_path / "site.yaml"
    path.write_text("rules:\n" + rules + SITE_YAML + 'facts:\n  day-limit: "10"\n')
    config, problems = load_config(path, tmp_path)
    assert config is None and [str(p) for p in problems] == [f"site.yaml:{line}: error: {message}"]


def test_facts_schema_and_the_older_emergency_number(tmp_path: Path) -> None:
    """A bad fact name, a phone fact that is no number, and the emergency number set twice: errors at their line."""
    path = tmp_path / "site.yaml"
    path.write_text(SITE_YAML + 'facts:\n  ok: "2"\n  Poison: "1"\n')
    assert [str(p) for p in load_config(path, tmp_path)[1]] == [
        "site.yaml:10: error: 'facts' has the name 'Poison': a fact's name is lowercase letters, digits and '-', "
        "like poison-control"]
    path.write_text(SITE_YAML + 'facts:\n  line: {value: call us, phone: true}\n')
    assert [str(p) for p in load_config(path, tmp_path)[1]] == [
        "site.yaml:9: error: 'facts' 'line' is marked phone: true but 'call us' is not a phone number"]
    path.write_text(SITE_YAML + 'emergency_number: "112"\nfacts:\n  emergency-number: "999"\n')
    assert [str(p) for p in load_config(path, tmp_path)[1]] == [
        "site.yaml:8: error: the emergency number is set twice: keep facts: emergency-number and delete "
        "emergency_number (its older name)"]
    path.write_text(SITE_YAML + 'emergency_number: "112"\n')
    assert load_config(path, tmp_path)[0].all_facts["emergency-number"].value == "112"


def test_regex_screen() -> None:
    """Nested repeats, repeated alternations, back-references and too many unbounded repeats are refused."""
    assert regex_problem(r"(?i)\bpain\b[^.]{0,80}?\bafter\s+(\w+)\s+days") is None
    assert "nested repeat" in regex_problem(r"(?:\w+\s?)+$")
    assert "refers back" in regex_problem(r"(a)\1")
    assert "unbounded" in regex_problem(r"a+b+c+d+e+")


def test_done_when_a_new_article_breaks_four_rules(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The shipped site with a new running article that omits the shared cards, files trouble peeing as urgent,
    retypes the cauda equina signs and gives 7 days: build and check fail with one error each, at its line."""
    config = copy_site(REPO, tmp_path / "site")
    (tmp_path / "site" / "content" / "knee-pain-in-runners.md").write_text(
        "---\ntitle: Knee pain in runners\ndescription: Why knees hurt.\ntags: [running]\n---\n\n"
        "Most knee pain gets better [@nhs-back-pain]. See [causes](what-causes-lower-back-pain.md).\n\n"
        "If you still need a pain reliever after 7 days, talk to a doctor.\n\n"
        '!!! urgent "Get medical help today if"\n    - you have trouble peeing\n\n'
        "!!! emergency\n    - Numbness or weakness in both legs.\n    - Loss of control of your bladder or bowels.\n")
    assert main(["--config", str(config), "check"]) == 1
    shown = [line for line in capsys.readouterr().out.splitlines() + [] if "knee-pain" in line]
    assert main(["--config", str(config), "--out", str(tmp_path / "out")]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "knee-pain" in line and ": error: " in line]
    assert [re.sub(r": error: .*", "", e) for e in errors] == [
        "content/knee-pain-in-runners.md:4", "content/knee-pain-in-runners.md:9",
        "content/knee-pain-in-runners.md:12", "content/knee-pain-in-runners.md:15"]
    assert "shared care cards 'back-pain-emergency' and 'back-pain-urgent'" in errors[0]
    assert "gives 7, but this site's value is 10" in errors[1]
    assert "'trouble peeing' may appear only in a care card of level emergency" in errors[2]
    assert "'both legs' is written once, in the shared care card 'back-pain-emergency'" in errors[3]
    assert shown == [] or len(shown) >= 4


def test_rule_and_fact_edits_reach_a_cached_build(make_site) -> None:
    """A rule added to site.yaml fails the next (cached) build at the line; a fact's new value reaches its page."""
    root = site(make_site, OK + "\nCall [=poison-control] about [=dose]. Some people have trouble sleeping.\n")
    build(Options(root / "site.yaml", jobs=1))
    assert "about 4,000 mg" in page(root, "a").get_text()
    config = root / "site.yaml"
    config.write_text(config.read_text().replace('dose: "4,000 mg"', 'dose: "3,000 mg"'))
    build(Options(root / "site.yaml", jobs=1))
    assert "about 3,000 mg" in page(root, "a").get_text() and "about 3,000 mg" not in page(root, "b").get_text()
    config.write_text(config.read_text().replace("phrases: [trouble peeing,", "phrases: [trouble sleeping,"))
    with pytest.raises(BuildError) as caught:
        build(Options(root / "site.yaml", jobs=1))
    assert [str(p) for p in caught.value.problems] == [
        "content/a.md:12: error: 'trouble sleeping' may appear only in a care card of level emergency or higher, not "
        "in the article's text: trouble peeing is an emergency"]


def test_a_rule_edit_rewrites_no_page_and_a_fact_edit_only_the_pages_that_show_it(make_site) -> None:
    """Rules change what is checked, not a page: no page is written again; a fact's page is, the others are not."""
    root = site(make_site, OK + "\nCall [=poison-control].\n")
    build(Options(root / "site.yaml", jobs=1))
    pages = {slug: root / "_site" / slug / "index.html" for slug in ("a", "b")}

    def written() -> dict[str, int]:
        return {slug: path.stat().st_ino for slug, path in pages.items()}
    before = written()
    config = root / "site.yaml"
    config.write_text(config.read_text().replace("[trouble peeing,", "[trouble sleeping, trouble peeing,"))
    build(Options(root / "site.yaml", jobs=1))
    assert written() == before
    config.write_text(config.read_text().replace("value: 1-800-222-1222", "value: 1-800-222-1000"))
    build(Options(root / "site.yaml", jobs=1))
    after = written()
    assert after["a"] != before["a"] and after["b"] == before["b"]
    assert 'href="tel:+18002221000"' in pages["a"].read_text()


def refs_with(rules_yaml: str = "", facts: dict | None = None):
    """Site references with the facts and the text rules of a rules: block (for rendering one body)."""
    from healthsite.reading.facts import Fact
    from healthsite.mdext import Refs
    from healthsite.reading.rules import Rules, text_rules
    from healthsite.reading.typed import Reader, load
    rules = load(Rules, rules_yaml, Reader("site.yaml")) if rules_yaml else Rules()
    known = {"emergency-number": Fact("911", phone=True), **(facts or {})}
    return Refs({}, frozenset(), frozenset(), "911", facts=known, rules=text_rules(rules, known, "en-US", ""))


def test_fact_markup_unit() -> None:
    """The inline extension: a text fact, a phone fact with digits only in tel:, and the value never re-parsed."""
    from healthsite.reading.facts import Fact
    from healthsite.mdext.markup import Renderer
    refs = refs_with(facts={"dose": Fact("*1,200 mg*"), "line": Fact("+1 (800) 222-1222", phone=True)})
    body = Renderer(refs).render("a.md", "Take [=dose]; call [=line].\n", 1)
    assert body.problems == ()
    assert body.html == '<p>Take *1,200 mg*; call <a href="tel:+18002221222">+1 (800) 222-1222</a>.</p>'
    assert ("fact", "dose", body.lookups[[k for k, _, _ in body.lookups].index("fact")][2]) in body.lookups


def test_rules_read_cards_nested_in_lists_and_ignore_markup() -> None:
    """A card indented inside a list is a card; link targets, citations and comments are not text."""
    from healthsite.mdext.markup import Renderer
    refs = refs_with("care_level:\n  - {at_least: emergency, phrases: [cannot pee], message: m}\n")
    text = ("- Item\n\n    !!! urgent\n        - You cannot\n          pee.\n\n"
            "See [x](https://example.org/ \"cannot pee\") <!-- cannot pee -->.\n")
    problems = [str(p) for p in Renderer(refs).render("a.md", text, 10).problems]
    assert problems == ["a.md:13: error: 'cannot pee' may appear only in a care card of level emergency or higher, "
                        "not in an inline urgent care card: m"]


def test_a_fact_in_the_front_matter_is_an_error(make_site) -> None:
    """A fact in the title, description or key takeaways would be published as typed: an error at its line."""
    root = site(make_site, OK, **{"content/a.md": article("A", OK, tags="[back]", related="[b]",
                                                          key_takeaways='["Stop after [=day-limit] days."]')})
    assert problems_of(root) == [
        "content/a.md:6: error: '[=day-limit]' in 'key_takeaways': a fact works only in the article's text; write "
        "the value here"]


def test_a_rule_given_per_language(make_site) -> None:
    """A rule's translation replaces its phrases and message on the edition's pages, and only there."""
    rule = ("  avoid:\n    - phrases: [lumbago]\n      instead: lower back pain\n      why: plain words\n"
            "      translations:\n        es: {phrases: [lumbalgia], instead: dolor lumbar, why: palabras sencillas}\n")
    root = site(make_site, OK + "\nLumbago, lumbalgia.\n", config=SPANISH, **{
        "content/es/care/red-flags.md": CARD_ES,
        "content/es/a.md": article("A es", "Texto [@smith]. Lumbago, lumbalgia.\n\n!!! care red-flags\n",
                                   tags="[back]", translation_of="a.md")})
    config = root / "site.yaml"
    config.write_text(config.read_text().replace("  avoid:\n", rule + "  avoid_old:\n", 1).replace(
        "  avoid_old:\n    - regex", "    - regex"))
    assert sorted(w for w in warnings_of(root) if "instead" in w) == [
        "content/a.md:12: warning: 'Lumbago': write 'lower back pain' instead: plain words",
        "content/es/a.md:8: warning: 'lumbalgia': write 'dolor lumbar' instead: palabras sencillas"]


NEW_SIGNS = (  # a new running article that files the emergency card's new signs too low and changes the dose limits
    "---\ntitle: Hip pain in runners\ndescription: Why hips hurt.\ntags: [running]\n---\n\n"
    "Most hip pain gets better [@nhs-back-pain]. See [causes](what-causes-lower-back-pain.md).\n\n"
    "!!! care back-pain-emergency\n\n!!! care back-pain-urgent\n\n"
    "Adults should take no more than 8 tablets in 24 hours. That is 3,000 mg.\n\n"
    "Avoid NSAIDs after 30 weeks of pregnancy.\n\n"
    '!!! urgent "Get medical help today if"\n    - you have chest pain\n\n'
    '!!! non-urgent "See a doctor if"\n    - your back hurts after a car crash\n\n'
    "!!! emergency\n    - you have sudden, tearing pain in your back\n")


def test_the_shipped_rules_hold_the_new_emergency_signs_and_dose_limits(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture) -> None:
    """The shipped site with a new article that puts chest pain in an urgent card, back pain after a car crash in a
    non-urgent one, retypes tearing pain and changes 4,000 mg and 20 weeks: one error each, at its line; and chest
    pain added to the Spanish shared urgent card is an error at the card file's line."""
    config = copy_site(REPO, tmp_path / "site")
    content = tmp_path / "site" / "content"
    (content / "hip-pain-in-runners.md").write_text(NEW_SIGNS)
    assert main(["--config", str(config), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if "hip-pain" in line and ": error: " in line]
    assert errors == [
        "content/hip-pain-in-runners.md:13: error: the most acetaminophen an adult takes in 24 hours: 'tablets in 24 "
        "hours. That is 3,000 mg' gives 3,000 mg, but this site's value is 4,000 mg (write [=acetaminophen-daily-max])"
        ": the acetaminophen Drug Facts label's daily maximum; a lower maximum for some readers is a pharmacist's "
        "advice, not a second limit",
        "content/hip-pain-in-runners.md:15: error: weeks of pregnancy from which NSAIDs are avoided: 'NSAIDs after 30 "
        "weeks' gives 30, but this site's value is 20 (write [=nsaid-pregnancy-weeks]): the FDA's advice is to avoid "
        "NSAIDs from 20 weeks of pregnancy unless a doctor advises one; the same week on every page",
        "content/hip-pain-in-runners.md:18: error: 'chest pain' may appear only in a care card of level emergency or "
        "higher, not in an inline urgent care card: chest pain is a reason to call the emergency number, never "
        "\"get help today\"; the shared emergency card lists it",
        "content/hip-pain-in-runners.md:21: error: 'car crash' may appear only in a care card of level emergency or "
        "higher, not in an inline non-urgent care card: back pain after a serious accident (a car crash, a fall from "
        "a height), and pain between the shoulders with trouble breathing, are emergencies; a minor fall in someone "
        "older or with weak bones can stay \"today\"",
        "content/hip-pain-in-runners.md:24: error: 'tearing pain' is written once, in the shared care card "
        "'back-pain-emergency': show it with a line '!!! care back-pain-emergency' instead of retyping it in an "
        "inline emergency care card: the emergency signs of back pain are listed once, complete, in the shared "
        "emergency card"]
    (content / "hip-pain-in-runners.md").unlink()
    urgent = content / "es" / "care" / "back-pain-urgent.md"
    urgent.write_text(urgent.read_text().replace("- Ha tenido cáncer en el pasado.\n",
                                                 "- Ha tenido cáncer en el pasado.\n- Tiene dolor en el pecho.\n"))
    assert main(["--config", str(config), "--out", str(tmp_path / "out")]) == 1
    assert [line for line in capsys.readouterr().err.splitlines() if ": error: " in line] == [
        "content/es/care/back-pain-urgent.md:9: error: 'dolor en el pecho' may appear only in a care card of level "
        "emergency or higher, not in the shared care card 'back-pain-urgent' (urgent): el dolor en el pecho es motivo "
        "para llamar al número de emergencias, nunca para \"buscar ayuda hoy\"; la tarjeta compartida de emergencia "
        "lo incluye"]
