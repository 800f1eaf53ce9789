"""``build`` and ``check`` report the same problems with the same severities, all in one run.

Every case below is a broken site; its expected problems are listed once, here, and
both verbs (with and without ``--strict``) must print exactly the same problem lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chaowen.build import Builder, BuildOptions
from chaowen.cli import main
from chaowen.errors import BuildError
from tests.conftest import SiteFactory

ESSAY = "---\ntitle: {title}\ndate: 2024-03-05\nauthor: 王小明\ntrack: iot\n---\n## 收获\n\n{body}\n"
OTHER = ESSAY.format(title="另一篇", body="正文。")
THEME_BASE = "themes/default/templates/base.html"

# case -> (files, [(label, problem text)]); 错误 is an error, 警告 a warning.
CASES: dict[str, tuple[dict[str, str], list[tuple[str, str]]]] = {
    "absolute_image_missing": (
        {"content/essays/a.md": ESSAY.format(title="甲", body="![a](/static/planet/nope.png)")},
        [("错误", "content/essays/a.md:9: 图片 “/static/planet/nope.png” 不存在")],
    ),
    "relative_image_missing": (
        {"content/essays/a.md": ESSAY.format(title="甲", body="![图](../images/none.png)")},
        [("错误", "content/essays/a.md:9: 图片 “../images/none.png” 不存在")],
    ),
    "absolute_page_link_missing": (
        {"content/essays/a.md": ESSAY.format(title="甲", body="见[乙](/essays/nope/)。")},
        [("警告", "content/essays/a.md:9: 链接 “/essays/nope/” 指向的页面或文件不存在")],
    ),
    "markdown_link_missing": (
        {"content/essays/a.md": ESSAY.format(title="甲", body="见[乙](missing.md)。")},
        [("警告", "content/essays/a.md:9: 链接指向不存在的文件 “missing.md”")],
    ),
    "anchor_missing": (
        {
            "content/essays/a.md": ESSAY.format(title="甲", body="见[乙](b.md#没有这节)。"),
            "content/essays/b.md": OTHER,
        },
        [("警告", "content/essays/a.md:9: 链接 “/essays/b/#没有这节” 指向的页面上没有锚点 “#没有这节”")],
    ),
    "unknown_track": (
        {"content/essays/a.md": ESSAY.format(title="甲", body="正文。").replace("track: iot", "track: 新材科")},
        [("错误", "content/essays/a.md:5: 未知的赛道 “新材科”")],
    ),
    "template_link_missing": (
        {
            "content/essays/a.md": OTHER,
            THEME_BASE: '<!DOCTYPE html><html lang="zh-CN"><head><title>t</title></head>'
            '<body><a href="/nowhere/">x</a>{% block content %}{% endblock %}</body></html>',
        },
        [("错误", "/404.html: 链接 “/nowhere/” 指向的页面或文件不存在")],
    ),
    "placeholder_left": (
        {"content/essays/a.md": ESSAY.format(title="甲", body="正文从这里开始。")},
        [("警告", "content/essays/a.md:9: 正文里还留着新建文档时的占位文字 “正文从这里开始。”")],
    ),
    "title_repeats_number": (
        {"content/issues/2.md": "---\ntitle: 第 2 期 走进车间\ndate: 2024-03-01\nnumber: 2\n---\n编者按。\n"},
        [("警告", "content/issues/2.md:2: 标题 “第 2 期 走进车间” 重复了期号：页面上显示为 “第2期 走进车间”")],
    ),
    # one run: front matter, Markdown and rendered-page links of different files together
    "all_stages_at_once": (
        {
            "content/essays/a.md": ESSAY.format(title="甲", body="正文。").replace("track: iot", "track: 新材科"),
            "content/essays/b.md": ESSAY.format(title="乙", body="![图](../images/none.png)"),
            "content/essays/c.md": ESSAY.format(title="丙", body="![a](/static/planet/nope.png)"),
        },
        [
            ("错误", "content/essays/a.md:5: 未知的赛道 “新材科”"),
            ("错误", "content/essays/b.md:9: 图片 “../images/none.png” 不存在"),
            ("错误", "content/essays/c.md:9: 图片 “/static/planet/nope.png” 不存在"),
        ],
    ),
}


def problem_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.startswith(("错误 ", "警告 ")))


def run(args: list[str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, problem_lines(result.output)


@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_build_and_check_report_the_same_problems(make_site: SiteFactory, case: str, strict: bool) -> None:
    files, expected = CASES[case]
    root = make_site(files)
    flags = ["--strict"] if strict else []
    check_code, checked = run(["check", "--site", str(root), *flags])
    build_code, built = run(["build", "--site", str(root), *flags])
    assert built == checked
    assert (build_code, check_code) == (check_code, check_code)
    for label, text in expected:
        shown = "错误" if strict else label
        assert any(line.startswith(f"{shown} {text}") for line in built), (text, built)
    assert len(built) == len(expected), built
    has_error = strict or any(label == "错误" for label, _ in expected)
    assert build_code == (1 if has_error else 0)
    if has_error:  # the build stopped before writing anything
        assert not (root / "output").exists()


def test_a_broken_image_stops_the_build_and_leaves_the_output_as_it_was(make_site: SiteFactory) -> None:
    root = make_site({"content/essays/a.md": ESSAY.format(title="甲", body="正文。")})
    assert run(["build", "--site", str(root)]) == (0, [])
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    make_site({"content/essays/a.md": ESSAY.format(title="甲", body="![a](/static/planet/nope.png)")})
    code, lines = run(["build", "--site", str(root)])
    assert code == 1
    assert lines == [
        "错误 content/essays/a.md:9: 图片 “/static/planet/nope.png” 不存在（把图片放进 content/ 下，并用相对路径引用）"
    ]
    assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == before


def test_init_site_with_a_missing_image_fails_to_build_as_check_says(tmp_path: Path) -> None:
    """The reproduction: an image under /static/ that does not exist, in an essay of a new site."""
    site = tmp_path / "x"
    assert CliRunner().invoke(main, ["init", str(site)]).exit_code == 0
    essay = next((site / "content/essays").glob("*.md"))
    essay.write_text(essay.read_text("utf-8") + "\n![a](/static/planet/nope.png)\n", encoding="utf-8")
    for verb in ("check", "build"):
        code, lines = run([verb, "--site", str(site)])
        assert code == 1
        assert len(lines) == 1 and "图片 “/static/planet/nope.png” 不存在" in lines[0], lines


def warnings_of(builder: Builder) -> list[str]:
    return sorted(p.format() for p in builder.build().warnings)


def test_a_rebuild_checks_the_links_of_pages_whose_targets_changed(make_site: SiteFactory) -> None:
    """Page a is not rendered again, but what it links to disappears or loses its anchor."""
    root = make_site(
        {
            "content/essays/a.md": ESSAY.format(title="甲", body="见[乙](/essays/b/#收获)和[丙](/essays/c/)。"),
            "content/essays/b.md": OTHER,
            "content/essays/c.md": ESSAY.format(title="丙", body="正文。"),
        }
    )

    def fresh() -> list[str]:  # what a build with no cache and no previous output says
        options = BuildOptions(site_root=root, jobs=1, cache=False, search=False, output=root.parent / "cold")
        return sorted(p.format() for p in Builder(options).check().warnings)

    options = BuildOptions(site_root=root, jobs=1, search=False)
    assert warnings_of(Builder(options)) == [] == fresh()
    (root / "content/essays/b.md").write_text(OTHER.replace("## 收获", "## 体会"), encoding="utf-8")
    result = Builder(options).build()
    assert result.rendered < result.pages  # page a among the pages kept, its link checked again
    warnings = sorted(p.format() for p in result.warnings)
    assert warnings == fresh()
    assert warnings == [
        "content/essays/a.md:9: 链接 “/essays/b/#收获” 指向的页面上没有锚点 “#收获”"
        "（标题的锚点就是标题文字（如 #收获）；检查 # 后面的写法是否和标题一致）"
    ]
    assert warnings_of(Builder(options)) == warnings  # nothing changed: still reported
    (root / "content/essays/c.md").unlink()
    warnings = warnings_of(Builder(options))
    assert warnings == fresh() and len(warnings) == 2
    assert "链接 “/essays/c/” 指向的页面或文件不存在" in warnings[1]
    (root / "content/essays/b.md").write_text(OTHER, encoding="utf-8")
    (root / "content/essays/a.md").write_text(
        ESSAY.format(title="甲", body="见[乙](/essays/b/#收获)和[附件](/images/x.pdf)。"), "utf-8"
    )
    warnings = warnings_of(Builder(options))
    assert warnings == fresh() and len(warnings) == 1 and "链接 “/images/x.pdf”" in warnings[0]
    (root / "content/images").mkdir()  # the file it links to appears, and goes again
    (root / "content/images/x.pdf").write_bytes(b"%PDF-1.4\n")
    assert warnings_of(Builder(options)) == [] == fresh()
    (root / "content/images/x.pdf").unlink()
    assert warnings_of(Builder(options)) == warnings == fresh()


def test_the_preview_reports_loading_errors_without_rendering_the_pages(make_site: SiteFactory) -> None:
    """``complete=False`` (the dev server): a content error shows at once; the link pass waits for its fix."""
    files, _ = CASES["all_stages_at_once"]
    root = make_site(files)
    options = BuildOptions(site_root=root, jobs=1, search=False, complete=False)
    with pytest.raises(BuildError) as failed:
        Builder(options).build()
    assert [(p.path, p.line) for p in failed.value.problems] == [("content/essays/a.md", 5), ("content/essays/b.md", 9)]
    assert not (root / "output").exists()
