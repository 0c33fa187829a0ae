"""axe-core finds no serious or critical accessibility violation on the home page, the A-Z (its
letters, and a letter's page), the performance page and a term page, on both builds, in the
light and the dark palette, on a phone (390x844) and a laptop (1280x800). axe-core is the npm
package pinned in package.json."""

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


@pytest.mark.parametrize("viewport", [(390, 844), (1280, 800)], ids=["phone", "laptop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "source", ["index.md", "glossary/index.md", "glossary/a-z/b.md", "performance.md", BATCH_NORM]
)
def test_no_serious_accessibility_violation(
    page: Page, site: Site, source: str, scheme: str, viewport: tuple[int, int]
) -> None:
    assert AXE.is_file(), f"{AXE.relative_to(ROOT)} is missing: run 'npm ci'"
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.emulate_media(color_scheme=scheme)  # Material follows the system's preference
    page.goto(site.url(source))
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    page.add_script_tag(path=AXE)
    violations = page.evaluate(_VIOLATIONS)
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING]
    where = f"{site.url(source)} ({scheme}, {viewport[0]} px)"
    assert not blocking, f"{where}:\n{_describe(blocking)}"
