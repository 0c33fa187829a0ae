"""One term file after its own checks (``validate``), as the checks across files
(``cross_checks``) read it, and the did-you-mean hint both use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.markdown.mentions import ExplicitLink
from generator.model import Problem, SourceDocument, Term, field_label

FieldPath = tuple[str | int, ...]  # a value's place in a term file, e.g. ("faq", 0, "a")
# A figure's index, its issues as (param, message, fix), the seconds it takes to compute, and
# the budgets of a term and of the build (as the plotting code states them).
FigureFacts = tuple[int, tuple[tuple[Any, str, str], ...], float, float, float]


@dataclass(frozen=True)
class CheckedFile:
    """One term file after its own checks, with its Term when they all passed."""

    slug: str
    document: SourceDocument
    term: Term | None
    # Found with the file's own checks, as they depend on the file alone, for the checks across
    # files (so that a warm run need not import the plotting code, nor scan the texts again):
    # the figures, each explicit link with the path of its text, and the skeleton of each name.
    figures: tuple[FigureFacts, ...] = ()
    links: tuple[tuple[FieldPath, ExplicitLink], ...] = ()
    skeletons: tuple[tuple[str, str], ...] = ()

    def value(self, name: str) -> Any:
        """The raw value of a field, whether or not it passed its own checks."""
        return self.document.data.get(name)

    def items(self, name: str, kind: type) -> list[tuple[int, Any]]:
        """The (index, item) pairs of a list field whose items are of ``kind``."""
        value = self.value(name)
        items = enumerate(value) if isinstance(value, list) else ()
        return [(i, item) for i, item in items if isinstance(item, kind)]


def closest(word: str, candidates: Iterable[str]) -> str:
    """A "did you mean" hint for ``word`` among ``candidates``, or '' when nothing is close."""
    from plots.registry import closest_name  # imported here: a warm run never needs plots

    match = closest_name(word, candidates)
    return f"did you mean '{match}'?" if match else ""


def located_problems(
    document: SourceDocument, found: Iterable[tuple[FieldPath, str, str]]
) -> list[Problem]:
    """Each ``(path, message, fix)`` as a problem at its place in ``document``: a top-level
    field's at its key, any other at its value."""
    return [
        Problem(
            document.path,
            *(document.key_position(*path) if len(path) == 1 else document.position(*path)),
            field_label(path),
            message,
            fix,
        )
        for path, message, fix in found
    ]
