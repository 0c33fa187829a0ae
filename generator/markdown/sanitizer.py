"""The last line of defence: allow-lists for the HTML that pages become, and for figure SVGs.

``glossary check`` refuses, with located messages, everything in a term file that could put
markup or script of its own on a page. This module does not rely on those checks being
complete: after Markdown has turned a page into HTML, every element, attribute and URL not on
the allow-list below is removed by Ammonia (through its maintained binding ``nh3``, pinned in
pyproject.toml), and reported, so that a check we forgot becomes a failed build rather than a
hole in the published site.

The allow-list is what the site's Markdown extensions and our templates produce, nothing more:
links to ``https:``, ``http:`` and ``mailto:`` addresses or relative ones (our own pages);
images only from our own site (relative addresses: the computed figures). Then what KaTeX
writes for a formula typeset at build time (``katex``; its options allow no links, images or
markup of the author's own: ``trust`` is off): spans with classes and inline styles that place
the glyphs, MathML for screen readers, and a few SVG paths (square roots, wide accents, tall
delimiters). An inline style is kept only when every declaration is one KaTeX writes, with a
value of the form KaTeX writes (a length in em, a colour name or #hex...), so that no style can
fix an element over the page or load anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from xml.etree import ElementTree

import nh3

from generator.markdown.rendered import ALLOWED_SCHEMES, scheme

ALLOWED_TAGS = frozenset(
    {
        *("a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt"),
        *("em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li"),
        *(
            "nav",
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
        ),
        *("th", "thead", "tr", "ul"),
    }
)
# What KaTeX writes, besides spans: MathML (for screen readers; not <annotation-xml>, which may
# hold HTML, nor <mglyph>, an image) and SVG shapes (no <use>, no <image>, no <foreignObject>).
MATHML_TAGS = frozenset(
    {
        *("math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace"),
        *("msub", "msup", "msubsup", "munder", "mover", "munderover", "mfrac", "msqrt"),
        *("mroot", "mstyle", "mtable", "mtr", "mtd", "mpadded", "mphantom", "menclose"),
    }
)
_MATHML_ATTRIBUTES = frozenset(
    {
        *("xmlns", "display", "encoding", "mathvariant", "stretchy", "fence", "separator"),
        *("lspace", "rspace", "minsize", "maxsize", "largeop", "accent", "accentunder"),
        *("displaystyle", "scriptlevel", "linethickness", "columnalign", "columnlines"),
        *("columnspacing", "rowlines", "rowspacing", "width", "height", "depth", "voffset"),
        *("notation", "mathcolor", "mathbackground", "mathsize", "linebreak"),
    }
)
SVG_TAGS = frozenset({"svg", "path", "line"})
ALLOWED_TAGS = ALLOWED_TAGS | MATHML_TAGS | SVG_TAGS
# Attributes on every allowed element, then those of one element only.
# 'lang': a translated page marks the text it shows in English.
_GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "data-search-exclude", "lang"})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": frozenset({"href"}),
    # width and height: the figures' sizes, so that a page does not shift as they load.
    "img": frozenset({"src", "alt", "loading", "width", "height"}),
    # A term page's breadcrumbs and its previous and next terms (term.md.j2).
    "nav": frozenset({"aria-label"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"style"}),
    "th": frozenset({"style"}),
    # KaTeX's output (see MATHML_TAGS): spans styled and hidden from screen readers (the MathML
    # is read instead), SVG shapes.
    "span": frozenset({"style", "aria-hidden"}),
    **{tag: _MATHML_ATTRIBUTES for tag in MATHML_TAGS},
    "mpadded": _MATHML_ATTRIBUTES | {"style"},  # \fcolorbox's border
    "mstyle": _MATHML_ATTRIBUTES | {"style"},  # \boldsymbol's shadow
    "svg": frozenset({"xmlns", "width", "height", "viewBox", "preserveAspectRatio", "style"}),
    "path": frozenset({"d"}),
    "line": frozenset({"x1", "y1", "x2", "y2", "stroke-width"}),
}
_URL_ATTRIBUTES = frozenset({"href", "src"})
# Elements removed together with what they hold, not only their tags.
_REMOVED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
# Python-Markdown writes a table column's alignment as an inline style.
_TABLE_ALIGNMENT = {"text-align"}
# The inline styles KaTeX writes, each property with the form of its values.
_EM = r"(?:-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)em|0)"
_COLOUR = r"(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]+)"
_KATEX_STYLES: dict[str, re.Pattern[str]] = {
    **{
        name: re.compile(_EM)
        for name in (
            *("height", "width", "min-width", "top", "bottom", "left", "vertical-align"),
            *("margin-left", "margin-right", "margin-top", "padding-left", "border-width"),
            *("border-bottom-width", "border-right-width", "border-top-width"),
        )
    },
    "margin": re.compile(rf"{_EM}(?:\s+{_EM}){{0,3}}"),
    "border": re.compile(rf"{_EM} solid {_COLOUR}"),
    "position": re.compile("relative"),
    "border-style": re.compile("solid|dashed"),
    "border-right-style": re.compile("solid|dashed"),
    **{name: re.compile(_COLOUR) for name in ("color", "background-color", "border-color")},
    "text-shadow": re.compile(r"0\.02em 0\.01em 0\.04px"),  # \boldsymbol without a bold font
}


@dataclass(frozen=True)
class SanitizedHtml:
    """A page's HTML with everything off the allow-list removed, and what was removed."""

    html: str
    removed: tuple[str, ...]


