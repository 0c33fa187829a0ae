"""Closed-form backward passes of the normalizations in :mod:`plots.norms`.

Import them from :mod:`plots.norms` (which re-exports them) or from here. Each function returns
the gradients of a scalar loss ``L`` with respect to the input and the affine parameters, given
``grad_output = dL/dy``; they agree with torch autograd (``tests/plots/test_norms_torch.py``).

All of them rest on one identity. If ``x_hat = (x - mean) * rstd`` with
``rstd = 1 / sqrt(var + eps)`` and biased statistics over a group of ``n`` values, and
``g = dL/dx_hat``, then, with ``mean_n`` the mean over that group::

    dL/dx = rstd * (g - mean_n(g) - x_hat * mean_n(g * x_hat))

The gradients with respect to the affine parameters do not depend on the weight: they are always
returned as arrays, even when ``weight`` is None (then they are the gradients at ``gamma = 1``,
``beta = 0``): ``dL/dgamma = sum(grad_output * x_hat)`` and ``dL/dbeta = sum(grad_output)``, summed
over every axis the parameter is broadcast along.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from plots.norms import (
    Array,
    _as_float_array,
    _channel_param,
    _check_channels_first,
    _check_groups,
    _normalize,
    _normalized_shape,
    _param,
)

__all__ = [
    "batch_norm_backward",
    "group_norm_backward",
    "layer_norm_backward",
    "rms_norm_backward",
]


def _grads(grad_output: ArrayLike, input: ArrayLike) -> tuple[Array, Array]:
    """Validate ``(grad_output, input)``; return both as arrays of the input's dtype."""
    x = _as_float_array(input)
    dy = np.asarray(_as_float_array(grad_output, "grad_output"), dtype=x.dtype)
    if dy.shape != x.shape:
        raise ValueError(f"grad_output shape {dy.shape} must equal input shape {x.shape}")
    return dy, x


def _normalization_input_grad(
    g: Array, x: Array, axes: tuple[int, ...], eps: float
) -> tuple[Array, Array]:
    """Return ``(dL/dx, x_hat)`` for ``x_hat`` normalized over ``axes``, given ``g = dL/dx_hat``."""
    x_hat, _, var = _normalize(x, axes, eps)
    rstd = 1 / np.sqrt(var + x.dtype.type(eps))
    g_mean = g.mean(axis=axes, keepdims=True)
    g_x_hat_mean = (g * x_hat).mean(axis=axes, keepdims=True)
    return rstd * (g - g_mean - x_hat * g_x_hat_mean), x_hat


def batch_norm_backward(
    grad_output: ArrayLike, input: ArrayLike, weight: ArrayLike | None, eps: float = 1e-5
) -> tuple[Array, Array, Array]:
    """Backward of :func:`plots.norms.batch_norm` in training mode (batch statistics).

    Parameters
    ----------
    grad_output, input : (N, C, *) arrays
    weight : (C,) array or None
        ``gamma``; None means 1.
    eps : float

    Returns
    -------
    grad_input : (N, C, *) array
        With sums over the ``n = N * prod(*)`` values of each channel::

            dx = gamma * rstd / n * (n * dy - sum(dy) - x_hat * sum(dy * x_hat))

        so that ``sum(dx) = 0`` per channel, and ``sum(dx * x_hat) = 0`` when ``eps = 0``.
    grad_weight, grad_bias : (C,) arrays
        ``sum(dy * x_hat)`` and ``sum(dy)`` per channel (returned even when weight is None).
    """
    dy, x = _grads(grad_output, input)
    _check_channels_first(x, "batch_norm_backward")
    axes = (0, *range(2, x.ndim))
    g = dy if weight is None else dy * _channel_param(weight, x, "weight")
    dx, x_hat = _normalization_input_grad(g, x, axes, eps)
    return dx, (dy * x_hat).sum(axis=axes), dy.sum(axis=axes)


