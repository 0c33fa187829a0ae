"""Content lint: the measurable parts of the glossary's quality bar, on the shipped terms."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.model import Reference, Term
from generator.pipeline.build import linked_glossary
from generator.pipeline.link import LinkedGlossary
from generator.schema import section_fields

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY: LinkedGlossary = linked_glossary(
    ROOT
)  # raises, with every located problem, if check fails
TERMS = GLOSSARY.terms
MIN_TERMS = 250
MIN_CATEGORIES = 12
MIN_TERMS_PER_CATEGORY = 8
MIN_DEFINITION_WORDS = 40
MIN_RELATED = 3
MIN_TERMS_WITH_FAQ = 20
NORMALIZATION_FAMILY = (
    "batch-normalization",
    "layer-normalization",
    "group-normalization",
    "instance-normalization",
    "rms-normalization",
)


def test_the_glossary_has_enough_terms() -> None:
    assert len(TERMS) >= MIN_TERMS


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.slug)
def test_entry_meets_the_quality_bar(term: Term) -> None:
    words = len(re.findall(r"\w+", term.definition))
    assert words >= MIN_DEFINITION_WORDS, f"definition has {words} words"
    assert len(term.related) >= MIN_RELATED
    assert any(ref.url.startswith("https://") for ref in term.references), "no https reference"
    assert all(ref.authors for ref in term.references)
    assert term.tags, "no tags"


def test_summaries_are_all_different() -> None:
    repeated = [s for s, n in Counter(t.summary.casefold() for t in TERMS).items() if n > 1]
    assert repeated == []


def test_every_category_is_used() -> None:
    assert all(GLOSSARY.by_category[c.key] for c in GLOSSARY.categories)


def test_the_glossary_covers_the_field() -> None:
    assert len(GLOSSARY.categories) >= MIN_CATEGORIES
    sizes = {c.key: len(GLOSSARY.by_category[c.key]) for c in GLOSSARY.categories}
    assert min(sizes.values()) >= MIN_TERMS_PER_CATEGORY, sizes


def test_every_term_is_reachable_by_related_links_from_batch_normalization() -> None:
    """The related links form one web: following them from Batch Normalization reaches every
    term, so none is an island a reader can only find by search."""
    seen, frontier = {"batch-normalization"}, ["batch-normalization"]
    while frontier:
        for slug in GLOSSARY.by_slug[frontier.pop()].related:
            if slug not in seen:
                seen.add(slug)
                frontier.append(slug)
    assert sorted(set(GLOSSARY.by_slug) - seen) == []


def test_every_term_is_reachable_from_the_a_to_z_index() -> None:
    listed = {entry.term.slug for _, entries in GLOSSARY.a_to_z for entry in entries}
    assert listed == {t.slug for t in TERMS}


def test_the_most_important_terms_answer_learners_questions() -> None:
    assert sum(1 for t in TERMS if t.faq) >= MIN_TERMS_WITH_FAQ


def test_batch_normalization_is_complete() -> None:
    term = GLOSSARY.by_slug["batch-normalization"]
    optional = [
        term.aliases,
        term.tags,
        term.explanation,
        term.formula,
        term.examples,
        *(term.section_text(spec.name) for spec in section_fields()),
        term.faq,
        term.related,
        term.organizations,
        term.references,
        term.see_also,
        term.figures,
    ]
    assert all(optional)
    assert any("1502.03167" in ref.url and ref.year == 2015 for ref in term.references)


@pytest.mark.parametrize("slug", NORMALIZATION_FAMILY)
def test_the_normalization_family_shows_its_computed_figures(slug: str) -> None:
    kinds = {figure.kind for figure in GLOSSARY.by_slug[slug].figures}
    assert "normalized-activations" in kinds


# The content lint of issue 18: how references are written, the same way everywhere.
_ARXIV = re.compile(r"https?://(?:www\.)?arxiv\.org/(?P<kind>[a-z]+)/(?P<id>[^\s?#]+)")
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7}")


def _references() -> list[tuple[str, Reference]]:
    return [(term.slug, reference) for term in TERMS for reference in term.references]


def test_arxiv_links_are_abstract_pages_with_well_formed_ids() -> None:
    wrong = [
        (slug, reference.url)
        for slug, reference in _references()
        if (found := _ARXIV.match(reference.url))
        and (found["kind"] != "abs" or not _ARXIV_ID.fullmatch(found["id"].rstrip("/")))
    ]
    assert wrong == [], "write arXiv links as https://arxiv.org/abs/<id>"


def _paper_key(url: str) -> str:
    found = _ARXIV.match(url)
    return f"arXiv:{found['id'].rstrip('/')}" if found else url.rstrip("/").lower()


def test_a_paper_has_one_year_and_one_title_wherever_it_is_cited() -> None:
    """A book cited chapter by chapter may add the chapter after its title, in parentheses."""
    cited: dict[str, set[tuple[str, int]]] = {}
    for _, reference in _references():
        title = reference.title.split(" (")[0].rstrip(".").casefold()
        cited.setdefault(_paper_key(reference.url), set()).add((title, reference.year))
    assert {key: forms for key, forms in cited.items() if len(forms) > 1} == {}


def test_no_summary_defines_a_term_by_its_own_name() -> None:
    circular = [
        term.slug
        for term in TERMS
        for name in (term.term, *term.aliases)
        if re.match(rf"(?:an? |the )?{re.escape(name)}\b", term.summary, re.IGNORECASE)
    ]
    assert circular == []
