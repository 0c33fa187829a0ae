"""When each term file was added and last changed, from the project's git history.

Part of the load stage. The dates are those of commits (the committer's date, in UTC), never
the clock's: the same checkout builds the same pages on any day. A project that is not a git
checkout of its own (a release tarball, a copy) has no history, and its pages show no dates.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from generator.model import TermDates

GIT_TIMEOUT_SECONDS = 30
_COMMIT = "@"  # starts each commit's line in the log's output (a file's line starts with terms/)


@dataclass(frozen=True)
class FileHistory:
    """The dates of each file of a directory that its git history knows, by path
    (``terms/<slug>.yaml``); empty when there is no history."""

    files: tuple[tuple[str, TermDates], ...] = ()

    def of(self, path: str) -> TermDates | None:
        return self._by_path.get(path)

    @cached_property
    def _by_path(self) -> dict[str, TermDates]:
        return dict(self.files)


def file_history(root: Path, directory: str) -> FileHistory:
    """The history of ``root/directory``'s files, when ``root`` is the top of a git checkout
    (``root/.git`` exists) and git can read it; else an empty history."""
    if not (root / ".git").exists():
        return FileHistory()
    command = [
        "git",
        # A repository's own settings could run programs (a file-system monitor); none is needed.
        "-c",
        "core.fsmonitor=false",
        "-C",
        str(root),
        "log",
        f"--format={_COMMIT}%ct",
        "--name-only",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--relative",
        "--",
        directory,
    ]
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
            env=environment,
        )
    except (OSError, subprocess.TimeoutExpired):  # no git, or a repository it cannot read
        return FileHistory()
    if result.returncode != 0:
        return FileHistory()
    return history_from_log(result.stdout.decode("utf-8", "replace"))


def history_from_log(log: str) -> FileHistory:
    """Parse ``git log --format=<NUL>%ct --name-only --relative``, newest commit first."""
    updated: dict[str, tuple[str, int]] = {}
    added: dict[str, str] = {}
    date, seconds = "", 0
    for line in log.splitlines():
        if line.startswith(_COMMIT):
            seconds = int(line[1:].strip() or 0)
            date = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")
        elif line.strip() and date:
            path = line.strip()  # relative to the checkout: terms/<name>
            updated.setdefault(path, (date, seconds))  # the newest commit comes first
            added[path] = date  # ... and the oldest last
    return FileHistory(
        tuple((path, TermDates(added[path], *updated[path])) for path in sorted(updated))
    )
