"""Translations (terms/<language>/<slug>.yaml): checked like term files and against their
English term, started and stamped by 'glossary translate', outdated when the English changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import schema
from generator.cli import main
from generator.model import Glossary
from generator.pipeline.translations import stamp

LANGUAGES = {
    "languages": [
        {"code": "de", "name": "Deutsch", "search": "de"},
        {"code": "zh", "name": "简体中文", "search": "zh", "hreflang": "zh-Hans"},
    ]
}
FIGURE = {"kind": "normalized-activations", "caption": "Activations before and after."}


def _alpha(term_data: Any, **fields: Any) -> dict[str, Any]:
    return term_data(
        "Alpha Norm",
        definition="Alpha Norm rescales with $\\mu$, unlike [[bravo]].",
        formula="y = x - \\mu",
        symbols=[{"symbol": "\\mu", "meaning": "the mean"}, {"symbol": "y", "meaning": "output"}],
        faq=[{"q": "Why?", "a": "Because."}],
        related=["bravo"],
        figures=[FIGURE],
        **fields,
    )


GERMAN = {
    "term": "Alpha-Normierung",
    "summary": "Eine kurze Zusammenfassung der Alpha-Normierung.",
    "definition": "Die Alpha-Normierung skaliert mit $\\mu$, anders als [[bravo|Bravo]].",
    "symbols": [{"symbol": "\\mu", "meaning": "der Mittelwert"}],
    "figures": [{"caption": "Aktivierungen davor und danach."}],
}


@pytest.fixture
def root(make_glossary, term_data) -> Path:
    return make_glossary(
        {
            "_languages": LANGUAGES,
            "alpha": _alpha(term_data),
            "bravo": term_data("Bravo"),
            "de/alpha": GERMAN,
            "zh/alpha": {
                "term": "阿尔法归一化",
                "summary": "阿尔法归一化的简短说明。",
                "definition": "阿尔法归一化用 $\\mu$ 重新缩放。",
            },
        }
    )


def test_a_translation_is_the_english_term_with_translated_texts(root, check_root) -> None:
    glossary, problems = check_root(root)
    assert problems == []
    assert [(t.language, t.slug) for t in glossary.translations] == [
        ("de", "alpha"),
        ("zh", "alpha"),
    ]
    german = glossary.translations[0]
    assert german.source == "terms/de/alpha.yaml"
    assert german.term.term == "Alpha-Normierung"
    # From the English term: the slug, category, related terms, formula and figure kinds.
    assert (german.term.slug, german.term.category, german.term.related) == (
        "alpha",
        "normalization",
        ("bravo",),
    )
    assert german.term.formula == "y = x - \\mu"
    assert [(f.kind, f.caption) for f in german.term.figures] == [
        ("normalized-activations", "Aktivierungen davor und danach.")
    ]
    # A symbol left untranslated keeps its English meaning; the field is then not translated.
    assert [s.meaning for s in german.term.symbols] == ["der Mittelwert", "output"]
    assert german.translated == {"term", "summary", "definition", "figures"}
    assert german.term.faq[0].q == "Why?"  # shown in English
    assert not german.stamped and german.outdated == ()
    assert [language.hreflang for language in glossary.languages] == ["de", "zh-Hans"]


def test_the_translatable_fields_are_marked_in_the_schema() -> None:
    names = [spec.name for spec in schema.translation_fields()]
    assert names[:3] == ["term", "summary", "definition"]
    for untranslatable in ("category", "related", "formula", "references", "tags", "status"):
        assert untranslatable not in names
    figures = next(spec for spec in schema.translation_fields() if spec.name == "figures")
    assert [item.name for item in figures.item_fields] == ["caption"]
    symbols = next(spec for spec in schema.translation_fields() if spec.name == "symbols")
    assert [item.name for item in symbols.item_fields] == ["symbol", "meaning"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "fr/alpha",
            GERMAN,
            "terms/fr/alpha.yaml:1:1: file: 'fr' is not a declared language; declare it in "
            "terms/_languages.yaml ({code: fr, name: ..., search: ...}), or move the file into "
            "the folder of a declared language",
        ),
        (
            "de/alpah",
            GERMAN,
            "terms/de/alpah.yaml:1:1: file: there is no English term 'alpah' "
            "(terms/alpah.yaml) to translate; did you mean 'alpha'?",
        ),
        (
            "de/alpha",
            {**GERMAN, "symbols": [{"symbol": "\\sigma", "meaning": "die Streuung"}]},
            "terms/de/alpha.yaml:5:11: symbols[0].symbol: '\\sigma' is not a symbol of the "
            "English term; copy the symbol exactly as terms/alpha.yaml writes it (its symbols: "
            "'\\mu', 'y')",
        ),
        (
            "de/alpha",
            {**GERMAN, "figures": [{"caption": "Eins."}, {"caption": "Zwei."}]},
            "terms/de/alpha.yaml:7:1: figures: 2 caption(s) for the English term's 1 "
            "figure(s); write one {caption: ...} per English figure, in the English order",
        ),
        (
            "de/alpha",
            {**GERMAN, "category": "training"},
            "terms/de/alpha.yaml:9:1: category: unknown field; remove it or fix its name; "
            "allowed fields: term, summary, definition, aliases, explanation, symbols, "
            "examples, usage_note, why_it_matters, limitations, faq, figures, translates",
        ),
        (
            "de/alpha",
            {**GERMAN, "figures": [{"caption": "Eins.", "kind": "other"}]},
            "terms/de/alpha.yaml:9:3: figures[0].kind: unknown field; remove it or fix its "
            "name; allowed fields: caption",
        ),
        (
            "de/alpha",
            {**GERMAN, "summary": "Eine <b>fette</b> Zusammenfassung."},
            "terms/de/alpha.yaml:2:10: summary: contains Markdown or HTML; write plain text: "
            "it is shown in tooltips and search results as is",
        ),
        (
            "de/alpha",
            {**GERMAN, "definition": "Anders als [[brav]]."},
            "terms/de/alpha.yaml:3:24: definition: unknown term 'brav' in [[brav]]; did you "
            "mean 'bravo'?",
        ),
        (
            "de/alpha",
            {**GERMAN, "translates": "summary=nothex"},
            "terms/de/alpha.yaml:9:1: translates: is not a record written by 'glossary "
            "translate'; run 'glossary translate de alpha --current' once the translation "
            "matches the English",
        ),
        (
            "zh/alpha",
            {**GERMAN, "summary": "第一句。第二句。"},
            "terms/zh/alpha.yaml:2:10: summary: must be exactly one sentence; write one "
            "sentence ending with a full stop; details belong in 'definition'",
        ),
    ],
)
def test_a_bad_translation_is_located(
    make_glossary, term_data, check_root, name: str, content: Any, expected: str
) -> None:
    root = make_glossary(
        {
            "_languages": LANGUAGES,
            "alpha": _alpha(term_data),
            "bravo": term_data("Bravo"),
            name: content,
        }
    )
    glossary, problems = check_root(root)
    assert problems == [expected]
    assert glossary.translations == ()


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (
            {"languages": [{"code": "en", "name": "English", "search": "en"}]},
            "terms/_languages.yaml:2:9: languages[0].code: English is the source language, "
            "not a translation; write the ISO 639-1 code, e.g. 'de', the name of its folder",
        ),
        (
            {"languages": [{"code": "de", "name": "Deutsch", "search": "klingon"}]},
            "terms/_languages.yaml:4:11: languages[0].search: 'klingon' is not a language the "
            "site's search knows; use one of: ar, da, de, du, en, es, fi, fr, hi, hu, hy, it, "
            "ja, kn, ko, nl, no, pt, ro, ru, sa, sv, ta, te, th, tr, vi, zh",
        ),
        (
            {"languages": [{"code": "de", "name": "<b>Deutsch</b>", "search": "de"}]},
            "terms/_languages.yaml:3:9: languages[0].name: must be plain text; write the name "
            "without markup",
        ),
        (
            ["de"],
            "terms/_languages.yaml:1:1: file: must hold one key, 'languages': a list; write: "
            "languages: [{code: de, name: Deutsch, search: de}]",
        ),
    ],
)
def test_bad_language_declarations(
    make_glossary, term_data, check_root, languages: Any, expected: str
) -> None:
    root = make_glossary({"_languages": languages, "alpha": term_data("Alpha")})
    assert check_root(root)[1] == [expected]


def _run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def test_a_changed_english_summary_makes_its_translations_outdated(
    make_glossary, term_data, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary(
        {"_languages": LANGUAGES, "alpha": _alpha(term_data), "bravo": term_data("Bravo")}
    )
    assert _run(root, "translate", "de", "alpha") == 0
    assert capsys.readouterr().out == (
        "created terms/de/alpha.yaml: translate its texts in place, then run 'glossary check'\n"
    )
    started = (root / "terms/de/alpha.yaml").read_text(encoding="utf-8")
    assert started.startswith("# Deutsch: a translation of terms/alpha.yaml.\n")
    assert "term: Alpha Norm\n" in started and "- caption: Activations before and after.\n" in (
        started
    )
    assert "category" not in started and "related" not in started
    # Translated, it checks clean with no warning.
    translated = started.replace("term: Alpha Norm", "term: Alpha-Normierung")
    (root / "terms/de/alpha.yaml").write_text(translated, encoding="utf-8")
    assert _run(root, "check") == 0
    assert capsys.readouterr().err == ""

    english = root / "terms/alpha.yaml"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace("A short plain summary", "A new plain summary"), "utf-8")
    line = next(i for i, t in enumerate(translated.splitlines(), 1) if t.startswith("translates"))
    warning = (
        f"warning: terms/de/alpha.yaml:{line}:1: translates: outdated: the English summary "
        "changed since this translation; see the English changes with 'git log -p -- "
        "terms/alpha.yaml', update the translation, then run 'glossary translate de alpha "
        "--current'\n"
    )
    for _ in range(2):  # the second time, from the build cache
        assert _run(root, "check") == 0  # a warning, not a problem
        assert capsys.readouterr().err == warning
    assert _run(root, "translations") == 0
    assert capsys.readouterr().out == (
        "language translated  outdated  missing\n"
        "de                0         1        1  Deutsch\n"
        "zh                0         0        2  简体中文\n"
    )

    assert _run(root, "translate", "de", "alpha", "--current") == 0
    assert "now records the English" in capsys.readouterr().out
    restamped = (root / "terms/de/alpha.yaml").read_text(encoding="utf-8")
    assert restamped.replace(restamped.splitlines()[line - 1], "") == translated.replace(
        translated.splitlines()[line - 1], ""
    )  # only the record changed
    assert _run(root, "check") == 0
    assert capsys.readouterr().err == ""
    assert _run(root, "translations", "--list") == 0
    assert capsys.readouterr().out.splitlines()[1:3] == [
        "de                1         0        1  Deutsch",
        "  missing: terms/de/bravo.yaml",
    ]


def test_outdated_names_each_changed_field(root: Path, check_root) -> None:
    glossary: Glossary = check_root(root)[0]
    english = next(t for t in glossary.terms if t.slug == "alpha")
    record = stamp(english)
    path = root / "terms/de/alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"translates: {record}\n", "utf-8")
    assert check_root(root)[0].translations[0].outdated == ()
    text = (root / "terms/alpha.yaml").read_text(encoding="utf-8")
    text = text.replace("the mean", "the batch mean").replace("Because.", "Because it works.")
    (root / "terms/alpha.yaml").write_text(text, encoding="utf-8")
    assert check_root(root)[0].translations[0].outdated == ("symbols", "faq")


def test_translate_refuses_what_it_cannot_do(root: Path, capsys) -> None:
    assert _run(root, "translate", "fr", "alpha") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "terms/fr/alpha.yaml:1:1: file: 'fr' is not a declared language; declare it in "
        "terms/_languages.yaml (declared: de, zh)"
    )
    assert _run(root, "translate", "de", "alpha") == 1  # never overwrites a translation
    assert "this translation already exists" in capsys.readouterr().err
    assert _run(root, "translate", "de", "charlie") == 1
    assert "there is no English term 'charlie'" in capsys.readouterr().err
    assert _run(root, "translate", "de", "bravo", "--current") == 1
    assert "there is no such translation" in capsys.readouterr().err


def test_a_translation_folder_that_is_a_link_is_not_followed(
    make_glossary, term_data, check_root, tmp_path_factory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "alpha.yaml").write_text("term: x\n", encoding="utf-8")
    root = make_glossary({"_languages": LANGUAGES, "alpha": term_data("Alpha")})
    (root / "terms" / "de").symlink_to(outside, target_is_directory=True)
    assert check_root(root)[1] == [
        "terms/de:1:1: file: is a symbolic link, which the generator never follows; replace "
        "the link with the file itself"
    ]
