"""`sources [WORD]` and `cards`: the lists a writer looks things up in, from the command line."""

from __future__ import annotations

import pytest

from healthsite.commands.cli import main
from healthsite.commands.writerlists import short_title, used_in
from tests.conftest import article
from tests.test_editorial import Maker

BIBLIOGRAPHY = """\
- key: nhs-sciatica
  citation: NHS. Sciatica. NHS website (Health A to Z).
  url: https://www.nhs.uk/conditions/sciatica/
  topics: [nerve-pain]
- key: lancet-2018-foster
  citation: 'Foster NE, Anema JR, Cherkin D. Prevention and treatment of low back pain: evidence, challenges, and
    promising directions. Lancet. 2018;391(10137):2368-2383.'
  doi: 10.1016/S0140-6736(18)30489-6
"""
CARD = "---\nlevel: emergency\n---\n\n- you cannot feel your legs\n"


def run(root, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run a command on a site; exit status, standard output and standard error."""
    code = main([*args, "--config", str(root / "site.yaml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sources_lists_every_key_with_a_short_title(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """Keys in order, aligned, each with the title after the authors, and how to cite one."""
    root = make_site({"content/bibliography.yaml": BIBLIOGRAPHY, "content/a.md": article("A")})
    assert run(root, capsys, "sources") == (0, (
        "lancet-2018-foster  Prevention and treatment of low back pain: evidence, challenges, and...\n"
        "nhs-sciatica        Sciatica\n"
        "2 sources in content/bibliography.yaml; cite one as [@key]\n"), "")


def test_sources_filters_by_a_word_in_key_citation_or_topics(make_site: Maker,
                                                             capsys: pytest.CaptureFixture) -> None:
    """WORD matches any case in the key, the citation or the topics; no match exits 1 with how to list all."""
    root = make_site({"content/bibliography.yaml": BIBLIOGRAPHY, "content/a.md": article("A")})
    for word in ("SCIATICA", "nerve"):
        assert run(root, capsys, "sources", word)[1] == (
            "nhs-sciatica  Sciatica\n"
            f"1 of 2 sources match '{word}' in content/bibliography.yaml; cite one as [@key]\n")
    assert run(root, capsys, "sources", "knee") == (1, (
        "no source in content/bibliography.yaml matches 'knee' (2 sources; `python build.py sources` lists them "
        "all)\n"), "")


def test_cards_lists_level_languages_and_users(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """Each shared card with its level, the languages it is written in, and the article files that use it."""
    root = make_site({"content/care/legs.md": CARD, "content/care/spare.md": CARD.replace("emergency", "urgent"),
                      "content/a.md": article("A", "Text.\n\n!!! care legs\n"),
                      "content/b.md": article("B", "Text.\n\n!!! care legs\n")})
    assert run(root, capsys, "cards") == (0, (
        "legs   emergency  en      used by 2 articles\n"
        "    content/a.md, content/b.md\n"
        "spare  urgent     en      used by no article\n"
        "2 shared care cards; use one in an article with a line '!!! care NAME'\n"), "")


def test_cards_with_none_says_how_to_write_one(make_site: Maker, capsys: pytest.CaptureFixture) -> None:
    """A site without shared cards says where they go."""
    root = make_site({"content/a.md": article("A")})
    assert run(root, capsys, "cards") == (0, "no shared care cards: write one in content/care/NAME.md (see "
                                              "docs/writing.md, Shared care advice)\n", "")


def test_helpers() -> None:
    """Short titles skip authors and cut long titles; card uses are read with the extension's own pattern."""
    assert short_title("NHS. Back pain. NHS website.") == "Back pain"
    assert short_title("ACOG. Bulletin No. 222 on pain. Obstet Gynecol. 2020.") == "Bulletin No. 222 on pain"
    assert short_title("x" * 80) == "x" * 69 + "..."
    assert used_in("Text.\n!!! care legs\n  !!! care  arms \n!!! urgent\n") == ["arms", "legs"]


@pytest.mark.parametrize("command", ["sources", "cards"])
def test_help_shows_examples(command: str, capsys: pytest.CaptureFixture) -> None:
    """Both commands are in the main help and have examples in their own."""
    with pytest.raises(SystemExit):
        main(["--help"])
    assert f"python build.py {command}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert f"examples:\n  python build.py {command}" in capsys.readouterr().out
