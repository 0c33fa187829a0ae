"""Figure params: each kind's frozen dataclass is the one declaration of its Param schema."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Annotated, Literal

import pytest

from plots.figures import Param, ParamInfo, param_schema
from plots.registry import KINDS, resolve_params


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_params_dataclass_holds_the_defaults_of_the_schema(kind: str) -> None:
    figure_kind = KINDS[kind]
    defaults = figure_kind.params_type()
    assert [field.name for field in dataclasses.fields(defaults)] == list(figure_kind.params)
    assert figure_kind.params_from(resolve_params(kind, {})) == defaults
    with pytest.raises(dataclasses.FrozenInstanceError):
        defaults.seed = 1


def test_a_spec_becomes_the_dataclass_with_floats_as_float() -> None:
    figure_kind = KINDS["running-statistics"]
    params = figure_kind.params_from(resolve_params("running-statistics", {"momentum": 1}))
    assert params == figure_kind.params_type(momentum=1.0)
    assert isinstance(params.momentum, float)


@dataclass(frozen=True)
class _Example:
    size: Annotated[int, ParamInfo("how many", minimum=1, maximum=9)] = 3
    rate: Annotated[float, ParamInfo("how fast", minimum=0.5)] = 1.0
    shape: Annotated[Literal["round", "square"], ParamInfo("which shape")] = "round"
    filled: Annotated[bool, ParamInfo("whether it is filled")] = False


def test_the_schema_is_derived_from_the_annotations_and_defaults() -> None:
    assert param_schema(_Example) == {
        "size": Param(int, 3, "how many", minimum=1, maximum=9),
        "rate": Param(float, 1.0, "how fast", minimum=0.5),
        "shape": Param(str, "round", "which shape", choices=("round", "square")),
        "filled": Param(bool, False, "whether it is filled"),
    }


@dataclass(frozen=True)
class _NoInfo:
    size: int = 3


@dataclass(frozen=True)
class _NoDefault:
    size: Annotated[int, ParamInfo("how many")]


@dataclass(frozen=True)
class _FreeText:
    name: Annotated[str, ParamInfo("any text")] = "x"


@pytest.mark.parametrize(
    ("params_type", "words"),
    [
        (_NoInfo, "_NoInfo.size: write it 'name: Annotated[type, ParamInfo(...)] = default'"),
        (_NoDefault, "_NoDefault.size: write it"),
        (_FreeText, "_FreeText.name: the type must be int, float, bool or a Literal of strings"),
    ],
)
def test_a_field_the_schema_cannot_describe_is_refused(params_type: type, words: str) -> None:
    with pytest.raises(TypeError, match=re.escape(words)):
        param_schema(params_type)
