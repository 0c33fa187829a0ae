"""The theme's templates, compiled once per process rather than once per build.

MkDocs makes a new Jinja environment for every build, so the preview server parses and compiles
Material's forty-odd templates again after every save: a fifth of a rebuild of 1,000 terms.
Given this cache (``environment.bytecode_cache``), Jinja compiles a template once and then loads
its code from memory. Jinja checks each template's source against a checksum, so an edited
template is compiled again.
"""

from __future__ import annotations

import jinja2


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, for environments configured alike (see ``cache_for``)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored if the template's source changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_CACHES: dict[tuple[object, ...], CompiledTemplates] = {}


def cache_for(env: jinja2.Environment) -> CompiledTemplates:
    """The cache for environments like ``env``: compiled code depends on their extensions,
    syntax and options, so environments that differ in them never share code."""
    options = (
        tuple(sorted(env.extensions)),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        repr(env.autoescape),
    )
    return _CACHES.setdefault(options, CompiledTemplates())
