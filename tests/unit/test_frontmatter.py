import pytest
import yaml

import chaowen.frontmatter
from chaowen import messages
from chaowen.frontmatter import normalise_newlines, parse_yaml, split

# Words of PyYAML's and libyaml's own messages: none may reach an editor.
PARSER_WORDS = (
    "found",
    "expected",
    "while",
    "scanning",
    "parsing",
    "allowed",
    "stream",
    "token",
    "mapping",
    "indicator",
    "document",
    "character",
    "escape",
    "alias",
    "anchor",
    "handle",
)


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
    assert "没有结束" in front.problems[0].message_in("zh-CN")


def test_tab_indentation_names_the_line() -> None:
    front = split("---\ntitle: 标题\ntags:\n\t- a\n---\n", "a.md")
    assert [(p.line, "Tab" in p.message_in("zh-CN")) for p in front.problems] == [(4, True)]


def test_fullwidth_colon_names_character_and_line() -> None:
    front = split("---\ntitle：潮闻\n---\n", "a.md")
    (problem,) = front.problems
    assert problem.line == 2
    assert "：" in problem.message_in("zh-CN") and ":" in problem.hint_in("zh-CN")


def test_fullwidth_colon_inside_a_value_is_fine() -> None:
    front = split("---\ntitle: 第1期：开篇\n---\n", "a.md")
    assert front.problems == ()
    assert front.fields["title"] == "第1期：开篇"


def test_fullwidth_space_after_colon_is_named() -> None:
    front = split("---\ntitle:\u3000潮闻\n---\n", "a.md")
    (problem,) = front.problems
    assert "全角空格" in problem.message_in("zh-CN")


def test_python_tags_are_rejected_without_constructing() -> None:
    fields, _, problems = parse_yaml("title: !!python/object/apply:os.system ['echo hacked']", "a.md")
    assert fields.get("title") is None
    assert problems and "!!python/object/apply:os.system" in problems[0].message_in("zh-CN")


def test_alias_bomb_is_rejected_quickly() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1 if i > 1 else ''}"] * 9) + "]")
    text = "\n".join(levels).replace("*a0", "*a")
    fields, _, problems = parse_yaml(text, "a.md")
    assert problems
    assert any("别名" in p.message_in("zh-CN") for p in problems)


def test_duplicate_key_is_reported() -> None:
    _, _, problems = parse_yaml("title: a\ntitle: b", "a.md")
    assert [p.line for p in problems] == [2]


def test_yaml_syntax_error_has_line() -> None:
    front = split("---\ntitle: a\ntags: [a, b\nx: 1\n---\n", "a.md")
    assert [p.format() for p in front.problems] == [
        "a.md:3: “[” 没有配对的 “]”（在值的末尾补上 “]”，各项之间用英文逗号分隔）"
    ]


