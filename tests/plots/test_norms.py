"""Tests of plots/norms.py on their own: finite differences, invariants and hand-computed values.

The comparison with PyTorch itself is in test_norms_torch.py.
"""

from collections.abc import Callable

import numpy as np
import pytest

from plots.norms import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
    rms_norm,
    running_average_factor,
)
from plots.norms_backward import (
    batch_norm_backward,
    group_norm_backward,
    layer_norm_backward,
    rms_norm_backward,
)

Array = np.ndarray
Forward = Callable[[Array, Array | None, Array | None], Array]
Backward = Callable[[Array, Array, Array | None], tuple[Array, ...]]


def rel_error(a: Array, b: Array) -> float:
    """CS231n relative error: max over elements of |a - b| / max(1e-8, |a| + |b|)."""
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numerical_gradient(f: Callable[[Array], Array], value: Array, upstream: Array) -> Array:
    """Gradient of ``sum(f(value) * upstream)`` with respect to ``value`` by fourth-order central
    differences, ``(-f(v + 2h) + 8 f(v + h) - 8 f(v - h) + f(v - 2h)) / 12h``.

    Fourth order lets h be large (truncation error ~h**4, roundoff ~eps / h, both ~1e-12 here),
    which the CS231n relative error needs on gradient entries as small as 1e-4; the classic
    two-point stencil's roundoff (~1e-10) exceeds 1e-7 of those. ``value`` is restored on return.
    """
    h = 1e-3
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        original = value[index]
        terms = []
        for step in (2 * h, h, -h, -2 * h):
            value[index] = original + step
            terms.append(f(value))
        value[index] = original
        difference = -terms[0] + 8 * terms[1] - 8 * terms[2] + terms[3]
        grad[index] = np.sum(difference * upstream) / (12 * h)
    return grad


def _bn_case(shape: tuple[int, ...]):
    return pytest.param(
        shape,
        (shape[1],),
        lambda x, w, b: batch_norm(x, None, None, w, b, training=True),
        batch_norm_backward,
        id=f"batch_norm-{shape}",
    )


def _ln_case(shape: tuple[int, ...], normalized_shape: tuple[int, ...]):
    return pytest.param(
        shape,
        normalized_shape,
        lambda x, w, b: layer_norm(x, normalized_shape, w, b),
        lambda dy, x, w: layer_norm_backward(dy, x, normalized_shape, w),
        id=f"layer_norm-{shape}-{normalized_shape}",
    )


def _gn_case(shape: tuple[int, ...], num_groups: int):
    return pytest.param(
        shape,
        (shape[1],),
        lambda x, w, b: group_norm(x, num_groups, w, b),
        lambda dy, x, w: group_norm_backward(dy, x, num_groups, w),
        id=f"group_norm-{shape}-G{num_groups}",
    )


def _rms_case(shape: tuple[int, ...], normalized_shape: tuple[int, ...], eps: float | None):
    return pytest.param(
        shape,
        normalized_shape,
        lambda x, w, b: rms_norm(x, normalized_shape, w, eps),
        lambda dy, x, w: rms_norm_backward(dy, x, normalized_shape, w, eps),
        id=f"rms_norm-{shape}-{normalized_shape}-eps{eps}",
    )


GRADIENT_CASES = [
    _bn_case((5, 3)),
    _bn_case((3, 2, 4)),
    _bn_case((2, 3, 2, 3)),
    _ln_case((4, 5), (5,)),
    _ln_case((2, 3, 4), (4,)),
    _ln_case((2, 3, 4), (3, 4)),
    _ln_case((2, 2, 2, 3), (2, 3)),
    _gn_case((3, 6), 2),
    _gn_case((2, 6, 3), 3),
    _gn_case((2, 4, 2, 3), 2),
    _gn_case((2, 4, 2, 2), 1),
    _gn_case((2, 3, 2, 2), 3),
    _rms_case((4, 5), (5,), None),
    _rms_case((2, 3, 4), (3, 4), 1e-3),
    _rms_case((2, 2, 2, 3), (2, 3), None),
]


