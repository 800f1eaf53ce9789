"""Documents -> :class:`Site`: URLs, collections, indexes and the list of pages to render.

Pure: no file I/O, and "now" is an argument, so the same inputs always give the
same site. Every URL is known here, before any Markdown is rendered, so the
markup stage can rewrite and check links between documents.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from . import messages
from .errors import Problem
from .model import (
    ArchivePage,
    Asset,
    AuthorPage,
    AuthorsPage,
    Document,
    DocumentPage,
    FeedPage,
    HomePage,
    IssuePage,
    IssuesPage,
    Kind,
    ListPart,
    PageData,
    PageSpec,
    PlainPage,
    Site,
    SiteConfig,
    SitemapPage,
    StandalonePage,
    StatsPage,
    TagPage,
    TagsPage,
    TrackPage,
)
from .schema import FIELD_TYPES
from .urls import list_page_path, unique_slugs

FEED_SIZE = 20
RELATED_SIZE = 4
# Paths chaowen generates itself; a document may not take them.
_GENERATED_TOP = (
    "issues/",
    "tracks/",
    "tags/",
    "authors/",
    "archive/",
    "search/",
    "stats/",
    "static/",
    "pagefind/",
)


def build_site(
    config: SiteConfig,
    documents: Iterable[Document],
    assets: Iterable[Asset],
    *,
    now: datetime,
    drafts: bool = False,
) -> tuple[Site, list[Problem]]:
    """Place every published document; return the site and the problems found.

    Drafts, and documents dated after ``now``, are left out unless ``drafts``.
    """
    every = sorted(documents, key=lambda d: d.source)
    problems: list[Problem] = []
    issue_numbers = _issue_numbers(every, problems)
    # A second issue with a taken number has been reported; placing it too would add a
    # misleading duplicate-URL error ("change the slug") for the same mistake.
    placed_issues = set(issue_numbers.values())
    every = [d for d in every if d.kind is not Kind.ISSUE or d.number is None or d.source in placed_issues]
    published = [d for d in every if drafts or (not d.draft and (d.date is None or d.date <= now))]
    _check_issue_refs(published, issue_numbers, problems)

    urls: dict[str, str] = {}
    owner: dict[str, str] = {}
    for document in published:
        path = document_path(document)
        if path in owner or any(path.startswith(top) and path.count("/") == 1 for top in _GENERATED_TOP):
            other = owner.get(path, "chaowen")
            problems.append(
                Problem(
                    f"content/{document.source}",
                    document.field_lines.get("slug", 1),
                    messages.say(
                        "duplicate_url", url="/" + path, other=f"content/{other}" if other != "chaowen" else other
                    ),
                    messages.say("duplicate_url_hint"),
                )
            )
            continue
        owner[path] = document.source
        urls[document.source] = path
    asset_list = tuple(assets)
    for asset in asset_list:
        urls[asset.source] = asset.source

    docs = {d.source: d for d in published if d.source in urls}
    _check_images(docs.values(), {asset.source for asset in asset_list}, problems)
    return _assemble(config, docs, asset_list, urls), problems


def _check_images(documents: Iterable[Document], assets: set[str], problems: list[Problem]) -> None:
    """Every image a front-matter field names (a field of type image in the table) is a file under content/."""
    for document in documents:
        for name, target in document.more.items():
            if FIELD_TYPES[name] == "image" and target not in assets:
                problems.append(
                    Problem(
                        f"content/{document.source}",
                        document.field_lines.get(name, 1),
                        messages.say("missing_image", target=f"content/{target}"),
                        messages.say("missing_image_hint"),
                    )
                )


def document_path(document: Document) -> str:
    """The site path of a document, from its kind and slug (or number, for issues)."""
    if document.kind is Kind.ISSUE and document.number is not None:
        return f"issues/{document.number}/"
    if document.kind in (Kind.ESSAY, Kind.MINUTES):
        return f"{document.kind.folder}/{document.slug}/"
    folder = document.source.rsplit("/", 1)[0] if "/" in document.source else ""
    if folder == "pages" or folder.startswith("pages/"):
        folder = folder[len("pages") :].strip("/")
    return f"{folder}/{document.slug}/" if folder else f"{document.slug}/"


def _issue_numbers(documents: list[Document], problems: list[Problem]) -> dict[int, str]:
    numbers: dict[int, str] = {}
    for document in documents:
        if document.kind is not Kind.ISSUE or document.number is None:
            continue
        if document.number in numbers:
            problems.append(
                Problem(
                    f"content/{document.source}",
                    document.field_lines.get("number", 1),
                    messages.say(
                        "duplicate_number", value=document.number, other=f"content/{numbers[document.number]}"
                    ),
                    messages.say("duplicate_number_hint"),
                )
            )
            continue
        numbers[document.number] = document.source
    return numbers


def _check_issue_refs(documents: list[Document], numbers: dict[int, str], problems: list[Problem]) -> None:
    existing: list[str] | str = [str(n) for n in sorted(numbers)] or "—"
    for document in documents:
        if document.issue is not None and document.issue not in numbers:
            problems.append(
                Problem(
                    f"content/{document.source}",
                    document.field_lines.get("issue", 1),
                    messages.say("missing_issue", value=document.issue),
                    messages.say("missing_issue_hint", choices=existing),
                )
            )


def _newest_first(documents: Iterable[Document]) -> tuple[str, ...]:
    ordered = sorted(documents, key=lambda d: (d.date.timestamp() if d.date else 0.0, d.source), reverse=True)
    return tuple(d.source for d in ordered)


def _assemble(config: SiteConfig, docs: dict[str, Document], assets: tuple[Asset, ...], urls: dict[str, str]) -> Site:
    issues = tuple(
        d.source
        for d in sorted((d for d in docs.values() if d.kind is Kind.ISSUE), key=lambda d: d.number or 0, reverse=True)
    )
    listed = [d for d in docs.values() if d.kind is not Kind.PAGE]
    items = _newest_first(listed)
    standalone = tuple(
        d.source for d in sorted((d for d in docs.values() if d.kind is Kind.PAGE), key=lambda d: (d.title, d.source))
    )
    by_issue: dict[int, list[str]] = defaultdict(list)
    by_track: dict[str, list[str]] = {t.key: [] for t in config.tracks}
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_author: dict[str, list[str]] = defaultdict(list)
    for source in items:  # newest first, so every collection is too
        document = docs[source]
        if document.issue is not None and document.kind is not Kind.ISSUE:
            by_issue[document.issue].append(source)
        if document.track is not None:
            by_track[document.track].append(source)
        for tag in document.tags:
            by_tag[tag].append(source)
        for author in document.authors:
            by_author[author].append(source)
    issue_sources = {docs[s].number: s for s in issues if docs[s].number is not None}
    site_fields: dict[str, Any] = {
        "issues": issues,
        "items": items,
        "standalone": standalone,
        "by_issue": _freeze(by_issue),
        "by_track": _freeze(by_track),
        "by_tag": _freeze(by_tag),
        "by_author": _freeze(by_author),
        "tag_slugs": MappingProxyType(unique_slugs(list(by_tag), "tag")),
        "author_slugs": MappingProxyType(unique_slugs(list(by_author), "author")),
        "issue_sources": MappingProxyType({n: s for n, s in issue_sources.items() if n is not None}),
        "neighbours": MappingProxyType(_neighbours(docs, issues, items)),
        "related": RelatedItems(docs, _freeze(by_track)),
    }
    skeleton = Site(
        config=config,
        documents=MappingProxyType(docs),
        assets=assets,
        urls=MappingProxyType(urls),
        pages=(),
        **site_fields,
    )
    return Site(
        config=config,
        documents=skeleton.documents,
        assets=assets,
        urls=skeleton.urls,
        pages=tuple(plan_pages(skeleton)),
        **site_fields,
    )


def _freeze(groups: Mapping[Any, list[str]]) -> Mapping[Any, tuple[str, ...]]:
    return MappingProxyType({key: tuple(value) for key, value in groups.items()})


def _neighbours(
    docs: dict[str, Document], issues: tuple[str, ...], items: tuple[str, ...]
) -> dict[str, tuple[str | None, str | None]]:
    """Previous (older) and next (newer) document of the same kind."""
    result: dict[str, tuple[str | None, str | None]] = {}
    chains = [tuple(reversed(issues))]
    for kind in (Kind.ESSAY, Kind.MINUTES):
        chains.append(tuple(reversed([s for s in items if docs[s].kind is kind])))
    for chain in chains:
        for index, source in enumerate(chain):
            previous = chain[index - 1] if index > 0 else None
            following = chain[index + 1] if index + 1 < len(chain) else None
            result[source] = (previous, following)
    return result


class RelatedItems(Mapping[str, tuple[str, ...]]):
    """Same-track essays and minutes worth reading next: those sharing most tags, then the newest.

    Computed on first use per document, through a tag index per track: a rebuild
    that renders a handful of pages does not rank every document of the site.
    It is a pure function of the tracks' item lists and the documents' tags.
    """

    def __init__(self, docs: Mapping[str, Document], by_track: Mapping[str, tuple[str, ...]]) -> None:
        self._docs = docs
        self._by_track = by_track
        self._indexes: dict[str, tuple[list[str], dict[str, int], dict[str, list[str]]]] = {}
        self._results: dict[str, tuple[str, ...]] = {}

    def _index(self, track: str) -> tuple[list[str], dict[str, int], dict[str, list[str]]]:
        index = self._indexes.get(track)
        if index is None:
            candidates = [s for s in self._by_track.get(track, ()) if self._docs[s].kind is not Kind.ISSUE]
            members: dict[str, list[str]] = defaultdict(list)
            for source in candidates:
                for tag in self._docs[source].tags:
                    members[tag].append(source)
            index = self._indexes[track] = (candidates, {s: i for i, s in enumerate(candidates)}, members)
        return index

    def __getitem__(self, source: str) -> tuple[str, ...]:
        found = self._results.get(source)
        if found is not None:
            return found
        document = self._docs[source]
        if document.track is None or document.kind is Kind.ISSUE:
            raise KeyError(source)
        candidates, position, members = self._index(document.track)
        ranked = _most_shared(source, [members[tag] for tag in document.tags], position)
        if len(ranked) < RELATED_SIZE:  # then every document sharing a tag is in ranked already
            chosen = set(ranked)
            for other in candidates:
                if len(ranked) >= RELATED_SIZE:
                    break
                if other != source and other not in chosen:
                    ranked.append(other)
        found = self._results[source] = tuple(ranked)
        return found

    def __iter__(self) -> Iterator[str]:
        return (s for s, d in self._docs.items() if d.track is not None and d.kind is not Kind.ISSUE)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _most_shared(source: str, lists: list[list[str]], position: Mapping[str, int]) -> list[str]:
    """The RELATED_SIZE documents sharing most tags with ``source``, earliest in the track first.

    ``lists`` holds, per tag of ``source``, the documents with that tag in track order.
    Walking them merged in that order counts each document's shared tags as it goes,
    and stops once enough documents share every tag: none after them can rank higher.
    Counting every document of every tag instead made the related lists of a large
    journal quadratic (most of a 20,000-document build).
    """
    best = len(lists)
    levels: dict[int, list[str]] = defaultdict(list)  # shared tags -> documents in track order
    merged = heapq.merge(*(((position[s], s) for s in members) for members in lists))
    current, count = "", 0
    for _, other in itertools.chain(merged, [(-1, "")]):  # "": an end mark that flushes the last document
        if other == current:
            count += 1
            continue
        if current and current != source and len(levels[count]) < RELATED_SIZE:
            levels[count].append(current)
        if len(levels[best]) >= RELATED_SIZE:
            break
        current, count = other, 1
    return [s for level in sorted(levels, reverse=True) for s in levels[level]][:RELATED_SIZE]


def _paged(first: str, sources: tuple[str, ...], per_page: int) -> list[tuple[str, ListPart]]:
    """A list of documents as pages of ``per_page``: a list of thousands is slow to render
    again after every edit and long to scroll on a phone (tracks, tags and authors alike).
    Returns each page's path and part of the list."""
    total = max(1, math.ceil(len(sources) / per_page))
    parts = []
    for number in range(1, total + 1):
        chunk = sources[(number - 1) * per_page : number * per_page]
        parts.append((list_page_path(first, number), ListPart(number, total, len(sources), chunk)))
    return parts


