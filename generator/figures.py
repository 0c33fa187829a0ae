"""Stage 4, figures: every figure that term pages show, as light and dark SVG plus alt text.

Figures are computed by ``plots`` and can take seconds each, so results are cached under
``.cache/figures/`` by a digest of the kind, its params and the plotting code: an unchanged
figure is never rendered again. This cache is the one place in the middle of the pipeline that
touches the disk; it only ever holds our own derived data. Stale figures render in parallel
processes.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.link import LinkedGlossary
from plots.export import FigureOutput, figure_digest, render_figure

CACHE_DIR = ".cache/figures"


@dataclass(frozen=True)
class RenderedFigure:
    """One figure of one term, ready to be written and referenced from its page."""

    light_name: str  # file name under the generated figures/ directory
    dark_name: str
    alt: str
    light_svg: bytes
    dark_svg: bytes


@dataclass(frozen=True)
class _Job:
    key: tuple[str, int]
    kind: str
    params: Mapping[str, Any]
    digest: str


def render_figures(
    linked: LinkedGlossary,
    cache_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[tuple[str, int], RenderedFigure], int]:
    """Figures keyed by (term slug, index in its ``figures`` list), and how many were rendered."""
    digests: dict[str, str] = {}  # the same spec on several pages is digested once
    jobs = [
        _Job((term.slug, i), spec.kind, spec.params, _digest(spec.kind, spec.params, digests))
        for term in linked.terms
        for i, spec in enumerate(term.figures)
    ]
    outputs: dict[str, FigureOutput] = {}
    for digest in dict.fromkeys(job.digest for job in jobs):
        cached = _read_cache(cache_dir, digest)
        if cached is not None:
            outputs[digest] = cached
    stale = {job.digest: job for job in jobs if job.digest not in outputs}
    for digest, output in _render_all(list(stale.values()), progress or _print_progress):
        _write_cache(cache_dir, digest, output)
        outputs[digest] = output
    figures = {}
    for job in jobs:
        slug, index = job.key
        output = outputs[job.digest]
        stem = f"{slug}-{index + 1}"
        figures[job.key] = RenderedFigure(
            f"{stem}-light.svg", f"{stem}-dark.svg", output.alt, output.light_svg, output.dark_svg
        )
    return figures, len(stale)


def _digest(kind: str, params: Mapping[str, Any], digests: dict[str, str]) -> str:
    """``figure_digest`` (which reads the plotting code), once per distinct spec."""
    spec = json.dumps([kind, params], sort_keys=True, default=str)
    if spec not in digests:
        digests[spec] = figure_digest(kind, params)
    return digests[spec]


def _render_all(
    jobs: list[_Job], progress: Callable[[str], None]
) -> list[tuple[str, FigureOutput]]:
    if not jobs:
        return []
    started = time.monotonic()
    if len(jobs) == 1:
        job = jobs[0]
        progress(f"rendering figure {job.key[0]} #{job.key[1] + 1} ({job.kind})")
        return [(job.digest, render_figure(job.kind, job.params))]
    results = []
    workers = min(len(jobs), os.cpu_count() or 1)
    progress(f"rendering {len(jobs)} figures in {workers} processes")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(render_figure, job.kind, dict(job.params)): job for job in jobs}
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            results.append((job.digest, future.result()))
            elapsed = time.monotonic() - started
            progress(
                f"  [{done}/{len(jobs)}] {job.key[0]} #{job.key[1] + 1} ({job.kind}) "
                f"{elapsed:.1f} s"
            )
    return sorted(results, key=lambda item: item[0])


def _read_cache(cache_dir: Path, digest: str) -> FigureOutput | None:
    try:
        entry = json.loads((cache_dir / f"{digest}.json").read_text(encoding="utf-8"))
        return FigureOutput(entry["light"].encode(), entry["dark"].encode(), entry["alt"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: render it again


def _write_cache(cache_dir: Path, digest: str, output: FigureOutput) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    entry = {
        "alt": output.alt,
        "light": output.light_svg.decode(),
        "dark": output.dark_svg.decode(),
    }
    temporary = cache_dir / f".{digest}.json.tmp"
    temporary.write_text(json.dumps(entry), encoding="utf-8")
    temporary.replace(cache_dir / f"{digest}.json")


def _print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
