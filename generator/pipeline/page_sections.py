"""The headings of a term page that a figure may be shown under, and where each figure goes.

A figure's ``section`` names a heading of its page: one of the page's sections ("How it works",
"Limitations"...) or a heading inside the text of one ("Training mode versus inference mode").
The figure is shown at the end of what that heading covers; a figure without ``section`` at the
end of the definition. ``validate`` checks each name against the headings its file has, and
``render`` places the figures, so the two read the headings the same way: here.

Figures are numbered in the order of the page ("Figure 1: ..."), so that the text can refer to
them by the number a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator import schema
from generator.pipeline.checked_file import closest

DEFAULT_FIELD = "definition"
# The page's sections before those declared in the schema (``FieldSpec.section``), in order.
_FIXED_SECTIONS = (
    ("definition", "Definition"),
    ("formula", "Formula"),
    ("explanation", "How it works"),
    ("examples", "Examples"),
)
# An ATX heading, as Python-Markdown reads it: its level and its text (closing #'s dropped).
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


@dataclass(frozen=True)
class Place:
    """Where a figure goes: at the end of field ``field``'s section, or of the part of its text
    under its ``heading``-th heading (0-based), when ``heading`` is not None."""

    field: str
    heading: int | None = None


def _markdown_fields() -> set[str]:
    """The fields shown as Markdown text, in which headings may name a figure's place."""
    return {"definition", "explanation", *(spec.name for spec in schema.section_fields())}


def page_sections() -> tuple[tuple[str, str], ...]:
    """(field, heading) of each section of a term page that a figure may be shown in, in the
    page's order."""
    declared = tuple((s.name, s.section) for s in schema.section_fields() if s.section)
    return _FIXED_SECTIONS + declared


def text_headings(text: str) -> list[tuple[int, int, str]]:
    """(line index, level, text) of each heading of a Markdown text, outside code fences."""
    found, fence = [], ""
    for index, line in enumerate(text.split("\n")):
        opening = _FENCE.match(line)
        if opening is not None:
            if not fence:
                fence = opening.group(1)
            elif opening.group(1) == fence:
                fence = ""
            continue
        heading = None if fence else _HEADING.match(line)
        if heading is not None and heading.group(2):
            found.append((index, len(heading.group(1)), heading.group(2).strip()))
    return found


def figure_places(texts: Mapping[str, object]) -> dict[str, tuple[str, Place]]:
    """Every heading a figure may name, casefolded, with the heading as written and its place;
    ``texts`` maps a field to its value (present fields only). A heading inside a text that
    repeats an earlier one names the earlier."""
    places: dict[str, tuple[str, Place]] = {}
    for name, title in page_sections():
        value = texts.get(name)
        if value is None:
            continue
        places.setdefault(title.casefold(), (title, Place(name)))
        if isinstance(value, str) and name in _markdown_fields():
            for number, (_, _, heading) in enumerate(text_headings(value)):
                places.setdefault(heading.casefold(), (heading, Place(name, number)))
    return places


Found = list[tuple[tuple[str | int, ...], str, str]]  # (path in the file, what is wrong, fix)


def figure_section_problems(data: Mapping[str, object]) -> Found:
    """(path, what is wrong, how to fix) for each figure of a term file's ``data`` whose
    ``section`` is not a heading of its page."""
    figures = data.get("figures")
    if not isinstance(figures, list):
        return []
    places = figure_places({k: v for k, v in data.items() if v is not None})
    found: Found = []
    for i, figure in enumerate(figures):
        section = figure.get("section") if isinstance(figure, dict) else None
        if not isinstance(section, str) or section.strip().casefold() in places:
            continue
        headings = [title for title, _ in places.values()]
        hint = closest(section.strip(), headings) or (
            "the headings of this page: " + ", ".join(f"'{h}'" for h in headings)
        )
        found.append(
            (
                ("figures", i, "section"),
                f"'{section.strip()}' is not a heading of this term's page",
                f"name a section or a heading inside one, or remove 'section'; {hint}",
            )
        )
    return found


def with_figures(text: str, blocks: Mapping[int | None, Sequence[str]]) -> str:
    """``text`` with Markdown ``blocks`` inserted: those under key n at the end of the part
    under its n-th heading (before the next heading of the same or a higher level), those under
    None at its end."""
    if not blocks:
        return text
    lines = text.split("\n")
    inserts: dict[int, list[str]] = {}
    for heading in sorted(blocks, key=lambda h: _AFTER_HEADINGS if h is None else h):
        inserts.setdefault(insertion_line(text, heading), []).extend(blocks[heading])
    out: list[str] = []
    for index in range(len(lines) + 1):
        if inserts.get(index):
            while out and not out[-1].strip():
                out.pop()
            out += ["", "\n\n".join(inserts[index]), ""]
        if index < len(lines):
            out.append(lines[index])
    return "\n".join(out).strip("\n")


_AFTER_HEADINGS = 1 << 30  # sorts the end of a whole text after each of its headings' parts


def insertion_line(text: str, heading: int | None) -> int:
    """The index of the line before which a figure under ``text``'s ``heading``-th heading goes
    (None: the end of the text)."""
    lines = text.count("\n") + 1
    if heading is None:
        return lines
    headings = text_headings(text)
    if heading >= len(headings):
        return lines
    _, level, _ = headings[heading]
    after = (line for line, other, _ in headings[heading + 1 :] if other <= level)
    return next(after, lines)


def page_order(places: Sequence[Place], texts: Mapping[str, str | None]) -> list[int]:
    """The indexes of ``places`` (one per figure, in the file's order) in the order a reader
    meets the figures on the page; ``texts`` maps a field to its text."""
    order = {name: number for number, (name, _) in enumerate(page_sections())}

    def key(i: int) -> tuple[int, int, int, int]:
        place = places[i]
        text = texts.get(place.field) or ""
        heading = _AFTER_HEADINGS if place.heading is None else place.heading
        return order.get(place.field, len(order)), insertion_line(text, place.heading), heading, i

    return sorted(range(len(places)), key=key)
