"""The protected regions of a Markdown text: the pieces that are not prose, found by one
scanner that mention linking (``mentions``) and plain-text export (``site.export``) share.

A piece is one of these kinds (``piece.lastgroup``): ``fenced`` code, a ``heading`` line, a
reference ``definition`` (``[ref]: url``), ``display_math`` (``$$...$$``), ``bracket_math``
(``\\[...\\]`` and ``\\(...\\)``), a backslash ``escape``, a ``code`` span, inline ``math``
(``$...$``), an ``explicit`` term link (``[[slug]]``, ``[[slug|text]]``), a ``link`` or image
(``[text](url)``, ``[text][ref]``), a ``footnote`` reference, an HTML ``comment``, an HTML
``tag`` or autolink (``<https://...>``), a bare ``url``.

This is the best reading of the text, not a proof: ``safety`` decides what a term may hold
with Python-Markdown's own rules, and where those leave a doubt (math over several lines,
unpaired backticks) it renders the text and reads the HTML, which no scanner can replace.
Every piece that safety lets through is read the same way here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial

# Every protected piece starts with one of these characters (see protected_pieces).
_PROTECTED_START = r"(?=[ \t`~#\[$\\!<hw])"
PROTECTED = re.compile(
    _PROTECTED_START
    + "(?:"
    + "|".join(
        (
            r"(?P<fenced>^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)(?P<code_block>.*?)"
            r"(?:\n[ \t]*(?P=fence)[`~]*[ \t]*(?=\n|\Z)|\Z))",
            r"(?P<heading>^[ \t]*#[^\n]*)",
            r"(?P<definition>^[ \t]*\[[^\]\n]+\]:[^\n]*)",  # reference definition: [ref]: url
            r"(?P<display_math>\$\$.+?\$\$)",
            # math \[...\] and \(...\); "(?:(?!X).)" stops at the next opener, so that many
            # unclosed ones cost time in proportion to the text, not to its square
            r"(?P<bracket_math>\\\[(?:(?!\\\[).)+?\\\]|\\\((?:(?!\\\().)+?\\\))",
            r"(?P<escape>\\.)",  # backslash escape, e.g. \$ or \[
            r"(?P<code>(?P<ticks>`+)(?P<code_text>(?:(?!\n[ \t]*\n).)+?)(?P=ticks)(?!`))",
            r"(?P<math>\$(?!\s)(?:\\.|(?!\n[ \t]*\n)[^$\\])+?(?<!\s)\$(?!\d))",
            r"(?P<explicit>\[\[(?P<target>[^\[\]|\n]*)(?:\|(?P<label>[^\[\]\n]*))?\]\])",
            # link or image text, then its target: (url "title") or [ref]
            r"(?P<link>!?\[(?P<link_text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
            r"(?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\[\]\n]*\]))",
            r"(?P<footnote>\[\^[^\]\n]*\])",
            r"(?P<comment><!--(?:(?!<!--).)*?-->)",  # stops at the next opener, as above
            r"(?P<tag></?[A-Za-z][^>]*>)",  # HTML tag, or an autolink such as <https://...>
            r"(?P<url>(?:https?://|www\.)[^\s<>]*)",
        )
    )
    + ")",
    re.MULTILINE | re.DOTALL,
)

# PROTECTED.finditer would try every position of a text; a protected piece can only start at
# one of these, which C code finds quickly (a character, a literal, a line's start).
_SPECIAL_CHARACTER = re.compile(r"[$\\`\[!<]")
_LINE_OF_A_BLOCK = re.compile(r"\n[ \t]*[`~#\[]")  # a fence, heading or reference definition
_FIRST_LINE_OF_A_BLOCK = re.compile(r"[ \t]*[`~#\[]")
_URL_STARTS = ("http", "www.")


def protected_pieces(text: str) -> Iterator[re.Match[str]]:
    """The protected pieces of ``text``, in order, as ``PROTECTED.finditer(text)`` finds them,
    but matched only where one may start: at a special character, a URL, or a line that starts
    a block. Each kind of place is searched for on its own, by C code, from where the last
    piece ended (a search is repeated only once the place it found is behind), so the cost
    grows with the text, not with the number of places tried."""
    places: dict[str, Callable[[int], int]] = {
        "special": lambda at: _found_at(_SPECIAL_CHARACTER.search(text, at)),
        "block": lambda at: _line_of_a_block(text, at),
        **{url: partial(text.find, url) for url in _URL_STARTS},
    }
    upcoming = {kind: find(0) for kind, find in places.items()}
    at = 0
    while True:
        for kind, place in upcoming.items():
            if 0 <= place < at:
                upcoming[kind] = places[kind](at)
        candidates = [place for place in upcoming.values() if place >= 0]
        if not candidates:
            return
        start = min(candidates)
        match = PROTECTED.match(text, start)
        if match is None:
            at = start + 1
        else:
            yield match
            at = match.end()


def _found_at(match: re.Match[str] | None) -> int:
    return -1 if match is None else match.start()


def _line_of_a_block(text: str, at: int) -> int:
    """Where the first line at or after ``at`` that may start a block starts, or -1."""
    if at == 0 and _FIRST_LINE_OF_A_BLOCK.match(text):
        return 0
    found = _LINE_OF_A_BLOCK.search(text, max(at - 1, 0))
    return -1 if found is None else found.start() + 1
