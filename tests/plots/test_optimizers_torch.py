"""plots/optimizers.py against torch.optim and torch.nn.utils.clip_grad_norm_, float64.

200 steps on several parameter shapes with every option; after every step each param agrees
with torch's within a normwise relative error of 1e-12. Gradients come from a fixed quadratic
plus noise, computed from the params themselves, so the two runs see the same gradients only if
they have stayed together.
"""

import math
from typing import Any

import numpy as np
import pytest

from plots import optimizers

torch = pytest.importorskip(
    "torch",
    reason="PyTorch not installed: install the 'torch' extra (pip install torch==2.13.0) "
    "to compare with torch.optim",
)

TOLERANCE = 1e-12
STEPS = 200
SHAPES = [(3,), (4, 5), (2, 3, 2)]

CASES: list[tuple[str, dict[str, Any]]] = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "weight_decay": 0.1}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.003, "alpha": 0.9, "eps": 1e-6}),
    ("RMSprop", {"lr": 0.003, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.003, "centered": True}),
    ("RMSprop", {"lr": 0.003, "centered": True, "momentum": 0.5, "weight_decay": 0.01}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.0}),
]


def gradient(param: np.ndarray, curvature: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """The gradient of ``sum(curvature * param^2) / 2`` plus a fixed perturbation."""
    return curvature * param + noise


def max_relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    scale = np.abs(expected).max()
    return float(np.abs(actual - expected).max() / scale) if scale > 0 else float(actual.any())


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_optimizer_matches_torch_after_every_step(
    rng: np.random.Generator, name: str, kwargs: dict[str, Any]
) -> None:
    params = [rng.normal(size=shape) for shape in SHAPES]
    curvatures = [rng.uniform(0.1, 3.0, size=shape) for shape in SHAPES]
    tensors = [torch.tensor(param, requires_grad=True) for param in params]
    ours = getattr(optimizers, name)(params, **kwargs)
    theirs = getattr(torch.optim, name)(tensors, **kwargs)
    for _ in range(STEPS):
        noises = [rng.normal(scale=0.1, size=shape) for shape in SHAPES]
        grads = [gradient(p, c, n) for p, c, n in zip(params, curvatures, noises, strict=True)]
        for tensor, curvature, noise in zip(tensors, curvatures, noises, strict=True):
            tensor.grad = gradient(tensor.detach(), torch.tensor(curvature), torch.tensor(noise))
        ours.step(grads)
        theirs.step()
        for param, tensor in zip(params, tensors, strict=True):
            assert max_relative_error(param, tensor.detach().numpy()) < TOLERANCE


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW"])
def test_optimizer_defaults_are_torchs(name: str) -> None:
    import inspect

    ours = inspect.signature(getattr(optimizers, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    for parameter in ours.values():
        if parameter.name == "params":
            continue
        expected = theirs[parameter.name].default
        assert parameter.default == expected or (name == "SGD" and parameter.name == "lr")


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 5.0, 1e3])
def test_clip_grad_norm_matches_torch(
    rng: np.random.Generator, norm_type: float, max_norm: float
) -> None:
    grads = [rng.normal(size=shape) for shape in SHAPES]
    tensors = [torch.zeros(shape, dtype=torch.float64, requires_grad=True) for shape in SHAPES]
    for tensor, grad in zip(tensors, grads, strict=True):
        tensor.grad = torch.tensor(grad)
    expected_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type=norm_type)
    norm = optimizers.clip_grad_norm_(grads, max_norm, norm_type=norm_type)
    assert abs(norm - float(expected_norm)) < TOLERANCE * float(expected_norm)
    for grad, tensor in zip(grads, tensors, strict=True):
        assert max_relative_error(grad, tensor.grad.numpy()) < TOLERANCE


def test_clip_grad_norm_raises_for_a_nonfinite_norm_as_torch_does() -> None:
    grads = [np.array([1.0, math.inf])]
    tensor = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    tensor.grad = torch.tensor(grads[0])
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_([tensor], 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="non-finite"):
        optimizers.clip_grad_norm_(grads, 1.0, error_if_nonfinite=True)
