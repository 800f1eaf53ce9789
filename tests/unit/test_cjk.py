"""Chinese text rules: soft line breaks, character counts, reading time, summaries."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from chaowen import cjk
from chaowen.cjk import SUMMARY_LENGTH, count_chars, cut_summary, join_cjk_breaks, reading_minutes
from chaowen.markup import render_markdown
from tests.unit.markdown_helpers import render, text_of, tree


# --------------------------------------------------------------------------- soft line breaks, on a tree
def joined(xml: str) -> str:
    root = ET.fromstring(xml)
    join_cjk_breaks(root)
    return ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>中文\n段落</p>", "<p>中文段落</p>"),
        ("<p>中文 \n  段落</p>", "<p>中文段落</p>"),  # spaces around the break go with it
        ("<p>“引号”\n继续</p>", "<p>“引号”继续</p>"),  # full-width punctuation next to Han
        ("<p>Latin\nwords</p>", "<p>Latin\nwords</p>"),
        ("<p>中文\nEnglish</p>", "<p>中文\nEnglish</p>"),
        ("<p>这是<strong>重点</strong>\n内容</p>", "<p>这是<strong>重点</strong>内容</p>"),  # across an element
        ("<div><p>第一段</p>\n<p>第二段</p></div>", "<div><p>第一段</p>\n<p>第二段</p></div>"),  # not across blocks
        ("<p><code>代码\n代码</code></p>", "<p><code>代码\n代码</code></p>"),  # never inside code
        ("<p>中文<br />\n段落</p>", "<p>中文<br />\n段落</p>"),  # a hard break stays
    ],
)
def test_join_cjk_breaks(before: str, after: str) -> None:
    assert joined(before) == after


# --------------------------------------------------------------------------- soft line breaks, rendered
def test_soft_break_between_han_characters_disappears() -> None:
    markup, _ = render("中文\n段落，“引号”\n继续。\n")
    assert tree(markup.html).findtext("p") == "中文段落，“引号”继续。"


def test_soft_break_between_latin_words_stays() -> None:
    paragraph = tree(render("Latin words\nstay apart\n中文\nEnglish\n")[0].html).findtext("p")
    assert paragraph == "Latin words\nstay apart\n中文\nEnglish"


def test_soft_break_joins_across_inline_elements() -> None:
    markup, _ = render("这是**重点**\n内容，见[链接](other.md)\n后文\n")
    assert "<strong>重点</strong>内容" in markup.html
    assert "</a>后文" in markup.html


def test_soft_break_kept_inside_code() -> None:
    markup, _ = render("`代码\n代码` 正文\n\n```\n第一行\n第二行\n```\n")
    root = tree(markup.html)
    assert root.findtext("p/code") == "代码\n代码"
    assert text_of(root.find("./div/pre/code")) == "第一行\n第二行\n"


def test_hard_break_is_kept() -> None:
    markup, _ = render("第一行  \n第二行\n")
    assert "第一行<br>" in markup.html


# --------------------------------------------------------------------------- counts and reading time
def test_count_chars_counts_han_characters_and_latin_words() -> None:
    assert count_chars("中文字符 and two words, 2024年") == 4 + 3 + 1 + 1
    assert count_chars("，。！“”") == 0  # punctuation is not a character of the text
    assert count_chars("") == 0


def test_count_chars_counts_each_han_character_of_every_block() -> None:
    """One count per character of the Han blocks (the BMP ones, compatibility ideographs and the
    supplementary planes), whatever stands between them; nothing else counts as Han."""
    han = "\u3400\u4dbf\u4e00\u9fff\uf900\ufaff\U00020000\U0003134f调研"
    others = "\u33ff\u4dc0\ua000\uf8ff\ufb00\U0001ffff\U00031350，。 \n\t—…·ｱ가"
    text = "".join(h + o for h, o in zip(han, others * 2, strict=False))
    assert count_chars(text) == len(han)
    assert count_chars(others) == 0
    assert count_chars(han + han) == 2 * len(han)


def test_chars_count_han_characters_and_latin_words() -> None:
    markup, _ = render("中文字符 and two words, 2024年\n\n```\n不计 code\n```\n")
    assert markup.chars == 4 + 3 + 1 + 1  # 中文字符, and/two/words, 2024, 年
    assert markup.minutes == 1


def test_reading_minutes_round_chars_over_400() -> None:
    assert reading_minutes(1400) == 4  # 3.5 rounds to 4
    assert reading_minutes(1000) == 2  # 2.5 rounds to even
    assert reading_minutes(0) == 1


def test_minutes_round_chars_over_400() -> None:
    assert render("字" * 1400 + "\n")[0].minutes == 4
    assert render("")[0].minutes == 1


# --------------------------------------------------------------------------- summaries
def test_cut_summary() -> None:
    assert cut_summary("短文本") == "短文本"
    assert cut_summary("甲" * 300) == "甲" * SUMMARY_LENGTH + "…"
    assert cut_summary("问" * 50 + "？" + "答" * 100) == "问" * 50 + "？"
    assert cut_summary("他说：“" + "好" * 100 + "。”" + "后" * 50) == "他说：“" + "好" * 100 + "。”"


def test_summary_cut_at_last_sentence_end_within_120() -> None:
    sentence = "这是一个十个字的句子。"  # 11 characters
    markup, _ = render(sentence * 30 + "\n")
    assert markup.summary == sentence * 10  # 110 characters; the 11th sentence would end at 121
    assert len(markup.summary) <= 120


def test_summary_cut_at_120_with_ellipsis_without_sentence_end() -> None:
    markup, _ = render("甲" * 300 + "\n")
    assert markup.summary == "甲" * 120 + "…"


def test_a_summary_given_in_front_matter_is_not_cut() -> None:
    long = "乙" * 300
    markup, _ = render_markdown(
        "正文。\n", source="a.md", display_path="a.md", body_line=1, urls={}, base_path="/", summary=long
    )
    assert markup.summary == long


def test_the_breaks_deleted_are_those_between_two_characters_that_join() -> None:
    """The search for the breaks to delete agrees with the rule it stands for, on every
    short string of CJK, wide punctuation, Latin, barrier and white-space characters."""

    def by_rule(joined: str) -> list[tuple[int, int]]:
        return [
            m.span()
            for m in cjk._BREAK.finditer(joined)
            if m.start() > 0 and m.end() < len(joined) and cjk._joins(joined[m.start() - 1], joined[m.end()])
        ]

    alphabet = "中。a“—\x00 \t\n"
    checked = 0
    for length in range(1, 7):
        for chars in itertools.product(alphabet, repeat=length):
            joined = "".join(chars)
            if "\n" in joined:
                assert cjk._breaks_to_delete(joined) == by_rule(joined), repr(joined)
                checked += 1
    assert checked > 100_000