# Each kind of mistake the YAML parser can report, as the editor sees it: file line, message and hint.
YAML_MISTAKES = {
    "unclosed double quote, seen by the parser only at the end": (
        'title: "参观电池工厂\ndate: 2024-03-05\nauthor: 王小明\ntrack: iot\ntags: [a]\n',
        'a.md:2: 引号没有闭合：这一行的值以 " 开始，但没有结束的 "'
        '（在值的末尾补上 "；值里本身要用引号时，外面改用另一种引号，或用中文引号 “”）',
    ),
    "unclosed single quote": (
        "date: 2024-03-05\ntitle: '参观\n",
        "a.md:3: 引号没有闭合：这一行的值以 ' 开始，但没有结束的 '"
        "（在值的末尾补上 '；值里本身要用引号时，外面改用另一种引号，或用中文引号 “”）",
    ),
    "unclosed quote closed by the next field's quote": (
        'title: "参观\nsummary: "一次参观"\n',
        'a.md:2: 引号没有闭合：这一行的值以 " 开始，但没有结束的 "'
        '（在值的末尾补上 "；值里本身要用引号时，外面改用另一种引号，或用中文引号 “”）',
    ),
    "text after the closing quote": (
        'title: "参观"电池工厂\n',
        "a.md:2: 引号或括号已经结束，后面还有文字"
        "（整个值要放在一对引号里，例如 title: '\"参观\"电池工厂'；或把值里的英文引号改成中文引号 “”）",
    ),
    "colon and space in a plain value": (
        "title: 第1期: 开篇\n",
        'a.md:2: 值里有“冒号加空格”（: ），YAML 把它当成了新的字段（用引号把整个值括起来：title: "第1期: 开篇"）',
    ),
    "a field indented under a plain value": (
        "title: 标题\n  date: 2024-03-05\n",
        "a.md:3: 这一行的缩进不对，和上下文对不齐（同一层的字段要从同一列开始；列表的每一项以“- ”开头，缩进相同）",
    ),
    "a field less indented than its siblings": (
        "extra:\n  a: 1\n b: 2\n",
        "a.md:4: 这一行的缩进不对，和上下文对不齐（同一层的字段要从同一列开始；列表的每一项以“- ”开头，缩进相同）",
    ),
    "a list item out of line": (
        "tags:\n  - a\n - b\n",
        "a.md:4: 这一行是列表项（- ），但上面的字段不是列表（列表项要写在字段下面并缩进，例如 tags: 换行后写“  - 芯片”）",
    ),
    "a list item on the field's line": (
        "tags: - a\n",
        "a.md:2: 列表项（- ）不能和字段写在同一行（换行后缩进写“  - 项”，或写成 tags: [甲, 乙]）",
    ),
    "a tab inside a list item": (
        "tags:\n  -\tb\n",
        "a.md:3: 这一行有制表符（Tab）（YAML 在这里只接受空格，请把 Tab 换成空格）",
    ),
    "unclosed bracket": (
        "tags: [a, b\ndate: 2024-03-05\n",
        "a.md:2: “[” 没有配对的 “]”（在值的末尾补上 “]”，各项之间用英文逗号分隔）",
    ),
    "unclosed brace": (
        "extra: {a: 1\ndate: 2024-03-05\n",
        "a.md:2: “{” 没有配对的 “}”（在值的末尾补上 “}”，各项之间用英文逗号分隔）",
    ),
    "an empty item in brackets": (
        "tags: [a, , b]\n",
        "a.md:2: 括号里有一项是空的：多了一个逗号（删去多余的逗号；某一项本身含有逗号或冒号时，用引号把它括起来）",
    ),
    "a bracket opened inside brackets": (
        "tags: [数字化改革: [, 工业互联网]\n",
        "a.md:2: “[” 没有配对的 “]”（在值的末尾补上 “]”，各项之间用英文逗号分隔）",
    ),
    "a value starting with a comma": (
        "title: ,标题\n",
        'a.md:2: 值不能以 “,” 开头（YAML 把它当作特殊符号）（用引号把整个值括起来：title: ",标题"）',
    ),
    "the first field indented": (
        "  title: a\ndate: 2024-03-05\n",
        "a.md:2: 这一行的缩进不对，和上下文对不齐（同一层的字段要从同一列开始；列表的每一项以“- ”开头，缩进相同）",
    ),
    "a colon inside brackets": (
        "tags: [时间: 上午: 九点]\n",
        "a.md:2: 方括号里的一项含有冒号，YAML 把它当成了“键: 值”"
        '（用引号把这一项括起来，例如 tags: ["时间: 上午", 芯片]）',
    ),
    "unknown escape in double quotes": (
        'title: "C:\\new\\qt"\n',
        "a.md:2: 双引号里的 “\\q” 不是有效的转义（反斜杠要写成两个（\\\\），或改用单引号括起整个值）",
    ),
    "a line without a colon": (
        "title 标题\ndate: 2024-03-05\n",
        "a.md:2: 这一行缺少冒号（每个字段写成“字段: 值”，冒号是英文冒号，后面加一个空格）",
    ),
    "a colon without a field name": (
        "title: a\n: b\n",
        "a.md:3: 这一行的冒号前面没有字段名（在冒号前写上字段名，例如 title: 标题）",
    ),
    "a value starting with @": (
        "author: @王小明\n",
        'a.md:2: 值不能以 “@” 开头（YAML 把它当作特殊符号）（用引号把整个值括起来：author: "@王小明"）',
    ),
    "a value starting with *": (
        "title: *重要*\n",
        'a.md:2: 值不能以 “*” 开头（YAML 把它当作特殊符号）（用引号把整个值括起来：title: "*重要*"）',
    ),
    "a value starting with a backtick": (
        "title: `代码`\n",
        'a.md:2: 值不能以 “`” 开头（YAML 把它当作特殊符号）（用引号把整个值括起来：title: "`代码`"）',
    ),
    "text after a block scalar indicator": (
        "summary: |要点\n  a\n",
        "a.md:2: “|” 或 “>” 后面不能接文字（在 | 或 > 后换行，再缩进两个空格写多行的值）",
    ),
    "an undefined tag handle": (
        "title: !foo!bar a\n",
        "a.md:2: 不允许使用 YAML 标签 “!foo!bar”（删去以 ! 开头的标签，直接写值）",
    ),
    "a control character": (
        "title: a\x07b\n",
        "a.md:2: 这一行有不可见的控制字符（U+0007）（删去它；这类字符常来自从网页或 Word 复制的文字）",
    ),
    "a directive line": (
        "%YAML 1.1\ntitle: a\n",
        'a.md:2: 值不能以 “%” 开头（YAML 把它当作特殊符号）（用引号把整个值括起来："%YAML 1.1"）',
    ),
}


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both parsers PyYAML may use: libyaml and the pure-Python one word their errors differently."""
    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(chaowen.frontmatter, "_Loader", yaml.CBaseLoader)
    else:
        monkeypatch.setattr(chaowen.frontmatter, "_Loader", yaml.BaseLoader)
    return str(request.param)


@pytest.mark.parametrize("case", sorted(YAML_MISTAKES))
def test_yaml_mistakes_are_named_in_chinese_at_their_line(loader: str, case: str) -> None:
    yaml_text, expected = YAML_MISTAKES[case]
    front = split(f"---\n{yaml_text}---\n正文\n", "a.md")
    assert [p.format() for p in front.problems] == [expected]
    (problem,) = front.problems
    assert messages.language_of(problem.message_in("zh-CN")) == "zh-CN"
    assert not [
        word for word in PARSER_WORDS if word in (problem.message_in("zh-CN") + problem.hint_in("zh-CN")).lower()
    ]


def test_a_second_document_in_a_yaml_file_is_named(loader: str) -> None:
    _, _, problems = parse_yaml("title: a\n---\nb: 1\n", "chaowen.yaml")
    assert [p.format() for p in problems] == [
        "chaowen.yaml:2: 这一行的 --- 开始了第二个文档（删去这一行的 ---；一个文件只能有一组字段）"
    ]


def test_yaml_mistakes_in_english_for_english_sites(loader: str) -> None:
    front = split('---\ntitle: "参观\ndate: 2024-03-05\n---\n', "a.md")
    assert [p.format("en") for p in front.problems] == [
        'a.md:2: unclosed quote: the value on this line starts with " but never ends with one'
        ' (add " at the end of the value; if the value itself contains that quote, use the other kind outside)'
    ]


def test_empty_file_and_missing_front_matter() -> None:
    assert split("", "a.md").problems[0].message_in("zh-CN") == "文件是空的"
    assert "没有文件头" in split("只有正文", "a.md").problems[0].message_in("zh-CN")


def test_only_front_matter_gives_empty_body() -> None:
    front = split("---\ntitle: a\n---", "a.md")
    assert front.problems == ()
    assert front.body == ""


def test_english_messages_for_english_sites() -> None:
    front = split("---\ntitle：x\n---\n", "a.md")
    assert "full-width" in front.problems[0].message_in("en")
