"""Bounded template work: arithmetic, repetition and padding that cannot build huge values, and a time budget that
stops a template that loops too long (an error at its template line, never a stalled build)."""

from __future__ import annotations

import ctypes
import re
import signal
import threading
from typing import Any, Callable, Iterable, TypeVar

from jinja2 import pass_eval_context
from jinja2.exceptions import SecurityError

T = TypeVar("T")

MAX_ITEMS = 1_000_000  # characters of a string, or items of a list, a template may build in one step
MAX_BITS = 100_000  # bits of an integer a template may compute with `**`
SECONDS = 10.0  # the engine's ceiling for rendering one page or archetype
_WIDTHS = re.compile(r"\d{7,}")  # a width or precision of a million or more in a format string


class Overtime(BaseException):
    """Raised inside a render that ran out of its time (a BaseException, so no `except Exception` swallows it)."""


def refuse(what: str) -> SecurityError:
    """The error a template gets for a value too large to build."""
    return SecurityError(f"{what} would be too large (a template may build at most {MAX_ITEMS:,} characters or "
                         "items at once)")


def _length(value: Any) -> int:
    """A value's length, or 1 for one without."""
    try:
        return len(value)
    except TypeError:
        return 1


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `**` with a result of more than MAX_BITS bits, `*` repetition and `%` formatting past MAX_ITEMS."""
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
        if abs(left).bit_length() * right > MAX_BITS:
            raise SecurityError(f"{left} ** {right} would be too large (at most {MAX_BITS:,} bits)")
    elif operator == "*":
        for count, seq in ((left, right), (right, left)):
            if isinstance(count, int) and isinstance(seq, (str, list, tuple)) and count * _length(seq) > MAX_ITEMS:
                raise refuse("the repetition")
    elif operator == "%" and isinstance(left, str):
        check_format(left)


def check_format(text: str) -> None:
    """Refuse a format string with a width or precision of a million or more ("%0999999999d", "{:>99999999}")."""
    if _WIDTHS.search(text):
        raise refuse("the formatted text")


def check_method(name: str, obj: Any, args: tuple, kwargs: dict) -> tuple:
    """Refuse a call of a string method that would build more than MAX_ITEMS characters; the (possibly materialized)
    arguments to call it with."""
    if not isinstance(obj, str):
        return args
    values = list(args) + list(kwargs.values())
    if name in ("center", "ljust", "rjust", "zfill") and values and isinstance(values[0], int):
        if values[0] > MAX_ITEMS:
            raise refuse("the padded text")
    elif name == "expandtabs" and values and isinstance(values[0], int):
        if values[0] * max(1, obj.count("\t")) > MAX_ITEMS:
            raise refuse("the expanded text")
    elif name == "replace" and len(values) >= 2:
        _check_replace(obj, values[0], values[1])
    elif name == "join" and args:
        items = _bounded_list(args[0])
        if sum(_length(i) for i in items) + len(obj) * len(items) > MAX_ITEMS:
            raise refuse("the joined text")
        return (items, *args[1:])
    elif name in ("format", "format_map", "__mod__"):
        check_format(obj)
    return args


def _check_replace(text: str, old: Any, new: Any) -> None:
    """Refuse a replacement that would grow a text past MAX_ITEMS characters."""
    if isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * len(new) > MAX_ITEMS:
            raise refuse("the replaced text")


def _bounded_list(items: Iterable[Any]) -> list[Any]:
    """An iterable as a list of at most MAX_ITEMS items."""
    found = []
    for item in items:
        found.append(item)
        if len(found) > MAX_ITEMS:
            raise refuse("the list")
    return found


def guarded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Jinja's filters that could build huge values, each with its bound checked first."""
    def center(value: Any, width: int = 80) -> Any:
        if isinstance(width, int) and width > MAX_ITEMS:
            raise refuse("the padded text")
        return filters["center"](value, width)

    def indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
        size = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        if size * (str(value).count("\n") + 1) > MAX_ITEMS:
            raise refuse("the indented text")
        return filters["indent"](value, width, *args, **kwargs)

    def format_(value: Any, *args: Any, **kwargs: Any) -> Any:
        check_format(str(value))
        return filters["format"](value, *args, **kwargs)

    def replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: Any = None) -> Any:
        _check_replace(str(value), str(old), str(new))
        return filters["replace"](eval_ctx, value, old, new, count)

    def slice_(value: Any, slices: int, fill_with: Any = None) -> Any:
        if isinstance(slices, int) and slices > MAX_ITEMS:
            raise refuse("the slices")
        return filters["slice"](value, slices, fill_with)

    def join(eval_ctx: Any, value: Any, d: Any = "", attribute: Any = None) -> Any:
        items = _bounded_list(value)
        if sum(_length(str(i)) for i in items) + _length(d) * len(items) > MAX_ITEMS:
            raise refuse("the joined text")
        return filters["join"](eval_ctx, items, d, attribute)

    def batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        if isinstance(linecount, int) and linecount > MAX_ITEMS:
            raise refuse("the batches")
        return filters["batch"](value, linecount, fill_with)

    return {"center": center, "indent": indent, "format": format_, "replace": pass_eval_context(replace),
            "slice": slice_, "join": pass_eval_context(join), "batch": batch}


def within(seconds: float, work: Callable[[], T]) -> T:
    """`work()`, stopped with Overtime (raised inside it, so its traceback shows where) once `seconds` pass.

    In a main thread a timer signal interrupts it; elsewhere (the dev server's rebuilds) it runs in a thread of its
    own that is told to stop at its next Python step.
    """
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _alarmed(seconds, work)
    return _threaded(seconds, work)


def _alarmed(seconds: float, work: Callable[[], T]) -> T:
    """Run `work` under a real-time timer whose signal raises Overtime in it."""
    def stop(signum: int, frame: object) -> None:
        raise Overtime

    previous = signal.signal(signal.SIGALRM, stop)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _threaded(seconds: float, work: Callable[[], T]) -> T:
    """Run `work` in a thread of its own; past its time, raise Overtime in it and hand on what it raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # handed to the caller
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="healthsite-template", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident or 0), ctypes.py_object(Overtime))
        thread.join(1.0)
    if not outcome:
        raise Overtime
    done, value = outcome[0]
    if not done:
        raise value
    return value
