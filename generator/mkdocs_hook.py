"""MkDocs hook: regenerate the glossary before every build, so `mkdocs build` and `mkdocs serve`
work on their own. Registered under `hooks:` in mkdocs.yml; all the work is in `build()`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from generator.build import build
from generator.model import GlossaryError


def on_pre_build(config: Any, **kwargs: Any) -> None:
    """Run the generator into docs/glossary/ before MkDocs collects the pages."""
    root = Path(config.config_file_path).parent
    try:
        build(root)
    except GlossaryError as error:
        count = len(error.problems)
        raise Abort(
            f"{error}\nglossary: {count} problem{'s' if count != 1 else ''} found"
        ) from None
