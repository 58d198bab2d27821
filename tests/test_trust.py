"""People, recorded medical reviews that know when they are stale, change history, policy pages and feedback."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from healthsite.commands.cli import main
from healthsite.pipeline import Options, build, validate
from healthsite.problems import BuildError
from healthsite.commands.report import summary
from tests.conftest import SITE_YAML, article

Maker = Callable[[dict[str, str]], Path]
BODY = "Intro text.\n\n## Causes\n\nSome causes.\n\n## Treatment\n\nRest a little and keep moving.\n"
TEAM = "---\nname: Test team\nkind: organization\nrole: Writers\n---\n\nWe write the test site.\n"
REVIEWER = ("---\nname: Dana Fictional\nrole: Family physician (fictional, for tests)\ncredentials: [MD]\n"
            "affiliations: [Test Clinic]\nconflicts_of_interest: None declared.\n---\n\nA fictional reviewer.\n")
POLICY = "---\ntitle: How we write and review\ndescription: How we work.\nbyline: true\n---\n\nWe check sources.\n"


def files(**extra: str) -> dict[str, str]:
    """A site with people, a policy page, feedback by email and one article by the team."""
    return {"site.yaml": SITE_YAML + "default_author: team\nfeedback:\n  report: mailto:ed@test.example\n"
                                     "  helpful: true\n",
            "content/people/team.md": TEAM, "content/people/dana.md": REVIEWER,
            "content/pages/how-we-work.md": POLICY,
            "content/a.md": article("Alpha", BODY, date="2026-01-10"), **extra}


def page(out: Path, slug: str) -> BeautifulSoup:
    """A built page."""
    return BeautifulSoup((out / slug / "index.html").read_text(), "html.parser")


def graph(soup: BeautifulSoup) -> dict:
    """The MedicalWebPage node of an article page."""
    data = json.loads(soup.find("script", type="application/ld+json").string)
    return next(node for node in data["@graph"] if node["@type"] == "MedicalWebPage")


def errors(root: Path) -> list[str]:
    """The errors of a failed build."""
    with pytest.raises(BuildError) as failed:
        build(Options(root / "site.yaml", root / "out", clean=True))
    return [str(p) for p in failed.value.problems]


def test_person_page_lists_what_they_wrote_and_byline_links_it(make_site: Maker) -> None:
    """/people/KEY/ shows name, role, credentials and articles; the byline links the author; JSON-LD author."""
    root = make_site(files())
    build(Options(root / "site.yaml", root / "out", clean=True))
    team = page(root / "out", "people/team")
    assert team.find("h1").get_text() == "Test team"
    assert [a["href"] for a in team.select(".person-articles a")] == ["/a/"]
    alpha = page(root / "out", "a")
    assert alpha.select_one(".byline-author a")["href"] == "/people/team/"
    assert graph(alpha)["author"] == {"@type": "Organization", "name": "Test team",
                                      "@id": "https://test.example/people/team/#person",
                                      "url": "https://test.example/people/team/"}
    assert "Not yet medically reviewed" in alpha.select_one(".page-review").get_text()
    assert "reviewedBy" not in graph(alpha)


def test_unknown_person_and_reviewer_without_credentials_are_errors_at_their_line(make_site: Maker) -> None:
    """An unknown key is an error at its line with did-you-mean; so is a reviewer without credentials."""
    root = make_site(files(**{"content/a.md": article("Alpha", BODY, author="dnaa"),
                              "content/b.md": article("Beta", BODY, reviewed_by="team",
                                                      last_reviewed="2026-01-01")}))
    assert errors(root) == [
        "content/a.md:4: error: author 'dnaa': no such person in content/people/ (did you mean 'dana'?) (write "
        "the key: the file name without .md)",
        "content/b.md:4: error: reviewer 'team' has no credentials: a medical review needs a reviewer whose "
        "qualifications readers can check (add 'credentials' to content/people/team.md, or choose another "
        "reviewer)"]


def test_reviewed_records_the_review_and_an_edit_makes_it_stale(make_site: Maker) -> None:
    """`reviewed` writes who, when and each section's digest; the page then says who reviewed it, with Person
    JSON-LD; after an edit of one section it says it changed since, and check lists it under safety."""
    root = make_site(files())
    config = root / "site.yaml"
    assert main(["reviewed", "a", "--by", "dana", "--date", "2026-11-01", "--config", str(config), "-q"]) == 0
    text = (root / "content" / "a.md").read_text()
    assert "reviewed_by: dana\nlast_reviewed: 2026-11-01\nreviewed_version: " in text
    build(Options(config, root / "out", clean=True))
    alpha = page(root / "out", "a")
    assert " ".join(alpha.select_one(".page-review__by").get_text().split()) == "Medically reviewed by Dana " \
                                                                                 "Fictional, MD"
    node = graph(alpha)
    assert node["lastReviewed"] == "2026-11-01" and node["reviewedBy"]["hasCredential"] == [
        {"@type": "EducationalOccupationalCredential", "name": "MD"}]
    assert node["reviewedBy"]["@id"] == "https://test.example/people/dana/#person"
    assert [a["href"] for a in page(root / "out", "people/dana").select(".person-articles a")] == ["/a/"]
    (root / "content" / "a.md").write_text(text.replace("Some causes.", "Some other causes."))
    report = build(Options(config, root / "out"))
    review = " ".join(page(root / "out", "a").select_one(".page-review").get_text().split())
    assert review == "Changed since its last medical review on November 1, 2026 Changed sections: Causes"
    assert "reviewedBy" not in graph(page(root / "out", "a"))
    stale = [p for p in report.warnings if p.category == "safety"]
    assert [str(p) for p in stale] == [
        "content/a.md:7: warning: changed since its last medical review on 2026-11-01 ('Causes'): have it "
        "reviewed again, then run `python build.py reviewed a --by dana`"]
    report = validate(Options(config), dt.date(2026, 12, 1))[1]
    assert [p for p in report.warnings if p.category == "safety"] == stale
    assert [article.review.status for article in report.articles] == ["changed"]
    assert "1 changed since review" in summary(report)


def test_shared_care_cards_count_as_part_of_the_reviewed_text(make_site: Maker) -> None:
    """Editing a shared care card an article uses makes its review stale."""
    card = "---\nlevel: urgent\ntitle: Get help today if\n---\n\n- your leg is weak\n"
    root = make_site(files(**{"content/care/weak-leg.md": card,
                              "content/a.md": article("Alpha", BODY + "\n!!! care weak-leg\n")}))
    config = root / "site.yaml"
    assert main(["reviewed", "a", "--by", "dana", "--config", str(config), "-q"]) == 0
    assert not [p for p in build(Options(config, root / "out")).warnings if p.category == "safety"]
    (root / "content" / "care" / "weak-leg.md").write_text(card.replace("weak", "numb"))
    assert [p.message.split(" (")[1].split(")")[0] for p in build(Options(config, root / "out")).warnings
            if p.category == "safety"] == ["'Treatment'"]


def test_require_review_makes_unreviewed_and_stale_pages_errors(make_site: Maker) -> None:
    """With require_review, an unreviewed article is an error in the build, and so is a stale one."""
    root = make_site(files())
    (root / "site.yaml").write_text((root / "site.yaml").read_text() + "require_review: true\n")
    assert errors(root) == ["content/a.md:1: error: not yet medically reviewed (site.yaml sets require_review): "
                            "have it reviewed, then run `python build.py reviewed a --by KEY`"]
    assert main(["reviewed", "a", "--by", "dana", "--date", "2026-11-01", "--config", str(root / "site.yaml"),
                 "-q"]) == 0
    build(Options(root / "site.yaml", root / "out", clean=True))
    path = root / "content" / "a.md"
    path.write_text(path.read_text().replace("Rest a little", "Rest"))
    assert [e.split(": error: ")[1].split(" (")[0] for e in errors(root)] == [
        "changed since its last medical review on 2026-11-01"]


def test_reviewed_refuses_unknown_reviewer_and_one_without_credentials(make_site: Maker,
                                                                       capsys: pytest.CaptureFixture) -> None:
    """`reviewed --by` must name a person with credentials; nothing is written otherwise."""
    root = make_site(files())
    before = (root / "content" / "a.md").read_bytes()
    assert main(["reviewed", "a", "--by", "danna", "--config", str(root / "site.yaml")]) == 1
    assert main(["reviewed", "a", "--by", "team", "--config", str(root / "site.yaml")]) == 1
    out = capsys.readouterr()
    assert "site.yaml:1: error: --by 'danna': no such person in content/people/ (did you mean 'dana'?)" in out.err + \
        out.out
    assert "reviewer 'team' has no credentials" in out.err + out.out
    assert (root / "content" / "a.md").read_bytes() == before


def test_changes_are_shown_dated_and_in_the_feed(make_site: Maker) -> None:
    """`changes:` shows as What changed; its newest date is Last updated, dateModified, the feed's and the
    sitemap's; an older entry first is an error."""
    changes = ('\n  - date: 2026-11-20\n    text: "We added advice on rest."\n  - date: 2026-02-01\n'
               '    text: "We fixed a typo."')
    root = make_site(files(**{"content/a.md": article("Alpha", BODY, date="2026-01-10", changes=changes)}))
    build(Options(root / "site.yaml", root / "out", clean=True))
    alpha = page(root / "out", "a")
    items = [" ".join(li.get_text().split()) for li in alpha.select(".changes li")]
    assert items == ["November 20, 2026: We added advice on rest.", "February 1, 2026: We fixed a typo."]
    assert alpha.select_one(".byline-updated time")["datetime"] == "2026-11-20" == graph(alpha)["dateModified"]
    assert "<updated>2026-11-20T00:00:00Z</updated>" in (root / "out" / "feed.xml").read_text()
    assert "<lastmod>2026-11-20</lastmod>" in (root / "out" / "sitemap.xml").read_text()
    wrong = ('\n  - date: 2026-02-01\n    text: "Old."\n  - date: 2026-11-20\n    text: "New."')
    (root / "content" / "a.md").write_text(article("Alpha", BODY, changes=wrong))
    assert errors(root) == ["content/a.md:4: error: 'changes' must list the newest change first"]


