"""Medical reviews that know when they are stale: `reviewed` records who reviewed an article, when, and a digest
of each section they read (shared care cards included); an article edited since says so, and which sections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Mapping

from healthsite.mdext import care
from healthsite.reading.config import SiteConfig
from healthsite.reading.content import SLUG, Page, parse_page
from healthsite.mdext.state import CareCard
from healthsite.reading.people import SidePage, no_credentials, read_people
from healthsite.problems import Problem, error, shown_path, warning
from healthsite.model.translations import changed_sections, digest, with_key
from healthsite.reading.typed import did_you_mean

COMMAND = "python build.py reviewed {slug} --by {key}"


def changed_since_review(page: Page, cards: Mapping[str, CareCard]) -> tuple[str, ...]:
    """The sections of a recorded review's article that changed since it was reviewed (none: still current)."""
    recorded = page.meta.reviewed_version
    if not (page.meta.reviewed_by and recorded) or recorded == digest(page, cards):
        return ()
    return tuple(changed_sections(page, recorded, cards))


def stale_pages(pages: list[Page], cards: Mapping[str, CareCard]) -> dict[str, tuple[str, ...]]:
    """Each article changed since its recorded review, with the sections that changed."""
    found = {page.slug: changed_since_review(page, cards) for page in pages}
    return {slug: changed for slug, changed in found.items() if changed}


def review_problems(listed: list[Page], stale: dict[str, tuple[str, ...]], people: dict[str, SidePage],
                    config: SiteConfig, code: str = "") -> list[Problem]:
    """Safety: an article changed since its review, or a review not recorded; errors where `require_review`."""
    problems = []
    for page in listed:
        meta, command = page.meta, COMMAND.format(slug=f"{code}/{page.slug}" if code else page.slug,
                                                  key=page.meta.reviewed_by or "KEY")
        if page.slug in stale:
            sections = ", ".join(f"'{name}'" for name in stale[page.slug])
            problems.append(_problem(config, page.source, page.line("reviewed_version"),
                                     f"changed since its last medical review on {meta.last_reviewed} ({sections}): "
                                     f"have it reviewed again, then run `{command}`"))
        elif meta.reviewed_by and not meta.reviewed_version and people:
            problems.append(warning(page.source, page.line("reviewed_by"), "medical review not recorded: what was "
                                    f"reviewed is unknown, so a later edit cannot be seen; run `{command}`", "safety"))
        elif config.require_review and not meta.reviewed_by:
            problems.append(error(page.source, page.line("reviewed_by"), "not yet medically reviewed (site.yaml sets "
                                  f"require_review): have it reviewed, then run `{command}`"))
    return problems


def _problem(config: SiteConfig, path: str, line: int, message: str) -> Problem:
    """A safety warning, or an error when site.yaml sets require_review."""
    return error(path, line, message) if config.require_review else warning(path, line, message, "safety")


def record_review(root: Path, config: SiteConfig, name: str, by: str, day: dt.date,
                  config_name: str = "site.yaml") -> tuple[Path | None, list[Problem]]:
    """Write `reviewed_by`, `last_reviewed` and `reviewed_version` into an article's front matter, byte for byte
    otherwise: the file written, or why it cannot be."""
    code, _, slug = name.removeprefix("content/").removesuffix(".md").rpartition("/")
    if (code and code not in config.languages) or not SLUG.fullmatch(slug):
        return None, [error(config_name, 1, f"'{name}' is not an article: write SLUG (content/SLUG.md) or "
                                            "CODE/SLUG for a translation")]
    path = root / "content" / code / f"{slug}.md"
    shown = shown_path(path, root)
    if not path.is_file():
        files = [p.stem for p in (root / "content" / code).glob("*.md")]
        return None, [error(shown, 1, f"no such article{did_you_mean(slug, files)}")]
    english, _ = read_people(root, config)
    people, problems = read_people(root, config, code, english) if code else (english, [])
    if problems:
        return None, problems
    if by not in people:
        return None, [error(config_name, 1, f"--by '{by}': no such person in content/people/"
                                            f"{did_you_mean(by, people)}")]
    if not people[by].meta.credentials:
        return None, [error(people[by].source, 1, no_credentials(people[by]))]
    data = path.read_bytes()
    page, problems = parse_page(data, slug, shown)
    if page is None or problems:
        return None, problems
    due = page.meta.next_review_due
    if due and due < day:
        return None, [error(shown, page.line("next_review_due"), f"next_review_due ({due}) is before the review "
                                                                 f"date ({day}): set the next review's date first")]
    version = digest(page, care.read_care_cards(root / "content" / code, root)[0])
    for key, value in (("reviewed_by", by), ("last_reviewed", day.isoformat()), ("reviewed_version", version)):
        data = _with_key(data, page, key, value)
        page = parse_page(data, slug, shown)[0] or page
    path.write_bytes(data)
    return path, []


def _with_key(data: bytes, page: Page, key: str, value: str) -> bytes:
    """A file's bytes with one front-matter key set: its line replaced, or a line added at the front matter's end."""
    if key in dict(page.key_lines):
        return with_key(data, page, key, value)
    lines = data.splitlines(keepends=True)
    ending = b"\r\n" if lines[0].endswith(b"\r\n") else b"\n"
    closing = page.body_line - 2  # the index of the closing '---' line
    lines.insert(closing, f"{key}: {value}".encode() + ending)
    return b"".join(lines)


def run(args: Any, report: Callable[[list[Problem]], None]) -> int:
    """The `reviewed` command: record the review, or print why it cannot be recorded (exit status 1)."""
    from healthsite.reading.config import load_config
    root = args.config.resolve().parent
    config, problems = load_config(args.config, root)
    day = args.date or dt.date.today()
    path, more = record_review(root, config, args.page, args.by, day, args.config.name) if config else (None, [])
    if path is None:
        report(problems + more)
        return 1
    if not args.quiet:
        print(f"recorded the medical review of {shown_path(path, root)} by {args.by} on {day}")
    return 0
