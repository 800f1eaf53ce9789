import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chaowen import write as write_module
from chaowen.errors import BuildError
from chaowen.model import Output
from chaowen.write import MANIFEST, Listings, Staging, check_output_dir, owned_files, write_site
from tests.snapshot import snapshot


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


def test_refuses_home_and_the_root(tmp_path: Path) -> None:
    for folder, reason in ((Path.home(), "这是用户主目录"), (Path("/"), "这是站点的上级目录")):
        with pytest.raises(BuildError) as raised:
            check_output_dir(folder, tmp_path / "site")
        [problem] = raised.value.problems
        assert problem.format() == (
            f"{folder}: 不能把输出目录设为 {folder}：{reason}（请使用单独的目录，例如站点下的 output/）"
        )


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


# ----------------------------------------------------------------- whose files are whose
def _foreign_files(out: Path, outside: Path) -> None:
    """What a user keeps beside a published site: at the top, deeper, hidden, and a link leading out."""
    (out / "CNAME").write_text("journal.example.org\n", encoding="utf-8")
    (out / ".git/objects/ab").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / ".git/objects/ab/cdef").write_bytes(b"\x00blob")
    (out / "essays/a/notes.txt").write_text("手写的笔记\n", encoding="utf-8")
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("outside\n", encoding="utf-8")
    (out / "essays/link").symlink_to(outside, target_is_directory=True)
    (out / "essays/a/link.html").symlink_to(outside / "secret.txt")


def _only_foreign(tree: dict[str, tuple[str, bytes, int]]) -> dict[str, tuple[str, bytes, int]]:
    ours = {MANIFEST, "index.html", "essays", "essays/a", "essays/a/index.html", "essays/b", "essays/b/index.html"}
    return {k: v for k, v in tree.items() if k not in ours}


def test_the_manifest_lists_exactly_the_files_chaowen_wrote(tmp_path: Path) -> None:
    out = tmp_path / "output"
    source = tmp_path / "a.png"
    source.write_bytes(b"png")
    write_site(out, [Output("index.html", b"i"), Output("essays/a/index.html", b"a")], {"images/a.png": source})
    data = json.loads((out / MANIFEST).read_bytes())
    assert data["files"] == ["essays/a/index.html", "images/a.png", "index.html"]
    assert owned_files(out) == frozenset(data["files"])
    write_site(out, [Output("index.html", b"i")], {})
    assert json.loads((out / MANIFEST).read_bytes())["files"] == ["index.html"]


def test_foreign_files_survive_rebuilds_clean_builds_and_failed_builds(tmp_path: Path) -> None:
    out = tmp_path / "output"
    pages = [Output("index.html", b"i"), Output("essays/a/index.html", b"a"), Output("essays/b/index.html", b"b")]
    write_site(out, pages, {})
    _foreign_files(out, tmp_path / "outside")
    foreign = _only_foreign(snapshot(out))
    outside = snapshot(tmp_path / "outside")
    assert len(foreign) == 9

    stats = write_site(out, [Output("index.html", b"i2"), Output("essays/a/index.html", b"a")], {})
    assert (stats.written, stats.removed, stats.foreign) == (1, ("essays/b/index.html",), 5)
    assert _only_foreign(snapshot(out)) == foreign
    assert not (out / "essays/b").exists()  # the folder chaowen emptied goes; essays/ holds a user's link

    stats = write_site(out, pages, {}, reuse=False)
    assert (stats.written, stats.foreign) == (3, 5)
    assert _only_foreign(snapshot(out)) == foreign

    before = snapshot(out)

    def broken() -> Iterator[Output]:
        yield Output("index.html", b"new")
        raise OSError("disk full")

    for reuse in (True, False):
        with pytest.raises(OSError):
            write_site(out, broken(), {}, reuse=reuse)
    assert snapshot(out) == before
    assert snapshot(tmp_path / "outside") == outside
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "outside"]


@pytest.mark.parametrize(
    ("foreign", "path"),
    [
        ("file", "CNAME"),  # the site has a CNAME too
        ("file", "essays/c/index.html"),  # a page the user added where a new essay goes
        ("link", "essays/c/index.html"),  # a link: writing would go through it
        ("folder-link", "essays/c"),  # a link to a folder outside: the page would be written there
        ("folder", "essays/c/index.html"),  # a folder where the page goes
    ],
)
def test_a_foreign_file_where_the_site_writes_is_refused_before_anything_is_written(
    tmp_path: Path, foreign: str, path: str
) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"i"), Output("essays/a/index.html", b"a")], {})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(b"theirs")
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if foreign == "file":
        target.write_bytes(b"theirs")
    elif foreign == "link":
        target.symlink_to(outside / "index.html")
    elif foreign == "folder-link":
        target.symlink_to(outside, target_is_directory=True)
    else:
        target.mkdir()
        (target / "keep.txt").write_bytes(b"theirs")
    before, outside_before = snapshot(out), snapshot(outside)
    pages = [Output("index.html", b"i2"), Output("essays/c/index.html", b"c"), Output("CNAME", b"cname")]
    for reuse in (True, False):
        with pytest.raises(BuildError) as raised:
            write_site(out, pages, {}, reuse=reuse)
        [problem] = raised.value.problems
        assert problem.format() == (
            f"{out / path}: {out / path} 不是 chaowen 生成的，但生成的网站要写入这个位置，没有改动任何文件"
            "（请把它移走或改名，或换一个输出目录）"
        )
    assert snapshot(out) == before
    assert snapshot(outside) == outside_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "outside"]


