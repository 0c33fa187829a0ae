"""depth-propagation: pre-activations through a deep MLP with and without batch normalization.

The same badly scaled weights and inputs go through the network twice: once plain, once with
batch normalization (:func:`plots.norms.batch_norm`, batch statistics) between each linear layer
and its nonlinearity. The figure shows each layer's pre-activations, the inputs to its
nonlinearity: without batch norm they shrink (or blow up) layer after layer; with it every
nonlinearity sees inputs of unit scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots import norms
from plots.figures import FigureKind, ParamInfo, significant
from plots.theme import Theme

Activation = Literal["tanh", "relu"]


@dataclass(frozen=True)
class DepthPropagationParams:
    """The params of a depth-propagation figure."""

    layers: Annotated[int, ParamInfo("hidden layers of the MLP (L)", minimum=2, maximum=20)] = 10
    width: Annotated[int, ParamInfo("units per layer", minimum=8, maximum=512)] = 256
    batch_size: Annotated[int, ParamInfo("inputs in the batch", minimum=16, maximum=1024)] = 512
    activation: Annotated[Activation, ParamInfo("nonlinearity after each layer")] = "tanh"
    init_scale: Annotated[
        float, ParamInfo("weight std as a multiple of 1/sqrt(width)", minimum=0.1, maximum=4.0)
    ] = 0.5
    seed: Annotated[
        int, ParamInfo("seed of the weights and inputs", minimum=0, maximum=2**32 - 1)
    ] = 0


_VIOLIN_BINS = 48


@dataclass(frozen=True)
class DepthPropagation:
    """Pre-activations (inputs to the nonlinearity) of every layer, (layers, batch, width)."""

    plain: NDArray[np.float64]
    normalized: NDArray[np.float64]

    @property
    def plain_std(self) -> NDArray[np.float64]:
        """Standard deviation of each layer's pre-activations without batch norm."""
        std: NDArray[np.float64] = self.plain.std(axis=(1, 2))  # numpy types it Any
        return std

    @property
    def normalized_std(self) -> NDArray[np.float64]:
        """Standard deviation of each layer's pre-activations with batch norm."""
        std: NDArray[np.float64] = self.normalized.std(axis=(1, 2))  # numpy types it Any
        return std


def compute(params: DepthPropagationParams) -> DepthPropagation:
    """Push one batch through the MLP with the same weights, without and with batch norm."""
    rng = np.random.default_rng(params.seed)
    width, layers = params.width, params.layers
    inputs = rng.standard_normal((params.batch_size, width))
    scale = params.init_scale / np.sqrt(width)
    weights = [rng.standard_normal((width, width)) * scale for _ in range(layers)]
    nonlinearity = np.tanh if params.activation == "tanh" else _relu
    runs = []
    for batch_normalized in (False, True):
        hidden, pre_activations = inputs, []
        for weight in weights:
            pre_activation = hidden @ weight
            if batch_normalized:
                pre_activation = norms.batch_norm(pre_activation, None, None, training=True)
            pre_activations.append(pre_activation)
            hidden = nonlinearity(pre_activation)
        runs.append(np.stack(pre_activations))
    return DepthPropagation(plain=runs[0], normalized=runs[1])


def _relu(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.maximum(x, 0.0)


def draw(data: DepthPropagation, params: DepthPropagationParams, theme: Theme) -> Figure:
    """Std per layer on a log axis, then one violin per layer without and with batch norm."""
    figure = Figure(figsize=(7.6, 3.0), layout="constrained")
    std_axes, plain_axes, normalized_axes = figure.subplots(1, 3, width_ratios=(1.0, 1.2, 1.2))
    layers = np.arange(1, params.layers + 1)
    for stds, colour, label in (
        (data.plain_std, theme.before, "without batch norm"),
        (data.normalized_std, theme.after, "with batch norm"),
    ):
        std_axes.plot(layers, stds, marker="o", markersize=3, color=colour, label=label)
    std_axes.set_yscale("log")
    std_axes.set_title("standard deviation")
    std_axes.set_ylabel(f"input to {params.activation} (pre-activation)")
    for axes, values, colour, title in (
        (plain_axes, data.plain, theme.before, "without batch norm"),
        (normalized_axes, data.normalized, theme.after, "with batch norm"),
    ):
        _draw_violins(axes, values, colour, theme)
        axes.set_title(f"distribution, {title}")
        axes.set_ylabel("pre-activation")
    for axes in (std_axes, plain_axes, normalized_axes):
        axes.set_xlabel("layer")
        axes.set_xlim(0.3, params.layers + 0.7)
        axes.xaxis.get_major_locator().set_params(integer=True)
    figure.legend(*std_axes.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return figure


def _draw_violins(axes: Axes, values: NDArray[np.float64], colour: str, theme: Theme) -> None:
    """One violin per layer: the histogram of its values, mirrored, widest bin 0.8 wide."""
    low, high = float(values.min()), float(values.max())
    edges = np.linspace(low, max(high, low + 1e-12), _VIOLIN_BINS + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    for layer, layer_values in enumerate(values, start=1):
        counts, _ = np.histogram(layer_values, bins=edges)
        half_width = 0.4 * counts / counts.max()
        axes.fill_betweenx(
            centres, layer - half_width, layer + half_width, color=colour, alpha=0.7, linewidth=0.0
        )
    axes.axhline(0.0, color=theme.muted, linewidth=0.6, zorder=0)


def _trend(first: float, last: float) -> str:
    ratio = last / first
    if ratio < 0.1:
        return "vanishing"
    if ratio > 10:
        return "exploding"
    return "roughly stable"


def describe(data: DepthPropagation, params: DepthPropagationParams) -> str:
    """Alt text: the network, then the measured std at the first and last layer, both ways."""
    layers = params.layers
    plain, normalized = data.plain_std, data.normalized_std
    return (
        f"Pre-activations (inputs to the nonlinearity) of a {layers}-layer "
        f"{params.activation} MLP (width {params.width}, "
        f"a batch of {params.batch_size} standard-normal inputs, weights drawn with "
        f"{significant(params.init_scale)} times the 1/√width scale), layer by layer. "
        f"Without batch normalization their standard deviation is "
        f"{significant(plain[0])} at layer 1 and {significant(plain[-1])} at layer {layers} "
        f"({_trend(plain[0], plain[-1])}); with batch normalization before each nonlinearity "
        f"it is "
        f"{significant(normalized[0])} at layer 1 and {significant(normalized[-1])} at layer "
        f"{layers} ({_trend(normalized[0], normalized[-1])})."
    )


def cost(params: DepthPropagationParams) -> float:
    """Seconds, measured: 1.1 at the defaults, 3.0 at the limits."""
    size = params.layers * params.width * params.batch_size
    return 1.0 + 2.0 * size / (20 * 512 * 1024)


KIND = FigureKind(
    name="depth-propagation",
    summary="pre-activation scale through a deep MLP without and with batch normalization",
    params_type=DepthPropagationParams,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
