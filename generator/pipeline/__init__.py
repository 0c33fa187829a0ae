"""The pipeline, one module per stage, in the order ``build.build()`` calls them.

``load`` (the only reader of ``terms/``) -> ``validate`` (with ``field_checks``, ``categories``
and ``lookalikes``: every located problem) -> ``link`` (cross-references) -> ``figures``
(computed SVGs, cached) -> ``render`` (Markdown pages, in memory) -> ``write`` (the only
writer of ``docs/glossary/``). The middle stages are pure: data in, data out.
"""
