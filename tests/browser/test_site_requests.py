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
