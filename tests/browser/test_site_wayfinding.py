"""A term page as a reader finds their way on it, on a phone (390x844) and a laptop (1280x800),
on both builds: breadcrumbs, previous and next term, the contents on a phone, figures that open
full size, no page wider than a phone's screen, and axe-core with the new parts open."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.conftest import CONTEXT_OPTIONS, TIMEOUT_MS
from tests.browser.material_ui import BATCH_NORM, load_lazy_images
from tests.browser.sites import RequestLog, Site, open_page
from tests.browser.test_site_accessibility import _VIOLATIONS, AXE, BLOCKING, _describe
from tests.site_project import ROOT, read_term

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
TERM = read_term("batch-normalization")
# The figures' smallest text is 8 pt at their own size (plots/theme.py): 10.7 CSS px. Opened,
# a figure must keep at least 9 px of it, so at least this share of its own width.
LEGIBLE_SHARE = 9 / (8 * 4 / 3)
# Math is typeset when the site is built; a formula left as TeX would have no .katex in it.
_TYPESET = "() => !document.querySelector('.arithmatex:not(:has(.katex))')"
# The page's width, and what reaches past the screen's right edge outside the boxes that scroll
# on their own (display math, code, tables): paragraphs, list items, images, inline math.
_OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth,
  screen: window.innerWidth,
  wide: [...document.querySelectorAll("article :is(p, li, img, .katex)")]
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(element => !element.closest("div.arithmatex, pre, .md-typeset__scrollwrap"))
    .slice(0, 3).map(element => element.outerHTML.slice(0, 120)),
})"""


