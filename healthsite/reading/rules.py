"""Editorial rules (`rules:` in site.yaml): what every build and `check` enforces in the articles' text.

Five kinds: required cards (topic tags -> shared care cards), care level (phrases only in cards of at least a
level), written once (phrases only in shared cards), consistent (a quantity with its one value) and avoid (a word
and what to write instead). Patterns are compiled once, capped in length and screened for catastrophic
backtracking when site.yaml is read.
"""

from __future__ import annotations

import re
import re._parser as sre  # type: ignore[import-not-found]  # the regular-expression parser, to screen patterns
from dataclasses import dataclass, replace
from typing import Iterable

from healthsite.reading.facts import Fact, unknown
from healthsite.problems import Category, Problem, error, excerpt, warning
from healthsite.reading.typed import did_you_mean, field

MAX_PATTERN = 200  # characters of one phrase or regular expression
MAX_UNBOUNDED = 4  # unbounded repeats (+, *, {n,}) in one regular expression
CARE_ORDER = ("non-urgent", "urgent", "emergency")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VALUE = "{value}"


def _severity(value: str) -> str | None:
    """Check a rule's level."""
    return None if value in ("error", "warning") else "must be error or warning"


def _care(value: str) -> str | None:
    """Check a care card level."""
    return None if value in CARE_ORDER else f"must be one of {', '.join(CARE_ORDER)}"


def _slugs(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check a non-empty list of slugs."""
    if not values:
        return "must list at least one name"
    bad = next((i for i, v in enumerate(values) if not SLUG.fullmatch(v)), None)
    return None if bad is None else (bad, f"'{excerpt(values[bad])}' is not a name (lowercase letters, digits, '-')")


def _languages(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check language codes."""
    bad = next((i for i, v in enumerate(values) if not re.fullmatch(r"[a-z]{2,3}", v)), None)
    return None if bad is None else (bad, f"'{excerpt(values[bad])}' is not a language code like en or es")


def _phrases(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check plain phrases: none blank, none too long."""
    for index, value in enumerate(values):
        if not value.strip():
            return index, "must not contain an empty phrase"
        if len(value) > MAX_PATTERN:
            return index, f"has a phrase of {len(value)} characters (at most {MAX_PATTERN})"
    return None


def regex_problem(pattern: str) -> str | None:
    """Why a regular expression cannot be a rule's pattern (bad syntax, too long, could backtrack without end)."""
    if len(pattern) > MAX_PATTERN:
        return f"is {len(pattern)} characters long (at most {MAX_PATTERN})"
    try:
        parsed = sre.parse(pattern)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    if not pattern.strip():
        return "must not be empty"
    return _risky(parsed, inside=False) or (
        f"has more than {MAX_UNBOUNDED} unbounded repeats (+, *): bound them, like {{0,80}}"
        if _unbounded(parsed) > MAX_UNBOUNDED else None)


def _risky(items: Iterable, inside: bool) -> str | None:
    """Why a parsed pattern could backtrack catastrophically: a repeat inside a repeat, a repeated alternation,
    or a back-reference."""
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if arg[1] > 1 and inside:
                return "repeats a group that itself repeats (like (a+)+): this can make matching take forever; " \
                       "write it without the nested repeat"
            found = _risky(arg[2], inside or arg[1] > 1)
        elif name == "BRANCH":
            if inside:
                return "repeats an alternation (like (a|b)+): this can make matching take forever; use a " \
                       "character class or write the alternatives out"
            found = next(filter(None, (_risky(branch, inside) for branch in arg[1])), None)
        elif name == "SUBPATTERN":
            found = _risky(arg[3], inside)
        elif name in ("ASSERT", "ASSERT_NOT"):
            found = _risky(arg[1], inside)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            found = "refers back to a group (\\1): not allowed in a rule's pattern"
        else:
            found = None
        if found:
            return found
    return None


def _unbounded(items: Iterable) -> int:
    """How many unbounded repeats a parsed pattern has."""
    count = 0
    for op, arg in items:
        if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            count += (arg[1] == sre.MAXREPEAT) + _unbounded(arg[2])
        elif str(op) == "SUBPATTERN":
            count += _unbounded(arg[3])
        elif str(op) == "BRANCH":
            count += sum(_unbounded(b) for b in arg[1])
    return count


def _regexes(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check regular expressions, each at its own line."""
    for index, value in enumerate(values):
        why = regex_problem(value)
        if why:
            return index, f"pattern '{excerpt(value)}' {why}"
    return None


def _one_group(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check a consistent rule's regular expressions: valid, each with exactly one group (the value)."""
    found = _regexes(values)
    if found:
        return found
    bad = next((i for i, v in enumerate(values) if re.compile(v).groups != 1), None)
    return None if bad is None else (bad, f"pattern '{excerpt(values[bad])}' must have exactly one group in "
                                          "parentheses, around the value: use (?:...) for other groups")


def _with_value(values: tuple[str, ...]) -> str | tuple[int, str] | None:
    """Check a consistent rule's phrases: each holds {value} once."""
    found = _phrases(values)
    bad = next((i for i, v in enumerate(values) if v.count(VALUE) != 1), None)
    return found or (None if bad is None else (bad, f"phrase '{excerpt(values[bad])}' must hold {VALUE} once, "
                                                    "where the value is written"))


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

    phrases: tuple[str, ...] = field("the phrases in this language", (), _phrases)
    regex: tuple[str, ...] = field("the regular expressions in this language", (), _regexes)
    message: str = field("the message in this language", "")
    name: str = field("a consistent rule's quantity in this language", "")
    instead: str = field("an avoid rule's wording to use instead, in this language", "")
    why: str = field("an avoid rule's reason, in this language", "")


TRANSLATIONS = "the rule in other languages, by language code: phrases, regex, message (and name, instead, why)"


@dataclass(frozen=True)
class RequiredCards:
    """Articles with one of these topic tags must show these shared care cards."""

    tags: tuple[str, ...] = field("topic tags: every published article with one of them must show the cards",
                                  check=_slugs)
    cards: tuple[str, ...] = field("shared care cards (content/care/NAME.md) those articles must show",
                                   check=_slugs)
    message: str = _message()
    languages: tuple[str, ...] = field(LANGUAGES, (), _languages)
    level: str = field(SEVERITY, "error", _severity)


@dataclass(frozen=True)
class CareLevel:
    """Phrases that may appear only inside care cards of at least a level."""

    at_least: str = field("the lowest care card level the phrases may appear in: non-urgent, urgent or emergency",
                          check=_care)
    message: str = _message()
    phrases: tuple[str, ...] = field("plain words or phrases (any case, whole words)", (), _phrases)
    regex: tuple[str, ...] = field("regular expressions (Python syntax; case matters unless (?i))", (), _regexes)
    in_prose: bool = field("also refuse the phrases in the article's text outside care cards", True)
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), _languages)
    level: str = field(SEVERITY, "error", _severity)

    def check_whole(self) -> str | None:
        """A rule needs a pattern."""
        return _no_pattern(self)


@dataclass(frozen=True)
class WrittenOnce:
    """Phrases that may appear only inside shared care cards: written once, shown with `!!! care NAME`."""

    card: str = field("the shared care card that holds the advice (content/care/NAME.md)",
                      check=lambda v: None if SLUG.fullmatch(v) else "must be a shared card's name")
    message: str = _message()
    phrases: tuple[str, ...] = field("plain words or phrases (any case, whole words)", (), _phrases)
    regex: tuple[str, ...] = field("regular expressions (Python syntax; case matters unless (?i))", (), _regexes)
    in_prose: bool = field("also refuse the phrases in the article's text outside care cards (not only in "
                           "inline cards)", True)
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), _languages)
    level: str = field(SEVERITY, "error", _severity)

    def check_whole(self) -> str | None:
        """A rule needs a pattern."""
        return _no_pattern(self)


