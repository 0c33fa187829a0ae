"""mentions: the first mention of another term links to it, and [[slug]] links are explicit."""

from __future__ import annotations

import marshal
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import markdown
import pytest

from generator.markdown.mentions import MentionIndex, find_explicit_links, link_term_text
from generator.markdown.rendered import SITE_EXTENSIONS
from generator.markdown.term_links import with_link_definitions
from generator.model import Category, FaqEntry, Glossary, Section, Term
from generator.pipeline.build import linked_glossary
from generator.pipeline.link import link
from generator.pipeline.render import term_link
from tests.cpu_time import cpu_time_growth

ROOT = Path(__file__).parents[2]


def make_term(slug: str, name: str, *aliases: str, **fields: Any) -> Term:
    defaults = {"summary": f"Summary of {slug}.", "definition": "Defined.", "category": "c"}
    return Term(slug, f"terms/{slug}.yaml", name, aliases=aliases, **{**defaults, **fields})


TERMS = (
    make_term("page", "Page Term"),
    make_term("batch-normalization", "Batch Normalization", "BatchNorm", "BN", "batch norm"),
    make_term("layer-normalization", "Layer Normalization", "LayerNorm", "LN"),
    make_term("group-normalization", "Group Normalization", "GN"),
    make_term("normalization", "Normalization"),
    make_term("layer", "Layer"),
    make_term("batch", "Batch"),
    make_term("accuracy", "Accuracy"),
    make_term("transformer", "Transformer"),
    make_term("cnn", "Convolutional Neural Network", "CNN"),
    make_term("cross-entropy", "Cross-Entropy"),
    make_term("self-attention", "Self-Attention"),
    make_term("attention", "Attention Mechanism", "attention"),
    make_term("gradient-descent", "Gradient Descent", "batch gradient descent"),
    make_term("lora", "LoRA (Low-Rank Adaptation)", "LoRA"),
)
BY_SLUG = {term.slug: term for term in TERMS}
INDEX = MentionIndex.build(TERMS)


def to(text: str, slug: str) -> str:
    """The link that a mention of ``slug`` written as ``text`` becomes."""
    return f"[{text}][term:{slug}]"


def linked(text: str, page: str = "page") -> str:
    """``text`` as the definition of ``page``, with its mentions linked."""
    term = replace(BY_SLUG[page], definition=text)
    return link_term_text(term, INDEX, BY_SLUG).definition


# -- what is a mention ---------------------------------------------------------------------------


def test_a_name_becomes_a_link_with_the_text_as_written() -> None:
    assert linked("We use Batch Normalization here.") == (
        f"We use {to('Batch Normalization', 'batch-normalization')} here."
    )


def test_names_match_ignoring_case_and_aliases_count() -> None:
    assert linked("bAtCh NoRmAlIzAtIoN") == to("bAtCh NoRmAlIzAtIoN", "batch-normalization")
    assert linked("A batchnorm layer.") == f"A {to('batchnorm', 'batch-normalization')} layer."


def test_the_longest_name_wins() -> None:
    assert linked("Layer normalization helps.") == (
        f"{to('Layer normalization', 'layer-normalization')} helps."
    )
    assert linked("large-batch gradient descent") == (
        f"large-batch {to('gradient descent', 'gradient-descent')}"
    )


def test_a_mention_next_to_a_link_stays_plain_until_its_next_mention() -> None:
    assert linked("A batch normalization layer. A layer.") == (
        f"A {to('batch normalization', 'batch-normalization')} layer. A {to('layer', 'layer')}."
    )
    assert linked("A [[batch]] layer, a normalization [[transformer]].") == (
        f"A {to('Batch', 'batch')} layer, a normalization {to('Transformer', 'transformer')}."
    )


