"""How the time a piece of code takes grows with its input: the ratio of this process's CPU time
on a large input to that on a small one. Tests assert such ratios, never a wall time, which
other processes on a busy machine (or a parallel test run) stretch at will."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def cpu_time_growth(
    run: Callable[[int], object], size: int, factor: int = 4, repeats: int = 2
) -> float:
    """How many times longer ``run(size)`` takes than ``run(size // factor)``: the best of
    ``repeats`` runs of each, the two sizes in turn (so that a slow spell slows both alike),
    without garbage collections, whose cost varies from run to run. Time in proportion to
    the input gives about ``factor``; time in proportion to its square, ``factor`` squared."""
    small = max(1, size // factor)
    run(small)  # warm up: compiled patterns, caches

    def once(n: int) -> float:
        gc.disable()
        try:
            start = time.process_time()
            run(n)
            return time.process_time() - start
        finally:
            gc.enable()

    small_times, large_times = [], []
    for _ in range(repeats):
        small_times.append(once(small))
        large_times.append(once(size))
    return min(large_times) / max(min(small_times), 1e-6)
