"""The persistent build cache in ``SITE/.chaowen-cache/``: never trusted, always checkable.

Three memos, each valid only for the exact inputs it was made from:

* documents: a file's validated front matter, keyed by the hash of its bytes
  (the body is cut from the file again on use, which is cheap);
* markup: what a document's Markdown produced, keyed by its bytes, the Markdown
  configuration, the base path and the URLs of every target it links to (one row
  per document in the SQLite file ``markup.sqlite``: thousands of small files cost
  a cold build seconds of file-system time, one database a fraction of one);
* manifest: for each output file of the last build, the key of the inputs it was
  rendered from, so an unchanged page is neither rendered nor rewritten;
* links: for each output folder, what the link pass found on each page of the
  last build, and (in ``links/``, read only when some page changed) each page's
  links and ids, so a rebuild checks the links of the pages that changed only
  (these two are the types of :mod:`chaowen.manifest`; this module stores them);
* stats: each Markdown file's modification time, size and inode when it was read,
  with the hash of its bytes, so that a file whose stat is unchanged is not read
  again (see :mod:`chaowen.doccache`, the layer that uses these two memos).

Every memo is also keyed by :func:`code_digest`, the digest of the package's source
and of the versions of the libraries that shape output: a change to the code drops
what the old code made, with nothing bumped by hand.

Everything is JSON (never pickle: a cache file from elsewhere must not be able to
run code). A file that is corrupt, truncated, from another version or simply
foreign is ignored and rebuilt. Entries for documents that no longer exist are
dropped on save, so the cache stays the size of the site.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib.metadata
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import orjson

from .codec import as_str as _str
from .codec import as_strs as _strs
from .codec import document_from_json, document_to_json, problem_from_json, problem_to_json
from .doccache import FileStat
from .errors import Problem
from .manifest import (
    LinkMemo,
    PageEntry,
    Scans,
    lines_from_json,
    lines_to_json,
    link_memo_from_json,
    link_memo_to_json,
    manifest_from_json,
    manifest_to_json,
    manifest_update,
    scans_from_json,
    scans_to_json,
)
from .model import Brief, Document, Heading, Markup

CACHE_DIR = ".chaowen-cache"
FORMAT = 5
MARKUP_STORE = "markup.sqlite"
MANIFESTS_KEPT = 4


# The libraries whose version can change what a build makes of the same input.
OUTPUT_LIBRARIES: Final = ("Markdown", "pymdown-extensions", "Pygments", "Jinja2", "PyYAML", "pypinyin")


def code_files() -> list[Path]:
    """The package's own source files: a change to any of them may change any stage's output."""
    return sorted(Path(__file__).parent.glob("*.py"))


@functools.cache
def code_digest() -> str:
    """A digest of the code that makes a build: every source file of the package and the output libraries' versions.

    Every cache entry is valid for this digest only, so editing the code (a checkout, a
    fix in validation or in the Markdown stage) or upgrading a library drops the entries
    made by the old code; nothing is bumped by hand. Read once per process.
    """
    return _digest_code(code_files(), OUTPUT_LIBRARIES)


def _digest_code(files: Iterable[Path], libraries: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for path in files:
        data = path.read_bytes()
        hasher.update(f"{path.name}\x00{len(data)}\x00".encode())
        hasher.update(data)
    for name in libraries:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"{name}\x00{version}\x00".encode())
    return hasher.hexdigest()


def digest(*parts: str) -> str:
    """A short stable hash of text parts (not for security: for telling inputs apart)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def markup_to_json(markup: Markup) -> dict[str, Any]:
    return {
        "html": markup.html,
        "toc": [[h.level, h.id, h.title] for h in markup.toc],
        "summary": markup.summary,
        "chars": markup.chars,
        "minutes": markup.minutes,
        "links": list(markup.links),
    }


def markup_from_json(data: dict[str, Any]) -> Markup:
    return Markup(
        html=_str(data["html"]),
        toc=tuple(Heading(int(a), _str(b), _str(c)) for a, b, c in data["toc"]),
        summary=_str(data["summary"]),
        chars=int(data["chars"]),
        minutes=int(data["minutes"]),
        links=_strs(data["links"]),
    )


