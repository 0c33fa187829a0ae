"""Machine-readable exports: ``glossary.json``, its JSON Schema, and each term page's JSON-LD.

Pure: data in, bytes or text out; the MkDocs plugin writes ``glossary.json`` and
``glossary.schema.json`` at the site root and puts ``json_ld(...)`` into each term page.

The format of ``glossary.json``, for consumers (``glossary.schema.json`` states it precisely):

- One UTF-8 JSON object with the keys ``$schema`` (``"glossary.schema.json"``, the schema next to
  it), ``site_name``, ``term_count``, ``categories``, ``terms`` and ``languages`` (those of the
  translations, ``{code, name, hreflang, url}``), in that order.
- ``categories``: in the order the site lists them, each ``{key, title, description, url,
  terms}``; ``terms`` holds the slugs of the category's terms, by name (as its page lists them).
- ``terms``: sorted by slug. Each term has ``slug`` and ``url``, then every field of the term
  format in its documented order (``term``, ``summary``, ``definition``, ``category``,
  ``aliases``, ``tags``, ``explanation``, ``formula``, ``examples``, ``usage_note``,
  ``why_it_matters``, ``limitations``, ``faq``, ``related``, ``organizations``, ``references``,
  ``see_also``, ``figures``; see CONTRIBUTING.md), then ``backlinks`` and ``translations``:
  by language code, ``{url, outdated, ...}`` with the fields the translation gives, in the
  shapes of the term's (those it leaves out are the English term's).
- Every key is always present. An absent optional text (``explanation``, ``formula``, ...,
  ``organizations[].note``, ``references[].venue``) is ``null``; an absent list is ``[]``; a
  figure without ``params`` has ``{}`` (the kind's defaults apply). Texts are stripped; Markdown
  fields hold the Markdown as written, LaTeX between ``$...$``; ``summary`` is plain text (math
  as readable text, a term link as its text: ``link.plain_summary``).
- ``category`` is ``{key, title}``. ``related`` (in the author's order) and ``backlinks`` (by
  name) are lists of ``{slug, term, url}``. A term's category lists the others once, in
  ``categories``: each term listing them would make the file grow with the square of the
  glossary (2.3 GB at 10,000 terms in six categories).
- Every ``url`` is relative to the site root: resolve it against the URL of ``glossary.json``.

The same terms always give byte-identical files: no timestamps, no machine paths.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

from generator import schema
from generator.markdown.as_text import markdown_to_text
from generator.model import Category, Term, Translation
from generator.pipeline.link import LinkedGlossary, TermLinks
from generator.schema import SLUG_PATTERN, FieldSpec, Kind, term_json_schema

GLOSSARY_SCHEMA_FILE = "glossary.schema.json"
GLOSSARY_FILE = "glossary.json"
PageUrl = Callable[[str], str]

# Kinds whose absence is an empty collection rather than null.
_COLLECTION_KINDS = frozenset(
    {Kind.TEXT_LIST, Kind.MARKDOWN_LIST, Kind.SLUG_LIST, Kind.OBJECT_LIST, Kind.PARAMS}
)
_NEVER_NULL = frozenset({Kind.AUTOLINK})  # left out, it is true
# `<`, `>` and `&` only ever occur inside JSON strings, where these escapes mean the same.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def glossary_page_url(page: str, use_directory_urls: bool = True) -> str:
    """The URL, relative to the site root, of ``docs/glossary/<page>.md`` as MkDocs publishes it.

    ``page`` is what ``glossary_json`` passes to ``page_url``: a term slug or ``category/<key>``.
    """
    return f"glossary/{page}/" if use_directory_urls else f"glossary/{page}.html"


def glossary_json(linked: LinkedGlossary, page_url: PageUrl, site_name: str) -> bytes:
    """The site's ``glossary.json`` (format in the module docstring).

    ``page_url(page)`` gives the URL of a generated page relative to the site root, where
    ``page`` is a term slug or ``category/<key>``; see ``glossary_page_url``.
    """
    categories = {category.key: category for category in linked.categories}
    directories = page_url("x").endswith("/")  # else .html files, for the offline build
    translated: dict[str, list[Translation]] = {}
    for translation in linked.glossary.translations:
        translated.setdefault(translation.slug, []).append(translation)
    data = {
        "$schema": GLOSSARY_SCHEMA_FILE,
        "site_name": site_name,
        "term_count": len(linked.terms),
        "categories": [
            {
                "key": category.key,
                "title": category.title,
                "description": category.description,
                "url": page_url(f"category/{category.key}"),
                "terms": [term.slug for term in linked.by_category[category.key]],
            }
            for category in linked.categories
        ],
        "terms": [
            _term_entry(term, linked.links[term.slug], categories[term.category], page_url)
            | {"translations": _translations(translated.get(term.slug, ()), page_url)}
            for term in sorted(linked.terms, key=lambda term: term.slug)
        ],
        "languages": [
            {
                "code": language.code,
                "name": language.name,
                "hreflang": language.hreflang,
                "url": f"{language.code}/" if directories else f"{language.code}/index.html",
            }
            for language in linked.glossary.languages
        ],
    }
    # Compact: json.dumps runs its C encoder only without indentation (3x faster here).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text + "\n").encode()


def _term_entry(
    term: Term, links: TermLinks, category: Category, page_url: PageUrl
) -> dict[str, Any]:
    entry: dict[str, Any] = {"slug": term.slug, "url": page_url(term.slug)}
    for spec in schema.TERM_FIELDS:
        if spec.name == "category":
            entry["category"] = {"key": category.key, "title": category.title}
        elif spec.name == "related":
            entry["related"] = _link_list(links.related, page_url)
        elif spec.section is not None:
            entry[spec.name] = term.section_text(spec.name)
        else:
            entry[spec.name] = _value(getattr(term, spec.name), spec)
    entry["backlinks"] = _link_list(links.backlinks, page_url)
    return entry


def _in_language(url: str, code: str) -> str:
    """The URL of the page at ``url`` (an English glossary page) in language ``code``."""
    return f"{code}/{url}"


def _translations(translations: Any, page_url: PageUrl) -> dict[str, Any]:
    """A term's translations, by language code: the page, whether the English changed since
    (``outdated``), and the fields the translation gives, in the shapes of the term's."""
    entries = {}
    for translation in sorted(translations, key=lambda t: t.language):
        entry: dict[str, Any] = {
            "url": _in_language(page_url(translation.slug), translation.language),
            "outdated": bool(translation.outdated) or not translation.stamped,
        }
        for spec in schema.translation_fields():
            if spec.name not in translation.translated:
                continue
            if spec.section is not None:
                entry[spec.name] = translation.term.section_text(spec.name)
            else:
                entry[spec.name] = _value(getattr(translation.term, spec.name), spec)
        entries[translation.language] = entry
    return entries