def test_check_warns_when_published_text_changed_without_a_changes_entry(make_site: Maker) -> None:
    """An edit of a published article's text without a new `changes:` entry is a warning; with one, none."""
    root = make_site(files())
    config = root / "site.yaml"
    build(Options(config, root / "out"))
    path = root / "content" / "a.md"
    path.write_text(path.read_text().replace("Some causes.", "Some other causes."))
    found = [str(p) for p in build(Options(config, root / "out")).warnings if "'changes'" in str(p)]
    assert found == ["content/a.md:1: warning: the text changed ('Causes') but 'changes' has no new entry: add "
                     "one at the top (the date and one plain sentence saying what changed)"]
    again = [str(p) for p in validate(Options(config), dt.date(2026, 12, 1))[1].warnings if "'changes'" in str(p)]
    assert again == found  # remembered until the change history has a new entry
    path.write_text(path.read_text().replace("Rest a little", "Rest"))
    assert [str(p) for p in build(Options(config, root / "out")).warnings if "'changes'" in str(p)] == [
        found[0].replace("('Causes')", "('Causes', 'Treatment')")]
    path.write_text(path.read_text().replace("Some other causes.", "Some causes again.").replace(
        "---\n\n", 'changes:\n  - date: 2026-12-01\n    text: "We reworded the causes."\n---\n\n', 1))
    assert not [p for p in build(Options(config, root / "out")).warnings if "'changes'" in str(p)]


