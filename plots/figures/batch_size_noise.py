"""batch-size-noise: how noisy the normalization statistics are at each batch size.

Batches of every size from 2 up are drawn many times from one data set of (C, H·W) examples
whose samples differ from each other, as real ones do; the t-th batch of every size starts with
the same example. Batch norm normalizes channel 1 of every
example with that channel's mean and variance over the whole batch, so these estimates scatter
around the population values, less as the batch grows. Group norm normalizes an example with
the statistics of its own channel group, so how much they vary does not depend on the batch.
The statistics are plain NumPy means and (biased) variances, exactly those of
:func:`plots.norms.batch_norm` and :func:`plots.norms.group_norm`, which do not return them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots.figures import FigureKind, ParamInfo, ParamProblem, significant
from plots.theme import Theme


@dataclass(frozen=True)
class BatchSizeNoiseParams:
    """The params of a batch-size-noise figure."""

    max_batch_size: Annotated[
        int,
        ParamInfo(
            "largest batch size, a power of 2; sizes run 2, 4, ... up to it", minimum=4, maximum=256
        ),
    ] = 256
    trials: Annotated[
        int, ParamInfo("random batches drawn per batch size", minimum=50, maximum=2000)
    ] = 500
    spatial: Annotated[int, ParamInfo("positions per channel (H·W)", minimum=1, maximum=256)] = 16
    group_channels: Annotated[
        int, ParamInfo("channels per group norm group (C/G)", minimum=1, maximum=32)
    ] = 4
    seed: Annotated[
        int, ParamInfo("seed of the data set and the batches", minimum=0, maximum=2**32 - 1)
    ] = 0


_EXAMPLES = 4096  # size of the data set the batches are drawn from
_BANDS = ((5, 95), (25, 75))  # percentile bands of the estimates drawn in the first panel


@dataclass(frozen=True)
class BatchSizeNoise:
    """Estimates of the normalization statistics, (batch sizes, trials) each, and references."""

    batch_sizes: NDArray[np.int64]
    batch_mean: NDArray[np.float64]  # batch norm: channel 1's mean over the batch and positions
    batch_var: NDArray[np.float64]
    group_mean: NDArray[np.float64]  # group norm: group 1's mean over one example
    group_var: NDArray[np.float64]
    population_mean: float  # channel 1's mean and variance over the whole data set
    population_var: float
    population_group_var: float  # mean over examples of group 1's variance

    def relative_spreads(self) -> dict[str, NDArray[np.float64]]:
        """Std over trials per batch size: means in units of the population std, variances
        relative to the population variance (so that all four share one axis)."""
        std, group_std = np.sqrt(self.population_var), np.sqrt(self.population_group_var)
        return {
            "batch norm, mean": self.batch_mean.std(axis=1) / std,
            "batch norm, variance": self.batch_var.std(axis=1) / self.population_var,
            "group norm, mean": self.group_mean.std(axis=1) / group_std,
            "group norm, variance": self.group_var.std(axis=1) / self.population_group_var,
        }


def compute(params: BatchSizeNoiseParams) -> BatchSizeNoise:
    """Draw the data set, then ``trials`` batches of every size, and estimate the statistics."""
    rng = np.random.default_rng(params.seed)
    channels, spatial = params.group_channels, params.spatial
    channel_shift = rng.normal(0.0, 1.0, size=(1, channels, 1))
    sample_shift = rng.normal(0.0, 0.5, size=(_EXAMPLES, 1, 1))
    sample_scale = np.exp(rng.normal(0.0, 0.25, size=(_EXAMPLES, 1, 1)))
    data = (
        channel_shift
        + sample_shift
        + sample_scale * rng.standard_normal((_EXAMPLES, channels, spatial))
    )
    sizes = 2 ** np.arange(1, int(np.log2(params.max_batch_size)) + 1)
    estimates: dict[str, list[NDArray[np.float64]]] = {k: [] for k in ("bm", "bv", "gm", "gv")}
    # Trial t's batches all start with the same example, so each size normalizes the same ones.
    firsts = rng.integers(0, _EXAMPLES, size=(params.trials, 1))
    for size in sizes:
        others = rng.integers(0, _EXAMPLES, size=(params.trials, size - 1))
        batches = np.concatenate([firsts, others], axis=1)
        channel = data[batches, 0, :]  # (trials, size, positions)
        estimates["bm"].append(channel.mean(axis=(1, 2)))
        estimates["bv"].append(channel.var(axis=(1, 2)))
        group = data[batches[:, 0]]  # the first example of each batch: (trials, channels, pos.)
        estimates["gm"].append(group.mean(axis=(1, 2)))
        estimates["gv"].append(group.var(axis=(1, 2)))
    return BatchSizeNoise(
        batch_sizes=sizes,
        batch_mean=np.array(estimates["bm"]),
        batch_var=np.array(estimates["bv"]),
        group_mean=np.array(estimates["gm"]),
        group_var=np.array(estimates["gv"]),
        population_mean=float(data[:, 0].mean()),
        population_var=float(data[:, 0].var()),
        population_group_var=float(data.var(axis=(1, 2)).mean()),
    )


def check_combination(params: BatchSizeNoiseParams) -> list[ParamProblem]:
    """The largest batch size must be a power of 2, and a group norm group must hold at least
    two values (the spread of one value is 0, and its relative noise is 0/0)."""
    problems = []
    size = params.max_batch_size
    if size & (size - 1) != 0:
        problems.append(
            ParamProblem(
                "max_batch_size",
                f"must be a power of 2, got {size}",
                f"use {2 ** (size.bit_length() - 1)} or {2 ** size.bit_length()}",
            )
        )
    if params.spatial * params.group_channels < 2:
        problems.append(
            ParamProblem(
                "spatial",
                "with group_channels 1, must be at least 2: a group norm group of one value "
                "has no spread to estimate",
                "use spatial: 2 or more, or group_channels: 2 or more",
            )
        )
    return problems


def draw(data: BatchSizeNoise, params: BatchSizeNoiseParams, theme: Theme) -> Figure:
    """Batch norm's mean estimates as percentile bands; then all spreads, log-log."""
    figure = Figure(figsize=(7.6, 3.0), layout="constrained")
    bands_axes, spread_axes = figure.subplots(1, 2)
    sizes = data.batch_sizes
    for (low, high), alpha in zip(_BANDS, (theme.fill_alpha, 2 * theme.fill_alpha), strict=True):
        bands_axes.fill_between(
            sizes,
            np.percentile(data.batch_mean, low, axis=1),
            np.percentile(data.batch_mean, high, axis=1),
            color=theme.palette[0],
            alpha=alpha,
            linewidth=0.0,
            label=f"{low}th to {high}th percentile",
        )
    bands_axes.axhline(
        data.population_mean,
        color=theme.foreground,
        linestyle="--",
        linewidth=1.0,
        label="population mean",
    )
    bands_axes.set_title("batch norm's mean of channel 1, per batch")
    bands_axes.set_ylabel("estimated mean")
    bands_axes.legend(loc="upper right")
    styles = {"mean": "-", "variance": "--"}
    colours = {"batch norm": theme.palette[0], "group norm": theme.palette[2]}
    for label, spread in data.relative_spreads().items():
        norm, statistic = label.split(", ")
        spread_axes.plot(
            sizes,
            spread,
            styles[statistic],
            color=colours[norm],
            marker="o",
            markersize=3,
            label=label,
        )
    spread_axes.set_yscale("log")
    spread_axes.set_title(f"spread over {params.trials} batches")
    spread_axes.set_ylabel("std of estimate (relative)")
    spread_axes.legend(loc="lower left")
    _label_log_axis(spread_axes, np.concatenate(list(data.relative_spreads().values())))
    for axes in (bands_axes, spread_axes):
        axes.set_xscale("log", base=2)
        axes.set_xticks(sizes, [str(size) for size in sizes])
        axes.minorticks_off()
        axes.set_xlabel("batch size")
    return figure


