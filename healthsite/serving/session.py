"""A warm build session for the dev server: the last good build kept in memory, so a save redoes only what changed.

Each build starts from the previous one held in this process: its pages, bodies and readability (never reloaded
from the disk cache), its Jinja environments (while the theme and configuration are the same) and every output
whose key is unchanged (reused by reference). The result is a `Snapshot` of the whole site in memory, which the
server serves and swaps by reference. The editorial review (unless --strict makes its warnings errors), the output
folder and the disk cache come after the new site is announced: `Session.settle`, then a `Saver` in the background.
Only the article files reported changed are read again, and article page keys are kept (`pagekeys`). With search,
the saver has Pagefind index the folder it writes and hands the new index to the server (`on_index`).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Generic, Iterator, Mapping, TypeVar

from healthsite.checks import check
from healthsite.model.pagekeys import PageKeys
from healthsite.model.site import Site
from healthsite.pipeline import State, advance, cache_entries, editorial_errors, locate
from healthsite.problems import BuildError, Problem, error, shown_path
from healthsite.reading.config import SiteConfig
from healthsite.reading.content import SourceFile, source_file
from healthsite.reading.inputs import input_parts, read_editions
from healthsite.reading.options import Options
from healthsite.rendering import media
from healthsite.rendering.outputs import Outputs, media_key
from healthsite.writing import bodystore, cache, mediafiles, search
from healthsite.writing.cache import sign, signed
from healthsite.writing.writer import write_site

IDLE_SECONDS = 2.0  # the output folder is written once saves have paused this long (or when the server stops)
T = TypeVar("T")


class MediaFile:
    """A media file of the cache folder, read when asked for; made (and signed) first if it is missing or untrusted."""

    def __init__(self, file: Path, task: media.Task | None = None) -> None:
        self.file, self.task = file, task
        self._lock = threading.Lock()

    def data(self) -> bytes:
        """The file's bytes."""
        with self._lock:
            if self.task is not None and not signed(self.file):
                sign(self.file, media.make(self.task))
            return self.file.read_bytes()


File = bytes | MediaFile


@dataclass(frozen=True)
class Snapshot:
    """A good build's files in memory by output path (`topics/index.html`), and every folder that holds one."""

    files: Mapping[str, File]
    folders: frozenset[str] = frozenset()
    search: str = ""  # with a search index: the key of what it must index (search.index_key)
    indexed: str = ""  # the key of what the index it holds was made from (behind `search` until Pagefind is done)

    @classmethod
    def of(cls, files: Mapping[str, File], search: str = "", indexed: str = "") -> Snapshot:
        """A snapshot of some files, with their folders."""
        folders: set[str] = set()
        for path in files:
            at = path.rfind("/")
            while at > 0 and path[:at] not in folders:
                folders.add(path[:at])
                at = path.rfind("/", 0, at)
        return cls(files, frozenset(folders), search, indexed)

    def with_index(self, key: str, index: Mapping[str, bytes]) -> Snapshot | None:
        """This site with the search index made for `key` in place of the one it holds; None if it is not for it."""
        if not self.search or self.search != key or self.indexed == key:
            return None
        return Snapshot.of({p: v for p, v in self.files.items() if not search.is_index(p)} | dict(index), key, key)

    def data(self, path: str) -> bytes:
        """The bytes of one file."""
        value = self.files[path]
        return value if isinstance(value, bytes) else value.data()


@dataclass(frozen=True)
class Saved:
    """What a good build leaves to write to disk: its files with their keys, and the cache's entries."""

    root: Path
    out: Path
    files: Mapping[str, File]
    keys: Mapping[str, str]
    bodies: dict[str, bodystore.Entry]
    inputs: list[str | bytes]
    pages: int
    warnings: list[Problem] = field(default_factory=list)
    search: str = ""  # with a search index: the key of what it indexes (search.index_key)
    config_name: str = "site.yaml"
    sources: dict[str, cache.SourceRecord] = field(default_factory=dict)  # each article file's stat and digest


@dataclass
class Built:
    """A finished build: the site to serve (None when it is served from its folder), and what to tell the terminal."""

    out: Path
    site: Snapshot | None
    pages: int
    files: int
    written: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    later: Callable[[], list[Problem]] | None = None  # the editorial review, when it waits until after publishing


