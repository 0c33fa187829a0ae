"""Material's search box on both builds: an alias or a term's name finds the term first, with
its summary, and the index pages (A-Z, categories, tags) never show up among the results."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.material_ui import search, without_query
from tests.browser.sites import Site
from tests.site_project import read_term

pytestmark = pytest.mark.browser

TERM_QUERIES = [
    ("BN", "batch-normalization"),  # aliases
    ("BatchNorm", "batch-normalization"),
    ("Batch Normalization", "batch-normalization"),  # names
    ("Layer Normalization", "layer-normalization"),
    ("Dropout", "dropout"),
]
# An alias, a term, and two category names: likely to match the indexes if they were searchable.
INDEX_PROBES = ["BN", "Dropout", "Normalization", "Training"]
_LETTER_SECTION = re.compile(r"[a-z]")  # the A-Z's headings, #a to #z


@pytest.fixture(scope="module")
def home(shared_page: Page, site: Site) -> Page:
    """The home page of ``site``, opened once for all the queries of this module."""
    shared_page.goto(site.url("index.md"))
    return shared_page


def _words(text: str) -> str:
    return " ".join(text.split())


def _index_page(site: Site, url: str) -> str | None:
    """Why ``url`` is part of an index, or None if it is not."""
    path = without_query(url).removeprefix(site.base_url)
    if path == site.page_path("glossary/index.md"):
        return "the A-Z page"
    if path.startswith(("glossary/category/", "glossary/tags", "tags")):
        return "a category or tag index"
    if _LETTER_SECTION.fullmatch(urlsplit(url).fragment):
        return "a letter of the A-Z (copied into this page)"
    return None


@pytest.mark.parametrize(("query", "slug"), TERM_QUERIES)
def test_search_finds_the_term_first_and_shows_its_summary(
    home: Page, site: Site, query: str, slug: str
) -> None:
    results = search(home, query)
    order = [f"{result.title} <{result.url}>" for result in results[:5]]
    assert results, f"no result for {query!r}"
    assert results[0].page_url == site.url(f"glossary/{slug}.md"), f"{query!r} gave: {order}"
    summary = _words(read_term(slug)["summary"])
    shown = _words(results[0].text)
    assert summary in shown, f"the first result for {query!r} shows {shown!r}, not the summary"


@pytest.mark.parametrize("query", INDEX_PROBES)
def test_search_leaves_out_the_index_pages(home: Page, site: Site, query: str) -> None:
    results = search(home, query)
    assert results, f"no result for {query!r}"
    found = [
        f"{url} ({reason})"
        for result in results
        for url in (result.url, *result.sections)
        if (reason := _index_page(site, url))
    ]
    assert not found, f"{query!r} lists index pages:\n" + "\n".join(found)
