"""link: related terms, backlinks, categories and the A-Z index of a validated glossary."""

from __future__ import annotations

import pytest

from generator.model import Category, Glossary, Term
from generator.pipeline.link import index_letter, link, tag_key

CATEGORIES = (
    Category("normalization", "Normalization", "Rescaling."),
    Category("training", "Training", "Fitting."),
    Category("empty", "Empty", "Nothing here yet."),
)


def make_term(
    slug: str,
    name: str,
    category: str = "normalization",
    related: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
) -> Term:
    return Term(
        slug=slug,
        source=f"terms/{slug}.yaml",
        term=name,
        summary=f"About {name}.",
        definition="Defined.",
        category=category,
        aliases=aliases,
        related=related,
    )


def make_glossary(*terms: Term) -> Glossary:
    return Glossary(tuple(sorted(terms, key=lambda t: t.slug)), CATEGORIES)


def slugs(terms) -> list[str]:
    return [t.slug for t in terms]


def test_related_terms_are_resolved_in_the_order_written() -> None:
    linked = link(
        make_glossary(
            make_term("hub", "Hub", related=("c", "a", "b")),
            make_term("a", "A"),
            make_term("b", "B"),
            make_term("c", "C"),
        )
    )
    assert slugs(linked.links["hub"].related) == ["c", "a", "b"]
    assert linked.links["hub"].related[0] is linked.by_slug["c"]
    assert linked.links["a"].related == ()


def test_backlinks_are_sorted_by_name_not_slug() -> None:
    linked = link(
        make_glossary(
            make_term("target", "Target"),
            make_term("x", "Zulu", related=("target",)),
            make_term("y", "alpha", related=("target",)),
            make_term("z", "Mike", related=("target",)),
            make_term("w", "Unrelated"),
        )
    )
    assert slugs(linked.links["target"].backlinks) == ["y", "z", "x"]
    assert linked.links["w"].backlinks == ()


def test_same_category_excludes_self_and_other_categories() -> None:
    linked = link(
        make_glossary(
            make_term("b", "Bravo"),
            make_term("a", "Alpha"),
            make_term("c", "charlie"),
            make_term("t", "Tango", category="training"),
        )
    )
    assert slugs(linked.links["a"].same_category) == ["b", "c"]
    assert slugs(linked.links["c"].same_category) == ["a", "b"]
    assert linked.links["t"].same_category == ()


def test_terms_by_category_cover_every_declared_category_in_name_order() -> None:
    linked = link(
        make_glossary(
            make_term("b", "bravo"),
            make_term("a", "Alpha"),
            make_term("t", "Tango", category="training"),
        )
    )
    assert {key: slugs(terms) for key, terms in linked.by_category.items()} == {
        "normalization": ["a", "b"],
        "training": ["t"],
        "empty": [],
    }
    assert linked.categories == CATEGORIES
    assert slugs(linked.terms) == ["a", "b", "t"]


def test_a_to_z_sections_list_names_and_aliases_pointing_to_their_term() -> None:
    linked = link(
        make_glossary(
            make_term("batch-normalization", "Batch Normalization", aliases=("BatchNorm", "BN")),
            make_term("layer-normalization", "Layer Normalization", aliases=("LayerNorm",)),
            make_term("one-cycle", "1cycle policy", aliases=("One-cycle",)),
            make_term("etude", "Étude"),
            make_term("adam", "adam"),
            make_term("embedding", "Embedding"),
        )
    )
    sections = {
        letter: [(e.label, e.term.slug, e.is_alias) for e in entries]
        for letter, entries in linked.a_to_z
    }
    assert [letter for letter, _ in linked.a_to_z] == ["#", "A", "B", "E", "L", "O"]
    assert sections == {
        "#": [("1cycle policy", "one-cycle", False)],
        "A": [("adam", "adam", False)],
        "B": [
            ("Batch Normalization", "batch-normalization", False),
            ("BatchNorm", "batch-normalization", True),
            ("BN", "batch-normalization", True),
        ],
        "E": [("Embedding", "embedding", False), ("Étude", "etude", False)],
        "L": [
            ("Layer Normalization", "layer-normalization", False),
            ("LayerNorm", "layer-normalization", True),
        ],
        "O": [("One-cycle", "one-cycle", True)],
    }


def test_an_alias_equal_to_a_name_sorts_after_the_name() -> None:
    linked = link(make_glossary(make_term("b", "Norm"), make_term("a", "Other", aliases=("norm",))))
    entries = dict(linked.a_to_z)["N"]
    assert [(e.label, e.is_alias) for e in entries] == [("Norm", False), ("norm", True)]


@pytest.mark.parametrize(
    ("label", "letter"),
    [
        ("Batch", "B"),
        ("batch", "B"),
        ("Étude", "E"),
        ("élan", "E"),
        ("Ñandú", "N"),
        ("  spaced", "S"),
        ("ßeta", "S"),
        ("ﬁlter", "F"),
        ("1cycle", "#"),
        ("\u03b1-entmax", "#"),  # Greek alpha
        ("(parenthesized)", "#"),
        ("", "#"),
    ],
)
def test_index_letter_folds_accents_and_files_non_letters_under_hash(
    label: str, letter: str
) -> None:
    assert index_letter(label) == letter


def test_link_of_an_empty_glossary() -> None:
    linked = link(Glossary((), CATEGORIES))
    assert linked.a_to_z == ()
    assert linked.links == {}
    assert all(terms == () for terms in linked.by_category.values())


def test_tags_group_spellings_that_share_a_page_and_list_terms_by_name() -> None:
    from dataclasses import replace

    zeta = replace(make_term("zeta", "Zeta"), tags=("Deep learning", "vision"))
    alpha = replace(make_term("alpha", "Alpha"), tags=("deep-learning",))
    linked = link(make_glossary(zeta, alpha))
    assert [(t.key, t.label, slugs(t.terms)) for t in linked.tags] == [
        ("deep-learning", "Deep learning", ["alpha", "zeta"]),
        ("vision", "vision", ["zeta"]),
    ]


@pytest.mark.parametrize(
    ("tag", "key"),
    [
        ("deep-learning", "deep-learning"),
        ("Computer Vision", "computer-vision"),
        ("Réseaux", "reseaux"),
        ("../../etc", "etc"),
        ("+++", "other"),
        ("index", "index-tag"),  # tags/index.md is the list of tags
    ],
)
def test_tag_key_is_a_safe_page_name(tag: str, key: str) -> None:
    assert tag_key(tag) == key
