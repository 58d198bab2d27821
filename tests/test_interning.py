"""The build's table of shared values: equal values held once, no value changed."""

import datetime as dt
from dataclasses import dataclass

from healthsite.problems import sharing_text, warning
from healthsite.reading.interning import Interner
from healthsite.writing.cache import printed, printed_parts


@dataclass(frozen=True)
class Fact:
    """A small frozen record like the ones a page holds."""

    name: str
    tags: tuple[str, ...]
    lines: tuple[tuple[str, int], ...]
    when: dt.date | None = None


def fresh(text: str) -> str:
    """An equal string that is a different object (as each article's copy comes from its worker)."""
    return "".join(list(text))


def test_equal_strings_tuples_and_dates_are_held_once_and_stay_equal():
    one = Interner().one
    first = one(Fact(fresh("hard section"), (fresh("running"), fresh("pain")), ((fresh("title"), 2),),
                     dt.date(2026, 1, 2)))
    second = one(Fact(fresh("hard section"), (fresh("running"), fresh("pain")), ((fresh("title"), 2),),
                      dt.date(2026, 1, 2)))
    assert first == second == Fact("hard section", ("running", "pain"), (("title", 2),), dt.date(2026, 1, 2))
    assert first.name is second.name and first.tags is second.tags and first.lines[0] is second.lines[0]
    assert first.when is second.when


def test_values_of_other_types_are_never_swapped_for_equal_ones():
    one = Interner().one
    assert one(("a", 1)) == ("a", 1)
    kept = one(("a", True))
    assert type(kept[1]) is bool
    assert [type(x) for x in one((1.0, 1, True))] == [float, int, bool]
    long = one((fresh("t"), 400, 3))  # a section (title, line, paragraph): the tuple itself is not kept
    assert long == ("t", 400, 3) and long is not one(("t", 400, 3))


def test_warnings_share_their_text_and_print_in_parts_as_one():
    problems = [warning(f"content/a{i}.md", i + 1, fresh("hard to read")) for i in range(5)]
    shared = sharing_text(problems)
    assert shared == problems and len({id(p.message) for p in shared}) == 1
    assert list(printed_parts(shared, size=2)) == [printed(shared[:2]), printed(shared[2:4]), printed(shared[4:])]
    assert "".join(printed_parts(shared, size=2)) == "".join(f"{p}\n" for p in problems)
