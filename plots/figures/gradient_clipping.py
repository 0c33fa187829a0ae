"""gradient-clipping: clipping by global norm, over a run and on 2-D gradients.

Left: the global norm of a model's gradients (three parameter tensors) at each step of a run
whose gradients are mostly moderate with rare spikes, before and after
:func:`plots.optimizers.clip_grad_norm_`, the reference of ``torch.nn.utils.clip_grad_norm_``
tested against torch. Right: a few 2-D gradients clipped by their norm (scaled back onto the
circle of radius ``max_norm``, direction kept) and, for comparison, clipped by value (each
coordinate clamped to ``[-max_norm, max_norm]``), which turns a gradient away from its
direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.typing import NDArray

from plots import optimizers
from plots.figures import FigureKind, ParamInfo, number, significant
from plots.theme import Theme

_SHAPES = ((16, 8), (8,), (8, 4))  # the parameter tensors of a small model
_SPIKE = 25.0  # a spike multiplies the gradient by this
_VECTORS = np.array([[3.0, 1.8], [-1.0, 3.0], [-2.6, -2.4], [0.9, -0.5], [1.2, -3.0]])


@dataclass(frozen=True)
class GradientClippingParams:
    """The params of a gradient-clipping figure."""

    steps: Annotated[int, ParamInfo("training steps shown", minimum=20, maximum=2000)] = 200
    max_norm: Annotated[
        float,
        ParamInfo(
            "max_norm of the clipping, as a multiple of the typical norm", minimum=0.2, maximum=10.0
        ),
    ] = 2.0
    spike_probability: Annotated[
        float, ParamInfo("chance that a step's gradient spikes", minimum=0.0, maximum=0.5)
    ] = 0.04
    seed: Annotated[int, ParamInfo("seed of the gradients", minimum=0, maximum=2**32 - 1)] = 0


@dataclass(frozen=True)
class GradientClipping:
    """Global norm per step before and after clipping (steps,), and the 2-D examples
    (vectors, 2): original, clipped by norm, clipped by value."""

    norms_before: NDArray[np.float64]
    norms_after: NDArray[np.float64]
    typical: float  # median global norm before clipping
    vectors: NDArray[np.float64]
    by_norm: NDArray[np.float64]
    by_value: NDArray[np.float64]

    @property
    def clipped_steps(self) -> int:
        """Steps whose gradients the clipping scaled down."""
        return int(np.count_nonzero(self.norms_after < self.norms_before * (1 - 1e-9)))


def _global_norm(grads: list[NDArray[np.float64]]) -> float:
    return float(np.sqrt(sum(float(np.sum(grad * grad)) for grad in grads)))


def compute(params: GradientClippingParams) -> GradientClipping:
    """Draw each step's gradients, clip them with the reference, and clip the 2-D examples."""
    rng = np.random.default_rng(params.seed)
    run = []
    for _ in range(params.steps):
        spike = _SPIKE if rng.random() < params.spike_probability else 1.0
        scale = rng.lognormal(0.0, 0.3) * spike
        run.append([rng.standard_normal(shape) * scale for shape in _SHAPES])
    typical = float(np.median([_global_norm(grads) for grads in run]))
    before, after = np.empty(params.steps), np.empty(params.steps)
    for step, grads in enumerate(run):
        before[step] = optimizers.clip_grad_norm_(grads, params.max_norm * typical)
        after[step] = _global_norm(grads)
    by_norm, by_value = _VECTORS.copy(), np.clip(_VECTORS, -params.max_norm, params.max_norm)
    for row in by_norm:
        optimizers.clip_grad_norm_([row], params.max_norm)
    return GradientClipping(
        before / typical,
        after / typical,
        float(np.median(before / typical)),
        _VECTORS.copy(),
        by_norm,
        by_value,
    )


