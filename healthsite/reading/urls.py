"""URLs: one checker for every URL a writer or publisher sets, so no unsafe scheme reaches an href; and the one rule
of an article's address (`SLUG/` under its edition's base path) and of its page's file (`SLUG/index.html`)."""

from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import urlsplit

from healthsite.problems import excerpt

SCHEMES = ("http", "https")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
UNSEEN = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
PLAIN_PATH = re.compile(r"(/[A-Za-z0-9._~!$&'()*+,;=:@%\-]+)*/?")
DOI = re.compile(r"10\.[0-9]{4,9}/[!-~]+")
INDEX = "index.html"  # the file a folder's address serves


def article_address(slug: str) -> str:
    """An article's address under its edition's base path: `SLUG/`."""
    return f"{slug}/"


def article_url(base_path: str, slug: str) -> str:
    """An article's site path: its edition's base path, then its address."""
    return base_path + article_address(slug)


def article_file(slug: str, code: str = "") -> str:
    """The output file of an article's page: `SLUG/index.html` in its edition's folder (`CODE/SLUG/index.html`
    from the site's)."""
    return f"{code}/{article_address(slug)}{INDEX}".lstrip("/")


def page_address(path: str) -> str:
    """A page's address under its edition's base path, from its output file (`topics/index.html` -> `topics/`)."""
    return path.removesuffix(INDEX)


def url_problem(value: str, site_path: bool = False) -> str | None:
    """Why a URL setting is unsafe, or None: only http(s) URLs (and, where `site_path`, paths on the site).

    Spaces and control characters (which browsers drop) are refused; the scheme is compared in any case and
    also after decoding HTML entities, so `JaVaScRiPt:`, `java&#115;cript:` and the like are caught.
    """
    if UNSEEN.search(value):
        return f"must be a plain URL without spaces or control characters, not '{excerpt(value)}'"
    kind = "an http(s) URL or a path on the site" if site_path else "an absolute http(s) URL"
    for form in (value, html.unescape(value)):
        scheme = SCHEME.match(form)
        if scheme and scheme.group(1).lower() not in SCHEMES:
            return f"must be {kind}: the scheme '{excerpt(scheme.group(1), 20)}:' is not allowed"
        if len(form) > 1 and form[0] in "/\\" and form[1] in "/\\":
            return f"must be {kind}, not a protocol-relative '//host' address"
    scheme = SCHEME.match(value)
    if scheme:
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            return f"must be {kind}: '{excerpt(value)}' is not a valid URL"
        return None if parts.hostname and parts.netloc else f"must be {kind}: '{excerpt(value)}' names no host"
    return None if site_path else f"must be {kind}"


def url_check(site_path: bool = False) -> Callable[[str], str | None]:
    """A typed-field check for a URL setting (an empty value means 'none' and is allowed)."""
    return lambda value: url_problem(value, site_path) if value else None


def base_url_problem(value: str) -> str | None:
    """Why a base URL is unusable: it must be an absolute http(s) URL with a plain absolute path, nothing more."""
    problem = url_problem(value)
    if problem:
        return problem
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "must not hold a user name or password"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "must not have a query (?) or fragment (#)"
    if "//" in parts.path or not PLAIN_PATH.fullmatch(parts.path) or \
            any(seg in (".", "..") for seg in parts.path.split("/")):
        return "must have a plain path like /health/ (no '//', '.' or '..' segments, no spaces or backslashes)"
    return None


def doi_problem(value: str) -> str | None:
    """Why a DOI is not one (it is shown as https://doi.org/DOI)."""
    if not value or DOI.fullmatch(value):
        return None
    return f"must be a DOI like 10.1000/xyz123 (without https://doi.org/), not '{excerpt(value)}'"
