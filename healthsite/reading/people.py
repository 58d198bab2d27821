"""People: the writers and reviewers of content/people/ (a translation's in content/CODE/people/), checked, and
each article's `author:` and `reviewed_by:` resolved to one of them by key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthsite.reading.config import SiteConfig
from healthsite.reading.content import SLUG, Page, load_source
from healthsite.reading.files import setting_line
from healthsite.problems import Problem, error, shown_path
from healthsite.reading.typed import did_you_mean, field

FOLDER = "people"
KINDS = ("person", "organization")


def _kind(value: str) -> str | None:
    """Check a person's kind."""
    return None if value in KINDS else f"must be person or organization, not '{value}'"


def _filled(value: str) -> str | None:
    """Check that a text is not blank."""
    return None if value.strip() else "must not be empty"


@dataclass(frozen=True)
class PersonMatter:
    """The fields at the top of a person's file."""

    name: str = field("the name readers see, e.g. Jo Rivera or Harborline editorial team", check=_filled)
    role: str = field("what they do here, e.g. Health writer", "")
    kind: str = field("person, or organization for a team", "person", _kind)
    credentials: tuple[str, ...] = field("qualifications readers can check, e.g. MD; a reviewer needs one", ())
    affiliations: tuple[str, ...] = field("where they work or belong", ())
    conflicts_of_interest: str = field("interests that could bias their work (write 'None declared' if none)", "")
    photo: str = field("a picture in static/, e.g. people/jo-rivera.jpg (optional)", "")
    translation_of: str = field("a translation's person: the file name in content/people/", "")


@dataclass(frozen=True)
class SidePage:
    """A Markdown page outside the article library (a person or a policy page): where it came from, its front
    matter, its Markdown body, its key (shared by its translations) and its address."""

    key: str
    source: str
    meta: Any
    body: str
    body_line: int
    key_lines: tuple[tuple[str, int], ...]
    url: str
    html: str = ""

    def line(self, key: str) -> int:
        """The line of a front-matter key (the opening '---' when absent)."""
        return dict(self.key_lines).get(key, 1)

    @property
    def file(self) -> str:
        """The file name, as `translation_of` names it."""
        return Path(self.source).name


def read_folder(root: Path, code: str, folder: str, schema: type, url: str,
                default: dict[str, SidePage] | None = None) -> tuple[dict[str, SidePage], list[Problem]]:
    """Every Markdown file of content/[CODE/]FOLDER/ by key; a translation's key is its `translation_of`'s."""
    where = root / "content" / code / folder
    pages: dict[str, SidePage] = {}
    problems: list[Problem] = []
    for path in sorted(p for p in where.glob("*.md") if p.is_file()) if where.is_dir() else []:
        shown = shown_path(path, root)
        meta, body, body_line, reader = load_source(path.read_bytes(), shown, schema,
                                                    "a page needs front matter")
        problems += reader.problems
        if meta is None:
            continue
        lines = tuple(reader.key_lines.items())
        key = path.stem
        if not SLUG.fullmatch(key):
            problems.append(error(shown, 1, f"file name '{key}' is not a slug (lowercase letters, digits and '-')"))
            continue
        if code and default is not None:
            files = {page.file: page.key for page in default.values()}
            if meta.translation_of not in files:
                line = dict(lines).get("translation_of", 1)
                problems.append(error(shown, line, f"translation_of '{meta.translation_of}': no such file in "
                                      f"content/{folder}/{did_you_mean(meta.translation_of, files)}"))
                continue
            key = files[meta.translation_of]
        elif meta.translation_of:
            problems.append(error(shown, dict(lines)["translation_of"], "'translation_of' belongs in a translation "
                                  f"(content/CODE/{folder}/)"))
        pages[key] = SidePage(key, shown, meta, body, body_line, lines, f"{url}{path.stem}/")
    return pages, problems


