"""Each figure kind computes what it claims, says the measured numbers, and renders."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from typing import Any

import numpy as np
import pytest

from plots.export import render_figure
from plots.figures import normalized_activations as activations
from plots.figures import number, significant
from plots.figures.ioffe_szegedy_fig1 import SigmoidMlp
from plots.registry import KINDS, resolve_params

SMALL: dict[str, dict[str, object]] = {
    "normalized-activations": {"batch_size": 4, "channels": 4, "spatial": 16, "groups": 2},
    "depth-propagation": {"layers": 4, "width": 32, "batch_size": 64},
    "batch-size-noise": {"max_batch_size": 16, "trials": 60, "spatial": 4},
    "running-statistics": {"steps": 60, "batch_size": 8, "probe_batches": 30},
    "ioffe-szegedy-fig1": {"steps": 100},
    "activation-functions": {"highlight": "softplus"},
    "softmax-temperature": {"classes": 5},
    "learning-rate-schedules": {"steps": 60, "warmup_steps": 6},
    "optimizer-trajectories": {"quadratic_steps": 10, "rosenbrock_steps": 60},
    "inverted-dropout": {"units": 8, "masks": 50},
    "initialization-depth": {"layers": 4, "width": 16, "batch_size": 16},
    "gradient-clipping": {"steps": 30},
}


def computed(kind: str, params: dict[str, object]) -> tuple[Any, Any]:
    """The kind's data and its params dataclass for a spec."""
    figure_kind = KINDS[kind]
    typed = figure_kind.params_from(resolve_params(kind, params))
    return figure_kind.compute(typed), typed


def test_small_params_cover_every_kind() -> None:
    assert set(SMALL) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(SMALL))
def test_every_kind_renders_parseable_svgs_with_alt_text(kind: str) -> None:
    output = render_figure(kind, SMALL[kind])
    for svg in (output.light_svg, output.dark_svg):
        assert ElementTree.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
        assert len(svg) < 150_000
    assert len(output.alt) > 100
    assert any(character.isdigit() for character in output.alt)


@pytest.mark.parametrize("norm", activations.NORMS)
def test_statistic_groups_are_exactly_what_the_reference_normalizes_over(norm: str) -> None:
    data, _ = computed("normalized-activations", {**SMALL["normalized-activations"], "norm": norm})
    for group in data.groups:
        before, after = group.values(data.before), group.values(data.after)
        if norm == "rms":
            expected = before / np.sqrt(np.mean(before**2) + np.finfo(before.dtype).eps)
        else:
            expected = (before - before.mean()) / np.sqrt(before.var() + 1e-5)
        np.testing.assert_allclose(after, expected, rtol=1e-10, atol=1e-12)
    assert sum(group.values(data.before).size for group in data.groups) == data.before.size


@pytest.mark.parametrize("norm", activations.NORMS)
def test_normalized_activations_before_differs_after_is_standard(norm: str) -> None:
    data, params = computed("normalized-activations", {"norm": norm})
    mean_before, std_before = data.stats_before[:, 0], data.stats_before[:, 1]
    mean_after, std_after, rms_after = data.stats_after.T
    assert np.ptp(mean_before) > 1.0  # the groups are visibly shifted against each other
    if norm == "rms":
        np.testing.assert_allclose(rms_after, 1.0, atol=1e-6)
        assert np.ptp(mean_after) > 0.1  # RMS norm does not centre
    else:
        np.testing.assert_allclose(mean_after, 0.0, atol=1e-9)
        # 1 up to eps: the std after is sqrt(var / (var + eps))
        np.testing.assert_allclose(std_after, std_before / np.sqrt(std_before**2 + 1e-5))
        np.testing.assert_allclose(std_after, 1.0, atol=1e-3)
        assert np.ptp(std_before) > 0.2
    alt = KINDS["normalized-activations"].describe(data, params)
    assert f"mean {number(data.before.mean())}" in alt
    assert f"standard deviation {number(data.before.std())}" in alt
    assert f"from {number(mean_before.min())} to {number(mean_before.max())}" in alt
    if norm == "rms":
        assert "root mean square 1.00" in alt
    else:
        assert "has mean 0.00 and standard deviation 1.00" in alt


def test_depth_propagation_vanishes_without_batch_norm_and_holds_with_it() -> None:
    data, params = computed("depth-propagation", {"activation": "tanh", "init_scale": 0.5})
    plain, normalized = data.plain_std, data.normalized_std
    assert np.all(np.diff(plain) < 0)
    assert plain[-1] < 0.01 * plain[0]
    np.testing.assert_allclose(normalized, 1.0, atol=1e-3)
    alt = KINDS["depth-propagation"].describe(data, params)
    assert f"{significant(plain[0])} at layer 1 and {significant(plain[-1])} at layer 10" in alt
    assert "(vanishing)" in alt


