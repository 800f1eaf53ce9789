from pathlib import Path

import pytest

from chaowen.build import Builder, BuildOptions
from chaowen.content import parse_document
from chaowen.errors import Severity
from chaowen.links import check_links
from chaowen.markup import render_markdown
from chaowen.model import Markup, Output, Site
from chaowen.site import build_site
from tests.conftest import NOW, make_config

ESSAY = "---\ntitle: 文章\ndate: 2024-03-05\nauthor: 王小明\ntrack: iot\n---\n"


def site_of(
    bodies: dict[str, str], base_url: str = "https://example.org/", language: str = "zh-CN"
) -> tuple[Site, dict[str, Markup]]:
    config = make_config(base_url=base_url, language=language)
    documents = []
    for source, body in bodies.items():
        document, problems = parse_document(source, ESSAY + body, config)
        assert document is not None, problems
        documents.append(document)
    site, problems = build_site(config, documents, [], now=NOW)
    assert problems == []
    markups = {}
    for source, document in site.documents.items():
        markups[source], _ = render_markdown(
            document.body,
            source=source,
            display_path=f"content/{source}",
            body_line=document.body_line,
            urls=site.urls,
            base_path=config.base_path,
            language=language,
        )
    return site, markups


def page(body: str, *, ids: str = "", base: str = "/") -> bytes:
    head = f'<link rel="stylesheet" href="{base}static/style.css?v=1">'
    return f"<!DOCTYPE html><html><head>{head}</head><body>{ids}{body}</body></html>".encode()


def outputs_for(
    site: Site, markups: dict[str, Markup], extra: dict[str, bytes] | None = None, template: str = ""
) -> list[Output]:
    """Every page of ``site`` with its document's HTML in it, plus ``extra`` pages."""
    found = []
    for spec in site.pages:
        source = spec.source
        content = markups[source].html if source else ""
        path = spec.path + "index.html" if spec.path == "" or spec.path.endswith("/") else spec.path
        found.append(Output(path, page(template + content, base=site.config.base_path)))
    found += [Output(path, data) for path, data in (extra or {}).items()]
    return found


def test_a_sound_site_has_no_problems() -> None:
    site, markups = site_of(
        {
            "essays/a.md": "## 第一节\n\n见[乙](b.md#收获)和[本文](#第一节)。[顶部](#top) [外部](https://example.com/x) [邮件](mailto:a@b.c)\n",
            "essays/b.md": "## 收获\n\n正文。\n",
        }
    )
    outputs = outputs_for(
        site,
        markups,
        template='<a href="/">首页</a><a href="https://example.org/essays/a/">绝对</a><img src="/images/%E5%9B%BE%201.png">',
    )
    assert check_links(site, markups, outputs, ["static/style.css", "images/图 1.png"]) == []


def test_missing_anchor_in_a_document_names_its_file_and_line() -> None:
    site, markups = site_of(
        {
            "essays/a.md": "第一段。\n\n见[乙的一节](b.md#没有这节)。\n\n[本文](#也没有)\n",
            "essays/b.md": "## 收获\n",
        }
    )
    problems = check_links(site, markups, outputs_for(site, markups), ["static/style.css"])
    assert sorted((p.path, p.line, p.severity) for p in problems) == [
        ("content/essays/a.md", 9, Severity.WARNING),
        ("content/essays/a.md", 11, Severity.WARNING),
    ]
    assert any("“#没有这节”" in p.message_in("zh-CN") for p in problems)


def test_raw_html_image_that_is_missing_is_an_error_at_its_line() -> None:
    site, markups = site_of({"essays/a.md": '段落。\n\n<p><img src="pic.png" alt="图"></p>\n'})
    (problem,) = check_links(site, markups, outputs_for(site, markups), ["static/style.css"])
    assert (problem.path, problem.line, problem.severity) == ("content/essays/a.md", 9, Severity.ERROR)
    assert "pic.png" in problem.message_in("zh-CN")


def test_links_the_markdown_stage_reported_are_not_reported_again() -> None:
    site, markups = site_of({"essays/a.md": "见[缺](missing.md)。\n"})
    assert check_links(site, markups, outputs_for(site, markups), ["static/style.css"]) == []


