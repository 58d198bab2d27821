"""A hostile site folder, round two: nothing in it runs, nothing outside it is written or read, published SVG is
safe, work is bounded by ceilings the site cannot raise, and every failure is an error at the right place."""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest

from healthsite.writing import search
from healthsite.commands.cli import main
from healthsite.pipeline import Options, build
from healthsite.problems import BuildError
from tests.conftest import SITE_YAML, article

NEXT = SITE_YAML.count("\n") + 1  # the line of a setting added to SITE_YAML


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
    err = "".join(capsys.readouterr())
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
                       str(Path("relative").resolve()), "--glob", "**/*.{html}", *search.NOT_INDEXED, "--quiet"]
    assert not {"--serve", "--logfile", "-l", "--write-playground"} & set(command)


# 2. Nothing outside the site is written -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["../../elsewhere", "/tmp/elsewhere", "..", "a/../../b", "C:/x", "'  '"])
def test_output_dir_must_lie_inside_the_site(make_site, value: str) -> None:
    """output_dir outside the site folder (up, absolute, a drive) is an error at its line; nothing is written."""
    root = make_site({"content/a.md": article("A"), "site.yaml": SITE_YAML + f"output_dir: {value}\n"})
    problems = problems_of(root)
    assert len(problems) == 1 and problems[0].startswith(f"site.yaml:{NEXT}: error: 'output_dir' must be a path "
                                                         "inside the site folder"), problems


@pytest.mark.parametrize("name,drafts", [("_site", False), ("_preview", True), ("public", False)])
def test_an_output_folder_that_is_a_link_is_refused(make_site, tmp_path: Path, name: str, drafts: bool) -> None:
    """A committed _site or _preview link (or output_dir through any link) to an outside folder is refused."""
    extra = "output_dir: public/site\n" if name == "public" else ""
    root = make_site({"content/a.md": article("A"), "site.yaml": SITE_YAML + extra,
                      "static/_x.sh": "echo hi\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / name).symlink_to(outside, target_is_directory=True)
    problems = problems_of(root, drafts=drafts)
    assert len(problems) == 1 and "leads through a link" in problems[0], problems
    assert problems[0].startswith(f"site.yaml:{NEXT if extra else 1}: error:"), problems
    assert list(outside.iterdir()) == []


def test_output_given_on_the_command_line_may_be_anywhere(make_site, tmp_path: Path) -> None:
    """--out is the user's own choice: it may lie outside the site folder."""
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml", tmp_path / "elsewhere" / "out", search_index=False))
    assert (tmp_path / "elsewhere" / "out" / "a" / "index.html").is_file()


@pytest.mark.parametrize("fmt", ["html", "json", "text"])
def test_check_output_refuses_a_link_and_a_file_it_did_not_write(make_site, tmp_path: Path, capsys,
                                                                 fmt: str) -> None:
    """check --output never writes through a link (e.g. into a .pth file) nor over a file it did not write; it
    replaces its own report."""
    root = make_site({"content/a.md": article("import os; print('ran')")})
    victim = tmp_path / "victim.pth"
    victim.write_text("keep me\n")
    target = root / "dashboard.out"
    target.symlink_to(victim)
    command = ["check", "--config", str(root / "site.yaml"), "--format", fmt, "--output", str(target)]
    assert main(command) == 1
    err = "".join(capsys.readouterr())
    assert f"{target}:1: error: the report's file is a link" in err and "Traceback" not in err
    assert victim.read_text() == "keep me\n" and target.is_symlink()
    assert main(["check", "--config", str(root / "site.yaml"), "--format", fmt, "--output", str(victim)]) == 1
    assert f"{victim}:1: error: the file exists and is not a report that check wrote" in "".join(capsys.readouterr())
    assert victim.read_text() == "keep me\n"
    target.unlink()
    assert main(command) == 0 and main(command) == 0  # its own report is replaced
    assert not target.is_symlink() and target.stat().st_nlink == 1


@pytest.mark.parametrize("planted", ["link", "folder", "fifo", "hardlink"])
def test_a_planted_media_file_is_replaced_not_followed(make_site, tmp_path: Path, planted: str) -> None:
    """A link, folder, pipe or hard link planted at a media file's known name (the digest of its bytes, which the
    store's media row gives) is discarded or replaced, and the file made again; nothing outside the cache is
    written."""
    import os
    from tests.test_images import png  # a small real image
    root = make_site({"content/a.md": article("A", body="![A tree](images/tree.png)\n")})
    (root / "content" / "images").mkdir(exist_ok=True)
    (root / "content" / "images" / "tree.png").write_bytes(png(400, 300))
    build(Options(root / "site.yaml", search_index=False))
    published = {p.name: p.read_bytes() for p in (root / "_site").rglob("*") if p.suffix in (".png", ".webp")}
    media = root / ".healthsite-cache" / "media"
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    made = sorted(media.iterdir())
    assert len(made) > 1
    for path in made:
        path.unlink()
        if planted == "link":
            path.symlink_to(victim)
        elif planted == "folder":
            path.mkdir()
        elif planted == "fifo":
            os.mkfifo(path)
        else:
            os.link(victim, path)
    (root / "content" / "a.md").write_text(article("A", body="![A tree](images/tree.png)\n\nMore.\n"))
    report = build(Options(root / "site.yaml", search_index=False))
    assert victim.read_text() == "keep me\n"
    assert [p for p in report.notices if "Traceback" in p.message] == []
    assert [p.name for p in media.iterdir() if not p.is_file() or p.is_symlink() or p.stat().st_nlink != 1] == []
    assert sorted(media.iterdir()) == made
    assert {p.name: p.read_bytes() for p in (root / "_site").rglob("*") if p.suffix in (".png", ".webp")} == published


# 3. Nothing outside the site is read --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["../../victim/content/es", "/etc", "..", "es/../../x", "e s", "es_ES", "C:",
                                  "español", "x" * 40, "es-"])
