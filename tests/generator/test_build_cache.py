"""The build cache on disk (``BuildCache.on_disk``): a warm run gives exactly what a cold one
gives, reads again only what changed, and treats any cache it did not write as no cache."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import generator.pipeline.build
import generator.pipeline.cache_store
import generator.pipeline.load
import plots.export
from bench.synthetic import write_terms
from generator.markdown.mentions import MentionIndex, Names
from generator.model import GlossaryError
from generator.pipeline.build import GENERATED_DIR, Summary, build, check_glossary
from generator.pipeline.build import generate as generate_with
from generator.pipeline.build_cache import BuildCache
from generator.pipeline.cache_store import SHARDS, STORE_DIR, CacheStore, shard_of

TERMS = 24
pytestmark = pytest.mark.usefixtures("own_signing_key")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    write_terms(project / "terms", TERMS, figures=False)
    return project


def generate(root: Path) -> Summary:
    """``glossary generate``: a new process, with the cache the last one left."""
    return generate_with(root, cache=BuildCache.on_disk(root))


def check(root: Path) -> Summary:
    """``glossary check``, likewise."""
    return check_glossary(root, BuildCache.on_disk(root))


def cold_outputs(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build from scratch of ``root``'s terms generates: every file, by path."""
    fresh = tmp_path / "cold"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root / "terms", fresh / "terms")
    build(fresh)
    return outputs(fresh)


def outputs(root: Path) -> dict[str, bytes]:
    out = root / GENERATED_DIR
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def term_file(root: Path, k: int) -> Path:
    return sorted((root / "terms").glob("[!_]*.yaml"))[k]


def edit_summary(root: Path) -> None:
    path = term_file(root, TERMS // 2)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: ", "summary: Newly, ", 1), encoding="utf-8")


def add_term(root: Path) -> None:
    """A new term: a copy of another under a new name, without its aliases."""
    term = yaml.safe_load(term_file(root, 3).read_text(encoding="utf-8"))
    term.update(term="Brand New Idea", aliases=[])
    text = yaml.safe_dump(term, sort_keys=False, allow_unicode=True)
    (root / "terms" / "brand-new-idea.yaml").write_text(text, encoding="utf-8")


def delete_term(root: Path) -> None:
    term_file(root, 5).unlink()  # other terms may link to it: then the check fails


def rename_term(root: Path) -> None:
    path = term_file(root, 7)
    path.rename(path.with_name("a-renamed-term.yaml"))


def edit_categories(root: Path) -> None:
    path = root / "terms" / "_categories.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: The ", 1), encoding="utf-8")


def record_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the path of every file that load parses, in order."""
    parsed: list[str] = []
    parse = generator.pipeline.load.parse_document
    monkeypatch.setattr(
        generator.pipeline.load,
        "parse_document",
        lambda raw, path: parsed.append(path) or parse(raw, path),
    )
    return parsed


@pytest.mark.parametrize(
    "change",
    [edit_summary, add_term, delete_term, rename_term, edit_categories],
    ids=["edit", "add", "delete", "rename", "categories"],
)
def test_a_warm_run_after_a_change_gives_what_a_cold_run_gives(
    root: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    generate(root)
    change(root)
    try:
        cold = cold_outputs(root, tmp_path)
    except GlossaryError as error:  # the change broke the glossary: the same problems
        assert change in (delete_term, rename_term)  # other terms link to the term
        with pytest.raises(GlossaryError) as warm:
            generate(root)
        assert warm.value.problems == error.problems
        with pytest.raises(GlossaryError) as checked:
            check(root)
        assert checked.value.problems == error.problems
        return
    summary = generate(root)
    assert summary.report.written  # the change reached the pages
    assert outputs(root) == cold
    assert generate(root).report.written == []  # and the next run has nothing to do
    assert outputs(root) == cold


def test_a_run_with_nothing_changed_reads_the_last_result(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = generate(root)
    assert check(root) == Summary(TERMS, first.categories)
    before = {p: p.stat().st_mtime_ns for p in (root / GENERATED_DIR).rglob("*")}

    def no_pipeline(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pipeline ran although nothing changed")

    monkeypatch.setattr(generator.pipeline.build, "load_sources", no_pipeline)
    summary = generate(root)
    assert summary.report.written == summary.report.removed == []
    assert summary.report.unchanged == len(first.report.written)
    assert summary.terms == TERMS
    assert check(root).terms == TERMS
    assert {p: p.stat().st_mtime_ns for p in (root / GENERATED_DIR).rglob("*")} == before


def test_a_run_after_one_edit_parses_only_that_file(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(root)
    edit_summary(root)
    parsed = record_parses(monkeypatch)
    generate(root)
    assert parsed == [term_file(root, TERMS // 2).relative_to(root).as_posix()]


@pytest.mark.parametrize("damage", ["edit", "delete", "add", "temporary"])
def test_generated_files_changed_by_hand_are_generated_again(
    root: Path, tmp_path: Path, damage: str
) -> None:
    generate(root)
    out = root / GENERATED_DIR
    page = sorted(out.glob("*.md"))[3]
    if damage == "edit":
        page.write_text("edited by hand\n", encoding="utf-8")
    elif damage == "delete":
        page.unlink()
    elif damage == "add":
        (out / "category" / "stray.md").write_text("not generated\n", encoding="utf-8")
    else:
        (out / f".{page.name}.tmp").write_text("left by a killed run\n", encoding="utf-8")
    summary = generate(root)
    expected = cold_outputs(root, tmp_path)
    if damage == "add":
        expected["category/stray.md"] = b"not generated\n"  # not ours: left alone
    assert outputs(root) == expected
    assert summary.report.written == ([] if damage in ("add", "temporary") else [page.name])


def store_files(root: Path) -> list[Path]:
    files = sorted((root / STORE_DIR).iterdir())
    shards = {f"{part}-{shard:02d}" for part in ("files", "formulas") for shard in range(SHARDS)}
    parts = {"files", "figures", "mentions", "pages", "run"}
    assert parts < {f.name for f in files} <= parts | shards | {"katex-verdicts"}
    return files


@pytest.mark.parametrize(
    "damage",
    [
        lambda content: content[: len(content) // 2],  # truncated
        lambda content: content[:-1] + bytes([content[-1] ^ 1]),  # one bit flipped
        lambda content: b"",
        lambda content: b"\x00" * 1000,
        lambda content: content.replace(b"ai-glossary", b"ai-glossarz", 1),  # another format
    ],
    ids=["truncated", "bit-flipped", "empty", "garbage", "foreign-header"],
)
def test_a_damaged_cache_means_a_silent_full_rebuild(
    root: Path, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    generate(root)
    for file in store_files(root):
        file.write_bytes(damage(file.read_bytes()))
    edit_summary(root)
    summary = generate(root)
    assert summary.report.written
    assert outputs(root) == cold_outputs(root, tmp_path)
    assert check(root).terms == TERMS


def test_a_cache_signed_with_another_key_is_not_used(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache committed to the repository, or copied from another machine, is ignored: its
    entries could say anything."""
    generate(root)
    (root / GENERATED_DIR / "index.md").write_text("forged\n", encoding="utf-8")
    store = CacheStore.for_project(root)
    assert store is not None
    run = store.read("run")
    assert run is not None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    forged = CacheStore.for_project(root)
    assert forged is not None
    # The attacker's record says the generated files are as they are now, forged page included.
    fingerprint, (size, (count, _), warnings) = run
    stamps = generator.pipeline.build.output_stamps(
        root / GENERATED_DIR, generator.pipeline.build.read_manifest(root / GENERATED_DIR)
    )
    forged.write("run", (fingerprint, (size, (count, stamps), warnings)))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    generate(root)
    assert outputs(root) == cold_outputs(root, tmp_path)


