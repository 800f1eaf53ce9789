"""Chinese characters in the search index: the boundaries put between them, and the router of their pairs.

Pages go to Pagefind with a zero-width space (U+200B) between Chinese characters
(:func:`separate_han`), so that every character is a word of the index and a query is
a phrase of characters (``search.py`` says why).

The index is one Pagefind bundle per year (``search.py``). A query of Chinese characters is
searched as a phrase, and a phrase of two or more characters can only be in a shard that holds
each pair of neighbouring characters in it. The router lists, for every pair of Chinese
characters found in the indexed pages, the shards that hold it, so that the search page opens
only those shards instead of loading an index chunk from every year's bundle for every character.

It is JSON split into buckets by a hash of the pair (``pagefind/routes/17.pf_route``), about
8 KB each before compression and 5 KB after, so a query of a few characters fetches a few small
files. A bucket maps a list of shard numbers (their places in ``shards.json``'s list, ``"0,3"``)
to the pairs those shards hold, written one after the other (``"水獭口罩"``). It is compressed
as Pagefind compresses its own files (gzip of ``pagefind_dcd`` and the data), so that the
search page unpacks it with the engine it already has (nearly halves the router's bytes). Characters are paired across tags, spaces
and other text, so the pairs are a superset of what a phrase search can match: the router
never hides a shard that holds a result.

This is a lookup table, not a search engine: Pagefind still finds and ranks the pages.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
BOUNDARY = "\u200b"  # a word boundary for Pagefind that is not shown in excerpts
_HAN_CHAR = re.compile(f"[{HAN}]")
# Tags, and whole elements whose text is a Pagefind filter or metadata value (not to be cut).
_KEEP = re.compile(
    r'<(?P<tag>\w+)\b[^>]*\bdata-pagefind-(?:filter|meta)="[^":]*"[^>]*>.*?</(?P=tag)\s*>|<[^>]*>', re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")
_KEPT = r'<(?P<{0}>\w+)\b[^>]*\bdata-pagefind-(?:filter|meta)="[^":]*"[^>]*>.*?</(?P={0})\s*>'
# What separate_han() goes through: a kept element, tags with nothing or only spaces between them (not a kept
# element), the last space between them in "gap"; or a run of Chinese characters.
_PIECE = re.compile(
    f"{_KEPT.format('tag')}|<[^>]*>(?:(?P<gap>\\s+)?(?!{_KEPT.format('next')})<[^>]*>)*|(?P<run>[{HAN}]+)", re.DOTALL
)
_NOT_HAN = re.compile(f"[^{HAN}]+")
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # a character as one native 32-bit number
_FIRST, _SECOND = (0, 32) if sys.byteorder == "little" else (32, 0)  # where a pair's characters are in its number
BUCKET_BYTES = 8192  # the size a bucket aims at, before compression
PAIR_BYTES = 9  # what a pair takes in a bucket, on average: two characters in UTF-8 and its share of the keys
SIGNATURE = b"pagefind_dcd"  # what Pagefind's decompress() expects at the start of a file it unpacked
SUFFIX = ".pf_route"
MULTIPLIER = 1_000_003  # bucket of a pair = (first code point * MULTIPLIER + second) % buckets, also in JS


def page_pairs(pages: Iterable[str]) -> set[str]:
    """The pairs of neighbouring Chinese characters in ``pages`` (HTML), ignoring tags and any other text."""
    codes: set[int] = set()
    for page in pages:
        add_pair_codes(page, codes)
    return pairs_of_codes(codes)


def add_pair_codes(page: str, codes: set[int]) -> None:
    """Add to ``codes`` the pairs of neighbouring Chinese characters in ``page`` (HTML), each as a number.

    A page has thousands of pairs, most of them repeated: as numbers (the two characters' UTF-32 code units
    read as one 64-bit number) they are made and hashed in C, without a string per pair.
    """
    han = _NOT_HAN.sub("", _TAG.sub("", page))
    if len(han) < 2:
        return
    data = han.encode(_UTF32)
    pairs = len(han) // 2  # the pairs that start at even places; then those at odd places
    codes.update(memoryview(data)[: 8 * pairs].cast("Q").tolist())
    codes.update(memoryview(data)[4 : 4 + 8 * ((len(han) - 1) // 2)].cast("Q").tolist())


def pairs_of_codes(codes: Iterable[int]) -> set[str]:
    """The pairs that :func:`add_pair_codes` numbered, as two-character strings."""
    return {code.to_bytes(8, sys.byteorder).decode(_UTF32) for code in codes}


def code_of(pair: str) -> int:
    """The number :func:`add_pair_codes` gives ``pair`` (two characters)."""
    return int.from_bytes(pair.encode(_UTF32), sys.byteorder)


def bucket_of(pair: str, buckets: int) -> int:
    """The bucket that holds ``pair`` (two characters), as search-engine.js computes it."""
    return (ord(pair[0]) * MULTIPLIER + ord(pair[1])) % buckets


def route_files(shards: Sequence[str], pairs: Mapping[str, Iterable[str]]) -> tuple[int, dict[str, bytes]]:
    """The number of buckets and the bucket files (``"17.pf_route"`` -> bytes) for the shards, in their listed order.

    ``pairs`` gives each shard's pairs (a shard missing from it holds none). The same
    inputs give the same bytes: pairs and shard lists are written sorted.
    """
    return route_codes(shards, {name: {code_of(pair) for pair in found} for name, found in pairs.items()})


def route_codes(shards: Sequence[str], codes: Mapping[str, Iterable[int]]) -> tuple[int, dict[str, bytes]]:
    """:func:`route_files` for pairs numbered by :func:`add_pair_codes` (what the index stage collects)."""
    holders: dict[int, int] = {}  # pair -> its shards, one bit per shard number
    for number, name in enumerate(shards):
        bit, holding = 1 << number, holders.get
        for code in codes.get(name, ()):
            holders[code] = holding(code, 0) | bit
    buckets = max(1, -(-PAIR_BYTES * len(holders) // BUCKET_BYTES))
    keys: dict[int, str] = {}  # shards (bits) -> their numbers as a bucket writes them ("0,3")
    grouped: list[dict[str, list[int]]] = [{} for _ in range(buckets)]
    for code, held in holders.items():
        key = keys.get(held)
        if key is None:
            key = keys[held] = ",".join(str(n) for n in range(held.bit_length()) if held >> n & 1)
        first, second = code >> _FIRST & 0xFFFFFFFF, code >> _SECOND & 0xFFFFFFFF
        grouped[(first * MULTIPLIER + second) % buckets].setdefault(key, []).append(code)  # bucket_of, inline
    files = {}
    for number, groups in enumerate(grouped):
        data = {key: "".join(sorted(pairs_of_codes(found))) for key, found in sorted(groups.items())}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        files[f"{number}{SUFFIX}"] = gzip.compress(SIGNATURE + text, 9, mtime=0)  # no time: the same bytes again
    return buckets, files


def read_pairs(files: Mapping[str, bytes], shards: Sequence[str]) -> dict[str, set[str]]:
    """Each shard's pairs back from bucket files that :func:`route_files` wrote for ``shards``.

    Lets a build that keeps a shard's index route it without reading its pages again.
    Raises ValueError on files that are not such buckets.
    """
    pairs: dict[str, set[str]] = {name: set() for name in shards}
    for data in files.values():
        try:
            text = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise ValueError("not a bucket of the router") from error
        if not text.startswith(SIGNATURE):
            raise ValueError("not a bucket of the router")
        buckets = json.loads(text[len(SIGNATURE) :])
        if not isinstance(buckets, dict):
            raise ValueError("not a bucket of the router")
        for key, text in buckets.items():
            found = {text[i : i + 2] for i in range(0, len(text), 2)}
            for number in str(key).split(","):
                pairs[shards[int(number)]] |= found
    return pairs


def separate_han(page: str) -> str:
    """``page`` (HTML) with a word boundary between every Chinese character and its neighbours in its text.

    Tags, attributes and the text of elements that name a Pagefind filter or metadata
    field are kept as they are; text that shows is unchanged to a reader (the boundary
    has no width) and Pagefind drops it from excerpts. Two runs of text that only tags
    part (``线<a>链``) are parted by a boundary too; after a space or the end of a block
    (``</h1>\\n<p>``) none is needed, and none is put, so that Pagefind still marks where
    a heading ends.
    """
    return _Separator(page).text


class _Separator:
    """One pass of :func:`separate_han` over a page: a regular expression finds, in order, each kept element or
    sequence of tags (left as they are) and each run of Chinese characters (joined by boundaries, and parted from
    a neighbour that is not a space), so that Python runs once per run of characters or of tags, not once per
    character or per piece of text."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.text_from = 0  # where the current piece of text starts: the end of the last tag
        self.last = ""  # the last character of text before the current piece, across tags
        self.text = _PIECE.sub(self._piece, page)

    def _piece(self, match: re.Match[str]) -> str:
        page, start, end = self.page, match.start(), match.end()
        if match.lastgroup != "run":  # a kept element, or tags
            if start > self.text_from:
                self.last = page[start - 1]
            gap = match.group("gap")
            if gap:
                self.last = gap[-1]
            self.text_from = end
            return match.group()
        run = BOUNDARY.join(match.group())
        if start > self.text_from:
            if not page[start - 1].isspace() and page[start - 1] != BOUNDARY:
                run = BOUNDARY + run
        elif start > 0 and _HAN_CHAR.match(self.last):  # text after a tag, and the text before it ends in one
            run = BOUNDARY + run
        if end < len(page):
            after = page[end]
            if not after.isspace() and after != BOUNDARY and not (after == "<" and _KEEP.match(page, end)):
                run += BOUNDARY
        return run
