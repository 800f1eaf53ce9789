"""Each content error: the CLI names file and line, exits 1, and leaves output/ exactly as it was."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from chaowen import messages
from chaowen.cli import main
from tests.conftest import SiteFactory, run_cli, tree_files

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
    "missing_cover": (
        {"content/issues/a.md": ISSUE.replace("number: 1\n", "number: 1\ncover: 封面.png\n")},
        ["content/issues/a.md:5: 图片 “content/issues/封面.png” 不存在"],
    ),
    "cover_is_a_url": (
        {"content/issues/a.md": ISSUE.replace("number: 1\n", "number: 1\ncover: https://example.org/a.png\n")},
        ["content/issues/a.md:5: 字段 “cover” 的值无效：应为 content/ 下一张图片的相对路径"],
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


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_case(make_site: SiteFactory, case: str) -> None:
    root = make_site(
        {"content/essays/ok.md": GOOD_ESSAY.replace("好文章", "另一篇").replace("2024-03-05", "2024-03-04")}
    )
    code, _ = run_cli(["build", "--site", str(root)])
    assert code == 0
    before = tree_files(root / "output")
    files, expected = CASES[case]
    make_site(files)
    code, output = run_cli(["build", "--site", str(root)])
    assert code == 1, output
    for text in expected:
        assert text in output
    assert "Traceback" not in output
    assert tree_files(root / "output") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".") and p.name != ".chaowen-cache") == []


def test_all_errors_are_reported_together(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: 新材科"),
            "content/essays/b.md": GOOD_ESSAY.replace("2024-03-05", "明天"),
            "content/minutes/c.md": "---\ntitle：沙龙\n---\n",
        }
    )
    code, output = run_cli(["build", "--site", str(root)])
    assert code == 1
    for name in ["content/essays/a.md:5", "content/essays/b.md:3", "content/minutes/c.md:2"]:
        assert name in output


def test_broken_link_is_a_warning_then_an_error_with_strict(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": GOOD_ESSAY.replace("正文。", "见[另一篇](missing.md)。")})
    code, output = run_cli(["build", "--site", str(root)])
    assert code == 0
    assert "content/essays/a.md:7" in output and "missing.md" in output
    code, output = run_cli(["build", "--site", str(root), "--strict"])
    assert code == 1


def test_usage_error_exits_2(make_site: SiteFactory) -> None:
    code, _ = run_cli(["build", "--no-such-flag"])
    assert code == 2


def test_a_bad_option_value_names_the_option_not_the_config(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": GOOD_ESSAY})
    code, output = run_cli(["build", "--site", str(root), "--base-url", "example.org"])
    assert code == 1
    assert "命令行参数 --base-url: “example.org” 不是有效的网址" in output
    assert "chaowen.yaml" not in output


def test_refuses_to_build_into_content(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": GOOD_ESSAY})
    code, output = run_cli(["build", "--site", str(root), "--output", str(root / "content")])
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
    code, output = run_cli(["build", "--site", str(root)])
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
    code, output = run_cli(["build", "--site", str(root)])
    assert code == 1
    assert "document.html:3" in output


def test_markdown_errors_are_reported_with_front_matter_errors(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "content/essays/a.md": GOOD_ESSAY.replace("track: iot", "track: 新材科"),
            "content/essays/b.md": GOOD_ESSAY.replace("正文。", "![图](../images/none.png)"),
        }
    )
    code, output = run_cli(["build", "--site", str(root)])
    assert code == 1
    assert "content/essays/a.md:5" in output and "content/essays/b.md:7" in output


# ------------------------------------------------------------------ click's own words
# What click prints in English by itself; none of it may reach an editor of a Chinese site.
CLICK_ENGLISH = (
    "Usage:",
    "Error:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Invalid value",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "Missing command",
    "No such option",
    "No such command",
    "Show this message",
    "Show the version",
    "Try '",
    "for help",
    "is not one of",
    "is not a valid",
    "is not in the range",
    "requires an argument",
    "does not take a value",
    "unexpected extra argument",
    "Did you mean",
    "Aborted",
    "default:",
    "required]",
    "[OPTIONS]",
    "COMMAND",
    "[ARGS]",
    "TEXT",
    "INTEGER",
    "DIRECTORY",
    "FILE",
    "x>=",
    ", version",
)


def bad_command_lines() -> list[list[str]]:
    """For every verb: a wrong option, an option without its value, a flag with one, each missing argument,
    each bad choice and number, an extra argument; made from the verbs' parameters, so a new one is covered."""
    lines: list[list[str]] = [[], ["nosuchverb"], ["--nope"], ["bild"]]
    for name, command in sorted(main.commands.items()):
        params = [p for p in command.params if isinstance(p, click.Option)]
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        good = ["essay" if isinstance(a.type, click.Choice) else "x" for a in arguments]
        lines.append([name, "--no-such-option"])
        lines.append([name, *good, "--sitee", "."])
        lines.extend([name, *good, opt] for p in params if not p.is_flag and not p.count for opt in p.opts[:1])
        lines.extend([name, *good, f"{p.opts[0]}=yes"] for p in params if p.is_flag and not p.count)
        if not any(a.nargs == -1 for a in arguments):  # `import A.docx B.docx ...` takes any number
            lines.append([name, *good, "extra", "more"])
        for index, argument in enumerate(arguments):
            if argument.required:
                lines.append([name, *good[:index]])
            if isinstance(argument.type, click.Choice):
                lines.append([name, *good[:index], "nope", *good[index + 1 :]])
        for param in params:
            if isinstance(param.type, click.IntRange):
                lines.append([name, *good, param.opts[0], "0" if param.type.min == 1 else "99999"])
                lines.append([name, *good, param.opts[0], "x"])
    return lines


