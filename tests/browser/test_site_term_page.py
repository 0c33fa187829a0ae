"""The batch-normalization page in a browser, on both builds: tooltips on related terms, and
figures that follow the colour scheme (its math: test_site_math.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.material_ui import BATCH_NORM, load_lazy_images, switch_palette
from tests.browser.sites import Site
from tests.site_project import read_term

pytestmark = pytest.mark.browser

TERM = read_term("batch-normalization")
HOVERED = 3  # related-term links hovered; the titles of all of them are checked


def test_related_terms_show_their_summary_as_a_tooltip(page: Page, site: Site) -> None:
    page.goto(site.url(BATCH_NORM))
    cards = page.locator("#related-terms + .grid")
    summaries = {read_term(slug)["term"]: read_term(slug)["summary"] for slug in TERM["related"]}
    titles = cards.get_by_role("link").evaluate_all(
        "links => Object.fromEntries(links.map(link => [link.textContent, link.title]))"
    )
    assert titles == summaries, "each related term's card should carry its summary as title"
    # Material's tooltips take the title away on hover and describe the link with a
    # role=tooltip element, shown with --active while the pointer is on the link.
    for name in list(summaries)[:HOVERED]:
        link = cards.get_by_role("link", name=name, exact=True)
        link.hover()
        tooltip_id = link.get_attribute("aria-describedby")
        assert tooltip_id, f"hovering {name!r} shows no tooltip (no aria-describedby)"
        tooltip = page.locator(f"#{tooltip_id}")
        expect(tooltip).to_have_attribute("role", "tooltip")
        expect(tooltip).to_contain_class("md-tooltip2--active")
        expect(tooltip).to_be_visible()
        expect(tooltip).to_have_text(" ".join(summaries[name].split()))


def _expect_shown(images: Locator) -> None:
    for index in range(images.count()):
        image = images.nth(index)
        expect(image).to_be_visible()
        width = image.evaluate("image => image.naturalWidth")
        assert width > 0, f"{image.get_attribute('src')} did not load"


def _expect_hidden(images: Locator) -> None:
    for index in range(images.count()):
        expect(images.nth(index)).to_be_hidden()


def test_the_palette_toggle_swaps_the_figures_for_their_dark_variants(
    page: Page, site: Site
) -> None:
    page.goto(site.url(BATCH_NORM))
    light = page.locator('article img[src$="#only-light"]')
    dark = page.locator('article img[src$="#only-dark"]')
    expect(light).to_have_count(len(TERM["figures"]))
    expect(dark).to_have_count(len(TERM["figures"]))
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    load_lazy_images(page)
    _expect_shown(light)
    _expect_hidden(dark)
    switch_palette(page, "slate")
    _expect_shown(dark)
    _expect_hidden(light)
    switch_palette(page, "default")
    _expect_shown(light)
    _expect_hidden(dark)
