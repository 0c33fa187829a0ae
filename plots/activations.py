"""NumPy reference implementations of activation functions of ``torch.nn.functional``, with their
derivatives.

Every forward function has the name, argument names, argument order, defaults and semantics of
its ``torch.nn.functional`` namesake (:func:`dropout` takes a NumPy generator ``rng`` where torch
uses its global generator). Each has a backward pass named ``<function>_backward(grad_output,
input, ...)`` that returns ``dL/dinput`` given ``grad_output = dL/doutput``, as torch autograd
computes it, including the value torch picks where the function has a kink (``relu`` at 0: 0).
:func:`dropout_backward` takes the mask instead, as ``torch.ops.aten.native_dropout_backward``
does. Computation happens in the input's floating dtype (float32 or float64), and results have
that dtype; every function is pure. The comparisons with torch are in
``tests/plots/test_activations_torch.py``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from plots.norms import Array, _as_float_array

__all__ = [
    "dropout",
    "dropout_backward",
    "dropout_mask",
    "gelu",
    "gelu_backward",
    "leaky_relu",
    "leaky_relu_backward",
    "log_softmax",
    "log_softmax_backward",
    "relu",
    "relu_backward",
    "sigmoid",
    "sigmoid_backward",
    "silu",
    "silu_backward",
    "softmax",
    "softmax_backward",
    "softplus",
    "softplus_backward",
    "tanh",
    "tanh_backward",
]

_GELU_APPROXIMATIONS = ("none", "tanh")
_GELU_KAPPA = 0.044715
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _grads(grad_output: ArrayLike, input: ArrayLike) -> tuple[Array, Array]:
    """Validate ``(grad_output, input)``; return both as arrays of the input's dtype."""
    x = _as_float_array(input)
    dy = np.asarray(_as_float_array(grad_output, "grad_output"), dtype=x.dtype)
    if dy.shape != x.shape:
        raise ValueError(f"grad_output shape {dy.shape} must equal input shape {x.shape}")
    return dy, x


def _scalar(x: Array, value: float) -> np.floating:
    """``value`` as a scalar of ``x``'s dtype, so float32 input is computed in float32."""
    return x.dtype.type(value)


# ---------------------------------------------------------------- rectifiers


def relu(input: ArrayLike) -> Array:
    """``max(input, 0)``."""
    x = _as_float_array(input)
    return np.maximum(x, _scalar(x, 0.0))


def relu_backward(grad_output: ArrayLike, input: ArrayLike) -> Array:
    """``grad_output`` where ``input > 0``, else 0 (0 at the kink, as torch)."""
    dy, x = _grads(grad_output, input)
    return np.where(x > 0, dy, _scalar(x, 0.0))


def leaky_relu(input: ArrayLike, negative_slope: float = 0.01) -> Array:
    """``input`` where positive, ``negative_slope * input`` elsewhere."""
    x = _as_float_array(input)
    return np.where(x > 0, x, x * _scalar(x, negative_slope))


def leaky_relu_backward(
    grad_output: ArrayLike, input: ArrayLike, negative_slope: float = 0.01
) -> Array:
    """``grad_output`` where ``input > 0``, else ``negative_slope * grad_output``."""
    dy, x = _grads(grad_output, input)
    return np.where(x > 0, dy, dy * _scalar(x, negative_slope))


# ---------------------------------------------------------------- gelu and silu


def _check_approximate(approximate: str) -> None:
    if approximate not in _GELU_APPROXIMATIONS:
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")


def _gelu_tanh_inner(x: Array) -> Array:
    """``sqrt(2 / pi) * (x + 0.044715 x^3)``, the argument of tanh in the approximation."""
    beta = _scalar(x, math.sqrt(2.0 / math.pi))
    return beta * (x + _scalar(x, _GELU_KAPPA) * x * x * x)


