"""The search stage on small inputs: which pages it indexes, under which URLs, when it keeps an index, how it fails."""

from __future__ import annotations

import asyncio
import base64
import gc
import gzip
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chaowen import search
from chaowen.errors import BuildError
from chaowen.model import Document, Kind, Output, SiteConfig
from chaowen.search import (
    FOLDER,
    SHARDS,
    UNDATED,
    index_site,
    indexed_pages,
    result_url,
    run_pagefind,
    search_shards,
    shard_order,
)
from chaowen.site import build_site
from tests.conftest import NOW


def _run(coroutine: Any) -> Any:
    """asyncio.run in a thread of its own: a browser test in the same process may hold a running loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def html(title: str, body: str, *, indexed: bool = True) -> bytes:
    marker = " data-pagefind-body" if indexed else ""
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><nav>导航</nav><article{marker}><h1>{title}</h1><p>{body}</p></article></body></html>"
    ).encode()


def test_result_urls_are_site_root_relative() -> None:
    assert result_url("index.html") == "/"
    assert result_url("essays/foo/index.html") == "/essays/foo/"
    assert result_url("404.html") == "/404.html"
    assert result_url("essays/foo/index.html", relative=True) == "/essays/foo/index.html"


def test_only_html_pages_that_mark_their_text_are_indexed(tmp_path: Path) -> None:
    (tmp_path / "essays/kept").mkdir(parents=True)
    (tmp_path / "essays/kept/index.html").write_bytes(html("留下的", "上次构建的页面"))
    pages = [
        Output("essays/new/index.html", html("新的", "正文")),
        Output("essays/kept/index.html", None),  # unchanged: read from the output folder
        Output("tracks/iot/index.html", html("赛道", "列表", indexed=False)),
        Output("atom.xml", b"<feed data-pagefind-body/>"),
    ]
    found = indexed_pages(pages, tmp_path)
    assert [url for url, _ in found] == ["/essays/kept/", "/essays/new/"]
    assert "上次构建的页面" in found[0][1]


def test_pagefind_indexes_chinese_pages_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be written anywhere
    files = _run(run_pagefind([("/a/", html("电池", "新能源电池材料").decode())]))
    entry = json.loads(files["pagefind-entry.json"])
    assert entry["languages"]["zh-cn"]["page_count"] == 1
    assert "pagefind.js" in files and any(name.startswith("fragment/") for name in files)
    assert list(tmp_path.iterdir()) == []


def test_indexing_is_not_throttled_by_the_service_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stock client sleeps 0.1 s before reading each reply (60 pages: 6 s); ours reads replies as they come."""
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(delay: float, *args: Any, **kwargs: Any) -> Any:
        pauses.append(delay)
        return await real_sleep(delay, *args, **kwargs)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    documents = [(f"/p{n}/", html(f"第{n}篇", f"内容{n} 企业 调研").decode()) for n in range(60)]
    files = _run(run_pagefind(documents))
    assert json.loads(files["pagefind-entry.json"])["languages"]["zh-cn"]["page_count"] == 60
    assert [p for p in pauses if p > 0] == []


def fragments(files: dict[str, bytes]) -> list[dict[str, Any]]:
    """The pages Pagefind stored (url, content, meta, filters), from the fragment files of one bundle."""
    found = []
    for name, data in files.items():
        if name.startswith("fragment/"):
            text = gzip.decompress(data)
            found.append(json.loads(text[text.index(b"{") :]))
    return sorted(found, key=lambda f: f["url"])


def test_chinese_text_is_indexed_one_character_to_a_word() -> None:
    page = html("标题", "产品质量稳定，AGV小车用 5G 专网。").decode()
    (fragment,) = fragments(_run(run_pagefind([("/a/", page)])))
    words = fragment["content"].split("\u200b")
    assert "产" in words and "品" in words and "产品" not in words and "质量" not in words
    assert fragment["content"].replace("\u200b", "") == "标题. 产品质量稳定，AGV小车用 5G 专网。"


def test_word_boundaries_go_between_chinese_characters_only_in_text() -> None:
    page = (
        '<h1 data-pagefind-weight="10">标题</h1>\n<p title="属性">产品，AGV小车 3 号线<a href="/a">链接</a>。</p>'
        '<span data-pagefind-meta="author"><a>王晓明</a></span><a data-pagefind-filter="track">新材料</a>'
    )
    z = "\u200b"
    assert search.separate_han(page) == (
        f'<h1 data-pagefind-weight="10">标{z}题</h1>\n<p title="属性">产{z}品{z}，AGV{z}小{z}车 3 号{z}线'
        f'<a href="/a">{z}链{z}接</a>。</p><span data-pagefind-meta="author"><a>王晓明</a></span>'
        '<a data-pagefind-filter="track">新材料</a>'
    )
    assert search.separate_han("<p>plain text, 1 2 3</p>") == "<p>plain text, 1 2 3</p>"


