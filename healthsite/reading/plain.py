"""Plain data: typed values (dataclasses, tuples, dates ...) to and from JSON-ready lists, checked on the way back.

Nothing read this way can run code: a value that does not fit its declared type is a ValueError. The reading of a
declared type (a dataclass's fields, an optional's member) and the check of a plain value against a scalar type are
the same for YAML (`typed.py`, which adds the line of every problem): it uses them from here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from typing import Any, Callable

Coder = Callable[[Any], Any]
PLAIN = {str: frozenset({str}), int: frozenset({int}), bool: frozenset({bool}),
         object: frozenset({str, int, float, bool, type(None)})}  # types whose JSON form is the value itself


def encode(tp: Any, value: Any) -> Any:
    """A value of type `tp` as JSON-ready data."""
    return _encoder(tp)(value)


def decode(tp: Any, data: Any) -> Any:
    """A value of type `tp` from JSON data; ValueError if the data does not fit the type exactly."""
    return _decoder(tp)(data)


@functools.cache
def _encoder(tp: Any) -> Coder:
    """The encoder of one type, built once."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if dataclasses.is_dataclass(tp):
        parts = [(f.name, _encoder(hint)) for f, hint in fields(tp)]
        return lambda v: [code(getattr(v, name)) for name, code in parts]
    if optional(tp):
        inner = _encoder(optional(tp))
        return lambda v: None if v is None else inner(v)
    if tp is dt.date:
        return lambda v: v.isoformat()
    if origin in (tuple, list, frozenset) and (len(args) == 1 or args[-1] is Ellipsis):
        item = _encoder(args[0])
        return lambda v: [item(x) for x in (sorted(v) if origin is frozenset else v)]
    if origin is tuple:
        items = [_encoder(a) for a in args]
        return lambda v: [code(x) for code, x in zip(items, v)]
    if origin is dict:
        value = _encoder(args[1])
        return lambda v: {k: value(x) for k, x in v.items()}
    return lambda v: v


@functools.cache
def _decoder(tp: Any) -> Coder:
    """The decoder of one type, built once."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if optional(tp):
        inner = _decoder(optional(tp))
        return lambda d: None if d is None else inner(d)
    if origin is typing.Literal:
        return lambda d: d if d in args and isinstance(d, str) else _bad(tp, d)
    if tp is dt.date:
        return lambda d: dt.date.fromisoformat(d) if isinstance(d, str) else _bad(tp, d)
    if origin in (tuple, list, frozenset) and (len(args) == 1 or args[-1] is Ellipsis):
        item, make, kinds = _decoder(args[0]), origin, PLAIN.get(args[0])
        if kinds:  # the common case, checked without a call per item
            return lambda d: make(d) if isinstance(d, list) and all(type(x) in kinds for x in d) else _bad(tp, d)
        return lambda d: make(map(item, d)) if isinstance(d, list) else _bad(tp, d)
    if origin is tuple and all(a in PLAIN for a in args):
        allowed = tuple(PLAIN[a] for a in args)
        return lambda d: tuple(d) if isinstance(d, list) and len(d) == len(allowed) and \
            tuple(map(_kind, d, allowed)) == allowed else _bad(tp, d)
    if origin is tuple:
        items = [_decoder(a) for a in args]
        return lambda d: tuple(code(x) for code, x in zip(items, d)) \
            if isinstance(d, list) and len(d) == len(items) else _bad(tp, d)
    if origin is dict:
        value = _decoder(args[1])
        return lambda d: {k: value(x) for k, x in d.items()} if isinstance(d, dict) else _bad(tp, d)
    return _scalar_decoder(tp)


def _dataclass_decoder(cls: type) -> Coder:
    """A dataclass from the list of its field values."""
    parts = [_decoder(hint) for _, hint in fields(cls)]

    def decode_one(d: Any) -> Any:
        if not isinstance(d, list) or len(d) != len(parts):
            return _bad(cls, d)
        return cls(*(code(x) for code, x in zip(parts, d)))
    return decode_one


def _scalar_decoder(tp: Any) -> Coder:
    """A str, int, float, bool or plain JSON value (typed `object`), checked."""
    if tp is object:
        return lambda d: d if d is None or type(d) in (str, int, float, bool) else _bad(tp, d)
    if tp is float:
        return lambda d: float(d) if type(d) in (int, float) else _bad(tp, d)
    if tp in (str, int, bool):
        return lambda d: d if type(d) is tp else _bad(tp, d)
    raise TypeError(f"no plain-data form for {tp!r}")


@functools.cache
def fields(cls: type) -> tuple[tuple[dataclasses.Field, Any], ...]:
    """A dataclass's init fields with their resolved types, computed once per class."""
    hints = typing.get_type_hints(cls)
    return tuple((f, hints[f.name]) for f in dataclasses.fields(cls) if f.init)


@functools.cache
def optional(tp: Any) -> Any:
    """The type inside an optional one (`X | None` -> X), or None if `tp` is not optional."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    return next(a for a in typing.get_args(tp) if a is not type(None))


def _kind(value: Any, allowed: frozenset[type]) -> frozenset[type] | None:
    """`allowed` if the value's type is one of them, else None."""
    return allowed if type(value) in allowed else None


def _bad(tp: Any, data: Any) -> Any:
    """Refuse data that does not fit its type."""
    raise ValueError(f"expected {getattr(tp, '__name__', tp)}, got {type(data).__name__}")
