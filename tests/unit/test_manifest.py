"""The page manifest on disk: each read written once, pages referring to them; bad data is refused."""

from __future__ import annotations

import base64
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from chaowen.cache import BuildCache
from chaowen.manifest import (
    PageEntry,
    lines_from_json,
    lines_to_json,
    manifest_from_json,
    manifest_to_json,
    manifest_update,
)
from chaowen.model import Document

SEP = "\x1f"

PAGES = {
    "index.html": PageEntry("b1", (f"docmeta{SEP}essays/a.md", f"docmeta{SEP}essays/b.md", "items"), "s1", 10),
    "essays/a/index.html": PageEntry("b2", (f"doc{SEP}essays/a.md", f"docmeta{SEP}essays/b.md"), "s2", 20),
    "empty.html": PageEntry("b3", (), "s3", 0),
}


def test_a_manifest_comes_back_as_it_was_written() -> None:
    data = orjson.loads(orjson.dumps(manifest_to_json(PAGES)))
    assert manifest_from_json(data) == PAGES


def test_each_read_is_written_once_however_many_pages_made_it() -> None:
    reads = tuple(f"docmeta{SEP}essays/long-name-{j}.md" for j in range(50))
    many = {f"p{i}.html": PageEntry("b", reads, "s", 1) for i in range(200)}
    text = orjson.dumps(manifest_to_json(many))
    assert text.count(b"long-name-7.md") == 1
    # 200 pages x 50 reads as text would be over 300 KB; four bytes a read (in base64) make about 60 KB
    assert len(text) < 70_000


def test_the_reads_of_every_page_are_one_string_each_in_memory() -> None:
    loaded = manifest_from_json(orjson.loads(orjson.dumps(manifest_to_json(PAGES))))
    shared = f"docmeta{SEP}essays/b.md"
    first = next(r for r in loaded["index.html"].reads if r == shared)
    second = next(r for r in loaded["essays/a/index.html"].reads if r == shared)
    assert first is second


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["pages"]["index.html"].__setitem__(
            1, base64.b64encode(b"\xff\xff\x00\x00").decode()
        ),  # no such read
        lambda d: d["pages"]["index.html"].__setitem__(1, "not base64!"),
        lambda d: d["pages"]["index.html"].__setitem__(1, base64.b64encode(b"\x01\x00").decode()),  # half an index
        lambda d: d.__setitem__("reads", [1, 2]),
    ],
)
def test_a_spoilt_manifest_is_refused_with_an_error_the_cache_catches(spoil: Any) -> None:
    data = orjson.loads(orjson.dumps(manifest_to_json(PAGES)))
    spoil(data)
    with pytest.raises((LookupError, TypeError, ValueError)):
        manifest_from_json(data)


def test_a_cache_with_a_spoilt_manifest_is_dropped_whole_not_trusted(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, settings="x")
    cache.manifests["out"] = dict(PAGES)
    cache.save(set(), set())
    index = tmp_path / "index.json"
    data = orjson.loads(index.read_bytes())
    data["manifests"]["out"]["pages"]["index.html"][1] = base64.b64encode(b"\x00\x01\x00\x00").decode()
    index.write_bytes(orjson.dumps(data))
    again = BuildCache(tmp_path, settings="x")
    again.load()
    assert again.manifests == {}


def test_an_unchanged_manifest_is_saved_as_read_and_a_changed_one_anew(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, settings="x")
    cache.manifests["out"] = dict(PAGES)
    cache.save(set(), set())
    first = (tmp_path / "index.json").read_bytes()

    again = BuildCache(tmp_path, settings="x")
    again.load()
    assert again.manifests["out"] == PAGES
    again.manifests["out"] = dict(again.manifests["out"])  # a build keeps every page
    again.save(set(), set())
    assert (tmp_path / "index.json").read_bytes() == first

    changed = dict(again.manifests["out"])
    changed["index.html"] = PageEntry("b1", (f"docmeta{SEP}essays/c.md",), "s9", 11)
    again.manifests["out"] = changed
    again.save(set(), set())
    third = BuildCache(tmp_path, settings="x")
    third.load()
    assert third.manifests["out"]["index.html"] == changed["index.html"]
    assert third.manifests["out"]["empty.html"] == PAGES["empty.html"]