def test_filter_and_metadata_values_keep_their_text() -> None:
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><head><title>t</title></head><body><article data-pagefind-body>'
        '<h1>碳纤维</h1><p data-pagefind-ignore><span data-pagefind-meta="author">赵海峰</span>'
        '<a data-pagefind-filter="track" data-pagefind-meta="track">新材料</a></p><p>正文</p></article></body></html>'
    )
    (fragment,) = fragments(_run(run_pagefind([("/a/", page)])))
    assert fragment["filters"] == {"track": ["新材料"]}
    assert fragment["meta"]["author"] == "赵海峰" and fragment["meta"]["track"] == "新材料"
    assert "赵海峰" not in fragment["content"].replace("\u200b", "")  # metadata, not text of the excerpt


def test_the_index_is_written_under_pagefind_without_the_unused_interfaces(tmp_path: Path) -> None:
    index = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path / "out", {})
    paths = [o.path for o in index.outputs]
    assert all(p.startswith(FOLDER) for p in paths)
    bundle = f"{FOLDER}{UNDATED}/"  # a page the build did not place in a year
    engine = f"{FOLDER}{search.ENGINE}/"  # Pagefind's script and WebAssembly, once for every bundle
    assert f"{bundle}pagefind-entry.json" in paths and SHARDS in paths and f"{bundle}pagefind.js" not in paths
    assert {f"{engine}pagefind.js", f"{engine}wasm.unknown.pagefind"} <= set(paths)
    assert all(p.startswith((bundle, engine)) for p in paths if p != SHARDS)
    assert not [p for p in paths if "-ui." in p or "highlight" in p]
    assert index.pages == 1 and index.size == sum(len(o.content or b"") for o in index.outputs)
    assert set(index.entries) == set(paths) and not index.kept and index.made == (UNDATED,)


def shards_listed(index: search.SearchIndex) -> list[str]:
    listing = next(o.content for o in index.outputs if o.path == SHARDS)
    assert listing is not None
    return list(json.loads(listing)["shards"])


def test_shards_are_listed_newest_year_first_and_undated_last() -> None:
    assert shard_order(["2019", UNDATED, "2025", "2020", "2025"]) == ["2025", "2020", "2019", UNDATED]


def test_each_shard_is_a_bundle_of_its_own_pages(tmp_path: Path) -> None:
    pages = [
        Output("a/index.html", html("甲", "二〇二五年的文章")),
        Output("b/index.html", html("乙", "二〇二六年的文章")),
        Output("about/index.html", html("关于", "没有日期的页面")),
        Output("tags/x/index.html", html("标签", "不索引的列表", indexed=False)),
    ]
    shards = {"a/index.html": "2025", "b/index.html": "2026", "tags/x/index.html": "2026"}
    index = index_site(pages, tmp_path, {}, shards=shards)
    assert shards_listed(index) == ["2026", "2025", UNDATED]
    assert index.pages == 3 and sorted(index.made) == ["2025", "2026", UNDATED]
    for name, count in [("2026", 1), ("2025", 1), (UNDATED, 1)]:
        entry = next(o.content for o in index.outputs if o.path == f"{FOLDER}{name}/pagefind-entry.json")
        assert json.loads(entry or b"")["languages"]["zh-cn"]["page_count"] == count, name


def test_only_the_shard_of_a_changed_page_is_indexed_again(tmp_path: Path) -> None:
    shards = {"a/index.html": "2025", "b/index.html": "2026"}
    pages = [Output("a/index.html", html("甲", "正文")), Output("b/index.html", html("乙", "正文"))]
    prints = {"a/index.html": "1", "b/index.html": "1"}
    first = index_site(pages, tmp_path, {}, shards=shards, fingerprints=prints)
    write(tmp_path, first.outputs + tuple(pages))
    changed = [Output("a/index.html", html("甲", "改过的正文")), Output("b/index.html", None)]
    again = index_site(changed, tmp_path, first.entries, shards=shards, fingerprints={**prints, "a/index.html": "2"})
    assert again.made == ("2025",) and not again.kept and again.pages == 2
    kept = (f"{FOLDER}2026/", f"{FOLDER}{search.ENGINE}/")  # the engine's files are the same: kept
    assert all((o.content is None) == o.path.startswith(kept) for o in again.outputs if o.path != SHARDS)
    assert {p: e for p, e in again.entries.items() if "/2026/" in p} == {
        p: e for p, e in first.entries.items() if "/2026/" in p
    }
    assert all(e.state == "1" for p, e in again.entries.items() if "/2025/" in p or "/2026/" in p)  # pages per shard
    assert any(o.content for o in again.outputs if o.path.startswith(f"{FOLDER}{search.ROUTES}/"))  # made again


