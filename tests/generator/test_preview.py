"""preview: what a dirty preview build needs beyond MkDocs, each on its own."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.site.preview import (
    dirty_build_warning_as_info,
    merged_search_index,
    rebuild_pages_including,
)


@dataclass
class _Page:
    src_uri: str
    abs_src_path: str | None
    abs_dest_path: str


def _page(tmp_path: Path, uri: str, text: str) -> _Page:
    source, html = tmp_path / "docs" / uri, tmp_path / "site" / uri.replace(".md", ".html")
    for path, content in ((source, text), (html, "<p>old</p>")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return _Page(uri, str(source), str(html))


def test_only_the_hand_written_pages_that_include_the_fragment_are_rebuilt(tmp_path) -> None:
    include = '--8<-- "glossary/_letters.md"'
    pages = [
        _page(tmp_path, "index.md", f"# Home\n\n{include}\n"),
        _page(tmp_path, "about.md", "# About\n"),
        _page(tmp_path, "glossary/adam.md", f"# Adam\n\n{include}\n"),  # generated: skipped
    ]
    rebuilt = rebuild_pages_including(pages, "glossary/_letters.md", PurePosixPath("glossary"))
    assert rebuilt == ["index.md"]
    assert [Path(page.abs_dest_path).exists() for page in pages] == [False, True, True]


def test_the_search_index_keeps_the_pages_a_dirty_build_did_not_rebuild() -> None:
    previous = {
        "config": {"lang": ["en"]},
        "docs": [
            {"location": "glossary/adam/", "title": "Adam", "text": "old"},
            {"location": "glossary/adam/#formula", "title": "Formula", "text": "old"},
            {"location": "glossary/sgd/", "title": "SGD", "text": "kept"},
        ],
    }
    current = {
        "config": {"lang": ["en"]},
        "docs": [{"location": "glossary/adam/", "title": "Adam", "text": "new"}],
    }
    merged = merged_search_index(json.dumps(previous).encode(), current)
    assert merged["config"] == current["config"]
    assert merged["docs"] == [
        {"location": "glossary/sgd/", "title": "SGD", "text": "kept"},
        {"location": "glossary/adam/", "title": "Adam", "text": "new"},
    ]


def test_mkdocs_warning_about_dirty_builds_becomes_information() -> None:
    def record(level: int, message: str) -> logging.LogRecord:
        return logging.LogRecord("mkdocs.commands.build", level, __file__, 1, message, (), None)

    dirty = record(logging.WARNING, "A 'dirty' build is being performed, this will likely...")
    other = record(logging.WARNING, "Doc file 'x.md' contains a link to 'y.md'")
    assert dirty_build_warning_as_info(dirty) and dirty_build_warning_as_info(other)
    assert (dirty.levelno, dirty.levelname) == (logging.INFO, "INFO")
    assert other.levelno == logging.WARNING
