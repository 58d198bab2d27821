"""Images in articles: files of content/images/ published fingerprinted, alt text required, rasters
responsive and cached, SVGs safe, figures captioned, and a social preview card for every article."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PilImage

from healthsite.rendering import media
from healthsite.commands.cli import main
from healthsite.pipeline import Options, build
from tests.conftest import article

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360">\n'
       '<defs><linearGradient id="g"><stop offset="0" stop-color="#005eb8"/></linearGradient></defs>\n'
       '<rect width="640" height="360" fill="url(#g)"/>\n<use href="#g"/>\n</svg>\n')
BODY_LINE = 6  # the first body line of an article() file without extra fields


def png(width: int, height: int, colour: str = "#005eb8", **info: object) -> bytes:
    """A PNG of a size (with a gradient, so scaling is real work)."""
    picture = PilImage.linear_gradient("L").resize((width, height)).convert("RGB")
    picture.paste(colour, (0, 0, width // 2, height // 2))
    out = io.BytesIO()
    picture.save(out, "PNG", **info)
    return out.getvalue()


def site_with(make_site, body: str, files: dict[str, bytes | str] | None = None, **fields: str) -> Path:
    """A site of one article `a` with the given body, plus image files."""
    root = make_site({"content/a.md": article("A", body, **fields)})
    for name, data in (files if files is not None else {"content/images/bird-dog.svg": SVG}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return root


def errors(root: Path, capsys: pytest.CaptureFixture, *args: str) -> list[str]:
    """The problem lines of a build that must fail."""
    assert main(["--config", str(root / "site.yaml"), "--quiet", *args]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if re.match(r"\S+:\d+: (error|warning): ", line)]


def page(root: Path, slug: str = "a") -> BeautifulSoup:
    """A built page."""
    return BeautifulSoup((root / "out" / slug / "index.html").read_text(), "html.parser")


def built(root: Path, **options: object) -> BeautifulSoup:
    """Build the site; its page `a`."""
    build(Options(root / "site.yaml", root / "out", **options))
    return page(root)


def test_svg_figure_with_caption(make_site) -> None:
    """An image alone on its line becomes a figure with a caption; the SVG is published as it is, fingerprinted."""
    root = site_with(make_site, 'Intro.\n\n![A person on hands and knees](images/bird-dog.svg "The bird dog")\n')
    figure = built(root).select_one("article figure.figure")
    img, caption = figure.find("img"), figure.find("figcaption")
    assert re.fullmatch(r"/images/bird-dog\.[0-9a-f]{10}\.svg", img["src"])
    assert (img["alt"], img["width"], img["height"], caption.text) == ("A person on hands and knees", "640", "360",
                                                                       "The bird dog")
    assert not img.has_attr("title") and not img.has_attr("loading")
    assert (root / "out" / img["src"].lstrip("/")).read_text() == SVG
    assert figure.parent.name != "p"


def test_figure_without_caption_and_inline_image(make_site) -> None:
    """No caption, no figcaption; an image inside text stays inline and loads lazily after the first."""
    root = site_with(make_site, "![A dog](images/bird-dog.svg)\n\nText ![A bird](images/bird-dog.svg) more.\n")
    soup = built(root)
    first, second = soup.select("article img[src^='/images/']")
    assert first.parent.name == "figure" and not first.parent.find("figcaption")
    assert second.parent.name == "p" and second["loading"] == "lazy" and second["decoding"] == "async"


@pytest.mark.parametrize("markdown, message", [
    ("![A dog](images/missing.svg)",
     "image 'images/missing.svg': there is no file content/images/missing.svg"),
    ("![A dog](images/brid-dog.svg)",
     "image 'images/brid-dog.svg': there is no file content/images/brid-dog.svg (did you mean 'images/bird-dog.svg'?)"),
    ("![A dog](images/dog.gif)", "image 'images/dog.gif': '.gif' is not a supported format (use PNG, JPEG or SVG)"),
    ("![A dog](https://cdn.example/dog.png)", "image 'https://cdn.example/dog.png': put the file in content/images/ "
     "and write its path as images/NAME, e.g. ![A runner stretching](images/stretch.svg)"),
    ("![A dog](../static/icon.svg)", "image '../static/icon.svg': put the file in content/images/ and write its path "
     "as images/NAME, e.g. ![A runner stretching](images/stretch.svg)"),
    ("![](images/bird-dog.svg)", "image 'images/bird-dog.svg' has no alt text: write what it shows between the "
     "brackets: ![A runner stretching](images/stretch.svg); a purely decorative image takes the marker: "
     "![](images/bird-dog.svg){.decorative}"),
    ("![bird-dog.svg](images/bird-dog.svg)", "image 'images/bird-dog.svg': the alt text is the file name; write what "
     "it shows between the brackets: ![A runner stretching](images/stretch.svg)"),
    ("![Bird_Dog](images/bird-dog.svg)", "image 'images/bird-dog.svg': the alt text is the file name; write what "
     "it shows between the brackets: ![A runner stretching](images/stretch.svg)"),
    ("![A dog](images/bird-dog.svg){.decorative}",
     "image 'images/bird-dog.svg' is marked {.decorative} but has alt text: remove the text or the marker"),
    ('Text ![A dog](images/bird-dog.svg "Caption") text.', "image 'images/bird-dog.svg' has a caption, so it must "
     "stand in a paragraph of its own (blank lines around it)"),
])
def test_image_errors_at_their_line(make_site, capsys, markdown: str, message: str) -> None:
    """Each mistake is an error at the image's line, with how to fix it."""
    root = site_with(make_site, f"Intro.\n\n{markdown}\n")
    assert errors(root, capsys) == [f"content/a.md:{BODY_LINE + 2}: error: {message}"]