def test_the_router_tells_which_shards_hold_a_pair_of_characters(tmp_path: Path) -> None:
    pages = [Output("a/index.html", html("甲", "水獭出没")), Output("b/index.html", html("乙", "水库<b>獭</b>"))]
    index = index_site(pages, tmp_path, {}, shards={"a/index.html": "2025", "b/index.html": "2026"})
    listing = json.loads(next(o.content for o in index.outputs if o.path == SHARDS) or b"")
    assert listing["shards"] == ["2026", "2025"] and listing["routes"] == 1 and listing["engine"] == "unknown"
    router = {o.path: o.content for o in index.outputs if o.path.startswith(f"{FOLDER}{search.ROUTES}/")}
    assert list(router) == [f"{FOLDER}{search.ROUTES}/0.pf_route"]
    buckets = route_bucket(router[f"{FOLDER}{search.ROUTES}/0.pf_route"] or b"")
    holders = {text[i : i + 2]: key for key, text in buckets.items() for i in range(0, len(text), 2)}
    assert holders["水獭"] == "1" and holders["水库"] == "0" and holders["库獭"] == "0"  # across a tag, too
    assert holders["甲水"] == "1" and "乙水" not in holders.get("甲水", "")  # the title's text counts


def test_router_buckets_are_small_and_read_back(tmp_path: Path) -> None:
    from chaowen import search_router

    pairs = {"2026": {chr(0x4E00 + i) + chr(0x4E00 + i + 1) for i in range(3000)}, "2025": {"水獭", "𠀀水"}}
    buckets, files = search_router.route_files(["2026", "2025"], pairs)
    assert buckets == len(files) > 1 and max(map(len, files.values())) < search_router.BUCKET_BYTES
    assert search_router.read_pairs(files, ["2026", "2025"]) == pairs  # a character outside the BMP too
    number = search_router.bucket_of("水獭", buckets)
    assert "水獭" in route_bucket(files[f"{number}.pf_route"])["1"]
    assert (ord("水") * 1_000_003 + ord("獭")) % buckets == number  # as search-engine.js computes it


def test_a_kept_shard_is_routed_from_the_previous_router_without_reading_its_pages(tmp_path: Path) -> None:
    shards = {"a/index.html": "2025", "b/index.html": "2026"}
    pages = [Output("a/index.html", html("甲", "水獭")), Output("b/index.html", html("乙", "松鼠"))]
    prints = {"a/index.html": "1", "b/index.html": "1"}
    first = index_site(pages, tmp_path, {}, shards=shards, fingerprints=prints)
    write(tmp_path, first.outputs)  # the pages themselves are not on disk: reading 2026's would fail
    changed = [Output("a/index.html", html("甲", "河狸")), Output("b/index.html", None)]
    again = index_site(changed, tmp_path, first.entries, shards=shards, fingerprints={**prints, "a/index.html": "2"})
    assert again.made == ("2025",)
    router = "".join(
        "".join(route_bucket(o.content or b"").values())
        for o in again.outputs
        if o.path.startswith(f"{FOLDER}{search.ROUTES}/")
    )
    assert "松鼠" in router and "河狸" in router and "水獭" not in router


def route_bucket(data: bytes) -> dict[str, str]:
    """A bucket of the router, unpacked as the search page unpacks it (Pagefind's format: gzip, signature, data)."""
    text = gzip.decompress(data)
    assert text.startswith(b"pagefind_dcd")
    return dict(json.loads(text[12:]))


def test_one_shard_needs_no_router(tmp_path: Path) -> None:
    index = index_site([Output("a/index.html", html("甲", "水獭"))], tmp_path, {}, shards={"a/index.html": "2025"})
    assert not [o for o in index.outputs if f"/{search.ROUTES}/" in o.path]
    assert "routes" not in json.loads(next(o.content for o in index.outputs if o.path == SHARDS) or b"")


