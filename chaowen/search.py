"""Rendered pages -> the full-text search index, as more Outputs under ``pagefind/``.

A stage between render and write. The HTML of every page that marks its text with
``data-pagefind-body`` (issues, minutes, essays, standalone pages) is handed to
Pagefind in memory through its Python API (PyPI ``pagefind[extended]``: only the
extended binary segments Chinese, chosen by ``<html lang="zh-…">``), and the index
files come back as bytes. They go through the write stage like every page, so a
failed build leaves ``output/`` as it was and an unchanged file keeps its mtime.

The index is split into shards, one Pagefind bundle per year of the documents
(``pagefind/2025/``) and one for pages without a date (``pagefind/undated/``), and
``pagefind/shards.json`` lists them newest year first for the search page, which
searches those the router (``search_router.py``, ``pagefind/routes/``) says can hold
the query and merges the results. Every bundle needs the same Pagefind script and
WebAssembly: they are written once, to ``pagefind/engine/``, and the search page
loads them once and opens each bundle as an instance of that one engine. Pagefind cannot update an index, so a
shard is made from all its pages at once; splitting by year means an edit makes
again only the shard of that document's year, and a clean build makes the shards
side by side, one Pagefind process per core. Each shard is keyed on everything it
is made from: its pages' URLs and bytes, the Pagefind binary and this stage's
settings. When the key equals the previous build's, that shard's files are kept
instead of made again, exactly as an unchanged page is (same inputs, same bytes;
the incremental tests hold it to that).

Chinese text is indexed one character to a word: before a page goes to Pagefind, a
zero-width space (U+200B, which Pagefind splits words on and takes out of excerpts)
is put between each Chinese character and the character next to it. Pagefind's own
segmenter would cut the text into dictionary words that depend on their context,
while the search page can only split a query blindly; with characters on both sides
a query is a phrase of characters, and the search page's exact phrase search finds
exactly the documents that contain it (bench/search_recall.py measures the choice).
The text of elements that give Pagefind a filter or metadata value is left as it is.

Result URLs are stored relative to the site root (``/essays/foo/``); Pagefind's
script prefixes the folder that holds ``pagefind/`` (it reads it from the bundle's
address), so one index serves any base path. For ``relative_urls`` builds they name
``index.html`` explicitly, like every link.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import json
import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

import orjson
from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService, get_executable
from pagefind.service.types import (
    InternalAddFileRequest,
    InternalRequestPayload,
    InternalResponsePayload,
    InternalServiceRequest,
)

from . import messages
from .cache import digest
from .errors import BuildError, Problem
from .manifest import PageEntry
from .model import Kind, Output, Site
from .search_router import add_pair_codes, code_of, read_pairs, route_codes, separate_han
from .urls import output_file

FOLDER = "pagefind/"
SHARDS = FOLDER + "shards.json"  # the list of shard folders, which the search page reads first
UNDATED = "undated"  # the shard of pages without a year: standalone pages, or a page the build did not place
ROUTES = "routes"  # the buckets that tell which shards hold a pair of Chinese characters (search_router.py)
ENGINE = "engine"  # Pagefind's script and WebAssembly, shared by every bundle
# The class the search page makes an instance of per bundle (what Pagefind's own mergeIndex does); it is not
# exported by pagefind.js, so the shared copy exports it. Pagefind is pinned: a new version must keep it.
INSTANCE = b"var PagefindInstance=class"
EXPORT = b"\nexport{PagefindInstance};\n"
# A page indexed only to get Pagefind's script and WebAssembly, when no bundle is made in a build that needs them.
_EMPTY_PAGE = '<!DOCTYPE html><html lang="zh-CN"><body><main data-pagefind-body>.</main></body></html>'
MARKER = b"data-pagefind-body"
# Pagefind's ready-made interfaces: the default theme talks to pagefind.js itself
# (search.js), so these half a megabyte of scripts and styles would only be uploaded.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
CONFIG: IndexConfig = {}  # Pagefind's defaults: language from <html lang>, text from data-pagefind-body

# What indexed_part() cuts by: an element marked as the text to index, the page's <html> and <title>, where
# tags are not tags (then the page goes whole), and the attributes by which Pagefind reads a page.
_BODY = re.compile(r"<([A-Za-z][\w-]*)(?=[\s/>])[^>]*?\sdata-pagefind-body(?=[\s=/>])[^>]*>")
_HTML = re.compile(r"<html(?=[\s>])[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title(?=[\s>])[^>]*>.*?</title\s*>", re.IGNORECASE | re.DOTALL)
_OPAQUE = ("<!--", "-->", "<script", "<style", "<template", "<textarea", "<![CDATA[", "<SCRIPT", "<STYLE")
_WHOLE_ONLY = ("html", "head", "body")
_ATTRIBUTE = re.compile(r"data-pagefind-", re.IGNORECASE)
_IGNORED = "data-pagefind-ignore"

Documents = list[tuple[str, str]]  # (result URL, HTML), sorted by URL


Made = tuple[dict[str, bytes], int, Collection[int]]  # a shard's files, its number of pages, its pairs (router)


class Feed(Protocol):
    """Shards begun while the pages rendered (``search_feed.SearchFeed``), as :func:`index_site` uses them."""

    def take(self, members: Mapping[str, Sequence[str]], names: Iterable[str]) -> dict[str, Future[Made]]: ...

    def collect(
        self,
        started: Mapping[str, Future[Made]],
        todo: Mapping[str, Callable[[], Documents]],
        sizes: Mapping[str, int],
        pairs: MutableMapping[str, Collection[int]],
    ) -> tuple[dict[str, dict[str, bytes]], dict[str, int]]: ...


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The index files and what it took to make them."""

    outputs: tuple[Output, ...]  # under pagefind/; content None when kept from the previous build
    entries: Mapping[str, PageEntry] = field(default_factory=dict)  # manifest entries, for the next build
    pages: int = 0  # pages in the index, all shards together
    size: int = 0  # bytes of the index files
    seconds: float = 0.0
    kept: bool = False  # no shard was made again: the previous build's files were all still valid
    made: tuple[str, ...] = ()  # the shards indexed in this build (the others were kept)


