"""The dev server: clean URLs, content types, confinement to the output folder, live rebuilds and clean stops."""

from __future__ import annotations

import gc
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

import pytest
from watchfiles import Change

from tests.conftest import REPO, SITE_YAML, article, chromium
from healthsite.pipeline import Options, build
from healthsite.serving.devserver import DevServer
from healthsite.serving.hosts import is_loopback
from healthsite.serving.livereload import with_reload
from healthsite.serving.lookup import content_type, find_file
from healthsite.model import workers
from healthsite.serving.watch import RACES, Builder, Builds, SourceFilter, Watcher

Response = tuple[int, dict[str, str], bytes]
BAD_DATE = "content/alpha.md:4: error: invalid date '2026-02-30' (expected a real date as YYYY-MM-DD)"


def files(alpha: str = "Alpha title") -> dict[str, str]:
    """A small site: two articles."""
    return {"content/alpha.md": article(alpha, "Alpha text.\n"), "content/beta.md": article("Beta title")}


class Running:
    """A dev server started in-process on a free loopback port, with its terminal output captured."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stdout, self.stderr = io.StringIO(), io.StringIO()
        self.server = DevServer(Options(root / "site.yaml", jobs=1), port=0, stdout=self.stdout, stderr=self.stderr)
        self.server.start()
        assert self.server.httpd is not None
        self.port = int(self.server.httpd.server_address[1])

    def get(self, path: str, method: str = "GET") -> Response:
        """One request (redirects not followed)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def raw(self, target: str, host: str = "127.0.0.1") -> Response:
        """A request line sent exactly as given (no client-side normalising or escaping)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(b"GET " + target.encode("latin-1") + b" HTTP/1.0\r\nHost: " + host.encode() + b"\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:])
        return int(lines[0].split()[1]), headers, body

    def status(self) -> dict:
        """The server's build status."""
        return json.loads(self.get("/__healthsite/status")[2])

    def wait_for(self, check: Callable[[], bool], seconds: float = 5.0) -> float:
        """Poll until `check()` holds; the seconds it took (fails the test after `seconds`)."""
        started = time.monotonic()
        while not check():
            assert time.monotonic() - started < seconds, "timed out"
            time.sleep(0.02)
        return time.monotonic() - started


@pytest.fixture
def running(make_site) -> Iterator[Running]:
    """A dev server for the small site."""
    server = Running(make_site(files()))
    yield server
    server.server.stop()


@pytest.fixture
def from_disk(make_site) -> Iterator[Running]:
    """A dev server serving an earlier run's preview folder from disk: its first build fails."""
    root = make_site(files())
    build(Options(root / "site.yaml", drafts=True, jobs=1))
    (root / "content" / "beta.md").write_text(article("Beta title", date="2026-02-30"))
    server = Running(root)
    assert server.server.builds.current().site is None and not server.status()["ok"]
    yield server
    server.server.stop()


def title_of(body: bytes) -> str:
    """The text of a page's <h1>."""
    found = re.search(rb"<h1[^>]*>(.*?)</h1>", body, re.S)
    return found.group(1).decode().strip() if found else ""


def test_clean_urls(running: Running) -> None:
    """`/slug/` serves the page, `/slug` redirects there, a missing page gets the site's 404 page."""
    status, headers, body = running.get("/alpha/")
    assert (status, title_of(body)) == (200, "Alpha title")
    assert running.get("/alpha/index.html")[2] == body
    assert running.get("/")[0] == 200
    status, headers, _ = running.get("/alpha?x=1")
    assert (status, headers["location"]) == (301, "/alpha/?x=1")
    status, headers, body = running.get("/no-such-page/")
    assert status == 404 and b"Page not found" in body and headers["content-type"] == "text/html; charset=utf-8"


def test_no_directory_listing(from_disk: Running) -> None:
    running = from_disk
    """A folder without index.html is a 404, not a listing of its files."""
    (running.root / "_preview" / "folder").mkdir()
    (running.root / "_preview" / "folder" / "file.txt").write_text("hello")
    status, _, body = running.get("/folder/")
    assert status == 404 and b"file.txt" not in body
    assert running.get("/folder/file.txt")[2] == b"hello"


