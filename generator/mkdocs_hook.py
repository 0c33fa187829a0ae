"""MkDocs hook: regenerate the glossary before every build, so `mkdocs build` and `mkdocs serve`
work on their own. Registered under `hooks:` in mkdocs.yml; the work is in `build()`, and each
event below only hands MkDocs what the generator produced."""

from __future__ import annotations

from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from generator.build import GENERATED_DIR, build
from generator.export import (
    GLOSSARY_FILE,
    SCHEMA_FILE,
    glossary_json,
    glossary_page_url,
    glossary_schema,
    json_ld,
)
from generator.link import LinkedGlossary
from generator.model import GlossaryError
from generator.site_assets import vendored_files

_GLOSSARY_PREFIX = PurePosixPath(GENERATED_DIR).relative_to("docs")  # glossary/ in docs_dir
_built: dict[str, LinkedGlossary] = {}  # the glossary of the current build, from on_pre_build


def on_config(config: Any, **kwargs: Any) -> Any:
    """An offline build turns instant navigation off: it fetches pages, which file:// forbids."""
    offline = config.plugins.get("material/offline")
    if offline is not None and offline.config.enabled:
        features = config.theme["features"]
        features[:] = [f for f in features if not f.startswith("navigation.instant")]
    return config


def on_pre_build(config: Any, **kwargs: Any) -> None:
    """Run the generator into docs/glossary/ before MkDocs collects the pages."""
    try:
        _built["glossary"] = build(_root(config)).glossary
    except GlossaryError as error:
        raise _abort(error) from None


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    """Add glossary.json with its schema, and the vendored browser assets (KaTeX,
    iframe-worker), which the site serves itself."""
    try:
        vendored = vendored_files(_root(config))
    except GlossaryError as error:
        raise _abort(error) from None
    for site_path, source in vendored.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    page_url = partial(glossary_page_url, use_directory_urls=config.use_directory_urls)
    export = glossary_json(_built["glossary"], page_url, config.site_name)
    files.append(File.generated(config, GLOSSARY_FILE, content=export))
    files.append(File.generated(config, SCHEMA_FILE, content=glossary_schema()))
    return files


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
    count = len(error.problems)
    return Abort(f"{error}\nglossary: {count} problem{'s' if count != 1 else ''} found")
