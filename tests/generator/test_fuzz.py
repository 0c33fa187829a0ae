"""Fuzzed: random term files and random values in every field never break the generator.

Whatever a term file holds, load -> validate either reports problems that are each located
(path, line and column from 1, field, message, fix), or the glossary links and renders into
pages whose HTML, as the site's Markdown makes it, holds nothing live that the content put
there: no script, iframe or other embedding element, no on* attribute, no javascript: or data:
URL, no style. Never an exception, never a hang.

Runs in-process on parsed documents (no disk, no MkDocs, no figures), derandomized so that CI
sees the same examples every time; ``GLOSSARY_FUZZ_EXAMPLES=5000`` hunts with that many
random examples per test.
"""

from __future__ import annotations

import operator
import os
import re
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.markdown.rendered import SITE_EXTENSIONS
from generator.markdown.sanitizer import sanitize_html
from generator.model import Problem
from generator.pipeline.figures import RenderedFigure
from generator.pipeline.link import link
from generator.pipeline.load import LoadedSources
from generator.pipeline.parse import parse_document
from generator.pipeline.render import render_pages
from generator.pipeline.validate import validate
from generator.schema import MARKDOWN_MAX_LENGTH
from tests.cpu_time import cpu_time_growth
from tests.generator.conftest import CATEGORIES, dump

HUNT = os.environ.get("GLOSSARY_FUZZ_EXAMPLES")  # e.g. 5000: random examples, not CI's
FUZZ = settings(
    max_examples=int(HUNT or 60),
    deadline=None,  # no time limit per example: slow ones show in the suite's duration
    derandomize=HUNT is None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BASE: dict[str, Any] = {
    "term": "Fuzzed Term",
    "summary": "A term whose fields the fuzzer fills.",
    "aliases": ["FT"],
    "category": "normalization",
    "tags": ["testing"],
    "definition": "Fuzzed Term is defined here, next to [[other-term]].",
    "explanation": "It works.",
    "formula": "y = x",
    "examples": ["An example."],
    "usage_note": "Use it.",
    "why_it_matters": "It matters.",
    "limitations": "None.",
    "faq": [{"q": "Why?", "a": "Because."}],
    "related": ["other-term"],
    "organizations": [{"name": "An Org", "note": "It helps."}],
    "references": [
        {
            "title": "A Paper",
            "authors": ["Ada Lovelace"],
            "year": 2015,
            "url": "https://example.org/paper",
            "venue": "A Venue",
        }
    ],
    "see_also": [{"title": "Elsewhere", "url": "https://example.org/"}],
    "figures": [{"kind": "normalized-activations", "caption": "A figure.", "params": {}}],
}
OTHER: dict[str, Any] = {
    "term": "Other Term",
    "summary": "Another term, which the fuzzed one can mention.",
    "category": "training",
    "definition": "Other Term is mentioned by the Fuzzed Term and by FT.",
}
# Where a fuzzed value goes: a top-level field, or a field of the first item of a list.
FIELDS = [(name,) for name in BASE] + [
    ("faq", 0, "q"),
    ("faq", 0, "a"),
    ("organizations", 0, "name"),
    ("organizations", 0, "note"),
    ("references", 0, "title"),
    ("references", 0, "authors"),
    ("references", 0, "year"),
    ("references", 0, "url"),
    ("references", 0, "venue"),
    ("see_also", 0, "title"),
    ("see_also", 0, "url"),
    ("figures", 0, "kind"),
    ("figures", 0, "caption"),
    ("figures", 0, "params"),
    ("examples", 0),
    ("aliases", 0),
    ("related", 0),
]
MARKDOWN_FIELDS = [
    ("definition",),
    ("explanation",),
    ("usage_note",),
    ("why_it_matters",),
    ("limitations",),
    ("faq", 0, "a"),
    ("examples", 0),
    ("formula",),
]
# The pieces that Markdown, HTML and the site's extensions are made of.
MARKUP = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=x>",
    "<!--",
    "-->",
    "<?",
    "<b",
    "<https://example.org>",
    "<mailto:a@b.c>",
    "<javascript:alert(1)>",
    "`",
    "``",
    "```",
    "```py",
    "~~~",
    "$",
    "$$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "\\begin{aligned}",
    "\\end{aligned}",
    "{",
    "}",
    "{: onclick=alert(1) }",
    "{#id .class}",
    "{ href=javascript:alert(1) }",
    ":",
    "[x]",
    "[x](",
    "](",
    ")",
    "javascript:alert(1)",
    "jav&#x61;script:",
    "data:text/html,x",
    "https://example.org",
    "[x]: ",
    "> [p]: ",
    "- [p]: ",
    "1. [p]: ",
    ":   [p]: ",
    "Term\n:   ",
    "[term:",
    "][term:other-term]",
    "![x](",
    "[^1]",
    "[[other-term]]",
    "[[other-term|",
    "]]",
    "Other Term",
    "FT",
    "*",
    "_",
    "**",
    "\\",
    "|",
    "| a | b |\n|---|---|\n",
    "- ",
    "1. ",
    "> ",
    "# ",
    "!!! note",
    "*[FT]: ",
    "--8<-- ",
    '"x.md"',
    "&#106;",
    "&amp;",
    "\n",
    "\n\n",
    "    ",
    "\t",
    " ",
    "a",
    "word",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | st.text(max_size=60)
    | st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=3000)
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
markdown_texts = st.lists(st.sampled_from(MARKUP), max_size=25).map("".join) | st.builds(
    operator.mul, st.sampled_from(MARKUP), st.integers(min_value=100, max_value=4000)
)


