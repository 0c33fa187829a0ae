"""The generator's work grows linearly with the glossary, and a run rewrites only what changed.

Complexity, not wall time: the work of a build is counted as the function calls it makes
(Python functions, and C functions called from Python), which is the same on every machine and
every run, so a step that grows with the square of the glossary fails here however fast the
machine. The glossaries are synthetic (``bench/synthetic.py``), in the real format; the
benchmark that measures time is ``bench/run.py`` (see docs/performance.md).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import generator
import generator.pipeline.build
import generator.pipeline.figures
import generator.pipeline.load
import generator.pipeline.validate
import plots.export
from bench.synthetic import term_files, write_terms
from generator.pipeline.build import GENERATED_DIR, build
from generator.pipeline.build_cache import BuildCache
from plots.output import FigureOutput

# Doubling the glossary may at most multiply the work by this. Linear work doubles (sorting
# adds no calls: its comparisons are in C); giving each term the list of the other terms of its
# category, which grows with the square of the glossary, made the link stage grow x2.29 from 300
# to 600 terms.
MAX_GROWTH = 2.2


STAGES = ("load_sources", "validate", "link", "render_figures", "render_pages", "write_outputs")


def count_calls(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The function calls that building ``root`` makes, by stage (each stage's function in
    ``generator.pipeline.build``), with every cache of the generator emptied first (and no
    ``BuildCache``), so that nothing left from an earlier build is reused."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith(generator.__name__ + "."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    calls = dict.fromkeys(STAGES, 0)

    def counted(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def profile(frame: object, event: str, arg: object) -> None:
            if event in ("call", "c_call"):
                calls[stage] += 1

        def run(*args: Any, **kwargs: Any) -> Any:
            sys.setprofile(profile)
            try:
                return function(*args, **kwargs)
            finally:
                sys.setprofile(None)

        return run

    with monkeypatch.context() as patch:
        for stage in STAGES:
            patch.setattr(
                generator.pipeline.build,
                stage,
                counted(stage, getattr(generator.pipeline.build, stage)),
            )
        build(root)
    return calls


@pytest.fixture
def fake_figures(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Figures rendered instantly (the kinds of each call are returned), in threads."""
    kinds: list[str] = []

    def fake_render_figure(kind: str, params: Mapping[str, Any]) -> FigureOutput:
        kinds.append(kind)
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
        return FigureOutput(svg, svg, f"A {kind} figure.")

    monkeypatch.setattr(plots.export, "render_figure", fake_render_figure)
    monkeypatch.setattr(generator.pipeline.figures, "ProcessPoolExecutor", ThreadPoolExecutor)
    return kinds


def glossary(tmp_path: Path, n: int, figures: bool = False) -> Path:
    root = tmp_path / f"glossary-{n}"
    write_terms(root / "terms", n, figures=figures)
    return root


def test_doubling_the_glossary_at_most_doubles_each_stages_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large enough for a step that grows with the square of the glossary to show (see
    # MAX_GROWTH), small enough to count every call of two builds in a few seconds.
    small, large = glossary(tmp_path, 300), glossary(tmp_path, 600)
    build(glossary(tmp_path, 20))  # imports, compiled patterns: not part of the comparison
    work = {root: count_calls(root, monkeypatch) for root in (small, large)}
    growth = {stage: work[large][stage] / work[small][stage] for stage in STAGES}
    assert all(ratio <= MAX_GROWTH for ratio in growth.values()), growth
    assert sum(work[large].values()) / sum(work[small].values()) <= MAX_GROWTH


def test_a_no_op_run_writes_nothing_and_renders_no_figure(
    tmp_path: Path, fake_figures: list[str]
) -> None:
    root = glossary(tmp_path, 120, figures=True)
    first = build(root)
    assert first.figures_rendered == len(fake_figures) > 0
    out = root / GENERATED_DIR
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build(root)
    assert (again.report.written, again.report.removed, again.figures_rendered) == ([], [], 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def pages_linking_to(root: Path, slug: str) -> set[str]:
    """The generated pages with a link to ``slug``'s page (from any directory)."""
    link = re.compile(rf"\]\[term:(?:\.\./)*(?:glossary/)?{re.escape(slug)}\]")
    out = root / GENERATED_DIR
    return {
        p.relative_to(out).as_posix()
        for p in out.rglob("*.md")
        if link.search(p.read_text(encoding="utf-8"))
    }


def edit(root: Path, slug: str, old: str, new: str) -> None:
    path = root / "terms" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("n", [150, 300])
def test_editing_a_summary_rewrites_the_term_and_exactly_the_pages_that_link_to_it(
    tmp_path: Path, n: int
) -> None:
    root = glossary(tmp_path, n)
    build(root)
    slug = sorted(term_files(n, figures=False))[n // 2].removesuffix(".yaml")
    linking = pages_linking_to(root, slug)
    edit(root, slug, " is a technique that ", " is a method that ")
    written = set(build(root).report.written)
    assert written == {f"{slug}.md"} | linking
    # Its own page, those that mention or list it, and its indexes (A-Z, category, tags): as
    # many for a glossary twice as large.
    assert len(written) <= 60


def test_editing_a_definition_rewrites_only_the_terms_page(tmp_path: Path) -> None:
    root = glossary(tmp_path, 300)
    build(root)
    slug = sorted(term_files(300, figures=False))[150].removesuffix(".yaml")
    edit(root, slug, " is a method that ", " is a procedure that ")
    assert build(root).report.written == [f"{slug}.md"]


def test_a_rebuild_parses_and_checks_only_the_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a preview server does after a save: the other files are neither parsed nor checked
    on their own again (the checks across files still see them all)."""
    root = glossary(tmp_path, 200)
    cache = BuildCache()  # what the preview server keeps between builds
    build(root, cache=cache)
    parsed: list[str] = []
    checked: list[str] = []
    parse, check = generator.pipeline.load.parse_document, generator.pipeline.validate._read_term
    monkeypatch.setattr(
        generator.pipeline.load,
        "parse_document",
        lambda raw, path: parsed.append(path) or parse(raw, path),
    )
    monkeypatch.setattr(
        generator.pipeline.validate,
        "_read_term",
        lambda document, problems: checked.append(document.path) or check(document, problems),
    )
    slug = sorted(term_files(200, figures=False))[100].removesuffix(".yaml")
    edit(root, slug, " is a method that ", " is a procedure that ")
    result = build(root, cache=cache)
    assert parsed == checked == [f"terms/{slug}.yaml"]
    assert result.report.written == [f"{slug}.md"]
    assert len(result.glossary.terms) == 200
    parsed.clear()
    build(root, cache=BuildCache())  # a new cache: a build from scratch
    assert len(parsed) == 200 + 2  # and terms/_categories.yaml, terms/_tags.yaml
