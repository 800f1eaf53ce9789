"""Searching the example journal in Chinese, in Chromium, the way a reader does.

The words were chosen from the example journal: each two-character word below
occurs in the body of exactly one essay of content/ (and in no title). They also
decide the Pagefind version: 1.5.0 and 1.5.2 find nothing for 芯片, 转诊 and 摇头,
1.4.0 (pinned in pyproject.toml) ranks the right essay first for every one.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import Page, expect

from chaowen.build import BuildOptions, build
from tests.conftest import NOW, SiteFactory
from tests.servers import static_server

pytestmark = pytest.mark.browser

SENSOR_ESSAY = "/essays/cong-yi-kuai-chuan-gan-qi-kan-chan-ye-lian/"  # 从一块传感器看产业链: 芯片 is in its body only
RECALL = {
    "芯片": SENSOR_ESSAY,
    "冷链": SENSOR_ESSAY,
    "转诊": "/essays/community-health-hut/",
    "阿姨": "/essays/community-health-hut/",
    "摇头": "/essays/zhou-yutong-dashboard/",
    "填埋": "/essays/wu-jianguo-recycling/",
    "坦言": "/essays/sun-liqun-battery/",
    "忽悠": "/essays/chen-siyuan-linpu/",
    "徒弟": "/essays/tan-xian-wei-fu-he-cai-liao-qi-ye-zou-fang/",
    "骨科": "/essays/yi-liao-qi-xie-cheng-guo-zhuan-hua/",
}
# Words and phrases of two to six characters, each in the text of only one or two documents of the example journal,
# while their characters and parts (产品, 质量, 二十) are in many: those documents must come first, and alone.
PHRASES = {
    "产品质量": {"/essays/sun-liqun-battery/"},
    "二十几个": {"/essays/wang-xiaoming-iot/"},
    "体育器材": {"/minutes/materials-salon-01/"},
    "聚丙烯腈": {"/essays/xin-cai-liao-chan-ye-diao-yan-xin-de/"},
    "电解液添加剂": {"/essays/sun-liqun-battery/", "/minutes/materials-salon-01/"},
}
ABSENT = "熊猫"  # in no document of the example journal
# 回收 is in the title of 碳纤维回收：一个被忽视的切入口 and in the body of minutes and essays about other things.
TITLE_WORD, TITLED_ESSAY = "回收", "/essays/wu-jianguo-recycling/"


# The engine search.js uses (all shards, merged), made in the page from the script's own data-engine.
ENGINE = """(async () => {
  const script = document.querySelector("script[data-engine]");
  const { createEngine } = await import(new URL(script.dataset.engine, script.src).href);
  return createEngine(new URL("../pagefind/", script.src).href, "zh-cn");
})()"""
# In exactly one document of each shard: 2026 (an issue), 2025 (an issue) and undated (a standalone page).
EVERY_SHARD = "联系"
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def results(page: Page) -> list[str]:
    """The result links shown, as paths."""
    hrefs = page.locator("#cw-search-results .item-title a").evaluate_all("links => links.map(a => a.href)")
    return [re.sub(r"^https?://[^/]+", "", href) for href in hrefs]


def found_count(page: Page, differing_from: str = "") -> int:
    """The number of results the status line reports, once a search has finished."""
    status = page.locator("#cw-search-status")
    expect(status).to_have_text(re.compile(r"找到 \d+ 条"))
    if differing_from:
        expect(status).not_to_have_text(differing_from)
        expect(status).to_have_text(re.compile(r"找到 \d+ 条"))
    return int(re.search(r"找到 (\d+) 条", status.inner_text()).group(1))  # type: ignore[union-attr]


def search(page: Page, words: str) -> None:
    """Type ``words`` into the search page's box and wait for the answer."""
    box = page.locator("#cw-search-q")
    box.fill("")
    box.press_sequentially(words, delay=20)
    expect(page.locator("#cw-search-status")).to_have_text(re.compile(f"(找到|没有找到).*{words}"))


def focus_and_warm_up(page: Page) -> list[str]:
    """Focus the search box, as a reader does first; wait until the engine has loaded and run its warm-up search.

    The warm-up searches the shard of undated pages, in the worker, where the page's network idleness does not
    look; it ends by unpacking a result. The paths the page requested meanwhile are returned.
    """
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlparse(request.url).path))
    with page.expect_request_finished(lambda request: "/pagefind/undated/fragment/" in request.url):
        page.locator("#cw-search-q").focus()
    page.wait_for_load_state("networkidle")
    return requested


