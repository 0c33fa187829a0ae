"""End to end: the shipped glossary builds into a site with MkDocs --strict, and a broken term
stops the build with a located message (through the MkDocs plugin, not only the CLI)."""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.site_project import ROOT, project_copy, read_term, run_python


@pytest.fixture(scope="module")
def built_site(published_project: Path) -> Path:
    return published_project / "site"


def test_batch_normalization_page_shows_its_figures(built_site: Path) -> None:
    page = built_site / "glossary" / "batch-normalization" / "index.html"
    html = page.read_text(encoding="utf-8")
    figures = read_term("batch-normalization").get("figures", [])
    assert figures, "batch-normalization.yaml should name its figures"
    sources = re.findall(r'<img alt="([^"]+)"[^>]*src="([^"]+\.svg)#only-(light|dark)"', html)
    assert len(sources) == 2 * len(figures)
    for alt, src, _ in sources:
        assert len(alt) > 40, "alt text must describe the figure"
        assert (page.parent / src).resolve().is_file(), src
    assert html.count("<figcaption>") == len(figures)


def test_every_figure_caption_reads_as_written(built_site: Path) -> None:
    """Captions are plain text: what the term file says, with no Markdown escapes shown
    ('clip\\_grad\\_norm\\_') and nothing read as markup."""
    checked = 0
    for path in sorted((ROOT / "terms").glob("[!_]*.yaml")):
        figures = read_term(path.stem).get("figures") or []
        if not figures:
            continue
        html = (built_site / "glossary" / path.stem / "index.html").read_text("utf-8")
        shown = [
            html_unescape(re.sub(r"<[^>]+>", "", caption))
            for caption in re.findall(r"<figcaption>(.*?)</figcaption>", html, re.DOTALL)
        ]
        written = sorted(" ".join(figure["caption"].split()) for figure in figures)
        numbers = [f"Figure {n}" for n in range(1, len(figures) + 1)]  # in the page's order
        assert [caption.split(": ", 1)[0] for caption in shown] == numbers, path.stem
        assert sorted(caption.split(": ", 1)[1] for caption in shown) == written, path.stem
        checked += len(figures)
    assert checked > 20


def test_batch_normalization_page_links_to_every_related_term(built_site: Path) -> None:
    html = (built_site / "glossary" / "batch-normalization" / "index.html").read_text("utf-8")
    related = read_term("batch-normalization")["related"]
    assert len(related) >= 5
    for slug in related:
        assert f'href="../{slug}/"' in html, slug
        assert (built_site / "glossary" / slug / "index.html").is_file(), slug


def test_a_to_z_and_home_reach_every_term(built_site: Path) -> None:
    """Every term is linked from the A-Z index, or from its letter's page once the index is
    split by letter, which the index links to; the home page links to the index and to every
    category, whose pages link to their terms."""
    slugs = sorted(p.stem for p in (ROOT / "terms").glob("*.yaml") if not p.stem.startswith("_"))
    letter_pages = sorted((built_site / "glossary" / "a-z").glob("*/index.html"))
    index = (built_site / "glossary" / "index.html").read_text("utf-8")
    a_to_z = "".join(page.read_text("utf-8") for page in letter_pages) + index
    home = (built_site / "index.html").read_text("utf-8")
    for slug in slugs:
        assert re.search(rf'href="(\.\./)*{slug}/"', a_to_z), slug
    for page in letter_pages:
        assert f'href="a-z/{page.parent.name}/"' in index, page
    assert 'href="glossary/"' in home
    categories = yaml.safe_load((ROOT / "terms" / "_categories.yaml").read_text("utf-8"))
    for key in categories:
        assert f'href="glossary/category/{key}/"' in home, key


