"""Stage checks: a stage's problems become one BuildError when any is an error."""

from __future__ import annotations

from typing import Iterable, TypeVar

from .problems import BuildError, Problem, errors_only

T = TypeVar("T")


def stage(result: tuple[T | None, list[Problem]]) -> T:
    """The value of a stage, or BuildError with its problems."""
    value, problems = result
    check(problems)
    assert value is not None
    return value


def check(problems: Iterable[Problem]) -> None:
    """Raise BuildError if any problem is an error."""
    problems = list(problems)
    if errors_only(problems):
        raise BuildError(problems)
