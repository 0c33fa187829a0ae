"""Shared fixtures for the tests of generator/: small glossaries built in a temporary directory."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

import generator.pipeline.figures
import plots.export
from generator.model import Glossary, GlossaryError
from generator.pipeline.load import load_sources
from generator.pipeline.validate import validate
from plots.output import FigureOutput

CATEGORIES: dict[str, dict[str, str]] = {
    "normalization": {
        "title": "Normalization",
        "description": "Techniques that rescale activations.",
    },
    "training": {"title": "Training", "description": "Fitting a model to data."},
}

# What the fake figure renderer draws: the smallest SVG that passes the figure SVG check.
FAKE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"/>'

# A term file's content: a mapping (dumped as YAML), or the exact text or bytes of the file.
Content = Mapping[str, Any] | str | bytes
MakeGlossary = Callable[..., Path]


def _term_data(name: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "term": name,
        "summary": f"A short plain summary of {name}.",
        "category": "normalization",
        "definition": f"{name} is defined here, precisely.",
    }
    data.update(fields)
    return data


def dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=1000)


def write_file(directory: Path, name: str, content: Content) -> Path:
    """Write ``content`` to ``directory/name`` (``.yaml`` added when the name has no suffix)."""
    path = directory / (name if name.endswith(".yaml") else f"{name}.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(dump(content), encoding="utf-8")
    return path


@pytest.fixture
def make_glossary(tmp_path: Path) -> MakeGlossary:
    """``make_glossary(terms, categories=CATEGORIES)`` writes ``terms/`` and returns the root.

    ``terms`` maps a slug (or a file name ending in .yaml) to its content; ``categories`` is a
    mapping, the exact text of ``_categories.yaml``, or None to leave that file out.
    """

    def make(
        terms: Mapping[str, Content],
        categories: Mapping[str, Any] | str | None = CATEGORIES,
    ) -> Path:
        terms_dir = tmp_path / "terms"
        terms_dir.mkdir(exist_ok=True)
        if categories is not None:
            write_file(terms_dir, "_categories.yaml", categories)
        for name, content in terms.items():
            write_file(terms_dir, name, content)
        return tmp_path

    return make


@pytest.fixture
def own_signing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caches of the test are signed with a key of their own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture
def term_data() -> Callable[..., dict[str, Any]]:
    """``term_data(name, **fields)``: a valid term's data; ``fields`` add or override keys."""
    return _term_data


@pytest.fixture
def check_root() -> Callable[[Path], tuple[Glossary, list[str]]]:
    """``check_root(root)``: load and validate; the glossary and each problem as printed, sorted."""

    def check(root: Path) -> tuple[Glossary, list[str]]:
        glossary, problems = validate(load_sources(root))
        return glossary, [str(p) for p in GlossaryError(problems).problems]

    return check


@pytest.fixture
def fake_figures(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Replace the figure renderer by a cheap fake; return the list of its calls.

    Rendering runs in threads instead of processes so that every call is recorded here.
    """
    calls: list[tuple[str, dict[str, Any]]] = []

    def fake_render_figure(kind: str, params: Mapping[str, Any]) -> FigureOutput:
        calls.append((kind, dict(params)))
        return FigureOutput(FAKE_SVG, FAKE_SVG, "alt")

    monkeypatch.setattr(plots.export, "render_figure", fake_render_figure)
    monkeypatch.setattr(generator.pipeline.figures, "ProcessPoolExecutor", ThreadPoolExecutor)
    return calls
