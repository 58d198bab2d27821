"""Translated editions: which English article each translation is of, whether it is still current, and the
links between the language versions of every page."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Mapping

from healthsite.mdext import care
from healthsite.model import translationdiff
from healthsite.reading.config import SiteConfig
from healthsite.reading.sections import changed_sections, digest  # noqa: F401  (used by reviews, changelog)
from healthsite.reading.content import SLUG, Page, parse_page
from healthsite.reading.files import unsafe_inputs
from healthsite.problems import Problem, error, shown_path, warning
from healthsite.reading.safeio import write_fresh
from healthsite.model.site import Site, Version
from healthsite.mdext.state import CareCard
from healthsite.reading.typed import did_you_mean
from healthsite.reading.urls import article_address

def check(pages: list[Page], sources: list[Page], published: list[Page], code: str) -> list[Problem]:
    """Every translation names one English article in content/, and no article has two translations."""
    files = {Path(p.source).name: p for p in sources}
    listed = {Path(p.source).name for p in published if not p.meta.draft}
    first: dict[str, Page] = {}
    problems = []
    for page in sorted(pages, key=lambda p: p.source):
        name = page.meta.translation_of
        if not name:
            problems.append(error(page.source, 1, "a translation needs 'translation_of': the file name of the "
                                                  f"English article it translates (in content/, outside {code}/)"))
        elif name not in files:
            problems.append(error(page.source, page.line("translation_of"), f"translation_of '{name}': no such "
                                  f"article in content/{did_you_mean(name, files)}"))
        elif name not in listed and not page.meta.draft:
            problems.append(error(page.source, page.line("translation_of"), f"translation_of '{name}': the English "
                                  "article is a draft; publish it first or make this translation a draft too"))
        elif first.setdefault(name, page) is not page:
            problems.append(error(page.source, page.line("translation_of"), f"translation_of '{name}': "
                                  f"{first[name].source} already translates it (one translation per language)"))
    return problems + [error(p.source, p.line(key), f"'{key}' belongs in a translation (content/{code}/), not in "
                             "an article of the default language") for p in sources
                       for key in ("translation_of", "translated_from") if getattr(p.meta, key)]


def freshness(pages: list[Page], sources: list[Page], code: str, cards: Mapping[str, CareCard],
              root: Path | None = None) -> list[Problem]:
    """A warning on each translation that was never marked current, or whose English article changed since (with
    the changed paragraphs, when the site folder `root` keeps a copy of the article as translated)."""
    files = {Path(p.source).name: p for p in sources}
    problems = []
    for page in pages:
        source, command = files.get(page.meta.translation_of), f"python build.py translated {code}/{page.slug}"
        if source is None:
            continue
        if not page.meta.translated_from:
            problems.append(warning(page.source, page.line("translation_of"), "translation not marked current: "
                                    f"when it matches {source.source}, run `{command}`"))
        elif page.meta.translated_from != digest(source, cards):
            changed = ", ".join(f"'{name}'" for name in changed_sections(source, page.meta.translated_from, cards))
            diff = translationdiff.described(root, code, source.source) if root else ""
            problems.append(warning(page.source, page.line("translated_from"), f"translation out of date: "
                                    f"{source.source} changed since it was translated ({changed}){diff}; update the "
                                    f"translation, then run `{command}`"))
    return problems


def link_editions(site: Site, editions: list[Site], cards: Mapping[str, CareCard]) -> Site:
    """The default site holding its translated editions, every site knowing each page's language versions."""
    by_name = {Path(page.source).name: slug for slug, page in site.listed.items()}
    keyed = {edition.code: _addresses(edition, by_name) for edition in editions}
    keyed[""] = _addresses(site, by_name)
    every = [site, *editions]
    versions: dict[str, list[Version]] = {}
    for one in every:
        for address, key in keyed[one.code].items():
            versions.setdefault(key, []).append(Version(one.config.language, one.config.name,
                                                        one.config.base_path + address, not one.code))
    linked = [replace(one, versions={address: tuple(versions[key]) for address, key in keyed[one.code].items()
                                     if len(versions[key]) > 1},
                      outdated=_outdated(one, site, cards) if one.code else {}) for one in every]
    return replace(linked[0], editions=tuple(linked[1:]))


