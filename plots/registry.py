"""The figure kinds a term file may ask for, and the checks of the params it gives them.

``KINDS`` maps each kind's name to its :class:`FigureKind`. :func:`check_figure` reports every
problem of a figure spec at once, each with a fix a person can apply to the YAML;
:func:`resolve_params` fills in the defaults of a valid spec, which the kind's
:meth:`~plots.figures.FigureKind.params_from` turns into its params dataclass.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Any

from plots.figures import (
    D,
    FigureKind,
    P,
    Param,
    ParamProblem,
    activation_functions,
    batch_size_noise,
    depth_propagation,
    gradient_clipping,
    initialization_depth,
    inverted_dropout,
    ioffe_szegedy_fig1,
    learning_rate_schedules,
    normalized_activations,
    optimizer_trajectories,
    running_statistics,
    softmax_temperature,
)

__all__ = [
    "BUILD_FIGURE_BUDGET",
    "KINDS",
    "TERM_FIGURE_BUDGET",
    "FigureKind",
    "Param",
    "ParamProblem",
    "check_figure",
    "closest_name",
    "figure_cost",
    "resolve_params",
]

# Seconds of figure computation (as each kind's ``cost`` estimates them) that one term, and the
# whole glossary, may ask for: a build from scratch stays within minutes, whatever the term
# files say. The shipped glossary asks for about 32 s over 24 terms, 14 s of them on Batch
# Normalization's page.
TERM_FIGURE_BUDGET = 30.0
BUILD_FIGURE_BUDGET = 300.0

# Any: each kind is type-checked with its own params and data types where it is defined; here
# they are mixed, and the functions below give a kind only params built by its own params_type.
KINDS: Mapping[str, FigureKind[Any, Any]] = {
    module.KIND.name: module.KIND
    for module in (
        normalized_activations,
        depth_propagation,
        batch_size_noise,
        running_statistics,
        ioffe_szegedy_fig1,
        activation_functions,
        softmax_temperature,
        learning_rate_schedules,
        optimizer_trajectories,
        inverted_dropout,
        initialization_depth,
        gradient_clipping,
    )
}

_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def check_figure(kind: str, params: Mapping[str, object]) -> list[ParamProblem]:
    """Return every problem of the figure spec ``kind`` + ``params`` (empty when it is valid).

    Reports an unknown kind (with the closest kind name and the list of kinds), unknown params
    (with the closest param name and the list of params), values of the wrong type (a bool is not
    a number), values out of range or not among the choices, and then, when every value is valid
    alone, the problems between params that the kind itself checks.
    """
    figure_kind = KINDS.get(kind) if isinstance(kind, str) else None
    if figure_kind is None:
        return [_unknown_kind_problem(kind)]
    if not isinstance(params, Mapping):
        return [
            ParamProblem(
                None,
                f"params must be a mapping of param names to values, got {type(params).__name__}",
                "write the params as 'name: value' pairs, one a line",
            )
        ]
    problems: list[ParamProblem] = []
    for name, value in params.items():
        schema = figure_kind.params.get(name) if isinstance(name, str) else None
        if schema is None:
            problems.append(_unknown_param_problem(figure_kind, name))
        else:
            problems.extend(_value_problems(name, schema, value))
    if problems:
        return problems
    return figure_kind.check_combination(_build(figure_kind, params))


def figure_cost(kind: str, params: Mapping[str, object]) -> float:
    """Estimated seconds to compute and draw a valid figure spec (see ``FigureKind.cost``)."""
    figure_kind = KINDS[kind]
    return figure_kind.cost(_build(figure_kind, params))


def resolve_params(kind: str, params: Mapping[str, object]) -> dict[str, object]:
    """Return ``params`` with every default filled in, floats as float, in schema order.

    Raises ValueError naming every problem when :func:`check_figure` finds any.
    """
    problems = check_figure(kind, params)
    if problems:
        details = "; ".join(
            f"{problem.param + ': ' if problem.param else ''}{problem.message} ({problem.fix})"
            for problem in problems
        )
        raise ValueError(f"invalid figure {kind!r}: {details}")
    return _with_defaults(KINDS[kind], params)


def _build(figure_kind: FigureKind[P, D], params: Mapping[str, object]) -> P:
    """The params dataclass of a spec whose values are each valid."""
    return figure_kind.params_from(_with_defaults(figure_kind, params))


def _with_defaults(
    figure_kind: FigureKind[P, D], params: Mapping[str, object]
) -> dict[str, object]:
    resolved: dict[str, object] = {}
    for name, schema in figure_kind.params.items():
        value = params.get(name, schema.default)
        if schema.type is float and isinstance(value, int):  # YAML reads 2 as an int
            value = float(value)
        resolved[name] = value
    return resolved


def closest_name(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like a misspelled ``name``, if one is close enough: the one rule
    behind every "did you mean" of ``glossary check`` (fields, slugs, kinds, params)."""
    matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _unknown_kind_problem(kind: object) -> ParamProblem:
    names = sorted(KINDS)
    closest = closest_name(kind, names) if isinstance(kind, str) else None
    hint = f"did you mean {closest!r}? " if closest else ""
    return ParamProblem(
        None, f"unknown figure kind {kind!r}", f"{hint}use one of: {', '.join(names)}"
    )


