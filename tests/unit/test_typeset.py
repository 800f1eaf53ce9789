"""An article's Markdown HTML prepared for print (chaowen.typeset.print_article), and the print settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaowen.config import parse_config
from chaowen.errors import BuildError
from chaowen.markup import render_markdown
from chaowen.model import PrintConfig
from chaowen.typeset import PRINT_ORIGIN, engine_missing, is_han, print_article

pytestmark = pytest.mark.skipif(engine_missing() is not None, reason="needs the print extra (WeasyPrint)")


def markdown(text: str) -> str:
    markup, problems = render_markdown(
        text,
        source="essays/a.md",
        display_path="content/essays/a.md",
        body_line=1,
        urls={"essays/a.md": "essays/a/", "essays/b.md": "essays/b/", "images/x.png": "images/x.png"},
        base_path="/",
        language="zh-CN",
        summary="",
    )
    return markup.html


def prepared(text: str) -> str:
    return print_article(
        markdown(text), "a1", articles={"essays/b/": "a2"}, base_path="/", origin="https://example.org"
    )


def test_footnotes_move_to_their_call_without_the_list_or_the_way_back() -> None:
    html = prepared("正文[^1]继续。\n\n[^1]: 脚注的**内容**。\n")
    assert '<span class="footnote">脚注的<strong>内容</strong>。</span>继续。' in html
    assert "footnote-backref" not in html and "<ol>" not in html and "↩" not in html and "<hr>" not in html


def test_ids_are_unique_in_the_issue_and_links_to_them_follow() -> None:
    html = prepared("## 小标题\n\n见[上文](#小标题)。\n")
    assert 'id="a1-小标题"' in html
    assert 'href="#a1-小标题"' in html


def test_external_links_print_their_address_in_a_footnote() -> None:
    html = prepared("见[网站](https://example.com/x)。\n")
    assert '<a href="https://example.com/x">网站<span class="footnote address">https://example.com/x</span></a>' in html


def test_a_link_whose_text_is_its_address_gets_no_footnote() -> None:
    html = prepared("见 <https://example.com/x>。\n")
    assert "footnote" not in html


def test_a_link_to_an_article_of_the_issue_stays_in_the_pdf_and_others_go_to_the_site() -> None:
    html = prepared("见[另一篇](b.md)和[本篇](a.md)。\n")
    assert '<a href="#a2">另一篇</a>' in html
    assert '<a href="https://example.org/essays/a/">本篇<span class="footnote address">' in html


def test_images_are_read_from_the_site_files() -> None:
    html = prepared("![图](../images/x.png)\n")
    assert f'src="{PRINT_ORIGIN}/images/x.png"' in html
    assert html.startswith('<figure class="image"><img alt="图"') and html.endswith(
        "<figcaption>图</figcaption></figure>"
    )


def test_han_characters_need_a_chinese_font() -> None:
    assert is_han("潮") and is_han("，") and is_han("“") is False and not is_han("a")


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        ({}, PrintConfig()),
        (
            {"enabled": "true", "paper": "a5", "margins": "15mm  12mm", "new_page": "false"},
            PrintConfig(True, "A5", "15mm 12mm", False),
        ),
    ],
)
def test_print_settings(yaml: dict[str, str], expected: PrintConfig) -> None:
    fields = {"title": "潮闻", "tracks": [{"key": "iot", "name": "智能物联"}], "print": yaml}
    assert parse_config(fields, {}, Path("/site")).print == expected  # type: ignore[arg-type]


def test_bad_print_settings_name_the_key() -> None:
    fields = {"title": "潮闻", "tracks": [{"key": "iot", "name": "智能物联"}], "print": {"enabled": "maybe"}}
    with pytest.raises(BuildError) as failure:
        parse_config(fields, {"print": 7}, Path("/site"))  # type: ignore[arg-type]
    (problem,) = failure.value.problems
    assert problem.line == 7 and "print.enabled" in problem.format("zh-CN")
