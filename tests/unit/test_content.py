import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chaowen.content import decode, load_content, parse_document, walk_content
from chaowen.dates import parse_date
from chaowen.model import Kind, SiteConfig
from chaowen.schema import json_schema
from tests.conftest import make_config

SHANGHAI = ZoneInfo("Asia/Shanghai")

ESSAY = """---
title: 参观电池工厂的心得
date: 2024-03-05
author: 王小明
unit: 临浦镇
track: 新材料
issue: 2
tags: 新能源电池、产业链， 调研
---
正文
"""


def test_essay_fields_are_converted(config: SiteConfig) -> None:
    doc, problems = parse_document("essays/参观电池工厂.md", ESSAY, config)
    assert problems == []
    assert doc is not None
    assert doc.kind is Kind.ESSAY
    assert doc.track == "materials"
    assert doc.issue == 2
    assert doc.authors == ("王小明",)
    assert doc.tags == ("新能源电池", "产业链", "调研")
    assert doc.date == datetime(2024, 3, 5, tzinfo=SHANGHAI)
    assert doc.slug == "can-guan-dian-chi-gong-chang"
    assert doc.body_line == 10


def test_track_by_key_and_trimmed_fullwidth_spaces(config: SiteConfig) -> None:
    text = ESSAY.replace("track: 新材料", "track: iot").replace("author: 王小明", "author: 王小明\u3000 ")
    doc, problems = parse_document("essays/a.md", text, config)
    assert problems == [] and doc is not None
    assert doc.track == "iot"
    assert doc.authors == ("王小明",)


def test_unknown_track_suggests_the_nearest(config: SiteConfig) -> None:
    doc, problems = parse_document("essays/a.md", ESSAY.replace("新材料", "新材科"), config)
    assert doc is None
    (problem,) = problems
    assert problem.format() == (
        "content/essays/a.md:6: 未知的赛道 “新材科”，可选：智能物联、生命健康、新材料（是否想写 “新材料”？）"
    )


# A date in the right form naming a day or time that does not exist says so, not that the form is wrong.
IMPOSSIBLE_DATES = {
    "2024-02-30": "content/essays/a.md:3: 日期不存在：2024年2月没有30日（2024年2月只有 29 天）",
    "2024年2月30日": "content/essays/a.md:3: 日期不存在：2024年2月没有30日（2024年2月只有 29 天）",
    "2024-04-31": "content/essays/a.md:3: 日期不存在：2024年4月没有31日（2024年4月只有 30 天）",
    "2024-01-00": "content/essays/a.md:3: 日期不存在：2024年1月没有0日（2024年1月只有 31 天）",
    "2023-02-29": "content/essays/a.md:3: 日期不存在：2023年2月没有29日（2023 年不是闰年，2月只有 28 天）",
    "2024-13-01": "content/essays/a.md:3: 日期不存在：一年没有13月（月份是 1–12；日期按“年-月-日”写，例如 2024-03-15）",
    "2024-03-05 25:00": "content/essays/a.md:3: 时间不存在：一天只有 0–23 点，没有25点（时间按 24 小时制写，例如 2024-03-15 14:30）",
    "2024-03-05 14:61": "content/essays/a.md:3: 时间不存在：一小时只有 0–59 分，没有61分（时间按 24 小时制写，例如 2024-03-15 14:30）",
    "2024-03-05 14:30:60": "content/essays/a.md:3: 时间不存在：一分钟只有 0–59 秒，没有60秒（时间按 24 小时制写，例如 2024-03-15 14:30）",
    "2024-03-05T14:30+25:00": "content/essays/a.md:3: 时差 “+25:00” 不存在（写成 +08:00 这样的形式；不写时差时按站点的时区计算）",
    "明天": "content/essays/a.md:3: 日期 “明天” 无效（请写成 2024-03-15 或 2024-03-15 14:30 的形式）",
    "0000-01-01": "content/essays/a.md:3: 日期 “0000-01-01” 无效（请写成 2024-03-15 或 2024-03-15 14:30 的形式）",
}


@pytest.mark.parametrize("value", sorted(IMPOSSIBLE_DATES))
def test_impossible_dates_say_what_does_not_exist(config: SiteConfig, value: str) -> None:
    doc, problems = parse_document("essays/a.md", ESSAY.replace("2024-03-05", value), config)
    assert doc is None
    assert [p.format() for p in problems] == [IMPOSSIBLE_DATES[value]]


