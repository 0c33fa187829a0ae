"""The checks that need the whole glossary: every category is declared, related terms and
explicit links name other existing terms, names and aliases are unique and do not look alike,
and the figures fit their kinds and the time budgets. Each reads the facts a file's own checks
kept (``CheckedFile``), so a warm run does not read the texts again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from generator.markdown.mentions import ExplicitLink
from generator.model import Problem, field_label
from generator.pipeline.checked_file import CheckedFile, FieldPath, closest
from generator.pipeline.field_checks import Finding
from generator.pipeline.load import CATEGORIES_FILE
from generator.pipeline.lookalikes import foreign_lookalikes, skeleton
from generator.schema import is_slug


def problems_across_files(
    checked: list[CheckedFile], category_keys: set[str], slugs: set[str]
) -> list[Problem]:
    """Checks that need the whole glossary: categories, related slugs, unique names, figures,
    explicit links; and those that depend on the day they run (a review date in the future),
    which a file's own checks, kept by the build cache, must not."""
    problems: list[Problem] = []
    today = datetime.datetime.now(datetime.UTC).date()
    owners = _NameOwners()
    former: dict[str, str] = {}  # old slug -> the file that claims it
    figure_seconds = 0.0  # asked for by the files so far, in the order of their names
    for file in sorted(checked, key=lambda f: f.slug):
        found = _category_problems(file, category_keys)
        found += _related_problems(file, slugs)
        found += _former_slug_problems(file, slugs, former)
        found += _name_problems(file, owners)
        over_budget, figure_seconds = _figure_problems(file, figure_seconds)
        found += over_budget
        found += _explicit_link_problems(file, slugs)
        found += _review_problems(file, today)
        for finding in (Finding(*item) for item in found):
            line, column = file.document.text_position(
                finding.path, finding.text_line, finding.text_column
            )
            label = field_label(finding.path)
            problems.append(
                Problem(file.document.path, line, column, label, finding.message, finding.fix)
            )
    return problems


# Each cross-file check returns (path in the file, what is wrong, how to fix) triples, or a
# Finding when the problem is on a given line of a multi-line text.
_Found = list[tuple[FieldPath, str, str] | Finding]


def _category_problems(file: CheckedFile, category_keys: set[str]) -> _Found:
    category = file.value("category")
    if not is_slug(category) or category in category_keys:
        return []  # not a slug: already reported by the field checks
    hint = closest(category, category_keys) or (
        f"declared categories: {', '.join(sorted(category_keys))}"
    )
    fix = f"use a category declared in terms/{CATEGORIES_FILE}; {hint}"
    return [(("category",), f"unknown category '{category}'", fix)]


def _related_problems(file: CheckedFile, slugs: set[str]) -> _Found:
    found: _Found = []
    for i, slug in file.items("related", str):
        if not is_slug(slug):
            continue  # already reported by the field checks
        if slug == file.slug:
            found.append(
                (
                    ("related", i),
                    "a term cannot be related to itself",
                    f"remove '{slug}' from related",
                )
            )
        elif slug not in slugs:
            hint = closest(slug, slugs - {file.slug}) or "add that term first, or remove it"
            found.append((("related", i), f"unknown term '{slug}'", hint))
    return found


@dataclass
class _NameOwners:
    """Where each name or alias is first used, by its casefolded text and by its skeleton (how
    it looks: see ``lookalikes``)."""

    by_text: dict[str, str] = field(default_factory=dict)
    by_skeleton: dict[str, tuple[str, str]] = field(default_factory=dict)


def _name_problems(file: CheckedFile, owners: _NameOwners) -> _Found:
    """Names and aliases are unique across the glossary, and none looks like another."""
    found: _Found = []
    skeletons = dict(file.skeletons)
    own_name = file.value("term")
    names: list[tuple[FieldPath, Any]] = [(("term",), own_name)]
    for i, alias in file.items("aliases", str):
        if isinstance(own_name, str) and alias.strip().casefold() == own_name.strip().casefold():
            fix = "remove it: aliases are the term's other names"
            found.append((("aliases", i), f"'{alias.strip()}' is the term's own name", fix))
        else:
            names.append((("aliases", i), alias))
    for path, name in names:
        if not isinstance(name, str):
            continue
        name = name.strip()
        where = f"the {'alias' if path[0] == 'aliases' else 'name'} of terms/{file.slug}.yaml"
        owner = owners.by_text.setdefault(name.casefold(), where)
        if owner != where and not owner.endswith(f"terms/{file.slug}.yaml"):
            fix = (
                "names and aliases must be unique across the glossary; remove or rename one of them"
            )
            found.append((path, f"'{name}' is already {owner}", fix))
            continue
        shape = skeletons.get(name) or skeleton(name)
        other, owner = owners.by_skeleton.setdefault(shape, (name, where))
        if other.casefold() != name.casefold():
            letters = foreign_lookalikes(name) or foreign_lookalikes(other)
            found.append(
                (
                    path,
                    f"'{name}' looks the same as '{other}', {owner} "
                    f"(look-alike letters: {', '.join(letters)})",
                    "write the name in one script (usually Latin letters), or choose a name "
                    "that cannot be mistaken for the other",
                )
            )
    return found


