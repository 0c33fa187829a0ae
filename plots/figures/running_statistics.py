"""running-statistics: batch norm's running mean and variance, and why eval mode differs.

One batch-norm channel sees a batch from a fixed population at every training step.
:func:`plots.norms.batch_norm` updates its running statistics in place, as torch does, once with
a fixed momentum and once with torch's cumulative average (``momentum=None``, the factor from
:func:`plots.norms.running_average_factor`). The last panel normalizes one fixed example inside
many random batches in training mode (batch statistics) and once in eval mode (running ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots import norms
from plots.figures import FigureKind, ParamInfo, number
from plots.theme import Theme


@dataclass(frozen=True)
class RunningStatisticsParams:
    """The params of a running-statistics figure."""

    steps: Annotated[int, ParamInfo("training steps (batches seen)", minimum=10, maximum=5000)] = (
        300
    )
    batch_size: Annotated[int, ParamInfo("examples per batch", minimum=2, maximum=256)] = 16
    momentum: Annotated[
        float, ParamInfo("momentum of the running averages", minimum=0.001, maximum=1.0)
    ] = 0.1
    population_mean: Annotated[
        float, ParamInfo("mean of the channel's values", minimum=-10.0, maximum=10.0)
    ] = 2.0
    population_std: Annotated[
        float, ParamInfo("std of the channel's values", minimum=0.1, maximum=10.0)
    ] = 3.0
    probe_batches: Annotated[
        int, ParamInfo("batches the fixed example is normalized in", minimum=10, maximum=2000)
    ] = 200
    seed: Annotated[int, ParamInfo("seed of the batches", minimum=0, maximum=2**32 - 1)] = 0


_PROBE_Z = 1.0  # the fixed example sits this many population stds above the mean


@dataclass(frozen=True)
class RunningStatistics:
    """Running statistics after each step (steps,), both ways, and the train/eval outputs."""

    momentum_mean: NDArray[np.float64]
    momentum_var: NDArray[np.float64]
    cumulative_mean: NDArray[np.float64]
    cumulative_var: NDArray[np.float64]
    probe: float  # the fixed example's value
    train_outputs: NDArray[np.float64]  # its normalized value in each random batch
    eval_output: float  # its normalized value with the final momentum running statistics

    def final_gaps(self, population_mean: float, population_var: float) -> dict[str, float]:
        """Absolute distance of each final running statistic from the population's."""
        return {
            "momentum mean": abs(self.momentum_mean[-1] - population_mean),
            "momentum variance": abs(self.momentum_var[-1] - population_var),
            "cumulative mean": abs(self.cumulative_mean[-1] - population_mean),
            "cumulative variance": abs(self.cumulative_var[-1] - population_var),
        }


def compute(params: RunningStatisticsParams) -> RunningStatistics:
    """Train the running statistics both ways on the same batches; then probe train vs eval."""
    rng = np.random.default_rng(params.seed)
    mean, std, size = params.population_mean, params.population_std, params.batch_size
    running = {way: (np.zeros(1), np.ones(1)) for way in ("momentum", "cumulative")}  # torch init
    history: dict[str, list[tuple[float, float]]] = {way: [] for way in running}
    for step in range(1, params.steps + 1):
        batch = rng.normal(mean, std, size=(size, 1))
        for way, (running_mean, running_var) in running.items():
            momentum = params.momentum if way == "momentum" else None
            factor = norms.running_average_factor(momentum, step)
            norms.batch_norm(batch, running_mean, running_var, training=True, momentum=factor)
            history[way].append((running_mean[0], running_var[0]))
    probe = mean + _PROBE_Z * std
    train_outputs = []
    for _ in range(params.probe_batches):
        batch = np.concatenate([[[probe]], rng.normal(mean, std, size=(size - 1, 1))])
        train_outputs.append(norms.batch_norm(batch, None, None, training=True)[0, 0])
    final_mean, final_var = running["momentum"]
    eval_output = norms.batch_norm(np.array([[probe]]), final_mean, final_var, training=False)
    momentum_history, cumulative_history = (
        np.array(history["momentum"]),
        np.array(history["cumulative"]),
    )
    return RunningStatistics(
        momentum_mean=momentum_history[:, 0],
        momentum_var=momentum_history[:, 1],
        cumulative_mean=cumulative_history[:, 0],
        cumulative_var=cumulative_history[:, 1],
        probe=probe,
        train_outputs=np.array(train_outputs),
        eval_output=float(eval_output[0, 0]),
    )


