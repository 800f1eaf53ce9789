"""Pieces of the pipeline in build.py that are pure functions of the site model."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from chaowen.build import search_shards
from chaowen.model import Document, Kind, SiteConfig
from chaowen.search import UNDATED
from chaowen.site import build_site
from tests.conftest import NOW

TZ = ZoneInfo("Asia/Shanghai")


def doc(source: str, kind: Kind, when: datetime | None, **fields: object) -> Document:
    slug = source.rsplit("/", 1)[-1].removesuffix(".md")
    return Document(source=source, kind=kind, title=source, date=when, slug=slug, body="", **fields)  # type: ignore[arg-type]


def test_each_document_page_goes_to_the_shard_of_its_year(config: SiteConfig) -> None:
    documents = [
        doc("issues/1.md", Kind.ISSUE, datetime(2024, 12, 31, 23, 30, tzinfo=TZ), number=1),
        doc("essays/a.md", Kind.ESSAY, datetime(2025, 1, 1, 0, 10, tzinfo=TZ), track="iot", issue=1),
        doc("essays/b.md", Kind.ESSAY, datetime(2026, 6, 1, tzinfo=TZ), track="iot", tags=("产业链",)),
        doc("minutes/m.md", Kind.MINUTES, datetime(2025, 7, 7, tzinfo=TZ), track="health"),
        doc("pages/about.md", Kind.PAGE, None),
        doc("pages/submit.md", Kind.PAGE, datetime(2025, 6, 30, tzinfo=TZ)),  # shows no date: undated all the same
    ]
    site, problems = build_site(config, documents, [], now=NOW)
    assert problems == []
    assert search_shards(site) == {
        "issues/1/index.html": "2024",
        "essays/a/index.html": "2025",
        "minutes/m/index.html": "2025",
        "essays/b/index.html": "2026",
        "about/index.html": UNDATED,
        "submit/index.html": UNDATED,
    }  # listing pages (tracks, tags, the home page) show no one document: the search stage decides those
