"""Parallel work: articles parsed and rendered across all cores, in a process pool."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from healthsite.model import readability, spellscan
from healthsite.model.recall import Before
from healthsite.reading.content import Page, parse_page, split_source
from healthsite.reading.sourcefiles import read_again
from healthsite.mdext.markup import Body, Renderer
from healthsite.mdext import Refs
from healthsite.reading.options import Progress
from healthsite.problems import Problem, error, errors_only
from healthsite.model.readability import TextStats

MIN_PER_WORKER = 16
MAX_CHUNK = 32  # articles sent to a worker at once: their rendered bodies come back together, in one message
T = TypeVar("T")
R = TypeVar("R")
Measures = tuple[str, str]  # the readability formula, and the dictionary's language (spellscan.language_of)
DEFAULT: Measures = ("flesch-kincaid", "")


@dataclass(frozen=True)
class Job:
    """One article file to parse and render: read by the worker, which checks its bytes against the digest."""

    shown: str
    path: Path
    digest: str
    before: Before | None = None  # what its last version measured, reused where still the same


@dataclass(frozen=True)
class Done:
    """A parsed page (None if it could not be), its body and readability (None for unrendered drafts)."""

    page: Page | None
    body: Body | None
    stats: TextStats | None
    problems: list[Problem]


class Overtime(BaseException):
    """Raised inside a job that ran out of its time (a BaseException, so no `except Exception` swallows it)."""


class Worker:
    """Parses and renders articles with one reusable Markdown converter, each within a time budget, and measures
    them (readability, unknown words) after it: the dictionaries they load are not charged to the budget."""

    def __init__(self, refs: Refs, drafts: bool, budget: float = 0, measures: Measures = DEFAULT) -> None:
        self.refs, self.drafts, self.budget, (self.formula, self.language) = refs, drafts, budget, measures
        self.renderer = Renderer(refs)

    def __call__(self, job: Job) -> Done:
        """One job's result; one that runs out of time is an error at its path (and gets a fresh converter)."""
        done = within(self.budget, self.work, job) if self.budget else self.work(job)
        if done is not None:
            return self.measured(done, job.before)
        self.renderer = Renderer(self.refs)  # the stopped one may be mid-page, or still running in its thread
        return Done(None, None, None, [error(job.shown, 1, f"took longer than {self.budget:g} s to read and "
                                             "render (limits.render_seconds in site.yaml): look for a very long "
                                             "line or deeply nested lists, quotes, links or emphasis")])

    def work(self, job: Job) -> Done:
        """Parse one file; render and measure its body unless it is a draft that will not be published."""
        data = read_again(job.path, job.shown, job.digest)
        if isinstance(data, Problem):
            return Done(None, None, None, [data])
        page, problems = parse_page(data, job.path.stem, job.shown)
        if page is None or errors_only(problems):  # the body is checked too: every problem of the file at once
            return Done(page, None, None, problems + self.body_problems(data, job.shown, page))
        if page.meta.draft and not self.drafts:
            return Done(page, None, None, problems)
        return Done(page, self.renderer.render(page.source, page.body, page.body_line, page.meta.draft), None,
                    problems)

    def measured(self, done: Done, before: Before | None) -> Done:
        """A rendered article with its readability and unknown words (what `before` measured, where still the
        same)."""
        page, body = done.page, done.body
        if page is None or body is None:
            return done
        stats = (before.stats_for(body, self.formula) if before else None) or \
            readability.measure(body.prose, body.sections, self.formula)
        spelling = spellscan.scan(page, body, self.language, before.words if before else None)
        return replace(done, stats=replace(stats, spelling=spelling))

    def body_problems(self, data: bytes, shown: str, page: Page | None) -> list[Problem]:
        """The problems of the body of a file whose front matter has errors (its broken values left out)."""
        parts = (page.body, page.body_line) if page else split_source(data, shown, "")[0]
        if parts is None:
            return []
        body, line = parts[-2:]
        return list(self.renderer.render(shown, body, line).problems)


def within(seconds: float, work: Callable[[Job], Done], job: Job) -> Done | None:
    """Run one job within `seconds`; None if it ran out of time.

    In a main thread (the command line, every pool process) a timer signal interrupts the job, even inside a
    regular expression; elsewhere (the dev server's rebuild thread) the job runs in a thread of its own that is
    abandoned and told to stop when its time is up.
    """
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _alarmed(seconds, work, job)
    return _threaded(seconds, work, job)


