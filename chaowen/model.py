"""Frozen data passed between the pipeline stages.

config  -> :class:`SiteConfig`
content -> :class:`Document` (one per Markdown file) and :class:`Asset`
site    -> :class:`Site` (URLs, collections, the list of :class:`PageSpec` to render)
markup  -> :class:`Markup` (HTML and what is derived from it, per document)
render  -> :class:`Output` (a path and its bytes)
links   -> :class:`PageScan` (a page's links and ids) and :class:`BrokenLink`

Nothing here does I/O or holds behaviour beyond small derived properties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .messages import Text

EMPTY: Mapping[Any, Any] = MappingProxyType({})


def empty() -> Mapping[Any, Any]:
    """Default for mapping fields of frozen dataclasses (a shared, read-only empty mapping)."""
    return EMPTY


class Kind(str, Enum):
    """The kind of a document; its folder under ``content/`` decides it."""

    ISSUE = "issue"
    MINUTES = "minutes"
    ESSAY = "essay"
    PAGE = "page"

    @property
    def folder(self) -> str:
        return KIND_FOLDERS[self]

    @property
    def label(self) -> str:
        """Chinese name shown to readers."""
        return KIND_LABELS[self]


KIND_FOLDERS: Mapping[Kind, str] = MappingProxyType(
    {Kind.ISSUE: "issues", Kind.MINUTES: "minutes", Kind.ESSAY: "essays", Kind.PAGE: "pages"}
)
KIND_LABELS: Mapping[Kind, str] = MappingProxyType(
    {Kind.ISSUE: "期刊", Kind.MINUTES: "沙龙纪要", Kind.ESSAY: "学员心得", Kind.PAGE: "页面"}
)


@dataclass(frozen=True, slots=True)
class TrackConfig:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class ImageSettings:
    """``images:`` in ``chaowen.yaml``: how raster images are published (see :mod:`chaowen.images`)."""

    widths: tuple[int, ...] = (480, 960, 1600)  # pixel widths made of each image, never wider than it
    quality: int = 78  # 1-100, for the lossy formats
    formats: tuple[str, ...] = ("webp",)  # modern formats offered beside the JPEG or PNG every browser reads
    keep_originals: bool = False  # also publish the original file, as it is (with its metadata)


@dataclass(frozen=True, slots=True)
class PrintConfig:
    """``print:`` of ``chaowen.yaml``: the print edition, a PDF per journal issue (see :mod:`chaowen.printing`)."""

    enabled: bool = False
    paper: str = "A4"  # A4 | A5
    margins: str = "20mm 18mm"  # CSS lengths, one to four, as the ``margin`` property takes them
    new_page: bool = True  # every article starts on a new page
    volumes: bool = False  # a bound volume (合订本) per year: every issue of the year in one PDF


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """``chaowen.yaml``, validated. See :mod:`chaowen.config` for each field's meaning."""

    root: Path
    title: str
    description: str
    base_url: str  # absolute, always ending with "/"
    language: str
    timezone: str
    theme: str
    per_page: int
    tracks: tuple[TrackConfig, ...]
    author: str = ""
    copyright: str = ""
    relative_urls: bool = False
    extra: Mapping[str, Any] = field(default_factory=empty)
    images: ImageSettings = field(default_factory=ImageSettings)
    print: PrintConfig = field(default_factory=PrintConfig)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: ``/`` or ``/chaowen/``."""
        rest = self.base_url.split("://", 1)[-1]
        slash = rest.find("/")
        return rest[slash:] if slash >= 0 else "/"

    @property
    def origin(self) -> str:
        """``https://example.org`` — ``base_url`` without its path."""
        return self.base_url[: len(self.base_url) - len(self.base_path)]


@dataclass(frozen=True, slots=True)
class Document:
    """One Markdown file under ``content/``, its front matter validated.

    ``source`` is the path relative to ``content/`` with forward slashes
    (``essays/王小明-心得.md``); it is the document's identity everywhere.
    ``body_line`` is the 1-based line of the file where the body starts, so that
    problems found in the body can name the line of the file.

    Every attribute from ``title`` to ``extra`` is filled by the row of the same name in
    ``schema.FRONT_MATTER`` (``authors`` also by ``author``), converted by the row's type;
    ``tests/unit/test_schema.py`` holds the two equal in name and type.
    """

    source: str
    kind: Kind
    title: str = ""
    date: datetime | None = None
    slug: str = ""
    body: str = ""
    body_line: int = 1
    number: int | None = None
    track: str | None = None  # a track key
    issue: int | None = None
    authors: tuple[str, ...] = ()
    unit: str = ""
    host: str = ""
    venue: str = ""
    participants: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=empty)
    # Front-matter fields declared only in the field table (schema.FRONT_MATTER), by name, converted by their
    # type (an image: its source relative to content/). Templates show them; no Python code reads them, so
    # adding one is adding a row to the table.
    more: Mapping[str, Any] = field(default_factory=empty)
    field_lines: Mapping[str, int] = field(default_factory=empty)
    digest: str = ""  # hash of the file's bytes


