"""Indexing a year's search shard beside the rendering of the rest of the site.

The render stage writes its pages into a :class:`SearchFeed` when the build makes a
search index. The feed hands each page on to the staging folder and, when the last
page of a year's shard is in, starts Pagefind on that shard (:func:`run_pagefind`
of ``search.py``) on a thread of its own, while the render pool goes on. At the end
:func:`~chaowen.search.index_site` takes the shards begun here, if they were begun
from the pages it counts, and has the rest indexed here too: the files are the ones
it makes without a feed.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping, Sequence
from concurrent.futures import Future
from types import TracebackType
from typing import Protocol, cast

from pagefind.service import get_executable

from .manifest import PageEntry
from .memory import release_freed_memory
from .model import Output
from .search import FOLDER, MARKER, UNDATED, Documents, Made, result_url, run_pagefind


class _Staged(Protocol):
    """What :class:`SearchFeed` hands pages on to: the build's staging folder."""

    @property
    def existing(self) -> frozenset[str]: ...

    def put(self, page: Output) -> None: ...

    def read(self, path: str) -> bytes: ...


class SearchFeed:
    """The sink the render stage writes into when the build makes a search index: each page goes on to the
    staging folder, and a year's shard is indexed as soon as its last page is in, beside the rendering of the rest.

    Only a shard that must be made whatever its pages are starts early: one the previous build left no files of
    (every shard of a clean build). Whether another is kept depends on the fingerprints of its pages, known when
    all are rendered; :func:`index_site` decides it then, takes the shards begun here (:meth:`take`) and has the
    rest indexed here too (:meth:`collect`), so its result is the one it gives without a feed. ``undated`` waits
    for the end as well: any page that marks its text may belong to it.

    The shards are indexed on a thread of their own, each by its own Pagefind process. The thread starts only
    once a page has been rendered: the render stage decides before that whether to fork its workers, which it
    does only while this process runs a single thread. Use it as a context manager: leaving it stops what is
    still running.
    """

    def __init__(
        self,
        staging: _Staged,
        previous: Mapping[str, PageEntry],
        shards: Mapping[str, str],
        *,
        relative: bool = False,
        jobs: int | None = None,
    ) -> None:
        self._staging = staging
        self._relative = relative
        self._runner = _Runner(jobs)
        executable = get_executable()
        had = {path[len(FOLDER) :].partition("/")[0] for path in previous if path.startswith(FOLDER)}
        early = executable is not None and executable.is_file()
        # output path -> shard, of the pages of the shards that start as soon as their pages are in
        self._shard_of = {
            path: name
            for path, name in shards.items()
            if early and name != UNDATED and name not in had and path.endswith(".html")
        }
        self._missing: dict[str, int] = {}
        for name in self._shard_of.values():
            self._missing[name] = self._missing.get(name, 0) + 1
        self._paths: dict[str, list[str]] = {}
        self._ready: list[str] = []  # shards whose pages are all in, to start once rendering has begun
        self._rendering = False
        self._started: dict[str, tuple[frozenset[str], Future[Made]]] = {}

    @property
    def existing(self) -> frozenset[str]:
        return self._staging.existing

    def put(self, page: Output) -> None:
        """Stage ``page``; when it is the last page of a shard, start indexing that shard."""
        self._staging.put(page)
        name = self._shard_of.pop(page.path, None)
        if name is not None:
            self._paths.setdefault(name, []).append(page.path)
            self._missing[name] -= 1
            if self._missing[name] == 0:
                self._ready.append(name)
        if page.content is not None:
            self._rendering = True
        if self._rendering and self._ready:
            for ready in self._ready:
                paths = tuple(sorted(self._paths.pop(ready)))
                documents = functools.partial(self._documents, paths)
                self._started[ready] = (frozenset(paths), self._runner.submit(documents))
            self._ready.clear()

    def _documents(self, paths: Sequence[str]) -> Documents:
        """(result URL, HTML) of the pages at ``paths`` that mark their text, sorted by URL (on the thread)."""
        documents = []
        for path in paths:
            data = self._staging.read(path)
            if MARKER in data:
                documents.append((result_url(path, relative=self._relative), data.decode("utf-8")))
        return sorted(documents)

    def take(self, members: Mapping[str, Sequence[str]], names: Iterable[str]) -> dict[str, Future[Made]]:
        """The shards among ``names`` begun here from exactly the pages ``members`` gives them; the others
        begun here are stopped (their index would not be used)."""
        taken = {}
        for name in names:
            begun = self._started.get(name)
            if begun is not None and begun[0] == frozenset(members[name]):
                taken[name] = begun[1]
        for name, (_, future) in self._started.items():
            if name not in taken:
                future.cancel()
        return taken

    def collect(
        self,
        started: Mapping[str, Future[Made]],
        todo: Mapping[str, Callable[[], Documents]],
        sizes: Mapping[str, int],
        pairs: MutableMapping[str, Collection[int]],
    ) -> tuple[dict[str, dict[str, bytes]], dict[str, int]]:
        """Index ``todo`` too (name -> its documents, read when the shard starts; ``sizes``: its number of
        pages), and wait for every shard: (name -> its files, name -> its number of pages).

        Each shard's pairs of Chinese characters go to ``pairs``. Raises what the first shard to fail raised."""
        release_freed_memory()  # what rendering freed, before Pagefind's processes grow side by side
        futures = dict(started)
        for name in sorted(todo, key=lambda n: (-sizes[n], n)):  # biggest first: none starts last and runs alone
            futures[name] = self._runner.submit(todo[name])
        made, counts = {}, {}
        for name in sorted(futures, key=lambda n: (n not in started, n)):
            made[name], counts[name], pairs[name] = futures[name].result()
        return made, counts

    def __enter__(self) -> SearchFeed:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._runner.close()


class _Runner:
    """Indexes shards on a thread of its own running an event loop, at most ``jobs`` Pagefind processes at once."""

    def __init__(self, jobs: int | None) -> None:
        self._jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._gate: asyncio.Semaphore | None = None
        self._tasks: set[asyncio.Task[Made]] = set()

    def submit(self, documents: Callable[[], Documents]) -> Future[Made]:
        """Start indexing the shard of ``documents()`` (called on the thread): its files, pages and pairs."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._gate = asyncio.Semaphore(self._jobs)
            self._thread = threading.Thread(target=self._loop.run_forever, name="chaowen-search", daemon=True)
            self._thread.start()
        return asyncio.run_coroutine_threadsafe(self._one(documents), self._loop)

    async def _one(self, documents: Callable[[], Documents]) -> Made:
        assert self._gate is not None
        task = cast("asyncio.Task[Made]", asyncio.current_task())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        async with self._gate:
            shard = documents()
            count = len(shard)
            pairs: set[int] = set()
            files = await run_pagefind(shard, pairs=pairs)
            del shard
            release_freed_memory()  # the shard's pages and Pagefind's replies, freed on this thread
            # Kept until the router is made, after the last shard: as a set, a year's 73,000 pairs of a
            # 4,000-document journal take 4.5 MB; as an array of 8-byte numbers, 0.6 MB.
            return files, count, array("Q", pairs)

    def close(self) -> None:
        """Stop the shards still running (and their Pagefind processes), then the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def cancel_all() -> None:
            # only the shards' own tasks: each stops what it started (cancelling a process's start would hang)
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cancel_all(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        self._loop = self._thread = None
