"""Plot benchmark results: time against the number of terms, as a byte-stable SVG.

    .venv/bin/python bench/plot.py bench/results/NAME.json docs/assets/performance.svg

writes the plot for the light palette there, and one for the dark palette beside it
(``performance-dark.svg``); the page shows the one that matches the reader's palette.

One line per stage of the generator, one for the generator as a whole, one for the whole
`glossary build` (MkDocs included), and two for `glossary generate` run again with the build
cache (nothing changed; one term edited), on logarithmic axes, where a line of slope 1 is
linear growth; a dotted line of slope 1 is drawn for comparison, and stars mark the targets at
10,000 terms.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import STAGES  # noqa: E402
from plots.export import SVG_RC  # noqa: E402  (fixed hash salt, text as paths)

_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class Palette:
    """The plot's colours: its background, and the ink of its text, axes and black lines."""

    background: str
    ink: str
    grey: str  # the lines of glossary generate
    guide: str  # the dotted line of linear growth

    def rc(self) -> dict[str, str]:
        return {
            "text.color": self.ink,
            "axes.labelcolor": self.ink,
            "axes.edgecolor": self.ink,
            "xtick.color": self.ink,
            "ytick.color": self.ink,
            "axes.facecolor": self.background,
        }


LIGHT = Palette("white", "black", "dimgrey", "grey")
# Material's slate background (hsl(232, 15%, 14%)) and light ink, for the dark palette.
DARK = Palette("#1e2029", "#e2e4e9", "#a8abb3", "#8b8e96")


def plot(results: list[dict], title: str, palette: Palette = LIGHT) -> Figure:
    with matplotlib.rc_context(palette.rc()):
        return _plot(results, title, palette)


def _plot(results: list[dict], title: str, palette: Palette) -> Figure:
    sizes = [run["terms"] for run in results]
    figure = Figure(figsize=(8.5, 4.6), facecolor=palette.background)
    axes = figure.add_subplot()
    for stage in STAGES:
        times = [run["generator"]["cold"]["wall"][stage] for run in results]
        axes.plot(sizes, times, marker="o", markersize=3, linewidth=1, label=stage)
    totals = [run["generator"]["cold"]["wall"]["total"] for run in results]
    axes.plot(sizes, totals, marker="o", color=palette.ink, linewidth=2, label="generator")
    built = [run for run in results if "site_build" in run]
    if built:
        axes.plot(
            [run["terms"] for run in built],
            [run["site_build"]["wall"]["total"] for run in built],
            marker="s",
            color=palette.ink,
            linestyle="--",
            linewidth=2,
            label="glossary build (with MkDocs)",
        )
    timed = [run for run in results if "commands" in run]
    for name, style, label in (
        ("generate_noop", "-.", "glossary generate, nothing changed"),
        ("generate_edit", (0, (5, 1, 1, 1, 1, 1)), "glossary generate, one term edited"),
    ):
        axes.plot(
            [run["terms"] for run in timed],
            [run["commands"][name]["wall"] for run in timed],
            marker="^",
            color=palette.grey,
            linestyle=style,
            linewidth=1.5,
            label=label,
        )
    slope = [totals[0] * n / sizes[0] for n in sizes]
    axes.plot(sizes, slope, color=palette.guide, linestyle=":", linewidth=1, label="linear growth")
    for seconds, marker, label in (
        (5.0, "*", "target: generator from scratch"),
        (1.5, "P", "target: one term edited"),
        (1.0, "X", "target: nothing changed"),
    ):
        axes.plot(
            [10_000],
            [seconds],
            marker=marker,
            markersize=9,
            color=palette.ink,
            linestyle="none",
            label=f"{label}, 10,000 terms",
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("terms")
    axes.set_ylabel("seconds (wall clock)")
    axes.set_title(title, fontsize=10)
    axes.grid(True, which="major", linewidth=0.4, alpha=0.6)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    figure.tight_layout()
    return figure


def svg(figure: Figure) -> bytes:
    with matplotlib.rc_context(SVG_RC):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata=_NO_METADATA)
    return re.sub(rb"<!DOCTYPE[^>]*>\s*", b"", buffer.getvalue(), count=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="a JSON file written by bench/run.py")
    parser.add_argument("svg", type=Path, help="where to write the plot")
    args = parser.parse_args()
    data = json.loads(args.results.read_text(encoding="utf-8"))
    machine = data["machine"]
    title = f"{machine['cores']} cores, {machine['cpu']}, Python {machine['python']}"
    dark = args.svg.with_name(f"{args.svg.stem}-dark{args.svg.suffix}")
    for path, palette in ((args.svg, LIGHT), (dark, DARK)):
        path.write_bytes(svg(plot(data["results"], title, palette)))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
