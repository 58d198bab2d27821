"""Parallel work: articles parsed and rendered across all cores, in a process pool."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterator, TypeVar

from . import editorial
from .content import Page, parse_page
from .editorial import TextStats
from .markup import Body, Renderer
from .mdext import Refs
from .options import Progress
from .problems import Problem, errors_only

MIN_PER_WORKER = 16
T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    """One article file to parse and render."""

    shown: str
    stem: str
    data: bytes


@dataclass(frozen=True)
class Done:
    """A parsed page (None if it could not be), its body and readability (None for unrendered drafts)."""

    page: Page | None
    body: Body | None
    stats: TextStats | None
    problems: list[Problem]


class Worker:
    """Parses, renders and measures articles with one reusable Markdown converter."""

    def __init__(self, refs: Refs, drafts: bool) -> None:
        self.renderer = Renderer(refs)
        self.drafts = drafts

    def __call__(self, job: Job) -> Done:
        """Parse one file; render and measure its body unless it is a draft that will not be published."""
        page, problems = parse_page(job.data, job.stem, job.shown)
        if page is None or errors_only(problems) or (page.meta.draft and not self.drafts):
            return Done(page, None, None, problems)
        body = self.renderer.render(page.source, page.body, page.body_line, page.meta.draft)
        return Done(page, body, editorial.measure(body.prose, body.sections), problems)


def default_jobs() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run(jobs: list[Job], refs: Refs, drafts: bool, workers: int, progress: Progress | None) -> list[Done]:
    """Parse and render every job, in order, on up to `workers` processes."""
    workers = min(workers, len(jobs) // MIN_PER_WORKER)
    results = _pooled(jobs, refs, drafts, workers) if workers > 1 else map(Worker(refs, drafts), jobs)
    done = []
    for result in results:
        done.append(result)
        if progress:
            progress(len(done), len(jobs))
    return done


_worker: Worker | None = None  # each pool process's own converter, set once by its initializer


def _start(refs: Refs | None = None, drafts: bool = False) -> None:
    """Pool initializer: build this process's converter once (if it renders); Ctrl-C is the parent's to handle."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Worker(refs, drafts) if refs is not None else None


def _work(job: Job) -> Done:
    """Pool task: one job on this process's converter."""
    assert _worker is not None
    return _worker(job)


def _pooled(jobs: list[Job], refs: Refs, drafts: bool, workers: int) -> Iterator[Done]:
    """Results from a process pool, in job order."""
    chunk = max(1, len(jobs) // (workers * 8))
    with _pool(workers, (refs, drafts)) as pool:
        yield from pool.map(_work, jobs, chunksize=chunk)


def make_all(make: Callable[[T], bytes], tasks: list[T], weight: int, workers: int) -> Iterator[bytes]:
    """`make` over every task (an image to encode, a card to draw), in order, on up to `workers` processes.

    `weight` is the work in units of one article's rendering: a pool only pays when there is enough of it.
    """
    workers = min(workers, len(tasks), weight // MIN_PER_WORKER)
    if workers < 2:
        yield from map(make, tasks)
        return
    with _pool(workers, ()) as pool:
        yield from pool.map(make, tasks)


def _pool(workers: int, initargs: tuple) -> ProcessPoolExecutor:
    """A process pool, forked when safe, spawned when threads are running."""
    method = "fork" if threading.active_count() == 1 else "spawn"
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=initargs)