def test_language_codes_are_bcp47_tags_never_paths(make_site, tmp_path: Path, code: str) -> None:
    """A language code that is not a BCP 47 tag is an error at its line in site.yaml; nothing is read there."""
    root = make_site({"content/a.md": article("A"), "site.yaml": SITE_YAML + LANGUAGE.format(code=code)})
    problems = problems_of(root)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"site.yaml:{NEXT + 1}: error: language code '") and \
        "is not a BCP 47 language tag: use a tag like es or pt-BR" in problems[0], problems


LANGUAGE = """languages:
  "{code}":
    language: es
    name: Español
    title: Salud
    disclaimer: Información general.
    call_to_action:
      heading: ¿Ayuda?
      text: Hable con su médico.
"""


@pytest.mark.parametrize("code", ["es", "pt-BR", "zh-Hant-TW", "sr-Latn", "es-419"])
def test_real_language_tags_are_accepted(make_site, code: str) -> None:
    """Ordinary tags (language, script, region) are fine."""
    root = make_site({"content/a.md": article("A"), f"content/{code}/b.md": article("B", translation_of="a.md"),
                      "site.yaml": SITE_YAML + LANGUAGE.format(code=code)})
    build(Options(root / "site.yaml", search_index=False))
    assert (root / "_site" / code / "b" / "index.html").is_file()


@pytest.mark.parametrize("where", ["content/a.md", "content/care/x.md", "templates/base.html", "static/x.css",
                                   "content/images/x.png"])
def test_a_hard_link_in_the_site_is_an_error_at_its_path(make_site, tmp_path: Path, where: str) -> None:
    """A file with more than one hard link (e.g. to a file outside the site) is refused unread, at its path."""
    import os
    root = make_site({"content/a.md": article("A")})
    outside = tmp_path / "secret.txt"
    outside.write_text("a secret\n")
    path = root / where
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.link(outside, path)
    problems = problems_of(root)
    assert problems == [f"{where}:1: error: a file with more than one hard link (another name for a file that may "
                        "lie outside the site folder): copy the file here instead"]