@dataclass
class WarmState(State):
    """The dev server's state between saves: besides the last good build's pages and bodies (never reloaded from the
    disk cache), its files and their keys, its Jinja environments and page keys, and what the output folder holds."""

    files: dict[str, File] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    disk: cache.Cache = field(default_factory=cache.Cache)  # the cache on disk: what the output folder holds

    def unchanged(self, out: Path) -> Callable[[str, str], bool]:
        """Whether an output's key is the one it had in the last build (or, at first, in the folder on disk)."""
        def unchanged(path: str, key: str) -> bool:
            return self.keys.get(path) == key and path in self.files or \
                not self.files and self.disk.kept(out, path, key)
        return unchanged

    def media(self, site: Site, root: Path, jobs: int) -> dict[str, MediaFile]:
        """Every media file: the first build makes what is missing (in parallel); later ones make new files on
        first request, reusing the previous build's entries."""
        if not self.files:
            return {path: MediaFile(source) for path, source in mediafiles.produce(site, root, jobs).items()}
        folder = root / cache.FOLDER / media.MEDIA
        made = {}
        for path, task in media.plan(site, root).items():
            file = task if isinstance(task, Path) else folder / task.key
            old = self.files.get(path)
            made[path] = old if isinstance(old, MediaFile) and old.file == file else \
                MediaFile(file, None if isinstance(task, Path) else task)
        return made

    def streamed(self, media: Mapping[str, object]) -> dict[str, object]:
        """None: the session serves its media files from memory, each made when first asked for."""
        return {}

    def keeper(self, root: Path) -> None:
        """Bodies stay in memory."""
        return None

    def media_key(self, root: Path, path: str, file: MediaFile, folder: str) -> str:
        """A media file's key: the last build's while it is the same file made in `folder`, else computed."""
        if self.files.get(path) is file and path in self.keys and str(file.file).startswith(folder):
            return self.keys[path]
        return media_key(root, path, file.file)


class Session:
    """Builds the site again and again in one process, each build (`pipeline.advance`) starting from the state the
    last good one left in memory."""

    def __init__(self, on_error: Callable[[str], object] = print,
                 on_index: Callable[[str, Mapping[str, bytes]], object] = lambda key, index: None) -> None:
        self.options = Options(Path("site.yaml"))
        self.on_error, self.on_index = on_error, on_index  # on_index: a new search index is ready, for this key
        self.saver: Saver[Saved] = Saver(self._save, on_error)
        self._index: tuple[str, Mapping[str, bytes]] = ("", {})  # the latest search index, and its key
        self._writing = threading.Lock()  # the saver and a build that writes its own folder take turns
        self.state: WarmState | None = None  # the last good build (its pages and bodies read from disk once)
        self._dirty: set[Path] | None = None  # files changed since they were last read (None: read them all)

    def build(self, options: Options, located: tuple[Path, SiteConfig, Path] | None = None,
              changed: frozenset[Path] | None = None) -> Built:
        """Build from the last good build; raise BuildError with every problem (the last good build stays).

        `located` is what `locate(options)` gave, if the caller has it already; `changed` the files changed since
        the last build, if known (the article files not among them are not read again).
        """
        started, since = time.perf_counter(), time.time_ns()
        self._dirty = None if changed is None or self._dirty is None else self._dirty | changed
        self.options = options
        root, config, out = located = located or locate(options)
        state = self._state(root)
        step = advance(self.options, state, located, self._read(root, config, state, since))
        review = lambda: step.review(dt.date.today())  # noqa: E731
        warnings = review() if self.options.strict else []
        check(editorial_errors(warnings))
        files, written = self._collect(step.outputs, step.media, out, state)
        state.page_keys.keep_only([step.site, *step.site.editions])
        folder = f"{root / cache.FOLDER / media.MEDIA}{os.sep}"  # made media are named by what they are made from
        keys = step.outputs.keys | {path: state.media_key(root, path, file, folder)
                                    for path, file in step.media.items()}
        state.files, state.keys = files, keys
        state.cache = cache.Cache(state.cache.engine, bodies=cache_entries(step.editions))
        searched = search.index_key(step.site, step.outputs.keys) if config.search else ""
        saved = Saved(root, out, files, keys, state.cache.bodies,
                      input_parts(root, config, self.options, out, [f for a in step.articles.values() for f in a]),
                      len(step.site.pages), search=searched, config_name=shown_path(self.options.config, root),
                      sources=cache.source_records(step.articles))
        indexed, index = self._index if config.search else ("", {})
        built = Built(out, Snapshot.of(files | dict(index), searched, indexed), len(step.site.pages), len(files),
                      written, time.perf_counter() - started, warnings)
        if self.options.strict:
            self.saver.submit(replace(saved, warnings=warnings))
        else:
            built.later = lambda: self._review_later(saved, review)
        return built

    def _read(self, root: Path, config: SiteConfig, state: WarmState, since: int) -> dict[str, list[SourceFile]]:
        """Every edition's article files: those changed since the last read read again, the others kept; all of
        them when the changes are not known or a file was added or removed (those whose stat the cache recorded
        keep its digest unread). `since`: when this build began (see `content.read_articles`)."""
        dirty, kept = self._dirty, state.articles
        articles = None if dirty is None or set(kept) != {"", *config.languages} else \
            _reread(kept, dirty, since)
        if articles is None:
            articles = read_editions(root, config, state.cache.known(), since)
        self._dirty = set()
        return articles

    def _review_later(self, saved: Saved, review: Callable[[], list[Problem]]) -> list[Problem]:
        """After publishing: the editorial review's warnings; the build goes to the saver with them."""
        warnings = review()
        self.saver.submit(replace(saved, warnings=warnings))
        return warnings

    def close(self) -> None:
        """Write the latest good build to disk if it is not yet, and stop the saver."""
        self.saver.close()

    def _state(self, root: Path) -> WarmState:
        """The last good build's state: in memory, or (the first time) from the disk cache."""
        if self.state is not None:
            return self.state
        engine = cache.engine_digest()
        loaded = cache.Cache(engine) if self.options.clean else cache.load(root, engine)[0]
        if loaded.inputs:
            bodystore.load_bodies(root, loaded)
        self._index = loaded.search, _index_of(loaded, Path(loaded.out)) if loaded.search and loaded.out else {}
        self.state = WarmState(loaded, environments={}, page_keys=PageKeys(), disk=loaded)
        return self.state

    @staticmethod
    def _collect(outputs: Outputs, made: Mapping[str, MediaFile], out: Path, state: WarmState
                 ) -> tuple[dict[str, File], int]:
        """Every file of the site by path, unchanged ones taken from the last build; and how many were made anew."""
        files: dict[str, File] = {}
        twice, written = [], 0
        for path, data in outputs:
            if path in files:
                twice.append(path)
            elif data is None:
                files[path] = state.files[path] if path in state.files else (out / path).read_bytes()
            else:
                files[path], written = data, written + 1
        twice += [path for path in made if path in files]
        if twice:
            raise BuildError([error("site.yaml", 1, f"two outputs would be written to '{name}'") for name in twice])
        return files | dict(made), written

    def _save(self, saved: Saved, superseded: Callable[[], bool]) -> None:
        """Write a build's output folder (unchanged files linked from the last one) and the cache; with search,
        Pagefind indexes the written folder unless the latest index is this build's, and the server gets it."""
        indexed, index = self._index
        disk = self.state.disk if self.state is not None else cache.Cache(cache.engine_digest())
        fresh = not saved.search or indexed == saved.search
        files = {**saved.files, **index} if saved.search and fresh else saved.files

        def stream() -> Iterator[tuple[str, bytes | None]]:
            for path, value in files.items():
                if superseded():
                    raise Superseded
                key = saved.keys.get(path, "")
                yield path, None if key and disk.kept(saved.out, path, key) else \
                    value if isinstance(value, bytes) else value.data()

        problems: list[Problem] = []
        finish = None if fresh else lambda staging: problems.extend(search.index(staging, saved.config_name))
        with self._writing:
            stats = write_site(stream(), saved.out, finish)
            if not fresh and not problems:
                self._index = saved.search, _read_index(saved.out, stats)
            done = not problems  # a folder without its index is not a base for the nothing-changed shortcut
            records = cache.output_records(saved.keys, stats)
            written = cache.Cache(disk.engine, cache.digest(*saved.inputs) if done else "", str(saved.out),
                                  saved.bodies, records, saved.warnings, saved.search if done else "", saved.pages,
                                  sources=saved.sources)
            bodystore.save(saved.root, written, disk)
        if self.state is not None:
            self.state.disk = cache.Cache(written.engine, written.inputs, written.out, disk.bodies, records,
                                          search=written.search, lines=disk.lines)
        for problem in problems:
            self.on_error(str(problem))
        if saved.search and self._index[0] == saved.search:
            self.on_index(*self._index)


