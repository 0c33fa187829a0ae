"""Names that would hide, hijack or break things: each refused at its line with a fix (issue 12)."""

from __future__ import annotations

import pytest

from tests.generator.conftest import dump

_SYNTAX_FIX = "names appear in links, indexes and search: write it without [ ] < > { } ` $ | \\"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"aliases": ["the"]},
            "terms/x.yaml:6:3: aliases[0]: 'the' is a common word; an alias links every "
            "mention of it on every page: keep only real names",
        ),
        (
            {"aliases": ["Of"]},
            "terms/x.yaml:6:3: aliases[0]: 'Of' is a common word; an alias links every "
            "mention of it on every page: keep only real names",
        ),
        (
            {"term": "Adam]W"},
            f"terms/x.yaml:1:7: term: a name cannot contain ']'; {_SYNTAX_FIX}",
        ),
        (
            {"aliases": ["x]: javascript:alert(1)//"]},
            f"terms/x.yaml:6:3: aliases[0]: a name cannot contain ']'; {_SYNTAX_FIX}",
        ),
        (
            {"term": "Batch\u200bNorm"},
            "terms/x.yaml:1:7: term: contains the invisible character U+200B (ZERO WIDTH SPACE); "
            "delete it (most editors do not show it)",
        ),
        (
            {"aliases": ["BN\u202e"]},
            "terms/x.yaml:6:3: aliases[0]: contains the invisible character U+202E "
            "(RIGHT-TO-LEFT OVERRIDE); delete it (most editors do not show it)",
        ),
        (
            {"tags": ["t" * 300]},
            "terms/x.yaml:6:3: tags[0]: is 300 characters long, over 40; "
            "shorten it to at most 40 characters",
        ),
        (
            {"aliases": ["A" * 81]},
            "terms/x.yaml:6:3: aliases[0]: is 81 characters long, over 80; "
            "shorten it to at most 80 characters",
        ),
    ],
    ids=[
        "stop word",
        "stop word title case",
        "bracket",
        "reference",
        "zero width",
        "bidi",
        "long tag",
        "long alias",
    ],
)
def test_a_hostile_name_is_refused(make_glossary, term_data, check_root, fields, expected):
    _, problems = check_root(make_glossary({"x": term_data(fields.pop("term", "X"), **fields)}))
    assert problems == [expected]


def test_an_acronym_that_spells_a_common_word_is_a_name(make_glossary, term_data, check_root):
    # Acronyms link only as written: "IT" never links the pronoun "it".
    _, problems = check_root(make_glossary({"x": term_data("X", aliases=["IT", "AN"])}))
    assert problems == []


def test_a_name_that_imitates_another_with_foreign_letters_is_refused(
    make_glossary, term_data, check_root
) -> None:
    root = make_glossary(
        {
            "batch-normalization": term_data("Batch Normalization"),
            "fake": term_data("B\u0430tch Normalization"),  # Cyrillic small a
            "greek": term_data("\u0392N Variant", aliases=["\u03b2-VAE"]),  # Greek capital beta
            "real-bn": term_data("BN Variant"),
        }
    )
    _, problems = check_root(root)
    assert problems == [
        "terms/fake.yaml:1:7: term: 'B\u0430tch Normalization' looks the same as 'Batch "
        "Normalization', the name of terms/batch-normalization.yaml (look-alike letters: "
        "'\u0430' (U+0430 CYRILLIC SMALL LETTER A)); write the name in one script (usually Latin "
        "letters), or choose a name that cannot be mistaken for the other",
        "terms/real-bn.yaml:1:7: term: 'BN Variant' looks the same as '\u0392N Variant', the "
        "name of terms/greek.yaml (look-alike letters: '\u0392' (U+0392 GREEK CAPITAL LETTER "
        "BETA)); write the name in one script (usually Latin letters), or choose a name that "
        "cannot be mistaken for the other",
    ]


def test_file_names_and_category_keys_that_become_long_file_names_are_refused(
    make_glossary, term_data, check_root
) -> None:
    slug = "a" * 65
    long_key = "c" * 65
    root = make_glossary(
        {slug: term_data("Long")},
        categories=dump(
            {
                "normalization": {"title": "N", "description": "D."},
                long_key: {"title": "Long", "description": "D."},
            }
        ),
    )
    _, problems = check_root(root)
    assert problems == [
        "terms/_categories.yaml:4:1: " + long_key + ": a category key is at most 64 characters "
        "long; shorten it: it becomes the category page's address",
        f"terms/{slug}.yaml:1:1: file: the file name is 65 characters long, over 64; rename the "
        "file to a shorter slug: it becomes the page's address",
    ]