def sources_with(raw: bytes, other: bytes | None = None) -> LoadedSources:
    """The fuzzed file as terms/fuzzed-term.yaml, beside another term (valid unless given) and
    the categories."""
    documents = []
    problems: list[Problem] = []
    other = dump(OTHER).encode() if other is None else other
    for slug, content in (("fuzzed-term", raw), ("other-term", other)):
        document, found = parse_document(content, f"terms/{slug}.yaml")
        problems += found
        if document is not None:
            documents.append(document)
    categories, found = parse_document(dump(CATEGORIES).encode(), "terms/_categories.yaml")
    assert not found
    return LoadedSources(
        tuple(documents),
        categories,
        tuple(problems),
        ("terms/fuzzed-term.yaml", "terms/other-term.yaml"),
    )


def with_value(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = yaml.safe_load(yaml.safe_dump(BASE))  # a deep copy
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def as_yaml(data: dict[str, Any]) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120).encode()


def run_the_generator(raw: bytes, other: bytes | None = None) -> int:
    """Load, validate, and when valid link and render: the number of problems."""
    glossary, problems = validate(sources_with(raw, other))
    for problem in problems:
        assert problem.path.startswith("terms/"), problem
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.field and problem.message and problem.fix, problem
        assert "\n" not in str(problem), problem
    if problems:
        return len(problems)
    linked = link(glossary)
    figures = {
        (term.slug, i): RenderedFigure(
            f"{term.slug}-{i + 1}-light.svg", f"{term.slug}-{i + 1}-dark.svg", "Alt.", b"", b""
        )
        for term in linked.terms
        for i, _ in enumerate(term.figures)
    }
    for name, page in render_pages(linked, figures).items():
        assert_safe_page(name, page)
    return 0


# The site's Markdown, attribute lists included; pymdownx.snippets is left out (its marker is
# looked for in the Markdown instead), so nothing is read from disk.
_SITE = markdown.Markdown(
    extensions=[*SITE_EXTENSIONS, "attr_list"], extension_configs=SITE_EXTENSIONS
)
_SNIPPET = re.compile(r"^[ \t]*;*-+8<-+", re.MULTILINE)


