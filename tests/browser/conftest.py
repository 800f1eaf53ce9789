"""Debian's Chromium through Playwright, and the example journal served over HTTP.

Chromium is the one at /usr/bin/chromium (scripts/test.sh installs it); Playwright's
own browser downloads are never used. One browser per test process; each test
gets a fresh context, and a page whose console errors fail the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from tests.servers import static_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# A phone, as most readers of the journal are.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is needed at /usr/bin/chromium: run ./scripts/test.sh")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, console_errors: list[str]) -> Iterator[Page]:
    """A phone-sized page in a fresh context; any console error or page error fails the test."""
    context = browser.new_context(locale="zh-CN", **PHONE)  # type: ignore[arg-type]
    tab = context.new_page()
    tab.set_default_timeout(10_000)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: console_errors.append(str(error)))
    yield tab
    context.close()
    assert console_errors == []


@pytest.fixture(scope="session")
def example_url(example_site: Path) -> Iterator[str]:
    """The example journal (built once per session, with its search index) at http://127.0.0.1:PORT/."""
    with static_server(example_site / "output") as url:
        yield url
