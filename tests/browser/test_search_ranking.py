"""Exact names first (``generator/site/static/search.js``): searching a term's exact name, or
one of its aliases, lists that term first, in any letter case, with hyphens, spaces or neither
between its words, and in British or American spelling, online and offline. Checked over
every shipped term and alias, and over a glossary of generic one-word names beside longer names
that contain them (Service and "Platform as a Service"), built for this test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.material_ui import search
from tests.browser.sites import RequestLog, Site, open_page, serve
from tests.site_project import ROOT, read_term
from tests.test_plugin_site import built_strict, tiny_project

pytestmark = pytest.mark.browser

# Runs queries through a search worker made as Material makes its own (``new Worker``, which
# search.js has wrapped, over the iframe-worker shim from file://), and returns the page of the
# first result of each: thousands of queries in seconds, through the code the search box uses.
FIRST_RESULTS = """async ({index, queries}) => {
  const config = JSON.parse(document.querySelector("#__config").textContent);
  const worker = new Worker(config.search);
  const reply = () => new Promise(resolve =>
    worker.addEventListener("message", event => resolve(event.data), {once: true}));
  worker.postMessage({type: 0, data: {...index, options: {suggest: false}}});
  await reply();
  const first = {};
  for (const query of queries) {
    worker.postMessage({type: 2, data: query});
    const result = await reply();
    first[query] = result.data.items[0]?.[0]?.location.split("#")[0] ?? null;
  }
  worker.terminate();
  return first;
}"""


def first_results(page: Page, site_root: Path, queries: list[str]) -> dict[str, str | None]:
    index = json.loads((site_root / "search" / "search_index.json").read_text(encoding="utf-8"))
    return page.evaluate(FIRST_RESULTS, {"index": index, "queries": queries})  # type: ignore[no-any-return]


TERM_FILES = sorted((ROOT / "terms").glob("[!_]*.yaml"))
# The offline build has the same search index and script as the online one, and differs only in
# how the worker runs (the iframe-worker shim, from file://): every tenth query is asked there.
_OFFLINE_SAMPLE = 10


def variants(name: str) -> list[str]:
    """``name`` as written, in lower and upper case, and with hyphens as spaces and as nothing."""
    forms = [name, name.lower(), name.upper()]
    if "-" in name:
        forms += [name.replace("-", " "), name.replace("-", "")]
    return forms


def _page(site: Site, slug: str) -> str:
    return site.page_path(f"glossary/{slug}.md")


def test_every_name_and_alias_finds_its_term_first(shared_page: Page, site: Site) -> None:
    shared_page.goto(site.url("index.md"))
    expected = {
        query: slug
        for slug, term in ((path.stem, read_term(path.stem)) for path in TERM_FILES)
        for name in (term["term"], *term.get("aliases", ()))
        for query in variants(name)
    }
    assert len(expected) > 1500  # every term: 250 and more, with their aliases and variants
    if site.kind == "offline":  # the same index and script, through the worker shim: a sample
        expected = dict(list(expected.items())[::_OFFLINE_SAMPLE])
    first = first_results(shared_page, site.root, list(expected))
    wrong = [
        f"{query!r} -> {first[query]} (expected {_page(site, slug)})"
        for query, slug in expected.items()
        if first[query] != _page(site, slug)
    ]
    assert not wrong, f"{len(wrong)} of {len(expected)} queries:\n" + "\n".join(wrong[:30])


# A glossary of generic names beside longer ones that contain them, each with a definition that
# says the generic word often, as real text does; "API" is an alias of the long name.
GENERIC_TERMS = {
    "service": ("Service", [], "A service is a program that other programs call."),
    "platform-as-a-service": (
        "Platform as a Service",
        ["PaaS"],
        "A service that runs your code. The service scales it; the service patches it.",
    ),
    "software-as-a-service": (
        "Software as a Service",
        ["SaaS"],
        "Software offered as a service: the service runs it, the service bills for it.",
    ),
    "container": ("Container", [], "A container packages a program with what it needs."),
    "containerization": (
        "Containerization",
        [],
        "Running every container of an application from one container image per service.",
    ),
    "application-programming-interface": (
        "Application Programming Interface (API)",
        ["API"],
        "An API is how one program asks another for something; every API names its calls.",
    ),
    "api-gateway": (
        "API Gateway",
        [],
        "An API gateway puts one API in front of many: each API call goes through it.",
    ),
    "pre-training": (
        "Pre-training",
        [],
        "Training a model on a large general dataset before fine-tuning it for a task.",
    ),
    "normalization": (
        "Normalization",
        [],
        "Rescaling values to a common range; batch normalization is one kind of it.",
    ),
    "model-optimizer": (
        "Model Optimizer",
        [],
        "The algorithm that updates a model's weights to lower its loss.",
    ),
}

GENERIC_QUERIES = {
    "service": "service",
    "Service": "service",
    "SERVICE": "service",
    "platform as a service": "platform-as-a-service",
    "PaaS": "platform-as-a-service",
    "container": "container",
    "Containerization": "containerization",
    "containerisation": "containerization",  # British spelling
    "API": "application-programming-interface",
    "api": "application-programming-interface",
    "API gateway": "api-gateway",
    "api-gateway": "api-gateway",
    "pre-training": "pre-training",
    "pretraining": "pre-training",
    "pre training": "pre-training",
    "normalisation": "normalization",
    "model optimiser": "model-optimizer",
}


def _generic_yaml(name: str, aliases: list[str], definition: str) -> str:
    lines = [
        f"term: {json.dumps(name)}",
        f"summary: {json.dumps(definition.split('.')[0] + '.')}",
        "category: basics",
        f"definition: {json.dumps(definition)}",
    ]
    if aliases:
        lines.append(f"aliases: {json.dumps(aliases)}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def generic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of its own whose glossary has the generic names, built strict."""
    terms = {slug: _generic_yaml(*term) for slug, term in GENERIC_TERMS.items()}
    return built_strict(tiny_project(tmp_path_factory.mktemp("generic"), terms))


@pytest.fixture(scope="module")
def generic(browser: Browser, generic_site: Path) -> Iterator[tuple[Page, Site]]:
    """A tab on the home page of the generic site, served over HTTP."""
    with serve(generic_site) as base_url:
        site = Site("online", generic_site, base_url)
        with open_page(browser, site, RequestLog()) as page:
            page.goto(base_url)
            yield page, site


def test_generic_names_find_their_own_term_first(generic: tuple[Page, Site]) -> None:
    page, site = generic
    first = first_results(page, site.root, list(GENERIC_QUERIES))
    wrong = {q: found for q, found in first.items() if found != _page(site, GENERIC_QUERIES[q])}
    assert not wrong


# The generic names are found with the longer names that contain them, after them; the British
# spelling, with the one term that spells it the American way.
@pytest.mark.parametrize(
    ("query", "found"), [("service", 3), ("container", 2), ("API", 2), ("containerisation", 1)]
)
def test_the_search_box_lists_the_exact_term_first(
    generic: tuple[Page, Site], query: str, found: int
) -> None:
    page, site = generic
    results = search(page, query)
    assert len(results) >= found
    assert results[0].page_url == site.url(f"glossary/{GENERIC_QUERIES[query]}.md"), [
        result.page_url for result in results
    ]
