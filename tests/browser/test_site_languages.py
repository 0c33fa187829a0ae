"""The glossary in German and Chinese, on both builds (online, and from file://): the language
selector leads to the same term in the other language, search finds the translated names, and
the translated Batch Normalization pages show their figures, math and related terms in their
language. The project is translated by the fixtures of ``translations/`` (see conftest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.material_ui import BATCH_NORM, load_lazy_images, search
from tests.browser.sites import Site

pytestmark = pytest.mark.browser

# Material shows "Initializing search" (in the page's language) until its index is built.
_SEARCH_READY = """() => {
  const t = JSON.parse(document.getElementById("__config").textContent).translations;
  const meta = document.querySelector(".md-search-result__meta");
  return meta !== null && meta.textContent.trim() === t["search.result.placeholder"];
}"""
_INDEXING_MS = 60_000
GERMAN_BN = "de/glossary/batch-normalization.md"
CHINESE_BN = "zh/glossary/batch-normalization.md"


def _choose_language(page: Page, name: str) -> None:
    """Open Material's language selector in the header and follow ``name``."""
    page.locator(".md-header__option .md-select").hover()
    link = page.locator(".md-select__link", has_text=name)
    expect(link).to_be_visible()
    link.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize(
    ("start", "name", "lands_on"),
    [
        (BATCH_NORM, "Deutsch", GERMAN_BN),
        (BATCH_NORM, "简体中文", CHINESE_BN),
        (GERMAN_BN, "English", BATCH_NORM),
        (GERMAN_BN, "简体中文", CHINESE_BN),
        (CHINESE_BN, "Deutsch", GERMAN_BN),
    ],
)
def test_the_language_selector_keeps_the_term(
    page: Page, site: Site, start: str, name: str, lands_on: str
) -> None:
    page.goto(site.url(start))
    _choose_language(page, name)
    assert page.url.split("#")[0] == site.url(lands_on)


def test_a_term_without_translation_leads_to_the_language_home(page: Page, site: Site) -> None:
    page.goto(site.url("glossary/adam.md"))
    _choose_language(page, "Deutsch")
    assert page.url == site.url("de/index.md")
    expect(page.locator("h1")).to_contain_text("Das KI-Glossar auf Deutsch")


@pytest.mark.parametrize(
    ("source", "lang", "hreflang"),
    [(GERMAN_BN, "de", "de"), (CHINESE_BN, "zh", "zh-Hans"), (BATCH_NORM, "en", "en")],
)
def test_pages_say_their_language_and_their_alternates(
    page: Page, site: Site, source: str, lang: str, hreflang: str
) -> None:
    page.goto(site.url(source))
    assert page.locator("html").get_attribute("lang") == lang
    alternates = page.locator('head link[rel="alternate"][hreflang]')
    assert sorted(alternates.evaluate_all("links => links.map(l => l.hreflang)")) == [
        "de",
        "en",
        "zh-Hans",
    ]
    here = alternates.and_(page.locator(f'[hreflang="{hreflang}"]'))
    assert here.evaluate("link => link.href").split("#")[0] == site.url(source)


@pytest.mark.parametrize(
    ("home", "query", "found"),
    [
        ("de/index.md", "Batch-Normalisierung", GERMAN_BN),
        ("zh/index.md", "批归一化", CHINESE_BN),
        ("zh/index.md", "批量归一化", CHINESE_BN),  # an alias
        ("de/index.md", "Batch Normalization", BATCH_NORM),  # the English name
        ("zh/index.md", "Batch Normalization", BATCH_NORM),
    ],
)
def test_search_finds_the_translated_names(
    page: Page, site: Site, home: str, query: str, found: str
) -> None:
    page.goto(site.url(home))
    # The index holds every language: opened (online, its first request), it takes a while
    # to build, and from file://, where the search runs in the page's own thread, the page
    # answers nothing until then.
    page.keyboard.press("/")
    page.wait_for_function(_SEARCH_READY, timeout=_INDEXING_MS)
    results = search(page, query)
    pages = [result.page_url for result in results]
    assert site.url(found) in pages[:3], f"{query!r} gave: {pages[:5]}"


@pytest.mark.parametrize(
    ("source", "heading", "related", "figure"),
    [
        (GERMAN_BN, "Verwandte Begriffe", "Layer-Normalisierung", "Abbildung 1: "),
        (CHINESE_BN, "相关术语", "层归一化", "图 1\uff1a"),  # a full-width colon
    ],
)
def test_translated_pages_show_figures_math_and_related_terms(
    page: Page, site: Site, source: str, heading: str, related: str, figure: str
) -> None:
    page.goto(site.url(source))
    load_lazy_images(page)
    # The figures of the English term, captioned in the page's language.
    caption = page.locator("figure.glossary-figure figcaption").first
    expect(caption).to_contain_text(figure)
    images = page.locator("figure.glossary-figure img")
    assert images.count() >= 2
    widths = images.evaluate_all(
        "imgs => imgs.filter(i => i.checkVisibility()).map(i => i.naturalWidth)"
    )
    assert widths and all(width > 0 for width in widths), widths
    # Math typeset by KaTeX, as on the English page.
    assert page.locator(".glossary-heading ~ * .katex, article .katex").count() > 0
    # Related terms, with the translated name where there is a translation.
    section = page.locator("h2", has_text=heading)
    expect(section).to_be_visible()
    link = page.locator(".grid.cards a", has_text=related).or_(
        page.locator("article a", has_text=related)
    )
    expect(link.first).to_be_visible()
    href = link.first.evaluate("a => a.href")
    assert "/glossary/layer-normalization" in href
