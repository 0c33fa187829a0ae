"""Figures a hostile or careless term file asks for: refused at check time with a located
message, or, past every check, still a located message and never a traceback or a planted SVG
(issue 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import generator.pipeline.figures
import plots.export
from generator.model import GlossaryError
from generator.pipeline.cache_store import signing_key
from generator.pipeline.figures import KEY_FILE, render_figures
from generator.pipeline.link import link
from plots.export import figure_digest
from plots.output import FigureOutput
from tests.generator.conftest import dump

_SLOW = {"kind": "ioffe-szegedy-fig1", "caption": "Training curves."}  # about 11 s each
_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><path d="M 0 0"/></svg>'


def _term(name: str, figures: list[dict[str, Any]]) -> str:
    return dump(
        {
            "term": name,
            "summary": f"A short plain summary of {name}.",
            "category": "normalization",
            "definition": f"{name} is defined here, precisely.",
            "figures": figures,
        }
    )


def test_params_that_make_a_figure_degenerate_are_refused(make_glossary, check_root) -> None:
    figure = {"kind": "batch-size-noise", "caption": "Noise.", "params": {"spatial": 1}}
    figure["params"]["group_channels"] = 1
    _, problems = check_root(make_glossary({"x": _term("X", [figure])}))
    assert problems == [
        "terms/x.yaml:9:14: figures[0].params.spatial: with group_channels 1, must be at least "
        "2: a group norm group of one value has no spread to estimate; use spatial: 2 or more, "
        "or group_channels: 2 or more"
    ]


def test_a_term_whose_figures_would_take_too_long_is_refused_where_the_budget_is_crossed(
    make_glossary, check_root
) -> None:
    figures = [dict(_SLOW) for _ in range(100)]
    _, problems = check_root(make_glossary({"x": _term("X", figures)}))
    assert problems == [
        "terms/x.yaml:10:3: figures[2]: with this figure (about 11 s), this term's figures "
        "would take about 33 s to compute, over the budget of 30 s; use smaller params (fewer "
        "steps, trials or examples), or fewer figures",
        "terms/x.yaml:60:3: figures[27]: with this figure (about 11 s), the glossary's figures "
        "would take about 308 s to compute, over the budget of 300 s; use smaller params (fewer "
        "steps, trials or examples), or fewer figures",
    ]


def test_a_glossary_whose_figures_would_take_too_long_is_refused(make_glossary, check_root):
    terms = {f"t{i:02d}": _term(f"T{i:02d}", [dict(_SLOW), dict(_SLOW)]) for i in range(14)}
    _, problems = check_root(make_glossary(terms))
    assert problems == [
        "terms/t13.yaml:8:3: figures[1]: with this figure (about 11 s), the glossary's figures "
        "would take about 308 s to compute, over the budget of 300 s; use smaller params (fewer "
        "steps, trials or examples), or fewer figures"
    ]


def test_the_most_expensive_figure_fits_a_term_alone(make_glossary, check_root) -> None:
    figure = {**_SLOW, "params": {"steps": 10000, "batch_size": 256}}  # about 60 s
    _, problems = check_root(make_glossary({"x": _term("X", [figure])}))
    assert problems == [
        "terms/x.yaml:6:3: figures[0]: with this figure (about 60 s), this term's figures "
        "would take about 60 s to compute, over the budget of 30 s; use smaller params (fewer "
        "steps, trials or examples), or fewer figures"
    ]


def _linked(make_glossary, check_root) -> Any:
    figure = {"kind": "normalized-activations", "caption": "Before and after."}
    glossary, problems = check_root(make_glossary({"x": _term("X", [figure])}))
    assert problems == []
    return link(glossary)


def test_a_figure_that_fails_to_draw_is_a_located_problem(
    make_glossary, check_root, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(kind: str, params: Any) -> FigureOutput:
        raise ValueError("cannot convert float NaN to integer")

    monkeypatch.setattr(plots.export, "render_figure", broken)
    with pytest.raises(GlossaryError) as raised:
        render_figures(_linked(make_glossary, check_root), tmp_path / "cache", print)
    assert [str(p) for p in raised.value.problems] == [
        "terms/x.yaml:6:9: figures[0]: the figure 'normalized-activations' cannot be drawn with "
        "these params: ValueError: cannot convert float NaN to integer; change its params "
        "(the defaults always work), or remove the figure"
    ]


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed by this machine"])
def test_a_cached_svg_with_a_script_is_never_published(
    make_glossary, check_root, tmp_path: Path, fake_figures, signed: bool
) -> None:
    linked = _linked(make_glossary, check_root)
    cache = tmp_path / "cache"
    cache.mkdir()
    digest = figure_digest("normalized-activations", {})
    planted = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    entry = {"alt": "alt", "light": planted, "dark": planted}
    if signed:  # as if the key had leaked: the SVG check still refuses it
        entry["mac"] = generator.pipeline.figures._signature(signing_key(KEY_FILE), digest, entry)
    (cache / f"{digest}.json").write_text(json.dumps(entry))
    figures, rendered = render_figures(linked, cache, print)
    assert rendered == 1 and fake_figures == [("normalized-activations", {})]
    assert b"script" not in figures[("x", 0)].light_svg


def test_a_cache_entry_this_machine_wrote_is_reused(
    make_glossary, check_root, tmp_path: Path, fake_figures, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        plots.export, "render_figure", lambda kind, params: FigureOutput(_SVG, _SVG, "alt")
    )
    linked = _linked(make_glossary, check_root)
    assert render_figures(linked, tmp_path / "cache", print)[1] == 1
    figures, rendered = render_figures(linked, tmp_path / "cache", print)
    assert rendered == 0 and figures[("x", 0)].light_svg == _SVG


def test_a_figure_cache_that_cannot_be_written_is_no_error(
    make_glossary, check_root, tmp_path: Path, fake_figures, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        plots.export, "render_figure", lambda kind, params: FigureOutput(_SVG, _SVG, "alt")
    )
    linked = _linked(make_glossary, check_root)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache directory should be")
    for _ in range(2):  # drawn each time, since nothing could be kept
        figures, rendered = render_figures(linked, blocked, print)
        assert rendered == 1 and figures[("x", 0)].light_svg == _SVG
    assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
