"""The template context: plain, frozen data that templates receive.

Every template gets ``site`` (:class:`SiteView`) and ``page`` (:class:`PageMeta`)
plus the variables its page kind adds (the context classes below). Templates
never call back into chaowen; everything they show is here already, with URLs
complete (they include the site's base path, e.g. ``/chaowen/essays/foo/``).

Each template's variables are the fields of its context class below
(:class:`PageContext` and a subclass per template: ``home.html`` gets a
:class:`HomeContext`, ``document.html`` a :class:`DocumentContext` …); the renderer
builds one per page and :func:`namespace` turns it into Jinja's variables, field by
field. ``search.html``, ``404.html`` and ``robots.txt`` get a plain :class:`PageContext`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from markupsafe import Markup as Html

from .model import Heading, empty


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class TrackView:
    key: str
    name: str
    description: str
    url: str
    feed_url: str
    # No count here: every page's navigation shows the tracks, and a count would make
    # every page depend on every track's list (adding an essay re-rendered the whole
    # site). The count is in TrackNumbers, which only the pages that show it read.


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    base_url: str  # absolute: https://example.org/chaowen/
    base_path: str  # /chaowen/
    origin: str  # https://example.org — base_url without its path; "" when base_url is a bare path
    home_url: str  # same as base_path
    issues_url: str
    archive_url: str
    tags_url: str
    authors_url: str
    tracks: tuple[TrackView, ...]
    nav: tuple[Link, ...]  # main navigation
    feed_url: str
    search_url: str
    stats_url: str
    static: Mapping[str, str]  # static file name -> URL with a content hash, e.g. static["style.css"]
    author: str
    copyright: str
    relative: bool  # built for file:// browsing (search cannot work there)
    extra: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What ``<head>`` needs for any page."""

    kind: str  # home, issue, issues, essay, minutes, page, track, archive, tags, tag, authors, author, search, 404
    path: str  # site-relative path, e.g. essays/foo/
    url: str  # with base path
    canonical: str  # absolute URL
    title: str  # for <title>, without the site title
    description: str
    og_type: str  # "article" or "website"
    breadcrumbs: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class ImageView:
    """A processed image as a template shows it (``partials/picture.html``); as text, its URL."""

    url: str  # the fallback variant a browser without srcset shows
    srcset: str  # the fallback's widths
    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset) of each modern format, best first
    width: int
    height: int

    def __str__(self) -> str:
        return self.url


@dataclass(frozen=True, slots=True)
class PdfLink:
    """A journal issue's print edition, as pages offer it for download."""

    url: str
    name: str  # the name it is saved under: 潮闻第3期.pdf
    size: int  # bytes
    size_text: str  # 1.2 MB, 850 KB
    title: str = ""  # a bound volume's: 2026年合订本


@dataclass(frozen=True, slots=True)
class ItemView:
    """A document as shown in lists and on its own page."""

    source: str
    kind: str  # issue, minutes, essay, page
    kind_label: str  # 期刊, 沙龙纪要, 学员心得, 页面
    title: str
    url: str
    date: datetime | None
    date_iso: str  # 2024-03-05T00:00:00+08:00, "" without a date
    date_text: str  # 2024年3月5日
    summary: str
    track: TrackView | None
    authors: tuple[Link, ...]
    unit: str
    tags: tuple[Link, ...]
    issue: Link | None  # the journal issue an essay or minutes appeared in
    number: int | None  # for journal issues
    number_text: str  # 第3期, "" when not an issue
    host: str
    venue: str
    participants: tuple[str, ...]
    chars: int
    minutes: int
    extra: Mapping[str, Any] = field(default_factory=empty)
    # The fields declared only in the field table (Document.more), as templates show them: an image as its URL
    # (an ImageView, whose text is its URL, when chaowen processed it).
    # A template reads them like the others (``doc.cover``); ``is defined`` tells whether the document gave one.
    more: Mapping[str, Any] = field(default_factory=empty)
    pdf: PdfLink | None = None  # a journal issue's print edition, when the site makes one

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "more":  # not set yet (copying, unpickling): no lookup
            raise AttributeError(name)
        try:
            return self.more[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True, slots=True)
class TrackGroup:
    track: TrackView | None  # None: items without a track
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class Pager:
    number: int  # 1-based
    total: int
    prev_url: str  # "" on the first page
    next_url: str  # "" on the last page
    # a window of page links: the first, the last and two either side of this one;
    # a Link with an empty url stands for the numbers left out ("…")
    pages: tuple[Link, ...]  # title is the page number as text


@dataclass(frozen=True, slots=True)
class MonthGroup:
    month: int
    label: str  # 3月
    count: int
    items: tuple[ItemView, ...]  # empty on the archive's overview page


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int
    label: str  # 2024年
    count: int
    url: str  # the year's archive page
    months: tuple[MonthGroup, ...]


