import time
from xml.etree import ElementTree as ET

from chaowen.errors import Severity
from chaowen.markup import cut_summary, render_markdown

URLS = {
    "essays/a.md": "essays/a/",
    "essays/b.md": "essays/b/",
    "minutes/m.md": "minutes/m/",
    "images/图 1.png": "images/图 1.png",
    "files/课程表.pdf": "files/课程表.pdf",
}


def render(body: str, *, source: str = "essays/a.md", base: str = "/", summary: str = ""):  # type: ignore[no-untyped-def]
    return render_markdown(body, source=source, display_path=f"content/{source}", body_line=6, urls=URLS,
                           base_path=base, summary=summary)


def tree(html: str) -> ET.Element:
    return ET.fromstring(f"<root>{html}</root>")


def test_two_space_lists_nest() -> None:
    markup, _ = render("- 一\n  - 二\n    - 三\n- 四\n")
    root = tree(markup.html)
    assert len(root.findall("./ul/li")) == 2
    assert root.find("./ul/li/ul/li/ul/li") is not None


def test_four_space_lists_still_nest() -> None:
    markup, _ = render("- 一\n    - 二\n")
    assert tree(markup.html).find("./ul/li/ul/li") is not None


def test_fenced_code_in_two_space_list_is_kept() -> None:
    markup, _ = render("- 步骤\n  - 子步骤\n\n```python\nif x:\n  y = 1\n```\n")
    assert "  y" in markup.html or "y</span>" in markup.html
    assert 'class="highlight"' in markup.html


def test_line_break_between_han_characters_joins_without_space() -> None:
    markup, _ = render("第一行中文\n第二行中文\n\nLatin words\nstay apart\n")
    assert "第一行中文第二行中文" in markup.html
    assert "words\nstay" in markup.html or "words stay" in markup.html


def test_bold_next_to_chinese_punctuation() -> None:
    markup, _ = render("**“潮闻”**是一本期刊，**重点**。\n")
    assert "<strong>“潮闻”</strong>是" in markup.html
    assert "<strong>重点</strong>。" in markup.html


def test_chinese_heading_ids_are_readable_and_stable() -> None:
    markup, _ = render("## 调研 心得\n\n## 调研 心得\n\n## 总结 {#summary}\n\n### 小节\n")
    assert [h.id for h in markup.toc] == ["调研-心得", "调研-心得_1", "summary", "小节"]
    assert [h.level for h in markup.toc] == [2, 2, 2, 3]
    assert 'id="调研-心得"' in markup.html


def test_template_syntax_in_body_shows_as_written() -> None:
    markup, _ = render("站点 {{ site.title }} 与 {% include x %}\n")
    assert "{{ site.title }}" in markup.html and "{% include x %}" in markup.html


def test_raw_html_passes_through() -> None:
    markup, _ = render('<div class="note">原样</div>\n')
    assert '<div class="note">原样</div>' in markup.html


def test_features() -> None:
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n脚注[^1]\n\n[^1]: 说明\n\n!!! note \"提示\"\n    内容\n\n- [x] 完成\n- [ ] 待办\n\n~~删除~~\n"
    markup, problems = render(body)
    assert problems == ()
    for fragment in ["<table", "footnote", 'class="admonition note"', 'type="checkbox"', "<del>删除</del>"]:
        assert fragment in markup.html, fragment
    assert 'aria-label="完成"' in markup.html


def test_links_are_rewritten_with_base_path_and_fragment() -> None:
    body = "[b](b.md#part) [m](../minutes/m.md) ![图](<../images/图 1.png>) [pdf](../files/课程表.pdf) [外](https://example.org/)\n"
    markup, problems = render(body, base="/chaowen/")
    assert problems == ()
    assert 'href="/chaowen/essays/b/#part"' in markup.html
    assert 'href="/chaowen/minutes/m/"' in markup.html
    assert 'src="/chaowen/images/%E5%9B%BE%201.png"' in markup.html
    assert 'href="https://example.org/"' in markup.html
    assert set(markup.links) == {"essays/b.md", "minutes/m.md", "images/图 1.png", "files/课程表.pdf"}


def test_missing_link_is_a_warning_with_its_line() -> None:
    markup, problems = render("第一段。\n\n见[另一篇](nope.md)。\n")
    (problem,) = problems
    assert problem.severity is Severity.WARNING
    assert problem.line == 8 and problem.path == "content/essays/a.md"
    assert "nope.md" in problem.message
    assert "essays/nope.md" in markup.links


def test_missing_image_is_an_error() -> None:
    _, problems = render("正文\n\n![图](../images/没有.png)\n")
    assert [(p.severity, p.line) for p in problems] == [(Severity.ERROR, 8)]


def test_windows_absolute_path_is_an_error_naming_the_file() -> None:
    _, problems = render("![图](C:\\Users\\me\\Pictures\\图片.png)\n")
    (problem,) = problems
    assert problem.is_error and "图片.png" in problem.hint


def test_summary_from_first_paragraph_cut_at_sentence_end() -> None:
    sentence = "这是一个句子。" * 30
    markup, _ = render(f"## 标题\n\n{sentence}\n")
    assert markup.summary.endswith("。") and len(markup.summary) <= 121
    assert cut_summary("甲" * 200).endswith("…")
    markup, _ = render("正文", summary="自定义摘要")
    assert markup.summary == "自定义摘要"


def test_reading_stats_count_han_characters_and_latin_words() -> None:
    markup, _ = render("中文字符 and two words\n")
    assert markup.chars == 4 + 3
    assert markup.minutes == 1


def test_deep_nesting_is_refused_not_crashed() -> None:
    _, problems = render("\n".join("  " * i + "- x" for i in range(200)))
    assert problems and problems[0].is_error
    _, problems = render(">" * 200 + " x")
    assert problems and problems[0].is_error


def test_a_one_megabyte_line_renders_in_seconds() -> None:
    started = time.perf_counter()
    markup, _ = render("中文" * 500_000)
    assert time.perf_counter() - started < 10
    assert markup.chars == 1_000_000


def test_fingerprint_is_stable_across_processes() -> None:
    import subprocess
    import sys

    from chaowen.markup import fingerprint

    code = "from chaowen.markup import fingerprint; print(fingerprint())"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == fingerprint()
