"""CommonMark and GFM as Typora shows them (issue 19): each case renders with cmark-gfm's structure.

The expected shapes are what cmark-gfm 0.29 (GitHub, Typora's reference) produces for the same text;
chaowen's own improvements (bold beside Chinese punctuation, joined Han line breaks, Chinese heading
ids) are checked to stay.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from chaowen.gfm import BlockBreakPreprocessor, _expand_tabs_outside_fences
from tests.unit.markdown_helpers import render, text_of, tree


def shape(html: str) -> str:
    """The element structure and text of ``html``, attributes and the Pygments wrapper left out:
    ``p(要点如下：) ul(li(数据要真实) li(引用要规范))``."""

    def of(element: ET.Element) -> str:
        if element.tag == "div" and element.get("class") == "highlight":
            return " ".join(of(child) for child in element)
        if element.tag == "pre":
            return f"pre({text_of(element)!r})"
        parts = [(element.text or "").strip()]
        for child in element:
            parts += [f"\0{of(child)}", (child.tail or "").strip()]
        body = ""
        for part in filter(None, parts):  # a space between two elements, none next to text
            body += " " + part[1:] if part[0] == "\0" and body.endswith(")") else part.lstrip("\0")
        return f"{element.tag}({body})" if body else element.tag

    return " ".join(of(child) for child in tree(html))


def html_of(body: str) -> str:
    markup, _ = render(body)
    return markup.html


# --------------------------------------------------------------------------- 1. a list right after a paragraph
def test_list_right_after_a_paragraph_line() -> None:
    assert (
        shape(html_of("要点如下：\n- 数据要真实\n- 引用要规范\n")) == "p(要点如下：) ul(li(数据要真实) li(引用要规范))"
    )
    assert shape(html_of("步骤：\n1. 收集\n2. 整理\n")) == "p(步骤：) ol(li(收集) li(整理))"
    quoted = html_of("> 要点如下：\n> - 数据要真实\n> - 引用要规范\n")
    assert shape(quoted) == "blockquote(p(要点如下：) ul(li(数据要真实) li(引用要规范)))"


def test_only_an_ordered_list_from_one_interrupts_a_paragraph() -> None:
    # CommonMark: "2019. 年" inside a paragraph is text, not a list starting at 2019.
    assert shape(html_of("我们回顾了\n2019. 年的工作\n")) == "p(我们回顾了\n2019. 年的工作)"


def test_a_parenthesis_item_stays_in_its_paragraph() -> None:
    # "1)" is a list marker in CommonMark, not in Python-Markdown: no blank line is put in for it.
    assert shape(html_of("步骤：\n1) 收集\n")) == "p(步骤：\n1) 收集)"


def test_items_of_one_list_stay_tight() -> None:
    assert shape(html_of("- 甲\n- 乙\n  说明\n- 丙\n")) == "ul(li(甲) li(乙说明) li(丙))"


# --------------------------------------------------------------------------- 2. hashtags are not headings
def test_hash_without_space_is_not_a_heading() -> None:
    html = html_of("#读书笔记# 今天读完了\n\n#1 号楼停电\n")
    assert shape(html) == "p(#读书笔记# 今天读完了) p(#1 号楼停电)"
    assert shape(html_of("# 标题\n#标签\n")) == "h1(标题) p(#标签)"


# --------------------------------------------------------------------------- 3. headings ending in #
def test_heading_keeps_a_trailing_hash_that_is_part_of_a_word() -> None:
    markup, _ = render("## 学习 C#\n\n## 标题 ##   \n\n### 结尾 #\n\n## 转义 \\#\n")
    assert shape(markup.html) == "h2(学习 C#) h2(标题) h3(结尾) h2(转义 #)"
    assert [h.title for h in markup.toc] == ["学习 C#", "标题", "结尾", "转义 #"]
    assert markup.toc[0].id == "学习-c"


# --------------------------------------------------------------------------- 4. escaped pipes in tables
def test_escaped_pipe_in_a_table_cell_is_a_pipe_in_code_too() -> None:
    root = tree(html_of("| 命令 | 说明 |\n|---|---|\n| `a \\| b` | 管道 \\| 符号 |\n"))
    cells = root.findall(".//td")
    assert len(cells) == 2
    code = cells[0].find("code")
    assert code is not None and code.text == "a | b"
    assert text_of(cells[1]) == "管道 | 符号"


# --------------------------------------------------------------------------- 5. bare URLs
def test_bare_urls_become_links() -> None:
    root = tree(html_of("官网 https://example.com/a?b=1 和 www.example.org 。\n"))
    links = root.findall(".//a")
    assert [(a.get("href"), a.text) for a in links] == [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://www.example.org", "www.example.org"),
    ]


def test_a_bare_link_ends_before_chinese_text() -> None:
    # GFM would link "https://example.com，欢迎访问" whole: its links end at whitespace only.
    root = tree(html_of("网址 https://example.com/a，欢迎访问；邮箱 chaowen@example.org。\n"))
    links = root.findall(".//a")
    assert [a.get("href") for a in links][0] == "https://example.com/a"
    assert [text_of(a) for a in links] == ["https://example.com/a", "chaowen@example.org"]
    assert text_of(root) == "网址 https://example.com/a，欢迎访问；邮箱 chaowen@example.org。"


def test_a_written_out_link_keeps_its_chinese_path() -> None:
    root = tree(html_of("[维基](https://zh.wikipedia.org/wiki/北京) 与 [https://例子.cn/路径](https://例子.cn/路径)\n"))
    assert [a.get("href") for a in root.iter("a")] == ["https://zh.wikipedia.org/wiki/北京", "https://例子.cn/路径"]


def test_angle_autolinks_take_any_scheme() -> None:
    root = tree(html_of("<irc://irc.example.org/潮闻> 与 <https://example.com>\n"))
    assert [a.get("href") for a in root.iter("a")] == ["irc://irc.example.org/潮闻", "https://example.com"]


def test_urls_in_code_stay_text() -> None:
    root = tree(html_of("运行 `curl https://example.com`\n"))
    assert root.find(".//a") is None


# --------------------------------------------------------------------------- 6. a list followed by ---
def test_list_followed_by_a_rule_is_no_setext_heading() -> None:
    assert shape(html_of("- 已完成的事项\n---\n")) == "ul(li(已完成的事项)) hr"
    assert shape(html_of("> 引文\n---\n")) == "blockquote(p(引文)) hr"
    assert shape(html_of("本周小结\n---\n")) == "h2(本周小结)"  # a paragraph line still makes a heading
    assert shape(html_of("***\n---\n")) == "hr hr"


def test_setext_heading_of_several_lines_and_indented_underline() -> None:
    assert shape(html_of("第一行\n第二行\n===\n\n标题\n   ---   \n正文\n")) == "h1(第一行第二行) h2(标题) p(正文)"


# --------------------------------------------------------------------------- 7. Markdown inside <details>
def test_markdown_inside_details() -> None:
    body = "<details>\n<summary>展开全文</summary>\n\n**重点**内容\n\n- 第一\n- 第二\n\n</details>\n"
    assert shape(html_of(body)) == "details(summary(展开全文) p(strong(重点)内容) ul(li(第一) li(第二)))"


def test_details_without_blank_lines_stays_html() -> None:
    # CommonMark: the HTML block runs to the next blank line, so nothing in it is Markdown.
    html = html_of("<details>\n<summary>展开</summary>\n**原样**\n</details>\n\n正文\n")
    assert shape(html) == "details(summary(展开)**原样**) p(正文)"


def test_details_in_a_code_fence_stays_code() -> None:
    body = "```html\n<details>\n**不是粗体**\n</details>\n```\n"
    html = html_of(body)
    assert "<strong>" not in html
    assert "**不是粗体**" in text_of(tree(html))


# --------------------------------------------------------------------------- 8. backslash escapes and hard breaks
def test_backslash_at_line_end_is_a_hard_break() -> None:
    assert shape(html_of("北京市海淀区\\\n中关村大街 1 号\n")) == "p(北京市海淀区br中关村大街 1 号)"


def test_ascii_punctuation_can_be_escaped() -> None:
    root = tree(html_of("价格 \\$5，\\<b\\> 不是标签，\\&copy; 不是实体，\\中 不是转义\n"))
    assert text_of(root) == "价格 $5，<b> 不是标签，&copy; 不是实体，\\中 不是转义"


# --------------------------------------------------------------------------- 9. the next item after a continuation
def test_next_item_after_an_items_indented_paragraph() -> None:
    html = html_of("1. 第一阶段\n2. 第二阶段\n\n    补充。\n3. 第三阶段\n")
    root = tree(html)
    items = root.findall("./ol/li")
    assert [text_of(item).split() for item in items] == [["第一阶段"], ["第二阶段", "补充。"], ["第三阶段"]]


def test_a_list_is_loose_or_tight_as_a_whole() -> None:
    html = html_of("1. 第一阶段\n2. 第二阶段\n\n    补充。\n3. 第三阶段\n")
    assert shape(html) == "ol(li(p(第一阶段)) li(p(第二阶段) p(补充。)) li(p(第三阶段)))"
    assert shape(html_of("- 甲\n- 乙\n\n- 丙\n")) == "ul(li(p(甲)) li(p(乙)) li(p(丙)))"
    numbered = tree(html_of("003. 第三条\n")).find("ol")
    assert numbered is not None and numbered.get("start") == "3"


# --------------------------------------------------------------------------- fenced code after a paragraph
def test_fenced_code_right_after_a_paragraph_line() -> None:
    html = html_of("示例如下：\n```python\nprint(1)\n```\n继续说明。\n")
    assert shape(html) == "p(示例如下：) pre('print(1)\\n') p(继续说明。)"


# --------------------------------------------------------------------------- 10. two block quotes
def test_quotes_separated_by_a_blank_line_stay_apart() -> None:
    assert shape(html_of("> 第一段引用\n\n> 第二段引用\n")) == "blockquote(p(第一段引用)) blockquote(p(第二段引用))"
    assert shape(html_of("> 第一段\n>\n> 第二段\n")) == "blockquote(p(第一段) p(第二段))"
    assert shape(html_of("> 引文\n>\n正文\n")) == "blockquote(p(引文)) p(正文)"  # no lazy line after ">"
    # ...and a next list item after an item's quote keeps the list tight.
    assert shape(html_of("- 甲\n  > 引文\n  >\n- 乙\n")) == "ul(li(甲blockquote(p(引文))) li(乙))"


# --------------------------------------------------------------------------- 11. tabs in code
def test_tabs_in_fenced_code_stay_tabs() -> None:
    root = tree(html_of("```make\nall:\n\techo 你好\n```\n\n~~~\n\tx\n~~~\n"))
    codes = [text_of(pre) for pre in root.iter("pre")]
    assert codes == ["all:\n\techo 你好\n", "\tx\n"]


def test_tabs_outside_fences_still_indent() -> None:
    lines = ["-\t项目", "```", "\tcode", "```", "\t缩进"]
    assert _expand_tabs_outside_fences(lines, 4) == ["-   项目", "```", "\tcode", "```", "    缩进"]
    assert shape(html_of("-\t项目\n")) == "ul(li(项目))"


# --------------------------------------------------------------------------- what chaowen does better stays
def test_chinese_improvements_stay() -> None:
    markup, _ = render("## 调研 心得\n\n**注意：**请勿转载，他说**“这很重要”**\n第二行\n")
    assert shape(markup.html) == "h2(调研 心得) p(strong(注意：)请勿转载，他说strong(“这很重要”)第二行)"
    assert markup.toc[0].id == "调研-心得"


def test_list_breaks_leave_lists_and_other_lines_alone() -> None:
    preprocessor = BlockBreakPreprocessor()
    lines = ["- 甲", "- 乙", "", "正文", "2019. 年", "", "    代码", "    - 不是列表"]
    assert preprocessor.run(list(lines)) == lines
