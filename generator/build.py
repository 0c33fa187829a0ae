"""The pipeline: load -> validate -> link -> figures -> render -> write, in that order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.figures import CACHE_DIR, render_figures
from generator.link import LinkedGlossary, link
from generator.load import load_sources
from generator.model import GlossaryError
from generator.render import render_pages
from generator.validate import validate
from generator.write import WriteReport, write_outputs

GENERATED_DIR = "docs/glossary"


@dataclass(frozen=True)
class BuildResult:
    glossary: LinkedGlossary
    report: WriteReport
    figures_rendered: int


def check(root: Path) -> LinkedGlossary:
    """Load, validate and link the glossary under ``root``; raise GlossaryError on any problem."""
    sources = load_sources(root)  # 1. read terms/*.yaml, with the position of every value
    glossary, problems = validate(sources)  # 2. every field of every file, then cross-checks
    if problems:
        raise GlossaryError(problems)
    return link(glossary)  # 3. related terms, backlinks, categories, A-Z


def build(root: Path, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Generate the glossary's Markdown pages and figures under ``root/docs/glossary``."""
    linked = check(root)
    figures, rendered = render_figures(linked, root / CACHE_DIR, progress)  # 4. cached SVGs
    pages = render_pages(linked, figures)  # 5. Markdown, in memory
    outputs = {path: text.encode("utf-8") for path, text in pages.items()}
    for figure in figures.values():
        outputs[f"figures/{figure.light_name}"] = figure.light_svg
        outputs[f"figures/{figure.dark_name}"] = figure.dark_svg
    report = write_outputs(root / GENERATED_DIR, outputs, GENERATED_DIR)  # 6. only what changed
    return BuildResult(linked, report, rendered)
