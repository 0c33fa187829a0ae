"""Stage 5, render: a linked glossary and its figures in, Markdown pages out (as strings).

Templates live in ``generator/templates/``; the Jinja environment is strict (an undefined name is
an error, not an empty string). Markdown fields from term files are inserted as written; every
plain-text field goes through the ``plain`` filter so it can never become markup.

An index too long for one page (the A-Z, a category, a tag) becomes a page of letters linking to
one page per letter, or more for a letter with many entries, so that no page lists more than
``LIST_PAGE_LIMIT`` entries.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator.markdown.mentions import link_term_text, names_of
from generator.markdown.term_links import markdown_link, plain, with_link_definitions
from generator.model import Category, Term
from generator.pipeline.interface_text import ENGLISH
from generator.pipeline.link import IndexEntry, LinkedGlossary, TermLinks, index_letter, tag_key
from generator.pipeline.page_sections import (
    DEFAULT_FIELD,
    Place,
    figure_places,
    page_order,
    with_figures,
)

if TYPE_CHECKING:  # figures imports the plotting code, which a warm run never needs
    from generator.pipeline.figures import RenderedFigure

HOME_FRAGMENT = "_home.md"  # included into docs/index.md by pymdownx.snippets
A_TO_Z_DIR = "a-z"  # glossary/a-z/<letter>.md, when the A-Z index is split by letter
MORE_IN_CATEGORY = 10
KEY_TERMS = 4  # on a category's card on the home page: those the most other terms relate to
RECENT_TERMS = 8  # the terms changed last, on the home page
# An index with more entries than this is split into one page per letter.
LIST_PAGE_LIMIT = 500
# A link to a term is built once per build and then reused on every page that shows it.
_CACHED = 1 << 17
# What an English term page says and links to around its term (a translated page says it in
# its language: see ``translated_pages``).
ENGLISH_PAGE: Mapping[str, Any] = {
    "t": ENGLISH,
    "glossary_dir": "",
    "home": "../index.md",
    "english": frozenset(),
    "extra_names": (),
}


@dataclass(frozen=True)
class FigureView:
    """What a term page needs to show one figure; ``width`` and ``height`` in CSS pixels (so
    that the page keeps its place while the image loads), None when the SVG does not say."""

    light_name: str
    dark_name: str
    alt: str
    caption: str
    width: int | None = None
    height: int | None = None
    section: str | None = None


@dataclass(frozen=True)
class LetterPage:
    """One page of an index split by letter: ``<anchor>.md`` lists ``entries``, those under
    ``letter``, or some of them: then ``label`` gives their guide words."""

    letter: str
    label: str
    anchor: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class LetterLink:
    """A letter of an index split by letter: its first page, and how many entries it has."""

    letter: str
    anchor: str
    count: int


_Targets = tuple[tuple[str, str, str], ...]  # (slug, name, summary) of each term linked


@dataclass
class RenderedPages:
    """The term pages of the last render, and a digest of the names they were linked with
    (the mention index is made of them): a page whose inputs are the same is not rendered
    again. Owned by the caller's ``BuildCache``."""

    pages: dict[str, _RenderedPage] = field(default_factory=dict)
    names: bytes = b""
    # A digest of each term file (by path), set by the caller before a render: a term is made
    # from its file alone, so the digest stands for the term (else the term's ``repr`` does).
    sources: Mapping[str, bytes] = field(default_factory=dict)

    def stored(self) -> tuple[bytes, dict[str, tuple[bytes, _Targets, bytes]]]:
        """These pages as plain data, for the build cache on disk (see ``cache_store``): what
        each page was rendered from, and a digest of the page, which is the generated file
        ``<slug>.md``."""
        pages = {
            slug: (p.inputs, p.targets, p.digest or _digest_of(p.page.encode("utf-8")))
            for slug, p in self.pages.items()
        }
        return self.names, pages

    @classmethod
    def from_store(cls, stored: Any, out_dir: Path) -> RenderedPages:
        """The inverse of ``stored``, reading each page from ``out_dir``: a page whose file is
        not what was rendered is left out, and rendered again (raises ValueError, TypeError...
        on other data)."""
        names, stored_pages = stored
        directory = os.fspath(out_dir)
        pages = {}
        for slug, (inputs, targets, digest) in stored_pages.items():
            try:
                with open(os.path.join(directory, f"{slug}.md"), "rb") as file:
                    content = file.read()
            except OSError:
                continue
            if _digest_of(content) == digest:
                pages[slug] = _RenderedPage(inputs, targets, content.decode("utf-8"), digest)
        return cls(pages, bytes(names))


