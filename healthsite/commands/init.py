"""`init DIR`: a new site from the starter files shipped in the package (healthsite/starter/), never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

from healthsite.problems import Problem, error, from_here

STARTER = Path(__file__).parent.parent / "starter"
RENAMED = {"gitignore": ".gitignore"}  # stored without the dot, so that packaging and git leave it alone


def starter_files() -> dict[str, Path]:
    """The starter site's files by the path they get in the new site, in name order."""
    found = sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    named = {p.relative_to(STARTER).as_posix(): p for p in found}
    return {RENAMED.get(name, name): path for name, path in named.items()}


def refusal(target: Path, force: bool) -> Problem | None:
    """Why the starter files cannot go into `target`: not a folder, or (without `force`) a folder not empty."""
    shown = target.as_posix()
    if target.exists() and not target.is_dir():
        return error(shown, 1, "not a folder: name a new folder (it is created) or an empty one")
    if target.is_dir() and not force and any(target.iterdir()):
        return error(shown, 1, "the folder is not empty, so nothing was written: name a new or empty folder, or "
                               "add --force to add the starter files beside what is there (an existing file is "
                               "never overwritten)")
    return None


def create(target: Path, force: bool = False) -> tuple[list[str], list[str], list[Problem]]:
    """Write the starter site into `target`: the files written, the files left as they were (they existed),
    and the problems (nothing is written when there are any)."""
    problem = refusal(target, force)
    if problem:
        return [], [], [problem]
    written, kept = [], []
    for name, source in starter_files().items():
        path = target / name
        if os.path.lexists(path):
            kept.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("xb") as handle:  # "x": never overwrite, even in a race
                handle.write(source.read_bytes())
        except FileExistsError:
            kept.append(name)
            continue
        written.append(name)
    return written, kept, []


def next_steps(target: Path, wrote: bool = True, command: str = "healthsite") -> str:
    """What to do after `init` (the `healthsite` script works in any site folder)."""
    where = from_here(target)
    done = f"created a new site in {where}" if wrote else f"nothing to add: {where} has every starter file"
    return (f"{done}\n"
            f"next: cd {where} && {command} serve   (a preview at http://127.0.0.1:8000/)\n"
            f"then: set the settings marked CHOOSE in site.yaml, replace the example article in content/, and "
            f"`{command} build` writes the site to publish into _site/")
