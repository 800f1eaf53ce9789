"""A rebuild with a warm cache gives exactly the bytes of a clean build, after every kind of change."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from chaowen.build import Builder, BuildOptions, build
from chaowen.cache import MARKUP_STORE
from tests.conftest import NOW, REPO, built_example, tree_files

ESSAY = "content/essays/wang-xiaoming-iot.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return built_example(tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(root: Path) -> None:
    path = root / ESSAY
    path.write_text(path.read_text(encoding="utf-8") + "\n新加的一段话，测试增量构建。\n", encoding="utf-8")


def edit_title(root: Path) -> None:
    edit(root / ESSAY, "title: ", "title: 改过的标题 ")


def add_essay(root: Path) -> None:
    (root / "content/essays/new-one.md").write_text(
        "---\ntitle: 新来的心得\ndate: 2026-01-05\nauthor: 新作者\ntrack: iot\nissue: 3\ntags: [新标签]\n---\n正文。\n",
        encoding="utf-8",
    )


def delete_essay(root: Path) -> None:
    (root / "content/essays/jiang-yifan-pilot.md").unlink()


def rename_essay(root: Path) -> None:
    (root / "content/essays/jiang-yifan-pilot.md").rename(root / "content/essays/jiang-renamed.md")


def edit_template(root: Path) -> None:
    target = root / "themes/default/templates/document.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (REPO / "themes/default/templates/document.html").read_text(encoding="utf-8")
    target.write_text(text.replace("{% block content %}", "{% block content %}<!-- override -->", 1), encoding="utf-8")


def edit_config(root: Path) -> None:
    edit(root / "chaowen.yaml", "per_page: 10", "per_page: 3")


def edit_css(root: Path) -> None:
    target = root / "themes/default/static/style.css"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((REPO / "themes/default/static/style.css").read_text(encoding="utf-8") + "\nbody{margin:0}\n")


def add_year(root: Path) -> None:  # a year no document had: a new search shard
    (root / "content/essays/older.md").write_text(
        "---\ntitle: 更早的心得\ndate: 2024-03-05\nauthor: 新作者\ntrack: iot\n---\n正文。\n", encoding="utf-8"
    )


def move_year(root: Path) -> None:  # from the 2025 shard to the 2026 one
    edit(root / ESSAY, "date: 2025-", "date: 2026-")


def replace_photos(root: Path) -> None:  # an essay's photo and an issue's cover: new variants, new HTML
    images = root / "content/images"
    (images / "生物医药园区主干道.jpg").write_bytes((images / "沙龙会场外.jpg").read_bytes())
    (images / "issue-02-cover.jpg").write_bytes((images / "沙龙会场外.jpg").read_bytes())


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit_body": edit_body,
    "edit_title": edit_title,
    "add": add_essay,
    "delete": delete_essay,
    "rename": rename_essay,
    "template": edit_template,
    "config": edit_config,
    "css": edit_css,
    "add_year": add_year,
    "move_year": move_year,
    "photos": replace_photos,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_incremental_equals_clean(site: Path, tmp_path: Path, change: str) -> None:
    CHANGES[change](site)
    incremental = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    clean_out = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean_out, clean=True, cache=False, jobs=1), now=NOW)
    assert tree_files(site / "output") == tree_files(clean_out)
    assert incremental.written > 0


def test_no_change_rebuild_renders_nothing_and_keeps_mtimes(site: Path) -> None:
    page = site / "output/index.html"
    os.utime(page, (1_000_000_000, 1_000_000_000))
    result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert (result.rendered, result.markdown, result.written, result.shards_indexed) == (0, 0, 0, ())
    assert page.stat().st_mtime == 1_000_000_000


def test_body_edit_rerenders_only_pages_that_show_the_essay(site: Path) -> None:
    edit_body(site)
    result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert result.markdown == 1
    assert "essays/wang-xiaoming-iot/index.html" in result.changed
    assert 0 < result.rendered < result.pages / 2
    assert "tracks/health/index.html" not in result.changed


def test_a_new_essay_renders_again_only_the_pages_that_list_or_rank_it(site: Path) -> None:
    """Every page's navigation shows the tracks; it must not make every page depend on every track's list."""
    add_essay(site)  # track iot
    result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert "essays/new-one/index.html" in result.changed
    assert 0 < result.rendered < result.pages / 2, (result.rendered, result.pages)


def test_body_edit_indexes_only_the_search_shard_of_its_year(site: Path, tmp_path: Path) -> None:
    """wang-xiaoming-iot is of 2025: the 2026 and undated shards stay as they are, file for file.

    The router (pagefind/routes/, which shards hold which pairs of characters) and shards.json follow any shard."""
    index = site / "output/pagefind"
    followers = (index / "2025", index / "routes", index / "shards.json")
    others = [p for p in sorted(index.rglob("*")) if p.is_file() and not any(p.is_relative_to(f) for f in followers)]
    assert any(p.is_relative_to(index / "2026") for p in others) and any(
        p.is_relative_to(index / "undated") for p in others
    )
    for path in others:
        os.utime(path, (1_000_000_000, 1_000_000_000))
    before = {p: p.read_bytes() for p in others}
    edit_body(site)
    result = build(BuildOptions(site_root=site, jobs=2), now=NOW)
    assert result.shards_indexed == ("2025",)
    changed = [p for p in result.changed if p.startswith("pagefind/")]
    assert changed and all(p.startswith(("pagefind/2025/", "pagefind/routes/", "pagefind/shards")) for p in changed)
    assert {p: p.read_bytes() for p in others} == before
    assert all(p.stat().st_mtime == 1_000_000_000 for p in others)
    clean_out = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean_out, clean=True, cache=False, jobs=1), now=NOW)
    assert tree_files(site / "output") == tree_files(clean_out)


def test_template_edit_rerenders_only_pages_using_it(site: Path) -> None:
    edit_template(site)
    result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert result.markdown == 0
    assert all(p.startswith(("essays/", "minutes/")) for p in result.changed), result.changed


def test_corrupt_cache_is_ignored(site: Path, tmp_path: Path) -> None:
    cache = site / ".chaowen-cache"
    damaged = [*cache.rglob("*.json"), cache / MARKUP_STORE]
    for path in damaged:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert result.markdown > 0
    clean_out = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean_out, clean=True, cache=False, jobs=1), now=NOW)
    assert tree_files(site / "output") == tree_files(clean_out)
    assert markup_rows(site), "the damaged markup store was made again"


def markup_rows(site: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(site / ".chaowen-cache" / MARKUP_STORE)) as db:
        return dict(db.execute("SELECT name, key FROM markup").fetchall())


def test_foreign_cache_entry_is_not_trusted(site: Path) -> None:
    assert markup_rows(site)
    forged = '{"html": "<p>HACKED</p>", "toc": [], "summary": "", "chars": 1, "minutes": 1, "links": []}'
    with contextlib.closing(sqlite3.connect(site / ".chaowen-cache" / MARKUP_STORE)) as db, db:
        db.execute("UPDATE markup SET key = 'forged', data = ?", (forged.encode(),))
    build(BuildOptions(site_root=site, clean=False, jobs=1), now=NOW)
    assert not any(b"HACKED" in data for data in tree_files(site / "output").values())


def test_cache_drops_deleted_documents(site: Path) -> None:
    before = len(markup_rows(site))
    delete_essay(site)
    build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert len(markup_rows(site)) == before - 1


def test_legacy_markup_files_are_removed_and_foreign_ones_kept(site: Path) -> None:
    legacy = site / ".chaowen-cache" / "markup"
    legacy.mkdir()
    old = legacy / f"{'a' * 32}.json"
    old.write_text('{"key": "x", "markup": {}}', encoding="utf-8")
    mine = legacy / "notes.txt"
    mine.write_text("the user's", encoding="utf-8")
    build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert not old.exists()
    assert mine.read_text(encoding="utf-8") == "the user's"


def test_parallel_build_equals_single_process(site: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    build(BuildOptions(site_root=site, output=one, jobs=1, cache=False), now=NOW)
    from chaowen import markup_pool
    from chaowen import render as render_module

    thresholds = markup_pool.POOL_THRESHOLD, render_module._POOL_THRESHOLD
    markup_pool.POOL_THRESHOLD = render_module._POOL_THRESHOLD = 1  # force both pools on this small site
    try:
        build(BuildOptions(site_root=site, output=two, jobs=2, cache=False), now=NOW)
    finally:
        markup_pool.POOL_THRESHOLD, render_module._POOL_THRESHOLD = thresholds
    assert tree_files(one) == tree_files(two)


def test_builder_keeps_state_between_builds(site: Path) -> None:
    builder = Builder(BuildOptions(site_root=site, jobs=1), hash_static=False)
    builder.build(now=NOW)
    edit_body(site)
    result = builder.build(now=NOW)
    assert result.markdown == 1
    assert "essays/wang-xiaoming-iot/index.html" in result.changed
    edit_css(site)
    result = builder.build(now=NOW)
    assert result.changed == ("static/style.css",)


def test_cache_is_used_across_processes(site: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "chaowen", "build", "--site", str(site), "-v"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert "markdown 0 · pages rendered 0" in result.stdout


def test_cache_keeps_a_few_manifests_only(site: Path, tmp_path: Path) -> None:
    import orjson

    for n in range(7):
        build(BuildOptions(site_root=site, output=tmp_path / f"out{n}", jobs=1), now=NOW)
    index = orjson.loads((site / ".chaowen-cache/index.json").read_bytes())
    assert len(index["manifests"]) == 4


def age(root: Path) -> None:
    """Give every content file a modification time an hour old, as files an editor saved earlier."""
    past = int(time.time()) - 3600
    for path in (root / "content").rglob("*"):
        os.utime(path, (past, past))


def rename_linked_essay(root: Path) -> None:
    """Another essay links to this one: its Markdown must be rendered again from a body not yet read."""
    (root / "content/essays/sun-liqun-battery.md").rename(root / "content/essays/sun-renamed.md")
    edit(root / "content/essays/han-lei-materials.md", "(sun-liqun-battery.md)", "(sun-renamed.md)")


@pytest.mark.parametrize("change", sorted([*CHANGES, "rename_linked"]))
def test_files_trusted_by_their_stat_give_the_clean_build_too(site: Path, tmp_path: Path, change: str) -> None:
    age(site)
    build(BuildOptions(site_root=site, jobs=1), now=NOW)  # records the aged files: trusted from now on
    (rename_linked_essay if change == "rename_linked" else CHANGES[change])(site)
    build(BuildOptions(site_root=site, jobs=1), now=NOW)
    clean_out = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean_out, clean=True, cache=False, jobs=1), now=NOW)
    assert tree_files(site / "output") == tree_files(clean_out)


def test_unchanged_files_are_not_read_again(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chaowen.doccache

    age(site)
    build(BuildOptions(site_root=site, jobs=1), now=NOW)
    reads: list[str] = []
    original = chaowen.doccache.read_source
    monkeypatch.setattr(
        chaowen.doccache, "read_source", lambda source, path: reads.append(path.name) or original(source, path)
    )
    build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert reads == []
    edit_body(site)
    result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert reads == ["wang-xiaoming-iot.md"] and result.markdown == 1


def test_a_same_size_save_right_after_a_build_is_still_seen(site: Path) -> None:
    """A file saved just before it was read: its stat alone proves nothing (the racy window)."""
    path = site / ESSAY
    path.write_bytes(path.read_bytes())
    build(BuildOptions(site_root=site, jobs=1), now=NOW)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: 乙", 1).replace("。", "", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size - len("。".encode()) + len("乙".encode())
    build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert "乙" in (site / "output/essays/wang-xiaoming-iot/index.html").read_text(encoding="utf-8")


def test_changed_code_drops_the_cache_and_unchanged_code_reuses_it(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout that changes one source byte (here: validation) must not reuse parses made by the old code."""
    import chaowen.cache

    copied = tmp_path / "package"
    copied.mkdir()
    for path in chaowen.cache.code_files():
        shutil.copy2(path, copied / path.name)
    monkeypatch.setattr(chaowen.cache, "code_files", lambda: sorted(copied.glob("*.py")))
    chaowen.cache.code_digest.cache_clear()
    try:
        result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
        assert (result.markdown, result.rendered) == (0, 0)  # same bytes: every entry reused
        content = copied / "content.py"
        content.write_bytes(content.read_bytes() + b"\n# changed\n")
        chaowen.cache.code_digest.cache_clear()
        result = build(BuildOptions(site_root=site, jobs=1), now=NOW)
        assert result.markdown > 1 and result.rendered > 1
        clean_out = tmp_path / "clean"
        build(BuildOptions(site_root=site, output=clean_out, clean=True, cache=False, jobs=1), now=NOW)
        assert tree_files(site / "output") == tree_files(clean_out)
    finally:
        chaowen.cache.code_digest.cache_clear()
