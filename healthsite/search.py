"""Search: Pagefind indexes the built articles into a static index, inside the new site before it goes live."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pagefind.service import get_executable

from .problems import Problem, warning

FOLDER = "pagefind"


def is_index(path: str) -> bool:
    """Whether an output path belongs to the search index."""
    return path.startswith(f"{FOLDER}/")


def index(site_folder: Path, config_name: str) -> list[Problem]:
    """Index a written site folder with Pagefind; if it cannot run here, warn and leave the site without search."""
    binary = get_executable()
    if binary is None:
        return [warning(config_name, 1, "search index not built: the Pagefind binary is missing "
                                        "(pip install 'pagefind[bin]')")]
    try:
        result = subprocess.run([str(binary), "--site", str(site_folder), "--output-subdir", FOLDER, "--quiet"],
                                capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        return [warning(config_name, 1, f"search index not built: Pagefind could not run here ({exc})")]
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no message"]
        return [warning(config_name, 1, f"search index not built: Pagefind failed ({detail[0]})")]
    return []
