"""What a page read while it was rendered, and what those reads are worth in a later build.

The renderer never holds the site model itself: it holds :func:`recording` views of
it, through which every field read and every key looked up is written into a
:class:`Recorder` as a *read*, a short string:

=========================  ==============================================================
``doc␟essays/a.md``        a document shown whole (its front matter, bytes and Markdown result)
``docmeta␟essays/a.md``    a document looked up in ``Site.documents``: its front matter, not its body
``by_track␟'iot'``         one key of a mapping field of :class:`~chaowen.model.Site`
``by_track``               the whole field: iterating or sizing a mapping, any other field
``config␟title``           one attribute of the :class:`~chaowen.model.SiteConfig`
``static``                 a name given by the caller (the static files' URLs)
=========================  ==============================================================

(``␟`` is the unit separator ``\\x1f``.) The page manifest keeps each page's reads and
a digest of their values (:meth:`Values.state`); a warm build renders a page again when
that digest changed. Nothing here lists the fields of ``Site``: a field added later is
recorded the first time a page reads it, so there is no list to forget. What cannot be
recorded key by key is recorded whole, which costs re-rendering, never a stale page.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, TypeVar, cast

from .model import Document, Site, SiteConfig

SEP = "\x1f"
K = TypeVar("K")
V = TypeVar("V")


class Recorder:
    """The reads of the page being rendered; the renderer swaps :attr:`reads` per page."""

    __slots__ = ("reads",)

    def __init__(self) -> None:
        self.reads: set[str] = set()

    def read(self, key: str) -> None:
        self.reads.add(key)


def doc_read(source: str) -> str:
    """The read of one document: its bytes, front matter and Markdown result."""
    return f"doc{SEP}{source}"


def meta_read(source: str) -> str:
    """The read of one document's front matter, for a page that looked it up but did not show its body.

    The archive and the track pages read the date, title or track of every document they
    count; an edit of one essay's text must not make all of them depend on that text.
    The body reaches a page only through :func:`doc_read` (an item's summary, the Markdown).
    """
    return f"docmeta{SEP}{source}"


class RecordedMapping(Mapping[K, V]):
    """A mapping that records each key looked up (found or not), and the whole field when iterated or sized."""

    __slots__ = ("_key", "_mapping", "_name", "_recorder")

    def __init__(self, name: str, mapping: Mapping[K, V], recorder: Recorder, key: Callable[[K], str]) -> None:
        self._name = name
        self._mapping = mapping
        self._recorder = recorder
        self._key = key

    def __getitem__(self, key: K) -> V:
        self._recorder.read(self._key(key))
        return self._mapping[key]

    def __iter__(self) -> Iterator[K]:
        self._recorder.read(self._name)
        return iter(self._mapping)

    def __len__(self) -> int:
        self._recorder.read(self._name)
        return len(self._mapping)


class _SiteReads:
    """The site as the renderer sees it: see :func:`recording`."""

    def __init__(self, site: Site, recorder: Recorder) -> None:
        self._site = site
        self._recorder = recorder
        self._wrapped: dict[str, object] = {"config": _ConfigReads(site.config, recorder)}

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):  # not set yet (copying): no lookup
            raise AttributeError(name)
        wrapped = self._wrapped.get(name)
        if wrapped is not None:
            return wrapped
        value = getattr(self._site, name)
        if name == "documents":
            wrapped = RecordedMapping(name, value, self._recorder, meta_read)
        elif isinstance(value, Mapping):
            wrapped = RecordedMapping(name, value, self._recorder, _key_read(name))
        else:  # any other field (a tuple, a value) is read whole, every time
            self._recorder.read(name)
            return value
        self._wrapped[name] = wrapped
        return wrapped


def _key_read(name: str) -> Callable[[object], str]:
    def read(key: object) -> str:
        return f"{name}{SEP}{key!r}"

    return read


class _ConfigReads:
    def __init__(self, config: SiteConfig, recorder: Recorder) -> None:
        self._config = config
        self._recorder = recorder

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        self._recorder.read(f"config{SEP}{name}")
        return getattr(self._config, name)


def recording(site: Site, recorder: Recorder) -> Site:
    """``site`` with every read of its fields, keys and config written into ``recorder``.

    It is not a copy: it answers each attribute from ``site`` and records on the way,
    so it has every field ``Site`` has, now and after one is added.
    """
    return cast(Site, _SiteReads(site, recorder))


class Values:
    """What each read is worth in one build: a page whose reads are worth the same reads the same.

    ``documents`` gives a document's value (a digest of its bytes and Markdown
    result); ``named`` the values of reads the caller records by name (``static``).
    """

    def __init__(
        self,
        site: Site,
        documents: Callable[[str], str],
        named: Mapping[str, str],
        meta: Callable[[Document], str] = lambda document: document_meta(document),
    ) -> None:
        self._site = site
        self._documents = documents
        self._meta = meta
        self._named = named
        self._memo: dict[str, str] = {}
        self._lines: dict[str, bytes] = {}  # read -> digest of "read\nvalue", what state() hashes
        self._keys: dict[str, dict[str, Any]] = {}
        self._related: dict[str | None, str] = {}  # track -> digest of what its related lists are ranked from

    def state(self, reads: Collection[str]) -> str:
        """A digest of the values of ``reads`` (in any order)."""
        lines = self._lines
        ordered = sorted(reads)  # a manifest's reads are stored sorted: this is one pass
        try:  # the common case, every read already worth something in this build: one pass in C
            joined = b"".join(map(lines.__getitem__, ordered))
        except KeyError:
            joined = b"".join(map(self.line, ordered))
        return hashlib.blake2b(joined, digest_size=16).hexdigest()

    def line(self, read: str) -> bytes:
        """A short digest of ``read`` and its value, worked out once per build.

        A page's state hashes these, not the values again (an archive page reads 4,000 documents).
        """
        line = self._lines.get(read)
        if line is None:
            text = f"{read}\n{self.of(read)}".encode("utf-8", "surrogatepass")
            line = self._lines[read] = hashlib.blake2b(text, digest_size=12).digest()
        return line

    @property
    def lines(self) -> Mapping[str, bytes]:
        """Every read worked out in this build so far, with its :meth:`line`."""
        return self._lines

    def changed(self, before: Mapping[str, bytes]) -> set[str]:
        """The reads of ``before`` (another build's :attr:`lines`) whose value is not the same now."""
        line = self.line
        return {read for read, old in before.items() if line(read) != old}

    def of(self, read: str) -> str:
        value = self._memo.get(read)
        if value is None:
            value = self._memo[read] = self._value(read)
        return value

    def _value(self, read: str) -> str:
        if read in self._named:
            return self._named[read]
        head, sep, rest = read.partition(SEP)
        site = self._site
        if head == "doc":
            return self._documents(rest) if rest in site.documents else "gone"
        if head == "docmeta":
            document = site.documents.get(rest)
            return "gone" if document is None else self._meta(document)
        if head == "config":
            return stable(getattr(site.config, rest, _MISSING))
        field = getattr(site, head, _MISSING)
        if not sep:
            if head == "documents":  # every document: the digest of their values
                return _digest(f"{s}={self._documents(s)}" for s in sorted(site.documents))
            return _digest([stable(field)])
        if not isinstance(field, Mapping):
            return "gone"
        keys = self._keys.get(head)
        if keys is None:
            keys = self._keys[head] = {repr(k): k for k in field}
        if rest not in keys:
            return "gone"
        if head == "related":
            return self._related_inputs(keys[rest])
        return stable(field[keys[rest]])

    def _related_inputs(self, source: str) -> str:
        """What ``Site.related[source]`` is computed from, instead of computing it.

        A related list is a pure function of its track's item list and those documents'
        kinds and tags (:class:`chaowen.site.RelatedItems`); ranking every document's list
        to check an unchanged build cost more than the rest of that check.
        """
        site = self._site
        track = site.documents[source].track
        inputs = self._related.get(track)
        if inputs is None:
            documents = site.documents
            members = site.by_track.get(track, ()) if track is not None else ()
            inputs = _digest(f"{s}{SEP}{documents[s].kind}{SEP}{documents[s].tags!r}" for s in members)
            self._related[track] = inputs
        return f"{source}{SEP}{inputs}"


def document_meta(document: Document) -> str:
    """The value of a ``docmeta`` read: a digest of everything about a document but its body and bytes.

    A pure function of the document, so the build cache keeps it beside the document
    (:attr:`chaowen.cache.BuildCache.metas`) instead of working it out in every build.
    """
    return _digest([stable(dataclasses.replace(document, body="", digest=""))])


_MISSING = object()


_PLAIN = (str, int, float, bool, type(None))


def stable(value: object) -> str:
    """``repr`` with sets and mappings in sorted order, so that equal values give equal text in any process."""
    if type(value) in _PLAIN:
        return repr(value)
    if value is _MISSING:
        return "gone"
    if isinstance(value, datetime):
        # The same moment from a fresh parse (a ZoneInfo) and from the cache (a fixed offset)
        # has two reprs; a page must not look changed because its document came from the cache.
        return f"datetime({value.isoformat()})"
    if type(value) is tuple and all(type(v) is str for v in value):
        return repr(value)
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable(v) for v in value)) + "}"
    if isinstance(value, Mapping):
        return "{" + ", ".join(sorted(f"{stable(k)}: {stable(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(stable(v) for v in value) + ")"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{name}={stable(getattr(value, name))}" for name in _field_names(type(value)))
        return f"{type(value).__name__}({inner})"
    return repr(value)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _digest(parts: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()
