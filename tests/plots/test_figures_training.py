"""The figure kinds of activations, softmax temperature, schedules, optimizers, dropout,
initialization and clipping compute what they claim, from the reference code, and say it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from plots import activations, optimizers
from plots.export import render_figure
from plots.figures import number, significant
from plots.registry import KINDS, check_figure, resolve_params
from plots.schedules import learning_rates


def computed(kind: str, params: dict[str, object]) -> tuple[Any, Any, str]:
    """The kind's data, its params dataclass and its alt text for a spec."""
    figure_kind = KINDS[kind]
    typed = figure_kind.params_from(resolve_params(kind, params))
    data = figure_kind.compute(typed)
    return data, typed, figure_kind.describe(data, typed)


@pytest.mark.parametrize("highlight", ["relu", "gelu", "sigmoid", "leaky_relu", "softplus"])
def test_activation_functions_are_the_reference_and_the_alt_text_says_the_slopes(
    highlight: str,
) -> None:
    data, _params, alt = computed("activation-functions", {"highlight": highlight})
    assert data.x[len(data.x) // 2] == 0.0
    np.testing.assert_array_equal(data.values[data.index("gelu")], activations.gelu(data.x))
    sigmoid_slope = data.derivatives[data.index("sigmoid")]
    assert sigmoid_slope.max() == pytest.approx(0.25)
    assert "The largest slope of sigmoid is 0.25, that of tanh 1.00." in alt
    assert highlight in data.names
    relu_slope = data.derivatives[data.index("relu")]
    assert set(np.unique(relu_slope)) == {0.0, 1.0}


def test_softmax_temperature_sharpens_below_one_and_flattens_above() -> None:
    data, params, alt = computed("softmax-temperature", {})
    np.testing.assert_allclose(data.probabilities.sum(axis=1), 1.0, rtol=1e-15)
    top = data.probabilities[:, 0]
    assert top[0] > top[1] > top[2]  # T = 0.5, 1, 2
    assert np.all(np.diff(data.entropies) > 0)
    assert data.entropies[-1] < np.log2(params.classes)
    np.testing.assert_allclose(
        data.probabilities[1], activations.softmax(data.logits, 0), rtol=1e-15
    )
    assert f"the largest probability is {number(top[0])}" in alt
    assert (
        check_figure("softmax-temperature", {"low_temperature": 1.0, "high_temperature": 1.0})[
            0
        ].param
        == "high_temperature"
    )


def test_learning_rate_schedules_come_from_the_reference_and_span_the_run() -> None:
    data, params, alt = computed("learning-rate-schedules", {})
    assert all(len(rates) == params.steps for rates in data.rates.values())
    np.testing.assert_array_equal(
        data.rates["cosine"],
        learning_rates("CosineAnnealingLR", params.base_lr, params.steps, T_max=params.steps),
    )
    warmup = data.rates["warmup-cosine"]
    assert int(warmup.argmax()) == params.warmup_steps
    assert np.all(np.diff(warmup[: params.warmup_steps + 1]) > 0)
    assert warmup[0] == pytest.approx(0.01 * params.base_lr)
    assert data.rates["one-cycle"].max() == pytest.approx(params.base_lr)
    assert f"peak at step {params.warmup_steps}" in alt
    (problem,) = check_figure("learning-rate-schedules", {"steps": 100, "warmup_steps": 60})
    assert problem.param == "warmup_steps"


def test_optimizer_trajectories_are_the_reference_optimizers_and_reach_the_minimum() -> None:
    data, params, alt = computed("optimizer-trajectories", {})
    quadratic, rosenbrock = data
    condition = params.condition
    point = np.array([-4.5, 1.5])
    replay = optimizers.SGD([point], lr=1.8 / condition)
    for _ in range(params.quadratic_steps):
        replay.step([np.array([point[0], condition * point[1]])])
    np.testing.assert_array_equal(quadratic.paths["sgd"][-1], point)
    assert np.all(np.sign(quadratic.paths["sgd"][1:6, 1]) == [-1, 1, -1, 1, -1])  # zigzag
    for name in ("momentum", "rmsprop"):
        assert quadratic.losses[name] < quadratic.losses["sgd"]
    assert rosenbrock.losses["momentum"] < 0.01
    assert rosenbrock.losses["sgd"] > 10 * rosenbrock.losses["adam"]
    assert f"with loss {significant(rosenbrock.losses['adam'], 2)}" in alt
    (only,) = KINDS["optimizer-trajectories"].compute(
        KINDS["optimizer-trajectories"].params_type(surface="quadratic")
    )
    assert only.surface == "quadratic"


def test_inverted_dropout_keeps_the_expectation() -> None:
    data, params, alt = computed("inverted-dropout", {"masks": 20_000})
    dropped = data.after == 0
    np.testing.assert_allclose(data.after[~dropped], data.before[~dropped] / (1 - params.p))
    assert 0 < data.kept < params.units
    np.testing.assert_allclose(data.average, data.before, atol=0.05)
    assert f"keeps {data.kept} units" in alt
    assert f"layer mean {number(data.average.mean())}" in alt


def test_initialization_depth_vanishes_naively_and_holds_with_the_matching_init() -> None:
    data, _params, alt = computed("initialization-depth", {})
    for name in ("tanh", "relu"):
        naive = data.activation_std[name]["naive"]
        assert naive[-1] < 1e-10 * naive[0]
        assert data.gradient_std[name]["naive"][0] < 1e-10
    kaiming = data.activation_std["relu"]["kaiming"]
    assert 0.3 < kaiming[-1] / kaiming[0] < 3.0
    assert data.activation_std["relu"]["xavier"][-1] < 0.01  # Xavier halves the ReLU signal
    xavier = data.activation_std["tanh"]["xavier"]
    assert xavier[-1] > 0.05
    assert f"{significant(kaiming[0])} at layer 1 and {significant(kaiming[-1])} at layer" in alt
    assert "about 10^-" in alt


def test_gradient_clipping_caps_the_global_norm_and_keeps_directions() -> None:
    data, params, alt = computed("gradient-clipping", {})
    assert data.norms_after.max() <= params.max_norm * (1 + 1e-6)
    assert data.clipped_steps > 0
    unclipped = data.norms_before <= params.max_norm
    np.testing.assert_allclose(
        data.norms_after[unclipped], data.norms_before[unclipped], rtol=1e-12
    )
    lengths = np.linalg.norm(data.by_norm, axis=1)
    assert np.all(lengths <= params.max_norm * (1 + 1e-6))
    cosines = np.sum(data.by_norm * data.vectors, axis=1) / (
        lengths * np.linalg.norm(data.vectors, axis=1)
    )
    np.testing.assert_allclose(cosines, 1.0)
    assert f"scales {data.clipped_steps} steps down" in alt


NEW_KINDS = {
    "activation-functions": {"highlight": "silu"},
    "softmax-temperature": {"classes": 4, "seed": 5},
    "learning-rate-schedules": {"steps": 40, "warmup_steps": 4, "highlight": "cosine"},
    "optimizer-trajectories": {"surface": "rosenbrock", "rosenbrock_steps": 50},
    "inverted-dropout": {"units": 8, "masks": 20, "seed": 2},
    "initialization-depth": {"layers": 3, "width": 16, "batch_size": 16},
    "gradient-clipping": {"steps": 20, "seed": 4},
}


@pytest.mark.parametrize("kind", sorted(NEW_KINDS))
def test_each_new_kind_renders_the_same_bytes_twice(kind: str) -> None:
    first = render_figure(kind, NEW_KINDS[kind])
    again = render_figure(kind, dict(reversed(NEW_KINDS[kind].items())))
    assert (first.light_svg, first.dark_svg, first.alt) == (
        again.light_svg,
        again.dark_svg,
        again.alt,
    )
    assert first.light_svg != first.dark_svg
