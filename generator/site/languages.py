"""The site's languages: English, and those ``terms/_languages.yaml`` declares, whose pages are
under ``<code>/`` (see ``translated_pages``).

One MkDocs build makes every language's pages, so that the build does not run once per
language. Material translates its interface by page (``theme/partials/language.html`` reads
the page's ``glossary_language``); its language selector and the ``hreflang`` links in each
page's head list the same page in the other languages (``page_alternates``), where Material's
own would list each language's home page.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

from mkdocs.structure.files import Files

from generator.model import Language, Problem
from generator.pipeline.load import LANGUAGES_FILE, TERMS_DIR, read_source
from generator.pipeline.parse import parse_document
from generator.pipeline.translations import read_languages

ENGLISH = Language("en", "English", "en", "en")
# Material's search separates words at white space and hyphens; Chinese text is segmented into
# words with zero-width spaces (by jieba, when the search plugin finds it installed).
SEARCH_SEPARATOR = r"[\s\u200b\-]+"


def declared_languages(root: Path) -> tuple[Language, ...]:
    """The languages ``root/terms/_languages.yaml`` declares (none if it has problems: the
    build reports them)."""
    path = root / TERMS_DIR / LANGUAGES_FILE
    if not path.is_file():
        return ()
    file = read_source(path, f"{TERMS_DIR}/{LANGUAGES_FILE}")
    if file.problem is not None:
        return ()
    document, _ = parse_document(file.raw, file.path)
    problems: list[Problem] = []
    languages = read_languages(document, problems)
    return () if problems else languages


def configure_search(search: Any, languages: tuple[Language, ...]) -> None:
    """Have Material's search stem (or segment) each language's words, unless mkdocs.yml
    chose its languages itself."""
    if search is None or not languages:
        return
    if not search.config.lang:
        codes = ["en", *(language.search for language in languages)]
        search.config.lang = list(dict.fromkeys(codes))
    if not search.config.separator:
        search.config.separator = SEARCH_SEPARATOR


def page_language(src_uri: str, languages: tuple[Language, ...]) -> Language:
    """The language of the page made from ``src_uri``: that of its top folder, else English."""
    top = PurePosixPath(src_uri).parts[0]
    return next((language for language in languages if language.code == top), ENGLISH)


def page_alternates(
    src_uri: str, languages: tuple[Language, ...], files: Files
) -> list[dict[str, str]]:
    """The same page in each language, for the language selector and ``hreflang``: the page
    made from the same path under each language's folder (a term's translated page), else
    that language's home page (a term not translated, a page only English has). Paths from
    the site's root, as Material's ``alternate`` entries are written."""
    language = page_language(src_uri, languages)
    path = PurePosixPath(src_uri)
    english = path if language is ENGLISH else path.relative_to(language.code)
    alternates = []
    for other in (ENGLISH, *languages):
        folder = "" if other is ENGLISH else f"{other.code}/"
        same = files.get_file_from_path(f"{folder}{english}")
        file = same or files.get_file_from_path(f"{folder}index.md")
        if file is not None:
            link = file.url or "./"
            alternate = {"name": other.name, "link": link, "lang": other.hreflang}
            alternates.append(alternate if same else {**alternate, "home": "true"})
    return alternates


_HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]*)">\n?')


def with_hreflang_links(html: str, alternates: list[dict[str, str]], page_url: str | None) -> str:
    """A page's ``<link rel="alternate" hreflang>`` as search engines read them: only for the
    same page in another language (not for a language's home page, which the language
    selector falls back to), and with absolute URLs when the site's address is known."""
    homes = {alternate["lang"] for alternate in alternates if alternate.get("home")}

    def kept(match: re.Match[str]) -> str:
        href, lang = match[1], match[2]
        if lang in homes:
            return ""
        if page_url is None:
            return match[0]
        return match[0].replace(f'href="{href}"', f'href="{urljoin(page_url, href)}"', 1)

    head, end, body = html.partition("</head>")
    return _HEAD_ALTERNATE.sub(kept, head) + end + body


def site_alternates(languages: tuple[Language, ...]) -> list[dict[str, str]]:
    """Each language's home page, for pages that are not made from a file (the 404 page)."""
    return [
        {
            "name": language.name,
            "link": "./" if language is ENGLISH else f"{language.code}/",
            "lang": language.hreflang,
        }
        for language in (ENGLISH, *languages)
    ]
