"""The built site on real hosts: under /chaowen/ behind nginx, and as an offline copy opened from file://.

The nginx test uses docs/nginx-chaowen.conf as committed (only its ``root`` is
pointed at the build), so the configuration the README gives is the one tested.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from chaowen.build import BuildOptions, build
from tests.conftest import NOW, REPO
from tests.servers import nginx, static_server

pytestmark = pytest.mark.browser

BASE_URL = "https://example.org/chaowen/"
SENSOR_ESSAY = "essays/cong-yi-kuai-chuan-gan-qi-kan-chan-ye-lian/"
SENSOR_TITLE = "从一块传感器看产业链"
PAGE_BACKGROUND = "rgb(251, 250, 247)"  # --bg of style.css (light): the stylesheet was found and applied
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def styled(page: Page) -> bool:
    return page.evaluate("getComputedStyle(document.body).backgroundColor") == PAGE_BACKGROUND


# ------------------------------------------------------------------ nginx, /chaowen/
@pytest.fixture(scope="module")
def nginx_url(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example journal built for https://example.org/chaowen/ and served by nginx under /chaowen/."""
    work = tmp_path_factory.mktemp("nginx")
    build(BuildOptions(site_root=example_site, output=work / "www" / "chaowen", base_url=BASE_URL, jobs=1), now=NOW)
    with nginx(work / "www", work / "nginx") as url:
        yield url + "chaowen/"


def test_under_a_subpath_readers_navigate_and_search(page: Page, nginx_url: str) -> None:
    page.goto(nginx_url)
    expect(page.locator("h1")).to_have_text("潮闻")
    assert styled(page)
    page.locator(".site-nav").get_by_role("link", name="期刊", exact=True).click()
    expect(page).to_have_url(nginx_url + "issues/")
    expect(page.locator("h1")).to_have_text("期刊")
    page.locator(".site-nav").get_by_role("link", name="智能物联").click()
    expect(page).to_have_url(nginx_url + "tracks/iot/")
    expect(page.locator("h1")).to_have_text("智能物联")
    page.get_by_role("link", name=SENSOR_TITLE).first.click()
    expect(page).to_have_url(nginx_url + SENSOR_ESSAY)
    expect(page.locator("article h1")).to_have_text(SENSOR_TITLE)
    assert styled(page)
    page.locator("#cw-q").fill("转诊")
    page.locator("#cw-q").press("Enter")
    expect(page).to_have_url(re.compile(re.escape(nginx_url + "search/?q=")))
    first = page.locator("#cw-search-results .item-title a").first
    expect(first).to_have_js_property("href", nginx_url + "essays/community-health-hut/")
    first.click()
    expect(page.locator("article h1")).to_have_text("一间健康小屋的三个月")