def test_decorative_image_gets_empty_alt(make_site) -> None:
    """The explicit marker lets an image through with alt=""."""
    root = site_with(make_site, "![](images/bird-dog.svg){.decorative}\n")
    img = built(root).select_one("article figure img")
    assert img["alt"] == "" and not img.has_attr("class")


def test_long_alt_is_a_warning(make_site, capsys) -> None:
    """Alt text over 150 characters builds with a warning; --strict makes it fail."""
    alt = "A person " + "kneeling and stretching " * 7
    root = site_with(make_site, f"![{alt}](images/bird-dog.svg)\n")
    report = build(Options(root / "site.yaml", root / "out"))
    assert [str(w) for w in report.warnings if "image" in w.message] == [
        f"content/a.md:{BODY_LINE}: warning: image 'images/bird-dog.svg': alt text is {len(alt.strip())} characters "
        "(keep it under 150); put the detail in the caption: ![short alt](images/bird-dog.svg \"Caption\")"]
    assert f"content/a.md:{BODY_LINE}: error: image 'images/bird-dog.svg': alt text is" in \
        "\n".join(errors(root, capsys, "--strict", "--clean"))


def test_caption_counts_as_page_text(make_site) -> None:
    """A caption is prose for readability and is in the page's searchable HTML."""
    from healthsite.mdext.markup import Renderer
    from healthsite.mdext import Refs
    from healthsite.reading.images import Image
    refs = Refs({}, frozenset(), frozenset(), "911", images={"images/x.svg": Image("images/x.svg", "svg", "0" * 16, 10, 10)})
    body = Renderer(refs).render("a.md", '![A bird](images/x.svg "Keep your back flat")\n', 1)
    assert body.prose == ("Keep your back flat",)
    assert "<figcaption>Keep your back flat</figcaption>" in body.html


@pytest.fixture
def raster_site(make_site) -> Path:
    """A site whose article shows a 1000 x 500 PNG with metadata, then a small JPEG."""
    small = io.BytesIO()
    PilImage.new("RGB", (300, 200), "#ffb81c").save(small, "JPEG", quality=90)
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Someone private")
    body = '![A runner](images/run.png "Running tall")\n\n![A shoe](images/photos/shoe.jpg)\n'
    return site_with(make_site, body, {"content/images/run.png": png(1000, 500, pnginfo=info),
                                       "content/images/photos/shoe.jpg": small.getvalue()})


