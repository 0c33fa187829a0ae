"""Stage 2, validate: loaded documents in, a ``Glossary`` and every problem found out.

Never stops at the first problem: each file is checked field by field against
``schema.TERM_FIELDS``, then the glossary is checked as a whole (``cross_checks``: related
terms exist, names and aliases are unique, categories are declared, figure specs fit their
kind, explicit ``[[slug]]`` links in the text point to another existing term).
"""

from __future__ import annotations

from collections.abc import Mapping
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
    Symbol,
    Term,
    field_label,
)
from generator.pipeline.cache_store import plain_problems, problems_from_plain
from generator.pipeline.categories import read_categories
from generator.pipeline.checked_file import (
    CheckedFile,
    FieldPath,
    FigureFacts,
    closest,
    located_problems,
)
from generator.pipeline.cross_checks import problems_across_files
from generator.pipeline.declarations import read_start_here, read_tag_vocabulary, tag_problems
from generator.pipeline.field_checks import check_value
from generator.pipeline.load import (
    LANGUAGES_FILE,
    START_HERE_FILE,
    TAGS_FILE,
    LoadedSources,
    ParsedFiles,
)
from generator.pipeline.lookalikes import skeleton
from generator.pipeline.page_sections import figure_section_problems
from generator.pipeline.translations import read_languages, read_translations
from generator.schema import (
    MARKDOWN_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    FieldSpec,
    Kind,
    is_slug,
    slugify,
)

# Names the generator uses in glossary/: the A-Z page (index.md) and its directories.
RESERVED_SLUGS = {"index", "category", "figures", "tags"}


# The checks of one validation: file path -> (its document, its own checks). A document that
# ``load`` handed back unchanged (the very same object) needs no checks again: they depend on
# nothing else. Owned by the caller's ``BuildCache``.
CheckedFiles = dict[str, tuple[SourceDocument, CheckedFile | None, list[Problem]]]


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
    problems += problems_across_files(checked, {c.key for c in categories}, slugs)
    tags_file = sources.declarations.get(TAGS_FILE)
    vocabulary = read_tag_vocabulary(tags_file, problems)
    problems += tag_problems(checked, vocabulary, tags_file)
    start_here = read_start_here(sources.declarations.get(START_HERE_FILE), slugs, problems)
    languages = read_languages(sources.declarations.get(LANGUAGES_FILE), problems)
    english = {c.slug: c for c in checked}
    translations = read_translations(sources.translations, english, languages, slugs, problems)
    terms = sorted((c.term for c in checked if c.term is not None), key=lambda t: t.slug)
    dates = {t.slug: found for t in terms if (found := sources.history.of(t.source)) is not None}
    glossary = Glossary(
        tuple(terms),
        tuple(categories),
        vocabulary,
        start_here,
        dates,
        languages,
        translations,
    )
    return glossary, problems


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


def _stored_facts(file: CheckedFile) -> tuple[object, object, object]:
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
        file = None if state == 0 else CheckedFile(slug, document, term, *facts)
        checked[path] = (document, file, problems_from_plain(problems))
    return checked


def _checked_once(
    document: SourceDocument, problems: list[Problem], now: CheckedFiles, last: CheckedFiles
) -> CheckedFile | None:
    """``_read_term``, or its result for this very document in the last ``validate``."""
    previous = last.get(document.path)
    if previous is None or previous[0] is not document:
        found: list[Problem] = []
        previous = (document, _read_term(document, found), found)
    now[document.path] = previous
    problems += previous[2]
    return previous[1]


def _read_term(document: SourceDocument, problems: list[Problem]) -> CheckedFile | None:
    """Check one term file on its own; None when it is not even a mapping of fields."""
    found: list[Problem] = []
    slug = PurePosixPath(document.path).stem
    if not is_slug(slug) or slug in RESERVED_SLUGS:
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
    found += problems_in_mapping(document, (), data, schema.TERM_FIELDS)
    if not found:  # these read the fields as the field checks let them through
        found += _page_problems(document, data)
    problems += found
    term = None if found else _build_term(slug, document)
    file = CheckedFile(slug, document, term)
    return CheckedFile(
        slug, document, term, _figure_facts(file), _explicit_links(file), _skeletons(file)
    )