def render_pages(
    linked: LinkedGlossary,
    figures: Mapping[tuple[str, int], RenderedFigure],
    last: RenderedPages | None = None,
    has_home: bool = True,
) -> dict[str, str]:
    """Every generated page, keyed by its path relative to the generated directory; ``last``
    (updated to this render) saves rendering the term pages that did not change. ``has_home``:
    whether the site has a home page (docs/index.md) for a term page's breadcrumbs to start
    from; else they start from the A-Z index."""
    env = _environment()
    summaries = {term.slug: term.summary for term in linked.terms}
    indexes = {
        HOME_FRAGMENT: _home_fragment(env, linked),
        **_a_to_z_pages(env, linked),
        **_category_pages(env, linked),
        **_tag_pages(env, linked),
    }
    return {
        **_term_pages(
            linked,
            figures,
            summaries,
            last if last is not None else RenderedPages(),
            _Around(has_home, _a_to_z_is_split(linked)),
        ),
        **{path: with_link_definitions(page, summaries) for path, page in indexes.items()},
    }


@dataclass(frozen=True)
class _Around:
    """What a term page links to around itself that depends on the site, not on the terms."""

    has_home: bool
    a_to_z_split: bool

    def a_to_z(self, term: Term) -> str:
        """The place of ``term``'s letter in the A-Z index."""
        anchor = _letter_anchor(index_letter(term.term))
        return f"{A_TO_Z_DIR}/{anchor}.md" if self.a_to_z_split else f"index.md#{anchor}"


def _term_pages(
    linked: LinkedGlossary,
    figures: Mapping[tuple[str, int], RenderedFigure],
    summaries: Mapping[str, str],
    last_render: RenderedPages,
    around: _Around,
) -> dict[str, str]:
    """The page of each term: ``<slug>.md``.

    A page whose inputs are those of ``last_render`` is not rendered again: a preview server
    rebuilds after every save, and most pages are as they were.
    """
    template = _environment().get_template("term.md.j2")
    categories = {c.key: c for c in linked.categories}
    names = _digest(names_of(linked.terms))
    same_index = last_render.names == names  # then the mention index is the same too
    pages = {}
    rendered: dict[str, _RenderedPage] = {}
    for term in linked.terms:
        slug, links = term.slug, linked.links[term.slug]
        views = tuple(
            _figure_view(figures[(term.slug, i)], spec.caption, spec.section)
            for i, spec in enumerate(term.figures)
        )
        shown = _shown(links)
        source = last_render.sources.get(term.source) or repr(term)
        a_to_z = around.a_to_z(term)
        inputs = _digest((source, shown, categories[term.category], views, around.has_home, a_to_z))
        last = last_render.pages.get(slug)
        if (
            same_index
            and last is not None
            and last.inputs == inputs
            and last.targets_unchanged(linked)
        ):
            pages[f"{slug}.md"], rendered[slug] = last.page, last
            continue
        targets: set[str] = set()
        linked_term, after = _with_figures(
            link_term_text(term, linked.mentions, linked.by_slug, targets), views
        )
        page = template.render(
            term=linked_term,
            links=_ShownLinks.of(links),
            category=categories[term.category],
            figures_after=after,
            has_home=around.has_home,
            a_to_z=a_to_z,
            **ENGLISH_PAGE,
        )
        page = with_link_definitions(page, summaries)
        rendered[slug] = _RenderedPage(inputs, _names(linked, targets), page)
        pages[f"{slug}.md"] = page
    last_render.pages = rendered  # only this glossary's terms: a deleted one is forgotten
    last_render.names = names
    return pages


def _digest(inputs: object) -> bytes:
    """A digest of what a page is rendered from, by its ``repr``: the same digest for the same
    terms, names, captions... whichever process rendered them (the templates are code: a change
    to them is a new version of the tool, see ``cache_store``)."""
    return _digest_of(repr(inputs).encode())


def _digest_of(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=16).digest()


@dataclass(frozen=True)
class _RenderedPage:
    """A term page as last rendered, with a digest of what it was rendered from."""

    inputs: bytes
    targets: _Targets
    page: str
    digest: bytes = b""  # of the page, when known (see ``RenderedPages.stored``)

    def targets_unchanged(self, linked: LinkedGlossary) -> bool:
        return self.targets == _names(linked, {slug for slug, _, _ in self.targets})