def test_another_version_of_the_tool_starts_from_scratch(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to the code (the schema, a check, a template) is a new version: every file is
    parsed and checked again."""
    generate(root)
    monkeypatch.setattr(generator.pipeline.cache_store, "tool_version", lambda: b"another")
    parsed = record_parses(monkeypatch)
    assert check(root).terms == TERMS
    assert len(parsed) == TERMS + 2  # and the categories and tags files


def test_a_check_that_fails_fails_again_with_the_same_problems(root: Path) -> None:
    path = term_file(root, 2)
    path.write_text(path.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as first:
        check(root)
    with pytest.raises(GlossaryError) as again:
        check(root)
    assert again.value.problems == first.value.problems
    assert len(first.value.problems) == 1


def test_no_cache_is_kept_through_a_symbolic_link(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cache").symlink_to(elsewhere)
    assert BuildCache.on_disk(root).store is None
    generate(root)
    assert list(elsewhere.iterdir()) == []


def test_a_run_after_one_edit_rewrites_one_file_of_the_cache(root: Path) -> None:
    generate(root)
    shards = sorted((root / STORE_DIR).glob("files-*"))
    before = {path.name: path.stat().st_ino for path in shards}  # a file replaced: a new inode
    edit_summary(root)
    generate(root)
    rewritten = [path.name for path in shards if path.stat().st_ino != before[path.name]]
    edited = term_file(root, TERMS // 2).relative_to(root).as_posix()
    assert rewritten == [f"files-{shard_of(edited):02d}"]


def test_a_build_whose_figures_are_all_cached_computes_no_figure_digest(
    tmp_path: Path, fake_figures: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digests come from the build cache: a rebuild after an edit that leaves every figure
    as it was needs neither the plotting code nor matplotlib."""
    project = tmp_path / "project"
    write_terms(project / "terms", TERMS, figures=True)
    generate(project)
    assert fake_figures  # the synthetic glossary's first terms have figures
    digested: list[str] = []

    def figure_digest(kind: str, params: object) -> str:
        digested.append(kind)
        return kind

    monkeypatch.setattr(plots.export, "figure_digest", figure_digest)
    edit_summary(project)
    assert generate(project).report.written
    assert digested == []


def test_the_index_of_names_is_built_again_only_when_a_name_changes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(root)
    built: list[int] = []
    from_names = MentionIndex.from_names.__func__  # type: ignore[attr-defined]

    def recorded(cls: type[MentionIndex], names: Names) -> MentionIndex:
        built.append(len(names))
        return from_names(cls, names)  # type: ignore[no-any-return]

    monkeypatch.setattr(MentionIndex, "from_names", classmethod(recorded))
    edit_summary(root)
    generate(root)
    assert built == []
    add_term(root)
    generate(root)
    assert built == [TERMS + 1]