@pytest.fixture(params=sorted(VIEWPORTS))
def sized_page(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh tab at a phone's or a laptop's size."""
    options = {**CONTEXT_OPTIONS, "viewport": VIEWPORTS[request.param]}
    with open_page(browser, site, RequestLog(), **options) as tab:
        tab.set_default_timeout(TIMEOUT_MS)
        yield tab


def test_breadcrumbs_lead_up_and_the_pager_to_the_neighbours(sized_page: Page, site: Site) -> None:
    page = sized_page
    page.goto(site.url(BATCH_NORM))
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs).to_be_visible()
    expect(crumbs.get_by_role("listitem")).to_have_text(["Home", "Normalization", TERM["term"]])
    pager = page.get_by_role("navigation", name="Previous and next terms")
    expect(pager).to_be_visible()
    expect(pager.get_by_role("listitem")).to_have_text(
        ["Previous: Baseline", "A\u2013Z index", "Next: Batch Size"]
    )
    pager.get_by_role("link", name="Batch Size").click()
    page.wait_for_url(site.url("glossary/batch-size.md"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Batch Size")
    page.go_back()
    crumbs.get_by_role("link", name="Normalization").click()
    page.wait_for_url(site.url("glossary/category/normalization.md"))
    page.go_back()
    crumbs.get_by_role("link", name="Home").click()
    page.wait_for_url(site.url("index.md"))


def test_the_contents_are_reachable_on_a_phone(sized_page: Page, site: Site) -> None:
    page = sized_page
    page.goto(site.url(BATCH_NORM))
    contents = page.locator("details.glossary-toc")
    sidebar = page.locator(".md-sidebar--secondary .md-nav__link", has_text="Limitations")
    if page.viewport_size == LAPTOP:  # Material's own, beside the text
        expect(sidebar).to_be_visible()
        expect(contents).to_be_hidden()
        return
    expect(sidebar).to_be_hidden()
    expect(contents).to_be_visible()
    # The page at its final height: math typeset with its fonts, images loaded.
    page.wait_for_function(_TYPESET)
    page.evaluate("document.fonts.ready.then(() => true)")
    load_lazy_images(page)
    contents.locator("summary").click()
    link = contents.get_by_role("link", name="Limitations", exact=True)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(f"{site.url(BATCH_NORM)}#limitations")
    expect(page.locator("#limitations")).to_be_in_viewport()


def test_a_figure_opens_full_size_and_closes(sized_page: Page, site: Site) -> None:
    page = sized_page
    page.goto(site.url(BATCH_NORM))
    load_lazy_images(page)
    figure = page.locator("figure.glossary-figure").first
    image = figure.locator("img:visible")
    width, height = (int(image.get_attribute(name) or 0) for name in ("width", "height"))
    assert width > 0 and height > 0, "the image has no width and height"
    viewer = page.locator("dialog.glossary-lightbox")
    for close in ("Escape", "tap", "button"):
        figure.locator("a.glossary-figure__open:visible").click()
        expect(viewer).to_be_visible()
        expect(viewer.locator(".glossary-lightbox__caption")).to_have_text(
            f"Figure 1: {' '.join(TERM['figures'][0]['caption'].split())}"
        )
        opened = viewer.locator("img")
        expect(opened).to_have_js_property("complete", True)
        assert opened.evaluate("image => image.naturalWidth") > 0, "the figure did not load"
        shown = opened.evaluate("image => image.getBoundingClientRect().width")
        assert shown >= width * LEGIBLE_SHARE, f"opened at {shown} px, its text is too small"
        # Material writes the section being read into the URL's fragment, nothing more.
        assert page.url.split("#")[0] == site.url(BATCH_NORM), "opening a figure left the page"
        if close == "Escape":
            page.keyboard.press("Escape")
        elif close == "tap":
            opened.click()
        else:
            viewer.get_by_role("button", name="Close the figure").click()
        expect(viewer).to_be_hidden()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_accessibility_violation_with_the_contents_and_a_figure_open(
    browser: Browser, site: Site, scheme: str
) -> None:
    options = {**CONTEXT_OPTIONS, "viewport": PHONE}
    options["color_scheme"] = "dark" if scheme == "slate" else "light"
    with open_page(browser, site, RequestLog(), **options) as page:
        page.goto(site.url(BATCH_NORM))
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        page.locator("details.glossary-toc summary").click()
        page.locator("a.glossary-figure__open:visible").first.click()
        expect(page.locator("dialog.glossary-lightbox")).to_be_visible()
        page.add_script_tag(path=AXE)
        violations = page.evaluate(_VIOLATIONS)
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING]
    assert not blocking, f"{site.url(BATCH_NORM)} ({scheme}, 390 px):\n{_describe(blocking)}"


# What can make a page wider than a phone is in its content, since every term page has the same
# template: a word or an inline formula too long to wrap, or a table. The pages with the most of
# each are checked, rather than all 250 (two minutes of the suite).
_PICKED_PER_MEASURE = 8
_TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.DOTALL)
_BLOCKS = re.compile(r"<(pre|div class=\"arithmatex\")[^>]*>.*?</(pre|div)>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _riskiest_term_pages(site: Site) -> list[str]:
    """The term pages of ``site`` with the longest words, the longest inline formulas and the
    most tables, ``_PICKED_PER_MEASURE`` for each measure, and Batch Normalization."""
    measures: dict[str, tuple[int, int, int]] = {}
    for path in sorted((ROOT / "terms").glob("[!_]*.yaml")):
        source = f"glossary/{path.stem}.md"
        html = (site.root / site.page_path(source)).with_suffix("")
        page = html / "index.html" if site.directory_urls else html.with_suffix(".html")
        content = page.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>")[0]
        text = _BLOCKS.sub(" ", content)  # code and display math scroll in their own box
        inline = _TEX.findall(text)
        words = _TAG.sub(" ", _TEX.sub(" ", text)).split()
        measures[source] = (
            max(map(len, words), default=0),
            max(map(len, inline), default=0),
            content.count("<table"),
        )
    picked = {BATCH_NORM}
    for k in range(3):
        ranked = sorted(measures, key=lambda source: (-measures[source][k], source))
        picked.update(source for source in ranked[:_PICKED_PER_MEASURE] if measures[source][k])
    return sorted(picked)


def _without_images_and_search(route: Route) -> None:
    """Leave out what cannot widen a page, to check many pages in reasonable time: the images
    (their size is in the HTML) and the search index."""
    if route.request.resource_type == "image" or "/search/" in route.request.url:
        route.abort()
    else:
        route.fallback()  # to the guard of ``open_page``


def test_no_term_page_is_wider_than_a_phone(browser: Browser, site: Site) -> None:
    # The riskiest pages of one build; of the other, which has the same styles, one.
    sources = [BATCH_NORM]
    if site.kind == "online":
        sources = _riskiest_term_pages(site)
        assert len(sources) > _PICKED_PER_MEASURE
    with open_page(browser, site, RequestLog(), **{**CONTEXT_OPTIONS, "viewport": PHONE}) as page:
        page.set_default_timeout(TIMEOUT_MS)
        page.route("**/*", _without_images_and_search)
        wide = {}
        for source in sources:
            page.goto(site.url(source), wait_until="domcontentloaded")
            page.wait_for_function(_TYPESET)
            found = page.evaluate(_OVERFLOW)
            if found["page"] > found["screen"] or found["wide"]:
                wide[source] = found
    assert not wide, f"pages wider than 390 px: {wide}"
