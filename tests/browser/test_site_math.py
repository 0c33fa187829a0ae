"""Math typeset when the site is built, on both builds: the batch-normalization page shows its
formulas with JavaScript off, no page ships KaTeX's script, and only pages with math load
KaTeX's stylesheet and fonts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import CONTEXT_OPTIONS, TIMEOUT_MS
from tests.browser.material_ui import BATCH_NORM
from tests.browser.sites import RequestLog, Site, open_page

pytestmark = pytest.mark.browser

MIN_MATH = 20  # the formula, and the inline math of the definition and the explanation
NO_MATH = "glossary/index.md"  # the A-Z index: names and summaries, no formula
CATEGORY = "glossary/category/normalization.md"  # no formula; links to batch normalization
_MATH_STATE = """() => ({
  math: document.querySelectorAll(".arithmatex").length,
  typeset: [...document.querySelectorAll(".arithmatex")]
    .filter(element => element.querySelector(".katex")).length,
  display: document.querySelectorAll("div.arithmatex > .katex-display").length,
  untypeset: [...document.querySelectorAll(".arithmatex")]
    .filter(element => !element.querySelector(".katex"))
    .map(element => element.textContent.trim().slice(0, 80)),
  errors: document.querySelectorAll(".katex-error").length,
  // KaTeX's stylesheet hides the MathML (kept for screen readers) and shows the HTML.
  mathml: getComputedStyle(document.querySelector(".katex-mathml")).position,
  text: document.querySelector("article").innerText,
  formula: document.querySelector("div.arithmatex").getBoundingClientRect().height,
})"""
_KATEX_FONTS_LOADED = """async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter(font => font.family.replace(/["']/g, "").startsWith("KaTeX_"))
    .filter(font => font.status === "loaded").length;
}"""


def _expect_typeset(page: Page) -> None:
    state = page.evaluate(_MATH_STATE)
    assert state["typeset"] >= MIN_MATH, f"too little math typeset: {state['typeset']}"
    assert state["typeset"] == state["math"], f"math left as TeX: {state['untypeset']}"
    assert state["display"] >= 1, "the formula is not typeset as display math"
    assert state["errors"] == 0, "KaTeX could not typeset a formula"
    assert state["mathml"] == "absolute", "KaTeX's stylesheet is not applied"
    assert "\\(" not in state["text"] and "\\frac" not in state["text"], "raw LaTeX is shown"
    assert state["formula"] > 100, "the display formula is not drawn (six lines of math)"


def test_formulas_show_with_javascript_disabled(
    browser: Browser, site: Site, request_log: RequestLog
) -> None:
    options = {**CONTEXT_OPTIONS, "java_script_enabled": False}
    with open_page(browser, site, request_log, **options) as page:
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(site.url(BATCH_NORM))
        _expect_typeset(page)
        assert page.evaluate(_KATEX_FONTS_LOADED) > 0, "KaTeX's fonts did not load"
    assert not request_log.external


def test_a_page_with_math_loads_katex_styles_and_fonts_and_no_script(
    page: Page, site: Site, request_log: RequestLog
) -> None:
    page.goto(site.url(BATCH_NORM))
    _expect_typeset(page)
    assert page.evaluate(_KATEX_FONTS_LOADED) > 0, "KaTeX's fonts did not load"
    katex = [url for url in request_log.all if "/katex/" in url]
    assert any(url.endswith("/katex/katex.min.css") for url in katex), katex
    assert any("/katex/fonts/KaTeX_" in url for url in katex), katex
    assert not [url for url in request_log.all if url.endswith(".js") and "katex" in url]


def test_a_page_without_math_loads_no_katex_stylesheet_or_font(
    page: Page, site: Site, request_log: RequestLog
) -> None:
    for source in ("index.md", NO_MATH, CATEGORY):
        page.goto(site.url(source))
        assert page.locator(".arithmatex").count() == 0, f"{source} has math after all"
        assert page.locator('link[href*="katex"]').count() == 0
    assert page.evaluate(_KATEX_FONTS_LOADED) == 0
    assert not [url for url in request_log.all if "katex" in url.lower()]


def test_no_page_references_the_katex_script(site: Site) -> None:
    pages = sorted(site.root.rglob("*.html"))
    assert len(pages) > 100
    referencing = [str(path) for path in pages if "katex.min.js" in path.read_text("utf-8")]
    assert referencing == []
    assert not list(site.root.rglob("katex*.js")), "KaTeX's script is in the site"
