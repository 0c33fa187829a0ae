"""What each kind of field value must look like: one checker per ``schema.Kind``.

A checker returns ``(path, what is wrong, how to fix)`` for every problem in one value, so that
``validate.py`` can locate each of them in the source file.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from generator.markdown.mentions import is_acronym
from generator.markdown.safety import Unsafe, latex_problems, markdown_problems
from generator.schema import (
    FORMULA_MAX_LENGTH,
    MARKDOWN_MAX_LENGTH,
    MAX_LIST_ITEMS,
    SUMMARY_MAX_LENGTH,
    FieldSpec,
    Kind,
    is_slug,
)

Path = tuple[str | int, ...]


class Finding(NamedTuple):
    """One problem in a value: where (``text_line`` and ``text_column``: a spot inside a text,
    both 1-based), what, fix."""

    path: Path
    message: str
    fix: str
    text_line: int | None = None
    text_column: int | None = None


# Zero-width and bidirectional formatting characters: they make a name look like another one.
_HIDDEN_CHARACTER = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# What Markdown or HTML would read as syntax around the link text that a name becomes.
_NAME_SYNTAX = re.compile(r"[\[\]<>{}`$|\\]")
# Words too common to be a term's other name: each would link its every mention.
# fmt: off
COMMON_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "has",
    "have", "if", "in", "is", "it", "its", "may", "no", "not", "of", "on", "one", "or", "so",
    "such", "than", "that", "the", "their", "then", "there", "these", "this", "to", "too",
    "two", "use", "used", "using", "was", "we", "what", "when", "which", "who", "will", "with",
    "yes", "you", "all", "any", "each", "more", "most", "other", "some", "data", "model",
    "models", "set", "method", "system", "value",
))
# fmt: on
_TEXT_LIMITS = {
    Kind.MARKDOWN: MARKDOWN_MAX_LENGTH,
    Kind.MARKDOWN_LIST: MARKDOWN_MAX_LENGTH,
    Kind.LATEX: FORMULA_MAX_LENGTH,
}
_NOT_IN_URL = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')  # characters RFC 3986 leaves out
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--")
_MARKDOWN_SYNTAX = re.compile(r"\*\*|__|`|\]\(|^#|^\s*[-*+] ", re.MULTILINE)
# Two sentences: a full stop and a capital, or a CJK full stop with more text after it.
_SENTENCE_BREAK = re.compile(r"[.!?] +[A-Z]|[\u3002\uff01\uff1f].")
# What ends a sentence; a Chinese or Japanese summary (a translation's) ends with '。'.
_SENTENCE_ENDS = (".", "?", "!", "\u3002", "\uff01", "\uff1f")
_TERM_LINK = re.compile(r"\[\[(?P<slug>[^\[\]|]*)(?:\|(?P<label>[^\[\]]*))?\]\]")
# A heading of level 1 or 2 (ATX '#', '##', or setext '===', '---' under a line of text): the
# page gives the term level 1 and each field a level-2 heading of its own.
_TOP_HEADING = re.compile(r" {0,3}#{1,2}(?:[ \t]|$)")
_SETEXT_RULE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d{1,2}\.) ")  # not "1958. The"
# Lines after which a new block may start without a blank line: a list item's continuation,
# or a heading (Python-Markdown splits headings out of their block).
_BLOCK_BOUNDARY = re.compile(r"^(\s{2,}\S|\s*#{1,6}\s)")


def check_value(spec: FieldSpec, path: Path, value: Any) -> list[Finding]:
    """Every problem with ``value`` as the field ``spec`` at ``path``; [] when it is fine."""
    return list(_CHECKERS[spec.kind](spec, path, value))


def _text(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield Finding(path, f"must be text, got {_describe(value)}", "put the value in quotes")
        return
    text = value.strip()
    if not text:
        yield Finding(path, "is empty", "write the text or remove the field")
    elif "\n" in text:
        yield Finding(path, "must be on one line", "join the lines into one")
    elif spec.name == "summary":
        yield from _summary(path, text)
        yield from _term_links_in_plain_text(path, text)
    else:
        yield from _limited_text(spec, path, text)
        yield from _term_links_in_plain_text(path, text)


def _term_links_in_plain_text(path: Path, text: str) -> Iterator[Finding]:
    """``[[slug]]`` in a plain-text field would show as typed: in a tooltip, a card, a
    question."""
    for match in _TERM_LINK.finditer(text):
        shown = (match["label"] or match["slug"].replace("-", " ")).strip()
        yield Finding(
            path,
            f"'{match.group()}' is a term link, which this plain-text field shows as typed",
            f"write the words alone ('{shown}'); term links belong in the Markdown fields, such "
            "as the definition",
            1,
            match.start() + 1,
        )


def _summary(path: Path, text: str) -> Iterator[Finding]:
    if len(text) > SUMMARY_MAX_LENGTH:
        yield Finding(
            path,
            f"is {len(text)} characters long, over the limit of {SUMMARY_MAX_LENGTH}",
            "shorten it to one plain sentence; details belong in 'definition'",
        )
    if _HTML_TAG.search(text) or _MARKDOWN_SYNTAX.search(text):
        yield Finding(
            path,
            "contains Markdown or HTML",
            "write plain text: it is shown in tooltips and search results as is",
        )
    if not text.endswith(_SENTENCE_ENDS) or _SENTENCE_BREAK.search(text):
        yield Finding(
            path,
            "must be exactly one sentence",
            "write one sentence ending with a full stop; details belong in 'definition'",
        )


def _markdown(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield Finding(
            path,
            f"must be text, got {_describe(value)}",
            "write the text after '|' on the following lines, indented",
        )
    elif not value.strip():
        yield Finding(path, "is empty", "write the text or remove the field")
    elif len(value.strip()) > (limit := _TEXT_LIMITS[spec.kind]):
        yield Finding(
            path,
            f"is {len(value.strip()):,} characters long, over the limit of {limit:,}",
            "shorten it; a glossary entry should not need this much",
        )
    elif spec.kind is Kind.LATEX:
        yield from _located(path, value, latex_problems)
    else:
        if spec.kind is Kind.MARKDOWN:
            yield from _block_spacing(path, value)
        yield from _top_headings(path, value)
        # An example follows a list marker on its page: a code fence cannot open it.
        in_list = spec.kind is Kind.MARKDOWN_LIST
        yield from _located(path, value, partial(markdown_problems, in_list_item=in_list))


def _located(path: Path, value: str, check: Callable[[str], list[Unsafe]]) -> Iterator[Finding]:
    """The problems ``check`` finds in a text as its page holds it (stripped), located in the
    value as written."""
    leading = value[: len(value) - len(value.lstrip())]
    lines_before = leading.count("\n")
    indent = len(leading) - (leading.rfind("\n") + 1)
    for unsafe in check(value.strip()):
        column = unsafe.column + (indent if unsafe.line == 1 else 0)
        yield Finding(path, unsafe.message, unsafe.fix, unsafe.line + lines_before, column)


def _top_headings(path: Path, text: str) -> Iterator[Finding]:
    """Headings of level 1 and 2 outside code fences: on the page they would cut the field's
    section in two, and leave it out of the table of contents' order."""
    in_fence, previous = False, ""
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (
            _TOP_HEADING.match(line)
            or (
                _SETEXT_RULE.fullmatch(line)
                and previous.strip()
                and not _LIST_ITEM.match(previous)
                and not _TOP_HEADING.match(previous)
            )
        ):
            yield Finding(
                path,
                "this line is a heading of level 1 or 2, the levels of the page's own title "
                "and sections",
                "make it a subheading with ### (or more #), or write it as **bold text**",
                number,
            )
        previous = line