def _value(value: Any, spec: FieldSpec) -> Any:
    """A field of a ``Term`` (or of an item inside one) as plain JSON data."""
    if spec.kind is Kind.OBJECT_LIST:
        return [
            {item.name: _value(getattr(obj, item.name), item) for item in spec.item_fields}
            for obj in value
        ]
    if spec.kind is Kind.PARAMS:
        return dict(sorted(value.items()))
    if spec.kind in _COLLECTION_KINDS:
        return list(value)
    return value


def _link_list(terms: tuple[Term, ...], page_url: PageUrl) -> list[dict[str, str]]:
    return [{"slug": t.slug, "term": t.term, "url": page_url(t.slug)} for t in terms]


def glossary_schema() -> bytes:
    """The JSON Schema (draft 2020-12) of ``glossary.json``, published as glossary.schema.json.

    The term fields are derived from the term file's schema (``schema.TERM_FIELDS``), so the
    two formats cannot drift apart.
    """
    url = {"type": "string", "minLength": 1}
    link = _object(
        "A link to another term.",
        slug={"description": "Its slug.", "type": "string", "pattern": SLUG_PATTERN},
        term={"description": "Its display name.", "type": "string", "minLength": 1},
        url={"description": "Its page, relative to the site root.", **url},
    )
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": GLOSSARY_SCHEMA_FILE,
        "title": "AI glossary export",
        "description": f"{GLOSSARY_FILE}: every term of the glossary, with its resolved links.",
        **_object(
            None,
            **{
                "$schema": {
                    "description": "This schema's file name.",
                    "const": GLOSSARY_SCHEMA_FILE,
                }
            },
            site_name={"description": "The site's name.", "type": "string", "minLength": 1},
            term_count={
                "description": "The number of terms (the length of 'terms').",
                "type": "integer",
                "minimum": 0,
            },
            categories={
                "description": "The categories, in the order the site lists them.",
                "type": "array",
                "items": {"$ref": "#/$defs/category"},
            },
            terms={
                "description": "Every term, sorted by slug.",
                "type": "array",
                "items": {"$ref": "#/$defs/term"},
            },
            languages={
                "description": "The languages the glossary is translated into, besides English.",
                "type": "array",
                "items": _object(
                    "A language, as declared in terms/_languages.yaml.",
                    code={"description": "Its code.", "type": "string", "minLength": 2},
                    name={"description": "Its name, in itself.", "type": "string"},
                    hreflang={"description": "Its language tag.", "type": "string"},
                    url={"description": "Its home page, relative to the site root.", **url},
                ),
            },
        ),
        "$defs": {
            "category": _object(
                "A category of terms, as declared in terms/_categories.yaml.",
                key={"description": "Its key.", "type": "string", "pattern": SLUG_PATTERN},
                title={"description": "Its title.", "type": "string", "minLength": 1},
                description={"description": "One line about it.", "type": "string", "minLength": 1},
                url={"description": "The category's page, relative to the site root.", **url},
                terms={
                    "description": "The slugs of its terms, by name (as its page lists them).",
                    "type": "array",
                    "items": {"type": "string", "pattern": SLUG_PATTERN},
                },
            ),
            "link": link,
            "term": _term_schema(url),
        },
    }
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode()


