"""The pages beside the articles, read and checked for one edition: its people and policy pages, which articles
changed since their medical review, and the warnings about reviews and change history."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from healthsite.model import changelog, reviews
from healthsite.reading import people as persons, policy
from healthsite.checks import check
from healthsite.reading.config import SiteConfig
from healthsite.reading.content import Page
from healthsite.mdext.markup import Renderer
from healthsite.mdext import Refs, CareCard
from healthsite.reading.people import SidePage
from healthsite.problems import Problem


@dataclass(frozen=True)
class Extras:
    """An edition's people and policy pages (bodies rendered), and its articles changed since their review."""

    people: dict[str, SidePage] = field(default_factory=dict)
    policies: dict[str, SidePage] = field(default_factory=dict)
    stale: dict[str, tuple[str, ...]] = field(default_factory=dict)
    code: str = ""

    @property
    def addresses(self) -> frozenset[str]:
        """The site addresses (under the edition's base path) of its own person and policy pages."""
        return frozenset(_tail(page.url) for page in (*self.own_people.values(), *self.own_policies.values()))

    @property
    def own_people(self) -> dict[str, SidePage]:
        """The people this edition publishes a page for (its own files)."""
        return {k: p for k, p in self.people.items() if _owned(p, persons.FOLDER, self.code)}

    @property
    def own_policies(self) -> dict[str, SidePage]:
        """The policy pages this edition publishes (its own files)."""
        return {k: p for k, p in self.policies.items() if _owned(p, policy.FOLDER, self.code)}


def _owned(page: SidePage, folder: str, code: str) -> bool:
    """Whether a page's file is in an edition's own folder."""
    return page.source.startswith(f"content/{code}/{folder}/" if code else f"content/{folder}/")


def _tail(url: str) -> str:
    """A page's address after the edition's base path: people/KEY/ or pages/KEY/."""
    parts = url.rstrip("/").split("/")
    return f"{parts[-2]}/{parts[-1]}/"


def read(root: Path, config: SiteConfig, code: str, default: Extras | None, pages: list[Page],
         config_file: tuple[str, str]) -> Extras:
    """An edition's people and policy pages, read and checked (raises BuildError), with the articles' credits."""
    people, problems = persons.read_people(root, config, code, default.people if default else None)
    policies, found = policy.read_policies(root, config, code, default.policies if default else None)
    check(problems + found + persons.check_credits(pages, people, config, config_file))
    return Extras(people, policies, {}, code)


def settle(extras: Extras, refs: Refs, listed: list[Page], cards: Mapping[str, CareCard], config: SiteConfig,
           code: str) -> tuple[Extras, list[Problem]]:
    """The side pages' bodies rendered, the stale reviews found; errors raised, warnings returned."""
    renderer = Renderer(refs)
    problems: list[Problem] = []

    def rendered(pages: dict[str, SidePage], own: dict[str, SidePage]) -> dict[str, SidePage]:
        done = {}
        for key, page in pages.items():
            if key in own and own[key] is page and not page.html:
                body = renderer.render(page.source, page.body, page.body_line)
                problems.extend(body.problems)
                page = replace(page, html=body.html)
            done[key] = page
        return done

    extras = replace(extras, people=rendered(extras.people, extras.own_people),
                     policies=rendered(extras.policies, extras.own_policies))
    stale = reviews.stale_pages(listed, cards)
    problems += reviews.review_problems(listed, stale, extras.people, config, code)
    check(problems)
    warnings = [p for p in problems if p.level == "warning"] + changelog.unrecorded(listed)
    return replace(extras, stale=stale), warnings
