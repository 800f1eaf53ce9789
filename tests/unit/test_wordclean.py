"""Word's habits out of pandoc's JSON tree (wordclean), the Word file's checks (wordfile), the engine (pandoc)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from chaowen import pandoc
from chaowen.errors import Problem
from chaowen.wordclean import clean, plain
from chaowen.wordfile import is_machine_name, read_word
from chaowen.wordfront import Byline, minutes_date, parse_byline
from chaowen.wordnumbering import chinese, formatted

FIXTURES = Path(__file__).parent.parent / "integration" / "docx"


def words(text: str) -> list[dict[str, Any]]:
    """Inlines as pandoc's docx reader gives them: words and spaces."""
    out: list[dict[str, Any]] = []
    for index, part in enumerate(text.split(" ")):
        if index:
            out.append({"t": "Space"})
        if part:
            out.append({"t": "Str", "c": part})
    return out


def para(*inlines: dict[str, Any] | str) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    for inline in inlines:
        content.extend(words(inline) if isinstance(inline, str) else [inline])
    return {"t": "Para", "c": content}


def bold(text: str) -> dict[str, Any]:
    return {"t": "Strong", "c": words(text)}


BREAK = {"t": "LineBreak"}


def cleaned_texts(*blocks: dict[str, Any]) -> list[tuple[str, str]]:
    result = clean({"blocks": list(blocks), "meta": {}}, file_title="文件名", take_byline=False)
    return [
        (b["t"] if b["t"] != "Header" else f"h{b['c'][0]}", plain(b["c"] if b["t"] != "Header" else b["c"][2]))
        for b in result.blocks
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("作者：张三", Byline(("张三",))),
        ("作者: 张三、李四", Byline(("张三", "李四"))),
        ("文/王五", Byline(("王五",))),
        ("张三（临浦镇）", Byline(("张三",), "临浦镇")),
        ("张三(区经信局)", Byline(("张三",), "区经信局")),
        ("临浦镇 张三", Byline(("张三",), "临浦镇")),
        ("临浦镇\u3000\u3000张三", Byline(("张三",), "临浦镇")),
        ("作者：临浦镇 张三", Byline(("张三",), "临浦镇")),
        ("作者：张三（临浦镇）", Byline(("张三",), "临浦镇")),
        ("十月下旬，我们走访了三家企业。", None),
        ("调研 收获", None),  # two words, but the first is no unit
        ("一、调研的背景", None),
    ],
)
def test_bylines_as_trainees_write_them(line: str, expected: Byline | None) -> None:
    assert parse_byline(line) == expected


def test_a_lone_name_is_a_byline_only_right_under_the_title() -> None:
    assert parse_byline("张三", first=True) == Byline(("张三",))
    assert parse_byline("张三") is None


@pytest.mark.parametrize(
    "name",
    [
        "Administrator",
        "User",
        "admin",
        "微软用户",
        "Windows 用户",
        "USER-PC",
        "DESKTOP-8J2K1",
        "user01",
        "zhang-PC",
        "",
    ],
)
def test_machine_names_are_not_authors(name: str) -> None:
    assert is_machine_name(name)


@pytest.mark.parametrize("name", ["张三", "Li Na", "王晓明", "Hpeng", "Pcheng"])
def test_people_are_authors(name: str) -> None:
    assert not is_machine_name(name)


def test_manual_numbering_and_bold_paragraphs_become_headings_from_level_two() -> None:
    assert cleaned_texts(
        para("一、认识要到位"),
        para("正文。"),
        para("（一）领导带头"),
        para("1. 每月听一次汇报"),
        para(bold("几点建议")),
        para("1. 数据要回到车间才有价值；"),  # ends like a sentence: text
        para("二、" + "很长" * 20),  # too long: text
    ) == [
        ("h2", "一、认识要到位"),
        ("Para", "正文。"),
        ("h3", "（一）领导带头"),
        ("h4", "1. 每月听一次汇报"),
        ("h5", "几点建议"),
        ("Para", "1. 数据要回到车间才有价值；"),
        ("Para", "二、" + "很长" * 20),
    ]


