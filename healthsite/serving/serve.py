"""The dev server: serves the last good build, rebuilds when sources change and reloads open pages."""

from __future__ import annotations

import argparse
import contextlib
import functools
import ipaddress
import json
import mimetypes
import os
import re
import signal
import socket
import socketserver
import sys
import threading
import time
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePath, PurePosixPath
from typing import Iterator, TextIO
from urllib.parse import unquote

from healthsite.pipeline import Options
from healthsite.rendering.secheaders import SECURITY_HEADERS
from healthsite.serving.session import Snapshot
from healthsite.serving.watch import Builder, Builds, Outcome, Watcher
from healthsite.writing.writer import MARKER

PREFIX = "/__healthsite/"
SCRIPT_URL = PREFIX + "reload.js"
KEEPALIVE_SECONDS = 15.0
POLL_SECONDS = 0.2
GONE = (ConnectionError, TimeoutError)  # a client that went away mid-response
MAX_NAME = 255  # bytes in one file name: longer path segments name nothing
HOST = re.compile(r"(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._~!$&'()*+,;=%-]+))(?::([0-9]{1,5}))?")

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".xml": "application/xml", ".atom": "application/atom+xml",
    ".json": "application/json", ".map": "application/json", ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff", ".woff2": "font/woff2", ".pdf": "application/pdf", ".wasm": "application/wasm",
}
FEEDS = frozenset({"feed.xml"})

# Served only by this server (never written into the site), so pages keep working under a strict
# Content-Security-Policy: an external script, styles set through the CSSOM, text through textContent.
RELOAD_JS = """\
// healthsite dev server: reload after a good build; show the errors of a failed one over the page.
(() => {
  "use strict";
  const served = document.currentScript ? document.currentScript.dataset.build : "";
  let overlay = null;
  let shown = "";  // the problems the overlay shows, so a failed build that fails alike leaves it as it is

  function element(tag, text, style) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.assign(node.style, style || {});
    return node;
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function show(problems) {
    if (overlay && overlay.isConnected && shown === JSON.stringify(problems)) return;
    hide();
    shown = JSON.stringify(problems);
    // Opaque, in the reader's colour scheme: the page underneath never shows through.
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    const look = dark ? {background: "#1c1010", color: "#f4eded", heading: "#ffb3b3", code: "#2a1a1a"}
      : {background: "#fff", color: "#212b32", heading: "#a4000f", code: "#fbeeee"};
    overlay = element("section", "", {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto", padding: "2rem",
      background: look.background, color: look.color, colorScheme: dark ? "dark" : "light",
      borderTop: `8px solid ${look.heading}`, font: "16px/1.5 system-ui, sans-serif",
    });
    overlay.id = "healthsite-build-errors";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-label", "Build errors");
    const list = element("ul", "", {padding: "0", listStyle: "none"});
    for (const problem of problems) {
      const item = element("li", "", {margin: "0.5rem 0"});
      item.append(element("code", problem, {font: "15px/1.4 ui-monospace, monospace", whiteSpace: "pre-wrap",
                                            display: "block", padding: "0.5rem 0.75rem", background: look.code,
                                            color: look.color}));
      list.append(item);
    }
    const close = element("button", "Hide", {font: "inherit", padding: "0.25rem 1rem"});
    close.type = "button";
    close.addEventListener("click", hide);
    overlay.append(
      element("h2", "The site did not build", {margin: "0 0 1rem", color: look.heading}),
      element("p", "This page is the last version that built. Fix these and save: it reloads by itself."),
      list, close);
    document.body.append(overlay);
  }

  function update(status) {
    if (!status.ok) show(status.problems);
    else if (status.build !== served) location.reload();
    else hide();
  }

  // Only visible pages listen, so background tabs do not use up the browser's few connections per server;
  // a page that comes back into view hears the latest status at once (and reloads if it is out of date).
  let source = null;
  function listen() {
    if (document.hidden) {
      if (source) source.close();
      source = null;
    } else if (!source) {
      source = new EventSource("/__healthsite/events");
      source.addEventListener("status", (event) => update(JSON.parse(event.data)));
    }
  }
  document.addEventListener("visibilitychange", listen);
  listen();
})();
"""

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p></body></html>
"""


@dataclass(frozen=True)
class Redirect:
    """A request for a folder without its trailing slash."""

    location: str


def port_number(text: str) -> int:
    """A TCP port for --port: 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got '{text}'")
    return int(text)