def plan_pages(site: Site) -> list[PageSpec]:
    """Every page of the site: its path, template, data and the documents it shows."""
    docs = site.documents
    per_page = site.config.per_page
    latest = frozenset(site.items[:FEED_SIZE])
    pages = [
        PageSpec("", "home.html", HomePage(), frozenset(site.items[:40]) | frozenset(site.issues[:1])),
        PageSpec("issues/", "issues.html", IssuesPage(), frozenset(site.issues)),
        PageSpec("archive/", "archive.html", ArchivePage(None)),
        PageSpec("tags/", "tags.html", TagsPage(), frozenset(s for v in site.by_tag.values() for s in v)),
        PageSpec("authors/", "authors.html", AuthorsPage(), frozenset(s for v in site.by_author.values() for s in v)),
        PageSpec("search/", "search.html", PlainPage("search")),
        PageSpec("stats/", "stats.html", StatsPage(), frozenset(docs)),
        PageSpec("404.html", "404.html", PlainPage("404")),
        PageSpec("atom.xml", "atom.xml", FeedPage(None, site.items[:FEED_SIZE]), latest),
        PageSpec("robots.txt", "robots.txt", PlainPage("robots")),
    ]
    for source, document in docs.items():
        data: PageData
        if document.kind is Kind.ISSUE:
            template, data = "issue.html", IssuePage(source)
        elif document.kind is Kind.PAGE:
            template, data = "page.html", StandalonePage(source)
        else:
            template, data = "document.html", DocumentPage(source)
        shown = {source}
        if document.kind is Kind.ISSUE and document.number is not None:
            shown.update(site.by_issue.get(document.number, ()))
        previous, following = site.neighbours.get(source, (None, None))
        shown.update(s for s in (previous, following) if s)
        if document.issue is not None and document.issue in site.issue_sources:
            shown.add(site.issue_sources[document.issue])
        pages.append(PageSpec(site.urls[source], template, data, frozenset(shown)))
    years = sorted({d.date.year for s in site.items if (d := docs[s]).date is not None}, reverse=True)
    for year in years:
        pages.append(PageSpec(f"archive/{year}/", "archive.html", ArchivePage(year)))
    for track in site.config.tracks:
        sources = site.by_track.get(track.key, ())
        key = track.key
        for path, part in _paged(f"tracks/{key}/", sources, per_page):
            pages.append(PageSpec(path, "track.html", TrackPage(key, part), frozenset(part.items)))
        feed_items = sources[:FEED_SIZE]
        pages.append(PageSpec(f"tracks/{key}/atom.xml", "atom.xml", FeedPage(key, feed_items), frozenset(feed_items)))
    for tag, sources in site.by_tag.items():
        for path, part in _paged(f"tags/{site.tag_slugs[tag]}/", sources, per_page):
            pages.append(PageSpec(path, "tag.html", TagPage(tag, part), frozenset(part.items)))
    for author, sources in site.by_author.items():
        # units over all the author's documents, not only this page's: a page's data is part
        # of its key, so a unit changed on another page still renders this one again
        units = tuple(dict.fromkeys(docs[s].unit for s in sources if docs[s].unit))
        for path, part in _paged(f"authors/{site.author_slugs[author]}/", sources, per_page):
            pages.append(PageSpec(path, "author.html", AuthorPage(author, units, part), frozenset(part.items)))
    listed = tuple(
        (p.path, p.source) for p in sorted(pages, key=lambda p: p.path) if p.path == "" or p.path.endswith("/")
    )
    pages.append(PageSpec("sitemap.xml", "sitemap.xml", SitemapPage(listed), frozenset(docs)))
    return sorted(pages, key=lambda p: p.path)


