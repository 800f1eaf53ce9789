from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaowen.config import parse_config
from chaowen.content import parse_document
from chaowen.frontmatter import parse_yaml, split
from chaowen.model import Kind, SiteConfig
from chaowen.scaffold import document_file, find_track, issue_numbers, site_files, yaml_text
from tests.conftest import make_config

TODAY = date(2026, 11, 29)


def test_new_site_has_config_folders_samples_and_gitignore() -> None:
    files = {f.path: f.text for f in site_files(TODAY)}
    assert {"chaowen.yaml", ".gitignore"} <= files.keys()
    for folder in ("issues", "minutes", "essays", "pages"):
        assert len([p for p in files if p.startswith(f"content/{folder}/") and p.endswith(".md")]) == 1
    assert "output/" in files[".gitignore"].splitlines()
    assert ".chaowen-cache/" in files[".gitignore"].splitlines()


def test_new_site_config_has_the_three_tracks() -> None:
    text = {f.path: f.text for f in site_files(TODAY, title="潮闻 2027")}["chaowen.yaml"]
    fields, lines, problems = parse_yaml(text, "chaowen.yaml")
    assert problems == []
    config = parse_config(fields, lines, Path("/site"))
    assert [(t.key, t.name) for t in config.tracks] == [
        ("iot", "智能物联"),
        ("health", "生命健康"),
        ("materials", "新材料"),
    ]
    assert config.title == "潮闻 2027"


def test_new_site_samples_are_valid_and_dated_today(config: SiteConfig) -> None:
    for new in site_files(TODAY):
        if new.path.endswith(".md"):
            document, problems = parse_document(new.path.removeprefix("content/"), new.text, config)
            assert problems == [], new.path
            assert document is not None and document.date is not None
            assert document.date.date() == TODAY


def test_new_essay_fills_in_what_it_was_given(config: SiteConfig) -> None:
    track, _ = find_track(config, "新材料")
    new, problems = document_file(
        Kind.ESSAY, "参观电池工厂的心得", config, today=TODAY, track=track, author="王小明", issue=2, numbers={2: "x"}
    )
    assert problems == [] and new is not None
    assert new.path == "content/essays/can-guan-dian-chi-gong-chang-de-xin-de.md"
    document, problems = parse_document(new.path.removeprefix("content/"), new.text, config)
    assert document is not None
    # its only problem: the placeholder body, to be replaced before it is published
    assert [(p.message_in("zh-CN"), p.is_error) for p in problems] == [
        ("正文里还留着新建文档时的占位文字 “正文从这里开始。”", False)
    ]
    assert (document.title, document.track, document.authors, document.issue) == (
        "参观电池工厂的心得",
        "materials",
        ("王小明",),
        2,
    )
    assert document.date is not None and document.date.date() == TODAY


def test_required_fields_not_given_are_left_empty_and_point_at_their_line(config: SiteConfig) -> None:
    new, _ = document_file(Kind.MINUTES, "沙龙", config, today=TODAY)
    assert new is not None
    lines = new.text.splitlines()
    track_line = next(i for i, line in enumerate(lines, 1) if line.startswith("track:"))
    assert "必填" in lines[track_line - 1] and "智能物联、生命健康、新材料" in lines[track_line - 1]
    document, problems = parse_document("minutes/sha-long.md", new.text, config)
    assert document is None
    assert [(p.line, p.message_in("zh-CN")) for p in problems if p.is_error] == [(track_line, "缺少必填字段 “track”")]


def test_optional_fields_are_comments_that_stay_valid_when_uncommented(config: SiteConfig) -> None:
    for kind in Kind:
        new, _ = document_file(kind, "标题", config, today=TODAY)
        assert new is not None
        front = split(new.text, "a.md").fields
        optional = [line for line in new.text.splitlines() if line.startswith("# ") and ":" in line]
        assert optional, kind
        uncommented = new.text.replace("\n# ", "\n")
        fields, _, problems = parse_yaml(uncommented.split("---")[1], "a.md")
        assert problems == []
        assert set(fields) > set(front)


