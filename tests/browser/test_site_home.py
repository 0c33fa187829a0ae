"""The pages a reader starts from, on both builds, on a phone (390x844) and a laptop (1280x800):
the home page (a card per category, the reading path, a search field), the navigation (the
reader's pages, the contributors' grouped apart), the performance chart in either palette, and
the 404 page of a site hosted under a sub-path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.browser.material_ui import BATCH_NORM
from tests.browser.sites import QuietHandler, RequestLog, Site, open_page, serve
from tests.site_project import ROOT

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
CATEGORIES = yaml.safe_load((ROOT / "terms" / "_categories.yaml").read_text(encoding="utf-8"))
START_HERE = yaml.safe_load((ROOT / "terms" / "_start-here.yaml").read_text(encoding="utf-8"))
READER_PAGES = ["Home", "A\u2013Z", "Categories", "Tags", "About", "For contributors"]
CONTRIBUTOR_PAGES = ["Contributing", "Performance", "Reproducible builds"]
TIMEOUT_MS = 10_000


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Page]:
    """A tab of the phone's or the laptop's size, in light mode, that cannot reach the network."""
    options = {"viewport": VIEWPORTS[request.param], "color_scheme": "light"}
    with open_page(browser, site, RequestLog(), **options) as tab:
        tab.set_default_timeout(TIMEOUT_MS)
        yield tab


def test_home_page_shows_every_category_and_the_reading_path(sized_page: Page, site: Site) -> None:
    page = sized_page
    page.goto(site.url("index.md"))
    cards = page.locator(".glossary-categories > ul > li")
    expect(cards).to_have_count(len(CATEGORIES))
    for card, (key, category) in zip(cards.all(), CATEGORIES.items(), strict=True):
        link = card.get_by_role("link", name=category["title"], exact=True)
        assert link.evaluate("a => a.href") == site.url(f"glossary/category/{key}.md")
        expect(card).to_contain_text(category["description"])
        expect(card).to_contain_text("Key terms:")
        assert card.is_visible()
    steps = page.locator(".glossary-path ol > li a")
    assert steps.evaluate_all("links => links.map(a => a.href)") == [
        site.url(f"glossary/{slug}.md") for slug in START_HERE
    ]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_home_page_search_field_opens_search_with_the_words(page: Page, site: Site) -> None:
    page.goto(site.url("index.md"))
    page.get_by_label("Search the glossary: names, abbreviations and topics").fill("BN")
    page.keyboard.press("Enter")
    expect(page.locator(".md-search__input")).to_have_value("BN", timeout=TIMEOUT_MS)
    first = page.locator(".md-search-result__item").first
    expect(first).to_contain_text("Batch Normalization", timeout=TIMEOUT_MS)


def test_the_navigation_is_for_readers(page: Page, site: Site) -> None:
    page.goto(site.url(BATCH_NORM))  # not in the navigation: no item is the current page
    top = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item")
    labels = top.locator("> .md-nav__link").all_text_contents()
    assert [" ".join(label.split()) for label in labels] == READER_PAGES
    nested = top.filter(has_text="For contributors").locator(".md-nav__item > .md-nav__link")
    assert [" ".join(label.split()) for label in nested.all_text_contents()] == CONTRIBUTOR_PAGES


@pytest.mark.parametrize(("scheme", "shown"), [("light", "performance.svg"), ("dark", "-dark.svg")])
def test_the_performance_chart_follows_the_palette(
    page: Page, site: Site, scheme: str, shown: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site.url("performance.md"))
    visible = [
        image.get_attribute("src") or ""
        for image in page.locator("img[src*='performance']").all()
        if image.is_visible()
    ]
    assert len(visible) == 1 and visible[0].split("#")[0].endswith(shown), visible


class _SubPathHandler(QuietHandler):
    """Serves the site under /sub/, and its 404.html (status 404) for anything else, as GitHub
    Pages serves a project site."""

    prefix = "/sub/"

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.mark.parametrize("missing", ["glossary/no-such-term/", "a/b/c"])
def test_the_404_page_works_under_a_sub_path(
    browser: Browser, online_site: Site, missing: str
) -> None:
    with serve(online_site.root, _SubPathHandler, _SubPathHandler.prefix) as base:
        sub_site = Site("online", online_site.root, base)
        with open_page(browser, sub_site, RequestLog(), color_scheme="light") as page:
            page.set_default_timeout(TIMEOUT_MS)
            response = page.goto(base + missing)
            assert response is not None and response.status == 404
            expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
            # The site's stylesheets are applied: Material's header and our search field.
            expect(page.locator(".md-header")).to_have_css("position", "sticky")
            expect(page.locator(".glossary-home-search__row")).to_have_css("display", "flex")
            a_to_z = page.get_by_role("link", name="A\u2013Z index")
            assert a_to_z.evaluate("a => a.href") == base + "glossary/"
            page.get_by_label("Search the glossary: names, abbreviations and topics").fill("BN")
            page.keyboard.press("Enter")
            page.wait_for_url(base + "?q=BN")
            expect(page.locator(".md-search-result__item").first).to_contain_text(
                "Batch Normalization", timeout=TIMEOUT_MS
            )
