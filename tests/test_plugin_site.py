"""The glossary plugin in a site of its own: a separate MkDocs Material project with its own
docs/, three term files and ``plugins: - glossary``, built strict with plain ``mkdocs build``,
as README's "A glossary in your own site" tells a reader to."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from generator.model import GlossaryError
from generator.site.assets import NPM_PACKAGES, vendored_files
from generator.site.plugin import GlossaryPlugin

ROOT = Path(__file__).resolve().parents[1]

MKDOCS_YML = """\
site_name: Tiny Docs
theme:
  name: material
plugins:
  - search
  - glossary
nav:
  - Home: index.md
  - Glossary: glossary/index.md
"""

CATEGORIES = """\
basics:
  title: Basics
  description: The words everything else is built from.
"""

TERMS = {
    "gradient": """\
term: Gradient
summary: The direction in which a function grows fastest.
category: basics
definition: >-
  The gradient of a function $f$ is the vector of its partial derivatives,
  $\\nabla f$. Gradient Descent walks against it.
related: [gradient-descent]
""",
    "gradient-descent": """\
term: Gradient Descent
summary: Minimizing a function by repeated small steps against its gradient.
category: basics
definition: >-
  Gradient Descent moves the parameters a small step against the Gradient,
  then measures again. Each step size is set by the Learning Rate.
""",
    "learning-rate": """\
term: Learning Rate
summary: How far each step of Gradient Descent moves the parameters.
category: basics
status: draft
definition: >-
  The learning rate scales every step of [[gradient-descent]].
""",
}


def tiny_project(project: Path, terms: dict[str, str] = TERMS) -> Path:
    """Write the separate project, with ``terms`` (slug -> YAML), into ``project``; return it."""
    project.mkdir(exist_ok=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Tiny Docs\n\nSee the glossary.\n")
    terms_dir = project / "terms"
    terms_dir.mkdir()
    (terms_dir / "_categories.yaml").write_text(CATEGORIES, encoding="utf-8")
    for slug, text in terms.items():
        (terms_dir / f"{slug}.yaml").write_text(text, encoding="utf-8")
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # KaTeX, from `npm ci`
    return project


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The separate project, built strict; the path of its built site."""
    project = tiny_project(tmp_path_factory.mktemp("tiny"))
    _commit_everything(project, "2024-03-04T12:00:00+00:00")
    return built_strict(project)


def built_strict(project: Path) -> Path:
    """Build ``project`` with plain ``mkdocs build --strict``; return its built site."""
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        # This checkout's plugin, not the one the virtual environment may have installed
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return project / "site"


def test_the_glossary_is_published_in_the_other_site(tiny_site: Path) -> None:
    pages = {path.parent.name for path in (tiny_site / "glossary").glob("*/index.html")}
    assert {"gradient", "gradient-descent", "learning-rate"} <= pages
    assert (tiny_site / "glossary" / "index.html").is_file()  # the A-Z index
    assert not list(tiny_site.glob("glossary/_*"))  # fragments are not pages
    exported = json.loads((tiny_site / "glossary.json").read_text(encoding="utf-8"))
    assert sorted(term["slug"] for term in exported["terms"]) == [
        "gradient",
        "gradient-descent",
        "learning-rate",
    ]


def test_term_pages_have_links_tooltips_math_and_their_assets(tiny_site: Path) -> None:
    page = (tiny_site / "glossary" / "gradient-descent" / "index.html").read_text("utf-8")
    # "the Gradient" in the text is linked automatically, with the summary as its tooltip.
    assert re.search(
        r'<a href="\.\./gradient/" title="The direction in which a function grows fastest\.">',
        page,
    )
    gradient = (tiny_site / "glossary" / "gradient" / "index.html").read_text("utf-8")
    # The math is typeset when the site is built: KaTeX's HTML, with the TeX for screen readers
    # in its MathML annotation, and KaTeX's stylesheet linked; no script typesets it.
    assert re.search(r'<span class="arithmatex"><span class="katex">.*?</span></span>', gradient)
    assert '<annotation encoding="application/x-tex">f</annotation>' in gradient
    assert "\\(f\\)" not in gradient
    for asset in ("assets/glossary.css", "assets/vendor/katex/katex.min.css"):
        assert (tiny_site / asset).is_file(), asset
        assert f'href="../../{asset}"' in gradient, asset
    assert list((tiny_site / "assets" / "vendor" / "katex" / "fonts").glob("KaTeX_*.woff2"))
    assert not list(tiny_site.rglob("katex.min.js"))
    assert "katex.min.js" not in gradient
    assert "math.js" not in gradient
    assert not (tiny_site / "assets" / "vendor" / "iframe-worker").exists()  # not asked for
    # Term pages are reached from the indexes: the other site's navigation stays its own.
    home = (tiny_site / "index.html").read_text("utf-8")
    assert 'href="glossary/"' in home
    assert "glossary/gradient" not in home