def draw(data: GradientClipping, params: GradientClippingParams, theme: Theme) -> Figure:
    """The norms over the run on a log axis; the 2-D examples with the clipping circle."""
    figure = Figure(figsize=(7.6, 3.4), layout="constrained")
    run_axes, plane_axes = figure.subplots(1, 2, width_ratios=(1.5, 1.0))
    steps = np.arange(1, params.steps + 1)
    run_axes.plot(steps, data.norms_before, color=theme.before, linewidth=1.0, label="before")
    run_axes.plot(steps, data.norms_after, color=theme.after, linewidth=1.4, label="after clipping")
    run_axes.axhline(
        params.max_norm, color=theme.muted, linestyle="--", linewidth=0.9, label="max_norm"
    )
    run_axes.set_yscale("log")
    run_axes.set_xlabel("step")
    run_axes.set_ylabel("global gradient norm (÷ typical)")
    run_axes.set_title(f"{data.clipped_steps} of {params.steps} steps clipped")
    run_axes.legend(loc="upper right", ncols=3)
    run_axes.set_ylim(top=float(data.norms_before.max()) * 4)
    angle = np.linspace(0, 2 * np.pi, 200)
    radius = params.max_norm
    plane_axes.plot(
        radius * np.cos(angle), radius * np.sin(angle), color=theme.muted, linewidth=0.9
    )
    plane_axes.add_patch(_square(radius, theme.muted))
    for vector, by_norm, by_value in zip(data.vectors, data.by_norm, data.by_value, strict=True):
        for end, colour, width in (
            (vector, theme.before, 1.0),
            (by_value, theme.palette[3], 1.4),
            (by_norm, theme.after, 1.8),
        ):
            plane_axes.annotate(
                "",
                xy=(float(end[0]), float(end[1])),
                xytext=(0.0, 0.0),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": colour,
                    "linewidth": width,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
    limit = float(np.abs(data.vectors).max()) * 1.1
    plane_axes.set_xlim(-limit, limit)
    plane_axes.set_ylim(-limit, limit)
    plane_axes.set_aspect("equal")
    plane_axes.set_title("2-D gradients")
    for colour, label in (
        (theme.before, "gradient"),
        (theme.after, "clipped by norm"),
        (theme.palette[3], "clipped by value"),
    ):
        plane_axes.plot([], [], color=colour, label=label)
    plane_axes.legend(loc="lower left", fontsize=7.0)
    return figure


def _square(half: float, colour: str) -> Rectangle:
    """The square of clipping by value: every coordinate within ``[-half, half]``."""
    return Rectangle(
        (-half, -half),
        2 * half,
        2 * half,
        fill=False,
        edgecolor=colour,
        linestyle=":",
        linewidth=0.9,
    )


def describe(data: GradientClipping, params: GradientClippingParams) -> str:
    """Alt text: the run's norms before and after, and what each 2-D gradient became."""
    directions = []
    for vector, by_value in zip(data.vectors, data.by_value, strict=True):
        cosine = np.dot(vector, by_value) / (np.linalg.norm(vector) * np.linalg.norm(by_value))
        turn = np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))
        directions.append(turn)
    return (
        f"Left: the global norm of a model's gradients at each of {params.steps} steps, as a "
        f"multiple of the typical (median) norm, on a log scale. Before clipping it reaches "
        f"{number(data.norms_before.max())}; clipping by global norm at max_norm "
        f"{significant(params.max_norm, 2)} scales {data.clipped_steps} steps down so no step "
        f"exceeds {number(data.norms_after.max())}, and leaves the others unchanged. Right: "
        f"{len(data.vectors)} two-dimensional gradients; clipping by norm shortens those longer "
        f"than {significant(params.max_norm, 2)} onto the circle without turning them, while "
        f"clipping each coordinate to ±{significant(params.max_norm, 2)} (the dotted square) "
        f"turns them by up to {number(max(directions), 0)} degrees."
    )


def cost(params: GradientClippingParams) -> float:
    """Seconds, measured (CPU, one BLAS thread): 1.1 at the defaults and at 2,000 steps."""
    return 1.1


KIND = FigureKind(
    name="gradient-clipping",
    summary="gradient norms before and after clipping by global norm, and norm versus value",
    params_type=GradientClippingParams,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