def search_shards(site: Site) -> dict[str, str]:
    """Output path -> search shard of every page that shows one document: the year of its date, or ``undated``.

    A year's documents are rarely edited once the year is over, so a shard per year
    keeps most of the index untouched by an edit.
    Standalone pages (``/about/``) go to ``undated`` even when dated: they show no
    date and are in no list by date, so a search sorted by date puts them last.
    """
    shards = {}
    for spec in site.pages:
        source = spec.source
        document = site.documents.get(source) if source is not None else None
        if document is not None:
            date = document.date if document.kind is not Kind.PAGE else None
            shards[output_file(spec.path)] = str(date.year) if date is not None else UNDATED
    return shards


def shard_order(names: Iterable[str]) -> list[str]:
    """Shard names as the search page reads them: years newest first, then other names, ``undated`` last."""
    return sorted(set(names), key=lambda n: (0, -int(n), n) if n.isdigit() else (1 + (n == UNDATED), 0, n))


def index_site(
    pages: Sequence[Output],
    output: Path,
    previous: Mapping[str, PageEntry],
    *,
    relative: bool = False,
    refresh: bool = True,
    fingerprints: Mapping[str, str] | None = None,
    shards: Mapping[str, str] | None = None,
    jobs: int | None = None,
    read: Callable[[str], bytes] | None = None,
    feed: Feed | None = None,
) -> SearchIndex:
    """Index ``pages`` (content None: the file already in ``output``) into Pagefind's files, one bundle per shard.

    ``shards`` names the shard of each page the build placed (output path -> ``"2025"``);
    any other page that marks its text goes to ``undated``. ``previous`` is the manifest
    of the last build into ``output``: a shard made from the same inputs and still on
    disk is kept; with ``refresh=False`` a shard is kept whenever it is still on disk
    (the preview's choice). ``fingerprints`` (output path -> what the page was made from,
    equal only for equal bytes) lets that check skip reading the placed pages; without
    it the pages' bytes count. At most ``jobs`` shards (None: one per core) are indexed
    at once. ``read`` gives the bytes of a page whose content is None (default: the
    file in ``output``; the build reads through its staging folder). ``feed``, the
    :class:`~chaowen.search_feed.SearchFeed` (a :class:`Feed`) the pages were rendered into, has already begun the shards whose
    pages were all in while the others rendered: those are taken from it, and it indexes
    the rest. Raises BuildError when Pagefind is missing or fails.
    """
    began = time.perf_counter()
    reader = read if read is not None else _reader(output)
    executable = get_executable()
    if executable is None or not executable.is_file():
        raise BuildError([Problem("pagefind", None, messages.say("search_missing"), messages.say("search_hint"))])
    members = _members(pages, reader, shards or {}, fingerprints is not None)
    keys: dict[str, str] = {}
    kept: dict[str, dict[str, PageEntry]] = {}
    for name, paths in members.items():
        if fingerprints is not None:
            inputs = [(path, fingerprints.get(path, "")) for path in paths]
        else:
            inputs = _documents(pages, paths, reader, relative)
        keys[name] = _key(name, inputs, executable, relative)
        files = _kept_index(previous, output, name, keys[name] if refresh else None)
        if files is not None:
            kept[name] = files
    started = feed.take(members, [name for name in members if name not in kept]) if feed is not None else {}
    # Each shard's pages are read when it starts, not all now: they would all be in memory at once.
    todo: dict[str, Callable[[], Documents]] = {
        name: functools.partial(_documents, pages, paths, reader, relative)
        for name, paths in members.items()
        if name not in kept and name not in started
    }
    engine_key = _key(ENGINE, [], executable, relative=False)
    kept_engine = _kept_index(previous, output, ENGINE, engine_key if refresh else None)
    if kept_engine is None and not todo and not started:
        # every shard kept, the engine not: index a page just for its files
        todo[ENGINE] = lambda: [("/", _EMPTY_PAGE)]
    order = shard_order(members)
    found: dict[str, Collection[int]] = {}  # each shard indexed now: its pairs of Chinese characters, for the router
    routes_key = digest(ROUTES, _code(), *(f"{name}={keys[name]}" for name in order))
    kept_routes = _kept_index(previous, output, ROUTES, routes_key if refresh else None) if len(order) > 1 else None
    try:
        if feed is not None:
            sizes = {name: len(members.get(name, ())) for name in todo}
            made, counts = feed.collect(started, todo, sizes, found)
        else:
            given = {name: documents() for name, documents in todo.items()}
            sets: dict[str, set[int]] = {}
            made = _run_apart(given, jobs, sets) if given else {}
            found.update(sets)
            counts = {name: len(documents) for name, documents in given.items()}
    except (OSError, RuntimeError, ValueError) as error:  # the binary failed to start, died or answered nonsense
        reason = str(error) or type(error).__name__
        raise BuildError(
            [Problem("pagefind", None, messages.say("search_failed", reason=reason), messages.say("search_hint"))]
        ) from error
    outputs: list[Output] = []
    entries: dict[str, PageEntry] = {}
    listing: dict[str, object] = {"shards": order}
    if kept_engine is not None:
        outputs += [Output(path, None) for path in sorted(kept_engine)]
        entries.update(kept_engine)
        listing["engine"] = next(iter(kept_engine.values())).state
    else:
        wasm, engine = _engine_files(made)
        fresh = [Output(f"{FOLDER}{ENGINE}/{n}", d) for n, d in sorted(engine.items())]
        outputs += fresh
        entries.update({o.path: PageEntry(engine_key, (), wasm, len(o.content or b"")) for o in fresh})
        listing["engine"] = wasm
    if kept_routes is not None:
        outputs += [Output(path, None) for path in sorted(kept_routes)]
        entries.update(kept_routes)
        listing["routes"] = _previous_listing(output).get("routes", 1)
    elif len(order) > 1:
        pairs = _shard_pairs(order, found, previous, output, lambda n: _documents(pages, members[n], reader, relative))
        buckets, routes = route_codes(order, pairs)
        fresh = [Output(f"{FOLDER}{ROUTES}/{n}", d) for n, d in sorted(routes.items())]
        outputs += fresh
        entries.update({o.path: PageEntry(routes_key, (), "", len(o.content or b"")) for o in fresh})
        listing["routes"] = buckets
    count = 0
    for name in order:
        if name in kept:
            outputs += [Output(path, None) for path in sorted(kept[name])]
            entries.update(kept[name])
            # state carries the number of pages indexed, for the summary of a build that keeps the shard
            count += max((int(e.state) for e in kept[name].values() if e.state.isdigit()), default=0)
            continue
        prefix = f"{FOLDER}{name}/"
        fresh = [Output(prefix + n, d) for n, d in sorted(made[name].items()) if _own(n)]
        outputs += fresh
        entries.update({o.path: PageEntry(keys[name], (), str(counts[name]), len(o.content or b"")) for o in fresh})
        count += counts[name]
    data = json.dumps(listing).encode() + b"\n"
    outputs.append(Output(SHARDS, data))
    entries[SHARDS] = PageEntry(digest(data.decode()), (), "", len(data))
    size = sum(e.size for e in entries.values())
    shards_made = tuple(shard_order(name for name in made if name != ENGINE))
    return SearchIndex(tuple(outputs), entries, count, size, time.perf_counter() - began, not made, shards_made)


