"""The term file format, declared once.

Validation, mention linking, the term page's sections, the ``glossary.json`` export,
``glossary new``'s template, the published JSON Schema (``schema/term.schema.json``) and the
format reference in CONTRIBUTING.md are all derived from ``TERM_FIELDS``: change the format
here. Stages read it as ``schema.TERM_FIELDS`` when they run, never copied at import.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
SUMMARY_MAX_LENGTH = 200
NAME_MAX_LENGTH = 80
# Slugs, category keys and tags become file names: far below the 255 bytes a file system allows,
# with room for the generator's suffixes (figure names, temporary files).
SLUG_MAX_LENGTH = 64
TAG_MAX_LENGTH = 40
# Bounds on what the site's Markdown must digest, far above any real entry (the longest text
# of the shipped glossary is under 5,000 characters, its longest list 31 authors): Python-Markdown
# takes time that grows faster than the text for some inputs (many list items, many '[').
MARKDOWN_MAX_LENGTH = 10_000
FORMULA_MAX_LENGTH = 2_000
MAX_LIST_ITEMS = 100
# A symbol of a formula and what it stands for, shown as one line of its legend.
SYMBOL_MAX_LENGTH = 100
MEANING_MAX_LENGTH = 300
# A figure's section: a heading of the page.
SECTION_NAME_MAX_LENGTH = 120


class Kind(Enum):
    """What a field's value must be. Each kind has one checker in validate.py."""

    TEXT = "plain text on one line"
    MARKDOWN = "Markdown text"
    LATEX = "a LaTeX formula"
    LATEX_INLINE = "a LaTeX expression on one line"
    INLINE_MARKDOWN = "Markdown text on one line"
    URL = "an http(s) URL"
    YEAR = "a year"
    SLUG = "a term slug"
    TEXT_LIST = "a list of plain-text strings"
    MARKDOWN_LIST = "a list of Markdown strings"
    SLUG_LIST = "a list of term slugs"
    OBJECT_LIST = "a list of mappings"
    PARAMS = "a mapping of parameter names to values"
    AUTOLINK = "true, false, or a list of phrases"
    CHOICE = "one of the words listed"
    DATE = "a date, YYYY-MM-DD"


