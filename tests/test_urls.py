"""The one rule of an article's address and page file, as every output uses it."""

from __future__ import annotations

from healthsite.reading.urls import article_address, article_file, article_url, page_address


def test_an_article_lives_at_its_slug_under_its_edition() -> None:
    """Address `SLUG/`, site path under the edition's base path, file `SLUG/index.html` (under `CODE/` for the site)."""
    assert article_address("knee") == "knee/"
    assert article_url("/health/es/", "knee") == "/health/es/knee/"
    assert article_file("knee") == "knee/index.html" and article_file("knee", "es") == "es/knee/index.html"
    assert page_address(article_file("knee")) == "knee/" and page_address("index.html") == ""
