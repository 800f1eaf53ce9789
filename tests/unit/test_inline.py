"""The inline processor that skips patterns a text cannot match gives Python-Markdown's output exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown import treeprocessors

from chaowen import inline, markup

from .markdown_helpers import render

SPEC = Path(__file__).resolve().parents[2] / "bench" / "fixtures" / "commonmark_spec_0.31.2.json"

# Texts where a pattern matches and then no longer finds what it needs in the same text, where
# patterns nest (link text with emphasis, code in a link), and where a need is only half there.
CASES = [
    "关键在**标准**。可以参看[链接](other.md)。",
    "先[链接](other.md)，再**加粗**，再`代码`，再~~删除~~，再 *斜体*。",
    "[**加粗的链接**](other.md) 和 [`代码`](other.md) 和 ![图](../images/line chart.png)",
    "方括号 [ 没有闭合，星号 * 单个，反引号 ` 单个，尖括号 < 和 & 没有分号",
    "脚注[^1]和[普通链接][ref]\n\n[^1]: 注释 **粗**\n[ref]: other.md",
    "行末两个空格  \n换行，反斜杠\\\n换行，还有 \\* 转义和 &copy; 实体。",
    "<span>内联 HTML</span> 与 <https://example.com> 与 <user@example.com>",
    "网址 https://example.com/路径，欢迎访问 www.example.com 或写信 a@example.com。",
    "_下划线_ 和 __粗__ 和 ***三个*** 和 **不闭合",
    "| 表头 | `代码\\|管道` |\n|---|---|\n| **粗** | [链接](other.md) |",
    "- [x] 任务 **完成**\n- [ ] 任务 `未完成`\n\n> 引用里 *强调* 与 [链接](other.md)",
]


@pytest.fixture
def stock_engines() -> Iterator[None]:
    """Engines built with Python-Markdown's own inline processor, for the duration of a test."""
    markup._ENGINES.__dict__.clear()
    real = markup.inline_processor
    markup.inline_processor = treeprocessors.InlineProcessor
    try:
        yield
    finally:
        markup.inline_processor = real
        markup._ENGINES.__dict__.clear()


def _spec_inputs() -> list[str]:
    return [example["markdown"] for example in json.loads(SPEC.read_text(encoding="utf-8"))]


def _render_all(bodies: list[str]) -> list[str]:
    return [repr(render(body)) for body in bodies]


def test_same_output_as_python_markdown(stock_engines: None) -> None:
    bodies = CASES + _spec_inputs()
    expected = _render_all(bodies)
    markup._ENGINES.__dict__.clear()
    markup.inline_processor = inline.inline_processor
    got = _render_all(bodies)
    for body, want, have in zip(bodies, expected, got, strict=True):
        assert have == want, body


def test_the_engine_has_the_methods_replaced() -> None:
    """Else the engine's own processor is used: the same output, but the saving is gone."""
    engine = markup._engine("zh-CN", False)
    assert type(engine.md.treeprocessors["inline"]) is inline.InlineProcessor


def test_every_pattern_of_the_engines_has_its_needs_listed() -> None:
    """A pattern without listed needs is tried on every text: the saving is gone without notice."""
    unknown = set()
    for bare_links in (False, True):
        for pattern in markup._engine("zh-CN", bare_links).md.inlinePatterns:
            if inline.needs_of(pattern) is None:
                unknown.add(type(pattern).__name__)
    assert unknown <= {"MagiclinkPattern", "MagiclinkMailPattern"}  # bare-link engine only, needs vary


def test_a_skipped_pattern_is_one_whose_expression_finds_nothing() -> None:
    """Each listed need is checked against the expression on texts with and without it."""
    texts = [*CASES, *_spec_inputs()]
    for pattern in markup._engine("zh-CN", False).md.inlinePatterns:
        needs = inline.needs_of(pattern)
        assert needs is not None
        for text in texts:
            if not inline._may_match(needs, text):
                assert pattern.compiled_re.search(text) is None, (type(pattern).__name__, text)
