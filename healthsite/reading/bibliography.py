"""The site bibliography: the only sources an article may cite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from healthsite.reading import typed
from healthsite.reading.files import line_of, read_source
from healthsite.problems import Problem, error, shown_path
from healthsite.reading.typed import field
from healthsite.reading.urls import doi_problem, url_check


@dataclass(frozen=True)
class Source:
    """One citable source."""

    key: str = field("the name used in [@key] citations")
    citation: str = field("the full reference as shown in the References list")
    url: str = field("where to read it", "", url_check())
    doi: str = field("digital object identifier, if it has one", "", doi_problem)
    pmid: str = field("PubMed ID, if it has one", "")
    topics: tuple[str, ...] = field("editorial notes: topics it covers (not shown)", ())
    facts: tuple[str, ...] = field("editorial notes: what it supports (not shown)", ())

    @property
    def link(self) -> tuple[str, str] | None:
        """The one outward link of the source, (href, short label): its DOI if it has one, else its URL's host."""
        if self.doi:
            return f"https://doi.org/{self.doi}", f"doi:{self.doi}"
        if self.url:
            return self.url, (urlsplit(self.url).hostname or self.url).removeprefix("www.")
        return None


Bibliography = dict[str, Source]


def load_bibliography(path: Path, root: Path) -> tuple[Bibliography, list[Problem]]:
    """Read the bibliography file; a missing file is an empty bibliography."""
    shown = shown_path(path, root)
    if not path.exists():
        return {}, []
    text, problems = read_source(path, shown)
    if text is None:
        return {}, problems
    reader = typed.Reader(shown)
    sources = typed.load(tuple[Source, ...], text, reader) if text.strip() else ()
    problems = list(reader.problems)
    result: Bibliography = {}
    for source in sources or ():
        if source.key in result:
            first = line_of(text, f"key: {source.key}")[1]
            line = line_of(text, f"key: {source.key}", first + 1)[0]
            problems.append(error(shown, line, f"duplicate source key '{source.key}'"))
        result[source.key] = source
    return result, problems
