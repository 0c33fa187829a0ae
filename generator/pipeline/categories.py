"""The categories file, ``terms/_categories.yaml``: key -> {title, description}.

Part of the validate stage: every term's ``category`` must be one of these keys.
"""

from __future__ import annotations

from typing import Any

from generator.model import Category, Problem, SourceDocument, field_label
from generator.schema import SLUG_MAX_LENGTH, is_slug

RESERVED_KEY = "index"  # glossary/category/index.md lists the categories


def read_categories(document: SourceDocument | None, problems: list[Problem]) -> list[Category]:
    """The categories declared in ``terms/_categories.yaml``; problems are appended."""
    if document is None:
        return []
    if not isinstance(document.data, dict) or not document.data:
        problems.append(
            Problem(
                document.path,
                1,
                1,
                "file",
                "the categories file must be a non-empty mapping",
                "write one entry per category: key: {title: ..., description: ...}",
            )
        )
        return []
    categories = []
    for key, entry in document.data.items():
        found = _problems_in_category(document, key, entry)
        problems += found
        if not found:
            categories.append(Category(key, entry["title"].strip(), entry["description"].strip()))
    return categories


def _problems_in_category(document: SourceDocument, key: str, entry: Any) -> list[Problem]:
    def problem(path: tuple[str | int, ...], message: str, fix: str) -> Problem:
        return Problem(document.path, *document.position(*path), field_label(path), message, fix)

    if not is_slug(key) or key == RESERVED_KEY or len(key) > SLUG_MAX_LENGTH:
        line, column = document.key_position(key)
        if key == RESERVED_KEY:
            message, fix = "'index' is reserved for the list of categories", "choose another key"
        elif is_slug(key):
            message = f"a category key is at most {SLUG_MAX_LENGTH} characters long"
            fix = "shorten it: it becomes the category page's address"
        else:
            message = "a category key must be a slug"
            fix = "use lowercase letters, digits and hyphens, e.g. 'language-models'"
        return [Problem(document.path, line, column, key, message, fix)]
    if not isinstance(entry, dict) or set(entry) != {"title", "description"}:
        return [
            problem(
                (key,),
                "a category needs exactly 'title' and 'description'",
                "write: {title: Normalization, description: One line about it.}",
            )
        ]
    return [
        problem((key, name), "must be plain text on one line", "write it on one line")
        for name in ("title", "description")
        if not isinstance(entry[name], str)
        or not entry[name].strip()
        or "\n" in entry[name].strip()
    ]
