"""The cache layer around the content stage: a file's result without reading or parsing it again.

:func:`chaowen.content.parse_file` is pure (bytes -> document and problems).
:class:`DocumentMemo` wraps it as the ``parse`` of :func:`chaowen.content.load_content`:

1. a file whose stat (modification time, size, inode) is the one recorded when it was
   read is not read at all; its document may come without its body (read on use,
   :func:`chaowen.content.with_body`);
2. else its bytes are read and hashed; bytes already parsed (by digest) are not parsed again;
3. else it is parsed, and the result kept when it is reusable.

The memo keeps the cache's two tables (digest -> parsed document, source -> FileStat)
up to date; :class:`chaowen.cache.BuildCache` stores them on disk. Stats are recorded by
this process's clock, and a stat taken within :data:`RACY_NS` of a save is not trusted.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .content import Compute, Parsed, body_of, digest_of, read_source
from .errors import Problem
from .model import Document

# A file saved again within this long of being read could keep its modification time
# (coarse clocks: 2 s on FAT) while its bytes change; such a stat is never trusted, the
# file is read again, as git does with "racily clean" entries.
RACY_NS = 2_000_000_000

StatKey = tuple[int, int, int]  # mtime (ns), size, inode
Entry = tuple[Document, tuple[Problem, ...]]  # a parsed document without its body, and its warnings


@dataclass(frozen=True, slots=True)
class FileStat:
    """A Markdown file as it was when read: if its stat is the same now, so are its bytes."""

    mtime_ns: int
    size: int
    inode: int
    digest: str  # hash of its bytes (the documents memo's key)
    read_ns: int  # wall clock when it was read

    def trusted_key(self) -> StatKey | None:
        """The stat a file must still have to be taken as unchanged; None when read too soon after a save."""
        if self.mtime_ns >= self.read_ns - RACY_NS:
            return None
        return (self.mtime_ns, self.size, self.inode)


@dataclass(frozen=True, slots=True)
class _Seen:
    """A file as this process last had it: its stat then, and what it made."""

    key: StatKey
    document: Document
    problems: tuple[Problem, ...]


class DocumentMemo:
    """Files' results by stat, then by digest, around the pure content stage; one per builder.

    Call :meth:`start` before a pass of ``load_content`` (with :meth:`parsed` as its
    ``parse``) and :meth:`finish` after it.
    """

    def __init__(self) -> None:
        self._seen: dict[str, _Seen] = {}  # files as read by the last pass in this process
        self._settings: str | None = None
        self._known: dict[str, Entry] = {}
        self._trusted: dict[str, _Seen] = {}
        self._recorded: dict[str, FileStat] = {}
        self._now: dict[str, tuple[_Seen, bool]] = {}  # source -> as found in this pass, read just now?
        self._live: set[str] = set()
        self._read_ns = 0

    def start(self, known: dict[str, Entry], stats: dict[str, FileStat], settings: str, *, on_disk: bool) -> None:
        """Begin a pass with the cache's tables (``known`` is updated in place).

        ``settings`` is the fingerprint of the configuration: results of another one are
        not trusted. ``on_disk``: also trust files by the stats the cache recorded in an
        earlier process (their documents then come without their body).
        """
        if settings != self._settings:
            self._seen = {}
            self._settings = settings
        self._known = known
        self._recorded = stats
        self._trusted = {**(_recorded(known, stats) if on_disk else {}), **self._seen}
        self._now = {}
        self._live = set()
        self._read_ns = time.time_ns()

    def parsed(self, source: str, path: Path, compute: Compute) -> Parsed | None:
        """What ``path`` makes: trusted by its stat, found by its bytes, or computed."""
        key = _stat_key(path)
        seen = self._trusted.get(source)
        if seen is not None and key is not None and seen.key == key:
            self._now[source] = (seen, False)
            if seen.document.digest in self._known:
                self._live.add(seen.document.digest)
            return Parsed(seen.document, seen.problems)
        raw = read_source(source, path)
        if not isinstance(raw, bytes):
            return raw
        digest = digest_of(raw)
        hit = self._known.get(digest)
        if hit is not None and hit[0].source == source:
            body = body_of(raw)
            if body is not None:
                return self._keep(source, key, digest, replace(hit[0], body=body), hit[1])
        result = compute(raw, digest)
        if result.reusable and result.document is not None:
            self._known[digest] = (replace(result.document, body=""), result.problems)
            return self._keep(source, key, digest, result.document, result.problems)
        return result

    def _keep(
        self, source: str, key: StatKey | None, digest: str, document: Document, problems: tuple[Problem, ...]
    ) -> Parsed:
        self._live.add(digest)
        if key is not None:
            self._now[source] = (_Seen(key, document, problems), True)
        return Parsed(document, problems)

    def finish(self) -> tuple[dict[str, FileStat], set[str]]:
        """End the pass: the stats to record (source -> FileStat) and the digests still in use."""
        self._seen = {source: seen for source, (seen, _) in self._now.items()}
        stats: dict[str, FileStat] = {}
        for source, (seen, fresh) in self._now.items():
            if fresh:
                stats[source] = FileStat(*seen.key, seen.document.digest, self._read_ns)
            elif source in self._recorded:  # trusted by its stat: recorded when it was read
                stats[source] = self._recorded[source]
        return stats, set(self._live)


def _recorded(known: dict[str, Entry], stats: dict[str, FileStat]) -> dict[str, _Seen]:
    """The files an earlier process recorded, trusted by stat alone (their documents without body)."""
    recorded: dict[str, _Seen] = {}
    for source, stat in stats.items():
        entry = known.get(stat.digest)
        if entry is None or entry[0].source != source:
            continue
        key = stat.trusted_key()
        if key is not None:
            recorded[source] = _Seen(key, entry[0], entry[1])
    return recorded


def _stat_key(path: Path) -> StatKey | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)
