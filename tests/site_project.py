"""A throwaway copy of the project to build the site in, for the end-to-end and browser tests.

The copy holds its own content (terms, hand-written docs, configuration), so a test may edit it
freely, and shares everything that is only read through symlinks: the code, the figure cache
and the npm packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

COPIED_DIRS = ("terms", "docs")
COPIED_FILES = ("mkdocs.yml", "CONTRIBUTING.md", "package.json")
# .cache holds the rendered figures, so builds reuse them; node_modules the browser assets
# (KaTeX, iframe-worker, axe-core) that the build copies into the site.
LINKED = ("generator", "plots", "overrides", ".cache", "node_modules")


def project_copy(tmp: Path) -> Path:
    """Copy the project's content into ``tmp / "project"``, link the rest; return that path."""
    project = tmp / "project"
    project.mkdir()
    for name in COPIED_DIRS:
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("glossary"))
    for name in COPIED_FILES:
        shutil.copy(ROOT / name, project / name)
    (ROOT / ".cache").mkdir(exist_ok=True)
    for name in LINKED:
        (project / name).symlink_to(ROOT / name)
    return project


def run_python(
    *arguments: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python *arguments`` with this interpreter in ``cwd`` (with ``env`` added to the
    environment); capture its output as text."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def read_term(slug: str) -> dict:
    """The fields of ``terms/<slug>.yaml`` as written there."""
    return yaml.safe_load((ROOT / "terms" / f"{slug}.yaml").read_text(encoding="utf-8"))
