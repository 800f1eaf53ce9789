"""The editors' commands end to end: init -> new -> check -> build, and what each refuses to do."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONFIG_YAML, REPO, SiteFactory, run_cli
from tests.sitecheck import html_errors

GOOD_ESSAY = "---\ntitle: 好文章\ndate: 2024-03-05\nauthor: 王小明\ntrack: iot\n---\n## 收获\n\n正文。\n"


def chaowen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed command as an editor runs it: a new process, outside the repository."""
    return subprocess.run(
        [sys.executable, "-m", "chaowen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under ``root`` with its bytes and modification time."""
    found: dict[str, tuple[bytes, int]] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        found[key] = (path.read_bytes() if path.is_file() else b"", path.stat().st_mtime_ns)
    return found


def test_init_new_check_build_in_an_empty_folder_outside_the_repo(tmp_path: Path) -> None:
    site = tmp_path / "我的 期刊"
    done = chaowen("init", str(site), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "已创建" in done.stdout and "chaowen check" in done.stdout
    assert {"output/", ".chaowen-cache/"} <= set((site / ".gitignore").read_text(encoding="utf-8").splitlines())

    done = chaowen("new", "essay", "参观电池工厂", "--track", "新材料", "--author", "王小明", "--issue", "1", cwd=site)
    assert done.returncode == 0, done.stderr
    made = [done.stdout.strip()]
    for args in (  # the same command in this process, to keep the test quick
        ["minutes", "第二次沙龙", "--track", "health", "--author", "刘卫东"],
        ["issue", "第二期"],
        ["page", "投稿须知"],
    ):
        code, output = run_cli(["new", *args, "--site", str(site)])
        assert code == 0, output
        path = Path(output.strip().splitlines()[-1])
        assert path.is_file()
        made.append(path.relative_to(site).as_posix())
    assert made == [
        "content/essays/can-guan-dian-chi-gong-chang.md",
        "content/minutes/di-er-ci-sha-long.md",
        "content/issues/di-er-qi.md",
        "content/pages/tou-gao-xu-zhi.md",
    ]
    assert "\nnumber: 2\n" in (site / made[2]).read_text(encoding="utf-8")

    # Left as created, each still has its placeholder text, and the issue's title repeats its number.
    done = chaowen("check", "--site", str(site), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "检查完成：0 个错误，5 个警告" in done.stdout
    for document in made:
        assert f"警告 {document}:" in done.stdout
    assert not (site / "output").exists()

    done = chaowen("build", "--site", str(site), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5 个警告" in done.stdout
    for page in [
        "essays/can-guan-dian-chi-gong-chang/index.html",
        "issues/2/index.html",
        "tou-gao-xu-zhi/index.html",
        "minutes/di-er-ci-sha-long/index.html",
        "issues/1/index.html",
        "images/示意图.svg",
    ]:
        assert (site / "output" / page).is_file(), page
    assert "参观电池工厂" in (site / "output/issues/1/index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- init
def test_init_refuses_a_folder_that_is_already_a_site(tmp_path: Path) -> None:
    code, _ = run_cli(["init", str(tmp_path / "s")])
    assert code == 0
    before = tree(tmp_path / "s")
    code, output = run_cli(["init", str(tmp_path / "s")])
    assert code == 1
    assert "已经是一个站点（里面有 chaowen.yaml），没有改动任何文件" in output
    assert tree(tmp_path / "s") == before


def test_init_in_a_folder_with_files_keeps_them(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    code, output = run_cli(["init", str(tmp_path), "--title", "新刊"])
    assert code == 0
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"
    assert "已存在，保留原样" in output and ".gitignore" in output
    assert "title: 新刊" in (tmp_path / "chaowen.yaml").read_text(encoding="utf-8")


NEXT_STEPS = '  chaowen new essay "标题" --track 智能物联 --author 姓名\n  chaowen check\n  chaowen build\n'


def test_init_without_a_folder_makes_the_current_folder_a_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run_cli(["init"])
    assert code == 0, output
    assert (tmp_path / "chaowen.yaml").is_file()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert output.endswith("新站点已建好。下一步：\n" + NEXT_STEPS)  # no "cd": the site is right here
    before = tree(tmp_path)
    code, output = run_cli(["init"])
    assert code == 1
    assert output == (
        f"错误 chaowen.yaml: {tmp_path} 已经是一个站点（里面有 chaowen.yaml），没有改动任何文件"
        "（换一个新目录，或在这个站点里用 chaowen new 添加内容）\n"
    )
    assert tree(tmp_path) == before


def test_init_dot_and_init_a_folder_say_where_to_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    code, output = run_cli(["init", "."])
    assert code == 0 and output.endswith("新站点已建好。下一步：\n" + NEXT_STEPS) and "cd ." not in output
    code, output = run_cli(["init", os.path.join("..", "there")])
    assert code == 0 and output.endswith(
        "新站点已建好。下一步：\n  cd " + os.path.join("..", "there") + "\n" + NEXT_STEPS
    )


# ----------------------------------------------------------------------- new
def test_new_never_overwrites(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = run_cli(["new", "essay", "心得", "--site", str(root), "--track", "iot", "--author", "甲"])
    assert code == 0
    path = root / "content/essays/xin-de.md"
    path.write_text("编辑写了一半的内容", encoding="utf-8")
    code, output = run_cli(["new", "essay", "心得", "--site", str(root)])
    assert code == 1
    assert "文件已存在，没有覆盖" in output and "xin-de.md" in output
    assert path.read_text(encoding="utf-8") == "编辑写了一半的内容"


def test_new_with_an_unknown_track_names_the_valid_ones(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = run_cli(["new", "essay", "心得", "--site", str(root), "--track", "新材科"])
    assert code == 1
    assert "未知的赛道 “新材科”，可选：智能物联、生命健康、新材料（是否想写 “新材料”？）" in output
    assert not (root / "content").exists()


def test_new_on_an_english_site_speaks_english(make_site: SiteFactory) -> None:
    root = make_site({"chaowen.yaml": CONFIG_YAML + "language: en\n"})
    code, output = run_cli(["new", "essay", "Visit", "--site", str(root), "--track", "iotx"])
    assert code == 1
    assert (
        "error: command-line option --track: unknown track 'iotx'; choose one of: 智能物联, 生命健康, 新材料 (did you mean 'iot'?)"
        in output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["page", "关于", "--author", "甲"], "页面没有 --author 这一项"),
        (["issue", "第三期", "--author", "甲"], "期刊没有 --author 这一项"),
        (["page", "关于", "--track", "iot"], "页面没有 --track 这一项"),
        (["essay", "   "], "字段 “title” 是空的"),
        (["essay", "标题", "--issue", "0"], "--issue"),
        (["poem", "标题"], "poem"),
    ],
)
def test_new_usage_errors_exit_2(make_site: SiteFactory, args: list[str], message: str) -> None:
    root = make_site({})
    code, output = run_cli(["new", *args, "--site", str(root)])
    assert code == 2
    assert message in output


def test_new_outside_a_site_says_how_to_make_one(tmp_path: Path) -> None:
    code, output = run_cli(["new", "essay", "标题", "--site", str(tmp_path)])
    assert code == 1
    assert "找不到站点配置文件 chaowen.yaml" in output and "chaowen init" in output


def test_required_fields_left_empty_by_new_are_named_by_check(make_site: SiteFactory) -> None:
    root = make_site({})
    code, _ = run_cli(["new", "minutes", "沙龙", "--site", str(root)])
    assert code == 0
    code, output = run_cli(["check", "--site", str(root)])
    assert code == 1
    assert "错误 content/minutes/sha-long.md:4: 缺少必填字段 “track”（在文件头加上 track: 智能物联）" in output
    assert "未知的赛道" not in output


def test_new_issue_numbers_follow_the_existing_ones(make_site: SiteFactory) -> None:
    root = make_site({"content/issues/a.md": "---\ntitle: 一\ndate: 2024-01-01\nnumber: 7\n---\n"})
    code, output = run_cli(["new", "issue", "第八期", "--site", str(root)])
    assert code == 0
    assert "\nnumber: 8\n" in (root / "content/issues/di-ba-qi.md").read_text(encoding="utf-8")
    code, output = run_cli(["new", "issue", "又一期", "--issue", "7", "--site", str(root)])
    assert code == 1 and "期号 7 重复：content/issues/a.md 也是第7期" in output


# --------------------------------------------------------------------- check
def test_check_writes_nothing(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": GOOD_ESSAY})
    code, _ = run_cli(["check", "--site", str(root)])
    assert code == 0
    assert sorted(p.name for p in root.iterdir()) == ["chaowen.yaml", "content"]
    code, _ = run_cli(["build", "--site", str(root)])
    assert code == 0
    (root / "content/essays/b.md").write_text(
        GOOD_ESSAY.replace("正文。", "[坏](#没有)").replace("好文章", "乙"), "utf-8"
    )
    before = tree(root)
    code, output = run_cli(["check", "--site", str(root), "--strict"])
    assert code == 1 and "#没有" in output
    assert tree(root) == before


def test_check_lists_problems_grouped_by_file_and_sets_the_exit_code(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY.replace("正文。", "见[乙](b.md#没有这节)。").replace(
                "track: iot", "track: iot\nauther: x"
            ),
            "content/essays/b.md": GOOD_ESSAY.replace("好文章", "乙"),
            "content/essays/c.md": GOOD_ESSAY.replace("好文章", "丙").replace("正文。", "[本文](#收获)"),
        }
    )
    code, output = run_cli(["check", "--site", str(root)])
    assert code == 0, output
    lines = output.splitlines()
    assert lines[:3] == [
        "警告 content/essays/a.md:6: 未知的字段 “auther”（是否想写 “author”？）",
        "警告 content/essays/a.md:10: 链接 “/essays/b/#没有这节” 指向的页面上没有锚点 “#没有这节”"
        "（标题的锚点就是标题文字（如 #收获）；检查 # 后面的写法是否和标题一致）",
        "检查完成：0 个错误，2 个警告",
    ]
    code, output = run_cli(["check", "--site", str(root), "--strict"])
    assert code == 1
    assert "检查完成：2 个错误，0 个警告" in output


def test_check_drafts_only_with_the_flag(make_site: SiteFactory) -> None:
    draft = GOOD_ESSAY.replace("track: iot", "track: iot\ndraft: true").replace("正文。", "[坏](#没有)")
    root = make_site({"content/essays/a.md": draft})
    assert run_cli(["check", "--site", str(root)])[0] == 0
    code, output = run_cli(["check", "--site", str(root), "--drafts", "--strict"])
    assert code == 1 and "content/essays/a.md:10" in output


def test_readme_problem_matcher_reads_check_output(make_site: SiteFactory) -> None:
    """The VS Code task in the README turns every line check prints into a problem at its file and line."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(\s*\{\s*\"version\": \"2\.0\.0\".*?)```", readme, re.S)
    assert block is not None
    matchers = json.loads(block.group(1))["tasks"][0]["problemMatcher"]
    patterns = [(re.compile(m["pattern"]["regexp"]), m["severity"]) for m in matchers]
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: 新材科"),
            "content/essays/b.md": GOOD_ESSAY.replace("作者", "").replace("author:", "auther:"),
            "content/essays/c.md": b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00" * 8,
        }
    )
    code, output = run_cli(["check", "--site", str(root)])
    assert code == 1
    found = []
    for line in output.splitlines():
        for pattern, severity in patterns:
            match = pattern.match(line)
            if match:
                found.append((severity, match.group(1), match.group(2)))
    assert ("error", "content/essays/a.md", "5") in found
    assert ("warning", "content/essays/b.md", "4") in found
    assert ("error", "content/essays/c.md", None) in found


# -------------------------------------------------------------------- schema
def test_schema_of_every_kind_with_the_sites_tracks(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = run_cli(["schema", "--site", str(root)])
    assert code == 0
    schemas = json.loads(output)
    assert sorted(schemas) == ["essay", "issue", "minutes", "page"]
    essay = schemas["essay"]
    assert essay["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert set(essay["properties"]["track"]["enum"]) == {"iot", "health", "materials", "智能物联", "生命健康", "新材料"}
    assert essay["required"] == ["title", "date", "track"]
    assert essay["additionalProperties"] is False
    assert "track" not in schemas["page"]["properties"]


def test_schema_of_one_kind_without_a_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # not a site, and none named with --site: the generic tracks
    code, output = run_cli(["schema", "issue"])
    assert code == 0
    schema = json.loads(output)
    assert schema["required"] == ["title", "date", "number"]
    assert "enum" not in schema["properties"]["track"]


def test_schema_files_for_the_editor(make_site: SiteFactory) -> None:
    root = make_site({})
    out = root / ".vscode/schemas"
    code, output = run_cli(["schema", "--site", str(root), "--out", str(out)])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{k}.schema.json" for k in ("essay", "issue", "minutes", "page")]
    assert output.count("已写入") == 4
    jsonschema = pytest.importorskip("jsonschema")
    essay = json.loads((out / "essay.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(essay)
    validator = jsonschema.Draft7Validator(essay)
    good = {"title": "心得", "date": "2024-03-05", "track": "新材料", "author": "王小明", "tags": ["调研"]}
    assert list(validator.iter_errors(good)) == []
    for bad in (
        {**good, "track": "新材科"},
        {k: v for k, v in good.items() if k != "author"},
        {**good, "auther": "x"},
        {**good, "date": "明天"},
    ):
        assert list(validator.iter_errors(bad)), bad


@pytest.mark.parametrize("exists", [False, True], ids=["missing", "not_a_site"])
def test_schema_of_a_site_that_is_not_there_is_an_error(tmp_path: Path, exists: bool) -> None:
    site = tmp_path / "nonexistent"
    if exists:
        site.mkdir()
    code, output = run_cli(["schema", "essay", "--site", str(site)])
    assert code == 1  # as check, new and build say of a missing site
    assert output == (
        f"错误 {site / 'chaowen.yaml'}: 找不到站点配置文件 chaowen.yaml"
        "（请在站点根目录运行，或用 --site 指定站点目录；新建站点可用 chaowen init）\n"
    )


def test_schema_with_a_broken_config_is_an_error(make_site: SiteFactory) -> None:
    root = make_site({"chaowen.yaml": "title: x\ntrakcs: []\n"})
    code, output = run_cli(["schema", "--site", str(root)])
    assert code == 1 and "trakcs" in output


def test_a_long_track_list_has_a_windowed_pager_that_validates(make_site: SiteFactory) -> None:
    essays = {
        f"content/essays/e{n}.md": GOOD_ESSAY.replace("好文章", f"第{n}篇").replace("2024-03-05", f"2024-03-{n:02d}")
        for n in range(1, 13)
    }
    root = make_site({"chaowen.yaml": CONFIG_YAML + "per_page: 1\n", **essays})
    done = chaowen("build", "--no-search", "-q", cwd=root)
    assert done.returncode == 0, done.stderr
    first = (root / "output/tracks/iot/index.html").read_text(encoding="utf-8")
    pager = first[first.index('<nav class="pager"') :]
    pager = pager[: pager.index("</nav>")]
    assert re.findall(r">(\d+)<span", pager) == ["1", "2", "3", "12"] and pager.count("…") == 1
    middle = (root / "output/tracks/iot/page/6/index.html").read_text(encoding="utf-8")
    assert 'aria-current="page"><span class="vh">第</span>6<' in middle
    assert html_errors(root / "output/tracks/iot") == []


def test_tag_and_author_pages_are_paged_like_tracks(make_site: SiteFactory) -> None:
    essays = {
        f"content/essays/e{n}.md": GOOD_ESSAY.replace("好文章", f"第{n}篇")
        .replace("2024-03-05", f"2024-03-{n:02d}")
        .replace("track: iot", "track: iot\ntags: [产业链]\nunit: 临浦镇" if n == 1 else "track: iot\ntags: [产业链]")
        for n in range(1, 4)
    }
    root = make_site({"chaowen.yaml": CONFIG_YAML + "per_page: 2\n", **essays})
    done = chaowen("build", "--no-search", "-q", cwd=root)
    assert done.returncode == 0, done.stderr
    out = root / "output"
    tag_first = (out / "tags/chan-ye-lian/index.html").read_text(encoding="utf-8")
    tag_second = (out / "tags/chan-ye-lian/page/2/index.html").read_text(encoding="utf-8")
    assert "共 3 篇" in tag_first and "第3篇" in tag_first and "第1篇" not in tag_first
    assert "第1篇" in tag_second and "<title>标签：产业链（第2页）" in tag_second and 'rel="prev"' in tag_second
    author_second = (out / "authors/wang-xiao-ming/page/2/index.html").read_text(encoding="utf-8")
    assert "临浦镇" in author_second and "共 3 篇" in author_second  # units of all the author's documents
    assert html_errors(out / "tags") == [] and html_errors(out / "authors") == []


# ------------------------------------------------------- scaffolds left in content
def test_a_new_document_left_as_created_is_a_warning_and_an_error_with_strict(make_site: SiteFactory) -> None:
    root = make_site({})
    code, path = run_cli(["new", "issue", "第一期", "--site", str(root)])
    assert code == 0
    document = root / path.strip().splitlines()[-1].removeprefix(str(root) + os.sep)
    line = document.read_text(encoding="utf-8").splitlines().index("正文从这里开始。") + 1
    shown = document.relative_to(root).as_posix()
    placeholder = (
        f"警告 {shown}:{line}: 正文里还留着新建文档时的占位文字 “正文从这里开始。”"
        "（换成真正的正文，或删去这一行，否则它会被发布）"
    )
    title = (
        f"警告 {shown}:2: 标题 “第一期” 重复了期号：页面上显示为 “第1期 第一期”"
        "（期号会自动显示在标题前面，标题只写本期的主题即可）"
    )
    for verb in ("check", "build"):
        code, output = run_cli([verb, "--site", str(root)])
        assert code == 0 and placeholder in output.splitlines() and title in output.splitlines(), output
        code, output = run_cli([verb, "--site", str(root), "--strict"])
        assert code == 1 and placeholder.replace("警告", "错误", 1) in output.splitlines(), output


def test_an_issue_titled_with_its_number_shows_the_number_once(make_site: SiteFactory) -> None:
    issue = "---\ntitle: 第二期：走进车间\ndate: 2024-03-01\nnumber: 2\nsummary: 本期摘要。\n---\n编者按。\n"
    root = make_site(
        {
            "content/issues/2.md": issue,
            "content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: iot\nissue: 2"),
        }
    )
    code, output = run_cli(["build", "--site", str(root)])
    assert code == 0
    assert (
        "警告 content/issues/2.md:2: 标题 “第二期：走进车间” 重复了期号：页面上显示为 “第2期 走进车间”"
        "（期号会自动显示在标题前面，标题只写本期的主题即可）"
    ) in output.splitlines()
    out = root / "output"
    page = (out / "issues/2/index.html").read_text(encoding="utf-8")
    assert "<title>第2期 走进车间 - 测试站点</title>" in page
    assert '<span class="num">第2期</span> 走进车间</h1>' in page
    assert "第2期 走进车间</a>" in (out / "essays/a/index.html").read_text(encoding="utf-8")
    assert "走进车间" in (out / "index.html").read_text(encoding="utf-8")
    everything = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in {".html", ".xml"})
    assert "第二期" not in everything and "第2期 第" not in everything
