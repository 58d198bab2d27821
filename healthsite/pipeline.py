"""The build, top to bottom: config -> pages -> bodies -> site -> outputs -> writer."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from . import assets, cache, editorial, feed, htmlpages, search, sitemap, templating, workers
from .bibliography import Bibliography, load_bibliography
from .config import SiteConfig, load_config
from .content import Page, SourceFile, read_articles
from .markup import Body, Renderer
from .mdext import Refs
from .problems import BuildError, Problem, errors_only, shown_path
from .site import Site, assemble, check_links, check_pages, draft_warnings
from .writer import check_output_dir, intact, link_previous, write_site

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    """What the command line asks of a build."""

    config: Path
    out: Path | None = None
    drafts: bool = False
    clean: bool = False
    jobs: int = 0
    progress: workers.Progress | None = None
    strict: bool = False


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


@dataclass(frozen=True)
class Sources:
    """Everything read from the site folder, validated, with every published body rendered."""

    root: Path
    config: SiteConfig
    pages: list[Page]
    published: list[Page]
    bodies: dict[str, Body]
    stats: dict[str, editorial.TextStats]
    bibliography: Bibliography
    warnings: list[Problem]
    keys: dict[str, str] = field(default_factory=dict)


def build(options: Options) -> Report:
    """Build the site, or raise BuildError with every problem found; the old site stays until the end."""
    started = time.perf_counter()
    root, config, out = locate(options)
    previous, notices = cache.load(root, cache.engine_digest()) if not options.clean else \
        (cache.Cache(cache.engine_digest()), [])
    articles = read_articles(root / "content", root)
    inputs = input_digest(root, config, options, out, articles)
    if previous.inputs == inputs and previous.out == str(out) and \
            all(intact(out, path, record) for path, record in previous.outputs.items()):
        _check(editorial.as_errors(previous.warnings) if options.strict else [])
        return Report(len(previous.bodies), len(previous.outputs), 0, time.perf_counter() - started, out,
                      previous.warnings, notices)
    notices += cache.load_bodies(root, previous) if previous.inputs else []
    sources, site, report = checked_site(options, config, previous, dt.date.today(), articles)
    warnings = list(report.warnings)
    _check(editorial.as_errors(warnings) if options.strict else [])
    outputs = Outputs(site, root, lambda path, key: _kept(previous, out, path, key))
    indexing = SearchStep(site, outputs, previous, out, shown_path(options.config, root), notices)
    stats = write_site(outputs, out, indexing if config.search else None)
    bodies = {sources.keys[p.slug]: (p, sources.bodies[p.slug], sources.stats[p.slug]) for p in sources.published}
    records = {path: (outputs.keys.get(path, ""), *stat) for path, stat in stats.items()}
    cache.save(root, cache.Cache(previous.engine, inputs, str(out), bodies, records, warnings, indexing.key))
    written = len(stats) - outputs.kept - indexing.kept
    return Report(len(site.pages), len(stats), written, time.perf_counter() - started, out, warnings, notices)


def _kept(previous: cache.Cache, out: Path, path: str, key: str) -> bool:
    """Whether the previous build's file for `path` was made from the same inputs and is still intact."""
    record = previous.outputs.get(path)
    return previous.out == str(out) and record is not None and record[0] == key and intact(out, path, record)


@dataclass
class SearchStep:
    """Runs on the new site before it goes live: Pagefind indexes it, unless no indexed page changed."""

    site: Site
    outputs: Outputs
    previous: cache.Cache
    out: Path
    config_name: str
    notices: list[Problem]
    key: str = ""
    kept: int = 0

    def __call__(self, staging: Path) -> None:
        """Link the previous index into the new site if it still holds, or index the new site."""
        pages = sorted(f"{slug}/index.html" for slug in self.site.pages)
        self.key = cache.digest(*pages, *(self.outputs.keys[path] for path in pages))
        old = [path for path in self.previous.outputs if search.is_index(path)]
        if self.key == self.previous.search and old and \
                all(_kept(self.previous, self.out, p, self.previous.outputs[p][0]) for p in old):
            link_previous(self.out, staging, old)
            self.kept = len(old)
        else:
            self.notices.extend(search.index(staging, self.config_name))


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
    config = _stage(load_config(options.config, root))
    out = (options.out or root / config.output_dir).resolve()
    _check(check_output_dir(out, root, shown_path(options.config, root)))
    return root, config, out


def checked_site(options: Options, config: SiteConfig, previous: cache.Cache | None, today: dt.date,
                 articles: list[SourceFile] | None = None) -> tuple[Sources, Site, editorial.Editorial]:
    """Sources read and checked, the site assembled, and the editorial review with every warning."""
    sources = read_sources(options, previous, config, articles)
    site = make_site(sources)
    report = editorial.review(site, today, sources.stats)
    return sources, site, replace(report, warnings=tuple(sorted(set(sources.warnings) | set(report.warnings))))