def test_a_page_the_user_replaced_by_a_link_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"i"), Output("old/index.html", b"o")], {})
    (tmp_path / "elsewhere.html").write_bytes(b"theirs")
    (out / "old/index.html").unlink()
    (out / "old/index.html").symlink_to(tmp_path / "elsewhere.html")
    stats = write_site(out, [Output("index.html", b"i")], {})
    assert stats.removed == ("old/index.html",)  # no longer the site's ...
    assert (out / "old/index.html").is_symlink()  # ... but the link is the user's now
    assert (tmp_path / "elsewhere.html").read_bytes() == b"theirs"
    assert owned_files(out) == {"index.html"}


def test_an_empty_folder_is_new_and_a_folder_chaowen_never_wrote_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert write_site(empty, [Output("index.html", b"i")], {}).written == 1
    assert owned_files(empty) == {"index.html"}

    theirs = tmp_path / "theirs"
    (theirs / "sub").mkdir(parents=True)
    (theirs / "notes.txt").write_text("keep\n", encoding="utf-8")
    (theirs / "sub/keep.txt").write_text("x\n", encoding="utf-8")
    before = snapshot(theirs)
    for reuse in (True, False):
        with pytest.raises(BuildError) as raised:
            write_site(theirs, [Output("index.html", b"i")], {}, reuse=reuse)
        [problem] = raised.value.problems
        assert problem.format() == (
            f"{theirs}: 输出目录 {theirs} 里已有文件，但不是 chaowen 生成的（没有 .chaowen-manifest.json），没有改动任何文件"
            "（chaowen 只删除或替换它自己生成的文件：请换一个空目录或新目录，或先把里面的文件移走；"
            "旧版 chaowen 生成的目录可以整个删除后重新生成）"
        )
    with pytest.raises(BuildError):
        check_output_dir(theirs, tmp_path / "site")
    assert snapshot(theirs) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "theirs"]


@pytest.mark.parametrize(
    "manifest",
    [
        b"{not json",
        b'{"generator": "chaowen", "format": 1, "files": ["../theirs/notes.txt"]}',
        b'{"generator": "chaowen", "format": 1, "files": ["/etc/hostname"]}',
        b'{"generator": "chaowen", "format": 1, "files": ["a/./b"]}',
        b'{"generator": "someone", "format": 1, "files": []}',
    ],
)
def test_a_damaged_manifest_claims_nothing(tmp_path: Path, manifest: bytes) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / MANIFEST).write_bytes(manifest)
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs/notes.txt").write_bytes(b"keep")
    with pytest.raises(BuildError) as raised:
        write_site(out, [], {})
    [problem] = raised.value.problems
    assert problem.format() == (
        f"{out}: 输出目录 {out} 里的 .chaowen-manifest.json 已损坏，无法确定哪些文件是 chaowen 生成的，没有改动任何文件"
        "（请换一个空目录或新目录，或先把里面的文件移走）"
    )
    assert (out / MANIFEST).read_bytes() == manifest
    assert (tmp_path / "theirs/notes.txt").read_bytes() == b"keep"


def test_an_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.write_bytes(b"theirs")
    with pytest.raises(BuildError) as raised:
        write_site(out, [Output("index.html", b"i")], {})
    assert [p.format() for p in raised.value.problems] == [
        f"{out}: {out} 是一个文件，不是目录，没有改动任何文件（请用 --output 指定一个目录）"
    ]
    assert out.read_bytes() == b"theirs"


def test_the_staging_folder_of_a_killed_build_is_removed_and_a_running_one_kept(tmp_path: Path) -> None:
    out = tmp_path / "output"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f".output.staging-{int(dead.stdout)}"
    running = tmp_path / f".output.staging-{os.getppid()}"
    other = tmp_path / f".other.staging-{int(dead.stdout)}"
    for folder in (abandoned, running, other):
        (folder / "x").mkdir(parents=True)
    write_site(out, [Output("index.html", b"i")], {})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["output", running.name, other.name])


def test_staging_reports_what_it_would_keep(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"i")], {})
    with Staging(out) as staging:
        assert staging.existing == {"index.html"}
    with Staging(out, reuse=False) as staging:
        assert staging.existing == frozenset()


