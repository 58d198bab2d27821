"""A hostile site folder, round two: nothing in it runs, nothing outside it is written or read, published SVG is
safe, work is bounded by ceilings the site cannot raise, and every failure is an error at the right place."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from healthsite import search
from healthsite.cli import main
from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import article


def problems_of(root: Path, **options: object) -> list[str]:
    """The problems (as printed) of a build that must fail."""
    with pytest.raises(BuildError) as failed:
        build(Options(root / "site.yaml", **options))
    return [str(p) for p in failed.value.problems]


def planted(root: Path, payload: str, name: str = "404.html") -> int:
    """Put a payload at the start of a template's main block; the line it is on."""
    template = root / "templates" / name
    text = template.read_text()
    template.write_text(text.replace("{% block main %}", "{% block main %}" + payload, 1))
    return text[:text.index("{% block main %}")].count("\n") + 1


# 1. Nothing from the site folder runs -------------------------------------------------------------------------

ESCAPES = [
    "{% set _ = cycler.__init__.__globals__.os.system('touch MARKER') %}",
    "{{ joiner.__init__.__globals__['os'].system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{{ range.__self__ }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_the_archetype_renders_in_the_sandbox(make_site, tmp_path: Path, capsys, payload: str) -> None:
    """`new` renders templates/archetypes/article.md in the theme's sandbox: an escape is an error at its line."""
    marker = tmp_path / "ran"
    root = make_site({"content/a.md": article("A")})
    archetype = root / "templates" / "archetypes" / "article.md"
    archetype.write_text("---\ntitle: {{ title }}\n---\n" + payload.replace("MARKER", str(marker)) + "\n")
    assert main(["new", "knee", "--config", str(root / "site.yaml")]) == 1
    err = capsys.readouterr().err
    assert not marker.exists() and not (root / "content" / "knee.md").exists()
    assert err.startswith("templates/archetypes/article.md:4: error: template"), err
    assert "Traceback" not in err


BOMBS = [
    ("{{ 9 ** 999999999 }}", "too large"),
    ("{{ (10 ** 50000) ** 50000 }}", "too large"),
    ("{{ 'x' * 3000000000 }}", "too large"),
    ("{{ 3000000000 * 'x' }}", "too large"),
    ("{{ [1, 2] * 900000 }}", "too large"),
    ("{{ '%0999999999d' % 1 }}", "too large"),
    ("{{ '{:>999999999}'.format(1) }}", "too large"),
    ("{{ 'x'.center(999999999) }}", "too large"),
    ("{{ 'x'.ljust(999999999) }}", "too large"),
    ("{{ ('x' * 999999).replace('x', 'yyyyyy') }}", "too large"),
    ("{{ ('x' * 1000).join(range(100000)|map('string')) }}", "too large"),
    ("{{ 'x'|center(999999999) }}", "too large"),
    ("{{ 'x'|indent(999999999, true) }}", "too large"),
    ("{{ '%0999999999d'|format(1) }}", "too large"),
    ("{{ 'abc'|replace('', 'x' * 999999) }}", "too large"),
    ("{{ [1]|batch(999999999, 0)|list }}", "too large"),
    ("{{ [1]|slice(999999999)|list }}", "too large"),
    ("{{ range(100000)|join('x' * 999999) }}", "too large"),
    ("{{ range(999999999)|list }}", "Range too big"),
]


@pytest.mark.parametrize("payload,message", BOMBS)
def test_template_bombs_are_errors_at_their_line(make_site, payload: str, message: str) -> None:
    """Huge powers, repetitions, paddings and formats are refused before they are built: an error at the line."""
    root = make_site({"content/a.md": article("A")})
    line = planted(root, payload)
    started = time.monotonic()
    problems = problems_of(root, search_index=False)
    assert time.monotonic() - started < 20
    assert problems and all(p.startswith(f"templates/404.html:{line}: error: template") for p in problems), problems
    assert message in problems[0]


@pytest.mark.parametrize("payload", [
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{% set l = range(100000)|list %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}",
    "{% set ns = namespace(n=0) %}{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% set ns.n = ns.n + 1 %}{% endfor %}{% endfor %}",
])
def test_a_template_that_loops_too_long_is_an_error_at_its_line(make_site, payload: str) -> None:
    """Nested loops run within the render budget: an error at the template line, well before the loop ends."""
    root = make_site({"content/a.md": article("A")})
    line = planted(root, payload)
    started = time.monotonic()
    problems = problems_of(root, search_index=False)
    assert time.monotonic() - started < 40
    assert problems == [f"templates/404.html:{line}: error: template: took longer than 10 s to render (a loop "
                        "that runs too long?)"]


def test_the_render_budget_holds_off_the_main_thread(make_site) -> None:
    """Off the main thread (the dev server's rebuilds) a looping template is stopped too."""
    import threading
    root = make_site({"content/a.md": article("A")})
    line = planted(root, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    found: list[list[str]] = []
    thread = threading.Thread(target=lambda: found.append(problems_of(root, search_index=False)))
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    assert found == [[f"templates/404.html:{line}: error: template: took longer than 10 s to render (a loop "
                      "that runs too long?)"]]


def test_ordinary_arithmetic_and_padding_still_work(make_site) -> None:
    """The bounds leave what a theme does alone."""
    root = make_site({"content/a.md": article("A")})
    planted(root, "<p id=probe>{{ 2 ** 10 }} {{ '-' * 3 }} {{ '%03d' % 7 }} {{ 'ab'|center(6) }} "
                  "{{ [1, 2]|join(',') }} {{ 'a b'.replace(' ', '_') }} {{ '{:>4}'.format(1) }}</p>")
    build(Options(root / "site.yaml", search_index=False))
    assert "<p id=probe>1024 --- 007   ab   1,2 a_b    1</p>" in (root / "_site" / "404.html").read_text()


PAGEFIND_SETTINGS = "serve: true\nlogfile: {log}\nsite: {elsewhere}\nglob: '**/*.nothing'\n"


@pytest.mark.parametrize("name", ["pagefind.yml", "pagefind.yaml", "pagefind.toml", "pagefind.json"])
def test_pagefind_never_reads_settings_from_the_site_or_working_folder(make_site, tmp_path: Path, monkeypatch,
                                                                         name: str) -> None:
    """A Pagefind configuration in the working or site folder (or in PAGEFIND_* variables) is never obeyed: no
    server, no log file, no outside pages, the site's own pages indexed."""
    root = make_site({"content/a.md": article("A", body="Cadence matters.\n")})
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "secret").mkdir(parents=True)
    (elsewhere / "secret" / "index.html").write_text("<html><body><h1>Secret outside page</h1></body></html>")
    log = tmp_path / "pagefind.log"
    settings = {"pagefind.toml": f'serve = true\nlogfile = "{log}"\nsite = "{elsewhere}"\nglob = "**/*.nothing"\n',
                "pagefind.json": f'{{"serve": true, "logfile": "{log}", "site": "{elsewhere}", "glob": "*.x"}}'
                }.get(name, PAGEFIND_SETTINGS.format(log=log, elsewhere=elsewhere))
    (root / name).write_text(settings)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PAGEFIND_SERVE", "true")
    monkeypatch.setenv("PAGEFIND_LOGFILE", str(log))
    started = time.monotonic()
    report = build(Options(root / "site.yaml"))
    assert time.monotonic() - started < 120
    assert [p for p in report.notices if "search" in p.message] == []
    assert not log.exists()
    index = root / "_site" / "pagefind"
    assert (index / "pagefind-entry.json").is_file()
    assert not (elsewhere / "pagefind").exists() and not (elsewhere / "secret" / "pagefind").exists()


def test_pagefind_runs_with_explicit_settings_in_an_empty_folder(tmp_path: Path) -> None:
    """The command line names the site, the output, the glob; no log file, no server, no playground."""
    command = search.command("pagefind", tmp_path / "site", ["--output-path", "relative"])
    assert command == ["pagefind", "--site", str((tmp_path / "site").resolve()), "--output-path",
                       str(Path("relative").resolve()), "--glob", "**/*.{html}", "--quiet"]
    assert not {"--serve", "--logfile", "-l", "--write-playground"} & set(command)