@pytest.mark.parametrize("kind", ["fifo", "hardlink", "folder"])
@pytest.mark.parametrize("name", ["site.yaml", "data/bibliography.yaml"])
def test_site_yaml_and_bibliography_as_pipes_folders_or_hard_links(make_site, tmp_path: Path, capsys,
                                                                   kind: str, name: str) -> None:
    """site.yaml or the bibliography as a named pipe (which would hang a read), a folder or a hard link is an
    error at its path, in build and check, never a hang or a traceback."""
    import os
    root = make_site({"content/a.md": article("A"), "site.yaml": SITE_YAML + "bibliography: data/bibliography.yaml\n",
                      "data/bibliography.yaml": "{}\n"})
    path = root / name
    text = path.read_text()
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        (tmp_path / "other").write_text(text)
        os.link(tmp_path / "other", path)
    why = {"fifo": "neither a file nor a folder", "folder": "a folder where a file should be",
           "hardlink": "a file with more than one hard link"}[kind]
    for command in (["--config", str(root / "site.yaml"), "--no-search"], ["check", "--config", str(root / "site.yaml")]):
        started = time.monotonic()
        assert main(command) == 1
        err = "".join(capsys.readouterr())
        assert time.monotonic() - started < 30
        assert f"{name}:1: error: cannot read file: it is {why}" in err and "Traceback" not in err, err


# 5. Bounded work with ceilings the site cannot raise ----------------------------------------------------------


@pytest.mark.parametrize("setting,value", [("render_seconds", "100000000"), ("render_seconds", ".inf"),
                                           ("render_seconds", ".nan"), ("render_seconds", "11"),
                                           ("article_bytes", "1000001"), ("line_characters", "1000000")])
def test_limits_may_only_lower_the_engines_ceilings(make_site, setting: str, value: str) -> None:
    """A limit above the engine's ceiling, or not finite, is an error at its line."""
    root = make_site({"content/a.md": article("A"), "site.yaml": SITE_YAML + f"limits:\n  {setting}: {value}\n"})
    problems = problems_of(root)
    assert len(problems) == 1 and problems[0].startswith(f"site.yaml:{NEXT + 1}: error: '{setting}' must be from ") \
        and "which site.yaml may lower but never raise" in problems[0], problems


@pytest.mark.parametrize("setting,value", [("warn_grade", "1e12"), ("warn_grade", "1.0e+12"), ("warn_grade", "1000000000000"),
                                           ("pass_grade", ".inf"), ("pass_grade", "-1"), ("min_citations", "100000000"),
                                           ("min_words", "1000000000"), ("max_description", "0"),
                                           ("max_sentence_words", "100000000"), ("warn_ease", ".nan"),
                                           ("pass_ease", "1e300")])
def test_editorial_settings_are_range_checked_at_their_line(make_site, capsys, setting: str, value: str) -> None:
    """House-rule thresholds out of range are errors at their line in build and check (no dashboard loop)."""
    root = make_site({"content/a.md": article("A"), "site.yaml": SITE_YAML + f"editorial:\n  {setting}: {value}\n"})
    problems = problems_of(root)
    assert len(problems) == 1 and problems[0].startswith(f"site.yaml:{NEXT + 1}: error: "), problems
    assert f"'{setting}' must be a number from" in problems[0] or "expected a number" in problems[0]
    assert main(["check", "--config", str(root / "site.yaml"), "--format", "html", "--output",
                 str(root.parent / "d.html")]) == 1
    capsys.readouterr()
    where, message = problems[0].split(": error: ")
    listed = html.unescape((root.parent / "d.html").read_text())  # the dashboard lists the error first
    assert f"<code>{where}</code> {message.split(': ')[0]}" in listed


# 4. Published SVG is safe by construction; serve sends the security headers -----------------------------------

SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<rect width="10" height="10"/>\n'
STYLESHEET = '<?xml version="1.0" encoding="{enc}"?>\n<?xml-stylesheet type="text/xsl" href="x.xsl"?>\n'


def svg_errors(make_site, capsys, data: bytes) -> list[str]:
    """The errors `build` prints for an article showing one SVG."""
    root = make_site({"content/a.md": article("A", body="![A dog](images/dog.svg)\n")})
    (root / "content" / "images").mkdir(exist_ok=True)
    (root / "content" / "images" / "dog.svg").write_bytes(data)
    assert main(["--config", str(root / "site.yaml"), "--no-search"]) == 1
    err = "".join(capsys.readouterr())
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("content/images/dog.svg:")]