def read_people(root: Path, config: SiteConfig, code: str = "",
                default: dict[str, SidePage] | None = None) -> tuple[dict[str, SidePage], list[Problem]]:
    """The people of an edition by key (a translation's own, then the default language's it does not translate)."""
    people, problems = read_folder(root, code, FOLDER, PersonMatter, f"{config.base_path}{FOLDER}/", default)
    for person in people.values():
        if person.meta.photo and not (root / "static" / person.meta.photo).is_file():
            problems.append(error(person.source, person.line("photo"),
                                  f"photo '{person.meta.photo}' does not exist in static/"))
    return {**(default or {}), **people}, problems


def own(people: dict[str, SidePage], code: str) -> dict[str, SidePage]:
    """The people whose file is in this edition's folder (the ones it publishes a page for)."""
    folder = f"content/{code}/{FOLDER}/" if code else f"content/{FOLDER}/"
    return {key: person for key, person in people.items() if person.source.startswith(folder)}


def check_credits(pages: list[Page], people: dict[str, SidePage], config: SiteConfig,
                  config_file: tuple[str, str]) -> list[Problem]:
    """With people on the site, every `author:`, `reviewed_by:` and `default_author` names one by key, and every
    reviewer has credentials. A site without content/people/ keeps plain names."""
    if not people:
        return []
    problems = []
    if config.default_author and config.default_author not in people:
        shown, text = config_file
        problems.append(error(shown, setting_line(text, "default_author", config.default_author),
                              _unknown("default_author", config.default_author, people)))
    for page in pages:
        for key in ("author", "reviewed_by"):
            name = getattr(page.meta, key)
            if name and name not in people:
                problems.append(error(page.source, page.line(key), _unknown(key, name, people)))
        reviewer = people.get(page.meta.reviewed_by)
        if reviewer is not None and not reviewer.meta.credentials:
            problems.append(error(page.source, page.line("reviewed_by"), no_credentials(reviewer)))
    return problems


def no_credentials(reviewer: SidePage) -> str:
    """The message for a medical reviewer without credentials."""
    return (f"reviewer '{reviewer.key}' has no credentials: a medical review needs a reviewer whose "
            f"qualifications readers can check (add 'credentials' to {reviewer.source}, or choose another reviewer)")


def _unknown(key: str, name: str, people: dict[str, SidePage]) -> str:
    """The message for a person key no file of content/people/ has."""
    return (f"{key} '{name}': no such person in content/people/{did_you_mean(name, people)} (write the key: "
            "the file name without .md)")


def credit(people: dict[str, SidePage], key: str) -> Credit | None:
    """What a byline shows of a person, or None for an unknown key (a site without people: a plain name)."""
    person = people.get(key)
    if person is None:
        return Credit(key, "", "", "", ()) if key else None
    meta = person.meta
    return Credit(meta.name, person.url, meta.role, meta.kind, meta.credentials, meta.affiliations, key)


@dataclass(frozen=True)
class Credit:
    """A person as a byline and the structured data name them."""

    name: str
    url: str
    role: str
    kind: str
    credentials: tuple[str, ...]
    affiliations: tuple[str, ...] = ()
    key: str = ""

    @property
    def title(self) -> str:
        """The name followed by the credentials, e.g. Jo Rivera, MD."""
        return ", ".join((self.name, *self.credentials))

    def node(self, absolute: Any) -> dict[str, Any]:
        """The schema.org Person (or Organization) node."""
        node: dict[str, Any] = {"@type": "Organization" if self.kind == "organization" else "Person",
                                "name": self.name}
        if self.url:
            node["@id"] = absolute(self.url) + "#person"
            node["url"] = absolute(self.url)
        if self.role and self.kind != "organization":
            node["jobTitle"] = self.role
        if self.credentials:
            node["hasCredential"] = [{"@type": "EducationalOccupationalCredential", "name": name}
                                     for name in self.credentials]
        if self.affiliations and self.kind != "organization":
            node["affiliation"] = [{"@type": "Organization", "name": name} for name in self.affiliations]
        return node
