"""How each output file of the last build was made, and what its links found.

The page half of the build cache (:mod:`chaowen.cache` keeps it on disk with the
rest): per output folder, a :class:`PageEntry` for each file, which tells whether
rendering the page again would give the same bytes, and a :class:`LinkMemo` of
the last link pass there, with each page's links and ids (:class:`Scans`), so a
rebuild checks the links of the pages that changed only. Plain data and its JSON
form; no file I/O here.
"""

from __future__ import annotations

import base64
import binascii
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from . import messages
from .codec import as_str as _str
from .codec import as_strs as _strs
from .model import BrokenLink, PageScan


@dataclass(frozen=True, slots=True)
class PageEntry:
    """How an output file was made: enough to tell whether making it again would give the same bytes."""

    base: str  # digest of the template (with what it includes), the page path and its own data (PageSpec.data)
    reads: tuple[str, ...]  # what the page read while rendered (see chaowen.reads)
    state: str  # digest of the values of those reads then
    size: int  # bytes of the output file, to notice it was edited or deleted since


@dataclass
class LinkMemo:
    """The link pass of the last build into one output folder.

    ``files`` is a digest of every output path, ``broken`` what each page's links
    found. ``scans`` (each HTML page's links and ids) lives in a file of its own,
    read only when a page changed; None until then. ``stamp`` ties the two files
    together: a scans file with another stamp is from another build and is ignored.
    """

    stamp: str
    files: str
    broken: dict[str, tuple[BrokenLink, ...]]
    scans: Scans | None = None


_SEPARATOR = "\x00"


class Scans(Mapping[str, PageScan]):
    """Page scans as the cache keeps them: each page's links and ids as two strings, decoded on use.

    Decoding some 85,000 links of a 1,000-document site into tuples would cost more
    than the link pass itself; a rebuild needs only the few pages it checks. Beside
    each scan: the output files the page's links lead to (``targets``, one string),
    and ``files``, every output file of that build (None: not known).
    """

    def __init__(
        self,
        encoded: Mapping[str, list[str]],
        decoded: Mapping[str, PageScan],
        targets: Mapping[str, str] | None = None,
        files: frozenset[str] | None = None,
    ) -> None:
        self._encoded = dict(encoded)
        self._decoded = dict(decoded)
        self.targets = dict(targets or {})
        self.files = files

    def __getitem__(self, page: str) -> PageScan:
        scan = self._decoded.get(page)
        if scan is None:
            links, ids = self._encoded[page]
            scan = self._decoded[page] = PageScan(
                tuple((link[1:], link[0] == "R") for link in links.split(_SEPARATOR) if link),
                frozenset(i for i in ids.split(_SEPARATOR) if i),
            )
        return scan

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded.keys() | self._decoded.keys())

    def __len__(self) -> int:
        return len(self._encoded.keys() | self._decoded.keys())

    def may_lead_to(self, page: str, files: AbstractSet[str]) -> bool:
        """Whether a link of ``page`` may lead to one of ``files`` (True when its targets are not known)."""
        targets = self.targets.get(page)
        if targets is None:
            return True
        # A substring test: at worst a page is checked for nothing. A link to a folder without
        # its slash (essays/a) leads to its index.html once there is one.
        return any(file in targets or file.removesuffix("/index.html") in targets for file in files)

    def carried(
        self,
        pages: Iterable[str],
        new: Mapping[str, PageScan],
        targets: Mapping[str, AbstractSet[str]],
        files: frozenset[str],
    ) -> Scans:
        """The scans of ``pages``: from ``new`` where it has them, else as kept here (still encoded);
        the targets from ``targets`` where it has them, else as kept here."""
        pages = list(pages)
        encoded = {p: self._encoded[p] for p in pages if p not in new and p in self._encoded}
        decoded = {p: new[p] if p in new else self._decoded[p] for p in pages if p in new or p in self._decoded}
        kept = {p: _SEPARATOR.join(sorted(targets[p])) if p in targets else self.targets.get(p) for p in pages}
        return Scans(encoded, decoded, {p: t for p, t in kept.items() if t is not None}, files)

    def encoded(self) -> dict[str, list[str]]:
        """Every scan as stored; a page whose links contain the separator is left out (it is read again)."""
        found = {p: [*scan, self.targets.get(p, "")] for p, scan in self._encoded.items() if p in self.targets}
        for page, scan in self._decoded.items():
            if page in found or page not in self.targets:
                continue
            texts = [("R" if resource else "L") + url for url, resource in scan.links]
            if not any(_SEPARATOR in text for text in (*texts, *scan.ids)):
                found[page] = [_SEPARATOR.join(texts), _SEPARATOR.join(sorted(scan.ids)), self.targets[page]]
        return found


# ------------------------------------------------------------------------- JSON
def manifest_to_json(pages: Mapping[str, PageEntry]) -> dict[str, Any]:
    """The manifest with each read written once: a table of reads, and each page's reads as indexes into it.

    A 4,000-document site's pages make a million reads of some 20,000 distinct ones (an
    archive page reads every document's front matter). As strings per page they made a
    40 MB file whose parsing cost more than checking it; packed, a read is four bytes.
    """
    table = sorted({read for entry in pages.values() for read in entry.reads})
    index = {read: i for i, read in enumerate(table)}
    return {
        "reads": table,
        "pages": {p: [e.base, _pack(map(index.__getitem__, e.reads)), e.state, e.size] for p, e in pages.items()},
    }


