"""optimizer-trajectories: SGD, momentum, RMSprop and Adam on two 2-D loss surfaces.

Each path is made by the reference optimizers of :mod:`plots.optimizers` (tested step by step
against ``torch.optim``), fed the exact gradient of the surface at every step:

- an ill-conditioned quadratic ``(x^2 + kappa y^2) / 2``, whose curvature is ``kappa`` times
  larger along y than along x: plain gradient descent must keep its step small enough for the
  steep direction and so crawls along the shallow one;
- the Rosenbrock function ``(1 - x)^2 + 100 (y - x^2)^2``, a curved narrow valley with its
  minimum at (1, 1).

The learning rates are fixed per surface (the legend gives them) and chosen so that each path
is stable; the alt text reports where each ends and its final loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray

from plots import optimizers
from plots.figures import FigureKind, ParamInfo, number, significant
from plots.theme import Theme

Highlight = Literal["all", "sgd", "momentum", "rmsprop", "adam"]
Surface = Literal["both", "quadratic", "rosenbrock"]

Array = NDArray[np.float64]
_Gradient = Callable[[Array], Array]

_NAMES = {"sgd": "SGD", "momentum": "SGD with momentum", "rmsprop": "RMSprop", "adam": "Adam"}
_QUADRATIC_START = (-4.5, 1.5)
_ROSENBROCK_START = (-1.2, 1.0)
_GRID = 160


@dataclass(frozen=True)
class OptimizerTrajectoriesParams:
    """The params of an optimizer-trajectories figure."""

    surface: Annotated[Surface, ParamInfo("which loss surfaces to draw")] = "both"
    highlight: Annotated[Highlight, ParamInfo("the optimizer drawn bold ('all': none)")] = "all"
    condition: Annotated[
        float, ParamInfo("curvature ratio kappa of the quadratic", minimum=2.0, maximum=200.0)
    ] = 25.0
    quadratic_steps: Annotated[
        int, ParamInfo("optimizer steps on the quadratic", minimum=5, maximum=500)
    ] = 40
    rosenbrock_steps: Annotated[
        int, ParamInfo("optimizer steps on the Rosenbrock function", minimum=50, maximum=5000)
    ] = 500


def _quadratic(condition: float) -> tuple[Callable[[Array, Array], Array], _Gradient]:
    def loss(x: Array, y: Array) -> Array:
        return 0.5 * (x**2 + condition * y**2)

    def gradient(point: Array) -> Array:
        return np.array([point[0], condition * point[1]])

    return loss, gradient


def _rosenbrock_loss(x: Array, y: Array) -> Array:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_gradient(point: Array) -> Array:
    x, y = point
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def _settings(
    surface: str, condition: float
) -> dict[str, tuple[type[optimizers.Optimizer], dict[str, Any]]]:
    """Each optimizer's class and arguments on a surface."""
    if surface == "quadratic":
        return {
            "sgd": (optimizers.SGD, {"lr": 1.8 / condition}),
            "momentum": (optimizers.SGD, {"lr": 0.5 / condition, "momentum": 0.8}),
            "rmsprop": (optimizers.RMSprop, {"lr": 0.1}),
            "adam": (optimizers.Adam, {"lr": 0.3}),
        }
    return {
        "sgd": (optimizers.SGD, {"lr": 0.002}),
        "momentum": (optimizers.SGD, {"lr": 0.001, "momentum": 0.9}),
        "rmsprop": (optimizers.RMSprop, {"lr": 0.01}),
        "adam": (optimizers.Adam, {"lr": 0.1}),
    }


def _describe_settings(arguments: dict[str, Any]) -> str:
    return ", ".join(f"{name} {significant(value, 2)}" for name, value in arguments.items())


@dataclass(frozen=True)
class Trajectories:
    """One surface: its name, loss, each optimizer's path (steps + 1, 2) and its settings."""

    surface: str
    paths: dict[str, Array]
    losses: dict[str, float]  # final loss per optimizer
    settings: dict[str, str]
    grid_x: Array
    grid_y: Array
    grid_loss: Array
    minimum: tuple[float, float]


def _run(
    optimizer_type: type[optimizers.Optimizer],
    arguments: dict[str, Any],
    gradient: _Gradient,
    start: tuple[float, float],
    steps: int,
) -> Array:
    point = np.array(start, dtype=np.float64)
    optimizer = optimizer_type([point], **arguments)
    path = np.empty((steps + 1, 2))
    path[0] = point
    for step in range(1, steps + 1):
        optimizer.step([gradient(point)])
        path[step] = point
    return path


def _surface(params: OptimizerTrajectoriesParams, surface: str) -> Trajectories:
    if surface == "quadratic":
        loss, gradient = _quadratic(params.condition)
        start, steps, minimum = _QUADRATIC_START, params.quadratic_steps, (0.0, 0.0)
        xs, ys = np.linspace(-5.0, 5.0, _GRID), np.linspace(-2.0, 2.0, _GRID)
    else:
        loss, gradient = _rosenbrock_loss, _rosenbrock_gradient
        start, steps, minimum = _ROSENBROCK_START, params.rosenbrock_steps, (1.0, 1.0)
        xs, ys = np.linspace(-1.6, 1.6, _GRID), np.linspace(-0.6, 1.8, _GRID)
    grid_x, grid_y = np.meshgrid(xs, ys)
    paths, losses, settings = {}, {}, {}
    for name, (optimizer_type, arguments) in _settings(surface, params.condition).items():
        path = _run(optimizer_type, arguments, gradient, start, steps)
        paths[name] = path
        losses[name] = float(loss(path[-1, 0], path[-1, 1]))
        settings[name] = _describe_settings(arguments)
    return Trajectories(
        surface, paths, losses, settings, grid_x, grid_y, loss(grid_x, grid_y), minimum
    )


