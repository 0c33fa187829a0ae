"""The pipeline: load -> validate -> link -> figures -> render -> write, in that order."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.model import Glossary, GlossaryError
from generator.pipeline.cache_store import (
    CacheStore,
    parses_from_store,
    shard_of,
    stored_parses,
)
from generator.pipeline.link import LinkedGlossary, link
from generator.pipeline.load import ParsedFiles, SourceScan, load_sources, scan_sources
from generator.pipeline.render import RenderedPages, render_pages
from generator.pipeline.validate import CheckedFiles, checks_from_store, stored_checks, validate
from generator.pipeline.write import (
    WriteReport,
    output_stamps,
    outputs_unchanged,
    read_manifest,
    write_outputs,
)

if TYPE_CHECKING:
    from generator.pipeline.figures import RenderedFigure

GENERATED_DIR = "docs/glossary"
FIGURE_CACHE_DIR = ".cache/figures"  # figures.CACHE_DIR, without importing the plotting code


@dataclass(frozen=True)
class BuildResult:
    glossary: LinkedGlossary
    report: WriteReport
    figures_rendered: int


@dataclass(frozen=True)
class Summary:
    """What ``glossary check`` and ``glossary generate`` report: the glossary's size and, for
    ``generate``, what changed on disk."""

    terms: int
    categories: int
    report: WriteReport = field(default_factory=WriteReport)
    figures_rendered: int = 0


@dataclass
class BuildCache:
    """What a build leaves for the next one, so that it redoes only what changed: the files
    parsed, the files checked, the term pages rendered. Owned by whoever builds again (the CLI
    for one command, the MkDocs plugin for a preview server); a new cache means a build from
    scratch. Figures are cached on disk instead (see ``figures``).

    ``BuildCache.on_disk(root)`` also keeps it between processes, in ``root/.cache/build``
    (see ``cache_store``): read when a build first needs it, written when a build changed it.
    """

    parsed: ParsedFiles = field(default_factory=dict)
    checked: CheckedFiles = field(default_factory=dict)
    rendered: RenderedPages = field(default_factory=RenderedPages)
    store: CacheStore | None = None
    # The fingerprint of the sources (see ``SourceScan``) each part on disk was written for,
    # and the digest of each file whose entry is on disk.
    _on_disk: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    _files_on_disk: dict[str, bytes] = field(default_factory=dict, repr=False)

    @classmethod
    def on_disk(cls, root: Path) -> BuildCache:
        """A cache that the last run under ``root`` left on disk, and this one updates."""
        return cls(store=CacheStore.for_project(root))

    def _read(self, name: str) -> Any:
        """The payload of the part ``name`` on disk, read once: None once read, or if none."""
        if self.store is None or name in self._on_disk:
            return None
        stored = self.store.read(name)
        self._on_disk[name] = None
        if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], bytes):
            self._on_disk[name] = stored[0]
            return stored[1]
        return None

    def _write(self, name: str, fingerprint: bytes, payload: Callable[[], object]) -> None:
        """Keep the part ``name`` on disk, unless it is there already for these sources."""
        if self.store is not None and self._on_disk.get(name) != fingerprint:
            self.store.write(name, (fingerprint, payload()))
            self._on_disk[name] = fingerprint

    def _restore_files(self) -> None:
        """The files parsed and checked by the last run on disk, one entry per file."""
        if self.store is None or "files" in self._on_disk:
            return
        self._read("files")  # the sources they were written for
        if self.parsed:
            return
        # Plain data read back: its shape is checked by using it (a wrong one raises below).
        entries: dict[str, Any] = dict(self.store.read_sharded("files"))
        try:
            parsed = parses_from_store({path: entry[0] for path, entry in entries.items()})
            checks = {path: entry[1] for path, entry in entries.items() if entry[1] is not None}
            self.parsed, self.checked = parsed, checks_from_store(checks, parsed)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            self.parsed, self.checked = {}, {}  # not what this version writes
        self._files_on_disk = {path: digest for path, (digest, _) in self.parsed.items()}

    def _save_files(self, fingerprint: bytes) -> None:
        def save() -> None:
            assert self.store is not None
            now = {path: digest for path, (digest, _) in self.parsed.items()}
            last = self._files_on_disk
            changed = {p for p in now.keys() | last.keys() if now.get(p) != last.get(p)}
            shards = {shard_of(path) for path in changed}
            parsed = {path: e for path, e in self.parsed.items() if shard_of(path) in shards}
            checked = {path: e for path, e in self.checked.items() if path in parsed}
            checks = stored_checks(checked)
            entries = {path: (e, checks.get(path)) for path, e in stored_parses(parsed).items()}
            self.store.write_sharded("files", entries, shards)
            self._files_on_disk = now

        self._write("files", fingerprint, save)

    def _restore_pages(self, out_dir: Path) -> None:
        """The term pages of the last run on disk: the pages themselves are the generated
        files, used only if they are exactly as that run wrote them."""
        stored = self._read("pages")
        if stored is not None and not self.rendered.pages:
            try:
                self.rendered = RenderedPages.from_store(stored, out_dir)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                self.rendered = RenderedPages()


def linked_glossary(root: Path, cache: BuildCache | None = None) -> LinkedGlossary:
    """The glossary under ``root``, loaded, validated and linked (stages 1-3, all that
    ``glossary check`` needs); raises GlossaryError with every problem. With ``cache``, files
    parsed and checked by its last build are not parsed and checked again."""
    return _linked(root, cache if cache is not None else BuildCache(), scan_sources(root))


def _linked(root: Path, cache: BuildCache, scan: SourceScan) -> LinkedGlossary:
    return link(_validated(root, cache, scan))  # 3. related terms, backlinks, categories, A-Z


def _validated(root: Path, cache: BuildCache, scan: SourceScan) -> Glossary:
    cache._restore_files()
    sources = load_sources(root, cache.parsed, scan)  # 1. parse terms/*.yaml, every position
    glossary, problems = validate(sources, cache.checked)  # 2. each file, then cross-checks
    cache._save_files(scan.fingerprint())
    if problems:
        raise GlossaryError(problems)
    return glossary


def check_glossary(root: Path, cache: BuildCache | None = None) -> Summary:
    """What ``glossary check`` reports: ``linked_glossary``'s size, or the same as the last
    check with ``cache`` when no file under ``terms/`` (nor the tool) changed since."""
    cache = cache if cache is not None else BuildCache()
    scan = scan_sources(root)
    fingerprint = scan.fingerprint()
    run = _RunRecord.read(cache, fingerprint)
    if run.summary is not None:
        return run.summary
    with _collector_paused():
        glossary = _validated(root, cache, scan)  # linking finds no problems: not needed here
        summary = Summary(len(glossary.terms), len(glossary.categories))
        _RunRecord(summary, run.outputs).write(cache, fingerprint)
    return summary


def generate(
    root: Path, progress: Callable[[str], None] | None = None, cache: BuildCache | None = None
) -> Summary:
    """What ``glossary generate`` reports: ``build``, or nothing to do when no file under
    ``terms/`` (nor the tool) changed since the last build with ``cache``, and the generated
    files are exactly as that build left them."""
    cache = cache if cache is not None else BuildCache()
    scan = scan_sources(root)
    fingerprint = scan.fingerprint()
    run = _RunRecord.read(cache, fingerprint)
    out_dir = root / GENERATED_DIR
    if run.summary is not None and run.outputs and outputs_unchanged(out_dir, run.outputs[1]):
        unchanged = WriteReport(unchanged=run.outputs[0])
        return Summary(run.summary.terms, run.summary.categories, unchanged)
    with _collector_paused():
        result = _build(root, progress, cache, scan)
        summary = Summary(len(result.glossary.terms), len(result.glossary.categories))
        generated = read_manifest(out_dir)  # after a build, exactly the files it generated
        outputs = (len(generated), output_stamps(out_dir, generated))
        _RunRecord(summary, outputs).write(cache, fingerprint)
    return Summary(summary.terms, summary.categories, result.report, result.figures_rendered)


def build(
    root: Path,
    progress: Callable[[str], None] | None = None,
    cache: BuildCache | None = None,
) -> BuildResult:
    """Generate the glossary's Markdown pages and figures under ``root/docs/glossary``; with
    ``cache``, reuse what the last build with it did and did not change."""
    cache = cache if cache is not None else BuildCache()
    return _build(root, progress, cache, scan_sources(root))


def _build(
    root: Path, progress: Callable[[str], None] | None, cache: BuildCache, scan: SourceScan
) -> BuildResult:
    with _collector_paused():
        linked = _linked(root, cache, scan)
        figures, rendered = render_figures(linked, root / FIGURE_CACHE_DIR, progress)  # 4. SVGs
        cache._restore_pages(root / GENERATED_DIR)
        cache.rendered.sources = {path: digest for path, (digest, _) in cache.parsed.items()}
        pages = render_pages(linked, figures, cache.rendered)  # 5. Markdown, in memory
        outputs = {path: text.encode("utf-8") for path, text in pages.items()}
        for figure in figures.values():
            outputs[f"figures/{figure.light_name}"] = figure.light_svg
            outputs[f"figures/{figure.dark_name}"] = figure.dark_svg
        report = write_outputs(root / GENERATED_DIR, outputs, GENERATED_DIR)  # 6. what changed
        cache._write("pages", scan.fingerprint(), cache.rendered.stored)
    return BuildResult(linked, report, rendered)


def render_figures(
    linked: LinkedGlossary, cache_dir: Path, progress: Callable[[str], None] | None = None
) -> tuple[dict[tuple[str, int], RenderedFigure], int]:
    """Stage 4: ``figures.render_figures``, whose module is imported only when a build runs:
    it imports the plotting code, which takes longer than a warm run."""
    from generator.pipeline import figures

    return figures.render_figures(linked, cache_dir, progress)


@dataclass(frozen=True)
class _RunRecord:
    """What the last check or build with a cache on disk found, for sources whose fingerprint
    it was written for: the glossary's size, and what the build generated (how many files, and
    the stamps of the generated directory: see ``write.output_stamps``)."""

    summary: Summary | None = None
    outputs: tuple[int, dict[str, Any]] | None = None

    @classmethod
    def read(cls, cache: BuildCache, fingerprint: bytes) -> _RunRecord:
        stored = cache._read("run")
        if cache._on_disk.get("run") != fingerprint:
            return cls()
        try:
            (terms, categories), outputs = stored
            summary = Summary(int(terms), int(categories))
            if outputs is not None:
                count, stamps = outputs
                outputs = (int(count), {str(p): tuple(s) for p, s in stamps.items()})
        except (ValueError, TypeError, AttributeError):
            return cls()
        return cls(summary, outputs)

    def write(self, cache: BuildCache, fingerprint: bytes) -> None:
        if self.summary is None:
            return
        cache._on_disk.pop("run", None)  # written even for the same sources: it has more now
        payload = ((self.summary.terms, self.summary.categories), self.outputs)
        cache._write("run", fingerprint, lambda: payload)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the pipeline runs.

    The pipeline allocates millions of objects that live until it ends and makes no reference
    cycles, so each collection only walks them, and everything else the process holds, again.
    In the preview server, whose memory also holds the site, rebuilding 1,000 terms took 0.84 s
    with the collector running and 0.63 s with it paused. Reference counting frees memory as
    usual; the collector runs again afterwards.
    """
    if not gc.isenabled():  # paused already, e.g. by the caller
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