def test_content_types(from_disk: Running) -> None:
    running = from_disk
    """Each kind of file is sent with its type; HEAD sends the same headers and no body."""
    out = running.root / "_preview"
    css = next(out.glob("*.css")).name
    expected = {"/alpha/": "text/html; charset=utf-8", f"/{css}": "text/css; charset=utf-8",
                "/feed.xml": "application/atom+xml", "/sitemap.xml": "application/xml",
                "/robots.txt": "text/plain; charset=utf-8", "/__healthsite/status": "application/json",
                "/__healthsite/reload.js": "text/javascript; charset=utf-8"}
    assert {path: running.get(path)[1]["content-type"] for path in expected} == expected
    assert running.get(f"/{css}")[2] == (out / css).read_bytes()
    status, headers, body = running.get("/alpha/", "HEAD")
    assert (status, body, headers["content-type"]) == (200, b"", "text/html; charset=utf-8")
    assert content_type(Path("x.woff2")) == "font/woff2"
    assert content_type(Path("x.unknown")) == "application/octet-stream"


def test_site_in_memory_is_served_with_types_and_without_listings(running: Running) -> None:
    """The site held in memory: each file with its type and bytes, a folder without index.html a 404."""
    site = running.server.builds.current().site
    assert site is not None
    css = next(path for path in site.files if path.endswith(".css"))
    card = next(path for path in site.files if path.startswith("social/"))
    status, headers, body = running.get(f"/{css}")
    assert (status, headers["content-type"], body) == (200, "text/css; charset=utf-8", site.data(css))
    assert running.get(f"/{card}")[1]["content-type"] == "image/png"
    status, _, body = running.get("/social/")
    assert status == 404 and card.encode() not in body


def test_reload_script_added_only_to_served_html(from_disk: Running) -> None:
    running = from_disk
    """HTML responses end their body with the script tag; the files on disk and other responses are untouched."""
    body = running.get("/alpha/")[2]
    on_disk = (running.root / "_preview" / "alpha" / "index.html").read_bytes()
    assert b"__healthsite" not in on_disk
    build_id = running.status()["build"]
    tag = f'<script src="/__healthsite/reload.js" data-build="{build_id}" defer></script>\n</body>'.encode()
    assert body.count(b"reload.js") == 1 and tag in body
    assert body.replace(tag, b"</body>") == on_disk
    assert running.get("/feed.xml")[2] == (running.root / "_preview" / "feed.xml").read_bytes()


def test_with_reload_finds_the_real_end_of_body() -> None:
    """A `</body>` inside a comment or a script is not the end of the body; without one, the tag goes last."""
    page = b"<html><body><!-- </body> --><script>let s = '</body>';</script><p>\xc3\xa9</p>\n</body>\n</html>\n"
    assert with_reload(page, "b-1") == page.replace(
        b"\n</body>", b'\n<script src="/__healthsite/reload.js" data-build="b-1" defer></script>\n</body>')
    assert with_reload(b"<p>no body end", "b-2").endswith(b'data-build="b-2" defer></script>\n')


TRAVERSALS = [
    "/../site.yaml", "/alpha/../../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E/%2e%2e/site.yaml", "/.%2e/site.yaml",
    "/..%2fsite.yaml", "/alpha%2f..%2f..%2fsite.yaml", "/%2fetc%2fpasswd", "/%2Fetc/passwd", "//etc/passwd",
    "/%5c..%5csite.yaml", "/..\\site.yaml", "/alpha/%00", "/index.html%00.txt", "/index.html\x00",
    "/etc/passwd", "http://127.0.0.1/../site.yaml", "../site.yaml", "/outside/site.yaml", "/secret.yaml",
    "/linked/index.html", "/.healthsite-output", "/%252e%252e/site.yaml", "/./index.html", "/alpha//index.html",
]


def test_every_traversal_attempt_is_404(from_disk: Running) -> None:
    running = from_disk
    """Dot segments (plain or encoded), encoded slashes, absolute paths, NUL bytes and links out: all 404."""
    out = running.root / "_preview"
    (out / "outside").symlink_to(running.root)
    (out / "secret.yaml").symlink_to(running.root / "site.yaml")
    (out / "linked").mkdir()
    (out / "linked" / "index.html").symlink_to(running.root / "site.yaml")
    results = {target: running.raw(target) for target in TRAVERSALS}
    assert {target: status for target, (status, _, _) in results.items()} == {target: 404 for target in TRAVERSALS}
    assert not [target for target, (_, _, body) in results.items() if b"base_url" in body or b"root:" in body]


