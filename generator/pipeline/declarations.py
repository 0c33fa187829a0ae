"""What ``terms/`` declares besides terms and categories, part of the validate stage:

- ``_tags.yaml``, the tag vocabulary: each tag once, with a one-line description. A term may
  carry only declared tags, and a declared tag groups at least two terms (a tag page that lists
  one term is a dead end).
- ``_start-here.yaml``, the home page's reading path for newcomers: term slugs, in order.

Both files are optional: without a vocabulary tags are free text, without a reading path the
home page shows none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from generator.model import Problem, SourceDocument, TagDeclaration
from generator.pipeline.checked_file import CheckedFile, closest
from generator.pipeline.load import TAGS_FILE, TERMS_DIR
from generator.schema import TAG_MAX_LENGTH, is_slug

TAG_DESCRIPTION_MAX_LENGTH = 160
MIN_TERMS_PER_TAG = 2
START_HERE_MAX_TERMS = 12

_TAGS_PATH = f"{TERMS_DIR}/{TAGS_FILE}"


def read_tag_vocabulary(
    document: SourceDocument | None, problems: list[Problem]
) -> tuple[TagDeclaration, ...]:
    """The tags declared in ``terms/_tags.yaml``, in the file's order; problems are appended."""
    if document is None:
        return ()
    if not isinstance(document.data, dict) or not document.data:
        problems.append(
            Problem(
                document.path,
                1,
                1,
                "file",
                "the tag vocabulary must be a non-empty mapping",
                "write one line per tag: name: One line about what it groups.",
            )
        )
        return ()
    tags = []
    for name, description in document.data.items():
        found = _tag_problem(document, name, description)
        if found is None:
            tags.append(TagDeclaration(name, description.strip()))
        else:
            problems.append(found)
    return tuple(tags)


def _tag_problem(document: SourceDocument, name: Any, description: Any) -> Problem | None:
    if not is_slug(name) or len(name) > TAG_MAX_LENGTH:
        line, column = document.key_position(name)
        return Problem(
            document.path,
            line,
            column,
            str(name),
            f"a tag is a slug of at most {TAG_MAX_LENGTH} characters",
            "use lowercase letters, digits and hyphens, e.g. 'sequence-models'",
        )
    line, column = document.position(name)
    if not isinstance(description, str) or not description.strip() or "\n" in description.strip():
        line, column = document.key_position(name)
        message = "a tag needs a description: plain text on one line"
        return Problem(document.path, line, column, name, message, "write: name: What it groups.")
    if len(description.strip()) > TAG_DESCRIPTION_MAX_LENGTH:
        return Problem(
            document.path,
            line,
            column,
            name,
            f"the description is {len(description.strip())} characters long, "
            f"over {TAG_DESCRIPTION_MAX_LENGTH}",
            "say in one short line what the tag groups",
        )
    return None


def tag_problems(
    checked: Iterable[CheckedFile],
    vocabulary: tuple[TagDeclaration, ...],
    document: SourceDocument | None,
) -> list[Problem]:
    """Each term's tags are declared, and each declared tag is carried by at least
    ``MIN_TERMS_PER_TAG`` terms. Without a vocabulary file, tags are free text (as in a
    glossary made before vocabularies): they are checked only by their own field checks."""
    if document is None:
        return []
    declared = {tag.name for tag in vocabulary}
    problems = []
    carriers: dict[str, list[str]] = defaultdict(list)
    for file in sorted(checked, key=lambda f: f.slug):
        for i, tag in file.items("tags", str):
            tag = tag.strip()
            if tag in declared:
                carriers[tag].append(file.slug)
                continue
            line, column = file.document.position("tags", i)
            fix = closest(tag, declared) or (
                "use a declared tag, or declare this one there with a one-line description"
            )
            problems.append(
                Problem(
                    file.document.path,
                    line,
                    column,
                    f"tags[{i}]",
                    f"tag '{tag}' is not declared in {_TAGS_PATH}",
                    fix,
                )
            )
    for tag in vocabulary:
        terms = carriers.get(tag.name, [])
        if len(terms) < MIN_TERMS_PER_TAG:
            line, column = document.key_position(tag.name)
            used = f"only by terms/{terms[0]}.yaml" if terms else "by no term"
            problems.append(
                Problem(
                    document.path,
                    line,
                    column,
                    tag.name,
                    f"the tag is used {used}",
                    f"a tag groups at least {MIN_TERMS_PER_TAG} terms: tag more terms with it, "
                    "or remove it",
                )
            )
    return problems


def read_start_here(
    document: SourceDocument | None, slugs: set[str], problems: list[Problem]
) -> tuple[str, ...]:
    """The reading path of ``terms/_start-here.yaml``: existing term slugs, each once, at most
    ``START_HERE_MAX_TERMS``; problems are appended."""
    if document is None:
        return ()
    data = document.data
    if not isinstance(data, list) or not data or len(data) > START_HERE_MAX_TERMS:
        problems.append(
            Problem(
                document.path,
                1,
                1,
                "file",
                f"the reading path must be a list of 1 to {START_HERE_MAX_TERMS} term slugs",
                "write one '- slug' line per term, in the order a newcomer should read them",
            )
        )
        return ()
    path: list[str] = []
    for i, slug in enumerate(data):
        line, column = document.position(i)
        label = f"[{i}]"
        if not is_slug(slug) or slug not in slugs:
            what = f"unknown term '{slug}'" if is_slug(slug) else "not a term slug"
            hint = closest(str(slug), slugs) or "write the slug of an existing term"
            problems.append(Problem(document.path, line, column, label, what, hint))
        elif slug in path:
            problems.append(
                Problem(
                    document.path,
                    line,
                    column,
                    label,
                    f"'{slug}' is already on the path",
                    "list each term once",
                )
            )
        else:
            path.append(slug)
    return tuple(path)
