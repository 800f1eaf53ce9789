"""Each content error: the CLI names file and line, exits 1, and leaves output/ exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chaowen.cli import main
from tests.conftest import SiteFactory

GOOD_ESSAY = """\
---
title: 好文章
date: 2024-03-05
author: 王小明
track: iot
---
正文。
"""
ISSUE = "---\ntitle: 第1期\ndate: 2024-03-01\nnumber: 1\n---\n编者按。\n"

CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "missing_title": (
        {"content/essays/a.md": "---\ndate: 2024-03-05\nauthor: 甲\ntrack: iot\n---\n"},
        ["content/essays/a.md:1: 缺少必填字段 “title”"],
    ),
    "mistyped_date": (
        {"content/essays/a.md": GOOD_ESSAY.replace("2024-03-05", "2024-02-30")},
        ["content/essays/a.md:3: 日期不存在：2024年2月没有30日（2024年2月只有 29 天）"],
    ),
    "unknown_track": (
        {"content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: 新材科")},
        ["content/essays/a.md:5: 未知的赛道 “新材科”，可选：智能物联、生命健康、新材料（是否想写 “新材料”？）"],
    ),
    "duplicate_number": (
        {"content/issues/a.md": ISSUE, "content/issues/b.md": ISSUE},
        ["content/issues/b.md:4: 期号 1 重复：content/issues/a.md 也是第1期"],
    ),
    "duplicate_url": (
        {
            "content/essays/a.md": GOOD_ESSAY,
            "content/essays/b.md": GOOD_ESSAY.replace("---\n正文", "slug: a\n---\n正文"),
        },
        ["网址 /essays/a/ 与 content/essays/a.md 重复"],
    ),
    "missing_issue": (
        {"content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: iot\nissue: 7")},
        ["content/essays/a.md:6: “issue: 7” 指向的第7期不存在"],
    ),
    "bad_yaml": (
        {"content/essays/a.md": "---\ntitle: [未闭合\ndate: 2024-03-05\n---\n"},
        ["content/essays/a.md:2: “[” 没有配对的 “]”（在值的末尾补上 “]”，各项之间用英文逗号分隔）"],
    ),
    "bad_config_yaml": (
        {"chaowen.yaml": 'title: "潮闻\ntracks:\n  - key: iot\n    name: 智能物联\n'},
        ['chaowen.yaml:1: 引号没有闭合：这一行的值以 " 开始，但没有结束的 "'],
    ),
    "bad_config_key": (
        {"chaowen.yaml": "title: x\ntrakcs: []\n"},
        ["chaowen.yaml:2: 未知的配置项 “trakcs”（是否想写 “tracks”？）"],
    ),
}


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_case(make_site: SiteFactory, case: str) -> None:
    root = make_site(
        {"content/essays/ok.md": GOOD_ESSAY.replace("好文章", "另一篇").replace("2024-03-05", "2024-03-04")}
    )
    code, _ = run(["build", "--site", str(root)])
    assert code == 0
    before = snapshot(root / "output")
    files, expected = CASES[case]
    make_site(files)
    code, output = run(["build", "--site", str(root)])
    assert code == 1, output
    for text in expected:
        assert text in output
    assert "Traceback" not in output
    assert snapshot(root / "output") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".") and p.name != ".chaowen-cache") == []


def test_all_errors_are_reported_together(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: 新材科"),
            "content/essays/b.md": GOOD_ESSAY.replace("2024-03-05", "明天"),
            "content/minutes/c.md": "---\ntitle：沙龙\n---\n",
        }
    )
    code, output = run(["build", "--site", str(root)])
    assert code == 1
    for name in ["content/essays/a.md:5", "content/essays/b.md:3", "content/minutes/c.md:2"]:
        assert name in output


def test_broken_link_is_a_warning_then_an_error_with_strict(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": GOOD_ESSAY.replace("正文。", "见[另一篇](missing.md)。")})
    code, output = run(["build", "--site", str(root)])
    assert code == 0
    assert "content/essays/a.md:7" in output and "missing.md" in output
    code, output = run(["build", "--site", str(root), "--strict"])
    assert code == 1


def test_usage_error_exits_2(make_site: SiteFactory) -> None:
    code, _ = run(["build", "--no-such-flag"])
    assert code == 2


def test_a_bad_option_value_names_the_option_not_the_config(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": GOOD_ESSAY})
    code, output = run(["build", "--site", str(root), "--base-url", "example.org"])
    assert code == 1
    assert "命令行参数 --base-url: “example.org” 不是有效的网址" in output
    assert "chaowen.yaml" not in output


def test_refuses_to_build_into_content(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": GOOD_ESSAY})
    code, output = run(["build", "--site", str(root), "--output", str(root / "content")])
    assert code == 1
    assert "内容目录" in output
    assert (root / "content/essays/a.md").exists()


def test_template_error_names_the_template(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY,
            "themes/default/templates/document.html": "{% extends 'base.html' %}{% block content %}{{ doc.nope }}{% endblock %}",
        }
    )
    code, output = run(["build", "--site", str(root)])
    assert code == 1
    assert "document.html:1" in output
    assert "Traceback" not in output


def test_template_syntax_error_names_file_and_line(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY,
            "themes/default/templates/document.html": "{% extends 'base.html' %}\n{% block content %}\n{% if %}\n{% endblock %}",
        }
    )
    code, output = run(["build", "--site", str(root)])
    assert code == 1
    assert "document.html:3" in output


def test_markdown_errors_are_reported_with_front_matter_errors(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: 新材科"),
            "content/essays/b.md": GOOD_ESSAY.replace("正文。", "![图](../images/none.png)"),
        }
    )
    code, output = run(["build", "--site", str(root)])
    assert code == 1
    assert "content/essays/a.md:5" in output and "content/essays/b.md:7" in output