def draw(data: RunningStatistics, params: RunningStatisticsParams, theme: Theme) -> Figure:
    """Running mean and variance against steps; the probe's outputs in train and eval mode."""
    figure = Figure(figsize=(7.6, 2.9), layout="constrained")
    mean_axes, var_axes, probe_axes = figure.subplots(1, 3)
    steps = np.arange(1, params.steps + 1)
    population = (params.population_mean, params.population_std**2)
    momentum_label = f"momentum {number(params.momentum, 3).rstrip('0')}"
    for axes, (momentum_values, cumulative_values), target, name in (
        (mean_axes, (data.momentum_mean, data.cumulative_mean), population[0], "mean"),
        (var_axes, (data.momentum_var, data.cumulative_var), population[1], "variance"),
    ):
        axes.axhline(
            target,
            color=theme.foreground,
            linestyle="--",
            linewidth=1.0,
            label=f"population {name}",
        )
        axes.plot(steps, momentum_values, color=theme.palette[0], label=momentum_label)
        axes.plot(steps, cumulative_values, color=theme.palette[2], label="cumulative (None)")
        axes.set_xlabel("training step")
        axes.set_title(f"running {name}")
    mean_axes.legend(loc="lower right")
    bins = np.linspace(data.train_outputs.min(), data.train_outputs.max(), 25)
    counts, _, _ = probe_axes.hist(
        data.train_outputs,
        bins=bins,
        color=theme.before,
        alpha=0.7,
        label=f"train mode, {params.probe_batches} batches",
    )
    top = float(counts.max()) * 1.1
    probe_axes.vlines(data.eval_output, 0, top, color=theme.after, linewidth=2.0, label="eval mode")
    probe_axes.set_title(f"one example, x = {number(data.probe)}")
    probe_axes.set_xlabel("output of batch norm")
    probe_axes.set_ylabel("batches")
    probe_axes.set_ylim(0, top * 1.3)
    probe_axes.legend(loc="upper center")
    return figure


def describe(data: RunningStatistics, params: RunningStatisticsParams) -> str:
    """Alt text: the measured final gaps, and the spread of the probe's train-mode outputs."""
    population_mean, population_std = params.population_mean, params.population_std
    gaps = data.final_gaps(population_mean, population_std**2)
    return (
        f"Running mean and variance of one batch-norm channel over {params.steps} training "
        f"steps with batches of {params.batch_size} values from a population with mean "
        f"{number(population_mean)} and variance {number(population_std**2)}, starting from "
        f"0 and 1. With momentum {params.momentum:g} they end at "
        f"{number(data.momentum_mean[-1])} and {number(data.momentum_var[-1])} (gaps "
        f"{number(gaps['momentum mean'])} and {number(gaps['momentum variance'])}); with the "
        f"cumulative average (momentum None) at {number(data.cumulative_mean[-1])} and "
        f"{number(data.cumulative_var[-1])} (gaps {number(gaps['cumulative mean'])} and "
        f"{number(gaps['cumulative variance'])}). In training mode one example of value "
        f"{number(data.probe)} normalizes to values from {number(data.train_outputs.min())} to "
        f"{number(data.train_outputs.max())} (standard deviation "
        f"{number(data.train_outputs.std())}) across {params.probe_batches} random batches, "
        f"since each batch brings its own statistics; in eval mode, with the running "
        f"statistics, it always normalizes to {number(data.eval_output)}."
    )


def cost(params: RunningStatisticsParams) -> float:
    """Seconds, measured: 0.6 at the defaults, 1.6 at the limits."""
    batches = params.steps + params.probe_batches
    return 0.6 + 1.0 * batches * params.batch_size / (7000 * 256)


KIND = FigureKind(
    name="running-statistics",
    summary="running mean and variance converging, and train-mode versus eval-mode outputs",
    params_type=RunningStatisticsParams,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
