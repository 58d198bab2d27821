"""Editorial rules (`rules:` in site.yaml): what every build and `check` enforces in the articles' text.

Five kinds: required cards (topic tags -> shared care cards), care level (phrases only in cards of at least a
level), written once (phrases only in shared cards), consistent (a quantity with its one value) and avoid (a word
and what to write instead). Patterns are compiled once, capped in length and screened for catastrophic
backtracking when site.yaml is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable

from healthsite.reading import rulevalues as values
from healthsite.reading.facts import Fact, unknown
from healthsite.problems import Category, Problem, error, excerpt, warning
from healthsite.reading.typed import did_you_mean, field

from healthsite.reading.rulevalues import CARE_ORDER, MAX_PATTERN, MAX_UNBOUNDED, SLUG, VALUE  # noqa: F401


def _message(doc: str = "what the writer is told: why the rule exists and what to do") -> object:
    """A rule's message field."""
    return field(doc, check=lambda value: None if value.strip() else "must not be empty")


LANGUAGES = "the editions the rule applies to, by language (en, es; default: every edition)"
SEVERITY = "error (the default: the build stops) or warning"


def _language_keys(values: dict) -> tuple[int, str] | None:
    """Check the languages a rule is translated into."""
    bad = next((i for i, code in enumerate(values) if not re.fullmatch(r"[a-z]{2,3}", code)), None)
    return None if bad is None else (bad, f"has '{excerpt(list(values)[bad])}': a language code like es")


@dataclass(frozen=True)
class Translation:
    """A rule in another language: what is given replaces the rule's own (phrases and regex together)."""

    phrases: tuple[str, ...] = field("the phrases in this language", (), values.phrases)
    regex: tuple[str, ...] = field("the regular expressions in this language", (), values.regexes)
    message: str = field("the message in this language", "")
    name: str = field("a consistent rule's quantity in this language", "")
    instead: str = field("an avoid rule's wording to use instead, in this language", "")
    why: str = field("an avoid rule's reason, in this language", "")


TRANSLATIONS = "the rule in other languages, by language code: phrases, regex, message (and name, instead, why)"


@dataclass(frozen=True)
class RequiredCards:
    """Articles with one of these topic tags must show these shared care cards."""

    tags: tuple[str, ...] = field("topic tags: every published article with one of them must show the cards",
                                  check=values.slugs)
    cards: tuple[str, ...] = field("shared care cards (content/care/NAME.md) those articles must show",
                                   check=values.slugs)
    message: str = _message()
    languages: tuple[str, ...] = field(LANGUAGES, (), values.languages)
    level: str = field(SEVERITY, "error", values.severity)


@dataclass(frozen=True)
class CareLevel:
    """Phrases that may appear only inside care cards of at least a level."""

    at_least: str = field("the lowest care card level the phrases may appear in: non-urgent, urgent or emergency",
                          check=values.care)
    message: str = _message()
    phrases: tuple[str, ...] = field("plain words or phrases (any case, whole words)", (), values.phrases)
    regex: tuple[str, ...] = field("regular expressions (Python syntax; case matters unless (?i))", (), values.regexes)
    in_prose: bool = field("also refuse the phrases in the article's text outside care cards", True)
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), values.languages)
    level: str = field(SEVERITY, "error", values.severity)

    def check_whole(self) -> str | None:
        """A rule needs a pattern."""
        return _no_pattern(self)


@dataclass(frozen=True)
class WrittenOnce:
    """Phrases that may appear only inside shared care cards: written once, shown with `!!! care NAME`."""

    card: str = field("the shared care card that holds the advice (content/care/NAME.md)",
                      check=lambda v: None if SLUG.fullmatch(v) else "must be a shared card's name")
    message: str = _message()
    phrases: tuple[str, ...] = field("plain words or phrases (any case, whole words)", (), values.phrases)
    regex: tuple[str, ...] = field("regular expressions (Python syntax; case matters unless (?i))", (), values.regexes)
    in_prose: bool = field("also refuse the phrases in the article's text outside care cards (not only in "
                           "inline cards)", True)
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), values.languages)
    level: str = field(SEVERITY, "error", values.severity)

    def check_whole(self) -> str | None:
        """A rule needs a pattern."""
        return _no_pattern(self)


