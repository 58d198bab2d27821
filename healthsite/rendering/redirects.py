"""`_redirects` (Netlify's format): a missing address under a translated edition gets that edition's 404 page."""

from __future__ import annotations

from healthsite.model.site import Site


def redirects(site: Site) -> bytes | None:
    """One rule per translated edition, `/es/*  /es/404.html  404`; None for a site in one language."""
    rules = [f"{edition.config.base_path}*  {edition.config.base_path}404.html  404" for edition in site.editions]
    if not rules:
        return None
    return ("# A missing page of a translated edition shows that edition's 404 page (the site's own 404.html\n"
            "# is the fallback for every other address).\n" + "\n".join(rules) + "\n").encode()
