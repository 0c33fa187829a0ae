"""``glossary new``: start a term file from a template that names every field."""

from __future__ import annotations

import json
from pathlib import Path

from generator.model import GlossaryError, Problem
from generator.schema import slugify

_TEMPLATE = """\
# yaml-language-server: $schema=../schema/term.schema.json
# Fill in the required fields, uncomment the optional ones you use, then run: glossary check
# The format, with a complete example, is in CONTRIBUTING.md.
term: {name}
summary: ""      # one plain sentence (at most 200 characters) a newcomer understands
category: ""     # a key from terms/_categories.yaml
definition: ""     # Markdown: what the term means, precisely (use "definition: |" for lines)
# aliases: []            # other names and abbreviations
# tags: []
# explanation: |
# formula: |             # LaTeX, without $$
# examples: []
# usage_note: |
# why_it_matters: |
# limitations: |
# faq:
#   - q: A question a learner asks?
#     a: |
# related: []            # slugs of other terms, e.g. batch-normalization
# organizations:
#   - {{name: ..., note: ...}}
# references:
#   - title: ...
#     authors: [..., ...]
#     year: 2015
#     url: https://arxiv.org/abs/...
# see_also:
#   - {{title: ..., url: https://en.wikipedia.org/wiki/...}}
"""


def new_term_file(terms_dir: Path, name: str) -> Path:
    """Create ``terms_dir/<slug>.yaml`` for ``name``; never overwrite an existing file."""
    slug = slugify(name)
    path = terms_dir / f"{slug}.yaml"
    display = f"{terms_dir.name}/{slug or '?'}.yaml"
    if not slug or "\n" in name:
        raise GlossaryError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "term",
                    f"cannot make a file name from {name!r}",
                    'give the term\'s name in letters, e.g. "Layer Normalization"',
                )
            ]
        )
    if not terms_dir.is_dir():
        raise GlossaryError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "file",
                    f"there is no {terms_dir.name}/ directory here",
                    "run glossary from the project root, or give it with --root",
                )
            ]
        )
    if path.exists():
        raise GlossaryError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "file",
                    "this term file already exists",
                    "edit it instead, or choose another name",
                )
            ]
        )
    path.write_text(
        _TEMPLATE.format(name=json.dumps(name.strip(), ensure_ascii=False)), encoding="utf-8"
    )
    return path