@dataclass(frozen=True)
class Consistent:
    """A named quantity with its one value: wherever its pattern matches, the value must be that one."""

    name: str = field("the quantity, as the writer reads it, e.g. days of treating pain yourself")
    message: str = _message()
    phrases: tuple[str, ...] = field("plain phrases with {value} where the value is written (any case, whole "
                                     "words; the value is one word or number)", (), values.with_value)
    regex: tuple[str, ...] = field("regular expressions with one group in parentheses around the value", (),
                                   values.one_group)
    value: str = field("the one value allowed", "")
    fact: str = field("or: the fact (in facts:) whose value is the one allowed", "")
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), values.languages)
    level: str = field(SEVERITY, "error", values.severity)

    def check_whole(self) -> str | None:
        """A quantity needs a pattern and one value: written out or a fact's."""
        if bool(self.value) == bool(self.fact):
            return f"the consistent rule '{excerpt(self.name)}' needs either value: or fact: (one of them)"
        for code, local in self.translations.items():
            found = values.with_value(local.phrases) or values.one_group(local.regex)
            if found:
                return f"translations: {code}: {found[1] if isinstance(found, tuple) else found}"
        return _no_pattern(self)


@dataclass(frozen=True)
class Avoid:
    """A word or phrase to avoid, with what to write instead and why (a warning unless made an error)."""

    instead: str = field("what to write instead")
    why: str = field("why, for the writer")
    phrases: tuple[str, ...] = field("plain words or phrases (any case, whole words)", (), values.phrases)
    regex: tuple[str, ...] = field("regular expressions (Python syntax; case matters unless (?i))", (), values.regexes)
    message: str = field("more for the writer, after why", "")
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), values.languages)
    level: str = field("warning (the default) or error", "warning", values.severity)

    def check_whole(self) -> str | None:
        """A rule needs a pattern."""
        return _no_pattern(self)


def _no_pattern(rule: CareLevel | WrittenOnce | Consistent | Avoid) -> str | None:
    """Why a text rule matches nothing: it has no phrases and no regex."""
    return None if rule.phrases or rule.regex else "the rule has no phrases and no regex: give it at least one"


@dataclass(frozen=True)
class Rules:
    """The site's editorial rules, by kind; `check`, `build` and `serve` enforce them in every article."""

    required_cards: tuple[RequiredCards, ...] = field("topic tags -> shared care cards every such article must "
                                                      "show", ())
    care_level: tuple[CareLevel, ...] = field("phrases allowed only inside care cards of at least a level", ())
    written_once: tuple[WrittenOnce, ...] = field("phrases allowed only inside shared care cards", ())
    consistent: tuple[Consistent, ...] = field("named quantities and their one value", ())
    avoid: tuple[Avoid, ...] = field("words to avoid, what to write instead and why", ())


@dataclass(frozen=True)
class TextRule:
    """One text rule, compiled for an edition: its kind, pattern, expected value, severity and the rule itself."""

    kind: str
    patterns: tuple[re.Pattern[str], ...]
    rule: CareLevel | WrittenOnce | Consistent | Avoid
    expected: str = ""


def phrase_pattern(phrase: str, value: bool = False) -> str:
    """A plain phrase as a regular expression: whole words, any spacing (a phrase may break across lines)."""
    words = [r"([\w.,]+?)" if value and word == VALUE else re.escape(word).replace(re.escape(VALUE), r"([\w.,]+?)")
             for word in phrase.split()]
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"


def compile_rule(phrases: tuple[str, ...], regexes: tuple[str, ...], value: bool = False
                 ) -> tuple[re.Pattern[str], ...]:
    """A rule's patterns, compiled once: its phrases (any case) and its regular expressions (as written)."""
    return tuple(re.compile(phrase_pattern(p, value), re.IGNORECASE) for p in phrases) + \
        tuple(re.compile(r) for r in regexes)


