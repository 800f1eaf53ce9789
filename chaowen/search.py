"""Rendered pages -> the full-text search index, as more Outputs under ``pagefind/``.

A stage between render and write. The HTML of every page that marks its text with
``data-pagefind-body`` (issues, minutes, essays, standalone pages) is handed to
Pagefind in memory through its Python API (PyPI ``pagefind[extended]``: only the
extended binary segments Chinese, chosen by ``<html lang="zh-…">``), and the index
files come back as bytes. They go through the write stage like every page, so a
failed build leaves ``output/`` as it was and an unchanged file keeps its mtime.

The index is made from all indexed pages at once (Pagefind cannot update one), so
it is keyed on everything it is made from: every indexed page's URL and bytes,
the Pagefind binary and this stage's settings. When the key equals the previous
build's, the previous index files are kept instead of made again, exactly as an
unchanged page is (same inputs, same bytes; the incremental tests hold it to that).

Result URLs are stored relative to the site root (``/essays/foo/``); Pagefind's
script prefixes the folder it was loaded from, so one index serves any base path.
For ``relative_urls`` builds they name ``index.html`` explicitly, like every link.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService, get_executable
from pagefind.service.types import InternalResponsePayload

from . import messages
from .cache import PageEntry, digest
from .errors import BuildError, Problem
from .model import Output

FOLDER = "pagefind/"
MARKER = b"data-pagefind-body"
# Pagefind's ready-made interfaces: the default theme talks to pagefind.js itself
# (search.js), so these half a megabyte of scripts and styles would only be uploaded.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
CONFIG: IndexConfig = {}  # Pagefind's defaults: language from <html lang>, text from data-pagefind-body


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The index files and what it took to make them."""

    outputs: tuple[Output, ...]  # under pagefind/; content None when kept from the previous build
    entries: Mapping[str, PageEntry] = field(default_factory=dict)  # manifest entries, for the next build
    pages: int = 0  # pages in the index
    size: int = 0  # bytes of the index files
    seconds: float = 0.0
    kept: bool = False  # the previous build's index was still valid


def index_site(
    pages: Sequence[Output],
    output: Path,
    previous: Mapping[str, PageEntry],
    *,
    relative: bool = False,
    language: str = "zh-CN",
    refresh: bool = True,
    fingerprints: Mapping[str, str] | None = None,
    read: Callable[[str], bytes] | None = None,
) -> SearchIndex:
    """Index ``pages`` (content None: the file already in ``output``) into Pagefind's files.

    ``previous`` is the manifest of the last build into ``output``: when its index
    was made from the same inputs and is still on disk, it is kept; with
    ``refresh=False`` it is kept whenever it is still on disk (the preview's choice).
    ``fingerprints`` (output path -> what the page was made from, equal only for equal
    bytes) lets that check skip reading every page; without it the pages' bytes count.
    ``read`` gives the bytes of a page whose content is None (default: the file in ``output``).
    Raises BuildError when Pagefind is missing or fails.
    """
    started = time.perf_counter()
    executable = get_executable()
    if executable is None or not executable.is_file():
        raise BuildError(
            [Problem("pagefind", None, messages.text("search_missing", language), messages.text("search_hint", language))]
        )
    documents: list[tuple[str, str]] | None = None
    if fingerprints is not None:
        html = sorted(p.path for p in pages if p.path.endswith(".html"))
        key = _key([(path, fingerprints.get(path, "")) for path in html], executable, relative)
    else:
        documents = indexed_pages(pages, output, relative=relative, read=read)
        key = _key(documents, executable, relative)
    kept = _kept_index(previous, output, key if refresh else None)
    if kept is not None:
        outputs = tuple(Output(path, None) for path in sorted(kept))
        count = max((int(e.state) for e in kept.values() if e.state.isdigit()), default=0)
        return SearchIndex(
            outputs, kept, count, sum(e.size for e in kept.values()), time.perf_counter() - started, True
        )
    if documents is None:
        documents = indexed_pages(pages, output, relative=relative, read=read)
    try:
        files = _run_apart(documents)
    except (OSError, RuntimeError, ValueError) as error:  # the binary failed to start, died or answered nonsense
        raise BuildError(
            [
                Problem(
                    "pagefind",
                    None,
                    messages.text("search_failed", language, reason=str(error) or type(error).__name__),
                    messages.text("search_hint", language),
                )
            ]
        ) from error
    outputs = tuple(Output(FOLDER + name, data) for name, data in sorted(files.items()) if not name.startswith(UNUSED))
    # state carries the number of pages indexed, for the summary of a build that keeps the index
    entries = {o.path: PageEntry(key, (), str(len(documents)), len(o.content or b"")) for o in outputs}
    size = sum(len(o.content or b"") for o in outputs)
    return SearchIndex(outputs, entries, len(documents), size, time.perf_counter() - started, False)


