"""The formulas of the term files, typeset with the site's KaTeX at ``glossary check`` time: a
formula KaTeX cannot typeset is a problem located at its line and column in the YAML file,
rather than a red box on the published page. Formulas checked by an earlier run are not
typeset again (see ``katex.Typesetter.errors``), so a check after an edit typesets only the
formulas that changed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from generator import schema
from generator.markdown.formulas import find_formulas, line_and_column
from generator.markdown.katex import (
    Formula,
    katex_directory,
    katex_missing,
    typesetter_for,
)
from generator.model import Problem, SourceDocument, field_label
from generator.pipeline.checked_file import CheckedFile, FieldPath
from generator.pipeline.validate import markdown_texts

# (document, path of the field, the field's text, offset of the formula in it, the formula)
_Place = tuple[SourceDocument, FieldPath, str, int, Formula]


def formula_problems(documents: Iterable[SourceDocument], root: Path) -> list[Problem]:
    """A problem for each formula of ``documents`` that KaTeX cannot typeset."""
    places = [place for document in documents for place in _formulas_of(document)]
    if not places:
        return []
    katex = katex_directory(root)
    if katex is None:
        return [katex_missing(root)]
    typesetter = typesetter_for(katex)
    failed = typesetter.errors((formula for *_, formula in places), root)
    problems = []
    for document, path, text, offset, formula in places:
        result = failed.get(formula)
        if result is None:
            continue
        at = offset + (result.position or 0) if result.position is not None else offset
        at = min(at, len(text))
        line, column = document.text_position(path, *line_and_column(text, at))
        problems.append(
            Problem(
                document.path,
                line,
                column,
                field_label(path),
                f"KaTeX cannot typeset this formula: {result.error}",
                "fix the LaTeX (KaTeX's supported functions: https://katex.org/docs/supported); "
                "to show a literal '$', write \\$",
            )
        )
    return problems


def _formulas_of(document: SourceDocument) -> list[_Place]:
    if not isinstance(document.data, dict):
        return []
    file = CheckedFile(PurePosixPath(document.path).stem, document, None)
    places: list[_Place] = []
    formula = document.data.get("formula")
    if isinstance(formula, str) and 0 < len(formula) <= schema.FORMULA_MAX_LENGTH:
        tex = formula.strip()
        if tex:
            offset = len(formula) - len(formula.lstrip())
            places.append((document, ("formula",), formula, offset, (tex, True)))
    for path, text in markdown_texts(file):
        for found in find_formulas(text):
            places.append((document, path, text, found.offset, (found.tex, found.display)))
    return places