@pytest.mark.parametrize("data,message", [
    ((STYLESHEET.format(enc="UTF-16") + SVG_HEAD + "</svg>\n").encode("utf-16"), "SVG is saved as UTF-16"),
    ((STYLESHEET.format(enc="UTF-16") + SVG_HEAD + "</svg>\n").encode("utf-16-be"), "SVG holds NUL characters"),
    ((STYLESHEET.format(enc="UTF-32") + SVG_HEAD + "</svg>\n").encode("utf-32"), "SVG is saved as UTF-32"),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + SVG_HEAD.encode() + b"<text>caf\xe9</text></svg>",
     "SVG declares the encoding 'ISO-8859-1'"),
    (SVG_HEAD.encode() + b"<text>caf\xe9</text></svg>", "SVG is not valid UTF-8 (byte 0xe9)"),
    ((STYLESHEET.format(enc="UTF-8") + SVG_HEAD + "</svg>\n").encode(), "SVG loads an external stylesheet"),
    ((SVG_HEAD + '<?xml-stylesheet href="#s"?>\n</svg>\n').encode(), "SVG loads an external stylesheet"),
    ((SVG_HEAD + "<?php echo 1 ?>\n</svg>\n").encode(), "SVG holds a processing instruction (<?php?>)"),
])
def test_svg_encodings_and_processing_instructions(make_site, capsys, data: bytes, message: str) -> None:
    """An SVG in another encoding than UTF-8 (which a browser would decode and the checks would not see), or
    with a processing instruction, is an error at the file."""
    found = svg_errors(make_site, capsys, data)
    assert found and found[0].startswith("content/images/dog.svg:") and message in found[0], found


@pytest.mark.parametrize("snippet,message", [
    ('<set attributeName="href" to="javascript:alert(1)"/>', "SVG contains <set>"),
    ('<animate attributeName="href" values="javascript:alert(1)"/>', "SVG contains <animate>"),
    ('<set attributeName="onmouseover" to="alert(1)"/>', "SVG contains <set>"),
    ('<animateTransform attributeName="transform" type="rotate"/>', "SVG contains <animateTransform>"),
    ('<animateMotion path="M0 0"/>', "SVG contains <animateMotion>"),
    ('<a href="#x"><rect width="1" height="1"/></a>', "SVG contains <a>"),
    ('<metadata><x/></metadata>', "SVG contains <metadata>"),
    ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="x"/>', "SVG contains <iframe> from another namespace"),
    ('<rect width="1" height="1" formaction="x"/>', "SVG has the attribute 'formaction'"),
    ('<rect width="1" height="1" xml:base="https://x.example/"/>', "SVG has the attribute 'base'"),
    ('<style>rect { fill: u\\72l(https://x.example/a.svg#g) }</style>', "SVG style uses a CSS escape"),
    ('<style>@\\69mport "https://x.example/a.css";</style>', "SVG style uses a CSS escape"),
    ('<style>@font-face { font-family: x; src: local(x) }</style>', "SVG style uses an at-rule other than"),
    ('<style>rect { fill: image-set("https://x.example/a.png" 1x) }</style>', "SVG style uses image-set()"),
    ('<style>rect { fill: -webkit-image-set(url(#a) 1x) }</style>', "SVG style uses -webkit-image-set()"),
    ('<rect width="1" height="1" style="fill: url(\'https://x.example/p\')"/>', "SVG refers to 'https://x.example/p'"),
    ('<rect width="1" height="1" style="background: cross-fade(url(#a), url(#b))"/>', "SVG style uses cross-fade()"),
    ('<rect width="1" height="1" fill="url( https://x.example/p )"/>', "SVG refers to 'https://x.example/p'"),
    ('<style>rect { fill: u/**/rl(https://x.example/p) }</style>', "SVG style uses rl()"),
    ('<image href=" https://x.example/p.png"/>', "SVG refers to ' https://x.example/p.png' outside itself"),
    ('<use xmlns:x="http://www.w3.org/1999/xlink" x:href="data:image/svg+xml,x"/>', "SVG refers to 'data:"),
])
def test_svg_is_checked_against_an_allowlist(make_site, capsys, snippet: str, message: str) -> None:
    """Animation (of href or event attributes, or anything), links, foreign elements, unknown attributes, CSS
    escapes, at-rules and functions that could fetch are errors at the SVG."""
    found = svg_errors(make_site, capsys, (SVG_HEAD + snippet + "\n</svg>\n").encode())
    assert found and found[0].startswith("content/images/dog.svg:3: error: ") and message in found[0], found


