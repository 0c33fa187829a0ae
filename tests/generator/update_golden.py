"""Regenerate the golden Markdown files after an intended change to rendering.

Run `make golden` (or `python tests/generator/update_golden.py`), then review `git diff`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.pipeline.build import linked_glossary
from generator.pipeline.render import render_pages

FIXTURE = Path(__file__).parent / "fixtures" / "glossary"
GOLDEN = Path(__file__).parent / "golden"


def render_fixture() -> dict[str, str]:
    """The pages of the fixture glossary (it has no figures, so none are rendered)."""
    return render_pages(linked_glossary(FIXTURE), figures={})


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for relative, text in sorted(render_fixture().items()):
        path = GOLDEN / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
