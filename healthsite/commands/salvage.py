"""What can still be reviewed of a site with errors: its articles that did parse and render, for the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from healthsite.checks import collecting
from healthsite.reading.options import Options

if TYPE_CHECKING:
    from healthsite.review.editorial import Editorial
    from healthsite.model.site import Site


def salvaged(options: Options, today: dt.date) -> tuple[Site, Editorial] | None:
    """The site and its editorial review, with the stages' errors collected instead of stopping them (the parts
    that failed are left out); None when too much failed to go on (no configuration, a broken bibliography).

    Only for the dashboard of a site that does not build: its errors are reported from the real check.
    """
    from healthsite.pipeline import checked_site, locate
    try:
        with collecting():
            _, config, _ = locate(options)
            _, site, report = checked_site(options, config, None, today)
    except Exception:  # noqa: BLE001  a step that cannot go on without what failed: show the errors alone
        return None
    return site, report
