"""The sanitizer alone makes every hostile payload inert, with no help from the checks."""

from __future__ import annotations

import re
from types import SimpleNamespace

import markdown
import pytest

from generator.markdown.rendered import SITE_EXTENSIONS
from generator.markdown.sanitizer import sanitize_html
from generator.site.plugin import GlossaryPlugin
from tests.generator.hostile_markdown import PAYLOADS

# The site's Markdown exactly, attribute lists included: what MkDocs would make of the text.
_EXTENSIONS = {**SITE_EXTENSIONS, "attr_list": {}}
_TAG = re.compile(r"<[^>]*>")
# <svg> and <math> are allowed, for KaTeX's output, but none of the SVG or MathML elements that
# link, fetch, animate attributes or hold HTML.
_EXECUTABLE = re.compile(
    r"^<\s*(script|iframe|object|embed|style|use|image|animate|set|foreignobject|mglyph"
    r"|annotation-xml|maction)\b|\son\w+\s*=|(javascript|vbscript|data):"
    r"|src=\"https?:|src=\"//",
    re.IGNORECASE,
)


def _executable(page: str) -> list[str]:
    """The tags of ``page`` that could run script or make the browser fetch from elsewhere."""
    return [tag for tag in _TAG.findall(page) if _EXECUTABLE.search(tag)]


def _page(text: str) -> str:
    return markdown.markdown(text, extensions=list(_EXTENSIONS), extension_configs=_EXTENSIONS)


@pytest.mark.parametrize(("name", "text"), PAYLOADS, ids=[name for name, _ in PAYLOADS])
def test_the_sanitizer_alone_makes_every_payload_inert(name: str, text: str) -> None:
    page = _page(text)
    sanitized = sanitize_html(page)
    assert _executable(sanitized.html) == [], sanitized.html
    if _executable(page):  # something was taken out: it is reported
        assert sanitized.removed, page


def test_what_it_removes_is_named() -> None:
    sanitized = sanitize_html(
        '<p onclick="x">a <a href="jav&#x61;script:alert(1)">b</a></p>'
        '<img src="https://tracker.example/p.png" alt="t"><script>alert(1)</script>'
    )
    assert sanitized.removed == (
        "the attribute onclick of <p>",
        "the address 'javascript:alert(1)' in <a href>",
        "the address 'https://tracker.example/p.png' in <img src>",
        "the element <script>",
    )
    assert sanitized.html == '<p>a <a>b</a></p><img alt="t">'


def test_what_our_pages_use_passes_unchanged() -> None:
    page = (
        '<h2 id="x" data-search-exclude="">Related <a class="headerlink" href="#x" '
        'title="Permanent link">¶</a></h2>\n<p>See <a href="../adam/" title="An optimizer.">'
        'Adam</a>, <a href="https://arxiv.org/abs/1502.03167">the paper</a> and '
        '<a href="mailto:a@example.org">us</a>.</p>\n<figure><img alt="A plot" loading="lazy" '
        'src="figures/batch-normalization-1-light.svg"><figcaption>Caption</figcaption></figure>'
        '\n<table><thead><tr><th style="text-align: left;">a</th></tr></thead></table>'
        '\n<span class="arithmatex">\\(a &lt; b\\)</span>'
    )
    sanitized = sanitize_html(page)
    assert sanitized.removed == ()
    # Only the table cell's style is written differently, with the same meaning.
    assert sanitized.html == page.replace("text-align: left;", "text-align:left")


def test_the_plugin_sanitizes_every_page_and_names_the_term_file(
    caplog: pytest.LogCaptureFixture,
) -> None:
    page = SimpleNamespace(file=SimpleNamespace(src_uri="glossary/adam.md"))
    config = SimpleNamespace(docs_dir="/project/docs")
    hostile = '<p>See <a href="javascript:alert(1)">the paper</a>.</p>'
    on_page_content = GlossaryPlugin().on_page_content
    with caplog.at_level("WARNING", logger="mkdocs.plugins.glossary"):
        html = on_page_content(hostile, page=page, config=config, files=None)
    assert html == "<p>See <a>the paper</a>.</p>"
    assert [record.getMessage() for record in caplog.records] == [
        "terms/adam.yaml: removed from the published page: the address 'javascript:alert(1)' "
        "in <a href>"
    ]
    page = SimpleNamespace(file=SimpleNamespace(src_uri="about.md"))
    with caplog.at_level("WARNING", logger="mkdocs.plugins.glossary"):
        on_page_content("<script>x</script>", page=page, config=config, files=None)
    assert caplog.records[-1].getMessage() == (
        "docs/about.md: removed from the published page: the element <script>"
    )
