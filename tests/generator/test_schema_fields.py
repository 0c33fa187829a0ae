"""The schema is the single source of a field: a new optional Markdown field, declared once in
``schema.TERM_FIELDS``, is validated, linked, rendered and exported with no other change."""

from __future__ import annotations

import json

import pytest

from generator import schema
from generator.model import GlossaryError
from generator.new_term import term_template
from generator.pipeline.build import build
from generator.site.export import glossary_json, glossary_page_url, glossary_schema

HISTORY = schema.FieldSpec(
    "history", schema.Kind.MARKDOWN, "Where the idea came from.", section="History"
)


@pytest.fixture
def with_history(monkeypatch: pytest.MonkeyPatch) -> None:
    """The term format with one more field, ``history``, after ``limitations``."""
    fields = list(schema.TERM_FIELDS)
    fields.insert([spec.name for spec in fields].index("limitations") + 1, HISTORY)
    monkeypatch.setattr(schema, "TERM_FIELDS", tuple(fields))


@pytest.mark.usefixtures("with_history")
def test_a_new_section_field_is_rendered_linked_and_exported(make_glossary, term_data) -> None:
    root = make_glossary(
        {
            "alpha": term_data(
                "Alpha",
                limitations="It has limits.",
                history="Alpha grew out of *Bravo*; then Bravo again.",
            ),
            "bravo": term_data("Bravo"),
        }
    )
    result = build(root)
    page = (root / "docs" / "glossary" / "alpha.md").read_text(encoding="utf-8")
    limits, history = page.index("## Limitations"), page.index("## History")
    assert limits < history  # in the order of the schema
    # The first mention of Bravo is linked (inside the emphasis), the second is not.
    assert "Alpha grew out of *[Bravo][term:bravo]*; then Bravo again." in page[history:]

    exported = json.loads(glossary_json(result.glossary, glossary_page_url, "Test"))
    alpha = exported["terms"][0]
    assert alpha["history"] == "Alpha grew out of *Bravo*; then Bravo again."
    assert list(alpha).index("history") == list(alpha).index("limitations") + 1
    assert exported["terms"][1]["history"] is None
    term_schema = json.loads(glossary_schema())["$defs"]["term"]["properties"]["history"]
    assert term_schema["description"] == "Where the idea came from."

    assert "history" in schema.term_json_schema()["properties"]  # editors, CONTRIBUTING.md
    assert "| `history` |  | Markdown text | Where the idea came from. |" in (
        schema.format_reference_markdown()
    )
    assert "\n# history: |  # Where the idea came from.\n" in term_template("Gamma")


@pytest.mark.usefixtures("with_history")
def test_a_new_section_field_is_checked_like_any_markdown_field(make_glossary, term_data) -> None:
    root = make_glossary(
        {
            "alpha": term_data("Alpha", history="See [[nowhere]] and <b>this</b>."),
            "bravo": term_data("Bravo", history=["not", "text"]),
        }
    )
    with pytest.raises(GlossaryError) as raised:
        build(root)
    problems = [str(problem) for problem in raised.value.problems]
    assert problems == [
        "terms/alpha.yaml:5:14: history: unknown term 'nowhere' in [[nowhere]]; link to an "
        "existing term by its slug (its file name without .yaml)",
        "terms/alpha.yaml:5:30: history: HTML is not allowed here: '<b>'; write Markdown "
        "instead of HTML; to show a '<', write it inside `code` or math, or put a space after it",
        "terms/bravo.yaml:6:1: history: must be text, got a list; write the text after '|' on "
        "the following lines, indented",
    ]
