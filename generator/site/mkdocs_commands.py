"""``mkdocs build`` and ``mkdocs serve``, run in this process by ``glossary build`` and
``glossary serve`` after they have generated the glossary themselves (to report its problems
their own way): the generator's result and cache are handed to the plugin, which then uses
them instead of generating again.

MkDocs keeps one instance of a plugin that has ``on_startup`` for all the configurations it
loads in a process, so the instance the hand-over reaches is the one ``serve`` builds with
(``tests/generator/test_plugin.py`` checks it). Were that to change, the first build would
only generate again: the same output, a few seconds later.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.pipeline.build import BuildResult
from generator.pipeline.build_cache import BuildCache

CONFIG_FILE = "mkdocs.yml"


def mkdocs_build(
    root: Path, result: BuildResult, cache: BuildCache, site_dir: Path, offline: bool
) -> int:
    """``mkdocs build --strict`` of ``root``'s site into ``site_dir``; its exit code."""
    from mkdocs.commands.build import build
    from mkdocs.config.defaults import MkDocsConfig

    def run(config: MkDocsConfig) -> None:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()

    # mkdocs.yml enables Material's offline plugin when this variable is true.
    env = {"GLOSSARY_OFFLINE": "true" if offline else "false"}
    return _with_mkdocs(root, result, cache, run, env, site_dir=str(site_dir), strict=True)


def mkdocs_serve(
    root: Path, result: BuildResult, cache: BuildCache, dev_addr: str, dirty: bool
) -> int:
    """``mkdocs serve`` of ``root``'s site (``--dirty``: rebuild only the pages that changed)
    until interrupted; its exit code."""
    from mkdocs.commands.serve import serve
    from mkdocs.config.defaults import MkDocsConfig

    def run(config: MkDocsConfig) -> None:
        build_type = "dirty" if dirty else "clean"
        serve(config_file=str(root / CONFIG_FILE), build_type=build_type, dev_addr=dev_addr)

    return _with_mkdocs(root, result, cache, run, {})


def _with_mkdocs(
    root: Path,
    result: BuildResult,
    cache: BuildCache,
    run: Callable[..., None],
    env: dict[str, str],
    site_dir: str | None = None,
    strict: bool | None = None,
) -> int:
    """Load ``root``'s MkDocs configuration (``site_dir`` and ``strict`` as the ``mkdocs``
    command's options: None keeps mkdocs.yml's), hand the build to the plugin, then ``run``."""
    from mkdocs.config import load_config

    from generator.site.plugin import GlossaryPlugin

    # Material's banner about its end of life is not news to a contributor on every build.
    variables = {"NO_MKDOCS_2_WARNING": "1", **env}
    with _environment(variables), _working_directory(root), _mkdocs_log():
        try:
            config = load_config(str(root / CONFIG_FILE), site_dir=site_dir, strict=strict)
            plugin = config.plugins.get("glossary")
            if isinstance(plugin, GlossaryPlugin):
                plugin.continue_from(root, result, cache)
            run(config)
        except click.ClickException as error:  # MkDocs' Abort, a configuration error...
            error.show()
            return error.exit_code
    return 0


@contextmanager
def _mkdocs_log() -> Iterator[None]:
    """MkDocs' messages on stderr, as the ``mkdocs`` command prints them."""
    from mkdocs.__main__ import ColorFormatter

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setFormatter(ColorFormatter())
    saved = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration (mkdocs.yml reads some with !ENV)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    """Run in ``path``: pymdownx.snippets resolves its base_path from the working directory."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)
