"""axe-core finds nothing to fix on every kind of page, on a phone, in light and dark mode.

axe-core comes from npm at the version in tests/browser/package-lock.json
(scripts/test.sh runs ``npm ci`` there). All of its rules run, best practices
included; the search page is checked with results on it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "issue": "issues/1/",
    "essay": "essays/cong-yi-kuai-chuan-gan-qi-kan-chan-ye-lian/",
    "minutes": "minutes/iot-salon-01/",
    "track": "tracks/iot/",
    "issues": "issues/",
    "archive": "archive/",
    "archive-year": "archive/2025/",
    "stats": "stats/",
    "tags": "tags/",
    "author": "authors/wang-xiao-ming/",
    "search": "search/?q=" + quote("电池"),
    "404": "404.html",
}


@pytest.fixture(scope="module")
def axe() -> Path:
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run ./scripts/test.sh (npm ci --prefix tests/browser)")
    return AXE


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser: Browser, example_url: str, axe: Path, scheme: str) -> None:
    context = browser.new_context(locale="zh-CN", color_scheme=scheme, **PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        for name, path in PAGES.items():
            page.goto(example_url + path)
            if name == "search":
                expect(page.locator("#cw-search-results li").first).to_be_visible()
            page.add_script_tag(path=str(axe))
            passed, violations = page.evaluate(
                """async () => {
                     const result = await axe.run(document);
                     return [result.passes.length, result.violations.map(
                       v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)];
                   }"""
            )
            assert passed > 20, f"axe checked almost nothing on {name}"
            found[name] = violations
    finally:
        context.close()
    assert found == {name: [] for name in PAGES}
