"""plots/schedules.py against torch.optim.lr_scheduler: get_last_lr() before the first step()
and after every further one, float64, relative error below 1e-12."""

from typing import Any

import numpy as np
import pytest

from plots.schedules import learning_rates

torch = pytest.importorskip(
    "torch",
    reason="PyTorch not installed: install the 'torch' extra (pip install torch==2.13.0) "
    "to compare with torch.optim.lr_scheduler",
)

CASES: list[tuple[str, dict[str, Any]]] = [
    ("StepLR", {"step_size": 7}),
    ("StepLR", {"step_size": 1, "gamma": 0.5}),
    ("ExponentialLR", {"gamma": 0.97}),
    ("LinearLR", {}),
    ("LinearLR", {"start_factor": 0.01, "end_factor": 0.5, "total_iters": 40}),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 200}),
    ("CosineAnnealingLR", {"T_max": 50}),
    ("CosineAnnealingLR", {"T_max": 37, "eta_min": 1e-4}),
    ("CosineAnnealingLR", {"T_max": 200}),
    ("CosineAnnealingWarmRestarts", {"T_0": 20}),
    ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 2, "eta_min": 1e-3}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 199}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 250, "pct_start": 0.25}),
    ("OneCycleLR", {"max_lr": 1.0, "total_steps": 199, "anneal_strategy": "linear"}),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 300, "three_phase": True, "div_factor": 10.0}),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 199, "final_div_factor": 100.0}),
]
STEPS = 200
BASE_LR = 0.1


def torch_learning_rates(schedule: str, base_lr: float, steps: int, **kwargs: Any) -> np.ndarray:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = getattr(torch.optim.lr_scheduler, schedule)(optimizer, **kwargs)
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(steps - 1):
        optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    return np.array(rates)


@pytest.mark.parametrize(("schedule", "kwargs"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_learning_rates_match_torch_step_by_step(schedule: str, kwargs: dict[str, Any]) -> None:
    steps = min(STEPS, kwargs.get("total_steps", STEPS) + 1)
    expected = torch_learning_rates(schedule, BASE_LR, steps, **kwargs)
    actual = learning_rates(schedule, BASE_LR, steps, **kwargs)
    assert actual.dtype == np.float64
    assert actual.shape == (steps,)
    relative = np.abs(actual - expected) / np.abs(expected).max()
    assert relative.max() < 1e-12
