"""The optional review fields: ``status: draft | reviewed`` and ``reviewed: YYYY-MM-DD``. Each
mistake gives exactly one located message."""

from __future__ import annotations

import pytest


def test_a_reviewed_term_keeps_its_status_and_date(make_glossary, check_root, term_data) -> None:
    term = term_data("Adam", status="reviewed", reviewed="2024-05-01")
    glossary, problems = check_root(make_glossary({"adam": term}))
    assert problems == []
    assert (glossary.terms[0].status, glossary.terms[0].reviewed) == ("reviewed", "2024-05-01")


def test_an_unquoted_date_reads_as_a_date(make_glossary, check_root, term_data) -> None:
    text = "term: Adam\nsummary: An optimizer.\ncategory: normalization\n"
    text += "definition: Adam is defined here.\nstatus: reviewed\nreviewed: 2024-05-01\n"
    glossary, problems = check_root(make_glossary({"adam.yaml": text}))
    assert problems == []
    assert glossary.terms[0].reviewed == "2024-05-01"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"status": "final"},
            "terms/adam.yaml:5:9: status: must be 'draft' or 'reviewed', got 'final'; "
            "write 'draft' or 'reviewed'",
        ),
        (
            {"status": "reviewed", "reviewed": "2024-13-01"},
            "terms/adam.yaml:6:11: reviewed: must be a date, got '2024-13-01'; "
            "write it as YYYY-MM-DD, e.g. 2025-03-14",
        ),
        (
            {"status": "reviewed", "reviewed": "May 2024"},
            "terms/adam.yaml:6:11: reviewed: must be a date, got 'May 2024'; "
            "write it as YYYY-MM-DD, e.g. 2025-03-14",
        ),
        (
            {"status": "reviewed", "reviewed": "2999-01-01"},
            "terms/adam.yaml:6:11: reviewed: the review date 2999-01-01 is in the future; "
            "write the day the review was done",
        ),
        (
            {"reviewed": "2024-05-01"},
            "terms/adam.yaml:5:11: reviewed: a review date needs 'status: reviewed'; "
            "add 'status: reviewed', or remove the date",
        ),
        (
            {"status": "draft", "reviewed": "2024-05-01"},
            "terms/adam.yaml:6:11: reviewed: a review date needs 'status: reviewed'; "
            "add 'status: reviewed', or remove the date",
        ),
    ],
    ids=["unknown-status", "impossible-date", "not-a-date", "future", "no-status", "draft"],
)
def test_review_field_problems_are_located(
    make_glossary, check_root, term_data, fields: dict, expected: str
) -> None:
    _, problems = check_root(make_glossary({"adam": term_data("Adam", **fields)}))
    assert problems == [expected]
