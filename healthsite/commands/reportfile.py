"""`check --output FILE`: the report written to a fresh temporary name and renamed into place, never through a link
and never over a file `check` did not write."""

from __future__ import annotations

import json
import os
from pathlib import Path

from healthsite.problems import Problem, error
from healthsite.reading.safeio import read_regular, write_fresh

MARK = "<!-- written by healthsite check -->"  # ends every HTML report, so the next `check` knows its own dashboard
JSON_KEYS = frozenset({"ok", "categories", "errors", "warnings", "articles"})


def marked(document: str, fmt: str) -> str:
    """The document as written to a file: the HTML dashboard ends with its mark (a comment after </html>)."""
    return f"{document}\n{MARK}\n" if fmt == "html" else f"{document}\n"


def refusal(path: Path) -> Problem | None:
    """Why `check` may not write its report to `path`: a link, something other than a file, or a file it did not
    write (a report of its own: an HTML dashboard with its mark, a JSON report, a text report)."""
    if not os.path.lexists(path):
        return None
    if path.is_symlink():
        return error(str(path), 1, "the report's file is a link: check never writes through a link (it could lead "
                                   "anywhere); remove it or choose another --output")
    try:
        data = read_regular(path, limit=50_000_000)
    except OSError as exc:
        return error(str(path), 1, f"cannot replace it with the report: {exc.strerror or exc}; choose another "
                                   "--output")
    if not ours(data):
        return error(str(path), 1, "the file exists and is not a report that check wrote: it was left as it was; "
                                   "choose another --output, or delete the file first")
    return None


def ours(data: bytes) -> bool:
    """Whether a file's bytes are a report `check` wrote (HTML with its mark, JSON with the report's keys, or the
    text report's table)."""
    text = data.decode("utf-8", errors="replace")
    if text.rstrip().endswith(MARK):
        return True
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        return text.lstrip().startswith("article ") and " grade " in text.split("\n", 1)[0]
    return isinstance(found, dict) and JSON_KEYS <= set(found)


def write(path: Path, document: str, fmt: str) -> Problem | None:
    """Write the report to `path` (through a fresh temporary file, renamed), or the problem that stops it."""
    problem = refusal(path)
    if problem is not None:
        return problem
    try:
        write_fresh(path, marked(document, fmt).encode("utf-8"), 0o644)
    except OSError as exc:
        return error(str(path), 1, f"cannot write the report: {exc.strerror or exc}")
    return None