def find_file(out: Path, base_path: str, target: str) -> Path | Redirect | None:
    """The file inside `out` a request target names, a redirect to add a folder's slash, or None (404)."""
    try:
        return _find(out, base_path, target)
    except (OSError, ValueError):  # e.g. a name too long for the file system
        return None


def not_found_page(out: Path, base_path: str, target: str) -> Path | None:
    """The 404 page for a missing address: the one of the edition it is under (`/es/404.html`), else the site's."""
    first = _edition(base_path, target)
    edition = find_file(out, base_path, f"{base_path}{first}/404.html") if first else None
    return edition if isinstance(edition, Path) else _inside(out / "404.html", out)


def find_in(site: Snapshot, base_path: str, target: str) -> str | Redirect | None:
    """The path of the file of a site held in memory that a request target names, a redirect, or None (404)."""
    parsed = _request(base_path, target)
    if not isinstance(parsed, tuple):
        return parsed
    raw, parts, query = parsed
    name = "/".join(parts).rstrip("/")
    if name in site.files:
        return name
    if name and name not in site.folders:
        return None
    if not raw.endswith("/"):
        return Redirect(raw + "/" + (f"?{query}" if query else ""))
    index = f"{name}/index.html" if name else "index.html"
    return index if index in site.files else None


def not_found_in(site: Snapshot, base_path: str, target: str) -> str | None:
    """find_in's 404 page: the edition's (`es/404.html`), else the site's."""
    first = _edition(base_path, target)
    edition = find_in(site, base_path, f"{base_path}{first}/404.html") if first else None
    return edition if isinstance(edition, str) else "404.html" if "404.html" in site.files else None


def _edition(base_path: str, target: str) -> str:
    """The first path segment of a request target under the base path (an edition's language folder, maybe)."""
    return target.partition("?")[0].removeprefix(base_path).split("/", 1)[0]


def _find(out: Path, base_path: str, target: str) -> Path | Redirect | None:
    """find_file's work; a name the file system refuses raises OSError."""
    parsed = _request(base_path, target)
    if not isinstance(parsed, tuple):
        return parsed
    raw, parts, query = parsed
    found = _inside(out.joinpath(*parts), out)
    if found is not None and found.is_dir():
        if not raw.endswith("/"):
            return Redirect(raw + "/" + (f"?{query}" if query else ""))
        found = _inside(found / "index.html", out)
    return found if found is not None and found.is_file() else None


def _request(base_path: str, target: str) -> tuple[str, list[str], str] | Redirect | None:
    """A request target as (path as sent, its segments under the base path, query); a redirect, or None if it
    names nothing (outside the base path, escaping it, or malformed)."""
    raw, _, query = target.partition("#")[0].partition("?")
    lowered = raw.lower()
    if not raw.startswith("/") or raw.startswith("//") or any(c in lowered for c in ("%2f", "%5c", "%00")):
        return None
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in path or "\\" in path:
        return None
    if path != base_path and path in ("/", base_path.rstrip("/")):
        return Redirect(base_path)
    if not path.startswith(base_path):
        return None
    parts = path[len(base_path):].split("/")
    if any(part in (".", "..", MARKER) or len(part.encode("utf-8", "surrogateescape")) > MAX_NAME for part in parts) \
            or "" in parts[:-1]:
        return None
    return raw, parts, query


def _inside(path: Path, out: Path) -> Path | None:
    """The path with every link resolved, if it is still inside `out`."""
    real, root = Path(os.path.realpath(path)), Path(os.path.realpath(out))
    return real if real.is_relative_to(root) else None