def test_impossible_dates_in_english(config: SiteConfig) -> None:
    english = make_config(language="en")
    _, problems = parse_document("essays/a.md", ESSAY.replace("2024-03-05", "2023-02-29"), english)
    assert [p.format("en") for p in problems] == [
        "content/essays/a.md:3: no such date: 2023-02 has no day 29 (2023 is not a leap year: February has 28 days)"
    ]
    _, problems = parse_document("essays/a.md", ESSAY.replace("2024-03-05", "2024-03-05 24:00"), english)
    assert [p.format("en") for p in problems] == [
        "content/essays/a.md:3: no such time: hours run from 0 to 23, not 24 (use the 24-hour clock, e.g. 2024-03-15 14:30)"
    ]


def test_every_date_form_the_build_reads_matches_the_json_schema_pattern() -> None:
    pattern = re.compile(json_schema(Kind.ESSAY)["properties"]["date"]["pattern"])
    for value in ["2024-03-05", "2024/3/5", "2024年3月5日", "2024-03-05 14:30", "2024-03-05T06:00:00Z"]:
        assert parse_date(value, SHANGHAI) is not None
        assert pattern.match(value), value


def test_date_forms() -> None:
    assert parse_date("2024-03-05 14:30", SHANGHAI) == datetime(2024, 3, 5, 14, 30, tzinfo=SHANGHAI)
    assert parse_date("2024年3月5日", SHANGHAI) == datetime(2024, 3, 5, tzinfo=SHANGHAI)
    assert parse_date("2024-03-05T06:00:00Z", SHANGHAI) == datetime(2024, 3, 5, 14, 0, tzinfo=SHANGHAI)


def test_missing_fields_are_all_reported(config: SiteConfig) -> None:
    doc, problems = parse_document("essays/a.md", "---\nsummary: x\n---\n", config)
    assert doc is None
    assert sorted(p.message_in("zh-CN") for p in problems) == sorted(
        ["缺少必填字段 “title”", "缺少必填字段 “date”", "缺少必填字段 “track”", "缺少必填字段 “author”"]
    )


def test_unknown_field_is_a_warning_with_suggestion(config: SiteConfig) -> None:
    doc, problems = parse_document("essays/a.md", ESSAY.replace("author:", "auther: x\nauthor:"), config)
    assert doc is not None
    (problem,) = problems
    assert not problem.is_error
    assert "auther" in problem.message_in("zh-CN") and "author" in problem.hint_in("zh-CN")
    assert problem.line == 4


def test_extra_reaches_the_document(config: SiteConfig) -> None:
    doc, _ = parse_document("essays/a.md", ESSAY.replace("---\n正文", "extra:\n  photo: 张三\n---\n正文"), config)
    assert doc is not None and doc.extra == {"photo": "张三"}


def test_text_values_are_kept_as_written(config: SiteConfig) -> None:
    text = ESSAY.replace("title: 参观电池工厂的心得", "title: 2024").replace(
        "tags: 新能源电池、产业链， 调研", "tags: [no, on, 010]"
    )
    doc, problems = parse_document("essays/a.md", text, config)
    assert doc is not None and problems == []
    assert doc.title == "2024"
    assert doc.tags == ("no", "on", "010")


def test_issue_requires_number(config: SiteConfig) -> None:
    doc, problems = parse_document("issues/1.md", "---\ntitle: 第1期\ndate: 2024-01-01\nnumber: 一\n---\n", config)
    assert doc is None
    assert problems[0].line == 4


def test_draft_bool(config: SiteConfig) -> None:
    doc, _ = parse_document("pages/about.md", "---\ntitle: 关于\ndraft: yes\n---\n", config)
    assert doc is not None and doc.draft and doc.kind is Kind.PAGE


def test_gbk_file_is_decoded_with_a_warning() -> None:
    text, problem = decode(
        "---\ntitle: 中文标题\n---\n正文内容，这是一段较长的中文文字。".encode("gbk"), "content/a.md"
    )
    assert text is not None and "中文标题" in text
    assert problem is not None and not problem.is_error
    assert "GB18030" in problem.message_in("zh-CN") and "UTF-8" in problem.hint_in("zh-CN")


def test_binary_file_is_an_error() -> None:
    text, problem = decode(bytes(range(256)) * 4, "content/a.md")
    assert text is None and problem is not None and problem.is_error


