"""YAML into typed, validated dataclasses, with every problem at its line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import typing
from typing import Any, Callable

import yaml

from healthsite.reading import plain
from healthsite.problems import Problem, error, excerpt

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Check = Callable[[Any], "str | tuple[int, str] | None"]  # why a value is wrong (at a list's item: its index)
INVALID = object()


def field(doc: str, default: Any = dataclasses.MISSING, check: Check | None = None) -> Any:
    """Declare a typed option with a one-line doc and an optional value check."""
    meta = {"doc": doc, "check": check}
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass
class Reader:
    """Reads one YAML document of one file, collecting problems."""

    path: str
    offset: int = 0
    problems: list[Problem] = dataclasses.field(default_factory=list)
    key_lines: dict[str, int] = dataclasses.field(default_factory=dict)
    lines: dict[int, int] = dataclasses.field(default_factory=dict)  # id of each object made -> its mapping's line
    loader: Any = None

    def line(self, node: yaml.Node) -> int:
        """The file line where a node starts."""
        return node.start_mark.line + 1 + self.offset

    def fail(self, node: yaml.Node | None, message: str) -> object:
        """Record an error at a node and return INVALID."""
        self.problems.append(error(self.path, self.line(node) if node else self.offset + 1, message))
        return INVALID

    def parse(self, text: str) -> yaml.Node | None:
        """Compose the YAML text into a node tree; syntax errors become problems."""
        unbounded = unbounded_yaml(text)
        if unbounded:
            self.problems.append(error(self.path, unbounded[0] + self.offset, unbounded[1]))
            return None
        self.loader = Loader(text)
        try:
            return self.loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            index, message = _syntax(exc, text.split("\n"))
            self.problems.append(error(self.path, index + 1 + self.offset, f"YAML syntax: {message}"))
        except yaml.YAMLError as exc:
            self.problems.append(error(self.path, self.offset + 1, f"YAML syntax: {exc}"))
        return None

    def scalar(self, node: yaml.Node) -> Any:
        """Construct a node's plain Python value, or INVALID."""
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            return self.fail(node, f"invalid value: {excerpt(str(exc), 200)}")


MAX_DEPTH = 32
OPEN = (yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken, yaml.FlowSequenceStartToken,
        yaml.FlowMappingStartToken)
CLOSE = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


def unbounded_yaml(text: str) -> tuple[int, str] | None:
    """(line, why) if YAML text could make unbounded work: an alias (a few bytes can expand to gigabytes) or
    nesting deeper than MAX_DEPTH; None if it is bounded (syntax errors are left to the parser to report)."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=Loader):
            depth += isinstance(token, OPEN) - isinstance(token, CLOSE)
            line = token.start_mark.line + 1
            if isinstance(token, yaml.AliasToken):
                return line, (f"YAML alias '*{excerpt(token.value, 40)}' is not allowed: write the value out "
                              "in full (aliases can make a few bytes expand without bound)")
            if depth > MAX_DEPTH:
                return line, f"YAML nested more than {MAX_DEPTH} levels deep: flatten it"
    except yaml.YAMLError:
        return None
    return None


def _syntax(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """The line (from 0) and message of a YAML syntax error, in words a writer understands where possible."""
    marks = [m.line for m in (exc.problem_mark, exc.context_mark) if m and m.line < len(lines)]
    tabbed = [i for i in range(min(marks, default=0), max(marks, default=0) + 1)
              if "\t" in lines[i][:len(lines[i]) - len(lines[i].lstrip())]]
    if tabbed:
        return tabbed[0], "a tab in the indentation: indent with spaces, not tabs"
    if exc.problem and exc.problem.startswith("mapping values are not allowed") and exc.problem_mark:
        key, _, value = lines[exc.problem_mark.line].partition(": ")
        quote = "'" if '"' in value else '"'
        return exc.problem_mark.line, f"the value contains ': ': put the value in quotes, like " \
                                      f"{key.strip()}: {quote}{value.strip()}{quote}"
    mark = exc.context_mark or exc.problem_mark
    context = f"{exc.context}: " if exc.context else ""
    return (mark.line if mark else 0), f"{context}{exc.problem}"


def load(cls: type, text: str, reader: Reader) -> Any:
    """Load YAML text as an instance of dataclass `cls`, or None (problems are on the reader)."""
    node = reader.parse(text)
    if node is None and not reader.problems:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [], yaml.Mark("", 0, 0, 0, None, None))
    value = convert(cls, node, reader) if node is not None else INVALID
    return None if value is INVALID or reader.problems else value


def convert(tp: Any, node: yaml.Node, reader: Reader) -> Any:
    """Convert a node to type `tp`, or record why not and return INVALID."""
    origin = typing.get_origin(tp)
    if plain.optional(tp):
        return None if _is_null(node) else convert(plain.optional(tp), node, reader)
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, node, reader)
    if origin is tuple:
        return _sequence(typing.get_args(tp)[0], node, reader)
    if origin is dict:
        return _mapping(typing.get_args(tp)[1], node, reader)
    return _scalar(tp, node, reader)


def _is_null(node: yaml.Node) -> bool:
    """Whether a node is YAML null."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _dataclass(cls: type, node: yaml.Node, reader: Reader) -> Any:
    """A dataclass from a mapping node: unknown keys, missing keys and bad values are errors."""
    shorthand = getattr(cls, "SHORTHAND", "")  # a class may be written as one text: its SHORTHAND field
    if shorthand and isinstance(node, yaml.ScalarNode) and not _is_null(node):
        node = yaml.MappingNode("tag:yaml.org,2002:map", [(yaml.ScalarNode("tag:yaml.org,2002:str", shorthand,
                                node.start_mark, node.end_mark), node)], node.start_mark, node.end_mark)
    if not isinstance(node, yaml.MappingNode):
        return reader.fail(node, f"expected a mapping of {', '.join(f.name for f in dataclasses.fields(cls))}")
    schema = plain.fields(cls)
    fields, hints = {f.name: f for f, _ in schema}, {f.name: hint for f, hint in schema}
    values: dict[str, Any] = {}
    ok = True
    for key, name, value_node in _pairs(node, reader):
        reader.key_lines.setdefault(name, reader.line(key))
        if name not in fields:
            reader.fail(key, f"unknown key '{excerpt(name)}'{did_you_mean(name, fields)}")
            ok = False
            continue
        value = convert(hints[name], value_node, reader)
        check = fields[name].metadata.get("check")
        message = check(value) if check and value not in (INVALID, None) else None
        if isinstance(message, tuple):  # (index, why): one item of a list (or key of a mapping) is wrong, at its line
            index, message = message
            value_node = value_node.value[index] if isinstance(value_node, yaml.SequenceNode) else \
                value_node.value[index][0] if isinstance(value_node, yaml.MappingNode) else value_node
        if message:
            value = reader.fail(value_node, f"'{name}' {message}")
        ok = ok and value is not INVALID
        values[name] = value
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and name not in values:
            reader.fail(node, f"missing required key '{name}'")
            ok = False
    if not ok:
        return INVALID
    made = cls(**values)
    whole = getattr(made, "check_whole", None)  # a check of the keys together, at the mapping's line
    message = whole() if whole else None
    reader.lines[id(made)] = reader.line(node)
    return reader.fail(node, message) if message else made


