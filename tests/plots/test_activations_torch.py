"""plots/activations.py against torch.nn.functional (forward) and torch autograd (backward).

Float64, normwise relative error ``max|actual - expected| / max|expected|`` below 1e-12 on random
inputs that include the kinks and the far tails; float32 within float32 rounding.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from plots import activations as A  # noqa: N812

torch = pytest.importorskip(
    "torch",
    reason="PyTorch not installed: install the 'torch' extra (pip install torch==2.13.0) "
    "to compare with torch.nn.functional",
)
F = torch.nn.functional

TOLERANCE = 1e-12
SHAPES = [(7,), (3, 5), (2, 3, 4)]

# name, our forward, our backward, torch forward, keyword arguments (each set is one case)
CASES: list[
    tuple[str, Callable[..., Any], Callable[..., Any], Callable[..., Any], dict[str, Any]]
] = [
    ("relu", A.relu, A.relu_backward, F.relu, {}),
    ("leaky_relu", A.leaky_relu, A.leaky_relu_backward, F.leaky_relu, {}),
    ("leaky_relu", A.leaky_relu, A.leaky_relu_backward, F.leaky_relu, {"negative_slope": 0.2}),
    ("gelu", A.gelu, A.gelu_backward, F.gelu, {}),
    ("gelu", A.gelu, A.gelu_backward, F.gelu, {"approximate": "tanh"}),
    ("silu", A.silu, A.silu_backward, F.silu, {}),
    ("sigmoid", A.sigmoid, A.sigmoid_backward, torch.sigmoid, {}),
    ("tanh", A.tanh, A.tanh_backward, torch.tanh, {}),
    ("softplus", A.softplus, A.softplus_backward, F.softplus, {}),
    ("softplus", A.softplus, A.softplus_backward, F.softplus, {"beta": 2.0, "threshold": 5.0}),
]


def max_relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    assert actual.shape == expected.shape
    scale = np.abs(expected).max()
    return float(np.abs(actual - expected).max() / scale) if scale > 0 else float(actual.any())


def random_input(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Normal values at scale 4, with exact zeros and far tails mixed in."""
    x = rng.normal(scale=4.0, size=shape)
    flat = x.reshape(-1)
    flat[:: max(len(flat) // 3, 1)] = 0.0
    flat[1] = 40.0
    flat[-1] = -40.0
    return x


def torch_forward_backward(
    function: Callable[..., Any], x: np.ndarray, grad: np.ndarray, **kwargs: Any
) -> tuple[np.ndarray, np.ndarray]:
    tensor = torch.tensor(x, requires_grad=True)
    output = function(tensor, **kwargs)
    output.backward(torch.tensor(grad))
    return output.detach().numpy(), tensor.grad.numpy()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    ("name", "forward", "backward", "reference", "kwargs"),
    CASES,
    ids=[f"{case[0]}-{case[4]}" for case in CASES],
)
def test_activation_and_its_derivative_match_torch(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    name: str,
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    reference: Callable[..., Any],
    kwargs: dict[str, Any],
) -> None:
    x, grad = random_input(rng, shape), rng.normal(size=shape)
    expected_output, expected_grad = torch_forward_backward(reference, x, grad, **kwargs)
    output, input_grad = forward(x, **kwargs), backward(grad, x, **kwargs)
    assert output.dtype == input_grad.dtype == np.float64
    assert max_relative_error(output, expected_output) < TOLERANCE, name
    assert max_relative_error(input_grad, expected_grad) < TOLERANCE, name


@pytest.mark.parametrize(
    ("name", "forward", "backward", "reference", "kwargs"),
    CASES,
    ids=[f"{case[0]}-{case[4]}" for case in CASES],
)
def test_activation_in_float32_matches_torch_to_float32_rounding(
    rng: np.random.Generator,
    name: str,
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    reference: Callable[..., Any],
    kwargs: dict[str, Any],
) -> None:
    x = random_input(rng, (4, 6)).astype(np.float32)
    grad = rng.normal(size=(4, 6)).astype(np.float32)
    expected_output, expected_grad = torch_forward_backward(reference, x, grad, **kwargs)
    output, input_grad = forward(x, **kwargs), backward(grad, x, **kwargs)
    assert output.dtype == input_grad.dtype == np.float32
    assert max_relative_error(output, expected_output) < 1e-6, name
    assert max_relative_error(input_grad, expected_grad) < 1e-6, name


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("function", ["softmax", "log_softmax"])
def test_softmax_and_log_softmax_match_torch_along_every_dim(
    rng: np.random.Generator, shape: tuple[int, ...], function: str
) -> None:
    forward, backward = getattr(A, function), getattr(A, f"{function}_backward")
    for dim in range(-len(shape), len(shape)):
        x, grad = rng.normal(scale=5.0, size=shape), rng.normal(size=shape)
        expected_output, expected_grad = torch_forward_backward(
            getattr(F, function), x, grad, dim=dim
        )
        assert max_relative_error(forward(x, dim), expected_output) < TOLERANCE
        assert max_relative_error(backward(grad, x, dim), expected_grad) < TOLERANCE


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_dropout_scaling_and_backward_match_torch_for_torchs_own_mask(
    rng: np.random.Generator, p: float
) -> None:
    x, grad = rng.normal(size=(6, 9)), rng.normal(size=(6, 9))
    torch.manual_seed(0)
    output, mask = torch.ops.aten.native_dropout(torch.tensor(x), p, True)
    mask_array = mask.numpy()
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    expected_grad = torch.ops.aten.native_dropout_backward(torch.tensor(grad), mask, scale)
    assert max_relative_error(x * mask_array * scale, output.numpy()) < TOLERANCE
    ours = A.dropout_backward(grad, mask_array, p)
    np.testing.assert_array_equal(ours == 0, expected_grad.numpy() == 0)
    if p < 1.0:
        assert max_relative_error(ours, expected_grad.numpy()) < TOLERANCE


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_dropout_outside_training_and_at_the_extremes_is_torchs(
    rng: np.random.Generator, p: float
) -> None:
    x = rng.normal(size=(5, 5))
    np.testing.assert_array_equal(
        A.dropout(x, p, training=False), F.dropout(torch.tensor(x), p, training=False).numpy()
    )
    if p in (0.0, 1.0):
        np.testing.assert_array_equal(
            A.dropout(x, p, training=True, rng=rng),
            F.dropout(torch.tensor(x), p, training=True).numpy(),
        )
