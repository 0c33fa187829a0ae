"""Reading the site makes no request beyond 127.0.0.1 (online) or the site's files (offline):
no CDN, no web font, no analytics, on the pages and actions a reader starts with."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.material_ui import BATCH_NORM, load_lazy_images, search, switch_palette
from tests.browser.sites import RequestLog, Site

pytestmark = pytest.mark.browser

PAGES = ("index.md", "glossary/index.md", BATCH_NORM)


def test_no_request_leaves_the_site(page: Page, site: Site, request_log: RequestLog) -> None:
    for source in PAGES:
        page.goto(site.url(source))
        load_lazy_images(page)
    search(page, "BN")
    page.keyboard.press("Escape")  # closes the search dialog, which covers the header
    switch_palette(page, "slate")
    load_lazy_images(page)  # the dark figures
    assert any("search_index" in url for url in request_log.all), "the search index was not loaded"
    assert not request_log.external, "requests that leave the site:\n" + "\n".join(
        sorted(set(request_log.external))
    )


def test_the_search_index_is_requested_when_the_reader_opens_the_search(
    page: Page, site: Site, request_log: RequestLog
) -> None:
    """The index is the largest download of a page: a reader who never searches never gets it
    (online; from file://, Material reads it from disk as a script)."""
    if site.kind == "offline":
        pytest.skip("from file://, the index is a file on disk, read as a script")
    page.goto(site.url(BATCH_NORM))
    page.wait_for_load_state("networkidle")
    assert not [url for url in request_log.all if "search_index" in url]
    results = search(page, "BN")
    assert results and results[0].page_url == site.url(BATCH_NORM)
    assert [url for url in request_log.all if "search_index" in url]


def test_the_iframe_worker_shim_is_loaded_only_from_file(
    page: Page, site: Site, request_log: RequestLog
) -> None:
    """Search needs the shim only where browsers refuse web workers: from file://."""
    page.goto(site.url("index.md"))
    loaded = any("iframe-worker" in url for url in request_log.all)
    assert loaded == (site.kind == "offline")
    assert (site.root / "assets/vendor/iframe-worker/shim.js").is_file() == loaded
