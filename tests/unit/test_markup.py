"""The Markdown stage: emphasis, heading ids, summaries, links, isolation between calls, fingerprint.

The list layout, the CJK text rules and the input limits are tested in test_lists, test_cjk and test_limits.
"""

from __future__ import annotations

from collections import Counter
from types import ModuleType

import markdown.inlinepatterns
import pytest
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.tables import TableProcessor

from chaowen import gfm
from chaowen import limits as limits_module
from chaowen import markup as markup_module
from chaowen.errors import Severity
from chaowen.markup import render_markdown
from chaowen.model import Heading
from tests.unit.markdown_helpers import BODY_LINE, refused, render, tree


# --------------------------------------------------------------------------- emphasis
def test_strong_next_to_chinese_quotes_and_punctuation() -> None:
    markup, _ = render("**“潮闻”**是一本期刊，**重点**。\n")
    assert "<strong>“潮闻”</strong>是" in markup.html
    assert "<strong>重点</strong>。" in markup.html


def test_strikethrough_and_tilde_ranges() -> None:
    markup, _ = render("~~删除~~，历时 3~5 天\n")
    assert "<del>删除</del>" in markup.html
    assert "3~5 天" in markup.html and "<sub>" not in markup.html


# --------------------------------------------------------------------------- heading ids and toc
def test_chinese_heading_ids_readable_stable_and_deduplicated() -> None:
    body = "## 调研 心得\n\n## 调研 心得\n\n## 调研 心得\n\n## 总结 {#summary}\n\n### Summary\n"
    markup, _ = render(body)
    assert [h.id for h in markup.toc] == ["调研-心得", "调研-心得-1", "调研-心得-2", "summary", "summary-1"]
    assert "_1" not in markup.html
    root = tree(markup.html)
    assert [h.get("id") for h in root.findall("h2")] == ["调研-心得", "调研-心得-1", "调研-心得-2", "summary"]
    assert render(body)[0].toc == markup.toc  # stable between calls


def test_heading_ids_drop_punctuation_and_keep_digits() -> None:
    markup, _ = render("## 2024年：回顾与展望！\n\n## ？？\n")
    assert [h.id for h in markup.toc] == ["2024年回顾与展望", "section"]


def test_toc_holds_h2_to_h4_with_plain_titles() -> None:
    body = "# 大标题\n\n## 第一节 **重点**\n\n### 小节 `code` &amp; 更多\n\n#### 四级\n\n##### 五级\n"
    markup, _ = render(body)
    assert markup.toc == (
        Heading(2, "第一节-重点", "第一节 重点"),
        Heading(3, "小节-code-更多", "小节 code & 更多"),
        Heading(4, "四级", "四级"),
    )
    assert 'id="大标题"' in markup.html  # every heading gets an id, only h2-h4 are listed


# --------------------------------------------------------------------------- summary
def test_summary_argument_wins() -> None:
    markup, _ = render("正文第一段。\n", summary="自定义摘要")
    assert markup.summary == "自定义摘要"


def test_summary_is_first_paragraph_as_plain_text() -> None:
    body = "## 标题\n\n```\n代码\n```\n\n| a |\n|---|\n| 表格 |\n\n**潮闻** &amp; [链接](other.md)：A &lt; B。\n\n第二段。\n"
    markup, _ = render(body)
    assert markup.summary == "潮闻 & 链接：A < B。"


def test_summary_skips_images_tables_and_footnotes() -> None:
    assert render("## 只有标题\n\n![图](../images/调研现场.png)\n\n脚注[^1]\n\n[^1]: 注释\n")[0].summary == "脚注"
    assert render("## 只有标题\n\n| 表 |\n|---|\n| 格 |\n\n> 引用里的段落。\n")[0].summary == "引用里的段落。"
    assert render("## 只有标题\n")[0].summary == ""


# --------------------------------------------------------------------------- links and images
def test_relative_links_rewritten_with_base_path_and_fragment() -> None:
    body = (
        "[同目录](other.md#part) [上级](../minutes/m.md) [页面](../pages/about.md?x=1#a) "
        "[文件](../files/课程表.pdf) [本篇](wang.md)\n"
    )
    markup, problems = render(body, base="/chaowen/")
    assert problems == ()
    hrefs = [a.get("href") for a in tree(markup.html).iter("a")]
    assert hrefs == [
        "/chaowen/essays/other/#part",
        "/chaowen/minutes/m/",
        "/chaowen/about/?x=1#a",
        "/chaowen/files/%E8%AF%BE%E7%A8%8B%E8%A1%A8.pdf",
        "/chaowen/essays/wang/",
    ]
    assert markup.links == ("essays/other.md", "minutes/m.md", "pages/about.md", "files/课程表.pdf", "essays/wang.md")