def _normal_cdf(x: Array) -> Array:
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, in ``x``'s dtype."""
    erf = _erf(x.astype(np.float64) / math.sqrt(2.0)).astype(x.dtype)
    return _scalar(x, 0.5) * (_scalar(x, 1.0) + erf)  # type: ignore[no-any-return]


def gelu(input: ArrayLike, approximate: str = "none") -> Array:
    """``x * Phi(x)`` with Phi the standard normal CDF; ``approximate='tanh'`` uses
    ``0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))``."""
    _check_approximate(approximate)
    x = _as_float_array(input)
    if approximate == "tanh":
        half = _scalar(x, 0.5)
        return half * x * (_scalar(x, 1.0) + np.tanh(_gelu_tanh_inner(x)))  # type: ignore[no-any-return]
    return x * _normal_cdf(x)


def gelu_backward(grad_output: ArrayLike, input: ArrayLike, approximate: str = "none") -> Array:
    """``grad_output * (Phi(x) + x phi(x))``, or the derivative of the tanh approximation."""
    _check_approximate(approximate)
    dy, x = _grads(grad_output, input)
    one, half = _scalar(x, 1.0), _scalar(x, 0.5)
    if approximate == "tanh":
        beta, kappa = _scalar(x, math.sqrt(2.0 / math.pi)), _scalar(x, _GELU_KAPPA)
        tanh_inner = np.tanh(_gelu_tanh_inner(x))
        left_derivative = half * (one + tanh_inner)
        right_derivative = (
            half * x * (one - tanh_inner * tanh_inner) * beta * (one + 3 * kappa * x * x)
        )
        return dy * (left_derivative + right_derivative)  # type: ignore[no-any-return]
    density = np.exp(-half * x * x) * _scalar(x, 1.0 / math.sqrt(2.0 * math.pi))
    return dy * (_normal_cdf(x) + x * density)  # type: ignore[no-any-return]


def silu(input: ArrayLike) -> Array:
    """``x * sigmoid(x)``, also called swish."""
    x = _as_float_array(input)
    return x * sigmoid(x)


def silu_backward(grad_output: ArrayLike, input: ArrayLike) -> Array:
    """``grad_output * s (1 + x (1 - s))`` with ``s = sigmoid(x)``."""
    dy, x = _grads(grad_output, input)
    s, one = sigmoid(x), _scalar(x, 1.0)
    return dy * s * (one + x * (one - s))


# ---------------------------------------------------------------- squashing functions


def sigmoid(input: ArrayLike) -> Array:
    """``1 / (1 + exp(-x))``, computed without overflow for large negative ``x``."""
    x = _as_float_array(input)
    one = _scalar(x, 1.0)
    z: Array = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, one / (one + z), z / (one + z))


def sigmoid_backward(grad_output: ArrayLike, input: ArrayLike) -> Array:
    """``grad_output * s (1 - s)`` with ``s = sigmoid(x)``."""
    dy, x = _grads(grad_output, input)
    s = sigmoid(x)
    return dy * s * (_scalar(x, 1.0) - s)


def tanh(input: ArrayLike) -> Array:
    """The hyperbolic tangent."""
    return np.tanh(_as_float_array(input))


def tanh_backward(grad_output: ArrayLike, input: ArrayLike) -> Array:
    """``grad_output * (1 - tanh(x)^2)``."""
    dy, x = _grads(grad_output, input)
    t = np.tanh(x)
    return dy * (_scalar(x, 1.0) - t * t)  # type: ignore[no-any-return]