def test_raster_is_responsive(raster_site: Path) -> None:
    """PNG/JPEG: WebP and the original at 480/800/1200 below their own width (never upscaled), with sizes."""
    soup = built(raster_site)
    first, second = soup.select("article figure picture")
    source, img = first.find("source"), first.find("img")
    assert source["type"] == "image/webp"
    widths = [re.fullmatch(r"/images/run\.[0-9a-f]{10}-(\d+)\.webp (\d+)w", part.strip()).groups()
              for part in source["srcset"].split(",")]
    assert widths == [("480", "480"), ("800", "800"), ("1000", "1000")]
    assert re.fullmatch(r"/images/run\.[0-9a-f]{10}-1000\.png", img["src"])
    assert [p.split()[1] for p in img["srcset"].split(", ")] == ["480w", "800w", "1000w"]
    assert (img["width"], img["height"], img["alt"]) == ("1000", "500", "A runner")
    assert source["sizes"] == img["sizes"] and "44rem" in img["sizes"]
    assert not img.has_attr("loading")
    jpeg = second.find("img")
    assert re.fullmatch(r"/images/photos/shoe\.[0-9a-f]{10}-300\.jpg", jpeg["src"])
    assert (jpeg["loading"], jpeg["decoding"], jpeg["width"], jpeg["height"]) == ("lazy", "async", "300", "200")
    for url in [img["src"], jpeg["src"], *(p.split()[0] for p in source["srcset"].split(","))]:
        with PilImage.open(raster_site / "out" / url.lstrip("/")) as made:
            assert made.format in ("PNG", "JPEG", "WEBP") and not made.info.get("Author") and not made.getexif()
            assert made.width == int(re.search(r"-(\d+)\.", url).group(1))


def test_rasters_are_deterministic_and_encoded_once(raster_site: Path, monkeypatch) -> None:
    """Same image, same bytes (even from a clean build); an unchanged image is never encoded again."""
    built(raster_site, jobs=1)
    files = {p.name: p.read_bytes() for p in (raster_site / "out" / "images").rglob("*.*")}
    calls: list[int] = []
    real = media.encode
    monkeypatch.setattr(media, "encode", lambda *a: calls.append(1) or real(*a))
    (raster_site / "content" / "a.md").write_text((raster_site / "content" / "a.md").read_text() + "\nMore.\n")
    built(raster_site, jobs=1)
    assert calls == []
    built(raster_site, jobs=1, clean=True)
    assert calls == []  # --clean re-renders pages; the media cache is keyed by content, still valid
    for path in (raster_site / ".healthsite-cache" / "media").iterdir():
        path.unlink()
    built(raster_site, jobs=1, clean=True)
    assert len(calls) == 8  # run.png at 480, 800, 1000 and shoe.jpg at 300, each as itself and as WebP
    assert {p.name: p.read_bytes() for p in (raster_site / "out" / "images").rglob("*.*")} == files


def test_changed_image_rerenders_the_page(raster_site: Path) -> None:
    """An edited image gets a new name, and the page that shows it is rebuilt to point at it."""
    before = built(raster_site).select_one("article picture img")["src"]
    (raster_site / "content" / "images" / "run.png").write_bytes(png(600, 400, "#d5281b"))
    after = built(raster_site).select_one("article picture img")
    assert after["src"] != before and (after["width"], after["height"]) == ("600", "400")
    assert (raster_site / "out" / after["src"].lstrip("/")).is_file()
    assert not (raster_site / "out" / before.lstrip("/")).exists()


def test_unreadable_raster_is_an_error_at_its_path(make_site, capsys) -> None:
    """A file that is not the image its name says is an error at the file."""
    root = site_with(make_site, "![A runner](images/run.png)\n", {"content/images/run.png": b"not a png"})
    assert any(line.startswith("content/images/run.png:1: error: cannot read the image") for line in errors(root, capsys))
    root = site_with(make_site, "![A runner](images/run.png)\n", {"content/images/run.png": SVG})
    assert any(line.startswith("content/images/run.png:1: error: cannot read the image") for line in errors(root, capsys))


UNSAFE = {
    "script": ('<script>alert(1)</script>', 3, "SVG contains a script; remove it: an image must draw only, "
               "from inside the file"),
    "namespaced script": ('<s:script xmlns:s="http://www.w3.org/2000/svg">x</s:script>', 3, "SVG contains a script"),
    "event handler": ('<rect width="1" height="1" onclick="alert(1)"/>', 3, "SVG has an event handler 'onclick'"),
    "onload": ('<g onload="x()"/>', 3, "SVG has an event handler 'onload'"),
    "foreignObject": ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', 3,
                      "SVG contains a foreignObject (embedded HTML)"),
    "external href": ('<image href="https://tracker.example/x.png"/>', 3,
                      "SVG refers to 'https://tracker.example/x.png' outside itself"),
    "xlink href": ('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="other.svg#a"/>', 3,
                   "SVG refers to 'other.svg#a' outside itself"),
    "url()": ('<rect fill="url(https://x.example/p.svg#g)"/>', 3, "SVG refers to 'https://x.example/p.svg#g'"),
    "style url": ('<style>rect { fill: url("pattern.svg#p") }</style>', 3, "SVG refers to 'pattern.svg#p'"),
    "import": ('<style>@import "https://x.example/a.css";</style>', 3, "SVG style imports another file (@import)"),
}


