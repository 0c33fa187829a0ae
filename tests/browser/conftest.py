"""The shipped glossary built twice, and Debian's Chromium to look at it.

Each build is made once per session in a copy of the project: ``online`` (``glossary build``)
is served over HTTP on 127.0.0.1, ``offline`` (``glossary build --offline``) is opened from
file:// as a reader would open it from a download. Tests that take ``site`` run against both.

Playwright drives /usr/bin/chromium from Debian's package; it never downloads a browser. When
that file is missing the browser tests are skipped, unless GLOSSARY_REQUIRE_BROWSER=1 (as in
CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.sites import (
    LINK_COUNTS,
    BuildError,
    RequestLog,
    Site,
    build_site,
    open_page,
    serve,
)
from tests.site_project import project_copy

CHROMIUM = Path("/usr/bin/chromium")
TRANSLATIONS = Path(__file__).parent / "translations"  # terms/<language>/ fixtures
REQUIRE_BROWSER = "GLOSSARY_REQUIRE_BROWSER"
# Headless and as root in a container: no sandbox and no GPU. The rest stop Chromium from
# calling Google's services on its own (updates, sync, field trials), which would be network
# traffic that no test asked for.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Light mode, and wide enough for Material's desktop layout (search box in the header).
CONTEXT_OPTIONS = {
    "color_scheme": "light",
    "viewport": {"width": 1280, "height": 900},
    "locale": "en-US",
    "service_workers": "block",
}
TIMEOUT_MS = 10_000  # for one action or expectation; none takes more than a second or two
SITE_KINDS = ("online", "offline")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"browser: drives {CHROMIUM} through Playwright; skipped when it is missing, "
        f"unless {REQUIRE_BROWSER}=1",
    )


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    counts = config.stash.get(LINK_COUNTS, [])
    if counts:
        terminalreporter.write_sep("-", "links checked")
        for line in counts:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def glossary_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project that both builds are made from, translated into German and
    Chinese at least as far as the fixtures of ``translations/`` (which fill in only what the
    project's own translations leave out)."""
    project = project_copy(tmp_path_factory.mktemp("browser"))
    for source in sorted(TRANSLATIONS.rglob("*.yaml")):
        target = project / "terms" / source.relative_to(TRANSLATIONS)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
    return project


def _build(project: Path, site_dir: Path, *options: str) -> None:
    try:
        build_site(project, site_dir, *options)
    except BuildError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def online_site(glossary_project: Path) -> Iterator[Site]:
    """``glossary build``, served by http.server on 127.0.0.1."""
    root = glossary_project / "site-online"
    _build(glossary_project, root)
    with serve(root) as base_url:
        yield Site("online", root, base_url)


@pytest.fixture(scope="session")
def offline_site(glossary_project: Path) -> Site:
    """``glossary build --offline``, opened from file:// without a server."""
    root = glossary_project / "site-offline"
    _build(glossary_project, root, "--offline")
    return Site("offline", root, root.as_uri() + "/")


@pytest.fixture(scope="session", params=SITE_KINDS)
def site(request: pytest.FixtureRequest) -> Site:
    """Each build in turn: a test that takes this runs once per build."""
    return request.getfixturevalue(f"{request.param}_site")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once for the session."""
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing: install Debian's package ('apt-get install chromium')"
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{reason}; {REQUIRE_BROWSER}=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(LAUNCH_ARGS)
        )
        yield chromium
        chromium.close()


@pytest.fixture
def request_log() -> RequestLog:
    """What this test's ``page`` requested."""
    return RequestLog()


@pytest.fixture
def page(browser: Browser, site: Site, request_log: RequestLog) -> Iterator[Page]:
    """A fresh tab in light mode that cannot reach the network (see ``open_page``)."""
    with open_page(browser, site, request_log, **CONTEXT_OPTIONS) as tab:
        tab.set_default_timeout(TIMEOUT_MS)
        yield tab


@pytest.fixture(scope="module")
def shared_page(browser: Browser, site: Site) -> Iterator[Page]:
    """One tab per build and test module, for tests that can share it.

    Opening a page costs a second or so, most of it for the search index: the search tests
    type every query into the same tab.
    """
    with open_page(browser, site, RequestLog(), **CONTEXT_OPTIONS) as tab:
        tab.set_default_timeout(TIMEOUT_MS)
        yield tab