@dataclass(frozen=True)
class _ShownLinks:
    """The other terms a term page lists, each once: its related terms as cards, then the
    terms that name it as related (Referenced by), then its nearest neighbours in its category
    (More in ...), each list without the terms of the lists before it."""

    related: tuple[Term, ...]
    backlinks: tuple[Term, ...]
    same_category: tuple[Term, ...]
    category_size: int  # the terms of its category, itself included
    previous: Term | None
    next: Term | None

    @classmethod
    def of(cls, links: TermLinks) -> _ShownLinks:
        related = {term.slug for term in links.related}
        backlinks = tuple(t for t in links.backlinks if t.slug not in related)
        shown = related | {term.slug for term in backlinks}
        nearest = links.same_category.nearest(MORE_IN_CATEGORY)
        same_category = tuple(t for t in nearest if t.slug not in shown)
        size = len(links.same_category) + 1
        return cls(links.related, backlinks, same_category, size, links.previous, links.next)


def _shown(links: TermLinks) -> tuple[object, ...]:
    """What a term page shows of the terms it lists: their names and summaries."""
    shown = _ShownLinks.of(links)
    listed = (
        shown.related,
        shown.backlinks,
        shown.same_category,
        tuple(t for t in (shown.previous, shown.next) if t is not None),
    )
    return (
        *(tuple((t.slug, t.term, t.summary) for t in terms) for terms in listed),
        shown.previous is None,
        shown.category_size,
    )


def _with_figures(
    term: Term,
    views: tuple[FigureView, ...],
    figure_dir: str = "figures/",
    label: str = ENGLISH["figure"],
) -> tuple[Term, dict[str, str]]:
    """``term`` with its figures in the texts they illustrate, numbered in the order of the
    page, and the figures that go at the end of a section (by field) outside its text; the
    figures' images are in ``figure_dir``, and ``label`` numbers each ('Figure {number}: ')."""
    if not views:
        return term, {}
    texts: dict[str, str | None] = {
        "definition": term.definition,
        "formula": term.formula,
        "explanation": term.explanation,
        "examples": "\n".join(term.examples) or None,
        **{section.name: section.text for section in term.sections},
    }
    places = figure_places({name: text for name, text in texts.items() if text is not None})
    default = Place(DEFAULT_FIELD)
    where = [
        places.get(view.section.casefold(), ("", default))[1] if view.section else default
        for view in views
    ]
    blocks: dict[str, dict[int | None, list[str]]] = {}
    for number, index in enumerate(page_order(where, texts), start=1):
        place = where[index]
        by_heading = blocks.setdefault(place.field, {})
        figure = _figure_markdown(views[index], number, figure_dir, label)
        by_heading.setdefault(place.heading, []).append(figure)
    after = {name: "\n\n".join(found.pop(None)) for name, found in blocks.items() if None in found}
    explanation = term.explanation
    if explanation is not None and blocks.get("explanation"):
        explanation = with_figures(explanation, blocks["explanation"])
    sections = tuple(
        replace(section, text=with_figures(section.text, blocks[section.name]))
        if blocks.get(section.name)
        else section
        for section in term.sections
    )
    definition = term.definition
    if blocks.get("definition"):
        definition = with_figures(definition, blocks["definition"])
    return replace(term, definition=definition, explanation=explanation, sections=sections), after


def _figure_markdown(view: FigureView, number: int, figure_dir: str, label: str) -> str:
    """A numbered figure, as Markdown in HTML: its light and dark images (Material shows the one
    of the palette), each a link to the image alone, which the site's figure viewer opens."""
    size = f' width="{view.width}" height="{view.height}"' if view.width and view.height else ""
    images = "\n".join(
        f"  [![{plain(view.alt)}]({figure_dir}{name}#only-{scheme}){{{size} loading=lazy }}]"
        f"({figure_dir}{name}){{ .glossary-figure__open }}"
        for name, scheme in ((view.light_name, "light"), (view.dark_name, "dark"))
    )
    return (
        f'<figure class="glossary-figure" id="figure-{number}" markdown="span">\n'
        f"{images}\n"
        f'  <figcaption markdown="span">{label.format(number=number)}{plain(view.caption)}'
        "</figcaption>\n"
        "</figure>"
    )


def _names(linked: LinkedGlossary, slugs: set[str]) -> tuple[tuple[str, str, str], ...]:
    terms = (linked.by_slug.get(slug) for slug in sorted(slugs))
    return tuple((t.slug, t.term, t.summary) for t in terms if t is not None)


@dataclass(frozen=True)
class CategoryCard:
    """A category on the home page: how many terms it has, and its key terms."""

    category: Category
    count: int
    key_terms: tuple[Term, ...]


