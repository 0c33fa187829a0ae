"""The pages' formulas, typeset when the site is built (see ``generator.markdown.katex``).

pymdownx.arithmatex (generic mode) marks each formula of a page's HTML: inline math as
``<span class="arithmatex">\\(...\\)</span>``, display math as ``<div class="arithmatex">\\[...\\]
</div>``. The plugin hands each page here after sanitizing it (``note``); once MkDocs has
converted every page, ``typeset`` typesets the formulas of all pages with one Node process; then
each page's formulas are replaced, first by readable text for the search index
(``for_search``), then by KaTeX's HTML for the page itself (``for_page``). KaTeX's HTML goes
through the same sanitizer as the page. A page with math links KaTeX's stylesheet
(``with_stylesheet``); the others load neither it nor KaTeX's fonts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from generator.markdown.formulas import formula_as_text
from generator.markdown.katex import Formula, Typesetter
from generator.markdown.sanitizer import sanitize_html
from generator.site.assets import KATEX_STYLESHEET

# A formula as arithmatex writes it, after the sanitizer has serialized the page again.
_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]</(?P=tag)>',
    re.DOTALL,
)
_OUR_STYLESHEET = re.compile(r'<link rel="stylesheet" href="[^"]*assets/glossary\.css"')


class MathPages:
    """The pages of one build that hold math, and the HTML of their formulas."""

    def __init__(self) -> None:
        self._pages: dict[str, list[Formula]] = {}  # src_uri -> the formulas of the page
        self._html: dict[Formula, str] = {}  # each formula's HTML, sanitized (kept for serve)

    def start(self) -> None:
        """Forget the pages of the last build (not the formulas: the preview server builds
        again after every save)."""
        self._pages.clear()

    def note(self, page: Page, content: str) -> None:
        """Remember ``page`` when its (sanitized) HTML holds a formula."""
        if 'class="arithmatex"' in content:
            formulas = [_formula(match) for match in _ARITHMATEX.finditer(content)]
            if formulas:
                self._pages[page.file.src_uri] = formulas

    def typeset(
        self, typesetter: Callable[[], Typesetter], warn: Callable[[str, str], None]
    ) -> None:
        """Typeset the formulas of every noted page not typeset before, in one batch, with the
        typesetter that ``typesetter()`` gives (asked for only when there is one to typeset);
        ``warn(src_uri, message)`` for each formula KaTeX cannot typeset (``glossary check``
        reports those in term files first) or whose HTML the sanitizer had to change."""
        wanted: dict[Formula, str] = {}
        for src_uri, formulas in self._pages.items():
            for formula in formulas:
                wanted.setdefault(formula, src_uri)
        new = [formula for formula in wanted if formula not in self._html]
        if not new:
            return
        for formula, result in typesetter().typeset(new).items():
            if result.html is None:
                warn(wanted[formula], f"KaTeX cannot typeset '{formula[0]}': {result.error}")
                continue
            sanitized = sanitize_html(result.html)
            for what in sanitized.removed:
                warn(wanted[formula], f"removed from the formula '{formula[0]}': {what}")
            self._html[formula] = sanitized.html

    def has_math(self, page: Page) -> bool:
        return page.file.src_uri in self._pages

    @staticmethod
    def for_search(content: str) -> str:
        """A page's HTML with each formula as readable text (σ², √x), for the search index."""
        return _ARITHMATEX.sub(
            lambda m: f"<{m['tag']}>{html.escape(formula_as_text(_formula(m)[0]))}</{m['tag']}>",
            content,
        )

    def for_page(self, content: str) -> str:
        """A page's HTML with each formula typeset; a formula KaTeX could not typeset stays as
        its LaTeX (the build has warned)."""
        return _ARITHMATEX.sub(self._typeset_match, content)

    def _typeset_match(self, match: re.Match[str]) -> str:
        # KaTeX's HTML stays in arithmatex's element: Material styles it (a display formula
        # too wide for the screen scrolls sideways).
        typeset = self._html.get(_formula(match))
        if typeset is None:
            return match.group()
        return f'<{match["tag"]} class="arithmatex">{typeset}</{match["tag"]}>'

    def with_stylesheet(self, page: Page, output: str) -> str:
        """A math page's HTML with KaTeX's stylesheet linked before ours (which may override
        it), in <head>: instant navigation adds and removes it as the reader moves between
        pages with and without math."""
        if not self.has_math(page):
            return output
        link = f'<link rel="stylesheet" href="{get_relative_url(KATEX_STYLESHEET, page.url)}">'
        ours = _OUR_STYLESHEET.search(output)
        if ours is not None:
            return f"{output[: ours.start()]}{link}\n    {output[ours.start() :]}"
        return output.replace("</head>", f"{link}\n</head>", 1)


def _formula(match: re.Match[str]) -> Formula:
    return html.unescape(match["tex"]).strip(), match["open"] == "["
