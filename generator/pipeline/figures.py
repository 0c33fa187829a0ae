"""Stage 4, figures: every figure that term pages show, as light and dark SVG plus alt text.

Figures are computed by ``plots`` and can take seconds each, so results are cached under
``.cache/figures/`` by a digest of the kind, its params and the plotting code: an unchanged
figure is never rendered again. This cache is the one place in the middle of the pipeline that
touches the disk. Stale figures render in parallel processes.

The cache directory is inside the checkout, so a pull request could bring entries of its own
(an SVG with a script). An entry is used only if it is signed with a key that lives outside
the project, on the machine that wrote it (``cache_store.signing_key``), and its SVG passes
the same check as a freshly drawn one (``sanitizer.svg_problems``); anything else is drawn
again.

Checking the cache needs each figure's digest, which ``plots`` computes from the params and
the plotting code. The caller keeps the digests (``digests``, spec -> digest) for as long as
the plotting code is the same, as the build cache does: a build whose figures are all cached
then never imports ``plots.export`` nor matplotlib (0.8 s on the benchmark's machine).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.markdown.sanitizer import svg_problems
from generator.model import GlossaryError, Problem
from generator.pipeline.cache_store import signing_key
from generator.pipeline.link import LinkedGlossary
from plots.output import FigureOutput

KEY_FILE = "figure-cache.key"  # in ~/.cache/ai-glossary/, as the build cache's


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
    source: str  # the term file, and where the spec is in it
    position: tuple[int, int]


def _render_or_explain(kind: str, params: Mapping[str, Any]) -> FigureOutput | str:
    """``render_figure``, or what went wrong: params that pass every check may still break a
    computation we did not foresee, and that must be a located message, not a traceback."""
    from threadpoolctl import threadpool_limits

    from plots.export import render_figure  # in a worker process, once per process

    try:
        # One BLAS thread: figures already render one process per core, and more BLAS threads
        # per process only fight them (and everything else) for the cores, several times
        # slower under load (docs/performance.md, "Figures rendered cold").
        with threadpool_limits(limits=1):
            output = render_figure(kind, params)
    except Exception as error:  # whatever it is, it is reported at the figure spec
        first_line = (str(error).splitlines() or [""])[0][:200]
        return f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
    return _unsafe_svg(output) or output


def _unsafe_svg(output: FigureOutput) -> str | None:
    """What in a figure's SVGs is not what our exporter writes, or None."""
    found = svg_problems(output.light_svg) or svg_problems(output.dark_svg)
    return f"its SVG holds {found[0]}" if found else None


def render_figures(
    linked: LinkedGlossary,
    cache_dir: Path,
    progress: Callable[[str], None] | None = None,
    digests: dict[str, str] | None = None,
) -> tuple[dict[tuple[str, int], RenderedFigure], int]:
    """Figures keyed by (term slug, index in its ``figures`` list), and how many were rendered.
    ``digests`` holds the digest of each spec seen before with this plotting code; the new
    ones are added to it."""
    digests = digests if digests is not None else {}
    jobs = [
        _Job(
            (term.slug, i),
            spec.kind,
            spec.params,
            _digest(spec.kind, spec.params, digests),
            term.source,
            spec.position,
        )
        for term in linked.terms
        for i, spec in enumerate(term.figures)
    ]
    outputs: dict[str, FigureOutput] = {}
    key = signing_key(KEY_FILE) if jobs else b""
    for digest in dict.fromkeys(job.digest for job in jobs):
        cached = _read_cache(cache_dir, digest, key)
        if cached is not None:
            outputs[digest] = cached
    stale = {job.digest: job for job in jobs if job.digest not in outputs}
    problems = []
    for job, output in _render_all(list(stale.values()), progress or _print_progress):
        if isinstance(output, str):
            problems.append(
                Problem(
                    job.source,
                    *job.position,
                    f"figures[{job.key[1]}]",
                    f"the figure '{job.kind}' cannot be drawn with these params: {output}",
                    "change its params (the defaults always work), or remove the figure",
                )
            )
            continue
        _write_cache(cache_dir, job.digest, output, key)
        outputs[job.digest] = output
    if problems:
        raise GlossaryError(problems)
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
        from plots.export import figure_digest  # imports matplotlib: only when needed

        digests[spec] = figure_digest(kind, params)
    return digests[spec]


def _render_all(
    jobs: list[_Job], progress: Callable[[str], None]
) -> list[tuple[_Job, FigureOutput | str]]:
    if not jobs:
        return []
    started = time.monotonic()
    if len(jobs) == 1:
        job = jobs[0]
        progress(f"rendering figure {job.key[0]} #{job.key[1] + 1} ({job.kind})")
        return [(job, _render_or_explain(job.kind, job.params))]
    from plots.registry import figure_cost  # the stale jobs' digests imported it already

    # Longest first, so that the slowest figure does not start last and run alone at the end.
    jobs = sorted(jobs, key=lambda job: -figure_cost(job.kind, job.params))
    results = []
    workers = min(len(jobs), os.cpu_count() or 1)
    progress(f"rendering {len(jobs)} figures in {workers} processes")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_render_or_explain, job.kind, dict(job.params)): job for job in jobs}
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            results.append((job, future.result()))
            elapsed = time.monotonic() - started
            progress(
                f"  [{done}/{len(jobs)}] {job.key[0]} #{job.key[1] + 1} ({job.kind}) "
                f"{elapsed:.1f} s"
            )
    return sorted(results, key=lambda item: item[0].digest)


def _signature(key: bytes, digest: str, entry: Mapping[str, str]) -> str:
    content = json.dumps([digest, entry["alt"], entry["light"], entry["dark"]])
    return hmac.new(key, content.encode(), hashlib.sha256).hexdigest()


def _read_cache(cache_dir: Path, digest: str, key: bytes) -> FigureOutput | None:
    """The cached figure, if this machine wrote it and its SVGs are plain figures."""
    try:
        entry = json.loads((cache_dir / f"{digest}.json").read_text(encoding="utf-8"))
        signed = hmac.compare_digest(str(entry["mac"]), _signature(key, digest, entry))
        output = FigureOutput(entry["light"].encode(), entry["dark"].encode(), entry["alt"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing or damaged: render it again
    if not signed or _unsafe_svg(output) is not None:
        return None  # not ours: render it again
    return output


def _write_cache(cache_dir: Path, digest: str, output: FigureOutput, key: bytes) -> None:
    entry = {
        "alt": output.alt,
        "light": output.light_svg.decode(),
        "dark": output.dark_svg.decode(),
    }
    entry["mac"] = _signature(key, digest, entry)
    # A name of this process's own: two builds at once (a preview and a test, say) may render
    # the same figure.
    temporary = cache_dir / f".{digest}.{os.getpid()}.json.tmp"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(entry), encoding="utf-8")
        temporary.replace(cache_dir / f"{digest}.json")
    except OSError:  # a cache that cannot be written is no error: the figure is drawn again
        with contextlib.suppress(OSError):
            temporary.unlink()


def _print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