# --------------------------------------------------------------------------- numbers
@dataclass(frozen=True, slots=True)
class TrackTally:
    """A track's essays and minutes, and the distinct authors and work units of its essays."""

    essays: int = 0
    minutes: int = 0
    authors: int = 0
    units: int = 0


@dataclass(frozen=True, slots=True)
class Stats:
    """The journal in numbers, as the 数据 page and the front page show them.

    Counts are of published documents. Lists of (name, count) run most first, ties
    by name; ``per_issue`` and ``per_month`` run oldest first, and ``per_month`` has
    every month from the first dated document to the last, empty ones included.
    """

    issues: int
    essays: int
    minutes: int
    authors: int
    units: int
    tags: int
    per_issue: tuple[tuple[int, int], ...]  # issue number, its essays and minutes
    per_track: tuple[tuple[str, TrackTally], ...]  # in the order of chaowen.yaml
    per_month: tuple[tuple[int, int, int], ...]  # year, month, documents dated then
    per_unit: tuple[tuple[str, int], ...]  # work unit, essays
    per_author: tuple[tuple[str, int], ...]  # author, essays and minutes
    per_tag: tuple[tuple[str, int], ...]  # tag, documents


def _most_first(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def track_tally(site: Site, track: str) -> TrackTally:
    """The numbers of one track, from its documents."""
    docs = [site.documents[s] for s in site.by_track.get(track, ())]
    essays = [d for d in docs if d.kind is Kind.ESSAY]
    return TrackTally(
        essays=len(essays),
        minutes=sum(1 for d in docs if d.kind is Kind.MINUTES),
        authors=len({a for d in essays for a in d.authors}),
        units=len({d.unit for d in essays if d.unit}),
    )


def site_stats(site: Site) -> Stats:
    """Count what the journal holds: per issue, track, month, work unit, author and tag."""
    docs = site.documents
    items = [docs[s] for s in site.items]
    essays = [d for d in items if d.kind is Kind.ESSAY]
    months = Counter((d.date.year, d.date.month) for d in items if d.date is not None)
    per_month: list[tuple[int, int, int]] = []
    if months:
        year, month = min(months)
        last = max(months)
        while (year, month) <= last:
            per_month.append((year, month, months[(year, month)]))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    authors = Counter(a for d in items if d.kind is not Kind.ISSUE for a in d.authors)
    units = Counter(d.unit for d in essays if d.unit)
    return Stats(
        issues=len(site.issues),
        essays=len(essays),
        minutes=sum(1 for d in items if d.kind is Kind.MINUTES),
        authors=len(authors),
        units=len(units),
        tags=len(site.by_tag),
        per_issue=tuple((number, len(site.by_issue.get(number, ()))) for number in sorted(site.issue_sources)),
        per_track=tuple((t.key, track_tally(site, t.key)) for t in site.config.tracks),
        per_month=tuple(per_month),
        per_unit=_most_first(units),
        per_author=_most_first(authors),
        per_tag=_most_first(Counter({tag: len(sources) for tag, sources in site.by_tag.items()})),
    )