def test_words_may_be_separated_by_spaces_a_line_break_or_a_hyphen() -> None:
    assert linked("cross entropy") == to("cross entropy", "cross-entropy")
    assert linked("batch-norm") == to("batch-norm", "batch-normalization")
    assert linked("batch\n  normalization") == to("batch\n  normalization", "batch-normalization")
    assert linked("batch\n\nnormalization") == (
        f"{to('batch', 'batch')}\n\n{to('normalization', 'normalization')}"
    )


def test_other_punctuation_must_be_the_names_own() -> None:
    assert linked("LoRA (Low-Rank Adaptation) and LoRA") == (
        f"{to('LoRA (Low-Rank Adaptation)', 'lora')} and LoRA"
    )
    assert linked("cross, entropy") == "cross, entropy"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("transformers", "transformer"),
        ("batches", "batch"),
        ("accuracies", "accuracy"),
        ("Convolutional neural networks", "cnn"),
        ("CNNs", "cnn"),
        ("BNs", "batch-normalization"),
        ("normalizations", "normalization"),
    ],
)
def test_plurals_of_the_last_word(text: str, slug: str) -> None:
    assert linked(text) == to(text, slug)


@pytest.mark.parametrize(
    "text",
    [
        "renormalization",
        "normalized",
        "normalizationss",
        "BatchNorm2d",
        "transformer_block",
        "torch.nn.LayerNorm",
        "pre-transformer",
        "transformer-based",
    ],
)
def test_whole_words_only(text: str) -> None:
    assert linked(text) == text


@pytest.mark.parametrize("text", ["ln", "Ln", "gn", "bn", "cnns", "Cnn", "lora", "Lora"])
def test_acronyms_match_only_as_written(text: str) -> None:
    assert linked(text) == text


def test_acronyms_as_written_do_match() -> None:
    assert linked("LN, GN and LoRA") == (
        f"{to('LN', 'layer-normalization')}, {to('GN', 'group-normalization')} and "
        f"{to('LoRA', 'lora')}"
    )


# -- where mentions are never linked -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "```python\nbatch normalization\n```",
        "Text.\n\n  ~~~\n  batch normalization\n  ~~~",
        "```\nunclosed batch normalization",
        "Use `batch normalization` here.",
        "Use ``a ` batch normalization`` here.",
        "$batch normalization$",
        "$$\nbatch normalization\n$$",
        "Inline $$batch normalization$$ math.",
        r"\(batch normalization\)",
        "\\[\nbatch normalization\n\\]",
        "# Batch normalization",
        "### Why batch normalization helps",
        "[batch normalization](https://example.org)",
        "[see batch normalization [1]](https://example.org/a_(b))",
        "![batch normalization](figure.svg)",
        "[batch normalization][ref]",
        "[ref]: https://example.org/batch normalization",
        "<https://example.org/batch-normalization>",
        '<abbr title="batch normalization">x</abbr>',
        "<!-- batch normalization -->",
        "https://example.org/batch_normalization and www.batch.normalization.org",
        "http://example.org/batch-normalization",
    ],
)
def test_protected_regions_are_left_alone(text: str) -> None:
    assert linked(text) == text


def test_prose_around_protected_regions_is_still_linked() -> None:
    text = "Costs $5 and $10 for a `x` transformer."
    assert linked(text) == f"Costs $5 and $10 for a `x` {to('transformer', 'transformer')}."
    assert linked(r"An escaped \$ batch") == rf"An escaped \$ {to('batch', 'batch')}"


def test_a_page_never_links_to_itself_and_its_name_hides_shorter_ones() -> None:
    assert linked("Batch normalization, batch norm, BN.", page="batch-normalization") == (
        "Batch normalization, batch norm, BN."
    )
    assert linked("self-attention", page="self-attention") == "self-attention"
    assert linked("self-attention and attention") == (
        f"{to('self-attention', 'self-attention')} and {to('attention', 'attention')}"
    )


# -- first mention on the page -------------------------------------------------------------------


