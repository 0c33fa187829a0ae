"""activation-functions: common activation functions and their derivatives, one highlighted.

ReLU, GELU, SiLU, sigmoid and tanh (and the highlighted function when it is another one: leaky
ReLU or softplus) are evaluated on one grid by :mod:`plots.activations`, and their derivatives
by its ``*_backward`` functions, the ones tested against torch autograd. The left panel shows
the functions, the right one their derivatives, where the story of vanishing gradients shows:
sigmoid's slope never exceeds 0.25, ReLU's is 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots import activations
from plots.figures import FigureKind, ParamInfo, number
from plots.theme import Theme

Function = Literal["relu", "leaky_relu", "gelu", "silu", "sigmoid", "tanh", "softplus"]

_Forward = Callable[[NDArray[np.float64]], NDArray[np.floating]]
_Backward = Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.floating]]

# name: (label, forward, derivative), in drawing order
_FUNCTIONS: dict[str, tuple[str, _Forward, _Backward]] = {
    "relu": ("ReLU", activations.relu, activations.relu_backward),
    "gelu": ("GELU", activations.gelu, activations.gelu_backward),
    "silu": ("SiLU", activations.silu, activations.silu_backward),
    "sigmoid": ("sigmoid", activations.sigmoid, activations.sigmoid_backward),
    "tanh": ("tanh", activations.tanh, activations.tanh_backward),
    "leaky_relu": (
        "leaky ReLU (slope 0.1)",
        lambda x: activations.leaky_relu(x, 0.1),
        lambda g, x: activations.leaky_relu_backward(g, x, 0.1),
    ),
    "softplus": ("softplus", activations.softplus, activations.softplus_backward),
}
_ALWAYS = ("relu", "gelu", "silu", "sigmoid", "tanh")
_POINTS = 801


@dataclass(frozen=True)
class ActivationFunctionsParams:
    """The params of an activation-functions figure."""

    highlight: Annotated[Function, ParamInfo("the function drawn bold, the others faint")] = "relu"
    x_max: Annotated[
        float, ParamInfo("the inputs run from -x_max to x_max", minimum=1.0, maximum=10.0)
    ] = 4.0


@dataclass(frozen=True)
class ActivationCurves:
    """The input grid and, per function name, its values and derivatives on it."""

    x: NDArray[np.float64]
    names: tuple[str, ...]
    values: NDArray[np.float64]  # (functions, points)
    derivatives: NDArray[np.float64]  # (functions, points)

    def index(self, name: str) -> int:
        """The row of function ``name``."""
        return self.names.index(name)


def compute(params: ActivationFunctionsParams) -> ActivationCurves:
    """Every drawn function and its derivative on an odd grid (so it contains 0)."""
    x = np.linspace(-params.x_max, params.x_max, _POINTS)
    names = _ALWAYS if params.highlight in _ALWAYS else (*_ALWAYS, params.highlight)
    ones = np.ones_like(x)
    values = np.stack([_FUNCTIONS[name][1](x) for name in names]).astype(np.float64)
    derivatives = np.stack([_FUNCTIONS[name][2](ones, x) for name in names]).astype(np.float64)
    return ActivationCurves(x=x, names=names, values=values, derivatives=derivatives)


def draw(data: ActivationCurves, params: ActivationFunctionsParams, theme: Theme) -> Figure:
    """Functions on the left, derivatives on the right; the highlighted one bold and labelled."""
    figure = Figure(figsize=(7.6, 3.1), layout="constrained")
    value_axes, slope_axes = figure.subplots(1, 2)
    colours = dict(zip(_FUNCTIONS, theme.palette, strict=False))
    colours["softplus"] = theme.foreground
    for row, name in enumerate(data.names):
        highlighted = name == params.highlight
        style = {
            "color": colours[name],
            "linewidth": 2.6 if highlighted else 1.1,
            "alpha": 1.0 if highlighted else 0.55,
            "zorder": 3 if highlighted else 2,
            "label": _FUNCTIONS[name][0],
        }
        value_axes.plot(data.x, data.values[row], **style)
        slope_axes.plot(data.x, data.derivatives[row], **style)
    value_axes.set_title("the function f(x)")
    slope_axes.set_title("its derivative df/dx")
    for axes in (value_axes, slope_axes):
        axes.set_xlabel("input x")
        axes.set_xlim(-params.x_max, params.x_max)
        axes.axhline(0.0, color=theme.muted, linewidth=0.6, zorder=1)
        axes.axvline(0.0, color=theme.muted, linewidth=0.6, zorder=1)
    value_axes.set_ylim(-1.5, min(params.x_max, 4.0) + 0.2)
    slope_axes.set_ylim(-0.25, 1.3)
    handles, labels = value_axes.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return figure


def describe(data: ActivationCurves, params: ActivationFunctionsParams) -> str:
    """Alt text: what is drawn, then the highlighted function's computed values and slopes."""
    row = data.index(params.highlight)
    label = _FUNCTIONS[params.highlight][0]
    values, slopes = data.values[row], data.derivatives[row]
    centre = _POINTS // 2
    others = ", ".join(_FUNCTIONS[name][0] for name in data.names if name != params.highlight)
    return (
        f"Two panels over inputs from {number(-params.x_max, 1)} to {number(params.x_max, 1)}: "
        f"activation functions on the left, their derivatives on the right, with {label} drawn "
        f"bold and {others} faint. {label} is {number(values[0])} at "
        f"x = {number(data.x[0], 1)}, {number(values[centre])} at 0 and "
        f"{number(values[-1])} at x = {number(data.x[-1], 1)}; its derivative ranges from "
        f"{number(slopes.min())} to {number(slopes.max())}. The largest slope of sigmoid is "
        f"{number(data.derivatives[data.index('sigmoid')].max())}, that of tanh "
        f"{number(data.derivatives[data.index('tanh')].max())}."
    )


def cost(params: ActivationFunctionsParams) -> float:
    """Seconds, measured (CPU, one BLAS thread): 0.65, drawing almost only."""
    return 0.7


KIND = FigureKind(
    name="activation-functions",
    summary="activation functions and their derivatives, one highlighted",
    params_type=ActivationFunctionsParams,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