@pytest.mark.parametrize("size", ['width="inf" height="10"', 'width="1e400" height="10"', 'width="nan" height="1"',
                                  'viewBox="0 0 inf 10"', 'viewBox="0 0 1e999 1"', 'width="-inf" height="-inf"'])
def test_an_svg_with_an_infinite_size_is_an_error_at_the_svg(make_site, capsys, size: str) -> None:
    """width="inf" and friends are an error at the SVG, never a traceback."""
    found = svg_errors(make_site, capsys, f'<svg xmlns="http://www.w3.org/2000/svg" {size}>\n</svg>\n'.encode())
    assert found and found[0].startswith("content/images/dog.svg:1: error: SVG has no usable size"), found


def test_a_drawing_with_gradients_styles_and_local_references_still_publishes(make_site) -> None:
    """What drawings use (gradients, url(#id), <use href="#id">, a style sheet with colours and @media) is fine."""
    svg = ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" role="img" aria-label="A dog">\n'
           '<title>A dog</title><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
           '<filter id="f"><feGaussianBlur stdDeviation="1"/></filter></defs>\n'
           '<style>@media (prefers-color-scheme: dark) { .a { fill: rgb(1 2 3); } } .b { fill: url(#g) }</style>\n'
           '<rect class="a" width="10" height="10" fill="url(#g)" filter="url(#f)" data-part="body"/>'
           '<use xlink:href="#g"/><text xml:space="preserve" font-family="sans-serif">Dog</text>\n</svg>\n')
    root = make_site({"content/a.md": article("A", body="![A dog](images/dog.svg)\n")})
    (root / "content" / "images").mkdir(exist_ok=True)
    (root / "content" / "images" / "dog.svg").write_text(svg)
    build(Options(root / "site.yaml", search_index=False))