def test_only_the_first_mention_on_the_page_is_linked_in_page_order() -> None:
    term = replace(
        BY_SLUG["page"],
        definition="Nothing here.",
        explanation="A transformer.",
        examples=("Transformers again, and a batch.", "A batch."),
        sections=(
            Section("usage_note", "Usage note", "Transformer."),
            Section("why_it_matters", "Why it matters", "Batch."),
            Section("limitations", "Limitations", "LN."),
        ),
        faq=(FaqEntry("Why a transformer?", "LN and layer normalization."),),
    )
    result = link_term_text(term, INDEX, BY_SLUG)
    assert result.definition == "Nothing here."
    assert result.explanation == f"A {to('transformer', 'transformer')}."
    assert result.examples == (f"Transformers again, and a {to('batch', 'batch')}.", "A batch.")
    assert [section.text for section in result.sections] == [
        "Transformer.",
        "Batch.",
        to("LN", "layer-normalization") + ".",
    ]
    assert result.faq == (FaqEntry("Why a transformer?", "LN and layer normalization."),)


def test_fields_left_out_stay_out() -> None:
    result = link_term_text(BY_SLUG["page"], INDEX, BY_SLUG)
    assert result == BY_SLUG["page"]


# -- explicit links ------------------------------------------------------------------------------


def test_an_explicit_link_shows_the_terms_name_or_the_given_text() -> None:
    assert linked("See [[layer-normalization]].") == (
        f"See {to('Layer Normalization', 'layer-normalization')}."
    )
    assert linked("See [[layer-normalization| *LayerNorm* ]].") == (
        f"See {to('*LayerNorm*', 'layer-normalization')}."
    )


def test_an_explicit_link_is_always_a_link_and_counts_as_a_mention() -> None:
    term = replace(
        BY_SLUG["page"],
        definition="A transformer, then [[transformer|it]] and [[transformer]].",
        examples=("[[batch]] first, then a batch.",),
        faq=(FaqEntry("Q?", "A transformer and a batch."),),
    )
    result = link_term_text(term, INDEX, BY_SLUG)
    transformer = to("transformer", "transformer")
    assert result.definition == (
        f"A {transformer}, then {to('it', 'transformer')} and {to('Transformer', 'transformer')}."
    )
    assert result.examples == (f"{to('Batch', 'batch')} first, then a batch.",)
    assert result.faq[0].a == "A transformer and a batch."


def test_the_default_text_of_an_explicit_link_is_escaped_as_on_the_rest_of_the_page() -> None:
    odd = make_term("odd", "A*B [x] <c>", summary='Say "hi" & <b>bye</b>.')
    by_slug = {**BY_SLUG, "odd": odd}
    term = replace(BY_SLUG["page"], definition="[[odd]]")
    result = link_term_text(term, MentionIndex.build([*TERMS, odd]), by_slug)
    assert result.definition == term_link(odd)
    assert result.definition == r"[A\*B \[x\] &lt;c&gt;][term:odd]"


def test_the_default_text_of_an_explicit_link_never_starts_math() -> None:
    # "\(" would start inline math under pymdownx.arithmatex, and "$" too: as render.plain.
    lora = BY_SLUG["lora"]
    term = replace(BY_SLUG["page"], definition="[[lora]] and [[cost]]")
    cost = make_term("cost", "Cost in $ (per step)")
    result = link_term_text(term, MentionIndex.build([*TERMS, cost]), {**BY_SLUG, "cost": cost})
    assert result.definition == f"{term_link(lora)} and {term_link(cost)}"
    assert "\\(" not in result.definition and r"Cost in \$ (per step)" in result.definition


def test_the_title_of_an_automatic_link_is_the_escaped_summary() -> None:
    quoted = make_term("quoted", "Quoted", summary='A "quoted" <tag> & more.')
    result = link_term_text(
        replace(BY_SLUG["page"], definition="quoted"),
        MentionIndex.build([*TERMS, quoted]),
        {**BY_SLUG, "quoted": quoted},
    )
    assert result.definition == "[quoted][term:quoted]"
    assert with_link_definitions(result.definition, {"quoted": quoted.summary}) == (
        '[quoted][term:quoted]\n\n[term:quoted]: quoted.md "A &quot;quoted&quot; &lt;tag&gt; &amp; '
        'more."\n'
    )


