"""Golden test: the fixture glossary renders to exactly the checked-in Markdown.

After an intended change to rendering, run `make golden` and review the diff.
"""

from __future__ import annotations

import pytest

from tests.generator.update_golden import GOLDEN, render_fixture

PAGES = render_fixture()


def test_the_same_set_of_pages_is_rendered() -> None:
    expected = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))
    assert sorted(PAGES) == expected


@pytest.mark.parametrize("relative", sorted(PAGES))
def test_page_matches_golden_file(relative: str) -> None:
    expected = (GOLDEN / relative).read_text(encoding="utf-8")
    assert PAGES[relative] == expected, (
        f"run 'make golden' if this change to {relative} is intended"
    )