def _own(name: str) -> bool:
    """Whether a file of a bundle belongs in its folder: not an unused interface, not the shared engine."""
    return not name.startswith(UNUSED) and not _shared(name)


def _shared(name: str) -> bool:
    return name == "pagefind.js" or (name.startswith("wasm.") and name.endswith(".pagefind"))


def _engine_files(made: Mapping[str, Mapping[str, bytes]]) -> tuple[str, dict[str, bytes]]:
    """The WebAssembly's language name and the engine's files (script and WebAssembly), from a bundle just made.

    Every bundle of one Pagefind binary carries the same files; the script gets the export the search page uses.
    """
    name = min(made)
    files = {n: d for n, d in made[name].items() if _shared(n)}
    script = files.get("pagefind.js", b"")
    if INSTANCE not in script:
        raise BuildError(
            [Problem("pagefind", None, messages.say("search_engine_changed"), messages.say("search_hint"))]
        )
    files["pagefind.js"] = script + EXPORT
    entry = json.loads(made[name]["pagefind-entry.json"])
    wasms = [lang.get("wasm") for lang in entry.get("languages", {}).values()]
    return str(wasms[0] or "unknown") if wasms else "unknown", files


def _shard_pairs(
    order: Sequence[str],
    found: Mapping[str, Collection[int]],
    previous: Mapping[str, PageEntry],
    output: Path,
    documents: Callable[[str], Documents],
) -> dict[str, Collection[int]]:
    """Each shard's pairs of Chinese characters (numbered as :func:`~chaowen.search_router.add_pair_codes` does),
    for the router: ``found`` while indexing a shard now, from the previous router's files for a kept shard (its
    pages are not read again), or from its pages when those are gone."""
    pairs: dict[str, Collection[int]] = {name: found[name] for name in order if name in found}
    rest = [name for name in order if name not in pairs]
    if rest:
        before = _previous_listing(output).get("shards")
        prefix = f"{FOLDER}{ROUTES}/"
        try:
            files = {p: (output / p).read_bytes() for p in previous if p.startswith(prefix)}
            known = read_pairs(files, [str(n) for n in before]) if isinstance(before, list) and files else {}
        except (OSError, ValueError, IndexError):
            known = {}
        for name in rest:
            if name in known:
                pairs[name] = {code_of(pair) for pair in known[name]}
                continue
            codes: set[int] = set()
            for _, html in documents(name):
                add_pair_codes(indexed_part(html), codes)
            pairs[name] = codes
    return pairs


