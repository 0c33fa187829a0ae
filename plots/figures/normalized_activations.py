"""normalized-activations: a layer's pre-activations before and after one normalization.

The pre-activations form an (N, C, H·W) tensor whose channels and samples are shifted and scaled
differently, as a real layer's are. A schematic of that tensor shades the blocks over which the
chosen normalization takes its statistics; the histograms show the values of those same blocks
before and after normalization (computed by :mod:`plots.norms`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, get_args

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon
from matplotlib.typing import ColorType
from numpy.typing import NDArray

from plots import norms
from plots.figures import FigureKind, ParamInfo, ParamProblem, number, span
from plots.theme import Theme

Norm = Literal["batch", "layer", "group", "instance", "rms"]
NORMS: tuple[Norm, ...] = get_args(Norm)
# Per norm: its name, what one statistic group is called, and the axes its statistics span.
_REDUCTION: dict[Norm, tuple[str, str, str]] = {
    "batch": ("batch normalization", "channel", "per channel, over N and H·W"),
    "layer": ("layer normalization", "sample", "per sample, over C and H·W"),
    "group": (
        "group normalization",
        "(sample, group) pair",
        "per sample and channel group, over C/G and H·W",
    ),
    "instance": (
        "instance normalization",
        "(sample, channel) pair",
        "per sample and channel, over H·W",
    ),
    "rms": ("RMS normalization", "sample", "per sample, over C and H·W"),
}
_DEPTH = np.array([0.6, 0.45])  # screen offset of the back face of the schematic (N axis)


@dataclass(frozen=True)
class NormalizedActivationsParams:
    """The params of a normalized-activations figure."""

    norm: Annotated[Norm, ParamInfo("which normalization to apply")] = "batch"
    batch_size: Annotated[int, ParamInfo("samples in the batch (N)", minimum=2, maximum=256)] = 16
    channels: Annotated[int, ParamInfo("channels of the layer (C)", minimum=1, maximum=64)] = 8
    spatial: Annotated[int, ParamInfo("positions per channel (H·W)", minimum=2, maximum=1024)] = 64
    groups: Annotated[
        int,
        ParamInfo("channel groups for group norm (G); must divide channels", minimum=1, maximum=64),
    ] = 4
    shown: Annotated[
        int, ParamInfo("statistic groups drawn as histograms", minimum=1, maximum=6)
    ] = 3
    seed: Annotated[
        int, ParamInfo("seed of the random pre-activations", minimum=0, maximum=2**32 - 1)
    ] = 0


@dataclass(frozen=True)
class StatisticGroup:
    """One set of values that share a mean and variance: samples and channels [start, stop)."""

    label: str
    samples: tuple[int, int]
    channels: tuple[int, int]

    def values(self, tensor: NDArray[np.floating]) -> NDArray[np.floating]:
        """This group's values of an (N, C, H·W) tensor, flattened."""
        return tensor[slice(*self.samples), slice(*self.channels)].ravel()


@dataclass(frozen=True)
class NormalizedActivations:
    """Pre-activations before and after normalization, and the statistics of every group."""

    before: NDArray[np.float64]  # (N, C, H·W)
    after: NDArray[np.floating]  # as plots.norms returns it: float64, like its input
    groups: tuple[StatisticGroup, ...]  # every statistic group, in (sample, channel) order
    stats_before: NDArray[np.float64]  # (groups, 3): mean, std, rms
    stats_after: NDArray[np.float64]


