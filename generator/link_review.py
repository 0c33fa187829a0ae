"""``glossary links``: every automatic link of the glossary, for an author to review.

Each link is printed where its mention is written, with a few words around it:

    terms/accuracy.yaml:10:3: 'confusion matrix' -> confusion-matrix: ...written from the...

A name that links wrongly is fixed in the linked term's file, with its ``autolink`` field (see
CONTRIBUTING.md): false, or the phrases that should link instead of its name and aliases. The
names most likely to, a term's one-word name or alias that is also an everyday English word
("Service", "Host", "Agent"), are listed after the links, in the files of terms that do not set
``autolink`` yet:

    terms/service.yaml:2:7: term: 'Service' is also an everyday English word, so ...
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spellchecker import SpellChecker

from generator.markdown.mentions import AutomaticLink, is_acronym, link_term_text
from generator.model import SourceDocument, Term, field_label
from generator.pipeline.build import linked_glossary
from generator.pipeline.build_cache import BuildCache

_CONTEXT = 40  # characters shown on each side of a mention
# A name is an everyday word when it is among this many most frequent English words (about the
# vocabulary of an adult reader), by pyspellchecker's English word list.
EVERYDAY_VOCABULARY = 20_000


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


@dataclass(frozen=True)
class EverydayName:
    """A term's one-word name or alias that is also an everyday English word, located in its
    term file, with the number of automatic links that the glossary makes to the term."""

    source: str
    line: int
    column: int
    field: str
    name: str
    links: int

    def __str__(self) -> str:
        links = "1 automatic link" if self.links == 1 else f"{self.links} automatic links"
        return (
            f"{self.source}:{self.line}:{self.column}: {self.field}: '{self.name}' is also an "
            "everyday English word, so text that uses it in another sense links here too "
            f"({links} to this term above); if one is wrong, set 'autolink: false', or "
            "'autolink:' with the phrases that should link"
        )


@dataclass(frozen=True)
class LinkReview:
    """What ``glossary links`` prints: every automatic link, then the everyday names."""

    links: list[ReviewedLink]
    everyday_names: list[EverydayName]


def review_links(root: Path, cache: BuildCache) -> LinkReview:
    """Every automatic link that the glossary under ``root`` makes, in file order, and the
    everyday names of the terms whose files do not set ``autolink`` (raises GlossaryError, with
    every problem, when the glossary does not pass its checks)."""
    linked = linked_glossary(root, cache)
    documents = cache.documents()
    found: list[ReviewedLink] = []
    for term in linked.terms:
        made: list[AutomaticLink] = []
        link_term_text(term, linked.mentions, linked.by_slug, made=made)
        document = documents.get(term.source)
        found += [_located(term, link, document) for link in made]
    links_to = Counter(link.slug for link in found)
    everyday = []
    for term in linked.terms:
        document = documents.get(term.source)
        if document is None or (isinstance(document.data, dict) and "autolink" in document.data):
            continue
        for path, name in [(("term",), term.term)] + [
            (("aliases", i), alias) for i, alias in enumerate(term.aliases)
        ]:
            if is_everyday_word(name):
                line, column = document.position(*path)
                label = field_label(path)
                everyday.append(
                    EverydayName(term.source, line, column, label, name, links_to[term.slug])
                )
    return LinkReview(found, everyday)


def is_everyday_word(name: str) -> bool:
    """Whether ``name`` is one word, not an acronym, among the ``EVERYDAY_VOCABULARY`` most
    frequent English words."""
    return name.isalpha() and not is_acronym(name) and name.casefold() in _everyday_words()


@cache
def _everyday_words() -> frozenset[str]:
    frequencies = SpellChecker(language="en", distance=1).word_frequency.dictionary
    by_frequency = sorted(frequencies, key=lambda word: (-frequencies[word], word))
    return frozenset(by_frequency[:EVERYDAY_VOCABULARY])


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