def test_images_with_spaces_and_chinese_names() -> None:
    body = "![甲](../images/line%20chart.png)\n![乙](<../images/line chart.png>)\n![丙](../images/调研现场.png)\n"
    markup, problems = render(body, base="/chaowen/")
    assert problems == ()
    images = list(tree(markup.html).iter("img"))
    assert [img.get("src") for img in images] == [
        "/chaowen/images/line%20chart.png",
        "/chaowen/images/line%20chart.png",
        "/chaowen/images/%E8%B0%83%E7%A0%94%E7%8E%B0%E5%9C%BA.png",
    ]
    assert all(img.get("loading") == "lazy" and img.get("decoding") == "async" for img in images)


def test_external_and_absolute_links_unchanged() -> None:
    targets = [
        "https://example.org/a.md",
        "http://example.org",
        "mailto:editor@example.org",
        "tel:+8657100000000",
        "//cdn.example.org/x.js",
        "#part",
        "/root/path/",
        "data:text/plain,hi",
    ]
    body = " ".join(f"[x]({t})" for t in targets) + " <editor@example.org>\n"
    markup, problems = render(body, base="/chaowen/")
    assert problems == ()
    hrefs = [a.get("href") for a in tree(markup.html).iter("a")]
    assert hrefs[:-1] == targets
    assert hrefs[-1] == "mailto:editor@example.org"  # the obfuscated autolink is left alone
    assert markup.links == ()


def test_broken_link_is_a_warning_on_its_line() -> None:
    markup, problems = render("第一段。\n\n见[另一篇](nope.md#x)。\n")
    (problem,) = problems
    assert problem.severity is Severity.WARNING
    assert (problem.path, problem.line) == ("content/essays/wang.md", BODY_LINE + 2)
    assert "nope.md" in problem.message_in("zh-CN")
    assert problem.hint_in("zh-CN")
    assert 'href="nope.md#x"' in markup.html  # left as written
    assert markup.links == ("essays/nope.md",)  # missing targets are dependencies too


def test_missing_image_is_an_error_on_its_line() -> None:
    _, problems = render("正文\n\n\n![图](../images/没有.png)\n")
    assert [(p.severity, p.line, p.path) for p in problems] == [
        (Severity.ERROR, BODY_LINE + 3, "content/essays/wang.md")
    ]
    assert "../images/没有.png" in problems[0].message_in("zh-CN")


def test_link_escaping_content_is_reported() -> None:
    markup, problems = render("[外面](../../secret.md)\n\n![外面](../../x.png)\n")
    assert [(p.severity, p.line) for p in problems] == [
        (Severity.WARNING, BODY_LINE),
        (Severity.ERROR, BODY_LINE + 2),
    ]
    assert markup.links == ()


def test_repeated_broken_link_gets_each_line() -> None:
    _, problems = render("[a](gone.md)\n\n[b](gone.md)\n")
    assert [p.line for p in problems] == [BODY_LINE, BODY_LINE + 2]


@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("C:\\Users\\me\\Pictures\\图片.png", "图片.png"),
        ("C:/Users/me/Desktop/照片.jpg", "照片.jpg"),
        ("file:///C:/Users/me/a%20b.png", "a b.png"),
        ("\\\\server\\share\\共享.png", "共享.png"),
    ],
)
def test_windows_absolute_paths_are_errors_naming_the_file(target: str, name: str) -> None:
    _, problems = render(f"第一行\n![图]({target})\n")
    (problem,) = problems
    assert problem.severity is Severity.ERROR
    assert problem.line == BODY_LINE + 1
    assert f"../images/{name}" in problem.hint_in("zh-CN")


def test_windows_path_in_a_link_is_an_error_too() -> None:
    _, problems = render("[文件](D:\\资料\\课程表.pdf)\n")
    assert [(p.severity, "课程表.pdf" in p.hint_in("zh-CN")) for p in problems] == [(Severity.ERROR, True)]


def test_messages_follow_the_language() -> None:
    _, problems = render("[x](nope.md)\n", language="en")
    assert problems[0].message_in("en") == "link to a missing file 'nope.md'"


# --------------------------------------------------------------------------- other features
def test_template_syntax_in_body_is_shown_as_written() -> None:
    body = "站点 {{ site.title }} 与 {% include x %}\n\n{{ page.title }}\n\n## 标题 {{ x }}\n\n{# 注释 #}\n"
    markup, _ = render(body)
    for fragment in ["{{ site.title }}", "{% include x %}", "{{ page.title }}", "{{ x }}", "{# 注释 #}"]:
        assert fragment in markup.html, fragment


