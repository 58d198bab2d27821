"""The theme: the default one shipped in the package, overridden file by file by the site's templates/ and static/."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

THEME = Path(__file__).parent.parent / "theme"  # healthsite/theme/templates, healthsite/theme/static
KINDS = ("templates", "static")
LOCALES = Path(__file__).parent.parent / "locale"  # the interface strings' catalogs: healthsite/locale/CODE/LC_MESSAGES
README = "README.md"  # a note at the top of a site's templates/ or static/: never a template, never published


def layers(root: Path, kind: str) -> tuple[Path, ...]:
    """The folders a kind of theme file is looked up in, the site's first: (site/KIND, healthsite/theme/KIND)."""
    return root / kind, THEME / kind


def find(folders: tuple[Path, ...], name: str) -> Path | None:
    """The first folder's file called `name` (a relative path without `..`; a top-level README.md is never one)."""
    pure = PurePosixPath(name.lstrip("/"))
    if not name.strip("/") or ".." in pure.parts or "\\" in name or pure.as_posix() == README:
        return None
    return next((folder / pure for folder in folders if (folder / pure).is_file()), None)


def files(folder: Path) -> dict[str, Path]:
    """Every file under a folder by its relative path, in name order (a top-level README.md left out)."""
    found = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return {p.relative_to(folder).as_posix(): p for p in found if p.relative_to(folder).as_posix() != README}


def overlay(folders: tuple[Path, ...]) -> dict[str, Path]:
    """The files of several folders by relative path, an earlier folder's file winning, in name order."""
    merged: dict[str, Path] = {}
    for folder in folders:
        for name, path in files(folder).items():
            merged.setdefault(name, path)
    return dict(sorted(merged.items()))


def static_files(root: Path) -> dict[str, Path]:
    """The static files a site publishes: the theme's, each replaced by the site's file of the same name."""
    return overlay(layers(root, "static"))


def all_files(root: Path) -> list[tuple[str, Path]]:
    """Every theme file a build may read, labelled (`templates/x` for the site's, `theme:templates/x` for the
    package's), in a stable order: what the input digest and the page keys cover."""
    labelled = [(f"{prefix}{kind}/{name}", path)
                for prefix, base in (("", root), ("theme:", THEME)) for kind in KINDS
                for name, path in files(base / kind).items()]
    site_notes = [(f"{kind}/{README}", root / kind / README) for kind in KINDS if (root / kind / README).is_file()]
    return sorted(labelled + site_notes)


def shown(path: Path, root: Path) -> str:
    """A theme file as messages name it: relative to the site folder, or `healthsite/theme/...` for the package's."""
    resolved = path.resolve()
    for base, prefix in ((root.resolve(), ""), (THEME.resolve(), "healthsite/theme/")):
        if resolved.is_relative_to(base):
            return prefix + resolved.relative_to(base).as_posix()
    return path.as_posix()
