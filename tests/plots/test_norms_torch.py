"""plots/norms.py against torch.nn.functional (forward) and torch autograd (backward), float64.

Error measure: ``max_relative_error(actual, expected) = max|actual - expected| / max|expected|``,
a normwise relative error. It is well defined when some expected entries are ~0 (an elementwise
relative error is not: gradients of normalizations have entries near 0), yet still scale-free.
Every comparison must be below 1e-10; the largest observed is ~1e-14 (see _conditioned_eps for
the one family of cases where float64 itself cannot reach 1e-10 with the default eps).
"""

import math
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

torch = pytest.importorskip(
    "torch",
    reason="PyTorch not installed: install the 'torch' extra (pip install torch==2.13.0) "
    "to compare with torch.nn.functional",
)
F = torch.nn.functional

Array = np.ndarray
TOLERANCE = 1e-10
AFFINE = ["none", "weight", "bias", "weight+bias"]


def max_relative_error(actual: Array, expected: Array) -> float:
    """``max|actual - expected| / max|expected|`` (0 when both are all zeros)."""
    assert actual.shape == expected.shape
    scale = np.abs(expected).max()
    return float(np.abs(actual - expected).max() / scale) if scale > 0 else float(actual.any())


def assert_matches(actual: Array, expected: "torch.Tensor") -> None:
    assert actual.dtype == np.float64
    assert max_relative_error(actual, expected.detach().numpy()) < TOLERANCE


def tensor(array: Array | None) -> "torch.Tensor | None":
    """A float64 torch copy of ``array`` (so in-place updates on either side stay separate)."""
    return None if array is None else torch.tensor(array, dtype=torch.float64)


def affine_params(
    rng: np.random.Generator, affine: str, shape: tuple[int, ...]
) -> tuple[Array | None, Array | None]:
    weight = rng.normal(size=shape) if "weight" in affine else None
    bias = rng.normal(size=shape) if "bias" in affine else None
    return weight, bias


def random_input(rng: np.random.Generator, shape: tuple[int, ...]) -> Array:
    return rng.normal(loc=1.5, scale=2.0, size=shape)


# ---------------------------------------------------------------- batch_norm


@pytest.mark.parametrize("shape", [(2, 3), (5, 3), (2, 3, 5), (2, 3, 4, 5), (1, 3, 2, 2)])
@pytest.mark.parametrize("affine", AFFINE)
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
def test_batch_norm_matches_torch_over_running_steps(
    rng: np.random.Generator, shape: tuple[int, ...], affine: str, training: bool
) -> None:
    weight, bias = affine_params(rng, affine, (shape[1],))
    running_mean, running_var = rng.normal(size=shape[1]), rng.uniform(0.5, 2.0, size=shape[1])
    torch_mean, torch_var = tensor(running_mean), tensor(running_var)
    for _ in range(5):
        x = random_input(rng, shape)
        y = batch_norm(x, running_mean, running_var, weight, bias, training, 0.2)
        expected = F.batch_norm(
            tensor(x), torch_mean, torch_var, tensor(weight), tensor(bias), training, 0.2
        )
        assert_matches(y, expected)
        assert_matches(running_mean, torch_mean)
        assert_matches(running_var, torch_var)


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 5), (2, 3, 4, 5)])
def test_batch_norm_training_without_running_stats_matches_torch(
    rng: np.random.Generator, shape: tuple[int, ...]
) -> None:
    x = random_input(rng, shape)
    assert_matches(
        batch_norm(x, None, None, training=True), F.batch_norm(tensor(x), None, None, training=True)
    )


@pytest.mark.parametrize("momentum", [None, 0.1, 0.5])
def test_running_average_factor_reproduces_batch_norm_module(
    rng: np.random.Generator, momentum: float | None
) -> None:
    module = torch.nn.BatchNorm2d(3, momentum=momentum, dtype=torch.float64)
    running_mean, running_var = np.zeros(3), np.ones(3)
    for step in range(1, 6):
        x = random_input(rng, (2, 3, 4, 4)) * step
        expected = module(tensor(x))
        factor = running_average_factor(momentum, step)
        y = batch_norm(x, running_mean, running_var, training=True, momentum=factor)
        assert module.num_batches_tracked.item() == step
        assert_matches(y, expected)
        assert_matches(running_mean, module.running_mean)
        assert_matches(running_var, module.running_var)


@pytest.mark.parametrize(
    "shape", [(1, 3), (1, 3, 1), (1, 3, 1, 1), (1, 3, 2), (1, 3, 2, 2), (2, 3), (2, 3, 1, 1)]
)
@pytest.mark.parametrize(
    ("numpy_call", "torch_call"),
    [
        pytest.param(
            lambda x: batch_norm(x, None, None, training=True),
            lambda x: F.batch_norm(x, None, None, training=True),
            id="batch_norm",
        ),
        pytest.param(instance_norm, F.instance_norm, id="instance_norm"),
        pytest.param(lambda x: group_norm(x, 3), lambda x: F.group_norm(x, 3), id="group_norm-G3"),
    ],
)
def test_value_errors_mirror_torch(
    shape: tuple[int, ...], numpy_call: Callable[[Array], Array], torch_call: Callable
) -> None:
    x = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    try:
        expected = torch_call(tensor(x))
    except ValueError:
        with pytest.raises(ValueError, match="Expected more than 1"):
            numpy_call(x)
    else:
        assert_matches(numpy_call(x), expected)