def _home_fragment(env: jinja2.Environment, linked: LinkedGlossary) -> str:
    """The generated part of the home page: the reading path, a card per category with its
    key terms (those most often listed as related), and the terms changed last. Drafts are
    left out of these lists (the categories still count them)."""
    cited = {slug: len(links.backlinks) for slug, links in linked.links.items()}
    cards = [
        CategoryCard(
            category,
            len(terms),
            tuple(sorted(_finished(terms), key=lambda t: -cited[t.slug])[:KEY_TERMS]),
        )  # sorted() is stable: terms cited as often stay in order of name
        for category in linked.categories
        if (terms := linked.by_category[category.key])
    ]
    dates = linked.glossary.dates
    dated = sorted(
        ((term, dates[term.slug]) for term in _finished(linked.terms) if term.slug in dates),
        key=lambda pair: (pair[0].term.casefold(), pair[0].slug),
    )
    recent = sorted(dated, key=lambda pair: pair[1].updated_at, reverse=True)  # stable: by name
    start_here = [linked.by_slug[slug] for slug in linked.glossary.start_here]
    return env.get_template("home.md.j2").render(
        start_here=_finished(start_here),
        cards=cards,
        term_count=len(linked.terms),
        recent=recent[:RECENT_TERMS],
    )


def _finished(terms: Sequence[Term]) -> list[Term]:
    return [term for term in terms if term.status != "draft"]


def _a_to_z_pages(env: jinja2.Environment, linked: LinkedGlossary) -> dict[str, str]:
    """The A-Z index (index.md): the whole list while it is short, else links to a page per
    letter (a-z/<letter>.md)."""
    common = {"terms": linked.terms, "categories": linked.categories, "a_to_z": linked.a_to_z}
    if not _a_to_z_is_split(linked):
        return {
            "index.md": env.get_template("a_to_z_page.md.j2").render(
                common, prefix="", letter_pages=()
            ),
        }
    letters = _letter_pages(linked.a_to_z)
    pages = {
        "index.md": env.get_template("a_to_z_page.md.j2").render(
            common, letter_pages=letters, letters=_letter_links(letters)
        ),
    }
    pages.update(
        _render_letter_pages(
            env, letters, A_TO_Z_DIR, "A\u2013Z index", "Glossary terms and aliases", "../index.md"
        )
    )
    return pages


def _category_pages(env: jinja2.Environment, linked: LinkedGlossary) -> dict[str, str]:
    pages = {
        "category/index.md": env.get_template("categories.md.j2").render(
            categories=linked.categories, by_category=linked.by_category
        )
    }
    template = env.get_template("category.md.j2")
    for category in linked.categories:
        terms = linked.by_category[category.key]
        letters = _split_terms(terms)
        pages[f"category/{category.key}.md"] = template.render(
            category=category, terms=terms, letter_pages=letters, letters=_letter_links(letters)
        )
        pages.update(
            _render_letter_pages(
                env,
                letters,
                f"category/{category.key}",
                category.title,
                f"Glossary terms in {category.title}",
                f"../{category.key}.md",
            )
        )
    return pages


def _tag_pages(env: jinja2.Environment, linked: LinkedGlossary) -> dict[str, str]:
    pages = {"tags/index.md": env.get_template("tags.md.j2").render(tags=linked.tags)}
    template = env.get_template("tag.md.j2")
    for tag in linked.tags:
        letters = _split_terms(tag.terms)
        pages[f"tags/{tag.key}.md"] = template.render(
            tag=tag, letter_pages=letters, letters=_letter_links(letters)
        )
        pages.update(
            _render_letter_pages(
                env,
                letters,
                f"tags/{tag.key}",
                f"Tag: {tag.label}",
                f"Glossary terms tagged {tag.label}",
                f"../{tag.key}.md",
            )
        )
    return pages


def _split_terms(terms: Sequence[Term]) -> tuple[LetterPage, ...]:
    """A list of terms (sorted by name) as pages by letter when it is too long, else ()."""
    if len(terms) <= LIST_PAGE_LIMIT:
        return ()
    sections: dict[str, list[IndexEntry]] = {}
    for term in terms:
        sections.setdefault(index_letter(term.term), []).append(IndexEntry(term.term, term, False))
    return _letter_pages(tuple((letter, tuple(sections[letter])) for letter in sorted(sections)))


