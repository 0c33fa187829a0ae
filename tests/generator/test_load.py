"""load: YAML in, plain data with the position of every key and value, or located problems."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import generator.pipeline.parse
from generator.pipeline.load import MAX_FILE_BYTES, load_sources
from generator.pipeline.parse import MAX_NODES, parse_document

PATH = "terms/x.yaml"
_YAML_FIX = (
    "fix the YAML syntax at this spot (quote text that contains ': ' or starts with a symbol)"
)
_NO_TAGS = "remove the tag: term files hold only text, numbers, lists and mappings"

DOCUMENT = """\
term: Batch Normalization
aliases: [BatchNorm, BN]
faq:
  - q: Why?
    a: |
      Because.
references:
  - title: Paper
    year: 2015
"""


def parse_ok(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    document, problems = parse_document(raw, PATH)
    assert problems == []
    assert document is not None
    return document


def parse_bad(text: str | bytes) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    document, problems = parse_document(raw, PATH)
    assert document is None
    return [str(p) for p in problems]


def test_data_is_plain_python() -> None:
    assert parse_ok(DOCUMENT).data == {
        "term": "Batch Normalization",
        "aliases": ["BatchNorm", "BN"],
        "faq": [{"q": "Why?", "a": "Because.\n"}],
        "references": [{"title": "Paper", "year": 2015}],
    }


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ((), (1, 1)),
        (("term",), (1, 7)),
        (("aliases",), (2, 10)),
        (("aliases", 0), (2, 11)),
        (("aliases", 1), (2, 22)),
        (("faq",), (4, 3)),
        (("faq", 0), (4, 5)),
        (("faq", 0, "q"), (4, 8)),
        (("faq", 0, "a"), (5, 8)),
        (("references", 0, "year"), (9, 11)),
        # a path with no value of its own falls back to its nearest located ancestor
        (("faq", 0, "missing"), (4, 5)),
        (("aliases", 7), (2, 10)),
        (("nowhere", "at", "all"), (1, 1)),
    ],
)
def test_value_positions_are_one_based(path, position) -> None:
    assert parse_ok(DOCUMENT).position(*path) == position


@pytest.mark.parametrize(
    ("path", "position"),
    [
        (("term",), (1, 1)),
        (("aliases",), (2, 1)),
        (("faq",), (3, 1)),
        (("faq", 0, "q"), (4, 5)),
        (("faq", 0, "a"), (5, 5)),
        (("references", 0, "year"), (9, 5)),
        (("aliases", 1), (2, 22)),  # a list item has no key: falls back to the value
    ],
)
def test_key_positions_are_one_based(path, position) -> None:
    assert parse_ok(DOCUMENT).key_position(*path) == position


@pytest.mark.parametrize(
    "raw",
    [
        DOCUMENT.encode(),
        b"\xef\xbb\xbf" + DOCUMENT.encode(),
        DOCUMENT.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + DOCUMENT.replace("\n", "\r\n").encode(),
    ],
    ids=["lf", "bom", "crlf", "bom-crlf"],
)
def test_bom_and_crlf_give_the_same_data_and_positions(raw: bytes) -> None:
    document = parse_ok(raw)
    reference = parse_ok(DOCUMENT)
    assert document.data == reference.data
    assert document.positions == reference.positions
    assert document.key_positions == reference.key_positions


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"term: ok\nsummary: caf\xe9 au lait\n",
            "terms/x.yaml:2:13: file: byte 0xe9 is not valid UTF-8; save the file as UTF-8",
        ),
        (
            b"\xff\xfet\x00e\x00",  # UTF-16
            "terms/x.yaml:1:1: file: byte 0xff is not valid UTF-8; save the file as UTF-8",
        ),
        (
            b"term: x\n\ndefinition: |\n  ok\n  \x80bad\n",
            "terms/x.yaml:5:3: file: byte 0x80 is not valid UTF-8; save the file as UTF-8",
        ),
    ],
    ids=["latin-1", "utf-16", "stray-continuation-byte"],
)
def test_non_utf8_bytes_are_located(raw: bytes, expected: str) -> None:
    assert parse_bad(raw) == [expected]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\ufeff"])
def test_empty_file_is_a_document_without_data(text: str) -> None:
    document = parse_ok(text)
    assert document.data is None
    assert document.path == PATH


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "term: x\nsummary: Note: quote me\n",
            f"terms/x.yaml:2:14: yaml: mapping values are not allowed in this context; {_YAML_FIX}",
        ),
        (
            "term: x\nrelated: [a, b\nsummary: y\n",
            f"terms/x.yaml:3:8: yaml: did not find expected ',' or ']'; {_YAML_FIX}",
        ),
        (
            "term: x\n---\nterm: y\n",
            f"terms/x.yaml:2:1: yaml: but found another document; {_YAML_FIX}",
        ),
        (
            "term: *nowhere\n",
            f"terms/x.yaml:1:7: yaml: found undefined alias; {_YAML_FIX}",
        ),
    ],
    ids=["colon-in-value", "unclosed-list", "two-documents", "undefined-alias"],
)
def test_syntax_errors_are_located(text: str, expected: str) -> None:
    assert parse_bad(text) == [expected]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("term: x\nfaq:\n\t- q: y\n", "3:1"),
        ("term: x\nfaq:\n  - q: y\n\t  a: z\n", "4:1"),
        ("term:\n  a: 1\n\tb: 2\n", "3:1"),
    ],
)
def test_tab_indentation_is_named(text: str, position: str) -> None:
    assert parse_bad(text) == [
        f"terms/x.yaml:{position}: yaml: a tab character is not allowed here; "
        "indent with spaces, not tabs"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "term: a\nsummary: b\n\nterm: c\n",
            "terms/x.yaml:4:1: term: the key 'term' appears twice in this mapping; "
            "keep one of them (the first is on line 1)",
        ),
        (
            "faq:\n  - q: one\n    a: x\n    q: two\n",
            "terms/x.yaml:4:5: faq[0].q: the key 'q' appears twice in this mapping; "
            "keep one of them (the first is on line 2)",
        ),
    ],
    ids=["top-level", "nested"],
)
def test_duplicate_key_names_the_line_of_the_first(text: str, expected: str) -> None:
    assert parse_bad(text) == [expected]


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system ['touch {marker}']", "!!python/object/apply:os.system"),
        ("!!python/object/apply:os.system 'touch {marker}'", "!!python/object/apply:os.system"),
        (
            "!!python/object/new:os.system {{args: ['touch {marker}']}}",
            "!!python/object/new:os.system",
        ),
        ("!!python/object:os.system {{}}", "!!python/object:os.system"),
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {{a, b}}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!custom value", "!custom"),
    ],
)
def test_tags_are_refused_and_never_executed(
    value: str, tag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args))
    text = "term: x\nsummary: " + value.format(marker=marker) + "\n"
    assert parse_bad(text) == [
        f"terms/x.yaml:2:10: summary: the YAML tag '{tag}' is not allowed; {_NO_TAGS}"
    ]
    assert calls == []
    assert not marker.exists()


def test_merge_keys_are_refused() -> None:
    text = (
        "base: &base {title: T, year: 2015}\nreferences:\n  - <<: *base\n    url: https://x.org\n"
    )
    assert parse_bad(text) == [
        "terms/x.yaml:3:5: references[0]: merge keys ('<<') are not allowed; "
        "write the keys out in full"
    ]


def test_plain_aliases_are_expanded() -> None:
    document = parse_ok("tags: &t [a, b]\naliases: *t\n")
    assert document.data == {"tags": ["a", "b"], "aliases": ["a", "b"]}


@pytest.mark.parametrize(
    "key",
    ["1", "true", "null", "[a, b]", "{a: b}", "2015-01-01"],
)
def test_keys_must_be_plain_text(key: str) -> None:
    problems = parse_bad(f"term: x\n{key}: y\n")
    assert len(problems) == 1
    assert problems[0].startswith("terms/x.yaml:2:1: file: the key ")
    assert problems[0].endswith("is not plain text; use a field name such as 'summary' as the key")


def _billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_after_at_most_max_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    visited = 0
    convert = generator.pipeline.parse._Converter._convert

    def counting(self, node, path):
        nonlocal visited
        visited += 1
        return convert(self, node, path)

    monkeypatch.setattr(generator.pipeline.parse._Converter, "_convert", counting)
    text = _billion_laughs()  # 9**9 strings once expanded, from a few hundred bytes
    assert len(text) < 1000
    assert parse_bad(text) == [
        f"terms/x.yaml:1:4: yaml: the document expands to more than {MAX_NODES:,} values (YAML "
        "aliases?); write the values out instead of repeating them with & anchors and * aliases"
    ]
    assert MAX_NODES < visited <= MAX_NODES + 1


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",  # a sequence that contains itself
        "a: &a {b: *a}\n",  # a mapping that contains itself
        "a: " + "[" * 900 + "]" * 900 + "\n",  # deeper than Python's stack
    ],
    ids=["recursive-sequence", "recursive-mapping", "deep-nesting"],
)
def test_self_referencing_or_deep_documents_are_refused_without_a_crash(text: str) -> None:
    problems = parse_bad(text)
    assert len(problems) == 1
    assert problems[0].startswith("terms/x.yaml:1:")
    assert ": yaml: " in problems[0]


def test_file_over_the_size_limit_is_refused_unread(make_glossary) -> None:
    text = b"definition: " + b"x" * (MAX_FILE_BYTES - len(b"definition: ") + 1)
    sources = load_sources(make_glossary({"big": text}))
    assert sources.terms == ()
    assert [str(p) for p in sources.problems] == [
        f"terms/big.yaml:1:1: file: the file is {MAX_FILE_BYTES + 1:,} bytes, over the limit of "
        f"{MAX_FILE_BYTES:,}; shorten the text; a glossary entry should not need this much"
    ]


def test_file_at_the_size_limit_is_read(make_glossary) -> None:
    text = b"definition: " + b"x" * (MAX_FILE_BYTES - len(b"definition: "))
    sources = load_sources(make_glossary({"big": text}))
    assert sources.problems == ()
    [document] = sources.terms
    assert len(document.data["definition"]) == MAX_FILE_BYTES - len("definition: ")


def test_load_sources_reads_term_files_in_order_and_categories_apart(make_glossary) -> None:
    root = make_glossary(
        {"zeta": "term: Z\n", "alpha": "term: A\n", "broken": "term: [\n"},
    )
    (root / "terms" / "notes.txt").write_text("not a term", encoding="utf-8")
    sources = load_sources(root)
    assert [d.path for d in sources.terms] == ["terms/alpha.yaml", "terms/zeta.yaml"]
    assert sources.categories is not None
    assert sources.categories.path == "terms/_categories.yaml"
    assert set(sources.categories.data) == {"normalization", "training"}
    assert [(p.path, p.field) for p in sources.problems] == [("terms/broken.yaml", "yaml")]


def test_load_sources_reports_a_missing_categories_file(make_glossary) -> None:
    sources = load_sources(make_glossary({"alpha": "term: A\n"}, categories=None))
    assert sources.categories is None
    assert [str(p) for p in sources.problems] == [
        "terms/_categories.yaml:1:1: file: the categories file is missing; create it with one "
        "entry per category: key: {title: ..., description: ...}"
    ]


@pytest.mark.parametrize(
    ("value", "text_line", "position"),
    [
        ("|\n  one\n  two\n\n    four\n", 1, (3, 3)),
        ("|\n  one\n  two\n\n    four\n", 4, (6, 5)),
        ("|\n  one\n  two\n\n    four\n", None, (2, 13)),
        # folded lines are not the file's lines: located at the value's start
        (">\n  one\n  two\n\n    four\n", 3, (2, 13)),
        ("plain text\n", 1, (2, 13)),
    ],
    ids=["literal-first", "literal-fourth", "literal-whole", "folded", "plain"],
)
def test_text_position_inside_a_text_value(value: str, text_line, position) -> None:
    document = parse_ok(f"term: x\ndefinition: {value}")
    assert document.text_position(("definition",), text_line) == position


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"term: ok\nsummary: a\x01b\n", "2:11: yaml: the control character U+0001"),
        # libyaml counts bytes; the column counts characters
        (
            "term: ok\nsummary: \u00e9\u00e9\x1bb\n".encode(),
            "2:12: yaml: the control character U+001B",
        ),
        (b"term: ok\r\nsummary: ab\r\n\x7f\n", "3:1: yaml: the control character U+007F"),
        (b"\xef\xbb\xbfterm: \x08\n", "1:7: yaml: the control character U+0008"),
        ("term: ok\nsummary: \uffff\n".encode(), "2:10: yaml: the character U+FFFF"),
    ],
    ids=["ascii", "after-accents", "crlf", "after-bom", "noncharacter"],
)
def test_a_control_character_in_the_file_is_located(raw: bytes, expected: str) -> None:
    (problem,) = parse_bad(raw)
    assert problem.startswith(f"terms/x.yaml:{expected} is not allowed; ")
    assert problem.endswith("; delete it (most editors do not show it)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'term: x\nsummary: "a\\x01b"\n',
            "terms/x.yaml:2:10: summary: the text contains the control character U+0001",
        ),
        (
            'term: x\nfaq:\n  - q: "why\\u009b"\n',
            "terms/x.yaml:3:8: faq[0].q: the text contains the control character U+009B",
        ),
        ('term: x\n"a\\x01": 1\n', "terms/x.yaml:2:1: file: the key 'a\\x01' is not plain text"),
    ],
    ids=["value", "nested-value", "key"],
)
def test_control_characters_written_as_escapes_are_refused(text: str, expected: str) -> None:
    (problem,) = parse_bad(text)
    assert problem.startswith(expected)


def test_tabs_and_line_breaks_written_as_escapes_are_text() -> None:
    assert parse_ok('definition: "a\\tb\\nc"\n').data == {"definition": "a\tb\nc"}


def test_other_spellings_of_the_extension_and_hidden_term_files_are_reported(
    make_glossary,
) -> None:
    root = make_glossary({"alpha": "term: A\n"})
    names = ("beta.yml", "gamma.YAML", ".#alpha.yaml", "._alpha.yaml", ".hidden.yaml", "..yaml")
    for name in (*names, ".alpha.yaml.swp", "notes.txt"):
        (root / "terms" / name).write_text("term: B\n", encoding="utf-8")
    sources = load_sources(root)
    assert [d.path for d in sources.terms] == ["terms/alpha.yaml"]
    hidden = "a name that starts with '.' is hidden, so this file is ignored; rename it to"
    keep = "to include it, or move it out of terms/ to keep it as a draft"
    assert [str(p) for p in sources.problems] == [
        f"terms/{name}:1:1: file: only files ending in .yaml are read, so this one is ignored; "
        f"rename it to '{stem}.yaml'"
        for name, stem in (("beta.yml", "beta"), ("gamma.YAML", "gamma"))
    ] + [
        f"terms/..yaml:1:1: file: {hidden} its term's slug, e.g. 'layer-normalization.yaml' {keep}",
        f"terms/.hidden.yaml:1:1: file: {hidden} 'hidden.yaml' {keep}",
    ]  # editors' lock files (.#name) and macOS's ._name files are left alone


def test_a_term_file_that_is_a_directory_or_a_dangling_link_is_reported(make_glossary) -> None:
    root = make_glossary({"alpha": "term: A\n"})
    (root / "terms" / "folder.yaml").mkdir()
    (root / "terms" / "dangling.yaml").symlink_to(root / "nowhere.yaml")
    sources = load_sources(root)
    assert [str(p) for p in sources.problems] == [
        "terms/dangling.yaml:1:1: file: is a symbolic link, which the generator never follows; "
        "replace the link with the file itself",
        "terms/folder.yaml:1:1: file: cannot be read: it is not a regular file (a directory, "
        "or a special file?); make it a readable text file, or remove it",
    ]
    assert sources.term_files == ("terms/alpha.yaml", "terms/dangling.yaml", "terms/folder.yaml")


def test_a_symlink_to_a_term_shaped_file_outside_the_project_is_never_read(
    make_glossary, tmp_path
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("term: Leaked\nsummary: A secret from outside the project.\n")
    root = make_glossary({"alpha": "term: A\n"})
    (root / "terms" / "leak.yaml").symlink_to(outside)
    outside.chmod(0)  # opening it would fail differently: the message shows it was never opened
    try:
        sources = load_sources(root)
    finally:
        outside.chmod(0o644)
    assert [str(p) for p in sources.problems] == [
        "terms/leak.yaml:1:1: file: is a symbolic link, which the generator never follows; "
        "replace the link with the file itself"
    ]
    assert [d.path for d in sources.terms] == ["terms/alpha.yaml"]


def test_a_symlink_to_a_system_file_or_a_linked_terms_directory_is_refused(
    make_glossary, tmp_path
) -> None:
    root = make_glossary({"alpha": "term: A\n"})
    (root / "terms" / "passwd.yaml").symlink_to("/etc/passwd")
    (root / "terms" / "_categories.yaml").unlink()
    (root / "terms" / "_categories.yaml").symlink_to("/etc/hostname")
    problems = [str(p) for p in load_sources(root).problems]
    assert problems == [
        f"terms/{name}:1:1: file: is a symbolic link, which the generator never follows; "
        "replace the link with the file itself"
        for name in ("passwd.yaml", "_categories.yaml")
    ]
    elsewhere = tmp_path / "other-project"
    elsewhere.mkdir()
    linked = make_glossary({"alpha": "term: A\n"})
    (linked / "terms").rename(elsewhere / "terms")
    (linked / "terms").symlink_to(elsewhere / "terms", target_is_directory=True)
    sources = load_sources(linked)
    assert [str(p) for p in sources.problems] == [
        "terms:1:1: file: is a symbolic link, which the generator never follows; "
        "make terms/ a real directory"
    ]
    assert sources.terms == ()


@pytest.mark.parametrize(
    "number",
    ["9" * 5000, "0x" + "f" * 5000, "-" + "1" * 30, "1" + "_0" * 40, "1000000000000000000"],
)
def test_a_huge_integer_is_refused_at_load_without_converting_it(make_glossary, number) -> None:
    root = make_glossary({"alpha": f"term: A\nyear: {number}\n"})
    (problem,) = load_sources(root).problems
    assert str(problem) == (
        "terms/alpha.yaml:2:7: year: the number is larger than the limit of 18 digits; "
        "write a number within the field's range (a year, a seed below 4294967296)"
    )
    assert len(str(problem)) < 200


def test_a_named_pipe_is_reported_without_waiting_for_it(make_glossary) -> None:
    root = make_glossary({"alpha": "term: A\n"})
    os.mkfifo(root / "terms" / "pipe.yaml")  # reading it would block forever
    (problem,) = load_sources(root).problems
    assert str(problem).startswith("terms/pipe.yaml:1:1: file: cannot be read: it is not a")


def test_an_unreadable_file_is_reported(make_glossary) -> None:
    root = make_glossary({"alpha": "term: A\n", "secret": "term: S\n"})
    (root / "terms" / "secret.yaml").chmod(0)
    try:
        if os.access(root / "terms" / "secret.yaml", os.R_OK):
            pytest.skip("running as a user who can read any file")
        (problem,) = load_sources(root).problems
        assert str(problem) == (
            "terms/secret.yaml:1:1: file: cannot be read: Permission denied; "
            "make it a readable text file, or remove it"
        )
    finally:
        (root / "terms" / "secret.yaml").chmod(0o644)


def test_literal_blocks_and_plain_lines_locate_a_column_inside_their_text() -> None:
    document = parse_ok("term: plain text here\ndefinition: |\n\n    one\n    two <b>\n")
    assert document.text_position(("term",), 1, 7) == (1, 13)  # the "t" of "text"
    assert document.text_position(("definition",), 3, 5) == (5, 9)
    quoted = parse_ok('term: "quoted text"\n')
    assert quoted.text_position(("term",), 1, 7) == (1, 7)  # escapes may shift it: the start
