"""render: Markdown pages from a linked glossary, in a fixed order, with plain text escaped."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import replace
from typing import Any

import markdown
import pytest

import generator.pipeline.render
from generator.markdown.rendered import SITE_EXTENSIONS
from generator.model import (
    Category,
    ExternalLink,
    FaqEntry,
    FigureSpec,
    Glossary,
    Organization,
    Reference,
    Section,
    Symbol,
    Term,
    TermDates,
)
from generator.pipeline.figures import RenderedFigure
from generator.pipeline.link import link
from generator.pipeline.render import HOME_FRAGMENT, MORE_IN_CATEGORY, plain, render_pages

CATEGORIES = (
    Category("normalization", "Normalization", "Rescaling activations."),
    Category("training", "Training", "Fitting a model to data."),
)


def make_term(slug: str, name: str, **fields) -> Term:
    defaults = {
        "summary": f"About {name}.",
        "definition": f"{name} is defined here.",
        "category": "normalization",
    }
    return Term(slug=slug, source=f"terms/{slug}.yaml", term=name, **{**defaults, **fields})


FULL = make_term(
    "full",
    "Full Term",
    aliases=("FT", "Fully"),
    tags=("deep-learning", "vision"),
    explanation="How it *works*.",
    formula=r"y = \frac{x}{2}",
    symbols=(Symbol("x", "the *input*"), Symbol("y", "the output")),
    examples=("First example.", "Second example:\n\n```python\nfull()\n```"),
    sections=(
        Section("usage_note", "Usage note", "Use it with care."),
        Section("why_it_matters", "Why it matters", "It matters a lot."),
        Section("limitations", "Limitations", "It has limits."),
    ),
    faq=(FaqEntry("Why?", "Because."),),
    related=("other",),
    organizations=(Organization("Acme Labs", "Developed it."), Organization("Beta Corp")),
    references=(
        Reference(
            "A Paper (with parentheses)",
            ("Ada Lovelace", "Alan Turing", "Grace Hopper"),
            2015,
            "https://example.org/a paper_(1)",
            "ICML 2015",
        ),
    ),
    see_also=(ExternalLink("Full term (Wikipedia)", "https://en.wikipedia.org/wiki/Full"),),
    figures=(FigureSpec("normalized-activations", "What the figure shows.", {"norm": "layer"}),),
)
OTHER = make_term("other", "Other Term", summary='An "other" term, the one FT relates to.')
REFERRER = make_term("referrer", "Referrer", related=("full",), category="training")
BARE = make_term("bare", "Bare", category="training")

FIGURES = {
    ("full", 0): RenderedFigure(
        "full-1-light.svg", "full-1-dark.svg", "Alt text of the figure.", b"<svg/>", b"<svg/>"
    )
}


def render(*terms: Term, figures=None) -> dict[str, str]:
    """The pages, with their term links written inline (see ``inline_links``)."""
    return {path: inline_links(page) for path, page in rendered(*terms, figures=figures).items()}


def rendered(*terms: Term, figures=None) -> dict[str, str]:
    """The pages as the generator writes them."""
    glossary = Glossary(tuple(sorted(terms, key=lambda t: t.slug)), CATEGORIES)
    return render_pages(link(glossary), FIGURES if figures is None else figures)


_DEFINITION = re.compile(r'^\[term:([^\]]+)\]: (\S+) "(.*)"\n', re.MULTILINE)
_REFERENCE = re.compile(r"\]\[term:([^\]]+)\]")


def inline_links(page: str) -> str:
    """``page`` with each term link written inline, ``[Name](slug.md "Summary")``, as Markdown
    reads it, and the definitions at its end removed. Every reference must be defined once,
    and every definition used."""
    definitions = {name: (url, title) for name, url, title in _DEFINITION.findall(page)}
    assert len(definitions) == len(_DEFINITION.findall(page)), "a reference defined twice"
    body = _DEFINITION.sub("", page)
    body = body.rstrip("\n") + "\n" if definitions else body
    assert set(_REFERENCE.findall(body)) == set(definitions)
    return _REFERENCE.sub(lambda m: ']({} "{}")'.format(*definitions[m.group(1)]), body)


def test_term_links_are_references_defined_at_the_end_of_the_page() -> None:
    pages = rendered(FULL, OTHER, REFERRER, BARE)
    full = pages["full.md"]
    assert "- [Referrer][term:referrer]\n" in full
    assert full.endswith(
        '\n\n[term:other]: other.md "An &quot;other&quot; term, the one FT relates to."\n'
        '[term:referrer]: referrer.md "About Referrer."\n'
        '[term:bare]: bare.md "About Bare."\n'
    )
    assert '[term:../full]: ../full.md "About Full Term."\n' in pages["category/normalization.md"]
    assert '[term:glossary/bare]: glossary/bare.md "About Bare."\n' in pages[HOME_FRAGMENT]


def headings(page: str) -> list[str]:
    """The sections of a page, without their attribute lists."""
    return re.findall(r"^## (.*?)(?: \{ [^}]* \})?$", page, flags=re.MULTILINE)


def test_only_the_lists_of_other_terms_are_left_out_of_search() -> None:
    page = render(FULL, OTHER, REFERRER)["full.md"]
    excluded = re.findall(r"^## (.*) \{ data-search-exclude \}$", page, flags=re.MULTILINE)
    assert excluded == ["Related terms", "Referenced by"]  # Other, in More in, is related
    navigation = re.findall(r"^<nav .*>$", page, flags=re.MULTILINE)
    assert navigation == [
        '<nav class="glossary-breadcrumbs" aria-label="Breadcrumb" data-search-exclude markdown>',
        '<nav class="glossary-pager" aria-label="Previous and next terms" data-search-exclude '
        "markdown>",
    ]


# Markers of each section of a term page, in the documented order.
SECTION_ORDER = [
    ('title: "Full Term"', "title"),
    ('<div class="glossary-heading" markdown>\n\n# Full Term\n', "heading"),
    (
        "1. [Home](../index.md)\n2. [Normalization](category/normalization.md)\n3. Full Term\n",
        "path",
    ),
    ("About Full Term.\n{ .glossary-lead }", "lead"),
    ("**Category:** [Normalization](category/normalization.md)", "category"),
    ("**Also known as:** FT, Fully", "aliases"),
    ("**Tags:** [deep-learning](tags/deep-learning.md), [vision](tags/vision.md)", "tags"),
    ("<summary>On this page</summary>\n\n[TOC]\n", "contents"),
    ("## Definition\n\nFull Term is defined here.", "definition"),
    ("**Read more:** [Full term (Wikipedia)](https://en.wikipedia.org/wiki/Full)", "read more"),
    ('<figure class="glossary-figure" id="figure-1" markdown="span">', "figure"),
    ("## Formula\n\n$$\ny = \\frac{x}{2}\n$$", "formula"),
    ("where\n\n- $x$: the *input*\n- $y$: the output\n", "legend"),
    ("## How it works\n\nHow it *works*.", "explanation"),
    ("## Examples", "examples"),
    ("## Usage note\n\nUse it with care.", "usage note"),
    ("## Why it matters\n\nIt matters a lot.", "why it matters"),
    ("## Limitations\n\nIt has limits.", "limitations"),
    ("## Frequently asked questions\n\n### Why?\n\nBecause.", "faq"),
    ("## Related terms", "related"),
    ("## Referenced by", "referenced by"),
    ("## Organizations", "organizations"),
    ("## References", "references"),
    ("- Previous: [Bare][term:bare]\n- [A\u2013Z index](index.md#f)\n", "previous"),
    ("- Next: [Other Term][term:other]\n", "next"),
]


def test_term_page_has_every_section_in_the_documented_order() -> None:
    page = rendered(FULL, OTHER, REFERRER, BARE)["full.md"]
    positions = []
    for marker, name in SECTION_ORDER:
        assert marker in page, f"missing {name}"
        assert page.count(marker) == 1, f"{name} appears more than once"
        positions.append(page.index(marker))
    assert positions == sorted(positions)
    assert headings(page) == [
        "Definition",
        "Formula",
        "How it works",
        "Examples",
        "Usage note",
        "Why it matters",
        "Limitations",
        "Frequently asked questions",
        "Related terms",
        "Referenced by",
        "Organizations",
        "References",
    ]


def test_term_page_details() -> None:
    page = render(FULL, OTHER, REFERRER)["full.md"]
    assert page.startswith(
        '---\ntitle: "Full Term"\ndescription: "About Full Term."\n'
        'tags: ["Full Term", "FT", "Fully"]\n---\n\n<div class="glossary-heading" markdown>\n\n'
        "# Full Term\n"
    )
    assert "- Second example:\n\n    ```python\n    full()\n    ```\n" in page
    assert (
        "[![Alt text of the figure.](figures/full-1-light.svg#only-light){ loading=lazy }]"
        "(figures/full-1-light.svg){ .glossary-figure__open }"
    ) in page
    assert (
        "[![Alt text of the figure.](figures/full-1-dark.svg#only-dark){ loading=lazy }]"
        "(figures/full-1-dark.svg){ .glossary-figure__open }"
    ) in page
    assert '<figcaption markdown="span">Figure 1: What the figure shows.</figcaption>' in page
    assert "- **Acme Labs**: Developed it.\n" in page
    assert "- **Beta Corp**\n" in page
    assert (
        "- Ada Lovelace, Alan Turing, and Grace Hopper (2015). "
        "[A Paper (with parentheses)](https://example.org/a%20paper_%281%29). *ICML 2015*."
    ) in page
    assert "**Read more:** [Full term (Wikipedia)](https://en.wikipedia.org/wiki/Full)" in page
    assert '- [Referrer](referrer.md "About Referrer.")' in page
    assert page.endswith(
        '- Next: [Other Term](other.md "An &quot;other&quot; term, the one FT relates to.")'
        "\n\n</nav>\n"
    )


def test_minimal_term_page_omits_every_absent_section() -> None:
    page = render(BARE)["bare.md"]
    assert page == (
        "---\n"
        'title: "Bare"\n'
        'description: "About Bare."\n'
        'tags: ["Bare"]\n'
        "---\n"
        "\n"
        '<div class="glossary-heading" markdown>\n'
        "\n"
        "# Bare\n"
        "\n"
        '<nav class="glossary-breadcrumbs" aria-label="Breadcrumb" data-search-exclude markdown>\n'
        "\n"
        "1. [Home](../index.md)\n"
        "2. [Training](category/training.md)\n"
        "3. Bare\n"
        "\n"
        "</nav>\n"
        "\n"
        "</div>\n"
        "\n"
        "About Bare.\n"
        "{ .glossary-lead }\n"
        "\n"
        "**Category:** [Training](category/training.md)\n"
        "{ .glossary-meta data-search-exclude }\n"
        "\n"
        '<details class="glossary-toc" data-search-exclude markdown>\n'
        "<summary>On this page</summary>\n"
        "\n"
        "[TOC]\n"
        "\n"
        "</details>\n"
        "\n"
        "## Definition\n"
        "\n"
        "Bare is defined here.\n"
        "\n"
        '<nav class="glossary-pager" aria-label="Previous and next terms" data-search-exclude '
        "markdown>\n"
        "\n"
        "- [A\u2013Z index](index.md#b)\n"
        "\n"
        "</nav>\n"
    )


@pytest.mark.parametrize(
    ("fields", "heading"),
    [
        ({"explanation": "Works."}, "How it works"),
        ({"formula": "x"}, "Formula"),
        ({"examples": ("One.",)}, "Examples"),
        ({"sections": (Section("usage_note", "Usage note", "Use."),)}, "Usage note"),
        (
            {"sections": (Section("why_it_matters", "Why it matters", "Matters."),)},
            "Why it matters",
        ),
        ({"sections": (Section("limitations", "Limitations", "Limits."),)}, "Limitations"),
        ({"faq": (FaqEntry("Q?", "A."),)}, "Frequently asked questions"),
        ({"organizations": (Organization("Org"),)}, "Organizations"),
        (
            {"references": (Reference("T", ("A",), 2000, "https://example.org"),)},
            "References",
        ),
        (
            {
                "see_also": (
                    ExternalLink("Read first", "https://example.org/1"),
                    ExternalLink("More", "https://example.org/2"),
                )
            },
            "See also",
        ),
    ],
)
def test_each_optional_section_appears_only_when_its_field_is_set(fields, heading) -> None:
    page = render(replace(BARE, **fields))["bare.md"]
    assert headings(page) == ["Definition", heading]
    assert "**Also known as:**" not in page


def test_link_sections_appear_only_when_there_are_links() -> None:
    pages = render(OTHER, REFERRER, make_term("full", "Full Term"))
    assert headings(pages["referrer.md"]) == ["Definition", "Related terms"]
    assert headings(pages["full.md"]) == ["Definition", "Referenced by", "More in Normalization"]


HOSTILE = "*bold* <script>alert(1)</script> [x](y) _u_ `c` #h"
ESCAPED = "\\*bold\\* &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](y) \\_u\\_ \\`c\\` \\#h"


def test_plain_escapes_markdown_and_html() -> None:
    assert plain(HOSTILE) == ESCAPED
    assert plain("a & b | c ~ d ! e + f {g} \\") == (
        "a &amp; b \\| c \\~ d \\! e \\+ f \\{g\\} \\\\"
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"term": HOSTILE},
        {"aliases": (HOSTILE,)},
        {"tags": (HOSTILE,)},
        {"faq": (FaqEntry(HOSTILE, "Answer."),)},
        {"organizations": (Organization(HOSTILE, HOSTILE),)},
        {"references": (Reference(HOSTILE, (HOSTILE,), 2000, "https://example.org", HOSTILE),)},
        {"see_also": (ExternalLink(HOSTILE, "https://example.org"),)},
        {"figures": (FigureSpec("normalized-activations", HOSTILE),)},
    ],
    ids=lambda fields: next(iter(fields)),
)
def test_plain_text_fields_render_literally(fields) -> None:
    term = replace(BARE, **fields)
    figures = {("bare", 0): replace(FIGURES[("full", 0)], alt=HOSTILE)} if term.figures else {}
    page = render(term, figures=figures)["bare.md"]
    body = page.split("---\n", 2)[2]  # the front matter holds JSON strings instead
    assert ESCAPED in body
    assert "<script>" not in body
    assert "[x](y)" not in body


def test_a_summary_shows_as_plain_text_without_markup() -> None:
    """A summary becomes plain text when the glossary is linked (``link.plain_summary``): what
    markup the check let through (math, term links, emphasis) is read as text, and the text is
    escaped like every plain-text field."""
    page = render(replace(BARE, summary=HOSTILE))["bare.md"]
    body = page.split("---\n", 2)[2]
    assert "\nbold alert(1) x u c \\#h\n" in body
    assert "<script>" not in body
    assert "[x](y)" not in body
    assert "*bold*" not in body


def test_term_name_in_front_matter_is_a_json_string() -> None:
    page = render(replace(BARE, term='Say "hi": now', summary="Colon: yes."))["bare.md"]
    assert page.startswith(
        '---\ntitle: "Say &quot;hi&quot;: now"\ndescription: "Colon: yes."\n'
        'tags: ["Say &quot;hi&quot;: now"]\n---\n'
    )


def test_links_to_related_terms_carry_the_summary_as_title() -> None:
    page = render(FULL, OTHER, REFERRER)["full.md"]
    link_text = '[Other Term](other.md "An &quot;other&quot; term, the one FT relates to.")'
    assert f'-   {link_text}\n\n    An "other" term, the one FT relates to.\n' in page
    backlink = '- [Full Term](full.md "About Full Term.")\n'
    assert backlink in render(FULL, OTHER, REFERRER)["other.md"]  # referenced by, same category


def test_more_in_category_is_capped_with_a_link_to_the_category() -> None:
    terms = [make_term(f"t{i:02d}", f"Term {i:02d}") for i in range(MORE_IN_CATEGORY + 2)]
    page = render(*terms)["t00.md"]
    listed = re.findall(r"^- \[Term (\d\d)\]", page, flags=re.MULTILINE)
    assert listed == [f"{i:02d}" for i in range(1, MORE_IN_CATEGORY + 1)]
    assert f"- [All {MORE_IN_CATEGORY + 2} terms in Normalization](category/normalization.md)" in (
        page
    )


def test_the_set_of_pages() -> None:
    pages = render(FULL, OTHER, REFERRER, BARE)
    assert sorted(pages) == sorted(
        [
            "bare.md",
            "full.md",
            "other.md",
            "referrer.md",
            "index.md",
            HOME_FRAGMENT,
            "category/index.md",
            "category/normalization.md",
            "category/training.md",
            "tags/index.md",
            "tags/deep-learning.md",
            "tags/vision.md",
        ]
    )


def test_category_pages_list_every_term() -> None:
    pages = render(FULL, OTHER, REFERRER, BARE)
    assert pages["category/index.md"].endswith(
        "# Categories\n\n"
        "- [Normalization](normalization.md) (2): Rescaling activations.\n"
        "- [Training](training.md) (2): Fitting a model to data.\n"
    )
    assert pages["category/normalization.md"].endswith(
        "# Normalization\n\nRescaling activations.\n\n2 terms:\n\n"
        '- [Full Term](../full.md "About Full Term."): About Full Term.\n'
        '- [Other Term](../other.md "An &quot;other&quot; term, the one FT relates to."): '
        'An "other" term, the one FT relates to.\n'
    )
    assert pages["category/training.md"].count("](../") == 2


def test_category_page_of_an_empty_category() -> None:
    page = render(BARE)["category/normalization.md"]
    assert page.endswith("# Normalization\n\nRescaling activations.\n\nNo terms yet.\n")
    assert "1 term:" in render(BARE)["category/training.md"]


def test_a_to_z_page_lists_every_term_and_alias() -> None:
    page = render(FULL, OTHER, REFERRER, BARE)["index.md"]
    assert "4 terms in 2 categories." in page
    assert "[B](#b) · [F](#f) · [O](#o) · [R](#r)\n" in page
    for slug, name in [("bare", "Bare"), ("full", "Full Term"), ("referrer", "Referrer")]:
        assert f'- **[{name}]({slug}.md "About {name}.")**: About {name}.\n' in page
    # Aliases are set apart from terms, in a quieter style.
    alias = '- FT: see [Full Term](full.md "About Full Term.")\n    { .glossary-alias }\n'
    assert alias in page
    assert '- Fully: see [Full Term](full.md "About Full Term.")\n    { .glossary-alias }\n' in page
    # FT sorts before "Full Term" and "Fully"
    assert "## F { #f data-search-exclude }\n\n- FT: see" in page


def test_a_to_z_files_non_letters_under_other() -> None:
    page = render(make_term("one-cycle", "1cycle"))["index.md"]
    assert "[\\#](#other)\n" in page
    assert "## \\# { #other data-search-exclude }\n" in page


def test_tag_pages_list_their_terms_and_term_pages_link_to_them() -> None:
    pages = render(FULL, OTHER, REFERRER, BARE)
    assert "tags/deep-learning.md" in pages and "tags/vision.md" in pages
    index = pages["tags/index.md"]
    assert "search:\n  exclude: true\n" in index
    assert "- [deep-learning](deep-learning.md) (1)\n" in index
    tag_page = pages["tags/vision.md"]
    assert '- [Full Term](../full.md "About Full Term."): About Full Term.\n' in tag_page
    assert "1 term tagged *vision*." in tag_page
    footer = pages["full.md"].rsplit("---", 1)[1]
    assert "[deep-learning](tags/deep-learning.md), [vision](tags/vision.md)" in footer


def test_tag_labels_are_plain_text() -> None:
    pages = render(replace(BARE, tags=("<b>x</b>",)))
    assert "&lt;b&gt;x&lt;/b&gt;" in pages["tags/b-x-b.md"]
    assert "<b>" not in pages["tags/index.md"] + pages["bare.md"]


def _home(*terms: Term, **declared: Any) -> str:
    glossary = Glossary(tuple(sorted(terms, key=lambda t: t.slug)), CATEGORIES, **declared)
    return inline_links(render_pages(link(glossary), FIGURES)[HOME_FRAGMENT])


def test_home_fragment_links_into_the_glossary_directory() -> None:
    home = _home(FULL, OTHER, REFERRER, BARE, start_here=("bare", "full"))
    assert '1. [Bare](glossary/bare.md "About Bare."): About Bare.\n' in home
    assert "](bare.md" not in home
    assert "[all categories](glossary/category/index.md)" in home
    assert "The [A\u2013Z index](glossary/index.md) lists every term" in home
    assert not home.startswith("---")  # a fragment, not a page: no front matter


def test_home_page_has_a_card_per_category_with_its_key_terms() -> None:
    home = _home(FULL, OTHER, REFERRER, BARE)
    assert headings(home) == ["Browse by category", "Every term, A to Z"]  # no path, no dates
    assert "4 terms in 2 categories" in home
    # Full Term is related to by Referrer, so it is Normalization's first key term.
    assert "-   **[Normalization](glossary/category/normalization.md)** (2 terms)\n" in home
    assert "    Key terms: [Full Term](glossary/full.md" in home
    assert "-   **[Training](glossary/category/training.md)** (2 terms)\n" in home


def test_home_page_lists_the_terms_changed_last_from_their_dates() -> None:
    dates = {
        "bare": TermDates("2024-01-01", "2024-05-01", 300),
        "full": TermDates("2024-02-01", "2024-02-01", 200),
        "other": TermDates("2024-02-01", "2024-02-01", 200),
    }
    home = _home(FULL, OTHER, REFERRER, BARE, dates=dates)
    section = home.split("## Recently added or updated { #recent data-search-exclude }\n\n")[1]
    assert section.startswith(
        '- [Bare](glossary/bare.md "About Bare."): updated 2024-05-01\n'
        '- [Full Term](glossary/full.md "About Full Term."): added 2024-02-01\n'
        "- [Other Term](glossary/other.md"
    )
    assert "Referrer" not in section  # no date: never the build's


def test_rendering_twice_is_byte_identical() -> None:
    first = render(FULL, OTHER, REFERRER, BARE)
    generator.pipeline.render._environment.cache_clear()
    second = render(FULL, OTHER, REFERRER, BARE)
    assert first == second
    assert {k: v.encode() for k, v in first.items()} == {k: v.encode() for k, v in second.items()}


SVG_OF_SIZE = b'<svg xmlns="http://www.w3.org/2000/svg" width="547.2pt" height="201.6pt"/>'


def _figure(slug: str, number: int) -> RenderedFigure:
    stem = f"{slug}-{number}"
    return RenderedFigure(
        f"{stem}-light.svg", f"{stem}-dark.svg", f"Alt {number}.", SVG_OF_SIZE, SVG_OF_SIZE
    )


def test_figures_are_shown_in_their_sections_and_numbered_in_the_order_of_the_page() -> None:
    term = make_term(
        "placed",
        "Placed",
        explanation=(
            "### First part\n\nOne.\n\n```\n### not a heading\n```\n\n### Second part\n\nTwo."
        ),
        sections=(Section("limitations", "Limitations", "- It has limits."),),
        figures=(
            FigureSpec("k", "Under limitations.", section="limitations"),
            FigureSpec("k", "Under the second part.", section="Second part"),
            FigureSpec("k", "After the definition."),
            FigureSpec("k", "Under the first part.", section="first part"),
        ),
    )
    figures = {("placed", i): _figure("placed", i + 1) for i in range(4)}
    page = render(term, figures=figures)["placed.md"]
    captions = re.findall(r'<figcaption markdown="span">(.*)</figcaption>', page)
    assert captions == [
        "Figure 1: After the definition.",
        "Figure 2: Under the first part.",
        "Figure 3: Under the second part.",
        "Figure 4: Under limitations.",
    ]
    first, second = page.index("One."), page.index("### Second part")
    assert first < page.index("Figure 2:") < second < page.index("Two.") < page.index("Figure 3:")
    assert page.index("## Limitations") < page.index("- It has limits.") < page.index("Figure 4:")
    assert page.index("### not a heading") < page.index("Figure 2:")  # in a fence: no heading
    # Each image has its size in CSS pixels (points * 4/3), and links to the image alone.
    assert (
        '[![Alt 3.](figures/placed-3-light.svg#only-light){ width="730" height="269" '
        "loading=lazy }](figures/placed-3-light.svg){ .glossary-figure__open }"
    ) in page


def test_each_other_term_is_listed_once() -> None:
    terms = [
        make_term("main", "Main", related=("rel",)),
        make_term("rel", "Rel", related=("main",)),  # related and referencing: a card only
        make_term("back", "Back", related=("main",)),  # referencing only
        make_term("near", "Near"),  # same category only
    ]
    page = render(*terms)["main.md"]
    assert headings(page) == [
        "Definition",
        "Related terms",
        "Referenced by",
        "More in Normalization",
    ]
    lists = page[: page.index('<nav class="glossary-pager"')]  # then previous and next
    for name in ("Rel", "Back", "Near"):
        assert lists.count(f"[{name}](") == 1, name
    referenced = page[page.index("## Referenced by") : page.index("## More in")]
    assert "[Back](" in referenced and "[Rel](" not in referenced


def test_previous_and_next_follow_the_names_from_a_to_z() -> None:
    pages = rendered(
        make_term("zed", "Alpha"), make_term("bravo", "bravo"), make_term("c", "Charlie")
    )
    assert "- Previous:" not in pages["zed.md"]
    assert "- Next: [bravo][term:bravo]\n" in pages["zed.md"]
    assert "- Previous: [Alpha][term:zed]\n- [A\u2013Z index](index.md#b)\n" in pages["bravo.md"]
    assert "- Next: [Charlie][term:c]\n" in pages["bravo.md"]
    assert "- Next:" not in pages["c.md"]


def test_without_a_home_page_the_breadcrumbs_start_at_the_glossary() -> None:
    glossary = Glossary((BARE,), CATEGORIES)
    page = render_pages(link(glossary), {}, has_home=False)["bare.md"]
    assert "1. [Glossary](index.md)\n2. [Training](category/training.md)\n3. Bare\n" in page


def test_a_split_a_to_z_index_is_linked_by_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator.pipeline.render, "LIST_PAGE_LIMIT", 1)
    pages = render(BARE, OTHER)
    assert "- [A\u2013Z index](a-z/o.md)\n" in pages["other.md"]
    assert "a-z/o.md" in pages


def test_a_caption_shows_as_written_once_converted_to_html() -> None:
    written = "Calls clip_grad_norm_ on *all* <b>grads</b> & costs $5."
    term = make_term("cap", "Cap", figures=(FigureSpec("k", written),))
    page = render(term, figures={("cap", 0): _figure("cap", 1)})["cap.md"]
    html = markdown.markdown(
        page.split("\n---\n", 1)[1],
        extensions=list(SITE_EXTENSIONS),
        extension_configs=SITE_EXTENSIONS,
    )
    caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.DOTALL)
    assert caption is not None
    assert html_module.unescape(caption.group(1)) == f"Figure 1: {written}"
