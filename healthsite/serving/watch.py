"""Rebuilding for the dev server: the latest build's outcome, and a thread that rebuilds when sources change."""

from __future__ import annotations

import os
import threading
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping, TextIO

import watchfiles

from healthsite.reading import themefiles
from healthsite.reading.config import SiteConfig
from healthsite.reading.sourcefiles import CHANGED
from healthsite.pipeline import Options, locate
from healthsite.problems import BuildError, Problem, error
from healthsite.serving.session import Built, Session, Snapshot

SOURCES = ("content", "templates", "static")
STEP_MS = 5  # a burst of changes ends after this long without one: an editor's write-and-rename is one burst
RACES = 3  # builds in a row that a file may change under before its error is shown
READY_MS = 200  # the watcher yields (empty) this often, which is how start() knows it is listening


@dataclass(frozen=True)
class Outcome:
    """What the server shows: the last good site's folder and base path, and the latest build's problems."""

    session: str = ""
    generation: int = 0
    out: Path | None = None
    base_path: str = "/"
    problems: tuple[Problem, ...] = ()
    site: Snapshot | None = None  # the last good site in memory (else it is served from `out`)

    @property
    def ok(self) -> bool:
        """Whether the latest build succeeded."""
        return not self.problems

    @property
    def build_id(self) -> str:
        """Names this build across server restarts, so a page can tell it was served by an older one."""
        return f"{self.session}-{self.generation}"

    def status(self) -> dict[str, object]:
        """The outcome as JSON-ready data for the browser."""
        return {"build": self.build_id, "generation": self.generation, "ok": self.ok,
                "problems": [str(p) for p in self.problems]}


