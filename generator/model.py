"""The glossary's domain model: plain frozen dataclasses, shared by every stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A location inside a source file: (line, column), both 1-based, as editors count.
Position = tuple[int, int]


def field_label(path: tuple[str | int, ...]) -> str:
    """How a problem names a value: ``("faq", 1, "q")`` becomes ``faq[1].q``."""
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else part)
    return label or "file"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located precisely enough for a contributor to fix it."""

    path: str
    line: int
    column: int
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}; {self.fix}"


class GlossaryError(Exception):
    """Raised with every problem found; the CLI and the MkDocs hook turn it into a clean exit."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class SourceDocument:
    """One YAML file as loaded: its data and the position of every value in it.

    ``positions`` maps a key path such as ``("related", 2)`` or ``("faq", 0, "q")`` to the
    position of that value; ``key_positions`` maps a mapping key's path to the key itself.
    """

    path: str
    data: Any
    positions: Mapping[tuple[str | int, ...], Position]
    key_positions: Mapping[tuple[str | int, ...], Position]
    block_scalars: frozenset[tuple[str | int, ...]] = frozenset()  # values written with |
    lines: tuple[str, ...] = ()  # the file's text, for locating lines inside block scalars

    def position(self, *path: str | int) -> Position:
        """The position of the value at ``path``, or of its nearest located ancestor."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def text_position(self, path: tuple[str | int, ...], text_line: int | None) -> Position:
        """The position of line ``text_line`` (1-based) inside the text value at ``path``.

        Exact for literal block scalars (``|``), whose n-th line is the n-th line after the
        key; other values are located at their start.
        """
        line, column = self.position(*path)
        if text_line is None or path not in self.block_scalars:
            return line, column
        target = line + text_line
        text = self.lines[target - 1] if 0 < target <= len(self.lines) else ""
        return target, len(text) - len(text.lstrip()) + 1

    def key_position(self, *path: str | int) -> Position:
        """The position of the key that introduces ``path`` (falls back to the value)."""
        return self.key_positions.get(path) or self.position(*path)


@dataclass(frozen=True)
class Reference:
    title: str
    authors: tuple[str, ...]
    year: int
    url: str
    venue: str | None = None


@dataclass(frozen=True)
class ExternalLink:
    title: str
    url: str


@dataclass(frozen=True)
class Organization:
    name: str
    note: str | None = None


@dataclass(frozen=True)
class FaqEntry:
    q: str
    a: str


@dataclass(frozen=True)
class FigureSpec:
    kind: str
    caption: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    description: str


@dataclass(frozen=True)
class Term:
    """One validated glossary entry; ``source`` is its file, e.g. ``terms/layer-norm.yaml``."""

    slug: str
    source: str
    term: str
    summary: str
    definition: str
    category: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    explanation: str | None = None
    formula: str | None = None
    examples: tuple[str, ...] = ()
    usage_note: str | None = None
    why_it_matters: str | None = None
    limitations: str | None = None
    faq: tuple[FaqEntry, ...] = ()
    related: tuple[str, ...] = ()
    organizations: tuple[Organization, ...] = ()
    references: tuple[Reference, ...] = ()
    see_also: tuple[ExternalLink, ...] = ()
    figures: tuple[FigureSpec, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """Every validated term (sorted by slug) and the declared categories (in declared order)."""

    terms: tuple[Term, ...]
    categories: tuple[Category, ...]
