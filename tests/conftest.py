"""Fixtures shared by the end-to-end tests: the shipped glossary built once, as published; and
how ``make test`` shares the suite among processes (pytest-xdist, ``--dist loadgroup``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site_project import project_copy, run_python

# The site as the GitHub Pages workflow builds it: with its address and repository.
PUBLISHED = {
    "GLOSSARY_SITE_URL": "https://example.org/glossary/",
    "GLOSSARY_REPO_URL": "https://github.com/example/glossary",
    "GLOSSARY_EDIT_URI": "edit/main/docs/",
}
PUBLISHED_DAY = 19_000  # SOURCE_DATE_EPOCH, in days: the sitemap's dates
PUBLISHED_HASH_SEED = "1"


def build_published(project: Path, day: int, hash_seed: str) -> None:
    """``glossary build`` of ``project`` into ``project/site``, as published, on ``day`` (since
    1970) with Python's ``hash_seed``."""
    env = {**PUBLISHED, "SOURCE_DATE_EPOCH": str(day * 86400), "PYTHONHASHSEED": hash_seed}
    result = run_python("-m", "generator", "build", "--site-dir", "site", cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site built: open" in result.stdout.splitlines()[-1]


@pytest.fixture(scope="session")
def published_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, built as published into its ``site/``; read it, never change it
    (a build takes half a minute, so the tests that read a built site share this one)."""
    project = project_copy(tmp_path_factory.mktemp("published"))
    build_published(project, PUBLISHED_DAY, PUBLISHED_HASH_SEED)
    return project


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each test its group for ``--dist loadgroup``: a module's tests run in one process,
    so that what a module builds once is built once; the browser tests (which share two builds
    of the site) and the tests of the published build are a group each."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            group = "browser"
        elif "published_project" in getattr(item, "fixturenames", ()):
            group = "published"
        else:
            group = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
