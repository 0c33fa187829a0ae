"""Figure kinds, one module per kind, and the contract each of them fills in.

A kind module computes its numbers (``compute``), draws them (``draw``) and describes them in
words (``describe``), and exposes a :class:`FigureKind` named ``KIND``. :mod:`plots.registry`
collects the kinds and checks figure specs against their :class:`Param` schemas; the contract
lives here, in the package the kind modules import, so that the registry can import the kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from plots.theme import Theme

Params = Mapping[str, object]


@dataclass(frozen=True)
class Param:
    """Schema of one figure parameter: its type, default, help text and allowed values."""

    type: type
    default: object
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ParamProblem:
    """One thing wrong with a figure spec: which param (None for the kind), what, and the fix."""

    param: str | None
    message: str
    fix: str


def about_a_second(params: Params) -> float:
    """Cost estimate of a kind whose computation takes about a second whatever its params."""
    return 1.0


def no_combination_problems(params: Params) -> list[ParamProblem]:
    """Combination check for kinds whose params are independent of each other: never a problem."""
    return []


@dataclass(frozen=True)
class FigureKind:
    """A kind of figure: its params schema and how to compute, draw and describe it.

    ``compute(params)`` returns the figure's data (all the numerics, seeded by ``params["seed"]``);
    ``draw(data, params, theme)`` returns a matplotlib Figure drawn with the object-oriented API;
    ``describe(data, params)`` returns alt text with the measured numbers. ``check_combination``
    reports problems between params that are each valid alone (e.g. groups must divide channels);
    it is given the params with defaults filled in. ``cost(params)`` estimates the seconds the
    figure takes to compute and draw on a 2-core machine (measured at the defaults and at the
    limits; see ``bench/figure_cost.py``), which the build's figure budgets add up.
    """

    name: str
    summary: str
    params: Mapping[str, Param]
    compute: Callable[[Params], Any]
    draw: Callable[[Any, Params, Theme], Figure]
    describe: Callable[[Any, Params], str]
    check_combination: Callable[[Params], list[ParamProblem]] = no_combination_problems
    cost: Callable[[Params], float] = about_a_second


def number(value: float, digits: int = 2) -> str:
    """``value`` as alt text writes it: ``digits`` decimals, thousands separators, never -0.00."""
    rounded = round(float(value), digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:,.{digits}f}"


def span(values: Iterable[float], digits: int = 2) -> str:
    """'0.00' when all ``values`` print alike, else 'from LOW to HIGH', for alt text."""
    listed = [float(value) for value in values]
    low, high = number(min(listed), digits), number(max(listed), digits)
    return low if low == high else f"from {low} to {high}"


def significant(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits in plain decimals (alt text reads no 'e-4')."""
    value = float(value)
    if abs(value) >= 10**digits:
        return f"{value:,.0f}"
    text = np.format_float_positional(value, digits, unique=False, fractional=False, trim="k")
    return text.rstrip(".")
