"""Driving the parts of Material for MkDocs' interface that the browser tests use."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import Page, expect

BATCH_NORM = "glossary/batch-normalization.md"  # the term page most tests look at
DARK_TOGGLE = "label[for=__palette_1]"  # shown in light mode: "Switch to dark mode"
LIGHT_TOGGLE = "label[for=__palette_0]"

# Material writes "No matching documents", "1 matching document" or "N matching documents"
# once the search worker has answered a query, and "Type to start searching" for an empty one;
# in the page's language (a translated page's: see test_site_languages), as its configuration
# (#__config) lists them.
_ANSWERED = """query => {
  const t = JSON.parse(document.getElementById("__config").textContent).translations;
  const meta = document.querySelector(".md-search-result__meta").textContent.trim();
  if (document.querySelector(".md-search__input").value !== query) return false;
  if (!query) return meta === t["search.result.placeholder"];
  const [before, after] = t["search.result.other"].split("#");
  return meta === t["search.result.none"] || meta === t["search.result.one"] ||
    (meta.startsWith(before) && meta.endsWith(after) &&
     /^\\d+$/.test(meta.slice(before.length, meta.length - after.length).trim()));
}"""
_RESULTS = """items => items.map(item => {
  const link = item.querySelector(":scope > a.md-search-result__link");
  return {
    url: link.href,
    title: (link.querySelector("h1") || link).textContent.trim(),
    text: link.innerText,
    sections: [...item.querySelectorAll(".md-search-result__more a")].map(a => a.href),
  };
})"""


@dataclass(frozen=True)
class SearchResult:
    """One page in Material's search results: its best match, and its other matching sections."""

    url: str
    title: str
    text: str
    sections: list[str]

    @property
    def page_url(self) -> str:
        """The result's URL without the ``?h=`` highlight query and the fragment."""
        return without_query(self.url)


def without_query(url: str) -> str:
    """``url`` without its query string and fragment."""
    return urlunsplit(urlsplit(url)._replace(query="", fragment=""))


def search(page: Page, query: str) -> list[SearchResult]:
    """Type ``query`` into Material's search box and return the results, best first."""
    box = page.locator(".md-search__input")
    if not box.evaluate("box => box === document.activeElement"):
        page.keyboard.press("/")  # Material's shortcut: opens the search dialog, focuses the box
        expect(box).to_be_focused()
    # Material searches on keyup: "End" sends the whole query at once. Clearing the box first
    # makes sure that the results read below answer this query, not a previous one.
    for text in ("", query):
        box.fill(text)
        box.press("End")
        page.wait_for_function(_ANSWERED, arg=text)
    items = page.locator(".md-search-result__item").evaluate_all(_RESULTS)
    return [SearchResult(**item) for item in items]


def load_lazy_images(page: Page) -> None:
    """Make every ``loading="lazy"`` image of the page load now, and wait until they have."""
    page.locator("img").evaluate_all(
        """images => Promise.all(images.map(image => {
          image.loading = "eager";
          return image.decode().catch(() => null);  // a missing file is the link test's
        }))"""
    )


def switch_palette(page: Page, scheme: str) -> None:
    """Click the header's palette toggle to switch to ``scheme`` ("slate" or "default")."""
    page.locator(DARK_TOGGLE if scheme == "slate" else LIGHT_TOGGLE).click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
