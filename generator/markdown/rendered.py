"""A term's Markdown rendered as the site renders it, and what in the HTML is unsafe.

The safety net behind ``safety``: where that module cannot be sure how Python-Markdown
reads a text (math that spans lines, a table, unpaired backticks), this renders the text with
the extensions of mkdocs.yml and reports any element, attribute or URL that plain Markdown does
not produce. Attribute lists are left unprocessed (attr_list is off) and looked for in the text
that remains, glued to an element or a word, or ending a line, as attr_list would take them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from typing import NamedTuple
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor

# mkdocs.yml's markdown_extensions, without pymdownx.snippets (``safety`` refuses its
# markers) and attr_list (left out so that an attribute list stays visible as text).
SITE_EXTENSIONS: dict[str, dict[str, object]] = {
    "abbr": {},
    "admonition": {},
    "def_list": {},
    "footnotes": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.arithmatex": {"generic": True},
    "pymdownx.details": {},
    "pymdownx.highlight": {},
    "pymdownx.superfences": {},
}
UNCHECKED_EXTENSIONS = ("attr_list", "pymdownx.snippets")
ALLOWED_SCHEMES = ("http", "https", "mailto")


class Rendered(NamedTuple):
    """What makes the HTML of a text unsafe, and a piece of the text to find it by."""

    what: str
    needle: str


def unsafe_html(
    text: str, *, as_list_item: bool = False, as_formula: bool = False
) -> Rendered | None:
    """What, if anything, makes the HTML of ``text`` unsafe, rendered as its page renders it:
    after a list marker (an example), between ``$$`` lines (a formula), or as a block."""
    text = text.strip()  # as the page holds it
    if as_list_item:
        first, *rest = text.split("\n")
        indented = ("    " + line if line.strip() else line for line in rest)
        text = "- " + "\n".join([first, *indented])
    elif as_formula:
        text = f"$$\n{text}\n$$"
    md = _markdown()
    md.reset()
    inspector = md.treeprocessors["glossary-braces"]
    assert isinstance(inspector, _BraceInspector)
    inspector.found = None
    output = md.convert(text)
    if inspector.found:
        return inspector.found
    for label in md.references:  # definitions count even when no link uses them
        return Rendered(f"the reference definition '[{label}]:'", "]:")
    checker = _HtmlChecker()
    checker.feed(output)
    checker.close()
    return checker.found


def scheme(url: str) -> str | None:
    """The scheme a browser sees in ``url``: entities decoded, whitespace and controls dropped."""
    decoded = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", decoded)
    return match.group(1).lower() if match else None


def attribute_lists(text: str) -> Iterator[tuple[int, int, bool]]:
    """Every '{' where attr_list's pattern matches, as (start, end, whether only spaces follow
    on the line). Linear: the pattern runs to the line's last '}', so a line of many '{' must
    not be matched from each of them."""
    offset = 0
    for line in text.split("\n"):
        last = line.rfind("}")
        start = line.find("{")
        while 0 <= start < last:
            first = start + 1  # the first character of the attributes
            if line[first] != ":":
                while line[first] == " ":
                    first += 1
            if first < last and line[first] != "}":
                yield offset + start, offset + last + 1, not line[last + 1 :].strip()
            start = line.find("{", start + 1)
        offset += len(line) + 1


def shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


@cache
def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=list(SITE_EXTENSIONS), extension_configs=SITE_EXTENSIONS)
    md.treeprocessors.register(_BraceInspector(md), "glossary-braces", 1)
    return md


class _BraceInspector(Treeprocessor):
    """Finds attribute lists left as text: '{...}' glued to what comes before it (an element,
    or a word that may become a link), or ending a line; not in code or math."""

    found: Rendered | None = None

    def run(self, root: Element) -> None:
        self._visit(root)

    def _visit(self, element: Element) -> None:
        inside_code = element.tag in ("code", "pre") or "arithmatex" in element.get("class", "")
        if not inside_code:
            self._check(element.text, after_element=False)
            for child in element:
                self._visit(child)
                self._check(child.tail, after_element=True)

    def _check(self, text: str | None, after_element: bool) -> None:
        text = text or ""
        for start, end, ends_line in attribute_lists(text):
            glued = (start == 0 and after_element) or (start > 0 and not text[start - 1].isspace())
            if (glued or ends_line) and self.found is None:
                braces = text[start:end]
                self.found = Rendered(f"the attribute list '{shorten(braces)}'", braces)


_ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_ALLOWED_ATTRIBUTES = frozenset({"class", "href", "id", "open", "title"})


class _HtmlChecker(HTMLParser):
    """Refuses any element, attribute or URL that plain Markdown does not produce."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Rendered | None = None

    def _refuse(self, what: str, needle: str) -> None:
        if self.found is None:
            self.found = Rendered(what, needle)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self._refuse(f"the element <{tag}>", f"<{tag}")
        for name, value in attrs:
            if name == "style" and tag in ("td", "th"):
                if not re.fullmatch(r"text-align: (left|right|center);?", value or ""):
                    self._refuse(f'the attribute style="{value}"', "style")
            elif name not in _ALLOWED_ATTRIBUTES:
                self._refuse(f"the attribute {name}", name)
            elif name == "href" and scheme(value or "") not in (None, *ALLOWED_SCHEMES):
                self._refuse(f"a link to '{value}'", value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _ALLOWED_TAGS:
            self._refuse(f"the element </{tag}>", f"</{tag}")

    def handle_comment(self, data: str) -> None:
        self._refuse("an HTML comment", "<!--")

    def handle_decl(self, decl: str) -> None:
        self._refuse("an HTML declaration", "<!")

    def handle_pi(self, data: str) -> None:
        self._refuse("an HTML processing instruction", "<?")

    def unknown_decl(self, data: str) -> None:
        self._refuse("an HTML declaration", "<!")
