"""The ``glossary`` command line: check, generate, build, serve, new.

This is the one place where problems become an exit code: every command prints each problem
on its own line and exits 1, never with a traceback for bad input.

``build`` and ``serve`` generate the glossary first, so that problems are reported here, then
run MkDocs in the same process, whose plugin uses that result instead of generating again.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from generator.format_files import TERM_SCHEMA_FILE, write_format_files
from generator.model import GlossaryError, Problem
from generator.new_term import new_term_file
from generator.pipeline.build import (
    GENERATED_DIR,
    BuildResult,
    Summary,
    build,
    check_glossary,
    generate,
    linked_glossary,
)
from generator.pipeline.build_cache import BuildCache
from generator.pipeline.load import TERMS_DIR
from generator.pipeline.translations import translation_warnings
from generator.site.mkdocs_commands import mkdocs_build, mkdocs_serve

SITE_DIR = "site"
OFFLINE_SITE_DIR = "site-offline"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = _parser().parse_args(argv)
    root = Path(args.root).resolve()
    try:
        return int(args.run(root, args) or 0)
    except GlossaryError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(error.summary, file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into a command that stopped reading, e.g. head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _check(root: Path, args: argparse.Namespace) -> int:
    with _one_shot():
        cache = BuildCache.on_disk(root)
        summary = check_glossary(root, cache)  # the last, if nothing changed
        if args.published is not None:
            _check_published(root, Path(args.published), cache)
    _warn(summary.warnings)
    terms, categories = _count(summary.terms, "term", "terms"), summary.categories
    print(f"ok: {terms}, {_count(categories, 'category', 'categories')}")
    return 0


def _check_published(root: Path, published: Path, cache: BuildCache) -> None:
    """Every address in ``published`` still leads to a term (see ``published``)."""
    from generator.published import missing_redirects, read_published

    linked = linked_glossary(root, cache)
    problems = missing_redirects(read_published(published), linked, cache.documents())
    if problems:
        raise GlossaryError(problems)


def _warn(warnings: Sequence[Problem]) -> None:
    """Print what is not a problem but needs a person, e.g. an outdated translation."""
    for warning in sorted(warnings, key=lambda p: (p.path, p.line, p.column)):
        print(f"warning: {warning}", file=sys.stderr)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _generate(root: Path, args: argparse.Namespace) -> int:
    with _one_shot():
        summary = generate(root, cache=BuildCache.on_disk(root))  # nothing to do if unchanged
    _warn(summary.warnings)
    _report(summary)
    return 0


@contextmanager
def _one_shot() -> Iterator[None]:
    """Run a command whose objects live until the process exits with Python's cyclic collector
    paused, and leave them to reference counting afterwards: they form no cycles (see
    ``build._collector_paused``), and the collector would otherwise walk them all once when it
    runs again, and once more as the process exits (about a second each at 10,000 terms)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _generate_and_report(root: Path, cache: BuildCache | None = None) -> BuildResult:
    result = build(root, cache=cache)
    report = result.report
    terms, categories = len(result.glossary.terms), len(result.glossary.categories)
    _warn(translation_warnings(result.glossary.glossary.translations))
    _report(Summary(terms, categories, report, result.figures_rendered))
    return result


def _report(summary: Summary) -> None:
    report = summary.report
    print(
        f"generated {GENERATED_DIR}/: {len(report.written)} written, {report.unchanged} "
        f"unchanged, {len(report.removed)} removed; {summary.figures_rendered} figures rendered "
        f"({summary.terms} terms)"
    )


def _build(root: Path, args: argparse.Namespace) -> int:
    cache = BuildCache.on_disk(root)
    result = _generate_and_report(root, cache)
    site_dir = args.site_dir or (OFFLINE_SITE_DIR if args.offline else SITE_DIR)
    site = (root / site_dir).resolve()
    code = mkdocs_build(root, result, cache, site, args.offline)
    if code == 0:
        how = "works from disk, without a network" if args.offline else "or run 'glossary serve'"
        print(f"site built: open {site / 'index.html'} in a browser ({how})")
    return code


def _serve(root: Path, args: argparse.Namespace) -> int:
    cache = BuildCache.on_disk(root)  # handed to the MkDocs plugin, which rebuilds after saves
    result = build(root, cache=cache)  # report problems cleanly before MkDocs starts
    # A dirty build rebuilds only the pages whose Markdown changed, which the generator
    # rewrites only when their content changes: a second or two after saving a term, where
    # rebuilding every page takes as many seconds as the glossary has hundreds of terms.
    return mkdocs_serve(root, result, cache, args.dev_addr, dirty=not args.clean)


def _links(root: Path, args: argparse.Namespace) -> int:
    from generator.link_review import review_links  # only this command needs it

    with _one_shot():
        review = review_links(root, BuildCache.on_disk(root))
    for link in review.links:
        print(link)
    for name in review.everyday_names:
        print(name)
    everyday = _count(len(review.everyday_names), "everyday word", "everyday words")
    print(
        f"{_count(len(review.links), 'automatic link', 'automatic links')}, {everyday} among "
        "the names; a name that links where it should not: set 'autolink' in its term file "
        "(see CONTRIBUTING.md)"
    )
    return 0


