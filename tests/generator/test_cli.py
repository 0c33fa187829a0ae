"""The command line: exit codes, located problems on stderr, never a traceback for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import Abort

import generator.cli
import generator.site.plugin
from generator.cli import main
from generator.pipeline.build import BuildResult
from generator.pipeline.build_cache import BuildCache
from generator.pipeline.link import LinkedGlossary
from generator.site.plugin import GlossaryPlugin

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/term.schema.json\n"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def good_root(make_glossary, term_data) -> Path:
    return make_glossary(
        {
            "alpha": term_data("Alpha", related=["bravo"]),
            "bravo": term_data("Bravo", category="training"),
        }
    )


@pytest.fixture
def bad_root(make_glossary, term_data) -> Path:
    return make_glossary(
        {
            "alpha": term_data("Alpha", related=["brav"]),
            "bravo": "term: Bravo\nsummary: [oops\n",
        }
    )


BAD_LINES = [
    "terms/alpha.yaml:6:3: related[0]: unknown term 'brav'; did you mean 'bravo'?",
    "terms/bravo.yaml:3:1: yaml: did not find expected ',' or ']'; fix the YAML syntax at this "
    "spot (quote text that contains ': ' or starts with a symbol)",
    "glossary: 2 problems found",
]


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def test_check_ok(good_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(good_root, "check") == 0
    captured = capsys.readouterr()
    assert captured.out == "ok: 2 terms, 2 categories\n"
    assert captured.err == ""


def test_check_prints_each_located_problem_and_a_count(
    bad_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(bad_root, "check") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == BAD_LINES
    assert "Traceback" not in captured.err


def test_a_single_problem_is_counted_in_the_singular(
    make_glossary, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary({}, categories=None)
    assert run(root, "check") == 1
    assert capsys.readouterr().err.splitlines()[-1] == "glossary: 1 problem found"


def test_new_creates_a_template_that_check_then_locates(
    make_glossary, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary({})
    assert run(root, "new", "Layer Normalization") == 0
    assert capsys.readouterr().out == (
        "created terms/layer-normalization.yaml: fill in the fields, then run 'glossary check'\n"
    )
    path = root / "terms" / "layer-normalization.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_COMMENT)
    assert 'term: "Layer Normalization"\n' in text

    assert run(root, "check") == 1
    assert capsys.readouterr().err.splitlines() == [
        "terms/layer-normalization.yaml:5:1: summary: this required field is missing or empty; "
        "add 'summary:' (One plain-text sentence of at most 200 characters, understood by a "
        "newcomer; used for cards, tooltips and the page's meta description.)",
        "terms/layer-normalization.yaml:6:1: definition: this required field is missing or "
        "empty; add 'definition:' (What the term means, precisely.)",
        "terms/layer-normalization.yaml:7:1: category: this required field is missing or empty; "
        "add 'category:' (A key declared in terms/_categories.yaml.)",
        "glossary: 3 problems found",
    ]

    filled = (
        text.replace('summary: ""', "summary: Rescales each example's activations.")
        .replace('category: ""', "category: normalization")
        .replace('definition: ""', "definition: Standardizes a layer's activations.")
    )
    path.write_text(filled, encoding="utf-8")
    assert run(root, "check") == 0
    assert capsys.readouterr().out == "ok: 1 term, 2 categories\n"


def test_new_refuses_to_overwrite(make_glossary, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_glossary({"layer-normalization": "term: Mine\n"})
    assert run(root, "new", "Layer Normalization") == 1
    assert capsys.readouterr().err.splitlines() == [
        "terms/layer-normalization.yaml:1:1: file: this term file already exists; "
        "edit it instead, or choose another name",
        "glossary: 1 problem found",
    ]
    assert (root / "terms" / "layer-normalization.yaml").read_text(encoding="utf-8") == (
        "term: Mine\n"
    )


@pytest.mark.parametrize(
    ("name", "file", "term_line"),
    [
        ("Étude Générale", "etude-generale.yaml", 'term: "Étude Générale"'),
        ("  Q&A: Retrieval  ", "q-a-retrieval.yaml", 'term: "Q&A: Retrieval"'),
        ('The "Quoted" Term', "the-quoted-term.yaml", 'term: "The \\"Quoted\\" Term"'),
    ],
)
def test_new_slugifies_and_quotes_the_name(make_glossary, name, file, term_line) -> None:
    root = make_glossary({})
    assert run(root, "new", name) == 0
    lines = (root / "terms" / file).read_text(encoding="utf-8").splitlines()
    assert term_line in lines


@pytest.mark.parametrize("name", ["!!!", "", "two\nlines"])
def test_new_refuses_names_without_a_slug(
    make_glossary, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary({})
    assert run(root, "new", name) == 1
    err = capsys.readouterr().err
    assert ": term: cannot make a file name from " in err
    assert "Traceback" not in err
    assert sorted(p.name for p in (root / "terms").iterdir()) == ["_categories.yaml"]


def test_new_outside_a_project_is_a_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "new", "Layer Normalization") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "terms/layer-normalization.yaml:1:1: file: there is no terms/ directory here; "
        "run glossary from the project root, or give it with --root"
    )
    assert not (tmp_path / "terms").exists()


@pytest.mark.parametrize(
    "command", [[], ["check"], ["generate"], ["build"], ["serve"], ["new"], ["schema"]]
)
def test_help_exits_zero(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*command, "--help"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: glossary {' '.join(command)}".rstrip())


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([])
    assert raised.value.code == 2
    assert "usage: glossary" in capsys.readouterr().err


def test_generate_reports_what_it_wrote(
    good_root: Path, fake_figures, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(good_root, "generate") == 0
    assert capsys.readouterr().out == (
        "generated docs/glossary/: 8 written, 0 unchanged, 0 removed; 0 figures rendered "
        "(2 terms)\n"
    )
    assert run(good_root, "generate") == 0
    assert capsys.readouterr().out == (
        "generated docs/glossary/: 0 written, 8 unchanged, 0 removed; 0 figures rendered "
        "(2 terms)\n"
    )


@pytest.mark.parametrize("command", ["generate", "build", "serve"])
def test_commands_stop_cleanly_on_bad_input_before_mkdocs(
    bad_root: Path, command: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(generator.cli, "mkdocs_build", lambda *args: calls.append(args) or 0)
    monkeypatch.setattr(generator.cli, "mkdocs_serve", lambda *args, **_: calls.append(args) or 0)
    assert run(bad_root, command) == 1
    assert capsys.readouterr().err.splitlines() == BAD_LINES
    assert calls == []
    assert not (bad_root / "docs").exists()


def test_build_and_serve_hand_over_to_mkdocs(
    good_root: Path, fake_figures, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    calls: list[tuple[str, Path, object, bool]] = []
    handed: list[LinkedGlossary] = []

    def plugin_build(root: Path, result: BuildResult, cache: BuildCache) -> None:
        """What the plugin does with the hand-over: it takes the CLI's build instead of
        building again."""
        plugin = GlossaryPlugin()
        plugin.continue_from(root, result, cache)
        config = SimpleNamespace(
            config_file_path=str(root / "mkdocs.yml"), site_dir="none", plugins={}
        )
        with monkeypatch.context() as patch:
            patch.setattr(generator.site.plugin, "build", lambda *_, **__: pytest.fail("twice"))
            plugin.on_pre_build(config=config)
        handed.append(plugin._built())
        assert plugin.cache is cache

    def mkdocs_build(root: Path, result, cache, site: Path, offline: bool) -> int:
        calls.append(("build", root, site, offline))
        plugin_build(root, result, cache)
        return 0

    def mkdocs_serve(root: Path, result, cache, dev_addr: str, dirty: bool) -> int:
        calls.append(("serve", root, dev_addr, dirty))
        plugin_build(root, result, cache)
        return 0

    monkeypatch.setattr(generator.cli, "mkdocs_build", mkdocs_build)
    monkeypatch.setattr(generator.cli, "mkdocs_serve", mkdocs_serve)
    assert run(good_root, "build", "--site-dir", "out") == 0
    assert run(good_root, "build", "--offline") == 0
    assert run(good_root, "serve", "--dev-addr", "127.0.0.1:9999") == 0
    assert run(good_root, "serve", "--clean") == 0
    assert [len(glossary.terms) for glossary in handed] == [2, 2, 2, 2]
    root = good_root.resolve()
    assert calls == [
        ("build", root, root / "out", False),
        ("build", root, root / "site-offline", True),
        ("serve", root, "127.0.0.1:9999", True),
        ("serve", root, "127.0.0.1:8000", False),
    ]
    assert (root / "docs" / "glossary" / "alpha.md").is_file()
    out = capsys.readouterr().out
    assert f"site built: open {root / 'out' / 'index.html'}" in out
    assert f"site built: open {root / 'site-offline' / 'index.html'}" in out
    assert "works from disk, without a network" in out


def test_module_entry_point_reports_bad_input_without_a_traceback(bad_root: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(bad_root), "check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == BAD_LINES
    assert "Traceback" not in completed.stderr


def test_the_plugin_turns_problems_into_a_clean_abort(bad_root: Path) -> None:
    config = SimpleNamespace(config_file_path=str(bad_root / "mkdocs.yml"))
    with pytest.raises(Abort) as raised:
        GlossaryPlugin().on_pre_build(config=config)
    assert str(raised.value).splitlines() == BAD_LINES
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


LINKED_TEXTS = """\
term: Alpha
summary: The first term.
category: normalization
definition: |
  Alpha is measured
  against Bravo, twice: Bravo.