def _figure_facts(file: CheckedFile) -> tuple[FigureFacts, ...]:
    """What the checks across files need of each figure spec: whether it fits its kind, and
    what it costs."""
    facts = []
    for i, figure in file.items("figures", dict):
        kind, params = figure.get("kind"), figure.get("params") or {}
        if not is_slug(kind) or not isinstance(params, dict):
            continue  # reported by the field checks
        from plots import registry  # only for a file with figures

        issues = tuple(
            (issue.param, issue.message, issue.fix) for issue in registry.check_figure(kind, params)
        )
        seconds = 0.0 if issues else registry.figure_cost(kind, params)
        budgets = (registry.TERM_FIGURE_BUDGET, registry.BUILD_FIGURE_BUDGET)
        facts.append((i, issues, seconds, *budgets))
    return tuple(facts)


def _skeletons(file: CheckedFile) -> tuple[tuple[str, str], ...]:
    names = [file.value("term"), *(alias for _, alias in file.items("aliases", str))]
    return tuple((n.strip(), skeleton(n.strip())) for n in names if isinstance(n, str))


def _explicit_links(file: CheckedFile) -> tuple[tuple[FieldPath, ExplicitLink], ...]:
    return tuple(
        (path, link) for path, text in markdown_texts(file) for link in find_explicit_links(text)
    )


def _page_problems(document: SourceDocument, data: Mapping[str, Any]) -> list[Problem]:
    """What the page made of a file would get wrong: a legend without a formula, a symbol
    explained twice, a figure under a heading the page does not have."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    symbols = data.get("symbols") or []
    if symbols and data.get("formula") is None:
        found.append(
            (
                ("symbols",),
                "there is no formula for this legend",
                "add 'formula:', or remove 'symbols'",
            )
        )
    seen: set[str] = set()
    for i, item in enumerate(symbols):
        symbol = "".join(item["symbol"].split())
        if symbol in seen:
            what = f"'{item['symbol'].strip()}' is explained twice"
            found.append((("symbols", i, "symbol"), what, "remove the repetition"))
        seen.add(symbol)
    found += figure_section_problems(data)
    return located_problems(document, found)


def problems_in_mapping(
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
                    found += problems_in_mapping(document, (*here, i), item, spec.item_fields)
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

    autolink = data.get("autolink", True) is not False

    return Term(
        slug=slug,
        source=source,
        term=data["term"].strip(),
        summary=data["summary"].strip(),
        definition=data["definition"].strip(),
        category=data["category"],
        aliases=texts("aliases"),
        autolink=texts("autolink") if isinstance(data.get("autolink"), list) else autolink,
        tags=texts("tags"),
        explanation=text("explanation"),
        formula=text("formula"),
        symbols=tuple(Symbol(i["symbol"].strip(), i["meaning"].strip()) for i in items("symbols")),
        examples=texts("examples"),
        sections=tuple(
            Section(spec.name, spec.section, body)
            for spec in schema.section_fields()
            if spec.section is not None and (body := text(spec.name))
        ),
        faq=tuple(FaqEntry(i["q"].strip(), i["a"].strip()) for i in items("faq")),
        related=tuple(data.get("related") or ()),
        formerly=tuple(data.get("formerly") or ()),
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
        status=data.get("status"),
        reviewed=str(data["reviewed"]).strip() if data.get("reviewed") is not None else None,
        figures=tuple(
            FigureSpec(
                i["kind"],
                i["caption"].strip(),
                dict(i.get("params") or {}),
                (i.get("section") or "").strip() or None,
                document.position("figures", index, "kind"),
            )
            for index, i in enumerate(items("figures"))
        ),
    )


def markdown_texts(file: CheckedFile) -> list[tuple[tuple[str | int, ...], str]]:
    """The Markdown texts of a file, where explicit links may be, with their paths."""
    texts: list[tuple[FieldPath, Any]] = []
    for spec in schema.TERM_FIELDS:
        if spec.kind is Kind.MARKDOWN:
            texts.append(((spec.name,), file.value(spec.name)))
        elif spec.kind is Kind.MARKDOWN_LIST:
            texts += [((spec.name, i), item) for i, item in file.items(spec.name, str)]
        for item in spec.item_fields:
            if item.kind in (Kind.MARKDOWN, Kind.INLINE_MARKDOWN):
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