def test_issue_takes_the_next_number_and_refuses_a_taken_one(config: SiteConfig) -> None:
    numbers = {1: "content/issues/a.md", 3: "content/issues/c.md"}
    new, _ = document_file(Kind.ISSUE, "春季刊", config, today=TODAY, numbers=numbers)
    assert new is not None and "\nnumber: 4\n" in new.text
    new, problems = document_file(Kind.ISSUE, "春季刊", config, today=TODAY, issue=3, numbers=numbers)
    assert new is None
    assert problems[0].is_error and "content/issues/c.md" in problems[0].message_in("zh-CN")


def test_essay_for_an_issue_that_does_not_exist_yet_is_created_with_a_warning(config: SiteConfig) -> None:
    new, problems = document_file(Kind.ESSAY, "心得", config, today=TODAY, issue=5, numbers={1: "x"})
    assert new is not None and "\nissue: 5\n" in new.text
    (problem,) = problems
    assert not problem.is_error and "第5期不存在" in problem.message_in("zh-CN") and "1" in problem.hint_in("zh-CN")


def test_title_without_pinyin_gets_a_dated_name(config: SiteConfig) -> None:
    new, _ = document_file(Kind.ESSAY, "🎉🎉", config, today=TODAY)
    assert new is not None and new.path == "content/essays/essay-20261129.md"


def test_english_site_gets_english_placeholders() -> None:
    config = make_config(language="en")
    new, _ = document_file(Kind.ESSAY, "Visit", config, today=TODAY)
    assert new is not None
    assert "required: Track" in new.text and "optional: Tags" in new.text and "The text starts here." in new.text


@pytest.mark.parametrize("wanted", ["iot", "IOT", "智能物联", " 智能物联 "])
def test_find_track_by_key_or_name(config: SiteConfig, wanted: str) -> None:
    track, problem = find_track(config, wanted)
    assert problem is None and track is not None and track.key == "iot"


def test_unknown_track_names_the_valid_ones(config: SiteConfig) -> None:
    track, problem = find_track(config, "新材科")
    assert track is None and problem is not None
    assert (
        problem.format()
        == "命令行参数 --track: 未知的赛道 “新材科”，可选：智能物联、生命健康、新材料（是否想写 “新材料”？）"
    )


@pytest.mark.parametrize(
    "title",
    [
        "标题: 副标题",
        "[草稿] 标题",
        "# 井号",
        "'单引号'",
        '"双引号"',
        "a #b",
        "@at",
        "yes",
        "010",
        "null",
        "~",
        "!!python/object",
        "&anchor",
        "*alias",
        "第1期：开篇",
        "- 破折号",
        "? 问",
        "%百分",
        "`反引号`",
        "|竖线",
        ">大于",
        "{花括号}",
        "制表\t符",
        "结尾冒号:",
        "---",
        "…",
    ],
)
def test_titles_are_written_so_they_read_back_exactly(title: str) -> None:
    fields, _, problems = parse_yaml(f"title: {yaml_text(title)}", "a.md")
    assert problems == [] and fields["title"] == title


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30))
def test_any_one_line_title_reads_back_exactly(title: str) -> None:
    title = " ".join(title.split())
    if title:
        fields, _, problems = parse_yaml(f"title: {yaml_text(title)}", "a.md")
        assert problems == [] and fields["title"] == title


def test_issue_numbers_are_read_from_the_files_as_written(tmp_path: Path) -> None:
    issues = tmp_path / "content/issues"
    issues.mkdir(parents=True)
    (issues / "a.md").write_text("---\ntitle: 一\nnumber: 1\n---\n", encoding="utf-8")
    (issues / "b.md").write_bytes("---\ntitle: 第三期\nnumber: 第3期\n---\n正文很长的中文内容。".encode("gbk"))
    (issues / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (issues / "no-number.md").write_text("---\ntitle: 无\n---\n", encoding="utf-8")
    (tmp_path / "content/essays").mkdir()
    (tmp_path / "content/essays/e.md").write_text("---\nnumber: 9\n---\n", encoding="utf-8")
    assert issue_numbers(make_config(root=tmp_path)) == {1: "content/issues/a.md", 3: "content/issues/b.md"}
