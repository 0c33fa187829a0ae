"""Stage 6, write: the only writer of generated files.

Makes the generated directory hold exactly the files of this run: writes a file only when its
bytes changed, removes the files it generated before that are no longer produced (pages and
figures of deleted terms), and refuses to write outside its directory, through a symbolic link,
or over a file it did not generate. ``.manifest.json`` in the directory lists what it generated.

A run may stop at any moment (bad input, an exception, a kill) without damaging the output:

- every file is replaced whole: written to ``.<name>.tmp`` beside it, then renamed over it;
- before creating any file, the manifest lists the files of both the previous run and this
  one, so the next run knows every file it finds as its own, and removes what is stale;
- new files are written first, changed ones next, stale ones removed last, so at every moment
  a link from one generated page to another leads to a file that exists;
- the next run removes the ``.<name>.tmp`` files an interrupted run left behind.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
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
    manifest_found = (out_dir / MANIFEST).is_file()
    found, foreign = _found_in(out_dir, outputs, previous)
    problems = [
        _refusal(out_dir, relative, display_dir, manifest_found) for relative in sorted(foreign)
    ]
    if problems:
        raise GlossaryError(problems)
    try:
        return _write(out_dir, outputs, found, previous)
    except OSError as error:
        where = Path(str(error.filename or out_dir))
        shown = where.relative_to(out_dir).as_posix() if where.is_relative_to(out_dir) else ""
        raise GlossaryError(
            [
                Problem(
                    f"{display_dir}/{shown}".rstrip("/"),
                    1,
                    1,
                    "output",
                    f"cannot write: {error.strerror or error}",
                    "free some disk space or fix the permissions, then run again; every file "
                    "is either as before or complete",
                )
            ]
        ) from None


# A file or directory as last seen: (mode, size, modification and change times in ns, inode).
Stamp = tuple[int, int, int, int, int]


def output_stamps(out_dir: Path, relatives: Iterable[str]) -> dict[str, Stamp]:
    """The stamps of the generated files ``relatives``, of the manifest, and of every directory
    that holds them ("" is ``out_dir``), as they are now; see ``outputs_unchanged``."""
    paths = {MANIFEST, ""}
    for relative in relatives:
        paths.add(relative)
        parent = PurePosixPath(relative).parent
        while parent.parts and str(parent) not in paths:
            paths.add(str(parent))
            parent = parent.parent
    directory = os.fspath(out_dir)
    return {path: _stamp(os.path.join(directory, path)) for path in sorted(paths)}


def outputs_unchanged(out_dir: Path, stamps: Mapping[str, Stamp]) -> bool:
    """Whether ``out_dir`` is exactly as when ``stamps`` were taken: every file and directory
    the same (a new, removed or replaced file changes its directory's times), so that a run
    whose outputs would be the same would write, remove and report nothing else."""
    directory = os.fspath(out_dir)
    return all(
        _stamp(os.path.join(directory, path)) == tuple(stamp) for path, stamp in stamps.items()
    )


def _stamp(path: str) -> Stamp:
    try:
        found = os.lstat(path)
    except OSError:
        return (0, 0, 0, 0, 0)
    return (found.st_mode, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def read_manifest(out_dir: Path) -> set[str]:
    """The files a previous run generated in ``out_dir`` (empty if there was none)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {path for path in data["generated"] if _is_safe(path)}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _write(
    out_dir: Path, outputs: Mapping[str, bytes], found: Mapping[str, _Found], previous: set[str]
) -> WriteReport:
    _remove_temporaries(out_dir, previous | set(outputs))
    report = WriteReport()
    changed = [relative for relative in outputs if found[relative] is not _Found.SAME]
    stale = sorted(previous - set(outputs))
    report.unchanged = len(outputs) - len(changed)
    if changed or stale:
        _write_manifest(out_dir, previous | set(outputs))  # before any new file exists
    # New files before changed ones: a changed page may link to a new one, never the reverse.
    for relative in sorted(changed, key=lambda r: (found[r] is not _Found.NOTHING, r)):
        _write_atomically(out_dir / relative, outputs[relative])
        report.written.append(relative)
    report.written.sort()
    for relative in stale:
        target = out_dir / relative
        if target.is_file() and not target.is_symlink():
            target.unlink()
            report.removed.append(relative)
            _remove_empty_parents(target.parent, out_dir)
    _write_manifest(out_dir, set(outputs))
    return report


class _Found(Enum):
    """What is where a generated file goes, before this run writes it."""

    NOTHING = "nothing"
    SAME = "a regular file with exactly the new content"
    OTHER = "a regular file with other content, or a directory"
    LINK = "a symbolic link"


def _found(path: str, content: bytes) -> _Found:
    """One ``lstat`` per generated file, and a read only when the sizes are equal: a run writes
    thousands of files, nearly all of them unchanged."""
    try:
        found = os.lstat(path)
    except OSError:
        return _Found.NOTHING
    if stat.S_ISLNK(found.st_mode):
        return _Found.LINK
    if not stat.S_ISREG(found.st_mode) or found.st_size != len(content):
        return _Found.OTHER
    with open(path, "rb") as file:
        return _Found.SAME if file.read() == content else _Found.OTHER


def _found_in(
    out_dir: Path, outputs: Mapping[str, bytes], previous: set[str]
) -> tuple[dict[str, _Found], list[str]]:
    """What is now where each output goes, and the outputs that would overwrite, or write
    through, something that is not ours: a file the manifest does not list (unless it already
    holds exactly the new content, as after a run whose manifest was lost), a symbolic link, or
    a file where a directory goes. Nothing is read through a link."""
    found: dict[str, _Found] = {}
    foreign = []
    safe_directories: set[Path] = set()  # checked once each, for the many files in them
    directory = os.fspath(out_dir)
    for relative, content in outputs.items():
        if _through_link(out_dir, relative, safe_directories):
            foreign.append(relative)
            continue
        found[relative] = _found(os.path.join(directory, relative), content)
        if found[relative] is _Found.LINK or (
            relative not in previous and found[relative] is _Found.OTHER
        ):
            foreign.append(relative)
    return found, foreign


def _through_link(out_dir: Path, relative: str, safe_directories: set[Path]) -> bool:
    """Whether a directory on the way to ``relative`` is a symbolic link, or not a directory."""
    directory = out_dir
    for part in PurePosixPath(relative).parent.parts:
        directory = directory / part
        if directory not in safe_directories:
            if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
                return True
            safe_directories.add(directory)
    return False


def _refusal(out_dir: Path, relative: str, display_dir: str, manifest_found: bool) -> Problem:
    if manifest_found:
        message = "this file exists but was not generated, so it will not be overwritten"
        fix = f"move it out of {display_dir}/ (that directory belongs to the generator)"
    else:
        message = (
            f"this file exists but {display_dir}/{MANIFEST}, the list of generated files, is "
            "missing, so it will not be overwritten"
        )
        fix = (
            f"if {display_dir}/ holds only generated files, delete it and run again; "
            "otherwise move this file out of it"
        )
    return Problem(f"{display_dir}/{relative}", 1, 1, "output", message, fix)


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
    if not isinstance(relative, str):  # as PurePosixPath would: a manifest that holds one is
        raise TypeError(relative)  # not ours
    parts = relative.split("/")  # string operations: this runs for every generated file
    names = [part for part in parts if part]
    name = names[-1] if names else ""
    return (
        bool(relative)
        and not relative.startswith("/")
        and ".." not in parts
        and "." not in parts
        and "\\" not in relative
        and "\0" not in relative
        and name != MANIFEST
        and not name.endswith(".tmp")
    )


def _holds(target: Path, content: bytes) -> bool:
    return target.is_file() and not target.is_symlink() and target.read_bytes() == content


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp")


def _remove_temporaries(out_dir: Path, ours: set[str]) -> None:
    """Remove the temporary files that an interrupted run left beside our files."""
    for relative in [*ours, MANIFEST]:
        temporary = _temporary(out_dir / relative)
        if temporary.is_file() and not temporary.is_symlink():
            temporary.unlink()


def _write_manifest(out_dir: Path, generated: set[str]) -> None:
    manifest = json.dumps({"generated": sorted(generated)}, indent=1).encode() + b"\n"
    if not _holds(out_dir / MANIFEST, manifest):
        _write_atomically(out_dir / MANIFEST, manifest)


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(target)
    try:
        temporary.write_bytes(content)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_empty_parents(directory: Path, stop: Path) -> None:
    while directory != stop and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
