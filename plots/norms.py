"""NumPy reference implementations of the normalization layers of ``torch.nn.functional``.

Every function has the name, argument names, argument order, defaults and semantics of its
``torch.nn.functional`` namesake, so figures can compute exactly what PyTorch computes without
importing torch. Computation happens in the input's floating dtype (float32 or float64) and
results have that dtype. All functions are pure except :func:`batch_norm` and
:func:`instance_norm`, which update the running-statistics arrays they are given *in place*,
on purpose, exactly as torch does.

Shapes: ``N`` batch size, ``C`` channels, ``*`` any number of trailing (spatial) dimensions.
Every normalization computes ``x_hat = (x - mean) / sqrt(var + eps)`` with the *biased* variance
over a set of "reduced" axes and then applies an optional elementwise affine map
``y = x_hat * weight + bias``; the functions differ only in which axes are reduced.

The closed-form backward passes live in :mod:`plots.norms_backward`, which builds on this
module's helpers (one direction of import, no cycle).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.floating]

__all__ = [
    "batch_norm",
    "group_norm",
    "instance_norm",
    "layer_norm",
    "rms_norm",
    "running_average_factor",
]


def _as_float_array(x: ArrayLike, name: str = "input") -> Array:
    """Return ``x`` as a floating ndarray (no copy when it already is one)."""
    array = np.asarray(x)
    if not np.issubdtype(array.dtype, np.floating):
        raise TypeError(f"{name} must have a floating dtype, got {array.dtype}")
    return array


def _param(value: ArrayLike, shape: tuple[int, ...], dtype: np.dtype, name: str) -> Array:
    """Validate the shape of an affine parameter and cast it to the compute dtype."""
    array = np.asarray(value, dtype=dtype)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return array


def _check_channels_first(x: Array, function: str) -> None:
    if x.ndim < 2:
        raise ValueError(f"{function} expects input of shape (N, C, *), got shape {x.shape}")


@overload
def _channel_param(value: None, x: Array, name: str) -> None: ...
@overload
def _channel_param(value: ArrayLike, x: Array, name: str) -> Array: ...
def _channel_param(value: ArrayLike | None, x: Array, name: str) -> Array | None:
    """Validate a per-channel ``(C,)`` array (None passes) and shape it ``(1, C, 1, ..., 1)``."""
    if value is None:
        return None
    view = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    return _param(value, (x.shape[1],), x.dtype, name).reshape(view)


def _normalize_with_running_stats(
    x: Array, running_mean: ArrayLike | None, running_var: ArrayLike | None, eps: float
) -> Array:
    """``(x - running_mean) / sqrt(running_var + eps)`` per channel (eval mode)."""
    if running_mean is None or running_var is None:
        raise ValueError("running_mean and running_var must be defined in evaluation mode")
    mean = _channel_param(running_mean, x, "running_mean")
    var = _channel_param(running_var, x, "running_var")
    return (x - mean) / np.sqrt(var + x.dtype.type(eps))


def _update_running_stat(
    running: Array | None, batch_stat: Array, momentum: float, name: str
) -> None:
    """``running = (1 - momentum) * running + momentum * batch_stat``, in place as in torch."""
    if running is None:
        return
    if not isinstance(running, np.ndarray) or running.shape != batch_stat.shape:
        raise ValueError(
            f"{name} must be an ndarray of shape {batch_stat.shape} (updated in place)"
        )
    running *= 1 - momentum
    running += momentum * batch_stat


def _normalize(x: Array, axes: tuple[int, ...], eps: float) -> tuple[Array, Array, Array]:
    """Return ``(x_hat, mean, biased_var)`` with the statistics kept as broadcastable dims."""
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    x_hat = (x - mean) / np.sqrt(var + x.dtype.type(eps))
    return x_hat, mean, var


def _normalized_shape(normalized_shape: int | Sequence[int], x: Array) -> tuple[int, ...]:
    """Normalize ``normalized_shape`` to a tuple and check it matches the trailing dims of x."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) == 0 or len(shape) > x.ndim or x.shape[x.ndim - len(shape) :] != shape:
        raise ValueError(
            f"normalized_shape {shape} must be non-empty and equal the trailing dimensions "
            f"of input of shape {x.shape}"
        )
    return shape


def _affine(x_hat: Array, weight: Array | None, bias: Array | None) -> Array:
    if weight is not None:
        x_hat = x_hat * weight
    if bias is not None:
        x_hat = x_hat + bias
    return x_hat