def test_walk_skips_editor_litter_and_survives_symlink_loops(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "essays").mkdir(parents=True)
    (content / "essays" / "a.md").write_text("x", encoding="utf-8")
    (content / "essays" / "a.md~").write_text("x", encoding="utf-8")
    (content / "essays" / ".a.md.swp").write_text("x", encoding="utf-8")
    (content / "essays" / "~$草稿.md").write_text("x", encoding="utf-8")
    (content / "images").mkdir()
    (content / "images" / "图 1.png").write_bytes(b"png")
    (content / "essays" / "loop").symlink_to(content, target_is_directory=True)
    markdown, assets = walk_content(content)
    assert markdown == ["essays/a.md"]
    assert assets == ["images/图 1.png"]


def test_load_content_collects_problems_from_every_file(tmp_path: Path) -> None:
    content = tmp_path / "content" / "essays"
    content.mkdir(parents=True)
    (content / "bad1.md").write_text("---\ntitle: x\n", encoding="utf-8")
    (content / "bad2.md").write_text("---\ntitle：x\n---\n", encoding="utf-8")
    result = load_content(make_config(root=tmp_path))
    assert result.documents == ()
    assert {p.path for p in result.problems} == {"content/essays/bad1.md", "content/essays/bad2.md"}


# ----------------------------------------------------------- scaffolds left in content
ISSUE = "---\ntitle: {title}\ndate: 2024-03-01\nnumber: {number}\n---\n编者按。\n"


@pytest.mark.parametrize(
    ("title", "number", "shown"),
    [
        ("第二期：走进车间", 2, "走进车间"),
        ("第2期 走进车间", 2, "走进车间"),
        ("第 2 期 · 走进车间", 2, "走进车间"),
        ("第02期:走进车间", 2, "走进车间"),
        ("第十二期——走进车间", 12, "走进车间"),
        ("第二十期 走进车间", 20, "走进车间"),
        ("第一百零五期｜走进车间", 105, "走进车间"),
        ("第二期", 2, "第二期"),  # nothing else to show: kept, still warned
    ],
)
def test_an_issue_title_that_repeats_its_number_is_warned_and_shown_once(
    config: SiteConfig, title: str, number: int, shown: str
) -> None:
    doc, problems = parse_document("issues/a.md", ISSUE.format(title=title, number=number), config)
    assert doc is not None and doc.title == shown
    (problem,) = problems
    assert problem.format() == (
        f"content/issues/a.md:2: 标题 “{title}” 重复了期号：页面上显示为 “第{number}期 {shown}”"
        "（期号会自动显示在标题前面，标题只写本期的主题即可）"
    )
    assert not problem.is_error


@pytest.mark.parametrize("title", ["第三期：走进车间", "走进车间第二期", "第二期间的事"])
def test_an_issue_title_with_another_number_is_left_alone(config: SiteConfig, title: str) -> None:
    doc, problems = parse_document("issues/a.md", ISSUE.format(title=title, number=2), config)
    assert problems == [] and doc is not None and doc.title == title


def test_an_essay_title_is_never_cut(config: SiteConfig) -> None:
    doc, problems = parse_document("essays/a.md", ESSAY.replace("参观电池工厂的心得", "第二期：心得"), config)
    assert problems == [] and doc is not None and doc.title == "第二期：心得"


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_placeholder_of_a_new_document_is_a_warning_with_its_line(language: str) -> None:
    from chaowen import messages
    from chaowen.scaffold import document_file

    config = make_config(language=language)
    new, _ = document_file(Kind.ESSAY, "心得", config, today=datetime(2024, 3, 5).date())
    assert new is not None
    text = new.text.replace("author:", "author: 王小明").replace("track:", "track: iot")
    doc, problems = parse_document("essays/a.md", text, config)
    assert doc is not None
    (problem,) = problems
    line = text.splitlines().index(messages.text("new_body", language)) + 1
    expected = {
        "zh-CN": f"content/essays/a.md:{line}: 正文里还留着新建文档时的占位文字 “正文从这里开始。”"
        "（换成真正的正文，或删去这一行，否则它会被发布）",
        "en": f"content/essays/a.md:{line}: the text still holds the placeholder 'The text starts here.' "
        "that chaowen new wrote (replace it with the real text or delete the line, or it gets published)",
    }[language]
    assert problem.format(language) == expected and not problem.is_error
