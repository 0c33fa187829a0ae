# ruff: noqa: RUF001  # formulas as text are Greek letters and mathematical symbols
"""Math typeset when the site is built: KaTeX through one Node process, its HTML through the
sanitizer unchanged, a formula it cannot typeset located at ``glossary check`` time, and
formulas as readable text where text is plain."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.markdown.as_text import markdown_to_text
from generator.markdown.formulas import FoundFormula, find_formulas, formula_as_text
from generator.markdown.katex import Typesetter, katex_directory
from generator.markdown.sanitizer import sanitize_html
from generator.model import GlossaryError, SourceDocument, Term
from generator.pipeline import math_check
from generator.pipeline.build import linked_glossary
from generator.pipeline.build_cache import BuildCache
from generator.pipeline.render import render_pages
from generator.site.export import glossary_json, glossary_page_url, json_ld
from tests.generator.conftest import MakeGlossary

ROOT = Path(__file__).resolve().parents[2]
KATEX = katex_directory(ROOT)
needs_katex = pytest.mark.skipif(
    KATEX is None or shutil.which("node") is None, reason="Node.js or KaTeX ('npm ci') missing"
)

# The fix every message about a formula KaTeX cannot typeset gives.
KATEX_FIX = (
    "fix the LaTeX (KaTeX's supported functions: https://katex.org/docs/supported); "
    "to show a literal '$', write \\$"
)

# What KaTeX draws with more than spans: SVG (square roots, wide accents, arrows, \cancel),
# colours and boxes (inline styles), arrays with rules, raised boxes.
FORMULAS = [
    (r"\hat{x}_i = \frac{x_i - \mu_\mathcal{B}}{\sqrt{\sigma_\mathcal{B}^2 + \epsilon}}", True),
    (r"\widehat{abc} + \overrightarrow{AB} + \cancel{x} + \sqrt[3]{y}", False),
    (r"\color{red}{a} + \colorbox{#ffe0e0}{b} + \fcolorbox{blue}{yellow}{c} + \boxed{d}", False),
    (r"\begin{array}{c|c} a & b \\ \hline c & d \end{array}", True),
    (r"\left( \sum_{i=1}^{n} x_i \right)^2 \raisebox{0.25em}{r} \rule{1em}{0.5em}", True),
    (r"\begin{aligned} f(x) &= x^2 \\ g(x) &\le \max(0, x) \end{aligned}", True),
]


@needs_katex
def test_one_node_process_typesets_a_batch_and_remembers_it() -> None:
    assert KATEX is not None
    typesetter = Typesetter(KATEX)
    results = typesetter.typeset(FORMULAS)
    assert typesetter.batches == 1
    assert all(result.html and 'class="katex' in result.html for result in results.values())
    assert 'class="katex-display"' in results[FORMULAS[0]].html  # type: ignore[operator]
    typesetter.typeset(FORMULAS[:2])
    assert typesetter.batches == 1, "a formula typeset before is not typeset again"


@needs_katex
def test_katex_output_passes_the_sanitizer_unchanged() -> None:
    assert KATEX is not None
    for (tex, _), result in Typesetter(KATEX).typeset(FORMULAS).items():
        assert result.html is not None, (tex, result.error)
        sanitized = sanitize_html(result.html)
        assert sanitized.removed == (), (tex, sanitized.removed)
        # nh3 writes styles, entities and empty elements its own way; every element and
        # attribute is kept.
        assert _start_tags(sanitized.html) == _start_tags(result.html), tex
        assert sanitized.html.count("=") == result.html.count("="), tex


def _start_tags(html: str) -> list[str]:
    return re.findall(r"<([a-zA-Z]+)", html)


def test_only_styles_of_the_form_katex_writes_are_kept() -> None:
    page = (
        '<span style="height:1.2em;vertical-align:-0.25em;">a</span>'
        '<span style="margin:0 -0.02em;color:#ff0000;">b</span>'
        '<span style="position:fixed;top:0;left:0;width:100em;height:100em">c</span>'
        '<span style="background-color:red;background-image:url(https://x.example/p.png)">d</span>'
        '<span style="height:expression(alert(1))">e</span>'
        '<p style="height:1em">f</p>'
        '<svg><image href="https://x.example/p.png"/><path d="M0 0"/></svg>'
        '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml>'
        '<mglyph src="https://x.example/p.png"/></math>'
    )
    sanitized = sanitize_html(page)
    assert sanitized.html == (
        '<span style="height:1.2em;vertical-align:-0.25em">a</span>'
        '<span style="margin:0 -0.02em;color:#ff0000">b</span>'
        "<span>c</span><span>d</span><span>e</span><p>f</p>"
        '<svg><path d="M0 0"></path></svg><math></math>'
    )
    assert sanitized.removed == (
        'the style "position:fixed;top:0;left:0;width:100em;height:100em" of <span>',
        'the style "background-color:red;background-image:url(https://x.example/p.png)" of <span>',
        'the style "height:expression(alert(1))" of <span>',
        "the attribute style of <p>",
        "the element <image>",
        "the element <annotation-xml>",
        "the attribute onerror of <img>",  # inside <annotation-xml>, removed with it
        "the element <mglyph>",
    )


def test_formulas_are_found_where_they_are() -> None:
    text = "Scale $\\gamma$ and `$code$`, then\n$$ \\frac{a}{b} $$ and \\(x\\) or \\[y\\]."
    assert find_formulas(text) == (
        FoundFormula("\\gamma", False, 7),
        FoundFormula("\\frac{a}{b}", True, 37),
        FoundFormula("x", False, 58),
        FoundFormula("y", True, 67),
    )
    assert text[37:48] == "\\frac{a}{b}"


@needs_katex
def test_a_formula_katex_cannot_typeset_is_located_at_check_time(
    make_glossary: MakeGlossary,
) -> None:
    root = make_glossary(
        {
            "adam": (
                "term: Adam\n"
                "summary: An optimizer.\n"
                "category: training\n"
                "definition: |\n"
                "  Adam keeps a running mean $m_t$ of gradients\n"
                "  and of squares, $v_t = \\beta_2 v_{t-1} + (1 - \\beta_2) \\gradd^2$.\n"
                "formula: m_t = \\beta_1 m_{t-1} + (1 - \\beta_1) g_t \\\\ \\hat{m_t\n"
                "explanation: Plain, with $\\frac{1}{2$ inline.\n"
            )
        }
    )
    with pytest.raises(GlossaryError) as raised:
        linked_glossary(root)
    problems = [str(problem) for problem in raised.value.problems]
    assert problems == [
        "terms/adam.yaml:6:58: definition: KaTeX cannot typeset this formula: "
        f"Undefined control sequence: \\gradd; {KATEX_FIX}",
        "terms/adam.yaml:7:63: formula: KaTeX cannot typeset this formula: "
        f"Unexpected end of input in a macro argument, expected '}}'; {KATEX_FIX}",
        "terms/adam.yaml:8:37: explanation: KaTeX cannot typeset this formula: "
        f"Unexpected end of input in a macro argument, expected '}}'; {KATEX_FIX}",
    ]


@needs_katex
def test_a_legend_symbol_katex_cannot_typeset_is_located_at_check_time(
    make_glossary: MakeGlossary,
) -> None:
    root = make_glossary(
        {
            "adam": (
                "term: Adam\n"
                "summary: An optimizer.\n"
                "category: training\n"
                "definition: Defined.\n"
                "formula: m_t = g_t\n"
                "symbols:\n"
                "  - {symbol: 'm_t', meaning: 'the running mean, $\\frac{1}{2$ of it'}\n"
                "  - {symbol: '\\hat{m_t', meaning: the estimate}\n"
            )
        }
    )
    with pytest.raises(GlossaryError) as raised:
        linked_glossary(root)
    problems = [str(problem) for problem in raised.value.problems]
    expected = "Unexpected end of input in a macro argument, expected '}'"
    assert problems == [
        f"terms/adam.yaml:7:30: symbols[0].meaning: KaTeX cannot typeset this formula: {expected}; "
        f"{KATEX_FIX}",
        f"terms/adam.yaml:8:14: symbols[1].symbol: KaTeX cannot typeset this formula: {expected}; "
        f"{KATEX_FIX}",
    ]


@needs_katex
def test_a_check_typesets_only_formulas_it_has_not_checked_before(
    make_glossary: MakeGlossary, own_signing_key: None
) -> None:
    root = make_glossary(
        {"adam": "term: Adam\nsummary: An optimizer.\ncategory: training\ndefinition: $x^2$.\n"}
    )
    linked_glossary(root, BuildCache.on_disk(root))
    assert KATEX is not None
    cache = BuildCache.on_disk(root)  # another process: only the verdicts on disk are known
    cache.restore_math()
    fresh = cache.math.typesetter(KATEX)
    verdicts = cache.math.verdicts[fresh.version]
    assert fresh.errors([("x^2", False)], verdicts) == {}
    assert fresh.batches == 0
    assert set(fresh.errors([("x^2", False), ("\\nope", False)], verdicts)) == {("\\nope", False)}
    assert fresh.batches == 1


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        ("\\mu", "μ"),
        ("\\sigma^2", "σ²"),
        ("\\epsilon", "ε"),
        ("\\sqrt{x}", "√x"),
        ("\\sqrt{\\sigma^2 + \\epsilon}", "√(σ² + ε)"),
        ("\\frac{a}{b}", "a/b"),
        ("\\frac{x_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}", "(xᵢ - μ_B)/√(σ_B² + ε)"),
        ("y_i = \\gamma \\hat{x}_i + \\beta", "yᵢ = γ x̂ᵢ + β"),
        ("\\mu_B = \\frac{1}{m}\\sum_{i=1}^{m} x_i", "μ_B = 1/m ∑ᵢ₌₁ᵐ xᵢ"),
        ("\\theta_{t+1} \\leftarrow \\theta_t - \\eta \\nabla L", "θₜ₊₁ ← θₜ - η ∇ L"),
        ("\\left( a \\right) \\cdot \\mathbb{R}^{n}", "(a) · ℝⁿ"),
        ("\\operatorname{softmax}(z)_j", "softmax(z)ⱼ"),
        ("W^{(l)} x^\\top", "W⁽ˡ⁾ xᵀ"),
        ("\\|w\\|_2^2 \\le C", "‖w‖₂² ≤ C"),
        ("\\text{if } x > 0", "if x > 0"),
        ("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}", "a = b; c = d"),
    ],
)
def test_formulas_read_as_text(tex: str, text: str) -> None:
    assert formula_as_text(tex) == text


def test_plain_text_has_readable_math_and_no_markup() -> None:
    markdown = (
        "With **$\\sigma^2$** and $\\epsilon$, see [[batch-normalization|the layer]]:\n"
        "$$\\hat{x} = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}$$"
    )
    assert markdown_to_text(markdown) == ("With σ² and ε, see the layer: x̂ = (x - μ)/√(σ² + ε)")


@needs_katex
def test_summaries_are_plain_text_in_every_place_that_shows_them(
    make_glossary: MakeGlossary,
) -> None:
    # (a term link in a summary is refused by the field checks: see test_validate)
    summary = "Scales by $\\sqrt{\\sigma^2}$, as Adam and SGD *do*."
    root = make_glossary(
        {
            "rms": f"term: RMS\nsummary: '{summary}'\ncategory: training\ndefinition: Text.\n",
            "adam": "term: Adam\nsummary: An optimizer.\ncategory: training\ndefinition: Text.\n",
            "sgd": "term: SGD\nsummary: An optimizer.\ncategory: training\ndefinition: Text.\n",
        }
    )
    linked = linked_glossary(root)
    plain = "Scales by √σ², as Adam and SGD do."
    assert linked.by_slug["rms"].summary == plain
    exported = json.loads(glossary_json(linked, glossary_page_url, "Site"))
    assert next(t for t in exported["terms"] if t["slug"] == "rms")["summary"] == plain
    ld = json_ld(linked.by_slug["rms"], None, "Site", None, linked.by_slug)
    assert json.loads(ld.split(">", 1)[1].rsplit("<", 1)[0])["@graph"][0]["description"] == plain
    pages = render_pages(linked, {})
    assert f'description: "{plain}"' in pages["rms.md"]
    assert f'"{plain}"' in pages["adam.md"] or f'"{plain}"' in pages["index.md"]  # a tooltip


def test_json_ld_leaves_out_urls_rather_than_give_them_relative() -> None:
    term = Term("adam", "terms/adam.yaml", "Adam", "An optimizer.", "Text.", "training")
    ld = json_ld(term, None, "Site", None)
    defined = json.loads(ld.split(">", 1)[1].rsplit("<", 1)[0])["@graph"][0]
    assert "url" not in defined
    assert defined["inDefinedTermSet"] == {"@type": "DefinedTermSet", "name": "Site"}
    ld = json_ld(term, "https://x.org/glossary/adam/", "Site", "https://x.org/glossary/")
    defined = json.loads(ld.split(">", 1)[1].rsplit("<", 1)[0])["@graph"][0]
    assert defined["url"] == "https://x.org/glossary/adam/"
    assert defined["inDefinedTermSet"]["url"] == "https://x.org/glossary/"


@needs_katex
def test_a_check_finds_formulas_again_only_in_the_files_that_changed(
    make_glossary: MakeGlossary, monkeypatch: pytest.MonkeyPatch, own_signing_key: None
) -> None:
    terms = {
        slug: f"term: {slug.upper()}\nsummary: A term.\ncategory: training\ndefinition: $x_{i}$.\n"
        for i, slug in enumerate(("aaa", "bbb", "ccc"))
    }
    root = make_glossary(terms)
    scanned: list[str] = []
    scan = math_check._formulas_of

    def counted(document: SourceDocument) -> list[math_check.Place]:
        scanned.append(document.path)
        return scan(document)

    monkeypatch.setattr(math_check, "_formulas_of", counted)
    linked_glossary(root, BuildCache.on_disk(root))
    assert sorted(scanned) == ["terms/aaa.yaml", "terms/bbb.yaml", "terms/ccc.yaml"]
    (root / "terms" / "bbb.yaml").write_text(
        terms["bbb"].replace("$x_1$", "$\\nope$"), encoding="utf-8"
    )
    scanned.clear()
    with pytest.raises(GlossaryError) as raised:
        linked_glossary(root, BuildCache.on_disk(root))  # a new process: only the cache on disk
    assert scanned == ["terms/bbb.yaml"]
    assert [p.path for p in raised.value.problems] == ["terms/bbb.yaml"]


@needs_katex
@pytest.mark.parametrize("signed_by", ["this machine", "another machine"])
def test_a_cache_that_hides_a_bad_formula_is_used_only_if_this_machine_signed_it(
    make_glossary: MakeGlossary,
    own_signing_key: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signed_by: str,
) -> None:
    """A pull request may bring a ``.cache/`` that says a bad formula typesets: a cache signed
    with another key is no cache, so the check still finds the formula."""
    text = "term: Adam\nsummary: An optimizer.\ncategory: training\ndefinition: $\\nope$.\n"
    root = make_glossary({"adam": text})
    assert KATEX is not None
    version = Typesetter(KATEX).version
    if signed_by == "another machine":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    BuildCache.on_disk(root).store.write("katex-verdicts", {version: {"I\\nope": (None, None)}})  # type: ignore[union-attr]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    if signed_by == "this machine":  # the cache is trusted: only the tool's own files are
        assert linked_glossary(root, BuildCache.on_disk(root))
        return
    with pytest.raises(GlossaryError) as raised:
        linked_glossary(root, BuildCache.on_disk(root))
    assert [str(p).split(": KaTeX")[0] for p in raised.value.problems] == [
        "terms/adam.yaml:4:14: definition"
    ]


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("*a* or *b*", "a or b"),  # one-letter emphasis: the first mark closes at the next
        ("**a** and **b**", "a and b"),
        ("_x_ then _y_", "x then y"),
        ("*one two* and *three*", "one two and three"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_emphasis_marks_are_removed_pair_by_pair(markdown: str, text: str) -> None:
    assert markdown_to_text(markdown) == text
