"""MkDocs hook: regenerate the glossary before every build, so `mkdocs build` and `mkdocs serve`
work on their own. Registered under `hooks:` in mkdocs.yml; the work is in `build()`, and each
event below only hands MkDocs what the generator produced.

Previews rebuild only what changed when served with ``--dirty`` (as ``glossary serve`` does):
the generator rewrites only the pages whose content changed, and MkDocs rebuilds only pages
whose source is newer than their HTML. What that rule misses is mended by ``preview``; the
hook calls it, and keeps MkDocs from rebuilding the site again because the generator wrote
its pages (``on_serve``).
"""

from __future__ import annotations

import json
import logging
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.markdown.sanitizer import sanitize_html
from generator.model import GlossaryError
from generator.pipeline.build import GENERATED_DIR, BuildCache, latest_build
from generator.pipeline.link import LinkedGlossary
from generator.pipeline.render import HOME_FRAGMENT
from generator.site.assets import vendored_files
from generator.site.export import (
    GLOSSARY_FILE,
    GLOSSARY_SCHEMA_FILE,
    glossary_json,
    glossary_page_url,
    glossary_schema,
    json_ld,
)
from generator.site.preview import (
    dirty_build_warning_as_info,
    merged_search_index,
    rebuild_pages_including,
)
from generator.site.theme_templates import cache_for as compiled_templates

_GLOSSARY_PREFIX = PurePosixPath(GENERATED_DIR).relative_to("docs")  # glossary/ in docs_dir
_HOME_FRAGMENT = f"{_GLOSSARY_PREFIX}/{HOME_FRAGMENT}"  # as hand-written pages include it
_built: dict[str, LinkedGlossary] = {}  # the glossary of the current build, from on_pre_build
# What each build leaves for the next, while `mkdocs serve` rebuilds after every save. The hook
# module is loaded once per process; it owns the cache as the CLI owns its own.
_cache = BuildCache()
_rewritten: set[str] = set()  # the generated files the current build rewrote, in docs_dir
_dirty = {"builds": False}  # whether MkDocs rebuilds only the pages that changed
_SEARCH_INDEX = "search/search_index.json"  # in site_dir, written by Material's search plugin
_last_search_index: dict[str, bytes] = {}  # the site's search index before a dirty build
# Under "mkdocs.": a warning here fails a strict build, as MkDocs' own warnings do.
_log = logging.getLogger("mkdocs.plugins.glossary")


def on_startup(command: str, dirty: bool, **kwargs: Any) -> None:
    """MkDocs tells whether it rebuilds only what changed (``serve --dirty``)."""
    _dirty["builds"] = dirty
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(dirty_build_warning_as_info)


def on_config(config: Any, **kwargs: Any) -> Any:
    """An offline build turns instant navigation off: it fetches pages, which file:// forbids."""
    offline = config.plugins.get("material/offline")
    if offline is not None and offline.config.enabled:
        features = config.theme["features"]
        features[:] = [f for f in features if not f.startswith("navigation.instant")]
    return config


def on_pre_build(config: Any, **kwargs: Any) -> None:
    """Run the generator into docs/glossary/ before MkDocs collects the pages (unless the
    ``glossary`` command has just done so, in this process)."""
    try:
        result = latest_build(_root(config), _cache)
    except GlossaryError as error:
        raise _abort(error) from None
    _built["glossary"] = result.glossary
    _rewritten.clear()
    _rewritten.update(f"{_GLOSSARY_PREFIX}/{path}" for path in result.report.written)
    _last_search_index.clear()
    index = Path(config.site_dir) / _SEARCH_INDEX
    if _dirty["builds"] and index.is_file():
        _last_search_index["site"] = index.read_bytes()


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    """Add glossary.json with its schema, and the vendored browser assets (KaTeX,
    iframe-worker), which the site serves itself. Generated pages are reached from the
    indexes, never from the navigation, however the generator lays them out."""
    try:
        vendored = vendored_files(_root(config))
    except GlossaryError as error:
        raise _abort(error) from None
    in_nav = _nav_pages(config.nav)
    for file in files.documentation_pages():
        path = PurePosixPath(file.src_uri)
        in_glossary = _GLOSSARY_PREFIX in path.parents
        if in_glossary and file.inclusion is InclusionLevel.INCLUDED and file.src_uri not in in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    if _dirty["builds"] and _HOME_FRAGMENT in _rewritten:
        rebuild_pages_including(files.documentation_pages(), _HOME_FRAGMENT, _GLOSSARY_PREFIX)
    for site_path, source in vendored.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    page_url = partial(glossary_page_url, use_directory_urls=config.use_directory_urls)
    export = glossary_json(_built["glossary"], page_url, config.site_name)
    files.append(File.generated(config, GLOSSARY_FILE, content=export))
    files.append(File.generated(config, GLOSSARY_SCHEMA_FILE, content=glossary_schema()))
    return files


