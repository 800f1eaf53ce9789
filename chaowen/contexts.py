"""Site model + markup -> the typed context of each page (:mod:`chaowen.views`).

:class:`Contexts` builds, for a :class:`~chaowen.model.PageSpec`, the frozen
context its template receives: one method per kind of page data, chosen by a
``match`` that mypy checks is complete. It reads the site only through a
:func:`chaowen.reads.recording` view, so after each page :attr:`Contexts.reads`
holds everything the page showed: which documents, which keys of which
collections, which config values. Views that are made once and shown on many
pages (a document's :class:`ItemView`, the navigation, the numbers) are memos
that replay their reads on every page that uses them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar, assert_never, cast

from .model import (
    KIND_LABELS,
    ArchivePage,
    AuthorPage,
    AuthorsPage,
    Brief,
    Document,
    DocumentPage,
    FeedPage,
    Heading,
    HomePage,
    IssuePage,
    IssuesPage,
    Kind,
    ListPart,
    Markup,
    PageSpec,
    PlainPage,
    PrintFile,
    Site,
    SitemapPage,
    StandalonePage,
    StatsPage,
    TagPage,
    TagsPage,
    TrackPage,
)
from .pictures import MIME, fallback_src, srcset
from .reads import Recorder, doc_read, recording
from .schema import FIELD_TYPES
from .site import Stats, site_stats, track_tally
from .stats import Numbers, charts, totals
from .urls import list_page_path, with_base
from .views import (
    ArchiveContext,
    AuthorContext,
    AuthorsContext,
    BodyContext,
    Chart,
    Counted,
    DocumentContext,
    FeedContext,
    FeedEntry,
    FeedView,
    Figure,
    HomeContext,
    Html,
    ImageView,
    IssueContext,
    IssuesContext,
    ItemView,
    Link,
    MonthGroup,
    PageContext,
    PageMeta,
    Pager,
    PdfLink,
    SitemapContext,
    SitemapEntry,
    SiteView,
    StatsContext,
    TagContext,
    TagsContext,
    TrackContext,
    TrackGroup,
    TrackNumbers,
    TrackView,
    YearGroup,
)

T = TypeVar("T")
STATIC = "static"  # the read of the static files' URLs


def pager_window(number: int, total: int, around: int = 2) -> list[int]:
    """Page numbers a pager links to, 0 for a gap: all of them would make every page of a
    long track list link to every other (quadratic in size, and unusable on a phone)."""
    shown = sorted({1, total, *range(max(1, number - around), min(total, number + around) + 1)})
    window: list[int] = []
    for n in shown:
        if window and n - window[-1] == 2:
            window.append(n - 1)  # a gap of one page: show the page rather than "…"
        elif window and n - window[-1] > 2:
            window.append(0)
        window.append(n)
    return window


class Contexts:
    """The contexts of the pages of one site; :meth:`begin` starts a page's reads, :meth:`context` builds it."""

    def __init__(
        self,
        site: Site,
        markups: Callable[[str], Markup],
        static: Mapping[str, str],
        briefs: Callable[[str], Brief] | None = None,
        views: Mapping[str, tuple[ItemView, frozenset[str]]] | None = None,
    ) -> None:
        self._recorder = Recorder()
        self.site = recording(site, self._recorder)
        self.config = self.site.config
        self._markup_of = markups
        self._brief_of = briefs or (lambda source: markups(source).brief)
        self._static = static
        # Made once, shown on many pages: each with the reads it made. ``views`` seeds the
        # document views with those of the previous build that are still valid (the dev server).
        self._memos: dict[tuple[str, str], tuple[Any, frozenset[str]]] = {
            ("item", s): (view, reads) for s, (view, reads) in (views or {}).items()
        }
        self.base = self.config.base_path
        self._always = frozenset(self._recorder.reads)  # read above, so by every page

    # ----------------------------------------------------------------- reads
    def begin(self) -> None:
        """Start recording the reads of a new page."""
        self._recorder.reads = set(self._always)

    @property
    def reads(self) -> frozenset[str]:
        """What the page begun last has read so far."""
        return frozenset(self._recorder.reads)

    @property
    def views(self) -> dict[str, tuple[ItemView, frozenset[str]]]:
        """Every document view made so far, with the reads it made."""
        return {key: memo for (kind, key), memo in self._memos.items() if kind == "item"}

    def _memo(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """``make()`` once; its reads are added to every page that uses its value."""
        hit = self._memos.get((kind, key))
        if hit is None:
            outer, self._recorder.reads = self._recorder.reads, set()
            try:
                value = make()
            finally:
                made, self._recorder.reads = self._recorder.reads, outer
            hit = self._memos[(kind, key)] = (value, frozenset(made))
        self._recorder.reads |= hit[1]
        return cast(T, hit[0])

    def _markup(self, source: str) -> Markup:
        self._recorder.read(doc_read(source))
        return self._markup_of(source)

    # ------------------------------------------------------------------ urls
    def url(self, path: str) -> str:
        return with_base(self.base, path)

    def absolute(self, path: str) -> str:
        return self.config.origin + self.url(path)

    # ----------------------------------------------------------------- views
    @property
    def tracks(self) -> dict[str, TrackView]:
        return self._memo("tracks", "", self._make_tracks)

    def _make_tracks(self) -> dict[str, TrackView]:
        return {
            t.key: TrackView(
                t.key,
                t.name,
                t.description,
                self.url(f"tracks/{t.key}/"),
                self.url(f"tracks/{t.key}/atom.xml"),
            )
            for t in self.config.tracks
        }

    @property
    def site_view(self) -> SiteView:
        return self._memo("site", "", self._make_site_view)

    def _make_site_view(self) -> SiteView:
        nav = (
            Link("首页", self.url("")),
            Link("期刊", self.url("issues/")),
            *(Link(t.name, t.url) for t in self.tracks.values()),
            Link("归档", self.url("archive/")),
            Link("数据", self.url("stats/")),
            *(Link(self.site.documents[s].title, self.url(self.site.urls[s])) for s in self.site.standalone[:2]),
        )
        self._recorder.read(STATIC)
        return SiteView(
            title=self.config.title,
            description=self.config.description,
            language=self.config.language,
            base_url=self.config.base_url,
            base_path=self.base,
            origin=self.config.origin,
            home_url=self.url(""),
            issues_url=self.url("issues/"),
            archive_url=self.url("archive/"),
            tags_url=self.url("tags/"),
            authors_url=self.url("authors/"),
            tracks=tuple(self.tracks.values()),
            nav=nav,
            feed_url=self.url("atom.xml"),
            search_url=self.url("search/"),
            stats_url=self.url("stats/"),
            static=self._static,
            author=self.config.author,
            copyright=self.config.copyright,
            relative=self.config.relative_urls,
            extra=self.config.extra,
        )

    def item(self, source: str) -> ItemView:
        return self._memo("item", source, lambda: self._make_item(self.site.documents[source]))

    def items(self, sources: Iterable[str]) -> tuple[ItemView, ...]:
        return tuple(self.item(s) for s in sources)

    def _make_item(self, doc: Document) -> ItemView:
        self._recorder.read(doc_read(doc.source))
        brief = self._brief_of(doc.source)
        issue_link = None
        if doc.issue is not None and doc.issue in self.site.issue_sources:
            issue_doc = self.site.documents[self.site.issue_sources[doc.issue]]
            issue_link = Link(f"第{doc.issue}期 {issue_doc.title}", self.url(self.site.urls[issue_doc.source]))
        return ItemView(
            source=doc.source,
            kind=doc.kind.value,
            kind_label=KIND_LABELS[doc.kind],
            title=doc.title,
            url=self.url(self.site.urls[doc.source]),
            date=doc.date,
            date_iso=doc.date.isoformat() if doc.date else "",
            date_text=f"{doc.date.year}年{doc.date.month}月{doc.date.day}日" if doc.date else "",
            summary=doc.summary or brief.summary,
            track=self.tracks.get(doc.track) if doc.track else None,
            authors=tuple(
                Link(a, self.url(f"authors/{self.site.author_slugs[a]}/"))
                for a in doc.authors
                if a in self.site.author_slugs
            ),
            unit=doc.unit,
            tags=tuple(
                Link(t, self.url(f"tags/{self.site.tag_slugs[t]}/")) for t in doc.tags if t in self.site.tag_slugs
            ),
            issue=issue_link,
            number=doc.number,
            number_text=f"第{doc.number}期" if doc.number is not None else "",
            host=doc.host,
            venue=doc.venue,
            participants=doc.participants,
            chars=brief.chars,
            minutes=brief.minutes,
            extra=doc.extra,
            more=MappingProxyType({name: self._shown(name, value) for name, value in doc.more.items()}),
            pdf=self._pdf(doc),
        )

    def _volumes(self) -> tuple[PdfLink, ...]:
        """The bound volumes of the print edition (chaowen.printing), newest year first."""
        volumes = self.site.volumes
        return tuple(_pdf_link(self.url(v.path), v, f"{year}年合订本") for year, v in sorted(volumes.items())[::-1])

    def _pdf(self, doc: Document) -> PdfLink | None:
        """The print edition of a journal issue (chaowen.printing), if the build made one."""
        if doc.kind is not Kind.ISSUE or doc.number is None:
            return None
        edition = self.site.prints.get(doc.number)
        if edition is None:
            return None
        return _pdf_link(self.url(edition.path), edition)

    def _shown(self, name: str, value: Any) -> Any:
        """A table-only field's value as templates show it: by its declared type (an image: its URL)."""
        if FIELD_TYPES[name] == "image":
            picture = self.site.images.get(value)
            if picture is not None:
                return ImageView(
                    url=self.url(fallback_src(picture)),
                    srcset=srcset(picture, picture.fallback, self.base),
                    sources=tuple((MIME[f], srcset(picture, f, self.base)) for f in picture.formats),
                    width=picture.width,
                    height=picture.height,
                )
            return self.url(self.site.urls.get(value, value))
        return value

    def meta(
        self,
        spec: PageSpec,
        kind: str,
        title: str,
        description: str = "",
        og_type: str = "website",
        breadcrumbs: tuple[Link, ...] = (),
    ) -> PageMeta:
        return PageMeta(
            kind=kind,
            path=spec.path,
            url=self.url(spec.path),
            canonical=self.absolute(spec.path),
            title=title,
            description=description or self.config.description,
            og_type=og_type,
            breadcrumbs=breadcrumbs,
        )

    # ------------------------------------------------------------- contexts
    def context(self, spec: PageSpec) -> PageContext:
        """The template context of ``spec``: each kind of page data has its own builder."""
        data = spec.data
        match data:
            case HomePage():
                return self._home(spec)
            case IssuesPage():
                meta = self.meta(spec, "issues", "期刊")
                return IssuesContext(self.site_view, meta, self.items(self.site.issues), self._volumes())
            case TagsPage():
                tags = self._counted(self.site.by_tag, self.site.tag_slugs, "tags")
                return TagsContext(self.site_view, self.meta(spec, "tags", "标签"), tags)
            case AuthorsPage():
                authors = self._counted(self.site.by_author, self.site.author_slugs, "authors")
                return AuthorsContext(self.site_view, self.meta(spec, "authors", "作者"), authors)
            case StatsPage():
                description = f"{self.config.title}的篇数、赛道、作者、单位与标签统计图。"
                page = self.meta(spec, "stats", "数据", description)
                return StatsContext(self.site_view, page, self._totals(), self._charts())
            case SitemapPage() as sitemap:
                return self._sitemap(spec, sitemap)
            case PlainPage(kind=kind):
                titles = {"search": "搜索", "404": "页面不存在", "robots": "robots.txt"}
                return PageContext(self.site_view, self.meta(spec, kind, titles.get(kind, kind)))
            case IssuePage(source=source):
                return self._issue(spec, source)
            case DocumentPage(source=source):
                return self._document(spec, source)
            case StandalonePage(source=source):
                doc = self.item(source)
                page = self.meta(spec, "page", doc.title, doc.summary)
                return BodyContext(self.site_view, page, doc, *self._body(source))
            case ArchivePage(year=year):
                return self._archive(spec, year)
            case TrackPage():
                return self._track(spec, data)
            case TagPage():
                return self._tag(spec, data)
            case AuthorPage():
                return self._author(spec, data)
            case FeedPage():
                return self._feed(spec, data)
            case _:
                assert_never(data)

    def _home(self, spec: PageSpec) -> HomeContext:
        latest = self.item(self.site.issues[0]) if self.site.issues else None
        latest_members: tuple[str, ...] = ()
        if latest is not None and latest.number is not None:
            latest_members = self.site.by_issue.get(latest.number, ())

        def kinds(kind: Kind, count: int) -> tuple[str, ...]:
            return tuple(itertools.islice((s for s in self.site.items if self.site.documents[s].kind is kind), count))

        return HomeContext(
            site=self.site_view,
            page=self.meta(spec, "home", self.config.title),
            latest_issue=latest,
            latest_issue_items=self.items(latest_members),
            latest_issue_groups=self._groups(latest_members),
            latest_essays=self.items(kinds(Kind.ESSAY, 8)),
            latest_minutes=self.items(kinds(Kind.MINUTES, 5)),
            tracks=tuple(self.tracks.values()),
            track_numbers=tuple(self._track_numbers(key, latest=3) for key in self.tracks),
            totals=self._totals(),
        )

    # ------------------------------------------------------------- numbers
    @property
    def stats(self) -> Stats:
        return self._memo("stats", "", lambda: site_stats(self.site))

    def _track_numbers(self, key: str, latest: int = 0) -> TrackNumbers:
        """A track's figures: once per build (each of a track's hundreds of pages shows them)."""
        return self._memo("track_numbers", f"{key} {latest}", lambda: self._make_track_numbers(key, latest))

    def _make_track_numbers(self, key: str, latest: int) -> TrackNumbers:
        sources = self.site.by_track.get(key, ())
        tally = track_tally(self.site, key)
        shown = tuple(s for s in sources if self.site.documents[s].kind is not Kind.ISSUE)[:latest]
        return TrackNumbers(
            self.tracks[key], len(sources), tally.essays, tally.minutes, tally.authors, tally.units, self.items(shown)
        )

    def _totals(self) -> tuple[Figure, ...]:
        return totals(self.stats, self.url)

    def _charts(self) -> tuple[Chart, ...]:
        return charts(Numbers(self.site, self.stats, self.tracks, self.url))

    def _groups(self, members: tuple[str, ...]) -> tuple[TrackGroup, ...]:
        """Documents of an issue by track, in the order of chaowen.yaml; those without a track last."""
        groups: list[TrackGroup] = []
        for track in self.tracks.values():
            chosen = tuple(s for s in members if self.site.documents[s].track == track.key)
            if chosen:
                groups.append(TrackGroup(track, self.items(chosen)))
        loose = tuple(s for s in members if self.site.documents[s].track is None)
        if loose:
            groups.append(TrackGroup(None, self.items(loose)))
        return tuple(groups)

    def _body(self, source: str) -> tuple[Html, tuple[Heading, ...]]:
        markup = self._markup(source)
        return Html(markup.html), markup.toc

    def _neighbours(self, source: str) -> tuple[ItemView | None, ItemView | None]:
        previous, following = self.site.neighbours.get(source, (None, None))
        return (self.item(previous) if previous else None, self.item(following) if following else None)

    def _issue(self, spec: PageSpec, source: str) -> IssueContext:
        doc = self.item(source)
        content, toc = self._body(source)
        groups = self._groups(self.site.by_issue.get(doc.number or 0, ()))
        crumbs = (Link("期刊", self.url("issues/")),)
        page = self.meta(spec, "issue", f"{doc.number_text} {doc.title}", doc.summary, "article", crumbs)
        return IssueContext(self.site_view, page, doc, content, toc, groups, *self._neighbours(source))

    def _document(self, spec: PageSpec, source: str) -> DocumentContext:
        doc = self.item(source)
        content, toc = self._body(source)
        crumbs = (Link(doc.track.name, doc.track.url),) if doc.track else ()
        page = self.meta(spec, doc.kind, doc.title, doc.summary, "article", crumbs)
        previous, following = self._neighbours(source)
        related = self.items(self.site.related.get(source, ()))
        return DocumentContext(self.site_view, page, doc, content, toc, previous, following, related)

    def _pager(self, part: ListPart, first: str) -> Pager:
        """The pager of page ``part.number`` of a list whose first page is ``first``."""
        number, total = part.number, part.total
        return Pager(
            number=number,
            total=total,
            prev_url=self.url(list_page_path(first, number - 1)) if number > 1 else "",
            next_url=self.url(list_page_path(first, number + 1)) if number < total else "",
            pages=tuple(
                Link(str(n), self.url(list_page_path(first, n))) if n else Link("…", "")
                for n in pager_window(number, total)
            ),
        )

    @staticmethod
    def _paged_title(title: str, part: ListPart) -> str:
        number = part.number
        return title if number == 1 else f"{title}（第{number}页）"

    def _track(self, spec: PageSpec, data: TrackPage) -> TrackContext:
        track, part = self.tracks[data.track], data.part
        page = self.meta(spec, "track", self._paged_title(track.name, part), track.description, breadcrumbs=())
        numbers = self._track_numbers(track.key)
        return TrackContext(
            self.site_view, page, track, numbers, self.items(part.items), self._pager(part, f"tracks/{track.key}/")
        )

    def _archive(self, spec: PageSpec, chosen: int | None) -> ArchiveContext:
        by_year: dict[int, dict[int, list[str]]] = {}
        for source in self.site.items:
            date = self.site.documents[source].date
            if date is not None:
                by_year.setdefault(date.year, {}).setdefault(date.month, []).append(source)

        def group(year: int, with_items: bool) -> YearGroup:
            months = tuple(
                MonthGroup(m, f"{m}月", len(by_year[year][m]), self.items(by_year[year][m]) if with_items else ())
                for m in sorted(by_year[year], reverse=True)
            )
            count = sum(g.count for g in months)
            return YearGroup(year, f"{year}年", count, self.url(f"archive/{year}/"), months)

        years = tuple(group(y, False) for y in sorted(by_year, reverse=True))
        title = "归档" if chosen is None else f"{chosen}年归档"
        crumbs = () if chosen is None else (Link("归档", self.url("archive/")),)
        newest = max(by_year, default=None)
        return ArchiveContext(
            self.site_view,
            self.meta(spec, "archive", title, breadcrumbs=crumbs),
            years=years,
            year=group(chosen, True) if chosen is not None and chosen in by_year else None,
            latest=group(newest, True) if chosen is None and newest is not None else None,
        )

    def _counted(
        self, groups: Mapping[str, tuple[str, ...]], slugs: Mapping[str, str], folder: str
    ) -> tuple[Counted, ...]:
        ordered = sorted(groups, key=lambda name: (-len(groups[name]), slugs[name]))
        return tuple(Counted(n, self.url(f"{folder}/{slugs[n]}/"), len(groups[n])) for n in ordered)

    def _tag(self, spec: PageSpec, data: TagPage) -> TagContext:
        tag, part = data.tag, data.part
        first = f"tags/{self.site.tag_slugs[tag]}/"
        crumbs = (Link("标签", self.url("tags/")),)
        page = self.meta(spec, "tag", self._paged_title(f"标签：{tag}", part), breadcrumbs=crumbs)
        counted = Counted(tag, self.url(first), part.count)
        return TagContext(self.site_view, page, counted, self.items(part.items), self._pager(part, first))

    def _author(self, spec: PageSpec, data: AuthorPage) -> AuthorContext:
        author, part = data.author, data.part
        first = f"authors/{self.site.author_slugs[author]}/"
        crumbs = (Link("作者", self.url("authors/")),)
        page = self.meta(spec, "author", self._paged_title(f"作者：{author}", part), breadcrumbs=crumbs)
        counted = Counted(author, self.url(first), part.count)
        items = self.items(part.items)
        return AuthorContext(self.site_view, page, counted, data.units, items, self._pager(part, first))

    def _feed(self, spec: PageSpec, data: FeedPage) -> FeedContext:
        track_key, sources = data.track, data.items
        track = self.tracks[track_key] if track_key else None
        entries = []
        for source in sources:
            item = self.item(source)
            markup = self._markup(source)
            entries.append(FeedEntry(item, Html(markup.html if markup else ""), item.date_iso))
        alternate = f"tracks/{track_key}/" if track_key else ""
        updated = max((e.updated for e in entries), default="1970-01-01T00:00:00+00:00")
        feed = FeedView(
            title=f"{self.config.title} · {track.name}" if track else self.config.title,
            subtitle=track.description if track else self.config.description,
            id=self.absolute(spec.path),
            alternate=self.absolute(alternate),
            updated=updated,
            entries=tuple(entries),
        )
        return FeedContext(self.site_view, self.meta(spec, "feed", feed.title), feed)

    def _sitemap(self, spec: PageSpec, page: SitemapPage) -> SitemapContext:
        entries = []
        for path, source in page.entries:
            if path == "search/":
                continue
            date = self.site.documents[source].date if source else None
            entries.append(SitemapEntry(self.absolute(path), date.date().isoformat() if date else ""))
        return SitemapContext(self.site_view, self.meta(spec, "sitemap", "sitemap"), tuple(entries))


def _pdf_link(url: str, pdf: PrintFile, title: str = "") -> PdfLink:
    size = pdf.size
    text = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"
    return PdfLink(url, pdf.name, size, text, title)