# ------------------------------------------------------------------------- entries
@dataclass(frozen=True, slots=True)
class MarkupEntry:
    """A rendered document and the URL of every target it linked to when rendered."""

    key: str  # digest of (document bytes, Markdown settings)
    targets: dict[str, str | None]  # content source a link resolved to -> its URL then (None: missing)
    problems: tuple[Problem, ...]
    brief: Brief
    markup: Markup | None = None  # loaded lazily from its own file


@dataclass
class BuildCache:
    """The memos of one site, in memory; :meth:`load` and :meth:`save` move them to and from disk.

    With ``folder`` None the cache lives only as long as the object (``--no-cache``,
    or the dev server, which keeps it in memory between rebuilds anyway).
    """

    folder: Path | None
    settings: str = ""  # fingerprint of everything global that affects markup
    documents: dict[str, tuple[Document, tuple[Problem, ...]]] = field(default_factory=dict)  # digest -> parsed
    markups: dict[str, MarkupEntry] = field(default_factory=dict)  # source -> entry
    manifests: dict[str, dict[str, PageEntry]] = field(default_factory=dict)  # output id -> path -> entry
    slugs: dict[str, str] = field(default_factory=dict)  # name -> slug (pinyin), see urls.remember_slugs
    stats: dict[str, FileStat] = field(default_factory=dict)  # source -> the file as last read
    links: dict[str, LinkMemo] = field(default_factory=dict)  # output id -> the last link pass there
    # source -> (its bytes' digest, reads.document_meta of its document): worked out once per document
    metas: dict[str, tuple[str, str]] = field(default_factory=dict)
    # output id -> what each read of its manifest's pages was worth when that manifest was made (reads.Values.lines),
    # so that a build in a new process finds the reads whose value changed once, not a digest per page
    lines: dict[str, Mapping[str, bytes]] = field(default_factory=dict)
    # a digest of the template files -> each template's fingerprint (theme.template_fingerprints), the last only
    templates: dict[str, dict[str, str]] = field(default_factory=dict)
    # index.json as read or written: a build that changed nothing does not rewrite it
    _on_disk: bytes = field(default=b"", repr=False)
    # output id -> its manifest as read, and its JSON then: an unchanged manifest is not encoded again
    _manifests_read: dict[str, tuple[dict[str, PageEntry], Any]] = field(default_factory=dict, repr=False)
    # The JSON of each entry as read (or last written), beside the value it was decoded into: an entry
    # that is still that very value is saved as that JSON, not encoded again (a rebuild changes a few).
    _documents_read: dict[str, tuple[tuple[Document, tuple[Problem, ...]], Any]] = field(
        default_factory=dict, repr=False
    )
    _markups_read: dict[str, tuple[MarkupEntry, Any]] = field(default_factory=dict, repr=False)
    _stats_read: dict[str, tuple[FileStat, Any]] = field(default_factory=dict, repr=False)
    _markup_store: MarkupStore | None = field(default=None, repr=False)

    # -------------------------------------------------------------------- disk
    def load(self) -> None:
        """Read what is on disk; anything unreadable or foreign is ignored."""
        if self.folder is None:
            return
        header = {"format": FORMAT, "code": code_digest(), "settings": self.settings}
        with _collector_paused():
            raw = _read_bytes(self.folder / "index.json")
            data = _parse_json(raw)
            if isinstance(data, dict) and data.get("header") == header:
                self._decode(data, raw)

    def _decode(self, data: dict[str, Any], raw: bytes | None) -> None:
        try:
            for entry in data["documents"]:
                parsed = document_from_json(entry)
                self.documents[parsed[0].digest] = parsed
                self._documents_read[parsed[0].digest] = (parsed, entry)
            for source, entry in data["markups"].items():
                summary, chars, minutes = entry["brief"]
                markup_entry = self.markups[_str(source)] = MarkupEntry(
                    _str(entry["key"]),
                    {_str(k): (None if v is None else _str(v)) for k, v in entry["targets"].items()},
                    tuple(problem_from_json(p) for p in entry["problems"]),
                    Brief(_str(summary), int(chars), int(minutes)),
                )
                self._markups_read[source] = (markup_entry, entry)
            self.slugs = {_str(k): _str(v) for k, v in data["slugs"].items()}
            for output_id, pages in data["manifests"].items():
                manifest = self.manifests[_str(output_id)] = manifest_from_json(pages)
                self._manifests_read[_str(output_id)] = (dict(manifest), pages)  # a copy: the build may edit its own
            for output_id, packed in data.get("lines", {}).items():
                known = self._manifests_read.get(output_id)
                if known is not None and (lines := lines_from_json(known[1], packed)) is not None:
                    self.lines[output_id] = lines
            for source, entry in data["stats"].items():
                mtime, size, inode, file_digest, read_ns = entry
                stat = self.stats[_str(source)] = FileStat(
                    int(mtime), int(size), int(inode), _str(file_digest), int(read_ns)
                )
                self._stats_read[source] = (stat, entry)
            self.links = {_str(output_id): link_memo_from_json(memo) for output_id, memo in data["links"].items()}
            self.metas = {_str(source): (_str(d), _str(meta)) for source, (d, meta) in data["metas"].items()}
            self.templates = {
                _str(key): {_str(name): _str(value) for name, value in prints.items()}
                for key, prints in data["templates"].items()
            }
            self._on_disk = raw or b""
        except (LookupError, TypeError, ValueError, AttributeError):
            self.documents.clear()
            self.markups.clear()
            self.manifests.clear()
            self.slugs.clear()
            self.stats.clear()
            self.links.clear()
            self.metas.clear()
            self.templates.clear()
            self.lines.clear()
            self._manifests_read.clear()
            self._documents_read.clear()
            self._markups_read.clear()
            self._stats_read.clear()

    def meta(self, document: Document, compute: Callable[[Document], str]) -> str:
        """``compute(document)`` (:func:`chaowen.reads.document_meta`), kept from an earlier build when the
        document's bytes are the same.

        The whole cache is for one configuration and one code digest, and a document is a
        pure function of its bytes under those: same source and bytes, same document.
        """
        known = self.metas.get(document.source)
        if known is not None and known[0] == document.digest:
            return known[1]
        value = compute(document)
        self.metas[document.source] = (document.digest, value)
        return value

    def document_value(self, document: Document) -> str:
        """A digest of everything about a document a page or a PDF can show: its bytes and its Markdown
        result (the entry's key and the URLs its links resolved to)."""
        entry = self.markups.get(document.source)
        return digest(
            document.digest,
            entry.key if entry else "",
            repr(sorted((entry.targets if entry else {}).items())),
        )

    def scans(self, output_id: str) -> Scans:
        """The page scans of the last link pass into ``output_id``, read on first use; empty when unusable."""
        memo = self.links.get(output_id)
        if memo is None:
            return Scans({}, {})
        if memo.scans is None:
            data = _read_json(self._scans_path(output_id)) if self.folder is not None else None
            memo.scans = scans_from_json(data, memo.stamp) or Scans({}, {})
        return memo.scans

    def _scans_path(self, output_id: str) -> Path:
        assert self.folder is not None
        return self.folder / "links" / f"{output_id}.json"

    def markup(self, source: str) -> Markup | None:
        """The cached markup of ``source``, read from the store on first use; None when unusable."""
        entry = self.markups.get(source)
        if entry is None:
            return None
        if entry.markup is not None:
            return entry.markup
        if self.folder is None:
            return None
        try:
            data = _parse_json(self._store().read(digest(source), _file_key(entry)))
            if not isinstance(data, dict):
                raise ValueError("stale or foreign")
            markup = markup_from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            del self.markups[source]
            return None
        self.markups[source] = MarkupEntry(entry.key, entry.targets, entry.problems, entry.brief, markup)
        return markup

    def _store(self) -> MarkupStore:
        assert self.folder is not None
        if self._markup_store is None or self._markup_store.path.parent != self.folder:
            self._markup_store = MarkupStore(self.folder / MARKUP_STORE)
        return self._markup_store

    def save(self, live_sources: set[str], live_digests: set[str]) -> None:
        """Write the memos, keeping only entries of documents that still exist."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.documents = {d: v for d, v in self.documents.items() if d in live_digests}
        self.markups = {s: e for s, e in self.markups.items() if s in live_sources}
        self.stats = {s: st for s, st in self.stats.items() if st.digest in self.documents}
        self.metas = {s: m for s, m in self.metas.items() if m[0] in live_digests}
        rows = {  # never-loaded entries are the ones in the store already
            digest(source): (_file_key(entry), functools.partial(_markup_bytes, entry.markup))
            for source, entry in self.markups.items()
            if entry.markup is not None
        }
        self._store().save(rows, {digest(source) for source in self.markups})
        _remove_legacy_markup_files(self.folder)
        # One manifest per output folder; the dev server's throwaway preview folders would
        # otherwise add one per session. The most recently written few are kept.
        for stale_id in list(self.manifests)[:-MANIFESTS_KEPT]:
            del self.manifests[stale_id]
        self.links = {o: memo for o, memo in self.links.items() if o in self.manifests}
        self.lines = {o: lines for o, lines in self.lines.items() if o in self.manifests}
        self._save_scans()
        header = {"format": FORMAT, "code": code_digest(), "settings": self.settings}
        self._documents_read = {
            d: (parsed, _reused(self._documents_read.get(d), parsed, _document_json))
            for d, parsed in self.documents.items()
        }
        self._markups_read = {
            s: (e, _reused(self._markups_read.get(s), e, _markup_entry_json, _same_entry))
            for s, e in self.markups.items()
        }
        self._stats_read = {s: (st, _reused(self._stats_read.get(s), st, _stat_json)) for s, st in self.stats.items()}
        index = orjson.dumps(
            {
                "header": header,
                "documents": [entry for _, entry in self._documents_read.values()],
                "markups": {s: entry for s, (_, entry) in self._markups_read.items()},
                "slugs": self.slugs,
                "manifests": (manifests := {o: self._manifest_json(o, p) for o, p in self.manifests.items()}),
                "lines": {
                    o: packed
                    for o, lines in self.lines.items()
                    if (packed := lines_to_json(manifests[o], lines)) is not None
                },
                "stats": {s: entry for s, (_, entry) in self._stats_read.items()},
                "links": {o: link_memo_to_json(memo) for o, memo in self.links.items()},
                "metas": self.metas,
                "templates": self.templates,
            },
        )
        if index != self._on_disk:  # a build that changed nothing leaves the file alone
            _write_bytes(self.folder / "index.json", index)
            self._on_disk = index

    def _manifest_json(self, output_id: str, pages: dict[str, PageEntry]) -> Any:
        """The JSON of a manifest: the one read when every entry is still the one read (a no-change build),
        else the entries still the ones read as they were, and the others encoded (:func:`manifest_update`)."""
        read = self._manifests_read.get(output_id)
        if read is not None and read[0].keys() == pages.keys() and all(pages[p] is e for p, e in read[0].items()):
            return read[1]
        encoded = manifest_to_json(pages) if read is None else manifest_update(read[0], read[1], pages)
        self._manifests_read[output_id] = (dict(pages), encoded)
        return encoded

    def _save_scans(self) -> None:
        """Write the scans of each link memo whose file is not already this one; drop the others' files."""
        assert self.folder is not None
        folder = self.folder / "links"
        folder.mkdir(exist_ok=True)
        for output_id, memo in self.links.items():
            path = self._scans_path(output_id)
            if memo.scans is None or _starts_with(path, f'{{"stamp":"{memo.stamp}"'):
                continue
            _write_json(path, scans_to_json(memo))
        for stale in folder.iterdir():
            if stale.stem not in self.links:
                stale.unlink(missing_ok=True)


