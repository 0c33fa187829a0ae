"""What the generator knows about Markdown and the HTML it becomes.

``safety`` decides what a term's Markdown may hold (located problems), with ``rendered`` as its
fallback that renders a text as the site does; ``mentions`` links terms in each other's text,
written as ``term_links``; ``sanitizer`` is the allow-list every published page goes through.
"""