@pytest.mark.parametrize("name", UNSAFE)
def test_unsafe_svg_is_an_error_at_its_path(make_site, capsys, name: str) -> None:
    """Scripts, event handlers, foreignObject and external references are refused, at the SVG's line."""
    snippet, line, message = UNSAFE[name]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<rect width="10" height="10"/>\n'
           f'{snippet}\n</svg>\n')
    root = site_with(make_site, "![A dog](images/bird-dog.svg)\n", {"content/images/bird-dog.svg": svg})
    found = errors(root, capsys)
    assert found[0].startswith(f"content/images/bird-dog.svg:{line}: error: {message}"), found
    assert not (root / "out").exists()


@pytest.mark.parametrize("svg, message", [
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
     '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>',
     "content/images/bird-dog.svg:2: error: SVG declares a DOCTYPE or entities"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">\n<g>\n</svg>',
     "content/images/bird-dog.svg:3: error: SVG is not well-formed XML: mismatched tag"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="100%">\n</svg>',
     "content/images/bird-dog.svg:1: error: SVG has no usable size: give it a viewBox"),
    ('<html xmlns="http://www.w3.org/1999/xhtml"></html>', "content/images/bird-dog.svg:1: error: not an SVG image"),
])
def test_malformed_svg(make_site, capsys, svg: str, message: str) -> None:
    """Entities are refused before they are expanded; broken or sizeless SVGs are errors at the file."""
    root = site_with(make_site, "![A dog](images/bird-dog.svg)\n", {"content/images/bird-dog.svg": svg})
    assert any(line.startswith(message) for line in errors(root, capsys))


def test_svg_size_from_width_and_height(make_site) -> None:
    """Pixel width and height attributes win over the viewBox."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="300px" height="150" viewBox="0 0 600 300"></svg>'
    root = site_with(make_site, "![A dog](images/bird-dog.svg)\n", {"content/images/bird-dog.svg": svg})
    img = built(root).select_one("article img")
    assert (img["width"], img["height"]) == ("300", "150")


def og(soup: BeautifulSoup) -> dict[str, str]:
    """The page's Open Graph and Twitter meta tags."""
    return {m.get("property") or m.get("name"): m["content"] for m in soup.find_all("meta")
            if (m.get("property") or m.get("name") or "").startswith(("og:", "twitter:"))}


def json_ld(soup: BeautifulSoup) -> dict:
    """The page's MedicalWebPage node."""
    graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
    return next(node for node in graph if node["@type"] == "MedicalWebPage")


def test_a_card_url_is_keyed_on_its_content_and_design_not_the_engine(make_site, monkeypatch) -> None:
    """A new engine that draws cards the same way keeps every card's URL (social sites need not fetch it again);
    a change to how cards are drawn, or to what a card shows, gives a new one."""
    from healthsite.writing import cache
    from healthsite.model import previews
    from healthsite.rendering import social
    root = site_with(make_site, "Text.\n", {}, tags="[running]")
    first = og(built(root))["og:image"]
    monkeypatch.setattr(cache, "engine_digest", lambda: "another engine")
    rebuilt = built(root)
    assert og(rebuilt)["og:image"] == first and "another engine" in _meta_engine(root)
    monkeypatch.setattr(social, "DRAWING", "another drawing")
    social.design.cache_clear()
    try:
        assert og(built(root, clean=True))["og:image"] != first
    finally:
        monkeypatch.undo()
        social.design.cache_clear()
    drawn = previews.Drawn("A", "Site", "Topic", previews.palette(None))
    other = previews.Drawn("B", "Site", "Topic", drawn.colours)
    assert previews.drawn_digest(drawn, social.design()) != previews.drawn_digest(other, social.design())


def _meta_engine(root: Path) -> str:
    """The engine the cache was written by."""
    import sqlite3
    from contextlib import closing
    with closing(sqlite3.connect(root / ".healthsite-cache" / "cache.sqlite")) as db:
        return db.execute("SELECT value FROM meta").fetchone()[0]


