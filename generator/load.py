"""Stage 1, load: the only reader of ``terms/``.

Parses each YAML file into plain data plus the line and column of every key and value, so that
later stages can point contributors at the exact spot. Parsing composes YAML nodes (with the
libyaml C parser when available) and converts them ourselves, which lets us refuse what a plain
``yaml.safe_load`` would accept silently: repeated keys, language-specific tags, merge keys and
alias expansion bombs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model import Position, Problem, SourceDocument, field_label

TERMS_DIR = "terms"
CATEGORIES_FILE = "_categories.yaml"
MAX_FILE_BYTES = 256 * 1024
# Aliases let a small file describe a huge tree; converting more nodes than this is refused.
MAX_NODES = 20_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_YAML_FIX = (
    "fix the YAML syntax at this spot (quote text that contains ': ' or starts with a symbol)"
)


@dataclass(frozen=True)
class LoadedSources:
    """Everything read from ``terms/``: one document per readable term file, the categories
    file, and the paths of all term files found (readable or not)."""

    terms: tuple[SourceDocument, ...]
    categories: SourceDocument | None
    problems: tuple[Problem, ...]
    term_files: tuple[str, ...] = ()


def load_sources(root: Path) -> LoadedSources:
    """Read ``root/terms/*.yaml`` (term files) and ``root/terms/_categories.yaml``."""
    terms_dir = root / TERMS_DIR
    documents: list[SourceDocument] = []
    problems: list[Problem] = []
    files = [f for f in sorted(terms_dir.glob("*.yaml")) if f.name != CATEGORIES_FILE]
    for file in files:
        document, found = read_document(file, f"{TERMS_DIR}/{file.name}")
        problems += found
        if document is not None:
            documents.append(document)
    categories_path = terms_dir / CATEGORIES_FILE
    categories = None
    if categories_path.is_file():
        categories, found = read_document(categories_path, f"{TERMS_DIR}/{CATEGORIES_FILE}")
        problems += found
    else:
        problems.append(
            Problem(
                f"{TERMS_DIR}/{CATEGORIES_FILE}",
                1,
                1,
                "file",
                "the categories file is missing",
                "create it with one entry per category: key: {title: ..., description: ...}",
            )
        )
    term_files = tuple(f"{TERMS_DIR}/{file.name}" for file in files)
    return LoadedSources(tuple(documents), categories, tuple(problems), term_files)


def read_document(file: Path, display_path: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Read one file from disk and parse it (see ``parse_document``)."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                display_path,
                1,
                1,
                "file",
                f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                "shorten the text; a glossary entry should not need this much",
            )
        ]
    return parse_document(file.read_bytes(), display_path)


def parse_document(raw: bytes, path: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Parse YAML bytes into a located document; on failure return ``None`` and the problems."""
    try:
        text = raw.decode("utf-8-sig")  # a UTF-8 byte-order mark is accepted and dropped
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            Problem(
                path,
                line,
                column,
                "file",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(path, error, text)]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, "yaml", str(error).splitlines()[0], _YAML_FIX)]
    converter = _Converter(path)
    data = converter.convert(node, ()) if node is not None else None
    if converter.problems:
        return None, converter.problems
    document = SourceDocument(
        path,
        data,
        converter.positions,
        converter.key_positions,
        frozenset(converter.block_scalars),
        tuple(text.splitlines()),
    )
    return document, []


def _syntax_problem(path: str, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = (error.problem or error.context or "invalid YAML").strip()
    fix = _YAML_FIX
    # libyaml's messages do not show the character, so look at the spot itself.
    lines = text.split("\n")
    at_tab = line <= len(lines) and lines[line - 1][column - 1 : column] == "\t"
    if at_tab or "\\t" in what or "\t" in what or "tab character" in what:
        what, fix = "a tab character is not allowed here", "indent with spaces, not tabs"
    return Problem(path, line, column, "yaml", what, fix)


class _TooManyNodesError(Exception):
    pass


class _Converter:
    """Turns a composed YAML node tree into plain data, recording positions and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.positions: dict[tuple[str | int, ...], Position] = {}
        self.key_positions: dict[tuple[str | int, ...], Position] = {}
        self.block_scalars: set[tuple[str | int, ...]] = set()
        self.problems: list[Problem] = []
        self._nodes = 0
        self._constructor = SafeConstructor()

    def convert(self, node: Node, path: tuple[str | int, ...]) -> Any:
        try:
            return self._convert(node, path)
        except RecursionError:  # nesting deeper than Python's stack, or an alias inside itself
            self.problems = [
                Problem(
                    self.path,
                    *_position(node),
                    "yaml",
                    "the document nests too deeply (or a YAML alias refers to itself)",
                    "write the values out instead of nesting them or using & anchors and * aliases",
                )
            ]
            return None
        except _TooManyNodesError:
            self.problems = [
                Problem(
                    self.path,
                    *_position(node),
                    "yaml",
                    f"the document expands to more than {MAX_NODES:,} values (YAML aliases?)",
                    "write the values out instead of repeating them with & anchors and * aliases",
                )
            ]
            return None

    def _convert(self, node: Node, path: tuple[str | int, ...]) -> Any:
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _TooManyNodesError
        self.positions[path] = _position(node)
        allowed_tags = _SCALAR_TAGS if isinstance(node, ScalarNode) else _COLLECTION_TAGS
        if node.tag not in allowed_tags:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(
                node,
                path,
                f"the YAML tag '{tag}' is not allowed",
                "remove the tag: term files hold only text, numbers, lists and mappings",
            )
            return None
        if isinstance(node, MappingNode):
            return self._convert_mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self._convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.style == "|":  # a literal block keeps each line; '>' folds lines together
            self.block_scalars.add(path)
        return self._constructor.construct_object(node)

    def _convert_mapping(self, node: MappingNode, path: tuple[str | int, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(
                    key_node,
                    path,
                    "merge keys ('<<') are not allowed",
                    "write the keys out in full",
                )
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self._problem(
                    key_node,
                    path,
                    f"the key {key_node.value!r} is not plain text",
                    "use a field name such as 'summary' as the key",
                )
                continue
            key = key_node.value
            if key in first_seen:
                self._problem(
                    key_node,
                    (*path, key),
                    f"the key '{key}' appears twice in this mapping",
                    f"keep one of them (the first is on line {first_seen[key]})",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.key_positions[(*path, key)] = _position(key_node)
            result[key] = self._convert(value_node, (*path, key))
        return result

    def _problem(self, node: Node, path: tuple[str | int, ...], message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, *_position(node), field_label(path), message, fix))


def _position(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1
