"""Stage 6, write: the only writer of generated files.

Writes each file only when its bytes changed (atomically: a temporary file, then a rename), keeps
a manifest of what it generated, removes files it generated before that are no longer produced
(pages of deleted terms), and refuses to write outside its directory or over a file it did not
generate.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.model import GlossaryError, Problem

MANIFEST = ".manifest.json"


@dataclass
class WriteReport:
    """What one run changed on disk."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_outputs(out_dir: Path, outputs: Mapping[str, bytes], display_dir: str) -> WriteReport:
    """Make ``out_dir`` hold exactly ``outputs`` (relative POSIX path -> bytes)."""
    for relative in outputs:
        _check_relative(relative, display_dir)
    previous = read_manifest(out_dir)
    strangers = [
        relative
        for relative in sorted(outputs)
        if relative not in previous and (out_dir / relative).exists()
    ]
    if strangers:
        raise GlossaryError(
            [
                Problem(
                    f"{display_dir}/{relative}",
                    1,
                    1,
                    "output",
                    "this file exists but was not generated, so it will not be overwritten",
                    f"move it out of {display_dir}/ (that directory belongs to the generator)",
                )
                for relative in strangers
            ]
        )
    report = WriteReport()
    for relative in sorted(outputs):
        target = out_dir / relative
        if target.is_file() and target.read_bytes() == outputs[relative]:
            report.unchanged += 1
            continue
        _write_atomically(target, outputs[relative])
        report.written.append(relative)
    for relative in sorted(previous - set(outputs)):
        target = out_dir / relative
        if target.is_file():
            target.unlink()
            report.removed.append(relative)
            _remove_empty_parents(target.parent, out_dir)
    manifest = json.dumps({"generated": sorted(outputs)}, indent=1).encode() + b"\n"
    manifest_path = out_dir / MANIFEST
    if not manifest_path.is_file() or manifest_path.read_bytes() != manifest:
        _write_atomically(manifest_path, manifest)
    return report


def read_manifest(out_dir: Path) -> set[str]:
    """The files a previous run generated in ``out_dir`` (empty if there was none)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {path for path in data["generated"] if _is_safe(path)}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _check_relative(relative: str, display_dir: str) -> None:
    if not _is_safe(relative):
        raise GlossaryError(
            [
                Problem(
                    f"{display_dir}/{relative}",
                    1,
                    1,
                    "output",
                    "refusing to write outside the generated directory",
                    "this is a bug in the generator: please report it",
                )
            ]
        )


def _is_safe(relative: str) -> bool:
    path = PurePosixPath(relative)
    return (
        isinstance(relative, str)
        and bool(relative)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in relative
        and path.name != MANIFEST
    )


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, target)


def _remove_empty_parents(directory: Path, stop: Path) -> None:
    while directory != stop and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
