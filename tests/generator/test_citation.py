"""What the plugin adds to a term page: the draft banner, the date of the last update and the
citations (generator/site/citation.py)."""

from __future__ import annotations

from generator.model import Term, TermDates
from generator.site.citation import DRAFT_BANNER, page_end, with_draft_banner

TERM = Term(
    slug="batch-normalization",
    source="terms/batch-normalization.yaml",
    term="Batch Normalization",
    summary="A layer.",
    definition="Defined.",
    category="normalization",
)
URL = "https://example.org/glossary/batch-normalization/"


def test_a_dated_page_ends_with_its_date_and_its_citations() -> None:
    end = page_end(TERM, TermDates("2024-01-02", "2025-03-14", 0), URL, "AI Glossary")
    assert end == (
        "\n\n*Last updated on 2025-03-14.*\n\n"
        "## Cite this term { #cite-this-term data-search-exclude }\n\n"
        f"Stable address: [{URL}]({URL})\n\n"
        "BibTeX:\n\n```text\n"
        "@misc{aiglossary:batch-normalization,\n"
        "  title        = {Batch Normalization},\n"
        "  organization = {AI Glossary},\n"
        "  year         = {2025},\n"
        f"  url          = {{{URL}}},\n"
        "  note         = {Last updated 2025-03-14},\n"
        "}\n```\n\n"
        "APA:\n\n```text\n"
        f"Batch Normalization. (2025). In AI Glossary. {URL}\n"
        "```\n"
    )


def test_without_history_a_page_has_no_date_and_its_citation_says_no_date() -> None:
    """Never the day of the build: a copy without git history has no date at all."""
    end = page_end(TERM, None, "glossary/batch-normalization/", "AI Glossary")
    assert "Last updated" not in end and "year" not in end
    assert "Stable address: `glossary/batch-normalization/`" in end
    assert "Batch Normalization. (n.d.). In AI Glossary. glossary/batch-normalization/\n" in end


def test_the_draft_banner_goes_under_the_title() -> None:
    page = "---\ntitle: X\n---\n\n# Batch Normalization\n\nA layer.\n"
    assert with_draft_banner(page) == (
        f"---\ntitle: X\n---\n\n# Batch Normalization\n\n{DRAFT_BANNER}\n\nA layer.\n"
    )
