"""Input limits: what is refused, with which message and line, and that a refusal skips the costly work."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from types import ModuleType

import pytest

from chaowen import limits as limits_module
from chaowen import markup as markup_module
from chaowen.limits import MAX_BODY_BYTES, MAX_DEPTH, Refusal, check_limits
from chaowen.messages import say
from tests.unit.markdown_helpers import BODY_LINE, refused, render

ESSAY = ("在瓜沥镇工作了八年，化纤企业跑过不少。**碳纤维**这个行当，见[另一篇](other.md)。\n\n" * 20)[:2000]


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Calls of the Markdown stage's costly steps, counted: what a refusal must not reach."""
    calls: Counter[str] = Counter()

    def counting(module: ModuleType, name: str) -> Callable[..., object]:
        original = getattr(module, name)

        def counted(*args: object) -> object:
            calls[name] += 1
            return original(*args)

        return counted

    monkeypatch.setattr(markup_module, "_convert", counting(markup_module, "_convert"))
    for name in ("_blank_fences", "_deep_line", "_superlinear"):
        monkeypatch.setattr(limits_module, name, counting(limits_module, name))
    return calls


# --------------------------------------------------------------------------- check_limits alone
def test_ordinary_writing_is_not_refused() -> None:
    assert check_limits(ESSAY) is None
    assert check_limits("") is None
    assert check_limits("\n".join("  " * i + "- 项" for i in range(MAX_DEPTH))) is None


