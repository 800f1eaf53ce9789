"""The print edition (issue 12), checked with tools nobody on the project wrote: poppler-utils.

The example journal is built once for the module (WeasyPrint takes seconds per issue); each PDF is
then read with ``pdffonts``, ``pdftotext -layout`` (page by page) and ``pdftoppm``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import chaowen.printing
from chaowen.build import Builder, BuildOptions, BuildResult, build, load
from chaowen.write import MANIFEST
from tests.conftest import CONFIG_YAML, NOW, REPO, SiteFactory

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or chaowen.printing.engine_missing() is not None,
    reason="needs WeasyPrint (chaowen[print]) and poppler-utils: scripts/test.sh installs them",
)

CLOSING = "，。、：；！？）」』”》〉】"
OPENING = "（「『“《〈【"


@dataclass(frozen=True)
class Article:
    title: str
    track: str


@dataclass(frozen=True)
class Issue:
    number: int
    pdf: Path
    articles: tuple[Article, ...]  # in the order of the contents


def run(*command: str | Path) -> str:
    return subprocess.run([str(c) for c in command], check=True, capture_output=True, text=True).stdout


def pages_of(pdf: Path) -> list[str]:
    """The text of each page, laid out as on the page (pdftotext ends every page with a form feed)."""
    return run("pdftotext", "-layout", pdf, "-").split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def header(page: str) -> str:
    found = lines(page)
    return found[0] if found else ""


def footer(page: str) -> str:
    found = lines(page)
    return found[-1] if found else ""


def page_count(pdf: Path) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", run("pdfinfo", pdf), re.MULTILINE)
    assert found is not None
    return int(found[1])


def undefined_glyphs(pdf: Path) -> list[str]:
    """Fonts of ``pdf`` with a glyph their font does not have: WeasyPrint gives such a font a custom CMap
    instead of Identity-H (and draws the .notdef box); pdffonts shows it."""
    rows = run("pdffonts", pdf).splitlines()[2:]
    return [row.split()[0] for row in rows if "Identity-H" not in row]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult, list[Issue]]:
    """A copy of the example journal with its bound volumes, built once (typeset in parallel, as the CLI does)."""
    root = tmp_path_factory.mktemp("print-example")
    config = (REPO / "chaowen.yaml").read_text(encoding="utf-8")
    assert "  volumes: false" in config
    (root / "chaowen.yaml").write_text(config.replace("  volumes: false", "  volumes: true"), encoding="utf-8")
    shutil.copytree(REPO / "content", root / "content")
    result = build(BuildOptions(site_root=root), now=NOW)
    site = load(BuildOptions(site_root=root), now=NOW).site
    tracks = [t.key for t in site.config.tracks]
    issues = []
    for number, source in sorted(site.issue_sources.items()):
        members = sorted(site.by_issue[number], key=lambda s: tracks.index(site.documents[s].track or ""))
        articles = tuple(
            Article(site.documents[s].title, site.config.tracks[tracks.index(site.documents[s].track or "")].name)
            for s in members
        )
        issues.append(Issue(number, root / "output" / site.urls[source] / f"chaowen-{number}.pdf", articles))
    return root, result, issues


def test_every_issue_has_a_pdf_recorded_in_the_manifest(example: tuple[Path, BuildResult, list[Issue]]) -> None:
    root, result, issues = example
    assert [i.number for i in issues] == [1, 2, 3]
    manifest = (root / "output" / MANIFEST).read_text(encoding="utf-8")
    for issue in issues:
        assert issue.pdf.read_bytes().startswith(b"%PDF-")
        assert f'"issues/{issue.number}/chaowen-{issue.number}.pdf"' in manifest  # chaowen owns it
    assert '"issues/chaowen-2025.pdf"' in manifest and '"issues/chaowen-2026.pdf"' in manifest  # bound volumes
    assert result.prints == 5


def test_fonts_are_embedded_and_chinese(example: tuple[Path, BuildResult, list[Issue]]) -> None:
    for issue in example[2]:
        rows = run("pdffonts", issue.pdf).splitlines()[2:]
        assert rows
        for row in rows:
            name, *_, emb, sub, uni, _object, _generation = row.split()
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row  # embedded, subset, with text
        names = [row.split()[0] for row in rows]
        assert any("Noto-Serif-CJK-SC" in n for n in names), names  # the body face
        assert any("Noto-Sans-CJK-SC" in n for n in names), names  # the headings' face
        assert undefined_glyphs(issue.pdf) == []


def test_contents_give_the_page_each_article_starts_on(example: tuple[Path, BuildResult, list[Issue]]) -> None:
    for issue in example[2]:
        pages = pages_of(issue.pdf)
        contents = next(i for i, page in enumerate(pages) if "目录" in header(page))
        entries: dict[str, str] = {}
        for line in lines(pages[contents]):
            found = re.fullmatch(r"(.+?)\s*\.{3,}\s*(\d+)", line)
            if found:
                entries[found[1]] = found[2]
        assert len(entries) == len(issue.articles)
        for article in issue.articles:
            listed = [number for entry, number in entries.items() if entry.startswith(article.title)]
            assert len(listed) == 1, (article.title, entries)
            starts = [page for page in pages[contents + 1 :] if any(line == article.title for line in lines(page)[1:4])]
            assert len(starts) == 1, article.title  # the title, set as the article's heading, on one page
            assert footer(starts[0]) == listed[0], article.title


def test_page_numbers_roman_then_arabic_and_the_expected_count(
    example: tuple[Path, BuildResult, list[Issue]],
) -> None:
    for issue in example[2]:
        pages = pages_of(issue.pdf)
        assert len(pages) == page_count(issue.pdf)
        numbers = [footer(page) for page in pages]
        assert numbers[1:3] == ["ii", "iii"]  # the cover (i) has none; the note, the contents
        arabic = numbers[3:]
        assert arabic == [str(n) for n in range(1, len(arabic) + 1)]  # the articles from 1, every page
        tracks = {a.track for a in issue.articles}
        # cover, note, contents; a page opening each track; every article on pages of its own
        assert len(pages) >= 3 + len(tracks) + len(issue.articles)
        openers = [p for p in pages[3:] if len(lines(p)) <= 8 and lines(p)[1].replace(" ", "") in tracks]
        assert len(openers) == len(tracks)


def test_running_header_names_the_article_of_the_page(example: tuple[Path, BuildResult, list[Issue]]) -> None:
    for issue in example[2]:
        pages = pages_of(issue.pdf)
        current = ""
        seen = 0
        for page in pages[3:]:
            body = lines(page)[1:4]
            started = [a.title for a in issue.articles if a.title in body]
            if started:
                current = started[0]
                seen += 1
            elif any(line.replace(" ", "") in {a.track for a in issue.articles} for line in body):
                current = ""  # a track's opening page names the track
            top = header(page)
            assert top.startswith(f"潮闻 · 第{issue.number}期"), top
            if current:
                assert top.endswith(current), (top, current)
        assert seen == len(issue.articles)


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(
    example: tuple[Path, BuildResult, list[Issue]],
) -> None:
    for issue in example[2]:
        for number, page in enumerate(pages_of(issue.pdf), 1):
            for line in lines(page):
                assert line[0] not in CLOSING, (issue.number, number, line)
                assert line[-1] not in OPENING, (issue.number, number, line)


def test_footnotes_and_link_addresses_at_the_foot_of_the_page(example: tuple[Path, BuildResult, list[Issue]]) -> None:
    issue = example[2][2]
    pages = pages_of(issue.pdf)
    page = next(p for p in pages if "智能工厂里的“搬数据”岗位" in lines(p)[1:3])
    text = lines(page)
    note = next(i for i, line in enumerate(text) if line.startswith("1. 两家企业分别从事汽车零部件"))
    assert text[note + 1].startswith("2. 据一位软件企业负责人估计")
    assert note > text.index("回来的路上，同行的周雨桐说了一句话，我很认同：智能制造的最后一公里，往往是人走出来") - 1


def test_photos_are_printed_upright_from_their_published_variants_without_metadata(
    example: tuple[Path, BuildResult, list[Issue]], tmp_path: Path
) -> None:
    """Issue 2's cover and its essays' phone photos (GPS and orientation tags in the originals)."""
    from PIL import Image

    _, _, issues = example
    pdf = next(i.pdf for i in issues if i.number == 2)
    run("pdfimages", "-j", pdf, tmp_path / "image")
    files = sorted(tmp_path.glob("image-*.jpg"))
    assert len(files) >= 2  # the cover and at least one photo in an essay
    for index, file in enumerate(files):
        with Image.open(file) as photo:
            if index == 0:  # the cover: 4000x3000 with orientation 6 in the original, so portrait upright
                assert photo.height > photo.width
                assert max(photo.size) <= 2133  # a published variant (1600 px wide), not the original
            assert len(photo.getexif()) == 0 and "exif" not in photo.info and "xmp" not in photo.info
    assert b"GPS" not in pdf.read_bytes()


def test_metadata_and_bookmarks(example: tuple[Path, BuildResult, list[Issue]]) -> None:
    issue = example[2][2]
    info = run("pdfinfo", issue.pdf)
    assert re.search(r"^Title:\s+潮闻 第3期 把调研写成行动$", info, re.MULTILINE)
    assert re.search(r"^Author:\s+潮闻编辑部$", info, re.MULTILINE)
    assert re.search(r"^CreationDate:.*2026", info, re.MULTILINE)  # the issue's date, not the build's
    chunks = _objects(issue.pdf)
    assert any(b"/Lang (zh-CN)" in chunk for chunk in chunks)
    bookmarks = _outline(chunks)
    for name in ("封面", "编者按", "目录", "智能物联", "生命健康", "新材料", *(a.title for a in issue.articles)):
        assert name in bookmarks, (name, bookmarks)


def _objects(pdf: Path) -> list[bytes]:
    """The PDF's bytes and each of its streams decompressed: its objects as text to search."""
    import zlib

    data = pdf.read_bytes()
    chunks = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(stream[1]))
        except zlib.error:
            continue
    return chunks


