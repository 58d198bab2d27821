"""The Spanish edition (issue 19): languages in site.yaml, translated pages, hreflang, catalogs, freshness."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Callable

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from healthsite.mdext import care
from healthsite.reading import i18n
from healthsite.model import translations
from healthsite.commands.cli import main
from healthsite.reading.content import parse_page
from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import SITE_YAML, article

Maker = Callable[..., Path]
LANGUAGES = SITE_YAML + """\
language: en-US
languages:
  es:
    language: es-US
    name: Español
    title: Salud de Prueba
    disclaimer: Solo información general.
    call_to_action:
      heading: ¿Necesita ayuda?
      text: Hable con su médico.
    topics:
      running:
        title: Correr
topics:
  running:
    title: Running
"""
ENGLISH = """\
Intro text.

## First part

Call for help [@src].

## Second part

More text. See [other](other.md).

!!! care urgent-card
"""
SPANISH = """\
Texto de introducción.

## Primera parte

Pida ayuda [@src]. Lea [la otra en inglés](../other.md).

!!! care urgent-card

!!! emergency
    Si no puede respirar.
"""
BIB = "- key: src\n  citation: A source. NHS; 2024.\n  url: https://www.nhs.uk/x/\n"
CARD = "---\nlevel: urgent\n---\nGet help.\n"
TARJETA = "---\nlevel: urgent\n---\nBusque ayuda.\n"


def files(**more: str) -> dict[str, str]:
    """A small two-language site: an English article with its Spanish translation, and an English-only one."""
    return {"site.yaml": LANGUAGES, "content/bibliography.yaml": BIB,
            "content/a.md": article("Alpha", ENGLISH, tags="[running]"),
            "content/other.md": article("Other", "See [alpha](a.md).\n"),
            "content/care/urgent-card.md": CARD, "content/es/care/urgent-card.md": TARJETA,
            "content/es/alfa.md": article("Alfa", SPANISH, tags="[running]", translation_of="a.md"), **more}


def built(make_site: Maker, **more: str) -> Path:
    """Build the small site; its output folder."""
    root = make_site(files(**more))
    build(Options(root / "site.yaml", clean=True))
    return root / "_site"


def soup(path: Path) -> BeautifulSoup:
    """A page of the output."""
    return BeautifulSoup(path.read_text(), "html.parser")


def test_translated_page_has_its_url_language_and_alternates(make_site: Maker) -> None:
    """/es/alfa/ is lang es-US, and both versions name each other (and x-default, the English one) in the head."""
    out = built(make_site)
    es, en = soup(out / "es/alfa/index.html"), soup(out / "a/index.html")
    assert es.html["lang"] == "es-US" and en.html["lang"] == "en-US"
    pairs = {("en-US", "https://test.example/a/"), ("es-US", "https://test.example/es/alfa/"),
             ("x-default", "https://test.example/a/")}
    for page in (es, en):
        assert {(l["hreflang"], l["href"]) for l in page.select("link[rel=alternate][hreflang]")} == pairs
    assert not soup(out / "other/index.html").select("link[hreflang]")


def test_language_switch_on_every_page(make_site: Maker) -> None:
    """A visible switch leads to the other language's version, marked with its language; without one, to the other
    language's home page, labelled so in that language (the 404 pages too)."""
    out = built(make_site)
    link = soup(out / "a/index.html").select_one(".language-switch a")
    assert (link.get_text(), link["href"], link["lang"]) == ("Español", "/es/alfa/", "es-US")
    back = soup(out / "es/alfa/index.html").select_one(".language-switch a")
    assert (back.get_text(), back["href"], back["hreflang"]) == ("English", "/a/", "en-US")
    home = soup(out / "other/index.html").select_one(".language-switch a")
    assert (home.get_text(), home["href"], home["lang"]) == ("Español: página principal", "/es/", "es-US")
    assert soup(out / "index.html").select_one(".language-switch a")["href"] == "/es/"
    assert soup(out / "404.html").select_one(".language-switch a").get_text() == "Español: página principal"
    assert soup(out / "es/404.html").select_one(".language-switch a").get_text() == "English: home page"


def test_structured_data_says_the_language(make_site: Maker) -> None:
    """inLanguage is each page's own language."""
    out = built(make_site)
    def language(path: str) -> str:
        graph = json.loads(soup(out / path).select_one("script[type='application/ld+json']").string)["@graph"]
        return graph[0]["inLanguage"]
    assert (language("a/index.html"), language("es/alfa/index.html")) == ("en-US", "es-US")


