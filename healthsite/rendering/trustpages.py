"""What the theme shows of people, reviews, change history and policy pages: an article's byline, each person's
and policy page's context and structured data, and the footer's links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

from healthsite.reading import i18n
from healthsite.reading.i18n import N_
from healthsite.reading.feedback import Links, links
from healthsite.reading.people import Credit, SidePage, credit, own
from healthsite.reading.policy import byline_page
from healthsite.model.site import Card, Site
from healthsite.rendering.structured import script_json


# The names `translations.changed_sections` gives the parts of an article that are not `##` sections.
PART_NAMES = (N_("the title, description and key takeaways"), N_("the introduction"))


@dataclass(frozen=True)
class Byline:
    """Who wrote and reviewed an article, when, and whether it changed since its review."""

    author: Credit | None
    reviewer: Credit | None  # None when not reviewed
    published: dt.date | None
    updated: dt.date | None
    reviewed: dt.date | None
    next_review: dt.date | None
    changed: tuple[str, ...]  # sections changed since the review: the review no longer vouches for the page
    policy: tuple[str, str] | None  # (title, URL) of the page on how articles are written and reviewed


def _extras(site: Site) -> Any:
    """The edition's people, policy pages and stale reviews (empty for a site assembled without them)."""
    from healthsite.model.sidepages import Extras
    return site.extras or Extras()


def byline(site: Site, slug: str) -> Byline:
    """An article's byline."""
    page, extras = site.pages[slug], _extras(site)
    meta = page.meta
    author = credit(extras.people, meta.author or site.config.default_author)
    reviewer = credit(extras.people, meta.reviewed_by) if meta.reviewed_by else None
    how = byline_page(extras.policies)
    gettext = i18n.translations(site.code).gettext
    changed = tuple(gettext(name) if name in PART_NAMES else name for name in extras.stale.get(slug, ()))
    return Byline(author, reviewer, meta.date, page.modified, meta.last_reviewed, meta.next_review_due, changed,
                  (how.meta.title, how.url) if how else None)


def feedback(site: Site, slug: str) -> Links | None:
    """An article's feedback links."""
    page = site.pages[slug]
    return links(site.config.feedback, site.config.absolute(site.url(slug)), page.meta.title,
                 i18n.translations(site.code))


def footer_links(site: Site) -> tuple[tuple[str, str], ...]:
    """(title, URL) of each policy page, in footer order."""
    return tuple((page.meta.title, page.url) for page in _extras(site).policies.values())


def extra_pages(site: Site) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(output path, template, context) of each person page and policy page the edition publishes."""
    extras = _extras(site)
    for key, person in own(extras.people, site.code).items():
        wrote, reviewed = _credits(site, key)
        yield (f"people/{person.url.rstrip('/').rsplit('/', 1)[-1]}/index.html", "person.html",
               {"person": person, "wrote": wrote, "reviewed": reviewed, "url": person.url,
                "structured_data": script_json(person_graph(site, person))})
    for page in extras.own_policies.values():
        yield (f"pages/{page.url.rstrip('/').rsplit('/', 1)[-1]}/index.html", "policy.html",
               {"policy": page, "url": page.url, "structured_data": script_json(policy_graph(site, page))})


def _credits(site: Site, key: str) -> tuple[list[Card], list[Card]]:
    """The cards of the listed articles a person wrote, and of those they reviewed (the review still current)."""
    default = site.config.default_author
    wrote = [site.card(slug) for slug, page in site.listed.items() if (page.meta.author or default) == key]
    reviewed = [site.card(slug) for slug, page in site.listed.items()
                if page.meta.reviewed_by == key and slug not in _extras(site).stale]
    return wrote, reviewed


def person_graph(site: Site, person: SidePage) -> dict[str, Any]:
    """The JSON-LD of a person's page: a ProfilePage about the Person (or Organization)."""
    config = site.config
    node = credit({person.key: person}, person.key).node(config.absolute)
    url = config.absolute(person.url)
    page = {"@type": "ProfilePage", "@id": f"{url}#webpage", "url": url, "name": person.meta.name,
            "inLanguage": config.language, "mainEntity": node}
    return {"@context": "https://schema.org", "@graph": [page]}


def policy_graph(site: Site, policy: SidePage) -> dict[str, Any]:
    """The JSON-LD of a policy page: a WebPage with its name and description."""
    config = site.config
    url = config.absolute(policy.url)
    page = {"@type": "WebPage", "@id": f"{url}#webpage", "url": url, "name": policy.meta.title,
            "description": policy.meta.description, "inLanguage": config.language,
            "publisher": {"@type": "Organization", "name": config.publisher, "url": config.base_url}}
    return {"@context": "https://schema.org", "@graph": [page]}