def test_raw_html_passes_through() -> None:
    markup, _ = render('<div class="note">原样 <b>保留</b></div>\n\n行内 <span class="x">标签</span>\n')
    assert '<div class="note">原样 <b>保留</b></div>' in markup.html
    assert '<span class="x">标签</span>' in markup.html


def test_tables_footnotes_admonitions_tasks_attributes() -> None:
    body = (
        "| 左 | 右 |\n|:---|---:|\n| 1 | 2 |\n\n"
        "脚注[^1]\n\n[^1]: 说明\n\n"
        '!!! note "提示"\n    内容\n\n'
        "- [x] 完成\n- [ ] 待办\n\n"
        "段落\n{: .lead}\n"
    )
    markup, problems = render(body)
    assert problems == ()
    root = tree(markup.html)
    assert root.find("./table[@tabindex='0']/tbody/tr/td") is not None
    assert root.find(".//sup/a[@class='footnote-ref']") is not None
    assert root.find("./div[@class='footnote']") is not None
    assert 'title="返回正文"' in markup.html
    assert root.find("./div[@class='admonition note']/p[@class='admonition-title']") is not None
    boxes = list(root.iter("input"))
    assert [(b.get("type"), b.get("aria-label"), "checked" in b.attrib) for b in boxes] == [
        ("checkbox", "完成", True),
        ("checkbox", "待办", False),
    ]
    assert root.find("./p[@class='lead']") is not None


def test_code_blocks_are_focusable_for_scrolling() -> None:
    root = tree(render("```js\nlet a = 1;\n```\n")[0].html)
    assert root.find("./div[@class='highlight']/pre[@tabindex='0']") is not None


# --------------------------------------------------------------------------- isolation between calls
def test_calls_do_not_leak_state() -> None:
    first, first_problems = render("正文[^1]\n\n[^1]: 注\n\n[x](nope.md)\n\n## 标题\n")
    second, second_problems = render("另一篇\n\n## 标题\n")
    assert first_problems and second_problems == ()
    assert "footnote" not in second.html and second.links == ()
    assert [h.id for h in second.toc] == ["标题"]  # not 标题-1: ids start afresh
    again, again_problems = render("正文[^1]\n\n[^1]: 注\n\n[x](nope.md)\n\n## 标题\n")
    assert (again, again_problems) == (first, first_problems)


def test_url_map_is_per_call() -> None:
    body = "[x](other.md)\n"
    with_target, _ = render(body)
    without, problems = render_markdown(
        body, source="essays/wang.md", display_path="p", body_line=1, urls={}, base_path="/"
    )
    assert 'href="/essays/other/"' in with_target.html
    assert 'href="other.md"' in without.html and len(problems) == 1


# --------------------------------------------------------------------------- robustness
def test_recursion_error_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(ctx: object) -> str:
        raise RecursionError

    monkeypatch.setattr(markup_module, "_convert", explode)
    markup, problems = render("正文\n", summary="摘要")
    assert refused(problems, "too_deep")
    assert markup.summary == "摘要" and markup.html == ""


def test_one_megabyte_line_of_text_renders() -> None:
    markup, problems = render("中文" * 200_000 + " word" * 100_000)
    assert problems == ()
    assert markup.chars == 400_000 + 100_000
    assert markup.summary.endswith("…")