_Value = TypeVar("_Value")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Without the cycle collector: decoding the cache makes some 500,000 objects, none in a cycle, and
    the collections their number set off (each looking at every object made so far) cost a fifth of it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _reused(
    read: tuple[_Value, Any] | None,
    value: _Value,
    encode: Callable[[_Value], Any],
    same: Callable[[_Value, _Value], bool] | None = None,
) -> Any:
    """The JSON of ``value``: as read when ``value`` is still the value decoded from it, else encoded now."""
    if read is not None and (read[0] is value or (same is not None and same(read[0], value))):
        return read[1]
    return encode(value)


def _document_json(parsed: tuple[Document, tuple[Problem, ...]]) -> Any:
    return document_to_json(*parsed)


def _markup_entry_json(entry: MarkupEntry) -> Any:
    return {
        "key": entry.key,
        "targets": entry.targets,
        "problems": [problem_to_json(p) for p in entry.problems],
        "brief": [entry.brief.summary, entry.brief.chars, entry.brief.minutes],
    }


def _same_entry(read: MarkupEntry, entry: MarkupEntry) -> bool:
    """Whether ``entry`` is ``read`` with its markup loaded (:meth:`BuildCache.markup`): the same JSON."""
    return (
        entry.key == read.key
        and entry.targets is read.targets
        and entry.problems is read.problems
        and entry.brief is read.brief
    )


