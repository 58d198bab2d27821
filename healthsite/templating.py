"""The Jinja environment: autoescaped, strict about undefined names, errors at template lines."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .problems import Problem, error, shown_path


def environment(templates: Path, functions: dict[str, Callable[..., Any]]) -> jinja2.Environment:
    """A sandboxed Jinja environment over the theme's templates with the site's helper functions.

    The sandbox refuses Python internals (`__class__`, `__globals__`, ...): a template in the site folder can
    shape pages but never run code.
    """
    env = SandboxedEnvironment(loader=jinja2.FileSystemLoader(templates), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.globals.update(functions)
    env.filters["longdate"] = longdate
    return env


def longdate(day: dt.date) -> str:
    """A date as readers write it: November 25, 2026."""
    return f"{day:%B} {day.day}, {day.year}"


def render(env: jinja2.Environment, name: str, context: dict[str, Any], root: Path) -> tuple[str | None, list[Problem]]:
    """Render a template, turning any failure into a problem at the template's line."""
    try:
        return env.get_template(name).render(context), []
    except jinja2.TemplateSyntaxError as exc:
        path = shown_path(Path(exc.filename), root) if exc.filename else f"templates/{exc.name or name}"
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
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")) and Path(filename).exists():
            found = (shown_path(Path(filename), root), tb.tb_lineno)
        tb = tb.tb_next
    return found