def sanitize_html(html: str) -> SanitizedHtml:
    """``html`` reduced to the allow-list, and a description of each thing it took out."""
    removed = _disallowed(html)
    # Cleaned even when the finder saw nothing: a browser may parse broken markup otherwise.
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties=_TABLE_ALIGNMENT | set(_KATEX_STYLES),
    )
    return SanitizedHtml(clean, tuple(dict.fromkeys(removed)))


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """What nh3's allow-list cannot say: an image only from our own site; an inline style only
    as Markdown writes it (a table cell's alignment) or as KaTeX does."""
    if tag == "img" and name == "src" and not _is_own(value):
        return None
    if name == "style" and not _style_allowed(tag, value):
        return None
    return value


def _is_own(url: str) -> bool:
    """Whether ``url`` is relative to the site: no scheme, no host."""
    stripped = url.strip()
    return scheme(stripped) is None and not stripped.startswith(("//", "\\\\", "/\\", "\\/"))


def _url_allowed(tag: str, value: str) -> bool:
    if tag == "img":
        return _is_own(value)
    found = scheme(value)
    return found is None or found in ALLOWED_SCHEMES


def _disallowed(html: str) -> list[str]:
    """Each element, attribute and URL of a page that is off the allow-list, for the report.

    A quick reading of the tags by regular expressions (a page is about 10 KB and a glossary may
    have 10,000 of them): nh3 parses the page properly and is what removes things; this only
    says what. Comments are removed without a word: a hand-written page may hold one, and they
    run nothing."""
    found: list[str] = []
    for match in _TAG.finditer(html):
        tag = match["name"].lower()
        if tag not in ALLOWED_TAGS:
            found.append(f"the element <{tag}>")
            continue
        allowed = {
            name.lower() for name in ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        }
        for attribute in _ATTRIBUTE.finditer(match["attributes"]):
            name = attribute["name"].lower()
            value = unescape((attribute["value"] or "").strip("\"'"))
            if name not in allowed:
                found.append(f"the attribute {name} of <{tag}>")
            elif name in _URL_ATTRIBUTES and not _url_allowed(tag, value):
                found.append(f"the address '{value}' in <{tag} {name}>")
            elif name == "style" and not _style_allowed(tag, value):
                found.append(f'the style "{value}" of <{tag}>')
    found += [f"the markup '{m.group()[:20]}'" for m in _DECLARATION.finditer(html)]
    return found


_TAG = re.compile(r"<(?P<name>[A-Za-z][^\s/>]*)(?P<attributes>[^>]*)>")
_ATTRIBUTE = re.compile(r"(?P<name>[^\s\"'=/>]+)(?:\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_DECLARATION = re.compile(r"<[!?](?!--)[^>]*>?")


def _style_allowed(tag: str, style: str) -> bool:
    """A table cell's alignment on <td> and <th>, KaTeX's styles on the elements it styles."""
    if tag in ("td", "th"):
        return _is_alignment(style)
    declarations = [part.strip() for part in style.split(";") if part.strip()]
    for declaration in declarations:
        name, _, value = (part.strip() for part in declaration.partition(":"))
        pattern = _KATEX_STYLES.get(name.lower())
        if pattern is None or not pattern.fullmatch(value):
            return False
    return tag in ("span", "svg", "mpadded", "mstyle")


def _is_alignment(style: str) -> bool:
    declarations = [part.strip() for part in style.split(";") if part.strip()]
    return all(
        declaration.partition(":")[0].strip() in _TABLE_ALIGNMENT
        and declaration.partition(":")[2].strip() in ("left", "right", "center")
        for declaration in declarations
    )


_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
# What matplotlib's SVG backend writes (text drawn as paths), and nothing that runs or fetches.
_SVG_ELEMENTS = frozenset(
    f"{_SVG}{name}"
    for name in ("svg", "g", "defs", "style", "path", "use", "clipPath", "rect", "title", "desc")
)
_SVG_ATTRIBUTES = frozenset(
    {
        *("width", "height", "viewBox", "version", "id", "d", "style", "transform"),
        *("clip-path", "x", "y", "type", f"{_XLINK}href"),
    }
)
_SVG_REFERENCE = re.compile(r"url\(\s*(?!#)|@import|expression\(|javascript:", re.IGNORECASE)


def svg_problems(svg: bytes) -> list[str]:
    """What in an SVG file is not what our figure exporter writes: an element, an attribute or
    a reference to anything outside the file. A cached figure is published only without any
    (the cache is a directory anyone with the checkout can write to)."""
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", svg, re.IGNORECASE):
        return ["a document type or entity declaration"]
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        return [f"it is not well-formed XML ({error})"]
    found = []
    for element in root.iter():
        if element.tag not in _SVG_ELEMENTS:
            found.append(f"the element {element.tag}")
        found += [f"the attribute {name}" for name in element.attrib if name not in _SVG_ATTRIBUTES]
        href = element.attrib.get(f"{_XLINK}href", "#")
        texts = [element.text or "", *element.attrib.values()]
        if not href.startswith("#") or any(_SVG_REFERENCE.search(text) for text in texts):
            found.append(f"a reference outside the file in {element.tag}")
    return found
