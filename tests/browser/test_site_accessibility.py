"""axe-core finds no serious or critical accessibility violation on the home page, the A-Z (its
letters, and a letter's page), the performance page and a term page (the home and term pages
of the offline build), in the light and the dark palette, on a phone (390x844) and a laptop
(1280x800). axe-core is the npm
package pinned in package.json."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import CONTEXT_OPTIONS, TIMEOUT_MS
from tests.browser.material_ui import BATCH_NORM
from tests.browser.sites import RequestLog, Site, open_page
from tests.site_project import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
SHOWN_NODES = 5
_VIOLATIONS = """async () => (await axe.run()).violations.map(violation => ({
  id: violation.id,
  impact: violation.impact,
  help: violation.help,
  nodes: violation.nodes.map(node => ({target: node.target.join(" "), html: node.html})),
}))"""


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(nodes)} elements): {violation['help']}"
        )
        for node in nodes[:SHOWN_NODES]:
            html = " ".join(node["html"].split())[:200]
            lines.append(f"    {node['target']}: {html}")
        if len(nodes) > SHOWN_NODES:
            lines.append(f"    ... and {len(nodes) - SHOWN_NODES} more")
    return "\n".join(lines)


SOURCES = ["index.md", "glossary/index.md", "glossary/a-z/b.md", "performance.md", BATCH_NORM]
# The offline build's pages are the online build's with other link targets: two of them.
CASES = [("online", source) for source in SOURCES] + [
    ("offline", source) for source in ("index.md", BATCH_NORM)
]
VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 800)}


@pytest.mark.parametrize(("kind", "source"), CASES)
def test_no_serious_accessibility_violation(
    browser: Browser, request: pytest.FixtureRequest, kind: str, source: str
) -> None:
    """A tab for each palette (Material keeps the first palette it showed), the page loaded
    at each size (Material makes boxes that scroll focusable as it loads)."""
    assert AXE.is_file(), f"{AXE.relative_to(ROOT)} is missing: run 'npm ci'"
    site: Site = request.getfixturevalue(f"{kind}_site")
    failures = []
    for scheme in ("light", "dark"):
        # Material follows the system's preference
        options = {**CONTEXT_OPTIONS, "color_scheme": scheme}
        with open_page(browser, site, RequestLog(), **options) as page:
            page.set_default_timeout(TIMEOUT_MS)
            for width, height in VIEWPORTS.values():
                page.set_viewport_size({"width": width, "height": height})
                page.goto(site.url(source))
                expected = "slate" if scheme == "dark" else "default"
                assert page.locator("body").get_attribute("data-md-color-scheme") == expected
                page.add_script_tag(path=AXE)
                violations = page.evaluate(_VIOLATIONS)
                blocking = [v for v in violations if v["impact"] in BLOCKING]
                if blocking:
                    where = f"{site.url(source)} ({scheme}, {width} px)"
                    failures.append(f"{where}:\n{_describe(blocking)}")
    assert not failures, "\n".join(failures)
