"""The formulas of the term files, typeset with the site's KaTeX at ``glossary check`` time: a
formula KaTeX cannot typeset is a problem located at its line and column in the YAML file,
rather than a red box on the published page.

A check after an edit must stay quick at 10,000 terms, so neither step is repeated for what
did not change: the formulas found in each file are kept by the file's digest, and each
formula's verdict by its text and KaTeX's version, in a ``MathCache`` that the build cache owns
(and keeps on disk, signed, with the rest of it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator import schema
from generator.markdown.formulas import find_formulas, line_and_column
from generator.markdown.katex import Typesetter, Verdict, katex_directory, katex_missing
from generator.model import Problem, SourceDocument, field_label
from generator.pipeline.checked_file import CheckedFile, FieldPath
from generator.pipeline.validate import markdown_texts

# Where a formula is in its file: the path of its field, its offset in the field's text, its
# LaTeX and whether it is display math.
Place = tuple[FieldPath, int, str, bool]


@dataclass
class MathCache:
    """What the math check keeps for the next run: the formulas found in each term file (by
    path: the digest of the text they were found in, and their places), KaTeX's verdict on each
    formula it checked (by KaTeX's version, then formula), and one typesetter per KaTeX
    installation, which remembers the HTML it made (the preview server builds after every
    save). ``changed`` holds the paths whose entry changed since the cache was last kept."""

    found: dict[str, tuple[str, list[Place]]] = field(default_factory=dict)
    verdicts: dict[str, dict[str, Verdict]] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    verdicts_changed: bool = False
    _typesetters: dict[Path, Typesetter] = field(default_factory=dict, repr=False)

    def typesetter(self, katex: Path) -> Typesetter:
        """The typesetter of the KaTeX installed at ``katex``, the same one for this cache."""
        katex = katex.resolve()
        if katex not in self._typesetters:
            self._typesetters[katex] = Typesetter(katex)
        return self._typesetters[katex]


def formula_problems(
    documents: Iterable[SourceDocument], root: Path, cache: MathCache
) -> list[Problem]:
    """A problem for each formula of ``documents`` that KaTeX cannot typeset; what ``cache``
    knows is not found or typeset again, and what is new is added to it."""
    documents = list(documents)
    found = _found_formulas(documents, cache)
    if not any(found.values()):
        return []
    katex = katex_directory(root)
    if katex is None:
        return [katex_missing(root)]
    typesetter = cache.typesetter(katex)
    verdicts = cache.verdicts.setdefault(typesetter.version, {})
    known = len(verdicts)
    formulas = ((tex, display) for places in found.values() for _, _, tex, display in places)
    failed = typesetter.errors(formulas, verdicts)
    cache.verdicts_changed |= len(verdicts) != known
    if not failed:
        return []
    problems = []
    for document in documents:
        for path, offset, tex, display in found[document.path]:
            result = failed.get((tex, display))
            if result is None:
                continue
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


def _found_formulas(documents: list[SourceDocument], cache: MathCache) -> dict[str, list[Place]]:
    """The formulas of each document, found again only in a file whose text changed."""
    found: dict[str, list[Place]] = {}
    for document in documents:
        text = "\n".join(document.lines)
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        last = cache.found.get(document.path)
        if last is None or last[0] != digest:
            maybe_math = "$" in text or "\\(" in text or "\\[" in text or "formula" in text
            last = (digest, _formulas_of(document) if maybe_math else [])
            cache.found[document.path] = last
            cache.changed.add(document.path)
        found[document.path] = last[1]
    for gone in cache.found.keys() - found.keys():
        del cache.found[gone]
        cache.changed.add(gone)
    return found


def _formulas_of(document: SourceDocument) -> list[Place]:
    if not isinstance(document.data, dict):
        return []
    places: list[Place] = []
    formula = document.data.get("formula")
    if isinstance(formula, str) and 0 < len(formula) <= schema.FORMULA_MAX_LENGTH:
        tex = formula.strip()
        if tex:
            places.append((("formula",), len(formula) - len(formula.lstrip()), tex, True))
    for i, item in enumerate(document.data.get("symbols") or []):
        symbol = item.get("symbol") if isinstance(item, dict) else None
        if isinstance(symbol, str) and symbol.strip() and len(symbol) <= schema.SYMBOL_MAX_LENGTH:
            offset = len(symbol) - len(symbol.lstrip())
            places.append((("symbols", i, "symbol"), offset, symbol.strip(), False))
    file = CheckedFile(PurePosixPath(document.path).stem, document, None)
    for path, text in markdown_texts(file):
        places += [(path, f.offset, f.tex, f.display) for f in find_formulas(text)]
    return places


def _value(data: Any, path: FieldPath) -> str:
    """The text at ``path`` in a term file's data ('' if there is none)."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return ""
    return data if isinstance(data, str) else ""
