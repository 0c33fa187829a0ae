"""What a term page says about itself, added by the plugin (which knows the page's address):
a banner on a draft, when the entry was last updated, and how to cite it.

The date is that of the last commit to the term's file (``pipeline/history``), never the day of
the build: a page built from a copy without git history shows none, and its citation says
"n.d." (no date), as APA does. Names are free of Markdown syntax and of braces (the term
checks refuse them), and the citations are in code blocks, where Markdown does nothing.
"""

from __future__ import annotations

from generator.model import Term, TermDates

DRAFT_BANNER = (
    '!!! warning "Draft"\n\n'
    "    This entry is a draft: it has not been checked by a second expert yet, and may change.\n"
)


def with_draft_banner(markdown: str) -> str:
    """``markdown`` with the draft banner under its title (its first ``# `` line)."""
    lines = markdown.split("\n")
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    lines.insert(title + 1, f"\n{DRAFT_BANNER}")
    return "\n".join(lines)


def page_end(term: Term, dates: TermDates | None, url: str, site_name: str) -> str:
    """The end of a term page: the date of its last update and its citations, ready to copy.

    ``url`` is the page's stable address: the full URL when the site's address is known, else
    its path in the site.
    """
    year = dates.updated[:4] if dates else None
    updated = f"*Last updated on {dates.updated}.*\n\n" if dates else ""
    bibtex = "\n".join(
        [
            f"@misc{{{_bibtex_key(site_name, term.slug)},",
            f"  title        = {{{term.term}}},",
            f"  organization = {{{site_name}}},",
            *([f"  year         = {{{year}}},"] if year else []),
            f"  url          = {{{url}}},",
            *([f"  note         = {{Last updated {dates.updated}}},"] if dates else []),
            "}",
        ]
    )
    apa = f"{term.term}. ({year or 'n.d.'}). In {site_name}. {url}"
    address = f"[{url}]({url})" if url.startswith(("https://", "http://")) else f"`{url}`"
    return (
        f"\n\n{updated}"
        "## Cite this term { #cite-this-term data-search-exclude }\n\n"
        f"Stable address: {address}\n\n"
        f"BibTeX:\n\n```text\n{bibtex}\n```\n\n"
        f"APA:\n\n```text\n{apa}\n```\n"
    )


def _bibtex_key(site_name: str, slug: str) -> str:
    prefix = "".join(c for c in site_name.lower() if c.isascii() and c.isalnum()) or "glossary"
    return f"{prefix}:{slug}"