def _term_schema(url: dict[str, Any]) -> dict[str, Any]:
    input_fields = term_json_schema()["properties"]
    properties: dict[str, Any] = {
        "slug": {
            "description": "The term's identifier (its file name without .yaml).",
            "type": "string",
            "pattern": SLUG_PATTERN,
        },
        "url": {"description": "The term's page, relative to the site root.", **url},
    }
    resolved = {
        "category": _object(
            "The term's category (see 'categories').",
            key={"description": "The category's key.", "type": "string", "pattern": SLUG_PATTERN},
            title={"description": "The category's title.", "type": "string", "minLength": 1},
        ),
        "related": _links("Related terms, in the author's order."),
    }
    for spec in schema.TERM_FIELDS:
        properties[spec.name] = resolved.get(spec.name) or _exported_field(
            spec, input_fields[spec.name]
        )
    properties["backlinks"] = _links("Terms whose 'related' names this term, by name.")
    translated = {
        spec.name: copy.deepcopy(properties[spec.name])
        for spec in schema.translation_fields()
        if spec.name in properties
    }
    for name, spec in translated.items():
        if spec.get("type") == "array" and "properties" in spec.get("items", {}):
            items = spec["items"]
            wanted = next(f for f in schema.translation_fields() if f.name == name).item_fields
            kept = {f.name for f in wanted}
            items["properties"] = {k: v for k, v in items["properties"].items() if k in kept}
            items["required"] = list(items["properties"])
    properties["translations"] = {
        "description": "The term's translations, by language code (see 'languages'): each "
        "with its page, whether its English changed since it was translated, and the fields "
        "it translates; the others are the English term's.",
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "required": ["url", "outdated"],
            "properties": {
                "url": {"description": "The translated page, relative to the site root.", **url},
                "outdated": {
                    "description": "Whether the English text changed since the translation.",
                    "type": "boolean",
                },
                **translated,
            },
        },
    }
    return _object("One term, with its resolved links.", **properties)


def _exported_field(spec: FieldSpec, input_schema: dict[str, Any]) -> dict[str, Any]:
    """A field's schema in the export: always present, so an optional text may be null."""
    schema = copy.deepcopy(input_schema)
    if spec.kind is Kind.OBJECT_LIST:
        items = schema["items"]
        for item in spec.item_fields:
            items["properties"][item.name] = _exported_field(item, items["properties"][item.name])
        items["required"] = list(items["properties"])
    elif not spec.required and spec.kind not in _COLLECTION_KINDS | _NEVER_NULL:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def _object(description: str | None, /, **properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema whose keys are exactly ``properties``, all required."""
    described = {"description": description} if description else {}
    return {
        **described,
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def _links(description: str) -> dict[str, Any]:
    return {"description": description, "type": "array", "items": {"$ref": "#/$defs/link"}}


def json_ld(
    term: Term,
    page_url: str | None,
    set_name: str,
    set_url: str | None,
    terms: Mapping[str, Term] | None = None,
) -> str:
    """The ``<script type="application/ld+json">`` element describing one term page.

    A schema.org ``@graph`` with the ``DefinedTerm`` (in the ``DefinedTermSet`` named
    ``set_name`` at ``set_url``) and, when the term has an FAQ, a ``FAQPage``. The URLs must be
    absolute (search engines read them so): without a site URL, pass None and they are left
    out rather than given relative.

    FAQ answers are converted from Markdown to plain text (``markdown_to_text``): schema.org's
    ``Answer.text`` is read as text (or HTML), never as Markdown, so ``*`` and backticks would
    show literally; math becomes readable text (``\\sigma^2`` -> ``σ²``), and a link to
    another term, ``[[slug]]``, shows that term's name (``terms``: the glossary's, by slug).

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no value can close the element.
    """
    defined_term: dict[str, Any] = {"@type": "DefinedTerm", "name": term.term}
    if term.aliases:
        defined_term["alternateName"] = list(term.aliases)
    defined_term["description"] = term.summary
    if page_url is not None:
        defined_term["url"] = page_url
    defined_term["termCode"] = term.slug
    term_set = {"@type": "DefinedTermSet", "name": set_name}
    if set_url is not None:
        term_set["url"] = set_url
    defined_term["inDefinedTermSet"] = term_set
    graph = [defined_term]
    if term.faq:
        questions = [
            {
                "@type": "Question",
                "name": entry.q,
                "acceptedAnswer": {"@type": "Answer", "text": markdown_to_text(entry.a, terms)},
            }
            for entry in term.faq
        ]
        graph.append({"@type": "FAQPage", "mainEntity": questions})
    data = {"@context": "https://schema.org", "@graph": graph}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return f'<script type="application/ld+json">{text}</script>'
