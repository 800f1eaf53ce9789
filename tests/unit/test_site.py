from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from chaowen.model import Asset, Document, Kind, SiteConfig
from chaowen.site import TrackTally, build_site, site_stats
from tests.conftest import NOW

TZ = ZoneInfo("Asia/Shanghai")


def doc(source: str, kind: Kind, day: int, **fields: object) -> Document:
    values: dict[str, object] = {
        "title": source,
        "date": datetime(2024, 3, day, tzinfo=TZ),
        "slug": source.rsplit("/", 1)[-1].removesuffix(".md"),
        "body": "",
    }
    values.update(fields)
    return Document(source=source, kind=kind, **values)  # type: ignore[arg-type]


def sample() -> list[Document]:
    return [
        doc("issues/1.md", Kind.ISSUE, 1, number=1),
        doc("issues/2.md", Kind.ISSUE, 20, number=2),
        doc("essays/a.md", Kind.ESSAY, 2, track="iot", issue=1, authors=("王小明",), tags=("产业链",)),
        doc("essays/b.md", Kind.ESSAY, 5, track="iot", issue=2, authors=("王小明",), tags=("产业链", "招商")),
        doc("essays/c.md", Kind.ESSAY, 6, track="health", issue=2, authors=("李华",)),
        doc("minutes/m.md", Kind.MINUTES, 7, track="iot", issue=2),
        doc("pages/about.md", Kind.PAGE, 1, date=None),
    ]


def test_urls_and_collections(config: SiteConfig) -> None:
    site, problems = build_site(
        config, sample(), [Asset("images/a.png", config.root / "content/images/a.png")], now=NOW
    )
    assert problems == []
    assert site.urls["essays/a.md"] == "essays/a/"
    assert site.urls["issues/2.md"] == "issues/2/"
    assert site.urls["pages/about.md"] == "about/"
    assert site.urls["images/a.png"] == "images/a.png"
    assert site.issues == ("issues/2.md", "issues/1.md")
    assert site.by_track["iot"] == ("minutes/m.md", "essays/b.md", "essays/a.md")
    assert site.by_issue[2] == ("minutes/m.md", "essays/c.md", "essays/b.md")
    assert site.by_author["王小明"] == ("essays/b.md", "essays/a.md")
    assert site.by_tag["产业链"] == ("essays/b.md", "essays/a.md")
    assert site.neighbours["essays/b.md"] == ("essays/a.md", "essays/c.md")
    assert site.neighbours["issues/1.md"] == (None, "issues/2.md")
    assert site.related["essays/a.md"][0] == "essays/b.md"
    paths = {p.path for p in site.pages}
    for expected in [
        "",
        "issues/",
        "issues/1/",
        "essays/a/",
        "minutes/m/",
        "about/",
        "tracks/iot/",
        "tracks/materials/",
        "tracks/iot/atom.xml",
        "archive/",
        "tags/",
        "authors/",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "search/",
        "stats/",
    ]:
        assert expected in paths, expected


def test_pagination(config: SiteConfig) -> None:
    many = [doc(f"essays/e{i}.md", Kind.ESSAY, 1 + i % 28, track="iot", authors=("甲",)) for i in range(23)]
    site, _ = build_site(replace(config, per_page=10), many, [], now=NOW)
    track_pages = sorted(p.path for p in site.pages if p.template == "track.html" and "iot" in p.path)
    assert track_pages == ["tracks/iot/", "tracks/iot/page/2/", "tracks/iot/page/3/"]


def test_drafts_and_future_documents_are_left_out(config: SiteConfig) -> None:
    docs = sample() + [
        doc("essays/d.md", Kind.ESSAY, 9, track="iot", draft=True, authors=("甲",)),
        replace(doc("essays/f.md", Kind.ESSAY, 9, track="iot", authors=("甲",)), date=datetime(2030, 1, 1, tzinfo=TZ)),
    ]
    site, _ = build_site(config, docs, [], now=NOW)
    assert "essays/d.md" not in site.documents and "essays/f.md" not in site.documents
    with_drafts, _ = build_site(config, docs, [], now=NOW, drafts=True)
    assert "essays/d.md" in with_drafts.documents and "essays/f.md" in with_drafts.documents