def _stat_json(stat: FileStat) -> Any:
    return [stat.mtime_ns, stat.size, stat.inode, stat.digest, stat.read_ns]


def _file_key(entry: MarkupEntry) -> str:
    """The key of an entry's markup file: the same document renders differently once a link target moves,
    so a file is the entry's only when it was made with the same targets too."""
    return digest(entry.key, *(f"{t}\x00{u}" for t, u in sorted(entry.targets.items())))


def _markup_bytes(markup: Markup) -> bytes:
    return orjson.dumps(markup_to_json(markup))


def _starts_with(path: Path, start: str) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(64).startswith(start.encode())
    except OSError:
        return False


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _parse_json(raw: bytes | None) -> Any:
    try:
        return None if raw is None else orjson.loads(raw)
    except (ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        return None


def _read_json(path: Path) -> Any:
    return _parse_json(_read_bytes(path))


def _write_json(path: Path, data: Any) -> None:
    _write_bytes(path, orjson.dumps(data))


def _write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# ------------------------------------------------------------------------- the markup store
class MarkupStore:
    """Rendered documents in one SQLite file: a row per document (name: digest of its source),
    with the key it was made under and its JSON.

    A row is only used under the key its entry expects, so a stale or forged row is a miss,
    and a damaged file is an empty store (it is made again on save). The connection is
    opened per process: the render pool forks, and a SQLite connection must not cross a fork.
    Nothing is synced to disk: a cache lost to a power cut is rebuilt, never trusted wrongly.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: tuple[int, sqlite3.Connection] | None = None

    def read(self, name: str, key: str) -> bytes | None:
        """The JSON stored under ``name`` if it was made under ``key``; None otherwise."""
        if not self.path.exists():
            return None
        try:
            row = self._connect().execute("SELECT data FROM markup WHERE name = ? AND key = ?", (name, key)).fetchone()
        except sqlite3.Error:
            return None
        return bytes(row[0]) if row is not None else None

    def save(self, rows: Mapping[str, tuple[str, Callable[[], bytes]]], keep: set[str]) -> None:
        """Store ``rows`` (name -> key, a maker of its JSON) not already stored under that key; drop the rows
        not in ``keep``. Each JSON is made as it is written: a cold build's 4,000 at once were 100 MB."""
        for attempt in range(2):
            try:
                self._save(rows, keep)
                return
            except sqlite3.DatabaseError:
                if attempt:
                    raise
                self._discard()  # not a database (damaged, or cut short): start a new one

    def _save(self, rows: Mapping[str, tuple[str, Callable[[], bytes]]], keep: set[str]) -> None:
        connection = self._connect()
        stored = dict(connection.execute("SELECT name, key FROM markup").fetchall())
        changed = [name for name, (key, _) in rows.items() if stored.get(name) != key]
        gone = [(name,) for name in stored if name not in keep]
        if changed or gone:
            made = ((name, rows[name][0], rows[name][1]()) for name in changed)
            with connection:
                connection.executemany("INSERT OR REPLACE INTO markup (name, key, data) VALUES (?, ?, ?)", made)
                connection.executemany("DELETE FROM markup WHERE name = ?", gone)

    def _connect(self) -> sqlite3.Connection:
        pid = os.getpid()
        if self._connection is None or self._connection[0] != pid:
            connection = sqlite3.connect(self.path, timeout=30)
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("CREATE TABLE IF NOT EXISTS markup (name TEXT PRIMARY KEY, key TEXT, data BLOB)")
            self._connection = (pid, connection)
        return self._connection[1]

    def _discard(self) -> None:
        if self._connection is not None and self._connection[0] == os.getpid():
            self._connection[1].close()
        self._connection = None
        for suffix in ("", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


_LEGACY_MARKUP_FILE = re.compile(r"[0-9a-f]{32}\.json|\.[0-9a-f]{32}\.json\.\d+\.tmp")


def _remove_legacy_markup_files(folder: Path) -> None:
    """Remove the one-file-per-document markup cache that earlier versions wrote (``markup/``):
    only files named as they named them, and the folder if that empties it."""
    legacy = folder / "markup"
    if not legacy.is_dir():
        return
    for entry in legacy.iterdir():
        if _LEGACY_MARKUP_FILE.fullmatch(entry.name) and entry.is_file():
            entry.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # something else is in it: not ours to remove
        legacy.rmdir()
