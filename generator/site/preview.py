"""What a dirty preview build (``glossary serve``, ``mkdocs serve --dirty``) needs beyond
MkDocs: it rebuilds only the pages whose source is newer than their HTML, and that rule misses
three things, each mended here.

- A hand-written page that includes a generated fragment (the home page includes the A-Z
  letters) must be rebuilt when the fragment changes: ``rebuild_pages_including``.
- Material's search plugin indexes only the pages of the build. It keeps the last index and
  merges it, but drops the old entries of only one rebuilt page (it expects one page per
  dirty build; the generator rewrites several after most edits), so every other rebuilt page
  would be listed twice: ``without_search_merge`` turns its merge off, and
  ``merged_search_index`` puts back the pages the build did not rebuild.
- MkDocs warns that a dirty build may leave stale navigation, which would stop every strict
  build; the preview asks for dirty builds on purpose: ``dirty_build_warning_as_info``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any, Protocol


class PageFile(Protocol):
    """What of an ``mkdocs.structure.files.File`` these functions use."""

    @property
    def src_uri(self) -> str: ...
    @property
    def abs_src_path(self) -> str | None: ...
    @property
    def abs_dest_path(self) -> str: ...


def rebuild_pages_including(
    pages: Iterable[PageFile], fragment: str, generated: PurePosixPath
) -> list[str]:
    """Make a dirty build rebuild the hand-written pages that include ``fragment`` (their own
    source did not change) by removing their HTML: MkDocs rebuilds a page whose HTML is
    missing. Pages under ``generated`` include nothing. Returns the pages' source paths."""
    rebuilt = []
    for page in pages:
        if generated in PurePosixPath(page.src_uri).parents:
            continue
        source = Path(page.abs_src_path or "")
        if source.is_file() and fragment in source.read_text(encoding="utf-8"):
            Path(page.abs_dest_path).unlink(missing_ok=True)
            rebuilt.append(page.src_uri)
    return rebuilt


def merged_search_index(previous: bytes, current: dict[str, Any]) -> dict[str, Any]:
    """``current`` (the search index a dirty build wrote) with the entries of ``previous``
    (the index before it) for every page the build did not index again."""
    rebuilt = {_page_of(entry) for entry in current["docs"]}
    kept = [entry for entry in json.loads(previous)["docs"] if _page_of(entry) not in rebuilt]
    return {**current, "docs": kept + current["docs"]}


def without_search_merge(search_plugin: object) -> None:
    """Turn off the merge with the last index that Material's search plugin does in a dirty
    build (its ``search_index_prev``); ``merged_search_index`` does it instead."""
    if hasattr(search_plugin, "search_index_prev"):
        search_plugin.search_index_prev = None


def _page_of(entry: dict[str, Any]) -> str:
    """The page of a search index entry (its location without the section)."""
    return str(entry.get("location", "")).split("#", 1)[0]


def dirty_build_warning_as_info(record: logging.LogRecord) -> bool:
    """A logging filter: MkDocs' warning that a dirty build may leave stale navigation becomes
    information (the navigation lists no generated page), so strict mode does not stop."""
    if record.levelno == logging.WARNING and record.getMessage().startswith("A 'dirty' build"):
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True
