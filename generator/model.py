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
        text = f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}; {self.fix}"
        # One problem, one line, even when a message quotes a value that holds line breaks.
        return text.replace("\r", "\\r").replace("\n", "\\n")


class GlossaryError(Exception):
    """Raised with every problem found; the CLI and the MkDocs plugin turn it into a clean exit."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def summary(self) -> str:
        """The closing line under the problems: 'glossary: 3 problems found'."""
        count = len(self.problems)
        return f"glossary: {count} problem{'s' if count != 1 else ''} found"


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
    # Values written with '|' (their n-th line is the n-th line after the key), with the
    # indentation of their lines.
    block_scalars: Mapping[tuple[str | int, ...], int] = field(default_factory=dict)
    # Text values written plainly on one line (their n-th character is on the file's line).
    plain_scalars: frozenset[tuple[str | int, ...]] = frozenset()
    lines: tuple[str, ...] = ()  # the file's text, for locating lines inside block scalars

    def position(self, *path: str | int) -> Position:
        """The position of the value at ``path``, or of its nearest located ancestor."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def text_position(
        self, path: tuple[str | int, ...], text_line: int | None, text_column: int | None = None
    ) -> Position:
        """The position of line ``text_line``, column ``text_column`` (both 1-based) inside the
        text value at ``path``.

        Exact for literal block scalars (``|``), whose n-th line is the n-th line after the key
        (without a column: where that line's text starts), and for one line of plain text;
        other values are located at their start.
        """
        line, column = self.position(*path)
        if text_line is None:
            return line, column
        if path in self.block_scalars:
            target = line + text_line
            if text_column is not None:
                return target, self.block_scalars[path] + text_column
            text = self.lines[target - 1] if 0 < target <= len(self.lines) else ""
            return target, len(text) - len(text.lstrip()) + 1
        if path in self.plain_scalars and text_line == 1 and text_column is not None:
            return line, column + text_column - 1
        return line, column

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
class Symbol:
    """One line of a formula's legend: ``symbol`` (LaTeX) stands for ``meaning`` (Markdown)."""

    symbol: str
    meaning: str


@dataclass(frozen=True)
class FigureSpec:
    kind: str
    caption: str
    params: Mapping[str, Any] = field(default_factory=dict)
    # The heading of the page it is shown under (see ``page_sections``); None: the definition.
    section: str | None = None
    # Where the spec is in its term file, for a problem found only when the figure is drawn.
    position: Position = field(default=(1, 1), compare=False)


@dataclass(frozen=True)
class Section:
    """An optional Markdown field shown as a section of its own (``FieldSpec.section``)."""

    name: str  # the field, e.g. "usage_note"
    title: str  # the section's heading, e.g. "Usage note"
    text: str


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
    symbols: tuple[Symbol, ...] = ()
    examples: tuple[str, ...] = ()
    # The fields with a section of their own that the file fills in, in the schema's order.
    sections: tuple[Section, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    related: tuple[str, ...] = ()
    formerly: tuple[str, ...] = ()  # old slugs, whose addresses redirect to this term's page
    organizations: tuple[Organization, ...] = ()
    references: tuple[Reference, ...] = ()
    see_also: tuple[ExternalLink, ...] = ()
    status: str | None = None  # "draft" or "reviewed"
    reviewed: str | None = None  # YYYY-MM-DD
    figures: tuple[FigureSpec, ...] = ()
    # Which mentions link here: True (name and aliases), False (none), or the phrases.
    autolink: bool | tuple[str, ...] = True

    @property
    def mention_names(self) -> tuple[str, ...]:
        """The names whose mentions in other terms' texts link to this term: its name and
        aliases, or the phrases its ``autolink`` field lists, or none (``autolink: false``)."""
        if self.autolink is True:
            return (self.term, *self.aliases)
        return self.autolink or ()

    def section_text(self, name: str) -> str | None:
        """The text of the section field ``name``, or None when the file leaves it out."""
        return next((section.text for section in self.sections if section.name == name), None)


@dataclass(frozen=True)
class TagDeclaration:
    """A tag of the vocabulary (``terms/_tags.yaml``): its name, as terms write it, and what
    it groups, in one line."""

    name: str
    description: str


@dataclass(frozen=True)
class Language:
    """A language the glossary is translated into, as ``terms/_languages.yaml`` declares it:
    its code (the folder of its translations, ``terms/<code>/``, and of its pages), its name in
    itself, the language of its search (stemming, word segmentation) and its ``hreflang``."""

    code: str
    name: str
    search: str
    hreflang: str


@dataclass(frozen=True)
class Translation:
    """A term in another language: ``terms/<language>/<slug>.yaml`` over the English term.

    ``term`` is the English term with the translated texts in place of the English ones (its
    slug, category, related terms, formulas, figures' kinds and references stay the English
    term's); ``translated`` names the fields the file gives, so that a page can mark the others
    as shown in English; ``outdated`` the fields whose English text changed since the file was
    translated (``glossary translate --current`` records the English it translates)."""

    language: str
    slug: str
    source: str
    term: Term
    translated: frozenset[str]
    outdated: tuple[str, ...] = ()
    stamped: bool = True
    # Where to point a warning about the file: its 'translates' line, or its first line.
    position: Position = field(default=(1, 1), compare=False)


@dataclass(frozen=True)
class TermDates:
    """The dates (YYYY-MM-DD) of the first and the last commit that changed a term's file, and
    the time of the last (seconds since 1970), which orders terms changed on the same day."""

    added: str
    updated: str
    updated_at: int = 0


@dataclass(frozen=True)
class Glossary:
    """Every validated term (sorted by slug) and the declared categories (in declared order),
    with what the glossary declares besides (the tag vocabulary, the home page's reading path,
    the languages of its translations) and the dates of the term files (by slug; none when the
    project has no git history)."""

    terms: tuple[Term, ...]
    categories: tuple[Category, ...]
    tags: tuple[TagDeclaration, ...] = ()
    start_here: tuple[str, ...] = ()
    dates: Mapping[str, TermDates] = field(default_factory=dict)
    # The languages declared besides English, and every valid translation (by language code,
    # then slug).
    languages: tuple[Language, ...] = ()
    translations: tuple[Translation, ...] = ()
