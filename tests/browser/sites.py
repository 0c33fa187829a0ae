"""The two builds of the glossary that the browser tests open: how they are made, served and
opened in a tab that cannot reach the network."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.site_project import run_python

# One line per build from the link crawl, printed at the end of the run.
LINK_COUNTS = pytest.StashKey[list[str]]()


@dataclass(frozen=True)
class Site:
    """One build of the glossary: where its files are and the URL it is opened at."""

    kind: str  # "online" (directory URLs, served over HTTP) or "offline" (.html files, file://)
    root: Path
    base_url: str  # ends with "/"

    @property
    def directory_urls(self) -> bool:
        """Whether pages are ``name/index.html`` reached as ``name/`` (the online build)."""
        return self.kind == "online"

    def page_path(self, source: str) -> str:
        """The site path of the page built from ``docs/<source>``, as links write it."""
        stem = source.removesuffix(".md")
        if not self.directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return f"{stem}/"

    def url(self, source: str) -> str:
        """The URL of the page built from ``docs/<source>``, e.g. ``glossary/index.md``."""
        return self.base_url + self.page_path(source)

    def owns(self, url: str) -> bool:
        """Whether ``url`` stays on this machine: in the site, or made by the page itself."""
        return url.startswith((self.base_url, "data:", "blob:", "about:"))


@dataclass
class RequestLog:
    """Every request a browser context made; those that would have left the site were aborted."""

    all: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


class BuildError(Exception):
    """``glossary build`` failed; the message holds the command and its output."""


def build_site(project: Path, site_dir: Path, *options: str) -> None:
    """Run ``glossary build *options`` in ``project`` into ``site_dir``; raise BuildError."""
    arguments = ("-m", "generator", "build", *options, "--site-dir", str(site_dir))
    result = run_python(*arguments, cwd=project)
    if result.returncode != 0:
        command = " ".join(("glossary", "build", *options))
        raise BuildError(f"'{command}' failed:\n{result.stdout}{result.stderr}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a directory's files, without a log line per request."""

    def log_message(self, *args: object) -> None:
        pass  # a line per request would bury pytest's output


@contextmanager
def serve(
    root: Path, handler_class: type[QuietHandler] = QuietHandler, path: str = "/"
) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 at a free port with ``handler_class``; yield the
    base URL, ``path`` on that server."""
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def open_page(browser: Browser, site: Site, log: RequestLog, **options: object) -> Iterator[Page]:
    """A tab in a context of its own, which logs every request in ``log``.

    A request that would leave ``site`` is aborted, so that no test depends on the network
    even when the site wrongly asks for it. ``options`` go to ``browser.new_context``.
    """

    def guard(route: Route) -> None:
        url = route.request.url
        log.all.append(url)
        if site.owns(url):
            route.continue_()
        else:
            log.external.append(url)
            route.abort()

    context = browser.new_context(**options)
    context.route("**/*", guard)
    try:
        yield context.new_page()
    finally:
        context.close()
