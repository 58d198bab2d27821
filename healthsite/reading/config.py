"""The site configuration (`site.yaml`): a typed schema, one documented option per line."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from healthsite.reading import places, typed
from healthsite.reading.feedback import Feedback
from healthsite.reading.facts import EMERGENCY, Fact, names_problem, resolved
from healthsite.reading.files import inside, read_source
from healthsite.problems import Problem, error, shown_path
from healthsite.reading.rules import Rules, config_problems
from healthsite.reading.typed import field
from healthsite.reading.urls import base_url_problem, url_check


def _site_path(value: str) -> str | None:
    """Check a path of an input file: relative to site.yaml, inside the site folder."""
    pure = PurePosixPath(value.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or ":" in value or not value.strip():
        return "must be a path inside the site folder, relative to site.yaml (no '..', not absolute)"
    return None


def _pattern(regex: str, what: str) -> typed.Check:
    """A check that a text matches a regular expression."""
    return lambda value: None if re.fullmatch(regex, value) else f"must be {what}"


def _within(low: float, high: float) -> typed.Check:
    """A check that a number is finite and between `low` and `high`."""
    return lambda value: None if math.isfinite(value) and low <= value <= high else \
        f"must be a number from {_shown(low)} to {_shown(high)}"


def _shown(number: float) -> str:
    """A bound as a message shows it: 1,000,000 or 0.1."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


def _ceiling(low: float, high: float) -> typed.Check:
    """A check of a limit: finite, at least `low`, and at most the engine's own ceiling `high`."""
    return lambda value: None if math.isfinite(value) and low <= value <= high else \
        f"must be from {_shown(low)} to {_shown(high)}: the engine's ceiling, which site.yaml may lower but never raise"


INPUT_PATHS = ("bibliography",)  # settings that name a file the build reads: each must lie inside the site


@dataclass(frozen=True)
class Topic:
    """A topic that articles are tagged with."""

    title: str = field("the topic's display name")
    description: str = field("one sentence shown on the topic's page", "")


@dataclass(frozen=True)
class CallToAction:
    """The box shown at the end of every article."""

    heading: str = field("short heading of the box")
    text: str = field("one or two sentences")
    link_text: str = field("text of the box's link", "")
    link_url: str = field("where the link goes (absolute URL or site path)", "", url_check(site_path=True))


READABILITY = ("flesch-kincaid", "fernandez-huerta", "szigriszt-pazos")


def _formula(value: str) -> str | None:
    """Check a readability formula's name."""
    return None if value in READABILITY else f"must be one of {', '.join(READABILITY)}"


@dataclass(frozen=True)
class HouseRules:
    """The house rules `check` (and `build`) enforce: one threshold per measure, for columns and warnings alike."""

    min_words: int = field("an article with fewer words of prose warns (0: no minimum)", 0, _within(0, 100_000))
    min_cross_links: int = field("distinct other articles an article must link to in its text", 0, _within(0, 1000))
    min_citations: int = field("distinct bibliography sources an article must cite", 1, _within(0, 1000))
    max_description: int = field("characters a description may have before it warns at its line", 160,
                                 _within(1, 100_000))
    pass_grade: float = field("Flesch-Kincaid grade target: an article (or h2 section) above it warns", 8.0,
                              _within(0, 100))
    warn_grade: float = field("grade above which an article is 'hard to read'", 10.0, _within(0, 100))
    max_sentence_words: int = field("a sentence with more words is long: counted in the `long` column and "
                                    "warned at its line", 25, _within(1, 10_000))
    readability: str = field("the readability formula: flesch-kincaid (a US school grade; lower is easier), "
                             "fernandez-huerta or szigriszt-pazos (Spanish reading ease 0-100; higher is easier)",
                             "flesch-kincaid", _formula)
    pass_ease: float = field("reading-ease target of the ease formulas: an article (or h2 section) below it warns",
                             60.0, _within(-200, 200))
    warn_ease: float = field("reading ease below which an article is 'hard to read' (ease formulas)", 50.0,
                             _within(-200, 200))


def _terms(values: tuple[str, ...]) -> str | None:
    """Check a list of terms: at least one, none blank."""
    return "must list at least one word or phrase, none empty" if not values or not all(map(str.strip, values)) \
        else None