def test_the_files_do_not_depend_on_how_many_shards_are_indexed_at_once(tmp_path: Path) -> None:
    pages = [Output(f"p{n}/index.html", html(f"第{n}篇", f"内容{n} 企业")) for n in range(12)]
    shards = {page.path: str(2015 + n % 4) for n, page in enumerate(pages)}
    serial = index_site(pages, tmp_path, {}, shards=shards, jobs=1)
    parallel = index_site(pages, tmp_path, {}, shards=shards, jobs=4)
    assert serial.outputs == parallel.outputs and serial.entries == parallel.entries
    assert len(serial.made) == 4 and shards_listed(serial) == ["2018", "2017", "2016", "2015"]


def test_at_most_jobs_pagefind_processes_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    running, most = 0, 0

    async def fake(documents: Any, config: Any = None, pairs: Any = None) -> dict[str, bytes]:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.02)
        running -= 1
        return {"pagefind.js": str(len(documents)).encode()}

    monkeypatch.setattr(search, "run_pagefind", fake)
    shards = {str(year): [("/a/", "")] * (year - 2000) for year in range(2010, 2017)}
    made = _run(search.run_shards(shards, 3))
    assert most == 3 and made == {name: {"pagefind.js": str(len(d)).encode()} for name, d in shards.items()}


def write(folder: Path, outputs: tuple[Output, ...]) -> None:
    for output in outputs:
        target = folder / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.content or b"")


def test_an_index_made_from_the_same_pages_is_kept(tmp_path: Path) -> None:
    pages = [Output("a/index.html", html("标题", "正文"))]
    first = index_site(pages, tmp_path, {})
    write(tmp_path, first.outputs)
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_bytes(pages[0].content or b"")
    again = index_site([Output("a/index.html", None)], tmp_path, first.entries)
    assert again.kept and again.made == () and all(o.content is None for o in again.outputs if o.path != SHARDS)
    assert [o.path for o in again.outputs] == [o.path for o in first.outputs]
    assert again.size == first.size


def test_a_changed_page_or_a_damaged_index_is_indexed_again(tmp_path: Path) -> None:
    first = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    write(tmp_path, first.outputs)
    changed = index_site([Output("a/index.html", html("标题", "改过的正文"))], tmp_path, first.entries)
    engine = f"{FOLDER}{search.ENGINE}/"  # the same binary's script and WebAssembly: kept
    assert not changed.kept and all(bool(o.content) != o.path.startswith(engine) for o in changed.outputs)
    (tmp_path / FOLDER / UNDATED / "pagefind-entry.json").write_text("damaged")
    damaged = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, first.entries)
    assert not damaged.kept


def test_a_missing_engine_is_made_again_while_the_shards_are_kept(tmp_path: Path) -> None:
    first = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    write(tmp_path, first.outputs)
    (tmp_path / FOLDER / search.ENGINE / "pagefind.js").unlink()
    again = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, first.entries)
    assert again.made == () and again.pages == 1  # no shard indexed again, only a page for the engine's files
    made = {o.path: o.content for o in again.outputs if o.content is not None}
    assert set(made) == {
        f"{FOLDER}{search.ENGINE}/pagefind.js",
        f"{FOLDER}{search.ENGINE}/wasm.unknown.pagefind",
        SHARDS,
    }
    assert (made[f"{FOLDER}{search.ENGINE}/pagefind.js"] or b"").endswith(search.EXPORT)


def test_without_refresh_an_index_on_disk_is_kept_even_for_changed_pages(tmp_path: Path) -> None:
    first = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    write(tmp_path, first.outputs)
    changed = [Output("a/index.html", html("标题", "改过的正文"))]
    kept = index_site(changed, tmp_path, first.entries, refresh=False)
    assert kept.kept and kept.pages == 1 and all(o.content is None for o in kept.outputs if o.path != SHARDS)
    assert not index_site(changed, tmp_path / "elsewhere", first.entries, refresh=False).kept  # nothing on disk


def test_fingerprints_decide_without_reading_the_pages(tmp_path: Path) -> None:
    pages = [Output("a/index.html", html("标题", "正文")), Output("b/index.html", html("别的", "内容"))]
    shards = {"a/index.html": "2025", "b/index.html": "2025"}  # placed by the build: not read to find the marker
    first = index_site(pages, tmp_path, {}, fingerprints={"a/index.html": "1", "b/index.html": "1"}, shards=shards)
    write(tmp_path, first.outputs)
    unread = [Output("a/index.html", None), Output("b/index.html", None)]  # not on disk: reading would fail
    prints = {"a/index.html": "1", "b/index.html": "1"}
    same = index_site(unread, tmp_path, first.entries, fingerprints=prints, shards=shards)
    assert same.kept and same.pages == 2
    other = index_site(pages, tmp_path, first.entries, fingerprints={**prints, "a/index.html": "2"}, shards=shards)
    assert not other.kept and other.pages == 2


