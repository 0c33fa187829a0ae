"""End to end: the shipped glossary builds into a site with MkDocs --strict, and a broken term
stops the build with a located message (through the MkDocs hook, not only the CLI)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _project_copy(tmp: Path) -> Path:
    """A copy of the project's content in ``tmp``, sharing the code and the figure cache."""
    project = tmp / "project"
    project.mkdir()
    for name in ("terms", "docs"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("glossary"))
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, project / name)
    (ROOT / ".cache").mkdir(exist_ok=True)  # rendered figures are reused across builds
    for name in ("generator", "plots", ".cache"):
        (project / name).symlink_to(ROOT / name)
    return project


def _run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _project_copy(tmp_path_factory.mktemp("site"))
    result = _run("-m", "generator", "build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site built: open" in result.stdout.splitlines()[-1]
    return project / "site"


def _term(slug: str) -> dict:
    return yaml.safe_load((ROOT / "terms" / f"{slug}.yaml").read_text(encoding="utf-8"))


def test_batch_normalization_page_shows_its_figures(built_site: Path) -> None:
    page = built_site / "glossary" / "batch-normalization" / "index.html"
    html = page.read_text(encoding="utf-8")
    figures = _term("batch-normalization").get("figures", [])
    assert figures, "batch-normalization.yaml should name its figures"
    sources = re.findall(r'<img alt="([^"]+)"[^>]*src="([^"]+\.svg)#only-(light|dark)"', html)
    assert len(sources) == 2 * len(figures)
    for alt, src, _ in sources:
        assert len(alt) > 40, "alt text must describe the figure"
        assert (page.parent / src).resolve().is_file(), src
    assert html.count("<figcaption>") == len(figures)


def test_batch_normalization_page_links_to_every_related_term(built_site: Path) -> None:
    html = (built_site / "glossary" / "batch-normalization" / "index.html").read_text("utf-8")
    related = _term("batch-normalization")["related"]
    assert len(related) >= 5
    for slug in related:
        assert f'href="../{slug}/"' in html, slug
        assert (built_site / "glossary" / slug / "index.html").is_file(), slug


def test_a_to_z_and_home_link_every_term(built_site: Path) -> None:
    slugs = sorted(p.stem for p in (ROOT / "terms").glob("*.yaml") if not p.stem.startswith("_"))
    a_to_z = (built_site / "glossary" / "index.html").read_text("utf-8")
    home = (built_site / "index.html").read_text("utf-8")
    for slug in slugs:
        assert f'href="../{slug}/"' in a_to_z or f'href="{slug}/"' in a_to_z, slug
        assert f'href="glossary/{slug}/"' in home, slug


def test_a_broken_term_stops_mkdocs_with_a_located_message(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    broken = project / "terms" / "batch-normalization.yaml"
    text = broken.read_text(encoding="utf-8").replace("category: normalization", "category: nope")
    broken.write_text(text, encoding="utf-8")
    result = _run("-m", "mkdocs", "build", "--strict", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    line = text.splitlines().index("category: nope") + 1
    expected = f"terms/batch-normalization.yaml:{line}:11: category: unknown category 'nope'"
    assert expected in output
