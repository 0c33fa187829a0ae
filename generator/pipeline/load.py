"""Stage 1, load: the only reader of ``terms/``.

Parses each YAML file into plain data plus the line and column of every key and value, so that
later stages can point contributors at the exact spot. Parsing composes YAML nodes (with the
libyaml C parser when available) and converts them ourselves, which lets us refuse what a plain
``yaml.safe_load`` would accept silently: repeated keys, language-specific tags, merge keys and
alias expansion bombs.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
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
# The files of one load: display path -> (a digest of the file's bytes, what they parsed into).
# A preview server loads the glossary again after every save, when all files but one are as
# they were; parsing is most of loading, and the same bytes parse into the very same document
# (which lets ``validate`` skip its checks of that file too).
ParsedFiles = dict[str, tuple[bytes, ParseResult]]


@dataclass(frozen=True)
class SourceFile:
    """One file of ``terms/`` as read from disk: its bytes and their digest, or the problem
    that kept it from being read."""

    path: str  # as shown in problems, e.g. terms/layer-norm.yaml
    raw: bytes = b""
    digest: bytes = b""
    problem: Problem | None = None


@dataclass(frozen=True)
class SourceScan:
    """Every file of ``terms/``, read but not parsed: all that a load depends on."""

    listing_problems: tuple[Problem, ...]  # terms/ is a link; a name spelled '.yml'
    term_files: tuple[SourceFile, ...]  # in the order of their names
    categories: SourceFile | None
    missing_categories: Problem | None = None

    def fingerprint(self) -> bytes:
        """A digest of everything a load would see: the same digest, the same load."""
        seen = [str(p) for p in self.listing_problems]
        for file in (*self.term_files, self.categories):
            if file is not None:
                seen.append(f"{file.path}\0{file.digest.hex()}\0{file.problem or ''}")
        seen.append(str(self.missing_categories or ""))
        return hashlib.blake2b("\n".join(seen).encode(), digest_size=16).digest()


@dataclass(frozen=True)
class LoadedSources:
    """Everything read from ``terms/``: one document per readable term file, the categories
    file, and the paths of all term files found (readable or not)."""

    terms: tuple[SourceDocument, ...]
    categories: SourceDocument | None
    problems: tuple[Problem, ...]
    term_files: tuple[str, ...] = ()


def scan_sources(root: Path) -> SourceScan:
    """Read the bytes of ``root/terms/*.yaml`` (term files) and ``root/terms/_categories.yaml``.

    Hidden files (``.name``: editors' lock and backup files) are skipped; a file whose extension
    is another spelling of ``.yaml`` (``.yml``, ``.YAML``) is reported rather than ignored.
    """
    terms_dir = root / TERMS_DIR
    if terms_dir.is_symlink():
        # Whatever it points to is outside the project's own files: it is never listed.
        problem = _file_problem(TERMS_DIR, _SYMLINK_MESSAGE, "make terms/ a real directory")
        return SourceScan((problem,), (), None)
    names = sorted(os.listdir(terms_dir)) if terms_dir.is_dir() else []
    names = [name for name in names if not name.startswith(".")]
    problems = tuple(
        _file_problem(
            f"{TERMS_DIR}/{name}",
            "only files ending in .yaml are read, so this one is ignored",
            f"rename it to '{name.rpartition('.')[0]}.yaml'",
        )
        for name in names
        if name.rpartition(".")[2].lower() in ("yml", "yaml") and not name.endswith(".yaml")
    )
    files = tuple(
        read_source(os.path.join(terms_dir, name), f"{TERMS_DIR}/{name}")
        for name in names
        if name.endswith(".yaml") and name != CATEGORIES_FILE
    )
    categories_file = terms_dir / CATEGORIES_FILE
    if categories_file.exists() or categories_file.is_symlink():
        categories = read_source(categories_file, f"{TERMS_DIR}/{CATEGORIES_FILE}")
        return SourceScan(problems, files, categories)
    missing = _file_problem(
        f"{TERMS_DIR}/{CATEGORIES_FILE}",
        "the categories file is missing",
        "create it with one entry per category: key: {title: ..., description: ...}",
    )
    return SourceScan(problems, files, None, missing)


def load_sources(
    root: Path, parsed: ParsedFiles | None = None, scan: SourceScan | None = None
) -> LoadedSources:
    """Read and parse ``root/terms/*.yaml`` and ``root/terms/_categories.yaml`` (see
    ``scan_sources``, or pass its ``scan`` of ``root``).

    ``parsed``: the files the last load parsed, owned by the caller's ``BuildCache``; a file
    whose bytes are the same is not parsed again, and ``parsed`` is updated to this load.
    """
    scan = scan if scan is not None else scan_sources(root)
    problems = list(scan.listing_problems)
    now: ParsedFiles = {}
    last = parsed if parsed is not None else {}
    documents: list[SourceDocument] = []
    for file in scan.term_files:
        document, found = _parsed(file, now, last)
        problems += found
        if document is not None:
            documents.append(document)
    categories = None
    if scan.categories is not None:
        categories, found = _parsed(scan.categories, now, last)
        problems += found
    if scan.missing_categories is not None:
        problems.append(scan.missing_categories)
    if parsed is not None:
        parsed.clear()
        parsed.update(now)  # only this glossary's files: a deleted one is forgotten
    term_files = tuple(file.path for file in scan.term_files)
    return LoadedSources(tuple(documents), categories, tuple(problems), term_files)


def read_source(file: Path | str, display_path: str) -> SourceFile:
    """The bytes of one file, or why they cannot be used.

    Reads only a regular file (a named pipe would never end), never through a symbolic link (it
    could point anywhere on the machine that builds the site), and at most ``MAX_FILE_BYTES + 1``
    bytes of it.
    """
    try:
        raw = _read_regular_file(file)
    except _SymlinkError:
        return SourceFile(display_path, problem=_file_problem(display_path, *_SYMLINK))
    except OSError as error:
        what = (error.strerror or str(error)).rstrip(".")
        message = f"cannot be read: {what}"
        return SourceFile(
            display_path, problem=_file_problem(display_path, message, _NOT_READABLE_FIX)
        )
    if len(raw) > MAX_FILE_BYTES:
        size = max(len(raw), os.stat(file).st_size)
        return SourceFile(
            display_path,
            problem=_file_problem(
                display_path,
                f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                "shorten the text; a glossary entry should not need this much",
            ),
        )
    return SourceFile(display_path, raw, hashlib.blake2b(raw, digest_size=16).digest())


def _parsed(file: SourceFile, now: ParsedFiles | None, last: ParsedFiles | None) -> ParseResult:
    """``parse_document`` of a file read, or its result in ``last`` for the same bytes."""
    if file.problem is not None:
        return None, [file.problem]
    previous = (last or {}).get(file.path)
    if previous is None or previous[0] != file.digest:
        previous = (file.digest, parse_document(file.raw, file.path))
    if now is not None:
        now[file.path] = previous
    return previous[1]


_NOT_READABLE_FIX = "make it a readable text file, or remove it"


_SYMLINK_MESSAGE = "is a symbolic link, which the generator never follows"
_SYMLINK = (_SYMLINK_MESSAGE, "replace the link with the file itself")


class _SymlinkError(OSError):
    pass


def _read_regular_file(file: Path | str) -> bytes:
    """The first bytes of ``file``, opened without following a link and without waiting for a
    writer (a named pipe); refused unless it is a regular file."""
    try:
        descriptor = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:  # a symbolic link: O_NOFOLLOW refuses it
            raise _SymlinkError from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(0, "it is not a regular file (a directory, or a special file?)")
        chunks = []
        left = MAX_FILE_BYTES + 1
        while left > 0 and (chunk := os.read(descriptor, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _file_problem(path: str, message: str, fix: str) -> Problem:
    return Problem(path, 1, 1, "file", message, fix)


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
