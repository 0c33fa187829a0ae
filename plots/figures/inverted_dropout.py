"""inverted-dropout: a layer's activations before and after dropout, and the expectation kept.

One vector of positive activations (softplus outputs) goes through
:func:`plots.activations.dropout`, the reference tested against torch: each unit is zeroed with
probability ``p`` and the kept ones are scaled by ``1 / (1 - p)``. The left panel shows one
mask; the right one the average output of each unit over many masks, which comes back to the
activation itself: inverted dropout keeps every unit's expected value, so nothing needs to change
at inference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots import activations
from plots.figures import FigureKind, ParamInfo, number, significant
from plots.theme import Theme


@dataclass(frozen=True)
class InvertedDropoutParams:
    """The params of an inverted-dropout figure."""

    p: Annotated[float, ParamInfo("probability of dropping a unit", minimum=0.05, maximum=0.9)] = (
        0.5
    )
    units: Annotated[int, ParamInfo("units in the layer", minimum=8, maximum=64)] = 20
    masks: Annotated[
        int, ParamInfo("random masks averaged in the right panel", minimum=10, maximum=100_000)
    ] = 2000
    seed: Annotated[
        int, ParamInfo("seed of the activations and masks", minimum=0, maximum=2**32 - 1)
    ] = 0


@dataclass(frozen=True)
class InvertedDropout:
    """The activations (units,), one dropped-out copy, and the mean over all masks."""

    before: NDArray[np.float64]
    after: NDArray[np.float64]
    average: NDArray[np.float64]

    @property
    def kept(self) -> int:
        """How many units the drawn mask keeps."""
        return int(np.count_nonzero(self.after))


def compute(params: InvertedDropoutParams) -> InvertedDropout:
    """Draw the activations, one mask, and the average over ``params.masks`` masks."""
    rng = np.random.default_rng(params.seed)
    before = activations.softplus(rng.normal(0.3, 1.2, params.units))  # all positive
    after = activations.dropout(before, params.p, training=True, rng=rng)
    total = np.zeros_like(before)
    for _ in range(params.masks):
        total += activations.dropout(before, params.p, training=True, rng=rng)
    return InvertedDropout(
        before=np.asarray(before, dtype=np.float64),
        after=np.asarray(after, dtype=np.float64),
        average=total / params.masks,
    )


def draw(data: InvertedDropout, params: InvertedDropoutParams, theme: Theme) -> Figure:
    """One mask on the left, the average over many on the right, against the activations."""
    figure = Figure(figsize=(7.6, 3.1), layout="constrained")
    one_axes, mean_axes = figure.subplots(1, 2, sharey=True)
    units = np.arange(1, params.units + 1)
    width = 0.4
    for axes, values, colour, label in (
        (one_axes, data.after, theme.after, "after one dropout mask"),
        (mean_axes, data.average, theme.palette[2], f"mean over {params.masks:,} masks"),
    ):
        axes.bar(units - width / 2, data.before, width=width, color=theme.muted, label="before")
        axes.bar(units + width / 2, values, width=width, color=colour, label=label)
        axes.set_xlabel("unit")
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.grid(axis="x", visible=False)
        axes.legend(loc="upper right")
    dropped = np.flatnonzero(data.after == 0)
    one_axes.plot(
        units[dropped] + width / 2,
        np.zeros(len(dropped)),
        linestyle="none",
        marker="x",
        color=theme.before,
        markersize=6,
    )
    one_axes.set_title(
        f"p = {significant(params.p, 2)}: {params.units - data.kept} dropped, "
        f"kept ones times {significant(1 / (1 - params.p), 3)}"
    )
    mean_axes.set_title("the expectation is kept")
    one_axes.set_ylabel("activation")
    top = max(float(data.after.max()), float(data.before.max()))
    one_axes.set_ylim(0, 1.25 * top)
    return figure


def describe(data: InvertedDropout, params: InvertedDropoutParams) -> str:
    """Alt text: the layer, one mask's effect, and the measured average over many masks."""
    gap = np.abs(data.average - data.before).max()
    return (
        f"Bar charts of the {params.units} activations of a layer before and after inverted "
        f"dropout with p = {significant(params.p, 2)}. One random mask keeps {data.kept} units "
        f"and multiplies them by {significant(1 / (1 - params.p), 3)}, so the layer's mean moves "
        f"from {number(data.before.mean())} to {number(data.after.mean())}. Averaged over "
        f"{params.masks:,} masks every unit's output is back at its activation (largest gap "
        f"{number(gap)}; layer mean {number(data.average.mean())})."
    )


def cost(params: InvertedDropoutParams) -> float:
    """Seconds, measured (CPU, one BLAS thread): 0.9 at the defaults, 2.4 at the limits."""
    return 0.9 + 1.5 * params.masks / 100_000


KIND = FigureKind(
    name="inverted-dropout",
    summary="activations before and after inverted dropout, and their expectation kept",
    params_type=InvertedDropoutParams,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