def test_a_broken_term_stops_mkdocs_with_a_located_message(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    for term in (project / "terms").glob("[!_]*.yaml"):  # one term is enough to stop it
        if term.name != "batch-normalization.yaml":
            term.unlink()
    broken = project / "terms" / "batch-normalization.yaml"
    text = broken.read_text(encoding="utf-8").replace("category: normalization", "category: nope")
    broken.write_text(text, encoding="utf-8")
    result = run_python("-m", "mkdocs", "build", "--strict", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    line = text.splitlines().index("category: nope") + 1
    expected = f"terms/batch-normalization.yaml:{line}:11: category: unknown category 'nope'"
    assert expected in output


def _slugs() -> list[str]:
    return sorted(p.stem for p in (ROOT / "terms").glob("*.yaml") if not p.stem.startswith("_"))


def test_glossary_json_holds_every_term_and_validates_against_its_schema(built_site: Path) -> None:
    export = json.loads((built_site / "glossary.json").read_text("utf-8"))
    schema = json.loads((built_site / "glossary.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(export)
    assert [term["slug"] for term in export["terms"]] == _slugs()
    for term in export["terms"]:
        assert (built_site / term["url"] / "index.html").is_file(), term["url"]


def test_term_pages_carry_json_ld_meta_description_and_an_edit_link(built_site: Path) -> None:
    html = (built_site / "glossary" / "batch-normalization" / "index.html").read_text("utf-8")
    term = read_term("batch-normalization")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html)
    assert found and html.index(found.group(0)) < html.index("</head>")
    graph = json.loads(found.group(1))["@graph"]
    defined = next(item for item in graph if item["@type"] == "DefinedTerm")
    assert defined["name"] == term["term"]
    assert defined["alternateName"] == term["aliases"]
    assert defined["url"] == "https://example.org/glossary/glossary/batch-normalization/"
    assert defined["inDefinedTermSet"]["url"] == "https://example.org/glossary/glossary/"
    faq = next(item for item in graph if item["@type"] == "FAQPage")
    assert len(faq["mainEntity"]) == len(term["faq"])
    # Plain text: math as readable text, term links as their text, no Markdown.
    answers = " ".join(question["acceptedAnswer"]["text"] for question in faq["mainEntity"])
    assert not re.search(r"[$`]|\[\[|\\\(|\\[a-z]+|\*\*", answers), answers
    assert "constant b to every example" in answers  # written $b$
    assert f'<meta name="description" content="{html_escape(term["summary"])}">' in html
    edit = "https://github.com/example/glossary/edit/main/terms/batch-normalization.yaml"
    assert f'href="{edit}"' in html
    a_to_z = (built_site / "glossary" / "index.html").read_text("utf-8")
    assert "/edit/" not in a_to_z, "generated index pages have nothing to edit"


def test_search_results_show_math_as_readable_text(built_site: Path) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    page = [e for e in docs if e["location"].startswith("glossary/batch-normalization/")]
    text = " ".join(entry["text"] for entry in page)
    assert "\\(" not in text and "\\[" not in text and "\\frac" not in text
    assert "katex" not in text
    assert "σ²" in text and "√(σ_B² + ε)" in text and "γ" in text  # noqa: RUF001


def test_sitemap_lists_every_term_page(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    locations = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for slug in _slugs():
        assert f"https://example.org/glossary/glossary/{slug}/" in locations, slug


def test_tags_pages_link_every_tag_of_a_term(built_site: Path) -> None:
    html = (built_site / "glossary" / "batch-normalization" / "index.html").read_text("utf-8")
    for tag in read_term("batch-normalization")["tags"]:
        assert f'href="../tags/{tag}/"' in html, tag
        assert (built_site / "glossary" / "tags" / tag / "index.html").is_file(), tag


def test_search_indexes_each_terms_own_text_not_its_lists_of_other_terms(
    built_site: Path,
) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    page = "glossary/batch-normalization/"
    sections = {entry["title"] for entry in docs if entry["location"].startswith(page)}
    assert {"Batch Normalization", "Definition", "References"} <= sections
    assert not sections & {"Related terms", "Referenced by", "More in Normalization"}
    # Its summary is found on its own page, and not on the pages that merely list it.
    summary = read_term("batch-normalization")["summary"].split(",")[0]
    found = {entry["location"].split("#")[0] for entry in docs if summary in entry["text"]}
    assert found == {page}
