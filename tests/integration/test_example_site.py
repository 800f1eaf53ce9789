"""Build the bundled example journal and look at it as a reader would."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from chaowen.build import BuildOptions, build
from tests.conftest import NOW, REPO
from tests.sitecheck import broken_links, external_requests, html_errors

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def output(example_site: Path) -> Path:
    return example_site / "output"


def test_expected_pages_exist(output: Path) -> None:
    for path in [
        "index.html",
        "issues/index.html",
        "issues/1/index.html",
        "issues/3/index.html",
        "tracks/iot/index.html",
        "tracks/health/index.html",
        "tracks/materials/index.html",
        "archive/index.html",
        "tags/index.html",
        "authors/index.html",
        "search/index.html",
        "about/index.html",
        "404.html",
        "atom.xml",
        "tracks/iot/atom.xml",
        "sitemap.xml",
        "robots.txt",
    ]:
        assert (output / path).is_file(), path
    essays = list((output / "essays").glob("*/index.html"))
    minutes = list((output / "minutes").glob("*/index.html"))
    assert len(essays) >= 15 and len(minutes) >= 6


def test_every_page_is_chinese_and_self_contained(output: Path) -> None:
    for page in output.rglob("*.html"):
        assert '<html lang="zh-CN"' in page.read_text(encoding="utf-8"), page
    assert external_requests(output) == []


def test_track_index_lists_its_items_newest_first(output: Path) -> None:
    text = (output / "tracks/iot/index.html").read_text(encoding="utf-8")
    dates = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})', text)
    assert dates and dates == sorted(dates, reverse=True)
    assert "智能物联" in text


def test_feeds_are_atom_with_entries(output: Path) -> None:
    for feed in [output / "atom.xml", *(output / "tracks").glob("*/atom.xml")]:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        assert entries, feed
        for entry in entries:
            assert entry.find(f"{ATOM}title") is not None
            assert entry.find(f"{ATOM}link").get("href", "").startswith("https://example.org/")  # type: ignore[union-attr]


def test_sitemap_lists_documents(output: Path) -> None:
    root = ET.parse(output / "sitemap.xml").getroot()
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/issues/1/" in locs
    assert not any("search" in (loc or "") for loc in locs)


def test_no_broken_links(output: Path) -> None:
    assert broken_links(output) == []


def test_html_is_valid(output: Path) -> None:
    assert html_errors(output) == []


def test_body_template_syntax_is_shown_as_written(output: Path) -> None:
    pages = [p.read_text(encoding="utf-8") for p in (output / "essays").glob("*/index.html")]
    assert any("{{" in page for page in pages)


def test_rebuild_is_byte_identical(example_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(BuildOptions(site_root=example_site, output=again, jobs=2), now=NOW)
    first = {
        p.relative_to(example_site / "output"): p.read_bytes()
        for p in (example_site / "output").rglob("*")
        if p.is_file()
    }
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_subpath_base_url_links_resolve(example_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub"
    build(BuildOptions(site_root=example_site, output=out, base_url="https://example.org/chaowen/", jobs=1), now=NOW)
    assert broken_links(out, "/chaowen/") == []
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/chaowen/static/style.css' in home
    assert 'href="/essays/' not in home


def test_drafts_only_with_flag(example_site: Path, tmp_path: Path) -> None:
    drafts = [p for p in (REPO / "content").rglob("*.md") if re.search(r"^draft:\s*true", p.read_text("utf-8"), re.M)]
    assert drafts, "the example journal has drafts"
    normal = {p.name for p in (example_site / "output/essays").iterdir()}
    out = tmp_path / "drafts"
    build(BuildOptions(site_root=example_site, output=out, drafts=True, jobs=1), now=NOW)
    with_drafts = {p.name for p in (out / "essays").iterdir()}
    assert len(with_drafts) > len(normal)


def test_installed_theme_is_used_when_the_site_has_none(example_site: Path) -> None:
    assert not (example_site / "themes").exists()
    assert shutil.which("chaowen") is not None


def test_every_page_has_head_metadata(output: Path) -> None:
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for needle in [
            "<title>",
            '<meta name="description"',
            '<link rel="canonical"',
            'property="og:title"',
            'name="viewport"',
        ]:
            assert needle in text, f"{page}: {needle}"


def test_archive_is_split_by_year(output: Path) -> None:
    years = sorted(p.parent.name for p in (output / "archive").glob("*/index.html"))
    assert years and all(y.isdigit() for y in years)
    overview = (output / "archive/index.html").read_text(encoding="utf-8")
    assert all(f"/archive/{y}/" in overview for y in years)


def test_cli_prints_one_summary_line_and_no_progress_off_a_terminal(example_site: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chaowen.cli import main

    result = CliRunner().invoke(main, ["build", "--site", str(example_site), "--output", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("完成：生成") and "秒" in lines[0]


def test_the_latest_issue_shows_its_cover_on_its_page_and_the_home_page(output: Path) -> None:
    cover = 'src="/images/issue-03-cover.svg"'
    assert cover in (output / "issues/3/index.html").read_text(encoding="utf-8")
    assert cover in (output / "index.html").read_text(encoding="utf-8")
    assert (output / "images/issue-03-cover.svg").is_file()
