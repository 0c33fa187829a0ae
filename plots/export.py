"""Render a figure spec to a light and a dark SVG with alt text, byte for byte reproducibly.

The SVGs contain no date, no generator URL and no DOCTYPE URL; text is drawn as paths (with
matplotlib's bundled DejaVu Sans), so the output depends on no installed font; ids come from a
fixed hash salt. With the same numpy and matplotlib versions, the same spec gives the same bytes
on every run and machine. :func:`figure_digest` names that output for caching.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from plots.figures import D, FigureKind, P
from plots.output import FigureOutput
from plots.registry import KINDS, resolve_params
from plots.theme import DARK, LIGHT, Theme, rc_params

# Deterministic, font-independent SVG output.
SVG_RC: dict[RcKeyType, object] = {"svg.hashsalt": "ai-glossary", "svg.fonttype": "path"}
# Every metadata entry matplotlib would write, switched off: no date, no creator URL, no RDF.
_NO_METADATA: dict[str, None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*")
_PLOTS_DIR = Path(__file__).resolve().parent


def render_figure(kind: str, params: Mapping[str, object]) -> FigureOutput:
    """Compute the figure ``kind`` with ``params`` once and draw it as a light and a dark SVG.

    Raises ValueError when the spec is invalid (see :func:`plots.registry.check_figure`), or
    when the params, each valid, still make the computation degenerate (NaN or infinity).
    """
    resolved = resolve_params(kind, params)  # first: it raises for an unknown kind too
    return _render(KINDS[kind], resolved)


def _render(figure_kind: FigureKind[P, D], resolved: Mapping[str, object]) -> FigureOutput:
    params = figure_kind.params_from(resolved)
    data = figure_kind.compute(params)
    if not all_finite(data):
        raise ValueError("its numbers came out as NaN or infinity for these params")
    draw = partial(figure_kind.draw, data, params)
    return FigureOutput(
        light_svg=draw_svg(draw, LIGHT),
        dark_svg=draw_svg(draw, DARK),
        alt=figure_kind.describe(data, params),
    )


def all_finite(data: object) -> bool:
    """Whether every floating-point number in a kind's computed data (dataclasses, sequences,
    mappings and arrays of them) is finite."""
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return all(all_finite(getattr(data, field.name)) for field in dataclasses.fields(data))
    if isinstance(data, list | tuple):
        return all(map(all_finite, data))
    if isinstance(data, dict):
        return all(map(all_finite, data.values()))
    if isinstance(data, np.ndarray) and data.dtype.kind in "fc":
        return bool(np.isfinite(data).all())
    if isinstance(data, float | np.floating):
        return math.isfinite(data)
    return True


def draw_svg(draw: Callable[[Theme], Figure], theme: Theme) -> bytes:
    """Call ``draw(theme) -> Figure`` under the theme's and the SVG settings; return SVG bytes."""
    with matplotlib.rc_context({**rc_params(theme), **SVG_RC}):
        figure = draw(theme)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata=_NO_METADATA)
    return _DOCTYPE.sub(b"", buffer.getvalue(), count=1)


def figure_digest(kind: str, params: Mapping[str, object]) -> str:
    """SHA-256 hex digest naming the output of :func:`render_figure` for this spec.

    Covers the kind, the canonical JSON of the resolved params (so dict order and omitted
    defaults do not matter), the numpy and matplotlib versions, and the path and bytes of every
    .py file of the plots package, so any code change invalidates cached figures.
    """
    resolved = resolve_params(kind, params)
    parts = [
        kind.encode(),
        json.dumps(resolved, sort_keys=True, separators=(",", ":")).encode(),
        f"numpy {np.__version__} matplotlib {matplotlib.__version__}".encode(),
    ]
    sources = sorted(_PLOTS_DIR.rglob("*.py"), key=lambda p: p.relative_to(_PLOTS_DIR).as_posix())
    for path in sources:
        parts += [path.relative_to(_PLOTS_DIR).as_posix().encode(), path.read_bytes()]
    digest = hashlib.sha256()
    for part in parts:  # each part prefixed by its length, so no two part lists hash alike
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()