def assert_safe_page(name: str, page: str) -> None:
    body, meta = get_data(page)
    assert name.startswith("_") or meta.get("title"), name  # the front matter is still YAML
    assert not _SNIPPET.search(body), name
    _SITE.reset()
    html = _SITE.convert(body)
    checker = _LiveMarkup()
    checker.feed(html)
    checker.close()
    assert checker.found == [], (name, checker.found, body)
    # The sanitizer, the last line, never has to act on a page that passed the checks.
    assert sanitize_html(html).removed == (), (name, body)


class _LiveMarkup(HTMLParser):
    """What a browser would run or load: the site's templates put none of it in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "frame", "object", "embed", "base", "meta", "link", "form",
                   "style", "svg", "math", "textarea", "input", "button"}:  # fmt: skip
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            table_alignment = name == "style" and re.fullmatch(r"text-align: \w+;?", value or "")
            if name.startswith("on") or name in ("srcdoc", "formaction", "action", "style"):
                self.found += [] if table_alignment else [f"{tag} {name}"]
            if name in ("href", "src"):
                url = re.sub(r"[\x00-\x20]", "", value or "")
                scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
                if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                    self.found.append(f"{tag} {name}={value}")

    def handle_comment(self, data: str) -> None:
        self.found.append("<!--")


def test_the_base_term_renders_safely() -> None:
    assert run_the_generator(as_yaml(BASE)) == 0


@pytest.mark.parametrize("piece", MARKUP)
def test_markup_repeated_up_to_the_size_limit_takes_time_in_proportion(piece: str) -> None:
    """Inputs that make Python-Markdown or a regular expression take time that grows faster
    than the text are refused before any of them sees the text, or are fast."""
    count = MARKDOWN_MAX_LENGTH // len(piece)

    def generate(n: int) -> None:
        run_the_generator(as_yaml(with_value(("definition",), piece * n)))

    assert cpu_time_growth(generate, count, factor=4, repeats=1) < 8  # 16 if quadratic


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    run_the_generator(raw)


@FUZZ
@given(
    st.text(
        alphabet=st.sampled_from("ab :-?[]{}&*!|>'\"%@`#,\n\t\\.0<$\x00\x85\u2028\ufeff"),
        max_size=300,
    )
)
def test_random_yaml_syntax(text: str) -> None:
    run_the_generator(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.sampled_from(FIELDS), values)
def test_random_values_in_every_field(path: tuple[str | int, ...], value: Any) -> None:
    run_the_generator(as_yaml(with_value(path, value)))


@FUZZ
@given(st.sampled_from(MARKDOWN_FIELDS), markdown_texts)
def test_random_markdown_in_every_markdown_field(path: tuple[str | int, ...], text: str) -> None:
    run_the_generator(as_yaml(with_value(path, text)))


@FUZZ
@given(st.sampled_from(FIELDS), markdown_texts)
def test_random_markup_in_every_field(path: tuple[str | int, ...], text: str) -> None:
    run_the_generator(as_yaml(with_value(path, text)))


# Names built from what could splice a link, beside texts that mention them.
hostile_names = st.lists(
    st.sampled_from(["Adam", "W", "]", "[", ":", " ", "javascript", "(", ")", "//", "x", "-", "!"]),
    min_size=1,
    max_size=8,
).map("".join)


@FUZZ
@given(hostile_names, markdown_texts, st.sampled_from(MARKDOWN_FIELDS[:-1]))
def test_hostile_names_mentioned_in_hostile_texts(
    name: str, text: str, path: tuple[str | int, ...]
) -> None:
    other = dump({**OTHER, "term": name, "definition": "Defined."}).encode()
    mention = f"{name}{text}\n\n{text}{name}(javascript:alert(1))\n\n> {name}: javascript:x"
    run_the_generator(as_yaml(with_value(path, mention)), other)
