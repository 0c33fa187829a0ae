"""The published format (JSON Schema, CONTRIBUTING.md) is current, complete and correct."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.format_files import (
    CONTRIBUTING_FILE,
    TABLE_END,
    TABLE_START,
    TERM_SCHEMA_FILE,
    expected_contributing,
    write_format_files,
)
from generator.schema import TERM_FIELDS, format_reference_markdown, term_json_schema_text

REPO = Path(__file__).resolve().parents[2]
RERUN = "run 'glossary schema' and commit the result"


def contributing() -> str:
    return (REPO / CONTRIBUTING_FILE).read_text(encoding="utf-8")


def example_yaml() -> str:
    """The YAML block under 'A complete example' in CONTRIBUTING.md."""
    section = contributing().split("## A complete example", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    assert match, "CONTRIBUTING.md has no ```yaml block under 'A complete example'"
    return match.group(1)


def field_paths() -> list[tuple[str, ...]]:
    paths = []
    for spec in TERM_FIELDS:
        paths.append((spec.name,))
        paths += [(spec.name, item.name) for item in spec.item_fields]
    return paths


def test_checked_in_schema_is_current() -> None:
    text = (REPO / TERM_SCHEMA_FILE).read_text(encoding="utf-8")
    assert text == term_json_schema_text(), RERUN


def test_checked_in_contributing_table_is_current() -> None:
    assert contributing() == expected_contributing(contributing()), RERUN


@pytest.mark.parametrize("path", field_paths(), ids=".".join)
def test_every_field_is_in_the_schema_and_the_table(path: tuple[str, ...]) -> None:
    schema = json.loads((REPO / TERM_SCHEMA_FILE).read_text(encoding="utf-8"))
    node = schema["properties"][path[0]]
    if len(path) == 2:
        node = node["items"]["properties"][path[1]]
    assert node["description"]
    label = f"`{path[0]}`" if len(path) == 1 else f"`{path[0]}[].{path[1]}`"
    table = contributing().split(TABLE_START)[1].split(TABLE_END)[0]
    assert re.search(rf"^\| {re.escape(label)} \|", table, flags=re.MULTILINE)


def test_schema_requires_exactly_the_required_fields() -> None:
    schema = json.loads(term_json_schema_text())
    assert schema["required"] == [s.name for s in TERM_FIELDS if s.required]
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == [s.name for s in TERM_FIELDS]


def test_contributing_example_validates_cleanly(make_glossary, term_data, check_root) -> None:
    text = example_yaml()
    data = yaml.safe_load(text)
    assert text.startswith("# yaml-language-server: $schema=../schema/term.schema.json\n")
    assert set(data) == {s.name for s in TERM_FIELDS}  # the example shows every field
    stubs = {slug: term_data(f"Stub {slug}", category=data["category"]) for slug in data["related"]}
    root = make_glossary({**stubs, "layer-normalization": text})
    glossary, problems = check_root(root)
    assert problems == []
    term = next(t for t in glossary.terms if t.slug == "layer-normalization")
    assert term.term == "Layer Normalization"
    assert term.related == tuple(data["related"])
    assert [f.kind for f in term.figures] == [f["kind"] for f in data["figures"]]


def test_contributing_sample_message_is_what_check_prints(
    make_glossary, term_data, check_root
) -> None:
    sample = re.search(r"```text\n\s*(terms/.*)\n", contributing())
    assert sample, "CONTRIBUTING.md shows no sample problem"
    message = sample.group(1).strip()
    file, line, column, rest = message.split(":", 3)
    index = int(re.match(r" related\[(\d+)\]", rest).group(1))
    related = ["rms-normalization", "transformer", "group-normalization", "dropout"]
    related.insert(index, "batch-normalisation")
    head = [
        "term: Layer Normalization",
        "summary: A plain sentence.",
        "category: normalization",
        "definition: Defined.",
    ]
    padding = ["# padding"] * (int(line) - len(head) - index - 2)
    text = "\n".join([*head, *padding, "related:", *(f"  - {slug}" for slug in related)]) + "\n"
    assert int(column) == 5
    stubs = {slug: term_data(f"Stub {slug}") for slug in related if slug != "batch-normalisation"}
    root = make_glossary(
        {"layer-normalization": text, "batch-normalization": term_data("BN"), **stubs}
    )
    assert file == "terms/layer-normalization.yaml"
    _, problems = check_root(root)
    assert problems == [message]


def test_write_format_files_updates_stale_copies_once(tmp_path: Path) -> None:
    stale = contributing().replace(format_reference_markdown(), "| old table |\n")
    assert stale != contributing()
    (tmp_path / CONTRIBUTING_FILE).write_text(stale, encoding="utf-8")
    assert write_format_files(tmp_path) == [TERM_SCHEMA_FILE, CONTRIBUTING_FILE]
    assert (tmp_path / CONTRIBUTING_FILE).read_text(encoding="utf-8") == contributing()
    assert (tmp_path / TERM_SCHEMA_FILE).read_text(encoding="utf-8") == term_json_schema_text()
    assert write_format_files(tmp_path) == []


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(REPO / CONTRIBUTING_FILE, tmp_path / CONTRIBUTING_FILE)
    assert main(["--root", str(tmp_path), "schema"]) == 0
    assert capsys.readouterr().out == f"updated {TERM_SCHEMA_FILE}\n"
    assert main(["--root", str(tmp_path), "schema"]) == 0
    assert capsys.readouterr().out == ""


def test_expected_contributing_needs_the_markers() -> None:
    with pytest.raises(ValueError, match="lacks the markers"):
        expected_contributing("# Contributing\n\nNo table here.\n")
