"""Browser assets the site serves from its own files, so that it makes no request to a CDN.

They come from npm packages pinned in package.json / package-lock.json (installed by
``npm ci``, which ``make site`` runs) and are added to the MkDocs build by the hook, without
copying them into docs/. ``mkdocs.yml`` refers to them by their site paths.
"""

from __future__ import annotations

from pathlib import Path

from generator.model import GlossaryError, Problem

NODE_MODULES = "node_modules"

# site path -> file under node_modules/, or a directory whose files are all served
VENDORED: dict[str, str] = {
    # KaTeX typesets the formulas that pymdownx.arithmatex marks (docs/assets/javascripts/math.js).
    "assets/vendor/katex/katex.min.js": "katex/dist/katex.min.js",
    "assets/vendor/katex/katex.min.css": "katex/dist/katex.min.css",
    "assets/vendor/katex/fonts": "katex/dist/fonts",
    # Lets search run from file://, where browsers refuse web workers. Material's offline plugin
    # would load it from unpkg.com unless a polyfill whose path contains "iframe-worker" is listed.
    "assets/vendor/iframe-worker/shim.js": "iframe-worker/shim/index.js",
}


def vendored_files(root: Path) -> dict[str, Path]:
    """Every vendored file, keyed by its path in the site; raise GlossaryError when missing."""
    modules = root / NODE_MODULES
    files: dict[str, Path] = {}
    missing: list[str] = []
    for site_path, package_path in VENDORED.items():
        source = modules / package_path
        if source.is_dir():
            files.update({f"{site_path}/{file.name}": file for file in sorted(source.iterdir())})
        elif source.is_file():
            files[site_path] = source
        else:
            missing.append(f"{NODE_MODULES}/{package_path}")
    if missing:
        raise GlossaryError(
            [
                Problem(
                    path,
                    1,
                    1,
                    "assets",
                    "this browser asset is not installed",
                    "run 'make site' (or 'npm ci') to install the pinned npm packages",
                )
                for path in missing
            ]
        )
    return files
