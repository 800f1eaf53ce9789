"""``chaowen import``: real Word files (made by LibreOffice and python-docx, see docx/make_fixtures.py)
become documents that pass ``chaowen check`` as they are; bad inputs are refused with their message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from chaowen.build import Builder, BuildOptions, build
from chaowen.frontmatter import split
from tests.conftest import SiteFactory, run_cli, tree_files
from tests.sitecheck import external_requests, html_errors

FIXTURES = Path(__file__).parent / "docx"
FULL = "zou-jin-lin-pu-yi-ci-chan-ye-lian-diao-yan-de-shou-huo"  # 走进临浦：一次产业链调研的收获


def imported(root: Path, *args: str) -> tuple[int, str]:
    return run_cli(["import", *args, "--site", str(root)])


def front(path: Path) -> dict[str, object]:
    return dict(split(path.read_text(encoding="utf-8"), path.name).fields)


def body(path: Path) -> str:
    return split(path.read_text(encoding="utf-8"), path.name).body


# ----------------------------------------------------------------------------- good fixtures
@pytest.mark.parametrize(
    ("fixture", "args", "target"),
    [
        ("xinde-quan.docx", ["--track", "新材料"], f"content/essays/{FULL}.md"),
        ("word-xi-guan.docx", ["--track", "iot"], "content/essays/xiang-zhen-shu-zi-hua-gai-ge-de-san-dian-si-kao.md"),
        ("jinggao.docx", ["--track", "智能物联"], "content/essays/zhi-neng-wu-lian-sai-dao-de-yi-ci-shi-dian.md"),
        ("gong-shi.docx", ["--track", "iot"], "content/essays/yong-shu-ju-suan-qing-chu-hui-shou-de-zhang.md"),
        (
            "zi-dong-bian-hao.docx",
            ["--track", "health"],
            "content/essays/she-qu-jian-kang-fu-wu-de-liang-dian-guan-cha.md",
        ),
        (
            "jiyao.docx",
            ["--kind", "minutes", "--track", "新材料"],
            "content/minutes/xin-cai-liao-sha-long-di-er-ci-dian-chi-hui-shou-de-zhang-zen-me-suan.md",
        ),
    ],
)
def test_each_fixture_becomes_a_document_that_passes_check(
    make_site: SiteFactory, fixture: str, args: list[str], target: str
) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / fixture), *args)
    assert code == 0, output
    assert str(root / target) in output.splitlines()
    assert "导入完成：1 篇" in output and "跳过 0 个文件" in output
    result = Builder(BuildOptions(site_root=root, strict=True)).check()
    assert result.warnings == ()
    text = (root / target).read_text(encoding="utf-8")
    assert "\u3000" not in text and "\u00a0" not in text  # Word's indents and non-breaking spaces are gone
    assert "\n\n\n" not in text  # and its empty paragraphs


def test_the_full_essay_keeps_its_structure_and_front_matter(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "xinde-quan.docx"), "--track", "新材料", "--issue", "3")
    assert code == 0, output
    path = root / f"content/essays/{FULL}.md"
    fields = front(path)
    # the title paragraph, not the template's property 学员心得; the byline 临浦镇 张三, not Administrator
    assert fields["title"] == "走进临浦：一次产业链调研的收获"
    assert (fields["author"], fields["unit"], fields["track"], fields["issue"]) == ("张三", "临浦镇", "新材料", "3")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", str(fields["date"]))
    text = body(path)
    assert "临浦镇 张三" not in text  # the byline became front matter
    assert text.startswith("\n——成长营第三期新材料赛道调研\n\n十月下旬")  # the Subtitle paragraph stays
    assert "## 一、调研的背景" in text and "### （一）走访的企业" in text and "## 二、几点体会" in text
    assert "**“潮闻”**是" in text and "*新材料*" in text and "~~后因天气取消一家~~" in text
    assert "[镇政府的公开报告](https://www.xiaoshan.gov.cn/)" in text
    assert "| 企业 " in text and 'rowspan="2"' in text and 'colspan="2"' in text
    assert f"![三家企业近五年产值]({FULL}/tu-1.png)" in text
    assert (root / f"content/essays/{FULL}/tu-1.png").read_bytes().startswith(b"\x89PNG")
    assert "[^3]: 本文是成长营第三期的结业作业。" in text  # the endnote, as a footnote
    assert "- 浙江某新材料公司\n  - 主营碳纤维复合材料\n  - 员工约三百人\n- 临浦电池回收中心" in text
    assert "warning" not in output and "警告" in output  # --issue 3 is not an issue of this site


def test_the_built_page_shows_the_table_the_footnote_and_the_picture(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "xinde-quan.docx"), "--track", "新材料")
    assert code == 0, output
    out = root / "output"
    build(BuildOptions(site_root=root, output=out, search=False, jobs=1))
    page = (out / f"essays/{FULL}/index.html").read_text(encoding="utf-8")
    prose = page[page.index('<div class="prose">') :]
    assert "<strong>“潮闻”</strong>是" in prose
    assert '<h2 id="一调研的背景">一、调研的背景</h2>' in prose
    assert '<td rowspan="2">新材料</td>' in prose and '<td colspan="2">因天气取消</td>' in prose
    assert "<th>产值（亿元）</th>" in prose
    assert '<div class="footnote">' in prose and "数据由企业提供，未经核实。" in prose
    # published as processed variants (chaowen.images): tu-1-WIDTH.DIGEST.png and .webp
    assert f'src="/essays/{FULL}/tu-1-' in prose and 'alt="三家企业近五年产值"' in prose
    assert {p.suffix for p in (out / f"essays/{FULL}").glob("tu-1-*")} == {".png", ".webp"}
    assert external_requests(out) == []
    assert html_errors(out) == []


def test_word_habits_are_cleaned(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "word-xi-guan.docx"), "--track", "iot")
    assert code == 0, output
    path = root / "content/essays/xiang-zhen-shu-zi-hua-gai-ge-de-san-dian-si-kao.md"
    fields = front(path)
    # the bold first paragraph is the title (not 新建 Microsoft Word 文档); 作者：王五（河上镇） the byline
    assert (fields["title"], fields["author"], fields["unit"]) == ("乡镇数字化改革的三点思考", "王五", "河上镇")
    assert "Administrator" not in path.read_text(encoding="utf-8")
    text = body(path)
    assert text.startswith("\n今年以来，河上镇把数字化改革作为“一号工程”来抓。\n\n## 一、认识要到位\n")
    assert "数字化不是买设备，而是改流程。镇里先后开了三次专题会。" in text  # a manual break joined, nbsp gone
    assert "村里的数据有三类：\n\n一是人口数据；\n\n二是产业数据。" in text  # indented lines: paragraphs
    assert "### （一）领导带头" in text and "## 二、数据要打通" in text and "### 几点建议" in text
    assert "\n镇主要领导每月听一次汇报。\n" in text  # the tab indent is gone
    assert "第一，**“最多跑一次”**要从群众的角度来衡量。" in text
    assert "| 村     | 上线事项 |" in text


def test_what_cannot_be_converted_is_named_with_its_paragraph(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "jinggao.docx"), "--track", "iot")
    assert code == 0, output
    shown = str(FIXTURES / "jinggao.docx")
    lines = [line for line in output.splitlines() if line.startswith("警告")]
    assert len(lines) == 4 and all(shown in line for line in lines)
    assert "第 3 段（“目录”）起是 Word 生成的目录，已去掉" in lines[0]
    assert "第 9 段（“第二段有一处批注，老师还没看完。”）有批注" in lines[1]
    assert "第 10 段（“第三段里有修订：这句话是老师加的…”）有没有接受的修订" in lines[2]
    assert "第 11 段（“第四段有一个文本框：”）里有文本框，其中的文字（“文本框里的一句话”）" in lines[3]
    assert "导入完成：1 篇，4 个警告，跳过 0 个文件" in output
    text = body(root / "content/essays/zhi-neng-wu-lian-sai-dao-de-yi-ci-shi-dian.md")
    # the table of contents is gone (the page makes its own), the headings it pointed to stay
    assert text.startswith("\n## 试点的由来\n\n第一段是普通的正文") and "目录" not in text and "](#" not in text
    # the paragraph that held the text box keeps its own words; the box's text follows it
    assert "第四段有一个文本框：\n\n文本框里的一句话\n" in text
    assert "这句话是老师加的" in text  # the tracked insertion, accepted


def test_an_equation_is_kept_as_code_and_a_tiff_picture_is_reported(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "gong-shi.docx"), "--track", "iot")
    assert code == 0, output
    path = root / "content/essays/yong-shu-ju-suan-qing-chu-hui-shou-de-zhang.md"
    assert front(path)["author"] == "赵六"  # the byline, not the property Administrator
    assert "`R = p \\cdot m - c`" in body(path)
    assert "第 4 段（“回收一吨电池的收益可以写成 R=…”）里有公式" in output
    assert "第 6 段（在“下图是扫描仪直接存下的 TIFF…”之后）里的图片 rId9.tiff 是网页无法显示的格式" in output
    assert (
        ".tif" not in path.read_text(encoding="utf-8")
        and not (root / "content/essays/yong-shu-ju-suan-qing-chu-hui-shou-de-zhang").exists()
    )


def test_headings_numbered_by_word_keep_their_numbers(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "zi-dong-bian-hao.docx"), "--track", "health")
    assert code == 0, output
    path = root / "content/essays/she-qu-jian-kang-fu-wu-de-liang-dian-guan-cha.md"
    fields = front(path)
    # no Title paragraph and no first heading: the title is the document property
    assert (fields["title"], fields["author"], fields["unit"]) == ("社区健康服务的两点观察", "孙七", "卫健局")
    headings = [line for line in body(path).splitlines() if line.startswith("#")]
    assert headings == ["## 一、服务在家门口", "### （一）家庭医生签约", "### （二）慢病随访", "## 二、数据要回流"]


def test_minutes_take_their_time_place_host_and_participants(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "jiyao.docx"), "--kind", "minutes", "--track", "新材料")
    assert code == 0, output
    path = root / "content/minutes/xin-cai-liao-sha-long-di-er-ci-dian-chi-hui-shou-de-zhang-zen-me-suan.md"
    fields = front(path)
    # 时间：2024年3月15日（周五）下午 14:30　地点：区委党校报告厅 / 主持人：… / 参加人员：… became fields
    assert (fields["date"], fields["venue"], fields["host"]) == ("2024-03-15 14:30", "区委党校报告厅", "刘卫东")
    assert fields["participants"] == "王晓明、陈思远、李静"
    text = body(path)
    assert "时间：" not in text and "主持人" not in text and "参加人员" not in text
    assert text.startswith("\n张三（临浦镇）\n")  # the recorder's byline stays: the host is named
    assert "[^1]: 另有两位带教老师列席。" in text


def test_a_folder_imports_every_docx_in_it(make_site: SiteFactory, tmp_path: Path) -> None:
    root = make_site({})
    folder = tmp_path / "来稿"
    folder.mkdir()
    for name in ("xinde-quan.docx", "word-xi-guan.docx"):
        shutil.copy(FIXTURES / name, folder / name)
    code, output = imported(root, str(folder), "--track", "iot")
    assert code == 0, output
    assert "导入完成：2 篇，0 个警告，跳过 0 个文件" in output
    assert len(list((root / "content/essays").glob("*.md"))) == 2


# ----------------------------------------------------------------------------- refused
def test_an_essay_needs_a_track_and_the_message_lists_them(make_site: SiteFactory) -> None:
    root = make_site({})
    code, output = imported(root, str(FIXTURES / "xinde-quan.docx"))
    assert code == 1
    assert "导入学员心得需要指定赛道，可选：智能物联、生命健康、新材料" in output
    assert not (root / "content").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "jiu-ge-shi.doc",
            "这是旧版 Word（.doc）或 WPS（.wps）格式，无法导入（请在 Word 或 WPS 里打开它，用“另存为”保存成 .docx",
        ),
        ("wps-wen-dang.wps", "另存为”保存成 .docx"),
        ("sun-huai.docx", "文件已损坏，读不出内容"),
        ("kong.docx", "文件是空的（0 字节）"),
        ("kong-wen-dang.docx", "文档里没有任何文字、图片或表格"),
        ("bu-shi-word.docx", "这不是 Word 文档（.docx）"),
    ],
)
def test_a_bad_input_gets_its_message_and_nothing_is_written(make_site: SiteFactory, name: str, message: str) -> None:
    root = make_site({})
    before = tree_files(root)
    code, output = imported(root, str(FIXTURES / "bad" / name), "--track", "iot")
    assert code == 1
    assert message in output and name in output
    assert "导入完成：0 篇，0 个警告，跳过 1 个文件" in output
    assert tree_files(root) == before


def test_an_old_doc_renamed_to_docx_is_told_to_be_saved_as_docx(make_site: SiteFactory, tmp_path: Path) -> None:
    root = make_site({})
    renamed = tmp_path / "改了扩展名.docx"
    shutil.copy(FIXTURES / "bad" / "jiu-ge-shi.doc", renamed)
    code, output = imported(root, str(renamed), "--track", "iot")
    assert code == 1 and "用“另存为”保存成 .docx" in output


def test_it_never_overwrites_and_says_which_file_exists(make_site: SiteFactory) -> None:
    target = f"content/essays/{FULL}.md"
    root = make_site({target: "编辑自己写的稿子\n"})
    before = tree_files(root)
    code, output = imported(root, str(FIXTURES / "xinde-quan.docx"), "--track", "iot")
    assert code == 1
    assert f"文件已存在，没有覆盖：{root / target}" in output
    assert "导入完成：0 篇，0 个警告，跳过 1 个文件" in output
    assert tree_files(root) == before  # neither the document nor its pictures' folder
    assert not (root / f"content/essays/{FULL}").exists()


def test_a_foreign_picture_folder_is_not_written_into(make_site: SiteFactory) -> None:
    folder = f"content/essays/{FULL}/tu-1.png"
    root = make_site({folder: b"not ours"})
    code, output = imported(root, str(FIXTURES / "xinde-quan.docx"), "--track", "iot")
    assert code == 1 and f"文件已存在，没有覆盖：{root / 'content/essays' / FULL}" in output
    assert (root / folder).read_bytes() == b"not ours"
    assert not (root / f"content/essays/{FULL}.md").exists()


def test_an_issue_takes_the_next_number_and_a_page_takes_no_track(make_site: SiteFactory) -> None:
    root = make_site({"content/issues/chuang-kan.md": "---\ntitle: 创刊号\ndate: 2024-03-01\nnumber: 1\n---\n正文。\n"})
    code, output = imported(root, str(FIXTURES / "zi-dong-bian-hao.docx"), "--kind", "issue")
    assert code == 0, output
    fields = front(root / "content/issues/she-qu-jian-kang-fu-wu-de-liang-dian-guan-cha.md")
    assert fields["number"] == "2" and "author" not in fields
    assert "卫健局 孙七" in body(root / "content/issues/she-qu-jian-kang-fu-wu-de-liang-dian-guan-cha.md")
    assert Builder(BuildOptions(site_root=root, strict=True)).check().warnings == ()
    code, output = imported(root, str(FIXTURES / "zi-dong-bian-hao.docx"), "--kind", "page", "--track", "iot")
    assert code == 2 and "页面没有 --track 这一项" in output
