"""Stage 5, render: a linked glossary and its figures in, Markdown pages out (as strings).

Templates live in ``generator/templates/``; the Jinja environment is strict (an undefined name is
an error, not an empty string). Markdown fields from term files are inserted as written; every
plain-text field goes through the ``plain`` filter so it can never become markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import jinja2

from generator.figures import RenderedFigure
from generator.link import LinkedGlossary, tag_key
from generator.mentions import link_term_text
from generator.model import Term

HOME_FRAGMENT = "_home-index.md"  # included into docs/index.md by pymdownx.snippets
MORE_IN_CATEGORY = 10
# "$" would start math (pymdownx.arithmatex); "(" stays as is, since "\(" would start it too.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}#+!|~$])")


@dataclass(frozen=True)
class FigureView:
    """What a term page needs to show one figure."""

    light_name: str
    dark_name: str
    alt: str
    caption: str


def render_pages(
    linked: LinkedGlossary, figures: Mapping[tuple[str, int], RenderedFigure]
) -> dict[str, str]:
    """Every generated page, keyed by its path relative to the generated directory."""
    env = _environment()
    categories = {c.key: c for c in linked.categories}
    pages: dict[str, str] = {}
    term_template = env.get_template("term.md.j2")
    for term in linked.terms:
        views = [
            _figure_view(figures[(term.slug, i)], spec.caption)
            for i, spec in enumerate(term.figures)
        ]
        pages[f"{term.slug}.md"] = term_template.render(
            term=link_term_text(term, linked.mentions, linked.by_slug),
            links=linked.links[term.slug],
            category=categories[term.category],
            figures=views,
            more_in_category=MORE_IN_CATEGORY,
        )
    common = {"terms": linked.terms, "categories": linked.categories, "a_to_z": linked.a_to_z}
    pages["index.md"] = env.get_template("a_to_z_page.md.j2").render(common, prefix="")
    pages[HOME_FRAGMENT] = env.get_template("a_to_z.md.j2").render(common, prefix="glossary/")
    pages["category/index.md"] = env.get_template("categories.md.j2").render(
        common, by_category=linked.by_category
    )
    pages["tags/index.md"] = env.get_template("tags.md.j2").render(tags=linked.tags)
    tag_template = env.get_template("tag.md.j2")
    for tag in linked.tags:
        pages[f"tags/{tag.key}.md"] = tag_template.render(tag=tag)
    category_template = env.get_template("category.md.j2")
    for category in linked.categories:
        pages[f"category/{category.key}.md"] = category_template.render(
            category=category, terms=linked.by_category[category.key]
        )
    return pages


def _figure_view(rendered: RenderedFigure, caption: str) -> FigureView:
    return FigureView(rendered.light_name, rendered.dark_name, rendered.alt, caption)


def plain(text: str) -> str:
    """Escape plain text so Markdown and HTML show it literally."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def term_link(term: Term, prefix: str = "") -> str:
    """A Markdown link to a term page whose title (the hover tooltip) is the term's summary."""
    title = html.escape(term.summary, quote=True)
    return f'[{plain(term.term)}]({prefix}{term.slug}.md "{title}")'


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
        tag_key=tag_key,
    )
    return env
