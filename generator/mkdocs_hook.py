"""MkDocs hook: regenerate the glossary before every build, so `mkdocs build` and `mkdocs serve`
work on their own. Registered under `hooks:` in mkdocs.yml; the work is in `build()`, and each
event below only hands MkDocs what the generator produced."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from generator.build import GENERATED_DIR, build
from generator.model import GlossaryError
from generator.site_assets import vendored_files

_GLOSSARY_PREFIX = PurePosixPath(GENERATED_DIR).relative_to("docs")  # glossary/ in docs_dir


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
        build(_root(config))
    except GlossaryError as error:
        raise _abort(error) from None


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    """Serve the vendored browser assets (KaTeX, iframe-worker) from the site itself."""
    try:
        vendored = vendored_files(_root(config))
    except GlossaryError as error:
        raise _abort(error) from None
    for site_path, source in vendored.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    return files


def on_page_context(context: Any, page: Any, config: Any, **kwargs: Any) -> Any:
    """A term page's "edit this page" opens terms/<slug>.yaml; other generated pages have none."""
    path = PurePosixPath(page.file.src_uri)
    if path.parent == _GLOSSARY_PREFIX and not path.name.startswith(("index.", "_")):
        page.edit_url = _term_edit_url(config, path.stem)
    elif _GLOSSARY_PREFIX in path.parents:
        page.edit_url = None
    return context


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