def test_typing_a_chinese_word_shows_the_essay_that_contains_it(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    search(page, "芯片")
    assert results(page)[0] == SENSOR_ESSAY
    first = page.locator("#cw-search-results .search-result").first
    expect(first.locator(".item-title")).to_have_text("从一块传感器看产业链")
    expect(first.locator(".meta")).to_contain_text("学员心得")
    expect(first.locator(".meta")).to_contain_text("智能物联")
    expect(first.locator(".meta")).to_contain_text(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"))
    expect(first.locator(".excerpt mark").first).to_have_text("芯片")
    assert f"q={quote('芯片')}" in page.url  # the address can be shared
    page.locator("#cw-search-results a").first.click()
    expect(page.locator("h1")).to_have_text("从一块传感器看产业链")


def test_the_header_box_on_any_page_searches(page: Page, example_url: str) -> None:
    page.goto(example_url + "issues/1/")
    page.locator("#cw-q").fill("转诊")
    page.locator("#cw-q").press("Enter")
    expect(page.locator("#cw-search-status")).to_contain_text("找到")
    expect(page.locator("#cw-search-q")).to_have_value("转诊")
    assert results(page)[0] == "/essays/community-health-hut/"


def test_each_word_of_one_essay_finds_that_essay_first(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    found = page.evaluate(
        """async (words) => {
             const engine = await searchEngine();
             const out = {};
             let ticket = 0;
             for (const word of words) {
               const answer = await engine.search(++ticket, word, {}, 1);
               out[word] = answer.pages.length ? answer.pages[0].url : null;
             }
             return out;
           }""".replace("searchEngine()", ENGINE),
        list(RECALL),
    )
    assert found == RECALL  # every shard searched, the scores merged: the essay first whatever its year


def test_a_rare_word_or_phrase_finds_the_documents_that_contain_it_and_only_them(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    for words, urls in PHRASES.items():
        search(page, words)
        assert found_count(page) == len(urls), words
        assert set(results(page)) == urls, words
        marks = page.locator("#cw-search-results .excerpt mark").all_inner_texts()
        assert marks and set(marks) == {words}, marks  # the phrase highlighted whole, not character by character


def test_excerpts_read_as_the_documents_prose(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    search(page, "体育器材")  # in salon minutes, whose time, place, host and participants are facts, not text
    excerpt = page.locator("#cw-search-results .excerpt").first.inner_text()
    for fact in ("时间", "地点", "主持", "参与", "刘卫东"):
        assert fact not in excerpt, excerpt
    search(page, "工作了八年")  # the first words of an essay's body: the byline is not before them
    excerpt = page.locator("#cw-search-results .excerpt").first.inner_text()
    assert "赵海峰" not in excerpt and "瓜沥镇 在" not in excerpt, excerpt
    assert "在瓜沥镇工作了八年" in excerpt, excerpt
    expect(page.locator("#cw-search-results .meta").first).to_contain_text("赵海峰")  # shown as the author instead


def test_two_words_find_the_documents_with_both_and_the_phrase_first(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    search(page, "碳纤维 回收")
    found = results(page)
    assert found[0] == TITLED_ESSAY  # 碳纤维回收, as typed, in its title
    assert len(found) == found_count(page) >= 2


def test_a_rare_word_loads_the_index_of_only_the_years_that_hold_it(page: Page, example_url: str) -> None:
    requested: list[str] = []
    everything: list[str] = []
    page.on("request", lambda request: (requested.append(request.url), everything.append(request.url)))
    page.goto(example_url + "search/")
    focus_and_warm_up(page)
    requested.clear()
    # The word comes whole, as an input method commits it. Typed letter by letter, 产品 would be prefetched on the
    # way (it is in 2026 too), and whether that request goes out before 产品质 replaces it depends on the machine.
    page.keyboard.insert_text("产品质量")  # in one essay, of 2025
    expect(page.locator("#cw-search-status")).to_have_text(re.compile("找到.*产品质量"))
    assert results(page) == ["/essays/sun-liqun-battery/"]
    chunks = [url for url in requested if "/index/" in url and url.endswith(".pf_index")]
    assert chunks and all("/pagefind/2025/" in url for url in chunks), chunks
    assert any("/pagefind/routes/" in url and url.endswith(".pf_route") for url in requested)  # the router was asked
    # Pagefind's script and WebAssembly are fetched once, from the shared folder, not once per bundle
    engine = [urlparse(url).path for url in everything if "pagefind.js" in url or "/wasm." in url]
    assert engine == ["/pagefind/engine/pagefind.js", "/pagefind/engine/wasm.unknown.pagefind"], engine


def test_a_word_in_no_document_finds_nothing(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/?q=" + quote(ABSENT))
    expect(page.locator("#cw-search-status")).to_have_text(f"没有找到与“{ABSENT}”相关的内容。")
    assert results(page) == []


def test_a_title_word_ranks_its_document_above_body_only_matches(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    search(page, TITLE_WORD)
    found = results(page)
    assert len(found) >= 3, found  # it is in other documents' bodies too
    assert found[0] == TITLED_ESSAY


def test_a_track_filter_narrows_the_results(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    search(page, "企业")
    total = found_count(page)
    before = page.locator("#cw-search-status").inner_text()
    page.locator("select[name=track]").select_option("新材料")
    narrowed = found_count(page, differing_from=before)
    assert 0 < narrowed < total
    metas = page.locator("#cw-search-results .meta").all_inner_texts()
    assert metas and all("新材料" in meta for meta in metas)
    assert "track=" in page.url


def test_a_kind_filter_and_date_sorting(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/?q=" + quote("沙龙") + "&kind=" + quote("沙龙纪要") + "&sort=new")
    expect(page.locator("#cw-search-status")).to_contain_text("找到")
    metas = page.locator("#cw-search-results .meta").all_inner_texts()
    assert len(metas) >= 3 and all("沙龙纪要" in meta for meta in metas)
    dates = [tuple(map(int, re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", m).groups())) for m in metas]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)
    page.locator("select[name=sort]").select_option("old")
    expect(page.locator("#cw-search-results .meta").first).not_to_have_text(metas[0])
    oldest_first = page.locator("#cw-search-results .meta").all_inner_texts()
    dates = [tuple(map(int, re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", m).groups())) for m in oldest_first]  # type: ignore[union-attr]
    assert dates == sorted(dates)


def test_more_results_are_shown_on_request(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/?q=" + quote("企业"))
    expect(page.locator("#cw-search-results > li")).to_have_count(10)
    page.locator("#cw-search-more").click()
    expect(page.locator("#cw-search-results > li").nth(10)).to_be_visible()
    expect(page.locator("#cw-search-results > li").nth(10).locator("a")).to_be_focused()


def test_essay_pages_load_no_search_code(page: Page, example_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(example_url + SENSOR_ESSAY.lstrip("/"))
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "pagefind" in url or url.endswith(".js") or ".js?" in url]


def test_markup_in_a_document_is_shown_as_text_in_results(page: Page, make_site: SiteFactory, tmp_path: Path) -> None:
    root = make_site(
        {
            "content/essays/x.md": """\
                ---
                title: 一篇测试心得
                date: 2025-01-01
                author: 测试者
                track: iot
                ---
                正文提到标记 `<img src=x onerror="document.title='hacked'">` 与火锅。
                """
        }
    )
    build(BuildOptions(site_root=root, jobs=1), now=NOW)
    with static_server(root / "output") as url:
        page.goto(url + "search/?q=" + quote("火锅"))
        expect(page.locator("#cw-search-status")).to_contain_text("找到 1 条")
        excerpt = page.locator("#cw-search-results .excerpt")
        expect(excerpt).to_contain_text("onerror")  # shown as text …
        assert excerpt.locator("img").count() == 0  # … never made into an element
        assert page.title() != "hacked"


def test_pagefind_runs_in_a_worker(page: Page, example_url: str) -> None:
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(example_url + "search/?q=" + quote("芯片"))
    expect(page.locator("#cw-search-status")).to_contain_text("找到")
    assert [url for url in workers if "/static/search-worker.js?v=" in url]
    assert page.evaluate("typeof window.pagefind") == "undefined"


def test_without_module_workers_search_runs_on_the_page(page: Page, example_url: str) -> None:
    page.add_init_script("window.Worker = undefined;")
    page.goto(example_url + "search/?q=" + quote("芯片"))
    expect(page.locator("#cw-search-status")).to_contain_text("找到")
    assert results(page)[0] == SENSOR_ESSAY


def test_a_worker_that_cannot_start_falls_back_to_the_page(
    page: Page, example_url: str, console_errors: list[str]
) -> None:
    page.route("**/search-worker.js*", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(example_url + "search/?q=" + quote("芯片"))
    expect(page.locator("#cw-search-status")).to_contain_text("找到")
    assert results(page)[0] == SENSOR_ESSAY
    console_errors.clear()  # the browser reports the missing worker script itself


def show_all(page: Page, total: int) -> list[str]:
    """Click "more" until all `total` results are listed; the meta lines of all of them.

    Counting up to the known total, instead of stopping when "more" is not visible, waits for a list that is
    still being redrawn (after the sort order changes) rather than reading it half done.
    """
    items = page.locator("#cw-search-results > li")
    more = page.locator("#cw-search-more")
    expect(items.first).to_be_visible()
    while (shown := items.count()) < total:
        expect(more).to_be_visible()
        more.click()
        expect(items.nth(shown)).to_be_visible()
    expect(more).to_be_hidden()
    return page.locator("#cw-search-results .meta").all_inner_texts()


def dates_of(metas: list[str]) -> list[tuple[int, ...]]:
    return [tuple(map(int, m.groups())) for meta in metas if (m := DATE.search(meta))]


def test_date_order_runs_across_the_yearly_shards(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/?q=" + quote("企业") + "&sort=new")
    total = found_count(page)
    newest_first = show_all(page, total)
    assert len(newest_first) == total > 10  # more than one screen: "more" continues the merged list
    dates = dates_of(newest_first)
    assert {d[0] for d in dates} == {2025, 2026}, dates  # documents of both shards …
    assert dates == sorted(dates, reverse=True)  # … in one date order, newest first
    assert dates_of(newest_first[: len(dates)]) == dates  # pages without a date, if any, come last
    page.locator("select[name=sort]").select_option("old")
    expect(page.locator("#cw-search-results .meta").first).not_to_have_text(newest_first[0])
    oldest_first = show_all(page, total)
    assert dates_of(oldest_first) == sorted(dates) and len(oldest_first) == total


def test_relevance_search_finds_documents_in_every_shard(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/?q=" + quote(EVERY_SHARD))
    assert found_count(page) == 3
    found = results(page)
    shards = page.evaluate("""async () => (await (await fetch("../pagefind/shards.json")).json()).shards""")
    assert shards == ["2026", "2025", "undated"]
    years = sorted(d[0] for d in dates_of(page.locator("#cw-search-results .meta").all_inner_texts()))
    assert years == [2025, 2026], found  # one of each year's shard …
    assert "/about/" in found  # … and the standalone page, in the undated shard


def test_a_keystroke_loads_the_route_and_the_years_it_names_before_the_search(page: Page, example_url: str) -> None:
    requested: list[str] = []
    page.goto(example_url + "search/")
    focus_and_warm_up(page)
    page.on("request", lambda request: requested.append(urlparse(request.url).path))
    page.evaluate("() => { window.setTimeout = () => 0; }")  # the pause never ends: no search runs
    meta_of_2025 = re.compile(r"/pagefind/2025/pagefind\.[^/]*\.pf_meta$")
    with page.expect_request_finished(lambda request: bool(meta_of_2025.search(request.url))):
        page.locator("#cw-search-q").press_sequentially("产品质量", delay=20)  # in one essay, of 2025
    page.wait_for_timeout(500)  # for a request that should not come
    assert any(path.startswith("/pagefind/routes/") for path in requested), requested
    assert not [path for path in requested if path.endswith((".pf_index", ".pf_fragment"))]  # left to the search
    assert page.locator("#cw-search-status").text_content() == ""


def test_focusing_the_box_warms_the_engine_up_on_the_undated_pages_only(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    requested = focus_and_warm_up(page)
    index = [path for path in requested if path.endswith((".pf_index", ".pf_fragment"))]
    assert index and all(path.startswith("/pagefind/undated/") for path in index), index  # a few KB, no year's
    assert not [path for path in requested if path.startswith("/pagefind/routes/")]  # nothing typed yet
    search(page, "芯片")  # the engine, warmed up, searches as before
    assert results(page)[0] == SENSOR_ESSAY


def test_a_word_committed_at_once_is_searched_without_the_pause(page: Page, example_url: str) -> None:
    page.goto(example_url + "search/")
    box = page.locator("#cw-search-q")
    box.focus()
    page.wait_for_load_state("networkidle")
    page.evaluate(
        "() => { window.__timeouts = []; const set = window.setTimeout; "
        "window.setTimeout = (f, ms, ...a) => { window.__timeouts.push(ms); return set(f, ms, ...a); }; }"
    )
    page.keyboard.insert_text("产品质量")  # as an input method commits a word: one input event
    expect(page.locator("#cw-search-status")).to_contain_text("找到")
    assert results(page) == ["/essays/sun-liqun-battery/"]
    assert page.evaluate("window.__timeouts")[:1] == [0]
    box.fill("")
    box.press_sequentially("产品", delay=20)  # key by key: the pause after the last key
    expect(page.locator("#cw-search-status")).to_contain_text("产品")
    assert 60 in page.evaluate("window.__timeouts")
