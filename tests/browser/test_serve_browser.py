"""``chaowen serve`` as an editor sees it, in Debian's Chromium: saves show up, mistakes show up, nothing is touched."""

from __future__ import annotations

import re
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from chaowen.theme import REPO_THEMES
from tests.serving import Serve, copy_example

pytestmark = pytest.mark.browser

ESSAY = "content/essays/wang-xiaoming-iot.md"
ESSAY_URL = "essays/wang-xiaoming-iot/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    running = Serve(copy_example(tmp_path_factory.mktemp("browser") / "site"))
    yield running
    running.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def open_page(page: Page, server: Serve, path: str) -> None:
    page.goto(server.url + path)
    page.wait_for_function("() => window.__chaowenLive === true")
    page.evaluate("window.__marker = 1")


def marker(page: Page) -> object:
    return page.evaluate("window.__marker")


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_essay_shows_its_new_text_by_itself(server: Serve, page: Page) -> None:
    open_page(page, server, ESSAY_URL)
    sentence = f"浏览器里自动出现的一句话{uuid.uuid4().hex[:6]}。"
    path = server.site / ESSAY
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    expect(page.get_by_text(sentence)).to_be_visible(timeout=5000)


def test_only_tabs_whose_page_changed_reload(server: Serve, browser: Browser, page: Page) -> None:
    open_page(page, server, "about/")
    other = browser.new_context().new_page()
    try:
        open_page(other, server, "essays/jiang-yifan-pilot/")
        title = f"改过的标题{uuid.uuid4().hex[:6]}"
        # A new title of a recent essay changes it, the lists that show it and the site's feed, which every
        # page links to (<link rel="alternate">), but not the about page.
        edit(server.site, "content/essays/jiang-yifan-pilot.md", "title: ", f"title: {title}")
        expect(other.locator("h1").first).to_contain_text(title, timeout=5000)
        page.wait_for_timeout(300)
        assert marker(page) == 1  # the about page did not change: not reloaded
        assert marker(other) is None  # the essay page did
    finally:
        other.context.close()


def test_broken_front_matter_shows_an_overlay_and_fixing_it_removes_it(server: Serve, page: Page) -> None:
    open_page(page, server, ESSAY_URL)
    heading = page.locator("h1").first.inner_text()
    edit(server.site, ESSAY, "tags: [数字化改革", "tags: [数字化改革: [")
    try:
        overlay = page.locator("#chaowen-overlay")
        expect(overlay.locator(".panel")).to_be_visible(timeout=5000)
        expect(overlay.locator(".place").first).to_contain_text("content/essays/wang-xiaoming-iot.md 第 ")
        expect(overlay.locator(".message").first).to_contain_text("“[” 没有配对的 “]”")
        expect(overlay.locator(".title")).to_contain_text("构建失败")
        assert page.locator("h1").first.inner_text() == heading  # the last good page stays underneath
        assert marker(page) == 1
    finally:
        edit(server.site, ESSAY, "tags: [数字化改革: [", "tags: [数字化改革")
    expect(page.locator("#chaowen-overlay")).to_have_count(0, timeout=5000)
    page.wait_for_function("() => window.__chaowenLive === true")
    assert marker(page) is None  # fixed: the page reloaded
    assert page.locator("h1").first.inner_text() == heading


def test_a_stylesheet_edit_restyles_the_page_without_a_reload(server: Serve, page: Page) -> None:
    override = server.site / "themes/default/static/style.css"
    original = (REPO_THEMES / "default/static/style.css").read_text(encoding="utf-8")
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(original, encoding="utf-8")
    try:
        open_page(page, server, ESSAY_URL)
        page.wait_for_timeout(300)  # let the rebuild for the new override settle
        page.evaluate("window.__marker = 1")
        override.write_text(original + "\nbody { background-color: rgb(1, 2, 3) !important; }\n", encoding="utf-8")
        page.wait_for_function("() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=5000)
        assert marker(page) == 1  # swapped in place, not reloaded
        assert page.locator('link[rel~="stylesheet"]').count() == 1  # the old sheet is gone
    finally:
        override.unlink()
        override.parent.rmdir()


def test_a_tab_reconnects_after_the_server_restarts(tmp_path: Path, page: Page) -> None:
    site = copy_example(tmp_path / "site")
    first = Serve(site)
    open_page(page, first, ESSAY_URL)
    assert first.stop(signal.SIGINT) == 0
    expect(page.locator("#chaowen-offline")).to_be_attached(timeout=5000)  # says it is not live any more
    sentence = f"重启之后的新内容{uuid.uuid4().hex[:6]}。"
    path = site / ESSAY
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    second = Serve(site, port=first.port)
    try:
        assert second.port == first.port
        expect(page.get_by_text(sentence)).to_be_visible(timeout=10000)
        expect(page.locator("#chaowen-offline")).to_have_count(0)
    finally:
        second.stop()


def test_the_overlay_shows_problem_text_as_text(server: Serve, page: Page) -> None:
    open_page(page, server, ESSAY_URL)
    edit(server.site, ESSAY, "track: iot", "track: <img src=x onerror=window.__owned=1>")
    try:
        overlay = page.locator("#chaowen-overlay")
        expect(overlay.locator(".message").first).to_contain_text("<img src=x", timeout=5000)
        assert page.evaluate("window.__owned") is None
        assert re.search(r"第 \d+ 行", overlay.locator(".place").first.inner_text())
    finally:
        edit(server.site, ESSAY, "track: <img src=x onerror=window.__owned=1>", "track: iot")
    expect(page.locator("#chaowen-overlay")).to_have_count(0, timeout=5000)


def test_replacing_an_image_reloads_the_page_that_shows_it(server: Serve, page: Page) -> None:
    image = server.site / "content/images/调研现场.png"
    original = image.read_bytes()
    open_page(page, server, "essays/chen-siyuan-linpu/")
    assert page.locator('img[src*="%E8%B0%83%E7%A0%94"], img[src*="调研"]').count() >= 1
    try:
        image.write_bytes((server.site / "content/images/line chart.png").read_bytes())
        page.wait_for_function("() => window.__marker === undefined && window.__chaowenLive === true", timeout=5000)
    finally:
        image.write_bytes(original)
