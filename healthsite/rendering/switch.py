"""The language switch on every page: to the page's translation, else to the other language's home page."""

from __future__ import annotations

from dataclasses import dataclass

from healthsite.reading.i18n import N_, translations
from healthsite.model.site import Site, Version

HOME_LABEL = N_("%(language)s: home page")  # in the target language's catalog


@dataclass(frozen=True)
class SwitchLink:
    """One link of the language switch: where it goes, its language, and its text in that language."""

    href: str
    language: str
    text: str
    home: bool  # True when the page has no translation and the link leads to that language's home page


def language_switch(site: Site, address: str) -> tuple[SwitchLink, ...]:
    """The switch of the page at `address` (under the base path): its other language versions, or, without any,
    the other languages' home pages, labelled so."""
    own = site.config.language
    versions = [v for v in site.versions.get(address, ()) if v.language != own]
    if versions:
        return tuple(SwitchLink(v.path, v.language, v.name, False) for v in versions)
    homes = [v for v in site.versions.get("", ()) if v.language != own]
    return tuple(SwitchLink(v.path, v.language, _home_label(v), True) for v in homes)


def _home_label(version: Version) -> str:
    """'Español: página principal': the other language's name and "home page", both in that language."""
    code = "" if version.default else version.language.split("-")[0].lower()
    return translations(code).gettext(HOME_LABEL) % {"language": version.name}