# Names of pages and directories the generator makes beside the term pages.
_GENERATED_NAMES = frozenset({"index", "a-z", "category", "tags", "figures"})


def _former_slug_problems(file: CheckedFile, slugs: set[str], former: dict[str, str]) -> _Found:
    """An old slug redirects to this term: it must not be a page that exists, nor be claimed
    by two terms (``former``: the claims of the files before this one, updated)."""
    found: _Found = []
    for i, old in file.items("formerly", str):
        old = old.strip()
        where = ("formerly", i)
        if old == file.slug or old in slugs:
            found.append(
                (
                    where,
                    f"'{old}' is the slug of terms/{old}.yaml, which exists",
                    "list only slugs no term has any more: an old address redirects here",
                )
            )
        elif old in _GENERATED_NAMES:
            found.append(
                (where, f"'{old}' names a page the generator makes", "remove it from 'formerly'")
            )
        elif former.setdefault(old, file.document.path) != file.document.path:
            found.append(
                (
                    where,
                    f"'{old}' is already listed in 'formerly' of {former[old]}",
                    "an old address can redirect to one term only: keep it in one of the two",
                )
            )
    return found


def _figure_problems(file: CheckedFile, build_seconds: float) -> tuple[_Found, float]:
    """Each figure spec fits its kind, and the figures stay within the time budgets of a term
    and of the whole build (``build_seconds``: what the files before this one ask for, which
    is returned with this file's figures added)."""
    found: _Found = []
    term_seconds = 0.0
    for i, issues, seconds, term_budget, build_budget in file.figures:
        for param, message, fix in issues:
            where = ("kind",) if param is None else ("params", param)
            found.append((("figures", i, *where), message, fix))
        if issues:
            continue
        term_seconds += seconds
        build_seconds += seconds
        for spent, budget, scope in (
            (term_seconds, term_budget, "this term's figures"),
            (build_seconds, build_budget, "the glossary's figures"),
        ):
            if spent > budget >= spent - seconds:  # reported where the budget is crossed
                found.append(
                    (
                        ("figures", i),
                        f"with this figure (about {seconds:.0f} s), {scope} would take about "
                        f"{spent:.0f} s to compute, over the budget of {budget:.0f} s",
                        "use smaller params (fewer steps, trials or examples), or fewer figures",
                    )
                )
                break
    return found, build_seconds


def _review_problems(file: CheckedFile, today: datetime.date) -> _Found:
    """A review date goes with ``status: reviewed``, and is not in the future."""
    reviewed = file.value("reviewed")
    if isinstance(reviewed, str):
        try:
            reviewed = datetime.date.fromisoformat(reviewed.strip())
        except ValueError:
            return []  # reported by the field checks
    if not isinstance(reviewed, datetime.date):
        return []
    found: _Found = []
    if file.value("status") != "reviewed":
        found.append(
            (
                ("reviewed",),
                "a review date needs 'status: reviewed'",
                "add 'status: reviewed', or remove the date",
            )
        )
    if reviewed > today:
        found.append(
            (
                ("reviewed",),
                f"the review date {reviewed.isoformat()} is in the future",
                "write the day the review was done",
            )
        )
    return found


def _explicit_link_problems(file: CheckedFile, slugs: set[str]) -> _Found:
    found: _Found = []
    for path, link in file.links:
        problem = explicit_link_problem(link, file.slug, slugs)
        if problem is not None:
            found.append(Finding(path, *problem, link.line, link.column))
    return found


def explicit_link_problem(link: ExplicitLink, slug: str, slugs: set[str]) -> tuple[str, str] | None:
    """(what is wrong, how to fix) for one ``[[slug|text]]``, or None when it is fine."""
    if link.slug == slug:
        return "a term cannot link to itself", f"replace {link.source} with plain text"
    if link.slug not in slugs:
        hint = closest(link.slug, slugs - {slug}) or (
            "link to an existing term by its slug (its file name without .yaml)"
        )
        return f"unknown term '{link.slug}' in {link.source}", hint
    if link.label is not None and not link.label.strip():
        return (
            f"{link.source} has no text after '|'",
            f"write the link's text after '|', or write [[{link.slug}]] to show the term's name",
        )
    return None
