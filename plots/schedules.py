"""NumPy reference of ``torch.optim.lr_scheduler``: the learning rate at every step.

:func:`learning_rates` gives, for a scheduler class named as in torch and its arguments (same
names and defaults), the list that ``scheduler.get_last_lr()[0]`` returns before the first call
to ``scheduler.step()`` and after each further call: element ``i`` is the learning rate of step
``i``. Each schedule is computed the way torch computes it, most of them recursively from the
previous learning rate (the "chainable" form), in Python floats, so the values agree with torch
to the last bits (``tests/plots/test_schedules_torch.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["SCHEDULES", "learning_rates"]


def _step_lr(base_lr: float, step_size: int, gamma: float = 0.1) -> Iterator[float]:
    """Multiply by ``gamma`` every ``step_size`` steps."""
    _positive_int("step_size", step_size)
    lr, epoch = base_lr, 0
    while True:
        if epoch != 0 and epoch % step_size == 0:
            lr = lr * gamma
        yield lr
        epoch += 1


def _exponential_lr(base_lr: float, gamma: float) -> Iterator[float]:
    """Multiply by ``gamma`` every step."""
    lr = base_lr
    while True:
        yield lr
        lr = lr * gamma


def _linear_lr(
    base_lr: float, start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5
) -> Iterator[float]:
    """From ``start_factor * base_lr`` linearly to ``end_factor * base_lr`` over
    ``total_iters`` steps, then constant."""
    if not 0 < start_factor <= 1:
        raise ValueError("Starting multiplicative factor expected to be greater than 0 and <= 1.")
    if not 0 <= end_factor <= 1:
        raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
    lr, epoch = base_lr * start_factor, 0
    while True:
        yield lr
        epoch += 1
        if epoch <= total_iters:
            change = end_factor - start_factor
            lr = lr * (1.0 + change / (total_iters * start_factor + (epoch - 1) * change))


def _cosine_annealing_lr(base_lr: float, T_max: int, eta_min: float = 0.0) -> Iterator[float]:  # noqa: N803
    """Half a cosine from ``base_lr`` down to ``eta_min`` over ``T_max`` steps, then back up
    (torch continues the cosine past ``T_max``)."""
    _positive_int("T_max", T_max)
    lr, epoch = base_lr, 0
    while True:
        yield lr
        epoch += 1
        if (epoch - 1 - T_max) % (2 * T_max) == 0:
            lr = lr + (base_lr - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
        else:
            lr = (1 + math.cos(math.pi * epoch / T_max)) / (
                1 + math.cos(math.pi * (epoch - 1) / T_max)
            ) * (lr - eta_min) + eta_min


def _cosine_annealing_warm_restarts(
    base_lr: float,
    T_0: int,  # noqa: N803
    T_mult: int = 1,  # noqa: N803
    eta_min: float = 0.0,
) -> Iterator[float]:
    """Cosine annealing over ``T_0`` steps, restarted at ``base_lr``, each period ``T_mult``
    times the last."""
    _positive_int("T_0", T_0)
    if not isinstance(T_mult, int) or T_mult < 1:
        raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
    t_cur, t_i = 0, T_0
    while True:
        yield eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2
        t_cur += 1
        if t_cur >= t_i:
            t_cur, t_i = t_cur % t_i, t_i * T_mult


def _one_cycle_lr(
    base_lr: float,
    max_lr: float,
    total_steps: int,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> Iterator[float]:
    """From ``max_lr / div_factor`` up to ``max_lr`` over the first ``pct_start`` of
    ``total_steps``, then down to ``max_lr / div_factor / final_div_factor`` (with
    ``three_phase``, first back down to the start, then to the minimum). ``base_lr`` is
    ignored: torch overwrites the optimizer's learning rate."""
    _positive_int("total_steps", total_steps)
    if not 0 <= pct_start <= 1:
        raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
    if anneal_strategy not in ("cos", "linear"):
        raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', got {anneal_strategy}")
    initial = max_lr / div_factor
    minimum = initial / final_div_factor
    up_end = float(pct_start * total_steps) - 1
    if three_phase:
        phases = [
            (up_end, initial, max_lr),
            (float(2 * pct_start * total_steps) - 2, max_lr, initial),
            (total_steps - 1, initial, minimum),
        ]
    else:
        phases = [(up_end, initial, max_lr), (total_steps - 1, max_lr, minimum)]
    anneal = _anneal_cos if anneal_strategy == "cos" else _anneal_linear
    for step in range(total_steps + 1):
        start_step = 0.0
        for index, (end_step, start_lr, end_lr) in enumerate(phases):
            if step <= end_step or index == len(phases) - 1:
                yield anneal(start_lr, end_lr, (step - start_step) / (end_step - start_step))
                break
            start_step = end_step
    raise ValueError(
        f"Tried to step {total_steps + 1} times. The specified number of total steps is "
        f"{total_steps}"
    )


def _anneal_cos(start: float, end: float, pct: float) -> float:
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _anneal_linear(start: float, end: float, pct: float) -> float:
    return (end - start) * pct + start


def _positive_int(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {value}")


# Any: each schedule has its own keyword arguments, checked by Python when it is called.
SCHEDULES: dict[str, Callable[..., Iterator[float]]] = {
    "StepLR": _step_lr,
    "ExponentialLR": _exponential_lr,
    "LinearLR": _linear_lr,
    "CosineAnnealingLR": _cosine_annealing_lr,
    "CosineAnnealingWarmRestarts": _cosine_annealing_warm_restarts,
    "OneCycleLR": _one_cycle_lr,
}


def learning_rates(schedule: str, base_lr: float, steps: int, **kwargs: Any) -> NDArray[np.float64]:
    """The learning rate of the first ``steps`` steps under ``torch.optim.lr_scheduler.<schedule>``
    with the optimizer's learning rate ``base_lr`` and the scheduler's ``kwargs``.

    Raises ValueError for an unknown schedule or arguments torch refuses (OneCycleLR also for
    more than ``total_steps + 1`` steps), and TypeError for an unknown keyword argument.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; use one of: {', '.join(SCHEDULES)}")
    if steps < 0:
        raise ValueError(f"steps must be at least 0, got {steps}")
    values = SCHEDULES[schedule](float(base_lr), **kwargs)
    return np.array([next(values) for _ in range(steps)], dtype=np.float64)