def content_type(path: PurePath) -> str:
    """The Content-Type a served file is sent with."""
    if path.name in FEEDS:
        return "application/atom+xml"
    return CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _BodyEnd(HTMLParser):
    """Finds where the document's last </body> end tag starts, as (line, column)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.position: tuple[int, int] | None = None

    def handle_endtag(self, tag: str) -> None:
        """Remember each </body>."""
        if tag == "body":
            self.position = self.getpos()


def with_reload(html: bytes, build_id: str) -> bytes:
    """The page with the reload script tag at the end of its body (at the very end if it has no </body>)."""
    at = _body_end(html)
    tag = f'<script src="{SCRIPT_URL}" data-build="{build_id}" defer></script>\n'.encode()
    return html[:at] + tag + html[at:]


@functools.lru_cache(maxsize=64)
def _body_end(html: bytes) -> int:
    """The byte offset of the document's last </body> end tag (the end if it has none); remembered for the pages
    requested again and again (each reload of every open page)."""
    text = html.decode("utf-8", "surrogateescape")
    finder = _BodyEnd()
    finder.feed(text)
    finder.close()
    at = _offset(text, *finder.position) if finder.position else len(text)
    return len(text[:at].encode("utf-8", "surrogateescape"))


def _offset(text: str, line: int, column: int) -> int:
    """The index in `text` of a 1-based line and 0-based column, as HTMLParser counts them."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column


class Handler(BaseHTTPRequestHandler):
    """One request: a file of the last good site, or one of the server's own /__healthsite/ endpoints."""

    server: "_HTTPServer"
    server_version = "healthsite"
    started = False  # whether this request's answer has begun (an error after that can only close the connection)
    default_request_version = "HTTP/1.0"  # so an answer to a malformed request line still has a status line
    timeout = 30

    def do_GET(self) -> None:
        """Answer GET."""
        self._answer_safely(body=True)

    def do_HEAD(self) -> None:
        """Answer HEAD: the same headers, no body."""
        self._answer_safely(body=False)

    def _answer_safely(self, body: bool) -> None:
        """Answer; a request that trips an unexpected error still gets an answer (500), not a dropped connection."""
        self.started = False
        try:
            self._answer(body)
        except GONE:
            raise
        except Exception as exc:  # the server must outlive any request; the reason goes to the client
            self.close_connection = True
            if not self.started:
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                           f"The dev server could not answer this request ({type(exc).__name__}).\n".encode(),
                           body)

    def handle(self) -> None:
        """Handle the connection; a client that disconnects mid-response is not an error."""
        try:
            super().handle()
        except GONE:
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for build messages: requests are not logged."""

    def _answer(self, body: bool) -> None:
        """Route a request."""
        outcome = self.server.builds.current()
        route = self.path.partition("?")[0]
        host = host_name(self.headers.get_all("Host") or [])
        if host is None:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"Malformed Host header.\n", body)
        elif self._foreign_host(host):
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                       b"This dev server only answers requests addressed to this machine.\n", body)
        elif route == SCRIPT_URL:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS.encode(), body)
        elif route == PREFIX + "status":
            self._send(HTTPStatus.OK, "application/json", json.dumps(outcome.status()).encode(), body)
        elif route == PREFIX + "events" and body:
            self._events(outcome)
        elif outcome.out is None:
            self._placeholder(outcome, HTTPStatus.SERVICE_UNAVAILABLE, "No site yet",
                              "The site has not built yet. Fix the errors shown and save.", body)
        else:
            self._file(outcome, body)

    def _foreign_host(self, host: str) -> bool:
        """On a loopback server, a request naming another host (browsers always name one): DNS rebinding."""
        return bool(host) and is_loopback(self.server.server_name) and not is_loopback(host)

    def _file(self, outcome: Outcome, body: bool) -> None:
        """A file of the site, a redirect, or the site's 404 page."""
        if outcome.site is not None:
            status, found, data = self._held(outcome.site, outcome.base_path)
        else:
            assert outcome.out is not None
            status, found, data = self._lookup(outcome.out, outcome.base_path)
        if isinstance(found, Redirect):
            self._redirect(found.location)
        elif found is None or data is None:
            self._placeholder(outcome, HTTPStatus.NOT_FOUND, "Page not found", "There is no page here.", body)
        else:
            kind = content_type(PurePosixPath(found) if isinstance(found, str) else found)
            html = kind.startswith("text/html")
            self._send(status, kind, with_reload(data, outcome.build_id) if html else data, body)

    def _held(self, site: Snapshot, base_path: str) -> tuple[HTTPStatus, str | Redirect | None, bytes | None]:
        """The requested file of a site in memory (else its 404.html, status 404) and its bytes."""
        found = find_in(site, base_path, self.path)
        if isinstance(found, Redirect):
            return HTTPStatus.MOVED_PERMANENTLY, found, None
        status = HTTPStatus.OK if found else HTTPStatus.NOT_FOUND
        found = found or not_found_in(site, base_path, self.path)
        return status, found, site.data(found) if found is not None else None

    def _lookup(self, out: Path, base_path: str) -> tuple[HTTPStatus, Path | Redirect | None, bytes | None]:
        """The requested file (else the site's 404.html, status 404) and its bytes.

        A rebuild swaps the output folder in with two renames; a lookup or read that fails is tried once more
        after the folder is back, so a request made at that moment is not answered with a wrong 404.
        """
        found = find_file(out, base_path, self.path)
        if found is None:
            _back_after_swap(out)
            found = find_file(out, base_path, self.path)
        if isinstance(found, Redirect):
            return HTTPStatus.MOVED_PERMANENTLY, found, None
        status = HTTPStatus.OK if found else HTTPStatus.NOT_FOUND
        found = found or not_found_page(out, base_path, self.path)
        if found is None:
            return status, None, None
        data = _read(found)
        if data is None:
            _back_after_swap(out)
            data = _read(found)
        return status, found, data

    def _placeholder(self, outcome: Outcome, status: HTTPStatus, title: str, text: str, body: bool) -> None:
        """A minimal page of the server's own, with the reload script (so it shows errors and reloads)."""
        page = PLACEHOLDER.format(title=title, text=text).encode()
        self._send(status, "text/html; charset=utf-8", with_reload(page, outcome.build_id), body)

    def end_headers(self) -> None:
        """Every response (errors and redirects included) carries the site's security headers, as `_headers` says."""
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def _redirect(self, location: str) -> None:
        """A permanent redirect (always to a path on this server)."""
        self.started = True
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        """Send a whole response that no browser should cache."""
        self.started = True
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, outcome: Outcome | None) -> None:
        """Server-sent events: the current status, then each new one, until the client or the server leaves."""
        self.started = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        last = -1
        while outcome is not None:
            if outcome.generation != last:
                self.wfile.write(f"event: status\ndata: {json.dumps(outcome.status())}\n\n".encode())
                last = outcome.generation
            else:
                self.wfile.write(b": still here\n\n")
            outcome = self.server.builds.wait_after(last, KEEPALIVE_SECONDS)


