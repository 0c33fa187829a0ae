"""Stage 2, validate: loaded documents in, a ``Glossary`` and every problem found out.

Never stops at the first problem: each file is checked field by field against
``schema.TERM_FIELDS``, then the glossary is checked as a whole (related terms exist, names and
aliases are unique, categories are declared, figure specs fit their kind, explicit ``[[slug]]``
links in the text point to another existing term).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from generator import schema
from generator.markdown.mentions import ExplicitLink, find_explicit_links
from generator.markdown.safety import too_slow
from generator.model import (
    ExternalLink,
    FaqEntry,
    FigureSpec,
    Glossary,
    Organization,
    Problem,
    Reference,
    Section,
    SourceDocument,
    Term,
    field_label,
)
from generator.pipeline.cache_store import plain_problems, problems_from_plain
from generator.pipeline.categories import read_categories
from generator.pipeline.field_checks import Finding, check_value
from generator.pipeline.load import CATEGORIES_FILE, LoadedSources, ParsedFiles
from generator.pipeline.lookalikes import foreign_lookalikes, skeleton
from generator.schema import (
    MARKDOWN_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    SLUG_PATTERN,
    FieldSpec,
    Kind,
    slugify,
)

# Names the generator uses in glossary/: the A-Z page (index.md) and its directories.
RESERVED_SLUGS = {"index", "category", "figures", "tags"}
_SLUG = re.compile(SLUG_PATTERN)


_FieldPath = tuple[str | int, ...]  # a value's place in a term file, e.g. ("faq", 0, "a")
# A figure's index, its issues as (param, message, fix), the seconds it takes to compute, and
# the budgets of a term and of the build (as the plotting code states them).
_FigureFacts = tuple[int, tuple[tuple[Any, str, str], ...], float, float, float]


@dataclass(frozen=True)
class _CheckedFile:
    """One term file after its own checks, with its Term when they all passed."""

    slug: str
    document: SourceDocument
    term: Term | None
    # Found with the file's own checks, as they depend on the file alone, for the checks across
    # files (so that a warm run need not import the plotting code, nor scan the texts again):
    # the figures, each explicit link with the path of its text, and the skeleton of each name.
    figures: tuple[_FigureFacts, ...] = ()
    links: tuple[tuple[_FieldPath, ExplicitLink], ...] = ()
    skeletons: tuple[tuple[str, str], ...] = ()

    def value(self, name: str) -> Any:
        """The raw value of a field, whether or not it passed its own checks."""
        return self.document.data.get(name)

    def items(self, name: str, kind: type) -> list[tuple[int, Any]]:
        """The (index, item) pairs of a list field whose items are of ``kind``."""
        value = self.value(name)
        items = enumerate(value) if isinstance(value, list) else ()
        return [(i, item) for i, item in items if isinstance(item, kind)]


# The checks of one validation: file path -> (its document, its own checks). A document that
# ``load`` handed back unchanged (the very same object) needs no checks again: they depend on
# nothing else. Owned by the caller's ``BuildCache``.
CheckedFiles = dict[str, tuple[SourceDocument, _CheckedFile | None, list[Problem]]]


def validate(
    sources: LoadedSources, last: CheckedFiles | None = None
) -> tuple[Glossary, list[Problem]]:
    """Check every document and the glossary as a whole; return the valid terms and all
    problems. ``last``: the checks of the last validation, reused for the documents that are
    the same, and updated to this one."""
    problems = list(sources.problems)
    categories = read_categories(sources.categories, problems)
    now: CheckedFiles = {}
    previous = last if last is not None else {}
    checked = [
        c
        for c in (_checked_once(d, problems, now, previous) for d in sources.terms)
        if c is not None
    ]
    if last is not None:
        last.clear()
        last.update(now)  # only this glossary's files: a deleted one is forgotten
    # A term file that exists but could not be read still names a term: links to it are fine.
    slugs = {PurePosixPath(path).stem for path in sources.term_files}
    problems += _problems_across_files(checked, {c.key for c in categories}, slugs)
    terms = sorted((c.term for c in checked if c.term is not None), key=lambda t: t.slug)
    return Glossary(tuple(terms), tuple(categories)), problems


def stored_checks(checked: CheckedFiles) -> dict[str, Any]:
    """``checked`` as plain data for the build cache on disk (see ``cache_store``): path ->
    (0 when the file is not a mapping, 1 when it has problems of its own, else 2; problems;
    figure facts; explicit links; skeletons)."""
    return {
        path: (
            0 if file is None else 1 if file.term is None else 2,
            plain_problems(problems),
            *(_stored_facts(file) if file else ((), (), ())),
        )
        for path, (_, file, problems) in checked.items()
    }


def _stored_facts(file: _CheckedFile) -> tuple[object, object, object]:
    links = tuple(
        (where, (link.source, link.slug, link.label, link.line, link.column))
        for where, link in file.links
    )
    return file.figures, links, file.skeletons


def checks_from_store(stored: Any, parsed: ParsedFiles) -> CheckedFiles:
    """The inverse of ``stored_checks``, for the documents of ``parsed`` (the same objects:
    ``validate`` reuses the checks of a document that ``load`` hands back unchanged)."""
    checked: CheckedFiles = {}
    for path, (state, problems, figures, links, skeletons) in stored.items():
        document = parsed[path][1][0] if path in parsed else None
        if document is None:
            continue
        slug = PurePosixPath(path).stem
        term = _build_term(slug, document) if state == 2 else None
        found = tuple((where, ExplicitLink(*link)) for where, link in links)
        facts = (figures, found, skeletons)
        file = None if state == 0 else _CheckedFile(slug, document, term, *facts)
        checked[path] = (document, file, problems_from_plain(problems))
    return checked


def _is_slug(value: Any) -> bool:
    return isinstance(value, str) and _SLUG.match(value) is not None


def closest(word: str, candidates: Iterable[str]) -> str:
    """A "did you mean" hint for ``word`` among ``candidates``, or '' when nothing is close."""
    from plots.registry import closest_name  # imported here: a warm run never needs plots

    match = closest_name(word, candidates)
    return f"did you mean '{match}'?" if match else ""


def _checked_once(
    document: SourceDocument, problems: list[Problem], now: CheckedFiles, last: CheckedFiles
) -> _CheckedFile | None:
    """``_read_term``, or its result for this very document in the last ``validate``."""
    previous = last.get(document.path)
    if previous is None or previous[0] is not document:
        found: list[Problem] = []
        previous = (document, _read_term(document, found), found)
    now[document.path] = previous
    problems += previous[2]
    return previous[1]


def _read_term(document: SourceDocument, problems: list[Problem]) -> _CheckedFile | None:
    """Check one term file on its own; None when it is not even a mapping of fields."""
    found: list[Problem] = []
    slug = PurePosixPath(document.path).stem
    if not _SLUG.match(slug) or slug in RESERVED_SLUGS:
        suggestion = slugify(slug) or "my-term"
        if suggestion in RESERVED_SLUGS:
            suggestion = f"{suggestion}-term"  # never suggest the reserved name itself
        found.append(
            Problem(
                document.path,
                1,
                1,
                "file",
                f"'{slug}.yaml' is not a valid term file name",
                f"rename it to a slug of lowercase letters, digits and hyphens, "
                f"e.g. '{suggestion}.yaml' (reserved: {', '.join(sorted(RESERVED_SLUGS))})",
            )
        )
    elif len(slug) > SLUG_MAX_LENGTH:
        found.append(
            Problem(
                document.path,
                1,
                1,
                "file",
                f"the file name is {len(slug)} characters long, over {SLUG_MAX_LENGTH}",
                "rename the file to a shorter slug: it becomes the page's address",
            )
        )
    data = document.data
    if not isinstance(data, dict):
        what = "the file is empty" if data is None else "the file is not a mapping of fields"
        found.append(
            Problem(
                document.path,
                1,
                1,
                "file",
                what,
                "start from 'glossary new \"Term Name\"', which writes every required field",
            )
        )
        problems += found
        return None
    found += _problems_in_mapping(document, (), data, schema.TERM_FIELDS)
    problems += found
    term = None if found else _build_term(slug, document)
    file = _CheckedFile(slug, document, term)
    return _CheckedFile(
        slug, document, term, _figure_facts(file), _explicit_links(file), _skeletons(file)
    )


def _figure_facts(file: _CheckedFile) -> tuple[_FigureFacts, ...]:
    """What the checks across files need of each figure spec: whether it fits its kind, and
    what it costs."""
    facts = []
    for i, figure in file.items("figures", dict):
        kind, params = figure.get("kind"), figure.get("params") or {}
        if not _is_slug(kind) or not isinstance(params, dict):
            continue  # reported by the field checks
        from plots import registry  # only for a file with figures

        issues = tuple(
            (issue.param, issue.message, issue.fix) for issue in registry.check_figure(kind, params)
        )
        seconds = 0.0 if issues else registry.figure_cost(kind, params)
        budgets = (registry.TERM_FIGURE_BUDGET, registry.BUILD_FIGURE_BUDGET)
        facts.append((i, issues, seconds, *budgets))
    return tuple(facts)


def _skeletons(file: _CheckedFile) -> tuple[tuple[str, str], ...]:
    names = [file.value("term"), *(alias for _, alias in file.items("aliases", str))]
    return tuple((n.strip(), skeleton(n.strip())) for n in names if isinstance(n, str))


def _explicit_links(file: _CheckedFile) -> tuple[tuple[_FieldPath, ExplicitLink], ...]:
    return tuple(
        (path, link) for path, text in _markdown_texts(file) for link in find_explicit_links(text)
    )


def _problems_in_mapping(
    document: SourceDocument,
    path: tuple[str | int, ...],
    data: Mapping[str, Any],
    fields: tuple[FieldSpec, ...],
) -> list[Problem]:
    known = {spec.name: spec for spec in fields}
    found = []
    for key in data:
        if key not in known:
            line, column = document.key_position(*path, key)
            hint = closest(key, known) or f"allowed fields: {', '.join(known)}"
            found.append(
                Problem(
                    document.path,
                    line,
                    column,
                    field_label((*path, key)),
                    "unknown field",
                    f"remove it or fix its name; {hint}",
                )
            )
    for spec in fields:
        here = (*path, spec.name)
        value = data.get(spec.name)
        if value is None or (spec.required and isinstance(value, str) and not value.strip()):
            if spec.required:
                line, column = (
                    document.key_position(*here) if spec.name in data else document.position(*path)
                )
                found.append(
                    Problem(
                        document.path,
                        line,
                        column,
                        field_label(here),
                        "this required field is missing or empty",
                        f"add '{spec.name}:' ({spec.description})",
                    )
                )
            continue
        for finding in check_value(spec, here, data[spec.name]):
            line, column = document.text_position(
                finding.path, finding.text_line, finding.text_column
            )
            label = field_label(finding.path)
            found.append(Problem(document.path, line, column, label, finding.message, finding.fix))
        if spec.item_fields and isinstance(data[spec.name], list):
            for i, item in enumerate(data[spec.name]):
                if isinstance(item, dict):
                    found += _problems_in_mapping(document, (*here, i), item, spec.item_fields)
    return found


def _build_term(slug: str, document: SourceDocument) -> Term:
    data, source = document.data, document.path

    def text(name: str) -> str | None:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else None

    def texts(name: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in data.get(name) or ())

    def items(name: str) -> list[dict[str, Any]]:
        return list(data.get(name) or ())

    return Term(
        slug=slug,
        source=source,
        term=data["term"].strip(),
        summary=data["summary"].strip(),
        definition=data["definition"].strip(),
        category=data["category"],
        aliases=texts("aliases"),
        tags=texts("tags"),
        explanation=text("explanation"),
        formula=text("formula"),
        examples=texts("examples"),
        sections=tuple(
            Section(spec.name, spec.section, body)
            for spec in schema.section_fields()
            if spec.section is not None and (body := text(spec.name))
        ),
        faq=tuple(FaqEntry(i["q"].strip(), i["a"].strip()) for i in items("faq")),
        related=tuple(data.get("related") or ()),
        organizations=tuple(
            Organization(i["name"].strip(), (i.get("note") or "").strip() or None)
            for i in items("organizations")
        ),
        references=tuple(
            Reference(
                i["title"].strip(),
                tuple(a.strip() for a in i["authors"]),
                i["year"],
                i["url"].strip(),
                (i.get("venue") or "").strip() or None,
            )
            for i in items("references")
        ),
        see_also=tuple(
            ExternalLink(i["title"].strip(), i["url"].strip()) for i in items("see_also")
        ),
        figures=tuple(
            FigureSpec(
                i["kind"],
                i["caption"].strip(),
                dict(i.get("params") or {}),
                document.position("figures", index, "kind"),
            )
            for index, i in enumerate(items("figures"))
        ),
    )


def _problems_across_files(
    checked: list[_CheckedFile], category_keys: set[str], slugs: set[str]
) -> list[Problem]:
    """Checks that need the whole glossary: categories, related slugs, unique names, figures,
    explicit links."""
    problems: list[Problem] = []
    owners = _NameOwners()
    figure_seconds = 0.0  # asked for by the files so far, in the order of their names
    for file in sorted(checked, key=lambda f: f.slug):
        found = _category_problems(file, category_keys)
        found += _related_problems(file, slugs)
        found += _name_problems(file, owners)
        over_budget, figure_seconds = _figure_problems(file, figure_seconds)
        found += over_budget
        found += _explicit_link_problems(file, slugs)
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
_Found = list[tuple[_FieldPath, str, str] | Finding]


def _category_problems(file: _CheckedFile, category_keys: set[str]) -> _Found:
    category = file.value("category")
    if not _is_slug(category) or category in category_keys:
        return []  # not a slug: already reported by the field checks
    hint = closest(category, category_keys) or (
        f"declared categories: {', '.join(sorted(category_keys))}"
    )
    fix = f"use a category declared in terms/{CATEGORIES_FILE}; {hint}"
    return [(("category",), f"unknown category '{category}'", fix)]


def _related_problems(file: _CheckedFile, slugs: set[str]) -> _Found:
    found: _Found = []
    for i, slug in file.items("related", str):
        if not _is_slug(slug):
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


def _name_problems(file: _CheckedFile, owners: _NameOwners) -> _Found:
    """Names and aliases are unique across the glossary, and none looks like another."""
    found: _Found = []
    skeletons = dict(file.skeletons)
    own_name = file.value("term")
    names: list[tuple[_FieldPath, Any]] = [(("term",), own_name)]
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


def _figure_problems(file: _CheckedFile, build_seconds: float) -> tuple[_Found, float]:
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


def _explicit_link_problems(file: _CheckedFile, slugs: set[str]) -> _Found:
    found: _Found = []
    for path, link in file.links:
        problem = _explicit_link_problem(link, file.slug, slugs)
        if problem is not None:
            found.append(Finding(path, *problem, text_line=link.line))
    return found


def _explicit_link_problem(
    link: ExplicitLink, slug: str, slugs: set[str]
) -> tuple[str, str] | None:
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


def _markdown_texts(file: _CheckedFile) -> list[tuple[tuple[str | int, ...], str]]:
    """The Markdown texts of a file, where explicit links may be, with their paths."""
    texts: list[tuple[_FieldPath, Any]] = []
    for spec in schema.TERM_FIELDS:
        if spec.kind is Kind.MARKDOWN:
            texts.append(((spec.name,), file.value(spec.name)))
        elif spec.kind is Kind.MARKDOWN_LIST:
            texts += [((spec.name, i), item) for i, item in file.items(spec.name, str)]
        for item in spec.item_fields:
            if item.kind is Kind.MARKDOWN:
                entries = file.items(spec.name, dict)
                texts += [((spec.name, i, item.name), entry.get(item.name)) for i, entry in entries]
    return [(path, text) for path, text in texts if isinstance(text, str) and _scannable(text)]


def _scannable(text: str) -> bool:
    """Whether finding the explicit links in ``text`` takes little time: not in a text refused
    as too long, or as too slow to parse (unclosed openers make a scan quadratic)."""
    if len(text) > MARKDOWN_MAX_LENGTH:
        return False
    openers = ("\\(", "\\[", "<!--")
    return not any(opener in text for opener in openers) or too_slow(text) is None
