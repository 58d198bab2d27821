"""`new`: start an article from the archetype (the site's templates/archetypes/article.md, else the theme's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from healthsite.rendering import templating
from healthsite.reading import themefiles
from healthsite.reading.config import SiteConfig
from healthsite.reading.content import _slug
from healthsite.reading.files import read_source
from healthsite.problems import Problem, error, shown_path
from healthsite.model.site import RESERVED
from healthsite.rendering.templating import Sandbox
from healthsite.reading.typed import did_you_mean

ARCHETYPE = Path("templates") / "archetypes" / "article.md"


@dataclass(frozen=True)
class Request:
    """What the writer asked for: the slug, an optional title and topic tags."""

    slug: str
    title: str = ""
    tags: tuple[str, ...] = ()


def split_tags(values: list[str]) -> tuple[str, ...]:
    """Tags given as `--tags a b` or `--tags a,b`, in order, without repeats."""
    tags = [tag.strip() for value in values for tag in value.split(",") if tag.strip()]
    return tuple(dict.fromkeys(tags))


def title_of(slug: str) -> str:
    """A first title from the slug: 'knee-pain-in-runners' -> 'Knee pain in runners'."""
    return slug.replace("-", " ").capitalize()


def request_problems(request: Request, config: SiteConfig, root: Path) -> list[Problem]:
    """Why the article cannot be created: a bad or reserved slug, unknown topics, an existing file."""
    where = f"{ARCHETYPE.parent.parent.parent / 'content' / (request.slug + '.md')}"
    problems = []
    if (message := _slug(request.slug)) or request.slug in RESERVED:
        problems.append(error(where, 1, (message or f"slug '{request.slug}' is reserved for the site")
                              + "; choose a name like knee-pain-in-runners"))
    for tag in request.tags:
        if (message := _slug(tag)) is not None:
            problems.append(error(where, 1, f"tag {message}"))
        elif config.topics and tag not in config.topics:
            problems.append(error(where, 1, f"unknown topic '{tag}'{did_you_mean(tag, config.topics)}; the topics "
                                            f"of site.yaml are: {', '.join(sorted(config.topics))}"))
    if not problems and (root / "content" / f"{request.slug}.md").exists():
        problems.append(error(where, 1, "the article already exists and was left as it was; pick another slug, "
                                        "or edit the file"))
    return problems


def render(request: Request, root: Path, today: dt.date) -> tuple[str | None, list[Problem]]:
    """The new article's text from the archetype, or the archetype's problem."""
    path = themefiles.find(themefiles.layers(root, "templates"), ARCHETYPE.relative_to("templates").as_posix())
    if path is None:
        return None, [error(ARCHETYPE.as_posix(), 1, "no archetype: create templates/archetypes/article.md (the "
                                                     "theme's is healthsite/theme/templates/archetypes/article.md)")]
    shown = themefiles.shown(path, root)
    text, problems = read_source(path, shown)  # a pipe, device, folder or hard link: refused, never opened to block
    if text is None:
        return None, problems
    # the same sandbox as the theme's templates: an archetype in the site folder never runs code
    env = Sandbox(loader=jinja2.FileSystemLoader(path.parent), undefined=jinja2.StrictUndefined,
                  keep_trailing_newline=True, autoescape=False)
    cards = sorted(p.stem for p in (root / "content" / "care").glob("*.md"))
    return templating.render(env, path.name, {"slug": request.slug, "title": request.title or title_of(request.slug),
                                              "tags": list(request.tags), "date": today.isoformat(),
                                              "care_cards": cards}, root)


def create(request: Request, config: SiteConfig, root: Path, today: dt.date) -> tuple[Path | None, list[Problem]]:
    """Write content/SLUG.md from the archetype (never over an existing file); its path, or the problems."""
    problems = request_problems(request, config, root)
    if problems:
        return None, problems
    text, problems = render(request, root, today)
    if text is None:
        return None, problems
    target = root / "content" / f"{request.slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        return None, [error(shown_path(target, root), 1, "the article already exists and was left as it was")]
    return target, []