def test_policy_pages_footer_byline_sitemap_not_articles(make_site: Maker) -> None:
    """A policy page has its own template and address, is linked from every footer and the byline, is in the
    sitemap, and is not an article (not counted, not in topic lists or cards)."""
    root = make_site(files())
    report = build(Options(root / "site.yaml", root / "out", clean=True))
    assert report.pages == 1
    policy = page(root / "out", "pages/how-we-work")
    assert policy.find("h1").get_text() == "How we write and review" and policy.find("article", class_="policy")
    for path in ("", "a", "people/team", "topics"):
        assert "/pages/how-we-work/" in {a["href"] for a in page(root / "out", path).select("footer a")}, path
    assert page(root / "out", "a").select_one(".byline-policy a")["href"] == "/pages/how-we-work/"
    sitemap = (root / "out" / "sitemap.xml").read_text()
    assert "https://test.example/pages/how-we-work/" in sitemap and "https://test.example/people/team/" in sitemap
    assert "how-we-work" not in (root / "out" / "index.html").read_text().split("<footer")[0]


def test_feedback_links_fill_in_the_page_and_work_without_script(make_site: Maker) -> None:
    """The report link and the two helpful links go to the mailto: target with the page's address and title."""
    root = make_site(files())
    build(Options(root / "site.yaml", root / "out", clean=True))
    box = page(root / "out", "a").select_one(".feedback")
    report = box.find("a", string="Report a problem with this page")["href"]
    parts = urlsplit(report)
    query = parse_qs(parts.query)
    assert parts.scheme == "mailto" and parts.path == "ed@test.example"
    assert query["subject"] == ["Problem with page: Alpha"] and "https://test.example/a/" in query["body"][0]
    yes, no = (box.find("a", string=answer)["href"] for answer in ("Yes", "No"))
    assert "helpful%3F%20Yes" in yes and "helpful%3F%20No" in no and not box.find("script")
    assert unquote(parse_qs(urlsplit(yes).query)["subject"][0]) == "Was this page helpful? Yes: Alpha"