@pytest.mark.parametrize(
    "text", ["[[unknown]]", "[[page]]", "[[batch|]]", "[[batch|  ]]", "`[[batch]]`", "$[[batch]]$"]
)
def test_invalid_explicit_links_and_those_in_code_or_math_are_left_as_written(text: str) -> None:
    assert linked(text) == text


def test_find_explicit_links_locates_each_link_outside_code_and_math() -> None:
    text = "First [[a]] line.\n`[[code]]` and $[[math]]$\n  then [[b|Bee]] and [[c|]]."
    links = find_explicit_links(text)
    assert [(link.source, link.slug, link.label, link.line, link.column) for link in links] == [
        ("[[a]]", "a", None, 1, 7),
        ("[[b|Bee]]", "b", "Bee", 3, 8),
        ("[[c|]]", "c", "", 3, 22),
    ]


# -- cost independent of the size of the glossary ------------------------------------------------


class CountingDict(dict):
    """A dict that counts its lookups."""

    lookups = 0

    def get(self, key: Any, default: Any = None) -> Any:
        self.lookups += 1
        return super().get(key, default)


SAMPLE = (
    "Batch normalization standardizes each feature with the statistics of the batch, then "
    "rescales it; layer normalization does the same for each example, as in a transformer. "
    "Both are used with gradient descent, and neither touches the cross-entropy loss itself."
)