examples:
  - An example, the charlie of it.
faq:
  - q: Why?
    a: Because delta.
formula: |
  y = x
symbols:
  - symbol: y
    meaning: the echo of x
"""


def test_links_lists_every_automatic_link_where_it_is_written(
    make_glossary, term_data, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary(
        {
            "alpha": LINKED_TEXTS,
            "bravo": term_data("Bravo", definition="Bravo follows [[alpha]]; so does Alpha."),
            "charlie": term_data("Charlie"),
            "delta": term_data("Delta"),
            "echo": term_data("Echo"),
        }
    )
    assert main(["--root", str(root), "links"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:4] == [
        # the first mention on a page links; the explicit [[alpha]] counts as one
        "terms/alpha.yaml:6:11: 'Bravo' -> bravo: Alpha is measured against Bravo, twice: Bravo.",
        "terms/alpha.yaml:16:18: 'echo' -> echo: the echo of x",
        "terms/alpha.yaml:8:21: 'charlie' -> charlie: An example, the charlie of it.",
        "terms/alpha.yaml:11:16: 'delta' -> delta: Because delta.",
    ]
    assert printed[-1] == (
        "4 automatic links, 5 everyday words among the names; a name that links where it should "
        "not: set 'autolink' in its term file (see CONTRIBUTING.md)"
    )  # the NATO alphabet's words are everyday words (see the next test)


def test_links_names_everyday_words_of_terms_that_do_not_set_autolink(
    make_glossary, term_data, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary(
        {
            "service": term_data("Service", aliases=["offering", "Zorblax"]),
            "host": term_data("Host", autolink=False),  # the author has decided
            "batch-normalization": term_data("Batch Normalization", aliases=["BN", "norm"]),
            "gradient-clipping": term_data(
                "Gradient Clipping", definition="A service keeps each gradient in bounds."
            ),
        }
    )
    assert main(["--root", str(root), "links"]) == 0
    fix = (
        "is also an everyday English word, so text that uses it in another sense links here "
        "too ({} to this term above); if one is wrong, set 'autolink: false', or 'autolink:' "
        "with the phrases that should link"
    )
    assert capsys.readouterr().out.splitlines() == [
        "terms/gradient-clipping.yaml:4:15: 'service' -> service: A service keeps each gradient "
        "in bounds.",
        f"terms/batch-normalization.yaml:7:3: aliases[1]: 'norm' {fix.format('0 automatic links')}",
        f"terms/service.yaml:1:7: term: 'Service' {fix.format('1 automatic link')}",
        f"terms/service.yaml:6:3: aliases[0]: 'offering' {fix.format('1 automatic link')}",
        "1 automatic link, 3 everyday words among the names; a name that links where it should "
        "not: set 'autolink' in its term file (see CONTRIBUTING.md)",
    ]


def test_links_of_a_broken_glossary_are_its_problems(
    bad_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(bad_root), "links"]) == 1
    assert "terms/alpha.yaml" in capsys.readouterr().err


def test_a_published_slug_without_a_page_or_redirect_is_a_located_problem(
    make_glossary, term_data, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_glossary(
        {
            "alpha": term_data("Alpha", formerly=["old-alpha"]),
            "bravo": term_data("Bravo"),
        }
    )
    published = tmp_path / "published.txt"
    published.write_text(
        "alpha\nold-alpha\n/glossary/old-bravo/\tBravo\nhttps://x.org/glossary/gone.html\n"
        # other pages of the site are not terms:
        "https://x.org/glossary/\nhttps://x.org/glossary/category/training/\n/about/\n",
        encoding="utf-8",
    )
    assert main(["--root", str(root), "check", "--published", str(published)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "terms:1:1: formerly: the published term 'gone' has no page any more, and no term "
        "lists it in 'formerly'; add 'gone' to 'formerly' of the term that replaced it (its "
        "old address then redirects there), or restore terms/gone.yaml",
        "terms/bravo.yaml:1:1: formerly: this term has the name of the published term "
        "'old-bravo' (Bravo), whose address would no longer work; add 'formerly: [old-bravo]' "
        "to this file: the old address then redirects here",
        "glossary: 2 problems found",
    ]


def test_the_published_glossary_json_is_read_too(
    make_glossary, term_data, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_glossary({"alpha": term_data("Alpha")})
    published = tmp_path / "glossary.json"
    published.write_text('{"terms": [{"slug": "alpha", "term": "Alpha"}]}', encoding="utf-8")
    assert main(["--root", str(root), "check", "--published", str(published)]) == 0
    published.write_text("{not json", encoding="utf-8")
    assert main(["--root", str(root), "check", "--published", str(published)]) == 1
    assert "cannot read the published list: not a glossary.json" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("formerly", "message"),
    [
        (["bravo"], "'bravo' is the slug of terms/bravo.yaml, which exists"),
        (["index"], "'index' names a page the generator makes"),
    ],
)
def test_an_old_slug_cannot_be_a_page_that_exists(
    make_glossary, term_data, check_root, formerly: list[str], message: str
) -> None:
    root = make_glossary(
        {"alpha": term_data("Alpha", formerly=formerly), "bravo": term_data("Bravo")}
    )
    _, problems = check_root(root)
    assert len(problems) == 1 and f"formerly[0]: {message}" in problems[0]


def test_an_old_slug_redirects_to_one_term_only(make_glossary, term_data, check_root) -> None:
    root = make_glossary(
        {
            "alpha": term_data("Alpha", formerly=["old"]),
            "bravo": term_data("Bravo", formerly=["old"]),
        }
    )
    _, problems = check_root(root)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "formerly[0]: 'old' is already listed in 'formerly' of terms/alpha.yaml; an old address "
        "can redirect to one term only: keep it in one of the two"
    ]
