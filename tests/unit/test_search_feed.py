"""The search feed: a year's shard indexed beside rendering, with the files of an index made after it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chaowen import search_feed
from chaowen.errors import BuildError
from chaowen.model import Output
from chaowen.search import UNDATED, index_site
from chaowen.search_feed import SearchFeed
from tests.unit.test_search import html, write


class _Folder:
    """A staging folder in memory, for SearchFeed: what was put, and the previous build's files."""

    def __init__(self, kept: dict[str, bytes] | None = None) -> None:
        self.files = dict(kept or {})
        self.order: list[str] = []

    @property
    def existing(self) -> frozenset[str]:
        return frozenset(self.files)

    def put(self, page: Output) -> None:
        self.order.append(page.path)
        if page.content is not None:
            self.files[page.path] = page.content

    def read(self, path: str) -> bytes:
        return self.files[path]


def _feed_pages() -> tuple[list[Output], dict[str, str]]:
    pages = [
        Output("a/index.html", html("甲", "二〇二五年的文章")),
        Output("b/index.html", html("乙", "二〇二六年的文章")),
        Output("c/index.html", html("丙", "二〇二五年的另一篇")),
        Output("about/index.html", html("关于", "没有日期的页面")),
        Output("tags/x/index.html", html("标签", "不索引的列表", indexed=False)),
    ]
    return pages, {"a/index.html": "2025", "b/index.html": "2026", "c/index.html": "2025"}


def test_a_shard_is_indexed_as_soon_as_its_pages_are_in_and_the_files_are_the_same(tmp_path: Path) -> None:
    pages, shards = _feed_pages()
    alone = index_site(pages, tmp_path, {}, shards=shards)
    folder = _Folder()
    with SearchFeed(folder, {}, shards) as feed:
        for page in pages[:3]:  # 2026 is complete after b, 2025 after c
            feed.put(page)
        assert set(feed._started) == {"2025", "2026"}  # begun before the last pages are rendered
        for page in pages[3:]:
            feed.put(page)
        fed = index_site(
            [Output(p.path, None) for p in pages], tmp_path, {}, shards=shards, read=folder.read, feed=feed
        )
    assert folder.order == [p.path for p in pages]  # every page went on to the staging folder
    assert fed.outputs == alone.outputs and fed.entries == alone.entries
    assert (
        (fed.pages, fed.made, fed.kept)
        == (alone.pages, alone.made, alone.kept)
        == (4, ("2026", "2025", UNDATED), False)
    )


def test_a_shard_the_previous_build_left_waits_for_the_fingerprints(tmp_path: Path) -> None:
    pages, shards = _feed_pages()
    prints = dict.fromkeys(shards, "1")
    first = index_site(pages, tmp_path, {}, shards=shards, fingerprints=prints)
    write(tmp_path, first.outputs + tuple(pages))
    folder = _Folder({p.path: p.content or b"" for p in pages})
    with SearchFeed(folder, first.entries, shards) as feed:
        for page in pages:
            feed.put(Output(page.path, None))
        assert not feed._started  # each may be kept: the end decides
        again = index_site(
            [Output(p.path, None) for p in pages],
            tmp_path,
            first.entries,
            shards=shards,
            fingerprints=prints,
            feed=feed,
        )
    assert again.kept and again.made == ()


def test_a_feed_starts_nothing_before_a_page_is_rendered(tmp_path: Path) -> None:
    pages, shards = _feed_pages()
    folder = _Folder({p.path: p.content or b"" for p in pages})
    with SearchFeed(folder, {}, shards) as feed:
        for page in pages[:3]:
            feed.put(Output(page.path, None))  # kept pages, put before the render stage may fork its workers
        assert not feed._started
        feed.put(pages[3])
        assert set(feed._started) == {"2025", "2026"}


def test_a_pagefind_that_dies_beside_rendering_fails_the_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    pages, shards = _feed_pages()
    folder = _Folder()
    with pytest.raises(BuildError) as raised, SearchFeed(folder, {}, shards) as feed:
        for page in pages:
            feed.put(page)
        index_site(pages, tmp_path, {}, shards=shards, read=folder.read, feed=feed)
    assert "建立搜索索引失败" in raised.value.problems[0].message_in("zh-CN")


def test_leaving_a_feed_stops_its_shards(tmp_path: Path) -> None:
    pages, shards = _feed_pages()
    with SearchFeed(_Folder(), {}, shards) as feed:
        for page in pages[:3]:
            feed.put(page)
        runner = feed._runner
    assert runner._thread is None and all(f.done() for _, f in feed._started.values())


def test_a_shard_begun_from_other_pages_than_the_end_counts_is_made_again(tmp_path: Path) -> None:
    pages, shards = _feed_pages()
    shards["tags/x/index.html"] = "2026"  # placed, but it marks no text: read without fingerprints, it is not indexed
    alone = index_site(pages, tmp_path, {}, shards=shards)
    folder = _Folder()
    with SearchFeed(folder, {}, shards) as feed:
        for page in pages:
            feed.put(page)
        begun = feed._started["2026"][1]
        fed = index_site(
            [Output(p.path, None) for p in pages], tmp_path, {}, shards=shards, read=folder.read, feed=feed
        )
    assert begun.cancelled() or begun.done()
    assert fed.outputs == alone.outputs and fed.entries == alone.entries


def test_a_shard_left_for_the_end_reads_its_pages_when_it_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pages, shards = _feed_pages()
    folder = _Folder({p.path: p.content or b"" for p in pages})
    read: list[str] = []
    started: list[tuple[list[str], list[str]]] = []  # (the shard's pages, every page read when it started)

    def reading(path: str) -> bytes:
        read.append(path)
        return folder.read(path)

    async def indexing(documents: Any, pairs: Any = None) -> dict[str, bytes]:
        started.append(([url for url, _ in documents], list(read)))
        return {}

    monkeypatch.setattr(search_feed, "run_pagefind", indexing)
    kept = [Output(p.path, None) for p in pages]
    with SearchFeed(folder, {}, shards, jobs=1) as feed:
        for page in kept:
            feed.put(page)  # kept pages only: nothing begins beside rendering, every shard is left for the end
        with pytest.raises(BuildError):  # the fake made no engine files
            index_site(kept, tmp_path, {}, shards=shards, read=reading, feed=feed, fingerprints={})
    first_shard, read_then = started[0]
    assert len(started) == 3 and first_shard == ["/a/", "/c/"]  # 2025, the biggest, first
    assert "b/index.html" not in read_then  # 2026's page is read when 2026 starts, not before
