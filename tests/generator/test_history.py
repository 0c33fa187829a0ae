"""The dates of term files come from their git history, never from the clock."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.model import TermDates
from generator.pipeline.history import file_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _commit(root: Path, date: str) -> None:
    stamp = f"{date}T12:00:00+00:00"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", date], cwd=root, check=True, env=env)


def test_each_file_has_the_dates_of_its_first_and_last_commit(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    terms = tmp_path / "terms"
    terms.mkdir()
    (terms / "adam.yaml").write_text("term: Adam\n")
    (terms / "sgd.yaml").write_text("term: SGD\n")
    (tmp_path / "README.md").write_text("not a term\n")
    _commit(tmp_path, "2024-01-02")
    (terms / "adam.yaml").write_text("term: Adam\nsummary: changed\n")
    _commit(tmp_path, "2024-03-04")
    (terms / "rmsprop.yaml").write_text("term: RMSprop\n")  # never committed: no dates

    history = file_history(tmp_path, "terms")

    assert history.files == (
        ("terms/adam.yaml", TermDates("2024-01-02", "2024-03-04", 1709553600)),
        ("terms/sgd.yaml", TermDates("2024-01-02", "2024-01-02", 1704196800)),
    )
    assert history.of("terms/rmsprop.yaml") is None


def test_a_project_that_is_not_a_git_checkout_has_no_dates(tmp_path: Path) -> None:
    """A release tarball unpacked inside some other checkout: that history is not its own."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    project = tmp_path / "unpacked"
    (project / "terms").mkdir(parents=True)
    (project / "terms" / "adam.yaml").write_text("term: Adam\n")
    _commit(tmp_path, "2024-01-02")
    assert file_history(project, "terms").files == ()
