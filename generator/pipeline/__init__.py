"""The pipeline, one module per stage, in the order ``build.build()`` calls them.

``load`` (the only reader of ``terms/``, with ``parse`` for the YAML) -> ``validate`` (each
file with ``field_checks``, ``categories`` and ``lookalikes``, kept as a ``checked_file``; then
``cross_checks`` over the whole glossary: every located problem) -> ``link``
(cross-references) -> ``figures`` (computed SVGs, cached) -> ``render`` (Markdown pages, in
memory) -> ``write`` (the only writer of ``docs/glossary/``). The middle stages are pure: data
in, data out. ``build_cache`` (with ``cache_store`` on disk) is what a build leaves for the
next one.
"""
