"""Incremental builds are exactly clean builds: random edit sequences, compared byte for byte."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from healthsite.commands.cli import main
from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import REPO

STEMS = ["ant", "bee", "cat", "dog", "eel"]
CARDS = ["red", "blue"]
LEVELS = ["non-urgent", "urgent", "emergency"]
TAGS = ["alpha", "beta", "gamma"]
SITE = """\
title: Edits
base_url: https://edits.example/
publisher: P
disclaimer: D
call_to_action: {heading: H, text: T}
languages:
  es: {language: es-US, name: Español, title: Ediciones, disclaimer: A, call_to_action: {heading: C, text: U}}
"""
BIB = "- {key: src, citation: A source.}\n"
FACTS = ["", 'facts:\n  limit: "10"\n  phone: {value: 1-800-222-1222, phone: true}\n',
         'facts:\n  limit: "7"\n  phone: {value: "911", phone: true}\n  emergency-number: "112"\n']
RULES = ["", "rules:\n  avoid:\n    - {phrases: [more], instead: further, why: plain}\n",
         "rules:\n  care_level:\n    - {at_least: emergency, phrases: [sign 2], message: m}\n",
         "rules:\n  written_once:\n    - {card: red, phrases: [sign 1], message: m, in_prose: false}\n",
         'rules:\n  consistent:\n    - {name: n, phrases: ["text {value}"], value: "1", message: m}\n',
         "rules:\n  required_cards:\n    - {tags: [alpha], cards: [red], message: m}\n"]

titles = st.text(alphabet="abcé XY'", min_size=1, max_size=12).filter(str.strip)
IMAGES = ["pic.png", "fig.svg"]
bodies = st.builds(lambda link, form, cite, n, card, image, fact: f"Text {n}{fact}"
                   + (f" [see]({form.format(link)})" if link else "")
                   + (" [@src]" if cite else "") + ".\n\n## Part\n\n" + (f"!!! care {card}\n\n" if card else "")
                   + "More.\n" + (f'\n![A picture {n}](images/{image} "Caption {n}")\n' if image else ""),
                   st.sampled_from([None] + STEMS), st.sampled_from(["{}.md", "/{}/#part", "../{}/"]),
                   st.booleans(), st.integers(0, 3), st.sampled_from([None] + CARDS), st.sampled_from([None] + IMAGES),
                   st.sampled_from(["", " [=limit]", " [=phone]"]))
cards = st.builds(lambda level, n, cite, link: (level, f"- Sign {n}" + (" [@src]" if cite else "")
                                                 + (f" ([more]({link}.md))" if link else "") + ".\n"),
                  st.sampled_from(LEVELS), st.integers(0, 3), st.booleans(), st.sampled_from([None] + STEMS))
spanish = st.builds(lambda link, n: f"Texto {n}" + link + ".\n\n## Parte\n\nMás.\n",
                    st.sampled_from(["", " [ver](../bee.md)", " [ver](ant-es.md)", " [ver](../cat.md#part)"]),
                    st.integers(0, 3))
edits = st.one_of(
    st.tuples(st.just("title"), st.sampled_from(STEMS), titles),
    st.tuples(st.just("tags"), st.sampled_from(STEMS), st.lists(st.sampled_from(TAGS), unique=True, max_size=2)),
    st.tuples(st.just("related"), st.sampled_from(STEMS), st.lists(st.sampled_from(STEMS), unique=True, max_size=2)),
    st.tuples(st.just("body"), st.sampled_from(STEMS), bodies),
    st.tuples(st.just("date"), st.sampled_from(STEMS), st.integers(1, 28)),
    st.tuples(st.just("draft"), st.sampled_from(STEMS), st.booleans()),
    st.tuples(st.just("slug"), st.sampled_from(STEMS), st.sampled_from([None, "moved", "other-place"])),
    st.tuples(st.just("add"), st.sampled_from(STEMS), titles),
    st.tuples(st.just("delete"), st.sampled_from(STEMS), st.just(None)),
    st.tuples(st.just("rename"), st.sampled_from(STEMS), st.sampled_from(STEMS)),
    st.tuples(st.just("template"), st.just(""), st.integers(0, 9)),
    st.tuples(st.just("style"), st.just(""), st.integers(0, 9)),
    st.tuples(st.just("card"), st.sampled_from(CARDS), st.one_of(st.none(), cards)),
    st.tuples(st.just("level"), st.sampled_from(CARDS), st.sampled_from(LEVELS)),
    st.tuples(st.just("image"), st.sampled_from(IMAGES), st.sampled_from([None, 0, 1, 2])),
    st.tuples(st.just("es"), st.sampled_from(STEMS), st.one_of(st.none(), st.just("mark"), spanish)),
    st.tuples(st.just("cached body"), st.sampled_from(["delete", "tamper"]), st.integers(0, 99)),
    st.tuples(st.just("output"), st.sampled_from(["delete", "tamper"]), st.integers(0, 99)),
    st.tuples(st.just("facts"), st.just(""), st.integers(0, len(FACTS) - 1)),
    st.tuples(st.just("rules"), st.just(""), st.integers(0, len(RULES) - 1)),
)


def render(fields: dict) -> str:
    """An article file from its fields."""
    keys = ["title", "description", "date", "tags", "related", "draft", "slug"]
    lines = [f"{k}: {json.dumps(fields[k])}" for k in keys if fields.get(k) is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + fields["body"]


def apply(site: Path, articles: dict[str, dict], edit: tuple) -> None:
    """Apply one edit to the model and to the files."""
    kind, stem, value = edit
    if kind == "template":
        path = site / "templates" / "partials" / "card.html"
        path.write_text(path.read_text().split("<!-- variant")[0] + f"<!-- variant {value} -->\n")
        return
    if kind == "style":
        (site / "static" / "style.css").write_text(f"/* variant {value} */\nbody {{ margin: {value}px; }}\n")
        return
    if kind in ("facts", "rules"):
        config_edit(site / "site.yaml", kind, value)
        return
    if kind in ("card", "level"):
        card_edit(site / "content" / "care" / f"{stem}.md", kind, value)
        return
    if kind == "image":
        write_image(site / "content" / "images" / stem, value)
        return
    if kind == "es":
        spanish_edit(site, stem, value)
        return
    if kind in ("cached body", "output"):
        folder = site / ".healthsite-cache" / "html" if kind == "cached body" else site.parent / "out"
        by_hand(folder, stem, value)
        return
    if kind == "add":
        articles[stem] = {"title": value, "description": "About it.", "date": "2026-01-01", "body": "New.\n"}
    elif stem not in articles:
        return
    elif kind == "delete":
        del articles[stem]
        (site / "content" / f"{stem}.md").unlink()
        return
    elif kind == "rename":
        (site / "content" / f"{stem}.md").unlink()
        articles[value] = articles.pop(stem)
        stem = value
    elif kind == "date":
        articles[stem]["date"] = f"2026-02-{value:02d}"
    else:
        articles[stem][kind] = value
    (site / "content" / f"{stem}.md").write_text(render(articles[stem]))


def config_edit(path: Path, kind: str, variant: int) -> None:
    """Replace the facts or the rules of site.yaml by one of their variants."""
    head, _, tail = path.read_text().partition("# facts\n")
    facts, _, rules = tail.partition("# rules\n")
    facts, rules = (FACTS[variant], rules) if kind == "facts" else (facts, RULES[variant])
    path.write_text(f"{head}# facts\n{facts}# rules\n{rules}")


def spanish_edit(site: Path, stem: str, value: str | None) -> None:
    """Write (a body), delete (None) or mark current ("mark") the Spanish translation of an article."""
    path = site / "content" / "es" / f"{stem}-es.md"
    if value is None:
        path.unlink(missing_ok=True)
    elif value == "mark":
        if path.exists():
            main(["translated", f"es/{stem}-es", "--config", str(site / "site.yaml"), "-q"])
    else:
        path.parent.mkdir(exist_ok=True)
        path.write_text(f'---\ntitle: "{stem} es"\ndescription: "Sobre {stem}."\ntranslation_of: {stem}.md\n---\n\n'
                        + value)


def card_edit(path: Path, kind: str, value: object) -> None:
    """Add, change or delete a shared care card, or change its level."""
    if kind == "level" and path.exists():
        path.write_text(re.sub(r"level: .*", f"level: {value}", path.read_text()))
    elif kind == "card" and value is None:
        path.unlink(missing_ok=True)
    elif kind == "card":
        level, text = value
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"---\nlevel: {level}\n---\n\n{text}")


def write_image(path: Path, variant: int | None) -> None:
    """Add, change (size and colour) or remove (None) an image file an article may show."""
    if variant is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".svg":
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {100 + variant} 50"></svg>\n')
        return
    out = io.BytesIO()
    Image.new("RGB", (300 + 400 * variant, 200), (variant * 90, 94, 184)).save(out, "PNG")
    path.write_bytes(out.getvalue())


def by_hand(folder: Path, change: str, pick: int) -> None:
    """Delete, or overwrite with other bytes, one file of a folder the build owns (a cached body's HTML, an output)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".healthsite-output") \
        if folder.is_dir() else []
    if not files:
        return
    path = files[pick % len(files)]
    if change == "delete":
        path.unlink()
    else:
        path.write_bytes(b"<p>changed by hand</p>\n")


def broken_links(tree: dict[str, bytes]) -> list[str]:
    """Site-internal links of the built pages that lead to no file."""
    hrefs = {h.decode().split("#")[0].lstrip("/") for data in tree.values()
             for h in re.findall(rb'(?:href|src)="(/[^"]*)"', data) + re.findall(rb'(/\S+) \d+w', data)}
    return sorted(h for h in hrefs if h not in tree and h + "index.html" not in tree)


def outcome(config: Path, out: Path) -> dict[str, bytes] | list[str]:
    """The built tree, or the error messages of a failed build."""
    try:
        build(Options(config, out, jobs=1))
    except BuildError as exc:
        return [str(p) for p in exc.problems]
    return tree(out)


def tree(out: Path) -> dict[str, bytes]:
    """Every file of a built site with its bytes, and every folder (a page that went away leaves no empty one)."""
    return {p.relative_to(out).as_posix() + "/" * p.is_dir(): p.read_bytes() if p.is_file() else b""
            for p in sorted(out.rglob("*"))}


def starting_site(site: Path, search: bool) -> dict[str, dict]:
    """The site every edit sequence starts from: three articles, a care card, images; the articles' front matter."""
    for folder in ("templates", "static"):
        shutil.copytree(REPO / "healthsite" / "theme" / folder, site / folder)  # the packaged theme, as the site's own
    (site / "content").mkdir()
    (site / "site.yaml").write_text(SITE + f"search: {str(search).lower()}\n# facts\n{FACTS[1]}# rules\n")
    (site / "content" / "bibliography.yaml").write_text(BIB)
    card_edit(site / "content" / "care" / "red.md", "card", ("emergency", "- Numbness.\n"))
    articles: dict[str, dict] = {}
    for stem in STEMS[:3]:
        apply(site, articles, ("add", stem, stem.title()))
    for name in IMAGES:
        write_image(site / "content" / "images" / name, 0)
    return articles


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(edits, min_size=1, max_size=6), st.booleans())
@example([("body", "ant", "See [b](bee.md).\n"), ("slug", "bee", "moved"), ("draft", "bee", True),
          ("draft", "bee", False)], False)
