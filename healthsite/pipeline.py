"""The build, top to bottom: config -> sources (pages, bodies) -> site -> outputs -> writer."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, care, editorial, i18n, images, media, workers
from .checks import check, stage
from .config import SiteConfig, load_config
from .content import SourceFile, read_articles
from .files import inside, unsafe_inputs
from .options import PREVIEW, Options
from .outputs import Outputs, theme_files
from .problems import BuildError, Problem, error, shown_path
from .search import SearchStep
from .site import Site
from .sources import Sources, make_site, read_sources
from .writer import check_output_dir, write_site

__all__ = ["Options", "Report", "build", "validate", "read_sources", "make_site", "locate"]


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
    started = time.perf_counter()
    root, config, out = locate(options)
    previous, notices = cache.load(root, cache.engine_digest()) if not options.clean else \
        (cache.Cache(cache.engine_digest()), [])
    articles = read_editions(root, config)
    inputs = input_digest(root, config, options, out, [f for files in articles.values() for f in files])
    if previous.holds(inputs, out):
        check(editorial.as_errors(previous.warnings) if options.strict else [])
        return Report(previous.pages, len(previous.outputs), 0, time.perf_counter() - started, out,
                      previous.warnings, notices)
    notices += cache.load_bodies(root, previous) if previous.inputs else []
    editions, site, report = checked_site(options, config, previous, dt.date.today(), articles)
    warnings = list(report.warnings)
    check(editorial.as_errors(warnings) if options.strict else [])
    made = media.produce(site, root, options.jobs or workers.default_jobs())
    outputs = Outputs(site, root, lambda path, key: previous.kept(out, path, key), media=made)
    indexing = SearchStep(site, outputs, previous, out, shown_path(options.config, root), notices)
    stats = write_output(outputs, out, indexing if config.search and options.search_index else None,
                         shown_path(options.config, root))
    bodies = {sources.keys[p.slug]: (p, sources.bodies[p.slug], sources.stats[p.slug])
              for sources in editions for p in sources.published}
    records = {path: (outputs.keys.get(path, ""), *stat) for path, stat in stats.items()}
    done = not indexing.failed  # a build whose index failed is not a base for the nothing-changed shortcut
    cache.save(root, cache.Cache(previous.engine, inputs if done else "", str(out), bodies, records, warnings,
                                 indexing.key if done else "",
                                 len(site.pages)), previous)
    written = len(stats) - outputs.kept - indexing.kept
    return Report(len(site.pages), len(stats), written, time.perf_counter() - started, out, warnings, notices)


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
    root, config, _ = locate(options)
    previous = None if options.clean else cache.load(root, cache.engine_digest())[0]
    if previous and previous.inputs:
        cache.load_bodies(root, previous)
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
    if options.drafts and out == published:
        check([error(shown, 1, f"a build with drafts is a preview and cannot go to the published folder "
                               f"{config.output_dir} (output_dir); leave out --out to write it to {PREVIEW}/")])
    check(check_output_dir(out, root, shown))
    return root, config, out


def checked_site(options: Options, config: SiteConfig, previous: cache.Cache | None, today: dt.date,
                 articles: dict[str, list[SourceFile]] | None = None
                 ) -> tuple[list[Sources], Site, editorial.Editorial]:
    """Every edition's sources read and checked, the site assembled, and the editorial review with every warning."""
    root = options.config.resolve().parent
    articles = articles or read_editions(root, config)
    sources = read_sources(options, previous, config, articles[""])
    editions = [read_sources(options, previous, config, articles[code], code, sources) for code in config.languages]
    site = make_site(sources, editions)
    report = editorial.review(site, today, sources.stats)
    for edition, measured in zip(site.editions, editions):
        report = editorial.merged(report, editorial.review(edition, today, measured.stats))
    return [sources, *editions], site, editorial.including(report, [p for s in (sources, *editions)
                                                                     for p in s.warnings])


def read_editions(root: Path, config: SiteConfig) -> dict[str, list[SourceFile]]:
    """The article files of every edition: content/*.md for the default language, content/CODE/*.md for each
    translation."""
    return {code: read_articles(root / "content" / code, root) for code in ("", *config.languages)}


def input_digest(root: Path, config: SiteConfig, options: Options, out: Path, articles: list[SourceFile]) -> str:
    """One digest of everything a build reads, for the nothing-changed shortcut."""
    theme = theme_files(root) + images.files(root)
    extra = [p for p in (root / config.bibliography, options.config.resolve()) if p.exists()] + \
        [p for code in ("", *config.languages) for p in care.card_files(root / "content" / code)] + \
        sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    return cache.digest(cache.engine_digest(), repr((options.drafts, str(out), options.search_index)),
                        dt.date.today().isoformat(),
                        os.environ.get("SOURCE_DATE_EPOCH", ""), *(f.shown for f in articles),
                        *(f.data for f in articles), *(str(p) for p in theme + extra),
                        *(p.read_bytes() for p in theme + extra))


