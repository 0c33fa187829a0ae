"""Reproducible: two builds of the same commit give the same files.

Two project copies in different directories are built with different hash seeds and on
different (pretend) days: the generated Markdown and SVG under docs/glossary/, glossary.json and
every other file of the site are byte-identical, except the sitemap, whose dates are the build
day's (docs/reproducibility.md lists this). One copy renders some figures afresh instead of
taking them from the cache, so a cached figure is shown to be the figure the code draws.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.pipeline.build import GENERATED_DIR, linked_glossary
from generator.pipeline.cache_store import FIGURE_CACHE_DIR
from plots.export import figure_digest
from tests.conftest import PUBLISHED_DAY, build_published
from tests.site_project import project_copy

# Rendered afresh in the second copy: the quickest kind (about a second each).
FRESH_KIND = "normalized-activations"
DATED = {"sitemap.xml", "sitemap.xml.gz"}  # the only files allowed to differ


def tree(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def private_cache_without(project: Path, kind: str) -> int:
    """Give ``project`` its own figure cache: the shared one, less the figures of ``kind``."""
    fresh = {
        figure_digest(spec.kind, spec.params)
        for term in linked_glossary(project).terms
        for spec in term.figures
        if spec.kind == kind
    }
    shared = (project / ".cache").resolve()
    (project / ".cache").unlink()
    shutil.copytree(shared, project / ".cache")
    for digest in fresh:
        (project / FIGURE_CACHE_DIR / f"{digest}.json").unlink(missing_ok=True)
    return len(fresh)


@pytest.fixture(scope="module")
def two_builds(
    published_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    second = project_copy(tmp_path_factory.mktemp("second"))
    assert private_cache_without(second, FRESH_KIND) > 0
    build_published(second, day=PUBLISHED_DAY + 1_000, hash_seed="2")
    return published_project, second


def test_generated_markdown_and_figures_are_byte_identical(two_builds) -> None:
    first, second = (tree(project / GENERATED_DIR) for project in two_builds)
    assert any(name.endswith(".svg") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_glossary_json_is_byte_identical(two_builds) -> None:
    first, second = (project / "site" / "glossary.json" for project in two_builds)
    assert first.read_bytes() == second.read_bytes()


def test_the_whole_site_is_identical_but_for_the_sitemap_dates(two_builds) -> None:
    first, second = (tree(project / "site") for project in two_builds)
    assert first.keys() == second.keys()
    assert {name for name in first if first[name] != second[name]} == DATED
    undated = [re.sub(rb"<lastmod>[^<]*</lastmod>", b"", t["sitemap.xml"]) for t in (first, second)]
    assert undated[0] == undated[1]
    assert b"<lastmod>2022-01-08</lastmod>" in first["sitemap.xml"]  # day 19,000


def test_the_documented_list_of_differing_files_is_this_one() -> None:
    text = (Path(__file__).parents[1] / "docs" / "reproducibility.md").read_text("utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", text, re.MULTILINE))
    assert listed == DATED
