"""Shared fixtures for the tests of plots/."""

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator, so every test sees the same data on every run."""
    return np.random.default_rng(20240607)
