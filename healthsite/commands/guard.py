"""The command line's last line of defence: Ctrl-C stops the worker processes and exits 130 with one line; a file
system that fails where no stage caught it (a full disk, a lost folder) is one error line and exit 1, never a
traceback."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")
INTERRUPTED = 130  # the shell's status for a command stopped by SIGINT


def guarded(run: Callable[[T], int], args: T, where: str = "site.yaml") -> int:
    """`run(args)`'s exit status; 130 after Ctrl-C (workers stopped), 1 after an uncaught OSError."""
    try:
        return run(args)
    except KeyboardInterrupt:
        stop_workers()
        print("interrupted: stopped; the previous site was left as it was", file=sys.stderr)
        return INTERRUPTED
    except OSError as exc:
        stop_workers()
        place = exc.filename or where
        print(f"{place}:1: error: {exc.strerror or exc}; the previous site was left as it was", file=sys.stderr)
        return 1


def stop_workers() -> None:
    """End this process's own worker processes (the pools of articles and media), by their process objects."""
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(5)
    for thread in threading.enumerate():  # each pool's manager notices, closes its pipes and ends: then the
        if type(thread).__name__ == "_ExecutorManagerThread":  # interpreter's exit finds nothing half-closed
            thread.join(5)


def leave(status: int) -> None:
    """End the process with `status` (the command line's entry points): after Ctrl-C, at once, so no exit handler
    can wait on a worker pool that was stopped midway; otherwise as usual."""
    if status == INTERRUPTED:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
