"""Stage 1, load: the only reader of ``terms/``.

Reads each term file safely (regular files only, never through a symbolic link, bounded in
size) and has ``parse`` turn its bytes into plain data with the line and column of every key
and value; a file whose bytes did not change since the last load is not parsed again.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.model import Problem, SourceDocument
from generator.pipeline.history import FileHistory, file_history
from generator.pipeline.parse import ParseResult, parse_document

TERMS_DIR = "terms"
CATEGORIES_FILE = "_categories.yaml"
TAGS_FILE = "_tags.yaml"  # the tag vocabulary: tag -> one-line description
START_HERE_FILE = "_start-here.yaml"  # the home page's reading path for newcomers: slugs
LANGUAGES_FILE = "_languages.yaml"  # the languages of the translations, terms/<code>/*.yaml
# Files of terms/ that declare things about the glossary rather than a term; optional.
DECLARATION_FILES = (TAGS_FILE, START_HERE_FILE, LANGUAGES_FILE)
MAX_FILE_BYTES = 256 * 1024
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
    declarations: tuple[SourceFile, ...] = ()  # those of DECLARATION_FILES that exist
    # When each term file was added and last changed.
    history: FileHistory = field(default_factory=FileHistory)
    # The files of terms/<language>/ (translations), in the order of their paths.
    translation_files: tuple[SourceFile, ...] = ()

    def fingerprint(self) -> bytes:
        """A digest of everything a load would see: the same digest, the same load."""
        seen = [str(p) for p in self.listing_problems]
        files = (*self.term_files, self.categories, *self.declarations, *self.translation_files)
        for file in files:
            if file is not None:
                seen.append(f"{file.path}\0{file.digest.hex()}\0{file.problem or ''}")
        seen.append(str(self.missing_categories or ""))
        seen.append(repr(self.history))
        return hashlib.blake2b("\n".join(seen).encode(), digest_size=16).digest()


@dataclass(frozen=True)
class LoadedSources:
    """Everything read from ``terms/``: one document per readable term file, the categories
    file, and the paths of all term files found (readable or not)."""

    terms: tuple[SourceDocument, ...]
    categories: SourceDocument | None
    problems: tuple[Problem, ...]
    term_files: tuple[str, ...] = ()
    declarations: Mapping[str, SourceDocument] = field(default_factory=dict)  # by file name
    history: FileHistory = field(default_factory=FileHistory)
    translations: tuple[SourceDocument, ...] = ()  # terms/<language>/<slug>.yaml


def scan_sources(root: Path) -> SourceScan:
    """Read the bytes of ``root/terms/*.yaml`` (term files), ``root/terms/_categories.yaml`` and
    ``root/terms/<language>/*.yaml`` (translations).

    Hidden files (``.name``: editors' lock and backup files) are skipped, but a hidden
    ``.yaml`` file is reported (``.draft.yaml``: its author may think it is read), and so is a
    file whose extension is another spelling of ``.yaml`` (``.yml``, ``.YAML``).
    """
    terms_dir = root / TERMS_DIR
    if terms_dir.is_symlink():
        # Whatever it points to is outside the project's own files: it is never listed.
        problem = _file_problem(TERMS_DIR, _SYMLINK_MESSAGE, "make terms/ a real directory")
        return SourceScan((problem,), (), None)
    listed = sorted(os.listdir(terms_dir)) if terms_dir.is_dir() else []
    names = [name for name in listed if not name.startswith(".")]
    problems = tuple(
        _file_problem(
            f"{TERMS_DIR}/{name}",
            "only files ending in .yaml are read, so this one is ignored",
            f"rename it to '{name.rpartition('.')[0]}.yaml'",
        )
        for name in names
        if name.rpartition(".")[2].lower() in ("yml", "yaml") and not name.endswith(".yaml")
    ) + tuple(_hidden_term_file(name) for name in listed if _is_hidden_term_file(name))
    files = tuple(
        read_source(os.path.join(terms_dir, name), f"{TERMS_DIR}/{name}")
        for name in names
        if name.endswith(".yaml") and name not in (CATEGORIES_FILE, *DECLARATION_FILES)
    )
    declarations = tuple(
        read_source(os.path.join(terms_dir, name), f"{TERMS_DIR}/{name}")
        for name in DECLARATION_FILES
        if name in names
    )
    history = file_history(root, TERMS_DIR)
    translated, found = _translation_files(terms_dir, names)
    problems += found
    categories_file = terms_dir / CATEGORIES_FILE
    if categories_file.exists() or categories_file.is_symlink():
        categories = read_source(categories_file, f"{TERMS_DIR}/{CATEGORIES_FILE}")
        return SourceScan(problems, files, categories, None, declarations, history, translated)
    missing = _file_problem(
        f"{TERMS_DIR}/{CATEGORIES_FILE}",
        "the categories file is missing",
        "create it with one entry per category: key: {title: ..., description: ...}",
    )
    return SourceScan(problems, files, None, missing, declarations, history, translated)


def _translation_files(
    terms_dir: Path, names: list[str]
) -> tuple[tuple[SourceFile, ...], tuple[Problem, ...]]:
    """The ``.yaml`` files of each folder of ``terms/`` (a language's translations, whether
    or not the language is declared: ``validate`` reports those that are not), and what keeps
    a folder from being read."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    for folder in names:
        path = terms_dir / folder
        shown = f"{TERMS_DIR}/{folder}"
        if path.is_symlink():
            if path.is_dir():
                problems.append(_file_problem(shown, *_SYMLINK))
            continue  # a link to a file is read (and refused) as a term file, if named .yaml
        if not path.is_dir():
            continue
        try:
            listed = sorted(os.listdir(path))
        except OSError as error:
            what = (error.strerror or str(error)).rstrip(".")
            problems.append(_file_problem(shown, f"cannot be read: {what}", _NOT_READABLE_FIX))
            continue
        for name in listed:
            if name.startswith("."):
                continue
            if name.endswith(".yaml"):
                files.append(read_source(os.path.join(path, name), f"{shown}/{name}"))
            elif name.rpartition(".")[2].lower() in ("yml", "yaml"):
                problems.append(
                    _file_problem(
                        f"{shown}/{name}",
                        "only files ending in .yaml are read, so this one is ignored",
                        f"rename it to '{name.rpartition('.')[0]}.yaml'",
                    )
                )
    return tuple(files), tuple(problems)


def _is_hidden_term_file(name: str) -> bool:
    """A term file hidden by a leading '.' (not an editor's lock file, '.#x.yaml', nor macOS's
    '._x.yaml'), which a contributor may not know is never read."""
    return name.startswith(".") and name.endswith(".yaml") and not name.startswith((".#", "._"))


def _hidden_term_file(name: str) -> Problem:
    stem = name.strip(".").removesuffix("yaml").strip(".")
    target = f"'{stem}.yaml'" if stem else "its term's slug, e.g. 'layer-normalization.yaml'"
    return _file_problem(
        f"{TERMS_DIR}/{name}",
        "a name that starts with '.' is hidden, so this file is ignored",
        f"rename it to {target} to include it, or move it out of terms/ to keep it as a draft",
    )


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
    declarations = {}
    for file in scan.declarations:
        declared, found = _parsed(file, now, last)
        problems += found
        if declared is not None:
            declarations[PurePosixPath(file.path).name] = declared
    translations = []
    for file in scan.translation_files:
        translation, found = _parsed(file, now, last)
        problems += found
        if translation is not None:
            translations.append(translation)
    if parsed is not None:
        parsed.clear()
        parsed.update(now)  # only this glossary's files: a deleted one is forgotten
    term_files = tuple(file.path for file in scan.term_files)
    return LoadedSources(
        tuple(documents),
        categories,
        tuple(problems),
        term_files,
        declarations,
        scan.history,
        tuple(translations),
    )


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
