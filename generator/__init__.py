"""The AI glossary generator: terms/*.yaml -> validated, cross-linked Markdown for MkDocs.

The folders are the design:

- ``pipeline/``: the stages, one module each, load -> validate -> link -> figures -> render ->
  write, called in that order by ``pipeline.build.build()``;
- ``markdown/``: what the generator knows about Markdown: what a term's text may hold, links
  between terms, and the sanitizer every published page goes through;
- ``site/``: the MkDocs side: the plugin (``site/plugin.py``), the stylesheet and scripts it
  serves, and the exports;
- ``model.py`` (the data) and ``schema.py`` (the term format, declared once);
- the commands: ``cli.py``, ``new_term.py`` (``glossary new``), ``format_files.py``
  (``glossary schema``).
"""