def _previous_listing(output: Path) -> dict[str, object]:
    try:
        listing = json.loads((output / SHARDS).read_bytes())
    except (OSError, ValueError):
        return {}
    return listing if isinstance(listing, dict) else {}


def _members(
    pages: Sequence[Output], read: Callable[[str], bytes], shards: Mapping[str, str], trust: bool
) -> dict[str, list[str]]:
    """Shard name -> output paths of its pages, sorted.

    A page the build placed counts without being read when ``trust`` (its fingerprint
    stands for its bytes; the key decides whether it is read at all). Any other HTML
    page is read to see whether it marks its text: a theme may mark a listing page.
    """
    members: dict[str, list[str]] = {}
    for page in pages:
        if not page.path.endswith(".html"):
            continue
        name = shards.get(page.path)
        if (name is None or not trust) and MARKER not in _read(page, read):
            continue
        members.setdefault(name or UNDATED, []).append(page.path)
    return {name: sorted(paths) for name, paths in members.items()}


def _read(page: Output, read: Callable[[str], bytes]) -> bytes:
    return page.content if page.content is not None else read(page.path)


def _reader(output: Path) -> Callable[[str], bytes]:
    return lambda path: (output / path).read_bytes()


def _documents(
    pages: Sequence[Output], paths: Sequence[str], read: Callable[[str], bytes], relative: bool
) -> Documents:
    """(result URL, HTML) of the pages at ``paths`` that mark their text, sorted by URL."""
    wanted = set(paths)
    return indexed_pages([p for p in pages if p.path in wanted], read=read, relative=relative)


