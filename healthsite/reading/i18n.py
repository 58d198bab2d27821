"""Interface strings in each language: gettext catalogs compiled from their .po files, and dates per locale."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from healthsite.reading.themefiles import LOCALES

DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for the catalogs (pybabel extract -k N_) without translating it here."""
    return message


# The strings the Markdown extensions write into article bodies (translated before rendering).
CARE_LEVELS = {
    "non-urgent": (N_("Non-urgent advice:"), N_("See a doctor if")),
    "urgent": (N_("Urgent advice:"), N_("Get medical help today if")),
    "emergency": (N_("Immediate action required:"), N_("Call {number} or go to the emergency room if")),
}
IN_OTHER_LANGUAGE = N_("(in English)")
FAQ_HEADING = N_("Frequently asked questions")
SOURCE = N_("Source %(number)s")  # the accessible name of a citation's number
TABLE = N_("Table %(number)s")  # the accessible name of a table without a caption
BODY_STRINGS = (*(text for pair in CARE_LEVELS.values() for text in pair), IN_OTHER_LANGUAGE, FAQ_HEADING, SOURCE,
                TABLE)


def po_file(code: str) -> Path:
    """The catalog source of a language folder code, e.g. es."""
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(data: bytes) -> bytes:
    """The .mo bytes of a .po file's bytes (fuzzy entries left out, as pybabel compile does)."""
    catalog = read_po(io.BytesIO(data))
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


@functools.lru_cache(maxsize=None)
def _translations(data: bytes) -> Translations:
    """Translations from a .po file's bytes, compiled in memory."""
    return Translations(io.BytesIO(compile_po(data)), domain=DOMAIN)


def translations(code: str) -> gettext.NullTranslations:
    """The catalog of an edition's folder code ("" for the default language: the strings as written)."""
    path = po_file(code)
    return _translations(path.read_bytes()) if code and path.is_file() else gettext.NullTranslations()


def body_texts(code: str) -> dict[str, str]:
    """The translations of the strings the Markdown extensions use, for one edition."""
    catalog = translations(code)
    return {text: catalog.gettext(text) for text in BODY_STRINGS}


def locale_of(language: str) -> Locale:
    """The Babel locale of a BCP 47 tag (es-US -> es_US), falling back to its language alone."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except Exception:  # an unknown region: the language's own data
        return Locale.parse(language.split("-")[0])


def long_date(day: dt.date, language: str) -> str:
    """A date as readers of a language write it: November 25, 2026; 25 de noviembre de 2026."""
    return format_date(day, format="long", locale=locale_of(language))
