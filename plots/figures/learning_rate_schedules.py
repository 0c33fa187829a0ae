"""learning-rate-schedules: the common learning-rate schedules over one training run, one axis.

Every curve comes from :func:`plots.schedules.learning_rates`, the reference tested step by step
against ``torch.optim.lr_scheduler``: StepLR, ExponentialLR, CosineAnnealingLR,
CosineAnnealingWarmRestarts, OneCycleLR, and a linear warmup (LinearLR) followed by cosine
annealing, as ``SequentialLR`` chains them. Each schedule's settings follow from the run length,
so that every curve spans the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots.figures import FigureKind, ParamInfo, ParamProblem, number, significant
from plots.schedules import learning_rates
from plots.theme import Theme

Schedule = Literal["step", "exponential", "cosine", "warm-restarts", "one-cycle", "warmup-cosine"]
Highlight = Literal[
    "all", "step", "exponential", "cosine", "warm-restarts", "one-cycle", "warmup-cosine"
]

_LABELS: dict[str, str] = {
    "step": "StepLR (times 0.3 each quarter)",
    "exponential": "ExponentialLR (to 1% at the end)",
    "cosine": "CosineAnnealingLR",
    "warm-restarts": "CosineAnnealingWarmRestarts (T_mult 2)",
    "one-cycle": "OneCycleLR",
    "warmup-cosine": "linear warmup, then cosine",
}
_WARMUP_START = 0.01  # LinearLR's start_factor for the warmup


@dataclass(frozen=True)
class LearningRateSchedulesParams:
    """The params of a learning-rate-schedules figure."""

    steps: Annotated[int, ParamInfo("optimizer steps in the run", minimum=28, maximum=5000)] = 280
    base_lr: Annotated[
        float, ParamInfo("peak learning rate of every schedule", minimum=1e-6, maximum=10.0)
    ] = 0.1
    warmup_steps: Annotated[
        int, ParamInfo("steps of linear warmup before cosine decay", minimum=1, maximum=2500)
    ] = 28
    highlight: Annotated[Highlight, ParamInfo("the schedule drawn bold ('all': none)")] = "all"


@dataclass(frozen=True)
class LearningRateSchedules:
    """The learning rate of every step (steps,), per schedule name, in drawing order."""

    rates: dict[str, NDArray[np.float64]]


def check_combination(params: LearningRateSchedulesParams) -> list[ParamProblem]:
    """The warmup takes at most half the run."""
    if 2 * params.warmup_steps > params.steps:
        return [
            ParamProblem(
                "warmup_steps",
                f"must be at most half of steps ({params.steps // 2}), got {params.warmup_steps}",
                f"use a warmup_steps from 1 to {params.steps // 2}",
            )
        ]
    return []


def compute(params: LearningRateSchedulesParams) -> LearningRateSchedules:
    """Each schedule's learning rate at every step of a run of ``params.steps`` steps."""
    steps, lr, warmup = params.steps, params.base_lr, params.warmup_steps
    decay = steps - warmup
    warmup_cosine = np.concatenate(
        [
            learning_rates("LinearLR", lr, warmup, start_factor=_WARMUP_START, total_iters=warmup),
            learning_rates("CosineAnnealingLR", lr, decay, T_max=decay),
        ]
    )
    return LearningRateSchedules(
        {
            "step": learning_rates("StepLR", lr, steps, step_size=-(-steps // 4), gamma=0.3),
            "exponential": learning_rates("ExponentialLR", lr, steps, gamma=0.01 ** (1 / steps)),
            "cosine": learning_rates("CosineAnnealingLR", lr, steps, T_max=steps),
            "warm-restarts": learning_rates(
                "CosineAnnealingWarmRestarts", lr, steps, T_0=steps // 7, T_mult=2
            ),
            "one-cycle": learning_rates("OneCycleLR", lr, steps, max_lr=lr, total_steps=steps),
            "warmup-cosine": warmup_cosine,
        }
    )


def draw(data: LearningRateSchedules, params: LearningRateSchedulesParams, theme: Theme) -> Figure:
    """All schedules on one axis; the highlighted one bold, the others faint."""
    figure = Figure(figsize=(7.6, 3.6), layout="constrained")
    axes = figure.subplots()
    steps = np.arange(params.steps)
    colours = (*theme.palette[:5], theme.foreground)
    for (name, rates), colour in zip(data.rates.items(), colours, strict=True):
        bold = params.highlight == name
        faint = params.highlight not in ("all", name)
        axes.plot(
            steps,
            rates,
            color=colour,
            linewidth=2.8 if bold else 1.4,
            alpha=0.45 if faint else 1.0,
            zorder=3 if bold else 2,
            label=_LABELS[name],
        )
    if params.highlight in ("all", "warmup-cosine"):
        axes.axvspan(
            0,
            params.warmup_steps,
            color=theme.muted,
            alpha=0.15,
            linewidth=0.0,
            label=f"warmup ({params.warmup_steps} steps)",
        )
    axes.set_xlim(0, params.steps - 1)
    axes.set_ylim(0, 1.05 * params.base_lr)
    axes.set_xlabel("optimizer step")
    axes.set_ylabel("learning rate")
    figure.legend(*axes.get_legend_handles_labels(), loc="outside lower center", ncols=3)
    return figure


def describe(data: LearningRateSchedules, params: LearningRateSchedulesParams) -> str:
    """Alt text: the run, then where each schedule starts, peaks and ends."""
    lr = params.base_lr
    parts = []
    for name, rates in data.rates.items():
        first, last = number(rates[0] / lr, 3), number(rates[-1] / lr, 3)
        peak = int(rates.argmax())
        if peak == 0:
            parts.append(f"{_LABELS[name]} falls from {first} to {last}")
        else:
            parts.append(
                f"{_LABELS[name]} rises from {first} to its peak at step {peak}, "
                f"then falls to {last}"
            )
    return (
        f"Six learning-rate schedules over a run of {params.steps} optimizer steps, each as a "
        f"fraction of the peak learning rate {significant(lr)}: {'; '.join(parts)}. "
        f"The warmup lasts {params.warmup_steps} steps."
        + ("" if params.highlight == "all" else f" {_LABELS[params.highlight]} is drawn bold.")
    )


def cost(params: LearningRateSchedulesParams) -> float:
    """Seconds, measured (CPU, one BLAS thread): 0.5 at the defaults and at 5,000 steps."""
    return 0.6


KIND = FigureKind(
    name="learning-rate-schedules",
    summary="learning-rate schedules (step, exponential, cosine, restarts, one-cycle, warmup)",
    params_type=LearningRateSchedulesParams,
    compute=compute,
    draw=draw,
    describe=describe,
    check_combination=check_combination,
    cost=cost,
)
