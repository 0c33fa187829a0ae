"""NumPy reference of ``torch.optim`` (SGD, RMSprop, Adam, AdamW) and of
``torch.nn.utils.clip_grad_norm_``.

Each optimizer class has the name, argument names, order and defaults of its torch namesake.
``params`` is a list of NumPy float arrays that :meth:`step` updates *in place*, on purpose,
exactly as torch updates its parameter tensors; ``step(grads)`` takes the gradient arrays, one
per param, where torch reads ``param.grad``. The updates follow torch's single-tensor
implementations (``foreach=False``, which torch uses on the CPU) operation by operation, so
after every step they agree with torch to rounding (``tests/plots/test_optimizers_torch.py``).
Computation happens in each param's dtype.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from plots.norms import Array, _as_float_array

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop", "clip_grad_norm_"]


def _lerp(start: Array, end: Array, weight: float) -> Array:
    """``torch.lerp``: ``start + weight (end - start)``, from the nearer end as torch does."""
    w = start.dtype.type(weight)
    if abs(weight) < 0.5:
        return start + w * (end - start)
    return end - (end - start) * (1 - w)


class Optimizer:
    """The params and the per-param state every optimizer here keeps."""

    def __init__(self, params: Sequence[Array], lr: float) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        self.params = list(params)
        for param in self.params:
            _as_float_array(param, "param")
        self.lr = lr
        self.steps = 0

    def _grads(self, grads: Sequence[ArrayLike]) -> list[Array]:
        if len(grads) != len(self.params):
            raise ValueError(f"step needs {len(self.params)} gradients, got {len(grads)}")
        arrays = []
        for param, grad in zip(self.params, grads, strict=True):
            array = np.asarray(_as_float_array(grad, "grad"), dtype=param.dtype)
            if array.shape != param.shape:
                raise ValueError(f"grad shape {array.shape} must equal param shape {param.shape}")
            arrays.append(array)
        return arrays

    def step(self, grads: Sequence[ArrayLike]) -> None:
        """Update every param in place from its gradient."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum and L2 weight decay."""

    def __init__(
        self,
        params: Sequence[Array],
        lr: float,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if momentum < 0.0 or weight_decay < 0.0:
            raise ValueError("momentum and weight_decay must be at least 0")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.momentum, self.dampening = momentum, dampening
        self.weight_decay, self.nesterov = weight_decay, nesterov
        self.momentum_buffers: list[Array | None] = [None] * len(self.params)

    def step(self, grads: Sequence[ArrayLike]) -> None:
        """``p -= lr * d`` with ``d`` the gradient (plus ``weight_decay * p``), or with momentum
        the buffer ``b = momentum * b + (1 - dampening) * d`` (``b = d`` at the first step), or
        with Nesterov ``d + momentum * b``."""
        for index, (param, grad) in enumerate(zip(self.params, self._grads(grads), strict=True)):
            dtype = param.dtype.type
            if self.weight_decay != 0:
                grad = grad + param * dtype(self.weight_decay)
            if self.momentum != 0:
                buffer = self.momentum_buffers[index]
                if buffer is None:
                    buffer = grad.copy()
                else:
                    buffer = buffer * dtype(self.momentum) + grad * dtype(1 - self.dampening)
                self.momentum_buffers[index] = buffer
                grad = grad + buffer * dtype(self.momentum) if self.nesterov else buffer
            param -= grad * dtype(self.lr)
        self.steps += 1


class RMSprop(Optimizer):
    """Divide the gradient by a running root mean square of recent gradients."""

    def __init__(
        self,
        params: Sequence[Array],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-08,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if eps < 0.0 or momentum < 0.0 or weight_decay < 0.0 or alpha < 0.0:
            raise ValueError("eps, momentum, weight_decay and alpha must be at least 0")
        self.alpha, self.eps, self.weight_decay = alpha, eps, weight_decay
        self.momentum, self.centered = momentum, centered
        self.square_avgs = [np.zeros_like(param) for param in self.params]
        self.grad_avgs = [np.zeros_like(param) for param in self.params]
        self.momentum_buffers = [np.zeros_like(param) for param in self.params]

    def step(self, grads: Sequence[ArrayLike]) -> None:
        """``v = alpha v + (1 - alpha) g^2``; ``p -= lr g / (sqrt(v) + eps)``; ``centered``
        subtracts the square of the running mean gradient from ``v`` first; ``momentum``
        accumulates ``g / (sqrt(v) + eps)`` in a buffer and steps by it."""
        for index, (param, grad) in enumerate(zip(self.params, self._grads(grads), strict=True)):
            dtype = param.dtype.type
            if self.weight_decay != 0:
                grad = grad + param * dtype(self.weight_decay)
            square_avg = self.square_avgs[index] * dtype(self.alpha) + grad * grad * dtype(
                1 - self.alpha
            )
            self.square_avgs[index] = square_avg
            if self.centered:
                grad_avg = _lerp(self.grad_avgs[index], grad, 1 - self.alpha)
                self.grad_avgs[index] = grad_avg
                avg = np.sqrt(square_avg - grad_avg * grad_avg)
            else:
                avg = np.sqrt(square_avg)
            avg = avg + dtype(self.eps)
            if self.momentum > 0:
                buffer = self.momentum_buffers[index] * dtype(self.momentum) + grad / avg
                self.momentum_buffers[index] = buffer
                param -= buffer * dtype(self.lr)
            else:
                param -= grad / avg * dtype(self.lr)
        self.steps += 1


class Adam(Optimizer):
    """Adaptive moment estimation: steps by a bias-corrected running mean of the gradient over
    the square root of a bias-corrected running mean of its square."""

    decoupled_weight_decay = False

    def __init__(
        self,
        params: Sequence[Array],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-08,
        weight_decay: float = 0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if eps < 0.0 or weight_decay < 0.0:
            raise ValueError("eps and weight_decay must be at least 0")
        if not all(0.0 <= beta < 1.0 for beta in betas):
            raise ValueError(f"Invalid beta parameters: {betas}")
        self.betas, self.eps, self.weight_decay, self.amsgrad = betas, eps, weight_decay, amsgrad
        self.exp_avgs = [np.zeros_like(param) for param in self.params]
        self.exp_avg_sqs = [np.zeros_like(param) for param in self.params]
        self.max_exp_avg_sqs = [np.zeros_like(param) for param in self.params]

    def step(self, grads: Sequence[ArrayLike]) -> None:
        """``m = beta1 m + (1 - beta1) g``, ``v = beta2 v + (1 - beta2) g^2``, then
        ``p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)`` (``amsgrad``: the
        running maximum of ``v``). Adam adds ``weight_decay * p`` to the gradient; AdamW
        multiplies ``p`` by ``1 - lr * weight_decay`` instead."""
        self.steps += 1
        beta1, beta2 = self.betas
        for index, (param, grad) in enumerate(zip(self.params, self._grads(grads), strict=True)):
            dtype = param.dtype.type
            if self.weight_decay != 0:
                if self.decoupled_weight_decay:
                    param *= dtype(1 - self.lr * self.weight_decay)
                else:
                    grad = grad + param * dtype(self.weight_decay)
            exp_avg = _lerp(self.exp_avgs[index], grad, 1 - beta1)
            exp_avg_sq = self.exp_avg_sqs[index] * dtype(beta2) + grad * grad * dtype(1 - beta2)
            self.exp_avgs[index], self.exp_avg_sqs[index] = exp_avg, exp_avg_sq
            step = float(self.steps)
            step_size = self.lr / (1 - beta1**step)
            bias_correction2_sqrt = (1 - beta2**step) ** 0.5
            if self.amsgrad:
                exp_avg_sq = np.maximum(self.max_exp_avg_sqs[index], exp_avg_sq)
                self.max_exp_avg_sqs[index] = exp_avg_sq
            denominator = np.sqrt(exp_avg_sq) / dtype(bias_correction2_sqrt) + dtype(self.eps)
            param -= exp_avg / denominator * dtype(step_size)


class AdamW(Adam):
    """Adam with decoupled weight decay: the params shrink by ``lr * weight_decay`` of
    themselves each step, outside the adaptive scaling."""

    decoupled_weight_decay = True

    def __init__(
        self,
        params: Sequence[Array],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-08,
        weight_decay: float = 0.01,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


def clip_grad_norm_(
    grads: Sequence[Array],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> float:
    """Scale ``grads`` in place so their global norm is at most about ``max_norm``, as
    ``torch.nn.utils.clip_grad_norm_`` does for the ``.grad`` of its parameters.

    The global norm is the ``norm_type``-norm of the vector of every gradient's own norm (the
    norm of all entries together; ``math.inf`` for the largest magnitude). Every gradient is
    multiplied by ``min(max_norm / (norm + 1e-6), 1)``. Returns the norm before clipping.
    Raises RuntimeError for a NaN or infinite norm when ``error_if_nonfinite``.
    """
    arrays = [_as_float_array(grad, "grad") for grad in grads]
    if not arrays:
        return 0.0
    norm_type = float(norm_type)
    norms = np.array([_vector_norm(array, norm_type) for array in arrays])
    total = _vector_norm(norms, norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped."
        )
    coefficient = min(max_norm / (total + 1e-6), 1.0)
    for array in arrays:
        array *= array.dtype.type(coefficient)
    return total


def _vector_norm(values: Array, norm_type: float) -> float:
    magnitudes = np.abs(values.astype(np.float64, copy=False)).ravel()
    if norm_type == math.inf:
        return float(magnitudes.max(initial=0.0))
    if norm_type == 2.0:
        return float(np.sqrt(np.dot(magnitudes, magnitudes)))
    return float(np.sum(magnitudes**norm_type) ** (1.0 / norm_type))