def test_collisions_are_refused_before_anything_is_staged(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"i")], {})
    (out / "CNAME").write_bytes(b"theirs")
    with Staging(out) as staging:
        staging.refuse_collisions(["index.html", "essays/a/index.html"])  # ours, or free
        with pytest.raises(BuildError) as raised:
            staging.refuse_collisions(["index.html", "CNAME"])
        assert [p.path for p in raised.value.problems] == [str(out / "CNAME")]
        assert not any(staging.folder.iterdir())


def test_a_file_the_user_puts_where_a_page_goes_during_the_build_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"i")], {})
    with Staging(out) as staging:
        staging.put(Output("index.html", b"i2"))
        staging.put(Output("new/index.html", b"n"))
        (out / "new").mkdir()
        (out / "new/index.html").write_bytes(b"theirs")  # while the site was being rendered
        with pytest.raises(BuildError) as raised:
            staging.commit()
    assert [p.path for p in raised.value.problems] == [str(out / "new/index.html")]
    assert (out / "new/index.html").read_bytes() == b"theirs" and (out / "index.html").read_bytes() == b"i"


def test_the_users_folder_the_site_writes_into_keeps_its_files_and_they_are_counted(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"i")], {})
    (out / "extra/deeper").mkdir(parents=True)
    (out / "extra/notes.txt").write_bytes(b"theirs")
    (out / "extra/deeper/more.txt").write_bytes(b"theirs")
    (out / ".git").mkdir()
    (out / ".git/HEAD").write_bytes(b"ref")
    assert write_site(out, [Output("index.html", b"i")], {}).foreign == 2  # extra/ and .git/, once each
    stats = write_site(out, [Output("index.html", b"i"), Output("extra/page/index.html", b"p")], {})
    assert stats.foreign == 3  # .git/, extra/notes.txt, extra/deeper/
    assert write_site(out, [Output("index.html", b"i"), Output("extra/page/index.html", b"p")], {}).foreign == 3
    assert (out / "extra/notes.txt").read_bytes() == b"theirs"
    assert (out / "extra/deeper/more.txt").read_bytes() == b"theirs"
    assert write_site(out, [Output("index.html", b"i")], {}).foreign == 2
    assert not (out / "extra/page").exists() and (out / "extra/notes.txt").exists()


def _age(out: Path) -> None:
    """Date every folder of ``out`` a minute back: listed now, their listings may be used again."""
    past = os.stat(out).st_mtime - 60
    for folder in [out, *(p for p in out.rglob("*") if p.is_dir() and not p.is_symlink())]:
        os.utime(folder, (past, past))


def _commit(out: Path, listings: Listings, pages: list[Output]) -> int:
    with Staging(out, listings=listings) as staging:
        for page in pages:
            staging.put(page)
        return staging.commit().foreign


def test_a_rebuild_lists_again_only_the_folders_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    pages = [Output("index.html", b"i"), Output("a/index.html", b"a"), Output("b/index.html", b"b")]
    write_site(out, pages, {})
    _age(out)
    listings = Listings()
    assert _commit(out, listings, pages) == 0
    listed: list[str] = []
    real = write_module._listing
    monkeypatch.setattr(write_module, "_listing", lambda path: listed.append(path) or real(path))
    assert _commit(out, listings, pages) == 0
    assert listed == []  # nothing changed: a stat per folder
    (out / "b/notes.txt").write_bytes(b"theirs")
    assert _commit(out, listings, pages) == 1  # the user's file is seen, and left
    assert listed == [f"{out}/b"]
    assert (out / "b/notes.txt").read_bytes() == b"theirs"


def test_a_page_the_user_replaced_by_a_link_in_an_old_folder_is_seen(tmp_path: Path) -> None:
    out = tmp_path / "output"
    pages = [Output("index.html", b"i"), Output("a/index.html", b"a")]
    write_site(out, pages, {})
    _age(out)
    listings = Listings()
    _commit(out, listings, pages)
    (tmp_path / "elsewhere.html").write_bytes(b"theirs")
    (out / "a/index.html").unlink()
    (out / "a/index.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(BuildError):
        _commit(out, listings, [Output("index.html", b"i"), Output("a/index.html", b"a2")])
    assert (tmp_path / "elsewhere.html").read_bytes() == b"theirs"


def test_listings_of_a_folder_listed_just_after_a_change_are_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "output"
    pages = [Output("index.html", b"i"), Output("a/index.html", b"a")]
    write_site(out, pages, {})  # folders modified just now: a change within the clock's tick could hide
    listings = Listings()
    _commit(out, listings, pages)
    listed: list[str] = []
    real = write_module._listing
    monkeypatch.setattr(write_module, "_listing", lambda path: listed.append(path) or real(path))
    _commit(out, listings, pages)
    assert sorted(listed) == sorted([str(out), f"{out}/a"])
