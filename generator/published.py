"""``glossary check --published LIST``: no address once published disappears without a redirect.

``LIST`` is what the site published: its ``glossary.json``, or a text file with one term a line,
as a slug or a page URL, optionally followed by a tab and the term's name (what CI writes from
the main branch's ``terms/``). A published slug that is neither a term's slug nor in a term's
``formerly`` is a problem, located at the term that has the old name now (it was renamed: that
term should carry the old slug), or at ``terms/`` when no term has it.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from generator.model import GlossaryError, Problem, SourceDocument
from generator.pipeline.link import LinkedGlossary
from generator.schema import is_slug, site_path_segments

_FIELD = "formerly"


def read_published(path: Path) -> dict[str, str]:
    """The published terms in ``path``: slug -> name ('' when the list does not say)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GlossaryError([_unreadable(path, str(error))]) from None
    if text.lstrip().startswith("{"):
        try:
            data: Any = json.loads(text)
            return {str(t["slug"]): str(t.get("term", "")) for t in data["terms"]}
        except (ValueError, KeyError, TypeError) as error:
            raise GlossaryError([_unreadable(path, f"not a glossary.json: {error}")]) from None
    published = {}
    for line in text.splitlines():
        where, _, name = line.strip().partition("\t")
        slug = _slug_of(where.strip())
        if slug:
            published[slug] = name.strip()
    return published


def missing_redirects(
    published: dict[str, str], linked: LinkedGlossary, documents: dict[str, SourceDocument]
) -> list[Problem]:
    """A problem for each published slug that no term has now, nor lists in ``formerly``."""
    kept = {term.slug for term in linked.terms}
    kept |= {old for term in linked.terms for old in term.formerly}
    by_name = {
        name.casefold(): term for term in linked.terms for name in (term.term, *term.aliases)
    }
    problems = []
    for slug, name in sorted(published.items()):
        if slug in kept:
            continue
        shown = f"'{slug}' ({name})" if name else f"'{slug}'"
        heir = by_name.get(name.casefold()) if name else None
        if heir is None:
            problems.append(
                Problem(
                    "terms",
                    1,
                    1,
                    _FIELD,
                    f"the published term {shown} has no page any more, and no term lists it "
                    "in 'formerly'",
                    f"add '{slug}' to 'formerly' of the term that replaced it (its old address "
                    f"then redirects there), or restore terms/{slug}.yaml",
                )
            )
            continue
        document = documents.get(heir.source)
        line, column = document.key_position("term") if document else (1, 1)
        problems.append(
            Problem(
                heir.source,
                line,
                column,
                _FIELD,
                f"this term has the name of the published term {shown}, whose address would "
                "no longer work",
                f"add 'formerly: [{slug}]' to this file: the old address then redirects here",
            )
        )
    return problems


def _slug_of(where: str) -> str:
    """The slug a published line names: 'adam', '/glossary/adam/', '.../glossary/adam.html';
    '' for anything else (another page of the site, an index)."""
    parts = site_path_segments(where)
    slug = parts[-1] if parts else ""
    in_glossary = "/" not in where or (len(parts) > 1 and parts[-2] == "glossary")
    return slug if in_glossary and is_slug(slug) and slug != "index" else ""


def _unreadable(path: Path, why: str) -> Problem:
    return Problem(
        PurePosixPath(path).as_posix(),
        1,
        1,
        "published",
        f"cannot read the published list: {why}",
        "pass the site's glossary.json, or a text file with one slug or page URL a line",
    )
