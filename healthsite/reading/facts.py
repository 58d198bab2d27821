"""Facts: values that must read the same on every page (`facts:` in site.yaml), by name, per language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Mapping

from markupsafe import Markup, escape

from healthsite.problems import Problem, error, excerpt
from healthsite.reading.typed import did_you_mean, field

NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{1,30}")
EMERGENCY = "emergency-number"
DEFAULT_EMERGENCY = "911"


def _not_empty(value: str) -> str | None:
    """Check a value is not empty."""
    return None if value.strip() else "must not be empty"


@dataclass(frozen=True)
class Fact:
    """One value by name: written `NAME: text`, or `NAME: {value: text, phone: true}` for a number to call."""

    SHORTHAND: ClassVar[str] = "value"

    value: str = field("what readers see, e.g. 911 or 10 or 1,200 mg", check=_not_empty)
    phone: bool = field("a phone number: shown as a link that calls it (tel:)", False)

    @property
    def href(self) -> str:
        """The tel: address of a phone fact."""
        return tel(self.value)


def tel(number: str) -> str:
    """The `tel:` address of a number as written: an international number (+...) or a short one (911) by its
    digits, a US number of 10 digits (1-800-222-1222) with +1."""
    digits = re.sub(r"[^0-9]", "", number)
    if number.strip().startswith("+"):
        return f"tel:+{digits}"
    return f"tel:+1{digits[-10:]}" if len(digits) == 10 or (len(digits) == 11 and digits[0] == "1") else f"tel:{digits}"


def names_problem(facts: dict[str, Fact]) -> tuple[int, str] | None:
    """Check fact names (lowercase letters, digits and '-') and that each phone fact is a phone number."""
    for index, (name, fact) in enumerate(facts.items()):
        if not NAME.fullmatch(name):
            return index, f"has the name '{excerpt(name)}': a fact's name is lowercase letters, digits and '-', " \
                          "like poison-control"
        if fact.phone and not PHONE.fullmatch(fact.value.strip()):
            return index, f"'{name}' is marked phone: true but '{excerpt(fact.value)}' is not a phone number"
    return None


def resolved(facts: Mapping[str, Fact], emergency_number: str = "") -> dict[str, Fact]:
    """An edition's facts: the emergency number (the older `emergency_number` setting, else 911) and then `facts:`."""
    return {EMERGENCY: Fact(emergency_number or DEFAULT_EMERGENCY, phone=True), **facts}


def unknown(name: str, facts: Mapping[str, Any]) -> str:
    """The message for a fact name that is not defined."""
    return f"unknown fact '{excerpt(name)}'{did_you_mean(name, facts)}: add it to facts: in site.yaml or fix the name"


def template_function(facts: Mapping[str, Fact]) -> Callable[..., str]:
    """`fact(name)` for templates: the fact's text; `fact(name, link=true)`: a phone fact as a tel: link."""
    def fact(name: str, link: bool = False) -> str:
        found = facts.get(name)
        if found is None:
            raise LookupError(unknown(name, facts))
        if link and found.phone:
            return Markup('<a href="{}">{}</a>').format(found.href, found.value)
        return escape(found.value) if link else found.value
    return fact


WRITTEN = re.compile(r"\[=[^\]\n]*\]")
FRONT_MATTER_TEXTS = ("title", "description", "key_takeaways", "image_alt")


def front_matter_problems(pages: list) -> list[Problem]:
    """A fact written in the front matter, where it would be published as typed: an error at its key's line."""
    return [error(page.source, page.line(key), f"'{excerpt(found.group(0))}' in '{key}': a fact works only in the "
                                               "article's text; write the value here")
            for page in pages for key in FRONT_MATTER_TEXTS
            for text in _texts(getattr(page.meta, key)) for found in WRITTEN.finditer(text)]


def _texts(value: object) -> tuple[str, ...]:
    """A front matter value's texts."""
    return (value,) if isinstance(value, str) else tuple(value) if isinstance(value, tuple) else ()