def _alarmed(seconds: float, work: Callable[[Job], Done], job: Job) -> Done | None:
    """Run a job under a real-time timer whose signal raises Overtime in it."""
    def stop(signum: int, frame: object) -> None:
        raise Overtime

    previous = signal.signal(signal.SIGALRM, stop)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return work(job)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except Overtime:
        return None
    finally:
        signal.signal(signal.SIGALRM, previous)


def _threaded(seconds: float, work: Callable[[Job], Done], job: Job) -> Done | None:
    """Run a job in a thread of its own; past its time, leave it (raising Overtime in it at its next step)."""
    outcome: list[Done | BaseException] = []

    def run() -> None:
        try:
            outcome.append(work(job))
        except BaseException as exc:  # handed to the caller (Overtime ends the thread quietly)
            outcome.append(exc)

    thread = threading.Thread(target=run, name="healthsite-render", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive() or not outcome:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident or 0), ctypes.py_object(Overtime))
        return None
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def warm(measures: Measures) -> None:
    """Load what measuring an article may need (the formula's syllable dictionary, the language's word list), once
    per process: the dev server does it after its first build, so no save pays for it."""
    readability.measure(("Warm up. A short text.",), (), measures[0])
    spellscan.checker(measures[1])


def default_jobs() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run(jobs: list[Job], refs: Refs, drafts: bool, workers: int, progress: Progress | None,
        budget: float = 0, measures: Measures = DEFAULT) -> Iterator[Done]:
    """Parse and render every job, in order, on up to `workers` processes, each job within `budget` seconds, its
    readability measured by the formula and its unknown words looked up in the dictionary `measures` names
    (spellscan.language_of); each result is handed on as it comes (the caller keeps what it needs of it)."""
    workers = min(workers, len(jobs) // MIN_PER_WORKER)
    results = _pooled(jobs, refs, drafts, budget, workers, measures) if workers > 1 else \
        map(Worker(refs, drafts, budget, measures), jobs)
    for count, result in enumerate(results, start=1):
        yield result
        if progress:
            progress(count, len(jobs))


_worker: Worker | None = None  # each pool process's own converter, set once by its initializer


def _start(refs: Refs | None = None, drafts: bool = False, budget: float = 0, measures: Measures = DEFAULT) -> None:
    """Pool initializer: build this process's converter once (if it renders); Ctrl-C is the parent's to handle."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Worker(refs, drafts, budget, measures) if refs is not None else None


def _work(job: Job) -> Done:
    """Pool task: one job on this process's converter."""
    assert _worker is not None
    return _worker(job)


def _pooled(jobs: list[Job], refs: Refs, drafts: bool, budget: float, workers: int, measures: Measures
            ) -> Iterator[Done]:
    """Results from a process pool, in job order."""
    chunk = max(1, min(MAX_CHUNK, len(jobs) // (workers * 8)))
    pool = _pool(workers, (refs, drafts, budget, measures))
    try:
        with unshared_collection():  # the processes start (fork) at the first job
            results = pool.map(_work, jobs, chunksize=chunk)
        yield from results
    except BaseException:  # Ctrl-C or a failure: the workers stop now, not after every queued job
        stop(pool)
        raise
    pool.shutdown()


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: queued jobs cancelled, its processes ended."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:  # it closes the pool's pipes as it ends: wait, so nothing is left half-closed
        manager.join(5)


def make_all(make: Callable[[T], R], tasks: list[T], weight: int, workers: int) -> Callable[[], list[R]]:
    """Start `make` over every task (an image to encode, a card to draw) on up to `workers` processes; the function
    returned waits for the results, in order.

    The pool works while the caller goes on (the build renders its pages meanwhile) and ends itself once the tasks
    are done. `weight` is the work in units of one article's rendering: a pool only pays when there is enough of
    it; below that, the tasks are made here, at once.
    """
    workers = min(workers, len(tasks), weight // MIN_PER_WORKER)
    if workers < 2:
        results = [make(task) for task in tasks]
        return lambda: results
    pool = _pool(workers, ())
    with unshared_collection():
        futures = [pool.submit(make, task) for task in tasks]
    pool.shutdown(wait=False)  # the submitted tasks still run; then the processes exit
    return lambda: [future.result() for future in futures]


@contextmanager
def unshared_collection() -> Iterator[None]:
    """While pool processes are forked: every object this process holds is left out of their garbage collections
    (`gc.freeze`), so a collection there never writes to, and so copies, the memory they share with it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _pool(workers: int, initargs: tuple) -> ProcessPoolExecutor:
    """A process pool, forked when safe, spawned when threads are running."""
    method = "fork" if threading.active_count() == 1 else "spawn"
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=initargs)
