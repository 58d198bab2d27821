"""Content loading: each `content/*.md` becomes a typed, validated, immutable Page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from frontmatter.default_handlers import YAMLHandler

from healthsite.reading import typed
from healthsite.checks import check
from healthsite.reading.config import Limits
from healthsite.reading.files import decode_source
from healthsite.problems import Problem, error, excerpt
from healthsite.reading.typed import field
from healthsite.reading.sourcefiles import SourceFile, changed_while_building, file_digest, read_again
from healthsite.reading.urls import url_check

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
UNIQUE = frozenset({"source", "slug", "digest", "text_digest", "text_baseline"})  # a page's own: never shared


def _max_length(limit: int) -> typed.Check:
    """A check that a text is non-empty and at most `limit` characters."""
    def check(value: str) -> str | None:
        if not value.strip():
            return "must not be empty"
        return f"is {len(value)} characters long (at most {limit})" if len(value) > limit else None
    return check


MAX_SLUG = 100  # characters: a slug names a folder and files (with a digest added) that must stay under 255 bytes


def _slug(value: str) -> str | None:
    """Check one slug (short enough to name a folder and the files made from it)."""
    if len(value) > MAX_SLUG:
        return f"'{excerpt(value)}' is too long for a slug ({len(value)} characters; at most {MAX_SLUG})"
    return None if SLUG.fullmatch(value) else f"'{excerpt(value)}' is not a slug (lowercase letters, digits and '-')"


def _slugs(values: tuple[str, ...]) -> str | None:
    """Check every slug of a list."""
    return next(filter(None, map(_slug, values)), None)


def _non_empty(values: tuple[str, ...]) -> str | None:
    """Check that no item of a list is blank."""
    return "must not contain empty items" if any(not v.strip() for v in values) else None


def _sentence(value: str) -> str | None:
    """Check that a change note is one short sentence."""
    if not value.strip():
        return "must not be empty"
    return f"is {len(value)} characters long (at most 200): say what changed in one plain sentence" \
        if len(value) > 200 else None


@dataclass(frozen=True)
class Change:
    """One entry of an article's change history."""

    date: dt.date = field("when the change was published")
    text: str = field("what changed, in one plain sentence", check=_sentence)


@dataclass(frozen=True)
class FrontMatter:
    """The fields a writer may set at the top of an article."""

    title: str = field("the article's title (h1)", check=_max_length(120))
    description: str = field("meta description and card teaser", check=_max_length(300))
    slug: str | None = field("URL name; default: the file name", None, _slug)
    date: dt.date | None = field("first published", None)
    updated: dt.date | None = field("last substantive update", None)
    tags: tuple[str, ...] = field("topic slugs", (), _slugs)
    related: tuple[str, ...] = field("slugs shown first in the Read More cards", (), _slugs)
    key_takeaways: tuple[str, ...] = field("short summary sentences shown above the body", (), _non_empty)
    search_terms: tuple[str, ...] = field("other words readers search with (lay terms, common misspellings): "
                                          "found by search, never shown", (), _non_empty)
    author: str = field("who wrote it", "")
    reviewed_by: str = field("who medically reviewed it", "")
    last_reviewed: dt.date | None = field("date of the last medical review", None)
    next_review_due: dt.date | None = field("date the next review is due", None)
    reviewed_version: str = field("written by `python build.py reviewed SLUG --by KEY`: the digest of each "
                                  "section the review covered", "")
    changes: tuple[Change, ...] = field("change history, newest first: each a date and one plain sentence", ())
    draft: bool = field("never built; shown with a Draft banner in previews (serve, --drafts)", False)
    template: str = field("template file in templates/", "article.html")
    image: str = field("social preview image: images/NAME.png (content/images/), a static/ path or a URL", "",
                       url_check(site_path=True))
    image_alt: str = field("text alternative for the image", "")
    translation_of: str = field("a translation's English article: its file name in content/", "")
    translated_from: str = field("written by `python build.py translated CODE/SLUG`: the version of the English "
                                 "article translated", "")


@dataclass(frozen=True)
class Page:
    """One article: where it came from, its front matter and its Markdown body."""

    source: str
    slug: str
    meta: FrontMatter
    body: str
    body_line: int
    key_lines: tuple[tuple[str, int], ...]
    digest: str = ""
    text_line: int = 0  # the file line of the body's first text (0: the body's first line)
    text_digest: str = ""  # the version of its text, section by section (translations.digest, without cards)
    text_baseline: str = ""  # the text_digest the last `changes:` entry describes, while the text differs from it

    @property
    def file(self) -> str:
        """The source file's name (`x.md` of `content/x.md`), as cross-links name it."""
        return self.source.rpartition("/")[2]

    @property
    def newest(self) -> dt.date:
        """The latest date known for the article (for sorting by newest)."""
        return max(d for d in (self.meta.date, self.modified, dt.date.min) if d)

    @property
    def modified(self) -> dt.date | None:
        """The date of the last update: `updated` or the newest `changes` entry, whichever is later."""
        dates = [d for d in (self.meta.updated, *(c.date for c in self.meta.changes[:1])) if d]
        return max(dates) if dates else None

    def line(self, key: str) -> int:
        """The line of a front-matter key (the opening '---' when absent)."""
        return dict(self.key_lines).get(key, 1)