def _unknown_param_problem(figure_kind: FigureKind[P, D], name: object) -> ParamProblem:
    names = list(figure_kind.params)
    closest = closest_name(name, names) if isinstance(name, str) else None
    allowed = f"allowed params: {', '.join(names)}"
    return ParamProblem(
        str(name),
        f"unknown param {name!r} for figure kind {figure_kind.name!r}",
        f"did you mean {closest!r}? {allowed}" if closest else allowed,
    )


def _has_type(value: object, expected: type) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):  # True is an int to Python, never to a figure spec
        return False
    if expected is float:
        return isinstance(value, int | float)
    return isinstance(value, expected)


def _value_problems(name: str, schema: Param, value: object) -> list[ParamProblem]:
    if not _has_type(value, schema.type):
        fix = f"{schema.help}; for example {name}: {_yaml(schema.default)}"
        if schema.type is float and isinstance(value, str) and _is_number(value):
            fix = f"write it with a decimal point, e.g. {name}: 1.0e-3 (YAML reads 1e-3 as text)"
        message = f"must be {_TYPE_WORDS[schema.type]}, got {type(value).__name__} {value!r}"
        return [ParamProblem(name, message, fix)]
    if schema.choices is not None and value not in schema.choices:
        closest = closest_name(str(value), list(schema.choices))
        hint = f"did you mean {closest!r}? " if closest else ""
        choices = ", ".join(schema.choices)
        return [
            ParamProblem(
                name, f"must be one of the choices, got {value!r}", f"{hint}use one of: {choices}"
            )
        ]
    if isinstance(value, int | float):
        return _range_problems(name, schema, value)
    return []


def _range_problems(name: str, schema: Param, value: float) -> list[ParamProblem]:
    if isinstance(value, float) and not math.isfinite(value):
        return [ParamProblem(name, f"must be a finite number, got {value!r}", schema.help)]
    if schema.minimum is not None and value < schema.minimum:
        return [
            ParamProblem(
                name,
                f"must be at least {_yaml(schema.minimum)}, got {value!r}",
                _range_fix(schema),
            )
        ]
    if schema.maximum is not None and value > schema.maximum:
        return [
            ParamProblem(
                name,
                f"must be at most {_yaml(schema.maximum)}, got {value!r}",
                _range_fix(schema),
            )
        ]
    return []


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _range_fix(schema: Param) -> str:
    low = "" if schema.minimum is None else f" from {_yaml(schema.minimum)}"
    high = "" if schema.maximum is None else f" to {_yaml(schema.maximum)}"
    return f"use a value{low}{high} (default {_yaml(schema.default)})"


def _yaml(value: object) -> str:
    """A value as it is written in a term file's YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
