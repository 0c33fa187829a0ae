"""YAML bytes into a located document: plain data plus the line and column of every key and
value, so that later stages can point contributors at the exact spot.

Parsing composes YAML nodes (with the libyaml C parser when available) and converts them
ourselves, which lets us refuse what a plain ``yaml.safe_load`` would accept silently:
repeated keys, language-specific tags, merge keys, alias expansion bombs and huge integers.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model import Position, Problem, SourceDocument, field_label

# Aliases let a small file describe a huge tree; converting more nodes than this is refused.
MAX_NODES = 20_000
# The longest whole number a term file may write: Python refuses to convert integers of more
# than 4,300 digits, and no field needs more than a seed (2**32) or a year.
MAX_INTEGER_DIGITS = 18

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR_TAG = "tag:yaml.org,2002:str"
_YAML_FIX = (
    "fix the YAML syntax at this spot (quote text that contains ': ' or starts with a symbol)"
)

ParseResult = tuple[SourceDocument | None, list[Problem]]


def parse_document(raw: bytes, path: str) -> ParseResult:
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
    except yaml.reader.ReaderError as error:
        return None, [_character_problem(path, error, text)]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, "yaml", str(error).splitlines()[0], _YAML_FIX)]
    lines = tuple(text.splitlines())
    converter = _Converter(path, lines)
    data = converter.convert(node, ()) if node is not None else None
    if converter.problems:
        return None, converter.problems
    document = SourceDocument(
        path,
        data,
        converter.positions,
        converter.key_positions,
        converter.block_scalars,
        frozenset(converter.plain_scalars),
        lines,
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


def _character_problem(path: str, error: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML does not allow in a file (a control character), at its line and column."""
    position = error.position
    if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text, not characters
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    line, column = _line_and_column(text, position)
    code = error.character if isinstance(error.character, int) else ord(error.character)
    what = "control character" if code < 0x20 or 0x7F <= code <= 0x9F else "character"
    return Problem(
        path,
        line,
        column,
        "yaml",
        f"the {what} U+{code:04X} is not allowed",
        "delete it (most editors do not show it)",
    )


def _line_and_column(text: str, position: int) -> Position:
    """The 1-based line and column of ``text[position]``, counting lines as YAML does."""
    before = text[:position].splitlines(keepends=True)
    if not before or before[-1].splitlines()[0] != before[-1]:
        return len(before) + 1, 1
    return len(before), len(before[-1]) + 1


# Signs, digits, underscores and a base prefix ("0x") of the longest integer that is converted.
_MAX_INTEGER_TEXT = 64

# Characters a term file may not hold, even written as escapes in quotes: control characters
# other than tab and line feed (Python-Markdown uses some as internal markers), and the
# noncharacters U+FFFE and U+FFFF.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


class _TooManyNodesError(Exception):
    pass


class _Converter:
    """Turns a composed YAML node tree into plain data, recording positions and problems."""

    def __init__(self, path: str, lines: tuple[str, ...]) -> None:
        self.path = path
        self.lines = lines
        self.positions: dict[tuple[str | int, ...], Position] = {}
        self.key_positions: dict[tuple[str | int, ...], Position] = {}
        self.block_scalars: dict[tuple[str | int, ...], int] = {}
        self.plain_scalars: set[tuple[str | int, ...]] = set()
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
        except _TooManyNodesError as error:
            self.problems = [
                Problem(
                    self.path,
                    *_position(error.args[0]),
                    "yaml",
                    f"the document expands to more than {MAX_NODES:,} values (YAML aliases?)",
                    "write the values out instead of repeating them with & anchors and * aliases",
                )
            ]
            return None

    def _convert(self, node: Node, path: tuple[str | int, ...]) -> Any:
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _TooManyNodesError(node)  # located at a value that an alias repeats
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
        if not isinstance(node, ScalarNode):  # PyYAML makes no other kind of node
            return None
        if node.style == "|":  # a literal block keeps each line; '>' folds lines together
            self.block_scalars[path] = self._indentation(node)
        elif not node.style and node.start_mark.line == node.end_mark.line:
            self.plain_scalars.add(path)
        huge = node.tag == "tag:yaml.org,2002:int" and len(node.value) > _MAX_INTEGER_TEXT
        if node.tag == _STR_TAG:  # most values: what SafeConstructor returns, without its work
            value = node.value
        else:
            value = None if huge else self._constructor.construct_object(node)
        if huge or (isinstance(value, int) and abs(value) >= 10**MAX_INTEGER_DIGITS):
            self._problem(
                node,
                path,
                f"the number is larger than the limit of {MAX_INTEGER_DIGITS} digits",
                "write a number within the field's range (a year, a seed below 4294967296)",
            )
            return None
        forbidden = _FORBIDDEN_CHARACTER.search(value) if isinstance(value, str) else None
        if forbidden is not None:
            self._problem(
                node,
                path,
                f"the text contains the control character U+{ord(forbidden.group()):04X}",
                "remove it (it is probably written as an escape such as \\x01 in quotes)",
            )
            return None
        return value

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
            if (
                not isinstance(key_node, ScalarNode)
                or key_node.tag != "tag:yaml.org,2002:str"
                or _FORBIDDEN_CHARACTER.search(key_node.value)
            ):
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

    def _indentation(self, node: ScalarNode) -> int:
        """How far the lines of a literal block scalar are indented: as far as its first line
        that is not blank (YAML's own rule, unless an indentation indicator says otherwise)."""
        lines = self.lines[node.start_mark.line + 1 : node.end_mark.line + 1]
        filled = [line for line in lines if line.strip()]
        return len(filled[0]) - len(filled[0].lstrip(" ")) if filled else 0

    def _problem(self, node: Node, path: tuple[str | int, ...], message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, *_position(node), field_label(path), message, fix))


def _position(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1
