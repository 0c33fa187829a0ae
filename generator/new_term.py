"""``glossary new``: start a term file from a template that names every field."""

from __future__ import annotations

import json
from pathlib import Path

from generator import schema
from generator.model import GlossaryError, Problem
from generator.schema import Kind, slugify

_HEADER = """\
# yaml-language-server: $schema=../schema/term.schema.json
# Fill in the required fields, uncomment the optional ones you use, then run: glossary check
# The format, with a complete example, is in CONTRIBUTING.md.
"""
# How an optional field of each kind is shown, commented out.
_EMPTY = {Kind.MARKDOWN: " |", Kind.LATEX: " |", Kind.OBJECT_LIST: "", Kind.AUTOLINK: " false"}
_LISTS = {Kind.TEXT_LIST, Kind.MARKDOWN_LIST, Kind.SLUG_LIST}


def term_template(name: str) -> str:
    """A new term file for ``name``: every field of the schema, in its order, with what it
    is; the required ones to fill in, the optional ones commented out."""
    lines = [f"term: {json.dumps(name.strip(), ensure_ascii=False)}"]
    for spec in schema.TERM_FIELDS[1:]:
        if spec.required:
            lines.append(f'{spec.name}: ""  # {spec.description}')
            continue
        empty = " []" if spec.kind in _LISTS else _EMPTY.get(spec.kind, ' ""')
        lines.append(f"# {spec.name}:{empty}  # {spec.description}")
        for i, item in enumerate(spec.item_fields):
            lines.append(f"#   {'- ' if i == 0 else '  '}{item.name}: ...")
    return _HEADER + "\n".join(lines) + "\n"


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
    path.write_text(term_template(name), encoding="utf-8")
    return path