# ---------------------------------------------------------------- instance_norm


@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 3, 4, 5), (1, 2, 3, 3)])
@pytest.mark.parametrize("affine", AFFINE)
def test_instance_norm_matches_torch_with_running_stats_then_eval(
    rng: np.random.Generator, shape: tuple[int, ...], affine: str
) -> None:
    weight, bias = affine_params(rng, affine, (shape[1],))
    running_mean, running_var = rng.normal(size=shape[1]), rng.uniform(0.5, 2.0, size=shape[1])
    torch_mean, torch_var = tensor(running_mean), tensor(running_var)
    for use_input_stats in [True] * 5 + [False]:
        x = random_input(rng, shape)
        y = instance_norm(x, running_mean, running_var, weight, bias, use_input_stats, momentum=0.3)
        expected = F.instance_norm(
            tensor(x), torch_mean, torch_var, tensor(weight), tensor(bias), use_input_stats, 0.3
        )
        assert_matches(y, expected)
        assert_matches(running_mean, torch_mean)
        assert_matches(running_var, torch_var)


@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 3, 4, 5)])
@pytest.mark.parametrize("affine", AFFINE)
def test_instance_norm_without_running_stats_matches_torch(
    rng: np.random.Generator, shape: tuple[int, ...], affine: str
) -> None:
    x = random_input(rng, shape)
    weight, bias = affine_params(rng, affine, (shape[1],))
    expected = F.instance_norm(tensor(x), weight=tensor(weight), bias=tensor(bias), eps=1e-3)
    assert_matches(instance_norm(x, weight=weight, bias=bias, eps=1e-3), expected)


# ---------------------------------------------------------------- layer, group and RMS norm

LAYER_SHAPES = [((2, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4)), ((2, 3, 4, 5), (4, 5))]


@pytest.mark.parametrize(("shape", "normalized_shape"), LAYER_SHAPES)
@pytest.mark.parametrize("affine", AFFINE)
def test_layer_norm_matches_torch(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    normalized_shape: tuple[int, ...],
    affine: str,
) -> None:
    x = random_input(rng, shape)
    weight, bias = affine_params(rng, affine, normalized_shape)
    expected = F.layer_norm(tensor(x), normalized_shape, tensor(weight), tensor(bias))
    assert_matches(layer_norm(x, normalized_shape, weight, bias), expected)
    if len(normalized_shape) == 1:  # F.layer_norm rejects an int; nn.LayerNorm and we accept it
        assert_matches(layer_norm(x, normalized_shape[0], weight, bias), expected)


GROUP_SHAPES = [((2, 6), 3), ((2, 6, 5), 2), ((2, 6, 3, 4), 3), ((2, 6, 3, 4), 1), ((1, 6, 2), 6)]


@pytest.mark.parametrize(("shape", "num_groups"), GROUP_SHAPES)
@pytest.mark.parametrize("affine", AFFINE)
def test_group_norm_matches_torch(
    rng: np.random.Generator, shape: tuple[int, ...], num_groups: int, affine: str
) -> None:
    x = random_input(rng, shape)
    weight, bias = affine_params(rng, affine, (shape[1],))
    expected = F.group_norm(tensor(x), num_groups, tensor(weight), tensor(bias))
    assert_matches(group_norm(x, num_groups, weight, bias), expected)


@pytest.mark.parametrize(("shape", "normalized_shape"), LAYER_SHAPES)
@pytest.mark.parametrize("weighted", [True, False], ids=["weight", "no-weight"])
@pytest.mark.parametrize("eps", [None, 1e-6, 0.1])
def test_rms_norm_matches_torch(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    normalized_shape: tuple[int, ...],
    weighted: bool,
    eps: float | None,
) -> None:
    x = random_input(rng, shape)
    weight = rng.normal(size=normalized_shape) if weighted else None
    expected = F.rms_norm(tensor(x), normalized_shape, tensor(weight), eps)
    assert_matches(rms_norm(x, normalized_shape, weight, eps), expected)


@pytest.mark.parametrize(
    ("dtype", "torch_dtype", "scale", "tolerance"),
    [(np.float64, torch.float64, 1e-8, TOLERANCE), (np.float32, torch.float32, 1e-4, 1e-6)],
)
def test_rms_norm_default_eps_is_that_of_the_input_dtype(
    rng: np.random.Generator,
    dtype: type,
    torch_dtype: "torch.dtype",
    scale: float,
    tolerance: float,
) -> None:
    # Inputs so small that mean(x**2) is comparable with finfo(dtype).eps: the default matters.
    x = (rng.normal(size=(3, 8)) * scale).astype(dtype)
    y = rms_norm(x, (8,))
    expected = F.rms_norm(torch.tensor(x, dtype=torch_dtype), (8,)).numpy()
    assert y.dtype == dtype
    assert max_relative_error(y, expected) < tolerance
    assert max_relative_error(rms_norm(x, (8,), eps=0.0), expected) > 1e-2


