"""The default theme's layout, measured in Chromium at a 360 px phone and a 1280×900 desktop.

What a reader would notice: a page wider than the screen, the tracks hidden below the first screen of the
front page, the page background showing under the footer of a short page, a separator (·) starting a line,
a header that eats the phone's screen, and charts without their numbers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PAGES = {
    "home": "",
    "issue": "issues/1/",
    "issues": "issues/",
    "essay": "essays/cong-yi-kuai-chuan-gan-qi-kan-chan-ye-lian/",
    "minutes": "minutes/iot-salon-01/",
    "track": "tracks/iot/",
    "archive": "archive/",
    "archive-year": "archive/2025/",
    "stats": "stats/",
    "tags": "tags/",
    "authors": "authors/",
    "page": "about/",
    "search": "search/",
    "404": "404.html",
}

# Lines of short facts and titles, where a separator must stay with the item before it.
SEPARATOR_CHECK = """
(selector) => {
  const isSep = (text) => /[·•|｜]/.test(text || "");
  const bad = [];
  const name = (el) => (el.className || el.tagName) + ": " + el.textContent.trim().slice(0, 40);
  for (const box of document.querySelectorAll(selector)) {
    if (!box.getClientRects().length) continue;
    const kids = [...box.children].filter((k) => k.getClientRects().length);
    kids.forEach((kid, i) => {
      const rect = kid.getBoundingClientRect();
      const before = getComputedStyle(kid, "::before").content;
      if (before !== "none" && before !== "normal" && isSep(before)) {
        const prev = kids[i - 1];
        if (!prev || rect.top >= prev.getBoundingClientRect().bottom - 2) bad.push("starts a line: " + name(kid));
      }
      const after = getComputedStyle(kid, "::after").content;
      if (after !== "none" && after !== "normal" && isSep(after)) {
        // The separator ends the item: were it pushed to a line of its own, the item would have
        // one line more than its text.
        const range = document.createRange();
        range.selectNodeContents(kid);
        const textLines = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom))).size;
        const lines = Math.round(rect.height / parseFloat(getComputedStyle(kid).lineHeight));
        if (textLines && lines > textLines) bad.push("separator alone on a line: " + name(kid));
      }
    });
    // Separators written in the text: the character before one must be on the same line.
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let previous = null;
    for (let node; (node = walker.nextNode()); ) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\\s/.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (isSep(node.data[i]) && (!previous || rect.top >= previous.bottom - 2)) {
          bad.push("starts a line: " + name(box));
        }
        previous = rect;
      }
    }
  }
  return bad;
}
"""
META_LINES = ".meta, .item-title, .dateline, .figures, .toc-list li, .contents li, .dated li, .prevnext .title"


@pytest.fixture(params=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return PHONE if request.param == "phone" else DESKTOP


@pytest.fixture
def tab(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def overflow(page: Page) -> int:
    """How far the page is wider than the window, in CSS pixels."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_no_page_is_wider_than_the_screen(tab: Page, example_url: str) -> None:
    wide = {}
    for name, path in PAGES.items():
        tab.goto(example_url + path)
        wide[name] = overflow(tab)
    assert wide == {name: 0 for name in PAGES}


def test_no_line_starts_with_a_separator(tab: Page, example_url: str) -> None:
    found = {}
    for name, path in PAGES.items():
        tab.goto(example_url + path)
        found[name] = tab.evaluate(SEPARATOR_CHECK, META_LINES)
    assert found == {name: [] for name in PAGES}


@pytest.mark.parametrize("path", ["404.html", "archive/2026/", "search/"])
def test_the_footer_ends_a_short_page_at_the_bottom_of_the_window(tab: Page, example_url: str, path: str) -> None:
    tab.goto(example_url + path)
    footer_bottom, document_height, window_height = tab.evaluate(
        """() => [document.querySelector(".site-footer").getBoundingClientRect().bottom + scrollY,
                  document.documentElement.scrollHeight, innerHeight]"""
    )
    assert abs(footer_bottom - document_height) <= 1  # nothing of the page shows below the footer
    assert footer_bottom >= window_height - 1


def test_the_tracks_are_on_the_first_screen_of_the_front_page(browser: Browser, example_url: str) -> None:
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto(example_url)
        cards = page.evaluate(
            """() => [...document.querySelectorAll(".track-card")].map((card) => {
                 const r = card.getBoundingClientRect();
                 return [card.querySelector("h3").textContent, r.top, r.bottom, r.width];
               })"""
        )
    finally:
        context.close()
    assert [name for name, *_ in cards] == ["智能物联", "生命健康", "新材料"]
    for name, top, bottom, width in cards:
        assert top > 0 and bottom <= DESKTOP["height"], f"{name} is not on the first screen ({top}–{bottom})"
        assert width == pytest.approx(cards[0][3], abs=1), "the tracks are not given equal weight"
    assert len({round(top) for _, top, _, _ in cards}) == 1, "the tracks are not side by side"


def test_the_front_page_uses_the_width_of_a_desktop(browser: Browser, example_url: str) -> None:
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto(example_url)
        width = page.evaluate("document.querySelector('.front').getBoundingClientRect().width")
        titles = page.locator("h1").all_inner_texts()
    finally:
        context.close()
    assert width >= 1100
    assert titles == ["潮闻"]  # the masthead, once


def test_the_header_is_one_short_row_on_a_phone(browser: Browser, example_url: str) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto(example_url + "issues/1/")
        header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
        nav = page.evaluate(
            """() => { const n = document.querySelector('.site-nav');
                       return [n.scrollWidth > n.clientWidth, getComputedStyle(n).overflowX]; }"""
        )
        page.goto(example_url + "search/")
        boxes = page.locator("input[type=search]").count()
    finally:
        context.close()
    assert header <= 60
    assert nav == [True, "auto"]  # the links that do not fit scroll sideways
    assert boxes == 1  # the search page has no second box in its header


def test_the_stats_page_draws_each_chart_with_its_table(tab: Page, example_url: str) -> None:
    tab.goto(example_url + "stats/")
    charts = tab.evaluate(
        """() => [...document.querySelectorAll(".chart")].map((c) => [
             c.querySelector("h2").textContent,
             c.querySelectorAll("svg .bar").length,
             c.querySelectorAll("table tbody tr").length,
             c.querySelector("svg").getAttribute("aria-hidden"),
             c.querySelector("svg").getBoundingClientRect().height])"""
    )
    assert [title for title, *_ in charts] == [
        "每期收录篇数",
        "各赛道篇数",
        "每月发表篇数",
        "各单位学员心得篇数",
        "最活跃的作者",
        "常用标签",
    ]
    for title, bars, rows, hidden, height in charts:
        assert bars > 0 and rows >= bars, title  # a month without documents has a row and no bar
        assert hidden == "true", title  # screen readers get the table instead
        assert height > 50, title
    # the example journal's three issues hold 8, 9 and 5 published essays and minutes
    issues = tab.locator("#cw-chart-issue tbody tr td").all_inner_texts()
    assert issues == ["8", "9", "5"]
