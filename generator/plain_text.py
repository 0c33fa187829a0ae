"""Plain text for Markdown pages: escaped so that Markdown and HTML show it literally.

One rule each for text and for links to a term page, used by every page (``render``) and by
the links that ``mentions`` writes into a term's text, so that a link reads the same wherever
it appears.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# "$" would start math (pymdownx.arithmatex); "(" stays as is, since "\(" would start it too.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}#+!|~$])")
_NEEDS_ESCAPING = re.compile(r"[\\`*_\[\]{}#+!|~$&<>]")


# Names and summaries are escaped on every page that shows them: remembered, a lookup.
@lru_cache(maxsize=1 << 17)
def plain(text: str) -> str:
    """Escape plain text so Markdown and HTML show it literally."""
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def markdown_link(text: str, slug: str, summary: str, prefix: str = "") -> str:
    """A Markdown link (its text as given) to the page of term ``slug`` in the directory
    ``prefix``, whose title, the hover tooltip, is the term's summary."""
    return f'[{text}]({prefix}{slug}.md "{_title(summary)}")'


# A term is linked from many pages: its title is escaped once.
@lru_cache(maxsize=1 << 16)
def _title(summary: str) -> str:
    return html.escape(summary, quote=True)