def _read_index(out: Path, stats: Mapping[str, object]) -> dict[str, bytes]:
    """The search index files of a written folder."""
    return {path: (out / path).read_bytes() for path in stats if search.is_index(path)}


def _index_of(disk: cache.Cache, out: Path) -> dict[str, bytes]:
    """The search index of the folder the disk cache describes, if every file of it is intact."""
    paths = [path for path in disk.outputs if search.is_index(path)]
    if not paths or not all(disk.kept(out, path, disk.outputs[path].key) for path in paths):
        return {}
    try:
        return {path: (out / path).read_bytes() for path in paths}
    except OSError:
        return {}


def _reread(kept: dict[str, list[SourceFile]], dirty: set[Path], since: int) -> dict[str, list[SourceFile]] | None:
    """The article files with the changed ones read again (a stat recorded unless within `since`'s margin); None if
    an article may have been added or removed (a Markdown file that is not one of them changed, or a folder that
    holds them)."""
    where = {file.path: (code, at) for code, files in kept.items() for at, file in enumerate(files)}
    folders = {file.path.parent for files in kept.values() for file in files}
    articles = {code: list(files) for code, files in kept.items()}
    for path in dirty:
        if path not in where:
            if path.suffix == ".md" or any(folder.is_relative_to(path) for folder in folders):
                return None
            continue
        code, at = where[path]
        try:
            articles[code][at] = source_file(path, kept[code][at].shown, None, since)
        except OSError:
            return None
    return articles


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