def running_average_factor(momentum: float | None, num_batches_tracked: int) -> float:
    """Exponential-average factor that ``torch.nn.modules.batchnorm._BatchNorm.forward`` uses.

    ``momentum`` when it is not None; otherwise the cumulative moving average factor
    ``1 / num_batches_tracked``, where ``num_batches_tracked`` is counted *after* the increment
    for the current batch (so the first batch gets 1.0, the second 0.5, ...). Figures pass the
    result as ``momentum`` to :func:`batch_norm` to reproduce torch's ``momentum=None`` mode, in
    which the running statistics are the plain average of all batch statistics seen so far.
    """
    if momentum is not None:
        return float(momentum)
    if num_batches_tracked < 1:
        raise ValueError(f"num_batches_tracked must be >= 1, got {num_batches_tracked}")
    return 1.0 / float(num_batches_tracked)


def batch_norm(
    input: ArrayLike,
    running_mean: Array | None,
    running_var: Array | None,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Array:
    """Batch normalization, as ``torch.nn.functional.batch_norm``.

    Parameters
    ----------
    input : (N, C, *) array
    running_mean, running_var : (C,) arrays or None
        Used for normalization in eval mode (``training=False``; then required). In training
        mode, when given, they are updated **in place** (mirroring torch, deliberately)::

            running_mean = (1 - momentum) * running_mean + momentum * mean_B
            running_var  = (1 - momentum) * running_var  + momentum * var_B * n / (n - 1)

        i.e. the running variance tracks the *unbiased* batch variance.
    weight, bias : (C,) arrays or None
        Per-channel affine ``gamma`` and ``beta`` (identity when None).
    training : bool
        Normalize with batch statistics (True) or running statistics (False).
    momentum, eps : float

    Returns
    -------
    (N, C, *) array, ``y = (x - mean) / sqrt(var + eps) * gamma + beta``, where in training
    ``mean_B`` and the biased ``var_B`` are taken per channel over the ``n = N * prod(*)`` values
    of the batch and spatial axes.

    Raises
    ------
    ValueError
        In training when ``n == 1`` (torch accepts ``(1, C, H, W)`` when ``H * W > 1``).
    """
    x = _as_float_array(input)
    _check_channels_first(x, "batch_norm")
    w, b = _channel_param(weight, x, "weight"), _channel_param(bias, x, "bias")
    if not training:
        return _affine(_normalize_with_running_stats(x, running_mean, running_var, eps), w, b)
    n = x.size // x.shape[1]
    if n == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {x.shape}"
        )
    x_hat, mean, var = _normalize(x, (0, *range(2, x.ndim)), eps)
    _update_running_stat(running_mean, mean.reshape(-1), momentum, "running_mean")
    _update_running_stat(running_var, var.reshape(-1) * (n / (n - 1)), momentum, "running_var")
    return _affine(x_hat, w, b)