def _block_spacing(path: Path, text: str) -> Iterator[Finding]:
    """Python-Markdown starts a list or a code fence only after a blank line; without one, the
    block silently renders as part of the paragraph above it."""
    previous, in_fence = "", False
    for number, line in enumerate(text.splitlines(), start=1):
        fence = _FENCE.match(line) is not None
        list_start = not in_fence and _LIST_ITEM.match(line) and not _LIST_ITEM.match(previous)
        if (
            ((fence and not in_fence) or list_start)
            and previous.strip()
            and not (_BLOCK_BOUNDARY.match(previous))
        ):
            what = "code fence" if fence else "list"
            yield Finding(
                path,
                f"the {what} that starts on this line needs a blank line before it",
                "add an empty line before this line, or it renders as part of the paragraph",
                number,
            )
        if fence:
            in_fence = not in_fence
        previous = line


def _inline_text(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    """A short text shown inside a line of its page: one line, within its length, and for
    LaTeX, nothing that would end the math it is put in (``$...$``) early."""
    if not isinstance(value, str):
        yield Finding(path, f"must be text, got {_describe(value)}", "put the value in quotes")
        return
    text = value.strip()
    if not text:
        yield Finding(path, "is empty", "write the text or remove the item")
    elif "\n" in text:
        yield Finding(path, "must be on one line", "join the lines into one")
    elif spec.max_length is not None and len(text) > spec.max_length:
        yield Finding(
            path,
            f"is {len(text)} characters long, over {spec.max_length}",
            f"shorten it to at most {spec.max_length} characters",
        )
    elif spec.kind is Kind.LATEX_INLINE:
        if "$" in text:
            yield Finding(path, "cannot contain '$'", "write the LaTeX alone: the page adds the $")
        elif text.endswith("\\"):
            yield Finding(path, "cannot end with '\\'", "remove the backslash at the end")
        else:
            yield from _located(path, value, latex_problems)
    else:
        yield from _located(path, value, partial(markdown_problems, in_list_item=True))


def _url(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield Finding(path, f"must be a URL, got {_describe(value)}", "write an https:// address")
        return
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname  # checks a [bracketed] IPv6 address, too
    except ValueError:  # e.g. https://example.org[x]
        parts, host = None, None
    odd = _NOT_IN_URL.search(value.strip())
    if parts is None or parts.scheme not in ("http", "https") or not host:
        yield Finding(
            path,
            f"'{value.strip()}' is not an http(s) URL",
            "write a full address starting with https://",
        )
    elif odd is not None:
        yield Finding(
            path,
            f"a URL cannot hold {odd.group()!r}",
            f"percent-encode it as %{ord(odd.group()):02X}, as the browser's address bar shows",
        )


def _year(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if isinstance(value, bool) or not isinstance(value, int):
        yield Finding(
            path,
            f"must be a year, got {_describe(value)}",
            "write the year as a number, e.g. 2015",
        )
    elif not 1600 <= value <= 2100:
        yield Finding(
            path, f"{value} is not a plausible year", "write the year of publication, e.g. 2015"
        )


def _slug(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if not is_slug(value):
        yield Finding(
            path,
            f"{_describe(value)} is not a slug",
            "use lowercase letters, digits and hyphens, e.g. 'layer-normalization'",
        )


def _list_of(item: Callable[[FieldSpec, Path, Any], Iterator[Finding]]) -> Callable[..., Any]:
    def check(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
        if not isinstance(value, list):
            yield Finding(
                path,
                f"must be a list, got {_describe(value)}",
                "write one item per line, each starting with '- '",
            )
            return
        if len(value) > MAX_LIST_ITEMS:
            yield Finding(
                path,
                f"has {len(value)} items, over the limit of {MAX_LIST_ITEMS}",
                f"keep at most {MAX_LIST_ITEMS}",
            )
            return
        seen: set[str] = set()
        for i, element in enumerate(value):
            yield from item(spec, (*path, i), element)
            key = element.strip().casefold() if isinstance(element, str) else None
            if key is not None and key in seen:
                yield Finding(
                    (*path, i), f"'{element.strip()}' is listed twice", "remove the repetition"
                )
            if key is not None:
                seen.add(key)

    return check


def _plain_item(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        yield Finding(
            path,
            f"must be plain text on one line, got {_describe(value)}",
            "write each item as short text (quote it if it contains ': ')",
        )
    else:
        yield from _limited_text(spec, path, value.strip())


def _limited_text(spec: FieldSpec, path: Path, text: str) -> Iterator[Finding]:
    """The limits a field's spec sets on one line of text: its length, and for names, what
    would make them invisible, unlinkable or a link from every page."""
    if spec.max_length is not None and len(text) > spec.max_length:
        fix = f"shorten it to at most {spec.max_length} characters"
        if spec.name == "term":
            fix = "use the short name; put long forms in 'aliases'"
        yield Finding(path, f"is {len(text)} characters long, over {spec.max_length}", fix)
    hidden = _HIDDEN_CHARACTER.search(text)
    if hidden is not None:
        code = ord(hidden.group())
        yield Finding(
            path,
            f"contains the invisible character U+{code:04X} ({unicodedata.name(hidden.group())})",
            "delete it (most editors do not show it)",
        )
    if not spec.is_name:
        return
    syntax = _NAME_SYNTAX.search(text)
    if syntax is not None:
        yield Finding(
            path,
            f"a name cannot contain '{syntax.group()}'",
            "names appear in links, indexes and search: write it without [ ] < > { } ` $ | \\",
        )
    if text.casefold() in COMMON_WORDS and not is_acronym(text):  # "IT" links only "IT"
        yield Finding(
            path,
            f"'{text}' is a common word",
            "an alias links every mention of it on every page: keep only real names",
        )


def _mapping_item(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if not isinstance(value, dict):
        keys = ", ".join(f"{f.name}: ..." for f in spec.item_fields)
        yield Finding(
            path, f"must be a mapping, got {_describe(value)}", f"write the item as {{{keys}}}"
        )


def _params(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if not isinstance(value, dict):
        yield Finding(
            path, f"must be a mapping, got {_describe(value)}", "write params as {name: value}"
        )
        return
    for name, param in value.items():
        if not isinstance(param, str | int | float | bool):
            yield Finding(
                (*path, name),
                f"must be a number, text or true/false, got {_describe(param)}",
                "give a single value",
            )


def _autolink(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if isinstance(value, bool):
        return
    if isinstance(value, list):
        yield from _list_of(_plain_item)(spec, path, value)
        return
    yield Finding(
        path,
        f"must be true, false or a list of phrases, got {_describe(value)}",
        "write 'autolink: false' to link this term only where a text writes [[slug]], or "
        "list the phrases that should link to it, e.g. 'autolink: [host machine]'",
    )


def _choice(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    if value not in spec.choices:
        words = " or ".join(f"'{choice}'" for choice in spec.choices)
        yield Finding(path, f"must be {words}, got {_describe(value)}", f"write {words}")


def _date(spec: FieldSpec, path: Path, value: Any) -> Iterator[Finding]:
    """A date as YAML reads ``2024-05-01`` (a ``date``), or as quoted text of that form."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return
    if isinstance(value, str):
        try:
            datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if len(value.strip()) == len("YYYY-MM-DD"):
                return
    yield Finding(
        path, f"must be a date, got {_describe(value)}", "write it as YYYY-MM-DD, e.g. 2025-03-14"
    )


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"'{value}'" if len(value) < 40 else "text"
    return f"the {type(value).__name__} {value!r}"


_CHECKERS: dict[Kind, Callable[[FieldSpec, Path, Any], Iterator[Finding]]] = {
    Kind.TEXT: _text,
    Kind.MARKDOWN: _markdown,
    Kind.LATEX: _markdown,
    Kind.LATEX_INLINE: _inline_text,
    Kind.INLINE_MARKDOWN: _inline_text,
    Kind.URL: _url,
    Kind.YEAR: _year,
    Kind.SLUG: _slug,
    Kind.TEXT_LIST: _list_of(_plain_item),
    Kind.MARKDOWN_LIST: _list_of(_markdown),
    Kind.SLUG_LIST: _list_of(_slug),
    Kind.OBJECT_LIST: _list_of(_mapping_item),
    Kind.PARAMS: _params,
    Kind.AUTOLINK: _autolink,
    Kind.CHOICE: _choice,
    Kind.DATE: _date,
}