def softplus(input: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> Array:
    """``log(1 + exp(beta x)) / beta``, and ``x`` itself where ``beta x > threshold`` (where the
    two agree to the dtype's precision), as torch."""
    x = _as_float_array(input)
    scaled = x * _scalar(x, beta)
    linear = scaled > threshold
    soft = np.log1p(np.exp(np.where(linear, _scalar(x, 0.0), scaled))) / _scalar(x, beta)
    return np.where(linear, x, soft)


def softplus_backward(
    grad_output: ArrayLike, input: ArrayLike, beta: float = 1.0, threshold: float = 20.0
) -> Array:
    """``grad_output * sigmoid(beta x)``, and ``grad_output`` where ``beta x > threshold``."""
    dy, x = _grads(grad_output, input)
    scaled = x * _scalar(x, beta)
    return np.where(scaled > threshold, dy, dy * sigmoid(scaled))


# ---------------------------------------------------------------- softmax


def softmax(input: ArrayLike, dim: int) -> Array:
    """``exp(x) / sum(exp(x))`` along ``dim``, shifted by the maximum so nothing overflows."""
    x = _as_float_array(input)
    shifted = np.exp(x - x.max(axis=dim, keepdims=True))
    return shifted / shifted.sum(axis=dim, keepdims=True)  # type: ignore[no-any-return]


def log_softmax(input: ArrayLike, dim: int) -> Array:
    """``x - log(sum(exp(x)))`` along ``dim``, shifted by the maximum so nothing overflows."""
    x = _as_float_array(input)
    shifted = x - x.max(axis=dim, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))  # type: ignore[no-any-return]


def softmax_backward(grad_output: ArrayLike, input: ArrayLike, dim: int) -> Array:
    """``y * (g - sum(g * y))`` along ``dim``, with ``y = softmax(x)`` and ``g = grad_output``."""
    dy, x = _grads(grad_output, input)
    y = softmax(x, dim)
    return y * (dy - (dy * y).sum(axis=dim, keepdims=True))  # type: ignore[no-any-return]


def log_softmax_backward(grad_output: ArrayLike, input: ArrayLike, dim: int) -> Array:
    """``g - softmax(x) * sum(g)`` along ``dim``, with ``g = grad_output``."""
    dy, x = _grads(grad_output, input)
    return dy - softmax(x, dim) * dy.sum(axis=dim, keepdims=True)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- dropout


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout_mask(shape: tuple[int, ...], p: float, rng: np.random.Generator) -> NDArray[np.bool_]:
    """Which units :func:`dropout` keeps: each independently with probability ``1 - p``."""
    _check_p(p)
    return rng.random(shape) >= p


def _scale(x: Array, p: float) -> np.floating:
    """``1 / (1 - p)``, the inverted-dropout scale (0 when every unit is dropped, as torch)."""
    return _scalar(x, 0.0 if p == 1.0 else 1.0 / (1.0 - p))


def dropout(
    input: ArrayLike,
    p: float = 0.5,
    training: bool = True,
    rng: np.random.Generator | None = None,
) -> Array:
    """Inverted dropout: in training, zero each unit with probability ``p`` and scale the kept
    ones by ``1 / (1 - p)``, so every unit keeps its expected value; outside training, the input
    unchanged. ``rng`` draws the mask (:func:`dropout_mask`); it is required in training with
    ``0 < p < 1``. ``p = 1`` zeroes everything and ``p = 0`` returns the input, as torch."""
    _check_p(p)
    x = _as_float_array(input)
    if not training or p == 0.0:
        return x.copy()
    if p == 1.0:
        return np.zeros_like(x)
    if rng is None:
        raise ValueError("dropout in training needs rng, a numpy Generator, to draw its mask")
    return x * dropout_mask(x.shape, p, rng) * _scale(x, p)


def dropout_backward(grad_output: ArrayLike, mask: ArrayLike, p: float) -> Array:
    """``grad_output * mask / (1 - p)``: the units dropped in the forward pass get no gradient,
    the kept ones the forward scale (``torch.ops.aten.native_dropout_backward``)."""
    _check_p(p)
    dy = _as_float_array(grad_output, "grad_output")
    keep = np.asarray(mask, dtype=bool)
    if keep.shape != dy.shape:
        raise ValueError(f"mask shape {keep.shape} must equal grad_output shape {dy.shape}")
    return dy * keep * _scale(dy, p)  # type: ignore[no-any-return]
