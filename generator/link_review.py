"""``glossary links``: every automatic link of the glossary, for an author to review.

Each link is printed where its mention is written, with a few words around it:

    terms/accuracy.yaml:10:3: 'confusion matrix' -> confusion-matrix: ...written from the...

A name that links wrongly is fixed in the linked term's file, with its ``autolink`` field (see
CONTRIBUTING.md): false, or the phrases that should link instead of its name and aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.markdown.mentions import AutomaticLink, link_term_text
from generator.model import SourceDocument, Term
from generator.pipeline.build import linked_glossary
from generator.pipeline.build_cache import BuildCache

_CONTEXT = 40  # characters shown on each side of a mention


@dataclass(frozen=True)
class ReviewedLink:
    """One automatic link, located in its term file."""

    source: str
    line: int
    column: int
    written: str
    slug: str
    context: str

    def __str__(self) -> str:
        written = " ".join(self.written.split())
        return (
            f"{self.source}:{self.line}:{self.column}: '{written}' -> {self.slug}: {self.context}"
        )


def automatic_links(root: Path, cache: BuildCache) -> list[ReviewedLink]:
    """Every automatic link that the glossary under ``root`` makes, in file order (raises
    GlossaryError, with every problem, when the glossary does not pass its checks)."""
    linked = linked_glossary(root, cache)
    documents = cache.documents()
    found = []
    for term in linked.terms:
        made: list[AutomaticLink] = []
        link_term_text(term, linked.mentions, linked.by_slug, made=made)
        document = documents.get(term.source)
        found += [_located(term, link, document) for link in made]
    return found


def _located(term: Term, link: AutomaticLink, document: SourceDocument | None) -> ReviewedLink:
    text = _text_of(term, link.field)
    before = text[: link.offset]
    text_line = before.count("\n") + 1
    text_column = link.offset - (before.rfind("\n") + 1) + 1
    line, column = (1, 1)
    if document is not None:
        raw = _raw_value(document, link.field)
        # The term holds the text stripped; the file, as written.
        leading = raw[: len(raw) - len(raw.lstrip())]
        if text_line == 1:
            text_column += len(leading) - (leading.rfind("\n") + 1)
        text_line += leading.count("\n")
        line, column = document.text_position(link.field, text_line, text_column)
    start = max(0, link.offset - _CONTEXT)
    end = link.offset + len(link.written) + _CONTEXT
    context = " ".join(text[start:end].split())
    context = ("..." if start > 0 else "") + context + ("..." if end < len(text) else "")
    return ReviewedLink(term.source, line, column, link.written, link.slug, context)


def _text_of(term: Term, field: tuple[str | int, ...]) -> str:
    """The text of ``term`` at ``field``, as the linker read it."""
    name = field[0]
    if name == "examples":
        return term.examples[int(field[1])]
    if name == "faq":
        return term.faq[int(field[1])].a
    if name == "symbols":
        return term.symbols[int(field[1])].meaning
    value = getattr(term, str(name), None) if name in ("definition", "explanation") else None
    return value if isinstance(value, str) else term.section_text(str(name)) or ""


def _raw_value(document: SourceDocument, field: tuple[str | int, ...]) -> str:
    value: object = document.data
    for key in field:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return ""
    return value if isinstance(value, str) else ""
