"""One instance of each equal value a large build holds many copies of: tag names, front-matter keys, section
titles, citation keys, words (each article's copy comes fresh from the worker that read it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TypeVar

T = TypeVar("T")
PAIR = 2  # a tuple this long of strings and whole numbers (a front-matter key and its line) is kept once too


class Interner:
    """A build's table of the values met so far: each string and date, each tuple of strings, and each pair of a
    string and a whole number, kept once (no value changes, only how many copies of it are held)."""

    def __init__(self) -> None:
        self.values: dict[object, object] = {}

    def one(self, value: T) -> T:
        """`value` with every string and date in it (in tuples, frozensets and frozen dataclasses) the first equal
        one met; tuples of strings, and short pairs, the first equal tuple met."""
        kind = type(value)
        if kind is str or kind is dt.date:
            return self.values.setdefault(value, value)  # type: ignore[return-value]
        if kind is tuple:
            items = tuple(self.one(item) for item in value)  # type: ignore[attr-defined]
            return self.values.setdefault(items, items) if _simple(items) else items  # type: ignore[return-value]
        if kind is frozenset:
            return frozenset(self.one(item) for item in value)  # type: ignore[attr-defined, return-value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changed = {f.name: self.one(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            return dataclasses.replace(value, **changed)  # type: ignore[type-var]
        return value


def _simple(items: tuple) -> bool:
    """Whether a tuple is worth keeping once: all strings (tags, words), or a short pair of strings and whole
    numbers (never a bool or float, which compare equal to other types' values)."""
    kinds = {type(item) for item in items}
    return kinds <= {str} or (len(items) <= PAIR and kinds <= {str, int})