class Builds:
    """The latest outcome, shared by the rebuilding thread and the request handlers."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._outcome = Outcome(os.urandom(4).hex())
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether the server is stopping."""
        return self._closed

    def current(self) -> Outcome:
        """The latest outcome."""
        with self._changed:
            return self._outcome

    def publish(self, problems: tuple[Problem, ...], out: Path | None = None, base_path: str | None = None,
                site: Snapshot | None = None) -> Outcome:
        """Record a build (keeping the last good site unless given a new one: a folder, and the site in memory if
        it is held there) and wake every waiter."""
        with self._changed:
            old = self._outcome
            served = (out, site) if out is not None else (old.out, old.site)
            self._outcome = Outcome(old.session, old.generation + 1, served[0], base_path or old.base_path,
                                    problems, served[1])
            self._changed.notify_all()
            return self._outcome

    def with_index(self, key: str, index: Mapping[str, bytes]) -> None:
        """Serve a new search index, if it was made from the pages served now (no reload: they are the same)."""
        with self._changed:
            site = self._outcome.site
            indexed = site.with_index(key, index) if site is not None else None
            if indexed is not None:
                self._outcome = replace(self._outcome, site=indexed)

    def wait_after(self, generation: int, timeout: float) -> Outcome | None:
        """The first outcome newer than `generation` (the same one on timeout); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._outcome.generation != generation, timeout)
            return None if self._closed else self._outcome

    def close(self) -> None:
        """Release every waiter for good (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class Builder:
    """Runs builds, publishes their outcomes and reports them on the terminal."""

    def __init__(self, options: Options, builds: Builds, stdout: TextIO, stderr: TextIO, quiet: bool = False) -> None:
        self.options, self.builds = replace(options, progress=None), builds
        self.stdout, self.stderr, self.quiet = stdout, stderr, quiet
        self._one_at_a_time = threading.Lock()
        self.config = options.config.resolve()
        self.watched = frozenset({self.config})
        self.session = Session(lambda text: print(text, file=self.stderr, flush=True), builds.with_index)

    def files(self) -> frozenset[Path]:
        """The single files a rebuild depends on: the configuration and the bibliography it names."""
        return self.watched

    def run(self, verb: str = "rebuilt", changed: frozenset[Path] | None = None) -> Outcome | None:
        """Build once (never two at a time), given the files changed if known; None if the server stopped."""
        with self._one_at_a_time:
            return None if self.builds.closed else self._run(verb, changed)

    def rebuild(self, changed: frozenset[Path]) -> Outcome | None:
        """Build again after these files changed."""
        return self.run("rebuilt", changed)

    def _run(self, verb: str, changed: frozenset[Path] | None) -> Outcome | None:
        """Build; on failure keep the last good site (or an earlier run's output) and show the problems."""
        out, base_path = None, None
        try:
            located = root, config, out = locate(self.options)
            base_path = config.base_path
            self.watched = frozenset({self.config, (root / config.bibliography).resolve()})
            built = self._build(located, changed)
        except BuildError as exc:
            return self._failed(tuple(exc.problems), out, base_path)
        except Exception as exc:  # a bug in the engine must not stop the server; show it like a build error
            if self.builds.closed:  # e.g. Ctrl-C reached the worker processes too
                return None
            traceback.print_exc(file=self.stderr)
            return self._failed((error("healthsite", 1, f"internal error: {exc!r}"),), out, base_path)
        finally:
            self.options = replace(self.options, clean=False)
        outcome = self.builds.publish((), built.out, base_path, built.site)  # pages reload before anything else
        for problem in built.warnings + (built.later() if built.later else []):
            print(problem, file=self.stderr)
        if not self.quiet:
            print(f"{verb} {built.files} files ({built.written} written) in {built.seconds:.1f} s",
                  file=self.stdout, flush=True)
        self.session.settle()
        return outcome

    def _build(self, located: tuple[Path, SiteConfig, Path], changed: frozenset[Path] | None) -> Built:
        """One build; when a file was saved again while it was being built, build again at once (up to RACES
        times) rather than show the writer an error that the next save's build would take back."""
        attempt = 1
        while True:
            try:
                return self.session.build(self.options, located, changed)
            except BuildError as exc:
                raced = frozenset(located[0] / p.path for p in exc.problems if p.message == CHANGED)
                if not raced or attempt == RACES:
                    raise
            attempt, changed = attempt + 1, None if changed is None else changed | raced

    def close(self) -> None:
        """Write the last good build to disk if it is not yet (the output folder and the cache)."""
        with self._one_at_a_time:
            self.session.close()

    def _failed(self, problems: tuple[Problem, ...], out: Path | None, base_path: str | None) -> Outcome:
        """Publish a failed build; before any good build, an earlier run's output still counts as the last good."""
        first = self.builds.current().out is None
        kept = out if first and out is not None and out.is_dir() else None
        serving = "still serving the last good site" if kept or not first else "no site to serve until it builds"
        for problem in problems:
            print(problem, file=self.stderr)
        count = sum(p.level == "error" for p in problems)
        print(f"build failed: {count} error{'s' * (count != 1)}; {serving}", file=self.stderr, flush=True)
        return self.builds.publish(problems, kept, base_path if kept else None)


class SourceFilter(watchfiles.DefaultFilter):
    """Changes worth a rebuild: content/, templates/, static/, the configuration and the bibliography (and the
    packaged theme, when it lies in the watched folder: a clone of healthsite serving its own site)."""

    def __init__(self, root: Path, files: Callable[[], frozenset[Path]]) -> None:
        super().__init__()
        self.root, self.files = root.resolve(), files
        self.theme = themefiles.THEME.resolve()

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        """Whether a changed path is a source of the site (editor swap and backup files are not)."""
        where = Path(path)
        parts = where.relative_to(self.root).parts if where.is_relative_to(self.root) else ()
        wanted = bool(parts) and parts[0] in SOURCES or where in self.files() or where.is_relative_to(self.theme)
        return wanted and super().__call__(change, path)


class Watcher:
    """A thread that calls `on_change` with the changed paths after each burst of source changes, until stopped."""

    def __init__(self, root: Path, files: Callable[[], frozenset[Path]],
                 on_change: Callable[[frozenset[Path]], object], on_error: Callable[[Exception], object],
                 step_ms: int = STEP_MS) -> None:
        self.root = root.resolve()
        self.filter = SourceFilter(self.root, files)
        self.on_change, self.on_error, self.step_ms = on_change, on_error, step_ms
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="healthsite-watch", daemon=True)

    def start(self) -> None:
        """Start watching; returns once the watcher is listening (or has failed and said so)."""
        self._thread.start()
        self._ready.wait(5)

    def stop(self) -> None:
        """Stop watching and wait for a running rebuild to finish (so it leaves no temporary folder)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        """Watch until stopped; a watcher that fails (say, out of inotify watches) reports why and ends."""
        try:
            self._watch()
        except Exception as exc:
            self.on_error(exc)
        finally:
            self._ready.set()

    def _watch(self) -> None:
        """Watch the site folder, calling `on_change` once per burst of changes."""
        changes = watchfiles.watch(self.root, watch_filter=self.filter, step=self.step_ms, stop_event=self._stop,
                                   rust_timeout=READY_MS, yield_on_timeout=True, raise_interrupt=False)
        for batch in changes:
            self._ready.set()
            if self._stop.is_set():
                return
            if batch:
                self.on_change(frozenset(Path(path) for _, path in batch))
