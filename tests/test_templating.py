"""The template environment: Jinja's sandbox and newstyle gettext, with their answers remembered, unchanged."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from healthsite.reading import i18n
from healthsite.rendering.templating import environment

SNIPPETS = [
    '{{ _("Read More") }}',
    '{{ _("about %(title)s", title=title) }}',
    '{{ _("100%% sure") }}',
    '{% autoescape false %}{{ _("about %(title)s", title=title) }}{% endautoescape %}',
    '{{ _("Back to citation %(number)s in the text", number=3) }}',
    '{{ gettext("Topics") }} {{ ngettext("%(num)d source", "%(num)d sources", 2) }}',
    '{% trans %}Topics{% endtrans %} {% trans n=2 %}{{ n }} source{% pluralize %}{{ n }} sources{% endtrans %}',
]


def jinja_own(folder: Path, code: str) -> jinja2.Environment:
    """Jinja's own sandbox with its own newstyle gettext, configured as the build's environment."""
    env = SandboxedEnvironment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(i18n.translations(code), newstyle=True)  # type: ignore[attr-defined]
    return env


@pytest.mark.parametrize("code", ["", "es"])
@pytest.mark.parametrize("snippet", SNIPPETS)
def test_translations_render_as_jinja_renders_them(tmp_path: Path, code: str, snippet: str) -> None:
    """`_()` gives what Jinja's newstyle gettext gives: looked up, escaped where autoescaping, always %-formatted."""
    ours, theirs = environment(tmp_path, {}, code), jinja_own(tmp_path, code)
    context = {"title": 'Knees & <b>"hips"</b>'}
    assert ours.from_string(snippet).render(context) == theirs.from_string(snippet).render(context)


def test_sandbox_remembers_its_answer_per_type(tmp_path: Path) -> None:
    """An attribute name safe on one type stays refused on another: a generator's frame, after an object's."""
    class Holder:
        gi_frame = "harmless"

    def numbers():
        yield 1

    env = environment(tmp_path, {})
    template = env.from_string("{{ holder.gi_frame }}")
    assert template.render(holder=Holder()) == "harmless"
    with pytest.raises(SecurityError):
        template.render(holder=numbers())
    assert template.render(holder=Holder()) == "harmless"
    with pytest.raises(SecurityError):
        env.from_string("{{ f.__globals__ }}").render(f=numbers)


def test_a_cached_fragment_renders_once_per_key(tmp_path: Path) -> None:
    """`{% cache %}` renders its body once per key; another key, template or line renders its own."""
    (tmp_path / "a.html").write_text('{% cache key %}{{ count() }}:{{ key }}{% endcache %}|'
                                     '{% cache key %}{{ count() }}{% endcache %}')
    (tmp_path / "b.html").write_text('{% cache key %}{{ count() }}:{{ key }}{% endcache %}')
    calls: list[int] = []
    env = environment(tmp_path, {"count": lambda: calls.append(1) or len(calls)})
    page = env.get_template("a.html")
    assert page.render(key="x") == "1:x|2" and page.render(key="x") == "1:x|2"
    assert page.render(key="<y>") == "3:&lt;y&gt;|4"
    assert env.get_template("b.html").render(key="x") == "5:x" and len(calls) == 5


def test_an_unhashable_key_renders_the_fragment_each_time(tmp_path: Path) -> None:
    """A key that cannot be hashed (a dict, a list of lists) is not cached: the fragment is rendered every time."""
    calls: list[int] = []
    env = environment(tmp_path, {"count": lambda: calls.append(1) or len(calls)})
    page = env.from_string("{% cache key %}{{ count() }}{% endcache %}")
    assert [page.render(key={1: 2}), page.render(key={1: 2})] == ["1", "2"]
    assert [page.render(key=[[1]]), page.render(key=[[1]])] == ["3", "4"]


def test_a_list_key_is_keyed_by_its_items(tmp_path: Path) -> None:
    """A list key (a grid's cards) caches its fragment by the items it holds: equal items, one rendering."""
    calls: list[int] = []
    env = environment(tmp_path, {"count": lambda: calls.append(1) or len(calls)})
    page = env.from_string("{% cache key %}{{ count() }}{% endcache %}")
    assert [page.render(key=[1, "a"]), page.render(key=[1, "a"]), page.render(key=[1, "b"])] == ["1", "1", "2"]


def test_a_grid_of_cards_renders_again_only_the_run_that_changed(tmp_path: Path) -> None:
    """The theme's card grid caches runs of cards: after one card of a long grid changes, only its run's cards
    are rendered again, and the grid reads the same as one rendered afresh."""
    from healthsite.model.site import Card
    env = environment(tmp_path / "none", {})
    grid = env.from_string('{% from "partials/card.html" import cards %}{{ cards(items) }}')
    items = [Card(f"Title {n}", f"About {n}", f"/a{n}/") for n in range(50)]
    first = grid.render(items=items)
    cache = env.extensions["healthsite.rendering.templating.FragmentCache"]
    before = len(cache.fragments)
    items[45] = Card("A new title", "About 45", "/a45/")
    again = grid.render(items=items)
    assert len(cache.fragments) - before == 2  # one new card, one new run of cards
    fresh = environment(tmp_path / "none", {}).from_string(
        '{% from "partials/card.html" import cards %}{{ cards(items) }}').render(items=items)
    assert again == fresh != first and again.count('class="card"') == 50


def test_the_fragment_cache_is_bounded_by_its_characters(tmp_path: Path) -> None:
    """Fragments are kept up to a number of characters, the oldest let go first; a let-go one renders again."""
    calls: list[int] = []
    env = environment(tmp_path, {"count": lambda: calls.append(1) or len(calls)})
    cache = env.extensions["healthsite.rendering.templating.FragmentCache"]
    cache.LIMIT = 25
    page = env.from_string("{% cache key %}{{ key }}{{ count() }}{% endcache %}")
    assert [page.render(key="a" * 9), page.render(key="b" * 9), page.render(key="c" * 9)] == \
        ["a" * 9 + "1", "b" * 9 + "2", "c" * 9 + "3"]
    assert cache.size == 20 and [k[1][0] for k in cache.fragments] == ["b", "c"]
    assert page.render(key="c" * 9) == "c" * 9 + "3" and page.render(key="a" * 9) == "a" * 9 + "4"