def lookups(text: str, synthetic_terms: int) -> int:
    """How many index lookups linking ``text`` costs, in a glossary of that many more terms."""
    # Names that share first words with the text's names, and names with words of their own.
    extra = [make_term(f"s{i}", f"Batch Widget {i}") for i in range(synthetic_terms // 2)]
    extra += [make_term(f"t{i}", f"Zq{i} Gadget") for i in range(synthetic_terms // 2)]
    terms = [*TERMS, *extra]
    index = MentionIndex.build(terms)
    counting = replace(index, phrases=CountingDict(index.phrases))
    by_slug = {term.slug: term for term in terms}
    link_term_text(replace(BY_SLUG["page"], definition=text), counting, by_slug)
    return counting.phrases.lookups


def test_matching_costs_the_same_for_100_and_10000_terms_and_grows_with_the_text() -> None:
    small, large = lookups(SAMPLE, 100), lookups(SAMPLE, 10_000)
    assert small == large
    assert len(SAMPLE.split()) <= small <= 3 * len(SAMPLE.split())
    assert lookups("\n\n".join([SAMPLE] * 2), 10_000) == 2 * large


# -- the shipped glossary ------------------------------------------------------------------------

_LINK = re.compile(r"\]\[term:([a-z0-9-]+)\]")


def test_the_shipped_glossary_links_only_to_existing_other_terms() -> None:
    shipped = linked_glossary(ROOT)
    total = 0
    for term in shipped.terms:
        result = link_term_text(term, shipped.mentions, shipped.by_slug)
        texts = [result.definition, result.explanation, *result.examples]
        texts += [*(s.text for s in result.sections), *(e.a for e in result.faq)]
        targets = [slug for text in texts if text for slug in _LINK.findall(text)]
        assert set(targets) <= set(shipped.by_slug) - {term.slug}, term.slug
        total += len(targets)
    assert total > len(shipped.terms)  # mentions are found, about 2+ per page at least


def test_link_builds_the_index_once_for_the_glossary() -> None:
    terms = (make_term("a", "Alpha"), make_term("b", "Beta", "B2B"))
    linked = link(Glossary(terms, (Category("c", "C", "About c."),)))
    assert linked.mentions == MentionIndex.build(terms)


def test_check_reports_explicit_links_in_one_line_texts_and_ignores_code_and_math(
    make_glossary, term_data, check_root
) -> None:
    root = make_glossary(
        {
            "alpha": term_data(
                "Alpha",
                definition="Unlike [[bravo]], `[[charlie]]` and $[[delta]]$ are not links.",
                examples=["See [[bravoo]]."],
            ),
            "bravo": term_data("Bravo"),
        }
    )
    _, problems = check_root(root)
    assert problems == [
        "terms/alpha.yaml:6:7: examples[0]: unknown term 'bravoo' in [[bravoo]]; "
        "did you mean 'bravo'?"
    ]


def test_an_acronym_spelled_out_for_another_meaning_is_not_linked_on_that_page() -> None:
    term = replace(
        BY_SLUG["page"],
        definition="Gradient noise (GN) is not Gaussian noise (GN). Nor (GN) alone.",
        examples=("GN again; but Layer Normalization (LN) is LN.",),
    )
    result = link_term_text(term, INDEX, BY_SLUG)
    assert result.definition == term.definition
    layer_norm = to("Layer Normalization", "layer-normalization")
    assert result.examples == (f"GN again; but {layer_norm} (LN) is LN.",)


@pytest.mark.parametrize("opener", ["\\[", "\\(", "<!--", "$$", "`", "[["])
def test_unclosed_openers_cost_time_in_proportion_to_the_text(opener: str) -> None:
    """A scan for the end of math, code or a comment stops at the next opener: twice as many
    unclosed ones take about twice as long, not four times."""
    index = MentionIndex.build(TERMS)

    def link(n: int) -> None:
        page = replace(BY_SLUG["page"], definition=f"{opener} a batch normalization " * n)
        link_term_text(page, index, BY_SLUG)

    assert cpu_time_growth(link, 6000, factor=2, repeats=7) < 3


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Adam]W", "Adam]W(javascript:alert(1))"),
        ("x]: javascript:alert(1)//", "Note:\n\nx]: javascript:alert(1)// here"),
        ("Deep [Net", "A Deep [Net] (javascript:alert(1)) here."),
    ],
    ids=["splice", "reference definition", "open bracket"],
)
def test_linking_never_makes_a_hostile_name_into_markup(name: str, text: str) -> None:
    """Names cannot hold brackets (``glossary check``); behind that, the words a mention links
    are escaped, and a linked text that Markdown would read otherwise stays unlinked."""
    hostile = make_term("hostile", name)
    page = replace(BY_SLUG["page"], definition=text, examples=(text,))
    terms = (*TERMS, hostile)
    by_slug = {term.slug: term for term in terms}
    result = link_term_text(page, MentionIndex.build(terms), by_slug)
    for linked in (result.definition, *result.examples):
        html = _page_html(with_link_definitions(linked, {"hostile": "A summary."}))
        assert 'href="javascript' not in html, html


def _page_html(markdown_text: str) -> str:
    return markdown.markdown(
        markdown_text, extensions=list(SITE_EXTENSIONS), extension_configs=SITE_EXTENSIONS
    )


def test_a_mention_with_a_bracket_in_its_words_is_escaped() -> None:
    hostile = make_term("hostile", "Adam]W")
    page = replace(BY_SLUG["page"], definition="We use Adam]W here.")
    terms = (*TERMS, hostile)
    result = link_term_text(page, MentionIndex.build(terms), {t.slug: t for t in terms})
    assert result.definition == "We use [Adam\\]W][term:hostile] here."


def test_the_index_kept_as_plain_data_is_the_same_index() -> None:
    stored = INDEX.stored()
    assert marshal.loads(marshal.dumps(stored)) == stored  # plain data: the build cache's format
    assert MentionIndex.from_store(marshal.loads(marshal.dumps(stored))) == INDEX


@pytest.mark.parametrize("damaged", [None, (), ({}, {}), ({}, {}, (), ())])
def test_an_index_kept_in_another_shape_is_refused(damaged: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        MentionIndex.from_store(damaged)
