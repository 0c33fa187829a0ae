"""Figure kinds, one module per kind, and the contract each of them fills in.

A kind module declares its params as a frozen dataclass whose fields carry a :class:`ParamInfo`,
computes its numbers (``compute``), draws them (``draw``) and describes them in words
(``describe``), and exposes a :class:`FigureKind` named ``KIND``. :mod:`plots.registry` collects
the kinds and checks figure specs against the :class:`Param` schema derived from each params
dataclass; the contract lives here, in the package the kind modules import, so that the registry
can import the kinds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import (
    TYPE_CHECKING,
    Annotated,
    Generic,
    Literal,
    TypeVar,
    get_args,
    get_origin,
    get_type_hints,
)

import numpy as np
from matplotlib.figure import Figure

from plots.theme import Theme

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P = TypeVar("P", bound="DataclassInstance")  # a kind's params dataclass
D = TypeVar("D")  # a kind's computed data


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
class ParamInfo:
    """What a field of a params dataclass says besides its type and default: its help text and
    allowed range. It goes in the field's annotation::

        seed: Annotated[int, ParamInfo("seed of the data", minimum=0, maximum=2**32 - 1)] = 0

    The type is ``int``, ``float``, ``bool``, or a ``Literal`` of the strings allowed. So the
    dataclass is the one place a param is declared, and :func:`param_schema` derives from it the
    :class:`Param` that figure specs are checked against.
    """

    help: str
    minimum: float | None = None
    maximum: float | None = None


def param_schema(params_type: type[DataclassInstance]) -> dict[str, Param]:
    """The :class:`Param` of every field of a params dataclass, in field order.

    Raises TypeError for a field without a default, without a :class:`ParamInfo`, or of a type
    other than those :class:`ParamInfo` names.
    """
    hints = get_type_hints(params_type, include_extras=True)
    schema: dict[str, Param] = {}
    for field in dataclasses.fields(params_type):
        where = f"{params_type.__name__}.{field.name}"
        annotation = hints[field.name]
        if get_origin(annotation) is not Annotated or field.default is dataclasses.MISSING:
            raise TypeError(f"{where}: write it 'name: Annotated[type, ParamInfo(...)] = default'")
        value_type, *extras = get_args(annotation)
        info = next((extra for extra in extras if isinstance(extra, ParamInfo)), None)
        if info is None:
            raise TypeError(f"{where}: its annotation needs a ParamInfo")
        choices = get_args(value_type) if get_origin(value_type) is Literal else None
        if choices and all(isinstance(choice, str) for choice in choices):
            value_type = str
        elif value_type not in (int, float, bool):
            raise TypeError(f"{where}: the type must be int, float, bool or a Literal of strings")
        schema[field.name] = Param(
            value_type, field.default, info.help, info.minimum, info.maximum, choices
        )
    return schema


@dataclass(frozen=True)
class ParamProblem:
    """One thing wrong with a figure spec: which param (None for the kind), what, and the fix."""

    param: str | None
    message: str
    fix: str


def about_a_second(params: object) -> float:
    """Cost estimate of a kind whose computation takes about a second whatever its params."""
    return 1.0


def no_combination_problems(params: object) -> list[ParamProblem]:
    """Combination check for kinds whose params are independent of each other: never a problem."""
    return []


@dataclass(frozen=True)
class FigureKind(Generic[P, D]):
    """A kind of figure: its params dataclass and how to compute, draw and describe it.

    ``compute(params)`` returns the figure's data of type ``D`` (all the numerics, seeded by
    ``params.seed``); ``draw(data, params, theme)`` returns a matplotlib Figure drawn with the
    object-oriented API; ``describe(data, params)`` returns alt text with the measured numbers.
    ``check_combination`` reports problems between params that are each valid alone (e.g.
    groups must divide channels). ``cost(params)`` estimates the seconds the figure takes to
    compute and draw on a 2-core machine (measured at the defaults and at the limits; see
    ``bench/figure_cost.py``), which the build's figure budgets add up. Each takes the params
    as the kind's ``params_type``, a frozen dataclass of fields annotated with a :class:`ParamInfo`.
    """

    name: str
    summary: str
    params_type: type[P]
    compute: Callable[[P], D]
    draw: Callable[[D, P, Theme], Figure]
    describe: Callable[[D, P], str]
    check_combination: Callable[[P], list[ParamProblem]] = no_combination_problems
    cost: Callable[[P], float] = about_a_second

    @cached_property
    def params(self) -> Mapping[str, Param]:
        """The schema of each param, by name, in the order of the dataclass fields."""
        return param_schema(self.params_type)

    def params_from(self, resolved: Mapping[str, object]) -> P:
        """The params dataclass of ``resolved``, a value for every param, each valid: what
        :func:`plots.registry.resolve_params` returns."""
        return self.params_type(**resolved)


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