@example([("title", "bee", "Zed"), ("tags", "ant", ["alpha"]), ("tags", "cat", ["alpha"]), ("template", "", 3)], False)
@example([("rename", "ant", "eel"), ("delete", "eel", None), ("add", "ant", "Back"), ("style", "", 1)], False)
@example([("body", "ant", "Text.\n\n!!! care red\n"), ("card", "red", ("urgent", "- Fever [@src].\n")),
          ("level", "red", "non-urgent"), ("card", "red", None), ("card", "red", ("emergency", "- See [b](bee.md).\n")),
          ("body", "bee", "Text.\n\n## Part\n\n!!! care blue\n"), ("card", "blue", ("urgent", "- Go.\n"))], False)
@example([("es", "ant", "Texto [ver](../bee.md).\n"), ("es", "ant", "mark"), ("body", "ant", "Changed.\n"),
          ("es", "bee", "Texto [ver](ant-es.md).\n"), ("draft", "bee", True), ("es", "ant", "mark"),
          ("es", "bee", None), ("draft", "bee", False), ("delete", "ant", None)], False)
@example([("body", "ant", '![A](images/pic.png "C")\n'), ("image", "pic.png", 2), ("image", "pic.png", None),
          ("image", "pic.png", 1), ("body", "bee", "![B](images/fig.svg)\n"), ("image", "fig.svg", 2)], False)