def test_serve_sends_the_security_headers_of_headers_on_every_response(make_site) -> None:
    """Pages, assets, redirects, 404s and malformed requests all carry the CSP and the other headers of
    static/_headers."""
    from healthsite.rendering.secheaders import SECURITY_HEADERS, from_headers_file
    from tests.conftest import THEME
    from tests.test_security import _exchange
    from tests.test_serve import Running
    shipped = from_headers_file((THEME / "static" / "_headers").read_text())
    assert {k: v for k, v in shipped.items() if k in SECURITY_HEADERS} == SECURITY_HEADERS
    running = Running(make_site({"content/a.md": article("A title")}))
    try:
        for request in (b"GET /a/ HTTP/1.1", b"GET /a HTTP/1.1", b"GET /nowhere/ HTTP/1.1",
                        b"GET /__healthsite/reload.js HTTP/1.1", b"GET /%zz HTTP/1.1", b"BREW / HTTP/1.1"):
            answer = _exchange(running.port, request + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            for name, value in SECURITY_HEADERS.items():
                assert f"\r\n{name}: {value}" in head, (request, head)
    finally:
        running.server.stop()


# 5 (continued). Images are measured from their header; cards are capped ---------------------------------------


def png_header(width: int, height: int, depth: int = 1, colour: int = 0) -> bytes:
    """A PNG that claims a size in its header (nothing of it need be decoded to refuse it)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def image_errors(make_site, capsys, name: str, data: bytes) -> dict[str, list[str]]:
    """The errors `build` and `check` print for an article showing one image."""
    root = make_site({"content/a.md": article("A", body=f"![A dog](images/{name})\n")})
    (root / "content" / "images").mkdir(exist_ok=True)
    (root / "content" / "images" / name).write_bytes(data)
    found = {}
    for command in ("build", "check"):
        started = time.monotonic()
        assert main([command, "--config", str(root / "site.yaml"), "--no-search"][:None if command == "build"
                                                                                     else 3]) == 1
        assert time.monotonic() - started < 30
        err = "".join(capsys.readouterr())
        assert "Traceback" not in err
        found[command] = [line for line in err.splitlines() if ": error: " in line]
    return found


@pytest.mark.parametrize("width,height,message", [
    (13000, 13000, "over the limit of 40 megapixels"),
    (1, 89_000_000, "over the limit of 40 megapixels"),
    (100, 20000, "a side over 16,383 pixels cannot be published as WebP"),
    (20000, 100, "a side over 16,383 pixels cannot be published as WebP"),
    (7000, 7000, "over the limit of 40 megapixels"),
])
def test_huge_images_are_refused_from_their_header(make_site, capsys, width: int, height: int, message: str) -> None:
    """Pixels and sides are checked from the header before decoding: an error at the image, in build and check."""
    found = image_errors(make_site, capsys, "big.png", png_header(width, height))
    for command in ("build", "check"):
        assert [line for line in found[command] if line.startswith("content/images/big.png:1: error: ")], found
        assert message in found[command][0] or any(message in line for line in found[command]), found


@pytest.mark.parametrize("name,cut", [("cut.png", 0.5), ("cut.png", 0.9), ("cut.jpg", 0.5), ("cut.jpg", 0.98)])
def test_a_truncated_image_is_an_error_at_the_image(make_site, capsys, name: str, cut: float) -> None:
    """A file cut short is an error at the image (not site.yaml:1), in build and in check."""
    import io
    from PIL import Image as PilImage
    picture = PilImage.effect_noise((300, 200), 64).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "PNG" if name.endswith(".png") else "JPEG")
    data = out.getvalue()
    found = image_errors(make_site, capsys, name, data[:int(len(data) * cut)])
    for command in ("build", "check"):
        assert any(line.startswith(f"content/images/{name}:1: error: cannot read the image") for line in found[command]), found
        assert not any(line.startswith("site.yaml") for line in found[command]), found


def test_an_image_that_fails_while_being_made_is_an_error_at_the_image(make_site, capsys, monkeypatch) -> None:
    """Whatever stops a variant from being made is reported at the image file, never as a traceback."""
    from healthsite.rendering import media
    from tests.test_images import png

    def broken(data: bytes, width: int, kind: str) -> bytes:
        raise OSError("image file is truncated")
    monkeypatch.setattr(media, "encode", broken)
    root = make_site({"content/a.md": article("A", body="![A dog](images/dog.png)\n")})
    (root / "content" / "images").mkdir(exist_ok=True)
    (root / "content" / "images" / "dog.png").write_bytes(png(400, 300))
    problems = problems_of(root, search_index=False, jobs=1)
    assert problems == ["content/images/dog.png:1: error: cannot make the published image (OSError: image file is "
                        "truncated); save the file again as PNG or JPEG"]


@pytest.mark.parametrize("field", ["site", "title", "topic"])
def test_huge_strings_on_the_social_card_are_capped(make_site, field: str) -> None:
    """A 200 KB site title, article title or topic reaches the card capped: the build succeeds, quickly."""
    huge = "Word " * 40_000
    site = SITE_YAML.replace("title: Test Health", f"title: {huge}") if field == "site" else SITE_YAML
    if field == "topic":
        site += f"topics:\n  t:\n    title: {huge}\n"
    fields = {"tags": "[t]"} if field == "topic" else {}
    root = make_site({"site.yaml": site, "content/a.md": article(huge if field == "title" else "A", **fields)})
    started = time.monotonic()
    try:
        build(Options(root / "site.yaml", search_index=False))
    except BuildError as exc:  # a title this long may be refused by a content rule: at a line, never a traceback
        assert all(":" in str(p) and ": error: " in str(p) for p in exc.problems)
    assert time.monotonic() - started < 60


def test_card_text_is_capped() -> None:
    """The card shows at most 300 characters of a title, 100 of the site's name or topic."""
    from healthsite.model.previews import capped
    assert capped("x" * 1000, 300) == "x" * 296 + " ..." and len(capped("y " * 1000, 100)) <= 100
    assert capped("short", 300) == "short"


# 6. No traceback, ever; Ctrl-C is clean ------------------------------------------------------------------------


@pytest.mark.parametrize("length", [101, 226, 240, 300])
def test_a_slug_too_long_for_a_file_name_is_an_error_at_the_article(make_site, length: int) -> None:
    """A slug (from the file name or `slug:`) too long to name the files made from it is an error at the article."""
    slug = ("a" * length)[:length]
    root = make_site({"content/b.md": article("B", slug=slug)})
    assert problems_of(root) == [f"content/b.md:4: error: 'slug' '{slug[:57]}...' is too long for a slug "
                                 f"({length} characters; at most 100)"] or \
        all(p.startswith("content/b.md:4: error: 'slug'") and "too long" in p for p in problems_of(root))
    if length <= 240:  # a file name must fit the file system itself
        root = make_site({f"content/{slug}.md": article("C")})
        (root / "content" / "b.md").unlink()
        problems = problems_of(root)
        assert len(problems) == 1 and problems[0].startswith(f"content/{slug}.md:1: error: file name '"), problems


@pytest.mark.parametrize("slug", ["es", "pt-br"])
def test_a_slug_that_is_a_language_code_is_an_error_at_the_article(make_site, slug: str) -> None:
    """`slug: es` would take the Spanish edition's address: an error at the article's slug line."""
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B", slug=slug),
                      f"content/{slug}/c.md": article("C", translation_of="a.md"),
                      "site.yaml": SITE_YAML + LANGUAGE.format(code=slug)})
    assert problems_of(root) == [f"content/b.md:4: error: slug '{slug}' is the address of the '{slug}' edition "
                                 f"(/{slug}/, languages: in site.yaml); choose another"]