def manifest_update(before: Mapping[str, PageEntry], encoded: Any, pages: Mapping[str, PageEntry]) -> dict[str, Any]:
    """The JSON of ``pages``, given ``encoded``, the JSON of ``before``: an entry that is still the one of
    ``before`` keeps its row, and only the others are packed, against the same table of reads.

    When a page read something the table lacks, the whole manifest is encoded again (which also
    drops the reads no page makes any more); until then the table may hold a few of those.
    """
    table: list[str] = encoded["reads"]
    rows: Mapping[str, Any] = encoded["pages"]
    index: dict[str, int] | None = None
    packed: dict[str, Any] = {}
    for path, entry in pages.items():
        if before.get(path) is entry:
            packed[path] = rows[path]
            continue
        if index is None:
            index = {read: i for i, read in enumerate(table)}
        try:
            indexes = _pack(map(index.__getitem__, entry.reads))
        except KeyError:  # a read the table lacks
            return manifest_to_json(pages)
        packed[path] = [entry.base, indexes, entry.state, entry.size]
    return {"reads": table, "pages": packed}


def manifest_from_json(data: Mapping[Any, Any]) -> dict[str, PageEntry]:
    """Raises KeyError/TypeError/ValueError on bad data (an index out of the table included)."""
    table = _strs(data["reads"])  # each read one string in memory, shared by every page that made it
    return {
        _str(p): PageEntry(_str(e[0]), tuple(map(table.__getitem__, _unpack(e[1]))), _str(e[2]), int(e[3]))
        for p, e in data["pages"].items()
    }


def lines_to_json(encoded: Mapping[str, Any], lines: Mapping[str, bytes]) -> list[Any] | None:
    """The value digest of each read in the table of ``encoded`` (a manifest's JSON), in its order: how
    many, each one's length, and all of them as one base64 string; None when a read of the table has
    none, or they differ in length (nothing is stored then)."""
    table = encoded["reads"]
    try:
        found = [lines[read] for read in table]
    except KeyError:
        return None
    widths = set(map(len, found))
    if len(widths) != 1:
        return None
    return [len(found), widths.pop(), base64.b64encode(b"".join(found)).decode("ascii")]


def lines_from_json(encoded: Mapping[str, Any], packed: Any) -> dict[str, bytes] | None:
    """What :func:`lines_to_json` stored for the manifest whose JSON is ``encoded``; None when it does not fit."""
    table = encoded["reads"]
    count, width, text = packed
    raw = base64.b64decode(_str(text), validate=True)
    if count != len(table) or not isinstance(width, int) or width < 1 or len(raw) != count * width:
        return None
    return {read: raw[i * width : (i + 1) * width] for i, read in enumerate(table)}


# Read indexes as unsigned 32-bit little-endian integers, base64 in the JSON.
_INDEX_TYPE = next(code for code in "IL" if array(code).itemsize == 4)


def _pack(indexes: Iterable[int]) -> str:
    packed = array(_INDEX_TYPE, indexes)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _unpack(text: object) -> array[int]:
    # base64.b64decode(validate=True) checks with a regular expression first: a third of decoding a
    # 4,000-document manifest. Strict mode refuses the same inputs in C. binascii.Error is a ValueError.
    raw = binascii.a2b_base64(_str(text), strict_mode=True)
    if len(raw) % 4:
        raise ValueError("truncated read indexes")
    unpacked = array(_INDEX_TYPE, raw)
    if sys.byteorder == "big":
        unpacked.byteswap()
    return unpacked


def link_memo_to_json(memo: LinkMemo) -> dict[str, Any]:
    """The memo without its scans (they have a file of their own)."""
    return {
        "stamp": memo.stamp,
        "files": memo.files,
        "broken": {p: [_broken_to_json(b) for b in found] for p, found in memo.broken.items()},
    }


def link_memo_from_json(memo: Mapping[Any, Any]) -> LinkMemo:
    """Raises KeyError/TypeError/ValueError on bad data."""
    return LinkMemo(
        _str(memo["stamp"]),
        _str(memo["files"]),
        {_str(p): tuple(_broken_from_json(p, b) for b in found) for p, found in memo["broken"].items()},
    )


def scans_from_json(data: Any, stamp: str) -> Scans | None:
    """The scans file of the link memo with ``stamp``; None when it is another build's or unreadable."""
    try:
        if isinstance(data, dict) and data.get("stamp") == stamp:
            encoded = {_str(p): [_str(links), _str(ids)] for p, (links, ids, _) in data["scans"].items()}
            targets = {_str(p): _str(targets) for p, (_, _, targets) in data["scans"].items()}
            return Scans(encoded, {}, targets, frozenset(_strs(data["files"])))
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    return None


def scans_to_json(memo: LinkMemo) -> dict[str, Any]:
    scans = memo.scans if memo.scans is not None else Scans({}, {})
    return {"stamp": memo.stamp, "files": sorted(scans.files or ()), "scans": scans.encoded()}


def _broken_to_json(link: BrokenLink) -> list[Any]:
    return [link.url, link.file, link.fragment, link.message.to_json(), link.hint.to_json(), link.error]


def _broken_from_json(page: str, data: list[Any]) -> BrokenLink:
    url, file, fragment, message, hint, error = data
    return BrokenLink(
        page,
        _str(url),
        _str(file),
        _str(fragment),
        messages.Text.from_json(message),
        messages.Text.from_json(hint),
        bool(error),
    )