@dataclass(frozen=True)
class FieldSpec:
    """One key of a term file (or of a mapping inside a list, via ``item_fields``)."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    item_fields: tuple[FieldSpec, ...] = ()
    # The longest text, or list item, allowed.
    max_length: int | None = None
    # A name readers search for and that links to the term: no invisible characters, nothing
    # Markdown reads as syntax, no common word.
    is_name: bool = False
    # For an optional Markdown field that the term page shows as a section of its own: the
    # section's heading. Such a field needs nothing but its spec: it is checked, linked,
    # rendered (in the order of TERM_FIELDS) and exported like the others.
    section: str | None = None
    # The words a CHOICE field allows.
    choices: tuple[str, ...] = ()
    # Text a translation (terms/<language>/<slug>.yaml, see ``translation_fields``) gives in
    # its language; the English term's value shows where a translation leaves it out.
    translatable: bool = False
    # For an item of a list a translation holds: copied verbatim from the English item, to say
    # which item the translated text belongs to (a formula's symbol).
    translation_key: bool = False


def _field(name: str, kind: Kind, description: str, **options: Any) -> FieldSpec:
    return FieldSpec(name, kind, description, **options)


TERM_FIELDS: tuple[FieldSpec, ...] = (
    _field(
        "term",
        Kind.TEXT,
        "Display name, e.g. 'Batch Normalization'.",
        required=True,
        max_length=NAME_MAX_LENGTH,
        is_name=True,
        translatable=True,
    ),
    _field(
        "summary",
        Kind.TEXT,
        f"One plain-text sentence of at most {SUMMARY_MAX_LENGTH} characters, understood by a "
        "newcomer; used for cards, tooltips and the page's meta description.",
        required=True,
        translatable=True,
    ),
    _field(
        "definition",
        Kind.MARKDOWN,
        "What the term means, precisely.",
        required=True,
        translatable=True,
    ),
    _field("category", Kind.SLUG, "A key declared in terms/_categories.yaml.", required=True),
    _field(
        "aliases",
        Kind.TEXT_LIST,
        "Synonyms and abbreviations, e.g. BatchNorm, BN.",
        max_length=NAME_MAX_LENGTH,
        is_name=True,
        translatable=True,
    ),
    _field(
        "tags",
        Kind.TEXT_LIST,
        "Topics that cut across categories, each declared in terms/_tags.yaml.",
        max_length=TAG_MAX_LENGTH,
    ),
    _field(
        "autolink",
        Kind.AUTOLINK,
        "Which mentions in other terms' texts link here: true (the default: the name and "
        "aliases), false (only explicit [[slug]] links), or the exact phrases that should "
        "link, instead of the name and aliases, e.g. [host machine, host OS] for 'Host'.",
        max_length=NAME_MAX_LENGTH,
        is_name=True,
    ),
    _field("explanation", Kind.MARKDOWN, "How it works, in depth.", translatable=True),
    _field("formula", Kind.LATEX, "The defining equation(s) in LaTeX, without $$."),
    _field(
        "symbols",
        Kind.OBJECT_LIST,
        "The legend of the formula: each of its symbols and what it stands for, shown under "
        "the formula as 'where ...'.",
        item_fields=(
            _field(
                "symbol",
                Kind.LATEX_INLINE,
                "The symbol in LaTeX, without $, e.g. '\\mu_{\\mathcal{B}}'.",
                required=True,
                max_length=SYMBOL_MAX_LENGTH,
                translation_key=True,
            ),
            _field(
                "meaning",
                Kind.INLINE_MARKDOWN,
                "What it stands for, as a short phrase, e.g. 'the mean of the batch'.",
                required=True,
                max_length=MEANING_MAX_LENGTH,
                translatable=True,
            ),
        ),
        translatable=True,
    ),
    _field("examples", Kind.MARKDOWN_LIST, "Short concrete examples.", translatable=True),
    _field(
        "usage_note",
        Kind.MARKDOWN,
        "How and when the term is used in practice.",
        section="Usage note",
        translatable=True,
    ),
    _field(
        "why_it_matters",
        Kind.MARKDOWN,
        "Why a learner should care.",
        section="Why it matters",
        translatable=True,
    ),
    _field(
        "limitations",
        Kind.MARKDOWN,
        "Known weaknesses and pitfalls.",
        section="Limitations",
        translatable=True,
    ),
    _field(
        "faq",
        Kind.OBJECT_LIST,
        "Questions learners ask, with answers.",
        item_fields=(
            _field("q", Kind.TEXT, "The question.", required=True, translatable=True),
            _field("a", Kind.MARKDOWN, "The answer.", required=True, translatable=True),
        ),
        translatable=True,
    ),
    _field("related", Kind.SLUG_LIST, "Slugs of related terms (file names without .yaml)."),
    _field(
        "formerly",
        Kind.SLUG_LIST,
        "Slugs this term had before its file was renamed: their published addresses redirect "
        "to this page.",
        max_length=SLUG_MAX_LENGTH,
    ),
    _field(
        "organizations",
        Kind.OBJECT_LIST,
        "Who develops or relies on the technique.",
        item_fields=(
            _field("name", Kind.TEXT, "The organization's name.", required=True),
            _field("note", Kind.TEXT, "Its role, in one short sentence."),
        ),
    ),
    _field(
        "references",
        Kind.OBJECT_LIST,
        "Primary sources: papers, books, standards.",
        item_fields=(
            _field("title", Kind.TEXT, "The work's title.", required=True),
            _field("authors", Kind.TEXT_LIST, "Full names, in the work's order.", required=True),
            _field("year", Kind.YEAR, "Year of publication.", required=True),
            _field("url", Kind.URL, "https link: arXiv, DOI or publisher.", required=True),
            _field("venue", Kind.TEXT, "Where it appeared, e.g. 'ICML 2015'."),
        ),
    ),
    _field(
        "see_also",
        Kind.OBJECT_LIST,
        "Further reading, e.g. the Wikipedia article.",
        item_fields=(
            _field("title", Kind.TEXT, "The link text.", required=True),
            _field("url", Kind.URL, "An http(s) URL.", required=True),
        ),
    ),
    _field(
        "status",
        Kind.CHOICE,
        "'draft' (shown with a banner, left out of the home page's lists) or 'reviewed' "
        "(checked by a second expert; give the date in 'reviewed').",
        choices=("draft", "reviewed"),
    ),
    _field("reviewed", Kind.DATE, "When the entry was last reviewed (with status: reviewed)."),
    _field(
        "figures",
        Kind.OBJECT_LIST,
        "Computed figures (see plots/registry.py for the kinds and their params).",
        item_fields=(
            _field(
                "kind", Kind.SLUG, "A figure kind, e.g. 'normalized-activations'.", required=True
            ),
            _field(
                "caption",
                Kind.TEXT,
                "What the reader should see in it.",
                required=True,
                translatable=True,
            ),
            _field("params", Kind.PARAMS, "The kind's parameters; defaults apply when omitted."),
            _field(
                "section",
                Kind.TEXT,
                "The heading of the page under which the figure is shown: a section such as "
                "'How it works', or a heading inside its text; by default, after the definition.",
                max_length=SECTION_NAME_MAX_LENGTH,
            ),
        ),
        translatable=True,
    ),
)


# A translation's record of the English text it translates, written by ``glossary translate``:
# one short digest per translatable field, e.g. 'term=1a2b3c4d summary=5e6f7a8b ...'.
TRANSLATES_PATTERN = r"^[a-z_]+=[0-9a-f]{8}( [a-z_]+=[0-9a-f]{8})*$"
TRANSLATES_FIELD = FieldSpec(
    "translates",
    Kind.TEXT,
    "The version of the English term this translation translates: a digest of each of its "
    "translatable fields, written by 'glossary translate LANG SLUG' (--current after updating).",
    max_length=400,
)
# A language's code: the name of its folder of translations and of its part of the site.
LANGUAGE_CODE_PATTERN = r"^[a-z]{2,3}$"


def translation_fields() -> tuple[FieldSpec, ...]:
    """The fields of a translation, ``terms/<language>/<slug>.yaml``: the translatable fields
    of ``TERM_FIELDS`` (of a list of mappings, the translatable items and the key that pairs
    each with an English item), with the same checks, and ``translates``."""
    fields = []
    for spec in TERM_FIELDS:
        if not spec.translatable:
            continue
        items = tuple(
            item for item in spec.item_fields if item.translatable or item.translation_key
        )
        fields.append(replace(spec, item_fields=items))
    return (*fields, TRANSLATES_FIELD)


def section_fields() -> tuple[FieldSpec, ...]:
    """The optional Markdown fields shown as sections of their own, in the page's order."""
    return tuple(spec for spec in TERM_FIELDS if spec.section is not None)