def test_depth_propagation_explodes_without_batch_norm() -> None:
    data, params = computed("depth-propagation", {"activation": "relu", "init_scale": 2.0})
    assert np.all(np.diff(data.plain_std) > 0)
    assert data.plain_std[-1] > 10 * data.plain_std[0]
    np.testing.assert_allclose(data.normalized_std, 1.0, atol=1e-3)
    assert "(exploding)" in KINDS["depth-propagation"].describe(data, params)


def test_batch_norm_noise_falls_with_batch_size_and_group_norm_does_not_depend_on_it() -> None:
    data, params = computed("batch-size-noise", {"max_batch_size": 64, "trials": 200})
    spreads = data.relative_spreads()
    assert list(data.batch_sizes) == [2, 4, 8, 16, 32, 64]
    for label in ("batch norm, mean", "batch norm, variance"):
        assert np.all(np.diff(spreads[label]) < 0), label
        assert spreads[label][0] > 3 * spreads[label][-1], label  # about sqrt(32) expected
    for label in ("group norm, mean", "group norm, variance"):
        np.testing.assert_allclose(spreads[label], spreads[label][0], rtol=1e-12)
    alt = KINDS["batch-size-noise"].describe(data, params)
    mean_spread = spreads["batch norm, mean"]
    assert (
        f"{significant(mean_spread[0], 2)} at 2 and {significant(mean_spread[-1], 2)} at 64" in alt
    )


def test_running_statistics_converge_and_eval_mode_is_fixed() -> None:
    data, params = computed("running-statistics", {})
    mean, std = params.population_mean, params.population_std
    gaps = data.final_gaps(mean, std**2)
    standard_error = std / np.sqrt(params.batch_size * params.steps)
    assert gaps["cumulative mean"] < 4 * standard_error
    assert gaps["cumulative variance"] < 0.1 * std**2
    assert gaps["momentum mean"] < abs(0.0 - mean)  # closer than torch's initial 0
    assert gaps["momentum variance"] < abs(1.0 - std**2)  # closer than torch's initial 1
    assert data.train_outputs.std() > 0.1  # train mode: the output depends on the batch
    assert abs(data.eval_output - (data.probe - mean) / std) < 0.3
    alt = KINDS["running-statistics"].describe(data, params)
    assert f"always normalizes to {number(data.eval_output)}" in alt
    assert f"gaps {number(gaps['cumulative mean'])} and" in alt


def test_ioffe_szegedy_batch_norm_learns_faster() -> None:
    data, params = computed("ioffe-szegedy-fig1", {"steps": 300})
    assert data.accuracy[True][-1] >= data.accuracy[False][-1]
    for percentiles in data.percentiles.values():
        assert np.all(np.diff(percentiles, axis=1) >= 0)  # 15th <= 50th <= 85th
    alt = KINDS["ioffe-szegedy-fig1"].describe(data, params)
    assert f"{100 * data.accuracy[True][-1]:.1f}% with batch normalization" in alt
    assert f"{100 * data.accuracy[False][-1]:.1f}% without" in alt
    assert "handwritten digits" in alt


@pytest.mark.parametrize("batch_normalized", [False, True])
def test_sigmoid_mlp_sgd_step_follows_the_loss_gradient(batch_normalized: bool) -> None:
    rng = np.random.default_rng(0)
    weights = [rng.normal(0, 0.5, size) for size in ((6, 5), (5, 4), (4, 3))]
    x, labels = rng.normal(size=(8, 6)), rng.integers(0, 3, 8)

    def loss(network: SigmoidMlp) -> float:
        logits, _ = network.forward(x)
        logits = logits - logits.max(axis=1, keepdims=True)
        log_probabilities = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return float(-log_probabilities[np.arange(8), labels].mean())

    network = SigmoidMlp(weights, batch_normalized)
    stepped = SigmoidMlp(weights, batch_normalized)
    stepped.sgd_step(x, labels, rate=1.0)
    for layer in range(3):
        gradient = network.weights[layer] - stepped.weights[layer]
        for index in [(0, 0), (1, 2), (3, 1)]:
            plus, minus = (
                SigmoidMlp(weights, batch_normalized),
                SigmoidMlp(weights, batch_normalized),
            )
            plus.weights[layer][index] += 1e-6
            minus.weights[layer][index] -= 1e-6
            numeric = (loss(plus) - loss(minus)) / 2e-6
            assert gradient[index] == pytest.approx(numeric, rel=1e-4, abs=1e-8)
    if batch_normalized:
        gamma_gradient = network.gammas[1] - stepped.gammas[1]
        plus, minus = SigmoidMlp(weights, True), SigmoidMlp(weights, True)
        plus.gammas[1][2] += 1e-6
        minus.gammas[1][2] -= 1e-6
        numeric = (loss(plus) - loss(minus)) / 2e-6
        assert gamma_gradient[2] == pytest.approx(numeric, rel=1e-4, abs=1e-8)