def compute(params: OptimizerTrajectoriesParams) -> list[Trajectories]:
    """Every optimizer's path on each drawn surface."""
    surfaces = ("quadratic", "rosenbrock") if params.surface == "both" else (params.surface,)
    return [_surface(params, surface) for surface in surfaces]


def draw(data: list[Trajectories], params: OptimizerTrajectoriesParams, theme: Theme) -> Figure:
    """One panel per surface: log-spaced loss contours, the paths, the start and the minimum."""
    figure = Figure(figsize=(7.6 if len(data) == 2 else 5.0, 3.5), layout="constrained")
    axes_list = figure.subplots(1, len(data), squeeze=False)[0]
    for axes, trajectories in zip(axes_list, data, strict=True):
        _draw_surface(axes, trajectories, params, theme)
    figure.legend(*axes_list[0].get_legend_handles_labels(), loc="outside lower center", ncols=4)
    return figure


def _draw_surface(
    axes: Axes, data: Trajectories, params: OptimizerTrajectoriesParams, theme: Theme
) -> None:
    low = max(float(data.grid_loss.min()), 1e-3)
    levels = np.geomspace(low, float(data.grid_loss.max()), 14)
    axes.contour(
        data.grid_x, data.grid_y, data.grid_loss, levels=levels, colors=theme.grid, linewidths=0.8
    )
    colours = dict(zip(_NAMES, theme.palette, strict=False))
    for name, path in data.paths.items():
        bold = params.highlight == name
        faint = params.highlight not in ("all", name)
        axes.plot(
            path[:, 0],
            path[:, 1],
            color=colours[name],
            linewidth=2.4 if bold else 1.3,
            alpha=0.4 if faint else 1.0,
            zorder=4 if bold else 3,
            marker="o" if len(path) <= 101 else None,
            markersize=2.0,
            label=_NAMES[name],
        )
    start = next(iter(data.paths.values()))[0]
    axes.plot(*start, marker="o", color=theme.foreground, markersize=5, zorder=5)
    axes.plot(*data.minimum, marker="*", color=theme.foreground, markersize=10, zorder=5)
    axes.set_xlim(float(data.grid_x.min()), float(data.grid_x.max()))
    axes.set_ylim(float(data.grid_y.min()), float(data.grid_y.max()))
    axes.grid(visible=False)
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    steps = len(next(iter(data.paths.values()))) - 1
    if data.surface == "quadratic":
        axes.set_title(
            f"quadratic, curvature ratio {significant(params.condition, 3)}, {steps} steps"
        )
    else:
        axes.set_title(f"Rosenbrock valley, {steps} steps")


def describe(data: list[Trajectories], params: OptimizerTrajectoriesParams) -> str:
    """Alt text: per surface, each optimizer's settings, end point and final loss."""
    sentences = []
    for trajectories in data:
        steps = len(next(iter(trajectories.paths.values()))) - 1
        if trajectories.surface == "quadratic":
            intro = (
                f"On the quadratic (x² + {significant(params.condition, 3)} y²)/2, starting at "
                f"({number(_QUADRATIC_START[0], 1)}, {number(_QUADRATIC_START[1], 1)}) with the "
                f"minimum at (0, 0), after {steps} steps"
            )
        else:
            intro = (
                f"On the Rosenbrock function, starting at ({number(_ROSENBROCK_START[0], 1)}, "
                f"{number(_ROSENBROCK_START[1], 1)}) with the minimum at (1, 1), after {steps} "
                "steps"
            )
        ends = [
            f"{_NAMES[name]} ({trajectories.settings[name]}) ends at "
            f"({number(path[-1, 0])}, {number(path[-1, 1])}) with loss "
            f"{significant(trajectories.losses[name], 2)}"
            for name, path in trajectories.paths.items()
        ]
        sentences.append(f"{intro}: {'; '.join(ends)}.")
    bold = "" if params.highlight == "all" else f", {_NAMES[params.highlight]} drawn bold"
    return f"Paths of four optimizers over loss contours{bold}. " + " ".join(sentences)


def cost(params: OptimizerTrajectoriesParams) -> float:
    """Seconds, measured (CPU, one BLAS thread): 0.75 at the defaults, 1.2 at the limits."""
    steps = params.rosenbrock_steps if params.surface != "quadratic" else 0
    return 0.8 + 0.5 * steps / 5000


KIND = FigureKind(
    name="optimizer-trajectories",
    summary="SGD, momentum, RMSprop and Adam on an ill-conditioned quadratic and Rosenbrock",
    params_type=OptimizerTrajectoriesParams,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
