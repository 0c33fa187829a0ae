"""axe-core finds no serious or critical accessibility violation on the home page, the A-Z and a
term page, on both builds, in the light and the dark palette. axe-core is the npm package pinned
in package.json."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.material_ui import BATCH_NORM
from tests.browser.sites import Site
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("source", ["index.md", "glossary/index.md", BATCH_NORM])
def test_no_serious_accessibility_violation(
    page: Page, site: Site, source: str, scheme: str
) -> None:
    assert AXE.is_file(), f"{AXE.relative_to(ROOT)} is missing: run 'npm ci'"
    page.emulate_media(color_scheme=scheme)  # Material follows the system's preference
    page.goto(site.url(source))
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    page.add_script_tag(path=AXE)
    violations = page.evaluate(_VIOLATIONS)
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING]
    assert not blocking, f"{site.url(source)} ({scheme}):\n{_describe(blocking)}"