def test_today_in_shanghai_is_published_while_utc_is_still_yesterday(config: SiteConfig) -> None:
    utc_evening = datetime(2024, 3, 4, 17, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 on 5 March in Shanghai
    site, _ = build_site(config, [doc("essays/t.md", Kind.ESSAY, 5, track="iot", authors=("甲",))], [], now=utc_evening)
    assert "essays/t.md" in site.documents


def test_duplicate_number_url_and_missing_issue(config: SiteConfig) -> None:
    docs = sample() + [
        doc("issues/1b.md", Kind.ISSUE, 2, number=1),
        doc("essays/x/a.md", Kind.ESSAY, 3, track="iot", authors=("甲",)),
        doc("essays/z.md", Kind.ESSAY, 3, track="iot", issue=9, authors=("甲",)),
    ]
    _, problems = build_site(config, docs, [], now=NOW)
    text = "\n".join(p.format() for p in problems)
    assert "content/issues/1b.md" in text and "content/issues/1.md" in text
    assert "/essays/a/" in text and "content/essays/x/a.md" in text
    assert "content/essays/z.md" in text and "第9期不存在" in text


def test_related_ranking_equals_counting_every_shared_tag() -> None:
    """The merged walk that stops early ranks exactly as counting all shared tags would."""
    import random
    from collections import Counter

    from chaowen.site import RELATED_SIZE, _most_shared

    rng = random.Random(7)
    for _ in range(300):
        docs = [f"d{i}" for i in range(rng.randint(1, 60))]
        tags = {d: rng.sample("abcdefg", rng.randint(0, 4)) for d in docs}
        position = {d: i for i, d in enumerate(docs)}
        members = {t: [d for d in docs if t in tags[d]] for t in "abcdefg"}
        source = rng.choice(docs)
        shared: Counter[str] = Counter()
        for tag in tags[source]:
            shared.update(other for other in members[tag] if other != source)
        expected = sorted(shared, key=lambda s: (-shared[s], position[s]))[:RELATED_SIZE]
        assert _most_shared(source, [members[t] for t in tags[source]], position) == expected


def test_stats_count_the_published_journal(config: SiteConfig) -> None:
    documents = [
        *sample(),
        doc(
            "essays/d.md",
            Kind.ESSAY,
            9,
            date=datetime(2024, 6, 1, tzinfo=TZ),
            track="iot",
            unit="临浦镇",
            authors=("赵六",),
        ),
        doc("essays/e.md", Kind.ESSAY, 9, track="iot", unit="临浦镇", authors=("王小明",), issue=2),
        doc("essays/draft.md", Kind.ESSAY, 9, track="iot", unit="区科技局", authors=("草稿",), draft=True),
    ]
    site, problems = build_site(config, documents, [], now=NOW)
    assert problems == []
    stats = site_stats(site)
    assert (stats.issues, stats.essays, stats.minutes) == (2, 5, 1)
    assert (stats.authors, stats.units, stats.tags) == (3, 1, 2)
    assert stats.per_issue == ((1, 1), (2, 4))
    assert stats.per_track == (
        ("iot", TrackTally(essays=4, minutes=1, authors=2, units=1)),
        ("health", TrackTally(essays=1, minutes=0, authors=1, units=0)),
        ("materials", TrackTally()),
    )
    # every month from the first to the last, the empty ones included
    assert stats.per_month == ((2024, 3, 7), (2024, 4, 0), (2024, 5, 0), (2024, 6, 1))
    assert stats.per_unit == (("临浦镇", 2),)
    assert stats.per_author == (("王小明", 3), ("李华", 1), ("赵六", 1))
    assert stats.per_tag == (("产业链", 2), ("招商", 1))


def test_stats_of_an_empty_journal(config: SiteConfig) -> None:
    site, _ = build_site(config, [], [], now=NOW)
    stats = site_stats(site)
    assert stats.per_month == () and stats.per_issue == () and stats.essays == 0
    assert [tally for _, tally in stats.per_track] == [TrackTally()] * 3


def test_a_document_may_not_take_the_stats_page(config: SiteConfig) -> None:
    site, problems = build_site(config, [doc("pages/stats.md", Kind.PAGE, 1, date=None)], [], now=NOW)
    assert [p.path for p in problems] == ["content/pages/stats.md"]