@pytest.mark.parametrize("weighted", [True, False], ids=["affine", "no-affine"])
@pytest.mark.parametrize(("shape", "param_shape", "forward", "backward"), GRADIENT_CASES)
def test_backward_matches_central_differences(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    param_shape: tuple[int, ...],
    forward: Forward,
    backward: Backward,
    weighted: bool,
) -> None:
    x = rng.normal(loc=0.5, scale=2.0, size=shape)
    upstream = rng.normal(size=shape)  # random: an all-ones upstream makes BN's dx exactly 0
    gamma = rng.normal(size=param_shape) if weighted else np.ones(param_shape)
    beta = rng.normal(size=param_shape) if weighted else np.zeros(param_shape)
    weight, bias = (gamma, beta) if weighted else (None, None)

    grads = backward(upstream, x, weight)

    dx = numerical_gradient(lambda v: forward(v, weight, bias), x.copy(), upstream)
    dgamma = numerical_gradient(lambda v: forward(x, v, beta), gamma.copy(), upstream)
    assert np.abs(dx).max() > 1e-2  # the check below is not vacuous
    assert rel_error(grads[0], dx) < 1e-7
    assert rel_error(grads[1], dgamma) < 1e-7
    if len(grads) == 3:  # rms_norm has no bias
        dbeta = numerical_gradient(lambda v: forward(x, gamma, v), beta.copy(), upstream)
        assert rel_error(grads[2], dbeta) < 1e-7


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 4, 4)])
@pytest.mark.parametrize("weighted", [True, False], ids=["affine", "no-affine"])
def test_batch_norm_grad_input_is_orthogonal_to_ones_and_x_hat(
    rng: np.random.Generator, shape: tuple[int, ...], weighted: bool
) -> None:
    # sum(dx) = 0 holds for any eps; sum(dx * x_hat) = rstd * sum(g * x_hat) * eps / (var + eps),
    # so it is exactly 0 only with eps = 0.
    x = rng.normal(loc=-1.0, scale=3.0, size=shape)
    upstream = rng.normal(size=shape)
    weight = rng.normal(size=shape[1]) if weighted else None
    axes = (0, *range(2, len(shape)))
    x_hat = batch_norm(x, None, None, training=True, eps=0.0)

    dx, _, _ = batch_norm_backward(upstream, x, weight, eps=0.0)

    assert np.abs(dx).max() > 0.1
    np.testing.assert_allclose(dx.sum(axis=axes), 0.0, atol=1e-10)
    np.testing.assert_allclose((dx * x_hat).sum(axis=axes), 0.0, atol=1e-10)
    np.testing.assert_allclose(
        batch_norm_backward(upstream, x, weight)[0].sum(axis=axes), 0.0, atol=1e-10
    )


def _per_channel(y: Array) -> Array:
    return np.moveaxis(y, 1, 0).reshape(y.shape[1], -1)


NORMALIZED_GROUPS = [
    pytest.param(
        lambda x: batch_norm(x, None, None, training=True, eps=0.0),
        (7, 3),
        _per_channel,
        id="batch_norm-2d",
    ),
    pytest.param(
        lambda x: batch_norm(x, None, None, training=True, eps=0.0),
        (2, 3, 4, 5),
        _per_channel,
        id="batch_norm-4d",
    ),
    pytest.param(
        lambda x: layer_norm(x, (4, 5), eps=0.0),
        (2, 3, 4, 5),
        lambda y: y.reshape(6, 20),
        id="layer_norm",
    ),
    pytest.param(
        lambda x: group_norm(x, 2, eps=0.0),
        (2, 6, 4),
        lambda y: y.reshape(4, 12),
        id="group_norm",
    ),
    pytest.param(
        lambda x: instance_norm(x, eps=0.0),
        (2, 3, 4, 5),
        lambda y: y.reshape(6, 20),
        id="instance_norm",
    ),
]


@pytest.mark.parametrize(("normalize", "shape", "groups"), NORMALIZED_GROUPS)
def test_normalized_output_has_zero_mean_and_unit_biased_variance(
    rng: np.random.Generator,
    normalize: Callable[[Array], Array],
    shape: tuple[int, ...],
    groups: Callable[[Array], Array],
) -> None:
    x = rng.normal(loc=4.0, scale=2.5, size=shape) * rng.uniform(0.5, 3.0, size=shape[-1])
    y = groups(normalize(x))
    np.testing.assert_allclose(y.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=1), 1.0, rtol=1e-12)
    assert np.abs(groups(x).var(axis=1) - 1).min() > 0.1  # the input was not normalized already


