from datetime import datetime
from zoneinfo import ZoneInfo

from chaowen.model import Document, Kind, Markup, SiteConfig
from chaowen.reads import SEP, doc_read, meta_read
from chaowen.render import Renderer, relativise
from chaowen.site import build_site
from chaowen.theme import find_theme, make_environment
from tests.conftest import NOW, REPO

TZ = ZoneInfo("Asia/Shanghai")
EVIL = '<script>alert(1)</script> & "quotes"'


def renderer(config: SiteConfig, documents: list[Document]) -> Renderer:
    site, problems = build_site(config, documents, [], now=NOW)
    assert problems == []
    markups = {s: Markup("<p>正文</p>", (), "摘要", 2, 1) for s in site.documents}
    env = make_environment(find_theme(REPO, "default"))
    return Renderer(site, markups.__getitem__, env, {"style.css": "/static/style.css"})


def essay(**fields: object) -> Document:
    values: dict[str, object] = {
        "source": "essays/a.md",
        "kind": Kind.ESSAY,
        "title": "标题",
        "date": datetime(2024, 3, 5, tzinfo=TZ),
        "slug": "a",
        "body": "",
        "track": "iot",
        "authors": ("王小明",),
        "tags": ("产业链",),
    }
    values.update(fields)
    return Document(**values)  # type: ignore[arg-type]


def test_front_matter_text_is_escaped_everywhere(config: SiteConfig) -> None:
    r = renderer(config, [essay(title=EVIL, authors=(EVIL,), tags=(EVIL,), unit=EVIL)])
    for spec in r.site.pages:
        output, problem = r.render(spec)
        assert problem is None, problem
        assert output is not None and output.content is not None
        text = output.content.decode()
        assert "<script>alert(1)</script>" not in text, spec.path


def test_essay_page_shows_its_metadata(config: SiteConfig) -> None:
    r = renderer(config, [essay(unit="临浦镇")])
    spec = next(p for p in r.site.pages if p.path == "essays/a/")
    output, _ = r.render(spec)
    assert output is not None and output.content is not None
    text = output.content.decode()
    for expected in [
        "标题",
        "王小明",
        "临浦镇",
        "智能物联",
        "2024年3月5日",
        '<html lang="zh-CN"',
        '<link rel="canonical" href="https://example.org/essays/a/">',
        "og:title",
    ]:
        assert expected in text, expected
    assert {r for r in r.reads if r.startswith("doc" + SEP)} == {doc_read("essays/a.md")}


def test_relativise_points_at_index_files() -> None:
    html = '<a href="/chaowen/essays/a/#x">a</a><link href="/chaowen/static/style.css?v=1"><a href="https://x.org/">'
    out = relativise(html, "/chaowen/", "essays/b/")
    assert 'href="../a/index.html#x"' in out
    assert 'href="../../static/style.css?v=1"' in out
    assert 'href="https://x.org/"' in out
    assert 'href="index.html"' in relativise('<a href="/chaowen/">', "/chaowen/", "")


def test_the_pager_links_a_window_of_pages_not_all_of_them() -> None:
    from chaowen.render import pager_window

    assert pager_window(1, 1) == [1]
    assert pager_window(4, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert pager_window(10, 667) == [1, 0, 8, 9, 10, 11, 12, 0, 667]
    assert pager_window(1, 30) == [1, 2, 3, 0, 30]
    assert pager_window(30, 30) == [1, 0, 28, 29, 30]


def page_text(r: Renderer, path: str) -> str:
    spec = next(p for p in r.site.pages if p.path == path)
    output, problem = r.render(spec)
    assert problem is None, problem
    assert output is not None and output.content is not None
    return output.content.decode()


def test_stats_page_draws_charts_with_tables_and_depends_on_every_document(config: SiteConfig) -> None:
    documents = [
        essay(),
        essay(source="essays/b.md", slug="b", unit="临浦镇", date=datetime(2024, 5, 1, tzinfo=TZ)),
        essay(source="minutes/m.md", kind=Kind.MINUTES, slug="m", track="health", authors=()),
    ]
    r = renderer(config, documents)
    text = page_text(r, "stats/")
    assert {meta_read(s) for s in r.site.documents} <= r.reads  # any front-matter edit renders the numbers again
    assert text.count('<svg class="chart-svg"') == 5  # no issue yet: that chart says so instead
    assert text.count("<table") == 5
    assert "暂无数据。" in text
    assert '<th scope="row">2024年4月</th><td>0</td>' in text  # a month without documents is shown
    assert '<th scope="row">临浦镇</th><td>1</td>' in text
    assert "<script" not in text  # drawn at build time
    assert 'href="/stats/"' in page_text(r, "")  # in the navigation


def test_track_page_shows_its_numbers(config: SiteConfig) -> None:
    documents = [
        essay(unit="临浦镇"),
        essay(source="essays/b.md", slug="b", unit="瓜沥镇", authors=("李华", "王小明")),
        essay(source="minutes/m.md", kind=Kind.MINUTES, slug="m", authors=()),
    ]
    r = renderer(config, documents)
    text = page_text(r, "tracks/iot/")
    for label, value in [("学员心得", 2), ("沙龙纪要", 1), ("作者", 2), ("单位", 2)]:
        assert f'<span class="fig-l">{label}</span> <span class="fig-n">{value}</span>' in text, label
    assert {doc_read(s) for s in r.site.documents} <= r.reads  # its numbers count every document of the track
