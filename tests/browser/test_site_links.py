"""Every link and embedded file of both builds resolves inside the site, down to the fragment,
and nothing is embedded from another host. Reads the built HTML and CSS; needs no browser.

External http(s) URLs are allowed only where a reader chooses to follow them: ``<a href>``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.sites import LINK_COUNTS, Site
from tests.site_project import ROOT

URL_ATTRIBUTES = ("href", "src")
IGNORED_SCHEMES = ("mailto", "tel", "data", "javascript")
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""")  # the url() form is CSS_URL's
SHOWN_PROBLEMS = 40


class _PageParser(HTMLParser):
    """Collects a page's ids, its URL-valued attributes and its inline CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []  # (element, attribute, value)
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            if name in URL_ATTRIBUTES:
                self.references.append((tag, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.references.append((tag, name, candidate.split()[0]))
            elif name == "style":
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


@cache
def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


class _BrokenError(Exception):
    """A reference that does not lead to a file of the site; the message says why."""


@dataclass
class LinkReport:
    """What the crawl of one build checked, and every problem found."""

    pages: int = 0
    internal: int = 0
    fragments: int = 0
    external_links: int = 0
    css_urls: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self, kind: str) -> str:
        return (
            f"{kind}: {self.pages} pages, {self.internal} internal references "
            f"({self.fragments} with a fragment checked), {self.external_links} external <a> "
            f"links, {self.css_urls} CSS url()s; {len(self.problems)} problems"
        )


def resolve(site: Site, source: Path, value: str) -> tuple[Path, str]:
    """The file that the relative URL ``value`` in ``source`` leads to, and its fragment.

    Raise _BrokenError if there is none. Online, a directory URL serves its index.html and a
    root-absolute path starts at the site's root; from file:// neither works.
    """
    parts = urlsplit(value)
    path = unquote(parts.path)
    if not path:
        target = source
    elif path.startswith("/"):
        if not site.directory_urls:
            raise _BrokenError("root-absolute path: from file:// it starts at the disk's root")
        target = site.root / path.lstrip("/")
    else:
        target = source.parent / path
    target = Path(os.path.normpath(target))
    if not target.is_relative_to(site.root):
        raise _BrokenError("leads outside the site")
    if target.is_dir():
        if not site.directory_urls:
            raise _BrokenError("a directory: file:// shows a listing, not its index.html")
        target = target / "index.html"
    elif path.endswith("/"):
        raise _BrokenError("a directory URL, but there is no such directory")
    if not target.is_file():
        raise _BrokenError("no such file")
    return target, unquote(parts.fragment)


def _check_reference(
    site: Site, page: Path, tag: str, attribute: str, value: str, report: LinkReport
) -> None:
    where = f"{page.relative_to(site.root)}: <{tag} {attribute}={value!r}>"
    scheme = urlsplit(value).scheme.lower()
    if scheme in ("http", "https") or value.startswith("//"):
        if (tag, attribute) == ("a", "href"):
            report.external_links += 1
        else:
            report.problems.append(f"{where}: loads a file from another host")
        return
    if scheme in IGNORED_SCHEMES:
        return
    if scheme:
        report.problems.append(f"{where}: a {scheme}: URL")
        return
    report.internal += 1
    try:
        target, fragment = resolve(site, page, value)
    except _BrokenError as error:
        report.problems.append(f"{where}: {error}")
        return
    # Fragments of other files (an SVG's #only-dark) are instructions to the theme, not ids.
    if fragment and target.suffix == ".html":
        report.fragments += 1
        if fragment not in _parse(target).ids:
            report.problems.append(
                f"{where}: no id {fragment!r} in {target.relative_to(site.root)}"
            )


def _check_css(site: Site, source: Path, css: str, report: LinkReport) -> None:
    where = source.relative_to(site.root)
    for match in [*CSS_URL.finditer(css), *CSS_IMPORT.finditer(css)]:
        value = next(group for group in match.groups() if group is not None)
        scheme = urlsplit(value).scheme.lower()
        if scheme == "data" or not value:
            continue
        report.css_urls += 1
        if scheme or value.startswith("//"):
            report.problems.append(f"{where}: CSS {match.group(0)[:80]!r}: another host")
            continue
        try:
            resolve(site, source, value)
        except _BrokenError as error:
            report.problems.append(f"{where}: CSS {match.group(0)[:80]!r}: {error}")


def crawl(site: Site) -> LinkReport:
    """Check every reference in every HTML page and CSS file of ``site``."""
    report = LinkReport()
    for page in sorted(site.root.rglob("*.html")):
        # A file:// site has no server to show a 404 page; its root-absolute links are moot.
        if not site.directory_urls and page == site.root / "404.html":
            continue
        report.pages += 1
        parsed = _parse(page)
        for tag, attribute, value in parsed.references:
            _check_reference(site, page, tag, attribute, value, report)
        for css in parsed.styles:
            _check_css(site, page, css, report)
    for stylesheet in sorted(site.root.rglob("*.css")):
        _check_css(site, stylesheet, stylesheet.read_text(encoding="utf-8"), report)
    return report


def test_every_reference_resolves_and_nothing_is_embedded_from_another_host(
    site: Site, pytestconfig: pytest.Config
) -> None:
    report = crawl(site)
    summary = report.summary(site.kind)
    pytestconfig.stash.setdefault(LINK_COUNTS, []).append(summary)
    terms = [path for path in (ROOT / "terms").glob("*.yaml") if not path.name.startswith("_")]
    assert report.pages > len(terms), summary
    assert report.internal >= report.pages and report.fragments > 0, summary
    shown = report.problems[:SHOWN_PROBLEMS]
    if len(report.problems) > len(shown):
        shown.append(f"... and {len(report.problems) - len(shown)} more")
    assert not report.problems, "\n".join([summary, *shown])
