"""softmax-temperature: one vector of logits turned into probabilities at several temperatures.

The logits are drawn once from the seed (sorted, so the bars fall from left to right) and
divided by each temperature before :func:`plots.activations.softmax`, the reference tested
against torch. Low temperatures sharpen the distribution towards the largest logit, high ones
flatten it towards uniform; the entropy of each distribution says how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots import activations
from plots.figures import FigureKind, ParamInfo, ParamProblem, number, significant
from plots.theme import Theme


@dataclass(frozen=True)
class SoftmaxTemperatureParams:
    """The params of a softmax-temperature figure."""

    classes: Annotated[
        int, ParamInfo("number of logits (classes or tokens)", minimum=3, maximum=12)
    ] = 8
    low_temperature: Annotated[
        float, ParamInfo("the sharpest temperature shown", minimum=0.05, maximum=1.0)
    ] = 0.5
    high_temperature: Annotated[
        float, ParamInfo("the flattest temperature shown", minimum=1.0, maximum=20.0)
    ] = 2.0
    logit_spread: Annotated[
        float, ParamInfo("standard deviation of the drawn logits", minimum=0.2, maximum=5.0)
    ] = 1.5
    seed: Annotated[int, ParamInfo("seed of the logits", minimum=0, maximum=2**32 - 1)] = 0


@dataclass(frozen=True)
class SoftmaxTemperature:
    """The logits (classes,), the temperatures (3,) and the probabilities (3, classes)."""

    logits: NDArray[np.float64]
    temperatures: NDArray[np.float64]
    probabilities: NDArray[np.float64]

    @property
    def entropies(self) -> NDArray[np.float64]:
        """Entropy in bits of each temperature's distribution."""
        p = self.probabilities
        entropy: NDArray[np.float64] = -(p * np.log2(np.where(p > 0, p, 1.0))).sum(axis=1)
        return entropy


def check_combination(params: SoftmaxTemperatureParams) -> list[ParamProblem]:
    """The three temperatures must differ: low < 1 < high is not required, low < high is."""
    if params.low_temperature >= params.high_temperature:
        return [
            ParamProblem(
                "high_temperature",
                f"must be above low_temperature ({params.low_temperature}), "
                f"got {params.high_temperature}",
                "use a low_temperature below 1 and a high_temperature above 1",
            )
        ]
    return []


def compute(params: SoftmaxTemperatureParams) -> SoftmaxTemperature:
    """Softmax of ``logits / T`` for T = low, 1 and high."""
    rng = np.random.default_rng(params.seed)
    logits = np.sort(rng.normal(scale=params.logit_spread, size=params.classes))[::-1].copy()
    temperatures = np.array([params.low_temperature, 1.0, params.high_temperature])
    scaled = logits[None, :] / temperatures[:, None]
    probabilities = np.asarray(activations.softmax(scaled, dim=1), dtype=np.float64)
    return SoftmaxTemperature(logits, temperatures, probabilities)


def draw(data: SoftmaxTemperature, params: SoftmaxTemperatureParams, theme: Theme) -> Figure:
    """The logits as bars on the left; the probabilities at each temperature side by side."""
    figure = Figure(figsize=(7.6, 3.0), layout="constrained")
    logit_axes, probability_axes = figure.subplots(1, 2, width_ratios=(1.0, 1.9))
    positions = np.arange(1, params.classes + 1)
    logit_axes.bar(positions, data.logits, color=theme.muted, width=0.7)
    logit_axes.axhline(0.0, color=theme.muted, linewidth=0.6)
    logit_axes.set_title("logits z")
    logit_axes.set_xlabel("class")
    width = 0.27
    colours = (theme.after, theme.foreground, theme.before)
    for row, (temperature, colour) in enumerate(zip(data.temperatures, colours, strict=True)):
        probability_axes.bar(
            positions + (row - 1) * width,
            data.probabilities[row],
            width=width,
            color=colour,
            alpha=0.9,
            label=f"T = {significant(temperature, 2)}, entropy {number(data.entropies[row])} bits",
        )
    probability_axes.axhline(
        1.0 / params.classes,
        color=theme.muted,
        linewidth=0.8,
        linestyle="--",
        zorder=1,
        label=f"uniform, 1/{params.classes}",
    )
    probability_axes.set_title("softmax(z / T)")
    probability_axes.set_xlabel("class")
    probability_axes.set_ylabel("probability")
    probability_axes.legend(loc="upper right")
    for axes in (logit_axes, probability_axes):
        axes.set_xticks(positions)
        axes.grid(axis="x", visible=False)
    return figure


def describe(data: SoftmaxTemperature, params: SoftmaxTemperatureParams) -> str:
    """Alt text: the logits, then the top probability and entropy at each temperature."""
    parts = [
        f"at temperature {significant(temperature, 2)} the largest probability is "
        f"{number(probabilities[0])} (entropy {number(entropy)} bits)"
        for temperature, probabilities, entropy in zip(
            data.temperatures, data.probabilities, data.entropies, strict=True
        )
    ]
    uniform = np.log2(params.classes)
    return (
        f"Bar charts of {params.classes} logits, from {number(data.logits[0])} down to "
        f"{number(data.logits[-1])}, and of their softmax probabilities after dividing by "
        f"three temperatures: {'; '.join(parts)}. A uniform distribution would give every "
        f"class {significant(1 / params.classes)} and {number(uniform)} bits (dashed line)."
    )


def cost(params: SoftmaxTemperatureParams) -> float:
    """Seconds, measured (CPU, one BLAS thread): 0.8, drawing almost only."""
    return 0.8


KIND = FigureKind(
    name="softmax-temperature",
    summary="one logit vector through softmax at three temperatures",
    params_type=SoftmaxTemperatureParams,
    compute=compute,
    draw=draw,
    describe=describe,
    check_combination=check_combination,
    cost=cost,
)
