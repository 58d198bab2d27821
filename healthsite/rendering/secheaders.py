"""The security headers every page is served with: the same as the theme's `static/_headers` sends on hosts that
read it, kept here so the dev server sends them whatever the theme's copy says."""

from __future__ import annotations

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def from_headers_file(text: str) -> dict[str, str]:
    """The headers a `_headers` file gives every path (its `/*` block)."""
    found, inside = {}, False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            inside = line.strip() == "/*"
        elif inside and ":" in line:
            name, _, value = line.strip().partition(":")
            found[name.strip()] = value.strip()
    return found