def applies(rule: object, language: str, code: str) -> bool:
    """Whether a rule applies to an edition (its folder code, or its language's primary tag)."""
    languages = getattr(rule, "languages")
    return not languages or code in languages or language.split("-")[0].lower() in languages


def localized(rule: CareLevel | WrittenOnce | Consistent | Avoid, language: str, code: str
              ) -> CareLevel | WrittenOnce | Consistent | Avoid:
    """A text rule as it reads in an edition: its translation's phrases and texts in place of its own."""
    local = rule.translations.get(code) or rule.translations.get(language.split("-")[0].lower())
    if local is None:
        return rule
    texts = {key: getattr(local, key) for key in ("message", "name", "instead", "why")
             if getattr(local, key) and hasattr(rule, key)}
    patterns = {"phrases": local.phrases, "regex": local.regex} if local.phrases or local.regex else {}
    return replace(rule, **texts, **patterns)


def text_rules(rules: Rules, facts: dict[str, Fact], language: str, code: str) -> tuple[TextRule, ...]:
    """The text rules of one edition, compiled."""
    found: list[TextRule] = []
    for kind in ("care_level", "written_once", "consistent", "avoid"):
        for rule in (localized(r, language, code) for r in getattr(rules, kind)):
            patterns = compile_rule(rule.phrases, rule.regex, kind == "consistent")
            if not patterns or not applies(rule, language, code):
                continue
            expected = getattr(rule, "value", "")
            if kind == "consistent" and rule.fact:
                expected = facts[rule.fact].value if rule.fact in facts else ""
            found.append(TextRule(kind, patterns, rule, expected))
    return tuple(found)


def config_problems(rules: Rules, facts: dict[str, Fact], path: str, lines: dict[int, int], language: str = "",
                    code: str = "") -> list[Problem]:
    """Each consistent rule of an edition names a fact it has (at the rule's line)."""
    return [error(path, lines.get(id(rule), 1), unknown(rule.fact, facts)) for rule in rules.consistent
            if rule.fact and rule.fact not in facts and applies(rule, language, code)]


def required_cards(rules: Rules, language: str, code: str, pages: list, used: dict[str, set[str]],
                   cards: Iterable[str]) -> list[Problem]:
    """An error (or warning) at each article's tags line for every required shared card it does not show."""
    known = set(cards)
    problems = []
    for rule in (r for r in rules.required_cards if applies(r, language, code)):
        for page in pages:
            tag = next((t for t in page.meta.tags if t in rule.tags), None)
            if tag is None:
                continue
            missing = [c for c in rule.cards if c not in used.get(page.slug, set())]
            if missing:
                problems.append(reported(rule.level, page.source, page.line("tags"),
                                         _missing(tag, missing, known, code, rule.message)))
    return problems


def _missing(tag: str, cards: list[str], known: set[str], code: str, message: str) -> str:
    """The message for the shared cards an article about `tag` lacks."""
    folder = f"content/{code + '/' if code else ''}care/"
    absent = [f"{folder}{c}.md does not exist yet{did_you_mean(c, known)}" for c in cards if c not in known]
    names = " and ".join(f"'{c}'" for c in cards)
    lines = " and ".join(f"'!!! care {c}'" for c in cards)
    return (f"articles about '{tag}' must show the shared care card{'s' * (len(cards) > 1)} {names}"
            f"{' (' + '; '.join(absent) + ')' if absent else ''}: add {'a line' if len(cards) == 1 else 'the lines'} "
            f"{lines} to the article: {message}")


def reported(level: str, path: str, line: int, message: str, category: Category = "safety") -> Problem:
    """A rule's problem: an error, or a warning in its category."""
    return replace(error(path, line, message), category=category) if level == "error" else \
        warning(path, line, message, category)
