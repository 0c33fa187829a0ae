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
from dataclasses import replace
from typing import TYPE_CHECKING

from generator import schema
from generator.markdown.mentions import link_term_text
from generator.markdown.term_links import link_definitions
from generator.model import Language, Term, Translation
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
    for language in glossary.languages:
        mine = {t.slug: t for t in glossary.translations if t.language == language.code}
        words = interface_text(language.code)
        for translation in mine.values():
            page = _term_page(linked, figures, translation, mine, words, has_home)
            pages[f"{language.code}/glossary/{translation.slug}.md"] = page
        status = language_status(linked.terms, glossary.translations, language)
        pages[f"{language.code}/index.md"] = _language_home(linked, language, mine, words)
        pages[f"{language.code}/status.md"] = _status_page(linked, status, words)
    return pages


def _term_page(
    linked: LinkedGlossary,
    figures: Mapping[tuple[str, int], RenderedFigure],
    translation: Translation,
    mine: Mapping[str, Translation],
    words: Mapping[str, str],
    has_home: bool,
) -> str:
    english = linked.by_slug[translation.slug]
    term = translation.term
    views = tuple(
        replace(
            _figure_view(figures[(english.slug, i)], spec.caption, spec.section),
            alt=spec.caption,  # the plotting code describes its figures in English
        )
        for i, spec in enumerate(term.figures)
    )
    by_slug = {**linked.by_slug, **{slug: t.term for slug, t in mine.items()}}
    linked_term, after = _with_figures(
        link_term_text(term, linked.mentions, by_slug),
        views,
        f"{TO_ENGLISH}figures/",
        words["figure"],
    )
    shown_in_english = frozenset(
        name
        for name in _optional_texts()
        if name not in translation.translated and _has(english, name)
    )
    categories = {c.key: c for c in linked.categories}
    page = (
        _environment()
        .get_template("term.md.j2")
        .render(
            term=linked_term,
            links=_translated_links(linked.links[english.slug], translation, mine),
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
    return _with_definitions(page, linked, mine, "", TO_ENGLISH)


def _optional_texts() -> tuple[str, ...]:
    """The translatable fields a term page shows as sections of their own, whose English text
    a translation may leave in place."""
    return ("explanation", "examples", "faq", *(spec.name for spec in schema.section_fields()))


def _has(term: Term, name: str) -> bool:
    if name in ("explanation", "examples", "faq"):
        return bool(getattr(term, name))
    return term.section_text(name) is not None


def _translated_links(
    links: TermLinks, translation: Translation, mine: Mapping[str, Translation]
) -> _ShownLinks:
    """What a translated page lists of the other terms: as the English page does, each in
    its language where it has a translation; previous and next among its language's terms."""

    def swap_all(terms: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(mine[t.slug].term if t.slug in mine else t for t in terms)

    shown = _ShownLinks.of(links)
    order = sorted(mine.values(), key=lambda t: (t.term.term.casefold(), t.slug))
    at = order.index(translation)
    return replace(
        shown,
        related=swap_all(shown.related),
        backlinks=swap_all(shown.backlinks),
        same_category=swap_all(shown.same_category),
        previous=order[at - 1].term if at > 0 else None,
        next=order[at + 1].term if at + 1 < len(order) else None,
    )


def _with_definitions(
    page: str,
    linked: LinkedGlossary,
    mine: Mapping[str, Translation],
    translated_dir: str,
    english_dir: str,
) -> str:
    """``page`` with its term links defined: to the translated page of a term translated in
    its language (in ``translated_dir`` from the page), else to the English page."""
    targets = {term.slug: (english_dir, term.summary) for term in linked.terms}
    for slug, translation in mine.items():
        targets[slug] = (translated_dir, translation.term.summary)
    return link_definitions(page, targets)


def _language_home(
    linked: LinkedGlossary,
    language: Language,
    mine: Mapping[str, Translation],
    words: Mapping[str, str],
) -> str:
    terms = sorted((t.term for t in mine.values()), key=lambda t: (t.term.casefold(), t.slug))
    page = (
        _environment()
        .get_template("language_home.md.j2")
        .render(
            language=language,
            t=words,
            terms=terms,
            english_terms={t.slug: linked.by_slug[t.slug].term for t in terms},
            total=len(linked.terms),
        )
    )
    return _with_definitions(page, linked, mine, "glossary/", "../glossary/")


def _status_page(linked: LinkedGlossary, status: LanguageStatus, words: Mapping[str, str]) -> str:
    mine = {t.slug: t for t in (*status.current, *status.outdated)}
    page = (
        _environment()
        .get_template("translation_status.md.j2")
        .render(status=status, t=words, total=len(linked.terms))
    )
    return _with_definitions(page, linked, mine, "glossary/", "../glossary/")
