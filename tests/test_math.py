"""Every formula of the shipped glossary typesets with KaTeX, the renderer the build uses, and
``glossary check`` sees exactly the formulas that the build typesets.

The build typesets what pymdownx.arithmatex marks in the rendered Markdown
(``site.math_pages``); the check finds formulas in the term files' texts
(``markdown.formulas.find_formulas``) to report a bad one at its line and column. If the two
readings differed, a formula could pass the check and fail the build, or the reverse.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import markdown
import pytest

from generator.markdown.formulas import find_formulas
from generator.markdown.katex import Formula, Typesetter, katex_directory
from generator.model import Term
from generator.pipeline.build import linked_glossary

ROOT = Path(__file__).resolve().parents[1]
KATEX = katex_directory(ROOT)
# The same extension and settings as mkdocs.yml: arithmatex finds the math, KaTeX typesets it.
_MATH = re.compile(r'<(span|div) class="arithmatex">\\[(\[](.*?)\\[)\]]</\1>', re.DOTALL)


def _texts(term: Term) -> list[tuple[str, str]]:
    texts = [("definition", term.definition), ("explanation", term.explanation or "")]
    texts += [(f"symbols[{i}].meaning", symbol.meaning) for i, symbol in enumerate(term.symbols)]
    texts += [(f"examples[{i}]", text) for i, text in enumerate(term.examples)]
    texts += [(section.name, section.text) for section in term.sections]
    texts += [(f"faq[{i}].a", entry.a) for i, entry in enumerate(term.faq)]
    return [(field, text) for field, text in texts if text]


def _formula_and_symbols(term: Term) -> list[tuple[str, Formula]]:
    """The formula, and the symbols of its legend (each a formula of its own, inline)."""
    found = [("formula", (term.formula, True))] if term.formula else []
    return found + [
        (f"symbols[{i}].symbol", (symbol.symbol, False)) for i, symbol in enumerate(term.symbols)
    ]


def _as_the_build_reads_them(term: Term) -> list[tuple[str, Formula]]:
    converter = markdown.Markdown(
        extensions=["pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    found = _formula_and_symbols(term)
    for field, text in _texts(term):
        page = converter.reset().convert(text)
        found += [
            (field, (html.unescape(tex).strip(), tag == "div")) for tag, tex in _MATH.findall(page)
        ]
    return found


def _as_the_check_reads_them(term: Term) -> list[tuple[str, Formula]]:
    found = _formula_and_symbols(term)
    for field, text in _texts(term):
        found += [(field, (f.tex, f.display)) for f in find_formulas(text)]
    return found


TERMS = linked_glossary(ROOT).terms


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.slug)
def test_the_check_finds_the_formulas_the_build_typesets(term: Term) -> None:
    assert _as_the_check_reads_them(term) == _as_the_build_reads_them(term)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
@pytest.mark.skipif(KATEX is None, reason="KaTeX is not installed: run 'npm ci'")
def test_every_formula_of_the_shipped_glossary_typesets_with_katex() -> None:
    assert KATEX is not None
    pieces = [(term.source, *piece) for term in TERMS for piece in _as_the_build_reads_them(term)]
    assert len(pieces) > 100, "the glossary holds more math than this: is extraction broken?"
    assert ("terms/batch-normalization.yaml", "formula") in {(s, f) for s, f, _ in pieces}
    typesetter = Typesetter(KATEX)
    results = typesetter.typeset(formula for *_, formula in pieces)
    assert typesetter.batches == 1, "one Node process for the whole glossary"
    failures = [
        f"{source}: {field}: {results[formula].error}"
        for source, field, formula in pieces
        if results[formula].html is None
    ]
    assert failures == []
