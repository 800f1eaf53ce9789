import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from chaowen.errors import BuildError
from chaowen.model import Output
from chaowen.write import check_output_dir, write_site


def test_writes_and_swaps(tmp_path: Path) -> None:
    out = tmp_path / "output"
    stats = write_site(out, [Output("index.html", b"a"), Output("x/index.html", b"b")], {})
    assert stats.written == 2
    assert (out / "x/index.html").read_bytes() == b"b"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_unchanged_files_keep_their_mtime_and_stale_files_go(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("same.html", b"same"), Output("old.html", b"old")], {})
    past = 1_000_000_000
    os.utime(out / "same.html", (past, past))
    stats = write_site(out, [Output("same.html", b"same"), Output("new.html", b"new")], {})
    assert (stats.written, stats.kept) == (1, 1)
    assert (out / "same.html").stat().st_mtime == past
    assert not (out / "old.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_copies_files(tmp_path: Path) -> None:
    source = tmp_path / "图 1.png"
    source.write_bytes(b"png")
    write_site(tmp_path / "output", [], {"images/图 1.png": source})
    assert (tmp_path / "output/images/图 1.png").read_bytes() == b"png"


def test_failure_leaves_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"old")], {})

    def broken() -> Iterator[Output]:
        yield Output("index.html", b"new")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_site(out, broken(), {})
    with pytest.raises(OSError):
        write_site(out, broken(), {}, reuse=False)
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("relative", [".", "content", "content/x", "themes", ".."])
def test_refuses_dangerous_output_folders(tmp_path: Path, relative: str) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    with pytest.raises(BuildError):
        check_output_dir(site / relative, site)


def test_refuses_home(tmp_path: Path) -> None:
    with pytest.raises(BuildError):
        check_output_dir(Path.home(), tmp_path / "site")


def test_unchanged_page_is_kept_and_missing_one_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("a/index.html", b"a")], {})
    stats = write_site(out, [Output("a/index.html", None), Output("b/index.html", b"b")], {})
    assert (stats.written, stats.kept, stats.changed) == (1, 1, ("b/index.html",))
    with pytest.raises(FileNotFoundError):
        write_site(out, [Output("c/index.html", None)], {})
    assert (out / "a/index.html").read_bytes() == b"a"


def test_removed_pages_take_their_empty_folders_with_them(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("essays/a/index.html", b"a"), Output("index.html", b"i")], {})
    stats = write_site(out, [Output("index.html", None)], {})
    assert stats.removed == ("essays/a/index.html",)
    assert not (out / "essays").exists()