@dataclass(frozen=True, slots=True)
class Asset:
    """A non-Markdown file under ``content/``, copied keeping its place."""

    source: str  # relative to content/, forward slashes
    path: Path  # absolute path to read from


@dataclass(frozen=True, slots=True)
class Variant:
    """One published file of a processed image."""

    path: str  # site path, e.g. images/调研现场-960.1a2b3c4d5e.webp
    width: int
    height: int
    format: str  # webp, avif, jpeg, png


@dataclass(frozen=True, slots=True)
class Picture:
    """A raster image under ``content/`` as it is published: its variants, largest last per format.

    Made by :mod:`chaowen.images` from the image's bytes and the ``images:`` settings; the
    Markdown stage and the templates write ``<picture>``/``srcset`` from it.
    """

    source: str  # relative to content/
    width: int  # of the largest variant (the image upright)
    height: int
    variants: tuple[Variant, ...]
    fallback: str  # jpeg or png: the format every browser reads

    def of(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    @property
    def formats(self) -> tuple[str, ...]:
        """The modern formats offered before the fallback."""
        return tuple(dict.fromkeys(v.format for v in self.variants if v.format != self.fallback))

    @property
    def main(self) -> Variant:
        """The largest fallback variant: where a link to the image leads."""
        return self.of(self.fallback)[-1]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Brief:
    """The part of a document's markup that lists show: small, kept in the cache index."""

    summary: str  # plain text
    chars: int  # Han characters + Latin words
    minutes: int  # reading time, at least 1


@dataclass(frozen=True, slots=True)
class Markup:
    """What a document's Markdown produced; pure function of its inputs, so cacheable."""

    html: str
    toc: tuple[Heading, ...]
    summary: str  # plain text
    chars: int  # Han characters + Latin words
    minutes: int  # reading time, at least 1
    links: tuple[str, ...] = ()  # content sources that relative links resolved to, found or not

    @property
    def brief(self) -> Brief:
        return Brief(self.summary, self.chars, self.minutes)


@dataclass(frozen=True, slots=True)
class HomePage:
    """The home page."""


@dataclass(frozen=True, slots=True)
class IssuesPage:
    """The list of every issue."""


@dataclass(frozen=True, slots=True)
class TagsPage:
    """The list of every tag."""


@dataclass(frozen=True, slots=True)
class AuthorsPage:
    """The list of every author."""


@dataclass(frozen=True, slots=True)
class StatsPage:
    """The journal in numbers (``/stats/``)."""


@dataclass(frozen=True, slots=True)
class SitemapPage:
    """``sitemap.xml``: the path of every page a reader lands on, with its document's source if it has one.

    The list is this page's data, not read from ``Site.pages`` while rendering: the value
    of that whole field (every page's data) cost more to work out than the sitemap.
    """

    entries: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class PlainPage:
    """A page without data of its own: search, 404, robots.txt; ``kind`` names it."""

    kind: str


@dataclass(frozen=True, slots=True)
class IssuePage:
    """The page of the journal issue ``source``."""

    source: str


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """The page of the essay, minutes or special-topic document ``source``."""

    source: str


@dataclass(frozen=True, slots=True)
class StandalonePage:
    """A standalone page (``/about/``) made from ``source``."""

    source: str


@dataclass(frozen=True, slots=True)
class ArchivePage:
    """The archive: every year (``year`` None) or one year's documents by month."""

    year: int | None


@dataclass(frozen=True, slots=True)
class ListPart:
    """Page ``number`` of ``total`` of a list of ``count`` documents, showing ``items``."""

    number: int
    total: int
    count: int
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TrackPage:
    """One page of a track's list of documents."""

    track: str
    part: ListPart


@dataclass(frozen=True, slots=True)
class TagPage:
    """One page of a tag's list of documents."""

    tag: str
    part: ListPart


@dataclass(frozen=True, slots=True)
class AuthorPage:
    """One page of an author's list; ``units`` over all the author's documents."""

    author: str
    units: tuple[str, ...]
    part: ListPart


@dataclass(frozen=True, slots=True)
class FeedPage:
    """An Atom feed of ``items``: the whole journal (``track`` None) or one track."""

    track: str | None
    items: tuple[str, ...]


PageData = (
    HomePage
    | IssuesPage
    | TagsPage
    | AuthorsPage
    | StatsPage
    | SitemapPage
    | PlainPage
    | IssuePage
    | DocumentPage
    | StandalonePage
    | ArchivePage
    | TrackPage
    | TagPage
    | AuthorPage
    | FeedPage
)


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to render: where it goes, with which template, about what.

    ``path`` is the site-relative URL path (``essays/foo/``, ``atom.xml``);
    ``template`` the template name; ``data`` the typed, hashable value the render
    stage turns into the template context (documents are referred to by source);
    ``sources`` every document whose content the page shows, for incremental rebuilds.
    """

    path: str
    template: str
    data: PageData
    sources: frozenset[str] = frozenset()

    @property
    def source(self) -> str | None:
        """The document this page is made from, if it is one document's page."""
        data = self.data
        return data.source if isinstance(data, IssuePage | DocumentPage | StandalonePage) else None


@dataclass(frozen=True, slots=True)
class Output:
    """A file of the built site: path relative to the output folder, and its bytes.

    ``content`` None means "the same as the previous build's file", which the
    write stage then keeps instead of rendering it again.
    """

    path: str
    content: bytes | None


@dataclass(frozen=True, slots=True)
class PageScan:
    """What the link pass needs of one rendered HTML page (see :mod:`chaowen.links`).

    ``links`` are its distinct links in order of appearance, each the URL as written
    (entities decoded) and whether the browser fetches it as a resource (an image, a
    stylesheet …) rather than following it; ``ids`` are the anchors a link can name.
    """

    links: tuple[tuple[str, bool], ...]
    ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """A link of one rendered page that leads nowhere, before it is told to the editor.

    ``file`` and ``fragment`` are where it leads (an output file, or an absolute
    path outside the site); message, hint and severity are what to tell.
    """

    page: str
    url: str
    file: str
    fragment: str
    message: Text
    hint: Text
    error: bool


@dataclass(frozen=True, slots=True)
class PrintFile:
    """The print edition of one journal issue, as pages link to it."""

    path: str  # in the output folder: issues/3/chaowen-3.pdf
    name: str  # the name a download is saved under: 潮闻第3期.pdf
    size: int  # bytes


@dataclass(frozen=True)
class Site:
    """Everything known about the site before any Markdown is rendered.

    ``urls`` maps each published document's source and each asset's source to its
    site path (``essays/foo.md`` -> ``essays/foo/``); the markup stage rewrites
    links with it. Collections hold document sources, newest first.
    """

    config: SiteConfig
    documents: Mapping[str, Document]  # published documents by source
    assets: tuple[Asset, ...]
    urls: Mapping[str, str]
    pages: tuple[PageSpec, ...]
    issues: tuple[str, ...] = ()  # journal issues, highest number first
    items: tuple[str, ...] = ()  # issues, minutes and essays, newest first
    standalone: tuple[str, ...] = ()  # standalone pages, by title
    by_issue: Mapping[int, tuple[str, ...]] = field(
        default_factory=lambda: EMPTY
    )  # issue number -> its essays and minutes
    by_track: Mapping[str, tuple[str, ...]] = field(default_factory=empty)  # track key -> items
    by_tag: Mapping[str, tuple[str, ...]] = field(default_factory=empty)  # tag -> items
    by_author: Mapping[str, tuple[str, ...]] = field(default_factory=empty)  # author -> essays
    tag_slugs: Mapping[str, str] = field(default_factory=empty)  # tag -> slug
    author_slugs: Mapping[str, str] = field(default_factory=empty)  # author -> slug
    issue_sources: Mapping[int, str] = field(default_factory=empty)  # issue number -> source of that issue
    neighbours: Mapping[str, tuple[str | None, str | None]] = field(
        default_factory=lambda: EMPTY
    )  # source -> (previous, next)
    related: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: EMPTY
    )  # source -> same-track items worth reading next
    images: Mapping[str, Picture] = field(default_factory=empty)  # raster image source -> how it is published
    prints: Mapping[int, PrintFile] = field(default_factory=empty)  # issue number -> its print edition (PDF)
    volumes: Mapping[int, PrintFile] = field(default_factory=empty)  # year -> its bound volume (PDF)