def _letter_pages(
    sections: Sequence[tuple[str, tuple[IndexEntry, ...]]],
) -> tuple[LetterPage, ...]:
    """A page per letter (``c.md``); a letter with more entries than ``LIST_PAGE_LIMIT`` gets
    as many pages as it takes (``c.md``, ``c-2.md``, ...), each named by its guide words."""
    pages = []
    for letter, entries in sections:
        anchor = _letter_anchor(letter)
        parts = [
            entries[start : start + LIST_PAGE_LIMIT]
            for start in range(0, len(entries), LIST_PAGE_LIMIT)
        ]
        for number, part in enumerate(parts, start=1):
            label = letter if len(parts) == 1 else _guide_words(part)
            name = anchor if number == 1 else f"{anchor}-{number}"
            pages.append(LetterPage(letter, label, name, part))
    return tuple(pages)


def _letter_links(pages: Sequence[LetterPage]) -> tuple[LetterLink, ...]:
    """Each letter of ``pages`` once, linking to its first page."""
    links: dict[str, LetterLink] = {}
    for page in pages:
        link = links.get(page.letter)
        count = len(page.entries) + (link.count if link else 0)
        links[page.letter] = LetterLink(page.letter, link.anchor if link else page.anchor, count)
    return tuple(links.values())


def _guide_words(entries: Sequence[IndexEntry]) -> str:
    """The first words of a page's first and last entries, as a dictionary heads its pages:
    'Cached-Conditional', with an en dash."""
    first, last = entries[0].label.split()[0], entries[-1].label.split()[0]
    return first if first == last else f"{first}\u2013{last}"


def _render_letter_pages(
    env: jinja2.Environment,
    pages: Sequence[LetterPage],
    directory: str,
    title: str,
    what: str,
    up: str,
) -> dict[str, str]:
    """``directory/<anchor>.md`` for each letter page; ``up`` links back to the letters."""
    template = env.get_template("letter_page.md.j2")
    to_glossary = "../" * (directory.count("/") + 1)
    letters = _letter_links(pages)
    return {
        f"{directory}/{page.anchor}.md": template.render(
            title=f"{title}: {page.label}",
            description=f"{what}, under {page.label}.",
            page=page,
            letters=letters,
            siblings=[other for other in pages if other.letter == page.letter],
            up=up,
            to_glossary=to_glossary,
        )
        for page in pages
    }


def _figure_view(rendered: RenderedFigure, caption: str, section: str | None) -> FigureView:
    width, height = _svg_size(rendered.light_svg)
    return FigureView(
        rendered.light_name, rendered.dark_name, rendered.alt, caption, width, height, section
    )


# The size matplotlib writes on an SVG's root element, in points.
_SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def _svg_size(svg: bytes) -> tuple[int | None, int | None]:
    """An SVG's width and height in CSS pixels (96 per inch, 72 points), or (None, None)."""
    found = _SVG_SIZE.search(svg[:2000])
    if found is None:
        return None, None
    return round(float(found[1]) * 4 / 3), round(float(found[2]) * 4 / 3)


def _a_to_z_is_split(linked: LinkedGlossary) -> bool:
    """Whether the A-Z index is a page per letter (see ``_a_to_z_pages``)."""
    return sum(len(entries) for _, entries in linked.a_to_z) > LIST_PAGE_LIMIT


def term_link(term: Term, prefix: str = "") -> str:
    """A Markdown link to a term page; ``render_pages`` adds its target, with the term's
    summary as its title (the hover tooltip)."""
    return _term_link(term.term, term.slug, prefix)


@lru_cache(maxsize=_CACHED)
def _term_link(name: str, slug: str, prefix: str) -> str:
    return markdown_link(plain(name), slug, prefix)


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _authors(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _front_matter(value: str | list[str]) -> str:
    """A front-matter value as JSON (valid YAML flow syntax), HTML-escaped: MkDocs and Material
    print a page's title, description and tags into the HTML as they are (``<title>``, the
    header, ``<meta name="description" content="...">``, search results)."""
    escaped = [_html_text(v) for v in value] if isinstance(value, list) else _html_text(value)
    return json.dumps(escaped, ensure_ascii=False)


def _html_text(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


def _letter_anchor(letter: str) -> str:
    return letter.lower() if letter.isalpha() else "other"


def _count(number: int) -> str:
    return f"{number:,}"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; escaping is explicit via `plain`
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        plain=plain,
        term_link=term_link,
        url=_url,
        authors=_authors,
        front_matter=_front_matter,
        letter_anchor=_letter_anchor,
        count=_count,
        tag_key=tag_key,
    )
    return env
