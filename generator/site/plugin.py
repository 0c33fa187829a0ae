"""The MkDocs plugin: ``plugins: - glossary`` in mkdocs.yml generates the glossary before every
build and hands MkDocs what the generator produced. The work is in ``build()``; each event
here is glue.

Any MkDocs Material site can use it (README: "A glossary in your own site"): the plugin adds the
Markdown extensions and the stylesheet its pages need, typesets their formulas with the KaTeX
of the site's ``node_modules/`` (``math_pages``), and serves KaTeX's stylesheet and fonts.

The plugin defines ``on_startup``, so ``mkdocs serve`` keeps one instance for all its builds,
and that instance owns the build cache: a rebuild after a save redoes only what changed. What a
dirty rebuild (``--dirty``) misses is mended by ``preview``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import urljoin

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import TemplateContext

from generator.markdown.rendered import SITE_EXTENSIONS
from generator.markdown.sanitizer import sanitize_html
from generator.model import GlossaryError, Language
from generator.pipeline.build import GENERATED_DIR, BuildResult, build
from generator.pipeline.build_cache import BuildCache
from generator.pipeline.link import LinkedGlossary
from generator.pipeline.render import HOME_FRAGMENT
from generator.site.assets import (
    IFRAME_WORKER_SHIM,
    SCRIPTS,
    SEARCH_SCRIPT,
    STYLESHEETS,
    THEME_DIR,
    packaged_files,
    vendored_files,
)
from generator.site.citation import page_end, with_draft_banner
from generator.site.export import (
    GLOSSARY_FILE,
    GLOSSARY_SCHEMA_FILE,
    glossary_json,
    glossary_page_url,
    glossary_schema,
    json_ld,
)
from generator.site.languages import (
    configure_search,
    declared_languages,
    page_alternates,
    page_language,
    site_alternates,
    with_hreflang_links,
)
from generator.site.math_pages import MathPages
from generator.site.preview import (
    dirty_build_warning_as_info,
    merged_search_index,
    rebuild_pages_including,
    without_search_merge,
)
from generator.site.theme_templates import cache_for as compiled_templates

_GLOSSARY_PREFIX = PurePosixPath(GENERATED_DIR).relative_to("docs")  # glossary/ in docs_dir
_HOME_FRAGMENT = f"{_GLOSSARY_PREFIX}/{HOME_FRAGMENT}"  # as hand-written pages include it
_SEARCH_INDEX = "search/search_index.json"  # in site_dir, written by Material's search plugin
# The Markdown the generated pages are written in: what the term checks render with, plus
# attribute lists (the templates set classes with them).
_EXTENSIONS: dict[str, dict[str, object]] = {**SITE_EXTENSIONS, "attr_list": {}}
# Under "mkdocs.": a warning here fails a strict build, as MkDocs' own warnings do.
log = logging.getLogger("mkdocs.plugins.glossary")


class GlossaryConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs leaves it unannotated
    """The plugin's options, under ``- glossary:`` in mkdocs.yml.

    The places of the glossary's files are conventions, not options, so that the ``glossary``
    command (which does not read mkdocs.yml) finds them too: term files in ``terms/`` next to
    mkdocs.yml, generated pages in ``docs/glossary/`` (``docs_dir`` must be ``docs``).
    Whether the site is built for reading offline follows Material's ``offline`` plugin."""

    # Where npm installed KaTeX (and iframe-worker), relative to mkdocs.yml. KaTeX typesets the
    # formulas when the site is built, with Node.js.
    node_modules = config_options.Type(str, default="node_modules")