class StoredPage(Page):
    """A page whose Markdown body stays in its source file until something reads it (read, checked, not kept)."""

    def __init__(self, page: Page, path: Path, one: Callable[[Any], Any] = lambda value: value) -> None:
        for part in dataclasses.fields(Page):
            if part.name != "body":
                value = getattr(page, part.name)
                object.__setattr__(self, part.name, value if part.name in UNIQUE else one(value))
        object.__setattr__(self, "path", path)

    @property  # type: ignore[override]
    def body(self) -> str:
        """The Markdown body, split again from the file's bytes, which must be the ones the page was parsed from."""
        data = read_again(self.path, self.source, self.digest)
        parts = data if isinstance(data, Problem) else split_source(data, self.source, "")[0]
        if not isinstance(parts, tuple):
            check([parts] if isinstance(parts, Problem) else [changed_while_building(self.source)])
        return parts[1]

    def __reduce__(self) -> tuple:
        """Pickled as a plain page, its body read."""
        return Page, tuple(getattr(self, part.name) for part in dataclasses.fields(Page))


def over_limits(file: SourceFile, limits: Limits) -> list[Problem]:
    """Errors for an article too large, or with a line too long, to be worth parsing (checked before reading it)."""
    if file.size > limits.article_bytes:
        return [error(file.shown, 1, f"the file is {file.size:,} bytes, over the limit of "
                                     f"{limits.article_bytes:,} (limits.article_bytes in site.yaml): split it")]
    if file.size <= limits.line_characters:
        return []
    for number, line in enumerate(file.data.split(b"\n"), start=1):
        length = len(line.decode("utf-8", "replace")) if len(line) > limits.line_characters else 0
        if length > limits.line_characters:
            return [error(file.shown, number, f"the line is {length:,} characters long, over the limit of "
                                              f"{limits.line_characters:,} (limits.line_characters in site.yaml): "
                                              "break it up")]
    return []


def parse_page(data: bytes, stem: str, shown: str) -> tuple[Page | None, list[Problem]]:
    """One article from its file's bytes."""
    meta, body, body_line, reader = load_source(data, shown, FrontMatter,
                                                "an article needs front matter with title and description")
    if meta is None:
        return None, reader.problems
    digest = file_digest(data)
    text_line = body_line + body.count("\n", 0, len(body) - len(body.lstrip()))
    page = Page(shown, meta.slug or stem, meta, body, body_line, tuple(reader.key_lines.items()), digest, text_line)
    from healthsite.reading.sections import digest as text_digest  # the module imports this one
    page = dataclasses.replace(page, text_digest=text_digest(page))
    return page, _check_page(page)


def load_source(data: bytes, shown: str, schema: type, needs: str) -> tuple[Any, str, int, typed.Reader]:
    """A Markdown file's front matter as `schema` (None if invalid), its body and the body's first line.

    The reader holds the problems found and the line of each front-matter key.
    """
    reader = typed.Reader(shown)
    parts, problems = split_source(data, shown, needs)
    if parts is None:
        reader.problems += problems
        return None, "", 1, reader
    yaml_text, body, body_line = parts
    return typed.load(schema, yaml_text, reader), body, body_line, reader


def split_source(data: bytes, shown: str, needs: str) -> tuple[tuple[str, str, int] | None, list[Problem]]:
    """A Markdown file's front matter text, its body and the body's first line, or why it has none."""
    text, problems = decode_source(data, shown)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [error(shown, 1, f"empty file ({needs})")]
    if not text.startswith("---"):
        return None, [error(shown, 1, "missing front matter: start the file with a '---' line")]
    try:
        yaml_text, body = YAMLHandler().split(text)
    except ValueError:
        return None, [error(shown, 1, "front matter is not closed by a '---' line")]
    return (yaml_text, body, text.count("\n", 0, len(text) - len(body)) + 1), []


def _check_page(page: Page) -> list[Problem]:
    """Checks that span several fields of one page."""
    meta, problems = page.meta, []
    if not SLUG.fullmatch(page.slug):
        problems.append(error(page.source, 1, f"file name '{Path(page.source).stem}' is not a slug; "
                                              "rename the file or set 'slug'"))
    elif len(page.slug) > MAX_SLUG:
        problems.append(error(page.source, 1, f"file name '{excerpt(page.slug)}' is too long for a slug "
                                              f"({len(page.slug)} characters; at most {MAX_SLUG}): rename the file "
                                              "or set a shorter 'slug'"))
    if meta.last_reviewed and meta.next_review_due and meta.next_review_due < meta.last_reviewed:
        problems.append(error(page.source, page.line("next_review_due"),
                              f"'next_review_due' ({meta.next_review_due}) is before "
                              f"'last_reviewed' ({meta.last_reviewed})"))
    if bool(meta.reviewed_by) != bool(meta.last_reviewed):
        key = "reviewed_by" if meta.reviewed_by else "last_reviewed"
        other = "last_reviewed" if meta.reviewed_by else "reviewed_by"
        problems.append(error(page.source, page.line(key), f"'{key}' needs '{other}' too"))
    dates = [change.date for change in meta.changes]
    if dates != sorted(dates, reverse=True):
        problems.append(error(page.source, page.line("changes"), "'changes' must list the newest change first"))
    if meta.image and not meta.image_alt:
        problems.append(error(page.source, page.line("image"), "'image' needs 'image_alt'"))
    return problems
