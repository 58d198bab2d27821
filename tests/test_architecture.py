"""The house: imports run one way through the pipeline's stages, modules stay small, the docs' module tables match."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "healthsite"
STAGES = ("reading", "mdext", "model", "review", "rendering", "writing", "pipeline", "serving", "commands")
MAX_LINES = 300


def modules() -> list[Path]:
    """Every Python module of the engine (not the theme's or the starter site's files)."""
    return sorted(p for p in PACKAGE.rglob("*.py") if not {"theme", "starter"} & set(p.relative_to(PACKAGE).parts))


def stage(dotted: str) -> int:
    """A module's place in the pipeline: -1 for the package root's shared modules (problems, checks)."""
    parts = dotted.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else -1


def dotted(path: Path) -> str:
    """A module's dotted name."""
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def imports(source: str, module: str) -> list[tuple[int, str]]:
    """Each import of the package in a module's source, with its line: (line, the module imported)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".")[:len(module.split(".")) - node.level] if node.level else []
            name = ".".join([*base, node.module] if node.module else base)
            found += [(node.lineno, f"{name}.{alias.name}" if name.count(".") < 1 else name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "healthsite"]


def upward(path: Path) -> list[str]:
    """The imports of one module from a later stage of the pipeline than its own."""
    module = dotted(path)
    return [f"{path.relative_to(REPO)}:{line}: {module} imports {name}"
            for line, name in imports(path.read_text(), module) if stage(name) > stage(module)]


def test_no_stage_imports_a_later_one() -> None:
    """Reading never imports the model, the model never imports rendering, and so on, type-only imports included."""
    assert [problem for path in modules() for problem in upward(path)] == []


def test_the_check_sees_an_import_that_runs_the_wrong_way(tmp_path: Path) -> None:
    """The check can fail: a model module that imports the renderer is caught, at its line."""
    module = PACKAGE / "model" / "example.py"
    source = "from healthsite.reading import config\n\nfrom healthsite.rendering.social import draw\n"
    assert [(line, stage(name) > stage(dotted(module))) for line, name in imports(source, dotted(module))] == \
        [(1, False), (3, True)]


def test_no_module_is_over_300_lines() -> None:
    """Small modules with one concern."""
    assert {str(p.relative_to(REPO)): n for p in modules() if (n := len(p.read_text().splitlines())) > MAX_LINES} == {}


def test_the_module_tables_match_the_package() -> None:
    """docs/architecture.md names every module of the package, and every module it names exists."""
    text = (REPO / "docs" / "architecture.md").read_text()
    section = text[text.index("### Modules"):text.index("\n## ", text.index("### Modules"))]
    documented = set(re.findall(r"^\| `([a-z0-9_/]+\.py)` \|", section, re.M))
    present = {p.relative_to(PACKAGE).as_posix() for p in modules() if p.name != "__init__.py"}
    assert documented - present == set(), "documented but missing"
    assert present - documented == set(), "in the package but not in docs/architecture.md"


@pytest.mark.parametrize("folder", [s for s in STAGES if s != "pipeline"])
def test_each_stage_is_a_folder_of_the_package(folder: str) -> None:
    """The folder names of healthsite/ are the pipeline's stages."""
    assert (PACKAGE / folder / "__init__.py").is_file()


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_imports(path: Path) -> None:
    """Every module loads: no import names a thing that moved away."""
    importlib.import_module(dotted(path))
