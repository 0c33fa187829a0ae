"""markdown.safety: Markdown from a term file can never put HTML of its own on a page.

The fixtures under fixtures/bad/ show each message in context; these tests go through the
tricks one by one, and check that ordinary Markdown, code and math pass untouched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.markdown.rendered import SITE_EXTENSIONS, UNCHECKED_EXTENSIONS, unsafe_html
from generator.markdown.safety import adds_syntax, latex_problems, markdown_problems
from tests.cpu_time import cpu_time_growth

ROOT = Path(__file__).resolve().parents[2]


def first(text: str, **options: bool) -> str:
    """The first problem as 'line:column: message'."""
    found = markdown_problems(text, **options)
    assert found, text
    return f"{found[0].line}:{found[0].column}: {found[0].message}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "1:1: HTML is not allowed here: '<script>'"),
        ("a <img src=x onerror=alert(1)> b", "1:3: HTML is not allowed here: '<img'"),
        ('<iframe src="https://example.org">', "1:1: HTML is not allowed here: '<iframe'"),
        ("ok\n</textarea>", "2:1: HTML is not allowed here: '</textarea>'"),
        ("a <!-- note --> b", "1:3: HTML is not allowed here: '<!--'"),
        ("a <?php x ?> b", "1:3: HTML is not allowed here: '<?php'"),
        ("a <!DOCTYPE html>", "1:3: HTML is not allowed here: '<!DOCTYPE'"),
        ("<scr\nipt>", "1:1: HTML is not allowed here: '<scr'"),  # even unfinished
        ("<javascript://%0aalert(1)>", "1:1: HTML is not allowed here: '<javascript://%0aale"),
        # a code span over two lines does not stop a tag at the start of a line
        ("`a\n<script>alert(1)</script>\nb`", "2:1: HTML is not allowed here: '<script>'"),
        # nor does a code span whose backticks Python-Markdown pairs differently
        ("``a` <script>` b`", "1:6: HTML is not allowed here: '<script>'"),
        # nor a code fence that is not closed, or not after a blank line
        ("```\n<b>x</b>", "1:1: this code fence is never closed"),
        ("text\n```\n<b>x</b>\n```", "3:1: HTML is not allowed here: '<b>'"),
        # found by the fuzzer: \begin...\end is math only as a block of its own
        ("a \\begin{aligned}<script>\\end{aligned}", "1:18: HTML is not allowed here"),
    ],
)
def test_raw_html_is_refused(text: str, expected: str) -> None:
    found = [f"{p.line}:{p.column}: {p.message}" for p in markdown_problems(text)]
    assert any(problem.startswith(expected) for problem in found), found


def test_html_in_the_first_line_of_an_example_fence_is_refused() -> None:
    """An example follows '- ' on its page: a fence on its first line is not a code block."""
    assert markdown_problems("```\n<b>x</b>\n```") == []
    assert first("```\n<b>x</b>\n```", in_list_item=True).startswith("2:1: HTML")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("[x](javascript:alert(1))", "javascript:alert(1)"),
        ("[x](JaVaScRiPt:alert(1))", "JaVaScRiPt:alert(1)"),
        ("[x]( javascript:alert(1) )", "javascript:alert(1)"),
        ("[x](jav&#x61;script:alert(1))", "jav&#x61;script:alert(1)"),
        ("[x](&#106;avascript:alert(1))", "&#106;avascript:alert(1)"),
        ("[x](java\nscript:alert(1))", "java"),
        ("[x](<javascript:alert(1)>)", "javascript:alert(1)"),
        ("[x](vbscript:msgbox)", "vbscript:msgbox"),
        ("[x](other-term.md)", "other-term.md"),
        ("[x](../index.md)", "../index.md"),
        ("[x](#formula)", "#formula"),
        ("[x](//evil.example/)", "//evil.example/"),
        ("[x](https:evil)", "https:evil"),
        ("[x]()", ""),
    ],
)
def test_links_go_only_to_http_https_and_mailto(text: str, target: str) -> None:
    assert f"the link target '{target}' is " in first(text)


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("[services](/service/)", "did you mean the term 'service'? write [[service|services]]"),
        ("[Service](../service/)", "did you mean the term 'service'? write [[service]]"),
        ("[the pods](/en/docs/pod/#top)", "did you mean the term 'pod'? write [[pod|the pods]]"),
        ("[x](other-term.md)", "did you mean the term 'other-term'? write [[other-term|x]]"),
        (
            "[x](javascript:alert(1))",
            "link to another term with [[slug]], or to a full address starting with https://",
        ),
    ],
)
def test_a_site_path_that_ends_in_a_slug_suggests_the_term_link(text: str, fix: str) -> None:
    assert markdown_problems(text)[0].fix == fix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'See {{% glossary_tooltip text="pods" term_id="pod" %}}.',
            "1:5: '{{% glossary_tooltip text=\"pods\" term...' is template syntax of another "
            "site generator; write the term link it stands for: [[pod|pods]]",
        ),
        (
            "{{< note >}}Careful.{{< /note >}}",
            "1:1: '{{< note >}}' is template syntax of another site generator; write what it "
            "stands for in Markdown, or remove it",
        ),
        (
            "A {% raw %} tag.",
            "1:3: '{% raw %}' is template syntax of another site generator; write what it "
            "stands for in Markdown, or remove it",
        ),
    ],
)
def test_template_syntax_is_named_as_such(text: str, expected: str) -> None:
    found = markdown_problems(text)[0]
    assert f"{found.line}:{found.column}: {found.message}; {found.fix}" == expected


def test_template_syntax_in_code_is_text() -> None:
    assert markdown_problems("Write `{{< note >}}` in Hugo.") == []


_DEFINITION = "a reference definition ('[label]: address') is not allowed"
_IMAGE = "images are not allowed in a term's text"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x]: javascript:alert(1)\n\n[y][x]", f"1:1: {_DEFINITION}"),
        ("[x]:\n  javascript:alert(1)", f"1:1: {_DEFINITION}"),
        ('[x]: <javascript:alert(1)> "title"', f"1:1: {_DEFINITION}"),
        ("A [link][paper].\n\n[paper]: https://arxiv.org/abs/1502.03167", f"3:1: {_DEFINITION}"),
        ("See [the paper][p].\n\n> [p]: javascript:alert(1)", f"3:3: {_DEFINITION}"),
        ("See [the paper][p].\n\n- [p]: javascript:alert(1)", f"3:3: {_DEFINITION}"),
        ("See [the paper][p].\n\n1. [p]: javascript:alert(1)", f"3:4: {_DEFINITION}"),
        ("See [x][p].\n\nTerm\n:   [p]: jav&#x61;script:alert(1)", f"4:5: {_DEFINITION}"),
        ("See [x][p].\n\n> > - [p]: javascript:alert(1)", f"3:7: {_DEFINITION}"),
        # Lazy continuation: not predicted by the line rule, found in the rendered HTML.
        ("> quote\n[p]: javascript:alert(1)", f"2:1: {_DEFINITION}"),
        ("![x](data:image/svg+xml;base64,AAAA)", f"1:1: {_IMAGE}"),
        ("Look: ![a tracker](https://tracker.example/p.png)", f"1:7: {_IMAGE}"),
        ("![x] [i]", f"1:1: {_IMAGE}"),
        ("[x][term:glossary/adam]", "1:4: '[term:' is the generator's own link syntax"),
        ("[TERM:adam]", "1:1: '[TERM:' is the generator's own link syntax"),
        # Python-Markdown's HTML parser reads the text before math is found.
        ("$p(x_t \\mid x_{<t})$", "1:16: '<t})$' in math would still be read as the start"),
    ],
)
def test_reference_definitions_images_and_internal_links_are_refused_anywhere(
    text: str, expected: str
) -> None:
    assert first(text).startswith(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Footnote[^1].\n\n[^1]: A note.",
        "*[HTML]: Hyper Text Markup Language",
        "`[x]: javascript:alert(1)` is a reference definition, and `![x](y)` an image.",
        "$[a]: b$ and a ratio 1:2",
        "```\n[x]: javascript:alert(1)\n![x](y)\n```",
    ],
)
def test_footnotes_abbreviations_and_code_are_not_definitions(text: str) -> None:
    assert markdown_problems(text) == []


@pytest.mark.parametrize(
    "text",
    [
        'para\n{: onclick="alert(1)" }',
        "[a](https://example.org){onclick=alert(1)}",
        "*x*{ href=javascript:alert(1) }",
        "BN{onclick=alert(1)}",  # an automatic link to the term BN would end right before it
        "# heading {onclick=alert(1)}",
        "- item {#__config}",
        "$x${onclick=alert(1)}",
        "`code`{.x}",
        "a {: .class }",
        "# - {: onclick=alert(1) }# ",  # found by the fuzzer: the heading's closing '#'
        "| a | b |\n|---|---|\n| x {onclick=1} |",
    ],
)
def test_attribute_lists_are_refused(text: str) -> None:
    assert "would set HTML attributes (an attribute list)" in first(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('--8<-- "mkdocs.yml"', "1:1: '--8<--' would include another file"),
        ("a\n\n  ;--8<--\n  x.md\n  --8<--", "3:1: '--8<--' would include another file"),
        ('```\n--8<-- "x"\n```', "2:1: '--8<--' would include another file"),  # even in code
        ('```python title="x.py"\ncode\n```', "1:4: a code fence may name only its language"),
        ('```{.py onclick="x"}\ncode\n```', "1:4: a code fence may name only its language"),
        ("```python\ncode\n````", "1:1: this code fence is never closed"),
        ("  ```\n  code\n```", "1:1: this code fence is never closed"),
    ],
)
def test_snippets_and_fences(text: str, expected: str) -> None:
    assert first(text).startswith(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Plain **Markdown** with *emphasis*, a [link](https://example.org) and a list:\n\n- one",
        "[Wikipedia](https://en.wikipedia.org/wiki/Normalization_(statistics)) and <https://x.org>",
        "Write to <mailto:someone@example.org> or [us](mailto:us@example.org).",
        "Code: `<div onclick=x>{.y}</div>` and `` a ` b ``.",
        "```html\n<script>alert(1)</script>\n{: onclick=x }\n[x](javascript:y)\n```",
        "- a list\n\n    ```python\n    if x < y: pass\n    ```",
        "Math: $x < y$, $a \\le b$, $\\frac{1}{2}$, $\\mathbb{E}_{x}[f(x)]$, $$\\sum_{i} x_i$$.",
        "$$\n\\begin{aligned}\na &= b \\\\\nc &= \\frac{d}{e}\n\\end{aligned}\n$$",
        "Less than: a < b, 3<4, x <= y; a set { a, b } in prose; and \\{escaped\\}.",
        "A footnote[^1].\n\n[^1]: Its text.",
        "| a | b |\n|---|---|\n| $x$ | `y` |",
        "!!! note\n    An admonition.",
        "*[BN]: Batch normalization\n\nBN is an abbreviation.",
        "Explicit links: [[batch-normalization]] and [[layer-normalization|LayerNorm]].",
    ],
)
def test_ordinary_markdown_code_and_math_pass(text: str) -> None:
    assert markdown_problems(text) == []
    assert unsafe_html(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\n\nb", "2:1: a formula cannot contain an empty line"),
        ("$$ x $$", "1:1: a formula cannot contain $$"),
        ("x\n<script>", "2:1: '<' followed by a letter would start HTML"),
        ('--8<-- "x"', "1:1: '--8<--' would include another file"),
        ("x\n```\ny", "2:1: a formula line cannot start with ``` or ~~~ (a code fence)"),
    ],
)
def test_formulas(text: str, expected: str) -> None:
    found = latex_problems(text)
    assert f"{found[0].line}:{found[0].column}: {found[0].message}".startswith(expected)


def test_formulas_of_the_shipped_kind_pass() -> None:
    formula = (
        "\\begin{aligned}\n\\mu &= \\frac{1}{m}\\sum_{i=1}^{m} x_i \\\\\ny &= x < 1\n\\end{aligned}"
    )
    assert latex_problems(formula) == []
    assert unsafe_html(formula, as_formula=True) is None


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        # math that a list marker splits: its braces end up outside the math
        ("- $a BN{onclick=alert(1)}\n- b$", {}, "the attribute list '{onclick=alert(1)}'"),
        ("<em onclick=alert(1)>x</em>", {}, "the attribute onclick"),
        ("<script>x</script>", {}, "the element <script>"),
        ("[x](jav&#x61;script:alert(1))", {}, "a link to 'javascript:alert(1)'"),
        ("[x]: javascript:alert(1)", {}, "the reference definition '[x]:'"),  # never used
        ("<!-- x -->", {}, "an HTML comment"),
        ("$$\n<script>x</script>\n$$", {}, "the element <script>"),
        ("x\n<script>alert(1)</script>", {"as_formula": True}, "the element <script>"),
        ("x\n\n<script>x</script>", {"as_list_item": True}, "the element <script>"),
        # braces inside a table row, which attr_list reads cell by cell
        ("| a | b |\n|---|---|\n| x {onclick=1} | z |", {}, "the attribute list '{onclick=1}'"),
    ],
)
def test_the_rendered_html_is_checked_as_a_safety_net(text, options, expected) -> None:
    found = unsafe_html(text, **options)
    assert found is not None
    assert found.what == expected


@pytest.mark.parametrize(
    ("piece", "count"),
    [
        ("{", 200_000),
        ("{a", 100_000),
        ("<a", 100_000),
        ("`", 200_000),
        ("` x", 60_000),
        ("[x](", 50_000),
        ("$", 200_000),
        ("$a", 100_000),
        ("```\n", 50_000),
    ],
    ids=[
        "braces",
        "open-braces",
        "tags",
        "backticks",
        "spans",
        "links",
        "dollars",
        "math",
        "fences",
    ],
)
def test_checking_takes_time_in_proportion_to_the_text(piece: str, count: int) -> None:
    def check(n: int) -> None:
        text = piece * n + ("}" if piece == "{a" else "")
        markdown_problems(text)
        latex_problems(text)

    assert cpu_time_growth(check, count, factor=4) < 8  # 4 in proportion, 16 if quadratic


def test_the_checked_extensions_are_the_sites() -> None:
    """unsafe_html renders with mkdocs.yml's Markdown extensions (those it leaves out are
    refused by markdown_problems instead)."""

    class IgnoreTags(yaml.SafeLoader):
        pass

    IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=IgnoreTags)
    site: dict[str, object] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        site[name] = options or {}
    assert set(site) == set(SITE_EXTENSIONS) | set(UNCHECKED_EXTENSIONS)
    for name, options in SITE_EXTENSIONS.items():
        assert site[name] == options, name


def test_braces_that_attr_list_may_take_are_judged_on_the_rendered_html() -> None:
    """Braces neither glued to a word nor ending a line are left to the rendered HTML."""
    assert markdown_problems("a set { a, b } of two") == []
    (problem,) = markdown_problems("| a | b |\n|---|---|\n| x {onclick=1} | z |")
    assert (problem.line, problem.column) == (3, 5)
    assert problem.message == (
        "would become unsafe HTML on the page: the attribute list '{onclick=1}'"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 1000, "1:1: 1000 '[' have no matching ']'"),
        ("ok\nab [x" + " [y" * 1000, "2:4: 1001 '[' have no matching ']'"),
        ("[" * 600 + "]" * 600, "1:1: '[' are nested too deeply"),
        ("\\(x" * 1000, "1:1: too many '\\(' without a matching '\\)'"),
        ("\\[x" * 1000, "1:2: 1000 '[' have no matching ']'"),  # escaped or not
        ("1. " * 30, "1:1: lists or quotes nested 30 levels deep, over the limit of 20"),
        ("> " * 21 + "x", "1:1: lists or quotes nested 21 levels deep, over the limit of 20"),
        ("- item\n" * 201, "201:1: has 201 list items or quoted lines, over the limit of 200"),
    ],
)
def test_what_would_take_the_sites_markdown_minutes_is_refused(text: str, expected: str) -> None:
    assert first(text) == expected


def test_unclosed_brackets_of_ordinary_texts_are_fine() -> None:
    text = "An interval $[0, 1)$, a list [1, 2, 3] and [[batch-normalization]].\n" * 50
    assert markdown_problems(text) == []


@pytest.mark.parametrize(
    ("source", "linked", "added"),
    [
        ("Adam is fast.", "[Adam][term:adam] is fast.", False),
        (
            "See [the paper](https://x.org) on Adam.",
            "See [the paper](https://x.org) on [Adam][term:adam].",
            False,
        ),
        ("Adam(javascript:alert(1))", "[Adam][term:adam](javascript:alert(1))", True),
        ("> Adam: x", "> [Adam][term:adam]: x", True),
        ("Look!Adam", "Look![Adam][term:adam]", True),
    ],
)
def test_only_linking_that_adds_syntax_is_checked_again(source, linked, added) -> None:
    assert adds_syntax(source, linked) is added
