"""Cross-links: `[text](other.md#anchor)` becomes a link to that article's URL."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown.treeprocessors import Treeprocessor

from ..problems import excerpt
from ..typed import did_you_mean
from .state import Link


class CrossLinkProcessor(Treeprocessor):
    """Rewrites links to source files and marks external links rel="noopener"."""

    def __init__(self, md, extension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        """Visit every link of the page."""
        for link in root.iter("a"):
            href = link.get("href", "")
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") or parts.netloc:
                link.set("rel", "noopener")
            elif parts.path.endswith(".md"):
                self.rewrite(link, href, posixpath.normpath(parts.path), parts.fragment)

    def rewrite(self, link: etree.Element, href: str, target: str, anchor: str) -> None:
        """Point a source-file link at its article's URL, or record why it cannot be."""
        state, refs = self.extension.state, self.extension.refs
        url = state.ask(refs, "url", target)
        if url is None:
            hint = did_you_mean(target, refs.urls)
            why = "is a draft (publish it or remove the link)" if state.ask(refs, "draft", target) else \
                f"does not exist in content/{hint}"
            state.fail(f"({href}", f"link to '{excerpt(target)}': the article {why}")
            return
        link.set("href", url + (f"#{anchor}" if anchor else ""))
        state.links.append(Link(target, anchor, state.line(f"({href}")))
