"""Policy pages: the site's own pages outside the article library (about, how we write and review, ...), in
content/pages/ (a translation's in content/CODE/pages/), published under /pages/NAME/ and linked from every
page's footer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from healthsite.reading.config import SiteConfig
from healthsite.reading.content import _max_length
from healthsite.reading.people import SidePage, read_folder
from healthsite.problems import Problem, error
from healthsite.reading.typed import field

FOLDER = "pages"


@dataclass(frozen=True)
class PolicyMatter:
    """The fields at the top of a policy page."""

    title: str = field("the page's title (h1, footer link)", check=_max_length(120))
    description: str = field("meta description", check=_max_length(300))
    order: int = field("its place in the footer's list (smaller first; then by title)", 0)
    byline: bool = field("linked from every article's byline (the page on how articles are written and reviewed)",
                         False)
    translation_of: str = field("a translation's page: the file name in content/pages/", "")


def read_policies(root: Path, config: SiteConfig, code: str = "",
                  default: dict[str, SidePage] | None = None) -> tuple[dict[str, SidePage], list[Problem]]:
    """An edition's policy pages by key, in footer order (a translation's own, then the default language's it
    does not translate); at most one is linked from the byline."""
    pages, problems = read_folder(root, code, FOLDER, PolicyMatter, f"{config.base_path}{FOLDER}/", default)
    ordered = dict(sorted({**(default or {}), **pages}.items(), key=lambda item: (item[1].meta.order, item[1].meta.title.casefold())))
    marked = [page for page in ordered.values() if page.meta.byline]
    problems += [error(page.source, page.line("byline"), f"only one page can be linked from the byline, and "
                                                         f"{marked[0].source} already is") for page in marked[1:]]
    return ordered, problems


def byline_page(policies: dict[str, SidePage]) -> SidePage | None:
    """The policy page the byline links to, if one says `byline: true`."""
    return next((page for page in policies.values() if page.meta.byline), None)