def _import(root: Path, args: argparse.Namespace) -> int:
    from generator.importer import import_glossary  # only this command needs it

    report = import_glossary(Path(args.source), root / TERMS_DIR, args.category)
    for note in report.notes:
        print(note, file=sys.stderr)
    print(f"imported {_count(len(report.written), 'term file', 'term files')} into {TERMS_DIR}/")
    with _one_shot():
        summary = check_glossary(root, BuildCache.on_disk(root))  # what still needs a person
    print(f"ok: {_count(summary.terms, 'term', 'terms')}")
    return 1 if report.notes else 0


def _new(root: Path, args: argparse.Namespace) -> int:
    path = new_term_file(root / TERMS_DIR, args.name)
    print(
        f"created {path.relative_to(root).as_posix()}: fill in the fields, then run "
        "'glossary check'"
    )
    return 0


def _translate(root: Path, args: argparse.Namespace) -> int:
    from generator import translate  # only this command needs it

    with _one_shot():
        glossary = linked_glossary(root, BuildCache.on_disk(root)).glossary
    if args.current:
        path = translate.restamp_translation(root, glossary, args.language, args.slug)
        print(
            f"{path.relative_to(root).as_posix()}: now records the English of "
            f"{TERMS_DIR}/{args.slug}.yaml as translated"
        )
        return 0
    path = translate.start_translation(root, glossary, args.language, args.slug)
    print(
        f"created {path.relative_to(root).as_posix()}: translate its texts in place, then run "
        "'glossary check'"
    )
    return 0


def _translations(root: Path, args: argparse.Namespace) -> int:
    from generator.translate import translation_status  # only this command needs it

    with _one_shot():
        glossary = linked_glossary(root, BuildCache.on_disk(root)).glossary
    statuses = translation_status(glossary)
    if not statuses:
        print(f"no language declared besides English ({TERMS_DIR}/_languages.yaml)")
        return 0
    print(f"{'language':<8} {'translated':>10} {'outdated':>9} {'missing':>8}")
    for status in statuses:
        code = status.language.code
        print(
            f"{code:<8} {len(status.current):>10} {len(status.outdated):>9} "
            f"{len(status.missing):>8}  {status.language.name}"
        )
        if args.list:
            for translation in status.outdated:
                print(f"  outdated: {translation.source}")
            for term in status.missing:
                print(f"  missing: {TERMS_DIR}/{code}/{term.slug}.yaml")
    return 0


def _schema(root: Path, args: argparse.Namespace) -> int:
    for path in write_format_files(root):
        print(f"updated {path}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glossary",
        description="Validate the terms/ files and build the AI glossary site.",
    )
    parser.add_argument("--root", default=".", help="project root (default: current directory)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run: object, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    check_command = command(
        "check", _check, "Check every term file; report each problem with file:line:col."
    )
    check_command.add_argument(
        "--published",
        metavar="LIST",
        help="also check that every term in LIST (the published glossary.json, or one slug or "
        "page URL a line) still has a page or a redirect (a term's 'formerly')",
    )
    command(
        "generate",
        _generate,
        f"Write the generated Markdown pages and figures into {GENERATED_DIR}/ (no MkDocs).",
    )
    build_command = command("build", _build, "Generate, then build the site with MkDocs --strict.")
    build_command.add_argument(
        "--site-dir", help=f"output directory (default: {SITE_DIR}/, or {OFFLINE_SITE_DIR}/)"
    )
    build_command.add_argument(
        "--offline",
        action="store_true",
        help="build a site that works from file:// with no network (search included)",
    )
    serve_command = command("serve", _serve, "Live preview: rebuilds when a term file changes.")
    serve_command.add_argument("--dev-addr", default="127.0.0.1:8000", help="IP:PORT to serve on")
    serve_command.add_argument(
        "--clean",
        action="store_true",
        help="rebuild every page after each change, not only those that changed (slower; a "
        "deleted term's page then disappears from the preview at once)",
    )
    import_command = command(
        "import",
        _import,
        "Turn a glossary kept as Markdown files with YAML front matter (Hugo's layout) into "
        "term files, then check them; print what needs a person, as file:line.",
    )
    import_command.add_argument("source", help="the folder of Markdown files")
    import_command.add_argument(
        "--category", help="the category of the terms whose front matter names none"
    )
    command(
        "links",
        _links,
        "List every automatic link (file:line:col, the words linked, the term, the words "
        "around them), to review them.",
    )
    command(
        "schema", _schema, f"Regenerate {TERM_SCHEMA_FILE} and the format table in CONTRIBUTING.md."
    )
    translate_command = command(
        "translate",
        _translate,
        "Start terms/LANGUAGE/SLUG.yaml from the English term, to translate in place; with "
        "--current, record that it translates the English term as it is now.",
    )
    translate_command.add_argument("language", help="a code declared in terms/_languages.yaml")
    translate_command.add_argument("slug", help="the English term's slug, e.g. layer-norm")
    translate_command.add_argument(
        "--current",
        action="store_true",
        help="the translation says what the English says now: record it (clears 'outdated')",
    )
    translations_command = command(
        "translations",
        _translations,
        "For each language: how many terms are translated, outdated (their English changed "
        "since) and missing.",
    )
    translations_command.add_argument(
        "--list", action="store_true", help="also list the outdated and missing translations"
    )
    new_command = command("new", _new, "Create terms/<slug>.yaml for a new term from a template.")
    new_command.add_argument("name", help='the term\'s display name, e.g. "Layer Normalization"')
    return parser


if __name__ == "__main__":
    sys.exit(main())