def indexed_pages(
    pages: Sequence[Output],
    output: Path,
    *,
    relative: bool = False,
    read: Callable[[str], bytes] | None = None,
) -> list[tuple[str, str]]:
    """(result URL, HTML) of every HTML page that marks text for the index, sorted by URL."""
    documents = []
    for page in pages:
        if not page.path.endswith(".html"):
            continue
        if page.content is not None:
            data = page.content
        else:
            data = read(page.path) if read is not None else (output / page.path).read_bytes()
        if MARKER in data:
            documents.append((result_url(page.path, relative=relative), data.decode("utf-8")))
    return sorted(documents)


def result_url(path: str, *, relative: bool = False) -> str:
    """``essays/foo/index.html`` -> ``/essays/foo/`` (or the file itself for relative builds)."""
    if relative or not (path == "index.html" or path.endswith("/index.html")):
        return "/" + path
    return "/" + path[: -len("index.html")]


async def run_pagefind(documents: Sequence[tuple[str, str]], config: IndexConfig = CONFIG) -> dict[str, bytes]:
    """Pagefind's files (name relative to ``pagefind/`` -> bytes) for ``documents`` (URL, HTML)."""
    async with _Service() as service:
        index: PagefindIndex = await service.create_index(config)
        for url, html in documents:  # one at a time: the service indexes serially anyway
            await index.add_html_file(content=html, url=url)
        return {file["path"]: file["content"] for file in await index.get_files()}


def _run_apart(documents: Sequence[tuple[str, str]]) -> dict[str, bytes]:
    """:func:`run_pagefind` on an event loop of its own, also when the caller already runs one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_pagefind(documents))
    # A loop runs in this thread (a notebook, an async server, Playwright's sync API): use another thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(run_pagefind(documents))).result()


def _key(documents: Sequence[tuple[str, str]], executable: Path, relative: bool) -> str:
    stat = executable.stat()
    parts = [str(executable), str(stat.st_size), str(stat.st_mtime_ns), repr(sorted(CONFIG.items())), repr(UNUSED)]
    parts.append(str(relative))
    for url, html in documents:
        parts += [url, html]
    return digest(*parts)


def _kept_index(previous: Mapping[str, PageEntry], output: Path, key: str | None) -> dict[str, PageEntry] | None:
    """The previous build's index files, when made from the same inputs (any, for ``key`` None)
    and still on disk unchanged."""
    entries = {path: entry for path, entry in previous.items() if path.startswith(FOLDER)}
    if not entries or (key is not None and any(entry.base != key for entry in entries.values())):
        return None
    for path, entry in entries.items():
        try:
            if (output / path).stat().st_size != entry.size:
                return None
        except OSError:
            return None
    return entries


class _Service(PagefindService):
    """Pagefind's service client, reading each reply as soon as it arrives.

    The stock client pauses 0.1 s before reading every reply, which caps indexing
    at ten pages a second (3.6 s instead of 0.7 s for the example journal), and
    reads replies through a 2 MiB line buffer that the index of a large site
    overflows. This reads the same replies without the pause or the limit; the
    pagefind version is pinned and tests/unit/test_search.py checks that indexing
    stays fast. When the binary dies, the waiting request fails instead of hanging.
    """

    async def _wait_for_responses(self) -> None:
        stdout = self._backend.stdout
        assert stdout is not None
        buffer = bytearray()
        scanned = 0
        while True:
            data = await stdout.read(1 << 16)
            if not data:
                self._fail_waiting(RuntimeError("pagefind stopped before answering"))
                return
            buffer += data
            while (end := buffer.find(b",", scanned)) >= 0:
                self._answer(bytes(buffer[:end]))
                del buffer[: end + 1]
                scanned = 0
            scanned = len(buffer)

    def _answer(self, chunk: bytes) -> None:
        """Resolve the request that ``chunk`` (one base64 JSON reply) answers."""
        try:
            # Anything the binary logs shares the pipe; the reply is the last word.
            reply = json.loads(base64.b64decode(chunk.split()[-1]))
            payload = reply["payload"]
            message_id = reply.get("message_id")
            if message_id is None and payload.get("original_message"):
                message_id = json.loads(payload["original_message"]).get("message_id")
        except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
            return
        future = self._responses.get(message_id) if isinstance(message_id, int) else None
        if future is None or future.done():
            return
        if payload.get("type") == "Error":
            future.set_exception(RuntimeError(f"pagefind: {payload.get('message')}"))
        else:
            future.set_result(cast(InternalResponsePayload, payload))

    def _fail_waiting(self, error: Exception) -> None:
        for future in self._responses.values():
            if not future.done():
                future.set_exception(error)

    async def close(self) -> None:
        """Stop the binary. Every request was awaited by then, so nothing is left waiting."""
        self._poll_task.cancel()
        if self._backend.returncode is None:
            self._backend.terminate()
        await self._backend.wait()
