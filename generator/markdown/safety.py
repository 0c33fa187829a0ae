"""What a term's Markdown may contain, so that no term file can put HTML of its own on a page.

The site's Markdown (Python-Markdown with the extensions of mkdocs.yml) passes raw HTML through,
lets an attribute list such as ``{ onclick="..." }`` set any attribute, includes any file of the
project with ``--8<--`` (pymdownx.snippets) and links to any URL. Term files come from anyone
who opens a pull request, so in their Markdown fields all of that is refused, each time located
at its line and column:

- raw HTML: a tag, a comment, a declaration (``<`` followed by a letter, ``/``, ``!`` or
  ``?``), except in code or math; the autolinks ``<https://...>`` and ``<mailto:...>`` are fine;
- a link or image, inline or as a reference definition, to anything but ``http://``,
  ``https://`` or ``mailto:``, after decoding HTML entities (``jav&#x61;script:``); links to
  other terms are written ``[[slug]]``;
- an attribute list: ``{...}`` glued to the text before it (an automatic link to a term could
  end right there) or ending a line, outside code and math;
- snippet markers (``--8<--``), code fences with anything but a language name after them, and a
  code fence that is never closed (it would swallow what the page puts after the text).

Code and math are found with Python-Markdown's rules: a closed code fence after a blank line, a
code span or inline math on one line, in a paragraph whose backticks all pair up. Where that is
not certain (math over several lines, which a list or a table may split; unpaired backticks),
the text is rendered as its page renders it (``rendered``) and the HTML decides.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cached_property
from typing import NamedTuple

from pymdownx.arithmatex import RE_BRACKET_INLINE, RE_SMART_DOLLAR_INLINE

from generator.markdown.rendered import ALLOWED_SCHEMES, attribute_lists, scheme, shorten
from generator.markdown.rendered import unsafe_html as _unsafe_html
from generator.schema import is_slug, site_path_segments

_HTML_FIX = (
    "write Markdown instead of HTML; to show a '<', write it inside `code` or math, "
    "or put a space after it"
)
_MATH_TAG_MESSAGE = "'{tag}' in math would still be read as the start of HTML"
_MATH_TAG_FIX = "write \\lt instead of '<', or put a space after the '<'"
_LINK_FIX = "link to another term with [[slug]], or to a full address starting with https://"
_RENDERED_FIX = (
    "write plain Markdown: no HTML, no '{...}' attribute lists, links only to https:// "
    "addresses or to terms as [[slug]]"
)

# Nothing refused here can do without one of these; the second set leaves out the generator's
# own term links, for text that holds them already (``term_links``).
_TRIGGERS = re.compile(r"<|\{|\]\(|\]:|```|~~~|!\[|\[[ \t]*term:", re.IGNORECASE)
_TRIGGERS_BESIDE_TERM_LINKS = re.compile(r"<|\{|\]\(|\]:|```|~~~|!\[")
_FENCE_LINE = re.compile(r"^(?P<fence>[ \t>]*(?:`{3,}|~{3,}))(?P<info>.*)$", re.MULTILINE)
_FENCE_INFO = re.compile(r"[ \t]*\.?[\w#.+-]*[ \t]*")  # a language name, at most
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*\|", re.MULTILINE)
# Math as pymdownx.arithmatex finds it: inline, $...$ and \(...\); display math, $$...$$,
# \[...\] and \begin{env}...\end{env}, only as a block of its own.
_INLINE_MATH = re.compile(
    r"(?=[$\\])(?:" + RE_SMART_DOLLAR_INLINE + "|" + RE_BRACKET_INLINE + ")", re.DOTALL
)
_DISPLAY_MATH = re.compile(
    r"[ \t]*(?:\$\$(?:\\.|[^\\])+?\$\$|\\\[(?:\\[^\]]|[^\\])+?\\\]"
    r"|\\begin\{(?P<env>[a-z]+\*?)\}(?:\\.|[^\\])+?\\end\{(?P=env)\})[ \t]*",
    re.DOTALL,
)
# A line that may start a block of its own inside a paragraph, or a heading-like line, which
# ends at its line break.
_BLOCK_START = re.compile(
    r"\n[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|[>#|:<\[]|[=-]+[ \t]*(?:\n|$)|[*_]{3}|!!!|\?\?\?"
    r"|\*\[|```|~~~|\$\$)"
)
_HEADING_LINE = re.compile(r"[ \t]*(?:#|!!!|\?\?\?)")
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^\s<>]{0,30}>?")
_INLINE_LINK_TARGET = re.compile(
    r"\]\([ \t]*\n?[ \t]*(?P<target><[^>\n]*|(?:[^\s()]|\([^\s()]*\))*)"
)
# A reference definition, also inside block quotes, list items and definition lists, which
# Python-Markdown reads as a definition wherever it stands at the start of a block's line.
_REFERENCE_DEFINITION = re.compile(
    r"^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)]|:)(?=[ \t])))*[ \t]*"
    r"\[(?!\^)[^\[\]\n]*\]:[ \t]*\n?[ \t]*(?P<target><[^>\n]*|\S*)",
    re.MULTILINE,
)
_IMAGE = re.compile(r"!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\][ \t]*[(\[]")
# The generator's own links to terms are references named "term:..." (term_links): an author's
# "[x][term:adam]" or "[term:adam]" would resolve to them.
_TERM_REFERENCE = re.compile(r"\[[ \t]*term:", re.IGNORECASE)
_SNIPPET = re.compile(r"^[ \t]*;*-+8<-+", re.MULTILINE)
_LINE_END = re.compile(r"[ \t#|]*(?:\n|$)")
# Hugo's shortcodes ({{% x %}}, {{< x >}}) and Jinja's or Liquid's tags ({% x %}).
_TEMPLATE = re.compile(r"\{\{[%<].*?[%>]\}\}|\{%.*?%\}", re.DOTALL)
_TOOLTIP = re.compile(
    r"glossary_tooltip\s+(?=.*\btext=\"(?P<text>[^\"\[\]|]+)\")(?=.*\bterm_id=\"(?P<slug>[a-z0-9-]+)\")",
    re.DOTALL,
)


class Unsafe(NamedTuple):
    """One refused construct: where in the text (1-based line and column), what, how to fix."""

    line: int
    column: int
    message: str
    fix: str


def markdown_problems(
    text: str, *, in_list_item: bool = False, term_links: bool = False
) -> list[Unsafe]:
    """Everything in a Markdown text that could become HTML of its own on its page.

    ``in_list_item``: the page puts the text after a list marker (an example), where a code
    fence on its first line is not a code block. ``term_links``: the text has been through
    automatic linking and holds the generator's own term links ('[name][term:slug]'), which
    are then not refused: what linking made of a text must be as safe as its source.
    """
    slow = too_slow(text)
    if slow is not None:
        return [slow]
    if not (_TRIGGERS_BESIDE_TERM_LINKS if term_links else _TRIGGERS).search(text):
        return []
    scan = _Scan(text, fence_may_open_text=not in_list_item)
    found = [*scan.snippets(), *scan.fences, *scan.html(), *scan.links(), *scan.attributes()]
    found += scan.templates()
    found += [*scan.definitions(), *scan.images()]
    found += [] if term_links else scan.term_references()
    if not found and (scan.unsure_spots or "]:" in text):
        rendered = _unsafe_html(text, as_list_item=in_list_item)
        if rendered is not None:
            found.append(scan.rendered_problem(rendered.what, rendered.needle))
    return sorted(found)


def adds_syntax(source: str, linked: str) -> bool:
    """Whether automatic linking put into ``linked`` a character sequence that may start a
    refused construct and that ``source`` (already checked) does not hold: ']' of a link
    before '(' or ':', '!' before '['. Linking only inserts, so equal counts mean none."""
    found = _TRIGGERS_BESIDE_TERM_LINKS.findall
    return len(found(linked)) != len(found(source))


def latex_problems(text: str) -> list[Unsafe]:
    """What a formula, which the page puts between two lines of ``$$``, may not contain: with
    none of it, the whole formula is one block of display math, which Markdown leaves alone."""
    lines = text.split("\n")
    found = [
        Unsafe(text.count("\n", 0, match.start()) + 1, 1, *_SNIPPET_PROBLEM)
        for match in _SNIPPET.finditer(text)
    ]
    filled = [number for number, line in enumerate(lines, start=1) if line.strip()]
    for number, line in enumerate(lines, start=1):
        if not line.strip() and filled and filled[0] < number < filled[-1]:
            fix = "remove the empty line (break lines with \\\\ inside an aligned environment)"
            found.append(Unsafe(number, 1, "a formula cannot contain an empty line", fix))
        fence = re.match(r"[ \t>]*(```|~~~)", line)
        if fence:
            message = "a formula line cannot start with ``` or ~~~ (a code fence)"
            found.append(Unsafe(number, fence.start(1) + 1, message, "rewrite the line"))
        dollars = line.find("$$")
        if dollars >= 0:
            fix = "remove them: the page puts the formula between lines of $$"
            found.append(Unsafe(number, dollars + 1, "a formula cannot contain $$", fix))
        tag = _HTML_START.search(line)
        if tag is not None:
            message = "'<' followed by a letter would start HTML"
            found.append(Unsafe(number, tag.start() + 1, message, "write \\lt instead"))
    return sorted(found)


def too_slow(text: str) -> Unsafe | None:
    """What in a Markdown text would make the site's Markdown (and the automatic links) take
    minutes or fail: openers without closers, which each make a parser scan the rest of the
    text ('[' for links, '\\(' and '\\[' for math, '<!--'); many headings or
    definition-list items (see ``_COSTLY_LINES``); hundreds of list items, which
    Python-Markdown handles in time that grows with their square; lists or quotes nested so
    deep that it runs out of stack."""
    brackets: list[int] = []
    cost = 0
    # Each '[' costs at most the length of the text: the exact sum only for many of them.
    matches = _BRACKET.finditer(text) if text.count("[") * len(text) > _SCAN_BUDGET else ()
    for match in matches:
        if match.group() == "[":
            brackets.append(match.start())
        elif brackets:
            cost += match.start() - brackets.pop()
    cost += sum(len(text) - at for at in brackets)
    if cost > _SCAN_BUDGET:
        if not brackets:
            return _at(text, text.find("["), "'[' are nested too deeply", "flatten them")
        return _at(text, brackets[0], f"{len(brackets)} '[' have no matching ']'", _BRACKET_FIX)
    for opener, closer in (("\\(", "\\)"), ("\\[", "\\]"), ("<!--", "-->")):
        if text.count(opener) * len(text) <= _SCAN_BUDGET:
            continue
        starts = [m.start() for m in re.finditer(re.escape(opener), text)]
        ends = [m.start() for m in re.finditer(re.escape(closer), text)]
        cost = 0
        for at in starts:
            index = bisect_right(ends, at)
            cost += (ends[index] if index < len(ends) else len(text)) - at
        if cost > _SCAN_BUDGET:
            message = f"too many '{opener}' without a matching '{closer}'"
            return _at(text, starts[0], message, f"close each '{opener}' with '{closer}'")
    lines = text.count("\n") + 1
    for pattern, limit, what, fix in _COSTLY_LINES:
        if lines > limit:
            costly = list(pattern.finditer(text))
            if len(costly) > limit:
                message = f"has {len(costly)} {what}, over the limit of {limit}"
                return _at(text, costly[limit].start(), message, fix)
    if lines <= _MAX_LIST_ITEMS and not _DEEP_LINE.search(text):
        return None
    items = list(_NESTING.finditer(text))
    if len(items) > _MAX_LIST_ITEMS:  # Python-Markdown's time grows with their square
        message = (
            f"has {len(items)} list items or quoted lines, over the limit of {_MAX_LIST_ITEMS}"
        )
        return _at(text, items[_MAX_LIST_ITEMS].start(), message, "shorten the lists")
    for match in items:
        indent = match.group().expandtabs(4)
        depth = len(_MARKER.findall(match.group())) + (len(indent) - len(indent.lstrip())) // 4
        if depth > _MAX_NESTING:
            message = (
                f"lists or quotes nested {depth} levels deep, over the limit of {_MAX_NESTING}"
            )
            return _at(text, match.start(), message, "flatten them")
    return None


# Characters that a parser may scan over and over because of unclosed openers: about a second.
_SCAN_BUDGET = 300_000
_MAX_NESTING = 20
_MAX_LIST_ITEMS = 200
# Lines whose number makes a page slow to convert: every heading gets a unique id, found by
# trying "id", "id_1", "id_2"... (time grows with the square of equal headings), and
# definition-list items chain into a recursion that runs out of stack near 800.
_MAX_HEADINGS = 12
_MAX_DEFINITIONS = 50
_COSTLY_LINES = (
    (
        re.compile(r"^[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)", re.MULTILINE),
        _MAX_HEADINGS,
        "headings (or lines of '=' or '-')",
        "use fewer sections: a glossary entry reads best in a few",
    ),
    (
        re.compile(r"^[ \t]{0,3}:[ \t]", re.MULTILINE),
        _MAX_DEFINITIONS,
        "definition-list items (lines starting with ': ')",
        "use fewer, or a table",
    ),
)
_BRACKET = re.compile(r"[\[\]]")
_BRACKET_FIX = "close each '[' with ']', or write it as \\["
_NESTING = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*>)+", re.MULTILINE)
_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")
# A line nested more than _MAX_NESTING deep starts with more than that many of these characters.
_DEEP_LINE = re.compile(r"^[ \t>*+\-\d.)]{21}", re.MULTILINE)


def _at(text: str, offset: int, message: str, fix: str) -> Unsafe:
    """A problem at ``offset`` in ``text``."""
    line, column = text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
    return Unsafe(line, column, message, fix)


_DEFINITION_MESSAGE = "a reference definition ('[label]: address') is not allowed"
_DEFINITION_FIX = "write the link in place: [text](https://...), or [[slug]] for a term"
_IMAGE_MESSAGE = "images are not allowed in a term's text"
_IMAGE_FIX = (
    "remove it: computed figures go under 'figures', and a reader's browser must not load "
    "anything from another site"
)

_SNIPPET_PROBLEM = (
    "'--8<--' would include another file into the page",
    "remove it, and write the text itself here",
)


class _Regions:
    """Non-overlapping (start, end) ranges of a text, and which of them holds an offset."""

    def __init__(self) -> None:
        self._ranges: list[tuple[int, int]] = []
        self._sorted = True

    def add(self, start: int, end: int) -> None:
        self._sorted = self._sorted and (not self._ranges or self._ranges[-1][1] <= start)
        self._ranges.append((start, end))

    def __contains__(self, offset: int) -> bool:
        if not self._sorted:
            self._ranges.sort()
            self._sorted = True
        index = bisect_right(self._ranges, (offset, float("inf"))) - 1
        return index >= 0 and self._ranges[index][0] <= offset < self._ranges[index][1]


class _Scan:
    """One Markdown text with its code and math located: ``code`` and ``math`` where
    Python-Markdown certainly reads them so, ``unsure`` where it may not."""

    def __init__(self, text: str, fence_may_open_text: bool) -> None:
        self.text = text
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.fences: list[Unsafe] = []
        self.fence_lines: set[int] = set()  # the lines that open or close a fence
        self.code, self.math, self.unsure = _Regions(), _Regions(), _Regions()
        self.unsure_spots = 0  # refusable characters left to the rendered HTML to judge
        cuts = self._find_fences(fence_may_open_text)
        separators = sorted([(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)] + cuts)
        triggers = [match.start() for match in _TRIGGERS.finditer(text)]
        blocks, done = [], 0
        for start, end in [*separators, (len(text), len(text))]:
            if start > done:
                blocks.append((done, start))
            done = max(done, end)
        for start, end in blocks:  # only where something may be refused: the rest is not asked
            index = bisect_right(triggers, start - 1)
            if index < len(triggers) and triggers[index] < end:
                self._find_spans(start, end)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def unsafe(self, offset: int, message: str, fix: str) -> Unsafe:
        return Unsafe(*self.position(offset), message, fix)

    def rendered_problem(self, what: str, needle: str) -> Unsafe:
        at = self.text.find(needle) if needle else -1
        line, column = self.position(at) if at >= 0 else (1, 1)
        return Unsafe(line, column, f"would become unsafe HTML on the page: {what}", _RENDERED_FIX)

    def exempt(self, offset: int, *, unsure: bool = True) -> bool:
        """Whether a refusable character at ``offset`` is in code or math, for certain; with
        ``unsure``, one in code or math that may be read otherwise is left to the rendered HTML
        to judge (and counted)."""
        if offset in self.code or offset in self.math:
            return True
        if unsure and offset in self.unsure:
            self.unsure_spots += 1
            return True
        return False

    def _find_fences(self, fence_may_open_text: bool) -> list[tuple[int, int]]:
        """Code fences, as pymdownx.superfences reads them: closed by a line that repeats the
        opening one exactly. Returns the extents of the fenced blocks that are certainly code."""
        cuts: list[tuple[int, int]] = []
        opened: tuple[re.Match[str], bool] | None = None
        if "```" not in self.text and "~~~" not in self.text:
            return cuts
        for match in _FENCE_LINE.finditer(self.text):
            number = self.position(match.start())[0] - 1
            if opened is not None:
                first, certain = opened
                if match["fence"] == first["fence"] and not match["info"].strip(" \t"):
                    self.fence_lines.add(number)
                    if certain:
                        self.code.add(first.end(), match.start())
                        cuts.append((first.start(), match.end()))
                    opened = None
                continue
            self.fence_lines.add(number)
            valid = _FENCE_INFO.fullmatch(match["info"]) is not None
            if not valid:
                self.fences.append(
                    self.unsafe(
                        match.start("info"),
                        f"a code fence may name only its language, not '{match['info'].strip()}'",
                        "write the language alone after the fence, e.g. ```python",
                    )
                )
            before = self.text[self.line_starts[max(number - 1, 0)] : match.start()]
            after_blank = fence_may_open_text if number == 0 else not before.strip()
            opened = (match, valid and after_blank)
        if opened is not None:
            self.fences.append(
                self.unsafe(
                    opened[0].start(),
                    "this code fence is never closed",
                    f"end the code with a line holding exactly '{opened[0]['fence'].strip()}', "
                    "indented like this one",
                )
            )
        return cuts

    def _find_spans(self, start: int, end: int) -> None:
        """Code spans and math in one block (between blank lines): Python-Markdown pairs a run
        of n backticks with the next run of exactly n, then finds math in what is not code."""
        block = self.text[start:end]
        table = _TABLE_RULE.search(block) is not None  # its rows split lines into cells

        def certain(first: int, last: int) -> bool:
            """Whether a span is read as one piece of inline text: not cut by a table cell, or
            by a line that starts a block (a list item, a quote, a heading, HTML...)."""
            text = block[first:last]
            if "\n" not in text:
                return not (table and "|" in text)
            line = block[block.rfind("\n", 0, first) + 1 : first]
            return not table and not _HEADING_LINE.match(line) and not _BLOCK_START.search(text)

        spans, paired = _code_spans(block)
        pieces, done = [], 0
        for first, last in spans:
            regions = self.code if certain(first, last) else self.unsure
            regions.add(start + first, start + last)
            pieces += [block[done:first], "\x02" * (last - first)]
            done = last
        masked = "".join([*pieces, block[done:]])  # code hides from math, as in Markdown
        if not any(mark in block for mark in ("$", "\\(", "\\[", "\\begin")):
            return
        if not spans and _DISPLAY_MATH.fullmatch(block):
            self.math.add(start, end)  # the block is display math: Markdown leaves it alone
            return
        for match in _INLINE_MATH.finditer(masked):
            first, last = match.span()
            regions = self.math if paired and certain(first, last) else self.unsure
            regions.add(start + first, start + last)

    def snippets(self) -> Iterator[Unsafe]:
        matches = _SNIPPET.finditer(self.text) if "8<" in self.text else ()
        for match in matches:  # processed before code: refused even there
            yield self.unsafe(match.start(), *_SNIPPET_PROBLEM)

    @cached_property
    def _link_targets(self) -> list[tuple[int, int, str]]:
        """Each inline link, image and reference definition: where it starts (its ']', or the
        definition's line), where its target starts, and the target (without '<' and '>')."""
        return [
            (match.start(), match.start("target"), match["target"].removeprefix("<"))
            for pattern in (_INLINE_LINK_TARGET, _REFERENCE_DEFINITION)
            if "]" in self.text
            for match in pattern.finditer(self.text)
        ]

    def html(self) -> Iterator[Unsafe]:
        """Raw HTML, once per line (a closing tag often follows on the same line)."""
        refused_targets = {at for _, at, target in self._link_targets if not _allowed(target)}
        lines_seen = set()
        for match in _HTML_START.finditer(self.text):
            at = match.start()
            # Not left to the rendered HTML: a tag at the start of a line can open an HTML block.
            # Math is no shelter: Python-Markdown's HTML parser reads the whole text before
            # math is found, and '$x_{<t}$' opens an element that swallows what follows.
            if (
                at in refused_targets  # as a link target: reported by links()
                or _AUTOLINK.match(self.text, at)
                or at in self.code
            ):
                continue
            line = self.position(at)[0]
            if line not in lines_seen:
                lines_seen.add(line)
                found = _TAG.match(self.text, at)  # always: the text has a '<' here
                tag = found.group() if found else "<"
                if at in self.math:
                    yield self.unsafe(at, _MATH_TAG_MESSAGE.format(tag=tag), _MATH_TAG_FIX)
                else:
                    yield self.unsafe(at, f"HTML is not allowed here: '{tag}'", _HTML_FIX)

    def links(self) -> Iterator[Unsafe]:
        reported = {at for at, _, _ in self._definitions} | set(self._images)
        for start, at, target in self._link_targets:
            if start not in reported and not _allowed(target) and not self.exempt(start):
                yield self.unsafe(at, *_refused_target(target, self._link_text(start)))

    def _link_text(self, end: int) -> str:
        """The text of the inline link whose ']' is at ``end`` (best effort: no nesting)."""
        start = self.text.rfind("[", 0, end)
        return " ".join(self.text[start + 1 : end].split()) if start >= 0 else ""

    def templates(self) -> Iterator[Unsafe]:
        """Template syntax of other site generators (Hugo's shortcodes, Jinja's and Liquid's
        tags), which a converted glossary often still holds: Markdown shows it as typed."""
        for match in _TEMPLATE.finditer(self.text) if "{" in self.text else ():
            if not self.exempt(match.start(), unsure=False):
                yield self.unsafe(match.start(), *_template_problem(match.group()))

    @cached_property
    def _definitions(self) -> list[tuple[int, int, str]]:
        return [item for item in self._link_targets if self.text[item[0]] != "]"]

    def definitions(self) -> Iterator[Unsafe]:
        """Reference definitions ('[label]: address'), wherever Markdown finds them: one could
        redefine where another link goes, so they are refused, whatever the address."""
        for start, _, _ in self._definitions:
            at = self.text.index("[", start)
            if not self.exempt(at, unsure=False):
                yield self.unsafe(at, _DEFINITION_MESSAGE, _DEFINITION_FIX)

    @cached_property
    def _images(self) -> dict[int, int]:
        """Each image's ']' (where its link target is looked for) -> where the image starts."""
        matches = _IMAGE.finditer(self.text) if "![" in self.text else ()
        return {self.text.rindex("]", m.start(), m.end()): m.start() for m in matches}

    def images(self) -> Iterator[Unsafe]:
        """Images: a reader's browser would fetch them from wherever they point."""
        for start in self._images.values():
            if not self.exempt(start, unsure=False):
                yield self.unsafe(start, _IMAGE_MESSAGE, _IMAGE_FIX)

    def term_references(self) -> Iterator[Unsafe]:
        for match in _TERM_REFERENCE.finditer(self.text):
            if not self.exempt(match.start(), unsure=False):
                message = f"'{match.group()}' is the generator's own link syntax"
                yield self.unsafe(match.start(), message, "link to another term with [[slug]]")

    def attributes(self) -> Iterator[Unsafe]:
        """Attribute lists where attr_list surely takes them: glued to what comes before, or
        ending a line (before a heading's closing '#'s or a table's '|'). Other braces outside
        code and math are left to the rendered HTML to judge."""
        lines_seen = set()
        templates = [m.span() for m in _TEMPLATE.finditer(self.text)] if "{" in self.text else []
        for start, end, _ in attribute_lists(self.text):
            if any(a <= start < b for a, b in templates):
                continue  # reported as template syntax
            line = self.position(start)[0]
            if line - 1 in self.fence_lines or _escaped(self.text, start) or self.exempt(start):
                continue  # a fence's attributes are reported as the fence's
            glued = start > 0 and not self.text[start - 1].isspace()
            ends_line = _LINE_END.match(self.text, end) is not None
            if not (glued or ends_line):
                self.unsure_spots += 1
            elif line not in lines_seen:
                lines_seen.add(line)
                yield self.unsafe(
                    start,
                    f"'{shorten(self.text[start:end])}' would set HTML attributes "
                    "(an attribute list)",
                    "remove it; to show braces, write them inside `code` or math, or as \\{",
                )


def _refused_target(target: str, text: str) -> tuple[str, str]:
    """Why a link target is refused, and the fix: for a site path that ends in a slug, as a
    glossary converted from another site holds (``/service/``, ``../service/``), the term link
    it most likely means, with the link's text kept."""
    segments = site_path_segments(target)
    slug = segments[-1] if segments else ""
    if scheme(target) or not is_slug(slug):
        return f"the link target '{target}' is not allowed", _LINK_FIX
    link = (
        f"[[{slug}]]" if text.casefold() in ("", slug.replace("-", " ")) else f"[[{slug}|{text}]]"
    )
    return (
        f"the link target '{target}' is a path of another site, which a term file cannot know",
        f"did you mean the term '{slug}'? write {link}",
    )


def _template_problem(found: str) -> tuple[str, str]:
    """What to say of template syntax: a tooltip shortcode becomes the term link it meant."""
    tooltip = _TOOLTIP.search(found)
    if tooltip is not None:
        fix = f"write the term link it stands for: [[{tooltip['slug']}|{tooltip['text']}]]"
    else:
        fix = "write what it stands for in Markdown, or remove it"
    return f"'{shorten(found)}' is template syntax of another site generator", fix


def _allowed(target: str) -> bool:
    """Whether an author may link to ``target``: only http(s) and mailto, since a relative link
    would need the site's paths, which a term file cannot know."""
    return scheme(target) in ALLOWED_SCHEMES and (
        target.lower().startswith("mailto:") or "//" in target
    )


def _code_spans(block: str) -> tuple[list[tuple[int, int]], bool]:
    """The code spans of a block, and whether all its backticks pair up (if not, or if one is
    escaped, Python-Markdown's fallbacks may read them otherwise: no span is certain)."""
    runs = [match.span() for match in re.finditer("`+", block)]
    spans, i = [], 0
    while i < len(runs):
        first, last = runs[i]
        if _escaped(block, first):
            return [], False
        closing = next(
            (j for j in range(i + 1, len(runs)) if runs[j][1] - runs[j][0] == last - first), None
        )
        if closing is None:
            return [], False
        spans.append((first, runs[closing][1]))
        i = closing + 1
    return spans, True


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1
