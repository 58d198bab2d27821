"""A warm build session for the dev server: the last good build kept in memory, so a save redoes only what changed.

Each build starts from the previous one held in this process: its pages, bodies and readability (never reloaded
from the disk cache), its Jinja environments (while the theme and configuration are the same) and every output
whose key is unchanged (reused by reference). The result is a `Snapshot` of the whole site in memory, which the
server serves and swaps by reference. The editorial review (unless --strict makes its warnings errors), the output
folder and the disk cache come after the new site is announced: `Built.later`, then a `Saver` in the background.
Only the article files reported changed are read again, and article page keys are kept (`pagekeys`). With search,
the saver has Pagefind index the folder it writes and hands the new index to the server (`on_index`).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping

from healthsite.checks import check
from healthsite.model import spellscan, workers
from healthsite.model.pagekeys import PageKeys
from healthsite.model.site import Site
from healthsite.pipeline import State, advance, cache_entries, editorial_errors, locate
from healthsite.problems import BuildError, Problem, error, shown_path
from healthsite.reading.config import SiteConfig
from healthsite.reading.sourcefiles import SourceFile, source_file
from healthsite.reading.inputs import input_parts, read_editions
from healthsite.reading.options import Options
from healthsite.rendering import media
from healthsite.rendering.outputs import Outputs, media_key
from healthsite.rendering.social import Previews
from healthsite.writing import bodystore, cache, mediafiles, search
from healthsite.serving.saver import Saver, Superseded
from healthsite.serving.snapshot import Built, File, MediaFile, Saved, Snapshot
from healthsite.writing.writer import write_site


@dataclass
class WarmState(State):
    """The dev server's state between saves: besides the last good build's pages and bodies (never reloaded from the
    disk cache), its files and their keys, its Jinja environments and page keys, and what the output folder holds."""

    files: dict[str, File] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    disk: cache.Cache = field(default_factory=cache.Cache)  # the cache on disk: what the output folder holds
    previews: Previews = field(default_factory=Previews)  # each article's preview, while its page is the same

    def unchanged(self, out: Path) -> Callable[[str, str], bool]:
        """Whether an output's key is the one it had in the last build (or, at first, in the folder on disk)."""
        def unchanged(path: str, key: str) -> bool:
            return self.keys.get(path) == key and path in self.files or \
                not self.files and self.disk.reusable(out, path, key)
        return unchanged

    def media(self, site: Site, root: Path, jobs: int) -> dict[str, MediaFile]:
        """Every media file: the first build makes what the cache does not hold (in parallel); later ones make new
        files on first request, reusing the previous build's."""
        if not self.files:
            made = mediafiles.produce(site, root, jobs, self.cache.media)
            return {path: MediaFile(made.sources[path], made.folder, file.name) for path, file in made.items()}
        folder, files = root / cache.FOLDER / media.MEDIA, {}
        for path, source in media.plan(site, root, self.previews).items():
            old, new = self.files.get(path), MediaFile(source, folder)
            files[path] = old if isinstance(old, MediaFile) and old.source == new.source else new
        return files

    def streamed(self, media: Mapping[str, object]) -> dict[str, object]:
        """None of them: the session serves its media files from memory, each made when first asked for."""
        return {}

    def keeper(self, root: Path) -> None:
        """Bodies stay in memory."""
        return None


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
        files, keys, written = self._collect(step.outputs, step.media, out, state)
        state.page_keys.keep_only([step.site, *step.site.editions])
        state.files, state.keys = files, keys  # a media file's key comes when it is written (named by its bytes)
        state.cache = cache.Cache(state.cache.engine, bodies=cache_entries(step.editions))
        searched = search.index_key(step.site, keys) if config.search else ""
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
            built.later = lambda: self._review_later(saved, review, config)
        return built

    def _read(self, root: Path, config: SiteConfig, state: WarmState, since: int) -> dict[str, list[SourceFile]]:
        """Every edition's article files: those changed since the last read read again, the others kept; all of
        them when the changes are not known or a file was added or removed (those whose stat the cache recorded
        keep its digest unread). `since`: when this build began (see `sourcefiles.read_articles`)."""
        dirty, kept = self._dirty, state.articles
        articles = None if dirty is None or set(kept) != {"", *config.languages} else \
            _reread(kept, dirty, since)
        if articles is None:
            articles = read_editions(root, config, state.cache.known(), since)
        self._dirty = set()
        return articles

    def _review_later(self, saved: Saved, review: Callable[[], list[Problem]], config: SiteConfig) -> list[Problem]:
        """After publishing: the editorial review's warnings; the build goes to the saver with them (and the
        dictionaries an edit's measuring may need are loaded, if they are not yet)."""
        warnings = review()
        self.saver.submit(replace(saved, warnings=warnings))
        for edition in (config, *(config.edition(code) for code in config.languages)):
            workers.warm((edition.editorial.readability, spellscan.language_of(edition.language)))
        return warnings

    @staticmethod
    def settle() -> None:
        """After a save is published and reviewed: collect the garbage once and freeze what is left (mostly the site
        kept for the next save), so that the next save's collections look only at what it makes. Without this, a
        full collection (45-95 ms at 1,000 articles) ran during most saves; here it runs between them."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def close(self) -> None:
        """Write the latest good build to disk if it is not yet, and stop the saver."""
        self.saver.close()

    def _state(self, root: Path) -> WarmState:
        """The last good build's state: in memory, or (the first time) from the disk cache."""
        if self.state is not None:
            return self.state
        engine = cache.engine_digest()
        loaded = cache.clean(root, engine) if self.options.clean else cache.load(root, engine)[0]
        if loaded.inputs:
            bodystore.load_bodies(root, loaded)
        self._index = loaded.search, _index_of(loaded, Path(loaded.out)) if loaded.search and loaded.out else {}
        self.state = WarmState(loaded, environments={}, page_keys=PageKeys(), disk=loaded)
        return self.state

    @staticmethod
    def _collect(outputs: Outputs, made: Mapping[str, MediaFile], out: Path, state: WarmState
                 ) -> tuple[dict[str, File], dict[str, str], int]:
        """Every file of the site by path (unchanged ones taken from the last build), each output's key, and how
        many were made anew."""
        files: dict[str, File] = {}
        keys: dict[str, str] = {}
        twice, written = [], 0
        for path, key, data in outputs:
            if path in files:
                twice.append(path)
                continue
            if key:
                keys[path] = key
            if data is None:
                files[path] = state.files[path] if path in state.files else (out / path).read_bytes()
            else:
                files[path], written = data, written + 1
        twice += [path for path in made if path in files]
        if twice:
            raise BuildError([error("site.yaml", 1, f"two outputs would be written to '{name}'") for name in twice])
        return files | dict(made), keys, written

    def _save(self, saved: Saved, superseded: Callable[[], bool]) -> None:
        """Write a build's output folder (unchanged files linked from the last one) and the cache; with search,
        Pagefind indexes the written folder unless the latest index is this build's, and the server gets it."""
        indexed, index = self._index
        disk = self.state.disk if self.state is not None else cache.Cache(cache.engine_digest())
        fresh = not saved.search or indexed == saved.search
        files = {**saved.files, **index} if saved.search and fresh else saved.files
        keys = dict(saved.keys)

        def stream() -> Iterator[tuple[str, str, bytes | None]]:
            for path, value in files.items():
                if superseded():
                    raise Superseded
                if isinstance(value, MediaFile):  # named by its bytes' digest: made first if it is not yet
                    keys[path] = media_key(saved.root, path, value.path())
                key = keys.get(path, "")
                yield path, key, None if key and disk.reusable(saved.out, path, key) else \
                    value if isinstance(value, bytes) else value.data()

        problems: list[Problem] = []
        finish = None if fresh else lambda staging, _: problems.extend(search.index(staging, saved.config_name))
        with self._writing:
            records = write_site(stream(), saved.out, finish).records
            if not fresh and not problems:
                self._index = saved.search, _read_index(saved.out, records)
            done = not problems  # a folder without its index is not a base for the nothing-changed shortcut
            made = dict(row for value in saved.files.values() if isinstance(value, MediaFile) and (row := value.row()))
            written = cache.Cache(disk.engine, cache.digest(*saved.inputs) if done else "", str(saved.out),
                                  saved.bodies, records, saved.warnings, saved.search if done else "", saved.pages,
                                  sources=saved.sources, media=made)
            bodystore.save(saved.root, written, disk)
        if self.state is not None:
            self.state.disk = cache.Cache(written.engine, written.inputs, written.out, disk.bodies, records,
                                          search=written.search, lines=disk.lines, media=made)
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
    if not paths or not all(disk.reusable(out, path, disk.outputs[path].key) for path in paths):
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


