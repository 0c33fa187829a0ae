"""The AI glossary generator: terms/*.yaml -> validated, cross-linked Markdown for MkDocs.

The stages, one module each: load -> validate -> link -> figures -> render -> write, called in
order by ``build.build()``. The command line is ``cli.py``; MkDocs calls ``mkdocs_hook.py``.
"""