@pytest.mark.parametrize("args", bad_command_lines(), ids=" ".join)
def test_usage_errors_are_in_chinese(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no site yet: Chinese all the same
    code, output = run_cli(args)
    assert code == 2, output
    assert "用法：" in output and "错误" in output if args else "命令：" in output
    assert [phrase for phrase in CLICK_ENGLISH if phrase in output] == [], output
    assert "Traceback" not in output


@pytest.mark.parametrize("verb", ["", *sorted(main.commands)])
def test_help_of_every_verb_is_in_chinese(verb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for flag in ("--help", "-h"):
        code, output = run_cli([verb, flag] if verb else [flag])
        assert code == 0, output
        assert output.startswith("用法：") and "选项：" in output and "显示这段帮助并退出。" in output
        assert [phrase for phrase in CLICK_ENGLISH if phrase in output] == [], output
    command = main.commands.get(verb, main)
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("-"):
                assert opt in output  # every option is listed with its help


def test_usage_errors_name_the_value_and_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = {
        ("new", "nope", "标题"): "错误 类型：“nope” 不是可选的值，可选：issue、minutes、essay、page",
        ("new", "essay"): "错误 缺少标题（标题；文件名取自标题的拼音）",
        ("build", "--jobs", "0"): "错误 --jobs：“0” 应为不小于 1 的整数",
        ("build", "--nope"): "错误 没有 --nope 这个选项（是否想写 “--no-cache、--no-print”？）",
        ("build", "--drafts=yes"): "错误 --drafts 是开关，后面不能跟值",
        ("build", "--site"): "错误 --site 后面要跟一个值（目录）",
        ("bild",): "错误 没有 “bild” 这个命令（是否想写 “build”？）",
        ("new", "essay", "参观", "电池工厂"): (
            '错误 多出了参数：电池工厂（标题里有空格时请用引号括起来，例如 "参观 电池工厂"）'
        ),
    }
    for args, message in expected.items():
        code, output = run_cli(list(args))
        assert code == 2
        assert message in output.splitlines(), output
    code, output = run_cli(["--version"])
    assert code == 0 and output.startswith("chaowen ") and "version" not in output


def test_usage_errors_and_help_speak_an_english_sites_language(make_site: SiteFactory) -> None:
    root = make_site({"chaowen.yaml": "title: x\nlanguage: en\ntracks:\n  - key: iot\n    name: IoT\n"})
    code, output = run_cli(["new", "nope", "x", "--site", str(root)])
    assert code == 2
    assert "error: KIND: 'nope' is not one of: issue, minutes, essay, page" in output.splitlines()
    code, output = run_cli(["new", "--help", "--site", str(root)])
    assert output.startswith("Usage: ") and "Show this help and exit." in output
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in output.replace("潮闻", ""))


def test_every_verb_and_parameter_has_its_help_in_the_catalogue() -> None:
    """A new option needs ``help_<verb>_<option>`` (or a shared ``help_<option>``) and ``metavar_<option>``."""
    missing = [] if "help_main" in messages.CATALOGUE else ["help_main"]
    for name, command in sorted(main.commands.items()):
        missing += [] if f"help_{name}" in messages.CATALOGUE else [f"help_{name}"]
        for param in command.params:
            if f"help_{name}_{param.name}" not in messages.CATALOGUE and f"help_{param.name}" not in messages.CATALOGUE:
                missing.append(f"help_{name}_{param.name}")
            takes_value = not (isinstance(param, click.Option) and (param.is_flag or param.count))
            if takes_value and f"metavar_{param.name}" not in messages.CATALOGUE:
                missing.append(f"metavar_{param.name}")
    assert missing == []