def test_a_page_the_build_did_not_place_is_indexed_when_it_marks_its_text(tmp_path: Path) -> None:
    pages = [Output("a/index.html", html("甲", "正文")), Output("x/index.html", html("列表", "主题标了它"))]
    index = index_site(
        pages, tmp_path, {}, fingerprints={"a/index.html": "1", "x/index.html": "1"}, shards={"a/index.html": "2025"}
    )
    assert shards_listed(index) == ["2025", UNDATED] and index.pages == 2


def test_a_missing_pagefind_is_an_error_with_a_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildError) as raised:
        index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    problem = raised.value.problems[0]
    assert "Pagefind" in problem.message_in("zh-CN") and "--no-search" in problem.hint_in("zh-CN")


def test_a_pagefind_that_dies_fails_the_build_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: cannot start' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(BuildError) as raised:
        # a generous bound that only a hang reaches: the error comes as soon as the binary exits
        pool.submit(index_site, [Output("a/index.html", html("标题", "正文"))], tmp_path, {}).result(timeout=300)
    assert "建立搜索索引失败" in raised.value.problems[0].message_in("zh-CN")


def test_replies_are_read_past_anything_logged_before_them() -> None:
    async def answer() -> object:
        service = search._Service.__new__(search._Service)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[object] = loop.create_future()
        service._responses = {7: future}  # type: ignore[dict-item]
        reply = {"message_id": 7, "payload": {"type": "NewIndex", "index_id": 1}}
        service._answer(b"WARN something\n" + base64.b64encode(json.dumps(reply).encode()))
        return await future

    assert _run(answer()) == {"type": "NewIndex", "index_id": 1}


def test_replies_left_when_pagefind_stops_are_not_printed_to_the_console() -> None:
    """The shard stops at the first failed reply it awaits; asyncio would print each later one when collected."""
    unseen: list[object] = []

    async def stop() -> None:
        service = search._Service.__new__(search._Service)
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _, context: unseen.append(context.get("exception")))
        replies: list[asyncio.Future[object]] = [loop.create_future() for _ in range(3)]
        service._responses = dict(enumerate(replies))  # type: ignore[arg-type]
        service._fail_waiting(RuntimeError("pagefind stopped before answering"))
        with pytest.raises(RuntimeError):
            await replies[0]  # the shard awaits the first, fails, and never awaits the others
        del replies, service
        gc.collect()

    _run(stop())
    assert unseen == []


def test_indexing_works_where_an_event_loop_already_runs(tmp_path: Path) -> None:
    async def inside_a_loop() -> int:
        return index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {}).pages

    assert _run(inside_a_loop()) == 1


def test_unused_is_only_pagefinds_own_interfaces() -> None:
    assert all(name.startswith("pagefind-") for name in search.UNUSED)
    assert not any(
        name.startswith(search.UNUSED) for name in ("pagefind.js", "pagefind-entry.json", "pagefind-worker.js")
    )


# --------------------------------------------------------------------------- shards
TZ = ZoneInfo("Asia/Shanghai")


def doc(source: str, kind: Kind, when: datetime | None, **fields: object) -> Document:
    slug = source.rsplit("/", 1)[-1].removesuffix(".md")
    return Document(source=source, kind=kind, title=source, date=when, slug=slug, body="", **fields)  # type: ignore[arg-type]


def test_each_document_page_goes_to_the_shard_of_its_year(config: SiteConfig) -> None:
    documents = [
        doc("issues/1.md", Kind.ISSUE, datetime(2024, 12, 31, 23, 30, tzinfo=TZ), number=1),
        doc("essays/a.md", Kind.ESSAY, datetime(2025, 1, 1, 0, 10, tzinfo=TZ), track="iot", issue=1),
        doc("essays/b.md", Kind.ESSAY, datetime(2026, 6, 1, tzinfo=TZ), track="iot", tags=("产业链",)),
        doc("minutes/m.md", Kind.MINUTES, datetime(2025, 7, 7, tzinfo=TZ), track="health"),
        doc("pages/about.md", Kind.PAGE, None),
        doc("pages/submit.md", Kind.PAGE, datetime(2025, 6, 30, tzinfo=TZ)),  # shows no date: undated all the same
    ]
    site, problems = build_site(config, documents, [], now=NOW)
    assert problems == []
    assert search_shards(site) == {
        "issues/1/index.html": "2024",
        "essays/a/index.html": "2025",
        "minutes/m/index.html": "2025",
        "essays/b/index.html": "2026",
        "about/index.html": UNDATED,
        "submit/index.html": UNDATED,
    }  # listing pages (tracks, tags, the home page) show no one document: the search stage decides those


