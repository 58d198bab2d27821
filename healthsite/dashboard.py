"""The editorial dashboard: the `check` report as one self-contained HTML page for editors."""

from __future__ import annotations

from .editorial import Editorial


def render(report: Editorial) -> str:
    """The dashboard page."""
    raise NotImplementedError
