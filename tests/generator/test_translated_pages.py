"""The pages of the other languages: a translated term's page in its language, with the English
text it leaves out marked, links to the translated terms beside it and to the English pages of
the others; a home page and a status page per language; glossary.json carries the
translations. The English pages do not change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline.build import build
from generator.site.export import glossary_json, glossary_page_url
from tests.generator.test_translations import GERMAN, LANGUAGES, _alpha


@pytest.fixture
def root(make_glossary, term_data, fake_figures) -> Path:
    return make_glossary(
        {
            "_languages": LANGUAGES,
            "alpha": _alpha(term_data, explanation="It works like this."),
            "bravo": term_data("Bravo"),
            "charlie": term_data("Charlie", related=["alpha"]),
            "de/alpha": {**GERMAN, "faq": [{"q": "Warum?", "a": "Darum."}]},
            "de/charlie": {
                "term": "Charlie-Begriff",
                "summary": "Ein kurzer Begriff.",
                "definition": "Siehe [[alpha]].",
            },
        }
    )


def test_a_translated_page_speaks_its_language(root: Path) -> None:
    pages = build(root).translated_pages
    assert sorted(pages) == [
        "de/glossary/alpha.md",
        "de/glossary/charlie.md",
        "de/index.md",
        "de/status.md",
        "zh/index.md",
        "zh/status.md",
    ]
    page = pages["de/glossary/alpha.md"]
    assert page.startswith('---\ntitle: "Alpha-Normierung"\n')
    # Readers who type the English name find the German page too.
    assert 'tags: ["Alpha-Normierung", "Alpha Norm"]' in page
    for heading in ("## Definition", "## Formel", "## Funktionsweise", "## Häufige Fragen"):
        assert f"\n{heading}\n" in page
    assert "\nwobei\n" in page and "- $\\mu$: der Mittelwert" in page
    assert "- $y$: output" in page  # an untranslated meaning, in English
    # Its figure, from the English glossary's figures, with the translated caption as alt text.
    assert "[![Aktivierungen davor und danach.](../../glossary/figures/" in page
    assert (
        '<figcaption markdown="span">Abbildung 1: Aktivierungen davor und danach.</figcaption>'
        in page
    )
    # The explanation is not translated: shown in English, marked, under a German note.
    assert (
        '<div class="glossary-in-english" lang="en" markdown>\n\n'
        "Dieser Abschnitt ist noch nicht übersetzt und wird auf Englisch gezeigt.\n"
        '{ .glossary-in-english__note lang="de" }\n\n'
        "It works like this.\n\n</div>"
    ) in page
    assert "\n### Warum?\n\nDarum.\n" in page  # the FAQ is translated: no mark
    # Links: to a translated term beside it, to the English page of an untranslated one, to
    # the English category page.
    assert '[term:charlie]: charlie.md "Ein kurzer Begriff."' in page
    assert '[term:bravo]: ../../glossary/bravo.md "A short plain summary of Bravo."' in page
    assert "](../../glossary/category/normalization.md)" in page
    assert "[Bravo][term:bravo]" in page  # its explicit [[bravo|Bravo]]


def test_each_language_has_a_home_and_a_status_page(root: Path) -> None:
    pages = build(root).translated_pages
    home = pages["de/index.md"]
    assert "# Das KI-Glossar auf Deutsch" in home
    assert "2 der 3 Begriffe" in home
    assert "- [Alpha-Normierung][term:glossary/alpha] (Alpha Norm): " in home
    assert "[term:glossary/alpha]: glossary/alpha.md" in home
    status = pages["de/status.md"]
    assert "Von 3 Begriffen sind 0 übersetzt und aktuell, 2 veraltet" in status
    assert '- [Bravo](../glossary/bravo.md){ lang="en" }' in status  # missing
    assert "# 中文翻译进度" in pages["zh/status.md"]


def test_the_english_pages_do_not_change(root: Path, make_glossary, term_data) -> None:
    glossary_dir = root / "docs" / "glossary"
    build(root)
    with_translations = {p: p.read_bytes() for p in sorted(glossary_dir.rglob("*.md"))}
    for folder in ("de",):
        for file in (root / "terms" / folder).iterdir():
            file.unlink()
        (root / "terms" / folder).rmdir()
    (root / "terms" / "_languages.yaml").unlink()
    result = build(root)
    assert result.translated_pages == {}
    assert {p: p.read_bytes() for p in sorted(glossary_dir.rglob("*.md"))} == with_translations


def test_glossary_json_carries_the_translations(root: Path) -> None:
    linked = build(root).glossary
    data: dict[str, Any] = json.loads(glossary_json(linked, glossary_page_url, "Test"))
    assert data["languages"] == [
        {"code": "de", "name": "Deutsch", "hreflang": "de", "url": "de/"},
        {"code": "zh", "name": "简体中文", "hreflang": "zh-Hans", "url": "zh/"},
    ]
    alpha = next(term for term in data["terms"] if term["slug"] == "alpha")
    german = alpha["translations"]["de"]
    assert german["url"] == "de/glossary/alpha/"
    assert german["outdated"] is True  # not stamped
    assert german["term"] == "Alpha-Normierung"
    assert german["figures"] == [{"caption": "Aktivierungen davor und danach."}]
    assert "symbols" not in german  # a meaning left in English: the English term's
    assert "explanation" not in german  # the English term's
    bravo = next(term for term in data["terms"] if term["slug"] == "bravo")
    assert bravo["translations"] == {}
