"""SVG export: byte-identical, self-contained, dateless output; digests that track everything."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from plots import export
from plots.export import figure_digest, render_figure
from plots.output import FigureOutput

SMALL = {"norm": "layer", "batch_size": 4, "channels": 4, "spatial": 16, "seed": 3}
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def output() -> FigureOutput:
    return render_figure("normalized-activations", SMALL)


def test_rendering_twice_gives_identical_bytes(output: FigureOutput) -> None:
    again = render_figure("normalized-activations", dict(reversed(SMALL.items())))
    assert again.light_svg == output.light_svg
    assert again.dark_svg == output.dark_svg
    assert again.alt == output.alt


def test_another_process_with_another_hash_seed_gives_identical_bytes(
    output: FigureOutput,
) -> None:
    script = (
        "import hashlib\n"
        "from plots.export import render_figure\n"
        f"out = render_figure('normalized-activations', {SMALL!r})\n"
        "print(hashlib.sha256(out.light_svg + out.dark_svg).hexdigest())\n"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=environment,
    )
    expected = hashlib.sha256(output.light_svg + output.dark_svg).hexdigest()
    assert result.stdout.strip() == expected


def test_light_and_dark_differ(output: FigureOutput) -> None:
    assert output.light_svg != output.dark_svg


@pytest.mark.parametrize("variant", ["light_svg", "dark_svg"])
def test_svg_is_dateless_self_contained_xml(output: FigureOutput, variant: str) -> None:
    svg: bytes = getattr(output, variant)
    text = svg.decode("utf-8")
    assert "Date" not in text
    assert "dc:date" not in text
    assert "<!DOCTYPE" not in text
    urls = set(re.findall(r"https?://[^\s\"'<>]+", text))
    assert urls <= SVG_NAMESPACES
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find(".//{http://www.w3.org/2000/svg}text") is None  # text drawn as paths
    assert root.find(".//{http://www.w3.org/2000/svg}image") is None  # nothing rasterized
    assert len(svg) < 150_000


def test_dark_variant_uses_the_dark_theme_colours(output: FigureOutput) -> None:
    from plots.theme import DARK, LIGHT

    assert DARK.foreground.encode() in output.dark_svg
    assert DARK.foreground.encode() not in output.light_svg
    assert LIGHT.foreground.encode() in output.light_svg


def test_digest_is_stable_and_ignores_dict_order_and_spelled_out_defaults() -> None:
    digest = figure_digest("normalized-activations", SMALL)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert figure_digest("normalized-activations", dict(reversed(SMALL.items()))) == digest
    assert figure_digest("normalized-activations", {**SMALL, "shown": 3}) == digest
    assert figure_digest("running-statistics", {"momentum": 1}) == figure_digest(
        "running-statistics", {"momentum": 1.0}
    )


def test_digest_changes_with_a_param_or_the_kind() -> None:
    digest = figure_digest("normalized-activations", SMALL)
    assert figure_digest("normalized-activations", {**SMALL, "seed": 4}) != digest
    assert figure_digest("depth-propagation", {}) != figure_digest("batch-size-noise", {})


def test_digest_changes_when_any_source_file_of_the_package_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "plots"
    shutil.copytree(Path(export.__file__).parent, copy, ignore=shutil.ignore_patterns("*.pyc"))
    monkeypatch.setattr(export, "_PLOTS_DIR", copy)
    digest = figure_digest("depth-propagation", {})
    module = copy / "figures" / "depth_propagation.py"
    module.write_text(module.read_text() + "\n# a comment is a change\n")
    assert figure_digest("depth-propagation", {}) != digest


def test_invalid_specs_raise() -> None:
    with pytest.raises(ValueError, match="unknown figure kind"):
        render_figure("histogram", {})
    with pytest.raises(ValueError, match="must be at most"):
        figure_digest("depth-propagation", {"layers": 99})