def test_styled_headings_start_at_two_and_skip_no_level() -> None:
    blocks = [
        para("导语。"),  # a heading first would be the title
        {"t": "Header", "c": [1, ["x", [], []], words("背景")]},
        {"t": "Header", "c": [3, ["", [], []], words("细节")]},
    ]
    assert cleaned_texts(*blocks) == [("Para", "导语。"), ("h2", "背景"), ("h3", "细节")]


def test_manual_line_breaks_join_inside_a_sentence_and_split_between_thoughts() -> None:
    assert cleaned_texts(
        para("\u3000\u3000数字化不是买设备，", BREAK, "而是改流程。"),
        para("村里的数据有三类：", BREAK, "\u3000\u3000一是人口数据；", BREAK, "二是产业数据。"),
        para("the data", BREAK, "is here"),
    ) == [
        ("Para", "数字化不是买设备，而是改流程。"),
        ("Para", "村里的数据有三类："),
        ("Para", "一是人口数据；"),
        ("Para", "二是产业数据。"),
        ("Para", "the data is here"),
    ]


def test_indents_empty_paragraphs_and_non_breaking_spaces_go() -> None:
    assert cleaned_texts(
        para("\u3000\u3000"),
        para("\t镇里\u00a0先后开了三次会。"),
        para(),
        para("Word\u00a02016 版"),
        para(bold(" ")),
    ) == [("Para", "镇里先后开了三次会。"), ("Para", "Word 2016 版")]


def test_bold_keeps_its_chinese_quotes_and_loses_its_edge_spaces() -> None:
    result = clean({"blocks": [para("平台", bold(" “潮闻” "), "是")], "meta": {}})
    inlines = result.blocks[0]["c"]
    assert [node["t"] for node in inlines] == ["Str", "Space", "Strong", "Space", "Str"]
    assert inlines[2]["c"] == [{"t": "Str", "c": "“潮闻”"}]


def test_title_comes_from_the_style_then_a_first_heading_then_the_property_then_the_file() -> None:
    styled = {"meta": {"title": {"t": "MetaInlines", "c": words("样式标题")}}, "blocks": [para("正文。")]}
    assert clean(styled, property_title="属性标题").title == "样式标题"
    heading = {"meta": {}, "blocks": [{"t": "Header", "c": [1, ["", [], []], words("第一个标题")]}, para("正文。")]}
    result = clean(heading, property_title="属性标题")
    assert (result.title, [plain(b["c"]) for b in result.blocks]) == ("第一个标题", ["正文。"])
    numbered = {"meta": {}, "blocks": [para("一、背景"), para("正文。")]}
    assert clean(numbered, property_title="属性标题").title == "属性标题"
    assert clean(numbered, file_title="张三心得").title_source == "file"