def test_spanish_pages_speak_spanish(make_site: Maker) -> None:
    """Interface strings, care cards, dates and shared cards come in Spanish; English-only links are marked."""
    out = built(make_site, **{"content/es/alfa.md": article("Alfa", SPANISH, tags="[running]", translation_of="a.md",
                                                            date="2026-11-25", key_takeaways="[Uno]")})
    page = soup(out / "es/alfa/index.html")
    assert page.select_one("#key-takeaways-title").get_text() == "Puntos clave"
    assert page.select_one("#references-title").get_text() == "Referencias"
    assert page.select_one(".byline-dates").get_text() == "Publicado el 25 de noviembre de 2026"
    titles = [t.get_text() for t in page.select(".care-card__title")]
    assert titles == ["Consejo urgente: Busque atención médica hoy si", "Atención inmediata: Llame al 911 o vaya a la "
                      "sala de emergencias si"]
    assert "Busque ayuda." in page.select_one(".care-card").get_text()  # the Spanish shared card
    english = page.select_one("a[href='/other/']")
    assert english.get_text() == "la otra en inglés (en inglés)"
    assert [a.get_text() for a in page.select(".site-nav a")] == ["Inicio", "Temas", "Buscar"]
    assert page.select_one(".read-more") is None or "Leer más" in page.select_one(".read-more").get_text()
    assert "Solo información general." in page.select_one(".disclaimer").get_text()


def test_spanish_home_topics_feed_and_404(make_site: Maker) -> None:
    """The edition has its own home, topic pages, search page, feed and 404, listing only its articles."""
    out = built(make_site)
    home = soup(out / "es/index.html")
    assert home.html["lang"] == "es-US" and home.title.get_text() == "Salud de Prueba"
    assert [a["href"] for a in home.select(".card-link")] == ["/es/alfa/"]
    assert [a.get_text() for a in home.select(".card-link")][0].startswith("Leer más")
    topic = soup(out / "es/topics/running/index.html")
    assert topic.h1.get_text() == "Correr" and [a["href"] for a in topic.select(".card-link")] == ["/es/alfa/"]
    assert soup(out / "es/404.html").h1.get_text() == "Página no encontrada"
    assert soup(out / "es/search/index.html").select_one("form")["data-pagefind"] == "/pagefind/pagefind.js"
    feed = (out / "es/feed.xml").read_text()
    assert 'xml:lang="es-US"' in feed and "/es/alfa/" in feed and "/a/" not in feed.replace("/es/alfa/", "")


def test_sitemap_lists_alternates(make_site: Maker) -> None:
    """Each translated page's sitemap entry lists every language version and x-default."""
    out = built(make_site)
    import xml.etree.ElementTree as ElementTree
    names = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    xml = ElementTree.fromstring((out / "sitemap.xml").read_bytes())
    entry = next(u for u in xml.findall("s:url", names)
                 if u.findtext("s:loc", namespaces=names) == "https://test.example/es/alfa/")
    assert {(l.get("hreflang"), l.get("href")) for l in entry.findall("x:link", names)} == {
        ("en-US", "https://test.example/a/"), ("es-US", "https://test.example/es/alfa/"),
        ("x-default", "https://test.example/a/")}


@pytest.mark.parametrize("fields, line, message", [
    ({}, 1, "a translation needs 'translation_of': the file name of the English article it translates "
            "(in content/, outside es/)"),
    ({"translation_of": "b.md"}, 4, "translation_of 'b.md': no such article in content/ (did you mean 'a.md'?)"),
])
def test_bad_translation_of_is_an_error_at_its_line(make_site: Maker, fields: dict, line: int, message: str) -> None:
    """A translation must name an existing English article."""
    root = make_site(files(**{"content/es/alfa.md": article("Alfa", "Texto.\n", **fields)}))
    with pytest.raises(BuildError) as caught:
        build(Options(root / "site.yaml", clean=True))
    assert f"content/es/alfa.md:{line}: error: {message}" in [str(p) for p in caught.value.problems]


def test_two_translations_of_one_article_is_an_error(make_site: Maker) -> None:
    """One translation per article and language."""
    root = make_site(files(**{"content/es/beta.md": article("Beta", "Texto.\n", translation_of="a.md")}))
    with pytest.raises(BuildError) as caught:
        build(Options(root / "site.yaml", clean=True))
    assert [str(p) for p in caught.value.problems] == [
        "content/es/beta.md:4: error: translation_of 'a.md': content/es/alfa.md already translates it "
        "(one translation per language)"]