def test_requests_for_other_hosts_are_refused(running: Running) -> None:
    """A page on another site that rebinds its name to 127.0.0.1 cannot read the dev server."""
    assert running.raw("/alpha/", host="evil.example")[0] == 403
    assert running.raw("/alpha/", host="evil.example:8000")[0] == 403
    for host in ("localhost", "127.0.0.1:80", "[::1]:8000"):
        assert running.raw("/alpha/", host=host)[0] == 200


def test_links_inside_the_output_folder_are_served(from_disk: Running) -> None:
    running = from_disk
    """A link that stays inside the output folder is fine."""
    (running.root / "_preview" / "same.xml").symlink_to(running.root / "_preview" / "feed.xml")
    assert running.get("/same.xml")[0] == 200


def test_find_file_under_a_base_path(tmp_path: Path) -> None:
    """Under a base path, paths outside it are 404 and the base path without its slash redirects."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("a")
    assert find_file(tmp_path, "/docs/", "/docs/a/") == tmp_path / "a" / "index.html"
    assert find_file(tmp_path, "/docs/", "/docs/a").location == "/docs/a/"
    assert find_file(tmp_path, "/docs/", "/docs").location == "/docs/"
    assert find_file(tmp_path, "/docs/", "/a/") is None


def test_edited_title_is_served_within_two_seconds(running: Running) -> None:
    """Saving an article rebuilds the site, and the new title is served soon after."""
    (running.root / "content" / "alpha.md").write_text(article("Edited title", "Alpha text.\n"))
    took = running.wait_for(lambda: title_of(running.get("/alpha/")[2]) == "Edited title", 2.0)
    assert took < 2.0
    line = re.compile(r"^rebuilt \d+ files \(\d+ written\) in \d+\.\d s$", re.M)
    running.wait_for(lambda: bool(line.search(running.stdout.getvalue())))


def test_broken_front_matter_keeps_the_last_good_page(running: Running) -> None:
    """A broken edit: the last good page is still served, the error is in the status and on the terminal."""
    first = running.status()
    (running.root / "content" / "alpha.md").write_text(article("Broken edit", date="2026-02-30"))
    running.wait_for(lambda: not running.status()["ok"])
    status = running.status()
    assert status["problems"] == [BAD_DATE] and status["generation"] > first["generation"]
    assert title_of(running.get("/alpha/")[2]) == "Alpha title"
    assert BAD_DATE in running.stderr.getvalue().splitlines()
    assert "still serving the last good site" in running.stderr.getvalue()
    (running.root / "content" / "alpha.md").write_text(article("Fixed title"))
    running.wait_for(lambda: running.status()["ok"])
    assert title_of(running.get("/alpha/")[2]) == "Fixed title"


def test_events_announce_each_build(running: Running) -> None:
    """The event stream sends the current status at once, then the status of each new build."""
    with socket.create_connection(("127.0.0.1", running.port), timeout=10) as sock:
        sock.sendall(b"GET /__healthsite/events HTTP/1.0\r\n\r\n")
        reader = sock.makefile("rb")
        first = next_event(reader)
        assert first["ok"] and first["build"] == running.status()["build"]
        (running.root / "content" / "alpha.md").write_text(article("Broken", date="2026-02-30"))
        second = next_event(reader)
        assert (second["ok"], second["problems"]) == (False, [BAD_DATE])


def next_event(reader: io.BufferedReader) -> dict:
    """The data of the next `status` event in a server-sent event stream."""
    event = None
    for line in reader:
        if line.startswith(b"event: "):
            event = line[7:].strip()
        elif line.startswith(b"data: ") and event == b"status":
            return json.loads(line[6:])
    raise AssertionError("the stream ended")


def test_first_build_failing(make_site) -> None:
    """With no good build yet, pages are a placeholder that shows the errors; fixing the file serves the site."""
    root = make_site({**files(), "content/alpha.md": article("Broken", date="2026-02-30")})
    server = Running(root)
    try:
        status, _, body = server.get("/alpha/")
        assert status == 503 and b"/__healthsite/reload.js" in body
        assert server.status()["problems"] == [BAD_DATE]
        assert "build failed: 1 error; no site to serve until it builds" in server.stderr.getvalue()
        (root / "content" / "alpha.md").write_text(article("Now good"))
        server.wait_for(lambda: server.get("/alpha/")[0] == 200)
        assert title_of(server.get("/alpha/")[2]) == "Now good"
    finally:
        server.server.stop()


@pytest.mark.parametrize("saves", [1, RACES - 1, RACES])
def test_a_file_saved_during_its_build_is_built_again(make_site, monkeypatch, saves: int) -> None:
    """A file saved again while a build reads it: the server builds again by itself and serves the newest save;
    only a file that keeps changing through every try shows the error that says to build again."""
    root = make_site(files())
    stderr = io.StringIO()
    builder = Builder(Options(root / "site.yaml", jobs=1), Builds(), io.StringIO(), stderr)
    assert builder.run("built").ok
    alpha = root / "content" / "alpha.md"
    alpha.write_text(article("Save 0"))
    read_again, count = workers.read_again, iter(range(1, saves + 1))

    def saved_again(path: Path, shown: str, digest: str) -> object:
        if path == alpha and (n := next(count, None)) is not None:
            alpha.write_text(article(f"Save {n}"))
        return read_again(path, shown, digest)

    monkeypatch.setattr(workers, "read_again", saved_again)
    outcome = builder.rebuild(frozenset({alpha}))
    assert outcome is not None
    if saves < RACES:
        assert outcome.ok and "build failed" not in stderr.getvalue()
        assert outcome.site is not None and title_of(outcome.site.data("alpha/index.html")) == f"Save {saves}"
    else:
        assert [str(p) for p in outcome.problems] == ["content/alpha.md:1: error: the file changed while the site "
                                                      "was being built: build again"]


def test_first_build_failing_serves_the_previous_run(make_site) -> None:
    """A site built by an earlier run is the last good site when the server's first build fails."""
    root = make_site(files())
    build(Options(root / "site.yaml", jobs=1, drafts=True))
    (root / "content" / "alpha.md").write_text(article("Broken", date="2026-02-30"))
    server = Running(root)
    try:
        assert title_of(server.get("/alpha/")[2]) == "Alpha title" and server.status()["problems"] == [BAD_DATE]
        assert "build failed: 1 error; still serving the last good site" in server.stderr.getvalue()
    finally:
        server.server.stop()