def test_a_bibliography_that_is_a_folder_is_an_error_in_build_and_check(make_site, capsys) -> None:
    """content/bibliography.yaml as a folder: an error at it, in build and in check."""
    root = make_site({"content/a.md": article("A")})
    (root / "content" / "bibliography.yaml").mkdir()
    for command in (["--config", str(root / "site.yaml")], ["check", "--config", str(root / "site.yaml")]):
        assert main(command) == 1
        err = "".join(capsys.readouterr())
        assert "content/bibliography.yaml:1: error: cannot read file: it is a folder where a file should be" in err
        assert "Traceback" not in err


@pytest.mark.parametrize("name", ["cache.sqlite", "html/planted", ".gitignore"])
def test_a_folder_planted_in_the_cache_is_discarded(make_site, name: str) -> None:
    """A folder where the cache keeps a file is removed (with at most one warning), never a traceback."""
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml", search_index=False))
    path = root / ".healthsite-cache" / name
    if path.is_file():
        path.unlink()
    path.mkdir(parents=True)
    (path / "inside").write_text("x")
    (root / "content" / "a.md").write_text(article("A changed"))
    report = build(Options(root / "site.yaml", search_index=False))
    assert len(report.notices) <= 1
    assert not path.is_dir()
    assert "A changed" in (root / "_site" / "a" / "index.html").read_text()


@pytest.mark.parametrize("where", ["cache", "media", "output"])
def test_a_full_disk_is_a_clear_message(make_site, capsys, monkeypatch, where: str) -> None:
    """ENOSPC while the cache or the site is written: a message, the previous site untouched, no traceback."""
    import errno
    from healthsite.writing import bodystore, cache, store, writer
    root = make_site({"content/a.md": article("A")})
    assert main(["--config", str(root / "site.yaml"), "--no-search", "-q"]) == 0
    before = (root / "_site" / "a" / "index.html").read_bytes()
    capsys.readouterr()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")
    if where == "cache":  # the cache written last, once the site is in place
        monkeypatch.setattr(store, "write", full)
        monkeypatch.setattr(bodystore, "replace_file", full)
    elif where == "media":  # the media cache, written before the site
        monkeypatch.setattr(cache, "write_fresh", full)
    else:
        monkeypatch.setattr(writer, "_link", full)
        monkeypatch.setattr(writer, "open", lambda *a, **k: full(), raising=False)
    (root / "content" / "a.md").write_text(article("A changed"))
    status = main(["--config", str(root / "site.yaml"), "--no-search"])
    err = "".join(capsys.readouterr())
    assert "Traceback" not in err and "No space left on device" in err, err
    if where == "cache":
        assert status == 0 and "A changed" in (root / "_site" / "a" / "index.html").read_text()
        assert ".healthsite-cache:1: warning: build cache not written (No space left on device)" in err
    else:
        assert status == 1 and (root / "_site" / "a" / "index.html").read_bytes() == before, err


