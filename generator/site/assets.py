"""The styles and scripts the glossary's pages need, which the site serves from its own files,
so that it makes no request to a CDN.

Two sources: our own stylesheet, shipped inside this package (``static/``), and browser packages
from npm (KaTeX's stylesheet and fonts; iframe-worker for search from file://), pinned in
package.json / package-lock.json and installed by ``npm ci`` (``make site`` runs it) into the
site's ``node_modules/``. The plugin adds them all to the MkDocs build without copying them
into docs/. Every page links our stylesheet; only a page with math links KaTeX's, which loads
its fonts. No page loads KaTeX's script: formulas are typeset when the site is built
(``generator.markdown.katex``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.model import GlossaryError, Problem

STATIC_DIR = Path(__file__).parent / "static"
SEARCH_SCRIPT = "assets/javascripts/search.js"
# Theme templates the plugin puts before the theme's own: a 404 page that works under any path.
THEME_DIR = Path(__file__).parent / "theme"

# site path -> file in STATIC_DIR
PACKAGED: dict[str, str] = {
    "assets/glossary.css": "glossary.css",
    # Lists the term a search names first (see the script): loaded before Material's bundle.
    SEARCH_SCRIPT: "search.js",
    # Lets the keyboard reach a table or a formula that scrolls sideways.
    "assets/javascripts/scroll-boxes.js": "scroll-boxes.js",
    # Opens a term page's figures full size (our own: a few lines that work from file://).
    "assets/javascripts/figures.js": "figures.js",
}

# npm package -> the version the tests ran with (package-lock.json; a test keeps them equal)
NPM_PACKAGES = {"katex": "0.19.1", "iframe-worker": "1.0.4"}

# site path -> file under node_modules/, or a directory whose files are all served
KATEX_STYLESHEET = "assets/vendor/katex/katex.min.css"  # linked by the pages with math only
KATEX: dict[str, str] = {
    KATEX_STYLESHEET: "katex/dist/katex.min.css",
    "assets/vendor/katex/fonts": "katex/dist/fonts",
}
# Lets search run from file://, where browsers refuse web workers: the plugin lists it in
# ``extra.polyfills`` for an offline build only (Material's offline plugin would load it from
# unpkg.com unless a polyfill whose path contains "iframe-worker" is listed), and it is served
# when listed.
IFRAME_WORKER_SHIM = "assets/vendor/iframe-worker/shim.js"
IFRAME_WORKER: dict[str, str] = {IFRAME_WORKER_SHIM: "iframe-worker/shim/index.js"}

# What every page links (a page with math links KATEX_STYLESHEET before it).
STYLESHEETS = ("assets/glossary.css",)
SCRIPTS = ("assets/javascripts/scroll-boxes.js", "assets/javascripts/figures.js")


def packaged_files() -> dict[str, Path]:
    """Our own stylesheet and script, keyed by their paths in the site."""
    return {site_path: STATIC_DIR / name for site_path, name in PACKAGED.items()}


def vendored_files(node_modules: Path, polyfills: Iterable[str] = ()) -> dict[str, Path]:
    """Every npm file the pages need, keyed by its path in the site (iframe-worker only when
    ``polyfills`` lists it); raise GlossaryError, naming each missing file, when one is not
    installed under ``node_modules``."""
    wanted = dict(KATEX)
    if any("iframe-worker" in polyfill for polyfill in polyfills):
        wanted.update(IFRAME_WORKER)
    files: dict[str, Path] = {}
    missing: list[str] = []
    for site_path, package_path in wanted.items():
        source = node_modules / package_path
        if source.is_dir():
            files.update({f"{site_path}/{file.name}": file for file in sorted(source.iterdir())})
        elif source.is_file():
            files[site_path] = source
        else:
            missing.append(package_path)
    if missing:
        raise GlossaryError([_missing(node_modules, path) for path in missing])
    return files


def _missing(node_modules: Path, package_path: str) -> Problem:
    package = package_path.split("/", 1)[0]
    return Problem(
        f"{node_modules.name}/{package_path}",
        1,
        1,
        "assets",
        "this browser asset is not installed",
        f"run 'make site' (or 'npm ci') here; in a site of your own, run 'npm install "
        f"{package}@{NPM_PACKAGES[package]}' next to mkdocs.yml",
    )
