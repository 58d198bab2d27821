"""Cross-links: `[text](other.md#anchor)`, or the article's address on the site, become checked links."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

from markdown.treeprocessors import Treeprocessor

from healthsite.reading.i18n import IN_OTHER_LANGUAGE
from healthsite.problems import excerpt
from healthsite.reading.typed import did_you_mean
from healthsite.mdext.state import Hooked, Link


class CrossLinkProcessor(Hooked, Treeprocessor):
    """Rewrites links to source files and site addresses, and marks external links rel="noopener"."""

    def run(self, root: etree.Element) -> None:
        """Visit every link of the page."""
        base = urlsplit(self.extension.refs.base_url)
        for link in root.iter("a"):
            href = link.get("href", "")
            parts = urlsplit(href)
            own = parts.scheme in ("http", "https") and parts.netloc.lower() == base.netloc.lower() != ""
            if own and (parts.path or "/").startswith(base.path or "/"):
                self.resolve(link, href, parts.path or "/", parts.fragment)
            elif parts.scheme in ("http", "https") or parts.netloc:
                link.set("rel", "noopener")
            elif parts.path.endswith(".md"):
                self.rewrite(link, href, posixpath.normpath(parts.path), parts.fragment)
            elif parts.path and not parts.scheme:
                self.resolve(link, href, urljoin(self.address(), parts.path), parts.fragment)

    def address(self) -> str:
        """The page's own address, which relative links start from (every article is one folder deep)."""
        refs = self.extension.refs
        return refs.urls.get(PurePosixPath(self.extension.state.source).name, f"{refs.base_path}page/")

    def resolve(self, link: etree.Element, href: str, path: str, anchor: str) -> None:
        """Check a link written as an address on the site (`/slug/#id`, `../slug/`, the site's own URL)."""
        state, refs = self.extension.state, self.extension.refs
        base = refs.base_path
        path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
        path = path.removesuffix("index.html")
        if not (path + "/").startswith(base):
            hint = did_you_mean(base + path.lstrip("/"), refs.addresses())
            state.fail(*_needles(href), f"link to '{href}': not an address on this site (its pages are under "
                                        f"{base}){hint}; or link to the article's file, like other-article.md")
            return
        rest = path[len(base):]
        rest += "/" if rest and "." not in rest.rsplit("/", 1)[-1] and not rest.endswith("/") else ""
        target = state.ask(refs, "path", rest)
        if isinstance(target, str) and target:
            self.rewrite(link, href, target, anchor, href)
        elif target is None:
            slug = rest.split("/")[0]
            why = "is a draft (publish it or remove the link)" if state.ask(refs, "draft", f"{slug}.md") else \
                f"is not a published page{did_you_mean(base + rest, refs.addresses())}"
            state.fail(*_needles(href), f"link to '{href}': {base + rest} {why}")
        else:
            link.set("href", base + rest + (f"#{anchor}" if anchor else ""))

    def rewrite(self, link: etree.Element, href: str, target: str, anchor: str, written: str = "") -> None:
        """Point a source-file link at its article's URL, or record why it cannot be."""
        state, refs = self.extension.state, self.extension.refs
        url = state.ask(refs, "url", target)
        if url is None or (state.ask(refs, "draft", target) and not state.draft):
            hint = did_you_mean(target, refs.urls)
            why = "is a draft (publish it or remove the link)" if state.ask(refs, "draft", target) else \
                f"does not exist in content/{hint}"
            state.fail(*_needles(href), f"link to '{excerpt(target)}': the article {why}")
            return
        link.set("href", url + (f"#{anchor}" if anchor else ""))
        if target.startswith("../"):  # an article of the default language, linked from a translation
            mark = etree.SubElement(link, "span", {"class": "other-language"})
            mark.text = f" {state.ask(refs, 'text', IN_OTHER_LANGUAGE)}"
        source, line = state.where(*_needles(href))
        state.links.append(Link(target, anchor, line, source, written))


def _needles(href: str) -> tuple[str, ...]:
    """How a link's address may be written in Markdown, most specific first."""
    return f"({href}", f"<{href}>", href