def layer_norm_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    normalized_shape: int | Sequence[int],
    weight: ArrayLike | None = None,
    eps: float = 1e-5,
) -> tuple[Array, Array, Array]:
    """Backward of :func:`plots.norms.layer_norm`.

    Parameters
    ----------
    grad_output, input : (*, *normalized_shape) arrays
    normalized_shape : int or tuple of int
    weight : array of shape ``normalized_shape`` or None
    eps : float

    Returns
    -------
    grad_input : array shaped like input
        With ``g = dy * gamma`` and sums over the ``n = prod(normalized_shape)`` values of a
        sample: ``dx = rstd / n * (n * g - sum(g) - x_hat * sum(g * x_hat))``.
    grad_weight, grad_bias : arrays of shape ``normalized_shape``
        ``sum(dy * x_hat)`` and ``sum(dy)`` over the leading (batch) axes.
    """
    dy, x = _grads(grad_output, input)
    shape = _normalized_shape(normalized_shape, x)
    g = dy if weight is None else dy * _param(weight, shape, x.dtype, "weight")
    dx, x_hat = _normalization_input_grad(g, x, tuple(range(x.ndim - len(shape), x.ndim)), eps)
    batch_axes = tuple(range(x.ndim - len(shape)))
    return dx, (dy * x_hat).sum(axis=batch_axes), dy.sum(axis=batch_axes)


def group_norm_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    num_groups: int,
    weight: ArrayLike | None = None,
    eps: float = 1e-5,
) -> tuple[Array, Array, Array]:
    """Backward of :func:`plots.norms.group_norm`.

    Parameters
    ----------
    grad_output, input : (N, C, *) arrays
    num_groups : int
    weight : (C,) array or None
    eps : float

    Returns
    -------
    grad_input : (N, C, *) array
        With ``g = dy * gamma_c`` and sums over the ``n = C/G * prod(*)`` values of a group:
        ``dx = rstd / n * (n * g - sum(g) - x_hat * sum(g * x_hat))``.
    grad_weight, grad_bias : (C,) arrays
        ``sum(dy * x_hat)`` and ``sum(dy)`` per channel over the batch and spatial axes.
    """
    dy, x = _grads(grad_output, input)
    _check_groups(x, num_groups)
    g = dy if weight is None else dy * _channel_param(weight, x, "weight")
    grouped = (x.shape[0], num_groups, -1)
    dx, x_hat = _normalization_input_grad(g.reshape(grouped), x.reshape(grouped), (2,), eps)
    axes = (0, *range(2, x.ndim))
    x_hat = x_hat.reshape(x.shape)
    return dx.reshape(x.shape), (dy * x_hat).sum(axis=axes), dy.sum(axis=axes)


def rms_norm_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    normalized_shape: int | Sequence[int],
    weight: ArrayLike | None = None,
    eps: float | None = None,
) -> tuple[Array, Array]:
    """Backward of :func:`plots.norms.rms_norm` (which has no bias, hence two gradients).

    Parameters
    ----------
    grad_output, input : (*, *normalized_shape) arrays
    normalized_shape : int or tuple of int
    weight : array of shape ``normalized_shape`` or None
    eps : float or None
        None means ``np.finfo(input.dtype).eps``.

    Returns
    -------
    grad_input : array shaped like input
        With ``r = 1 / sqrt(mean(x**2) + eps)``, ``g = dy * weight`` and the sum over the
        ``n = prod(normalized_shape)`` values of a sample::

            dx = r * g - x * r**3 / n * sum(g * x)

    grad_weight : array of shape ``normalized_shape``
        ``sum(dy * x * r)`` over the leading (batch) axes (returned even when weight is None).
    """
    dy, x = _grads(grad_output, input)
    shape = _normalized_shape(normalized_shape, x)
    g = dy if weight is None else dy * _param(weight, shape, x.dtype, "weight")
    eps_value = np.finfo(x.dtype).eps if eps is None else x.dtype.type(eps)
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    r = 1 / np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps_value)
    dx = r * g - x * r**3 * (g * x).mean(axis=axes, keepdims=True)
    batch_axes = tuple(range(x.ndim - len(shape)))
    return dx, (dy * x * r).sum(axis=batch_axes)
