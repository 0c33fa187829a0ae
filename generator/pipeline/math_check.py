"""The formulas of the term files, typeset with the site's KaTeX at ``glossary check`` time: a
formula KaTeX cannot typeset is a problem located at its line and column in the YAML file,
rather than a red box on the published page.

A check after an edit must stay quick at 10,000 terms, so neither step is repeated for what
did not change: the formulas found in each file are kept by the file's digest (in memory, and
in ``.cache/math/formulas.json`` for the next run), and each formula's verdict by its text and
KaTeX's version (``katex.Typesetter.errors``). Like the verdicts, the found formulas only ever
save work: a cache file brought by a pull request can at worst hide a check's error, which the
build then meets (it typesets every formula again, from the pages).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from generator import schema
from generator.markdown.formulas import find_formulas, line_and_column
from generator.markdown.katex import (
    cache_directory,
    katex_directory,
    katex_missing,
    typesetter_for,
    write_cache_file,
)
from generator.model import Problem, SourceDocument, field_label
from generator.pipeline.checked_file import CheckedFile, FieldPath
from generator.pipeline.validate import markdown_texts

_FOUND_FILE = "formulas.json"
# Where a formula is in its file, as JSON data: [path of its field, offset in the field's text,
# formula's LaTeX, display?]. Kept as read, and checked only for a formula that fails.
_Place = list[Any]
# file path -> [digest of the file's text, the formulas found in it]; kept for the process
_FOUND: dict[Path, dict[str, list[Any]]] = {}


def formula_problems(documents: Iterable[SourceDocument], root: Path) -> list[Problem]:
    """A problem for each formula of ``documents`` that KaTeX cannot typeset."""
    documents = list(documents)
    found = _found_formulas(documents, root)
    if not any(found.values()):
        return []
    katex = katex_directory(root)
    if katex is None:
        return [katex_missing(root)]
    typesetter = typesetter_for(katex)
    formulas = ((place[2], place[3]) for places in found.values() for place in places)
    failed = typesetter.errors(formulas, root)
    if not failed:
        return []
    problems = []
    for document in documents:
        for field, offset, tex, display in found[document.path]:
            result = failed.get((tex, display))
            if result is None:
                continue
            path = tuple(field)
            text = _value(document.data, path)
            at = min(offset + (result.position or 0), len(text))
            line, column = document.text_position(path, *line_and_column(text, at))
            problems.append(
                Problem(
                    document.path,
                    line,
                    column,
                    field_label(path),
                    f"KaTeX cannot typeset this formula: {result.error}",
                    "fix the LaTeX (KaTeX's supported functions: "
                    "https://katex.org/docs/supported); to show a literal '$', write \\$",
                )
            )
    return problems


def _found_formulas(documents: list[SourceDocument], root: Path) -> dict[str, list[_Place]]:
    """The formulas of each document, found again only in a file whose text changed."""
    key = root.resolve()
    directory = cache_directory(root)
    if key not in _FOUND:
        _FOUND[key] = _read_found(directory / _FOUND_FILE) if directory else {}
    known = _FOUND[key]
    now: dict[str, list[Any]] = {}
    for document in documents:
        text = "\n".join(document.lines)
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        last = known.get(document.path)
        if last is not None and last[0] == digest:
            now[document.path] = last
        elif "$" in text or "\\(" in text or "\\[" in text or "formula" in text:
            now[document.path] = [digest, _formulas_of(document)]
        else:
            now[document.path] = [digest, []]
    if now.keys() != known.keys() or any(now[name] is not known[name] for name in now):
        _FOUND[key] = now
        if directory is not None:
            write_cache_file(directory / _FOUND_FILE, now)
    return {path: places for path, (_, places) in now.items()}


def _formulas_of(document: SourceDocument) -> list[_Place]:
    if not isinstance(document.data, dict):
        return []
    places: list[_Place] = []
    formula = document.data.get("formula")
    if isinstance(formula, str) and 0 < len(formula) <= schema.FORMULA_MAX_LENGTH:
        tex = formula.strip()
        if tex:
            places.append([["formula"], len(formula) - len(formula.lstrip()), tex, True])
    for i, item in enumerate(document.data.get("symbols") or []):
        symbol = item.get("symbol") if isinstance(item, dict) else None
        if isinstance(symbol, str) and symbol.strip() and len(symbol) <= schema.SYMBOL_MAX_LENGTH:
            offset = len(symbol) - len(symbol.lstrip())
            places.append([["symbols", i, "symbol"], offset, symbol.strip(), False])
    file = CheckedFile(PurePosixPath(document.path).stem, document, None)
    for path, text in markdown_texts(file):
        places += [[list(path), f.offset, f.tex, f.display] for f in find_formulas(text)]
    return places


def _value(data: Any, path: FieldPath) -> str:
    """The text at ``path`` in a term file's data ('' if there is none: only a cache file that
    was tampered with could say so)."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return ""
    return data if isinstance(data, str) else ""


def _read_found(path: Path) -> dict[str, list[Any]]:
    """The formulas found by an earlier run, for the files whose entry has the right shape;
    anything unreadable reads as none."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {name: entry for name, entry in stored.items() if _well_formed(entry)}


def _well_formed(entry: Any) -> bool:
    """[digest, [[field path, offset, tex, display], ...]], with the types the check uses."""
    if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list)):
        return False
    for place in entry[1]:
        if not (isinstance(place, list) and len(place) == 4):
            return False
        field, offset, tex, display = place
        if not (
            isinstance(field, list)
            and all(type(step) in (str, int) for step in field)
            and type(offset) is int
            and isinstance(tex, str)
            and isinstance(display, bool)
        ):
            return False
    return True