@example([("cached body", "tamper", 0), ("title", "ant", "New"), ("cached body", "delete", 1), ("body", "bee", "B.\n"),
          ("output", "delete", 3), ("output", "tamper", 5), ("delete", "cat", None), ("title", "bee", "Other")], False)
@example([("output", "delete", 0), ("title", "ant", "New"), ("delete", "bee", None)], True)
@example([("body", "ant", "Text 2 [=limit] [=phone].\n\n!!! care red\n"), ("facts", "", 2), ("rules", "", 4),
          ("body", "bee", "Text 1.\n"), ("rules", "", 5), ("tags", "bee", ["alpha"]), ("facts", "", 0),
          ("facts", "", 1), ("rules", "", 0), ("card", "red", ("urgent", "- Sign 2.\n")), ("rules", "", 2),
          ("rules", "", 3), ("body", "cat", "X.\n\n!!! urgent\n    - Sign 1.\n")], False)
def test_incremental_equals_clean(tmp_path_factory: pytest.TempPathFactory, sequence: list[tuple],
                                  search: bool) -> None:
    """After every edit, the incremental build equals a clean build of the same inputs (or fails alike), with
    the search index (the site staged whole) or without (only what changed staged): also after a cached body or
    an output was deleted or changed by hand between builds."""
    work = tmp_path_factory.mktemp("edits")
    site = work / "site"
    articles = starting_site(site, search)
    last = outcome(site / "site.yaml", work / "out")
    for step, edit in enumerate(sequence):
        apply(site, articles, edit)
        last = tree(work / "out") if edit[0] == "output" and isinstance(last, dict) else last
        incremental = outcome(site / "site.yaml", work / "out")
        clean_site = work / f"clean{step}"
        shutil.copytree(site, clean_site, ignore=shutil.ignore_patterns(".healthsite-cache"))
        clean = outcome(clean_site / "site.yaml", work / f"clean{step}-out")
        assert incremental == clean, edit
        assert isinstance(clean, list) or broken_links(clean) == [], edit
        if isinstance(incremental, list) and isinstance(last, dict):
            assert tree(work / "out") == last
        last = incremental if isinstance(incremental, dict) else last
