"""Imports run one way: the site model draws nothing, and the interface strings need nothing above them."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

PACKAGE = "healthsite"


def imported(module: str) -> set[str]:
    """The package's modules one module imports (read from its syntax tree)."""
    origin = importlib.util.find_spec(module).origin
    parts = module.split(".")[:None if origin.endswith("__init__.py") else -1]  # the package it is in
    found: set[str] = set()
    for node in ast.walk(ast.parse(Path(origin).read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[:len(parts) - node.level + 1]) if node.level else ""
            name = ".".join(filter(None, (base, node.module)))
            found |= {name, *(f"{name}.{alias.name}" for alias in node.names)}
    return {name for name in found if name.startswith(PACKAGE) and _is_module(name)}


def _is_module(name: str) -> bool:
    """Whether a dotted name is a module of the package (not a function or class imported from one)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def reach(module: str) -> set[str]:
    """Every module of the package that importing `module` loads (its imports, theirs, ...)."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += imported(name) - seen
    return seen - {module}


def test_the_site_model_imports_no_rendering() -> None:
    """The model (site.py) never loads the code that draws preview images, renders pages or writes files."""
    loaded = reach(f"{PACKAGE}.site")
    assert not loaded & {f"{PACKAGE}.{m}" for m in ("social", "media", "htmlpages", "templating", "outputs")}


def test_the_interface_strings_need_nothing_above_them() -> None:
    """i18n imports only the theme's folders (no reading of the site's input)."""
    assert imported(f"{PACKAGE}.i18n") == {f"{PACKAGE}.themefiles"}


def test_the_check_sees_a_tie() -> None:
    """The check can fail: the renderer does import the model."""
    assert f"{PACKAGE}.site" in imported(f"{PACKAGE}.social") and f"{PACKAGE}.social" in reach(f"{PACKAGE}.media")
