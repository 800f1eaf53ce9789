"""The search index of the example journal, read back from the files Pagefind wrote.

Pagefind's fragment files are gzip'd JSON (after a ``pagefind_dcd`` marker): one
per indexed page, with its URL, text, filters and metadata. Reading them checks
what was indexed without a browser; tests/browser/ checks what readers find.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chaowen.build import BuildOptions, build
from tests.conftest import NOW, REPO
from tests.sitecheck import html_errors

ESSAY = "content/essays/wang-xiaoming-iot.md"


def fragments(output: Path) -> dict[str, dict[str, Any]]:
    """URL -> what Pagefind stored for that page (text with its word breaks removed), over every shard."""
    found: dict[str, dict[str, Any]] = {}
    for shard in (output / "pagefind").iterdir():
        if (shard / "fragment").is_dir():  # the router and the engine (pagefind/routes/, engine/) have none
            found.update(fragments_of(shard))
    return found


def fragments_of(bundle: Path) -> dict[str, dict[str, Any]]:
    """URL -> what one Pagefind bundle (a shard) stored for each of its pages."""
    found = {}
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        fragment["content"] = fragment["content"].replace("\u200b", "")
        found[fragment["url"]] = fragment
    return found


@pytest.fixture(scope="module")
def output(example_site: Path) -> Path:
    return example_site / "output"


@pytest.fixture(scope="module")
def indexed(output: Path) -> dict[str, dict[str, Any]]:
    return fragments(output)


def test_every_issue_minutes_essay_and_page_is_indexed_and_nothing_else(output: Path, indexed: dict[str, Any]) -> None:
    documents = {
        "/" + p.parent.relative_to(output).as_posix() + "/"
        for p in output.rglob("index.html")
        if p.parent.parent.name in ("issues", "minutes", "essays") and p.parent.name != "page"
    }
    pages = {"/about/", "/submit/"}
    assert len(documents) >= 25
    assert set(indexed) == documents | pages
    counted = 0
    for shard in shards(output):
        entry = json.loads((output / "pagefind" / shard / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["version"] == "1.4.0"
        assert list(entry["languages"]) == ["zh-cn"]  # from <html lang="zh-CN">: the extended, segmenting build
        counted += entry["languages"]["zh-cn"]["page_count"]
    assert counted == len(indexed)


def shards(output: Path) -> list[str]:
    """The shard folders, as the search page reads them from pagefind/shards.json."""
    return list(json.loads((output / "pagefind/shards.json").read_text(encoding="utf-8"))["shards"])


def test_the_index_has_a_shard_per_year_newest_first(output: Path) -> None:
    assert shards(output) == ["2026", "2025", "undated"]
    folders = {"shards.json", "2026", "2025", "undated", "routes", "engine"}
    assert {p.name for p in (output / "pagefind").iterdir()} == folders
    listing = json.loads((output / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert listing["routes"] == len(list((output / "pagefind/routes").glob("*.pf_route"))) >= 1  # the router's buckets
    for shard in ("2026", "2025"):
        dates = [f["meta"].get("date", "") for f in fragments_of(output / "pagefind" / shard).values()]
        assert dates and all(date.startswith(shard + "年") for date in dates), (shard, dates)
    assert set(fragments_of(output / "pagefind/undated")) == {"/about/", "/submit/"}


def test_only_the_files_the_search_page_uses_are_published(output: Path) -> None:
    for shard in shards(output):
        bundle = output / "pagefind" / shard
        names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
        top = {n for n in names if "/" not in n}
        assert "pagefind-entry.json" in top and not [n for n in top if n == "pagefind.js" or n.startswith("wasm.")]
        assert not [n for n in top if "-ui." in n or "highlight" in n or "playground" in n]
        assert {n.split("/")[0] for n in names if "/" in n} <= {"fragment", "index", "filter"}
    engine = {p.name for p in (output / "pagefind/engine").iterdir()}
    assert engine == {"pagefind.js", "wasm.unknown.pagefind"}  # once for every bundle


def test_documents_carry_kind_track_and_date(indexed: dict[str, dict[str, Any]]) -> None:
    essay = indexed["/essays/sun-liqun-battery/"]
    assert essay["filters"] == {"kind": ["学员心得"], "track": ["新材料"]}
    assert essay["meta"]["title"] == "新能源电池材料：热闹背后的冷思考"
    assert (essay["meta"]["kind"], essay["meta"]["track"], essay["meta"]["date"]) == (
        "学员心得",
        "新材料",
        "2025年6月22日",
    )
    minutes = indexed["/minutes/iot-salon-01/"]
    assert minutes["filters"] == {"kind": ["沙龙纪要"], "track": ["智能物联"]}
    assert minutes["meta"]["date"] == "2025年5月16日"
    issue = indexed["/issues/1/"]
    assert issue["filters"]["kind"] == ["期刊"] and issue["meta"]["title"] == "第1期 从车间到田野"
    assert indexed["/about/"]["filters"] == {"kind": ["页面"]}
    for url, fragment in indexed.items():
        if url.startswith(("/essays/", "/minutes/", "/issues/")):
            assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", fragment["meta"].get("date", "")), url


def test_the_text_is_the_documents_own(indexed: dict[str, dict[str, Any]]) -> None:
    """Title once, then the body as prose: bylines and facts are metadata, lists of other documents are left out."""
    essay = indexed["/essays/sun-liqun-battery/"]
    assert essay["content"].startswith("新能源电池材料：热闹背后的冷思考. 在发改局管重大项目")
    assert essay["content"].count("新能源电池材料：热闹背后的冷思考") == 1
    assert "隔膜、电解液添加剂" in essay["content"]
    assert "孙立群" not in essay["content"] and essay["meta"]["author"] == "孙立群"
    for noise in ("阅读约", "学员心得", "上一篇", "同赛道推荐", "目录", "跳到正文", "主导航", "标签"):
        assert noise not in essay["content"], noise
    minutes = indexed["/minutes/materials-salon-02/"]
    assert minutes["content"].startswith("新材料赛道第二次沙龙：碳纤维原丝能不能在本地“补链” 主题. 第一次沙龙提出")
    for fact in ("时间", "地点", "区委党校", "主持", "刘卫东", "参与"):
        assert fact not in minutes["content"], fact
    assert (minutes["meta"]["venue"], minutes["meta"]["host"]) == ("区委党校 3 楼报告厅", "刘卫东")
    issue = indexed["/issues/1/"]["content"]
    assert issue.startswith("第1期 从车间到田野. 卷首语. 成长营开班两个月")  # the editor's note is the issue's text …
    assert "新能源电池材料：热闹背后的冷思考" not in issue and "本期内容" not in issue  # … not its list of essays
    assert "编者按" not in issue


def test_chinese_text_is_indexed_one_character_to_a_word(output: Path) -> None:
    bundle = output / "pagefind/2025/fragment"
    raw = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd") :]) for p in bundle.iterdir()]
    essay = next(f for f in raw if f["url"] == "/essays/sun-liqun-battery/")
    assert essay["content"].startswith("新\u200b能\u200b源\u200b电\u200b池")  # the search page looks up characters


def test_titles_weigh_most(output: Path) -> None:
    for page in ["essays/sun-liqun-battery/index.html", "issues/1/index.html", "about/index.html"]:
        assert re.search(r"<h1 data-pagefind-weight=\"10\"", (output / page).read_text(encoding="utf-8")), page
    essay = (output / "essays/sun-liqun-battery/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-sort="date[datetime]"' in essay


def test_the_index_follows_the_content_and_is_kept_when_it_did_not_change(example_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(example_site / "content", site / "content")
    shutil.copy2(example_site / "chaowen.yaml", site / "chaowen.yaml")
    first = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert first.indexed >= 25 and first.index_bytes > 50_000 and first.timings["search"] > 0
    unchanged = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert unchanged.written == 0 and unchanged.indexed == first.indexed and unchanged.index_bytes == first.index_bytes
    path = site / ESSAY
    path.write_text(path.read_text(encoding="utf-8") + "\n我们还去看了一家做扫地机器人的企业。\n", encoding="utf-8")
    edited = build(BuildOptions(site_root=site, jobs=1), now=NOW)
    assert any(p.startswith("pagefind/2025/fragment/") for p in edited.changed)  # the essay is of 2025
    assert "扫地机器人" in fragments(site / "output")["/essays/wang-xiaoming-iot/"]["content"]
    clean = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean, clean=True, cache=False, jobs=1), now=NOW)
    pagefind = sorted((site / "output/pagefind").rglob("*"))
    assert [p.relative_to(site / "output") for p in pagefind] == [
        p.relative_to(clean) for p in sorted((clean / "pagefind").rglob("*"))
    ]
    assert all(p.read_bytes() == (clean / p.relative_to(site / "output")).read_bytes() for p in pagefind if p.is_file())


def test_the_preview_indexes_once_and_keeps_that_index_while_pages_change(example_site: Path, tmp_path: Path) -> None:
    from chaowen.serve import PreviewBuilder, ServeOptions

    site = tmp_path / "site"
    shutil.copytree(example_site / "content", site / "content")
    shutil.copy2(example_site / "chaowen.yaml", site / "chaowen.yaml")
    preview = PreviewBuilder(ServeOptions(site_root=site), tmp_path / "preview")
    first = preview.rebuild()
    assert first.indexed >= 25 and any(p.startswith("pagefind/") for p in first.changed)
    index_files = {p: p.read_bytes() for p in (tmp_path / "preview/pagefind").rglob("*") if p.is_file()}
    path = site / ESSAY
    path.write_text(path.read_text(encoding="utf-8") + "\n我们还去看了一家做扫地机器人的企业。\n", encoding="utf-8")
    edited = preview.rebuild()
    assert "essays/wang-xiaoming-iot/index.html" in edited.changed
    assert not [p for p in edited.changed if p.startswith("pagefind/")] and edited.indexed == first.indexed
    assert {p: p.read_bytes() for p in (tmp_path / "preview/pagefind").rglob("*") if p.is_file()} == index_files
    quiet = PreviewBuilder(ServeOptions(site_root=site, search=False), tmp_path / "unindexed").rebuild()
    assert quiet.indexed == 0 and not (tmp_path / "unindexed/pagefind").exists()


def test_the_index_serves_any_base_path(example_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub"
    build(BuildOptions(site_root=example_site, output=out, base_url="https://example.org/chaowen/", jobs=1), now=NOW)
    urls = set(fragments(out))
    assert "/essays/sun-liqun-battery/" in urls  # Pagefind's script adds the folder it was loaded from
    home = (out / "search/index.html").read_text(encoding="utf-8")
    assert 'src="/chaowen/static/search.js?v=' in home


def test_the_command_reports_the_index_and_can_skip_it(example_site: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "chaowen", "build", "--site", str(example_site), "--no-cache", "-v"]
    result = subprocess.run(
        [*command, "--output", str(tmp_path / "a")], capture_output=True, text=True, env=env, check=True
    )
    summary, stages = result.stdout.splitlines()[:2]
    assert re.search(r"（搜索索引：\d+ 篇，\d+ KB，用时 \d+\.\d\d 秒）$", summary), summary
    assert re.search(r"search \d+\.\d\ds", stages), stages
    result = subprocess.run(
        [*command, "--output", str(tmp_path / "b"), "--no-search"], capture_output=True, text=True, env=env, check=True
    )
    assert "搜索索引" not in result.stdout
    assert not (tmp_path / "b/pagefind").exists() and (tmp_path / "b/search/index.html").exists()


def test_search_and_offline_pages_pass_the_html_checker(example_site: Path, tmp_path: Path) -> None:
    """The Nu HTML Checker on the search page and on the pages of a --relative build."""
    relative = tmp_path / "relative"
    build(BuildOptions(site_root=example_site, output=relative, relative=True, search=False, jobs=1), now=NOW)
    checked = tmp_path / "checked"
    picks = {
        "search.html": example_site / "output/search/index.html",
        "relative-search.html": relative / "search/index.html",
        "relative-home.html": relative / "index.html",
        "relative-essay.html": relative / "essays/sun-liqun-battery/index.html",
        "relative-issue.html": relative / "issues/1/index.html",
        "relative-track.html": relative / "tracks/iot/index.html",
        "relative-404.html": relative / "404.html",
    }
    checked.mkdir()
    for name, page in picks.items():
        shutil.copy2(page, checked / name)
    assert html_errors(checked) == []
