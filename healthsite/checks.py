"""Stage checks: a stage's problems become one BuildError when any is an error (or, while collecting, are kept)."""

from __future__ import annotations

import contextlib
import contextvars
from typing import Iterable, Iterator, TypeVar

from healthsite.problems import BuildError, Problem, errors_only

T = TypeVar("T")
# While set (the dashboard of a site with errors), errors are kept here and the stages carry on without the
# parts that failed, instead of stopping at the first stage with an error.
COLLECTED: contextvars.ContextVar[list[Problem] | None] = contextvars.ContextVar("collected", default=None)


def checked_value(result: tuple[T | None, list[Problem]]) -> T:
    """The value of a stage's (value or None, problems): BuildError if it has none or any problem is an error."""
    value, problems = result
    if value is None:
        raise BuildError(problems)
    check(problems)
    return value


def check(problems: Iterable[Problem]) -> None:
    """Raise BuildError if any problem is an error (while collecting, keep the errors and carry on)."""
    problems = list(problems)
    if errors_only(problems):
        kept = COLLECTED.get()
        if kept is None:
            raise BuildError(problems)
        kept.extend(p for p in problems if p not in kept)  # a later stage may report the same problem again


@contextlib.contextmanager
def collecting() -> Iterator[list[Problem]]:
    """Within the block, stage errors are collected into the list given, not raised."""
    kept: list[Problem] = []
    token = COLLECTED.set(kept)
    try:
        yield kept
    finally:
        COLLECTED.reset(token)