@dataclass(frozen=True)
class Consistent:
    """A named quantity with its one value: wherever its pattern matches, the value must be that one."""

    name: str = field("the quantity, as the writer reads it, e.g. days of treating pain yourself")
    message: str = _message()
    phrases: tuple[str, ...] = field("plain phrases with {value} where the value is written (any case, whole "
                                     "words; the value is one word or number)", (), _with_value)
    regex: tuple[str, ...] = field("regular expressions with one group in parentheses around the value", (),
                                   _one_group)
    value: str = field("the one value allowed", "")
    fact: str = field("or: the fact (in facts:) whose value is the one allowed", "")
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), _languages)
    level: str = field(SEVERITY, "error", _severity)

    def check_whole(self) -> str | None:
        """A quantity needs a pattern and one value: written out or a fact's."""
        if bool(self.value) == bool(self.fact):
            return f"the consistent rule '{excerpt(self.name)}' needs either value: or fact: (one of them)"
        for code, local in self.translations.items():
            found = _with_value(local.phrases) or _one_group(local.regex)
            if found:
                return f"translations: {code}: {found[1] if isinstance(found, tuple) else found}"
        return _no_pattern(self)


@dataclass(frozen=True)
class Avoid:
    """A word or phrase to avoid, with what to write instead and why (a warning unless made an error)."""

    instead: str = field("what to write instead")
    why: str = field("why, for the writer")
    phrases: tuple[str, ...] = field("plain words or phrases (any case, whole words)", (), _phrases)
    regex: tuple[str, ...] = field("regular expressions (Python syntax; case matters unless (?i))", (), _regexes)
    message: str = field("more for the writer, after why", "")
    translations: dict[str, Translation] = field(TRANSLATIONS, {}, _language_keys)
    languages: tuple[str, ...] = field(LANGUAGES, (), _languages)
    level: str = field("warning (the default) or error", "warning", _severity)

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
