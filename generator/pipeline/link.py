"""Stage 3, link: cross-references between terms, computed once for the whole glossary.

Pure: a validated ``Glossary`` in, a ``LinkedGlossary`` out (related terms resolved, backlinks,
terms by category, the A-Z index of names and aliases, and the index of names that finds the
mentions of terms in each other's text; see ``mentions.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain, islice
from typing import overload

from generator.markdown.as_text import markdown_to_text
from generator.markdown.mentions import MentionIndex
from generator.model import Category, Glossary, Term
from generator.schema import slugify


@dataclass(frozen=True)
class IndexEntry:
    """One line of the A-Z index: a term's name, or one of its aliases pointing to it."""

    label: str
    term: Term
    is_alias: bool


class OtherTerms(Sequence[Term]):
    """The terms of a category but one, by name: a view, not a copy, so that giving every term
    the others of its category costs memory and time in proportion to the glossary, not to the
    glossary times the size of a category."""

    __slots__ = ("_skip", "_terms")

    def __init__(self, terms: tuple[Term, ...], skip: int) -> None:
        self._terms, self._skip = terms, skip  # terms[skip] is the one left out

    def __len__(self) -> int:
        return len(self._terms) - 1

    @overload
    def __getitem__(self, index: int) -> Term: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Term, ...]: ...
    def __getitem__(self, index: int | slice) -> Term | tuple[Term, ...]:
        if isinstance(index, slice):
            return tuple(self._terms[i + (i >= self._skip)] for i in range(len(self))[index])
        i = range(len(self))[index]  # IndexError, negative indexes: as a tuple would
        return self._terms[i + (i >= self._skip)]

    def __iter__(self) -> Iterator[Term]:
        terms = self._terms
        return chain(islice(terms, self._skip), islice(terms, self._skip + 1, None))

    def nearest(self, count: int) -> tuple[Term, ...]:
        """The ``count`` terms nearest by name to the one left out: its page's "More in"
        list. Neighbours, not the first terms of the category, so that a term is in about
        ``count`` such lists (and editing it changes about as many pages) at any size."""
        start = max(0, min(self._skip - count // 2, len(self) - count))
        return self[start : start + count]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"OtherTerms({tuple(self)!r})"


@dataclass(frozen=True)
class TermLinks:
    """What one term page links to besides its own content."""

    related: tuple[Term, ...]
    backlinks: tuple[Term, ...]
    same_category: OtherTerms  # the other terms of its category, by name
    # Its neighbours in the A-Z order of names: the page's "previous" and "next".
    previous: Term | None = None
    next: Term | None = None


@dataclass(frozen=True)
class Tag:
    """A tag and the terms that carry it; ``key`` names its page, glossary/tags/<key>.md."""

    key: str
    label: str  # as written in the term files and declared in terms/_tags.yaml
    terms: tuple[Term, ...]
    description: str = ""  # from terms/_tags.yaml


@dataclass(frozen=True)
class LinkedGlossary:
    glossary: Glossary
    by_slug: Mapping[str, Term]
    links: Mapping[str, TermLinks]
    by_category: Mapping[str, tuple[Term, ...]]
    a_to_z: tuple[tuple[str, tuple[IndexEntry, ...]], ...]
    tags: tuple[Tag, ...]  # sorted by key
    mentions: MentionIndex  # built once: linking a page costs the same for any glossary size

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.glossary.terms

    @property
    def categories(self) -> tuple[Category, ...]:
        return self.glossary.categories


def link(glossary: Glossary, mentions: MentionIndex | None = None) -> LinkedGlossary:
    """Resolve every cross-reference of a validated glossary; ``mentions`` is the index of its
    names, when the caller kept it from a build with the same names. Summaries become plain
    text (``plain_summary``): every page, tooltip and export shows them as text."""
    written = {term.slug: term for term in glossary.terms}
    glossary = replace(
        glossary, terms=tuple(plain_summary(term, written) for term in glossary.terms)
    )
    by_slug = {term.slug: term for term in glossary.terms}
    backlinks: dict[str, list[Term]] = defaultdict(list)
    for term in glossary.terms:
        for slug in term.related:
            backlinks[slug].append(term)
    by_category: dict[str, list[Term]] = defaultdict(list)
    by_name = sorted(glossary.terms, key=_name_key)
    for term in by_name:
        by_category[term.category].append(term)
    in_category = {key: tuple(terms) for key, terms in by_category.items()}
    place = {term.slug: i for terms in in_category.values() for i, term in enumerate(terms)}
    neighbours = {
        term.slug: (
            by_name[i - 1] if i > 0 else None,
            by_name[i + 1] if i + 1 < len(by_name) else None,
        )
        for i, term in enumerate(by_name)
    }
    links = {
        term.slug: TermLinks(
            related=tuple(by_slug[slug] for slug in term.related),
            backlinks=tuple(sorted(backlinks[term.slug], key=_name_key)),
            same_category=OtherTerms(in_category[term.category], place[term.slug]),
            previous=neighbours[term.slug][0],
            next=neighbours[term.slug][1],
        )
        for term in glossary.terms
    }
    return LinkedGlossary(
        glossary=glossary,
        by_slug=by_slug,
        links=links,
        by_category={c.key: in_category.get(c.key, ()) for c in glossary.categories},
        a_to_z=_a_to_z(glossary.terms),
        tags=_tags(glossary.terms, {tag.name: tag.description for tag in glossary.tags}),
        mentions=mentions if mentions is not None else MentionIndex.build(glossary.terms),
    )


# What may make a summary more than plain text: math, a term link, emphasis, an escape.
_MARKUP = re.compile(r"[$\[*_\\<`]")


def plain_summary(term: Term, by_slug: Mapping[str, Term]) -> Term:
    """``term`` with its summary as plain text: the check refuses most Markdown in a summary,
    but math (``$\\sigma^2$`` -> ``σ²``), term links (``[[slug|text]]`` -> ``text``) and
    emphasis would otherwise show as written in tooltips, meta descriptions, JSON-LD and
    ``glossary.json``."""
    if _MARKUP.search(term.summary) is None:
        return term
    return replace(term, summary=" ".join(markdown_to_text(term.summary, by_slug).split()))


def index_letter(label: str) -> str:
    """The A-Z section a label is filed under: its first letter without accents, else '#'."""
    first = unicodedata.normalize("NFKD", label.strip())[:1].upper()[:1]  # 'ß'.upper() == 'SS'
    return first if "A" <= first <= "Z" else "#"


def _a_to_z(terms: tuple[Term, ...]) -> tuple[tuple[str, tuple[IndexEntry, ...]], ...]:
    entries = [IndexEntry(t.term, t, False) for t in terms]
    entries += [IndexEntry(alias, t, True) for t in terms for alias in t.aliases]
    entries.sort(key=lambda e: (e.label.casefold(), e.is_alias, e.term.slug))
    sections: dict[str, list[IndexEntry]] = defaultdict(list)
    for entry in entries:
        sections[index_letter(entry.label)].append(entry)
    return tuple((letter, tuple(sections[letter])) for letter in sorted(sections))


@lru_cache(maxsize=1 << 14)  # a few tags, on every term page and in every index
def tag_key(tag: str) -> str:
    """The page name of a tag: lowercase ASCII letters, digits and hyphens, never 'index'.

    Tags are free text, so "Deep learning" and "deep-learning" share one page.
    """
    key = slugify(tag) or "other"
    return "index-tag" if key == "index" else key  # tags/index.md lists the tags


def _tags(terms: tuple[Term, ...], descriptions: Mapping[str, str]) -> tuple[Tag, ...]:
    labels: dict[str, set[str]] = defaultdict(set)
    tagged: dict[str, dict[str, Term]] = defaultdict(dict)  # tag key -> slug -> term
    for term in terms:
        for tag in term.tags:
            labels[tag_key(tag)].add(tag)
            tagged[tag_key(tag)][term.slug] = term
    return tuple(
        Tag(
            key,
            min(labels[key]),
            tuple(sorted(tagged[key].values(), key=_name_key)),
            descriptions.get(min(labels[key]), ""),
        )
        for key in sorted(labels)
    )


def _name_key(term: Term) -> tuple[str, str]:
    return term.term.casefold(), term.slug
