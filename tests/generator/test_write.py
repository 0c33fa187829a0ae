"""write: only changed files are written, stale ones removed, nothing outside is ever touched.

The last tests run the whole pipeline (generator.pipeline.build.build) with a fake figure renderer.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

import generator
import generator.pipeline.write
from generator.model import GlossaryError
from generator.pipeline.build import GENERATED_DIR, build
from generator.pipeline.write import MANIFEST, read_manifest, write_outputs
from tests.generator.conftest import FAKE_SVG

DISPLAY = "docs/glossary"


def stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "docs" / "glossary"


def test_writes_new_files_and_a_manifest(out: Path) -> None:
    report = write_outputs(out, {"b.md": b"B", "sub/a.md": b"A"}, DISPLAY)
    assert report.written == ["b.md", "sub/a.md"]
    assert report.removed == []
    assert report.unchanged == 0
    assert tree(out) == {
        "b.md": b"B",
        "sub/a.md": b"A",
        MANIFEST: b'{\n "generated": [\n  "b.md",\n  "sub/a.md"\n ]\n}\n',
    }
    assert read_manifest(out) == {"b.md", "sub/a.md"}


def test_unchanged_files_are_reported_and_not_rewritten(out: Path) -> None:
    outputs = {"a.md": b"A", "sub/b.md": b"B"}
    write_outputs(out, outputs, DISPLAY)
    before = {p: stat(out / p) for p in ["a.md", "sub/b.md", MANIFEST]}
    report = write_outputs(out, outputs, DISPLAY)
    assert (report.written, report.removed, report.unchanged) == ([], [], 2)
    assert {p: stat(out / p) for p in before} == before


def test_only_changed_files_are_rewritten(out: Path) -> None:
    write_outputs(out, {"a.md": b"A", "b.md": b"B"}, DISPLAY)
    kept = stat(out / "a.md")
    report = write_outputs(out, {"a.md": b"A", "b.md": b"B2"}, DISPLAY)
    assert (report.written, report.unchanged) == (["b.md"], 1)
    assert stat(out / "a.md") == kept
    assert (out / "b.md").read_bytes() == b"B2"


def test_files_of_the_previous_manifest_no_longer_produced_are_removed(out: Path) -> None:
    write_outputs(out, {"a.md": b"A", "old/b.md": b"B", "old/deeper/c.md": b"C"}, DISPLAY)
    report = write_outputs(out, {"a.md": b"A"}, DISPLAY)
    assert report.removed == ["old/b.md", "old/deeper/c.md"]
    assert not (out / "old").exists()  # emptied directories go too
    assert tree(out) == {"a.md": b"A", MANIFEST: b'{\n "generated": [\n  "a.md"\n ]\n}\n'}


def test_refuses_to_overwrite_a_file_it_did_not_generate(out: Path) -> None:
    write_outputs(out, {"a.md": b"A"}, DISPLAY)
    (out / "mine.md").write_bytes(b"hand-written")
    (out / "sub").mkdir()
    (out / "sub" / "notes.md").write_bytes(b"also mine")
    with pytest.raises(GlossaryError) as raised:
        write_outputs(
            out, {"a.md": b"A2", "mine.md": b"X", "sub/notes.md": b"Y", "new.md": b"N"}, DISPLAY
        )
    assert [str(p) for p in raised.value.problems] == [
        f"docs/glossary/{name}:1:1: output: this file exists but was not generated, so it will "
        "not be overwritten; move it out of docs/glossary/ (that directory belongs to the "
        "generator)"
        for name in ["mine.md", "sub/notes.md"]
    ]
    # nothing at all was written: the refusal comes before any change
    assert tree(out) == {
        "a.md": b"A",
        "mine.md": b"hand-written",
        "sub/notes.md": b"also mine",
        MANIFEST: b'{\n "generated": [\n  "a.md"\n ]\n}\n',
    }


@pytest.mark.parametrize(
    "relative",
    ["../escape.md", "a/../../escape.md", "/tmp/absolute.md", "a\\b.md", "", MANIFEST],
)
def test_refuses_paths_outside_the_directory(out: Path, relative: str) -> None:
    with pytest.raises(GlossaryError) as raised:
        write_outputs(out, {"fine.md": b"F", relative: b"X"}, DISPLAY)
    assert [str(p) for p in raised.value.problems] == [
        f"docs/glossary/{relative}:1:1: output: refusing to write outside the generated "
        "directory; this is a bug in the generator: please report it"
    ]
    assert not out.exists()
    assert not (out.parent / "escape.md").exists()


def test_hand_written_files_survive_every_run(out: Path) -> None:
    out.mkdir(parents=True)
    (out / "README.txt").write_bytes(b"mine")
    (out / "old").mkdir()
    (out / "old" / "keep.txt").write_bytes(b"mine too")
    write_outputs(out, {"a.md": b"A", "old/gone.md": b"G"}, DISPLAY)
    write_outputs(out, {"a.md": b"A2"}, DISPLAY)
    write_outputs(out, {}, DISPLAY)
    assert tree(out) == {
        "README.txt": b"mine",
        "old/keep.txt": b"mine too",
        MANIFEST: b'{\n "generated": []\n}\n',
    }


def test_a_tampered_manifest_cannot_make_it_delete_outside(out: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    out.mkdir(parents=True)
    (out / MANIFEST).write_text(
        json.dumps({"generated": ["../../victim.txt", str(victim), "a.md"]}), encoding="utf-8"
    )
    assert read_manifest(out) == {"a.md"}
    write_outputs(out, {}, DISPLAY)
    assert victim.read_bytes() == b"precious"


@pytest.mark.parametrize("manifest", ["not json", '{"generated": 3}', "[]", '{"other": []}'])
def test_a_damaged_manifest_counts_as_none(out: Path, manifest: str) -> None:
    out.mkdir(parents=True)
    (out / MANIFEST).write_text(manifest, encoding="utf-8")
    assert read_manifest(out) == set()
    report = write_outputs(out, {"a.md": b"A"}, DISPLAY)
    assert report.written == ["a.md"]
    assert read_manifest(out) == {"a.md"}


def test_writes_are_atomic_replacements_and_leave_no_temporary_files(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(source, target) -> None:
        source, target = Path(source), Path(target)
        assert source.parent == target.parent  # same directory: the rename is atomic
        assert source.name.startswith(".")
        assert source.name.endswith(".tmp")
        replaced.append((source, target))
        real_replace(source, target)

    monkeypatch.setattr(generator.pipeline.write.os, "replace", spy)
    write_outputs(out, {"a.md": b"A", "sub/b.md": b"B"}, DISPLAY)
    write_outputs(out, {"a.md": b"A2", "sub/b.md": b"B"}, DISPLAY)
    assert [target.relative_to(out).as_posix() for _, target in replaced] == [
        MANIFEST,  # first: every file about to be written is listed before it exists
        "a.md",
        "sub/b.md",
        "a.md",  # the second run: the manifest is already right
    ]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_a_lost_manifest_with_files_it_would_write_identically_is_recovered(out: Path) -> None:
    write_outputs(out, {"a.md": b"A", "sub/b.md": b"B"}, DISPLAY)
    (out / MANIFEST).unlink()  # e.g. deleted by hand
    report = write_outputs(out, {"a.md": b"A", "sub/b.md": b"B", "c.md": b"C"}, DISPLAY)
    assert (report.written, report.unchanged) == (["c.md"], 2)
    assert read_manifest(out) == {"a.md", "sub/b.md", "c.md"}


def test_a_lost_manifest_says_so_when_a_file_would_change(out: Path) -> None:
    write_outputs(out, {"a.md": b"A", "b.md": b"B"}, DISPLAY)
    (out / MANIFEST).unlink()
    with pytest.raises(GlossaryError) as raised:
        write_outputs(out, {"a.md": b"A", "b.md": b"B2"}, DISPLAY)
    assert [str(p) for p in raised.value.problems] == [
        "docs/glossary/b.md:1:1: output: this file exists but docs/glossary/.manifest.json, the "
        "list of generated files, is missing, so it will not be overwritten; if docs/glossary/ "
        "holds only generated files, delete it and run again; otherwise move this file out of it"
    ]
    assert (out / "b.md").read_bytes() == b"B"


def test_refuses_to_write_through_a_symbolic_link(out: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir(parents=True)
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    (out / "linked.md").symlink_to(elsewhere / "target.md")
    with pytest.raises(GlossaryError) as raised:
        write_outputs(out, {"figures/a.svg": b"<svg/>", "linked.md": b"L"}, DISPLAY)
    assert [p.path for p in raised.value.problems] == [
        "docs/glossary/figures/a.svg",
        "docs/glossary/linked.md",
    ]
    assert list(elsewhere.iterdir()) == []


def test_nothing_is_read_through_a_symbolic_link(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a file outside that holds exactly the new content is neither read nor adopted."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.svg").write_bytes(b"<svg/>")
    out.mkdir(parents=True)
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    looked_at: list[str] = []
    found = generator.pipeline.write._found
    monkeypatch.setattr(
        generator.pipeline.write,
        "_found",
        lambda path, content: looked_at.append(path) or found(path, content),
    )
    with pytest.raises(GlossaryError) as raised:
        write_outputs(out, {"figures/a.svg": b"<svg/>", "b.md": b"B"}, DISPLAY)
    assert [p.path for p in raised.value.problems] == ["docs/glossary/figures/a.svg"]
    assert looked_at == [str(out / "b.md")]


def test_refuses_a_file_where_a_directory_must_go(out: Path) -> None:
    write_outputs(out, {"a.md": b"A"}, DISPLAY)
    (out / "sub").write_bytes(b"a file, not a directory")
    with pytest.raises(GlossaryError) as raised:
        write_outputs(out, {"a.md": b"A", "sub/b.md": b"B"}, DISPLAY)
    assert [p.path for p in raised.value.problems] == ["docs/glossary/sub/b.md"]


def test_a_disk_error_is_a_clean_error_and_leaves_no_temporary_file(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_outputs(out, {"a.md": b"A"}, DISPLAY)

    def disk_full(source, target) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(generator.pipeline.write.os, "replace", disk_full)
    with pytest.raises(GlossaryError) as raised:
        write_outputs(out, {"a.md": b"A2"}, DISPLAY)
    (problem,) = raised.value.problems
    assert str(problem) == (
        "docs/glossary/a.md:1:1: output: cannot write: No space left on device; free some disk "
        "space or fix the permissions, then run again; every file is either as before or complete"
    )
    assert tree(out) == {"a.md": b"A", MANIFEST: b'{\n "generated": [\n  "a.md"\n ]\n}\n'}


def test_temporary_files_of_an_interrupted_run_are_removed_and_others_kept(out: Path) -> None:
    write_outputs(out, {"a.md": b"A", "sub/b.md": b"B"}, DISPLAY)
    for leftover in (".a.md.tmp", "sub/.b.md.tmp", "..manifest.json.tmp", ".c.md.tmp"):
        (out / leftover).write_bytes(b"half a fi")
    (out / ".notes.tmp").write_bytes(b"not ours")
    write_outputs(out, {"a.md": b"A", "sub/b.md": b"B", "c.md": b"C"}, DISPLAY)
    assert tree(out) == {
        "a.md": b"A",
        "sub/b.md": b"B",
        "c.md": b"C",
        ".notes.tmp": b"not ours",
        MANIFEST: b'{\n "generated": [\n  "a.md",\n  "c.md",\n  "sub/b.md"\n ]\n}\n',
    }


# An update from OLD to NEW that adds (new.md), changes (index.md, which links to new.md and
# no longer to gone.md), keeps (same.md) and removes (gone.md, figures/gone.svg) files.
OLD = {
    "index.md": b"[gone](gone.md) [same](same.md)",
    "same.md": b"same",
    "gone.md": b"gone",
    "figures/gone.svg": b"<svg>gone</svg>",
}
NEW = {
    "index.md": b"[new](new.md) [same](same.md)",
    "same.md": b"same",
    "new.md": b"new",
    "figures/new.svg": b"<svg>new</svg>",
}


class Interrupted(BaseException):
    """Stands for a kill: it is not an Exception, so nothing catches it on the way out."""


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, name: str, calls: int) -> None:
    """Make ``os.<name>`` (replace or unlink) in generator.pipeline.write fail on its call
    ``calls + 1``."""
    real = getattr(os, name)
    done = 0

    def interrupting(*args, **kwargs):
        nonlocal done
        if done == calls:
            raise Interrupted
        done += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(generator.pipeline.write.os, name, interrupting)
    if name == "unlink":  # Path.unlink calls os.unlink
        monkeypatch.setattr(
            generator.pipeline.write.Path, "unlink", lambda self, **kw: interrupting(self)
        )


def _assert_usable(out: Path) -> None:
    """Every file is whole (as in OLD or as in NEW), the manifest lists every generated file
    present, and every link between pages leads to a file that exists."""
    files = {k: v for k, v in tree(out).items() if k != MANIFEST and not k.endswith(".tmp")}
    for relative, content in files.items():
        assert content in (OLD.get(relative), NEW.get(relative)), relative
    assert set(files) <= read_manifest(out)
    for relative, content in files.items():
        for link in re.findall(rb"\]\(([^)]+)\)", content):
            assert (out / relative).parent.joinpath(link.decode()).is_file(), (relative, link)


@pytest.mark.parametrize("calls", range(7))
@pytest.mark.parametrize("name", ["replace", "unlink"])
def test_an_update_interrupted_anywhere_leaves_usable_output_and_the_next_run_finishes_it(
    out: Path, monkeypatch: pytest.MonkeyPatch, name: str, calls: int
) -> None:
    write_outputs(out, OLD, DISPLAY)
    with monkeypatch.context() as patch:
        _interrupt_after(patch, name, calls)
        with contextlib.suppress(Interrupted):
            write_outputs(out, NEW, DISPLAY)
    _assert_usable(out)
    report = write_outputs(out, NEW, DISPLAY)  # never refuses: every file found is known
    assert tree(out) == {**NEW, MANIFEST: _manifest(NEW)}
    assert write_outputs(out, NEW, DISPLAY).unchanged == len(NEW)
    assert set(report.removed) <= {"gone.md", "figures/gone.svg"}


@pytest.mark.parametrize("calls", range(5))
def test_a_first_run_interrupted_anywhere_is_finished_by_the_next(
    out: Path, monkeypatch: pytest.MonkeyPatch, calls: int
) -> None:
    with monkeypatch.context() as patch:
        _interrupt_after(patch, "replace", calls)
        with contextlib.suppress(Interrupted):
            write_outputs(out, NEW, DISPLAY)
    write_outputs(out, NEW, DISPLAY)
    assert tree(out) == {**NEW, MANIFEST: _manifest(NEW)}


def test_a_kill_in_the_middle_of_writing_a_file_leaves_the_old_file(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_outputs(out, OLD, DISPLAY)
    real_write_bytes = Path.write_bytes

    def half_then_killed(self: Path, data: bytes) -> int:
        real_write_bytes(self, data[: len(data) // 2])
        raise Interrupted

    monkeypatch.setattr(generator.pipeline.write.Path, "write_bytes", half_then_killed)
    with pytest.raises(Interrupted):
        write_outputs(out, NEW, DISPLAY)
    monkeypatch.undo()
    _assert_usable(out)
    write_outputs(out, NEW, DISPLAY)
    assert tree(out) == {**NEW, MANIFEST: _manifest(NEW)}


_KILLER = """
import os, signal, sys
import generator.pipeline.write
from generator.cli import main

