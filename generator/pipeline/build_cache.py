"""The build cache: what a build leaves for the next one, so that it redoes only what changed.

Held in memory by whoever builds again (the CLI for one command, the MkDocs plugin for a
preview server), and, from ``BuildCache.on_disk(root)``, kept between processes as signed
files under ``root/.cache/build`` (see ``cache_store``). ``build`` calls it at each stage:
``restore_files``/``save_files`` around load and validate, ``restore_math``/``save_math``
around the math check, ``restore_figures``/``save_figures``
around figures, ``restore_pages``/``save_pages`` around render, ``last_run``/``record_run`` for a
check or generate with nothing to do; ``mention_index`` gives the index of the glossary's names
that linking needs, from the last run while no name changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.markdown.mentions import MentionIndex, Names, names_of
from generator.model import Problem, SourceDocument, Term
from generator.pipeline.cache_store import (
    CacheStore,
    parses_from_store,
    plain_problems,
    problems_from_plain,
    shard_of,
    stored_parses,
)
from generator.pipeline.load import ParsedFiles
from generator.pipeline.math_check import MathCache
from generator.pipeline.render import RenderedPages
from generator.pipeline.validate import CheckedFiles, checks_from_store, stored_checks

# Plain data read back from disk fails in one of these ways when it is not what this version
# writes: the cache is then taken as empty.
_NOT_OURS = (ValueError, TypeError, KeyError, IndexError, AttributeError)


@dataclass(frozen=True)
class RunRecord:
    """What the last check or build with a cache on disk found, for the sources it was written
    for: the glossary's size and, after a build, what it generated (how many files, and the
    stamps of the generated directory: see ``write.output_stamps``)."""

    terms: int
    categories: int
    outputs: tuple[int, dict[str, Any]] | None = None
    warnings: tuple[Problem, ...] = ()  # outdated translations (see ``translations``)


@dataclass
class BuildCache:
    """The files parsed, the files checked and the term pages rendered by the last build; a
    new cache means a build from scratch. Figures are cached on disk apart (see ``figures``).
    """

    parsed: ParsedFiles = field(default_factory=dict)
    checked: CheckedFiles = field(default_factory=dict)
    rendered: RenderedPages = field(default_factory=RenderedPages)
    # The digest of each figure spec (its JSON -> ``plots.export.figure_digest``): valid as
    # long as the cache is, since the cache's version covers the plotting code.
    figure_digests: dict[str, str] = field(default_factory=dict)
    math: MathCache = field(default_factory=MathCache)
    store: CacheStore | None = None
    # The fingerprint of the sources (see ``load.SourceScan``) each part on disk was written
    # for, and the digest of each file whose entry is on disk.
    _on_disk: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    _files_on_disk: dict[str, bytes] = field(default_factory=dict, repr=False)
    _mentions: tuple[Names, MentionIndex] | None = field(default=None, repr=False)

    @classmethod
    def on_disk(cls, root: Path) -> BuildCache:
        """A cache that the last run under ``root`` left on disk, and this one updates."""
        return cls(store=CacheStore.for_project(root))

    def restore_files(self) -> None:
        """Take the files parsed and checked by the last run on disk (once, and only into an
        empty cache), one entry per file."""
        if self.store is None or "files" in self._on_disk:
            return
        self._read("files")  # the sources they were written for
        if self.parsed:
            return
        entries: dict[str, Any] = dict(self.store.read_sharded("files"))
        try:
            parsed = parses_from_store({path: entry[0] for path, entry in entries.items()})
            checks = {path: entry[1] for path, entry in entries.items() if entry[1] is not None}
            self.parsed, self.checked = parsed, checks_from_store(checks, parsed)
        except _NOT_OURS:
            self.parsed, self.checked = {}, {}
        self._files_on_disk = {path: digest for path, (digest, _) in self.parsed.items()}

    def save_files(self, fingerprint: bytes) -> None:
        """Keep the files parsed and checked for sources of ``fingerprint``: only the shards
        that hold a file changed since the last save are written."""

        def save() -> None:
            assert self.store is not None  # _write calls it only with a store
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

    def restore_math(self) -> None:
        """Take the formulas found and the KaTeX verdicts of the last run on disk (once, and
        only into an empty cache)."""
        if self.store is None or "math" in self._on_disk:
            return
        self._on_disk["math"] = None
        if self.math.found or self.math.verdicts:
            return
        found: Any = self.store.read_sharded("formulas")
        verdicts: Any = self.store.read("katex-verdicts")
        try:
            self.math.found = {
                str(path): (str(digest), list(places)) for path, (digest, places) in found.items()
            }
            if isinstance(verdicts, dict):
                self.math.verdicts = {str(v): dict(known) for v, known in verdicts.items()}
        except _NOT_OURS:
            self.math.found, self.math.verdicts = {}, {}

    def save_math(self) -> None:
        """Keep what the math check found that the last save did not have: the shards of the
        files whose formulas changed, and the verdicts if there are new ones."""
        math = self.math
        if self.store is not None and math.changed:
            shards = {shard_of(path) for path in math.changed}
            found = {path: e for path, e in math.found.items() if shard_of(path) in shards}
            self.store.write_sharded("formulas", found, shards)
        if self.store is not None and math.verdicts_changed:
            self.store.write("katex-verdicts", math.verdicts)
        math.changed, math.verdicts_changed = set(), False

    def documents(self) -> dict[str, SourceDocument]:
        """The documents of the files the last load parsed, by path (for reports that place
        what they say in the term files)."""
        return {path: doc for path, (_, (doc, _)) in self.parsed.items() if doc is not None}

    def mention_index(self, terms: Iterable[Term]) -> MentionIndex:
        """The index of the names and aliases of ``terms``: the last one, if no name changed
        since (kept on disk, it takes a tenth of the time of building it at 10,000 terms),
        else built and kept."""
        names = names_of(terms)
        if self._mentions is None and self.store is not None:
            stored: Any = self.store.read("mentions")
            try:
                stored_names, stored_index = stored
                self._mentions = stored_names, MentionIndex.from_store(stored_index)
            except _NOT_OURS:
                pass
        if self._mentions is not None and self._mentions[0] == names:
            return self._mentions[1]
        index = MentionIndex.from_names(names)
        self._mentions = names, index
        if self.store is not None:
            self.store.write("mentions", (names, index.stored()))
        return index

    def restore_figures(self) -> None:
        """Take the figure digests of the last run on disk."""
        stored = self._read("figures")
        if isinstance(stored, dict) and not self.figure_digests:
            self.figure_digests = {str(k): str(v) for k, v in stored.items()}

    def save_figures(self, fingerprint: bytes) -> None:
        """Keep the figure digests, for sources of ``fingerprint``."""
        self._write("figures", fingerprint, lambda: dict(self.figure_digests))

    def restore_pages(self, out_dir: Path) -> None:
        """Take the term pages of the last run on disk: the pages themselves are the generated
        files in ``out_dir``, used only if they are exactly as that run wrote them."""
        stored = self._read("pages")
        if stored is not None and not self.rendered.pages:
            try:
                self.rendered = RenderedPages.from_store(stored, out_dir)
            except _NOT_OURS:
                self.rendered = RenderedPages()

    def save_pages(self, fingerprint: bytes) -> None:
        """Keep what the term pages were rendered from, for sources of ``fingerprint``."""
        self._write("pages", fingerprint, self.rendered.stored)

    def last_run(self, fingerprint: bytes) -> RunRecord | None:
        """The record of the last run on disk, if it was for sources of ``fingerprint``."""
        stored = self._read("run")
        if self._on_disk.get("run") != fingerprint:
            return None
        try:
            (terms, categories), outputs, warnings = stored
            if outputs is not None:
                count, stamps = outputs
                outputs = (int(count), {str(p): tuple(s) for p, s in stamps.items()})
            found = tuple(problems_from_plain(warnings))
            return RunRecord(int(terms), int(categories), outputs, found)
        except _NOT_OURS:
            return None

    def record_run(self, fingerprint: bytes, run: RunRecord) -> None:
        """Keep ``run`` as the last run for sources of ``fingerprint``; it replaces a record
        for the same sources, since a build's says more than a check's."""
        self._on_disk.pop("run", None)
        payload = ((run.terms, run.categories), run.outputs, plain_problems(list(run.warnings)))
        self._write("run", fingerprint, lambda: payload)

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