def read_sources(options: Options, previous: cache.Cache | None = None, config: SiteConfig | None = None,
                 files: list[SourceFile] | None = None) -> Sources:
    """Load and check the configuration, the bibliography and every article, rendering published bodies."""
    root = options.config.resolve().parent
    config = config or _stage(load_config(options.config, root))
    bibliography = _stage(load_bibliography(root / config.bibliography, root))
    files = read_articles(root / "content", root) if files is None else files
    engine = previous.engine if previous else cache.engine_digest()
    keys = {file.shown: cache.digest(engine, file.shown, file.data) for file in files}
    guess = _refs(config, bibliography, {f.path.name: f.path.stem for f in files}, frozenset())
    reused = previous.bodies if previous else {}
    jobs = [workers.Job(f.shown, f.path.stem, f.data) for f in files if keys[f.shown] not in reused]
    done = iter(workers.run(jobs, guess, options.drafts, options.jobs or workers.default_jobs(), options.progress))
    pages, bodies, measured, problems, slug_keys = [], {}, {}, [], {}
    for file in files:
        key = keys[file.shown]
        page, body, stats, found = reused[key] + ([],) if key in reused else _unpack(next(done))
        problems += found
        if page is not None:
            pages.append(page)
            bodies[page.slug], measured[page.slug] = body, stats
            slug_keys[page.slug] = key
    _check(problems)
    published = [page for page in pages if options.drafts or not page.meta.draft]
    _check(check_pages(pages, config, root / "templates"))
    unpublished = frozenset(Path(p.source).name for p in pages) - {Path(p.source).name for p in published}
    refs = _refs(config, bibliography, {Path(p.source).name: p.slug for p in published}, unpublished)
    bodies, measured = _settle(published, bodies, measured, refs)
    return Sources(root, config, pages, published, bodies, measured, bibliography,
                   draft_warnings(pages, {p.slug for p in published}), slug_keys)


def _unpack(done: workers.Done) -> tuple[Page | None, Body | None, editorial.TextStats | None, list[Problem]]:
    """A worker's result as a tuple."""
    return done.page, done.body, done.stats, done.problems


def _refs(config: SiteConfig, bibliography: Bibliography, slugs: dict[str, str], drafts: frozenset[str]) -> Refs:
    """What articles may link to (file name -> URL) and cite."""
    urls = {name: f"{config.base_path}{slug}/" for name, slug in slugs.items()}
    return Refs(urls, drafts, frozenset(bibliography), config.emergency_number)


def _settle(published: list[Page], bodies: dict[str, Body | None], measured: dict[str, editorial.TextStats | None],
            refs: Refs) -> tuple[dict[str, Body], dict[str, editorial.TextStats]]:
    """Published bodies (and their readability), re-rendered where made with facts that turned out different."""
    renderer: Renderer | None = None
    settled, stats = {}, {}
    for page in published:
        body, known = bodies.get(page.slug), measured.get(page.slug)
        if body is None or body.problems or not refs.agrees(body.lookups):
            renderer = renderer or Renderer(refs)
            body = renderer.render(page.source, page.body, page.body_line)
            known = None
        settled[page.slug] = body
        stats[page.slug] = known or editorial.measure(body.prose)
    return settled, stats


def make_site(sources: Sources) -> Site:
    """Check the bodies and the links between them, and assemble the site."""
    _check([p for body in sources.bodies.values() for p in body.problems])
    _check(check_links(sources.published, sources.bodies))
    return assemble(sources.config, sources.published, sources.bodies, sources.bibliography)


def input_digest(root: Path, config: SiteConfig, options: Options, out: Path, articles: list[SourceFile]) -> str:
    """One digest of everything a build reads, for the nothing-changed shortcut."""
    theme = sorted(p for folder in ("templates", "static") for p in (root / folder).rglob("*") if p.is_file())
    extra = [p for p in (root / config.bibliography, options.config.resolve()) if p.exists()]
    return cache.digest(cache.engine_digest(), repr((options.drafts, str(out))), dt.date.today().isoformat(),
                        os.environ.get("SOURCE_DATE_EPOCH", ""), *(f.shown for f in articles),
                        *(f.data for f in articles), *(str(p) for p in theme + extra),
                        *(p.read_bytes() for p in theme + extra))


@dataclass
class Outputs:
    """Every file of the site, rendered as the writer asks for it: (path, bytes), or (path, None) to keep.

    A page's key is a digest of everything it is made from; a page whose key is unchanged is not rendered
    again (`unchanged` says so). Template problems are raised, all together, once every file has been seen.
    """

    site: Site
    root: Path
    unchanged: Callable[[str, str], bool] = lambda path, key: False
    keys: dict[str, str] = field(default_factory=dict)
    kept: int = 0

    def __iter__(self) -> Iterator[tuple[str, bytes | None]]:
        """The files, pages first."""
        theme = [p for folder in ("templates", "static") for p in sorted((self.root / folder).rglob("*"))
                 if p.is_file()]
        common = cache.digest(cache.engine_digest(), repr(self.site.config), *(str(p) for p in theme),
                              *(p.read_bytes() for p in theme))
        files = assets.collect(self.root / "static")
        env = templating.environment(self.root / "templates", {"asset": _asset_url(self.site, files)})
        problems: list[Problem] = []
        for page in htmlpages.pages(self.site):
            self.keys[page.path] = key = cache.digest(common, repr(page.inputs))
            if self.unchanged(page.path, key):
                self.kept += 1
                yield page.path, None
                continue
            data, found = htmlpages.render_page(env, self.site, page, self.root)
            problems += found
            if data is not None:
                yield page.path, data
        for asset in files.values():
            yield asset.published, asset.source.read_bytes()
        yield "feed.xml", feed.feed(self.site)
        yield "sitemap.xml", sitemap.sitemap(self.site)
        yield "robots.txt", sitemap.robots(self.site)
        _check(problems)


def _asset_url(site: Site, files: dict[str, assets.Asset]):
    """The template function `asset(name)`: the fingerprinted URL of a static file."""
    def asset(name: str) -> str:
        if name not in files:
            raise LookupError(f"no file static/{name}")
        return site.config.base_path + files[name].published
    return asset


def _stage(result: tuple[T | None, list[Problem]]) -> T:
    """The value of a stage, or BuildError with its problems."""
    value, problems = result
    _check(problems)
    assert value is not None
    return value


def _check(problems: Iterable[Problem]) -> None:
    """Raise BuildError if any problem is an error."""
    problems = list(problems)
    if errors_only(problems):
        raise BuildError(problems)