def on_env(env: Environment, config: Any, files: Files, **kwargs: Any) -> Environment:
    """Compile the theme's templates once per process, not once per build (see
    ``theme_templates``): the preview server builds again after every save."""
    env.bytecode_cache = compiled_templates(env)
    return env


def on_post_build(config: Any, **kwargs: Any) -> None:
    """After a dirty build, put back into the search index the pages it did not rebuild.

    Material's search plugin indexes the pages of the build; it would keep the others only if
    its instance outlived the build, but the server loads the configuration, and the plugin,
    anew for each one. (Hooks run after plugins: the index is written by now.)
    """
    previous = _last_search_index.pop("site", None)
    path = Path(config.site_dir) / _SEARCH_INDEX
    if previous is None or not path.is_file():
        return
    index = merged_search_index(previous, json.loads(path.read_bytes()))
    path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")


def on_serve(server: Any, config: Any, builder: Any, **kwargs: Any) -> Any:
    """Watch the hand-written pages of docs/ but not the generated glossary/: the generator
    writes there during each build, and MkDocs would otherwise build the site a second time
    after every change. Term files are watched (mkdocs.yml: watch), and a change to them
    regenerates the glossary. A directory added to docs/ later is watched after a restart."""
    docs = Path(config.docs_dir)
    server.unwatch(config.docs_dir)
    server.watch(config.docs_dir, recursive=False)
    for child in sorted(docs.iterdir()):
        if child.is_dir() and child != docs / _GLOSSARY_PREFIX:
            server.watch(str(child))
    return server


def on_page_content(html: str, page: Any, config: Any, **kwargs: Any) -> str:
    """Reduce every page's HTML to the allow-list of ``sanitizer`` (before search indexes it),
    and report what had to be removed: term files are checked before this, so anything found
    here is a gap in those checks, and a strict build fails on it."""
    sanitized = sanitize_html(html)
    if sanitized.removed:
        slug = _term_slug(page)
        docs = PurePosixPath(config.docs_dir).name
        source = f"terms/{slug}.yaml" if slug else f"{docs}/{page.file.src_uri}"
        for what in sanitized.removed:
            _log.warning(f"{source}: removed from the published page: {what}")
    return sanitized.html


def on_page_context(context: Any, page: Any, config: Any, **kwargs: Any) -> Any:
    """A term page's "edit this page" opens terms/<slug>.yaml; other generated pages have none."""
    slug = _term_slug(page)
    if slug is not None:
        page.edit_url = _term_edit_url(config, slug)
    elif _GLOSSARY_PREFIX in PurePosixPath(page.file.src_uri).parents:
        page.edit_url = None
    return context


def on_post_page(output: str, page: Any, config: Any, **kwargs: Any) -> str:
    """Describe each term page to search engines: schema.org JSON-LD in its <head>."""
    slug = _term_slug(page)
    term = _built["glossary"].by_slug.get(slug) if slug else None
    if term is None:
        return output
    page_url = page.canonical_url or page.url
    set_path = "glossary/" if config.use_directory_urls else "glossary/index.html"
    set_url = urljoin(config.site_url, set_path) if config.site_url else set_path
    script = json_ld(term, page_url, config.site_name, set_url)
    return output.replace("</head>", f"{script}\n</head>", 1)


def _nav_pages(nav: Any) -> set[str]:
    """Every page named in mkdocs.yml's ``nav`` (a list of strings and titled mappings)."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav or ()
    return {page for item in items for page in _nav_pages(item)}


def _term_slug(page: Any) -> str | None:
    path = PurePosixPath(page.file.src_uri)
    if path.parent == _GLOSSARY_PREFIX and not path.name.startswith(("index.", "_")):
        return path.stem
    return None


def _term_edit_url(config: Any, slug: str) -> str | None:
    if not config.repo_url or not config.edit_uri:
        return None
    # edit_uri points at docs/ in the repository; terms/ is its sibling.
    edit_docs = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri)
    return urljoin(edit_docs, f"../terms/{slug}.yaml")


def _root(config: Any) -> Path:
    return Path(config.config_file_path).parent


def _abort(error: GlossaryError) -> Abort:
    return Abort(f"{error}\n{error.summary}")
