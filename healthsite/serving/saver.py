"""Writing in the background: the latest of what is submitted, once submissions pause (or when the server stops)."""

from __future__ import annotations

import threading
import time
from typing import Callable, Generic, TypeVar

IDLE_SECONDS = 2.0  # the output folder is written once saves have paused this long (or when the server stops)
T = TypeVar("T")


class Superseded(Exception):
    """A newer build is waiting to be written: the one being written is dropped."""


class Saver(Generic[T]):
    """Writes the latest of what it is given in a background thread, once submissions pause (or at close)."""

    def __init__(self, save: Callable[[T, Callable[[], bool]], None], on_error: Callable[[str], object],
                 idle: float = IDLE_SECONDS) -> None:
        self.save, self.on_error, self.idle = save, on_error, idle
        self._changed = threading.Condition()
        self._pending: T | None = None
        self._since = 0.0
        self._closing = False
        self._thread: threading.Thread | None = None

    def submit(self, item: T) -> None:
        """Write `item` once nothing newer comes for a while (replacing anything not yet written)."""
        with self._changed:
            self._pending, self._since = item, time.monotonic()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="healthsite-save", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def close(self) -> None:
        """Write what is pending now, and stop."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        """Wait for a pause in submissions, write the latest item, repeat until closed."""
        while True:
            with self._changed:
                self._changed.wait_for(self._due, timeout=self.idle)
                if not self._due():
                    continue
                item, self._pending = self._pending, None
                if item is None:
                    return
            try:
                self.save(item, lambda: self._pending is not None and not self._closing)
            except Superseded:
                pass
            except Exception as exc:  # e.g. a folder that cannot be written now: the next good build tries again
                self.on_error(f"warning: the preview folder and the build cache were not written: {exc}")

    def _due(self) -> bool:
        """Whether to write now: closing, or something pending and quiet for `idle` seconds."""
        return self._closing or self._pending is not None and time.monotonic() - self._since >= self.idle
