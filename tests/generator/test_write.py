"""write: only changed files are written, stale ones removed, nothing outside is ever touched.

The last tests run the whole pipeline (generator.build.build) with a fake figure renderer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import generator.write
from generator.build import GENERATED_DIR, build
from generator.model import GlossaryError
from generator.write import MANIFEST, read_manifest, write_outputs

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

    monkeypatch.setattr(generator.write.os, "replace", spy)
    write_outputs(out, {"a.md": b"A", "sub/b.md": b"B"}, DISPLAY)
    write_outputs(out, {"a.md": b"A2", "sub/b.md": b"B"}, DISPLAY)
    assert [target.relative_to(out).as_posix() for _, target in replaced] == [
        "a.md",
        "sub/b.md",
        MANIFEST,
        "a.md",
    ]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


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
    "_home-index.md",
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
    assert (out / "figures" / "alpha-2-dark.svg").read_bytes() == b"<svg/>"
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
        "_home-index.md",
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
