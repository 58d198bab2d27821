"""Spelling: likely misspellings as style warnings with suggestions, English and Spanish, and what is left alone."""

from __future__ import annotations


import pytest

from healthsite.review import spelling
from healthsite.commands.cli import main
from tests.conftest import SITE_YAML, article
from tests.test_editorial import BIBLIOGRAPHY, EASY, REVIEWED, Maker, good_site

HINT = "(if it is right, add it to content/words.txt, one word a line)"
SPANISH_SITE = SITE_YAML + """\
languages:
  es:
    language: es
    name: Español
    title: Salud de Prueba
    disclaimer: Solo información general.
    call_to_action:
      heading: ¿Necesita ayuda?
      text: Hable con su médico.
"""


def spelling_lines(root, capsys: pytest.CaptureFixture) -> list[str]:
    """The spelling warnings `check` prints for a site."""
    main(["check", "-q", "--config", str(root / "site.yaml")])
    return [line for line in capsys.readouterr().out.splitlines() if "possible misspelling" in line]


def test_an_english_misspelling_with_its_suggestions(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """One warning per word, at its first line, with the suggestions one edit away, most common first."""
    body = EASY + "See [B](b.md).\n\nKeep movng. Then keep movng again, and recieve help.\n"
    root = make_site(good_site(**{"content/a.md": article("A", body, **REVIEWED)}))
    assert spelling_lines(root, capsys) == [
        f"content/a.md:12: warning: possible misspelling 'movng': did you mean 'moving'? {HINT}",
        f"content/a.md:12: warning: possible misspelling 'recieve': did you mean 'receive' or 'relieve'? {HINT}",
    ]


def test_front_matter_and_capitals(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A misspelled title is reported at the title's line; a capital is kept in the suggestion."""
    root = make_site(good_site(**{"content/a.md": article("Exercize helps", EASY + "See [B](b.md).\n", **REVIEWED)}))
    assert spelling_lines(root, capsys) == [
        f"content/a.md:2: warning: possible misspelling 'Exercize': did you mean 'Exercise'? {HINT}"]


def test_a_spanish_misspelling(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """Spanish articles are checked with the Spanish dictionary, their word forms and attached pronouns known."""
    body = ("Todos tienen dolor de espalda algunas semanas. Tómelo con calma y muévase [@nhs]. "
            "Camine despacio y evite el dolr.\n")
    root = make_site({"site.yaml": SPANISH_SITE, "content/bibliography.yaml": BIBLIOGRAPHY,
                      "content/a.md": article("A", EASY), "content/es/a.md": article("Uno", body, translation_of="a.md")})
    assert spelling_lines(root, capsys) == [
        f"content/es/a.md:7: warning: possible misspelling 'dolr': did you mean 'dolor', 'doler' or 'dolar'? {HINT}"]


def test_what_is_never_a_misspelling(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """Citations, URLs, code, acronyms, the bibliography's words, tags and topic names, and the site's word
    list are left alone; the word list is read with comments."""
    bibliography = BIBLIOGRAPHY.replace("NHS. Back pain.", "Zorblatt QX. Back pain.")
    body = (EASY + "See [B](b.md). Zorblatt found it. NSAIDs and OTCs help. Visit https://exmple.org/pagez or "
            "`runnr --fast`. Flurbex is fine. Kneeology is a topic.\n")
    root = make_site(good_site(**{
        "site.yaml": SITE_YAML + "topics:\n  kneeology:\n    title: Kneeology\n",
        "content/bibliography.yaml": bibliography,
        "content/words.txt": "# our words\nflurbex  # a medicine\n",
        "content/a.md": article("A", body, tags="[kneeology]", **REVIEWED),
        "content/b.md": article("B", EASY + "See [A](a.md).\n", tags="[kneeology]", **REVIEWED)}))
    assert spelling_lines(root, capsys) == []
    (root / "content" / "words.txt").write_text("")
    assert spelling_lines(root, capsys) == [
        f"content/a.md:11: warning: possible misspelling 'Flurbex': no suggestion {HINT}"]


def test_strict_fails_on_a_misspelling(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A misspelling is a style warning: --strict fails on it."""
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [B](b.md). Keep movng.\n",
                                                          **REVIEWED)}))
    assert main(["check", "--strict", "-q", "--config", str(root / "site.yaml")]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "style: 1 error"


def test_helpers() -> None:
    """Words skip URLs, code and possessives; acronyms and mixed-case names are not checked; checkers are cached."""
    assert list(spelling.words_in("Runner's back, see https://x.org/aa and `code` don't")) == \
        ["Runner", "back", "see", "and", "don't"]
    assert [spelling.checked(w) for w in ("NSAIDs", "iPhone", "a", "Pain")] == [False, False, False, True]
    assert spelling.checker("en") is spelling.checker("en") and spelling.checker("fr") is None
    assert spelling.checker("es").knows("tómelo") and not spelling.checker("en").knows("tómelo")


def test_spanish_pronouns_attached_to_a_verb() -> None:
    """A Spanish verb with pronouns attached (and the accent they bring) is known when its verb is."""
    spanish = spelling.checker("es")
    assert all(spanish.knows(w) for w in ("tómelo", "muévase", "tomándolas", "vigilarla", "evítelos"))
    assert not spanish.knows("dolr") and not spanish.knows("tómelox")


def test_it_runs_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dictionaries ship with the libraries: nothing is fetched (sockets refused while they load)."""
    import socket
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spelling check must not use the network")
    monkeypatch.setattr(socket, "socket", refuse)
    spelling.checker.cache_clear()
    assert spelling.checker("en").knows("walking") and spelling.checker("es").knows("caminando")


def built_spelling(root, capsys: pytest.CaptureFixture, *extra: str) -> list[str]:
    """The spelling warnings a build of a site prints (with the cache unless `--clean` is given)."""
    assert main(["--config", str(root / "site.yaml"), *extra]) == 0
    captured = capsys.readouterr()
    return [line for line in (captured.out + captured.err).splitlines() if "possible misspelling" in line]


def counted_scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source of every article whose unknown words are looked up from now on."""
    from healthsite.model import spellscan
    scanned: list[str] = []
    scan = spellscan.scan

    def counting(page, body, language, *recalled):  # type: ignore[no-untyped-def]
        scanned.append(page.source)
        return scan(page, body, language, *recalled)

    monkeypatch.setattr(spellscan, "scan", counting)
    return scanned


def test_a_word_list_edit_is_not_hidden_by_the_cache(make_site: Maker, capsys: pytest.CaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """After only content/words.txt changed, a rebuild warns as a clean build does, and looks up no article again."""
    body = EASY + "See [B](b.md). Flurbex helps. Keep movng.\n"
    root = make_site(good_site(**{"content/a.md": article("A", body, **REVIEWED),
                                  "content/words.txt": "flurbex\n"}))
    first = built_spelling(root, capsys)
    assert [line.split("warning: ")[1][:30] for line in first] == ["possible misspelling 'movng': "]
    (root / "content" / "words.txt").write_text("movng\n")
    scanned = counted_scans(monkeypatch)
    again = built_spelling(root, capsys)
    assert scanned == []
    assert again == [f"content/a.md:10: warning: possible misspelling 'Flurbex': no suggestion {HINT}"]
    assert built_spelling(root, capsys, "--clean") == again


def test_an_unchanged_article_is_not_looked_up_again(make_site: Maker, capsys: pytest.CaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild after one article changed looks up that article's words only, and warns as a clean build does."""
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [B](b.md). Keep movng.\n", **REVIEWED)}))
    built_spelling(root, capsys)
    (root / "content" / "b.md").write_text(article("B", EASY + "See [A](a.md). Then recieve help.\n", **REVIEWED))
    scanned = counted_scans(monkeypatch)
    again = built_spelling(root, capsys)
    assert scanned == ["content/b.md"]
    assert [line.split(": warning")[0] for line in again] == ["content/a.md:10", "content/b.md:10"]
    assert built_spelling(root, capsys, "--clean") == again


def test_a_title_edit_asks_the_dictionary_only_about_its_new_words(make_site: Maker, capsys: pytest.CaptureFixture,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """After a title edit, the words the article's last version had are not looked up again (no dictionary is
    loaded for them); a new word is, and the warnings are a clean build's."""
    from healthsite.model import spellscan
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [B](b.md). Keep movng.\n", **REVIEWED)}))
    built_spelling(root, capsys)
    asked: list[str] = []
    checker = spellscan.checker
    monkeypatch.setattr(spellscan, "checker", lambda language: asked.append(language) or checker(language))
    path = root / "content" / "a.md"
    path.write_text(path.read_text().replace('title: "A"', 'title: "Keep movng"'))
    again = built_spelling(root, capsys)
    assert asked == []
    assert [line.split(": warning")[0] for line in again] == ["content/a.md:2"]
    assert built_spelling(root, capsys, "--clean") == again
    path.write_text(path.read_text().replace('title: "Keep movng"', 'title: "Keep stretcing"'))
    again = built_spelling(root, capsys)
    assert asked and "'stretcing'" in again[0]
    assert built_spelling(root, capsys, "--clean") == again


def test_a_language_change_is_not_hidden_by_the_cache(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """After the site's language changed, the cached unknown words (found with the other dictionary) are not used."""
    root = make_site(good_site(**{"content/a.md": article("A", EASY + "See [B](b.md). Keep movng.\n", **REVIEWED)}))
    english = built_spelling(root, capsys)
    (root / "site.yaml").write_text(SITE_YAML + "language: es\n")
    spanish = built_spelling(root, capsys)
    assert spanish != english  # Spanish suggestions: the article was looked up again
    assert built_spelling(root, capsys, "--clean") == spanish