def test_too_large_gives_size_and_limit() -> None:
    body = "字" * (MAX_BODY_BYTES // 3 + 1)
    refusal = check_limits(body)
    assert refusal is not None
    size = f"{len(body.encode()) / 1048576:.1f}"
    assert refusal == Refusal(say("too_large", size=size, limit=MAX_BODY_BYTES // 1048576), say("too_large_hint"))


def test_too_deep_names_the_0_based_line_where_the_nesting_starts() -> None:
    body = "第一段。\n\n" + "\n".join("  " * i + "- 项" for i in range(MAX_DEPTH + 1)) + "\n"
    assert check_limits(body) == Refusal(say("too_deep", limit=MAX_DEPTH), say("too_deep_hint"), 2)


def test_deep_nesting_inside_fenced_code_is_not_nesting() -> None:
    fenced = "```\n" + "\n".join("  " * i + "- 项" for i in range(200)) + "\n```\n"
    assert check_limits(fenced) is None


def test_too_complex_names_the_worst_block() -> None:
    body = "第一段。\n\n第二段。\n\n" + "[" * 100_000 + "\n"
    refusal = check_limits(body)
    assert refusal is not None and refusal.message == say("too_complex")
    # Line 4 holds the brackets; the line named today is where the block split starts,
    # the blank line 3 before it (kept as it was when this module was split out).
    assert refusal.line in (3, 4)


def test_many_blocks_are_too_long() -> None:
    assert check_limits("段落\n\n" * 200_000) == Refusal(say("too_long"), say("too_long_hint"))


# --------------------------------------------------------------------------- refusals as problems
@pytest.mark.parametrize(
    "body",
    [
        "\n".join("  " * i + "- 项" for i in range(200)),
        "\n".join("    " * i + "- 项" for i in range(200)),
        ">" * 200 + " 引用",
        "\n".join(">" * i + " 引用" for i in range(1, 201)),
        "- " * 200 + "项",
    ],
    ids=["list-2-spaces", "list-4-spaces", "quote-one-line", "quote-lines", "markers-one-line"],
)
def test_nesting_200_deep_is_refused_not_crashed(body: str, work: Counter[str]) -> None:
    markup, problems = render(body)
    assert work["_convert"] == 0  # refused before the Markdown engine saw it
    assert refused(problems, "too_deep")
    assert (problems[0].path, problems[0].line) == ("content/essays/wang.md", BODY_LINE)
    assert markup.html == ""


def test_too_deep_names_the_line_where_the_nesting_starts() -> None:
    body = "第一段。\n\n" + "\n".join("  " * i + "- 项" for i in range(100)) + "\n\n后文。\n"
    _, problems = render(body)
    assert refused(problems, "too_deep")
    assert problems[0].line == BODY_LINE + 2


def test_nesting_at_the_limit_renders() -> None:
    markup, problems = render("\n".join("  " * i + "- 项" for i in range(MAX_DEPTH)))
    assert problems == ()
    assert markup.html.count("<ul>") == MAX_DEPTH
    markup, problems = render("\n".join(">" * i + " 引" for i in range(1, MAX_DEPTH + 1)))
    assert problems == ()
    assert markup.html.count("<blockquote>") == MAX_DEPTH


@pytest.mark.parametrize(
    "body",
    [
        "中文 word **粗** [链](other.md) `码` " * 36_000,  # about 1 MB of dense markup on one line
        "[" * 1_000_000,  # unclosed brackets: the link parser would walk to the end from each
        "[未闭合 " * 5_000,
        "<tag 未闭合\n\n" * 10_000,  # the raw-HTML parser would read on from each to the end
        "# 标题\n" * 20_000,  # headings in one block re-split the rest of it
    ],
    ids=["dense-line", "brackets", "unclosed-links", "unclosed-tags", "headings-block"],
)
def test_pathological_markup_is_refused_before_rendering(body: str, work: Counter[str]) -> None:
    markup, problems = render(body)
    assert work["_convert"] == 0  # the cost estimate refused it; the engine never ran
    assert len(problems) == 1 and problems[0].is_error
    assert problems[0].message == say("too_complex")
    assert problems[0].line == BODY_LINE
    assert markup.html == ""


def test_ten_megabyte_document_is_refused_by_its_size_alone(work: Counter[str]) -> None:
    body = "中文段落，这是一段测试文字。Some English words here.\n\n" * 200_000  # 10.4 MB in UTF-8
    markup, problems = render(body)
    assert work == {}  # not even scanned for fences, nesting or cost
    assert len(problems) == 1 and problems[0].is_error and "MB" in problems[0].message_in("zh-CN")
    assert markup.html == ""


def test_the_search_for_deep_lines_finds_what_a_search_per_line_start_finds() -> None:
    """_MAYBE_DEEP searches after a newline and takes spaces possessively; a multi-line search
    from every line start, with backtracking, agrees (on lines it answers in reasonable time:
    a few markers, or enough of them)."""
    per_line_start = re.compile(
        rf"^[ \t>]*?[ \t]{{16}}|^(?:[ \t]*(?:>|[-+*]|\d{{1,9}}\.)[ \t]*){{{MAX_DEPTH // 2}}}", re.MULTILINE
    )
    rng = random.Random(15)
    markers = ["> ", "- ", "* ", "+ ", "1. ", "12.", ">", "-", "\t* "]
    found = 0
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(1, 4)):
            indent = "".join(rng.choice(" \t") for _ in range(rng.randint(0, 20)))
            indent += rng.choice(["", ">", "> >", ">>>"]) + " " * rng.randint(0, 17)
            if rng.random() < 0.5:
                marks = "".join(rng.choice([*markers, "x "]) for _ in range(rng.randint(0, 9)))
            else:
                marks = "".join(rng.choice(markers) for _ in range(rng.randint(30, 34)))
            lines.append(indent + marks + rng.choice(["", "正文", " "]))
        prose = "\n".join(lines)
        expected = per_line_start.search(prose) is not None
        assert (limits_module._MAYBE_DEEP.search("\n" + prose) is not None) == expected, prose
        found += expected
    assert 300 < found < 2900  # both outcomes are exercised


@pytest.mark.parametrize("marker", ["- ", "> ", "1. ", "* "])
def test_a_line_of_many_markers_that_goes_nowhere_is_checked_at_once(marker: str) -> None:
    """29 markers and then text: not nested deeply enough. The search backtracked over every way
    to share the spaces between the markers (minutes for this line); now it is one pass."""
    assert check_limits(marker * (MAX_DEPTH // 2 - 1) + "x\n") is None
    assert limits_module._MAYBE_DEEP.search("\n" + marker * 200 + "x") is not None
