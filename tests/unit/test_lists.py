"""Lists nested by two spaces: the re-indenter alone, and as it shows in rendered Markdown."""

from __future__ import annotations

import random

import pytest

from chaowen.limits import MAX_DEPTH
from chaowen.lists import ListLayout
from tests.unit.markdown_helpers import render, text_of, tree


def layout(source: str, max_depth: int = MAX_DEPTH) -> list[tuple[str, int]]:
    lines = ListLayout(max_depth)
    return [lines.feed(line) for line in source.split("\n")]


# --------------------------------------------------------------------------- the re-indenter
def test_two_space_nesting_becomes_four_columns_per_level() -> None:
    assert layout("- 一\n  - 二\n    - 三\n- 四") == [("- 一", 1), ("    - 二", 2), ("        - 三", 3), ("- 四", 1)]


def test_four_space_nesting_is_kept() -> None:
    assert layout("- 一\n    - 二") == [("- 一", 1), ("    - 二", 2)]


def test_lines_outside_a_list_are_unchanged() -> None:
    source = "正文\n\n    - 不是列表\n      代码\n## 标题"
    assert [line for line, _ in layout(source)] == source.split("\n")
    assert [depth for _, depth in layout(source)] == [0, 0, 0, 0, 0]


def test_continuation_lines_follow_their_item() -> None:
    # The paragraph under "二" moves with it; one at the margin after a blank line ends the list.
    assert layout("- 一\n  - 二\n\n    续二\n\n后文") == [
        ("- 一", 1),
        ("    - 二", 2),
        ("", 2),
        ("        续二", 2),
        ("", 2),
        ("后文", 0),
    ]


def test_each_quote_level_has_its_own_list() -> None:
    assert layout("> - 甲\n>   - 乙\n- 丙") == [("> - 甲", 2), (">     - 乙", 3), ("- 丙", 1)]


def test_markers_on_one_line_each_nest_once_more() -> None:
    assert layout("- - - 项")[0][1] == 3
    assert layout("> > 引")[0][1] == 2


@pytest.mark.parametrize("max_depth", [5, MAX_DEPTH])
def test_markers_on_one_line_are_counted_only_past_the_limit(max_depth: int) -> None:
    line, depth = layout("- " * 10_000 + "项", max_depth)[0]
    assert line == "- " * 10_000 + "项"
    assert max_depth < depth <= max_depth + 2


# --------------------------------------------------------------------------- rendered
def test_lists_nested_by_two_spaces_nest() -> None:
    markup, problems = render("- 一\n  - 二\n    - 三\n- 四\n")
    root = tree(markup.html)
    assert problems == ()
    assert [(li.text or "").strip() for li in root.findall("./ul/li")] == ["一", "四"]
    assert [(li.text or "").strip() for li in root.findall("./ul/li/ul/li")] == ["二"]
    assert [(li.text or "").strip() for li in root.findall("./ul/li/ul/li/ul/li")] == ["三"]


def test_lists_nested_by_four_spaces_still_nest() -> None:
    root = tree(render("- 一\n    - 二\n        - 三\n")[0].html)
    assert root.find("./ul/li/ul/li/ul/li") is not None


def test_ordered_list_with_two_space_sublist() -> None:
    root = tree(render("1. 第一\n  - 子项\n  - 子项二\n2. 第二\n")[0].html)
    assert len(root.findall("./ol/li")) == 2
    assert len(root.findall("./ol/li/ul/li")) == 2


def test_two_space_lists_inside_a_quote_nest() -> None:
    root = tree(render("> - 甲\n>   - 乙\n")[0].html)
    assert root.find("./blockquote/ul/li/ul/li") is not None


def test_fenced_code_inside_a_two_space_list_item_stays_code() -> None:
    body = "- 步骤\n\n  ```python\n  if x:\n      y = 1\n  ```\n\n- 下一步\n"
    root = tree(render(body)[0].html)
    items = root.findall("./ul/li")
    assert len(items) == 2
    code = items[0].find(".//div[@class='highlight']/pre/code")
    assert code is not None
    assert text_of(code) == "if x:\n    y = 1\n"  # relative indentation inside the fence is kept


def test_fenced_code_after_a_list_keeps_its_indentation() -> None:
    markup, _ = render("- 步骤\n  - 子步骤\n\n```python\nif x:\n  y = 1\n```\n")
    root = tree(markup.html)
    code = root.find("./div[@class='highlight']/pre/code")
    assert text_of(code) == "if x:\n  y = 1\n"
    assert 'style="' not in markup.html  # Pygments classes, no inline styles
    assert '<span class="k">if</span>' in markup.html


def test_indented_code_is_not_touched_by_list_handling() -> None:
    root = tree(render("正文\n\n    - 不是列表\n      代码\n")[0].html)
    assert root.find("./ul") is None
    assert text_of(root.find("./div/pre/code")) == "- 不是列表\n  代码\n"


def test_the_quick_path_for_plain_lines_changes_nothing() -> None:
    """feed() answers lines outside lists without the full rules; on random documents of items,
    quotes, prose, digits (full-width ones too, as \\d matches them), tabs and blank lines,
    it gives what the full rules (_feed) give, line for line, state included."""
    rng = random.Random(15)
    pieces = [
        "- 项",
        "  - 子项",
        "1. 一",
        "１. 全角",
        "> 引",
        "> - 引中项",
        "正文",
        "a\tb",
        "",
        "    代码",
        "*强调*",
        "——",
    ]
    for _ in range(3000):
        lines = [rng.choice(pieces) for _ in range(rng.randint(1, 12))]
        quick, full = ListLayout(MAX_DEPTH), ListLayout(MAX_DEPTH)
        for line in lines:
            assert quick.feed(line) == full._feed(line), lines
            assert (quick.stack, quick.quote, quick.blank_before) == (full.stack, full.quote, full.blank_before)
