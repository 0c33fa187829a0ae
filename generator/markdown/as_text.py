"""Markdown as plain text, for the places that read text and never Markdown (a term page's
JSON-LD, its meta description, the tooltips of links to it, ``glossary.json``'s summaries): the
protected regions found by ``regions``, each turned into what a reader sees (math as readable
text: ``formulas.formula_as_text``), and emphasis marks removed from the prose between them."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from generator.markdown.formulas import formula_as_text
from generator.markdown.regions import protected_pieces
from generator.model import Term

_PLACEHOLDER = re.compile("\x00([0-9]+)\x00")
_EMPHASIS = (
    (re.compile(r"(\*\*|__)(\S(?:.*?\S)??)\1", re.DOTALL), r"\2"),  # strong
    (re.compile(r"\*(\S(?:.*?\S)??)\*", re.DOTALL), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w\\])_(\S(?:.*?\S)??)_(?!\w)", re.DOTALL), r"\1"),  # _emphasis_
)
_HEADING_MARKS = re.compile(r"^[ \t]*#{1,6}[ \t]*")
_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # what a backslash escapes in Markdown
_LIST_ITEM = re.compile(r"([-*+]|[0-9]+[.)])[ \t]")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")


def markdown_to_text(markdown: str, terms: Mapping[str, Term] | None = None) -> str:
    """Markdown as plain text: markup removed, each paragraph on one line.

    Paragraphs are separated by a blank line; list items keep their own line and marker; code
    keeps its content; math becomes readable text (``\\sigma^2`` -> ``σ²``); a link keeps its
    text, an explicit term link ``[[slug]]`` becomes the term's name (``terms``: the glossary's,
    by slug), and HTML, footnote marks and reference definitions are left out.
    """
    kept: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return f"\x00{len(kept) - 1}\x00"

    source = markdown.strip()
    pieces, done = [], 0
    for piece in protected_pieces(source):
        pieces += [source[done : piece.start()], _as_text(piece, terms or {}, keep)]
        done = piece.end()
    text = "".join([*pieces, source[done:]])
    for pattern, replacement in _EMPHASIS:
        text = pattern.sub(replacement, text)
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        paragraph = lines[0] if lines else ""
        for line in lines[1:]:
            paragraph += ("\n" if _LIST_ITEM.match(line) else " ") + line
        paragraphs.append(paragraph)
    text = "\n\n".join(p for p in paragraphs if p)
    return _PLACEHOLDER.sub(lambda match: kept[int(match.group(1))], text)


def _as_text(piece: re.Match[str], terms: Mapping[str, Term], keep: Callable[[str], str]) -> str:
    """What a reader sees of one protected piece: text kept as it is goes through ``keep``,
    so that removing emphasis marks leaves it alone; link texts stay prose."""
    kind, written = piece.lastgroup, piece.group()
    if kind == "fenced":
        return keep(piece["code_block"].removeprefix("\n"))
    if kind == "code":
        return keep(piece["code_text"])
    if kind == "math":
        return keep(formula_as_text(written[1:-1]))
    if kind in ("display_math", "bracket_math"):
        return keep(formula_as_text(written[2:-2]))
    if kind == "url":
        return keep(written)
    if kind == "escape":
        return keep(written[1] if _ASCII_PUNCTUATION.fullmatch(written[1]) else written)
    if kind == "heading":
        return _HEADING_MARKS.sub("", written)
    if kind == "explicit":
        label = piece["label"]
        slug = piece["target"].strip()
        if label is not None:
            return label.strip()
        return terms[slug].term if slug in terms else slug
    if kind == "link":
        return piece["link_text"]
    if kind == "tag":
        autolink = _AUTOLINK.fullmatch(written)
        return keep(autolink.group(1)) if autolink else ""
    return ""  # a reference definition, a footnote mark, an HTML comment