def test_broken_template_link_is_one_error_naming_page_and_template() -> None:
    site, markups = site_of({"essays/a.md": "正文。\n", "essays/b.md": "正文。\n"})
    outputs = outputs_for(site, markups, template='<a href="/nope/">坏</a><a href="#nowhere">坏锚点</a>')
    problems = check_links(site, markups, outputs, ["static/style.css"])
    assert len(problems) == 2 and all(p.is_error for p in problems)
    pages = len([o for o in outputs if o.path.endswith(".html")])
    nope = next(p for p in problems if "/nope/" in p.message_in("zh-CN"))
    assert (
        nope.path.startswith("/")
        and f"另有 {pages - 1} 个页面" in nope.hint_in("zh-CN")
        and ".html" in nope.hint_in("zh-CN")
    )
    english = nope.hint_in("en")  # the two sentences joined the English way
    assert english.startswith("the link comes from the template ")
    assert english.endswith(f"or one it uses, not from a document; {pages - 1} more pages have the same link")


def test_missing_stylesheet_and_own_absolute_url_are_found() -> None:
    site, markups = site_of({"essays/a.md": "正文。\n"})
    outputs = outputs_for(site, markups, template='<meta property="og:url" content="https://example.org/gone/">')
    problems = check_links(site, markups, outputs, [])
    messages = " ".join(p.message_in("zh-CN") for p in problems)
    assert "/static/style.css?v=1" in messages and "https://example.org/gone/" in messages


def test_link_outside_the_base_path() -> None:
    site, markups = site_of({"essays/a.md": "见[旧址](/essays/a/)。\n"}, base_url="https://example.org/chaowen/")
    (problem,) = check_links(site, markups, outputs_for(site, markups), ["static/style.css"])
    assert problem.path == "content/essays/a.md" and problem.line == 7
    assert "/chaowen/" in problem.message_in("zh-CN") and not problem.is_error


def test_relative_links_between_pages_and_folders_without_slash() -> None:
    site, markups = site_of({"essays/a.md": "正文。\n"})
    extra = {
        "about/index.html": page(
            '<a href="../essays/a/index.html#x">a</a><a href="../essays/a">a</a><a href="./">自己</a>',
            ids='<p id="x"></p>',
        )
    }
    outputs = outputs_for(site, markups, extra, template='<span id="x"></span>')
    assert check_links(site, markups, outputs, ["static/style.css"]) == []


def test_named_anchors_and_srcset() -> None:
    site, markups = site_of({"essays/a.md": "正文。\n"})
    extra = {"x/index.html": page('<a name="old"></a><a href="#old">旧锚点</a><img srcset="/a.png 1x, /b.png 2x">')}
    problems = check_links(site, markups, outputs_for(site, markups, extra), ["static/style.css", "a.png"])
    assert [p.message_in("zh-CN") for p in problems] == ["图片 “/b.png” 不存在"]


def test_english_messages() -> None:
    site, markups = site_of({"essays/a.md": "see [x](#nope)\n"}, language="en")
    (problem,) = check_links(site, markups, outputs_for(site, markups), ["static/style.css"])
    assert problem.format("en").startswith(
        "content/essays/a.md:7: link '#nope': the page it points to has no anchor '#nope' ("
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"relative": True},
        {"base_url": "https://example.org/chaowen/"},
        {"base_url": "https://example.org/chaowen/", "relative": True},
    ],
)
def test_the_example_journal_is_sound_however_it_is_published(example_site: Path, overrides: dict[str, object]) -> None:
    options = BuildOptions(site_root=example_site, jobs=1, cache=False, strict=True, **overrides)  # type: ignore[arg-type]
    result = Builder(options).check()  # the build without its write stage; the link pass included
    assert result.pages > 50 and result.warnings == ()


def test_links_outside_the_base_path_are_told_apart() -> None:
    site, markups = site_of({"essays/a.md": "见[旧址](/old/)。\n"}, base_url="https://example.org/chaowen/")
    outputs = outputs_for(site, markups, template='<a href="/elsewhere/">模板里的</a>')
    problems = check_links(site, markups, outputs, ["static/style.css"])
    assert sorted((p.path.startswith("content/"), "/old/" in p.message_in("zh-CN")) for p in problems) == [
        (False, False),
        (True, True),
    ]


def test_tag_scanner_reads_what_html_parser_reads(example_site: Path) -> None:
    from html.parser import HTMLParser

    from chaowen import links

    class Reference(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.result = links._Parsed()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = {name: value for name, value in reversed(attrs) if value is not None}
            links._collect(tag, values, self.result)

    tricky = (
        '<!-- <a href="/commented/"> --><script>var s = "<a href=\'/in-script/\'>";</script>'
        '<a  HREF = "/a/?x=1&amp;y=2#f" id=plain>x</a><img src=\'/i.png\' alt="a > b"><br/>'
    )
    pages = [p.read_text(encoding="utf-8") for p in sorted((example_site / "output").rglob("*.html"))]
    for text in [tricky, *pages]:
        reference = Reference()
        reference.feed(text)
        assert links._parse(text) == reference.result