def indexed_pages(
    pages: Sequence[Output],
    output: Path | None = None,
    *,
    relative: bool = False,
    read: Callable[[str], bytes] | None = None,
) -> Documents:
    """(result URL, HTML) of every HTML page that marks text for the index, sorted by URL.

    A page whose content is None is read with ``read``, or else from ``output``.
    """
    if read is None:
        if output is None:
            raise TypeError("indexed_pages needs output or read for pages without content")
        read = _reader(output)
    documents = []
    for page in pages:
        if not page.path.endswith(".html"):
            continue
        data = _read(page, read)
        if MARKER in data:
            documents.append((result_url(page.path, relative=relative), data.decode("utf-8")))
    return sorted(documents)


def result_url(path: str, *, relative: bool = False) -> str:
    """``essays/foo/index.html`` -> ``/essays/foo/`` (or the file itself for relative builds)."""
    if relative or not (path == "index.html" or path.endswith("/index.html")):
        return "/" + path
    return "/" + path[: -len("index.html")]


def indexed_part(page: str) -> str:
    """The part of ``page`` (HTML) that Pagefind reads, as a page of its own: its elements marked
    ``data-pagefind-body``, in the page's ``<html>`` element, with its ``<title>``.

    Pagefind indexes only those elements (their text, and the filters, metadata and weights they mark) when a
    page has them, but parses the whole page: the header, navigation, lists of other articles and footer around
    them are nearly half the bytes. Without them Pagefind makes the same files (tests/unit/test_search.py holds it
    to that). The page is kept whole when it is not plain enough to cut safely: no marked element, one left open,
    comments, scripts or raw text in a marked element, or any other Pagefind attribute outside the marked elements
    (an ignored element aside), which Pagefind might read.
    """
    parts: list[str] = []
    outside: list[str] = []
    done = 0
    for start in _BODY.finditer(page):
        if start.start() < done:
            continue  # a marked element inside one already taken
        tag = start.group(1).lower()
        end = _element_end(page, start, tag)
        if end is None or tag in _WHOLE_ONLY:
            return page
        part = page[start.start() : end]
        if any(marker in part for marker in _OPAQUE):
            return page
        outside.append(page[done : start.start()])
        parts.append(part)
        done = end
    outside.append(page[done:])
    if not parts or _ATTRIBUTE.search("".join(outside).replace(_IGNORED, "")):
        return page
    opening = _HTML.search(page)
    title = _TITLE.search(page)
    return (
        f'<!DOCTYPE html>{opening.group() if opening else "<html>"}<head><meta charset="utf-8">'
        f"{title.group() if title else ''}</head><body>{''.join(parts)}</body></html>"
    )


