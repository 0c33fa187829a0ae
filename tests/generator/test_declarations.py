"""What terms/ declares besides terms: the tag vocabulary (_tags.yaml) and the home page's
reading path (_start-here.yaml). Each mistake gives exactly one located message."""

from __future__ import annotations

import pytest

from generator.pipeline.link import link

TAGS = "optimizers: Update rules.\nscaling: What changes as models grow.\n"


def _two_tagged(term_data, first: list[str], second: list[str]) -> dict:
    return {
        "adam": term_data("Adam", tags=first),
        "sgd": term_data("SGD", tags=second),
    }


def test_declared_tags_give_no_problem_and_tag_pages_get_descriptions(
    make_glossary, check_root, term_data
) -> None:
    root = make_glossary(
        {
            **_two_tagged(term_data, ["optimizers", "scaling"], ["optimizers", "scaling"]),
            "_tags.yaml": TAGS,
        }
    )
    glossary, problems = check_root(root)
    assert problems == []
    tags = {tag.key: tag for tag in link(glossary).tags}
    assert tags["optimizers"].description == "Update rules."
    assert [term.slug for term in tags["scaling"].terms] == ["adam", "sgd"]


@pytest.mark.parametrize(
    ("tags_file", "first", "expected"),
    [
        (
            TAGS,
            ["optimiser", "scaling"],
            [
                "terms/_tags.yaml:1:1: optimizers: the tag is used only by terms/sgd.yaml; a tag "
                "groups at least 2 terms: tag more terms with it, or remove it",
                "terms/adam.yaml:6:3: tags[0]: tag 'optimiser' is not declared in "
                "terms/_tags.yaml; did you mean 'optimizers'?",
            ],
        ),
        (
            TAGS,
            ["optimizers", "scaling", "zebra"],
            [
                "terms/adam.yaml:8:3: tags[2]: tag 'zebra' is not declared in terms/_tags.yaml; "
                "use a declared tag, or declare this one there with a one-line description",
            ],
        ),
        (
            TAGS + "history: Where ideas came from.\n",
            ["optimizers", "scaling"],
            [
                "terms/_tags.yaml:3:1: history: the tag is used by no term; a tag groups at "
                "least 2 terms: tag more terms with it, or remove it",
            ],
        ),
        (
            TAGS + "Deep Learning: Many layers.\n",
            ["optimizers", "scaling"],
            [
                "terms/_tags.yaml:3:1: Deep Learning: a tag is a slug of at most 40 characters; "
                "use lowercase letters, digits and hyphens, e.g. 'sequence-models'",
            ],
        ),
        (
            TAGS + "history:\n",
            ["optimizers", "scaling"],
            [
                "terms/_tags.yaml:3:1: history: a tag needs a description: plain text on one "
                "line; write: name: What it groups.",
            ],
        ),
        (
            TAGS + "history: " + "x" * 161 + "\n",
            ["optimizers", "scaling"],
            [
                "terms/_tags.yaml:3:10: history: the description is 161 characters long, over "
                "160; say in one short line what the tag groups",
            ],
        ),
        (
            "- optimizers\n",
            ["optimizers", "scaling"],
            [
                "terms/_tags.yaml:1:1: file: the tag vocabulary must be a non-empty mapping; "
                "write one line per tag: name: One line about what it groups.",
                "terms/adam.yaml:6:3: tags[0]: tag 'optimizers' is not declared in "
                "terms/_tags.yaml; use a declared tag, or declare this one there with a "
                "one-line description",
                "terms/adam.yaml:7:3: tags[1]: tag 'scaling' is not declared in "
                "terms/_tags.yaml; use a declared tag, or declare this one there with a "
                "one-line description",
                "terms/sgd.yaml:6:3: tags[0]: tag 'optimizers' is not declared in "
                "terms/_tags.yaml; use a declared tag, or declare this one there with a "
                "one-line description",
                "terms/sgd.yaml:7:3: tags[1]: tag 'scaling' is not declared in "
                "terms/_tags.yaml; use a declared tag, or declare this one there with a "
                "one-line description",
            ],
        ),
    ],
    ids=[
        "did-you-mean",
        "undeclared",
        "unused",
        "not-a-slug",
        "no-description",
        "too-long",
        "not-a-mapping",
    ],
)
def test_tag_vocabulary_problems_are_located(
    make_glossary, check_root, term_data, tags_file: str, first: list[str], expected: list[str]
) -> None:
    terms = _two_tagged(term_data, first, ["optimizers", "scaling"])
    _, problems = check_root(make_glossary({**terms, "_tags.yaml": tags_file}))
    assert problems == expected


def test_without_a_vocabulary_tags_are_free_text(make_glossary, check_root, term_data) -> None:
    _, problems = check_root(make_glossary(_two_tagged(term_data, ["anything"], ["else"])))
    assert problems == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("- sgd\n- adam\n", []),
        (
            "- sgd\n- adma\n",
            ["terms/_start-here.yaml:2:3: [1]: unknown term 'adma'; did you mean 'adam'?"],
        ),
        (
            "- sgd\n- sgd\n",
            ["terms/_start-here.yaml:2:3: [1]: 'sgd' is already on the path; list each term once"],
        ),
        (
            "- Not A Slug\n",
            [
                "terms/_start-here.yaml:1:3: [0]: not a term slug; write the slug of an "
                "existing term"
            ],
        ),
        (
            "first: sgd\n",
            [
                "terms/_start-here.yaml:1:1: file: the reading path must be a list of 1 to 12 "
                "term slugs; write one '- slug' line per term, in the order a newcomer should "
                "read them"
            ],
        ),
        (
            "".join("- sgd\n" for _ in range(13)),
            [
                "terms/_start-here.yaml:1:1: file: the reading path must be a list of 1 to 12 "
                "term slugs; write one '- slug' line per term, in the order a newcomer should "
                "read them"
            ],
        ),
    ],
    ids=["valid", "unknown", "twice", "not-a-slug", "not-a-list", "too-long"],
)
def test_reading_path_problems_are_located(
    make_glossary, check_root, term_data, path: str, expected: list[str]
) -> None:
    terms = _two_tagged(term_data, [], [])
    glossary, problems = check_root(make_glossary({**terms, "_start-here.yaml": path}))
    assert problems == expected
    if not expected:
        assert glossary.start_here == ("sgd", "adam")
