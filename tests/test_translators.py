"""For translators: `new --lang CODE SLUG --from ENGLISH-SLUG`, and what changed in an out-of-date translation."""

from __future__ import annotations

import datetime as dt

import pytest

from healthsite.commands.cli import main
from healthsite.pipeline import Options, build
from healthsite.model.translationdiff import changes, paragraphs, snapshot_path
from tests.conftest import article
from tests.test_spanish import ENGLISH, Maker, files

TODAY = dt.date.today().isoformat()
EXPECTED = f"""\
---
title: "Beta"  # TRANSLATE
description: "A description."  # TRANSLATE
date: {TODAY}
tags: [running]
translation_of: b.md
draft: true
---

<!-- A translation of content/b.md. Translate the title, description, key takeaways, every paragraph and each \
heading below (the English headings are kept to show the sections). When it matches the English article, delete \
`draft: true` and run `python build.py translated es/beta`. -->

TRANSLATE: the introduction.

## First part

TRANSLATE: this section.

## Second part

TRANSLATE: this section.
"""


def new(root, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run `new` on a site; exit status, stdout, stderr."""
    code = main(["new", *args, "--config", str(root / "site.yaml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("args", [["--lang", "es", "beta", "--from", "b"], ["es/beta", "--from", "b.md"]])
def test_new_starts_a_translation(make_site: Maker, capsys: pytest.CaptureFixture, args: list[str]) -> None:
    """A draft in content/es/ naming its English article, with its header and headings to translate; it checks."""
    root = make_site(files(**{"content/b.md": article("Beta", ENGLISH, tags="[running]")}))
    code, out, err = new(root, capsys, *args)
    assert (code, err) == (0, "")
    assert out.endswith("next: translate every line marked TRANSLATE and each heading, then delete `draft: true` "
                        "and run `python build.py translated es/beta`\n")
    assert (root / "content/es/beta.md").read_text() == EXPECTED
    assert build(Options(root / "site.yaml", drafts=True)).pages > 0


@pytest.mark.parametrize("args, message", [
    (["es/beta"], "content/es/beta.md:1: error: a translation starts from its English article: add --from "
                  "ENGLISH-SLUG, e.g. python build.py new --lang es beta --from lower-back-pain-after-running"),
    (["--lang", "fr", "beta", "--from", "a"], "content/fr/beta.md:1: error: unknown language 'fr'; the languages "
                                             "of site.yaml are: es"),
    (["--lang", "es", "beta", "--from", "othr"], "content/es/beta.md:1: error: --from 'othr': no such English "
                                                "article in content/ (did you mean 'other'?)"),
    (["--lang", "es", "beta", "--from", "a"], "content/es/beta.md:1: error: content/es/alfa.md already translates "
                                             "content/a.md (one translation per language): edit that file"),
    (["--lang", "es", "alfa", "--from", "a"], "content/es/alfa.md:1: error: the translation already exists and "
                                             "was left as it was; pick another slug, or edit the file"),
])
def test_new_translation_errors(make_site: Maker, capsys: pytest.CaptureFixture, args: list[str],
                                message: str) -> None:
    """Each mistake is one error with a hint, exit 1, nothing written."""
    root = make_site(files())
    before = sorted(p.name for p in (root / "content").rglob("*"))
    assert new(root, capsys, *args) == (1, "", message + "\n")
    assert sorted(p.name for p in (root / "content").rglob("*")) == before


def test_translated_keeps_a_copy_and_check_shows_the_changed_paragraphs(make_site: Maker,
                                                                         capsys: pytest.CaptureFixture) -> None:
    """`translated` keeps the English article as translated; a later edit is shown paragraph by paragraph."""
    root = make_site(files())
    config = str(root / "site.yaml")
    assert main(["translated", "es/alfa", "--config", config, "-q"]) == 0
    copy = snapshot_path(root, "es", "a.md")
    assert copy.read_bytes() == (root / "content/a.md").read_bytes()
    english = (root / "content/a.md").read_text()
    (root / "content/a.md").write_text(english.replace("Intro text.", "Intro text, longer now.")
                                       + "\nA new closing paragraph.\n")
    main(["check", "-q", "--config", config])
    assert [line for line in capsys.readouterr().out.splitlines() if "out of date" in line] == [
        "content/es/alfa.md:6: warning: translation out of date: content/a.md changed since it was translated "
        "('the introduction', 'Second part'); changed paragraphs: line 7 changed: 'Intro text.' -> 'Intro text, "
        "longer now.'; line 19 added: 'A new closing paragraph.'; update the translation, then run "
        "`python build.py translated es/alfa`"]


def test_paragraph_changes() -> None:
    """Changed, added and removed paragraphs, with their lines in the new text; long ones quoted short."""
    old = "---\ntitle: A\n---\n\nOne.\n\nTwo.\n\nThree.\n"
    new = "---\ntitle: A\n---\n\nOne.\n\nTwo, changed.\n\n" + "Long " * 20 + "\n"
    assert paragraphs(old) == [(1, "--- title: A ---"), (5, "One."), (7, "Two."), (9, "Three.")]
    assert changes(old, new) == ["line 7 changed: 'Two.' -> 'Two, changed.'",
                                 "line 9 changed: 'Three.' -> 'Long Long Long Long Long Long Long Lo...'"]
    assert changes(old, old.replace("Two.\n\n", "")) == ["removed: 'Two.'"]
    assert changes(old, old) == []
