"""The Jinja environment: autoescaped, strict about undefined names, errors at template lines."""

from __future__ import annotations

import functools
import itertools
import sys
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from healthsite.reading import bounded, i18n, themefiles
from healthsite.problems import Problem, error


def loader(templates: Path) -> jinja2.BaseLoader:
    """A site's templates/ first, then the packaged theme's; `theme/NAME` is always the theme's, so a site's
    template can extend the one it replaces (`{% extends "theme/base.html" %}`)."""
    site, theme = jinja2.FileSystemLoader(templates), jinja2.FileSystemLoader(themefiles.THEME / "templates")
    return jinja2.ChoiceLoader([site, theme, jinja2.PrefixLoader({"theme": theme})])


def environment(templates: Path, functions: dict[str, Callable[..., Any]], code: str = "",
                language: str = "en-US", budget: float = bounded.SECONDS) -> jinja2.Environment:
    """A sandboxed Jinja environment over a site's templates/ and the packaged theme's (`loader`) with the site's
    helper functions, speaking one edition's language: `_()` from its catalog, dates in its locale.

    The sandbox refuses Python internals (`__class__`, `__globals__`, ...): a template in the site folder can
    shape pages but never run code (the packaged theme renders in the same sandbox); its arithmetic, repetition
    and padding are bounded, and each render runs within `budget` seconds (`bounded.py`).
    """
    env = Sandbox(loader=loader(templates), autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=False,
                  trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                  extensions=["jinja2.ext.i18n", FragmentCache])
    env.budget = budget
    catalog = i18n.translations(code)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(functions, _=translator(catalog.gettext))
    env.filters["longdate"] = lambda day: i18n.long_date(day, language)
    return env


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, deciding once per type and attribute name whether templates may read that attribute, with
    bounded arithmetic, repetition, padding and formatting (`bounded.py`) and no `lipsum`.

    The sandbox's answer depends only on the object's type and the name (a name starting with `_`, or an internal
    attribute of functions, methods, types, frames, code and generators); a page reads the same few attributes of
    the same few types thousands of times.
    """

    intercepted_binops = frozenset({"**", "*", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.safe: dict[tuple[type, str], bool] = {}
        self.budget = bounded.SECONDS
        self.globals.pop("lipsum", None)
        self.filters.update(bounded.guarded_filters(dict(self.filters)))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """`**`, `*` and `%`, refused when the result would be huge."""
        bounded.check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """A call from a template; a string method that would build a huge text is refused."""
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            args = bounded.check_method(name, owner, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        """`str.format` and `format_map`, refused for widths of a million or more."""
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str):
            bounded.check_format(owner)
        return super().wrap_str_format(value)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Whether a template may read `obj.attr` (remembered by type and name)."""
        kind = type(obj)
        if obj.__class__ is not kind:  # an object that claims another class is asked each time
            return super().is_safe_attribute(obj, attr, value)
        safe = self.safe.get((kind, attr))
        if safe is None:
            safe = self.safe[kind, attr] = super().is_safe_attribute(obj, attr, value)
        return safe


class FragmentCache(Extension):
    """`{% cache KEY, ... %}...{% endcache %}`: a fragment rendered once per key (and tag) for as long as the
    environment lives (one build; the dev server's, while theme and configuration are the same).

    The keys must name everything the fragment shows: the theme's card macro caches each card by its title,
    description, URL, heading level and class, and a grid of cards by its cards and level. A list is keyed by its
    items; a key that cannot be hashed renders the fragment every time.
    """

    tags = {"cache"}
    LIMIT = 8_000_000  # characters of fragments kept (about 20,000 cards); the oldest goes first

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        self.fragments: dict[tuple, str] = {}
        self.size = 0  # their characters
        self.tags_seen = itertools.count()  # each tag's number: two tags never share a fragment

    def parse(self, parser: Any) -> nodes.Node:
        """The tag's keys and body, as a call of `_fragment`."""
        line = next(parser.stream).lineno
        keys = [nodes.Const(next(self.tags_seen)), parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_fragment", [nodes.Tuple(keys, "load")]), [], [], body
                               ).set_lineno(line)

    def _fragment(self, key: tuple, caller: Callable[[], str]) -> str:
        """The fragment for `key`: rendered the first time, then as rendered."""
        key = tuple(tuple(part) if isinstance(part, list) else part for part in key)
        try:
            found = self.fragments.get(key)
        except TypeError:
            return caller()
        if found is None:
            found = caller()
            self.fragments[key], self.size = found, self.size + len(found)
            while self.size > self.LIMIT:
                self.size -= len(self.fragments.pop(next(iter(self.fragments))))
        return found


