"""Site + Markup -> Outputs, through the theme's Jinja templates.

The templates receive the plain data of :mod:`chaowen.views` — built here from
the site model and each document's markup — never chaowen objects with
behaviour. Jinja runs with StrictUndefined and autoescape (the environment of
:mod:`chaowen.theme`), so a typo in a template and a ``<script>`` in a title are
both caught. Template problems come back as :class:`Problem` values naming the
template file and line.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, assert_never

import jinja2

from . import messages
from .errors import Problem
from .model import (
    KIND_LABELS,
    ArchivePage,
    AuthorPage,
    AuthorsPage,
    Brief,
    Document,
    DocumentPage,
    FeedPage,
    HomePage,
    IssuePage,
    IssuesPage,
    Kind,
    ListPart,
    Markup,
    Output,
    PageSpec,
    PlainPage,
    Site,
    SitemapPage,
    StandalonePage,
    StatsPage,
    TagPage,
    TagsPage,
    TrackPage,
)
from .schema import FIELD_TYPES
from .site import Stats, site_stats, track_tally
from .urls import list_page_path, output_file, with_base
from .views import (
    Bar,
    Chart,
    Counted,
    FeedEntry,
    FeedView,
    Figure,
    Html,
    ItemView,
    Link,
    MonthGroup,
    PageMeta,
    Pager,
    SitemapEntry,
    SiteView,
    TrackGroup,
    TrackNumbers,
    TrackView,
    YearGroup,
)


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


class Renderer:
    """Renders pages of one site. Built once per build; :meth:`render` is called per page."""

    def __init__(
        self,
        site: Site,
        markups: Callable[[str], Markup],
        env: jinja2.Environment,
        static: Mapping[str, str],
        briefs: Callable[[str], Brief] | None = None,
        views: Mapping[str, tuple[ItemView, frozenset[str]]] | None = None,
    ) -> None:
        self.site = site
        self.config = site.config
        self._markup_of = markups
        self._brief_of = briefs or (lambda source: markups(source).brief)
        self.env = env
        self.static = static
        self.base = self.config.base_path
        # Views of documents, and the documents each view read; ``views`` seeds them with
        # views from the previous build that are still valid (the dev server).
        self._items: dict[str, ItemView] = {s: v for s, (v, _) in (views or {}).items()}
        self._item_deps: dict[str, frozenset[str]] = {s: d for s, (_, d) in (views or {}).items()}
        self._touched: set[str] = set()  # documents read while rendering the current page

    def _markup(self, source: str) -> Markup:
        self._touched.add(source)
        return self._markup_of(source)

    def _doc(self, source: str) -> Document:
        self._touched.add(source)
        return self.site.documents[source]

    # ------------------------------------------------------------------ urls
    def url(self, path: str) -> str:
        return with_base(self.base, path)

    def absolute(self, path: str) -> str:
        return self.config.origin + self.url(path)

    # ----------------------------------------------------------------- views
    @cached_property
    def tracks(self) -> dict[str, TrackView]:
        return {
            t.key: TrackView(
                t.key,
                t.name,
                t.description,
                self.url(f"tracks/{t.key}/"),
                self.url(f"tracks/{t.key}/atom.xml"),
                len(self.site.by_track.get(t.key, ())),
            )
            for t in self.config.tracks
        }

    @cached_property
    def site_view(self) -> SiteView:
        nav = (
            Link("首页", self.url("")),
            Link("期刊", self.url("issues/")),
            *(Link(t.name, t.url) for t in self.tracks.values()),
            Link("归档", self.url("archive/")),
            Link("数据", self.url("stats/")),
            *(Link(self.site.documents[s].title, self.url(self.site.urls[s])) for s in self.site.standalone[:2]),
        )
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
            static=self.static,
            author=self.config.author,
            copyright=self.config.copyright,
            relative=self.config.relative_urls,
            extra=self.config.extra,
        )

    def item(self, source: str) -> ItemView:
        cached = self._items.get(source)
        if cached is None:
            # Record what the view itself reads (its issue's title, its markup) once, and
            # add it to every page that shows the view later, though the view is cached.
            outer, self._touched = self._touched, set()
            cached = self._items[source] = self._make_item(self.site.documents[source])
            self._item_deps[source] = frozenset(self._touched)
            self._touched = outer
        self._touched.add(source)
        self._touched.update(self._item_deps[source])
        return cached

    def items(self, sources: Iterable[str]) -> tuple[ItemView, ...]:
        return tuple(self.item(s) for s in sources)

    def _make_item(self, doc: Document) -> ItemView:
        self._touched.add(doc.source)
        brief = self._brief_of(doc.source)
        issue_link = None
        if doc.issue is not None and doc.issue in self.site.issue_sources:
            issue_doc = self._doc(self.site.issue_sources[doc.issue])
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
        )

    def _shown(self, name: str, value: Any) -> Any:
        """A table-only field's value as templates show it: by its declared type (an image: its URL)."""
        if FIELD_TYPES[name] == "image":
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
    def context(self, spec: PageSpec) -> dict[str, Any]:
        """The template context of ``spec``: each kind of page data has its own builder."""
        context: dict[str, Any]
        data = spec.data
        match data:
            case HomePage():
                context = self._ctx_home(spec)
            case IssuesPage():
                context = self._ctx_issues(spec)
            case TagsPage():
                context = self._ctx_tags(spec)
            case AuthorsPage():
                context = self._ctx_authors(spec)
            case StatsPage():
                context = self._ctx_stats(spec)
            case SitemapPage():
                context = self._ctx_sitemap(spec)
            case PlainPage(kind=kind):
                context = self._ctx_plain(spec, kind)
            case IssuePage(source=source):
                context = self._ctx_issue(spec, source)
            case DocumentPage(source=source):
                context = self._ctx_document(spec, source)
            case StandalonePage(source=source):
                context = self._ctx_page(spec, source)
            case ArchivePage(year=year):
                context = self._ctx_archive(spec, year)
            case TrackPage():
                context = self._ctx_track(spec, data)
            case TagPage():
                context = self._ctx_tag(spec, data)
            case AuthorPage():
                context = self._ctx_author(spec, data)
            case FeedPage():
                context = self._ctx_feed(spec, data)
            case _:
                assert_never(data)
        context["site"] = self.site_view
        return context

    def _ctx_home(self, spec: PageSpec) -> dict[str, Any]:
        latest = self.item(self.site.issues[0]) if self.site.issues else None
        latest_members: tuple[str, ...] = ()
        if latest is not None and latest.number is not None:
            latest_members = self.site.by_issue.get(latest.number, ())

        def kinds(kind: Kind, count: int) -> tuple[str, ...]:
            return tuple(itertools.islice((s for s in self.site.items if self.site.documents[s].kind is kind), count))

        return {
            "page": self.meta(spec, "home", self.config.title),
            "latest_issue": latest,
            "latest_issue_items": self.items(latest_members),
            "latest_issue_groups": self._groups(latest_members),
            "latest_essays": self.items(kinds(Kind.ESSAY, 8)),
            "latest_minutes": self.items(kinds(Kind.MINUTES, 5)),
            "tracks": tuple(self.tracks.values()),
            "track_numbers": tuple(self._track_numbers(key, latest=3) for key in self.tracks),
            "totals": self._totals(),
        }

    # ------------------------------------------------------------- numbers
    @cached_property
    def stats(self) -> Stats:
        return site_stats(self.site)

    def _all_documents(self) -> None:
        """Record that the page shows numbers counted over every document."""
        self._touched.update(self.site.documents)

    def _track_numbers(self, key: str, latest: int = 0) -> TrackNumbers:
        sources = self.site.by_track.get(key, ())
        self._touched.update(sources)  # its numbers count the track's documents
        tally = track_tally(self.site, key)
        shown = tuple(s for s in sources if self.site.documents[s].kind is not Kind.ISSUE)[:latest]
        return TrackNumbers(
            self.tracks[key], tally.essays, tally.minutes, tally.authors, tally.units, self.items(shown)
        )

    def _totals(self) -> tuple[Figure, ...]:
        self._all_documents()
        stats = self.stats
        return (
            Figure("期刊", stats.issues, "期", self.url("issues/")),
            Figure("学员心得", stats.essays, "篇"),
            Figure("沙龙纪要", stats.minutes, "篇"),
            Figure("作者", stats.authors, "位", self.url("authors/")),
            Figure("单位", stats.units, "个"),
            Figure("标签", stats.tags, "个", self.url("tags/")),
        )

    def _charts(self) -> tuple[Chart, ...]:
        self._all_documents()
        stats = self.stats

        def bars(rows: Iterable[tuple[str, int, str, str]]) -> tuple[Bar, ...]:
            listed = list(rows)
            top = max((value for _, value, _, _ in listed), default=0) or 1
            return tuple(Bar(label, value, value / top, url, note=note) for label, value, url, note in listed)

        issue_bars = []
        for number, count in stats.per_issue:
            source = self.site.issue_sources[number]
            title = self.site.documents[source].title
            issue_bars.append((f"第{number}期 {title}", count, self.url(self.site.urls[source]), ""))
        track_bars = [
            (
                self.tracks[key].name,
                tally.essays + tally.minutes,
                self.tracks[key].url,
                f"心得 {tally.essays} · 纪要 {tally.minutes}",
            )
            for key, tally in stats.per_track
        ]
        month_top = max((count for _, _, count in stats.per_month), default=0) or 1
        many = len(stats.per_month) > 24
        month_bars = tuple(
            Bar(
                f"{year}年{month}月",
                count,
                count / month_top,
                tick=f"{month}月" if not many or month in (1, 4, 7, 10) else "",
                note=f"{year}年" if index == 0 or month == 1 else "",
            )
            for index, (year, month, count) in enumerate(stats.per_month)
        )
        top_units, top_authors, top_tags = 15, 10, 15
        return (
            Chart("cw-chart-issue", "每期收录篇数", "篇", "期号", "bars", bars(issue_bars), "心得与纪要，不含期刊本身"),
            Chart("cw-chart-track", "各赛道篇数", "篇", "赛道", "bars", bars(track_bars)),
            Chart(
                "cw-chart-month", "每月发表篇数", "篇", "月份", "columns", month_bars, "期刊、心得与纪要，按发表日期"
            ),
            Chart(
                "cw-chart-unit",
                "各单位学员心得篇数",
                "篇",
                "单位",
                "bars",
                bars((name, n, "", "") for name, n in stats.per_unit[:top_units]),
                _top_note(len(stats.per_unit), top_units, "个", "单位"),
            ),
            Chart(
                "cw-chart-author",
                "最活跃的作者",
                "篇",
                "作者",
                "bars",
                bars(
                    (name, n, self.url(f"authors/{self.site.author_slugs[name]}/"), "")
                    for name, n in stats.per_author[:top_authors]
                ),
                _top_note(len(stats.per_author), top_authors, "位", "作者"),
            ),
            Chart(
                "cw-chart-tag",
                "常用标签",
                "篇",
                "标签",
                "bars",
                bars(
                    (name, n, self.url(f"tags/{self.site.tag_slugs[name]}/"), "")
                    for name, n in stats.per_tag[:top_tags]
                ),
                _top_note(len(stats.per_tag), top_tags, "个", "标签"),
            ),
        )

    def _ctx_stats(self, spec: PageSpec) -> dict[str, Any]:
        return {
            "page": self.meta(spec, "stats", "数据", f"{self.config.title}的篇数、赛道、作者、单位与标签统计图。"),
            "totals": self._totals(),
            "charts": self._charts(),
        }

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

    def _document_body(self, source: str) -> tuple[Html, tuple[Any, ...]]:
        markup = self._markup(source)
        return Html(markup.html), markup.toc

    def _ctx_issue(self, spec: PageSpec, source: str) -> dict[str, Any]:
        doc = self.item(source)
        content, toc = self._document_body(source)
        groups = self._groups(self.site.by_issue.get(doc.number or 0, ()))
        previous, following = self.site.neighbours.get(source, (None, None))
        return {
            "page": self.meta(
                spec,
                "issue",
                f"{doc.number_text} {doc.title}",
                doc.summary,
                "article",
                (Link("期刊", self.url("issues/")),),
            ),
            "doc": doc,
            "content": content,
            "toc": toc,
            "groups": groups,
            "prev": self.item(previous) if previous else None,
            "next": self.item(following) if following else None,
        }

    def _ctx_issues(self, spec: PageSpec) -> dict[str, Any]:
        return {"page": self.meta(spec, "issues", "期刊"), "issues": self.items(self.site.issues)}

    def _ctx_document(self, spec: PageSpec, source: str) -> dict[str, Any]:
        doc = self.item(source)
        content, toc = self._document_body(source)
        previous, following = self.site.neighbours.get(source, (None, None))
        crumbs = [Link(doc.track.name, doc.track.url)] if doc.track else []
        return {
            "page": self.meta(spec, doc.kind, doc.title, doc.summary, "article", tuple(crumbs)),
            "doc": doc,
            "content": content,
            "toc": toc,
            "prev": self.item(previous) if previous else None,
            "next": self.item(following) if following else None,
            "related": self.items(self.site.related.get(source, ())),
        }

    def _ctx_page(self, spec: PageSpec, source: str) -> dict[str, Any]:
        doc = self.item(source)
        content, toc = self._document_body(source)
        return {"page": self.meta(spec, "page", doc.title, doc.summary), "doc": doc, "content": content, "toc": toc}

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

    def _ctx_track(self, spec: PageSpec, data: TrackPage) -> dict[str, Any]:
        track, part = self.tracks[data.track], data.part
        return {
            "page": self.meta(spec, "track", self._paged_title(track.name, part), track.description, breadcrumbs=()),
            "track": track,
            "numbers": self._track_numbers(track.key),
            "items": self.items(part.items),
            "pager": self._pager(part, f"tracks/{track.key}/"),
        }

    def _ctx_archive(self, spec: PageSpec, chosen: int | None) -> dict[str, Any]:
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
        return {
            "page": self.meta(spec, "archive", title, breadcrumbs=crumbs),
            "years": years,
            "year": group(chosen, True) if chosen is not None and chosen in by_year else None,
            "latest": group(newest, True) if chosen is None and newest is not None else None,
        }

    def _counted(
        self, groups: Mapping[str, tuple[str, ...]], slugs: Mapping[str, str], folder: str
    ) -> tuple[Counted, ...]:
        ordered = sorted(groups, key=lambda name: (-len(groups[name]), slugs[name]))
        return tuple(Counted(n, self.url(f"{folder}/{slugs[n]}/"), len(groups[n])) for n in ordered)

    def _ctx_tags(self, spec: PageSpec) -> dict[str, Any]:
        return {
            "page": self.meta(spec, "tags", "标签"),
            "tags": self._counted(self.site.by_tag, self.site.tag_slugs, "tags"),
        }

    def _ctx_tag(self, spec: PageSpec, data: TagPage) -> dict[str, Any]:
        tag, part = data.tag, data.part
        first = f"tags/{self.site.tag_slugs[tag]}/"
        return {
            "page": self.meta(
                spec, "tag", self._paged_title(f"标签：{tag}", part), breadcrumbs=(Link("标签", self.url("tags/")),)
            ),
            "tag": Counted(tag, self.url(first), part.count),
            "items": self.items(part.items),
            "pager": self._pager(part, first),
        }

    def _ctx_authors(self, spec: PageSpec) -> dict[str, Any]:
        return {
            "page": self.meta(spec, "authors", "作者"),
            "authors": self._counted(self.site.by_author, self.site.author_slugs, "authors"),
        }

    def _ctx_author(self, spec: PageSpec, data: AuthorPage) -> dict[str, Any]:
        author, part = data.author, data.part
        first = f"authors/{self.site.author_slugs[author]}/"
        return {
            "page": self.meta(
                spec,
                "author",
                self._paged_title(f"作者：{author}", part),
                breadcrumbs=(Link("作者", self.url("authors/")),),
            ),
            "author": Counted(author, self.url(first), part.count),
            "units": data.units,
            "items": self.items(part.items),
            "pager": self._pager(part, first),
        }

    def _ctx_plain(self, spec: PageSpec, kind: str) -> dict[str, Any]:
        titles = {"search": "搜索", "404": "页面不存在", "robots": "robots.txt"}
        return {"page": self.meta(spec, kind, titles.get(kind, kind))}

    def _ctx_feed(self, spec: PageSpec, data: FeedPage) -> dict[str, Any]:
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
        return {"page": self.meta(spec, "feed", feed.title), "feed": feed}

    def _ctx_sitemap(self, spec: PageSpec) -> dict[str, Any]:
        entries = []
        for page in self.site.pages:
            if not (page.path == "" or page.path.endswith("/")) or page.path == "search/":
                continue
            source = page.source
            # Dates are part of the site-wide fingerprint, so reading them is not a dependency.
            date = self.site.documents[source].date if source else None
            entries.append(SitemapEntry(self.absolute(page.path), date.date().isoformat() if date else ""))
        return {"page": self.meta(spec, "sitemap", "sitemap"), "entries": tuple(entries)}

    # ---------------------------------------------------------------- render
    def render(self, spec: PageSpec) -> tuple[Output | None, Problem | None]:
        """Render one page; a template error comes back as a Problem naming the template and line.

        Afterwards :attr:`touched` holds every document whose data the page used.
        """
        self._touched = set()
        try:
            template = self.env.get_template(spec.template)
            text = template.render(self.context(spec))
        except jinja2.TemplateSyntaxError as error:
            return None, _template_problem(error, "template_syntax", self.config.language, error.message or "")
        except jinja2.TemplateNotFound as error:
            return None, Problem(
                f"templates/{error.name}",
                None,
                messages.text(
                    "template_missing",
                    self.config.language,
                    name=error.name,
                    searched=", ".join(str(p) for p in self._template_dirs()),
                ),
            )
        except jinja2.UndefinedError as error:
            return None, _template_problem(error, "template_undefined", self.config.language, str(error.message))
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, jinja2.TemplateError) as error:
            return None, _template_problem(error, "template_error", self.config.language, str(error))
        if self.config.relative_urls and spec.template.endswith(".html"):
            text = relativise(text, self.base, spec.path)
        return Output(output_file(spec.path), text.encode("utf-8")), None

    @property
    def touched(self) -> frozenset[str]:
        return frozenset(self._touched)

    @property
    def views(self) -> dict[str, tuple[ItemView, frozenset[str]]]:
        """Every document view made so far, with the documents it read."""
        return {s: (v, self._item_deps[s]) for s, v in self._items.items()}

    def _template_dirs(self) -> list[str]:
        loader = self.env.loader
        return list(getattr(loader, "searchpath", []))