def statistic_groups(norm: str, samples: int, channels: int, groups: int) -> list[StatisticGroup]:
    """The blocks of an (N, C, H·W) tensor over which ``norm`` takes one set of statistics."""
    if norm == "batch":
        return [
            StatisticGroup(f"channel {c + 1}", (0, samples), (c, c + 1)) for c in range(channels)
        ]
    if norm in ("layer", "rms"):
        return [
            StatisticGroup(f"sample {n + 1}", (n, n + 1), (0, channels)) for n in range(samples)
        ]
    width = 1 if norm == "instance" else channels // groups
    name = "channel" if norm == "instance" else "group"
    return [
        StatisticGroup(f"sample {n + 1}, {name} {g + 1}", (n, n + 1), (g * width, (g + 1) * width))
        for n in range(samples)
        for g in range(channels // width)
    ]


def compute(params: NormalizedActivationsParams) -> NormalizedActivations:
    """Draw un-normalized pre-activations and normalize them with the reference ``norm``."""
    rng = np.random.default_rng(params.seed)
    n, c, s = params.batch_size, params.channels, params.spatial
    channel_shift = rng.normal(1.0, 2.0, size=(1, c, 1))
    channel_scale = np.exp(rng.normal(0.0, 0.5, size=(1, c, 1)))
    sample_shift = rng.normal(0.0, 1.0, size=(n, 1, 1))
    sample_scale = np.exp(rng.normal(0.0, 0.3, size=(n, 1, 1)))
    noise = rng.standard_normal((n, c, s))
    before = channel_shift + sample_shift + channel_scale * sample_scale * noise
    after = _normalize(params.norm, before, params.groups)
    groups = statistic_groups(params.norm, n, c, params.groups)
    return NormalizedActivations(
        before, after, tuple(groups), _stats(before, groups), _stats(after, groups)
    )


def _normalize(norm: Norm, x: NDArray[np.float64], groups: int) -> NDArray[np.floating]:
    if norm == "batch":
        return norms.batch_norm(x, None, None, training=True)
    if norm == "layer":
        return norms.layer_norm(x, x.shape[1:])
    if norm == "group":
        return norms.group_norm(x, groups)
    if norm == "instance":
        return norms.instance_norm(x)
    return norms.rms_norm(x, x.shape[1:])


def _stats(tensor: NDArray[np.floating], groups: list[StatisticGroup]) -> NDArray[np.float64]:
    rows = []
    for group in groups:
        values = group.values(tensor)
        rows.append((values.mean(), values.std(), np.sqrt(np.mean(values**2))))
    return np.array(rows)


def check_combination(params: NormalizedActivationsParams) -> list[ParamProblem]:
    """Group norm needs G to divide C; no more histograms than statistic groups."""
    norm, channels, groups = params.norm, params.channels, params.groups
    if norm == "group" and channels % groups != 0:
        fix = f"use a divisor of channels, e.g. groups: 1 or groups: {channels}"
        return [ParamProblem("groups", f"must divide channels ({channels}), got {groups}", fix)]
    count = len(statistic_groups(norm, params.batch_size, channels, groups))
    if params.shown <= count:
        return []
    message = f"must be at most the {count} statistic groups of {norm} norm, got {params.shown}"
    return [ParamProblem("shown", message, f"use shown: {count} or fewer")]


def draw(data: NormalizedActivations, params: NormalizedActivationsParams, theme: Theme) -> Figure:
    """Schematic of the reduction blocks, then histograms of those blocks before and after."""
    figure = Figure(figsize=(7.6, 2.8), layout="constrained")
    schematic, before, after = figure.subplots(1, 3, width_ratios=(1.0, 1.25, 1.25))
    shown = data.groups[: params.shown]
    _draw_schematic(schematic, params, shown, theme)
    for axes, tensor, title in (
        (before, data.before, "before"),
        (after, data.after, f"after {_REDUCTION[params.norm][0]}"),
    ):
        _draw_histograms(axes, [group.values(tensor) for group in shown], theme)
        axes.set_title(title)
        axes.set_xlabel("pre-activation value")
    before.set_ylabel("density; bars: mean ± std")
    handles = [
        Patch(facecolor=colour, label=group.label)
        for group, colour in zip(shown, theme.palette, strict=False)
    ]
    schematic.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=1)
    return figure


def _draw_histograms(axes: Axes, groups: list[NDArray[np.floating]], theme: Theme) -> None:
    """One histogram per statistic group on shared bins, its mean ± std as a bar above it."""
    low, high = min(v.min() for v in groups), max(v.max() for v in groups)
    bins = np.linspace(low, high, int(np.clip(np.sqrt(groups[0].size) * 1.5, 12, 40)) + 1)
    peak = 0.0
    for values, colour in zip(groups, theme.palette, strict=False):
        fill = to_rgba(colour, theme.fill_alpha)
        density, _, _ = axes.hist(
            values,
            bins,  # type: ignore[arg-type]  # matplotlib's stub omits arrays, which hist takes
            density=True,
            histtype="stepfilled",
            facecolor=fill,
            edgecolor=colour,
        )
        peak = max(peak, float(np.max(density)))
    for index, (values, colour) in enumerate(zip(groups, theme.palette, strict=False)):
        height = peak * (1.12 + 0.1 * index)
        axes.errorbar(
            values.mean(),
            height,
            xerr=values.std(),
            color=colour,
            fmt="o",
            markersize=3.5,
            capsize=2.5,
            linewidth=1.4,
        )
    axes.set_ylim(0, peak * (1.12 + 0.1 * len(groups)))
    axes.set_yticks([])