def _outline(chunks: list[bytes]) -> list[str]:
    """The titles of the PDF's bookmarks, read from its outline objects (poppler has no tool for them)."""
    texts: list[str] = []
    for chunk in chunks:
        for title in re.finditer(rb"/Title\s*<([0-9a-fA-F]+)>", chunk):
            raw = bytes.fromhex(title[1].decode())
            texts.append(raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1"))
        for title in re.finditer(rb"/Title\s*\((.*?)\)(?=\s*/)", chunk, re.DOTALL):
            raw = title[1]
            texts.append(raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1"))
    return texts


def test_issue_page_and_issue_list_link_the_pdf_with_its_size(example: tuple[Path, BuildResult, list[Issue]]) -> None:
    root, _, issues = example
    page = (root / "output/issues/3/index.html").read_text(encoding="utf-8")
    size = issues[2].pdf.stat().st_size
    shown = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{round(size / 1000)} KB"
    assert 'href="/issues/3/chaowen-3.pdf" download="潮闻第3期.pdf"' in page
    assert f"（{shown}）" in page
    listing = (root / "output/issues/index.html").read_text(encoding="utf-8")
    for issue in issues:
        assert f'download="潮闻第{issue.number}期.pdf"' in listing


def test_the_bound_volume_numbers_its_issues_pages_on_and_lists_them_all(
    example: tuple[Path, BuildResult, list[Issue]],
) -> None:
    root, _, issues = example
    volume = root / "output/issues/chaowen-2025.pdf"  # issues 1 and 2 (2026 has issue 3)
    pages = pages_of(volume)
    numbers = [footer(page) for page in pages]
    assert numbers[1] == "ii"
    assert numbers[2:] == [str(n) for n in range(1, len(pages) - 1)]  # one run of numbers through both issues
    contents = lines(pages[1])
    # the cover, the contents; each issue without its cover and contents but with a title page of its own
    assert len(pages) == 2 + sum(len(pages_of(issue.pdf)) - 1 for issue in issues[:2])
    for issue in issues[:2]:
        for article in issue.articles:
            (entry,) = [line for line in contents if line.startswith(article.title)]
            listed = entry.rsplit(".", 1)[-1].strip()
            (start,) = [p for p in pages[2:] if any(line == article.title for line in lines(p)[1:4])]
            assert footer(start) == listed, article.title
    assert not any(line.startswith(a.title) for a in issues[2].articles for line in contents)
    listing = (root / "output/issues/index.html").read_text(encoding="utf-8")
    assert 'href="/issues/chaowen-2025.pdf" download="潮闻2025年合订本.pdf"' in listing
    assert 'download="潮闻2026年合订本.pdf"' in listing


def test_cover_and_an_article_page_render_to_pictures(
    example: tuple[Path, BuildResult, list[Issue]], tmp_path: Path
) -> None:
    from PIL import Image, ImageStat

    pdf = example[2][2].pdf
    pages = pages_of(pdf)
    article = next(i for i, p in enumerate(pages, 1) if "智能工厂里的“搬数据”岗位" in lines(p)[1:3])
    for number, name in ((1, "cover"), (article, "article")):
        run("pdftoppm", "-r", "50", "-png", "-f", str(number), "-l", str(number), "-singlefile", pdf, tmp_path / name)
        with Image.open(tmp_path / f"{name}.png") as picture:
            grey = picture.convert("L")
            stats = ImageStat.Stat(grey)
            dark = sum(grey.histogram()[:128]) / (grey.width * grey.height)
        assert stats.stddev[0] > 20, name  # not a blank page
        assert 0.005 < dark < 0.5, (name, dark)  # ink, but not a page of black boxes


def test_a_rebuild_keeps_the_pdfs_byte_for_byte_and_an_edit_retypesets_its_issue_only(
    example: tuple[Path, BuildResult, list[Issue]], tmp_path: Path
) -> None:
    root = tmp_path / "site"
    shutil.copytree(example[0], root, ignore=shutil.ignore_patterns("output", ".chaowen-cache"))
    builder = Builder(BuildOptions(site_root=root, jobs=1))
    builder.build(now=NOW)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (root / "output/issues").rglob("*.pdf")}
    again = builder.build(now=NOW)
    assert again.prints_made == 0 and again.written == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before
    essay = root / "content/essays/智能制造车间见闻.md"  # in issue 3
    essay.write_text(essay.read_text(encoding="utf-8") + "\n结尾新加的一句话。\n", encoding="utf-8")
    edited = builder.build(now=NOW)
    assert edited.prints_made == 2  # issue 3 and the volume of 2026, which has it
    assert sorted(p for p in edited.changed if p.endswith(".pdf")) == [
        "issues/3/chaowen-3.pdf",
        "issues/chaowen-2026.pdf",
    ]
    assert "结尾新加的一句话。" in run("pdftotext", root / "output/issues/3/chaowen-3.pdf", "-")
    stored = sorted((root / ".chaowen-cache/print").iterdir())
    assert len(stored) == 7  # the 5 PDFs of this build and, until later builds push them out, the 2 replaced
    os.utime(root / "content/images/调研现场.png", ns=(1, 1))  # a new date, the same bytes: nothing to typeset
    assert builder.build(now=NOW).prints_made == 0
    cover = root / "content/images/issue-03-cover.svg"  # shown on the cover of issue 3
    cover.write_text(cover.read_text(encoding="utf-8").replace("</svg>", "<!-- 改 --></svg>"), encoding="utf-8")
    assert builder.build(now=NOW).prints_made == 2


# ------------------------------------------------------------------ small sites
PRINT_ON = CONFIG_YAML + "print:\n  enabled: true\n  paper: A5\n"
ISSUE = """\
---
title: 小小的一期
date: 2026-02-01
number: 1
---
本期只有一篇文章。
"""


def essay(body: str) -> str:
    return f"---\ntitle: 一篇心得\ndate: 2026-01-05\nauthor: 张三\nunit: 区科技局\ntrack: iot\nissue: 1\n---\n{body}\n"


def test_a_small_issue_has_exactly_its_pages(make_site: SiteFactory) -> None:
    root = make_site(
        {"chaowen.yaml": PRINT_ON, "content/issues/1.md": ISSUE, "content/essays/a.md": essay("第一段。\n\n第二段。")}
    )
    result = build(BuildOptions(site_root=root, jobs=1), now=NOW)
    pdf = root / "output/issues/1/chaowen-1.pdf"
    assert result.prints == 1 and result.warnings == ()
    pages = pages_of(pdf)
    assert len(pages) == 5  # cover, note, contents, the track's opening page, the essay
    assert "A5" in run("pdfinfo", pdf) or "419.528 x 595.276" in run("pdfinfo", pdf)
    assert lines(pages[4])[1:3] == ["一篇心得", "张三 · 区科技局 · 2026年1月5日"]


def test_two_typesettings_of_the_same_input_give_the_same_bytes(make_site: SiteFactory, tmp_path: Path) -> None:
    root = make_site({"chaowen.yaml": PRINT_ON, "content/issues/1.md": ISSUE, "content/essays/a.md": essay("正文。")})
    made = []
    for name in ("one", "two"):
        chaowen.printing._RECENT.clear()  # nothing kept from the first: typeset again
        result = build(BuildOptions(site_root=root, output=tmp_path / name, cache=False, jobs=1), now=NOW)
        assert result.prints_made == 1
        made.append((tmp_path / name / "issues/1/chaowen-1.pdf").read_bytes())
    assert made[0] == made[1]


def test_a_character_no_font_has_is_a_warning_and_the_check_finds_it(make_site: SiteFactory) -> None:
    root = make_site(
        {"chaowen.yaml": PRINT_ON, "content/issues/1.md": ISSUE, "content/essays/a.md": essay("一个怪字：\U000f0000。")}
    )
    result = build(BuildOptions(site_root=root, jobs=1), now=NOW)
    pdf = root / "output/issues/1/chaowen-1.pdf"
    assert undefined_glyphs(pdf) != []  # the test helper catches a page with an undefined glyph
    assert [w.message.key for w in result.warnings] == ["print_missing_glyphs"]  # type: ignore[union-attr]
    assert "U+F0000" in result.warnings[0].format("zh-CN")


def test_links_become_footnotes_and_articles_link_within_the_pdf(make_site: SiteFactory) -> None:
    body = "见[潮闻网站](https://example.com/a/b)，又见[本期另一篇](b.md)。\n"
    other = essay("另一篇。").replace("title: 一篇心得", "title: 另一篇心得")
    root = make_site(
        {
            "chaowen.yaml": PRINT_ON,
            "content/issues/1.md": ISSUE,
            "content/essays/a.md": essay(body),
            "content/essays/b.md": other,
        }
    )
    build(BuildOptions(site_root=root, jobs=1), now=NOW)
    text = run("pdftotext", "-layout", root / "output/issues/1/chaowen-1.pdf", "-")
    assert "https://example.com/a/b" in text  # the address, printed in a footnote
    assert "example.org/essays" not in text  # the other article is in this PDF: no address


def test_print_off_by_default_and_no_link(make_site: SiteFactory) -> None:
    root = make_site({"content/issues/1.md": ISSUE, "content/essays/a.md": essay("正文。")})
    result = build(BuildOptions(site_root=root, jobs=1), now=NOW)
    assert result.prints == 0 and not list((root / "output").rglob("*.pdf"))
    assert "印刷版" not in (root / "output/issues/1/index.html").read_text(encoding="utf-8")


def test_without_weasyprint_the_site_builds_and_says_once_how_to_install_it(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({"chaowen.yaml": PRINT_ON, "content/issues/1.md": ISSUE, "content/essays/a.md": essay("正文。")})
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint raises ImportError
    chaowen.printing._RECENT.clear()
    builder = Builder(BuildOptions(site_root=root, jobs=1))
    first = builder.build(now=NOW)
    assert [n.key for n in first.notices] == ["print_skipped_engine"]
    said = first.notices[0].render("zh-CN")
    assert "pip install 'chaowen[print]'" in said and "未生成印刷版" in said
    assert first.prints == 0 and not list((root / "output").rglob("*.pdf"))
    assert "印刷版" not in (root / "output/issues/1/index.html").read_text(encoding="utf-8")
    essay_file = root / "content/essays/a.md"
    essay_file.write_text(essay("改过的正文。"), encoding="utf-8")
    assert builder.build(now=NOW).notices == ()  # said once


@pytest.mark.parametrize("latin", [True, False], ids=["one-latin-font", "no-font"])
def test_without_a_chinese_font_no_pdf_of_boxes_is_written(make_site: SiteFactory, tmp_path: Path, latin: bool) -> None:
    """A fontconfig that knows one Latin font only (the PDF would be empty boxes), or none at all (Pango
    would crash): the site is built, no PDF is made, and the build says which fonts to install."""
    root = make_site({"chaowen.yaml": PRINT_ON, "content/issues/1.md": ISSUE, "content/essays/a.md": essay("正文。")})
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    if latin:
        shutil.copy2(run("fc-match", "-f", "%{file}", "DejaVu Sans").strip(), fonts)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>\n',
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "chaowen", "build", "--site", str(root), "--jobs", "1", "--no-cache"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("未生成印刷版 PDF：找不到中文字体") == 1
    assert "fonts-noto-cjk" in done.stderr
    assert not list((root / "output").rglob("*.pdf"))


def test_bad_print_settings_are_reported_with_their_line(make_site: SiteFactory) -> None:
    from chaowen.errors import BuildError

    config = CONFIG_YAML + "print:\n  enabled: yes\n  paper: B5\n  margin: 2cm\n  margins: wide\n"
    root = make_site({"chaowen.yaml": config, "content/issues/1.md": ISSUE})
    with pytest.raises(BuildError) as failure:
        build(BuildOptions(site_root=root, jobs=1), now=NOW)
    said = [p.format("zh-CN") for p in failure.value.problems]
    line = CONFIG_YAML.count("\n") + 1
    assert any(f"chaowen.yaml:{line}" in s and "B5" in s and "A4 或 A5" in s for s in said), said
    assert any("print.margin" in s and "print.margins" in s for s in said), said  # did you mean
    assert any("wide" in s and "20mm 18mm" in s for s in said), said