@pytest.mark.parametrize("group", [True, False])
def test_ctrl_c_stops_the_workers_and_exits_130(tmp_path: Path, group: bool) -> None:
    """SIGINT during a build on a pool: exit status 130, one line, no traceback, no worker left, the previous site
    untouched."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    from tests.conftest import REPO
    root = tmp_path / "site"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "content").mkdir()
    (root / "site.yaml").write_text(SITE_YAML)
    (root / "content" / "a.md").write_text(article("A"))
    command = [sys.executable, str(REPO / "build.py"), "--config", str(root / "site.yaml"), "--no-search",
               "--jobs", "2", "-q"]
    subprocess.run(command, check=True, timeout=120)
    before = (root / "_site" / "a" / "index.html").read_bytes()
    body = "".join(f"## Part {n}\n\n" + "Walk a little more each day, and rest when it hurts. " * 60 + "\n\n"
                   for n in range(12))
    for number in range(600):
        (root / "content" / f"p{number}.md").write_text(article(f"Page {number}", body=body))
    (root / "content" / "a.md").write_text(article("A changed"))
    running = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    time.sleep(3)  # the pool is at work on the articles (they take well over 3 s)
    assert running.poll() is None, running.communicate()
    if group:
        os.killpg(running.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole process group
    else:
        os.kill(running.pid, signal.SIGINT)  # the main process only: it must stop its workers itself
    out, err = running.communicate(timeout=60)
    assert running.returncode == 130, err
    assert err == "interrupted: stopped; the previous site was left as it was\n", err
    assert (root / "_site" / "a" / "index.html").read_bytes() == before
    time.sleep(1)
    left = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(root).encode() in (entry / "cmdline").read_bytes():
                left.append(entry.name)
        except OSError:
            pass
    assert left == []


def test_translated_never_writes_through_a_hard_link(make_site, tmp_path: Path, capsys) -> None:
    """`translated` refuses a translation that is a hard link (its write would change a file outside the site)."""
    import os
    outside = tmp_path / "outside.md"
    outside.write_text(article("C", translation_of="a.md"))
    root = make_site({"content/a.md": article("A"), "site.yaml": SITE_YAML + LANGUAGE.format(code="es")})
    (root / "content" / "es").mkdir()
    os.link(outside, root / "content" / "es" / "c.md")
    assert main(["translated", "es/c", "--config", str(root / "site.yaml")]) == 1
    assert "content/es/c.md:1: error: a file with more than one hard link" in "".join(capsys.readouterr())
    assert "translated_from" not in outside.read_text()


@pytest.mark.parametrize("name", ["cache.sqlite", "cache.sqlite-journal"])
def test_a_cache_file_as_a_pipe_never_hangs(make_site, name: str) -> None:
    """A named pipe planted at a cache file is ignored (one warning) by build and check, never read."""
    import datetime as dt
    import os
    from healthsite.pipeline import validate
    root = make_site({"content/a.md": article("A")})
    build(Options(root / "site.yaml", search_index=False))
    path = root / ".healthsite-cache" / name
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    (root / "content" / "a.md").write_text(article("A changed"))
    started = time.monotonic()
    validate(Options(root / "site.yaml"), dt.date(2026, 1, 1))
    report = build(Options(root / "site.yaml", search_index=False))
    assert time.monotonic() - started < 30
    assert [p.message.split(":")[0] for p in report.notices] == ["build cache ignored"]
    assert not path.exists() or path.is_file() and not path.is_symlink()