def test_a_document_meta_is_worked_out_once_and_again_when_its_bytes_change(tmp_path: Path) -> None:
    worked: list[str] = []

    def compute(document: Document) -> str:
        worked.append(document.digest)
        return f"meta of {document.digest}"

    document = SimpleNamespace(source="essays/a.md", digest="d1")
    cache = BuildCache(tmp_path, settings="x")
    assert cache.meta(document, compute) == "meta of d1"
    assert cache.meta(document, compute) == "meta of d1"
    cache.save({"essays/a.md"}, {"d1"})
    again = BuildCache(tmp_path, settings="x")
    again.load()
    assert again.meta(document, compute) == "meta of d1"
    assert worked == ["d1"]
    edited = SimpleNamespace(source="essays/a.md", digest="d2")
    assert again.meta(edited, compute) == "meta of d2"
    assert worked == ["d1", "d2"]


def test_a_changed_entry_is_packed_against_the_table_read_and_the_others_keep_their_rows() -> None:
    encoded = orjson.loads(orjson.dumps(manifest_to_json(PAGES)))
    before = manifest_from_json(encoded)
    pages = dict(before)
    pages["empty.html"] = PageEntry("b3", (f"doc{SEP}essays/a.md",), "s4", 5)  # a read the table has
    updated = manifest_update(before, encoded, pages)
    assert updated["reads"] is encoded["reads"]
    assert updated["pages"]["index.html"] is encoded["pages"]["index.html"]
    assert manifest_from_json(orjson.loads(orjson.dumps(updated))) == pages


def test_a_changed_entry_with_a_read_the_table_lacks_encodes_the_manifest_anew() -> None:
    encoded = orjson.loads(orjson.dumps(manifest_to_json(PAGES)))
    before = manifest_from_json(encoded)
    pages = {path: entry for path, entry in before.items() if path != "index.html"}  # a page gone
    pages["new.html"] = PageEntry("b4", (f"doc{SEP}essays/new.md",), "s5", 7)
    updated = manifest_update(before, encoded, pages)
    assert f"doc{SEP}essays/new.md" in updated["reads"]
    assert "items" not in updated["reads"]  # anew: the reads no page makes are gone
    assert manifest_from_json(orjson.loads(orjson.dumps(updated))) == pages


def test_the_value_of_each_read_comes_back_with_its_manifest_or_not_at_all() -> None:
    encoded = manifest_to_json(PAGES)
    lines = {read: bytes([i]) * 12 for i, read in enumerate(encoded["reads"])}
    packed = lines_to_json(encoded, lines)
    assert lines_from_json(encoded, packed) == lines
    assert lines_to_json(encoded, {read: v for read, v in list(lines.items())[1:]}) is None  # one missing
    other = manifest_to_json({"p.html": PageEntry("b", ("items",), "s", 1)})
    assert lines_from_json(other, packed) is None  # another manifest's: does not fit


def test_the_values_of_the_reads_are_kept_with_the_manifest_they_made(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, settings="x")
    cache.manifests["out"] = dict(PAGES)
    encoded = manifest_to_json(PAGES)
    cache.lines["out"] = {read: bytes([i]) * 12 for i, read in enumerate(encoded["reads"])}
    cache.save(set(), set())
    again = BuildCache(tmp_path, settings="x")
    again.load()
    assert again.lines["out"] == cache.lines["out"]
    changed = dict(again.manifests["out"])
    changed["new.html"] = PageEntry("b4", (f"doc{SEP}essays/new.md",), "s5", 7)
    again.manifests["out"] = changed
    again.save(set(), set())  # the values of the new page's reads are not known: none are kept
    third = BuildCache(tmp_path, settings="x")
    third.load()
    assert "out" not in third.lines
    assert third.manifests["out"] == changed
