"""`new --lang CODE SLUG --from ENGLISH-SLUG`: start a translation of an English article.

The new file, content/CODE/SLUG.md, is a draft that names its English article (`translation_of`), keeps its
tags, and holds the English title, description, key takeaways and section headings to translate in place.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from healthsite.reading.config import SiteConfig
from healthsite.reading.content import _slug, parse_page
from healthsite.problems import Problem, error, shown_path
from healthsite.model.site import RESERVED
from healthsite.reading.sections import FENCE, H2
from healthsite.reading.typed import did_you_mean

MARK = "TRANSLATE"


def split_code(slug: str, lang: str) -> tuple[str, str]:
    """`es/SLUG` (or `content/es/SLUG.md`) as (es, SLUG); a plain slug keeps the --lang given."""
    name = slug.removeprefix("content/").removesuffix(".md")
    code, sep, rest = name.partition("/")
    return (code, rest) if sep else (lang, name)


def source_file(root: Path, english: str) -> Path:
    """The English article's file for a slug or file name given with --from."""
    return root / "content" / f"{Path(english).name.removesuffix('.md')}.md"


def problems_of(root: Path, config: SiteConfig, code: str, slug: str, english: str) -> list[Problem]:
    """Why the translation cannot be started: an unknown language, a bad slug, no English article, a file there."""
    where = f"content/{code}/{slug}.md"
    if code not in config.languages:
        known = ", ".join(config.languages) or "none: add languages to site.yaml"
        return [error(where, 1, f"unknown language '{code}'{did_you_mean(code, config.languages)}; the languages "
                                f"of site.yaml are: {known}")]
    if not english:
        return [error(where, 1, "a translation starts from its English article: add --from ENGLISH-SLUG, e.g. "
                                f"python build.py new --lang {code} {slug} --from lower-back-pain-after-running")]
    if (message := _slug(slug)) or slug in RESERVED:
        return [error(where, 1, (message or f"slug '{slug}' is reserved for the site")
                      + "; choose a name like dolor-de-rodilla")]
    if not source_file(root, english).is_file():
        files = [p.stem for p in (root / "content").glob("*.md")]
        return [error(where, 1, f"--from '{english}': no such English article in content/"
                                f"{did_you_mean(Path(english).stem, files)}")]
    if (root / "content" / code / f"{slug}.md").exists():
        return [error(where, 1, "the translation already exists and was left as it was; pick another slug, or "
                                "edit the file")]
    name = source_file(root, english).name
    other = next((p for p in sorted((root / "content" / code).glob("*.md")) if translates(p, name)), None)
    if other is not None:
        return [error(where, 1, f"{shown_path(other, root)} already translates content/{name} (one translation "
                                "per language): edit that file")]
    return []


def translates(path: Path, name: str) -> bool:
    """Whether an article file of an edition is the translation of the English file `name`."""
    try:
        page = parse_page(path.read_bytes(), path.stem, path.name)[0]
    except OSError:
        return False
    return page is not None and page.meta.translation_of == name


def text_of(source: Path, shown: str, today: dt.date) -> tuple[str | None, list[Problem]]:
    """The new translation's text: front matter from the English article, then its sections to translate."""
    page, problems = parse_page(source.read_bytes(), source.stem, shown)
    if page is None:
        return None, problems
    meta = page.meta
    quoted = json.dumps  # a YAML double-quoted string is a JSON string
    lines = ["---", f"title: {quoted(meta.title)}  # {MARK}", f"description: {quoted(meta.description)}  # {MARK}",
             f"date: {today.isoformat()}"]
    lines += [f"tags: [{', '.join(meta.tags)}]"] if meta.tags else []
    lines += [f"translation_of: {Path(page.source).name}", "draft: true"]
    if meta.key_takeaways:
        lines += [f"key_takeaways:  # {MARK}"] + [f"  - {quoted(item)}" for item in meta.key_takeaways]
    lines += ["---", "", f"<!-- A translation of {page.source}. Translate the title, description, key takeaways, "
              "every paragraph and each heading below (the English headings are kept to show the sections). "
              "When it matches the English article, delete `draft: true` and run `python build.py translated "
              "CODE/SLUG`. -->", "", f"{MARK}: the introduction.", ""]
    lines += [line for heading in headings(page.body) for line in (f"## {heading}", "", f"{MARK}: this section.", "")]
    return "\n".join(lines), []


def headings(body: str) -> list[str]:
    """The h2 headings of a Markdown body, in order (not inside code fences)."""
    found, fenced = [], False
    for line in body.split("\n"):
        fenced = fenced != bool(FENCE.match(line.strip()))
        match = None if fenced else H2.match(line)
        if match:
            found.append(match.group(1))
    return found


def create(root: Path, config: SiteConfig, code: str, slug: str, english: str, today: dt.date
           ) -> tuple[Path | None, list[Problem]]:
    """Write content/CODE/SLUG.md from the English article (never over an existing file); its path or problems."""
    problems = problems_of(root, config, code, slug, english)
    if problems:
        return None, problems
    source = source_file(root, english)
    text, problems = text_of(source, shown_path(source, root), today)
    if text is None:
        return None, problems
    target = root / "content" / code / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text.replace("CODE/SLUG", f"{code}/{slug}"))
    return target, []
