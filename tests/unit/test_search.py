"""The search stage on small inputs: which pages it indexes, under which URLs, when it keeps an index, how it fails."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from chaowen import search
from chaowen.errors import BuildError
from chaowen.model import Output
from chaowen.search import FOLDER, index_site, indexed_pages, result_url, run_pagefind


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


def test_indexing_is_not_throttled_by_the_service_client() -> None:
    """The stock client reads one reply per 0.1 s: 60 pages would take 6 s there."""
    documents = [(f"/p{n}/", html(f"第{n}篇", f"内容{n} 企业 调研").decode()) for n in range(60)]
    started = time.perf_counter()
    _run(run_pagefind(documents))
    assert time.perf_counter() - started < 4.0


def test_the_index_is_written_under_pagefind_without_the_unused_interfaces(tmp_path: Path) -> None:
    index = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path / "out", {})
    paths = [o.path for o in index.outputs]
    assert all(p.startswith(FOLDER) for p in paths)
    assert f"{FOLDER}pagefind.js" in paths and f"{FOLDER}pagefind-entry.json" in paths
    assert not [p for p in paths if "-ui." in p or "highlight" in p]
    assert index.pages == 1 and index.size == sum(len(o.content or b"") for o in index.outputs)
    assert set(index.entries) == set(paths) and not index.kept


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
    assert again.kept and all(o.content is None for o in again.outputs)
    assert [o.path for o in again.outputs] == [o.path for o in first.outputs]
    assert again.size == first.size


def test_a_changed_page_or_a_damaged_index_is_indexed_again(tmp_path: Path) -> None:
    first = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    write(tmp_path, first.outputs)
    changed = index_site([Output("a/index.html", html("标题", "改过的正文"))], tmp_path, first.entries)
    assert not changed.kept and all(o.content for o in changed.outputs)
    (tmp_path / FOLDER / "pagefind.js").write_text("damaged")
    damaged = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, first.entries)
    assert not damaged.kept


def test_without_refresh_an_index_on_disk_is_kept_even_for_changed_pages(tmp_path: Path) -> None:
    first = index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    write(tmp_path, first.outputs)
    changed = [Output("a/index.html", html("标题", "改过的正文"))]
    kept = index_site(changed, tmp_path, first.entries, refresh=False)
    assert kept.kept and kept.pages == 1 and all(o.content is None for o in kept.outputs)
    assert not index_site(changed, tmp_path / "elsewhere", first.entries, refresh=False).kept  # nothing on disk


def test_fingerprints_decide_without_reading_the_pages(tmp_path: Path) -> None:
    pages = [Output("a/index.html", html("标题", "正文")), Output("b/index.html", html("别的", "内容"))]
    first = index_site(pages, tmp_path, {}, fingerprints={"a/index.html": "1", "b/index.html": "1"})
    write(tmp_path, first.outputs)
    unread = [Output("a/index.html", None), Output("b/index.html", None)]  # not on disk: reading would fail
    same = index_site(unread, tmp_path, first.entries, fingerprints={"a/index.html": "1", "b/index.html": "1"})
    assert same.kept and same.pages == 2
    other = index_site(pages, tmp_path, first.entries, fingerprints={"a/index.html": "2", "b/index.html": "1"})
    assert not other.kept and other.pages == 2


def test_a_missing_pagefind_is_an_error_with_a_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildError) as raised:
        index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    problem = raised.value.problems[0]
    assert "Pagefind" in problem.message and "--no-search" in problem.hint


def test_a_pagefind_that_dies_fails_the_build_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: cannot start' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    started = time.perf_counter()
    with pytest.raises(BuildError) as raised:
        index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {})
    assert time.perf_counter() - started < 10
    assert "建立搜索索引失败" in raised.value.problems[0].message


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


def test_indexing_works_where_an_event_loop_already_runs(tmp_path: Path) -> None:
    async def inside_a_loop() -> int:
        return index_site([Output("a/index.html", html("标题", "正文"))], tmp_path, {}).pages

    assert _run(inside_a_loop()) == 1


def test_unused_is_only_pagefinds_own_interfaces() -> None:
    assert all(name.startswith("pagefind-") for name in search.UNUSED)
    assert not any(name.startswith(search.UNUSED) for name in ("pagefind.js", "pagefind-entry.json", "pagefind-worker.js"))