def test_rms_norm_output_has_unit_mean_square(rng: np.random.Generator) -> None:
    x = rng.normal(loc=2.0, scale=3.0, size=(2, 3, 4, 5))
    y = rms_norm(x, (4, 5), eps=0.0)
    np.testing.assert_allclose((y**2).mean(axis=(2, 3)), 1.0, rtol=1e-12)
    assert abs(y.mean()) > 0.1  # unlike layer_norm, no centering


def test_rms_norm_hand_computed_and_default_eps() -> None:
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    expected = np.array([[3.0, 4.0] / np.sqrt(12.5 + np.finfo(np.float64).eps), [0.0, 0.0]])
    np.testing.assert_allclose(rms_norm(x, 2), expected, rtol=1e-15)
    np.testing.assert_allclose(
        rms_norm(x, (2,), np.array([2.0, -1.0]), eps=0.5)[0], [6, -4] / np.sqrt(13)
    )
    x32 = x.astype(np.float32)
    assert rms_norm(x32, 2)[0, 0] == np.float32(3) / np.sqrt(
        np.float32(12.5) + np.finfo(np.float32).eps
    )


def test_batch_norm_eval_uses_running_statistics() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    running_mean, running_var = np.array([1.0, 2.0]), np.array([4.0, 9.0])
    y = batch_norm(
        x, running_mean, running_var, np.array([2.0, 3.0]), np.array([0.5, -1.0]), eps=0.0
    )
    # channel 0: (x - 1) / 2 * 2 + 0.5; channel 1: (x - 2) / 3 * 3 - 1
    np.testing.assert_allclose(y, [[0.5, -1.0], [2.5, 1.0]], rtol=1e-15)
    np.testing.assert_array_equal(running_mean, [1.0, 2.0])  # eval never updates
    np.testing.assert_array_equal(running_var, [4.0, 9.0])
    with pytest.raises(ValueError, match="running_var must be defined in evaluation mode"):
        batch_norm(x, None, running_var)


@pytest.mark.parametrize("momentum", [0.1, 0.5, 1.0, 0.0])
def test_batch_norm_training_updates_running_stats_in_place_with_unbiased_variance(
    momentum: float,
) -> None:
    # One channel holding 1, 3, 5, 7: mean 4, biased variance 5, unbiased variance 20 / 3.
    x = np.array([[[1.0, 3.0]], [[5.0, 7.0]]])
    running_mean, running_var = np.array([0.0]), np.array([1.0])

    y = batch_norm(x, running_mean, running_var, training=True, momentum=momentum, eps=0.0)

    np.testing.assert_allclose(y, (x - 4.0) / np.sqrt(5.0), rtol=1e-15)
    np.testing.assert_allclose(running_mean, [momentum * 4.0], rtol=1e-15)
    np.testing.assert_allclose(running_var, [(1 - momentum) + momentum * 20.0 / 3.0], rtol=1e-15)


def test_batch_norm_training_without_running_stats_matches_with_them(
    rng: np.random.Generator,
) -> None:
    x = rng.normal(size=(4, 3, 5))
    running_mean, running_var = np.zeros(3), np.ones(3)
    y = batch_norm(x, running_mean, running_var, training=True)
    assert y is not running_mean
    assert not np.array_equal(running_mean, np.zeros(3))
    np.testing.assert_array_equal(batch_norm(x, None, None, training=True), y)


def test_instance_norm_updates_running_stats_with_batch_averaged_unbiased_variance() -> None:
    # Instances [1, 3] and [5, 9]: means 2 and 7, unbiased variances 2 and 8.
    x = np.array([[[1.0, 3.0]], [[5.0, 9.0]]])
    running_mean, running_var = np.array([0.0]), np.array([1.0])

    y = instance_norm(x, running_mean, running_var, momentum=0.1, eps=0.0)

    np.testing.assert_allclose(y, [[[-1.0, 1.0]], [[-1.0, 1.0]]], rtol=1e-15)
    np.testing.assert_allclose(running_mean, [0.1 * (2 + 7) / 2], rtol=1e-15)
    np.testing.assert_allclose(running_var, [0.9 + 0.1 * (2 + 8) / 2], rtol=1e-15)