THEMED_PAGE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>碳纤维 - 潮闻</title>'
    '<meta name="description" content="摘要"></head><body><header><nav aria-label="主导航"><a href="/">首页</a>'
    '</nav></header><main><nav class="crumbs"><a href="/">首页</a></nav>'
    '<article class="doc" data-pagefind-body><header><h1 data-pagefind-weight="10" data-pagefind-meta="title:碳纤维">'
    '碳纤维</h1><p class="meta" data-pagefind-ignore><span data-pagefind-filter="kind" data-pagefind-meta="kind">'
    '学员心得</span><span data-pagefind-meta="author"><a href="/authors/a/">赵海峰</a></span>'
    '<time data-pagefind-sort="date:2025-01-02">2025年1月2日</time></p></header><div class="prose">'
    '<h2 id="回收">回收</h2><p>碳纤维回收，AGV 小车<a href="/x/">链接</a>。</p><div><div>嵌套</div></div></div>'
    '<div class="doc-tags" data-pagefind-ignore><a href="/tags/t/">标签</a></div></article>'
    '<section class="related" data-pagefind-ignore><h2>同赛道推荐</h2><a href="/b/">别的文章</a></section></main>'
    "<footer><p>© 潮闻</p></footer></body></html>"
)


def test_pagefind_gets_only_the_part_of_a_page_it_reads_and_makes_the_same_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    part = search.indexed_part(THEMED_PAGE)
    assert "主导航" not in part and "别的文章" not in part and "© 潮闻" not in part
    assert part.startswith('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>碳纤维 - 潮闻</title>')
    assert "<div><div>嵌套</div></div></div>" in part and part.endswith("</article></body></html>")
    cut = _run(run_pagefind([("/a/", THEMED_PAGE), ("/b/", html("乙", "第二篇").decode())]))
    monkeypatch.setattr(search, "indexed_part", lambda page: page)
    whole = _run(run_pagefind([("/a/", THEMED_PAGE), ("/b/", html("乙", "第二篇").decode())]))
    assert cut == whole


@pytest.mark.parametrize(
    "page",
    [
        '<html lang="zh-CN"><head><meta data-pagefind-meta="image[content]" content="/a.png"></head>'
        "<body><article data-pagefind-body><p>正文</p></article></body></html>",  # metadata outside
        '<html lang="zh-CN"><body><article data-pagefind-body><p>正文</p></body></html>',  # never closed
        '<html lang="zh-CN"><body><article data-pagefind-body><!-- <article> --><p>正文</p></article></body></html>',
        '<html lang="zh-CN"><body data-pagefind-body><p>正文</p></body></html>',
        '<html lang="zh-CN"><body><p>没有标记</p></body></html>',
    ],
)
def test_a_page_that_is_not_plain_enough_to_cut_goes_to_pagefind_whole(page: str) -> None:
    assert search.indexed_part(page) == page


def test_each_marked_element_is_kept_in_order() -> None:
    page = (
        '<html lang="zh-CN"><body><div data-pagefind-body>甲<div data-pagefind-body>乙</div></div><p>外</p>'
        "<section data-pagefind-body>丙</section></body></html>"
    )
    part = search.indexed_part(page)
    assert "外" not in part and "<div data-pagefind-body>甲<div data-pagefind-body>乙</div></div><section" in part


def test_pairs_of_characters_are_read_from_the_text_only() -> None:
    from chaowen import search_router

    pairs = search_router.page_pairs(['<p title="属性">水獭<b>出</b>没</p>', "<p>\U00020000水 a 鼠</p>"])
    assert pairs == {"水獭", "獭出", "出没", "\U00020000水", "水鼠"}  # across other text, as the router needs
    codes: set[int] = set()
    search_router.add_pair_codes("<p>水獭水獭</p>", codes)
    assert search_router.pairs_of_codes(codes) == {"水獭", "獭水"}
