"""plots/activations.py, plots/schedules.py and plots/optimizers.py without torch: every derivative
against central finite differences, and the invariants the figures rely on."""

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from plots import activations as A  # noqa: N812
from plots import optimizers
from plots.schedules import SCHEDULES, learning_rates

ELEMENTWISE: list[tuple[Callable[..., Any], Callable[..., Any], dict[str, Any]]] = [
    (A.relu, A.relu_backward, {}),
    (A.leaky_relu, A.leaky_relu_backward, {"negative_slope": 0.1}),
    (A.gelu, A.gelu_backward, {}),
    (A.gelu, A.gelu_backward, {"approximate": "tanh"}),
    (A.silu, A.silu_backward, {}),
    (A.sigmoid, A.sigmoid_backward, {}),
    (A.tanh, A.tanh_backward, {}),
    (A.softplus, A.softplus_backward, {}),
    (A.softplus, A.softplus_backward, {"beta": 3.0, "threshold": 4.0}),
]


def away_from_kinks(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values at scale 3, none within 1e-3 of 0 (the relu kink) or of the softplus thresholds."""
    x = rng.normal(scale=3.0, size=shape)
    x[np.abs(x) < 1e-3] = 0.5
    for threshold in (4.0 / 3.0, 20.0):
        x[np.abs(x - threshold) < 1e-3] += 0.01
    return x


@pytest.mark.parametrize(
    ("forward", "backward", "kwargs"),
    ELEMENTWISE,
    ids=[f"{case[0].__name__}-{case[2]}" for case in ELEMENTWISE],
)
def test_elementwise_derivatives_are_the_finite_differences(
    rng: np.random.Generator,
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    kwargs: dict[str, Any],
) -> None:
    x, grad, h = away_from_kinks(rng, (40,)), rng.normal(size=40), 1e-6
    numeric = grad * (forward(x + h, **kwargs) - forward(x - h, **kwargs)) / (2 * h)
    np.testing.assert_allclose(backward(grad, x, **kwargs), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("function", ["softmax", "log_softmax"])
def test_softmax_derivatives_are_the_finite_differences(
    rng: np.random.Generator, function: str
) -> None:
    forward, backward = getattr(A, function), getattr(A, f"{function}_backward")
    x, grad, h = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 1e-6
    for dim in (0, 1):
        analytic = backward(grad, x, dim)
        for index in np.ndindex(x.shape):
            plus, minus = x.copy(), x.copy()
            plus[index] += h
            minus[index] -= h
            numeric = np.sum(grad * (forward(plus, dim) - forward(minus, dim))) / (2 * h)
            assert analytic[index] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_dropout_derivative_is_the_finite_difference_for_a_fixed_mask(
    rng: np.random.Generator,
) -> None:
    x, grad, h, p = rng.normal(size=(5, 6)), rng.normal(size=(5, 6)), 1e-6, 0.4

    def forward(values: np.ndarray) -> np.ndarray:
        return A.dropout(values, p, rng=np.random.default_rng(3))

    mask = A.dropout_mask(x.shape, p, np.random.default_rng(3))
    numeric = grad * (forward(x + h) - forward(x - h)) / (2 * h)
    np.testing.assert_allclose(A.dropout_backward(grad, mask, p), numeric, rtol=1e-7, atol=1e-9)


def test_softmax_sums_to_one_and_survives_huge_logits(rng: np.random.Generator) -> None:
    x = rng.normal(scale=300.0, size=(4, 7))
    for dim in (0, 1, -1):
        np.testing.assert_allclose(A.softmax(x, dim).sum(axis=dim), 1.0, rtol=1e-15)
        np.testing.assert_allclose(np.exp(A.log_softmax(x, dim)).sum(axis=dim), 1.0, rtol=1e-14)
    assert np.all(np.isfinite(A.log_softmax(x, 1)))


def test_dropout_preserves_the_expectation_and_drops_about_p(rng: np.random.Generator) -> None:
    x = np.full(200_000, 2.0)
    for p in (0.1, 0.5, 0.8):
        dropped = A.dropout(x, p, rng=rng)
        kept = np.count_nonzero(dropped) / x.size
        assert kept == pytest.approx(1 - p, abs=0.005)
        assert dropped.mean() == pytest.approx(2.0, rel=0.02)
        np.testing.assert_allclose(dropped[dropped != 0], 2.0 / (1 - p))


def test_dropout_needs_a_generator_in_training_and_refuses_bad_p() -> None:
    with pytest.raises(ValueError, match="rng"):
        A.dropout(np.ones(3), 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        A.dropout(np.ones(3), 1.5, rng=np.random.default_rng(0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_function_keeps_the_input_dtype(dtype: type) -> None:
    x = np.linspace(-5, 5, 11, dtype=dtype)
    for forward, backward, kwargs in ELEMENTWISE:
        assert forward(x, **kwargs).dtype == dtype
        assert backward(x, x, **kwargs).dtype == dtype
    assert A.softmax(x, 0).dtype == A.log_softmax_backward(x, x, 0).dtype == dtype


def test_sigmoid_and_softplus_do_not_overflow() -> None:
    x = np.array([-1000.0, 0.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_allclose(A.sigmoid(x), [0.0, 0.5, 1.0])
        np.testing.assert_allclose(A.softplus(x), [0.0, math.log(2.0), 1000.0])


# ---------------------------------------------------------------- schedules


def test_schedule_boundary_values() -> None:
    step = learning_rates("StepLR", 1.0, 31, step_size=10, gamma=0.5)
    assert list(step[[0, 9, 10, 19, 20, 30]]) == [1.0, 1.0, 0.5, 0.5, 0.25, 0.125]
    cosine = learning_rates("CosineAnnealingLR", 0.1, 101, T_max=100, eta_min=0.001)
    assert cosine[0] == 0.1
    assert cosine[50] == pytest.approx(0.0505, rel=1e-12)
    assert cosine[100] == pytest.approx(0.001, rel=1e-12)
    restarts = learning_rates("CosineAnnealingWarmRestarts", 0.1, 31, T_0=10, T_mult=2)
    assert restarts[0] == restarts[10] == restarts[30] == 0.1  # restarts at 10 and 10 + 20
    assert restarts[29] < restarts[9] < 0.01  # the longer period ends lower
    linear = learning_rates("LinearLR", 1.0, 10, start_factor=0.25, total_iters=4)
    np.testing.assert_allclose(linear[:6], [0.25, 0.4375, 0.625, 0.8125, 1.0, 1.0], rtol=1e-14)
    cycle = learning_rates("OneCycleLR", 0.0, 101, max_lr=1.0, total_steps=100)
    assert cycle[0] == pytest.approx(1.0 / 25)
    assert cycle.max() == pytest.approx(1.0) and int(cycle.argmax()) == 29
    assert cycle[-2] == pytest.approx(1.0 / 25 / 1e4)
    exponential = learning_rates("ExponentialLR", 2.0, 4, gamma=0.5)
    assert list(exponential) == [2.0, 1.0, 0.5, 0.25]


def test_unknown_schedules_and_arguments_are_refused() -> None:
    assert set(SCHEDULES) == {
        "StepLR",
        "ExponentialLR",
        "LinearLR",
        "CosineAnnealingLR",
        "CosineAnnealingWarmRestarts",
        "OneCycleLR",
    }
    with pytest.raises(ValueError, match="unknown schedule"):
        learning_rates("CyclicLR", 0.1, 10)
    with pytest.raises(TypeError):
        learning_rates("StepLR", 0.1, 10, step=3)
    with pytest.raises(ValueError, match="Tried to step"):
        learning_rates("OneCycleLR", 0.1, 12, max_lr=1.0, total_steps=10)


# ---------------------------------------------------------------- optimizers


def test_sgd_without_momentum_is_plain_gradient_descent() -> None:
    param = np.array([1.0, -2.0])
    optimizers.SGD([param], lr=0.1).step([np.array([0.5, 0.5])])
    np.testing.assert_allclose(param, [0.95, -2.05])


def test_adam_first_step_moves_every_coordinate_by_lr() -> None:
    param = np.array([1.0, -2.0, 3.0])
    optimizers.Adam([param], lr=0.01).step([np.array([1e-3, -50.0, 7.0])])
    np.testing.assert_allclose(param, [0.99, -1.99, 2.99], rtol=1e-6)


def test_adamw_decays_the_weights_without_gradient() -> None:
    param = np.array([1.0, -2.0])
    optimizer = optimizers.AdamW([param], lr=0.1, weight_decay=0.5)
    optimizer.step([np.zeros(2)])
    np.testing.assert_allclose(param, [0.95, -1.9])


def test_optimizers_keep_float32_params_float32() -> None:
    for name in ("SGD", "RMSprop", "Adam", "AdamW"):
        param = np.ones(3, dtype=np.float32)
        getattr(optimizers, name)([param], lr=0.1).step([np.ones(3)])
        assert param.dtype == np.float32
        assert np.all(param < 1.0)


def test_clip_grad_norm_scales_to_the_max_norm_and_leaves_small_gradients() -> None:
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]
    assert optimizers.clip_grad_norm_(grads, 1.0) == 5.0
    total = math.sqrt(sum(float(np.sum(grad**2)) for grad in grads))
    assert total == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(grads[0] / grads[1].ravel()[0], [0.75, 0.0])  # direction kept
    small = [np.array([0.3, 0.4])]
    assert optimizers.clip_grad_norm_(small, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(small[0], [0.3, 0.4])
