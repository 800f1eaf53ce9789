"""The Markdown stage over many documents: :func:`render_all`, spread over a process pool when it pays.

Each worker gets the URL map once (the pool's initializer) and then only each
document's body, which is cheap to send; the result is the same as rendering the
documents one by one in this process.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import cast

from .errors import Problem
from .markup import render_markdown
from .model import EMPTY, Document, Markup, Picture

Progress = Callable[[str, int, int], None]  # stage, done, total
POOL_THRESHOLD = 48  # below this many documents to render, a process pool costs more than it saves


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def render_all(
    documents: Sequence[Document],
    *,
    urls: Mapping[str, str],
    base_path: str,
    language: str,
    jobs: int | None = None,
    progress: Progress = _no_progress,
    images: Mapping[str, Picture] = EMPTY,
) -> dict[str, tuple[Markup, tuple[Problem, ...]]]:
    """Source -> (markup, problems) of every document of ``documents``, whose bodies must be loaded.

    ``jobs`` is the number of processes (None: one per CPU); below :data:`POOL_THRESHOLD`
    documents everything runs in this process.
    """
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    shared = (dict(urls), base_path, language, dict(images))
    results: dict[str, tuple[Markup, tuple[Problem, ...]]] = {}
    total = len(documents)
    progress("markdown", 0, total)
    if workers <= 1 or total < POOL_THRESHOLD:
        _init_worker(*shared)
        for done, (source, markup, found) in enumerate(map(_markup_one, map(_job, documents)), 1):
            results[source] = (markup, found)
            progress("markdown", done, total)
        return results
    chunk = max(1, min(32, total // (workers * 8)))
    with frozen_heap(), ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=shared) as pool:
        for done, (source, markup, found) in enumerate(pool.map(_markup_one, map(_job, documents), chunksize=chunk), 1):
            results[source] = (markup, found)
            if done % 50 == 0 or done == total:
                progress("markdown", done, total)
    return results


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the garbage collector of forked workers off the objects they inherit.

    A collection in a child writes to the header of every object it scans, which
    copies the parent's memory pages into the child. Frozen objects are never
    scanned: 348 -> 325 MB peak (all processes) for a 4,000-document build.
    The page render pool of :mod:`chaowen.build` uses it too.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_WORKER: dict[str, object] = {}


def _init_worker(urls: dict[str, str], base_path: str, language: str, images: dict[str, Picture]) -> None:
    _WORKER.update(urls=urls, base_path=base_path, language=language, images=images)


_Job = tuple[str, str, int, str]  # source, body, body line, summary: all a worker needs, cheap to send


def _job(document: Document) -> _Job:
    return (document.source, document.body, document.body_line, document.summary)


def _markup_one(job: _Job) -> tuple[str, Markup, tuple[Problem, ...]]:
    source, body, body_line, summary = job
    markup, problems = render_markdown(
        body,
        source=source,
        display_path=f"content/{source}",
        body_line=body_line,
        urls=_WORKER["urls"],  # type: ignore[arg-type]
        base_path=str(_WORKER["base_path"]),
        language=str(_WORKER["language"]),
        summary=summary,
        images=cast("dict[str, Picture]", _WORKER["images"]),
    )
    return source, markup, tuple(problems)