def test_feedback_form_target_and_a_bad_target(make_site: Maker) -> None:
    """A form URL gets page, title and the answer as its query; a target that is neither is an error."""
    site = SITE_YAML + "feedback:\n  report: https://forms.example/f?id=3\n  helpful: true\n"
    root = make_site({"site.yaml": site, "content/a.md": article("Alpha", BODY)})
    build(Options(root / "site.yaml", root / "out", clean=True))
    box = page(root / "out", "a").select_one(".feedback")
    assert box.find("a", string="No")["href"] == ("https://forms.example/f?id=3&page=https%3A%2F%2Ftest.example"
                                                  "%2Fa%2F&title=Alpha&helpful=no")
    (root / "site.yaml").write_text(SITE_YAML + "feedback:\n  report: ftp://x.example/\n")
    assert errors(root) == ["site.yaml:9: error: 'report' must be a mailto: address or an https:// form URL, not "
                            "'ftp://x.example/'"]


def test_spanish_people_and_strings(make_site: Maker) -> None:
    """A Spanish person page translates the English one with translation_of; the byline's strings are Spanish."""
    site = (SITE_YAML + "default_author: team\nfeedback:\n  report: mailto:ed@test.example\nlanguages:\n  es:\n"
            "    language: es\n    name: Español\n    title: Salud\n    disclaimer: Información general.\n"
            "    call_to_action:\n      heading: ¿Ayuda?\n      text: Hable con su médico.\n")
    root = make_site(files(**{
        "site.yaml": site,
        "content/es/people/equipo.md": "---\nname: Equipo de prueba\nkind: organization\ntranslation_of: team.md\n"
                                       "---\n\nEscribimos el sitio.\n",
        "content/es/alfa.md": article("Alfa", BODY, translation_of="a.md")}))
    build(Options(root / "site.yaml", root / "out", clean=True))
    alfa = page(root / "out", "es/alfa")
    assert alfa.select_one(".byline-author a")["href"] == "/es/people/equipo/"
    assert alfa.select_one(".feedback a").get_text() == "Informar de un problema con esta página"
    assert page(root / "out", "es/people/equipo").find("h1").get_text() == "Equipo de prueba"


def test_person_file_problems_are_errors_at_their_line(make_site: Maker) -> None:
    """A person without a name, of an unknown kind or with a missing photo: each an error at its line."""
    root = make_site(files(**{"content/people/jo.md": "---\nrole: Writer\nkind: robot\n---\n\nJo.\n",
                              "content/people/kim.md": "---\nname: Kim\nphoto: people/kim.jpg\n---\n\nKim.\n"}))
    assert errors(root) == [
        "content/people/jo.md:2: error: missing required key 'name'",
        "content/people/jo.md:3: error: 'kind' must be person or organization, not 'robot'",
        "content/people/kim.md:3: error: photo 'people/kim.jpg' does not exist in static/"]


def test_person_photo_is_published_with_the_static_files(make_site: Maker) -> None:
    """A photo in static/ shows on the person's page under its fingerprinted name, with a text alternative."""
    root = make_site(files(**{"content/people/kim.md": "---\nname: Kim\nphoto: kim.svg\n---\n\nKim.\n"}))
    (root / "static" / "kim.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    build(Options(root / "site.yaml", root / "out", clean=True))
    img = page(root / "out", "people/kim").select_one("img.person-photo")
    assert img["src"].startswith("/kim.") and img["alt"] == "Photo of Kim"


def test_a_translation_is_reviewed_and_goes_stale_on_its_own_text(make_site: Maker) -> None:
    """`reviewed es/SLUG` records a review of the translation itself; an edit of the translation makes it stale."""
    site = (SITE_YAML + "default_author: team\nlanguages:\n  es:\n    language: es\n    name: Español\n"
            "    title: Salud\n    disclaimer: Información general.\n"
            "    call_to_action:\n      heading: ¿Ayuda?\n      text: Hable con su médico.\n")
    root = make_site(files(**{"site.yaml": site, "content/es/alfa.md": article("Alfa", BODY, translation_of="a.md")}))
    config = root / "site.yaml"
    assert main(["translated", "es/alfa", "--config", str(config), "-q"]) == 0
    assert main(["reviewed", "es/alfa", "--by", "dana", "--date", "2026-11-01", "--config", str(config), "-q"]) == 0
    build(Options(config, root / "out", clean=True))
    assert "Dana Fictional, MD" in page(root / "out", "es/alfa").select_one(".page-review").get_text()
    path = root / "content" / "es" / "alfa.md"
    path.write_text(path.read_text().replace("Intro text.", "Otro texto."))
    warnings = [str(p) for p in build(Options(config, root / "out")).warnings if p.category == "safety"]
    assert warnings == ["content/es/alfa.md:8: warning: changed since its last medical review on 2026-11-01 ('the "
                        "introduction'): have it reviewed again, then run `python build.py reviewed es/alfa --by dana`"]
    review = " ".join(page(root / "out", "es/alfa").select_one(".page-review").get_text().split())
    assert review == "Cambió desde su última revisión médica, del 1 de noviembre de 2026 Secciones que cambiaron: " \
                     "la introducción"