def _pairs(node: yaml.MappingNode, reader: Reader) -> list[tuple[yaml.Node, str, yaml.Node]]:
    """The (key node, key, value node) pairs of a mapping; duplicate keys are errors."""
    seen: set[str] = set()
    pairs = []
    for key, value in node.value:
        name = str(reader.scalar(key))
        if name in seen:
            reader.fail(key, f"duplicate key '{excerpt(name)}'")
        seen.add(name)
        pairs.append((key, name, value))
    return pairs


def _sequence(item: Any, node: yaml.Node, reader: Reader) -> Any:
    """A tuple from a sequence node."""
    if not isinstance(node, yaml.SequenceNode):
        hint = f": write a list as [{excerpt(', '.join(map(str.strip, node.value.split(','))))}]" \
            if isinstance(node, yaml.ScalarNode) and isinstance(reader.scalar(node), str) and node.value.strip() else ""
        return reader.fail(node, f"expected a list, got {_describe(node, reader)}{hint}")
    items = tuple(convert(item, child, reader) for child in node.value)
    return INVALID if INVALID in items else items


def _mapping(item: Any, node: yaml.Node, reader: Reader) -> Any:
    """A dict from a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return reader.fail(node, f"expected a mapping, got {_describe(node, reader)}")
    result = {name: convert(item, value, reader) for _, name, value in _pairs(node, reader)}
    return INVALID if INVALID in result.values() else result


def _scalar(tp: type, node: yaml.Node, reader: Reader) -> Any:
    """A str, int, float, bool or date from a scalar node."""
    if not isinstance(node, yaml.ScalarNode):
        hint = " (a ': ' inside a value starts a mapping: put the value in quotes)" \
            if isinstance(node, yaml.MappingNode) and tp is not dict else ""
        return reader.fail(node, f"expected {_NAMES[tp]}, got {_describe(node, reader)}{hint}")
    if tp is dt.date:
        return _date(node, reader)
    value = reader.scalar(node)
    if value is INVALID:
        return value
    if tp is str:
        return node.value  # text is the value as written, whatever YAML makes of it
    try:
        return plain.decode(tp, value)  # the check a cached value passes: its exact type (a whole number is a number)
    except ValueError:
        return reader.fail(node, f"expected {_NAMES[tp]}, got {_describe(node, reader)}")


def _date(node: yaml.ScalarNode, reader: Reader) -> Any:
    """A date from a YAML date, datetime or ISO date string."""
    try:
        value = reader.loader.construct_object(node, deep=True)
        return value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) \
            else plain.decode(dt.date, str(value))
    except (ValueError, yaml.YAMLError):
        return reader.fail(node, f"invalid date '{excerpt(node.value)}' (expected a real date as YYYY-MM-DD)")


_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
          dt.date: "a date (YYYY-MM-DD)"}


def _describe(node: yaml.Node, reader: Reader) -> str:
    """A short description of what a node holds, for error messages."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    value = reader.scalar(node)
    kind = {bool: "true/false", int: "a number", float: "a number"}.get(type(value), "text")
    return f"{kind} '{excerpt(node.value)}'" if node.value != "" else "nothing"


def did_you_mean(name: str, choices: typing.Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' hint for a near miss, or ''."""
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
