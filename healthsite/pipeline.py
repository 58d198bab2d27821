"""The build, top to bottom: config -> sources (pages, bodies) -> site -> outputs -> writer."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Any

from healthsite.writing import cache
from healthsite.checks import check, stage
from healthsite.reading.config import SiteConfig, load_config
from healthsite.reading.content import SourceFile
from healthsite.reading.files import inside, unsafe_inputs
from healthsite.reading.inputs import input_digest, read_editions, records as stat_records
from healthsite.reading.options import PREVIEW, Options
from healthsite.problems import BuildError, Problem, as_error, error, shown_path, warning
from healthsite.reading.places import output_problem
from healthsite.writing.writer import check_output_dir, write_site

if TYPE_CHECKING:  # the rendering modules are imported when a build renders, not for the nothing-changed shortcut
    from healthsite.review import editorial
    from healthsite.rendering.outputs import Outputs
    from healthsite.rendering.search import SearchStep
    from healthsite.model.site import Site
    from healthsite.model.sources import Keep, Sources
    from healthsite.writing.bodystore import Entry

__all__ = ["Options", "Report", "build", "validate", "read_sources", "make_site", "locate", "assembled", "reviewed",
           "cache_entries"]


def __getattr__(name: str) -> Any:
    """read_sources and make_site, from the sources module, loaded on first use."""
    if name in ("read_sources", "make_site"):
        from healthsite.model import sources
        return getattr(sources, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Report:
    """What a finished build did."""

    pages: int
    files: int
    written: int
    seconds: float
    out: Path
    warnings: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def build(options: Options) -> Report:
    """Build the site, or raise BuildError with every problem found; the old site stays until the end."""
    started, since = time.perf_counter(), time.time_ns()
    root, config, out = locate(options)
    previous, notices = cache.load(root, cache.engine_digest()) if not options.clean else \
        (cache.Cache(cache.engine_digest()), [])
    articles = read_editions(root, config, previous.known(), since)
    inputs = input_digest(root, config, options, out, [f for files in articles.values() for f in files])
    if previous.holds(inputs, out):
        check([as_error(p) for p in previous.warnings] if options.strict else [])
        return Report(previous.pages, len(previous.outputs), 0, time.perf_counter() - started, out,
                      previous.warnings, notices)
    return rendered(options, root, config, out, previous, notices, articles, inputs, started)


def rendered(options: Options, root: Path, config: SiteConfig, out: Path, previous: cache.Cache,
             notices: list[Problem], articles: dict[str, list[SourceFile]], inputs: str, started: float) -> Report:
    """The build that renders: every page checked, what changed rendered and written, the cache saved."""
    from healthsite.writing import bodystore
    from healthsite.review import editorial
    from healthsite.rendering import media
    from healthsite.model import workers
    from healthsite.rendering.outputs import Outputs
    from healthsite.rendering.search import SearchStep
    notices += bodystore.load_bodies(root, previous) if previous.inputs else []
    editions, site, warnings = without_rows(*checked_site(options, config, previous, dt.date.today(), articles,
                                                      bodystore.keeper(root)))
    check(editorial.as_errors(warnings) if options.strict else [])
    made = media.produce(site, root, options.jobs or workers.default_jobs())
    outputs = Outputs(site, root, lambda path, key: previous.kept(out, path, key), media=made)
    indexing = SearchStep(site, outputs, previous, out, shown_path(options.config, root), notices)
    stats = write_output(outputs, out, indexing if config.search and options.search_index else None,
                         shown_path(options.config, root))
    bodies = cache_entries(editions)
    records = {path: (outputs.keys.get(path, ""), *stat) for path, stat in stats.items()}
    done = not indexing.failed  # a build whose index failed is not a base for the nothing-changed shortcut
    try:
        bodystore.save(root, cache.Cache(previous.engine, inputs if done else "", str(out), bodies, records, warnings,
                                         indexing.key if done else "", len(site.pages),
                                         sources=stat_records(articles)), previous)
    except OSError as exc:  # a full disk: the site is built; a cache half written is never trusted (it is signed)
        notices.append(warning(cache.FOLDER, 1, f"build cache not written ({exc.strerror or exc}): the site was "
                                                "built; the next build renders everything again"))
    written = len(stats) - outputs.kept - indexing.kept
    return Report(len(site.pages), len(stats), written, time.perf_counter() - started, out, warnings, notices)


def without_rows(editions: list[Sources], site: Site, report: editorial.Editorial
                 ) -> tuple[list[Sources], Site, list[Problem]]:
    """What a build keeps of the review: its warnings (not the report's rows, one per article)."""
    return editions, site, list(report.warnings)


def write_output(outputs: Outputs, out: Path, indexing: SearchStep | None, config_name: str) -> dict:
    """Write the site; a file system that refuses (full, read-only, gone) is an error, not a traceback."""
    try:
        return write_site(outputs, out, indexing)
    except OSError as exc:
        where = exc.filename or out
        raise BuildError([error(config_name, 1, f"cannot write the site to {out}: {exc.strerror or exc} "
                                                f"({where}); the previous site was left as it was")]) from None


def validate(options: Options, today: dt.date) -> tuple[Site, editorial.Editorial]:
    """Everything `build` checks, writing nothing (not even the cache): the site and its editorial report."""
    from healthsite.writing import bodystore
    from healthsite.rendering.outputs import Outputs
    root, config, _ = locate(options)
    previous = None if options.clean else cache.load(root, cache.engine_digest())[0]
    if previous and previous.inputs:
        bodystore.load_bodies(root, previous)
    _, site, report = checked_site(options, config, previous, today)
    for _ in Outputs(site, root):
        pass
    return site, report


def locate(options: Options) -> tuple[Path, SiteConfig, Path]:
    """The site folder, its configuration and its output folder, which must be safe to replace."""
    root = options.config.resolve().parent
    if options.config.is_symlink() and not inside(options.config, options.config.absolute().parent):
        check([error(options.config.name, 1, "the configuration is a link out of its folder: the site folder "
                                            "would be another one; give the real file with --config")])
    config = stage(load_config(options.config, root))
    check(unsafe_inputs(root))
    published = (root / config.output_dir).resolve()
    out = (options.out or (root / PREVIEW if options.drafts else published)).resolve()
    shown = shown_path(options.config, root)
    if options.drafts and not options.out and (why := output_problem(root, PREVIEW)):
        check([error(shown, 1, why)])
    if options.drafts and out == published:
        check([error(shown, 1, f"a build with drafts is a preview and cannot go to the published folder "
                               f"{config.output_dir} (output_dir); leave out --out to write it to {PREVIEW}/")])
    check(check_output_dir(out, root, shown))
    return root, config, out


def checked_site(options: Options, config: SiteConfig, previous: cache.Cache | None, today: dt.date,
                 articles: dict[str, list[SourceFile]] | None = None, keep: Keep | None = None
                 ) -> tuple[list[Sources], Site, editorial.Editorial]:
    """Every edition's sources read and checked, the site assembled, and the editorial review with every warning.

    `keep` (a build's) keeps each rendered body on disk as it comes; without it (validate) bodies stay in memory.
    """
    editions, site = assembled(options, config, previous, articles, keep)
    return editions, site, reviewed(site, editions, today)


def assembled(options: Options, config: SiteConfig, previous: cache.Cache | None,
              articles: dict[str, list[SourceFile]] | None = None,
              keep: Keep | None = None) -> tuple[list[Sources], Site]:
    """Every edition's sources read and checked (the default language's first), and the site assembled."""
    from healthsite.model.sources import make_site, read_sources
    root = options.config.resolve().parent
    articles = articles or read_editions(root, config)
    kept = {"keep": keep} if keep else {}
    sources = read_sources(options, previous, config, articles[""], **kept)
    editions = [read_sources(options, previous, config, articles[code], code, sources, **kept)
                for code in config.languages]
    return [sources, *editions], make_site(sources, editions)


def reviewed(site: Site, editions: list[Sources], today: dt.date) -> editorial.Editorial:
    """The editorial review of every edition, with every warning found while reading the sources (and spelling)."""
    from healthsite.review import editorial, spelling
    report = editorial.review(site, today, editions[0].stats)
    for edition, measured in zip(site.editions, editions[1:]):
        report = editorial.merged(report, editorial.review(edition, today, measured.stats))
    return editorial.including(report, [p for s in editions for p in s.warnings] + spelling.review(site, editions[0].root))


def cache_entries(editions: list[Sources]) -> dict[str, Entry]:
    """What the cache keeps of a build's sources: each published page, body and readability, by content key."""
    return {sources.keys[p.slug]: (p, sources.bodies[p.slug], sources.stats[p.slug])
            for sources in editions for p in sources.published}
