"""axe-core in the browser: run it on the page in view and report violations readably.

axe-core comes bundled in axe-playwright-python (pinned in requirements-dev.txt), injected with
`page.evaluate`, which runs through the DevTools protocol and so is not blocked by the portal's
strict Content-Security-Policy (a <script> tag added to the page would be).
"""

import re
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Page

# axe's tags are not cumulative: "wcag2aa" alone leaves out the A rules and 2.1 and 2.2's rules.
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
AXE_CORE_VERSION = re.match(r"/\*! axe v([\d.]+)", _AXE_SCRIPT).group(1)


def axe_violations(page: Page) -> list[dict]:
    """The WCAG 2.2 A and AA violations axe finds on the page as it is now."""
    page.evaluate(_AXE_SCRIPT)
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_22_AA_TAGS,
    )
    return results["violations"]


def describe(violations: list[dict]) -> str:
    """One block per rule: its id, what it asks, and the selectors of the failing elements."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def check_page(page: Page, *, reflow: bool = True) -> None:
    """Fail with a readable list if axe finds a violation or the page needs sideways scrolling."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core {AXE_CORE_VERSION} found accessibility violations on {page.url}:\n"
        + describe(violations)
    )
    if reflow:
        assert_reflows(page)


def assert_reflows(page: Page) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide the page scrolls only vertically."""
    size = page.viewport_size
    try:
        page.set_viewport_size({"width": 320, "height": 640})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} is {width}px wide at a 320px viewport: it does not reflow"
    finally:
        page.set_viewport_size(size)