def _label_log_axis(axes: Axes, values: NDArray[np.float64]) -> None:
    """Ticks at 1, 2, 5 times powers of ten across the values, labelled as plain numbers."""
    low, high = np.log10(values.min()), np.log10(values.max())
    ticks = [
        m * 10.0**e for e in range(int(np.floor(low)), int(np.ceil(high)) + 1) for m in (1, 2, 5)
    ]
    ticks = [t for t in ticks if values.min() / 1.3 <= t <= values.max() * 1.3]
    axes.set_yticks(ticks, [f"{t:g}" for t in ticks])
    axes.minorticks_off()


def describe(data: BatchSizeNoise, params: BatchSizeNoiseParams) -> str:
    """Alt text: the measured spreads at the smallest and the largest batch size."""
    spreads = data.relative_spreads()
    small, large = data.batch_sizes[0], data.batch_sizes[-1]

    def at_ends(label: str) -> str:
        values = spreads[label]
        return f"{significant(values[0], 2)} at {small} and {significant(values[-1], 2)} at {large}"

    return (
        f"Spread of the normalization statistics over {params.trials} random batches per "
        f"batch size, from {small} to {large} (log scale), for examples with {params.spatial} "
        "positions per channel. Batch norm's estimate of a channel's mean varies with a standard "
        f"deviation (in units of the population standard deviation) of "
        f"{at_ends('batch norm, mean')}, and its variance estimate (relative to the population "
        f"variance) by {at_ends('batch norm, variance')}: small batches give noisy statistics. "
        f"Group norm's per-example statistics (groups of {params.group_channels} channels) "
        f"do not depend on the batch: mean {at_ends('group norm, mean')}, variance "
        f"{at_ends('group norm, variance')}."
    )


def cost(params: BatchSizeNoiseParams) -> float:
    """Seconds, measured: 0.6 at the defaults, 5.4 at the limits."""
    size = params.trials * params.spatial * params.group_channels
    return 0.5 + 5.0 * size / (2000 * 256 * 32)


KIND = FigureKind(
    name="batch-size-noise",
    summary="noise of batch norm's statistics against batch size, next to group norm's",
    params_type=BatchSizeNoiseParams,
    compute=compute,
    draw=draw,
    describe=describe,
    check_combination=check_combination,
    cost=cost,
)
