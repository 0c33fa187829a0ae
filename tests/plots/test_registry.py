"""The figure registry: every kind of spec problem is found, all at once, with a usable fix."""

from __future__ import annotations

import math

import pytest

from plots.registry import KINDS, Param, ParamProblem, check_figure, resolve_params

EXPECTED_KINDS = {
    "normalized-activations",
    "depth-propagation",
    "batch-size-noise",
    "running-statistics",
    "ioffe-szegedy-fig1",
    "activation-functions",
    "softmax-temperature",
    "learning-rate-schedules",
    "optimizer-trajectories",
    "inverted-dropout",
    "initialization-depth",
    "gradient-clipping",
}
# Kinds whose figure involves no randomness, so they have no seed param.
WITHOUT_SEED = {"activation-functions", "learning-rate-schedules", "optimizer-trajectories"}


def test_registry_lists_every_kind() -> None:
    assert set(KINDS) == EXPECTED_KINDS
    for name, kind in KINDS.items():
        assert kind.name == name
        assert kind.summary


def test_unknown_kind_suggests_the_closest_and_lists_all() -> None:
    problems = check_figure("batch-size-nose", {"seed": 1})
    assert len(problems) == 1
    problem = problems[0]
    assert problem.param is None
    assert problem.message == "unknown figure kind 'batch-size-nose'"
    assert "did you mean 'batch-size-noise'?" in problem.fix
    for name in EXPECTED_KINDS:
        assert name in problem.fix


def test_unknown_kind_without_a_close_name_only_lists_kinds() -> None:
    (problem,) = check_figure("histogram", {})
    assert "did you mean" not in problem.fix
    assert problem.fix.startswith("use one of: activation-functions, batch-size-noise")


def test_unknown_param_suggests_the_closest_and_lists_allowed() -> None:
    (problem,) = check_figure("normalized-activations", {"batchsize": 8})
    assert problem.param == "batchsize"
    assert "unknown param 'batchsize'" in problem.message
    assert "did you mean 'batch_size'?" in problem.fix
    assert "allowed params: norm, batch_size, channels" in problem.fix


@pytest.mark.parametrize(
    ("param", "value", "words"),
    [
        ("batch_size", True, "must be a whole number, got bool True"),
        ("batch_size", 8.0, "must be a whole number, got float 8.0"),
        ("batch_size", "8", "must be a whole number, got str '8'"),
        ("norm", 3, "must be a string, got int 3"),
    ],
)
def test_wrong_types_are_problems(param: str, value: object, words: str) -> None:
    (problem,) = check_figure("normalized-activations", {param: value})
    assert problem.param == param
    assert problem.message == words


def test_bool_is_not_a_number_for_float_params_either() -> None:
    (problem,) = check_figure("running-statistics", {"momentum": False})
    assert problem.message == "must be a number, got bool False"


def test_int_is_accepted_and_resolved_as_float_for_float_params() -> None:
    assert check_figure("running-statistics", {"momentum": 1}) == []
    resolved = resolve_params("running-statistics", {"momentum": 1})
    assert resolved["momentum"] == 1.0
    assert isinstance(resolved["momentum"], float)


def test_a_float_that_yaml_read_as_text_gets_a_yaml_hint() -> None:
    (problem,) = check_figure("running-statistics", {"momentum": "1e-2"})
    assert problem.message == "must be a number, got str '1e-2'"
    assert "decimal point" in problem.fix


def test_non_finite_float_is_a_problem() -> None:
    (problem,) = check_figure("running-statistics", {"population_mean": math.nan})
    assert "finite" in problem.message


@pytest.mark.parametrize(
    ("value", "message"),
    [(1000, "must be at most 256, got 1000"), (1, "must be at least 2, got 1")],
)
def test_out_of_range_is_a_problem(value: int, message: str) -> None:
    (problem,) = check_figure("normalized-activations", {"batch_size": value})
    assert problem == ParamProblem("batch_size", message, "use a value from 2 to 256 (default 16)")


def test_value_outside_the_choices_suggests_the_closest() -> None:
    (problem,) = check_figure("normalized-activations", {"norm": "btach"})
    assert problem.param == "norm"
    assert "'btach'" in problem.message
    assert problem.fix == "did you mean 'batch'? use one of: batch, layer, group, instance, rms"


def test_all_problems_are_reported_at_once() -> None:
    spec = {"norm": "histogram", "batch_size": True, "channels": 999, "sede": 3, "shown": 2}
    problems = check_figure("normalized-activations", spec)
    assert [problem.param for problem in problems] == ["norm", "batch_size", "channels", "sede"]


def test_combination_problems_are_found_once_values_are_valid() -> None:
    (problem,) = check_figure("normalized-activations", {"norm": "group", "groups": 3})
    assert problem.param == "groups"
    assert problem.message == "must divide channels (8), got 3"
    (problem,) = check_figure("normalized-activations", {"norm": "batch", "channels": 2})
    assert problem.param == "shown"
    (problem,) = check_figure("batch-size-noise", {"max_batch_size": 100})
    assert problem.fix == "use 64 or 128"


def test_params_must_be_a_mapping() -> None:
    (problem,) = check_figure("depth-propagation", [("layers", 3)])  # type: ignore[arg-type]
    assert problem.param is None
    assert "mapping" in problem.message


def test_non_string_param_names_are_unknown_params() -> None:
    (problem,) = check_figure("depth-propagation", {3: 4})  # type: ignore[dict-item]
    assert problem.param == "3"


def test_resolve_params_fills_defaults_in_schema_order() -> None:
    resolved = resolve_params("depth-propagation", {"seed": 7, "layers": 4})
    assert list(resolved) == list(KINDS["depth-propagation"].params)
    assert resolved["layers"] == 4
    assert resolved["seed"] == 7
    assert resolved["activation"] == KINDS["depth-propagation"].params["activation"].default


def test_resolve_params_raises_with_every_problem() -> None:
    with pytest.raises(ValueError, match="batch_size: must be a whole number") as error:
        resolve_params("normalized-activations", {"batch_size": True, "colour": "red"})
    assert "unknown param 'colour'" in str(error.value)


@pytest.mark.parametrize("kind", sorted(EXPECTED_KINDS))
def test_every_kind_has_a_consistent_schema_and_valid_defaults(kind: str) -> None:
    params = KINDS[kind].params
    assert ("seed" in params) == (kind not in WITHOUT_SEED)
    if "seed" in params:
        assert params["seed"].type is int
    for name, param in params.items():
        assert isinstance(param, Param)
        assert param.type in (int, float, str, bool), name
        assert param.help, name
        assert (param.choices is not None) == (param.type is str), name
        assert check_figure(kind, {name: param.default}) == [], name
    assert check_figure(kind, {}) == []
    assert check_figure(kind, {name: param.default for name, param in params.items()}) == []
