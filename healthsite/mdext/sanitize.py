"""Sanitizing: the HTML Markdown produces passes an allow-list (nh3) before it reaches a template."""

from __future__ import annotations

import nh3

TAGS = set("""a abbr b blockquote br caption cite code dd del details div dl dt em figcaption figure h2 h3 h4
h5 h6 hr i img ins kbd li mark ol p picture pre q s section source small span strong sub summary sup table tbody
td tfoot th thead tr u ul""".split())
GLOBAL = {"id", "class", "title", "lang", "dir", "aria-label", "aria-labelledby", "aria-describedby"}
ATTRIBUTES = {
    "*": GLOBAL,
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"type", "srcset", "sizes"},
    "table": {"role"}, "thead": {"role"}, "tbody": {"role"}, "tr": {"role"},
    "th": {"scope", "colspan", "rowspan", "role"},
    "td": {"colspan", "rowspan", "role", "data-label"},
    "ol": {"start", "reversed"},
    "div": {"role", "tabindex"},
    "details": {"open"},
}
SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize(html: str) -> str:
    """Keep only allowed tags, attributes and URL schemes."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                     strip_comments=True)
