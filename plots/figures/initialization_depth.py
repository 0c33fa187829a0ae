"""initialization-depth: the scale of activations and gradients through a deep MLP for three
weight initializations, with tanh and with ReLU.

One batch of standard-normal inputs goes through the same deep MLP (no biases) with weights
drawn from N(0, s^2) for three scales s: a fixed "naive" one (0.01 by default, as in many early
tutorials), Xavier/Glorot's sqrt(1 / fan_in) for symmetric nonlinearities such as tanh (the
fan-in form, equal to Glorot's sqrt(2 / (fan_in + fan_out)) for square layers), and
Kaiming/He's sqrt(2 / fan_in) for ReLU, which zeroes half of its input. The activations use
:mod:`plots.activations`; a backward pass with their ``*_backward`` functions gives the gradient
of a unit-variance signal at every layer, which shrinks or grows with the same factors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots import activations
from plots.figures import FigureKind, ParamInfo, significant
from plots.theme import Theme

_INITS = ("naive", "xavier", "kaiming")
_ACTIVATIONS = ("tanh", "relu")
_LABELS = {"naive": "naive N(0, s²)", "xavier": "Xavier, √(1/n)", "kaiming": "Kaiming, √(2/n)"}
_NAMES = {"naive": "naive", "xavier": "Xavier", "kaiming": "Kaiming"}


@dataclass(frozen=True)
class InitializationDepthParams:
    """The params of an initialization-depth figure."""

    layers: Annotated[int, ParamInfo("hidden layers of the MLP", minimum=3, maximum=50)] = 20
    width: Annotated[int, ParamInfo("units per layer (n)", minimum=16, maximum=512)] = 128
    batch_size: Annotated[int, ParamInfo("inputs in the batch", minimum=16, maximum=512)] = 128
    naive_std: Annotated[
        float, ParamInfo("weight std s of the naive initialization", minimum=0.001, maximum=1.0)
    ] = 0.01
    seed: Annotated[
        int, ParamInfo("seed of the weights and inputs", minimum=0, maximum=2**32 - 1)
    ] = 0


@dataclass(frozen=True)
class InitializationDepth:
    """Std of each layer's activations and of the gradient reaching it,
    indexed [activation][init] -> (layers,)."""

    activation_std: dict[str, dict[str, NDArray[np.float64]]]
    gradient_std: dict[str, dict[str, NDArray[np.float64]]]


def _scale(init: str, params: InitializationDepthParams) -> float:
    if init == "naive":
        return params.naive_std
    return float(np.sqrt((1.0 if init == "xavier" else 2.0) / params.width))


def compute(params: InitializationDepthParams) -> InitializationDepth:
    """Forward and backward through the MLP for every initialization and activation."""
    rng = np.random.default_rng(params.seed)
    inputs = rng.standard_normal((params.batch_size, params.width))
    unit = rng.standard_normal((params.layers, params.width, params.width))  # shared shapes
    forward = {"tanh": activations.tanh, "relu": activations.relu}
    backward = {"tanh": activations.tanh_backward, "relu": activations.relu_backward}
    activation_std: dict[str, dict[str, NDArray[np.float64]]] = {}
    gradient_std: dict[str, dict[str, NDArray[np.float64]]] = {}
    top_gradient = rng.standard_normal((params.batch_size, params.width))
    for name in _ACTIVATIONS:
        activation_std[name], gradient_std[name] = {}, {}
        for init in _INITS:
            weights = unit * _scale(init, params)
            hidden: NDArray[np.floating] = inputs
            pre_activations, stds = [], []
            for weight in weights:
                pre_activation = hidden @ weight
                pre_activations.append(pre_activation)
                hidden = forward[name](pre_activation)
                stds.append(hidden.std())
            gradient, gradient_stds = top_gradient, []
            for weight, pre_activation in zip(weights[::-1], pre_activations[::-1], strict=True):
                gradient = backward[name](gradient, pre_activation) @ weight.T
                gradient_stds.append(gradient.std())
            activation_std[name][init] = np.array(stds)
            gradient_std[name][init] = np.array(gradient_stds[::-1])
    return InitializationDepth(activation_std, gradient_std)


def draw(data: InitializationDepth, params: InitializationDepthParams, theme: Theme) -> Figure:
    """Per activation, the std of activations (solid) and gradients (dashed) per layer, log y."""
    figure = Figure(figsize=(7.6, 3.3), layout="constrained")
    axes_pair = figure.subplots(1, 2, sharey=True)
    colours = dict(zip(_INITS, (theme.before, theme.palette[2], theme.after), strict=True))
    layers = np.arange(1, params.layers + 1)
    for axes, name in zip(axes_pair, _ACTIVATIONS, strict=True):
        for init in _INITS:
            axes.plot(
                layers,
                data.activation_std[name][init],
                color=colours[init],
                marker="o",
                markersize=2.5,
                label=f"{_LABELS[init]}, activations",
            )
            axes.plot(
                layers,
                data.gradient_std[name][init],
                color=colours[init],
                linestyle="--",
                linewidth=1.2,
                label=f"{_LABELS[init]}, gradients",
            )
        axes.set_yscale("log")
        axes.set_title(f"{name} network")
        axes.set_xlabel("layer")
        axes.xaxis.get_major_locator().set_params(integer=True)
    axes_pair[0].set_ylabel("standard deviation")
    axes_pair[0].set_ylim(1e-12, 1e2)
    handles, labels = axes_pair[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=3)
    return figure


def _size(value: float) -> str:
    """A standard deviation in words: 3 significant digits, or its order of magnitude when it
    is below 0.001 (alt text reads no 'e-16')."""
    if value >= 1e-3:
        return significant(value)
    return f"about 10^{int(np.floor(np.log10(value)))}"


def describe(data: InitializationDepth, params: InitializationDepthParams) -> str:
    """Alt text: the network, then each curve's value at the first and last layer."""
    parts = []
    for name in _ACTIVATIONS:
        inits = []
        for init in _INITS:
            forward, backward = data.activation_std[name][init], data.gradient_std[name][init]
            inits.append(
                f"{_NAMES[init]} initialization gives activations of "
                f"standard deviation {_size(forward[0])} at layer 1 and "
                f"{_size(forward[-1])} at layer {params.layers}, and gradients of "
                f"{_size(backward[-1])} at the last layer and {_size(backward[0])} at the first"
            )
        parts.append(f"With {name}, {'; '.join(inits)}.")
    return (
        f"Standard deviation, on a log scale, of the activations and of the backpropagated "
        f"gradients at every layer of a {params.layers}-layer MLP of width {params.width} "
        f"(a batch of {params.batch_size} standard-normal inputs), for weights drawn with std "
        f"{significant(params.naive_std)} (naive), √(1/{params.width}) (Xavier) and "
        f"√(2/{params.width}) (Kaiming). " + " ".join(parts)
    )


def cost(params: InitializationDepthParams) -> float:
    """Seconds, measured (CPU, one BLAS thread): 1.3 at the defaults, 35.6 with 50 layers,
    width 1,024 and batches of 1,024 (so the limits are half those), linear in the matmul work
    in between."""
    size = params.layers * params.width * params.width * params.batch_size
    return 1.3 + 34.3 * size / (50 * 1024 * 1024 * 1024)


KIND = FigureKind(
    name="initialization-depth",
    summary="activation and gradient scale per layer for naive, Xavier and Kaiming init",
    params_type=InitializationDepthParams,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
