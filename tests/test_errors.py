"""Bad input: every problem as PATH:LINE: error: MESSAGE, all at once, exit 1, previous site intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from healthsite.commands.cli import main
from tests.conftest import SITE_YAML, article


def run(root: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """Run the command line on a site; return exit status and standard error."""
    code = main(["--config", str(root / "site.yaml"), *args])
    return code, capsys.readouterr().err


def errors_of(root: Path, capsys: pytest.CaptureFixture) -> list[str]:
    """The error lines a failing build prints."""
    code, err = run(root, capsys)
    assert code == 1
    assert "Traceback" not in err
    return [line for line in err.splitlines() if ": error: " in line]


CASES = {
    "yaml syntax": ("---\ntitle: [unclosed\ndescription: x\n---\nbody\n",
                    "content/a.md:2: error: YAML syntax: while parsing a flow sequence: did not find expected ',' or ']'"),
    "missing title": ('---\ndescription: "x"\n---\nbody\n',
                      "content/a.md:2: error: missing required key 'title'"),
    "missing description": ('---\ntitle: "x"\n---\nbody\n',
                            "content/a.md:2: error: missing required key 'description'"),
    "wrong type": ('---\ntitle: x\ndescription: y\ntags: 5\n---\nbody\n',
                   "content/a.md:4: error: expected a list, got a number '5'"),
    "bad date": ('---\ntitle: x\ndescription: y\ndate: 2026-02-30\n---\nbody\n',
                 "content/a.md:4: error: invalid date '2026-02-30' (expected a real date as YYYY-MM-DD)"),
    "text date": ('---\ntitle: x\ndescription: y\ndate: last tuesday\n---\nbody\n',
                  "content/a.md:4: error: invalid date 'last tuesday' (expected a real date as YYYY-MM-DD)"),
    "unknown key": ('---\ntitle: x\ndescription: y\nreviewd_by: Dr X\n---\nbody\n',
                    "content/a.md:4: error: unknown key 'reviewd_by' (did you mean 'reviewed_by'?)"),
    "unknown related": ('---\ntitle: x\ndescription: y\nrelated: [bta]\n---\nbody\n',
                        "content/a.md:4: error: related article 'bta' does not exist (did you mean 'beta'?)"),
    "bad slug": ('---\ntitle: x\ndescription: y\nslug: ../etc\n---\nbody\n',
                 "content/a.md:4: error: 'slug' '../etc' is not a slug (lowercase letters, digits and '-')"),
    "empty file": ("", "content/a.md:1: error: empty file (an article needs front matter with title and description)"),
    "no front matter": ("Just text.\n", "content/a.md:1: error: missing front matter: start the file with a '---' line"),
    "unclosed front matter": ("---\ntitle: x\n", "content/a.md:1: error: front matter is not closed by a '---' line"),
    "missing template": ('---\ntitle: x\ndescription: y\ntemplate: fancy.html\n---\nbody\n',
                         "content/a.md:4: error: template 'fancy.html' does not exist in templates/"),
    "template outside templates": ('---\ntitle: x\ndescription: y\ntemplate: ../site.yaml\n---\nbody\n',
                                   "content/a.md:4: error: template '../site.yaml' does not exist in templates/"),
    "yes is text": ('---\ntitle: x\ndescription: y\nauthor: No\ndraft: maybe\n---\nbody\n',
                    "content/a.md:5: error: expected true or false, got text 'maybe'"),
    "long title": (f'---\ntitle: {"x" * 121}\ndescription: y\n---\nbody\n',
                   "content/a.md:2: error: 'title' is 121 characters long (at most 120)"),
    "review dates": ('---\ntitle: x\ndescription: y\nreviewed_by: Dr X\nlast_reviewed: 2026-05-01\n'
                     'next_review_due: 2026-04-01\n---\nbody\n',
                     "content/a.md:6: error: 'next_review_due' (2026-04-01) is before 'last_reviewed' (2026-05-01)"),
    "reviewer without date": ('---\ntitle: x\ndescription: y\nreviewed_by: Dr X\n---\nbody\n',
                              "content/a.md:4: error: 'reviewed_by' needs 'last_reviewed' too"),
    "duplicate key": ('---\ntitle: x\ntitle: y\ndescription: y\n---\nbody\n',
                      "content/a.md:3: error: duplicate key 'title'"),
    "draft not bool": ('---\ntitle: x\ndescription: y\ndraft: maybe\n---\nbody\n',
                       "content/a.md:4: error: expected true or false, got text 'maybe'"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_front_matter_error(name: str, make_site, capsys) -> None:
    """Each bad article gives exactly its error, at its line."""
    text, expected = CASES[name]
    root = make_site({"content/a.md": text, "content/beta.md": article("B")})
    assert errors_of(root, capsys) == [expected]


def test_not_utf8(make_site, capsys) -> None:
    """A file in another encoding names the line of the first bad byte."""
    root = make_site({})
    (root / "content" / "a.md").write_bytes(b'---\ntitle: "caf\xe9"\ndescription: y\n---\n')
    assert errors_of(root, capsys) == ["content/a.md:2: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_duplicate_slug(make_site, capsys) -> None:
    """Two articles cannot be published at one URL."""
    root = make_site({"content/a.md": article("A", slug="same"), "content/b.md": article("B", slug="same")})
    assert errors_of(root, capsys) == [
        "content/b.md:4: error: slug 'same' is already used by content/a.md (two articles cannot share /same/)"]


def test_reserved_slug(make_site, capsys) -> None:
    """An article cannot take a URL the site itself uses."""
    root = make_site({"content/topics.md": article("Topics")})
    assert errors_of(root, capsys) == ["content/topics.md:1: error: slug 'topics' is reserved for the site"]


def test_file_name_not_a_slug(make_site, capsys) -> None:
    """A file name that is not a slug needs renaming or an explicit slug."""
    root = make_site({"content/My Article.md": article("A")})
    assert errors_of(root, capsys) == [
        "content/My Article.md:1: error: file name 'My Article' is not a slug; rename the file or set 'slug'"]


def test_all_problems_at_once_sorted(make_site, capsys) -> None:
    """Every broken file is reported in one run, sorted by path and line."""
    root = make_site({"content/b.md": '---\ntitle: x\n---\n', "content/a.md": '---\ntitle: x\ndescription: y\nfoo: 1\n---\n'})
    assert errors_of(root, capsys) == ["content/a.md:4: error: unknown key 'foo'",
                                       "content/b.md:2: error: missing required key 'description'"]


def test_broken_site_yaml(make_site, capsys) -> None:
    """site.yaml problems name site.yaml and their lines."""
    root = make_site({"site.yaml": "title: T\nbase_url: example.org\npublisher: P\ndisclaimer: D\n"
                                   "call_to_action: {heading: H, text: T}\nlanguge: en\n"})
    assert errors_of(root, capsys) == [
        "site.yaml:2: error: 'base_url' must be an absolute http(s) URL",
        "site.yaml:6: error: unknown key 'languge' (did you mean 'language'?)"]


def test_site_yaml_syntax(make_site, capsys) -> None:
    """A YAML syntax error in site.yaml points at its line."""
    root = make_site({"site.yaml": "title: T\nbase_url: 'https://x/\n"})
    assert errors_of(root, capsys) == [
        "site.yaml:2: error: YAML syntax: while scanning a quoted scalar: found unexpected end of stream"]


def test_missing_site_yaml(make_site, capsys) -> None:
    """No configuration file is a clear error."""
    root = make_site({}, with_config=False)
    assert errors_of(root, capsys) == ["site.yaml:1: error: file not found"]


def test_undeclared_topic(make_site, capsys) -> None:
    """When site.yaml lists topics, a tag outside the list is a near-miss error."""
    config = (Path(__file__).parent / "conftest.py").read_text().split('SITE_YAML = """\\\n')[1].split('"""')[0]
    root = make_site({"site.yaml": config + "topics:\n  running: {title: Running}\n",
                      "content/a.md": article("A", tags="[runing]")})
    assert errors_of(root, capsys) == [
        "content/a.md:4: error: unknown topic 'runing' (did you mean 'running'?) (topics are listed in site.yaml)"]


def test_template_error_has_template_line(make_site, capsys) -> None:
    """A template that uses an undefined name is reported at the template's line."""
    root = make_site({"content/a.md": article("A")})
    path = root / "templates" / "404.html"
    lines = path.read_text().splitlines()
    at = lines.index("{% block main %}") + 1
    lines.insert(at, "{{ no_such_thing }}")
    path.write_text("\n".join(lines) + "\n")
    assert errors_of(root, capsys) == [f"templates/404.html:{at + 1}: error: template: 'no_such_thing' is undefined"]