def is_slug(value: object) -> bool:
    """Whether ``value`` is a slug (``SLUG_PATTERN``): a term's file name, a category key."""
    return isinstance(value, str) and _SLUG.match(value) is not None


def site_path_segments(target: str) -> list[str]:
    """The segments of a site path or URL, without its query and fragment, the last one
    without a page's .md or .html: ['glossary', 'service'] for '/glossary/service/#top'."""
    segments = [part for part in target.split("#")[0].split("?")[0].split("/") if part]
    if segments:
        segments[-1] = segments[-1].removesuffix(".md").removesuffix(".html")
    return segments


def slugify(text: str) -> str:
    """'Layer Normalization' -> 'layer-normalization': accents dropped, anything but ASCII
    letters and digits a hyphen; '' when nothing is left. File names, tag and category pages."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_JSON_TYPES: dict[Kind, dict[str, Any]] = {
    Kind.TEXT: {"type": "string", "minLength": 1, "pattern": r"^[^\n]*$"},
    Kind.MARKDOWN: {"type": "string", "minLength": 1, "maxLength": MARKDOWN_MAX_LENGTH},
    Kind.LATEX: {"type": "string", "minLength": 1, "maxLength": FORMULA_MAX_LENGTH},
    Kind.LATEX_INLINE: {"type": "string", "minLength": 1, "pattern": r"^[^\n$]*[^\n$\\]$"},
    Kind.INLINE_MARKDOWN: {"type": "string", "minLength": 1, "pattern": r"^[^\n]*$"},
    # What field_checks accepts: no spaces, quotes, angle brackets... (RFC 3986 leaves them out)
    Kind.URL: {"type": "string", "pattern": r"^https?://[^\x00-\x20\x7f\"<>\\^`{|}]+$"},
    Kind.YEAR: {"type": "integer", "minimum": 1600, "maximum": 2100},
    Kind.SLUG: {"type": "string", "pattern": SLUG_PATTERN},
    Kind.TEXT_LIST: {"type": "array", "items": {"type": "string", "minLength": 1}},
    Kind.MARKDOWN_LIST: {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "maxLength": MARKDOWN_MAX_LENGTH},
    },
    Kind.SLUG_LIST: {"type": "array", "items": {"type": "string", "pattern": SLUG_PATTERN}},
    Kind.AUTOLINK: {"type": ["boolean", "array"], "items": {"type": "string", "minLength": 1}},
    Kind.PARAMS: {
        "type": "object",
        "additionalProperties": {"type": ["string", "number", "boolean"]},
    },
    Kind.DATE: {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
}


def _json_schema_of(spec: FieldSpec) -> dict[str, Any]:
    if spec.kind is Kind.OBJECT_LIST:
        schema: dict[str, Any] = {"type": "array", "items": _object_schema(spec.item_fields)}
    elif spec.kind is Kind.CHOICE:
        schema = {"type": "string", "enum": list(spec.choices)}
    else:
        schema = dict(_JSON_TYPES[spec.kind])
    if spec.name == "summary":
        schema["maxLength"] = SUMMARY_MAX_LENGTH
    array = "array" in schema["type"]  # "array", or ["boolean", "array"]
    if spec.max_length is not None and array:
        schema["items"] = {**schema["items"], "maxLength": spec.max_length}
    elif spec.max_length is not None:
        schema["maxLength"] = spec.max_length
    if array:
        schema["maxItems"] = MAX_LIST_ITEMS
    return {"description": spec.description, **schema}


def _object_schema(fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [spec.name for spec in fields if spec.required],
        "properties": {spec.name: _json_schema_of(spec) for spec in fields},
    }


def term_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one term file, for editors and external tools."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "term.schema.json",
        "title": "AI glossary term",
        "description": "One file per term: terms/<slug>.yaml. See CONTRIBUTING.md.",
        **_object_schema(TERM_FIELDS),
    }


def term_json_schema_text() -> str:
    """``term_json_schema()`` serialized exactly as checked in at schema/term.schema.json."""
    return json.dumps(term_json_schema(), indent=2, ensure_ascii=False) + "\n"


def format_reference_markdown() -> str:
    """The field table of CONTRIBUTING.md, generated so that it can never drift from the schema."""
    rows = ["| field | required | value | what it is |", "| --- | --- | --- | --- |"]
    for spec in TERM_FIELDS:
        rows.append(_reference_row(f"`{spec.name}`", spec))
        for item in spec.item_fields:
            rows.append(_reference_row(f"`{spec.name}[].{item.name}`", item))
    translated = []
    for spec in translation_fields():
        items = ", ".join(item.name for item in spec.item_fields)
        translated.append(f"`{spec.name}`" + (f" (each with {items})" if items else ""))
    rows += ["", f"A translation, `terms/<language>/<slug>.yaml`, holds {', '.join(translated)}."]
    return "\n".join(rows) + "\n"


def _reference_row(name: str, spec: FieldSpec) -> str:
    required = "yes" if spec.required else ""
    return f"| {name} | {required} | {spec.kind.value} | {spec.description} |"
