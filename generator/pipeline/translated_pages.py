"""Stage 5, render, for the translations: the pages of each language, ``<code>/...``.

A language has a page per translated term (``<code>/glossary/<slug>.md``, made with the English
term page's template and the language's words, ``interface_text``), a home page listing its
terms (``<code>/index.md``) and a translation-status page (``<code>/status.md``).

Untranslated terms are left out of a language's pages: its home page lists only its translated
terms, and says that the others are in English; a link from a translated page to a term with no
translation leads to the English page. The categories and tags pages stay English.
A field a translation leaves out is shown in English, marked as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator import schema
from generator.markdown.mentions import link_term_text
from generator.markdown.term_links import link_definitions
from generator.model import Category, Language, Term, Translation
from generator.pipeline.interface_text import interface_text
from generator.pipeline.link import LinkedGlossary, TermLinks
from generator.pipeline.render import (
    _environment,
    _figure_view,
    _ShownLinks,
    _with_figures,
)
from generator.pipeline.translations import LanguageStatus, language_status

if TYPE_CHECKING:
    from generator.pipeline.figures import RenderedFigure

# From a language's term page (<code>/glossary/<slug>.md) to the English glossary.
TO_ENGLISH = "../../glossary/"


def render_translated_pages(
    linked: LinkedGlossary,
    figures: Mapping[tuple[str, int], RenderedFigure],
    has_home: bool = True,
) -> dict[str, str]:
    """Every page of every declared language, keyed by its path in docs/ (``de/index.md``)."""
    pages: dict[str, str] = {}
    glossary = linked.glossary
    categories = {c.key: c for c in linked.categories}
    for language in glossary.languages:
        pages_of = _LanguagePages.of(linked, language)
        for translation in pages_of.mine.values():
            page = _term_page(linked, figures, categories, translation, pages_of, has_home)
            pages[f"{language.code}/glossary/{translation.slug}.md"] = page
        status = language_status(linked.terms, glossary.translations, language)
        pages[f"{language.code}/index.md"] = _language_home(linked, language, pages_of)
        pages[f"{language.code}/status.md"] = _status_page(linked, status, pages_of.words)
    return pages


@dataclass(frozen=True)
class _LanguagePages:
    """What every page of one language needs of the glossary, made once per language: its
    translations by slug and in alphabetical order, each term as its pages show it (translated
    where it can be), its words, and where each term link leads from a term page and from the
    language's top pages."""

    mine: Mapping[str, Translation]
    order: tuple[Translation, ...]
    shown: Mapping[str, Term]
    words: Mapping[str, str]
    from_term_pages: Mapping[str, tuple[str, str]]
    from_top_pages: Mapping[str, tuple[str, str]]

    @classmethod
    def of(cls, linked: LinkedGlossary, language: Language) -> _LanguagePages:
        translations = linked.glossary.translations
        mine = {t.slug: t for t in translations if t.language == language.code}
        return cls(
            mine=mine,
            order=tuple(sorted(mine.values(), key=lambda t: (t.term.term.casefold(), t.slug))),
            shown={**linked.by_slug, **{slug: t.term for slug, t in mine.items()}},
            words=interface_text(language.code),
            from_term_pages=_link_targets(linked, mine, "", TO_ENGLISH),
            from_top_pages=_link_targets(linked, mine, "glossary/", "../glossary/"),
        )


def _term_page(
    linked: LinkedGlossary,
    figures: Mapping[tuple[str, int], RenderedFigure],
    categories: Mapping[str, Category],
    translation: Translation,
    language: _LanguagePages,
    has_home: bool,
) -> str:
    english = linked.by_slug[translation.slug]
    term = translation.term
    words = language.words
    views = tuple(
        replace(
            _figure_view(figures[(english.slug, i)], spec.caption, spec.section),
            alt=spec.caption,  # the plotting code describes its figures in English
        )
        for i, spec in enumerate(term.figures)
    )
    linked_term, after = _with_figures(
        link_term_text(term, linked.mentions, language.shown),
        views,
        f"{TO_ENGLISH}figures/",
        words["figure"],
    )
    shown_in_english = frozenset(
        name
        for name in _optional_texts()
        if name not in translation.translated and _has(english, name)
    )
    page = (
        _environment()
        .get_template("term.md.j2")
        .render(
            term=linked_term,
            links=_translated_links(linked.links[english.slug], translation, language),
            category=categories[english.category],
            figures_after=after,
            has_home=has_home,
            a_to_z="../index.md",
            t=words,
            glossary_dir=TO_ENGLISH,
            home="../index.md",
            english=shown_in_english,
            extra_names=(english.term,) if english.term != term.term else (),
        )
    )
    return link_definitions(page, language.from_term_pages)


def _optional_texts() -> tuple[str, ...]:
    """The translatable fields a term page shows as sections of their own, whose English text
    a translation may leave in place."""
    return ("explanation", "examples", "faq", *(spec.name for spec in schema.section_fields()))


def _has(term: Term, name: str) -> bool:
    if name in ("explanation", "examples", "faq"):
        return bool(getattr(term, name))
    return term.section_text(name) is not None


def _translated_links(
    links: TermLinks, translation: Translation, language: _LanguagePages
) -> _ShownLinks:
    """What a translated page lists of the other terms: as the English page does, each in
    its language where it has a translation; previous and next among its language's terms."""

    def swap_all(terms: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(language.shown[t.slug] for t in terms)

    shown = _ShownLinks.of(links)
    order = language.order
    at = order.index(translation)
    return replace(
        shown,
        related=swap_all(shown.related),
        backlinks=swap_all(shown.backlinks),
        same_category=swap_all(shown.same_category),
        previous=order[at - 1].term if at > 0 else None,
        next=order[at + 1].term if at + 1 < len(order) else None,
    )


def _link_targets(
    linked: LinkedGlossary,
    mine: Mapping[str, Translation],
    translated_dir: str,
    english_dir: str,
) -> dict[str, tuple[str, str]]:
    """Where each term link leads, with the summary it shows: to the translated page of a term
    translated in the language (in ``translated_dir`` from the linking page), else to the
    English page."""
    targets = {term.slug: (english_dir, term.summary) for term in linked.terms}
    for slug, translation in mine.items():
        targets[slug] = (translated_dir, translation.term.summary)
    return targets


def _language_home(linked: LinkedGlossary, language: Language, pages: _LanguagePages) -> str:
    terms = [t.term for t in pages.order]
    page = (
        _environment()
        .get_template("language_home.md.j2")
        .render(
            language=language,
            t=pages.words,
            terms=terms,
            english_terms={t.slug: linked.by_slug[t.slug].term for t in terms},
            total=len(linked.terms),
        )
    )
    return link_definitions(page, pages.from_top_pages)


def _status_page(linked: LinkedGlossary, status: LanguageStatus, words: Mapping[str, str]) -> str:
    mine = {t.slug: t for t in (*status.current, *status.outdated)}
    page = (
        _environment()
        .get_template("translation_status.md.j2")
        .render(status=status, t=words, total=len(linked.terms))
    )
    return link_definitions(page, _link_targets(linked, mine, "glossary/", "../glossary/"))