def test_translation_of_in_an_english_article_is_an_error(make_site: Maker) -> None:
    """translation_of belongs to translations only."""
    root = make_site(files(**{"content/other.md": article("Other", "See [alpha](a.md).\n", translation_of="a.md")}))
    with pytest.raises(BuildError) as caught:
        build(Options(root / "site.yaml", clean=True))
    assert "content/other.md:4: error: 'translation_of' belongs in a translation (content/es/), not in an article " \
           "of the default language" in [str(p) for p in caught.value.problems]


def test_freshness(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """`translated` records the English version; a later English edit warns, naming the section, and shows a notice."""
    root = make_site(files())
    config = root / "site.yaml"
    before = (root / "content/es/alfa.md").read_bytes()
    report = build(Options(config, clean=True))
    assert ["content/es/alfa.md:5: warning: translation not marked current: when it matches content/a.md, run "
            "`python build.py translated es/alfa`"] == [str(p) for p in report.warnings if "translat" in str(p)]
    assert main(["translated", "es/alfa", "--config", str(config), "-q"]) == 0
    after = (root / "content/es/alfa.md").read_bytes()
    value = translations.digest(parse_page((root / "content/a.md").read_bytes(), "a", "content/a.md")[0],
                                care.read_care_cards(root / "content", root)[0])
    assert after == before.replace(b"translation_of: a.md\n", f"translation_of: a.md\ntranslated_from: {value}\n"
                                   .encode())
    report = build(Options(config))
    assert not [p for p in report.warnings if "translat" in str(p)]
    assert soup(root / "_site/es/alfa/index.html").select_one(".translation-notice") is None
    english = (root / "content/a.md").read_text().replace("More text.", "More text, changed.")
    (root / "content/a.md").write_text(english)
    report = build(Options(config))
    assert [str(p) for p in report.warnings if "translat" in str(p)] == [
        "content/es/alfa.md:6: warning: translation out of date: content/a.md changed since it was translated "
        "('Second part'); changed paragraphs: line 15 changed: 'More text. See [other](other.md).' -> 'More text, "
        "changed. See [other](other...'; update the translation, then run `python build.py translated es/alfa`"]
    notice = soup(root / "_site/es/alfa/index.html").select_one(".translation-notice")
    assert "se actualizó después de hacer esta traducción" in notice.get_text()
    assert notice.a["href"] == "/a/"
    assert main(["translated", "es/alfa", "--config", str(config), "-q"]) == 0
    assert (root / "content/es/alfa.md").read_bytes().count(b"translated_from:") == 1
    report = build(Options(config))
    assert not [p for p in report.warnings if "translat" in str(p)]
    assert soup(root / "_site/es/alfa/index.html").select_one(".translation-notice") is None


def test_translated_command_errors(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A page that is not a translation is an error with a hint; nothing is written."""
    root = make_site(files())
    config = str(root / "site.yaml")
    assert main(["translated", "es/alfo", "--config", config]) == 1
    assert main(["translated", "fr/alfa", "--config", config]) == 1
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "content/es/alfo.md:1: error: no such translation (did you mean 'alfa'?)" in err


def test_changed_sections_names_each_changed_added_and_removed_section() -> None:
    """The digest holds one part per section, so the changes can be named."""
    def page(body: str):
        return parse_page(article("T", body).encode(), "t", "content/t.md")[0]
    old = translations.digest(page("Intro.\n\n## One\n\nA.\n\n## Two\n\nB.\n\n## Three\n\nC.\n"))
    new = page("Intro.\n\n## One\n\nA!\n\n## Three\n\nC.\n\n## Four\n\nD.\n")
    assert translations.changed_sections(new, old) == ["One", "Four", "1 removed section"]


def test_catalog_compiles_and_covers_every_string() -> None:
    """The shipped Spanish catalog has a translation for every string of the templates and the engine."""
    po = read_po(io.BytesIO(i18n.po_file("es").read_bytes()))
    missing = [m.id for m in po if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert missing == []
    assert not [m.id for m in po if m.fuzzy and m.id]
    mo = read_mo(io.BytesIO(i18n.compile_po(i18n.po_file("es").read_bytes())))
    def strings(catalog) -> dict:
        def flat(value):
            return tuple(value) if isinstance(value, (list, tuple)) else value
        return {flat(m.id): flat(m.string) for m in catalog if m.id}
    assert strings(mo) == strings(po)
    assert i18n.translations("es").gettext("Read More") == "Leer más"
    assert i18n.body_texts("es")["(in English)"] == "(en inglés)"


def test_catalog_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    """pybabel extract finds no string the Spanish catalog lacks (run `pybabel update` after changing templates)."""
    from babel.messages.frontend import CommandLineInterface
    repo = Path(__file__).resolve().parent.parent
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(repo / "babel.cfg"), "-k", "N_", "-k",
                                "ngettext:1,2", "-o", str(pot), str(repo)])
    wanted = {m.id for m in read_po(io.BytesIO(pot.read_bytes())) if m.id}
    have = {m.id for m in read_po(io.BytesIO(i18n.po_file("es").read_bytes())) if m.id}
    assert {"Skip to main content", "Atom feed"} <= wanted  # the packaged theme's templates are extracted
    assert sorted(map(str, wanted - have)) == []


def test_readability_uses_the_editions_formula(make_site: Maker) -> None:
    """A Spanish article is scored by Fernández Huerta when site.yaml says so; check shows the formula."""
    config = LANGUAGES.replace("    topics:\n      running:\n        title: Correr\n",
                               "    topics:\n      running:\n        title: Correr\n    editorial:\n"
                               "      readability: fernandez-huerta\n      pass_ease: 99\n      warn_ease: 10\n")
    root = make_site(files(**{"site.yaml": config}))
    report = build(Options(root / "site.yaml", clean=True))
    assert any(str(p).startswith("content/es/alfa.md:") and "Fernández Huerta ease" in str(p) and "(below 99)"
               in str(p) for p in report.warnings)


def test_a_changed_english_care_card_puts_its_translations_out_of_date(make_site: Maker) -> None:
    """Shared care advice counts as part of the sections that use it: editing it asks for the translations again."""
    root = make_site(files())
    config = root / "site.yaml"
    assert main(["translated", "es/alfa", "--config", str(config), "-q"]) == 0
    assert not [p for p in build(Options(config, clean=True)).warnings if "translat" in str(p)]
    (root / "content/care/urgent-card.md").write_text(CARD.replace("Get help.", "Get help today."))
    assert [str(p) for p in build(Options(config)).warnings if "translat" in str(p)] == [
        "content/es/alfa.md:6: warning: translation out of date: content/a.md changed since it was translated "
        "('Second part'); update the translation, then run `python build.py translated es/alfa`"]


def test_redirects_send_a_missing_spanish_address_to_the_spanish_404(make_site: Maker) -> None:
    """`_redirects` (Netlify) holds one rule per translated edition: its addresses fall back to its own 404 page."""
    out = built(make_site)
    rules = [line for line in (out / "_redirects").read_text().splitlines() if line and not line.startswith("#")]
    assert rules == ["/es/*  /es/404.html  404"]
    assert (out / "es/404.html").exists()


def test_social_card_text_alternative_is_in_the_page_language(make_site: Maker) -> None:
    """The generated preview card's alt text (og:image:alt, twitter:image:alt) is written in the page's language."""
    out = built(make_site)
    def alt(path: str) -> set[str]:
        page = soup(out / path)
        return {page.select_one("meta[property='og:image:alt']")["content"],
                page.select_one("meta[name='twitter:image:alt']")["content"]}
    english, spanish = alt("a/index.html"), alt("es/alfa/index.html")
    assert len(english) == len(spanish) == 1
    assert english.pop().startswith("Alpha: ") and " article from " in alt("a/index.html").pop()
    text = spanish.pop()
    assert text.startswith("Alfa: ") and "artículo" in text and " article " not in text


def test_get_help_summary_speaks_spanish(make_site: Maker) -> None:
    """A Spanish article's "When to get help" summary is Spanish, emergency first, with the number as tel:."""
    out = built(make_site)
    summary = soup(out / "es/alfa/index.html").select_one("section.get-help")
    assert summary.h2.get_text() == "Cuándo buscar ayuda"
    assert summary.select_one(".get-help__call").get_text(" ", strip=True).startswith("En una emergencia, llame al")
    assert summary.select_one("a.get-help__number")["href"].startswith("tel:")
    assert [s.get_text() for s in summary.select(".get-help__level")] == ["Atención inmediata:", "Consejo urgente:"]