# ---------------------------------------------------------------- backward vs autograd


def torch_gradients(forward: Callable, upstream: Array, *arrays: Array) -> list["torch.Tensor"]:
    """Gradients of ``sum(forward(*arrays) * upstream)`` with respect to each array."""
    leaves = [tensor(array).requires_grad_() for array in arrays]
    forward(*leaves).backward(tensor(upstream))
    return [leaf.grad for leaf in leaves]


def _case(
    name: str, shape: tuple[int, ...], param_shape: tuple[int, ...], numpy_backward, torch_forward
):
    return pytest.param(shape, param_shape, numpy_backward, torch_forward, id=f"{name}-{shape}")


def _conditioned_eps(values_per_group: int) -> float:
    """eps for a backward comparison over groups of ``values_per_group`` values.

    With two values per group ``x_hat = +-sqrt(var / (var + eps))`` and the exact input gradient
    is O(eps / var) times ``grad_output``: it is what is left of terms ~var / eps larger that
    cancel, so any float64 implementation, torch's included, has a relative error of about
    1e-16 * var / eps, up to ~5e-10 with eps = 1e-5. A larger eps keeps those comparisons
    meaningful at 1e-10; the other shapes use the default.
    """
    return 1e-5 if values_per_group > 2 else 0.1


def _bn_case(shape: tuple[int, ...]):
    eps = _conditioned_eps(math.prod(shape) // shape[1])
    return _case(
        f"batch_norm-eps{eps}",
        shape,
        (shape[1],),
        lambda dy, x, w: batch_norm_backward(dy, x, w, eps),
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True, eps=eps),
    )


def _ln_case(shape: tuple[int, ...], normalized_shape: tuple[int, ...]):
    return _case(
        f"layer_norm{normalized_shape}",
        shape,
        normalized_shape,
        lambda dy, x, w: layer_norm_backward(dy, x, normalized_shape, w),
        lambda x, w, b: F.layer_norm(x, normalized_shape, w, b),
    )


def _gn_case(shape: tuple[int, ...], num_groups: int):
    eps = _conditioned_eps(math.prod(shape[1:]) // num_groups)
    return _case(
        f"group_norm-G{num_groups}-eps{eps}",
        shape,
        (shape[1],),
        lambda dy, x, w: group_norm_backward(dy, x, num_groups, w, eps),
        lambda x, w, b: F.group_norm(x, num_groups, w, b, eps),
    )


def _rms_case(shape: tuple[int, ...], normalized_shape: tuple[int, ...], eps: float | None):
    return _case(
        f"rms_norm{normalized_shape}-eps{eps}",
        shape,
        normalized_shape,
        lambda dy, x, w: rms_norm_backward(dy, x, normalized_shape, w, eps),
        lambda x, w, b: F.rms_norm(x, normalized_shape, w, eps),
    )


BACKWARD_CASES = [
    _bn_case((2, 3)),
    _bn_case((6, 4)),
    _bn_case((2, 3, 5)),
    _bn_case((2, 3, 4, 5)),
    _bn_case((1, 3, 2, 2)),
    *(_ln_case(shape, normalized_shape) for shape, normalized_shape in LAYER_SHAPES),
    *(_gn_case(shape, num_groups) for shape, num_groups in GROUP_SHAPES),
    *(_rms_case(shape, normalized_shape, None) for shape, normalized_shape in LAYER_SHAPES),
    _rms_case((2, 3, 4), (3, 4), 1e-3),
]


@pytest.mark.parametrize("weighted", [True, False], ids=["affine", "no-affine"])
@pytest.mark.parametrize(
    ("shape", "param_shape", "numpy_backward", "torch_forward"), BACKWARD_CASES
)
def test_backward_matches_torch_autograd(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    param_shape: tuple[int, ...],
    numpy_backward: Callable,
    torch_forward: Callable,
    weighted: bool,
) -> None:
    x, upstream = random_input(rng, shape), rng.normal(size=shape)
    weight = rng.normal(size=param_shape) if weighted else None
    bias = rng.normal(size=param_shape)

    grads = numpy_backward(upstream, x, weight)

    # Parameter gradients at (weight or 1, bias): what we return for weight=None too.
    gamma = np.ones(param_shape) if weight is None else weight
    expected = torch_gradients(torch_forward, upstream, x, gamma, bias)
    if weight is None:  # the input gradient without any affine map, as torch computes it
        expected[0] = torch_gradients(lambda t: torch_forward(t, None, None), upstream, x)[0]
    expected = [grad for grad in expected if grad is not None]  # rms_norm has no bias
    for grad, expected_grad in zip(grads, expected, strict=True):
        assert grad.shape == expected_grad.shape
        assert_matches(grad, expected_grad)
