"""What drawing a figure gives: kept apart from ``export`` so that reading a figure back from a
cache does not import matplotlib."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureOutput:
    """The two SVG variants of one figure and its alt text."""

    light_svg: bytes
    dark_svg: bytes
    alt: str