def _element_end(page: str, start: re.Match[str], tag: str) -> int | None:
    """Where the element that ``start`` opens ends (after its end tag), counting the same tags nested in it."""
    depth = 0
    for found in re.finditer(rf"<(/?){re.escape(tag)}(?=[\s/>])[^>]*>", page[start.start() :], re.IGNORECASE):
        if found.group().endswith("/>") and not found.group(1):
            continue
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return start.start() + found.end()
    return None


async def run_pagefind(
    documents: Sequence[tuple[str, str]], config: IndexConfig = CONFIG, pairs: set[int] | None = None
) -> dict[str, bytes]:
    """Pagefind's files (name relative to the bundle's folder -> bytes) for ``documents`` (URL, HTML).

    Each page goes to Pagefind as the part of it that Pagefind reads (:func:`indexed_part`), with boundaries
    between Chinese characters; the pairs of characters of that part are added to ``pairs`` when given (the
    router's, from the same pass, numbered by :func:`~chaowen.search_router.add_pair_codes`). Pages are sent one after the other without waiting for each reply: Pagefind
    reads the next while it indexes one, in the order sent, so the files are those of a page-by-page run.
    """
    async with _Service() as service:
        index: PagefindIndex = await service.create_index(config)
        index_id = index._index_id
        assert index_id is not None
        replies = []
        for url, html in documents:
            part = indexed_part(html)
            if pairs is not None:
                add_pair_codes(part, pairs)
            request: InternalAddFileRequest = {
                "type": "AddFile",
                "index_id": index_id,
                "url": url,
                "file_contents": separate_han(part),
                "file_path": None,
            }
            replies.append(service.post(request))
            await service.drain()
        for reply in replies:
            if (await reply)["type"] != "IndexedFile":
                raise RuntimeError("pagefind: a page was not indexed")
        return {file["path"]: file["content"] for file in await index.get_files()}


async def run_shards(
    shards: Mapping[str, Sequence[tuple[str, str]]],
    jobs: int | None = None,
    pairs: MutableMapping[str, set[int]] | None = None,
) -> dict[str, dict[str, bytes]]:
    """:func:`run_pagefind` for each shard, at most ``jobs`` (None: one per core) binaries at a time.

    A Pagefind process indexes on one thread, so shards side by side use the cores.
    Each shard's files depend on its own pages only: the order they finish in changes nothing.
    Each shard's pairs of Chinese characters go to ``pairs`` (shard name -> pair codes) when given.
    """
    gate = asyncio.Semaphore(max(1, jobs if jobs is not None else (os.cpu_count() or 1)))

    async def one(name: str) -> dict[str, bytes]:
        async with gate:
            if pairs is None:
                return await run_pagefind(shards[name])
            return await run_pagefind(shards[name], pairs=pairs.setdefault(name, set()))

    # biggest first, so that a large year does not start last and finish alone
    names = sorted(shards, key=lambda n: (-len(shards[n]), n))
    tasks = [asyncio.ensure_future(one(name)) for name in names]
    try:
        done = await asyncio.gather(*tasks)
    finally:  # one shard failed: stop the others' binaries too before reporting it
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return dict(zip(names, done, strict=True))