def _top_note(total: int, shown: int, measure: str, noun: str) -> str:
    """共 23 个单位，只列出最多的 15 个 — when a chart leaves some out."""
    return f"共 {total} {measure}{noun}，只列出最多的 {shown} {measure}" if total > shown else ""


def _template_problem(error: Exception, key: str, language: str, reason: str) -> Problem:
    """Name the template file and line from a Jinja error or the traceback it carries."""
    filename = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    if filename is None:
        tb = error.__traceback__
        while tb is not None:  # the innermost frame that belongs to a template
            code = tb.tb_frame.f_code
            if code.co_filename.endswith((".html", ".xml", ".txt")):
                filename = code.co_filename
                template = tb.tb_frame.f_globals.get("__jinja_template__")
                line = template.get_corresponding_lineno(tb.tb_lineno) if template is not None else tb.tb_lineno
            tb = tb.tb_next
    return Problem(_short_path(filename), line, messages.text(key, language, reason=reason))


def _short_path(filename: str | None) -> str:
    if not filename:
        return "templates"
    parts = Path(filename).parts
    if "themes" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("themes") - 1 :])
    return filename


def render_pages(renderer: Renderer, pages: Iterable[PageSpec]) -> tuple[list[Output], list[Problem]]:
    outputs: list[Output] = []
    problems: dict[tuple[str, int | None, messages.Text | str], Problem] = {}
    for spec in pages:
        output, problem = renderer.render(spec)
        if output is not None:
            outputs.append(output)
        if problem is not None:  # one broken template breaks many pages; report it once
            problems.setdefault((problem.path, problem.line, problem.message), problem)
    return outputs, list(problems.values())


_URL_ATTR = re.compile(r"""(\b(?:href|src|action|srcset|content)=)(["'])([^"']*)\2""")


def relativise(html: str, base_path: str, page_path: str) -> str:
    """Make every link under ``base_path`` relative to the page, pointing at files explicitly.

    For browsing from ``file://`` (a USB stick), where ``/`` is the disk root and
    folders do not serve their ``index.html``.
    """
    page_dir = posixpath.dirname(output_file(page_path))

    def replace(match: re.Match[str]) -> str:
        prefix, quote, url = match.groups()
        if not url.startswith(base_path) or url.startswith("//"):
            return match.group(0)
        rest = url[len(base_path) :]
        path, hash_mark, fragment = rest.partition("#")
        path, question, query = path.partition("?")
        target = output_file(path)
        relative = posixpath.relpath(target, page_dir or ".")
        return f"{prefix}{quote}{relative}{question}{query}{hash_mark}{fragment}{quote}"

    return _URL_ATTR.sub(replace, html)


def feed_time(date: datetime | None) -> str:
    return date.isoformat() if date else ""