def _addresses(site: Site, by_name: dict[str, str]) -> dict[str, str]:
    """Each page's address under the site's base path, with the key its versions share across languages."""
    fixed = ["", "topics/", *(["search/"] if site.config.search else []),
             *(f"topics/{tag}/" for tag in site.topics)]
    articles = {article_address(slug): by_name.get(page.meta.translation_of, "") if site.code else slug
                for slug, page in site.listed.items()}
    extras = site.extras
    sides = {f"{folder}/{_stem(page.url)}/": f"{folder}/{page.key}/" for folder, pages in
             (("people", extras.own_people), ("pages", extras.own_policies)) for page in pages.values()} \
        if extras else {}
    return {address: address for address in fixed} | \
        {address: f"{key}/" for address, key in articles.items() if key} | sides


def _stem(url: str) -> str:
    """The last part of a page's address: its file name without .md."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def _outdated(edition: Site, site: Site, cards: Mapping[str, CareCard]) -> dict[str, tuple[str, ...]]:
    """The translations whose English article changed since they were marked current, with the changed sections."""
    files = {Path(page.source).name: page for page in site.pages.values()}
    found = {}
    for slug, page in edition.pages.items():
        source = files.get(page.meta.translation_of)
        if source and page.meta.translated_from and page.meta.translated_from != digest(source, cards):
            found[slug] = tuple(changed_sections(source, page.meta.translated_from, cards))
    return found


def mark_current(root: Path, config: SiteConfig, name: str, config_name: str = "site.yaml"
                 ) -> tuple[Path | None, list[Problem]]:
    """Write `translated_from:` (the English article's digest) into a translation's front matter, byte for byte
    otherwise: the file written, or why it cannot be."""
    code, _, slug = name.removeprefix("content/").removesuffix(".md").partition("/")
    if code not in config.languages or not SLUG.fullmatch(slug):
        known = ", ".join(f"{c}/SLUG" for c in config.languages) or "none: add languages to site.yaml"
        return None, [error(config_name, 1, f"'{name}' is not a translation: write CODE/SLUG, a file "
                                            f"content/CODE/SLUG.md of a language in site.yaml ({known})")]
    path = root / "content" / code / f"{slug}.md"
    shown = shown_path(path, root)
    unsafe = unsafe_inputs(root, ("content",))  # links out, hard links, pipes: never read or written through
    if unsafe:
        return None, unsafe
    if not path.is_file():
        files = [p.stem for p in (root / "content" / code).glob("*.md")]
        return None, [error(shown, 1, f"no such translation{did_you_mean(slug, files)}")]
    data = path.read_bytes()
    page, problems = parse_page(data, slug, shown)
    if page is None or problems:
        return None, problems
    source_path = root / "content" / page.meta.translation_of
    if not page.meta.translation_of or "/" in page.meta.translation_of or not source_path.is_file():
        return None, check([page], [], [], code) or [error(shown, page.line("translation_of"),
                                                           f"translation_of '{page.meta.translation_of}': no such "
                                                           "article in content/")]
    source, problems = parse_page(source_path.read_bytes(), source_path.stem, shown_path(source_path, root))
    if source is None:
        return None, problems
    cards = care.read_care_cards(root / "content", root)[0]
    target = Path(os.path.realpath(path))  # inside the site (checked above): a link's file, not the link
    write_fresh(target, with_key(data, page, "translated_from", digest(source, cards)),
                stat.S_IMODE(target.stat().st_mode))
    translationdiff.save(root, code, source_path.name, source_path.read_bytes())
    return path, []


def with_key(data: bytes, page: Page, key: str, value: str) -> bytes:
    """A file's bytes with one front-matter key set: its line replaced, or a line added after translation_of."""
    lines = data.splitlines(keepends=True)
    ending = b"\r\n" if lines[0].endswith(b"\r\n") else b"\n"
    line = f"{key}: {value}".encode()
    if key in dict(page.key_lines):
        index = page.line(key) - 1
        lines[index] = line + (lines[index][len(lines[index].rstrip(b"\r\n")):] or ending)
    else:
        index = page.line("translation_of")
        lines.insert(index, line + ending)
    return b"".join(lines)
