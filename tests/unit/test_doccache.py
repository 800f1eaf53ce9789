"""The cache layer around the content stage: what it trusts, what it reads again, what it computes again."""

import functools
import os
from pathlib import Path

import pytest

from chaowen.content import Parsed, parse_file
from chaowen.doccache import RACY_NS, DocumentMemo, FileStat
from tests.conftest import make_config

ESSAY = "---\ntitle: 走进车间\ndate: 2024-03-05\ntrack: 智能物联\nauthor: 王小明\n---\n正文第一段。\n"


class Counting:
    """parse_file for ``source``, counting the calls."""

    def __init__(self, source: str) -> None:
        self.calls = 0
        self.compute = functools.partial(parse_file, source, make_config())

    def __call__(self, raw: bytes, digest: str) -> Parsed:
        self.calls += 1
        return self.compute(raw, digest)


def write_old(path: Path, text: str) -> None:
    """Write ``text`` with a modification time well before now (outside the racy window)."""
    path.write_text(text, encoding="utf-8")
    old = path.stat().st_mtime_ns - 10 * RACY_NS
    os.utime(path, ns=(old, old))


def test_an_unchanged_file_is_neither_read_nor_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chaowen.doccache

    path = tmp_path / "a.md"
    write_old(path, ESSAY)
    memo, compute, known, reads = DocumentMemo(), Counting("essays/a.md"), {}, []
    original = chaowen.doccache.read_source
    monkeypatch.setattr(chaowen.doccache, "read_source", lambda s, p: reads.append(s) or original(s, p))
    memo.start(known, {}, "settings", on_disk=False)
    first = memo.parsed("essays/a.md", path, compute)
    stats, live = memo.finish()
    memo.start(known, stats, "settings", on_disk=False)
    again = memo.parsed("essays/a.md", path, compute)
    assert first is not None and again is not None and again.document == first.document
    assert (compute.calls, reads) == (1, ["essays/a.md"])
    assert set(stats) == {"essays/a.md"} and live == {first.document.digest} == set(known)


def test_the_same_bytes_are_parsed_once_but_not_for_another_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    write_old(path, ESSAY)
    known: dict = {}
    for source, expected_calls in (("essays/a.md", 1), ("essays/a.md", 0), ("essays/b.md", 1)):
        memo, compute = DocumentMemo(), Counting(source)  # a new process: nothing trusted by stat
        memo.start(known, {}, "settings", on_disk=False)
        result = memo.parsed(source, path, compute)
        assert result is not None and result.document is not None and result.document.source == source
        assert result.document.body == "正文第一段。\n"
        assert compute.calls == expected_calls, source


def test_a_stat_recorded_by_another_process_is_trusted_unless_taken_right_after_a_save(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    write_old(path, ESSAY)
    known: dict = {}
    memo = DocumentMemo()
    memo.start(known, {}, "settings", on_disk=True)
    assert memo.parsed("essays/a.md", path, Counting("essays/a.md")) is not None
    stats, _ = memo.finish()
    stat = stats["essays/a.md"]
    for read_ns, expected_calls in ((stat.read_ns, 0), (stat.mtime_ns + RACY_NS // 2, 1)):
        recorded = {"essays/a.md": FileStat(stat.mtime_ns, stat.size, stat.inode, stat.digest, read_ns)}
        compute = Counting("essays/a.md")
        later = DocumentMemo()  # another process, with the cache as saved; the racy stat makes it read and hash
        later.start({d: v for d, v in known.items()}, recorded, "settings", on_disk=True)
        path.write_text(ESSAY.replace("走进车间", "走出车间"), encoding="utf-8")  # same size, same mtime
        os.utime(path, ns=(stat.mtime_ns, stat.mtime_ns))
        result = later.parsed("essays/a.md", path, compute)
        assert result is not None and result.document is not None
        assert compute.calls == expected_calls
        assert result.document.title == ("走进车间" if expected_calls == 0 else "走出车间")
        write_old(path, ESSAY)
        os.utime(path, ns=(stat.mtime_ns, stat.mtime_ns))


def test_a_changed_configuration_forgets_what_this_process_read(tmp_path: Path) -> None:
    """A document checked against the old tracks must not be kept by its stat under new ones."""
    path = tmp_path / "a.md"
    write_old(path, ESSAY)
    memo, compute = DocumentMemo(), Counting("essays/a.md")
    memo.start({}, {}, "old config", on_disk=False)
    memo.parsed("essays/a.md", path, compute)
    memo.finish()
    memo.start({}, {}, "new config", on_disk=False)
    memo.parsed("essays/a.md", path, compute)
    assert compute.calls == 2