def translator(translate: Callable[[str], str]) -> Callable[..., str]:
    """`_()` for templates: what Jinja's newstyle `_` does (the catalog's text, Markup where autoescaping, always
    %-formatted with the keyword arguments), in one call rather than three calls through the sandbox."""
    @jinja2.pass_eval_context
    def gettext(eval_ctx: EvalContext, text: str, /, **variables: Any) -> str:
        found = translate(text)
        return (Markup(found) if eval_ctx.autoescape else found) % variables
    return gettext


def render(env: jinja2.Environment, name: str, context: dict[str, Any], root: Path) -> tuple[str | None, list[Problem]]:
    """Render a template within the environment's time budget, turning any failure into a problem at the template's
    line (a template that runs out of time, at the line it was running)."""
    budget = getattr(env, "budget", bounded.SECONDS)
    try:
        template = env.get_template(name)
        return bounded.within(budget, lambda: template.render(context)), []
    except bounded.Overtime as exc:
        path, line = _template_frame(exc, root, name)
        return None, [error(path, line, f"template: took longer than {budget:g} s to render (a loop that runs too "
                                        "long?)")]
    except jinja2.TemplateSyntaxError as exc:
        path = themefiles.shown(Path(exc.filename), root) if exc.filename else f"templates/{exc.name or name}"
        return None, [error(path, exc.lineno, f"template syntax: {exc.message}")]
    except Exception as exc:  # any failure inside a template is the theme's error, reported at its line
        path, line = _template_frame(exc, root, name)
        kind = "template not found" if isinstance(exc, jinja2.TemplateNotFound) else "template"
        return None, [error(path, line, f"{kind}: {exc}")]


def _template_frame(exc: BaseException, root: Path, name: str) -> tuple[str, int]:
    """The innermost template file and line of an exception's traceback."""
    found = (f"templates/{name}", 1)
    tb = exc.__traceback__ or sys.exc_info()[2]
    while tb is not None:
        filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        template = tb.tb_frame.f_globals.get("__jinja_template__")  # compiled code not yet mapped to its lines
        if template is not None and template.filename:
            filename, line = template.filename, template.get_corresponding_lineno(line)
        if filename.endswith((".html", ".xml", ".txt", ".md")) and Path(filename).exists():
            found = (themefiles.shown(Path(filename), root), line)
        tb = tb.tb_next
    return found


@functools.lru_cache(maxsize=4)
def theme_facts(templates: tuple[str, ...]) -> frozenset[str] | None:
    """The names of the facts templates show (`fact('name')`); None when a template names one otherwise, passes
    `fact` on, reads `site.facts` or cannot be parsed (then any fact may be shown). Parsed once per theme and
    process (the dev server asks on every save)."""
    names: set[str] = set()
    env = jinja2.Environment(extensions=["jinja2.ext.i18n", FragmentCache])
    for source in templates:
        try:
            tree = env.parse(source)
        except jinja2.TemplateError:
            return None
        calls = [c for c in tree.find_all(nodes.Call) if isinstance(c.node, nodes.Name) and c.node.name == "fact"]
        uses = [n for n in tree.find_all(nodes.Name) if n.name == "fact"]
        named = [c.args[0].value for c in calls if c.args and isinstance(c.args[0], nodes.Const)]
        if len(uses) > len(calls) or len(named) < len(calls) or not all(isinstance(n, str) for n in named) or \
                any(g.attr in ("facts", "all_facts") for g in tree.find_all(nodes.Getattr)):
            return None
        names.update(named)
    return frozenset(names)
