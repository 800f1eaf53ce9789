from chaowen.frontmatter import normalise_newlines, parse_yaml, split


def test_values_stay_as_written() -> None:
    fields, lines, problems = parse_yaml("code: 010\nflag: NO\ntime: 12:30\ntags: [no, on]\ntitle: 2024", "f.md")
    assert problems == []
    assert fields == {"code": "010", "flag": "NO", "time": "12:30", "tags": ["no", "on"], "title": "2024"}
    assert lines == {"code": 1, "flag": 2, "time": 3, "tags": 4, "title": 5}


def test_split_reports_body_line_and_field_lines() -> None:
    front = split("---\ntitle: 标题\ndate: 2024-03-05\n---\n正文第一行\n", "content/essays/a.md")
    assert front.problems == ()
    assert front.fields["title"] == "标题"
    assert front.lines == {"title": 2, "date": 3}
    assert front.body == "正文第一行\n"
    assert front.body_line == 5


def test_bom_crlf_and_cr_are_normalised() -> None:
    assert normalise_newlines("\ufeffa\r\nb\rc") == "a\nb\nc"
    front = split("\ufeff---\r\ntitle: 标题\r\n---\r\n正文", "a.md")
    assert front.fields == {"title": "标题"}
    assert front.body == "正文"


def test_unclosed_front_matter_is_a_problem_at_line_1() -> None:
    front = split("---\ntitle: 标题\n正文\n", "content/essays/a.md")
    assert len(front.problems) == 1
    assert front.problems[0].line == 1
    assert "没有结束" in front.problems[0].message


def test_tab_indentation_names_the_line() -> None:
    front = split("---\ntitle: 标题\ntags:\n\t- a\n---\n", "a.md")
    assert [(p.line, "Tab" in p.message) for p in front.problems] == [(4, True)]


def test_fullwidth_colon_names_character_and_line() -> None:
    front = split("---\ntitle：潮闻\n---\n", "a.md")
    (problem,) = front.problems
    assert problem.line == 2
    assert "：" in problem.message and ":" in problem.hint


def test_fullwidth_colon_inside_a_value_is_fine() -> None:
    front = split("---\ntitle: 第1期：开篇\n---\n", "a.md")
    assert front.problems == ()
    assert front.fields["title"] == "第1期：开篇"


def test_fullwidth_space_after_colon_is_named() -> None:
    front = split("---\ntitle:\u3000潮闻\n---\n", "a.md")
    (problem,) = front.problems
    assert "全角空格" in problem.message


def test_python_tags_are_rejected_without_constructing() -> None:
    fields, _, problems = parse_yaml("title: !!python/object/apply:os.system ['echo hacked']", "a.md")
    assert fields.get("title") is None
    assert problems and "!!python/object/apply:os.system" in problems[0].message


def test_alias_bomb_is_rejected_quickly() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1 if i > 1 else ''}"] * 9) + "]")
    text = "\n".join(levels).replace("*a0", "*a")
    fields, _, problems = parse_yaml(text, "a.md")
    assert problems
    assert any("别名" in p.message for p in problems)


def test_duplicate_key_is_reported() -> None:
    _, _, problems = parse_yaml("title: a\ntitle: b", "a.md")
    assert [p.line for p in problems] == [2]


def test_yaml_syntax_error_has_line() -> None:
    front = split("---\ntitle: a\ntags: [a, b\nx: 1\n---\n", "a.md")
    assert front.problems
    assert front.problems[0].line is not None and front.problems[0].line >= 3


def test_empty_file_and_missing_front_matter() -> None:
    assert split("", "a.md").problems[0].message == "文件是空的"
    assert "没有文件头" in split("只有正文", "a.md").problems[0].message


def test_only_front_matter_gives_empty_body() -> None:
    front = split("---\ntitle: a\n---", "a.md")
    assert front.problems == ()
    assert front.body == ""


def test_english_messages_for_english_sites() -> None:
    front = split("---\ntitle：x\n---\n", "a.md", language="en")
    assert "full-width" in front.problems[0].message
