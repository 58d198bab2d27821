"""Where a site may read and write: its output folder lies inside it and is reached through no link, and each
translation's folder is named by a checked BCP 47 language tag, never a path."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from healthsite.reading.files import line_of
from healthsite.problems import excerpt

if TYPE_CHECKING:
    from healthsite.reading.config import SiteConfig

# a BCP 47 tag: language, optional script, optional region, optional variants (https://www.rfc-editor.org/rfc/rfc5646)
TAG = re.compile(r"[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*", re.IGNORECASE)


def tag_problem(code: str) -> str | None:
    """Why a language code is not a BCP 47 tag (and so could not be a folder name), or None."""
    if len(code) <= 35 and TAG.fullmatch(code):
        return None
    return (f"language code '{excerpt(code)}' is not a BCP 47 language tag: use a tag like es or pt-BR (it names "
            "the folder content/CODE/ and the URL /CODE/, never a path)")


def linked_part(root: Path, relative: str) -> str | None:
    """The first part of a path below `root` that is a link (as written, relative to root), or None."""
    here = root
    for part in PurePosixPath(relative.replace("\\", "/")).parts:
        here = here / part
        if here.is_symlink():
            return here.relative_to(root).as_posix()
    return None


def output_problem(root: Path, relative: str) -> str | None:
    """Why the output folder `relative` (inside the site folder) may not be written, or None: it leads through a
    link, which could point anywhere."""
    link = linked_part(root, relative)
    if link is None:
        return None
    return (f"the output folder leads through a link ({link}): the build writes only inside the site folder, "
            "never through a link; remove the link (a built site is never committed)")


def config_problems(config: SiteConfig, root: Path, text: str, key_lines: dict[str, int]) -> list[tuple[int, str]]:
    """(line, message) for each place site.yaml names that the build may not use."""
    start = line_of(text, "languages:")[1]
    found = [(line_of(text, code, max(start, 0))[0] or key_lines.get("languages", 1), why)
             for code in config.languages if (why := tag_problem(code))]
    if (why := output_problem(root, config.output_dir)) is not None:
        found.append((key_lines.get("output_dir", 1), f"'output_dir': {why}"))
    return found