def test_two_megabyte_document_renders() -> None:
    # 2 MB instead of the content stage's 4 MB limit keeps the suite fast; time grows linearly.
    paragraph = "在瓜沥镇工作了八年，**化纤企业**跑过不少，见[另一篇](other.md)。\n第二行English words。\n\n"
    section = "## 小结\n\n" + paragraph * 5 + "- 一\n  - 二\n\n"
    body = section * (2_000_000 // len(section.encode()))
    markup, problems = render(body)
    assert problems == ()
    assert markup.html.count("<h2") == body.count("## 小结")
    assert markup.toc[-1].id == f"小结-{len(markup.toc) - 1}"


def test_many_blocks_parse_the_same_as_few() -> None:
    # The block list is parsed in chunks of 200: a loose list and a footnote crossing
    # chunk boundaries must come out whole.
    body = "[^n]\n\n" + "- 项\n\n" * 450 + "  续\n\n[^n]: 注\n"
    root = tree(render(body)[0].html)
    assert len(root.findall("./ul")) == 1
    assert len(root.findall("./ul/li")) == 450
    assert root.find("./div[@class='footnote']") is not None


def test_a_long_ordinary_essay_takes_the_cheap_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """What keeps an ordinary essay cheap, as work counted rather than seconds (timings are bench/'s):
    one Markdown pass on the engine made once per language, and no per-block cost estimate."""
    body = ("在瓜沥镇工作了八年，化纤企业跑过不少。**碳纤维**这个行当，我是参加成长营以后才真正走进去的。\n\n" * 20)[
        :2000
    ]
    expected = render(body)
    calls: Counter[str] = Counter()

    def count(module: ModuleType, name: str) -> None:
        original = getattr(module, name)

        def counted(*args: object, **kwargs: object) -> object:
            calls[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    for name in ("_build_engine", "_convert"):
        count(markup_module, name)
    for name in ("_block_cost", "_bracket_scan", "_tag_cost"):
        count(limits_module, name)
    for _ in range(20):
        assert render(body) == expected
    assert calls == {"_convert": 20, "_tag_cost": 20}


def test_inline_patterns_by_position_follow_registration() -> None:
    """The engine's inline patterns are looked up from a list (speed); a pattern registered
    later still takes its place by priority, as in Python-Markdown's own registry."""
    md = markup_module._build_engine(True, False).md
    patterns = md.inlinePatterns
    assert [patterns[i] for i in range(len(patterns))] == list(patterns)
    extra = markdown.inlinepatterns.SimpleTagInlineProcessor(r"(\+\+)(.+?)\+\+", "ins")
    patterns.register(extra, "ins", 1000)
    assert patterns[0] is extra and next(iter(patterns)) is extra
    patterns.deregister("ins")
    assert extra not in [patterns[i] for i in range(len(patterns))]


def test_code_blocks_are_the_same_with_the_empty_python_style(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine gives Pygments a style without token styles (so no stylesheet is built per
    block); with classes, the HTML of code blocks is what Pygments' default style gives."""
    fences = [
        '```python hl_lines="2"\ndef 调研(x):\n    return x * 2  # 注释\n```',
        '```json\n{"键": [1, 2.5, true, null]}\n```',
        '```bash\nfor f in *.md; do echo "$f"; done\n```',
        "```\n没有语言的代码 <b>&amp;</b>\n```",
        "```nosuchlanguage\nx = 1\n```",
        "    缩进的代码块\n    第二行",
        "- 列表\n\n    ```sql\n    SELECT * FROM t WHERE a > 1;\n    ```",
    ]
    body = "\n\n".join(fences)
    ours = render(body)
    highlight = {**markup_module._CONFIGS["pymdownx.highlight"], "pygments_style": "default"}
    monkeypatch.setattr(markup_module, "_CONFIGS", {**markup_module._CONFIGS, "pymdownx.highlight": highlight})
    markup_module._ENGINES.__dict__.clear()
    try:
        theirs = render(body)
    finally:
        markup_module._ENGINES.__dict__.clear()  # the next test builds engines with chaowen's style
    assert '<span class="k">' in ours[0].html
    assert ours == theirs


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("文字 *强调*{: .note} 后面", '<em class="note">强调</em>'),
        ("## 标题 {#biaoti}", '<h2 id="biaoti">标题</h2>'),
        ("- 项目\n{: .lead}", '<li class="lead">项目</li>'),
        ("段落里的 `{代码}` 没有属性", "<code>{代码}</code> 没有属性"),
    ],
)
def test_attribute_lists_still_apply_where_a_brace_is(body: str, fragment: str) -> None:
    """attr_list runs only on documents with a brace in their text: where there is one, as before."""
    assert fragment in render(body)[0].html


def test_the_quick_block_and_tree_tests_give_python_markdown_s_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Admonitions, tables and attribute lists answer most blocks and trees at once; the output
    is what Python-Markdown's own processors give, on documents that use them and that do not."""
    bodies = [
        '!!! note "提示"\n    第一段\n\n    第二段\n\n    - 列表\n    - 列表\n\n        列表里的段落\n\n正文',
        "!!! warning\n    内容\n\n        缩进更深的代码\n\n!!!\n\n    只是缩进的代码",
        "- 项目\n\n    !!! tip\n        列表里的提示\n\n    继续",
        "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n| 单列 |\n|---|\n| 值 |\n\n没有管道的段落\n---",
        "甲 | 乙\n--- | ---\n1 | 2\n\n段落 {: .x}\n\n## 标题 {#t}\n\n*强调*{: .y}",
        "普通的段落，没有任何特别的标记。\n\n第二段。",
    ]
    ours = [render(body) for body in bodies]
    monkeypatch.setattr(markup_module, "_Admonitions", AdmonitionProcessor)
    monkeypatch.setattr(markup_module, "_AttrLists", AttrListTreeprocessor)
    monkeypatch.setattr(gfm.TableProcessor, "test", TableProcessor.test)
    markup_module._ENGINES.__dict__.clear()
    try:
        theirs = [render(body) for body in bodies]
        engine = markup_module._engine("zh-CN", False)
        assert type(engine.md.parser.blockprocessors["admonition"]) is AdmonitionProcessor
    finally:
        markup_module._ENGINES.__dict__.clear()
    assert ours == theirs