def test_two_hundred_concurrent_requests(running: Running) -> None:
    """200 requests at once all succeed, with the right bodies."""
    paths = ["/alpha/", "/beta/", "/", "/feed.xml", "/__healthsite/status"] * 40
    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(running.get, paths))
    assert [status for status, _, _ in results] == [200] * 200
    assert {title_of(body) for path, (_, _, body) in zip(paths, results) if path == "/alpha/"} == {"Alpha title"}


def test_pages_stay_up_while_rebuilding(running: Running) -> None:
    """Requests made while rebuilds swap the output folder in are all answered from a whole site."""
    statuses: list[tuple[str, int, bytes]] = []
    done = threading.Event()

    def hammer() -> None:
        while not done.is_set():
            for path in ("/alpha/", "/feed.xml", "/"):
                status, _, body = running.get(path)
                statuses.append((path, status, body[:200] if status != 200 else b""))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(4):
            generation = running.status()["generation"]
            (running.root / "content" / "beta.md").write_text(article(f"Beta {n}"))
            running.wait_for(lambda: running.status()["generation"] > generation)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert len(statuses) > 20 and [s for s in statuses if s[1] != 200] == []


def test_clients_that_disconnect_mid_response(running: Running) -> None:
    """Clients that reset the connection before reading are not the server's problem."""
    for target in ["/alpha/", "/feed.xml", "/__healthsite/events"] * 10:
        sock = socket.create_connection(("127.0.0.1", running.port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.sendall(f"GET {target} HTTP/1.0\r\n\r\n".encode())
        sock.close()
    assert running.get("/alpha/")[0] == 200
    assert "Traceback" not in running.stderr.getvalue()


def test_normal_build_has_no_reload_script(make_site) -> None:
    """`build` writes no trace of the dev server."""
    root = make_site(files())
    build(Options(root / "site.yaml", jobs=1))
    written = [p for p in (root / "_site").rglob("*") if p.is_file()]
    assert written and not [p for p in written if b"__healthsite" in p.read_bytes()]


def test_what_triggers_a_rebuild(tmp_path: Path) -> None:
    """Sources and the files site.yaml names trigger rebuilds; the output, the cache and editor files do not."""
    wanted = SourceFilter(tmp_path, lambda: frozenset({tmp_path / "site.yaml", tmp_path / "refs.yaml"}))
    paths = ["content/a.md", "templates/base.html", "static/style.css", "site.yaml", "refs.yaml",
             "_site/index.html", "_preview/a/index.html", ".healthsite-cache/manifest.json", "._site.new-x1/a/index.html", "notes.txt",
             "content/.a.md.swp", "content/a.md~", "other.yaml"]
    chosen = [path for path in paths if wanted(Change.modified, str(tmp_path / path))]
    assert chosen == ["content/a.md", "templates/base.html", "static/style.css", "site.yaml", "refs.yaml"]


def test_a_watcher_that_cannot_watch_says_why(tmp_path: Path) -> None:
    """A watcher that fails reports the error rather than dying silently."""
    errors: list[Exception] = []
    watcher = Watcher(tmp_path / "missing", frozenset, lambda changed: None, errors.append)
    watcher.start()
    watcher.stop()
    assert [type(e) for e in errors] == [FileNotFoundError]


def test_loopback_hosts() -> None:
    """Only loopback addresses count as private."""
    assert all(map(is_loopback, ["127.0.0.1", "127.0.0.2", "::1", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.com"]))


def test_port_in_use(make_site) -> None:
    """A taken port is one line of error and exit status 1."""
    root = make_site(files())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        stderr = io.StringIO()
        server = DevServer(Options(root / "site.yaml"), port=taken.getsockname()[1], stdout=io.StringIO(),
                           stderr=stderr)
        assert server.serve_forever() == 1
    assert stderr.getvalue().startswith("error: cannot serve on 127.0.0.1 port ")


def start_cli(root: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`python build.py serve` in a site folder; the process and the address it printed."""
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0", *args], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None
    lines = [proc.stdout.readline(), proc.stdout.readline()]
    found = re.search(r"serving at (http://\S+) \(Ctrl-C to stop\)", lines[1])
    assert found, lines
    return proc, found.group(1)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_stops_cleanly(make_site, sig: signal.Signals) -> None:
    """Ctrl-C (or SIGTERM) right after an edit: exit status 0, no traceback, no temporary folders left."""
    root = make_site(files())
    proc, url = start_cli(root)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
    port = int(url.rsplit(":", 1)[1].strip("/"))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/alpha/")
    assert conn.getresponse().status == 200
    (root / "content" / "alpha.md").write_text(article("Edited just before stopping"))
    time.sleep(0.1)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and "stopping" in out.splitlines()
    assert "Traceback" not in err and "error" not in err
    assert sorted(p.name for p in root.iterdir()) == [".healthsite-cache", "_preview", "content", "site.yaml",
                                                     "static", "templates"]


def test_cli_warns_when_not_loopback(make_site) -> None:
    """Binding to every interface needs --host and prints a warning."""
    root = make_site(files())
    proc, url = start_cli(root, "--host", "0.0.0.0")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert err.startswith("warning: serving on 0.0.0.0: other machines that can reach it can read the site")
    assert url.startswith("http://127.0.0.1:")


def test_base_path_site(make_site) -> None:
    """A site under a sub-path is served there; the root redirects to it."""
    root = make_site({**files(), "site.yaml": SITE_YAML.replace("https://test.example/", "https://test.example/docs/")})
    server = Running(root)
    try:
        assert server.server.url.endswith("/docs/")
        assert server.get("/docs")[1]["location"] == server.get("/")[1]["location"] == "/docs/"
        assert title_of(server.get("/docs/alpha/")[2]) == "Alpha title"
        assert server.get("/alpha/")[0] == 404
    finally:
        server.server.stop()


STRICT_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"


@pytest.mark.browser
def test_live_reload_and_overlay_in_a_browser_under_a_strict_csp(running: Running) -> None:
    """In Chromium, with a strict CSP on every page: a save reloads the page, a broken save shows the overlay."""
    # Its own thread: Playwright's sync API refuses a thread where another module's session browser runs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(live_reload_in_chromium, running).result()


def live_reload_in_chromium(running: Running) -> None:
    """Edit, break and fix an article while Chromium shows it; no console error (CSP refusals included)."""
    from playwright import sync_api
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", with_strict_csp)
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"http://127.0.0.1:{running.port}/alpha/", wait_until="load")
            alpha = running.root / "content" / "alpha.md"
            alpha.write_text(article("Edited title"))
            sync_api.expect(page.locator("h1")).to_have_text("Edited title")
            alpha.write_text(article("Broken", date="2026-02-30"))
            for scheme, title in (("light", "Fixed title"), ("dark", "Fixed again")):
                page.emulate_media(color_scheme=scheme)
                alpha.write_text(article("Broken", date="2026-02-30"))
                sync_api.expect(page.locator("#healthsite-build-errors")).to_contain_text(BAD_DATE)
                overlay = page.wait_for_selector("#healthsite-build-errors")
                assert page.inner_text("h1") != "Broken"
                assert overlay_colours(overlay) == scheme
                alpha.write_text(article(title))
                sync_api.expect(page.locator("h1")).to_have_text(title)
                sync_api.expect(page.locator("#healthsite-build-errors")).to_have_count(0)
            assert errors == []
        finally:
            browser.close()


def overlay_colours(overlay) -> str:
    """The overlay's scheme ("light" or "dark"), after checking it is opaque and its text has 7:1 contrast."""
    background, text = overlay.evaluate("""node => [getComputedStyle(node).backgroundColor,
        getComputedStyle(node).color].map(c => c.match(/[\\d.]+/g).map(Number))""")
    assert len(background) == 3 or background[3] == 1, f"the overlay lets the page show through: {background}"

    def luminance(rgb: list[float]) -> float:
        channels = [c / 255 for c in rgb[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(background), luminance(text)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 7
    return "dark" if luminance(background) < luminance(text) else "light"


def with_strict_csp(route) -> None:
    """Playwright route: the server's response with a strict Content-Security-Policy (the event stream as is)."""
    if route.request.url.endswith("/__healthsite/events"):
        route.continue_()
        return
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})


def test_serve_shows_drafts_with_a_banner(make_site) -> None:
    """A draft is served (with its "Draft" banner) from the preview folder; the published folder is not written."""
    root = make_site({**files(), "content/gamma.md": article("Gamma draft", "Not ready.\n", draft="true")})
    server = Running(root)
    try:
        status, _, body = server.get("/gamma/")
        assert status == 200 and b'<p class="draft-banner" role="note"><strong>Draft</strong>' in body
        assert b'name="robots" content="noindex"' in body
        assert b"/gamma/" not in server.get("/sitemap.xml")[2] + server.get("/feed.xml")[2] + server.get("/")[2]
        assert b"draft-banner" not in server.get("/alpha/")[2]
        assert not (root / "_site").exists()
    finally:
        server.server.stop()


SERVED_BIB = "- {key: smith, citation: Smith A. Backs. 2020.}\n"
SERVED_CARD = '---\nlevel: emergency\ntitle: "Call 999 now if you have"\n---\n\n- Numbness around your bottom [@smith].\n'
SERVED_EDITS = [
    ("content/alpha.md", article("Alpha retitled", "Alpha text [@smith].\n\n!!! care signs\n")),
    ("content/beta.md", article("Beta title", "Beta body, edited, links [alpha](alpha.md) [@smith].\n")),
    ("content/care/signs.md", SERVED_CARD.replace("Numbness around your bottom", "New weakness in both legs")),
    ("content/bibliography.yaml", SERVED_BIB.replace("Backs. 2020.", "Backs and runs. 2nd ed. 2021.")),
    ("site.yaml", SITE_YAML.replace("Test Health", "Test Health Renamed")),
]


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by its URL path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("edits", [SERVED_EDITS[i:i + 1] for i in range(len(SERVED_EDITS))] + [SERVED_EDITS])
def test_served_site_equals_a_clean_build(make_site, tmp_path: Path, edits: list[tuple[str, str]]) -> None:
    """After edits to an article, a shared care card, the bibliography or site.yaml, every file served is the
    file a clean build of the same sources writes (pages with the reload script added, nothing else)."""
    root = make_site({"content/bibliography.yaml": SERVED_BIB, "content/care/signs.md": SERVED_CARD,
                      "content/alpha.md": article("Alpha title", "Alpha text [@smith].\n\n!!! care signs\n"),
                      "content/beta.md": article("Beta title", "Beta [alpha](alpha.md) [@smith].\n")})
    running = Running(root)
    try:
        for path, text in edits:
            generation = running.status()["generation"]
            (root / path).write_text(text)
            running.wait_for(lambda: running.status()["generation"] > generation and running.status()["ok"], 30)
        running.wait_for(lambda: indexed(running), 60)
        clean = tmp_path / "clean"
        build(Options(root / "site.yaml", clean, drafts=True, clean=True, jobs=1))
        expected = site_files(clean)
        build_id = running.status()["build"]
        for path, data in expected.items():
            if path == ".healthsite-output":
                continue
            url = "/" + (path.removesuffix("index.html") if path.endswith("index.html") else path)
            status, _, served = running.get(url)
            assert status == 200, url
            assert served == (with_reload(data, build_id) if path.endswith(".html") else data), url
    finally:
        running.server.stop()


def served_equals(running: Running, expected: dict[str, bytes]) -> None:
    """The site held in memory is exactly `expected` (a clean build's files), and each file is served as it is
    (pages with the reload script added)."""
    outcome = running.server.builds.current()
    assert outcome.site is not None
    assert sorted(outcome.site.files) == sorted(path for path in expected if path != ".healthsite-output")
    for path in outcome.site.files:
        url = "/" + (path.removesuffix("index.html") if path.endswith("index.html") else path)
        status, _, served = running.get(url)
        assert status == 200, url
        assert served == (with_reload(expected[path], outcome.build_id) if path.endswith(".html")
                          else expected[path]), url


def edited_theme(root: Path, name: str, old: str, new: str) -> str:
    """A theme file of the site with one text replaced."""
    text = (root / name).read_text()
    assert old in text
    return text.replace(old, new, 1)


MEMORY_SITE = {"site.yaml": SITE_YAML, "content/bibliography.yaml": SERVED_BIB,
               "content/care/signs.md": SERVED_CARD,
               "content/alpha.md": article("Alpha title", "Alpha text [@smith].\n\n!!! care signs\n", tags="[back]"),
               "content/beta.md": article("Beta title", "Beta [alpha](alpha.md) [@smith].\n", tags="[back]")}


@pytest.mark.parametrize("search", [False, True])
def test_every_kind_of_edit_is_served_as_a_clean_build_would_write_it(make_site, tmp_path: Path, search: bool) -> None:
    """Edit after edit, the site served from memory is file for file a clean build of the same sources (with
    search, once its index is made in the background); a failed build keeps serving the last good one; once
    stopped, the preview folder and the cache are that site too."""
    site_yaml = SITE_YAML + f"search: {str(search).lower()}\n"
    root = make_site(MEMORY_SITE | {"site.yaml": site_yaml})
    steps: list[tuple[str, str | None, bool]] = [
        ("content/alpha.md", article("Alpha title", "Alpha text, edited [@smith].\n\n!!! care signs\n",
                                     tags="[back]"), True),
        ("content/alpha.md", article("Alpha retitled", "Alpha text, edited [@smith].\n\n!!! care signs\n",
                                     tags="[back]"), True),
        ("content/gamma.md", article("Gamma title", "Gamma [alpha](alpha.md).\n", tags="[back]"), True),
        ("content/gamma.md", None, True),
        ("content/beta.md", article("Beta title", "Beta [alpha](alpha.md) [@smith].\n", draft="true"), True),
        ("content/beta.md", article("Beta title", "Beta [alpha](alpha.md) [@smith].\n", tags="[back]"), True),
        ("templates/home.html", edited_theme(root, "templates/home.html", "{% block main %}",
                                             "{% block main %}<p>Edited home.</p>"), True),
        ("static/style.css", (root / "static/style.css").read_text() + "\n.edited { color: red; }\n", True),
        ("content/care/signs.md", SERVED_CARD.replace("Numbness around your bottom", "New weakness"), True),
        ("content/bibliography.yaml", SERVED_BIB.replace("Backs. 2020.", "Backs and runs. 2021."), True),
        ("site.yaml", site_yaml.replace("Test Health", "Test Health Renamed"), True),
        ("content/alpha.md", article("Broken", date="2026-02-30"), False),
        ("content/alpha.md", article("Alpha fixed", "Alpha text [@smith].\n\n!!! care signs\n"), True),
    ]
    running = Running(root)
    try:
        expected: dict[str, bytes] = {}
        for number, (path, text, good) in enumerate(steps):
            generation = running.status()["generation"]
            if text is None:
                (root / path).unlink()
            else:
                (root / path).write_text(text)
            running.wait_for(lambda: running.status()["generation"] > generation and running.status()["ok"] == good,
                             30)
            if good:
                running.wait_for(lambda: indexed(running), 60)
                sources = tmp_path / f"sources-{number}"  # a copy, so the clean build leaves the server's cache be
                shutil.copytree(root, sources, ignore=shutil.ignore_patterns(".healthsite-cache", "_preview"))
                build(Options(sources / "site.yaml", tmp_path / f"clean-{number}", drafts=True, clean=True, jobs=1))
                expected = site_files(tmp_path / f"clean-{number}")
            else:
                assert running.status()["problems"] == [BAD_DATE]
            served_equals(running, expected)
    finally:
        running.server.stop()
    assert site_files(root / "_preview") == expected
    assert build(Options(root / "site.yaml", jobs=1, drafts=True)).written == 0  # the cache holds the site too


def indexed(running: Running) -> bool:
    """Whether the site served has its search index made from its pages (or has no search)."""
    site = running.server.builds.current().site
    return site is not None and site.indexed == site.search


def test_a_missing_address_gets_the_404_page_of_its_edition(tmp_path: Path) -> None:
    """A missing /es/... page is answered with /es/404.html (the Spanish one), anything else with the site's."""
    from healthsite.serving.lookup import not_found_page
    (tmp_path / "es").mkdir()
    (tmp_path / "404.html").write_text("site")
    (tmp_path / "es" / "404.html").write_text("es")
    cases = {"/es/no-such-page/": "es", "/es/a/b?q=1": "es", "/no-such-page/": "site", "/": "site",
             "/fr/x/": "site", "/%2e%2e/es/x": "site"}
    assert {t: not_found_page(tmp_path, "/", t).read_text() for t in cases} == cases
    assert not_found_page(tmp_path, "/health/", "/health/es/x/") is not None


def test_between_saves_the_kept_site_is_left_out_of_collections(make_site) -> None:
    """After a build is published, its garbage is collected and what is kept for the next save frozen, so a
    save's own collections never walk the whole site again; a later save unfreezes and freezes again."""
    root = make_site(files())
    builder = Builder(Options(root / "site.yaml", jobs=1), Builds(), io.StringIO(), io.StringIO())
    gc.unfreeze()
    try:
        assert builder.run("built").ok and gc.get_freeze_count() > 0
        gc.unfreeze()
        (root / "content" / "alpha.md").write_text(article("Alpha again"))
        assert builder.rebuild(frozenset({root / "content" / "alpha.md"})).ok and gc.get_freeze_count() > 0
    finally:
        builder.close()
        gc.unfreeze()


def test_serving_lets_a_waiting_thread_run_within_a_millisecond(make_site) -> None:
    """While serving, a thread busy with Python hands over to a waiting one every millisecond (a page is served
    while a review runs), and the interpreter's setting is restored when the server stops."""
    root = make_site(files())
    server = DevServer(Options(root / "site.yaml", jobs=1), port=0, quiet=True, stdout=io.StringIO(),
                       stderr=io.StringIO())
    seen: list[int] = []
    before = sys.getswitchinterval()
    thread = threading.Thread(target=lambda: seen.append(server.serve_forever()))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while server._thread is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server._thread is not None and sys.getswitchinterval() == pytest.approx(0.001)
    finally:
        server._stopped.set()
        thread.join(30)
    assert seen == [0] and sys.getswitchinterval() == before