def test_a_simple_table_gets_its_first_row_as_header_and_no_widths() -> None:
    def cell(text: str) -> list[Any]:
        return [["", [], []], {"t": "AlignDefault"}, 1, 1, [{"t": "Para", "c": words(text)}]]

    rows = [[["", [], []], [cell("村"), cell("事项")]], [["", [], []], [cell("河上村"), cell("12")]]]
    table = {
        "t": "Table",
        "c": [
            ["", [], []],
            [None, []],
            [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": 0.5}]] * 2,
            [["", [], []], []],
            [[["", [], []], 0, [], rows]],
            [["", [], []], []],
        ],
    }
    out = clean({"blocks": [table], "meta": {}}).blocks[0]["c"]
    assert [plain(c[4][0]["c"]) for c in out[3][1][0][1]] == ["村", "事项"]
    assert len(out[4][0][3]) == 1
    assert out[2][0][1] == {"t": "ColWidthDefault"}
    assert out[3][1][0][1][0][4][0]["t"] == "Plain"


# ----------------------------------------------------------------------------- wordfile
def test_a_fixture_reads_with_its_usable_properties() -> None:
    word = read_word((FIXTURES / "xinde-quan.docx").read_bytes(), "x.docx")
    assert not isinstance(word, Problem)
    assert (word.title, word.author) == ("", "")  # 学员心得 is a template's title, Administrator a machine


def test_an_encrypted_office_file_is_told_apart_from_an_old_doc() -> None:
    old = (FIXTURES / "bad" / "jiu-ge-shi.doc").read_bytes()
    refused = read_word(old, "a.docx")
    assert isinstance(refused, Problem) and refused.message_in("zh-CN").startswith("这是旧版 Word")
    # An encrypted .docx is an OLE container whose directory names the stream EncryptionInfo.
    encrypted = old[:1024] + "EncryptionInfo".encode("utf-16-le") + old[1024 + 28 :]
    refused = read_word(encrypted, "a.docx")
    assert isinstance(refused, Problem) and refused.message_in("zh-CN") == "文件设了打开密码，无法读取"


def test_a_zip_that_is_not_word_is_refused() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    refused = read_word(data.getvalue(), "表格.docx")
    assert isinstance(refused, Problem) and refused.message_in("zh-CN") == "这不是 Word 文档（.docx）"


def _docx_with(body: str) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(FIXTURES / "jinggao.docx") as source, zipfile.ZipFile(data, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = content.decode("utf-8")
                start, end = text.index("<w:body>") + len("<w:body>"), text.index("<w:sectPr>")
                content = (text[:start] + body + text[end:]).encode("utf-8")
            archive.writestr(info, content)
    return data.getvalue()


_GRAPHIC = (
    '<w:p><w:r><w:t>流程如下</w:t></w:r><w:r><w:drawing><wp:inline><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="{uri}"/></a:graphic></wp:inline></w:drawing></w:r></w:p>'
)


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (_GRAPHIC.format(uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"), "smartart"),
        (
            '<w:p><w:r><w:t>流程如下</w:t></w:r><w:r><w:object><o:OLEObject ProgID="Excel.Sheet.12"/></w:object></w:r></w:p>',
            "object",
        ),
    ],
)
def test_what_no_word_processor_here_can_make_is_still_noticed(body: str, what: str) -> None:
    """SmartArt and embedded objects need Word itself; the check reads the same elements Word writes."""
    word = read_word(_docx_with(body), "x.docx")
    assert not isinstance(word, Problem)
    assert [(n.what, n.paragraph, n.snippet) for n in word.notices] == [(what, 1, "流程如下")]


# ----------------------------------------------------------------------------- the engine
def test_a_missing_engine_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc, "_bundled", lambda: "")
    monkeypatch.setattr(pandoc.shutil, "which", lambda name: None)
    problem = pandoc.find_pandoc()
    assert isinstance(problem, Problem)
    assert problem.format("zh-CN") == (
        "pandoc: 导入 Word 文档需要 pandoc，但没有找到（请运行 pip install 'chaowen[import]' 安装（自带 pandoc））"
    )


def test_an_old_pandoc_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc, "_bundled", lambda: "")
    monkeypatch.setattr(pandoc.shutil, "which", lambda name: "/usr/bin/pandoc")
    monkeypatch.setattr(pandoc, "_version", lambda path: (2, 17, 1, 1))
    problem = pandoc.find_pandoc()
    assert isinstance(problem, Problem) and "2.17.1.1" in problem.message_in("zh-CN")


def test_links_to_word_bookmarks_become_text_and_web_links_stay() -> None:
    toc = {"t": "Link", "c": [["", [], []], words("调研的背景"), ["#_Toc1234", ""]]}
    web = {"t": "Link", "c": [["", [], []], words("报告"), ["https://www.xiaoshan.gov.cn/", ""]]}
    inlines = clean({"blocks": [para(toc), para("见", web)], "meta": {}}, take_byline=False).blocks
    assert inlines[0]["c"] == [{"t": "Str", "c": "调研的背景"}]
    assert inlines[1]["c"][1]["t"] == "Link"


def test_subtitle_and_author_paragraphs_stay_in_the_body_and_the_author_one_is_the_byline() -> None:
    meta = {
        "title": {"t": "MetaInlines", "c": words("主标题")},
        "subtitle": {"t": "MetaInlines", "c": words("——记一次调研")},
        "author": {"t": "MetaList", "c": [{"t": "MetaInlines", "c": words("作者：张三")}]},
    }
    result = clean({"meta": meta, "blocks": [para("正文。")]})
    assert result.title == "主标题" and result.byline == Byline(("张三",))
    assert [plain(b["c"]) for b in result.blocks] == ["——记一次调研", "正文。"]


