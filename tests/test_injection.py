"""Content cannot inject into the site.

A term file is written by whoever opens a pull request. Markdown that could become HTML of its
own (raw HTML, ``javascript:`` and ``data:`` links, attribute lists, snippet includes) must fail
``glossary check`` with a located message; every plain-text field may hold anything, and the
built site must show it as text. The built pages are read with html.parser, the way a browser
would tokenize them, and no payload may come out as live markup: no script other than the
site's own, no ``on*`` attribute, no iframe, no ``javascript:`` or ``data:`` URL. The search
index counts as HTML too: Material's search shows its titles, texts and tags as HTML.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.pipeline.load import load_sources
from generator.pipeline.validate import validate
from tests.site_project import project_copy, run_python

MARK = "pwned"  # every payload that would run calls alert('pwned')

# Markdown that `glossary check` must refuse: payload -> the start of its message.
HOSTILE_MARKDOWN = {
    "<script>alert('pwned')</script>": "HTML is not allowed here: '<script>'",
    "Text <img src=x onerror=alert('pwned')> text": "HTML is not allowed here: '<img'",
    '<iframe src="https://evil.example/"></iframe>': "HTML is not allowed here: '<iframe'",
    "Text <!-- pwned --> text": "HTML is not allowed here: '<!--'",
    "Text </textarea> text": "HTML is not allowed here: '</textarea>'",
    "[x](javascript:alert('pwned'))": "the link target 'javascript:alert('pwned')'",
    "[x](jav&#x61;script:alert('pwned'))": "the link target 'jav&#x61;script:alert('pwned')'",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)": "images are not allowed in a term's text",
    "See [x][r].\n\n[r]: javascript:alert('pwned')": "a reference definition ('[label]: address')",
    "Text.\n{: onclick=\"alert('pwned')\" }": "'{: onclick=\"alert('pwned')\" }' would set HTML",
    "[x](https://example.org){ onmouseover=\"alert('pwned')\" }": "'{ onmouseover=",
    '--8<-- "mkdocs.yml"': "'--8<--' would include another file into the page",
    "```{.py onclick=\"alert('pwned')\"}\nx = 1\n```": "a code fence may name only its language",
}
MARKDOWN_FIELDS = (
    "definition",
    "explanation",
    "examples[0]",
    "usage_note",
    "why_it_matters",
    "limitations",
    "faq[0].a",
)
HOSTILE_FORMULAS = {
    "x\n<script>alert('pwned')</script>": "'<' followed by a letter would start HTML",
    "x $$ \\text{pwned}": "a formula cannot contain $$",
    'x\n--8<-- "mkdocs.yml"': "'--8<--' would include another file into the page",
    "a\n\n{: onclick=\"alert('pwned')\" }": "a formula cannot contain an empty line",
}

# Plain text may hold anything: each of these must reach the page as text.
PLAIN_PAYLOADS = (
    "<script>alert('pwned')</script>",
    "</title><script>alert('pwned')</script>",
    "<img src=x onerror=alert('pwned')>",
    "\" onmouseover=\"alert('pwned')",
    "<iframe src=https://evil.example/></iframe>",
    "{: onclick=alert('pwned') }",
    "[x](javascript:alert('pwned'))",
    "</textarea><!-- pwned -->",
    '--8<-- "mkdocs.yml"',
    "&lt;script&gt;alert('pwned')&lt;/script&gt;",
)
NAME_PAYLOADS = (PLAIN_PAYLOADS[3], PLAIN_PAYLOADS[9])  # the ones a name may hold
SUMMARY = 'A summary holding " onmouseover="alert(\'pwned\')" & a quote, which stays text.'


def term(name: str, **fields) -> dict:
    data = {
        "term": name,
        "summary": SUMMARY,
        "category": "payloads",
        "definition": "Defined, with `<script>alert('pwned')</script>` as code, "
        "&lt;b&gt; as an entity, a < b, $x<1$ and $\\frac{a}{b}$.",
    }
    return {**data, **fields}


def hostile_term(markdown: str) -> dict:
    """A term whose every Markdown field holds ``markdown``."""
    return term(
        "Hostile",
        explanation=markdown,
        examples=[markdown],
        usage_note=markdown,
        why_it_matters=markdown,
        limitations=markdown,
        faq=[{"q": "Why?", "a": markdown}],
        definition=markdown,
    )


CATEGORIES = {"payloads": {"title": PLAIN_PAYLOADS[0], "description": PLAIN_PAYLOADS[3]}}


def write_terms(terms_dir: Path, terms: dict[str, dict]) -> None:
    shutil.rmtree(terms_dir, ignore_errors=True)
    terms_dir.mkdir()
    for slug, data in {"_categories": CATEGORIES, **terms}.items():
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
        (terms_dir / f"{slug}.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("markdown", HOSTILE_MARKDOWN)
def test_hostile_markdown_in_any_markdown_field_fails_the_check(
    markdown: str, tmp_path: Path
) -> None:
    write_terms(tmp_path / "terms", {"hostile": hostile_term(markdown)})
    _, problems = validate(load_sources(tmp_path))
    by_field = {problem.field: problem for problem in problems}
    assert set(by_field) == set(MARKDOWN_FIELDS), [str(p) for p in problems]
    for problem in problems:
        assert problem.message.startswith(HOSTILE_MARKDOWN[markdown]), str(problem)
        assert problem.path == "terms/hostile.yaml"
        assert problem.line > 1
        assert problem.column >= 1


@pytest.mark.parametrize("formula", HOSTILE_FORMULAS)
def test_hostile_formulas_fail_the_check(formula: str, tmp_path: Path) -> None:
    write_terms(tmp_path / "terms", {"hostile": term("Hostile", formula=formula)})
    _, problems = validate(load_sources(tmp_path))
    assert [p.field for p in problems] == ["formula"]
    assert problems[0].message.startswith(HOSTILE_FORMULAS[formula])


def test_glossary_check_reports_hostile_markdown_cleanly(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    terms = {f"hostile-{i}": hostile_term(md) for i, md in enumerate(HOSTILE_MARKDOWN)}
    for i, data in enumerate(terms.values()):
        data["term"] = f"Hostile {i}"
    write_terms(project / "terms", terms)
    result = run_python("-m", "generator", "check", cwd=project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == f"glossary: {len(lines) - 1} problems found"
    assert len(lines) - 1 == len(HOSTILE_MARKDOWN) * len(MARKDOWN_FIELDS)
    for line in lines[:-1]:
        assert re.match(r"terms/hostile-\d+\.yaml:\d+:\d+: [a-z_]+(\[0\](\.a)?)?: .+; .+", line)
    assert "Traceback" not in result.stderr


# --- the built site ---


def payload_glossary() -> dict[str, dict]:
    """Three terms that carry the plain-text payloads in every plain-text field."""
    first = PLAIN_PAYLOADS[0]
    # Names cannot hold '<', '[', '{'...: glossary check refuses them (see
    # tests/generator/test_hostile_names.py); these two payloads are still valid names.
    return {
        "script-name": term(
            NAME_PAYLOADS[1],
            aliases=["Script Alias"],
            tags=[first, PLAIN_PAYLOADS[3]],
            faq=[{"q": payload, "a": "Answered."} for payload in PLAIN_PAYLOADS],
            organizations=[{"name": first, "note": PLAIN_PAYLOADS[3]}],
            references=[
                {
                    "title": PLAIN_PAYLOADS[1],
                    "authors": [PLAIN_PAYLOADS[2], PLAIN_PAYLOADS[4]],
                    "year": 2020,
                    "url": "https://example.org/?q=pwned&quote=%22onmouseover%3D",
                    "venue": PLAIN_PAYLOADS[5],
                }
            ],
            see_also=[{"title": PLAIN_PAYLOADS[6], "url": "https://example.org/"}],
            figures=[
                {
                    "kind": "normalized-activations",
                    "caption": PLAIN_PAYLOADS[2],
                    "params": {"norm": "layer"},
                }
            ],
            related=["title-breaker"],
        ),
        "title-breaker": term(NAME_PAYLOADS[0], tags=[PLAIN_PAYLOADS[7]]),
        "plain-prose": term(
            "Plain Prose",
            definition="It names script alert pwned script and title script alert in prose, "
            "and [[script-name]] and [[title-breaker|the other one]] explicitly.",
        ),
    }


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = project_copy(tmp_path_factory.mktemp("injection"))
    write_terms(project / "terms", payload_glossary())
    result = run_python("-m", "generator", "build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


class _Page(HTMLParser):
    """Everything in one page that could run: scripts, handlers, frames, URLs; and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.live: list[str] = []  # markup that must never come from content
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self._script = attributes
        if tag in ("iframe", "frame", "frameset", "object", "embed", "applet", "base"):
            self.live.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.live.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"{tag} {name}={value!r}")
            if name in ("href", "src", "action", "formaction", "poster", "data", "xlink:href"):
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", value or ""))
                if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                    self.live.append(f"{tag} {name}={value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.scripts.append((dict(attrs), ""))
            self._script = None


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def pages(site: Path) -> dict[str, _Page]:
    return {
        path.relative_to(site).as_posix(): parse(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


def test_no_page_holds_live_markup_from_the_content(payload_site: Path) -> None:
    for name, page in pages(payload_site).items():
        assert page.live == [], name
        for attributes, text in page.scripts:
            source = attributes.get("src")
            if source is not None:  # the site's own scripts, and nothing else
                target = (payload_site / name).parent.joinpath(source).resolve()
                assert target.is_file(), (name, source)
                assert target.is_relative_to(payload_site / "assets"), (name, source)
            elif attributes.get("type") == "application/ld+json":
                json.loads(text)  # whole: the content did not close the script early
            else:
                assert MARK not in text, (name, text)


def test_the_search_index_holds_no_live_markup(payload_site: Path) -> None:
    index = json.loads((payload_site / "search" / "search_index.json").read_text("utf-8"))
    for entry in index["docs"]:
        for field in ("title", "text", *(["tags"] if "tags" in entry else [])):
            values = entry[field] if isinstance(entry[field], list) else [entry[field]]
            for value in values:  # Material shows them with innerHTML
                page = parse(value)
                assert page.live == [], (entry["location"], field, value)
                assert page.scripts == [], (entry["location"], field, value)


def test_every_plain_text_payload_is_shown_as_text(payload_site: Path) -> None:
    site = pages(payload_site)
    page = site["glossary/script-name/index.html"]
    text = "".join(page.text)
    for payload in PLAIN_PAYLOADS:  # aliases, FAQ questions, and more
        assert payload in text, payload
    assert unescape(SUMMARY) in text
    other = "".join(site["glossary/title-breaker/index.html"].text)
    assert f"{NAME_PAYLOADS[0]} - " in other  # the <title>, whole
    assert PLAIN_PAYLOADS[7] in other  # a tag
    category = "".join(site["glossary/category/payloads/index.html"].text)
    assert NAME_PAYLOADS[0] in category
    assert NAME_PAYLOADS[1] in category


def test_the_payload_site_is_complete(payload_site: Path) -> None:
    """The payloads did not break the pages: every term page is there, with its figure."""
    for slug in payload_glossary():
        assert (payload_site / "glossary" / slug / "index.html").is_file(), slug
    html = (payload_site / "glossary" / "script-name" / "index.html").read_text("utf-8")
    assert html.count("<figcaption>") == 1
