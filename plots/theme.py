"""Colours and matplotlib settings for the light and the dark variant of every figure.

The SVGs have a transparent background, so they sit on the page's own colour: white for
Material's default scheme, the slate grey (about #1e2129) for the dark one. ``background`` is that
page colour; figures paint it only where something must look like the page (e.g. previews).
The palettes are Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

from dataclasses import dataclass

from cycler import cycler
from matplotlib.typing import RcKeyType


@dataclass(frozen=True)
class Theme:
    """The colours of one figure variant."""

    name: str
    foreground: str  # text, axes, outlines
    muted: str  # secondary text and reference lines
    background: str  # the page colour the transparent SVG is shown on
    grid: str
    before: str  # data before normalization / without batch norm
    after: str  # data after normalization / with batch norm
    palette: tuple[str, ...]  # further series, e.g. one colour per statistic group
    fill_alpha: float = 0.25  # opacity of shaded bands and histogram fills


LIGHT = Theme(
    name="light",
    foreground="#1f2328",
    muted="#5f6670",
    background="#ffffff",
    grid="#d8dce2",
    before="#d55e00",
    after="#0072b2",
    palette=("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"),
)

DARK = Theme(
    name="dark",
    foreground="#e3e5ea",
    muted="#a3a9b4",
    background="#1e2129",
    grid="#3a404c",
    before="#f0a35e",
    after="#56b4e9",
    palette=("#56b4e9", "#f0a35e", "#2ec4a0", "#e497c4", "#f0e442", "#a9a2ff"),
    fill_alpha=0.3,
)


def rc_params(theme: Theme) -> dict[RcKeyType, object]:
    """matplotlib rcParams that give a figure drawn under them this theme's look."""
    return {
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.edgecolor": "none",
        "savefig.transparent": True,
        "text.color": theme.foreground,
        "axes.edgecolor": theme.muted,
        "axes.labelcolor": theme.foreground,
        "axes.titlecolor": theme.foreground,
        "axes.prop_cycle": cycler(color=list(theme.palette)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": theme.grid,
        "grid.linewidth": 0.6,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.foreground,
        "ytick.labelcolor": theme.foreground,
        "legend.frameon": False,
        "legend.labelcolor": theme.foreground,
        "font.family": "DejaVu Sans",
        "font.size": 9.0,
        "axes.titlesize": 9.5,
        "axes.labelsize": 9.0,
        "xtick.labelsize": 8.0,
        "ytick.labelsize": 8.0,
        "legend.fontsize": 8.0,
        "lines.linewidth": 1.6,
    }