@pytest.mark.parametrize(
    ("number", "style", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCountingThousand", "十"),
        (11, "taiwaneseCountingThousand", "十一"),
        (21, "chineseCounting", "二十一"),
        (105, "chineseCounting", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "decimalFullWidth", "７"),
        (7, "decimal", "7"),
        (7, "bullet", ""),
    ],
)
def test_word_number_formats(number: int, style: str, shown: str) -> None:
    assert formatted(number, style) == shown


def test_chinese_numbers_up_to_a_thousand() -> None:
    assert [chinese(n) for n in (1, 9, 10, 19, 20, 99, 100, 110, 999)] == [
        "一",
        "九",
        "十",
        "十九",
        "二十",
        "九十九",
        "一百",
        "一百一十",
        "九百九十九",
    ]


def test_numbered_points_one_after_another_are_a_list_not_headings() -> None:
    assert cleaned_texts(
        para("一、做了什么"),
        para("1. 走访企业"),
        para("2. 召开座谈会"),
        para("二、下一步"),
    ) == [("h2", "一、做了什么"), ("Para", "1. 走访企业"), ("Para", "2. 召开座谈会"), ("h2", "二、下一步")]


def test_a_bold_title_broken_over_two_lines_stays_one_title() -> None:
    title = {"t": "Para", "c": [bold("走进临浦："), BREAK, bold("一次调研")]}
    result = clean({"meta": {}, "blocks": [title, para("正文。")]})
    assert result.title == "走进临浦：一次调研"


def test_a_long_title_makes_a_file_name_cut_at_a_word() -> None:
    from chaowen.importer import MAX_STEM, _stem

    stem = _stem("关于进一步推动乡镇数字化改革与基层治理现代化深度融合的若干思考和建议以及下一步的工作打算")
    assert 0 < len(stem) <= MAX_STEM and not stem.endswith("-")
    assert stem.startswith("guan-yu-jin-yi-bu") and _stem("短标题") == "duan-biao-ti"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024年3月5日", "2024-03-05"),
        ("2024年3月15日（周五）下午 14:30", "2024-03-15 14:30"),
        ("2024/3/5 9:05", "2024-03-05 09:05"),
        ("3月5日下午", None),
    ],
)
def test_the_date_minutes_begin_with(text: str, iso: str | None) -> None:
    assert minutes_date(text) == iso


def test_minutes_lines_become_fields_and_the_byline_stays_when_a_host_is_named() -> None:
    blocks = [
        para("记录：张三"),
        para("时间：2024年3月5日 地点：区委党校"),
        para("主持人：刘卫东"),
        para("参加人员：王晓明、陈思远"),
        para("时间过得很快：这是正文。"),
    ]
    result = clean(
        {"meta": {"title": {"t": "MetaInlines", "c": words("纪要")}}, "blocks": blocks}, take_minutes_lines=True
    )
    assert result.fields == {
        "date": "2024-03-05",
        "venue": "区委党校",
        "host": "刘卫东",
        "participants": "王晓明、陈思远",
    }
    assert [plain(b["c"]) for b in result.blocks] == ["记录：张三", "时间过得很快：这是正文。"]
    assert result.byline is None


def test_a_byline_at_the_end_is_found_when_there_is_none_at_the_top() -> None:
    blocks = [
        para("第一段。"),
        para("第二段。"),
        para("第三段。"),
        para("第四段。"),
        para("（临浦镇 张三）"),
        para("临浦镇 张三"),
    ]
    result = clean({"meta": {"title": {"t": "MetaInlines", "c": words("题目")}}, "blocks": blocks})
    assert result.byline == Byline(("张三",), "临浦镇")
    assert [plain(b["c"]) for b in result.blocks][-1] == "（临浦镇 张三）"
    lone = [para("第一段。"), para("第二段。"), para("第三段。"), para("张三")]
    assert clean({"meta": {"title": {"t": "MetaInlines", "c": words("题目")}}, "blocks": lone}).byline is None