replace, done = os.replace, 0

def replace_then_die(source, target):
    global done
    if done == {calls}:
        os.kill(os.getpid(), signal.SIGKILL)
    done += 1
    replace(source, target)

generator.pipeline.write.os.replace = replace_then_die
sys.exit(main(["generate"]))
"""


@pytest.mark.parametrize("calls", [3])  # the in-process tests above try every point
def test_a_generate_killed_midway_leaves_usable_output_and_the_next_one_recovers(
    small_glossary: Path, calls: int
) -> None:
    """A real SIGKILL, in a real `glossary generate`, after ``calls`` files are in place."""
    run = partial(subprocess.run, cwd=small_glossary, capture_output=True, text=True)
    python = [sys.executable, "-c"]
    env = {**os.environ, "PYTHONPATH": str(Path(generator.__file__).parents[1])}
    (small_glossary / "terms" / "charlie.yaml").unlink()  # a smaller, figure-free glossary
    for figured in ("alpha", "bravo"):
        path = small_glossary / "terms" / f"{figured}.yaml"
        path.write_text(path.read_text(encoding="utf-8").split("figures:")[0], encoding="utf-8")
    assert run([*python, _KILLER.format(calls=1000)], env=env).returncode == 0
    before = tree(small_glossary / GENERATED_DIR)
    (small_glossary / "terms" / "delta.yaml").unlink()  # the update: one term fewer
    (small_glossary / "terms" / "echo.yaml").write_text(
        "term: Echo\nsummary: A new term.\ncategory: training\ndefinition: Defined.\n",
        encoding="utf-8",
    )
    killed = run([*python, _KILLER.format(calls=calls)], env=env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = tree(small_glossary / GENERATED_DIR)
    assert set(before) - {"delta.md"} <= set(after)  # nothing of the old output is missing
    rerun = run([*python, _KILLER.format(calls=1000)], env=env)
    assert rerun.returncode == 0, rerun.stderr
    final = tree(small_glossary / GENERATED_DIR)
    assert "delta.md" not in final
    assert "echo.md" in final
    assert not [name for name in final if name.endswith(".tmp")]


# --- the whole pipeline, with the fake figure renderer ---

FIGURE = {"kind": "normalized-activations", "caption": "Each sample on its own."}


@pytest.fixture
def small_glossary(make_glossary, term_data) -> Path:
    return make_glossary(
        {
            "alpha": term_data(
                "Alpha",
                related=["bravo"],
                figures=[
                    {**FIGURE, "params": {"norm": "layer"}},
                    {**FIGURE, "params": {"norm": "layer", "seed": 0}},  # same figure
                ],
            ),
            "bravo": term_data(
                "Bravo", figures=[{"kind": "depth-propagation", "caption": "Depth."}]
            ),
            "charlie": term_data("Charlie", category="training", related=["alpha"]),
            "delta": term_data("Delta", category="training"),
        }
    )


PAGES = {
    "alpha.md",
    "bravo.md",
    "charlie.md",
    "delta.md",
    "index.md",
    "_home.md",
    "category/index.md",
    "category/normalization.md",
    "category/training.md",
    "tags/index.md",  # the fixture terms carry no tags
}
FIGURE_FILES = {
    f"figures/{stem}-{variant}.svg"
    for stem in ("alpha-1", "alpha-2", "bravo-1")
    for variant in ("light", "dark")
}


def run_build(root: Path):
    progress: list[str] = []
    return build(root, progress=progress.append)


def test_first_build_writes_every_page_and_renders_each_distinct_figure_once(
    small_glossary: Path, fake_figures
) -> None:
    result = run_build(small_glossary)
    assert set(result.report.written) == PAGES | FIGURE_FILES
    assert result.figures_rendered == 2
    assert sorted(kind for kind, _ in fake_figures) == [
        "depth-propagation",
        "normalized-activations",  # alpha's two figures are the same figure: rendered once
    ]
    out = small_glossary / GENERATED_DIR
    assert (out / "figures" / "alpha-2-dark.svg").read_bytes() == FAKE_SVG
    assert len(list((small_glossary / ".cache" / "figures").glob("*.json"))) == 2


def test_second_build_writes_nothing_and_renders_nothing(
    small_glossary: Path, fake_figures
) -> None:
    run_build(small_glossary)
    out = small_glossary / GENERATED_DIR
    before = {p: stat(p) for p in out.rglob("*") if p.is_file()}
    result = run_build(small_glossary)
    assert result.report.written == []
    assert result.report.removed == []
    assert result.report.unchanged == len(PAGES | FIGURE_FILES)
    assert result.figures_rendered == 0
    assert len(fake_figures) == 2  # only the first build's calls
    assert {p: stat(p) for p in out.rglob("*") if p.is_file()} == before


def test_editing_a_summary_rewrites_exactly_the_pages_that_show_it(
    small_glossary: Path, fake_figures, term_data
) -> None:
    run_build(small_glossary)
    alpha = small_glossary / "terms" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text(encoding="utf-8").replace(
            "A short plain summary of Alpha.", "A new summary of Alpha."
        ),
        encoding="utf-8",
    )
    result = run_build(small_glossary)
    assert set(result.report.written) == {
        "alpha.md",  # its own page
        "bravo.md",  # referenced by alpha, and in the same category
        "charlie.md",  # relates to alpha
        "index.md",
        "_home.md",
        "category/normalization.md",
    }
    assert result.figures_rendered == 0
    assert len(fake_figures) == 2


def test_changing_a_figure_param_renders_only_that_figure(
    small_glossary: Path, fake_figures
) -> None:
    run_build(small_glossary)
    bravo = small_glossary / "terms" / "bravo.yaml"
    bravo.write_text(
        bravo.read_text(encoding="utf-8").replace(
            "caption: Depth.", "caption: Depth.\n  params: {layers: 4}"
        ),
        encoding="utf-8",
    )
    result = run_build(small_glossary)
    assert result.figures_rendered == 1
    assert fake_figures[2:] == [("depth-propagation", {"layers": 4})]


def test_deleting_a_term_removes_its_page_and_figures(small_glossary: Path, fake_figures) -> None:
    run_build(small_glossary)
    (small_glossary / "terms" / "charlie.yaml").unlink()
    (small_glossary / "terms" / "alpha.yaml").write_text(
        (small_glossary / "terms" / "alpha.yaml").read_text(encoding="utf-8").split("figures:")[0],
        encoding="utf-8",
    )
    result = run_build(small_glossary)
    assert result.report.removed == [
        "charlie.md",
        "figures/alpha-1-dark.svg",
        "figures/alpha-1-light.svg",
        "figures/alpha-2-dark.svg",
        "figures/alpha-2-light.svg",
    ]
    out = small_glossary / GENERATED_DIR
    assert not (out / "charlie.md").exists()
    assert "charlie" not in (out / "index.md").read_text(encoding="utf-8")
    assert read_manifest(out) == (PAGES | FIGURE_FILES) - set(result.report.removed)


def test_a_glossary_with_problems_writes_nothing(small_glossary: Path, fake_figures) -> None:
    (small_glossary / "terms" / "echo.yaml").write_text("term: Echo\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as raised:
        run_build(small_glossary)
    assert {p.path for p in raised.value.problems} == {"terms/echo.yaml"}
    assert not (small_glossary / GENERATED_DIR).exists()
    assert fake_figures == []


def _manifest(outputs: dict[str, bytes]) -> bytes:
    return json.dumps({"generated": sorted(outputs)}, indent=1).encode() + b"\n"