def _draw_schematic(
    axes: Axes, params: NormalizedActivationsParams, shown: tuple[StatisticGroup, ...], theme: Theme
) -> None:
    """The (N, C, H·W) tensor as a box, the shown statistic groups shaded in their colours."""
    n, c = params.batch_size, params.channels

    def face(c0: float, c1: float, n0: float, n1: float, kind: str) -> NDArray[np.float64]:
        if kind == "front":  # at depth n0, C across, H·W up
            corners = [(c0, 0, n0), (c1, 0, n0), (c1, 1, n0), (c0, 1, n0)]
        elif kind == "top":
            corners = [(c0, 1, n0), (c1, 1, n0), (c1, 1, n1), (c0, 1, n1)]
        else:  # right side, at channel c1
            corners = [(c1, 0, n0), (c1, 0, n1), (c1, 1, n1), (c1, 1, n0)]
        return np.array([(x + depth * _DEPTH[0], y + depth * _DEPTH[1]) for x, y, depth in corners])

    def shade(corners: NDArray[np.float64], fill: ColorType, edge: str, width: float) -> None:
        axes.add_patch(Polygon(corners, facecolor=fill, edgecolor=edge, linewidth=width))

    for kind in ("front", "top", "right"):
        shade(face(0, 1, 0, 1, kind), "none", theme.muted, 0.8)
    for group, colour in zip(shown, theme.palette, strict=False):
        c0, c1 = group.channels[0] / c, group.channels[1] / c
        n0, n1 = group.samples[0] / n, group.samples[1] / n
        visible = ["top"] + (["front"] if n0 == 0 else []) + (["right"] if c1 == 1 else [])
        for kind in visible:
            shade(face(c0, c1, n0, n1, kind), to_rgba(colour, 0.75), theme.foreground, 0.5)
    axes.text(0.5, -0.1, f"C = {c}", ha="center", va="top")
    axes.text(-0.06, 0.5, f"H·W = {params.spatial}", ha="right", va="center", rotation=90)
    axes.text(1 + _DEPTH[0] / 2 + 0.06, _DEPTH[1] / 2 - 0.04, f"N = {n}", ha="left", va="top")
    statistics = "root mean square only" if params.norm == "rms" else "mean and variance"
    lines = [statistics, *_REDUCTION[params.norm][2].split(", ")]
    # Drawn inside the axes: with an equal aspect, a title above them can fall off the figure.
    top = 1 + _DEPTH[1]
    axes.text(
        (1 + _DEPTH[0]) / 2, top + 0.1, "\n".join(lines), ha="center", va="bottom", fontsize=8.5
    )
    axes.set_xlim(-0.25, 1 + _DEPTH[0] + 0.35)
    axes.set_ylim(-0.3, top + 0.75)
    axes.set_aspect("equal")
    axes.axis("off")


def describe(data: NormalizedActivations, params: NormalizedActivationsParams) -> str:
    """Alt text: what is normalized over which axes, and the measured group statistics."""
    name, unit, axes = _REDUCTION[params.norm]
    size = data.groups[0].values(data.before).size
    mean_b, std_b = data.stats_before[:, 0], data.stats_before[:, 1]
    mean_a, std_a, rms_a = data.stats_after.T
    shape = f"({params.batch_size}, {params.channels}, {params.spatial})"
    if params.norm == "rms":
        method = f"which divides by the root mean square {axes} and subtracts no mean"
        result = (
            f"after, every {unit} has root mean square {span(rms_a)} but their means still "
            f"range {span(mean_a)}: RMS normalization rescales without centring."
        )
    else:
        method = f"which takes its mean and variance {axes}"
        result = (
            f"after, every {unit} has mean {span(mean_a)} and standard deviation {span(std_a)}."
        )
    return (
        f"Histograms of {params.shown} of the {len(data.groups)} {unit}s of a layer's "
        f"pre-activations, an (N, C, H·W) = {shape} tensor, before and after {name}, {method} "
        f"({size:,} values per {unit}). Before, the means of the {unit}s range {span(mean_b)} "
        f"and their standard deviations {span(std_b)} (all values: mean "
        f"{number(data.before.mean())}, standard deviation {number(data.before.std())}); {result}"
    )


def cost(params: NormalizedActivationsParams) -> float:
    """Seconds, measured: 0.4 at the defaults, 1.8 at the limits (N·C·H·W = 16.8 million)."""
    size = params.batch_size * params.channels * params.spatial
    return 0.4 + 1.4 * size / (256 * 64 * 1024)


KIND = FigureKind(
    name="normalized-activations",
    summary="histograms of pre-activations before and after a normalization, with its axes",
    params_type=NormalizedActivationsParams,
    compute=compute,
    draw=draw,
    describe=describe,
    check_combination=check_combination,
    cost=cost,
)
