"""Every formula in the shipped glossary is valid for KaTeX, the renderer the site ships.

The browser tests look at one page; this test typesets every piece of math of every term with
the same KaTeX (node_modules/katex, pinned by package-lock.json) in one Node.js process, with
``throwOnError``, so a LaTeX mistake fails here with the term and field that hold it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest

from generator.model import Term
from generator.pipeline.build import linked_glossary

ROOT = Path(__file__).resolve().parents[1]
KATEX = ROOT / "node_modules" / "katex"
# The same extension and settings as mkdocs.yml: arithmatex finds the math, KaTeX typesets it.
_MATH = re.compile(r'<(span|div) class="arithmatex">\\[(\[](.*?)\\[)\]]</\1>', re.DOTALL)
_TYPESET = """
const katex = require(process.argv[1]);
const failures = [];
for (const [where, tex, display] of JSON.parse(require("fs").readFileSync(0, "utf8"))) {
  try { katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: "error"}); }
  catch (error) { failures.push(`${where}: ${error.message}`); }
}
console.log(JSON.stringify(failures));
"""


def _math_of(term: Term) -> list[tuple[str, str, bool]]:
    """(where, LaTeX, display?) for the formula, its legend's symbols and every piece of math in
    the term's text."""
    found = [(f"{term.source}: formula", term.formula, True)] if term.formula else []
    found += [
        (f"{term.source}: symbols[{i}].symbol", symbol.symbol, False)
        for i, symbol in enumerate(term.symbols)
    ]
    texts = [("definition", term.definition), ("explanation", term.explanation)]
    texts += [(f"symbols[{i}].meaning", symbol.meaning) for i, symbol in enumerate(term.symbols)]
    texts += [(f"examples[{i}]", text) for i, text in enumerate(term.examples)]
    texts += [(section.name, section.text) for section in term.sections]
    texts += [(f"faq[{i}].a", entry.a) for i, entry in enumerate(term.faq)]
    converter = markdown.Markdown(
        extensions=["pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    for field, text in texts:
        if text:
            page = converter.reset().convert(text)
            found += [
                (f"{term.source}: {field}", html.unescape(tex).strip(), tag == "div")
                for tag, tex in _MATH.findall(page)
            ]
    return found


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
@pytest.mark.skipif(not KATEX.is_dir(), reason="KaTeX is not installed: run 'npm ci'")
def test_every_formula_of_the_shipped_glossary_typesets_with_katex() -> None:
    pieces = [piece for term in linked_glossary(ROOT).terms for piece in _math_of(term)]
    assert len(pieces) > 100, "the glossary holds more math than this: is extraction broken?"
    assert any(where.endswith("batch-normalization.yaml: formula") for where, _, _ in pieces)
    completed = subprocess.run(
        ["node", "-e", _TYPESET, str(KATEX)],
        input=json.dumps(pieces),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(completed.stdout) == []
