"""Sources: the bibliography and every article read, checked and rendered (cached ones reused), then the site."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping, Protocol

from healthsite.mdext import care
from healthsite.model import changelog, readability, recall, sidepages, spellscan, translations, workers
from healthsite.reading import images, rules, themefiles
from healthsite.reading.facts import EMERGENCY, front_matter_problems
from healthsite.reading.i18n import body_texts
from healthsite.reading.digests import digest, engine_digest
from healthsite.reading.bibliography import Bibliography, load_bibliography
from healthsite.checks import check, checked_value
from healthsite.reading.config import SiteConfig, load_config
from healthsite.reading.content import Page, over_limits
from healthsite.reading.sourcefiles import SourceFile, read_articles
from healthsite.mdext.markup import Body, Renderer
from healthsite.mdext import Refs, CareCard
from healthsite.reading.options import Options
from healthsite.reading.files import read_source
from healthsite.problems import Problem, errors_only, shown_path
from healthsite.model.site import (Site, assemble, check_links, check_pages, check_safety_links, check_start_here,
                                   draft_warnings, title_warnings)


class Previous(Protocol):
    """What reading the sources takes from the last build (the cache's pages): the engine, and each page, body and
    readability by content key."""

    engine: str
    bodies: Mapping[str, tuple]
from healthsite.model.previews import check_images
from healthsite.reading.urls import article_url


Rendered = tuple[Page | None, Body | None, readability.TextStats | None, list[Problem]]
Keep = Callable[[Rendered, Path], Rendered]


@dataclass(frozen=True)
class Sources:
    """Everything read from the site folder, validated, with every published body rendered."""

    root: Path
    config: SiteConfig
    pages: list[Page]
    published: list[Page]
    bodies: dict[str, Body]
    stats: dict[str, readability.TextStats]
    bibliography: Bibliography
    warnings: list[Problem]
    keys: dict[str, str] = field(default_factory=dict)
    card_problems: list[Problem] = field(default_factory=list)
    config_file: tuple[str, str] = ("site.yaml", "")
    images: dict[str, images.Image] = field(default_factory=dict)
    code: str = ""  # the edition's language folder ("" for the default language)
    care_cards: dict[str, CareCard] = field(default_factory=dict)  # the edition's shared care cards, by name
    extras: sidepages.Extras = field(default_factory=sidepages.Extras)  # people, policy pages, stale reviews


def read_sources(options: Options, previous: Previous | None = None, config: SiteConfig | None = None,
                 files: list[SourceFile] | None = None, code: str = "", default: Sources | None = None,
                 keep: Keep = lambda done, path: done) -> Sources:
    """Load and check the configuration, the bibliography and every article, rendering published bodies.

    With a language `code`, the edition in content/CODE/, whose articles may also link to the `default` one's.
    `keep` turns each rendered article, as it comes, into what is held until the pages are written (a build keeps
    its bodies' HTML and prose, and its pages' Markdown, on disk).
    """
    root = options.config.resolve().parent
    config = (config or checked_value(load_config(options.config, root))).edition(code)
    bibliography = checked_value(load_bibliography(root / config.bibliography, root))
    files = read_articles(root / "content" / code, root) if files is None else files
    refused = {file.shown: over_limits(file, config.limits) for file in files}
    files = [file for file in files if not refused[file.shown]]
    cards, card_problems = care.read_care_cards(root / "content" / code, root)
    others = _other_edition(default)
    pictures, image_problems = images.scan(root)
    engine = previous.engine if previous else engine_digest()
    keys = {file.shown: digest(engine, file.shown, file.digest) for file in files}
    guess = _refs(config, bibliography, {f.path.name: f.path.stem for f in files}, frozenset(), cards, set(), pictures,
                  code, others)
    reused = previous.bodies if previous else {}
    jobs = [workers.Job(f.shown, f.path, f.digest) for f in files if keys[f.shown] not in reused]
    jobs = recall.attached(jobs, reused.values())
    measures = (config.editorial.readability, spellscan.language_of(config.language))
    done = workers.run(jobs, guess, options.drafts, options.jobs or workers.default_jobs(), options.progress,
                       config.limits.render_seconds, measures)
    pages, bodies, measured, slug_keys = [], {}, {}, {}
    problems = [p for found in refused.values() for p in found] + card_problems + image_problems
    for file in files:
        key = keys[file.shown]
        page, body, stats, found = reused[key] + ([],) if key in reused else keep(_unpack(next(done)), file.path)
        problems += found
        if page is not None:
            pages.append(page)
            bodies[page.slug], measured[page.slug] = body, stats
            slug_keys[page.slug] = key
    next(done, None)  # the pool, done, shuts down
    pages = changelog.carry(pages, [entry[0] for entry in (previous.bodies.values() if previous else ())])
    if errors_only(problems):  # stopping here: say too what rendering found in the bodies that did render
        check(problems + [p for body in bodies.values() if body for p in body.problems])
    published = [page for page in pages if options.drafts or not page.meta.draft]
    shown = shown_path(options.config, root)
    config_file = (shown, read_source(options.config, shown)[0] or "")
    drafts = frozenset(Path(p.source).name for p in pages if p.meta.draft)
    listed = [page for page in published if not page.meta.draft]
    site_problems = (check_pages(pages, config, themefiles.layers(root, "templates"))
                     + check_start_here(config, *config_file, pages, listed)
                     + check_images(pages, pictures, themefiles.layers(root, "static")))
    extras = sidepages.read(root, config, code, default.extras if default else None, pages, config_file)
    refs = _refs(config, bibliography, {p.file: p.slug for p in published}, drafts, cards,
                 {tag for p in listed for tag in p.meta.tags}, pictures, code, others, extras.addresses)
    bodies, measured = _settle(published, bodies, measured, refs, measures,
                               lambda body, page: keep((page, body, None, []), root / page.source)[1])
    if errors_only(site_problems):  # stopping here: say too what the bodies say (every problem of a file at once)
        check(site_problems + errors_only([p for body in bodies.values() for p in body.problems]))
    used = _used_cards([bodies[p.slug] for p in listed])
    found = list(dict.fromkeys(p for body in bodies.values() for p in body.problems if p.level == "warning"))
    required = rules.required_cards(config.rules, config.language, code, published, _cards_by_page(bodies), cards) \
        + front_matter_problems(published)
    warnings = (draft_warnings(pages, {p.slug for p in listed}) + care.unused_care_cards(cards, used)
                + title_warnings(listed) + found + [p for p in required if p.level == "warning"])
    if default is not None:
        check(translations.check(pages, default.pages, default.published, code))
        warnings += translations.freshness(listed, default.pages, code, default.care_cards, root)
    extras, found = sidepages.settle(extras, refs, listed, cards, config, code)
    warnings += found
    return Sources(root, config, pages, published, bodies, measured, bibliography, warnings, slug_keys,
                   _card_problems(cards, refs) + errors_only(required), config_file, pictures, code, cards, extras)


def _unpack(done: workers.Done) -> Rendered:
    """A worker's result as a tuple."""
    return done.page, done.body, done.stats, done.problems


def _refs(config: SiteConfig, bibliography: Bibliography, slugs: dict[str, str], drafts: frozenset[str],
          cards: dict[str, CareCard], tags: set[str], pictures: dict[str, images.Image], code: str = "",
          others: tuple[dict[str, str], frozenset[str]] = ({}, frozenset()),
          addresses: frozenset[str] = frozenset()) -> Refs:
    """What articles may link to (file name -> URL; a translation's `../name.md` for the default edition's), cite,
    show and use as shared care cards, with the edition's translated body strings."""
    urls = {name: article_url(config.base_path, slug) for name, slug in slugs.items()} | others[0]
    safety = tuple((rule.terms, rule.link) for rule in config.safety_links)
    facts = config.all_facts
    return Refs(urls, drafts | others[1], frozenset(bibliography), facts[EMERGENCY].value, cards, safety,
                config.base_url, _other_pages(config, tags) | addresses, pictures, body_texts(code),
                config.base_path.removesuffix(f"{code}/") if code else "", facts,
                rules.text_rules(config.rules, facts, config.language, code))


def _other_edition(default: Sources | None) -> tuple[dict[str, str], frozenset[str]]:
    """The default edition's articles as a translation links to them: `../name.md` -> URL, and its drafts."""
    if default is None:
        return {}, frozenset()
    base = default.config.base_path
    urls = {f"../{Path(p.source).name}": article_url(base, p.slug) for p in default.published if not p.meta.draft}
    drafts = frozenset(f"../{Path(p.source).name}" for p in default.pages if p.meta.draft)
    return urls, drafts


def _other_pages(config: SiteConfig, tags: set[str]) -> frozenset[str]:
    """The addresses (under the base path) of the site's pages that are not articles."""
    fixed = {"", "topics/", "feed.xml", "sitemap.xml", "robots.txt"} | ({"search/"} if config.search else set())
    return frozenset(fixed | {f"topics/{tag}/" for tag in tags})


def _card_problems(cards: dict[str, CareCard], refs: Refs) -> list[Problem]:
    """Every shared card rendered on its own, so a card no article uses is checked too."""
    if not cards:
        return []
    renderer = Renderer(refs)
    return [problem for name, card in sorted(cards.items())
            for problem in renderer.render(card.source, f"!!! care {name}\n", 1).problems]


def _used_cards(bodies: list[Body]) -> set[str]:
    """The names of the shared cards the bodies use."""
    return {key for body in bodies for kind, key, value in body.lookups if kind == "card" and value}


def _cards_by_page(bodies: dict[str, Body]) -> dict[str, set[str]]:
    """The names of the shared cards each body uses, by slug."""
    return {slug: _used_cards([body]) for slug, body in bodies.items() if body is not None}


def _settle(published: list[Page], bodies: dict[str, Body | None], measured: dict[str, readability.TextStats | None],
            refs: Refs, measures: tuple[str, str], keep: Callable[[Body, Page], Body]
            ) -> tuple[dict[str, Body], dict[str, readability.TextStats]]:
    """Published bodies (and their readability and unknown words: `measures` names the formula and the dictionary's
    language), re-rendered where made with facts that turned out different."""
    renderer: Renderer | None = None
    settled, stats = {}, {}
    for page in published:
        body, known = bodies.get(page.slug), measured.get(page.slug)
        if body is None or errors_only(body.problems) or not refs.agrees(body.lookups):
            renderer = renderer or Renderer(refs)
            body = renderer.render(page.source, page.body, page.body_line, page.meta.draft)
            known = None
            body = keep(body, page)
        settled[page.slug] = body
        stats[page.slug] = _measured(page, body, known, *measures)
    return settled, stats


def _measured(page: Page, body: Body, known: readability.TextStats | None, formula: str, language: str
              ) -> readability.TextStats:
    """An article's readability by a formula and its unknown words in a language: what is `known` of them, the
    rest measured now (`known` itself when it holds both: the cache then keeps its record as it was)."""
    spelling = known.spelling if known and known.spelling and known.spelling.language == language else \
        spellscan.scan(page, body, language)
    stats = known if known and known.formula == formula else readability.measure(body.prose, body.sections, formula)
    return stats if stats.spelling is spelling else replace(stats, spelling=spelling)


def make_site(sources: Sources, editions: list[Sources] | tuple[Sources, ...] = ()) -> Site:
    """Check the bodies and the links between them, and assemble the site with its translated editions."""
    site = _one_site(sources)
    if not editions:
        return site
    return translations.link_editions(site, [_one_site(edition, sources) for edition in editions], sources.care_cards)


def _one_site(sources: Sources, default: Sources | None = None) -> Site:
    """One edition's site: its bodies and links checked (a translation's links to the default edition's too)."""
    check([p for body in sources.bodies.values() for p in body.problems] + sources.card_problems)
    listed = [page for page in sources.published if not page.meta.draft]
    others = {f"../{Path(p.source).name}": default.bodies[p.slug] for p in default.published} if default else {}
    check(check_links(sources.published, sources.bodies, others) +
          check_safety_links(sources.config, sources.config_file, sources.pages, listed, sources.bodies,
                             f"content/{sources.code}/" if sources.code else "content/"))
    site = assemble(sources.config, sources.published, sources.bodies, sources.bibliography, sources.images,
                    sources.root, sources.code)
    return replace(site, extras=sources.extras)


