"""Live reload: the dev server's script (a file of the theme) and the tag that adds it to each page it sends."""

from __future__ import annotations

import functools
import importlib.resources
from html.parser import HTMLParser

PREFIX = "/__healthsite/"
SCRIPT_URL = PREFIX + "reload.js"
# Served only by this server (never written into the site, so not in theme/static), so pages keep working under a
# strict Content-Security-Policy: an external script, styles set through the CSSOM, text through textContent.
SCRIPT = "theme/devserver/reload.js"


@functools.cache
def script() -> bytes:
    """The reload script's bytes, read from the package (a source tree or an installed wheel)."""
    return importlib.resources.files("healthsite").joinpath(SCRIPT).read_bytes()


def with_reload(html: bytes, build_id: str) -> bytes:
    """The page with the reload script tag at the end of its body (at the very end if it has no </body>)."""
    at = _body_end(html)
    tag = f'<script src="{SCRIPT_URL}" data-build="{build_id}" defer></script>\n'.encode()
    return html[:at] + tag + html[at:]


class _BodyEnd(HTMLParser):
    """Finds where the document's last </body> end tag starts, as (line, column)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.position: tuple[int, int] | None = None

    def handle_endtag(self, tag: str) -> None:
        """Remember each </body>."""
        if tag == "body":
            self.position = self.getpos()


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
