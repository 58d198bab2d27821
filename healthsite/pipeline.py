"""The build, top to bottom: config -> pages -> bodies -> site -> outputs -> writer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, TypeVar

from . import assets, feed, htmlpages, sitemap, templating
from .bibliography import Bibliography, load_bibliography
from .config import SiteConfig, load_config
from .content import Page, load_pages
from .markup import Body, Renderer
from .mdext import Refs
from .problems import BuildError, Problem, error, errors_only, shown_path
from .site import Site, assemble, check_links, check_pages, draft_warnings
from .writer import check_output_dir, write_site

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    """What the command line asks of a build."""

    config: Path
    out: Path | None = None
    drafts: bool = False


@dataclass(frozen=True)
class Report:
    """What a finished build did."""

    pages: int
    files: int
    seconds: float
    out: Path
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Sources:
    """Everything read from the site folder, validated."""

    root: Path
    config: SiteConfig
    pages: list[Page]
    published: list[Page]
    bibliography: Bibliography
    warnings: list[Problem]


def build(options: Options) -> Report:
    """Build the site, or raise BuildError with every problem found; the old site stays until the end."""
    started = time.perf_counter()
    sources = read_sources(options)
    out = options.out or sources.root / sources.config.output_dir
    _check(check_output_dir(out, sources.root, shown_path(options.config, sources.root)))
    site = make_site(sources)
    files = render_outputs(site, sources.root)
    write_site(files, out)
    return Report(len(site.pages), len(files), time.perf_counter() - started, out, sources.warnings)


def read_sources(options: Options) -> Sources:
    """Load and check the configuration, every article and the bibliography."""
    root = options.config.resolve().parent
    config = _stage(load_config(options.config, root))
    pages, problems = load_pages(root / "content", root)
    bibliography, more = load_bibliography(root / config.bibliography, root)
    _check(problems + more)
    published = [page for page in pages if options.drafts or not page.meta.draft]
    _check(check_pages(pages, config, root / "templates"))
    warnings = draft_warnings(pages, {p.slug for p in published})
    return Sources(root, config, pages, published, bibliography, warnings)


def make_site(sources: Sources) -> Site:
    """Render every published body, check the links between them, and assemble the site."""
    bodies = render_bodies(sources)
    _check([p for body in bodies.values() for p in body.problems])
    _check(check_links(sources.published, bodies))
    return assemble(sources.config, sources.published, bodies, sources.bibliography)


def refs(sources: Sources) -> Refs:
    """What the articles may link to and cite."""
    published = {p.slug for p in sources.published}
    urls = {Path(p.source).name: f"{sources.config.base_path}{p.slug}/" for p in sources.published}
    drafts = frozenset(Path(p.source).name for p in sources.pages if p.slug not in published)
    return Refs(urls, drafts, frozenset(sources.bibliography), sources.config.emergency_number)


def render_bodies(sources: Sources) -> dict[str, Body]:
    """Every published article's Markdown body rendered to HTML."""
    renderer = Renderer(refs(sources))
    return {p.slug: renderer.render(p.source, p.body, p.body_line) for p in sources.published}


def render_outputs(site: Site, root: Path) -> dict[str, bytes]:
    """Every file of the site, by output path."""
    files = assets.collect(root / "static")
    env = templating.environment(root / "templates", {"asset": _asset_url(site, files)})
    outputs: dict[str, bytes] = {}
    problems: list[Problem] = []
    for page in htmlpages.pages(site):
        data, found = htmlpages.render_page(env, site, page, root)
        problems += found
        _add(outputs, page.path, data, problems)
    for asset in files.values():
        _add(outputs, asset.published, asset.source.read_bytes(), problems)
    for name, data in (("feed.xml", feed.feed(site)), ("sitemap.xml", sitemap.sitemap(site)),
                       ("robots.txt", sitemap.robots(site))):
        _add(outputs, name, data, problems)
    _check(problems)
    return outputs


def _add(outputs: dict[str, bytes], path: str, data: bytes | None, problems: list[Problem]) -> None:
    """Add one output, refusing to write the same path twice."""
    if path in outputs:
        problems.append(error("site.yaml", 1, f"two outputs would be written to '{path}'"))
    elif data is not None:
        outputs[path] = data


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
