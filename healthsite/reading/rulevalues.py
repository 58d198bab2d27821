"""The checks of a rule's values in site.yaml: severities, care levels, slugs, languages, and phrases and regular
expressions capped in length and screened for catastrophic backtracking."""

from __future__ import annotations

import re
import re._parser as sre  # type: ignore[import-not-found]  # the regular-expression parser, to screen patterns
from typing import Iterable

from healthsite.problems import excerpt

MAX_PATTERN = 200  # characters of one phrase or regular expression
MAX_UNBOUNDED = 4  # unbounded repeats (+, *, {n,}) in one regular expression
CARE_ORDER = ("non-urgent", "urgent", "emergency")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VALUE = "{value}"


def severity(value: str) -> str | None:
    """Check a rule's level."""
    return None if value in ("error", "warning") else "must be error or warning"


def care(value: str) -> str | None:
    """Check a care card level."""
    return None if value in CARE_ORDER else f"must be one of {', '.join(CARE_ORDER)}"


def slugs(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check a non-empty list of slugs."""
    if not values:
        return "must list at least one name"
    bad = next((i for i, v in enumerate(values) if not SLUG.fullmatch(v)), None)
    return None if bad is None else (bad, f"'{excerpt(values[bad])}' is not a name (lowercase letters, digits, '-')")


def languages(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check language codes."""
    bad = next((i for i, v in enumerate(values) if not re.fullmatch(r"[a-z]{2,3}", v)), None)
    return None if bad is None else (bad, f"'{excerpt(values[bad])}' is not a language code like en or es")


def phrases(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check plain phrases: none blank, none too long."""
    for index, value in enumerate(values):
        if not value.strip():
            return index, "must not contain an empty phrase"
        if len(value) > MAX_PATTERN:
            return index, f"has a phrase of {len(value)} characters (at most {MAX_PATTERN})"
    return None


def regex_problem(pattern: str) -> str | None:
    """Why a regular expression cannot be a rule's pattern (bad syntax, too long, could backtrack without end)."""
    if len(pattern) > MAX_PATTERN:
        return f"is {len(pattern)} characters long (at most {MAX_PATTERN})"
    try:
        parsed = sre.parse(pattern)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    if not pattern.strip():
        return "must not be empty"
    return risky(parsed, inside=False) or (
        f"has more than {MAX_UNBOUNDED} unbounded repeats (+, *): bound them, like {{0,80}}"
        if unbounded(parsed) > MAX_UNBOUNDED else None)


def risky(items: Iterable, inside: bool) -> str | None:
    """Why a parsed pattern could backtrack catastrophically: a repeat inside a repeat, a repeated alternation,
    or a back-reference."""
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if arg[1] > 1 and inside:
                return "repeats a group that itself repeats (like (a+)+): this can make matching take forever; " \
                       "write it without the nested repeat"
            found = risky(arg[2], inside or arg[1] > 1)
        elif name == "BRANCH":
            if inside:
                return "repeats an alternation (like (a|b)+): this can make matching take forever; use a " \
                       "character class or write the alternatives out"
            found = next(filter(None, (risky(branch, inside) for branch in arg[1])), None)
        elif name == "SUBPATTERN":
            found = risky(arg[3], inside)
        elif name in ("ASSERT", "ASSERT_NOT"):
            found = risky(arg[1], inside)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            found = "refers back to a group (\\1): not allowed in a rule's pattern"
        else:
            found = None
        if found:
            return found
    return None


def unbounded(items: Iterable) -> int:
    """How many unbounded repeats a parsed pattern has."""
    count = 0
    for op, arg in items:
        if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            count += (arg[1] == sre.MAXREPEAT) + unbounded(arg[2])
        elif str(op) == "SUBPATTERN":
            count += unbounded(arg[3])
        elif str(op) == "BRANCH":
            count += sum(unbounded(b) for b in arg[1])
    return count


def regexes(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check regular expressions, each at its own line."""
    for index, value in enumerate(values):
        why = regex_problem(value)
        if why:
            return index, f"pattern '{excerpt(value)}' {why}"
    return None


def one_group(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check a consistent rule's regular expressions: valid, each with exactly one group (the value)."""
    found = regexes(values)
    if found:
        return found
    bad = next((i for i, v in enumerate(values) if re.compile(v).groups != 1), None)
    return None if bad is None else (bad, f"pattern '{excerpt(values[bad])}' must have exactly one group in "
                                          "parentheses, around the value: use (?:...) for other groups")


def with_value(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check a consistent rule's phrases: each holds {value} once."""
    found = phrases(values)
    bad = next((i for i, v in enumerate(values) if v.count(VALUE) != 1), None)
    return found or (None if bad is None else (bad, f"phrase '{excerpt(values[bad])}' must hold {VALUE} once, "
                                                    "where the value is written"))
