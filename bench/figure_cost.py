"""Measure how long each figure kind takes at its defaults and at its limits, beside the cost
its ``cost`` function estimates: the figure budgets of plots/registry.py rest on these numbers.

    python bench/figure_cost.py [--out results.json]

Prints a table and writes JSON with the machine it ran on. Takes about two minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from threadpoolctl import threadpool_limits

from plots.export import render_figure
from plots.registry import KINDS, figure_cost

# Each kind at its defaults, and with every param that drives its cost at its maximum.
CASES: list[tuple[str, dict[str, object]]] = [
    *((kind, {}) for kind in KINDS),
    ("normalized-activations", {"batch_size": 256, "channels": 64, "spatial": 1024}),
    ("depth-propagation", {"layers": 20, "width": 512, "batch_size": 1024}),
    ("running-statistics", {"steps": 5000, "batch_size": 256, "probe_batches": 2000}),
    ("batch-size-noise", {"trials": 2000, "spatial": 256, "group_channels": 32}),
    ("ioffe-szegedy-fig1", {"steps": 1000, "batch_size": 60}),
    ("ioffe-szegedy-fig1", {"steps": 1000, "batch_size": 240}),
    ("ioffe-szegedy-fig1", {"steps": 10000, "batch_size": 256}),
    ("learning-rate-schedules", {"steps": 5000}),
    ("optimizer-trajectories", {"quadratic_steps": 500, "rosenbrock_steps": 5000}),
    ("inverted-dropout", {"units": 64, "masks": 100_000}),
    ("initialization-depth", {"layers": 50, "width": 512, "batch_size": 512}),
    ("gradient-clipping", {"steps": 2000}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    rows = []
    print(f"{'kind':<24} {'params':<52} {'measured s':>10} {'estimated s':>11}")
    for kind, params in CASES:
        started = time.perf_counter()
        with threadpool_limits(limits=1):  # as generator/pipeline/figures.py renders them
            render_figure(kind, params)
        seconds = time.perf_counter() - started
        estimate = figure_cost(kind, params)
        rows.append({"kind": kind, "params": params, "seconds": seconds, "estimate": estimate})
        print(f"{kind:<24} {json.dumps(params):<52} {seconds:>10.2f} {estimate:>11.2f}")
    if args.out:
        machine = {"cpus": os.cpu_count(), "processor": platform.processor(), "python": sys.version}
        args.out.write_text(json.dumps({"machine": machine, "figures": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
