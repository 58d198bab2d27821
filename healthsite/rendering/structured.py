"""Structured data: one JSON-LD graph per article that says exactly what the page shows."""

from __future__ import annotations

import json
from typing import Any

from healthsite.reading import i18n
from healthsite.model.site import Site
from healthsite.rendering.social import preview_of


def breadcrumbs(site: Site, slug: str) -> list[tuple[str, str]]:
    """(name, site path) from Home to the article, through its first topic."""
    page = site.pages[slug]
    trail = [(i18n.translations(site.code).gettext("Home"), site.config.base_path)]
    for topic in site.topics_of(slug)[:1]:
        trail.append((topic.title, topic.url))
    return trail + [(page.meta.title, site.url(slug))]


def article_graph(site: Site, slug: str) -> dict[str, Any]:
    """The JSON-LD graph of an article: MedicalWebPage, BreadcrumbList and FAQPage when there is an FAQ."""
    config, meta, body = site.config, site.pages[slug].meta, site.bodies[slug]
    url = config.absolute(site.url(slug))
    page: dict[str, Any] = {
        "@type": "MedicalWebPage", "@id": f"{url}#webpage", "url": url, "name": meta.title,
        "description": meta.description, "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.publisher, "url": config.base_url},
        "breadcrumb": {"@id": f"{url}#breadcrumb"}, "image": preview_of(site, slug).url,
    }
    if meta.date:
        page["datePublished"] = meta.date.isoformat()
    modified = site.pages[slug].modified or meta.date
    if modified:
        page["dateModified"] = modified.isoformat()
    page |= credits(site, slug)
    trail = {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": config.absolute(path)}
        for i, (name, path) in enumerate(breadcrumbs(site, slug), start=1)]}
    graph = [page, trail]
    if body.faq:
        graph.append({"@type": "FAQPage", "@id": f"{url}#faq", "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
            for q, a in body.faq]})
    return {"@context": "https://schema.org", "@graph": graph}


def credits(site: Site, slug: str) -> dict[str, Any]:
    """The article's author, and its reviewer and review date unless it changed since the review, as the byline
    shows them."""
    from healthsite.rendering.trustpages import byline  # it renders through this module
    shown = byline(site, slug)
    found: dict[str, Any] = {}
    if shown.author and shown.author.url:
        found["author"] = shown.author.node(site.config.absolute)
    if shown.reviewer and shown.reviewed and not shown.changed:
        found["lastReviewed"] = shown.reviewed.isoformat()
        found["reviewedBy"] = shown.reviewer.node(site.config.absolute)
    return found


def script_json(data: Any) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: every page carries it
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
