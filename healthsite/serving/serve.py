"""The dev server's HTTP side: files of the last good build, with live reload, and the server's own endpoints."""

from __future__ import annotations

import argparse
import json
import socket
import socketserver
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

from healthsite.serving.hosts import host_name, is_foreign
from healthsite.serving.livereload import PREFIX, SCRIPT_URL, script, with_reload
from healthsite.serving.lookup import Redirect, content_type, find_file, find_in, not_found_in, not_found_page
from healthsite.rendering.secheaders import SECURITY_HEADERS
from healthsite.serving.session import Snapshot
from healthsite.serving.watch import Builds, Outcome

KEEPALIVE_SECONDS = 15.0
GONE = (ConnectionError, TimeoutError)  # a client that went away mid-response

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p></body></html>
"""


def port_number(text: str) -> int:
    """A TCP port for --port: 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got '{text}'")
    return int(text)


class Handler(BaseHTTPRequestHandler):
    """One request: a file of the last good site, or one of the server's own /__healthsite/ endpoints."""

    server: "DevHTTPServer"
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
        elif is_foreign(host, self.server.server_name):
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                       b"This dev server only answers requests addressed to this machine.\n", body)
        elif route == SCRIPT_URL:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", script(), body)
        elif route == PREFIX + "status":
            self._send(HTTPStatus.OK, "application/json", json.dumps(outcome.status()).encode(), body)
        elif route == PREFIX + "events" and body:
            self._events(outcome)
        elif outcome.out is None:
            self._placeholder(outcome, HTTPStatus.SERVICE_UNAVAILABLE, "No site yet",
                              "The site has not built yet. Fix the errors shown and save.", body)
        else:
            self._file(outcome, body)

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


class DevHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server for the dev server's handler, with a deep accept queue."""

    daemon_threads = True
    request_queue_size = 512

    def __init__(self, host: str, port: int, builds: Builds) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.builds = builds
        super().__init__((host, port), Handler)

    def server_bind(self) -> None:
        """Bind without http.server.HTTPServer's reverse name lookup."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that went away; report anything else."""
        if not isinstance(sys.exc_info()[1], GONE):
            super().handle_error(request, client_address)  # type: ignore[arg-type]