def test_social_card_for_every_article(make_site) -> None:
    """Without `image:`, a 1200 x 630 PNG card is generated, used as og:image and in JSON-LD; same bytes twice."""
    root = site_with(make_site, "Text.\n", {}, tags="[running]")
    soup = built(root)
    meta = og(soup)
    assert re.fullmatch(r"https://test\.example/social/a\.[0-9a-f]{10}\.png", meta["og:image"])
    assert meta["twitter:card"] == "summary_large_image"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"] == "A: Running article from Test Health"
    assert json_ld(soup)["image"] == meta["og:image"]
    card = root / "out" / meta["og:image"].removeprefix("https://test.example/")
    with PilImage.open(card) as picture:
        assert (picture.format, picture.size) == ("PNG", (1200, 630))
        assert picture.convert("RGB").getpixel((600, 20)) == (0, 94, 184)  # the theme's --brand
    data = card.read_bytes()
    built(root, clean=True)
    assert card.read_bytes() == data


def test_social_card_follows_the_theme_colours(make_site) -> None:
    """The card takes its colours from static/style.css."""
    root = site_with(make_site, "Text.\n", {})
    css = root / "static" / "style.css"
    css.write_text(css.read_text().replace("--brand: #005eb8;", "--brand: #007f3b;", 1))
    url = og(built(root))["og:image"]
    with PilImage.open(root / "out" / url.removeprefix("https://test.example/")) as picture:
        assert picture.convert("RGB").getpixel((600, 20)) == (0, 127, 59)


@pytest.mark.parametrize("title, topic", [
    ("Lower back pain after running: causes, treatment and prevention", "Back pain"),
    ("Ünïcödé títle — with ‘quotes’, ÅÉÎ and gjpqy", ""),
    ("Word " * 60, "A topic name long enough to reach far along the band"),
])
def test_card_looks_like_its_rgb_drawing(title: str, topic: str) -> None:
    """The palette card is the same text drawn in RGB with Pillow, to within one level per channel."""
    from PIL import ImageChops, ImageDraw
    from healthsite.model.previews import COLOURS, SIZE, Drawn
    from healthsite.rendering.social import BAND, STRIPE, _font, draw, layout
    card = Drawn(title, "Test Health", topic, (*COLOURS.items(), ("brand", "#007f3b")))
    colours = dict(card.colours)
    reference = PilImage.new("RGB", SIZE, colours["brand"])
    pen = ImageDraw.Draw(reference)
    pen.rectangle((0, SIZE[1] - BAND, SIZE[0], SIZE[1]), fill=colours["brand-dark"])
    pen.rectangle((0, 0, STRIPE, SIZE[1] - BAND), fill=colours["brand-dark"])
    for text in layout(card):
        ink = colours["brand-tint" if text.region else "header-text"]
        pen.text(text.xy, text.text, font=_font(text.size, text.bold), fill=ink, anchor=text.anchor)
    with PilImage.open(io.BytesIO(draw(card))) as picture:
        assert (picture.format, picture.mode) == ("PNG", "P")
        drawn = picture.convert("RGB")
    assert max(high for _, high in ImageChops.difference(drawn, reference).getextrema()) <= 1
    assert drawn.getpixel((600, 20)) == (0, 127, 59) and len(drawn.getcolors(1 << 16)) > 100  # anti-aliased text


def test_long_title_fits_the_card() -> None:
    """A long title shrinks, then is cut, to fit four lines."""
    from healthsite.model.previews import Drawn
    from healthsite.rendering.social import _fit
    size, lines = _fit("Word " * 60, 1040)
    assert size == 48 and len(lines) == 4 and lines[-1].endswith("...")
    assert _fit("Short title", 1040) == (72, ["Short title"])
    assert Drawn  # the dataclass is what plan() hands the pool


def test_front_matter_image(make_site) -> None:
    """`image: images/x.png` is published and used as og:image (its largest variant) and in JSON-LD."""
    root = site_with(make_site, "Text.\n", {"content/images/card.png": png(1600, 840)},
                     image="images/card.png", image_alt='"A runner"')
    soup = built(root)
    meta = og(soup)
    assert re.fullmatch(r"https://test\.example/images/card\.[0-9a-f]{10}-1200\.png", meta["og:image"])
    assert (meta["og:image:alt"], meta["og:image:width"], meta["og:image:height"]) == ("A runner", "1200", "630")
    assert json_ld(soup)["image"] == meta["og:image"]
    assert (root / "out" / meta["og:image"].removeprefix("https://test.example/")).is_file()
    assert not (root / "out" / "social").exists()


