"""Machine-readable export: glossary.json matches its schema and the terms; JSON-LD is safe."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bench.synthetic import write_terms
from generator.markdown.as_text import markdown_to_text
from generator.model import FaqEntry, Glossary, Term
from generator.pipeline.build import linked_glossary
from generator.pipeline.link import LinkedGlossary, link
from generator.schema import TERM_FIELDS, section_fields
from generator.site.export import (
    glossary_json,
    glossary_page_url,
    glossary_schema,
    json_ld,
)
from tests.generator.update_golden import FIXTURE

ROOT = Path(__file__).resolve().parents[2]
SITE = "AI Glossary"
SET_URL = "https://example.org/glossary/"
BREAKOUT = "</script><script>alert(1)</script>"
NON_ASCII = "Größe → Fläche, ½ ≤ 1, 日本語 and ça."
ROOTS = {"fixture": FIXTURE, "shipped": ROOT}


@cache
def linked_fixture(name: str) -> LinkedGlossary:
    return linked_glossary(ROOTS[name])


@cache
def exported(name: str) -> dict[str, Any]:
    return json.loads(glossary_json(linked_fixture(name), glossary_page_url, SITE))


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(glossary_schema()))


def script_json(element: str) -> dict[str, Any]:
    """The JSON inside a ``<script type="application/ld+json">`` element, parsed."""
    match = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', element, re.DOTALL)
    assert match, element
    return json.loads(match.group(1))


def term_ld(term: Term) -> dict[str, Any]:
    url = f"https://example.org/glossary/{term.slug}/"
    return script_json(json_ld(term, url, SITE, SET_URL))


# glossary.schema.json


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(glossary_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert glossary_schema() == glossary_schema()
    assert glossary_schema().endswith(b"}\n")


def test_schema_requires_every_term_field_and_allows_no_other() -> None:
    term = json.loads(glossary_schema())["$defs"]["term"]
    expected = ["slug", "url", *(spec.name for spec in TERM_FIELDS), "backlinks", "translations"]
    assert list(term["properties"]) == expected
    assert term["required"] == expected
    assert term["additionalProperties"] is False
    for spec in TERM_FIELDS:
        assert term["properties"][spec.name]["description"], spec.name


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda data: data["terms"][0].pop("summary"), "'summary' is a required property"),
        (lambda data: data["terms"][0].update(extra=1), "Additional properties"),
        (lambda data: data["terms"][0].update(slug="Not A Slug"), "does not match"),
        (lambda data: data["terms"][0].update(aliases=None), "is not of type 'array'"),
        (lambda data: data["terms"][0]["related"].append({"slug": "x"}), "is a required"),
        (lambda data: data.update({"$schema": "other.json"}), "was expected"),
    ],
    ids=["missing-field", "unknown-field", "bad-slug", "null-list", "bad-link", "wrong-schema"],
)
def test_schema_rejects_malformed_exports(change: Callable[[dict], Any], complaint: str) -> None:
    data = json.loads(json.dumps(exported("fixture")))
    change(data)
    messages = [error.message for error in validator().iter_errors(data)]
    assert any(complaint in message for message in messages), messages


# glossary.json


@pytest.mark.parametrize("name", ROOTS)
def test_export_validates_against_its_schema(name: str) -> None:
    validator().validate(exported(name))


@pytest.mark.parametrize("name", ROOTS)
def test_top_level_keys_and_categories(name: str) -> None:
    data, linked = exported(name), linked_fixture(name)
    assert list(data) == ["$schema", "site_name", "term_count", "categories", "terms", "languages"]
    assert data["$schema"] == "glossary.schema.json"
    assert data["site_name"] == SITE
    assert data["term_count"] == len(data["terms"]) == len(linked.terms)
    assert data["categories"] == [
        {
            "key": c.key,
            "title": c.title,
            "description": c.description,
            "url": f"glossary/category/{c.key}/",
            "terms": [t.slug for t in linked.by_category[c.key]],
        }
        for c in linked.categories
    ]
    # Every term is in exactly one category, listed by name as the category page lists them.
    listed = [slug for category in data["categories"] for slug in category["terms"]]
    assert sorted(listed) == sorted(t.slug for t in linked.terms)
    for category in data["categories"]:
        names = [linked.by_slug[slug].term.casefold() for slug in category["terms"]]
        assert names == sorted(names)


def test_size_grows_linearly_with_the_glossary(tmp_path: Path) -> None:
    """No term lists all the others of its category (which grew with the square of the
    glossary): twice the terms, about twice the bytes."""
    sizes = []
    for n in (100, 200):
        write_terms(tmp_path / str(n) / "terms", n, figures=False)
        linked = linked_glossary(tmp_path / str(n))
        sizes.append(len(glossary_json(linked, lambda page: f"glossary/{page}/", SITE)))
    assert sizes[1] / sizes[0] < 2.1, sizes


@pytest.mark.parametrize("name", ROOTS)
def test_every_term_is_present_in_slug_order(name: str) -> None:
    slugs = [entry["slug"] for entry in exported(name)["terms"]]
    assert slugs == sorted(term.slug for term in linked_fixture(name).terms)
    assert all(entry["url"] == f"glossary/{entry['slug']}/" for entry in exported(name)["terms"])


@pytest.mark.parametrize("name", ROOTS)
def test_links_resolve_to_existing_terms_with_their_url(name: str) -> None:
    entries = {entry["slug"]: entry for entry in exported(name)["terms"]}
    linked = linked_fixture(name)
    for slug, entry in entries.items():
        links = linked.links[slug]
        for key in ("related", "backlinks"):
            assert [item["slug"] for item in entry[key]] == [t.slug for t in getattr(links, key)]
            for item in entry[key]:
                assert item["slug"] in entries
                assert item["url"] == entries[item["slug"]]["url"]
                assert item["term"] == entries[item["slug"]]["term"]
        assert entry["category"]["key"] == linked.by_slug[slug].category


def test_every_term_dataclass_field_is_exported() -> None:
    entry = exported("fixture")["terms"][0]
    fields = {f.name for f in dataclasses.fields(Term)} - {"source"}  # a path, not content
    fields -= {"sections"}  # exported as the fields they come from
    fields |= {spec.name for spec in section_fields()}
    assert fields <= set(entry)


def test_a_full_term_keeps_every_value() -> None:
    entry = next(e for e in exported("fixture")["terms"] if e["slug"] == "batch-normalization")
    term = linked_fixture("fixture").by_slug["batch-normalization"]
    assert entry["term"] == "Batch Normalization"
    assert entry["summary"] == term.summary
    assert entry["definition"] == term.definition
    assert entry["category"] == {"key": "normalization", "title": "Normalization"}
    assert entry["aliases"] == ["BatchNorm", "BN"]
    assert entry["tags"] == ["deep-learning", "training-stability"]
    assert entry["formula"] == term.formula
    assert entry["examples"] == list(term.examples)
    assert (
        entry["usage_note"] == "Put the layer *before* the nonlinearity, as the original paper did."
    )
    assert entry["faq"] == [{"q": term.faq[0].q, "a": term.faq[0].a}]
    assert entry["organizations"] == [
        {"name": "Google", "note": "Where the method was developed."},
        {"name": "PyTorch", "note": None},
    ]
    assert entry["references"][0]["authors"] == ["Sergey Ioffe", "Christian Szegedy"]
    assert entry["references"][0]["year"] == 2015
    assert entry["references"][0]["venue"] == "ICML 2015"
    assert entry["see_also"] == [
        {
            "title": "Batch normalization (Wikipedia)",
            "url": "https://en.wikipedia.org/wiki/Batch_normalization",
        }
    ]
    assert [link["slug"] for link in entry["related"]] == [
        "layer-normalization",
        "gradient-descent",
    ]
    assert [link["slug"] for link in entry["backlinks"]] == [
        "gradient-descent",
        "layer-normalization",
    ]


def test_absent_optional_fields_are_null_or_empty() -> None:
    entry = next(e for e in exported("fixture")["terms"] if e["slug"] == "1-cycle-policy")
    for name in ("explanation", "formula", "usage_note", "why_it_matters", "limitations"):
        assert entry[name] is None, name
    for name in ("aliases", "tags", "examples", "faq", "related", "organizations", "see_also"):
        assert entry[name] == [], name
    assert entry["figures"] == []
    assert entry["references"][0]["venue"] is None


def test_figures_are_exported_with_their_params() -> None:
    entry = next(e for e in exported("shipped")["terms"] if e["slug"] == "group-normalization")
    term = linked_fixture("shipped").by_slug["group-normalization"]
    assert [f["kind"] for f in entry["figures"]] == [f.kind for f in term.figures]
    assert [f["caption"] for f in entry["figures"]] == [f.caption for f in term.figures]
    assert [f["params"] for f in entry["figures"]] == [dict(f.params) for f in term.figures]


def test_output_is_byte_identical_across_calls_and_input_orders() -> None:
    linked = linked_fixture("shipped")
    first = glossary_json(linked, glossary_page_url, SITE)
    assert glossary_json(linked, glossary_page_url, SITE) == first
    shuffled = Glossary(
        terms=tuple(reversed(linked.terms)),
        categories=linked.glossary.categories,
        languages=linked.glossary.languages,
        translations=tuple(reversed(linked.glossary.translations)),
    )
    assert glossary_json(link(shuffled), glossary_page_url, SITE) == first
    assert first.endswith(b"}\n")
    assert str(ROOT).encode() not in first


def test_non_ascii_text_is_written_as_is(
    make_glossary: Callable[..., Path], term_data: Callable[..., Any]
) -> None:
    root = make_glossary({"cafe": term_data("Café naïf", summary=NON_ASCII, aliases=["ça"])})
    output = glossary_json(linked_glossary(root), glossary_page_url, "Glossaire é")
    assert NON_ASCII.encode() in output
    assert "Café naïf".encode() in output
    assert b"\\u" not in output
    validator().validate(json.loads(output))


def test_page_url_follows_use_directory_urls() -> None:
    assert glossary_page_url("batch-normalization") == "glossary/batch-normalization/"
    assert glossary_page_url("category/optimization", use_directory_urls=False) == (
        "glossary/category/optimization.html"
    )
    linked = linked_fixture("fixture")
    data = json.loads(glossary_json(linked, lambda p: glossary_page_url(p, False), SITE))
    assert data["terms"][1]["url"] == "glossary/batch-normalization.html"
    assert data["terms"][1]["related"][0]["url"] == "glossary/layer-normalization.html"
    assert data["categories"][0]["url"] == "glossary/category/normalization.html"


# JSON-LD


def test_json_ld_describes_the_defined_term() -> None:
    term = linked_fixture("fixture").by_slug["batch-normalization"]
    data = term_ld(term)
    assert data["@context"] == "https://schema.org"
    defined = data["@graph"][0]
    assert defined == {
        "@type": "DefinedTerm",
        "name": "Batch Normalization",
        "alternateName": ["BatchNorm", "BN"],
        "description": term.summary,
        "url": "https://example.org/glossary/batch-normalization/",
        "termCode": "batch-normalization",
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": SITE, "url": SET_URL},
    }


def test_json_ld_has_an_faq_page_only_when_the_term_has_an_faq() -> None:
    glossary = linked_fixture("fixture").by_slug
    with_faq = term_ld(glossary["batch-normalization"])["@graph"]
    assert [node["@type"] for node in with_faq] == ["DefinedTerm", "FAQPage"]
    assert with_faq[1]["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Why does it behave differently at inference?",
            "acceptedAnswer": {
                "@type": "Answer",
                "text": "At inference there may be no batch, so it uses running averages of the "
                "statistics.",
            },
        }
    ]
    without_faq = term_ld(glossary["1-cycle-policy"])["@graph"]
    assert [node["@type"] for node in without_faq] == ["DefinedTerm"]
    assert "alternateName" not in without_faq[0]


@pytest.mark.parametrize("term", linked_fixture("shipped").terms, ids=lambda t: t.slug)
def test_json_ld_of_every_shipped_term_parses(term: Term) -> None:
    graph = term_ld(term)["@graph"]
    assert graph[0]["name"] == term.term
    assert graph[0].get("alternateName", []) == list(term.aliases)
    if term.faq:
        answers = [q["acceptedAnswer"]["text"] for q in graph[1]["mainEntity"]]
        assert len(answers) == len(term.faq)
        assert not any("`" in a or "**" in a or "\n" in a.strip() for a in answers), answers


def test_no_field_value_can_close_the_script_element() -> None:
    term = dataclasses.replace(
        linked_fixture("fixture").by_slug["batch-normalization"],
        term=f"A {BREAKOUT}",
        summary=f"{BREAKOUT} & <!-- -->",
        aliases=(BREAKOUT,),
        faq=(FaqEntry(q=f"Why {BREAKOUT}?", a=f"Because <b>&amp;</b> {BREAKOUT}"),),
    )
    element = json_ld(term, f"https://example.org/?a=1&b=<{BREAKOUT}>", SITE, SET_URL)
    inner = element.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not set("<>&") & set(inner)
    assert element.lower().count("</script") == 1
    data = script_json(element)
    assert data["@graph"][0]["description"] == f"{BREAKOUT} & <!-- -->"
    assert data["@graph"][0]["alternateName"] == [BREAKOUT]
    assert data["@graph"][1]["mainEntity"][0]["name"] == f"Why {BREAKOUT}?"


# Markdown to plain text (JSON-LD, meta descriptions, tooltips, glossary.json summaries)


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("one\ntwo\n\nthree", "one two\n\nthree"),
        ("*em* and **strong** and _em_ and __strong__", "em and strong and em and strong"),
        ("use `bias=False` or `a*b*c`", "use bias=False or a*b*c"),
        (
            "read $\\beta_1^t$ and $a * b * c$ as text",
            "read \u03b2\u2081\u1d57 and a * b * c as text",
        ),
        ('a [link](https://x.org "t") and <https://y.org>', "a link and https://y.org"),
        ("snake_case_name and 2 * 3", "snake_case_name and 2 * 3"),
        ("an escaped \\*star\\* and \\$5", "an escaped *star* and $5"),
        ("Steps:\n- one\n- two\n1. three", "Steps:\n- one\n- two\n1. three"),
        (
            "Code:\n\n```python\nx = 1\n\ny = *2*\n```\n\nafter",
            "Code:\n\nx = 1\n\ny = *2*\n\nafter",
        ),
        ("### Heading\n\ntext", "Heading\n\ntext"),
        (
            "see [[layer-normalization]] or [[rms-norm|its *cheaper* cousin]]",
            "see Layer Normalization or its cheaper cousin",
        ),
        ("a [reference][ref] note[^1] <!-- hidden -->\n\n[ref]: https://x.org", "a reference note"),
        ("$$\na = \\frac{b}{2}\n$$ and \\(\\sigma^2\\)", "a = b/2 and \u03c3\u00b2"),
    ],
    ids=[
        "paragraphs",
        "emphasis",
        "code",
        "math",
        "links",
        "intraword",
        "escapes",
        "lists",
        "fence",
        "heading",
        "term links",
        "references",
        "display math",
    ],
)
def test_markdown_to_text(markdown: str, text: str) -> None:
    name = "Layer Normalization"
    terms = {"layer-normalization": Term("layer-normalization", "t.yaml", name, "S.", "D.", "c")}
    assert markdown_to_text(markdown, terms) == text
