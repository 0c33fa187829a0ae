"""What the generator knows about Markdown: what a term's text may hold (``safety``, with
``rendered`` for the cases only the rendered HTML can settle), the protected regions of a text
(``regions``: code, math, links, HTML... shared by ``mentions`` and ``as_text``), the links
between terms (``mentions``, ``term_links``), plain text for JSON-LD (``as_text``), and the
sanitizer every published page goes through (``sanitizer``).
"""
