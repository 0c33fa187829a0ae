"""The MkDocs side: the plugin that runs the pipeline inside MkDocs (``plugin``; ``glossary
build`` and ``glossary serve`` start MkDocs through ``mkdocs_commands``), what a dirty preview
build needs mended (``preview``), the stylesheet and scripts the pages need (``assets``, with
``static/``), the theme templates compiled once per process (``theme_templates``), and the
machine-readable exports (``export``: glossary.json, JSON-LD).
"""