@pytest.mark.parametrize("value, message", [
    ("images/nope.png", "image 'images/nope.png': there is no file content/images/nope.png"),
    ("images/bird-dog.svg", "image 'images/bird-dog.svg': social sites do not show SVG previews; use a PNG or JPEG "
                            "(1200 x 630 works best)"),
    ("/img/nope.png", "image '/img/nope.png': there is no file static/img/nope.png"),
    ("card.png", "image 'card.png': write images/NAME.png for a file in content/images/ (or an https:// URL)"),
])
def test_front_matter_image_errors_at_its_line(make_site, capsys, value: str, message: str) -> None:
    """A bad `image:` is an error at the article's `image:` line, not in the template."""
    root = site_with(make_site, "Text.\n", image=value, image_alt='"Alt"')
    assert errors(root, capsys) == [f"content/a.md:4: error: {message}"]


def test_jpeg_orientation_is_applied(make_site) -> None:
    """A phone photo stored sideways with an EXIF orientation is published upright, without its EXIF."""
    picture = PilImage.new("RGB", (300, 200), "#005eb8")
    exif = picture.getexif()
    exif[0x0112] = 6  # rotate 90 degrees to display
    data = io.BytesIO()
    picture.save(data, "JPEG", exif=exif)
    root = site_with(make_site, "![A runner](images/run.jpg)\n", {"content/images/run.jpg": data.getvalue()})
    img = built(root).select_one("article picture img")
    assert (img["width"], img["height"]) == ("200", "300")
    with PilImage.open(root / "out" / img["src"].lstrip("/")) as made:
        assert made.size == (200, 300) and not made.getexif()


def test_error_at_the_line_of_a_repeated_image(make_site, capsys) -> None:
    """The same image shown twice: the error is at the line of the one that is wrong."""
    root = site_with(make_site, "![A dog](images/bird-dog.svg)\n\nText.\n\n![](images/bird-dog.svg)\n")
    assert [e.split(": error: ")[0] for e in errors(root, capsys)] == [f"content/a.md:{BODY_LINE + 4}"]


@pytest.mark.parametrize("html", ['<img src="images/bird-dog.svg" alt="A dog">', '<p>See <img src="x.png"> here</p>'])
def test_image_written_as_html_is_an_error(make_site, capsys, html: str) -> None:
    """Raw HTML images bypass every check, so they are refused at their line."""
    root = site_with(make_site, f"Intro.\n\n{html}\n")
    assert errors(root, capsys) == [f"content/a.md:{BODY_LINE + 2}: error: an image written as HTML (<img>) is not "
                                    "checked or published; write ![alt text](images/NAME.svg \"Caption\")"]


def test_file_names_with_spaces_and_commas(make_site) -> None:
    """A name with a space or a comma is URL-encoded, so src and srcset still name the published file."""
    root = site_with(make_site, "![A runner](<images/my run, 1.png>)\n",
                     {"content/images/my run, 1.png": png(600, 300)})
    img = built(root).select_one("article picture img")
    assert " " not in img["src"] and "," not in img["src"]
    urls = [part.strip().split(" ")[0] for part in img["srcset"].split(", ")]
    from urllib.parse import unquote
    assert all((root / "out" / unquote(url).lstrip("/")).is_file() for url in [img["src"], *urls])


def test_previews_are_kept_while_the_page_and_settings_are_the_same(make_site) -> None:
    """The dev server's kept previews: the same object while the page is, made again for a new page or settings."""
    from dataclasses import replace

    from healthsite.model.sources import make_site as assemble_site, read_sources
    from healthsite.rendering.social import Previews, preview_of
    root = make_site({"content/a.md": article("A"), "content/b.md": article("B")})
    sources = read_sources(Options(root / "site.yaml"))
    site = assemble_site(sources, [])
    previews = Previews()
    first = previews.of(site, "a")
    assert first == preview_of(site, "a") and previews.of(site, "a") is first
    again = assemble_site(sources, [])  # a new build of the same pages: kept
    assert previews.of(again, "a") is first
    renamed = replace(again, pages={**again.pages, "a": replace(again.pages["a"], meta=replace(
        again.pages["a"].meta, title="A new title"))})
    assert previews.of(renamed, "a") == preview_of(renamed, "a") != first
    retitled = replace(again, config=replace(again.config, title="Another site"))
    assert previews.of(retitled, "b") == preview_of(retitled, "b") != preview_of(site, "b")
