"""Structured data says exactly what each article page shows, on the fixture and on the real site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from healthsite.reading import i18n
from tests.conftest import FIXTURE, REPO, build_copy


@pytest.fixture(scope="module", params=["fixture", "real"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site and the real site, each built once."""
    return build_copy({"fixture": FIXTURE, "real": REPO}[request.param], tmp_path_factory.mktemp(request.param))


def articles(out: Path) -> list[Path]:
    """Every article page of a built site."""
    return sorted(p for p in out.rglob("index.html") if '<article class="article"' in p.read_text())


def visible(element: Tag) -> str:
    """An element's visible text without citation numbers, whitespace collapsed."""
    for sup in element.find_all("sup", class_="citations"):
        sup.decompose()
    return " ".join(element.get_text().split())


def same_text(text: str) -> str:
    """Text compared without regard to space before punctuation (where a citation number stood)."""
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


def graph(page: BeautifulSoup) -> dict[str, dict]:
    """The JSON-LD nodes of a page by type; exactly one script in the head."""
    [script] = page.find_all("script", type="application/ld+json")
    assert script.parent.name == "head"
    return {node["@type"]: node for node in json.loads(script.string)["@graph"]}


def test_structured_data_matches_visible_page(built: Path) -> None:
    """Name, description, URL, dates, review, breadcrumbs and FAQ agree with what readers see."""
    pages = articles(built)
    assert pages
    for path in pages:
        page = BeautifulSoup(path.read_text(), "html.parser")
        nodes = graph(page)
        web = nodes["MedicalWebPage"]
        assert web["name"] == page.find("h1").get_text()
        assert web["description"] == page.find("meta", attrs={"name": "description"})["content"]
        assert web["url"] == page.find("link", rel="canonical")["href"]
        assert page.find("meta", property="og:title")["content"] == web["name"]
        review = page.find(class_="page-review")
        times = [t["datetime"] for t in review.find_all("time")]
        if "lastReviewed" in web:
            assert times[0] == web["lastReviewed"] and web["reviewedBy"]["name"] in review.get_text()
        else:
            language = page.html["lang"]
            catalog = i18n.translations("" if language.startswith("en") else language.split("-")[0])
            assert "reviewedBy" not in web and catalog.gettext("Not yet medically reviewed") in review.get_text()
        if "author" in web:
            author = page.find(class_="byline-author").find("a")
            assert (author.get_text(), "/" + author["href"].lstrip("/")) == (
                web["author"]["name"], "/" + web["author"]["url"].split("/", 3)[3])
        published = page.find(class_="byline-dates")
        if "datePublished" in web:
            assert published.find("time")["datetime"] == web["datePublished"]
        crumbs = page.find("nav", class_="breadcrumb").find_all("a")
        items = nodes["BreadcrumbList"]["itemListElement"]
        assert [i["position"] for i in items] == list(range(1, len(crumbs) + 1))
        assert [i["name"] for i in items] == [a.get_text() for a in crumbs]
        assert [i["item"].removeprefix(web["url"].split("/", 3)[0] + "//" + web["url"].split("/")[2])
                for i in items] == [a["href"] for a in crumbs]
        faq = page.find("section", class_="faq")
        if faq is None:
            assert "FAQPage" not in nodes
            continue
        questions = [(visible(d.find("summary")), same_text(visible(d.find(class_="faq-answer"))))
                     for d in faq.find_all("details", class_="faq-item")]
        assert [(q["name"], same_text(q["acceptedAnswer"]["text"]))
                for q in nodes["FAQPage"]["mainEntity"]] == questions