def _run_apart(
    shards: Mapping[str, Sequence[tuple[str, str]]],
    jobs: int | None,
    pairs: MutableMapping[str, set[int]] | None = None,
) -> dict[str, dict[str, bytes]]:
    """:func:`run_shards` on an event loop of its own, also when the caller already runs one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_shards(shards, jobs, pairs))
    # A loop runs in this thread (a notebook, an async server, Playwright's sync API): use another thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(run_shards(shards, jobs, pairs))).result()


def _key(shard: str, documents: Sequence[tuple[str, str]], executable: Path, relative: bool) -> str:
    stat = executable.stat()
    parts = [str(executable), str(stat.st_size), str(stat.st_mtime_ns), repr(sorted(CONFIG.items())), repr(UNUSED)]
    parts.append(_code())
    parts += [str(relative), shard]
    for url, html in documents:
        parts += [url, html]
    return digest(*parts)


@functools.cache
def _code() -> str:
    """This stage's own source and its router's: a shard made by other code (another way of cutting words) is made
    again."""
    here = Path(__file__).parent
    return digest(*((here / name).read_text(encoding="utf-8") for name in ("search.py", "search_router.py")))


def _kept_index(
    previous: Mapping[str, PageEntry], output: Path, shard: str, key: str | None
) -> dict[str, PageEntry] | None:
    """The previous build's files of ``shard``, when made from the same inputs (any, for ``key`` None)
    and still on disk unchanged."""
    prefix = f"{FOLDER}{shard}/"
    entries = {path: entry for path, entry in previous.items() if path.startswith(prefix)}
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

    async def __aenter__(self) -> _Service:
        # asyncio cannot stop a process half-started: cancelled then (a build that stops early), it would wait
        # forever for the process to exit. So the start is finished, and the process stopped, before cancelling.
        launching = asyncio.ensure_future(self.launch())
        try:
            await asyncio.shield(launching)
        except asyncio.CancelledError:
            await asyncio.gather(launching, return_exceptions=True)
            if launching.done() and not launching.cancelled() and launching.exception() is None:
                await self.close()
            raise
        return self

    def post(self, payload: InternalRequestPayload) -> asyncio.Future[InternalResponsePayload]:
        """Write a request and return the future of its reply, without waiting for either.

        The binary answers requests in the order written. The JSON (orjson's, which is much faster at a page of
        text) keeps Chinese text as UTF-8, not as ``\\u`` escapes: half the bytes to encode, pipe and decode.
        """
        assert self._backend.stdin is not None
        self._message_id += 1
        reply: asyncio.Future[InternalResponsePayload] = self._loop.create_future()
        self._responses[self._message_id] = reply
        request: InternalServiceRequest = {"message_id": self._message_id, "payload": payload}
        self._backend.stdin.write(base64.b64encode(orjson.dumps(request)) + b",")
        return reply

    async def drain(self) -> None:
        """Let the binary read what was written (and other shards' coroutines run) before writing more."""
        assert self._backend.stdin is not None
        await self._backend.stdin.drain()
        await asyncio.sleep(0)

    async def send(self, payload: InternalRequestPayload) -> InternalResponsePayload:
        """A request and its reply (the stock client's, without formatting every request for a debug log)."""
        reply = self.post(payload)
        await self.drain()
        return await reply

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
            reply = orjson.loads(base64.b64decode(chunk.split()[-1]))
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
            _fail(future, RuntimeError(f"pagefind: {payload.get('message')}"))
        else:
            future.set_result(cast(InternalResponsePayload, payload))

    def _fail_waiting(self, error: Exception) -> None:
        for future in self._responses.values():
            if not future.done():
                _fail(future, error)

    async def close(self) -> None:
        """Stop the binary. Every request was awaited by then, so nothing is left waiting."""
        self._poll_task.cancel()
        if self._backend.returncode is None:
            self._backend.terminate()
        await self._backend.wait()


def _fail(reply: asyncio.Future[InternalResponsePayload], error: Exception) -> None:
    """Fail ``reply`` with ``error``, marked as seen: the first failed reply a shard awaits stops it, and asyncio
    would print every later one, never awaited, to the editor's console when it is collected."""
    reply.set_exception(error)
    reply.exception()
