"""The MkDocs side: the hook that runs the pipeline inside MkDocs (``mkdocs_hook``), the browser
assets the site serves itself (``assets``), the theme templates compiled once per process
(``theme_templates``), and the machine-readable exports (``export``: glossary.json, JSON-LD).
"""