def _back_after_swap(out: Path, seconds: float = 1.0) -> None:
    """If the output folder is missing (a rebuild is swapping it in), wait a moment for it."""
    deadline = time.monotonic() + seconds
    while not out.is_dir() and time.monotonic() < deadline:
        time.sleep(0.005)


def _read(path: Path) -> bytes | None:
    """A file's bytes, or None if it went away (a rebuild swapped the folder)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


class _HTTPServer(ThreadingHTTPServer):
    """A threading HTTP server for the dev server's handler, with a deep accept queue."""

    daemon_threads = True
    request_queue_size = 512

    def __init__(self, host: str, port: int, builds: Builds) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.builds = builds
        super().__init__((host, port), Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse name lookup."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that went away; report anything else."""
        if not isinstance(sys.exc_info()[1], GONE):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def host_name(values: list[str]) -> str | None:
    """The host a request's Host header names ('' without one), or None if it is malformed or given twice."""
    if not values or len(values) == 1 and not values[0].strip():
        return ""
    found = HOST.fullmatch(values[0].strip()) if len(values) == 1 else None
    if found is None or found.group(3) and int(found.group(3)) > 65535:
        return None
    if found.group(1) is None:
        return found.group(2).lower()
    try:
        return str(ipaddress.IPv6Address(found.group(1)))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether a host name or address only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
        self.httpd: _HTTPServer | None = None
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
        self.httpd = _HTTPServer(self.host, self.port, self.builds)
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
        with _terminate_as_interrupt():
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
