"""`cover:` of a journal issue: declared once in the field table, shown on the issue's page and the home page."""

from __future__ import annotations

from chaowen.build import BuildOptions, build
from chaowen.content import parse_document
from tests.conftest import NOW, SiteFactory, make_config

ISSUE = "---\ntitle: 走进车间\ndate: 2024-03-01\nnumber: 1\ncover: {cover}\n---\n编者按。\n"
PNG = (  # a 1x1 PNG
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_cover_path_is_relative_to_the_document_or_to_content() -> None:
    config = make_config()
    for written, source in [
        ("c.png", "issues/c.png"),
        ("../images/c.jpg", "images/c.jpg"),
        ("/img/c.svg", "img/c.svg"),
    ]:
        document, problems = parse_document("issues/a.md", ISSUE.format(cover=written), config)
        assert problems == [] and document is not None, written
        assert document.more["cover"] == source


def test_a_cover_outside_content_or_not_an_image_is_refused_at_its_line() -> None:
    config = make_config()
    for written in ["../../secret.png", "封面.txt", "https://example.org/c.png", "C:\\\\封面.png"]:
        document, problems = parse_document("issues/a.md", ISSUE.format(cover=written), config)
        assert document is None, written
        assert [(p.path, p.line) for p in problems] == [("content/issues/a.md", 5)], written
        assert "cover" in problems[0].message_in("zh-CN")


def test_the_cover_is_shown_on_the_issue_page_and_the_home_page_cold_and_warm(make_site: SiteFactory) -> None:
    root = make_site({"content/issues/a.md": ISSUE.format(cover="../images/封面.png"), "content/images/封面.png": PNG})
    pages = []
    for _ in range(2):  # the second build takes the front matter from the cache
        build(BuildOptions(site_root=root, search=False), now=NOW)
        output = root / "output"
        pages.append(((output / "issues/1/index.html").read_text("utf-8"), (output / "index.html").read_text("utf-8")))
        # processed like every raster image (chaowen.images): a PNG and a WebP, the original not published
        assert not (output / "images/封面.png").exists()
        assert {p.suffix for p in (output / "images").glob("封面-1.*")} == {".png", ".webp"}
    for issue_page, home in pages:
        assert '<img class="cover" src="/images/%E5%B0%81%E9%9D%A2-1.' in issue_page
        assert 'width="1" height="1" alt="第1期封面" decoding="async">' in issue_page
        assert '<picture><source type="image/webp" srcset="/images/%E5%B0%81%E9%9D%A2-1.' in home
    assert pages[0] == pages[1]


def test_an_issue_without_a_cover_shows_none(make_site: SiteFactory) -> None:
    root = make_site({"content/issues/a.md": ISSUE.replace("cover: {cover}\n", "")})
    build(BuildOptions(site_root=root, search=False), now=NOW)
    assert "has-cover" not in (root / "output/index.html").read_text("utf-8")