def test_template_syntax_error(make_site, capsys) -> None:
    """A Jinja syntax error is reported at its template line."""
    root = make_site({"content/a.md": article("A")})
    (root / "templates" / "topics.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% if %}\n")
    [message] = errors_of(root, capsys)
    assert message.startswith("templates/topics.html:3: error: template syntax:")


def test_failed_build_leaves_previous_site(make_site, capsys) -> None:
    """A failed build leaves the previous output byte-for-byte as it was."""
    root = make_site({"content/a.md": article("A")})
    assert run(root, capsys)[0] == 0
    before = {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    (root / "content" / "a.md").write_text('---\ntitle: x\n---\n')
    assert run(root, capsys)[0] == 1
    after = {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in root.iterdir()) == [".healthsite-cache", "_site", "content", "site.yaml", "static", "templates"]


def test_bom_crlf_and_non_ascii_build(make_site, capsys) -> None:
    """A UTF-8 byte-order mark, CRLF line ends and non-ASCII titles are valid."""
    root = make_site({})
    (root / "content" / "a.md").write_bytes('\ufeff---\r\ntitle: "Dolor lumbar: qué hacer"\r\n'
                                            'description: "Überblick"\r\n---\r\n\r\nTexto.\r\n'.encode())
    assert run(root, capsys)[0] == 0
    html = (root / "_site" / "a" / "index.html").read_text()
    assert "<h1>Dolor lumbar: qué hacer</h1>" in html



CARD_CASES = {
    "empty card": ('!!! emergency "Call 911 if"\n\nText.\n', 6,
                   "the care card has no content: indent its advice by four spaces under the '!!!' line"),
    "unindented content": ('Intro.\n\n!!! urgent "See a GP today if"\n- Fever.\n- Weight loss.\n', 8,
                           "the care card has no content: indent its advice by four spaces under the '!!!' line"),
    "two spaces": ('Intro.\n\n!!! emergency\n  - Numbness.\n  - Weakness.\n', 8,
                   "the care card has no content: indent its advice by four spaces under the '!!!' line"),
    "second card empty": ('!!! urgent\n    - Fever.\n\n!!! urgent\n\nText.\n', 9,
                          "the care card has no content: indent its advice by four spaces under the '!!!' line"),
    "part unindented": ('!!! emergency "Call 911 if"\n    You have:\n\n  - numbness\n', 6,
                        "part of the care card is not indented by four spaces: indent every line of its advice "
                        "by four spaces under the '!!!' line"),
}


@pytest.mark.parametrize("name", sorted(CARD_CASES))
def test_care_card_not_indented(name: str, make_site, capsys) -> None:
    """A card whose advice is missing or not indented by four spaces is an error at its '!!!' line."""
    body, line, message = CARD_CASES[name]
    root = make_site({"content/a.md": article("A", body)})
    assert errors_of(root, capsys) == [f"content/a.md:{line}: error: {message}"]


@pytest.mark.parametrize("body", ["!!! urgent\n\tTab-indented advice.\n\nText.\n",
                                  "!!! urgent\n    - Fever.\n\n    More advice.\n\nText.\n"])
def test_care_card_indented_builds(body: str, make_site, capsys) -> None:
    """Cards indented by four spaces (or a tab) build; text after a blank line belongs to the page."""
    root = make_site({"content/a.md": article("A", body)})
    code, err = run(root, capsys)
    assert code == 0, err


PREFIXED = SITE_YAML.replace("https://test.example/", "https://test.example/health/")
LINK_CASES = {
    "typo in slug": ("[causes](/health/what-cause-back-pain/)", "link to '/health/what-cause-back-pain/': "
                     "/health/what-cause-back-pain/ is not a published page (did you mean '/health/what-causes-back-pain/'?)"),
    "missing heading": ("[when](/health/what-causes-back-pain/#when-to-get-hlp)",
                        "link to '/health/what-causes-back-pain/#when-to-get-hlp': no heading with id 'when-to-get-hlp' "
                        "there (did you mean 'when-to-get-help'?)"),
    "relative typo": ("[causes](../what-causes-backpain/)", "link to '../what-causes-backpain/': "
                      "/health/what-causes-backpain/ is not a published page (did you mean '/health/what-causes-back-pain/'?)"),
    "own base url": ("[causes](https://test.example/health/what-cause-back-pain/#x)",
                     "link to 'https://test.example/health/what-cause-back-pain/#x': /health/what-cause-back-pain/ is "
                     "not a published page (did you mean '/health/what-causes-back-pain/'?)"),
    "outside base path": ("[causes](/what-causes-back-pain/)", "link to '/what-causes-back-pain/': not an address on "
                          "this site (its pages are under /health/) (did you mean '/health/what-causes-back-pain/'?); "
                          "or link to the article's file, like other-article.md"),
    "draft": ("[d](/health/later/)", "link to '/health/later/': /health/later/ is a draft (publish it or remove "
              "the link)"),
    "unknown topic": ("[t](/health/topics/runing/)", "link to '/health/topics/runing/': /health/topics/runing/ is "
                      "not a published page (did you mean '/health/topics/running/'?)"),
}


@pytest.mark.parametrize("name", sorted(LINK_CASES))
def test_site_path_link_error(name: str, make_site, capsys) -> None:
    """A link written as a site address is checked like an x.md link, at its line."""
    link, message = LINK_CASES[name]
    root = make_site({"site.yaml": PREFIXED, "content/a.md": article("A", f"Intro.\n\nSee {link}.\n"),
                      "content/what-causes-back-pain.md": article("W", "## When to get help\n\nText.\n",
                                                                  tags="[running]"),
                      "content/later.md": article("L", draft="true")})
    assert errors_of(root, capsys) == [f"content/a.md:8: error: {message}"]


def test_site_path_links_that_resolve(make_site, capsys) -> None:
    """Site addresses, relative addresses and the site's own URLs that lead to a page and heading are published."""
    body = ("[a](/health/what-causes-back-pain/) [b](/health/what-causes-back-pain/#when-to-get-help) "
            "[c](../what-causes-back-pain/) [d](/health/what-causes-back-pain) "
            "[e](https://test.example/health/what-causes-back-pain/#when-to-get-help) [f](/health/topics/running/) "
            "[g](/health/) [h](https://test.example/elsewhere/) [i](#local)\n")
    root = make_site({"site.yaml": PREFIXED, "content/a.md": article("A", body),
                      "content/what-causes-back-pain.md": article("W", "## When to get help\n\nSee [a](a.md).\n",
                                                                  tags="[running]")})
    assert run(root, capsys)[0] == 0
    html = BeautifulSoup((root / "_site" / "a" / "index.html").read_text(), "html.parser")
    hrefs = [a["href"] for a in html.find(class_="prose").find_all("a")]
    assert hrefs == ["/health/what-causes-back-pain/", "/health/what-causes-back-pain/#when-to-get-help",
                     "/health/what-causes-back-pain/", "/health/what-causes-back-pain/",
                     "/health/what-causes-back-pain/#when-to-get-help", "/health/topics/running/", "/health/",
                     "https://test.example/elsewhere/", "#local"]


def test_duplicate_slug_on_the_file_that_takes_it(make_site, capsys) -> None:
    """An explicit `slug:` that takes another file's name is reported once, on the file with the `slug:`."""
    root = make_site({"content/a.md": article("A", slug="b"), "content/b.md": article("B")})
    assert errors_of(root, capsys) == [
        "content/a.md:4: error: slug 'b' is already used by content/b.md (two articles cannot share /b/)"]
    root = make_site({"content/a.md": article("A"), "content/z.md": article("Z", slug="a"),
                      "content/m.md": article("M", slug="a")})
    assert errors_of(root, capsys) == [
        "content/m.md:4: error: slug 'a' is already used by content/a.md (two articles cannot share /a/)",
        "content/z.md:4: error: slug 'a' is already used by content/a.md (two articles cannot share /a/)"]


def test_same_title_warns_on_the_later_file(make_site, capsys) -> None:
    """Two published articles with one title: a warning on the later file; drafts and distinct titles are fine."""
    root = make_site({"content/a.md": article("Back pain"), "content/b.md": article("Back  PAIN"),
                      "content/c.md": article("Back pain", draft="true"), "content/d.md": article("Back pain?")})
    code, err = run(root, capsys)
    assert code == 0
    assert [line for line in err.splitlines() if "title" in line] == [
        "content/b.md:2: warning: the title is the same as content/a.md's: give each article its own title, so "
        "readers and search can tell them apart"]


WRITER_YAML = {
    "tab": ("---\ntitle: x\ndescription: y\ntags:\n\t- running\n---\nbody\n",
            "content/a.md:5: error: YAML syntax: a tab in the indentation: indent with spaces, not tabs"),
    "tab before key": ("---\ntitle: x\n\tdescription: y\n---\nbody\n",
                       "content/a.md:3: error: YAML syntax: a tab in the indentation: indent with spaces, not tabs"),
    "colon in value": ("---\ntitle: Back pain: what to do\ndescription: y\n---\nbody\n",
                       "content/a.md:2: error: YAML syntax: the value contains ': ': put the value in quotes, "
                       "like title: \"Back pain: what to do\""),
    "colon in list item": ("---\ntitle: x\ndescription: y\nkey_takeaways:\n  - Rest: it helps\n---\nbody\n",
                           "content/a.md:5: error: expected text, got a mapping (a ': ' inside a value starts a "
                           "mapping: put the value in quotes)"),
    "comma list": ("---\ntitle: x\ndescription: y\ntags: running, back\n---\nbody\n",
                   "content/a.md:4: error: expected a list, got text 'running, back': write a list as [running, back]"),
    "one word list": ("---\ntitle: x\ndescription: y\nrelated: beta\n---\nbody\n",
                      "content/a.md:4: error: expected a list, got text 'beta': write a list as [beta]"),
    "citation key": ("---\ntitle: x\ndescription: y\n---\n\nPain [@smith-2021].\n",
                     "content/a.md:6: error: unknown source 'smith-2021' (did you mean 'smith-2020'?): add it to "
                     "the bibliography or fix the key"),
}


@pytest.mark.parametrize("name", sorted(WRITER_YAML))
def test_messages_a_writer_understands(name: str, make_site, capsys) -> None:
    """Common YAML slips and near-miss keys say how to fix them, at their line."""
    text, expected = WRITER_YAML[name]
    root = make_site({"content/a.md": text, "content/beta.md": article("B"),
                      "content/bibliography.yaml": "- {key: smith-2020, citation: Smith. 2020.}\n"})
    assert errors_of(root, capsys) == [expected]


def test_site_yaml_tab(make_site, capsys) -> None:
    """site.yaml gets the same plain message."""
    root = make_site({"site.yaml": SITE_YAML.replace("  text:", "\ttext:")})
    assert errors_of(root, capsys) == ["site.yaml:7: error: YAML syntax: a tab in the indentation: indent with "
                                       "spaces, not tabs"]


def test_the_fixed_yaml_builds(make_site, capsys) -> None:
    """The forms the messages suggest are accepted: quoted values with ': ', [a, b] lists, space indentation."""
    text = ('---\ntitle: "Back pain: what to do"\ndescription: y\ntags: [running, back]\nkey_takeaways:\n'
            '  - "Rest: it helps"\n---\n\nPain [@smith-2020].\n')
    root = make_site({"content/a.md": text, "content/bibliography.yaml": "- {key: smith-2020, citation: S.}\n"})
    assert run(root, capsys)[0] == 0

@pytest.mark.parametrize("value, message", [
    ("overveiw.md", "the article does not exist in content/ (did you mean 'overview.md'?)"),
    ("overview", "the article does not exist in content/ (did you mean 'overview.md'?)"),
    ("draft.md", "the article is a draft (publish it or choose another article)"),
])
def test_start_here_must_name_a_published_article(make_site, capsys, value: str, message: str) -> None:
    """`start_here` in site.yaml is checked like a cross-link: an error at its line, with a near-miss hint."""
    root = make_site({"site.yaml": SITE_YAML + f"start_here: {value}\n", "content/overview.md": article("Overview"),
                      "content/draft.md": article("Draft", draft="true")})
    line = SITE_YAML.count("\n") + 1
    assert errors_of(root, capsys) == [f"site.yaml:{line}: error: start_here '{value}': {message}"]


def test_start_here_is_featured_on_the_home_page(make_site, capsys) -> None:
    """A valid `start_here` puts that article's card first on the home page, under "Start here"."""
    from bs4 import BeautifulSoup
    root = make_site({"site.yaml": SITE_YAML + "start_here: overview.md\n", "content/overview.md": article("Overview"),
                      "content/other.md": article("Other")})
    code, _ = run(root, capsys)
    home = BeautifulSoup((root / "_site" / "index.html").read_text(), "html.parser")
    feature = home.select_one("section.start-here")
    assert code == 0 and feature.h2.get_text() == "Start here"
    assert feature.select_one("article.card a.card-link")["href"] == "/overview/"