def test_under_a_subpath_feeds_and_the_sitemap_point_at_pages_that_exist(page: Page, nginx_url: str) -> None:
    served = nginx_url.removesuffix("chaowen/")

    def fetch(absolute: str) -> bytes:
        assert absolute.startswith(BASE_URL), absolute
        response = page.request.get(served + absolute.removeprefix("https://example.org/"))
        assert response.status == 200, absolute
        return response.body()

    feed = ET.fromstring(fetch(BASE_URL + "atom.xml"))
    entries = [link.get("href", "") for link in feed.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    sitemap = ET.fromstring(fetch(BASE_URL + "sitemap.xml"))
    locations = [loc.text or "" for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert len(entries) > 10 and len(locations) > 40
    for url in [*entries, *locations]:
        fetch(url)


def test_under_a_subpath_missing_pages_get_the_404_page(page: Page, nginx_url: str, console_errors: list[str]) -> None:
    response = page.goto(nginx_url + "essays/no-such-essay/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    assert styled(page)
    console_errors.clear()  # the browser reports the 404 itself
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(nginx_url)


def test_under_a_subpath_folders_without_a_slash_redirect(page: Page, nginx_url: str) -> None:
    response = page.goto(nginx_url.rstrip("/"))
    assert response is not None and response.status == 200
    expect(page).to_have_url(nginx_url)
    page.goto(nginx_url + "tracks/iot")
    expect(page).to_have_url(nginx_url + "tracks/iot/")


def test_an_essay_page_transfers_under_60_kb(page: Page, nginx_url: str, example_site: Path) -> None:
    """HTML + CSS + JS of the longest essay, as the browser fetched them (no search is loaded there)."""
    essays = sorted((example_site / "output/essays").glob("*/index.html"), key=lambda p: p.stat().st_size)
    longest = essays[-1].parent.name
    sizes: dict[str, int] = {}
    for label, url in (("nginx", nginx_url), ("uncompressed", None)):
        if url is None:
            with static_server(example_site / "output") as plain:
                sizes[label] = _transfer(page, plain + f"essays/{longest}/")
        else:
            sizes[label] = _transfer(page, url + f"essays/{longest}/")
    print(f"essay page transfer: {sizes}")
    assert sizes["nginx"] < 60 * 1024 and sizes["uncompressed"] < 60 * 1024


def _transfer(page: Page, url: str) -> int:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(
        """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
                 .map(e => [e.name, e.initiatorType, e.transferSize])"""
    )
    assert not [name for name, _, _ in entries if "pagefind" in name]
    counted = [size for name, kind, size in entries if kind in ("navigation", "link", "script", "css")]
    assert len(counted) >= 2 and all(size > 0 for size in counted)  # the page and its stylesheet, from the network
    return int(sum(counted))


# ------------------------------------------------------------- offline copy, file://
@pytest.fixture(scope="module")
def offline(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``chaowen build --relative``, run as a reader would run it."""
    out = tmp_path_factory.mktemp("offline") / "output"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "chaowen",
            "build",
            "--site",
            str(example_site),
            "--output",
            str(out),
            "--relative",
            "-q",
        ],
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return out


def relative_links_are_files(page: Page) -> list[str]:
    """Internal links on the page that are absolute or end in a folder (which file:// cannot open)."""
    hrefs = page.locator("a[href], link[href], form[action]").evaluate_all(
        "els => els.map(e => e.getAttribute('href') ?? e.getAttribute('action'))"
    )
    bad = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or href.startswith("#"):
            continue
        if href.startswith("/") or not re.search(r"\.[a-z0-9]+$", parts.path):
            bad.append(href)
    return bad


def test_the_offline_copy_browses_from_file_urls(page: Page, offline: Path) -> None:
    page.goto((offline / "index.html").as_uri())
    assert styled(page)
    assert relative_links_are_files(page) == []
    page.locator(".site-nav").get_by_role("link", name="智能物联").click()
    expect(page).to_have_url((offline / "tracks/iot/index.html").as_uri())
    assert relative_links_are_files(page) == []
    page.get_by_role("link", name=SENSOR_TITLE).first.click()
    expect(page).to_have_url((offline / SENSOR_ESSAY / "index.html").as_uri())
    expect(page.locator("article h1")).to_have_text(SENSOR_TITLE)
    assert styled(page)
    assert relative_links_are_files(page) == []
    page.locator(".doc-tags a").first.click()
    expect(page).to_have_url(re.compile(r"/tags/[a-z0-9-]+/index\.html$"))
    page.locator(".site-nav").get_by_role("link", name="首页").click()
    expect(page).to_have_url((offline / "index.html").as_uri())


def test_the_offline_copy_says_search_needs_a_web_server(page: Page, offline: Path) -> None:
    page.goto((offline / SENSOR_ESSAY / "index.html").as_uri())
    page.locator("#cw-q").fill("芯片")
    page.locator("#cw-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/index\.html\?q="))
    notice = page.locator("#cw-search-offline")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("file://")
    expect(notice).to_contain_text("网站服务器")
    expect(page.locator("#cw-search-q")).to_be_disabled()
    expect(page.locator("#cw-search-status")).to_contain_text("搜索不可用")


def test_the_offline_copy_searches_when_served(page: Page, offline: Path) -> None:
    """Copied to any folder of a web server instead, the same files search, and results name index.html."""
    with static_server(offline.parent) as url:
        page.goto(url + "output/search/index.html?q=" + quote("芯片"))
        expect(page.locator("#cw-search-offline")).to_be_hidden()
        first = page.locator("#cw-search-results .item-title a").first
        expect(first).to_have_js_property("href", url + "output/" + SENSOR_ESSAY + "index.html")
        first.click()
        expect(page.locator("article h1")).to_have_text(SENSOR_TITLE)