def test_instance_norm_eval_uses_running_statistics() -> None:
    x = np.array([[[1.0, 5.0], [2.0, 8.0]]])
    running_mean, running_var = np.array([1.0, 2.0]), np.array([4.0, 9.0])
    y = instance_norm(
        x, running_mean, running_var, np.array([2.0, 1.0]), np.array([0.0, 1.0]), False, eps=0.0
    )
    np.testing.assert_allclose(y, [[[0.0, 4.0], [1.0, 3.0]]], rtol=1e-15)
    np.testing.assert_array_equal(running_mean, [1.0, 2.0])


@pytest.mark.parametrize(
    ("momentum", "num_batches_tracked", "expected"),
    [
        (0.1, 1, 0.1),
        (0.1, 7, 0.1),
        (0.3, 100, 0.3),
        (None, 1, 1.0),
        (None, 2, 0.5),
        (None, 8, 0.125),
    ],
)
def test_running_average_factor(
    momentum: float | None, num_batches_tracked: int, expected: float
) -> None:
    assert running_average_factor(momentum, num_batches_tracked) == expected


def test_running_average_factor_none_gives_cumulative_average(rng: np.random.Generator) -> None:
    batches = [rng.normal(loc=i, size=(4, 2, 3)) for i in range(5)]
    running_mean, running_var = np.full(2, 123.0), np.full(2, 456.0)
    for step, x in enumerate(batches, start=1):
        factor = running_average_factor(None, step)
        batch_norm(x, running_mean, running_var, training=True, momentum=factor)
    np.testing.assert_allclose(
        running_mean, np.mean([x.mean(axis=(0, 2)) for x in batches], axis=0)
    )
    unbiased = [x.transpose(1, 0, 2).reshape(2, -1).var(axis=1, ddof=1) for x in batches]
    np.testing.assert_allclose(running_var, np.mean(unbiased, axis=0))
    with pytest.raises(ValueError, match="num_batches_tracked"):
        running_average_factor(None, 0)