class GlossaryPlugin(BasePlugin[GlossaryConfig]):  # type: ignore[no-untyped-call]  # as above
    """Generates the glossary into ``docs/glossary/`` and publishes it with the site."""

    def __init__(self) -> None:
        self.cache = BuildCache()
        self._cache_root: Path | None = None  # the project ``cache`` belongs to
        self._handed_over: BuildResult | None = None  # see ``continue_from``
        self._dirty = False  # whether MkDocs rebuilds only the pages that changed
        self._glossary: LinkedGlossary | None = None  # this build's, from on_pre_build
        self._rewritten: set[str] = set()  # the generated files this build rewrote
        self._last_search_index: bytes | None = None  # the site's, before a dirty build
        self.math = MathPages()  # the formulas of this build's pages, typeset
        self._with_math: dict[str, str] = {}  # src_uri -> a math page's HTML, as sanitized
        self._languages: tuple[Language, ...] = ()  # besides English, from _languages.yaml
        self._translated_pages: Mapping[str, str] = {}  # this build's, from on_pre_build
        self._files: Files | None = None

    def continue_from(self, root: Path, result: BuildResult, cache: BuildCache) -> None:
        """Take ``result`` as the next build of ``root``'s glossary instead of generating it
        again, and continue from ``cache``: the ``glossary`` command has just built it."""
        self._handed_over, self.cache, self._cache_root = result, cache, root.resolve()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """MkDocs tells whether it rebuilds only what changed (``serve --dirty``)."""
        self._dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(dirty_build_warning_as_info)

    # Before Material's search plugin reads its options (priority 0).
    @event_priority(50)
    def _languages_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """The languages of terms/_languages.yaml: Material's search stems each of them, and
        its language selector lists them."""
        self._languages = declared_languages(_root(config))
        configure_search(config.plugins.get("material/search"), self._languages)
        if self._languages:
            config.extra["alternate"] = site_alternates(self._languages)
        return config

    def _config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add the Markdown extensions, stylesheet, scripts and 404 page the glossary needs; an
        offline build turns instant navigation off (it fetches pages, which file:// forbids)."""
        docs = _root(config) / PurePosixPath(GENERATED_DIR).parts[0]
        if Path(config.docs_dir).resolve() != docs.resolve():
            raise PluginError(
                f"glossary: the glossary is generated into {GENERATED_DIR}/ next to mkdocs.yml "
                f"(where the 'glossary' command puts it too), but docs_dir is "
                f"'{config.docs_dir}'; set 'docs_dir: docs' in mkdocs.yml"
            )
        for name, options in _EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs[name] = dict(options)
        if not config.mdx_configs.get("pymdownx.arithmatex", {}).get("generic"):
            raise PluginError(
                "glossary: pymdownx.arithmatex must be configured with 'generic: true' "
                "(the glossary typesets its output with KaTeX); set it in mkdocs.yml"
            )
        # Polyfills load before Material's bundle, which starts the search worker: the search
        # script must wrap the Worker class first, after the iframe-worker shim that search
        # needs from file://. The site serves its own shim, and only offline (Material's
        # offline plugin would add one from unpkg.com, whichever of the two runs first).
        offline = config.plugins.get("material/offline")
        offline_build = offline is not None and bool(offline.config.enabled)
        polyfills = config.extra.get("polyfills") or []
        config.extra["polyfills"] = [
            *([IFRAME_WORKER_SHIM] if offline_build else []),
            *(p for p in polyfills if "iframe-worker" not in p and p != SEARCH_SCRIPT),
            SEARCH_SCRIPT,
        ]
        # The theme's 404 page, which works under any path (before Material's own templates,
        # after the site's custom_dir).
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        config.extra_css.extend(path for path in STYLESHEETS if path not in config.extra_css)
        scripts = [str(script) for script in config.extra_javascript]
        config.extra_javascript.extend(path for path in SCRIPTS if path not in scripts)
        if offline_build:
            features = config.theme["features"]
            features[:] = [f for f in features if not f.startswith("navigation.instant")]
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Run the generator into docs/glossary/ before MkDocs collects the pages (unless the
        ``glossary`` command has just done so: ``continue_from``)."""
        root = _root(config).resolve()
        if root != self._cache_root:  # kept on disk too: `mkdocs build` reuses the last run
            self.cache, self._cache_root = BuildCache.on_disk(root), root
            self._handed_over = None
        result, self._handed_over = self._handed_over, None
        if result is None:
            try:
                result = build(root, cache=self.cache)
            except GlossaryError as error:
                raise _abort(error) from None
        self._glossary = result.glossary
        self._translated_pages = result.translated_pages
        _add_redirects(config, result.glossary)
        self.math.start()
        self._with_math.clear()
        self._rewritten = {f"{_GLOSSARY_PREFIX}/{path}" for path in result.report.written}
        index = Path(config.site_dir) / _SEARCH_INDEX
        self._last_search_index = index.read_bytes() if self._dirty and index.is_file() else None
        # Always: an index Material kept from a dirty build would leak into any later build.
        without_search_merge(config.plugins.get("material/search"))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add glossary.json with its schema, and the stylesheets and scripts, which the site
        serves itself. Generated pages are reached from the indexes, never from the
        navigation, and the fragments that pages include are not pages of their own."""
        node_modules = _root(config) / self.config.node_modules
        try:
            vendored = vendored_files(node_modules, config.extra.get("polyfills") or ())
        except GlossaryError as error:
            raise _abort(error) from None
        in_nav = _nav_pages(config.nav)
        for file in files.documentation_pages():
            path = PurePosixPath(file.src_uri)
            if _GLOSSARY_PREFIX not in path.parents:
                continue
            if path.name.startswith("_"):
                file.inclusion = InclusionLevel.EXCLUDED
            elif file.inclusion is InclusionLevel.INCLUDED and file.src_uri not in in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        if self._dirty and _HOME_FRAGMENT in self._rewritten:
            rebuild_pages_including(files.documentation_pages(), _HOME_FRAGMENT, _GLOSSARY_PREFIX)
        for site_path, source in {**packaged_files(), **vendored}.items():
            files.append(File.generated(config, site_path, abs_src_path=str(source)))
        for src_uri, markdown in self._translated_pages.items():  # the other languages' pages
            page = File.generated(config, src_uri, content=markdown)
            page.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(page)
        self._files = files
        page_url = partial(glossary_page_url, use_directory_urls=config.use_directory_urls)
        export = glossary_json(self._built(), page_url, config.site_name)
        files.append(File.generated(config, GLOSSARY_FILE, content=export))
        files.append(File.generated(config, GLOSSARY_SCHEMA_FILE, content=glossary_schema()))
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Compile the theme's templates once per process, not once per build (see
        ``theme_templates``): the preview server builds again after every save. Every page's
        Markdown is HTML by now: typeset the formulas of them all, with one Node process."""
        env.bytecode_cache = compiled_templates(env)
        katex = _root(config) / self.config.node_modules / "katex"
        try:
            typesetter = partial(self.cache.math.typesetter, katex)
            self.math.typeset(typesetter, partial(self._warn_formula, config))
        except GlossaryError as error:
            raise _abort(error) from None
        return env

    def _warn_formula(self, config: MkDocsConfig, src_uri: str, message: str) -> None:
        log.warning(f"{_source(config, src_uri)}: {message}")

    # After Material's search plugin has written its index (priority 0), before its offline
    # plugin inlines it (-100).
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """After a dirty build, put back into the search index the pages it did not rebuild
        (see ``preview.merged_search_index``)."""
        previous, self._last_search_index = self._last_search_index, None
        path = Path(config.site_dir) / _SEARCH_INDEX
        if previous is None or not path.is_file():
            return
        index = merged_search_index(previous, json.loads(path.read_bytes()))
        path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """Watch the term files, and the hand-written pages of docs/ but not the generated
        glossary/: the generator writes there during each build, and MkDocs would otherwise
        build the site a second time after every change. A directory added to docs/ later is
        watched after a restart."""
        docs = Path(config.docs_dir)
        server.unwatch(config.docs_dir)
        server.watch(config.docs_dir, recursive=False)
        for child in sorted(docs.iterdir()):
            if child.is_dir() and child != docs / _GLOSSARY_PREFIX:
                server.watch(str(child))
        server.watch(str(_root(config) / "terms"))
        return server

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """A term page ends with the date of its last update and its citation, at the page's
        address (known here, not to the generator); a draft opens with a banner."""
        slug = _term_slug(page)
        term = self._built().by_slug.get(slug) if slug else None
        if term is None:
            return markdown
        if term.status == "draft":
            markdown = with_draft_banner(markdown)
        dates = self._built().glossary.dates.get(term.slug)
        url = page.canonical_url or page.url
        return markdown + page_end(term, dates, url, config.site_name)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Reduce every page's HTML to the allow-list of ``sanitizer`` (before search indexes
        it), and report what had to be removed: term files are checked before this, so
        anything found here is a gap in those checks, and a strict build fails on it."""
        sanitized = sanitize_html(html)
        for what in sanitized.removed:
            log.warning(
                f"{_source(config, page.file.src_uri)}: removed from the published page: {what}"
            )
        self.math.note(page, sanitized.html)
        return sanitized.html

    # Material's search plugin indexes each page in on_page_context, at priority 0: before it,
    # a page's formulas become readable text, for the search results; after it, KaTeX's HTML.
    @event_priority(50)
    def _math_as_text(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        if self.math.has_math(page) and page.content is not None:
            self._with_math[page.file.src_uri] = page.content
            page.content = self.math.for_search(page.content)
        return context

    @event_priority(-50)
    def _math_typeset(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        content = self._with_math.pop(page.file.src_uri, None)
        if content is not None:
            page.content = self.math.for_page(content)
        return context

    def _edit_url(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        """A term page's "edit this page" opens terms/<slug>.yaml; other generated pages have
        none."""
        slug = _term_slug(page)
        if slug is not None:
            page.edit_url = _term_edit_url(config, slug)
        elif _GLOSSARY_PREFIX in PurePosixPath(page.file.src_uri).parents:
            page.edit_url = None
        return context

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        """Without ``site_url``, MkDocs links the 404 page's assets from ``/``, which breaks a
        site hosted under a sub-path: link them from the site's root instead, which the page
        finds as it loads (``glossary_find_root``, see theme/404.html)."""
        if template_name != "404.html":
            return context
        if self._languages:
            config.extra["alternate"] = site_alternates(self._languages)
        if config.site_url:
            return context
        context["base_url"] = "."
        context["extra_css"] = [normalize_url(path, None, ".") for path in config.extra_css]
        context["extra_javascript"] = [
            normalize_url(str(script), None, ".") for script in config.extra_javascript
        ]
        context["glossary_find_root"] = True  # type: ignore[typeddict-unknown-key]
        return context

    def _language(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        """The page's language, for the theme's words (``partials/language.html``), and the
        same page in the other languages, for the language selector and ``hreflang``: set in
        the configuration, which Material's templates read them from, as each page is
        rendered right after this event."""
        if not self._languages:
            return context
        language = page_language(page.file.src_uri, self._languages)
        page.meta["glossary_language"] = language.code
        if self._files is not None:
            alternates = page_alternates(page.file.src_uri, self._languages, self._files)
            config.extra["alternate"] = alternates
        return context

    on_page_context = CombinedEvent(_math_as_text, _edit_url, _language, _math_typeset)
    on_config = CombinedEvent(_languages_config, _config)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Link KaTeX's stylesheet from a page with math; describe each term page to search
        engines: schema.org JSON-LD in its <head>."""
        output = self.math.with_stylesheet(page, output)
        if self._languages:
            alternates = config.extra.get("alternate") or []
            page_url = urljoin(config.site_url, page.url) if config.site_url else None
            output = with_hreflang_links(output, alternates, page_url)
        slug = _term_slug(page)
        term = self._built().by_slug.get(slug) if slug else None
        if term is None:
            return output
        # Absolute URLs, or none: without site_url, a relative one would mislead.
        set_path = "glossary/" if config.use_directory_urls else "glossary/index.html"
        page_url = urljoin(config.site_url, page.url) if config.site_url else None
        set_url = urljoin(config.site_url, set_path) if config.site_url else None
        script = json_ld(term, page_url, config.site_name, set_url, self._built().by_slug)
        return output.replace("</head>", f"{script}\n</head>", 1)

    def _built(self) -> LinkedGlossary:
        if self._glossary is None:
            raise PluginError("glossary: the glossary was not generated (on_pre_build did not run)")
        return self._glossary


def _add_redirects(config: MkDocsConfig, glossary: LinkedGlossary) -> None:
    """Give the mkdocs-redirects plugin a redirect from each term's old slugs (``formerly``)
    to its page, so that an address once published keeps working."""
    redirects = {
        f"{_GLOSSARY_PREFIX}/{old}.md": f"{_GLOSSARY_PREFIX}/{term.slug}.md"
        for term in glossary.terms
        for old in term.formerly
    }
    if not redirects:
        return
    plugin = config.plugins.get("redirects")
    if plugin is None:
        where = next(term.source for term in glossary.terms if term.formerly)
        raise PluginError(
            f"glossary: {where} lists old slugs under 'formerly', whose addresses the "
            "mkdocs-redirects plugin keeps working; add '- redirects' to plugins in mkdocs.yml"
        )
    plugin.config["redirect_maps"].update(redirects)


def _nav_pages(nav: object) -> set[str]:
    """Every page named in mkdocs.yml's ``nav`` (a list of strings and titled mappings)."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return {page for item in items for page in _nav_pages(item)}


def _term_slug(page: Page) -> str | None:
    path = PurePosixPath(page.file.src_uri)
    if path.parent == _GLOSSARY_PREFIX and not path.name.startswith(("index.", "_")):
        return path.stem
    return None


def _source(config: MkDocsConfig, src_uri: str) -> str:
    """Where a page comes from, for a warning: a term page's term file, else the page under
    docs/."""
    path = PurePosixPath(src_uri)
    if path.parent == _GLOSSARY_PREFIX and not path.name.startswith(("index.", "_")):
        return f"terms/{path.stem}.yaml"
    return f"{PurePosixPath(config.docs_dir).name}/{src_uri}"


def _term_edit_url(config: MkDocsConfig, slug: str) -> str | None:
    if not config.repo_url or not config.edit_uri:
        return None
    # edit_uri points at docs/ in the repository; terms/ is its sibling.
    edit_docs = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri)
    return urljoin(edit_docs, f"../terms/{slug}.yaml")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def _abort(error: GlossaryError) -> Abort:
    return Abort(f"{error}\n{error.summary}")
