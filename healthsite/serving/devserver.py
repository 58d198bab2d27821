"""The dev server: builds, serves the last good build, rebuilds when sources change and reloads open pages."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from dataclasses import replace
from typing import Iterator, TextIO

from healthsite.serving.hosts import is_loopback
from healthsite.pipeline import Options
from healthsite.serving.serve import DevHTTPServer
from healthsite.serving.watch import Builder, Builds, Watcher

POLL_SECONDS = 0.2
SWITCH_SECONDS = 0.001  # how long a thread may hold the interpreter while another waits (Python's default: 5 ms)


class DevServer:
    """Build, serve and rebuild on change; start() and stop() in-process, or serve_forever() until Ctrl-C."""

    def __init__(self, options: Options, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False,
                 stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self.stdout, self.stderr = stdout or sys.stdout, stderr or sys.stderr
        self.host, self.port = host, port
        self.builds = Builds()
        options = replace(options, drafts=True)  # a preview: drafts shown with their banner, never in output_dir
        self.builder = Builder(options, self.builds, self.stdout, self.stderr, quiet)
        self.watcher = Watcher(options.config.resolve().parent, self.builder.files, self.builder.rebuild,
                               self._unwatched)
        self.httpd: DevHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        assert self.httpd is not None
        host, port = self.httpd.server_address[:2]
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(str(host), str(host))
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.builds.current().base_path}"

    def start(self) -> str:
        """Bind (OSError if the port is taken), start watching, build once and serve; returns the URL."""
        self.httpd = DevHTTPServer(self.host, self.port, self.builds)
        try:
            self.watcher.start()
            self.builder.run("built")
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.1,), name="healthsite-serve",
                                        daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop watching (letting a running rebuild finish), release open pages and close the socket."""
        self._stopped.set()
        self.builds.close()
        self.watcher.stop()
        self.builder.close()
        if self.httpd is not None:
            if self._thread is not None:
                self.httpd.shutdown()
                self._thread.join()
                self._thread = None
            self.httpd.server_close()

    def _unwatched(self, exc: Exception) -> None:
        """Say that changes are no longer watched (the site is still served)."""
        print(f"warning: not watching for changes any more ({exc}); restart `python build.py serve` to rebuild",
              file=self.stderr, flush=True)

    def serve_forever(self) -> int:
        """Run until Ctrl-C (or SIGTERM, or stop() from another thread); exit status 0, or 1 if it cannot bind."""
        if not is_loopback(self.host):
            print(f"warning: serving on {self.host}: other machines that can reach it can read the site; "
                  "the default --host 127.0.0.1 keeps it to this one", file=self.stderr)
        with _terminate_as_interrupt(), _responsive_threads():
            try:
                try:
                    url = self.start()
                except OSError as exc:
                    print(f"error: cannot serve on {self.host} port {self.port}: {exc.strerror or exc} "
                          "(choose another with --port)", file=self.stderr)
                    return 1
                print(f"serving at {url} (Ctrl-C to stop)", file=self.stdout, flush=True)
                print(f"a preview: drafts are shown, marked 'Draft' (written to {self.builds.current().out}; "
                      "publish only what `python build.py` writes)", file=self.stdout, flush=True)
                while not self._stopped.wait(POLL_SECONDS):  # a timed wait, so the signal is handled promptly
                    pass
            except KeyboardInterrupt:
                print("stopping", file=self.stdout, flush=True)
            finally:
                self._stop_despite_interrupts()
        return 0

    def _stop_despite_interrupts(self) -> None:
        """Stop, even if Ctrl-C is pressed again while a rebuild finishes (so no temporary folder is left)."""
        while True:
            try:
                self.stop()
                return
            except KeyboardInterrupt:
                print("still stopping: letting the running build finish", file=self.stderr, flush=True)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the server like Ctrl-C (only the main thread can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _responsive_threads() -> Iterator[None]:
    """Within the block, a thread busy with Python (a review after a save) lets the one answering the browser run
    within a millisecond rather than five: a reloaded page is served in about 8 ms, not 20, while the review runs."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_SECONDS)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