def instance_norm(
    input: ArrayLike,
    running_mean: Array | None = None,
    running_var: Array | None = None,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Array:
    """Instance normalization, as ``torch.nn.functional.instance_norm``.

    Parameters
    ----------
    input : (N, C, *) array
    running_mean, running_var : (C,) arrays or None
        With ``use_input_stats=True`` and given, they are updated **in place** like torch does
        (deliberately): each of the ``N`` instances updates its own copy of the buffers exactly
        like :func:`batch_norm` (variance unbiased over the ``m = prod(*)`` spatial values) and the
        copies are then averaged over the batch::

            running_mean = (1 - momentum) * running_mean + momentum * mean_n(mean_nc)
            running_var  = (1 - momentum) * running_var  + momentum * mean_n(var_nc * m / (m - 1))

        With ``use_input_stats=False`` they are required and used to normalize.
    weight, bias : (C,) arrays or None
    use_input_stats : bool
    momentum, eps : float

    Returns
    -------
    (N, C, *) array: ``(x - mean_nc) / sqrt(var_nc + eps) * gamma_c + beta_c`` with the biased
    statistics of each sample ``n`` and channel ``c`` over the spatial axes.

    Raises
    ------
    ValueError
        When ``use_input_stats`` and there is a single spatial element (``m == 1``).
    """
    x = _as_float_array(input)
    _check_channels_first(x, "instance_norm")
    w, b = _channel_param(weight, x, "weight"), _channel_param(bias, x, "bias")
    if not use_input_stats:
        return _affine(_normalize_with_running_stats(x, running_mean, running_var, eps), w, b)
    m = math.prod(x.shape[2:])
    if m == 1:
        raise ValueError(
            f"Expected more than 1 spatial element when training, got input size {x.shape}"
        )
    x_hat, mean, var = _normalize(x, tuple(range(2, x.ndim)), eps)
    instance_mean, instance_var = mean.reshape(x.shape[:2]), var.reshape(x.shape[:2])
    _update_running_stat(running_mean, instance_mean.mean(axis=0), momentum, "running_mean")
    unbiased_var = (instance_var * (m / (m - 1))).mean(axis=0)
    _update_running_stat(running_var, unbiased_var, momentum, "running_var")
    return _affine(x_hat, w, b)


def layer_norm(
    input: ArrayLike,
    normalized_shape: int | Sequence[int],
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    eps: float = 1e-5,
) -> Array:
    """Layer normalization, as ``torch.nn.functional.layer_norm``.

    Parameters
    ----------
    input : (*, *normalized_shape) array
    normalized_shape : int or tuple of int
        The trailing dimensions to normalize over (an int means ``(int,)``).
    weight, bias : arrays of shape ``normalized_shape`` or None
        Elementwise affine ``gamma`` and ``beta``.
    eps : float

    Returns
    -------
    Array shaped like input: ``(x - mean) / sqrt(var + eps) * gamma + beta`` with the biased
    statistics of each leading index over the ``len(normalized_shape)`` trailing axes.
    """
    x = _as_float_array(input)
    shape = _normalized_shape(normalized_shape, x)
    w = None if weight is None else _param(weight, shape, x.dtype, "weight")
    b = None if bias is None else _param(bias, shape, x.dtype, "bias")
    x_hat, _, _ = _normalize(x, tuple(range(x.ndim - len(shape), x.ndim)), eps)
    return _affine(x_hat, w, b)


def _check_groups(x: Array, num_groups: int) -> None:
    _check_channels_first(x, "group_norm")
    if num_groups < 1 or x.shape[1] % num_groups != 0:
        raise ValueError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {x.shape} and num_groups={num_groups}"
        )
    # Mirrors torch's _verify_batch_size([N * C // G, G, *]): it counts N * C/G * prod(*), not the
    # C/G * prod(*) values of one group, so (2, 3) with 3 groups passes (and normalizes to 0).
    if x.shape[0] * x.shape[1] // num_groups * math.prod(x.shape[2:]) == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {x.shape}"
        )


def group_norm(
    input: ArrayLike,
    num_groups: int,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    eps: float = 1e-5,
) -> Array:
    """Group normalization, as ``torch.nn.functional.group_norm``.

    Parameters
    ----------
    input : (N, C, *) array
    num_groups : int
        ``G``; must divide ``C``. Group ``g`` holds channels ``g * C/G ... (g + 1) * C/G - 1``.
    weight, bias : (C,) arrays or None
        Per-channel affine ``gamma`` and ``beta``.
    eps : float

    Returns
    -------
    (N, C, *) array: ``(x - mean_ng) / sqrt(var_ng + eps) * gamma_c + beta_c`` with the biased
    statistics of each sample ``n`` and group ``g`` over its ``C/G * prod(*)`` values.

    Raises
    ------
    ValueError
        When ``G`` does not divide ``C``, or (like torch) when ``N * C/G * prod(*) == 1``.
    """
    x = _as_float_array(input)
    _check_groups(x, num_groups)
    w, b = _channel_param(weight, x, "weight"), _channel_param(bias, x, "bias")
    grouped = x.reshape(x.shape[0], num_groups, -1)
    x_hat, _, _ = _normalize(grouped, (2,), eps)
    return _affine(x_hat.reshape(x.shape), w, b)


def rms_norm(
    input: ArrayLike,
    normalized_shape: int | Sequence[int],
    weight: ArrayLike | None = None,
    eps: float | None = None,
) -> Array:
    """Root-mean-square normalization, as ``torch.nn.functional.rms_norm``.

    Parameters
    ----------
    input : (*, *normalized_shape) array
    normalized_shape : int or tuple of int
    weight : array of shape ``normalized_shape`` or None
    eps : float or None
        None means ``np.finfo(input.dtype).eps``, torch's default.

    Returns
    -------
    Array shaped like input: ``x / sqrt(mean(x**2) + eps) * weight``, the mean taken over the
    ``len(normalized_shape)`` trailing axes. No centering and no bias.
    """
    x = _as_float_array(input)
    shape = _normalized_shape(normalized_shape, x)
    w = None if weight is None else _param(weight, shape, x.dtype, "weight")
    eps_value = np.finfo(x.dtype).eps if eps is None else x.dtype.type(eps)
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    y = x / np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps_value)
    return _affine(y, w, None)