@dataclass(frozen=True, slots=True)
class Counted:
    name: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class TrackNumbers:
    """A track in numbers, for its page and the front page."""

    track: TrackView
    count: int  # its documents: issues, essays and minutes
    essays: int
    minutes: int
    authors: int  # distinct authors of its essays
    units: int  # distinct work units of its essays
    latest: tuple[ItemView, ...] = ()  # its newest essays and minutes (front page only)


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline number: 学员心得 42 篇."""

    label: str
    value: int
    unit: str  # 篇, 期, 位, 个
    url: str = ""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart; ``share`` is its value over the chart's largest, from 0 to 1."""

    label: str  # full label, for the table: 2025年6月, 第2期 产业链上的“链长”思维
    value: int
    share: float
    url: str = ""
    tick: str = ""  # the short axis label of a column chart ("6月"), "" to leave it out
    note: str = ""  # shown after the value: 心得 8 · 纪要 3


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart drawn at build time as SVG, with the same numbers as a table for screen readers.

    ``shape`` is "bars" (horizontal, one row per label) or "columns" (vertical, over time).
    """

    id: str  # HTML id, e.g. cw-chart-month
    title: str
    unit: str  # 篇
    label_header: str  # the table's first column: 期号, 赛道, 月份 …
    shape: str
    bars: tuple[Bar, ...]
    note: str = ""  # e.g. 只列出最多的 10 位


@dataclass(frozen=True, slots=True)
class FeedEntry:
    item: ItemView
    content: Html
    updated: str  # RFC 3339


@dataclass(frozen=True, slots=True)
class FeedView:
    title: str
    subtitle: str
    id: str  # absolute URL of the feed
    alternate: str  # absolute URL of the HTML page it follows
    updated: str  # RFC 3339, newest entry's date (never the build time)
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str  # absolute URL
    lastmod: str  # YYYY-MM-DD, "" when unknown


# ----------------------------------------------------------------- contexts
@dataclass(frozen=True, slots=True)
class PageContext:
    """What every template receives; ``search.html``, ``404.html`` and ``robots.txt`` get nothing more."""

    site: SiteView
    page: PageMeta


@dataclass(frozen=True, slots=True)
class HomeContext(PageContext):
    """home.html"""

    latest_issue: ItemView | None
    latest_issue_items: tuple[ItemView, ...]
    latest_issue_groups: tuple[TrackGroup, ...]  # the latest issue's items by track
    latest_essays: tuple[ItemView, ...]
    latest_minutes: tuple[ItemView, ...]
    tracks: tuple[TrackView, ...]
    track_numbers: tuple[TrackNumbers, ...]  # with each track's latest items
    totals: tuple[Figure, ...]  # the journal in a few numbers


@dataclass(frozen=True, slots=True)
class BodyContext(PageContext):
    """page.html (standalone pages); the base of the pages that show a document's body."""

    doc: ItemView
    content: Html
    toc: tuple[Heading, ...]


@dataclass(frozen=True, slots=True)
class IssueContext(BodyContext):
    """issue.html"""

    groups: tuple[TrackGroup, ...]
    prev: ItemView | None
    next: ItemView | None


@dataclass(frozen=True, slots=True)
class DocumentContext(BodyContext):
    """document.html (essays, minutes)"""

    prev: ItemView | None
    next: ItemView | None
    related: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class IssuesContext(PageContext):
    """issues.html"""

    issues: tuple[ItemView, ...]
    volumes: tuple[PdfLink, ...] = ()  # the bound volumes of the print edition, newest year first


@dataclass(frozen=True, slots=True)
class TrackContext(PageContext):
    """track.html"""

    track: TrackView
    numbers: TrackNumbers  # latest empty
    items: tuple[ItemView, ...]
    pager: Pager


@dataclass(frozen=True, slots=True)
class ArchiveContext(PageContext):
    """archive.html"""

    years: tuple[YearGroup, ...]  # every year, months without items
    year: YearGroup | None  # on /archive/<year>/: that year, months with their items; None on /archive/
    latest: YearGroup | None  # on /archive/: the newest year with its items; None on a year's page


@dataclass(frozen=True, slots=True)
class TagsContext(PageContext):
    """tags.html"""

    tags: tuple[Counted, ...]


@dataclass(frozen=True, slots=True)
class TagContext(PageContext):
    """tag.html"""

    tag: Counted
    items: tuple[ItemView, ...]  # this page's
    pager: Pager


@dataclass(frozen=True, slots=True)
class AuthorsContext(PageContext):
    """authors.html"""

    authors: tuple[Counted, ...]


@dataclass(frozen=True, slots=True)
class AuthorContext(PageContext):
    """author.html"""

    author: Counted
    units: tuple[str, ...]
    items: tuple[ItemView, ...]
    pager: Pager


@dataclass(frozen=True, slots=True)
class StatsContext(PageContext):
    """stats.html"""

    totals: tuple[Figure, ...]
    charts: tuple[Chart, ...]


@dataclass(frozen=True, slots=True)
class FeedContext(PageContext):
    """atom.xml"""

    feed: FeedView


@dataclass(frozen=True, slots=True)
class SitemapContext(PageContext):
    """sitemap.xml"""

    entries: tuple[SitemapEntry, ...]


def namespace(context: PageContext) -> dict[str, object]:
    """A context as Jinja's variables: one per field, by the field's name."""
    return {f.name: getattr(context, f.name) for f in fields(context)}


__all__ = [
    "ArchiveContext",
    "AuthorContext",
    "AuthorsContext",
    "Bar",
    "BodyContext",
    "Chart",
    "Counted",
    "DocumentContext",
    "FeedContext",
    "FeedEntry",
    "FeedView",
    "Figure",
    "Heading",
    "HomeContext",
    "Html",
    "IssueContext",
    "IssuesContext",
    "ItemView",
    "Link",
    "MonthGroup",
    "PageContext",
    "PageMeta",
    "Pager",
    "SiteView",
    "SitemapContext",
    "SitemapEntry",
    "StatsContext",
    "TagContext",
    "TagsContext",
    "TrackContext",
    "TrackGroup",
    "TrackNumbers",
    "TrackView",
    "YearGroup",
    "namespace",
]