def _section(value: str) -> str | None:
    """Check a link to an article's section: FILE.md#heading-id."""
    name, _, anchor = value.partition("#")
    ok = re.fullmatch(r"[^/\\#]+\.md", name) and re.fullmatch(r"[^\s#]+", anchor)
    return None if ok else "must be an article file and a heading id, like other-article.md#heading-id"


@dataclass(frozen=True)
class SafetyLink:
    """Words that call for a link to the section that explains their safe use."""

    terms: tuple[str, ...] = field("words or phrases (any case, whole words) that call for the link", check=_terms)
    link: str = field("the section explaining their safe use: article file and heading id, e.g. "
                      "otc-pain-relievers.md#who-should-not-take-nsaids", check=_section)


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one article may cause, so no file can stall or exhaust a build."""

    article_bytes: int = field("largest article file, in bytes", 1_000_000, _ceiling(1, 1_000_000))
    line_characters: int = field("longest line of an article, in characters", 50_000, _ceiling(1, 50_000))
    render_seconds: float = field("time one article may take to read and render, in seconds", 10.0,
                                 _ceiling(0.1, 10))


@dataclass(frozen=True)
class Language:
    """A translated edition: its own texts, topics, medicine-safety links and house rules."""

    language: str = field("BCP 47 tag of the edition's pages, e.g. es-US", check=_pattern(
        r"[a-z]{2,3}(-[A-Za-z0-9]+)*", "a language tag like es or es-US"))
    name: str = field("the language's own name, shown in the language switch, e.g. Español")
    title: str = field("the site's name in this language")
    disclaimer: str = field("medical disclaimer shown on every article of this edition")
    call_to_action: CallToAction = field("the box at the end of every article of this edition")
    description: str = field("one sentence describing the site (the edition's home page)", "")
    home_heading: str = field("the edition's home page heading", "")
    emergency_number: str = field("older name of this edition's fact emergency-number (set one of them)", "",
                                  _pattern(r"([0-9 +()-]{2,20})?", "a phone number"))
    facts: dict[str, Fact] = field("this edition's facts: they replace or add to the site's facts of the same "
                                   "name", {}, names_problem)
    topics: dict[str, Topic] = field("titles and descriptions of the topic tags in this language", {})
    safety_links: tuple[SafetyLink, ...] = field("medicine-safety links of this edition (article files in "
                                                 "content/CODE/)", ())
    editorial: HouseRules | None = field("house rules of this edition (default: the site's)", None)
    publisher: str = field("the publisher's name in this language (default: the site's)", "")
    start_here: str = field("file name in content/CODE/ of the article featured as \"Start here\" on the edition's "
                            "home page", "")
    default_author: str = field("byline of this edition's articles without an author (default: the site's)", "")


@dataclass(frozen=True)
class SiteConfig:
    """Everything a publisher sets for one site."""

    title: str = field("the site's name, shown in the header and titles")
    base_url: str = field("absolute URL the site is served from, e.g. https://example.org/", check=base_url_problem)
    publisher: str = field("the publisher's name (structured data, feed, footer)")
    disclaimer: str = field("medical disclaimer shown on every article")
    call_to_action: CallToAction = field("the box at the end of every article")
    description: str = field("one sentence describing the site (home page meta description)", "")
    home_heading: str = field("the home page's main heading (the header already shows the site name)",
                              "Health information you can check")
    start_here: str = field("file name in content/ of the article featured as \"Start here\" on the home page", "")
    language: str = field("BCP 47 language tag of the content", "en", _pattern(r"[a-z]{2,3}(-[A-Za-z0-9]+)*",
                                                                             "a language tag like en or en-US"))
    output_dir: str = field("folder the site is written to, relative to site.yaml", "_site", _site_path)
    emergency_number: str = field("older name of the fact emergency-number (set one of them; default 911)", "",
                                  _pattern(r"([0-9 +()-]{2,20})?", "a phone number"))
    facts: dict[str, Fact] = field("values that must read the same on every page, by name: used as [=name] in "
                                   "articles and cards and as fact('name') in templates", {}, names_problem)
    rules: Rules = field("editorial rules every build, serve and check enforces in the articles' text", Rules())
    bibliography: str = field("YAML file of citable sources, relative to site.yaml", "content/bibliography.yaml",
                              _site_path)
    default_author: str = field("byline for articles without an author", "")
    topics: dict[str, Topic] = field("display names of topic tags; when set, only these tags are allowed", {})
    editorial: HouseRules = field("house rules that `check` and `build` warn about", HouseRules())
    search: bool = field("build a Pagefind search index and the /search/ page", True)
    require_review: bool = field("make an article not yet medically reviewed, or changed since its review, an error "
                                 "(`python build.py reviewed` records a review)", False)
    feedback: Feedback = field("reader feedback links on every article", Feedback())
    editor_url: str = field("the dashboard's link to an article's source: a URL with {path} (absolute) and {line}, "
                            "e.g. vscode://file/{path}:{line}; default: a relative file link", "")
    safety_links: tuple[SafetyLink, ...] = field("medicine-safety links: an article that mentions a term must link "
                                                 "to its section (warning; error with --strict)", ())
    limits: Limits = field("bounds on each article: size, line length, time to render", Limits())
    name: str = field("the default language's own name, shown in the language switch", "English")
    languages: dict[str, Language] = field("translated editions by folder code (content/CODE/, published under "
                                           "/CODE/), e.g. es", {})

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always ending in '/'."""
        return urlsplit(self.base_url).path.rstrip("/") + "/"

    def edition(self, code: str) -> SiteConfig:
        """The configuration of one edition: the site's own for "", a translation's texts under /CODE/ otherwise."""
        if not code:
            return self
        lang = self.languages[code]
        return replace(self, title=lang.title, description=lang.description, disclaimer=lang.disclaimer,
                       call_to_action=lang.call_to_action, home_heading=lang.home_heading or self.home_heading,
                       language=lang.language, name=lang.name, base_url=self.base_url.rstrip("/") + f"/{code}/",
                       emergency_number="", facts=self.edition_facts(lang), topics=lang.topics,
                       safety_links=lang.safety_links, editorial=lang.editorial or self.editorial,
                       publisher=lang.publisher or self.publisher,
                       default_author=lang.default_author or self.default_author, start_here=lang.start_here,
                       languages={})

    @property
    def all_facts(self) -> dict[str, Fact]:
        """Every fact of this edition by name: the emergency number (default 911), then `facts:`."""
        return resolved(self.facts, self.emergency_number)

    def edition_facts(self, lang: Language) -> dict[str, Fact]:
        """A translated edition's facts: the site's, then its own emergency number and facts."""
        own = {EMERGENCY: Fact(lang.emergency_number, phone=True)} if lang.emergency_number else {}
        return {**self.all_facts, **own, **lang.facts}

    def absolute(self, path: str) -> str:
        """An absolute URL for a site path like '/slug/'."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}{path}"


def load_config(path: Path, root: Path) -> tuple[SiteConfig | None, list[Problem]]:
    """Read and validate a site.yaml file."""
    shown = shown_path(path, root)
    text, problems = read_source(path, shown)
    if text is None:
        return None, problems
    reader = typed.Reader(shown)
    config = typed.load(SiteConfig, text, reader)
    if config is None:
        return None, reader.problems
    problems = [error(shown, reader.key_lines.get(name, 1), f"'{name}' leads out of the site folder (through a "
                      "link): the build reads only files inside it")
                for name in INPUT_PATHS if not inside(root / getattr(config, name), root)]
    problems += _fact_problems(config, shown, reader.key_lines, reader.lines)
    problems += [error(shown, line, message) for line, message in places.config_problems(config, root, text,
                                                                                          reader.key_lines)]
    return (None if problems else config), problems


def _fact_problems(config: SiteConfig, shown: str, lines: dict[str, int], made: dict[int, int]) -> list[Problem]:
    """The emergency number set twice (old and new name), and what the rules need of the facts."""
    twice = [error(shown, lines.get("emergency_number", 1), "the emergency number is set twice: keep facts: "
                   f"{EMERGENCY} and delete emergency_number (its older name)")
             for edition in (config, *config.languages.values())
             if edition.emergency_number and EMERGENCY in edition.facts]
    editions = [(config.all_facts, config.language, ""), *((config.edition_facts(lang), lang.language, code)
                                                           for code, lang in config.languages.items())]
    rules = [p for facts, language, code in editions
             for p in config_problems(config.rules, facts, shown, made, language, code)]
    return twice + list(dict.fromkeys(rules))
