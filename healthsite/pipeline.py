"""The build, top to bottom: config -> sources (pages, bodies) -> site -> outputs -> writer.

`advance` is the one build: it takes the previous build's `State` (read from the disk cache by `build`, held in
memory between saves by the dev server's session) and renders what changed. `build` (the command line) writes its
outputs and the cache at once; the dev server serves them from memory and writes them later.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from healthsite.checks import check, checked_value
from healthsite.problems import BuildError, Problem, as_error, error, sharing_text, shown_path, warning
from healthsite.reading.config import SiteConfig, load_config
from healthsite.reading.sourcefiles import SourceFile
from healthsite.reading.files import inside, unsafe_inputs
from healthsite.reading.inputs import input_digest, read_editions
from healthsite.reading.options import PREVIEW, Options
from healthsite.reading.places import output_problem
from healthsite.writing import cache
from healthsite.writing.writer import Written, check_output_dir, write_site

if TYPE_CHECKING:  # the rendering modules are imported when a build renders, not for the nothing-changed shortcut
    import jinja2

    from healthsite.model.pagekeys import PageKeys
    from healthsite.model.sources import Keep, Sources
    from healthsite.model.site import Site
    from healthsite.rendering.outputs import Outputs
    from healthsite.review import editorial
    from healthsite.writing.search import SearchStep

__all__ = ["Options", "Report", "State", "Step", "build", "advance", "validate", "locate", "assembled", "reviewed",
           "cache_entries"]
Located = tuple[Path, SiteConfig, Path]  # the site folder, its configuration and its output folder


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


@dataclass
class State:
    """What a build starts from: the last good build's cache (its output records, pages, bodies and readability).

    The command line reads it from the disk cache for each build; the dev server's session holds a `WarmState`
    between saves, which also keeps the site's files, Jinja environments and page keys in memory.
    """

    cache: cache.Cache
    articles: dict[str, list[SourceFile]] = field(default_factory=dict)  # the article files as last read
    environments: dict[tuple[str, str], jinja2.Environment] | None = None  # compiled templates, kept in memory
    page_keys: PageKeys | None = None  # each article page's key, kept in memory

    def unchanged(self, out: Path) -> Callable[[str, str], bool]:
        """Whether an output's key is the one the output folder's file was made with (and that file is intact)."""
        return lambda path, key: self.cache.reusable(out, path, key)

    def media(self, site: Site, root: Path, jobs: int) -> Mapping[str, object]:
        """Every media file to publish, by path, made into the cache folder in parallel while pages render (those the
        cache's records name, intact, are reused)."""
        from healthsite.writing import mediafiles
        return mediafiles.produce(site, root, jobs, self.cache.media)

    def streamed(self, media: Mapping[str, object]) -> Mapping[str, object]:
        """The media files the outputs stream (all of them: the writer copies each from the cache folder)."""
        return media

    def keeper(self, root: Path) -> Keep | None:
        """How each rendered body is kept: written to the cache's html/ folder as it comes."""
        from healthsite.writing import bodystore
        return bodystore.keeper(root)


@dataclass
class Step:
    """One build's work: every edition's sources, the site, its outputs (rendered as they are taken) and media."""

    root: Path
    config: SiteConfig
    out: Path
    articles: dict[str, list[SourceFile]]
    editions: list[Sources]
    site: Site
    outputs: Outputs
    media: Mapping[str, object]

    def review(self, today: dt.date) -> list[Problem]:
        """The editorial review's warnings."""
        return sharing_text(reviewed(self.site, self.editions, today).warnings)


def build(options: Options) -> Report:
    """Build the site, or raise BuildError with every problem found; the old site stays until the end."""
    started, since = time.perf_counter(), time.time_ns()
    root, config, out = located = locate(options)
    previous, notices = cache.load(root, cache.engine_digest()) if not options.clean else \
        (cache.clean(root, cache.engine_digest()), [])
    articles = read_editions(root, config, previous.known(), since)
    inputs = input_digest(root, config, options, out, [f for files in articles.values() for f in files])
    if previous.holds(inputs, out):
        check([as_error(p) for p in previous.warnings] if options.strict else [])
        return Report(previous.pages, len(previous.outputs), 0, time.perf_counter() - started, out,
                      previous.warnings, notices)
    if previous.inputs:
        from healthsite.writing import bodystore
        notices += bodystore.load_bodies(root, previous)
    step = advance(options, State(previous), located, articles)
    warnings = step.review(dt.date.today())
    check(editorial_errors(warnings) if options.strict else [])
    return published(options, step, previous, inputs, warnings, notices, started)


def advance(options: Options, state: State, located: Located, articles: dict[str, list[SourceFile]]) -> Step:
    """The one build: every edition's sources read and checked from `state`, the site assembled, media started
    and the outputs ready to render (those whose key is unchanged are not rendered again)."""
    from healthsite.model import workers
    from healthsite.rendering.outputs import Outputs
    root, config, out = located
    state.articles = articles  # as read, even if the build fails: the next one reads only what changes after
    editions, site = assembled(options, config, state.cache, articles, state.keeper(root))
    media = state.media(site, root, options.jobs or workers.default_jobs())
    outputs = Outputs(site, root, state.unchanged(out), media=state.streamed(media), environments=state.environments,
                      page_keys=state.page_keys)
    return Step(root, config, out, articles, editions, site, outputs, media)


def published(options: Options, step: Step, previous: cache.Cache, inputs: str, warnings: list[Problem],
              notices: list[Problem], started: float) -> Report:
    """The command line's build written: the outputs into the site folder (with its search index), the cache saved."""
    from healthsite.writing.mediafiles import MediaFiles
    from healthsite.writing.search import SearchStep
    config_name = shown_path(options.config, step.root)
    indexing = SearchStep(step.site, previous, step.out, config_name, notices)
    written = write_output(step.outputs, step.out, indexing if step.config.search and options.search_index else None,
                           config_name)
    done = not indexing.failed  # a build whose index failed is not a base for the nothing-changed shortcut
    try:
        save(step.root, cache.Cache(previous.engine, inputs if done else "", str(step.out),
                                    cache_entries(step.editions), written.records, warnings,
                                    indexing.key if done else "",
                                    len(step.site.pages), sources=cache.source_records(step.articles),
                                    media=step.media.rows() if isinstance(step.media, MediaFiles) else {}), previous)
    except OSError as exc:  # a full disk: the site is built; a cache half written is never trusted (it is signed)
        notices.append(warning(cache.FOLDER, 1, f"build cache not written ({exc.strerror or exc}): the site was "
                                                "built; the next build renders everything again"))
    files = len(written.records)
    return Report(len(step.site.pages), files, files - written.reused - indexing.reused,
                  time.perf_counter() - started, step.out, warnings, notices)


def save(root: Path, written: cache.Cache, previous: cache.Cache) -> None:
    """Save a build's cache (its new bodies' files, then the records that changed)."""
    from healthsite.writing import bodystore
    bodystore.save(root, written, previous)


def editorial_errors(warnings: list[Problem]) -> list[Problem]:
    """The editorial review's warnings as errors (--strict)."""
    from healthsite.review import editorial
    return editorial.as_errors(warnings)


def write_output(outputs: Outputs, out: Path, indexing: SearchStep | None, config_name: str) -> Written:
    """Write the site; a file system that refuses (full, read-only, gone) is an error, not a traceback."""
    try:
        return write_site(outputs, out, indexing)
    except OSError as exc:
        where = exc.filename or out
        raise BuildError([error(config_name, 1, f"cannot write the site to {out}: {exc.strerror or exc} "
                                                f"({where}); the previous site was left as it was")]) from None


def validate(options: Options, today: dt.date) -> tuple[Site, editorial.Editorial]:
    """Everything `build` checks, writing nothing (not even the cache): the site and its editorial report."""
    from healthsite.rendering.outputs import Outputs
    from healthsite.writing import bodystore
    root, config, _ = locate(options)
    previous = None if options.clean else cache.load(root, cache.engine_digest())[0]
    if previous and previous.inputs:
        bodystore.load_bodies(root, previous)
    _, site, report = checked_site(options, config, previous, today)
    for _ in Outputs(site, root):
        pass
    return site, report


def locate(options: Options) -> Located:
    """The site folder, its configuration and its output folder, which must be safe to replace."""
    root = options.config.resolve().parent
    if options.config.is_symlink() and not inside(options.config, options.config.absolute().parent):
        check([error(options.config.name, 1, "the configuration is a link out of its folder: the site folder "
                                            "would be another one; give the real file with --config")])
    config = checked_value(load_config(options.config, root))
    check(unsafe_inputs(root))
    published_ = (root / config.output_dir).resolve()
    out = (options.out or (root / PREVIEW if options.drafts else published_)).resolve()
    shown = shown_path(options.config, root)
    if options.drafts and not options.out and (why := output_problem(root, PREVIEW)):
        check([error(shown, 1, why)])
    if options.drafts and out == published_:
        check([error(shown, 1, f"a build with drafts is a preview and cannot go to the published folder "
                               f"{config.output_dir} (output_dir); leave out --out to write it to {PREVIEW}/")])
    check(check_output_dir(out, root, shown))
    return root, config, out


def checked_site(options: Options, config: SiteConfig, previous: cache.Cache | None, today: dt.date
                 ) -> tuple[list[Sources], Site, editorial.Editorial]:
    """Every edition's sources read and checked (bodies kept in memory), the site assembled, and the editorial
    review with every warning."""
    editions, site = assembled(options, config, previous)
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
    unknown = spelling.review(site, editions[0].root, {s.code: s.stats for s in editions})
    report = editorial.review(site, today, editions[0].stats, [p for s in editions for p in s.warnings] + unknown)
    for edition, measured in zip(site.editions, editions[1:]):
        report = editorial.merged(report, editorial.review(edition, today, measured.stats))
    return report


def cache_entries(editions: list[Sources]) -> dict[str, cache.Entry]:
    """What the cache keeps of a build's sources: each published page, body and readability, by content key."""
    return {sources.keys[p.slug]: cache.Entry(p, sources.bodies[p.slug], sources.stats[p.slug])
            for sources in editions for p in sources.published}