@pytest.mark.parametrize("shape", [(1, 3), (1, 3, 1), (1, 3, 1, 1)])
def test_batch_norm_training_rejects_one_value_per_channel(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        batch_norm(np.ones(shape), None, None, training=True)
    assert batch_norm(np.ones(shape), np.zeros(3), np.ones(3)).shape == shape  # eval is fine


@pytest.mark.parametrize("shape", [(1, 3, 2, 2), (1, 3, 2), (2, 3)])
def test_batch_norm_training_accepts_more_than_one_value_per_channel(
    rng: np.random.Generator, shape: tuple[int, ...]
) -> None:
    y = batch_norm(rng.normal(size=shape), None, None, training=True, eps=0.0)
    np.testing.assert_allclose(_per_channel(y).var(axis=1), 1.0, rtol=1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: instance_norm(np.ones((2, 3, 1))), "Expected more than 1 spatial element"),
        (lambda: instance_norm(np.ones((2, 3))), "Expected more than 1 spatial element"),
        (lambda: instance_norm(np.ones((2, 3, 2)), use_input_stats=False), "running_mean"),
        (lambda: group_norm(np.ones((2, 5)), 2), "divisible by num_groups"),
        (lambda: group_norm(np.ones((1, 3)), 3), "more than 1 value per channel"),
        (lambda: group_norm_backward(np.ones((2, 5, 3)), np.ones((2, 5, 3)), 3), "divisible"),
        (lambda: layer_norm(np.ones((2, 3)), (4,)), "normalized_shape"),
        (lambda: layer_norm(np.ones((2, 3)), (2, 2, 3)), "normalized_shape"),
        (lambda: rms_norm(np.ones((2, 3)), ()), "normalized_shape"),
        (lambda: layer_norm(np.ones((2, 3)), 3, np.ones(4)), r"weight must have shape \(3,\)"),
        (lambda: batch_norm(np.ones((2, 3)), None, None, np.ones(2), training=True), "weight"),
        (lambda: batch_norm(np.ones(3), None, None, training=True), r"\(N, C, \*\)"),
        (
            lambda: batch_norm(np.eye(3), [0.0] * 3, None, training=True),
            "running_mean must be an ndarray of shape",
        ),
        (
            lambda: instance_norm(np.ones((2, 3, 2)), None, np.ones(2)),
            r"running_var must be an ndarray of shape \(3,\)",
        ),
        (lambda: layer_norm_backward(np.ones((2, 4)), np.ones((2, 3)), 3), "grad_output shape"),
    ],
)
def test_invalid_arguments_raise_value_error(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_integer_input_raises_type_error() -> None:
    with pytest.raises(TypeError, match="floating dtype"):
        layer_norm(np.ones((2, 3), dtype=np.int64), 3)


def test_group_norm_special_cases_match_layer_and_instance_norm(rng: np.random.Generator) -> None:
    x = rng.normal(size=(2, 4, 3, 3))
    np.testing.assert_allclose(group_norm(x, 1), layer_norm(x, (4, 3, 3)), rtol=1e-13)
    np.testing.assert_allclose(group_norm(x, 4), instance_norm(x), rtol=1e-13)


def test_int_normalized_shape_equals_one_tuple(rng: np.random.Generator) -> None:
    x, upstream, weight = rng.normal(size=(3, 5)), rng.normal(size=(3, 5)), rng.normal(size=5)
    np.testing.assert_array_equal(layer_norm(x, 5, weight), layer_norm(x, (5,), weight))
    np.testing.assert_array_equal(rms_norm(x, 5, weight), rms_norm(x, [5], weight))
    for int_grad, tuple_grad in zip(
        layer_norm_backward(upstream, x, 5, weight),
        layer_norm_backward(upstream, x, (5,), weight),
        strict=True,
    ):
        np.testing.assert_array_equal(int_grad, tuple_grad)


FLOAT32_CALLS = [
    pytest.param(lambda x, w: batch_norm(x, None, None, w, w, training=True), id="batch_norm"),
    pytest.param(lambda x, w: batch_norm(x, w * 0, w * w, w, w), id="batch_norm-eval"),
    pytest.param(lambda x, w: instance_norm(x, None, None, w, w), id="instance_norm"),
    pytest.param(lambda x, w: layer_norm(x, 4, w, w), id="layer_norm"),
    pytest.param(lambda x, w: group_norm(x, 2, w, w), id="group_norm"),
    pytest.param(lambda x, w: rms_norm(x, 4, w), id="rms_norm"),
    pytest.param(lambda x, w: batch_norm_backward(x[::-1], x, w), id="batch_norm_backward"),
    pytest.param(lambda x, w: layer_norm_backward(x[::-1], x, 4, w), id="layer_norm_backward"),
    pytest.param(lambda x, w: group_norm_backward(x[::-1], x, 2, w), id="group_norm_backward"),
    pytest.param(lambda x, w: rms_norm_backward(x[::-1], x, 4, w), id="rms_norm_backward"),
]


@pytest.mark.parametrize("call", FLOAT32_CALLS)
def test_float32_in_float32_out(rng: np.random.Generator, call: Callable[..., object]) -> None:
    x, weight = rng.normal(size=(3, 4, 4)), rng.uniform(0.5, 2.0, size=4)
    # float64 parameters must not promote a float32 computation
    results32 = call(x.astype(np.float32), weight)
    results64 = call(x, weight)
    for result32, result64 in zip(
        results32 if isinstance(results32, tuple) else (results32,),
        results64 if isinstance(results64, tuple) else (results64,),
        strict=True,
    ):
        assert result32.dtype == np.float32
        assert result64.dtype == np.float64
        np.testing.assert_allclose(result32, result64, rtol=1e-4, atol=1e-4)


def test_running_stats_keep_their_dtype(rng: np.random.Generator) -> None:
    running_mean, running_var = np.zeros(3, dtype=np.float32), np.ones(3, dtype=np.float32)
    batch_norm(rng.normal(size=(4, 3)), running_mean, running_var, training=True)
    assert running_mean.dtype == running_var.dtype == np.float32
    assert np.all(running_mean != 0)