def _commit_everything(project: Path, date: str) -> None:
    """Make ``project`` a git checkout whose one commit is of ``date``: its term pages show it."""
    who = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": date}
    who |= {"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}
    env = {**os.environ, **who, "GIT_COMMITTER_DATE": date}
    for command in (["init", "-q"], ["add", "terms"], ["commit", "-q", "-m", "Terms"]):
        subprocess.run(["git", *command], cwd=project, env=env, check=True)


def test_term_pages_end_with_their_date_and_citation_and_a_draft_has_a_banner(
    tiny_site: Path,
) -> None:
    gradient = (tiny_site / "glossary" / "gradient" / "index.html").read_text("utf-8")
    assert "Last updated on 2024-03-04." in gradient
    assert "Gradient. (2024). In Tiny Docs. glossary/gradient/" in gradient
    assert "Draft" not in gradient
    draft = (tiny_site / "glossary" / "learning-rate" / "index.html").read_text("utf-8")
    assert '<p class="admonition-title">Draft</p>' in draft


def test_the_404_page_finds_the_site_root_when_the_site_has_no_address(tiny_site: Path) -> None:
    page = (tiny_site / "404.html").read_text("utf-8")
    assert "Page not found" in page
    assert 'href="./assets/glossary.css"' in page  # relative to the root the page finds
    assert 'x.open("HEAD",d+"assets/glossary.css",false)' in page


def test_the_plugin_keeps_one_instance_for_every_configuration_it_loads(tmp_path: Path) -> None:
    """``glossary serve`` hands its build to the plugin before ``mkdocs serve`` loads the
    configuration again: that works because MkDocs keeps a plugin with ``on_startup``."""
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(MKDOCS_YML, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    first = load_config(str(config_file)).plugins["glossary"]
    second = load_config(str(config_file)).plugins["glossary"]
    assert isinstance(first, GlossaryPlugin)
    assert first is second


def test_a_missing_browser_package_is_named_with_the_command_that_installs_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(GlossaryError) as raised:
        vendored_files(tmp_path / "node_modules")
    problems = [str(problem) for problem in raised.value.problems]
    assert problems[1] == (
        "node_modules/katex/dist/katex.min.css:1:1: assets: this browser asset is not installed; "
        "run 'make site' (or 'npm ci') here; in a site of your own, run "
        "'npm install katex@0.19.1' next to mkdocs.yml"
    )
    assert len(problems) == 2  # KaTeX's stylesheet and fonts; iframe-worker not asked


def test_the_versions_the_plugin_asks_for_are_the_locked_ones() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    locked = {name: lock["packages"][f"node_modules/{name}"]["version"] for name in NPM_PACKAGES}
    assert locked == NPM_PACKAGES


def test_a_dirty_rebuild_leaves_each_page_once_in_the_search_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit rewrites several pages (the term's, and those whose links show its summary);
    the preview's search index must list each of them once, with the new text."""
    project = tiny_project(tmp_path / "project")
    monkeypatch.chdir(project)
    site = tmp_path / "site"

    def dirty_build() -> list[dict[str, str]]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)
        index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
        return index["docs"]

    before = dirty_build()
    term = project / "terms" / "gradient.yaml"
    term.write_text(term.read_text("utf-8").replace("grows fastest", "rises fastest"), "utf-8")
    after = dirty_build()
    locations = [entry["location"] for entry in after]
    assert len(locations) == len(set(locations))
    assert sorted(locations) == sorted(entry["location"] for entry in before)
    assert any("rises fastest" in entry["text"] for entry in after)
    assert not any("grows fastest" in entry["text"] for entry in after)


def test_a_site_whose_docs_are_elsewhere_is_told_where_the_glossary_goes(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "project")
    (project / "docs").rename(project / "documentation")
    text = MKDOCS_YML + "docs_dir: documentation\n"
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"set 'docs_dir: docs' in mkdocs\.yml"):
        config.plugins.on_config(config)
