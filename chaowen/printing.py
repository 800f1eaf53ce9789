"""The print edition: a print-ready PDF of every journal issue, made from the same documents as its page.

Switched on by ``print: {enabled: true}`` in ``chaowen.yaml``. :func:`plan_editions` says which
PDFs the site has and where they go (``issues/3/chaowen-3.pdf``, saved as ``潮闻第3期.pdf``);
:class:`PrintStage` makes them. For each issue it renders the theme's ``print/issue.html``
(which includes the stylesheet ``print/print.css``; both overridable in the site's theme
folder like any template) with a :class:`PrintIssue`: the cover, the editor's note, the
contents by track, then the articles by track, their Markdown HTML prepared for print by
:func:`chaowen.typeset.print_article`. WeasyPrint lays it out (:func:`chaowen.typeset.typeset`),
in worker processes when several issues are to be typeset. With ``print.volumes`` each year
also gets a bound volume (:func:`plan_volumes`, ``print/volume.html``): every issue of the year
in one PDF, with one contents and one run of page numbers.

A PDF is stored under a key made from everything it shows: the code, WeasyPrint's version,
the settings it shows, the print templates, the issue's documents (their bytes and Markdown
results) and the files of the images they show (a volume: its issues' keys). A build whose
key is stored takes the stored bytes, so an unchanged issue is not typeset again and its PDF
stays byte-identical; two typesettings of the same input give the same bytes too (the PDF's
creation date is the issue's date and its identifier a digest of its print HTML).

When WeasyPrint or a font that can draw Chinese is missing, the site is built without the
print edition and the stage gives a notice, once, saying what to install. Pages learn of the
PDFs through ``Site.prints`` (issue number -> path, download name, size) and ``Site.volumes``
(year -> the same), set by the build.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path

import jinja2
from jinja2 import meta

from . import messages
from .cache import BuildCache, code_digest, digest
from .errors import Problem, Severity
from .model import Kind, Markup, PrintFile, Site
from .reads import stable
from .typeset import Typeset, engine_missing, engine_version, fonts_missing, is_han, print_article, typeset

TEMPLATE = "print/issue.html"
VOLUME_TEMPLATE = "print/volume.html"
STORE = "print"  # the stored PDFs' folder in the cache folder
_STORED = re.compile(r"[0-9a-f]{32}\.pdf")
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Edition:
    """The PDF of one journal issue: where it goes and what is in it."""

    number: int
    source: str  # the issue document
    path: str  # in the output folder
    name: str  # the name a download is saved under
    groups: tuple[tuple[str | None, tuple[str, ...]], ...]  # (track key or None, article sources), in order

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *(s for _, sources in self.groups for s in sources))


def plan_editions(site: Site) -> tuple[Edition, ...]:
    """Every issue's PDF, lowest number first; none when the print edition is off."""
    config = site.config
    if not config.print.enabled:
        return ()
    editions: list[Edition] = []
    for number, source in sorted(site.issue_sources.items()):
        if source not in site.urls:
            continue
        members = site.by_issue.get(number, ())
        groups: list[tuple[str | None, tuple[str, ...]]] = []
        for track in config.tracks:
            chosen = tuple(s for s in members if site.documents[s].track == track.key)
            if chosen:
                groups.append((track.key, chosen))
        loose = tuple(s for s in members if site.documents[s].track is None)
        if loose:
            groups.append((None, loose))
        page = site.urls[source]
        editions.append(
            Edition(number, source, f"{page}chaowen-{number}.pdf", f"{config.title}第{number}期.pdf", tuple(groups))
        )
    return tuple(editions)


# ------------------------------------------------------------------ the template's data
@dataclass(frozen=True, slots=True)
class PrintArticle:
    id: str  # its id in the print document (the table of contents links to it)
    title: str
    kind_label: str  # 学员心得, 沙龙纪要
    authors: tuple[str, ...]
    unit: str
    host: str
    venue: str
    date_text: str
    html: str  # the Markdown's HTML, prepared for print (see chaowen.typeset.print_article)


@dataclass(frozen=True, slots=True)
class PrintGroup:
    id: str
    name: str  # the track's name, or 其他
    description: str
    articles: tuple[PrintArticle, ...]


@dataclass(frozen=True, slots=True)
class PrintIssue:
    """What ``print/issue.html`` receives (as ``issue``), with ``settings`` (the ``print:`` config)."""

    journal: str
    description: str
    author: str
    copyright: str
    language: str
    number: int
    number_text: str  # 第3期
    title: str
    date_text: str  # 2026年3月31日
    date_iso: str  # the PDF's creation date
    summary: str
    tags: tuple[str, ...]
    cover: str  # the cover image's address, "" without one
    url: str  # the issue's page on the site
    note_html: str  # the editor's note: the issue document's own Markdown
    note_titled: bool  # the note opens with its own heading 编者按
    groups: tuple[PrintGroup, ...]
    id: str = "issue"  # its id in the print document (a bound volume's contents link to it)


@dataclass(frozen=True, slots=True)
class PrintVolume:
    """What ``print/volume.html`` receives (as ``volume``): a year's issues bound in one book."""

    journal: str
    description: str
    author: str
    copyright: str
    language: str
    year: int
    title: str  # 2026年合订本
    date_iso: str  # the PDF's creation date: the last issue's
    issues: tuple[PrintIssue, ...]


def issue_data(site: Site, edition: Edition, markups: Callable[[str], Markup], prefix: str = "") -> PrintIssue:
    """The print template's data for ``edition`` (pure); ``prefix`` keeps its ids apart from other issues'
    in a bound volume."""
    config = site.config
    base = config.base_path
    doc = site.documents[edition.source]
    ids: dict[str, str] = {}
    for _, sources in edition.groups:
        for source in sources:
            ids[source] = f"{prefix}a{len(ids) + 1}"
    articles = {site.urls[s]: ids[s] for s in ids if s in site.urls}

    def prepared(source: str, prefix: str) -> str:
        return print_article(markups(source).html, prefix, articles=articles, base_path=base, origin=config.origin)

    tracks = {t.key: t for t in config.tracks}
    groups: list[PrintGroup] = []
    for index, (key, sources) in enumerate(edition.groups, 1):
        track = tracks.get(key) if key else None
        shown = []
        for source in sources:
            item = site.documents[source]
            shown.append(
                PrintArticle(
                    id=ids[source],
                    title=item.title,
                    kind_label=item.kind.label if item.kind is not Kind.ESSAY else "",
                    authors=item.authors,
                    unit=item.unit,
                    host=item.host,
                    venue=item.venue,
                    date_text=_date_text(item.date),
                    html=prepared(source, ids[source]),
                )
            )
        groups.append(
            PrintGroup(
                f"{prefix}t{index}", track.name if track else "其他", track.description if track else "", tuple(shown)
            )
        )
    note = markups(edition.source)
    cover = doc.more.get("cover")
    return PrintIssue(
        journal=config.title,
        description=config.description,
        author=config.author,
        copyright=config.copyright,
        language=config.language,
        number=edition.number,
        number_text=f"第{edition.number}期",
        title=doc.title,
        date_text=_date_text(doc.date),
        date_iso=doc.date.isoformat() if doc.date else "2000-01-01T00:00:00+00:00",
        summary=doc.summary or note.summary,
        tags=doc.tags,
        cover=f"{base}{site.urls[cover]}" if isinstance(cover, str) and cover in site.urls else "",
        url=config.origin + base + site.urls[edition.source],
        note_html=prepared(edition.source, f"{prefix}note"),
        note_titled=bool(note.toc) and note.toc[0].title == "编者按",
        groups=tuple(groups),
        id=f"{prefix}issue",
    )


@dataclass(frozen=True, slots=True)
class Volume:
    """The bound volume (合订本) of one year: every issue of the year, in one PDF."""

    year: int
    path: str
    name: str
    issues: tuple[Edition, ...]


def plan_volumes(site: Site, editions: Sequence[Edition]) -> tuple[Volume, ...]:
    """A bound volume per year with an issue, when ``print.volumes`` asks for them."""
    config = site.config
    if not config.print.volumes:
        return ()
    years: dict[int, list[Edition]] = {}
    for edition in editions:
        date = site.documents[edition.source].date
        if date is not None:
            years.setdefault(date.year, []).append(edition)
    return tuple(
        Volume(year, f"issues/chaowen-{year}.pdf", f"{config.title}{year}年合订本.pdf", tuple(issues))
        for year, issues in sorted(years.items())
    )


def volume_data(site: Site, volume: Volume, markups: Callable[[str], Markup]) -> PrintVolume:
    """The bound volume's template data (pure): each issue's, with ids of its own."""
    config = site.config
    issues = tuple(issue_data(site, e, markups, f"i{e.number}-") for e in volume.issues)
    return PrintVolume(
        journal=config.title,
        description=config.description,
        author=config.author,
        copyright=config.copyright,
        language=config.language,
        year=volume.year,
        title=f"{volume.year}年合订本",
        date_iso=issues[-1].date_iso,
        issues=issues,
    )


def _date_text(date: object) -> str:
    return f"{date.year}年{date.month}月{date.day}日" if isinstance(date, datetime) else ""


# ------------------------------------------------------------------ the stage
def template_fingerprint(env: jinja2.Environment, name: str) -> str:
    """A digest of template ``name`` and of every template it includes, imports or extends, by name.

    (:func:`chaowen.theme.template_fingerprints` does every template of the theme: ten times the work.)
    A template that names another by a variable depends on all of them.
    """
    sources: list[str] = []
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source, _, _ = env.loader.get_source(env, current) if env.loader else ("", None, None)
            references = list(meta.find_referenced_templates(env.parse(source)))
        except (jinja2.TemplateError, OSError):
            source, references = "", []  # rendering reports it
        sources.append(f"{current}\x1f{source}")
        if any(r is None for r in references):
            pending.extend(env.list_templates())
        pending.extend(r for r in references if r is not None)
    return digest(*sorted(sources))


def print_inputs(site: Site, cache: BuildCache) -> tuple[Callable[[str], str], Callable[[str], Iterable[str]]]:
    """What a PDF's key is made of, from the build cache: a digest of each document's bytes and Markdown
    result (as the page manifest has it), and the content files its Markdown links to (its images)."""

    def value(source: str) -> str:
        return cache.document_value(site.documents[source])

    def resources(source: str) -> Iterable[str]:
        entry = cache.markups.get(source)
        return tuple(entry.targets) if entry else ()

    return value, resources


@dataclass(frozen=True)
class Printed:
    """What the print stage made for one build."""

    files: Mapping[int, PrintFile]  # issue number -> the PDF pages link to
    outputs: Mapping[str, bytes]  # output path -> the PDF's bytes (empty when not typeset: ``check``)
    made: int  # issues typeset in this build (the others were stored)
    seconds: float
    problems: tuple[Problem, ...] = ()
    notices: tuple[messages.Text, ...] = ()  # told once per stage: what was skipped and how to install it
    timings: Mapping[str, float] = field(default_factory=dict)  # output path -> seconds to typeset it
    volumes: Mapping[int, PrintFile] = field(default_factory=dict)  # year -> its bound volume


@dataclass(frozen=True)
class _Book:
    """One PDF to make: an issue's or a bound volume's."""

    path: str
    key: str  # a digest of everything it shows
    number: int | None  # the issue (None: a volume, whose characters are its issues')
    sources: tuple[str, ...]  # its documents, where a character no font has is looked for
    render: Callable[[], tuple[str, Problem | None]]  # its print HTML, or the template's problem


@dataclass
class PrintStage:
    """Makes the print edition of a site again and again (once for the CLI; a Builder may build many times).

    ``store`` is the folder the PDFs are kept in between builds (in the cache folder; None:
    in memory only). A notice is given once in the life of the stage.
    """

    store: Path | None = None
    _told: set[str] = field(default_factory=set)

    def run(
        self,
        site: Site,
        markups: Callable[[str], Markup],
        env: jinja2.Environment,
        document_value: Callable[[str], str],
        resources: Callable[[str], Iterable[str]],
        *,
        images: Mapping[str, Path] | None = None,
        make: bool = True,
        reuse: bool = True,
        jobs: int | None = None,
        progress: Progress | None = None,
    ) -> Printed:
        """The PDFs of ``site``'s issues: stored ones as they are, the others typeset now.

        ``env`` is the theme's Jinja environment; ``document_value`` a digest of a document's bytes and Markdown result; ``resources``
        the content files a document's Markdown links to. ``make=False`` (``chaowen check``)
        typesets nothing and writes nothing: the PDFs that are stored are named with their size.
        ``reuse=False`` (``--clean``) does not read the stored PDFs (those of this process it does).
        ``images``: each image variant's site path -> its file, made before this runs.
        """
        started = time.perf_counter()
        editions = plan_editions(site)
        if not editions:
            return Printed({}, {}, 0, 0.0)
        volumes = plan_volumes(site, editions)
        fingerprint = template_fingerprint(env, TEMPLATE)  # with the stylesheet it includes
        books: list[_Book] = []
        issue_keys: dict[int, str] = {}
        for edition in editions:
            key = issue_keys[edition.number] = self._key(site, edition, fingerprint, document_value, resources)
            render = partial(render_edition, env, site, edition, markups)
            books.append(_Book(edition.path, key, edition.number, edition.sources, render))
        if volumes:
            bound = template_fingerprint(env, VOLUME_TEMPLATE)
            for volume in volumes:
                key = digest(bound, repr(volume), *(issue_keys[e.number] for e in volume.issues))
                books.append(_Book(volume.path, key, None, (), partial(render_volume, env, site, volume, markups)))
        found: dict[str, bytes] = {}
        for book in books:
            stored = self._stored(book.key, reuse)
            if stored is not None:
                found[book.path] = stored
                if make and self.store is not None and not (self.store / f"{book.key}.pdf").exists():
                    self._keep(book.key, stored)  # typeset for another site of this process: kept for this one
                else:
                    _remember(book.key, stored)
        todo = [b for b in books if b.path not in found]
        problems: list[Problem] = []
        timings: dict[str, float] = {}
        if todo and make:
            missing = engine_missing()  # imported only when there is something to typeset (a second or so)
            if missing is not None:
                return Printed({}, {}, 0, 0.0, notices=self._notice("print_skipped_engine", reason=missing))
            if fonts_missing():
                return Printed({}, {}, 0, 0.0, notices=self._notice("print_skipped_font", fonts=_FONTS))
            documents: list[_Job] = []
            for book in todo:
                html, problem = book.render()
                if problem is not None:
                    problems.append(problem)
                    continue
                identifier = digest(html).encode("ascii")  # what is printed, not how: a code change may keep it
                documents.append((book.path, html, _files(site, images or {}), identifier))
            if progress:
                progress("print", 0, len(documents))
            by_path = {b.path: b for b in books}
            for done, (path, result, seconds) in enumerate(typeset_all(documents, jobs), 1):
                timings[path] = seconds
                if progress:
                    progress("print", done, len(documents))
                if any(is_han(c) for c in result.missing):  # no Chinese font: no PDF of empty boxes
                    return Printed({}, {}, 0, 0.0, notices=self._notice("print_skipped_font", fonts=_FONTS))
                book = by_path[path]
                if result.missing and book.number is not None:
                    problems.append(_missing_glyphs(site, markups, book, result.missing))
                found[path] = result.pdf
                self._keep(by_path[path].key, result.pdf)
        if any(p.is_error for p in problems):
            return Printed({}, {}, 0, time.perf_counter() - started, tuple(problems))
        files = {e.number: PrintFile(e.path, e.name, len(found.get(e.path, b""))) for e in editions}
        bound_files = {v.year: PrintFile(v.path, v.name, len(found.get(v.path, b""))) for v in volumes}
        outputs = dict(found) if make else {}
        if make:
            self._prune({b.key for b in books})
        seconds = time.perf_counter() - started
        return Printed(files, outputs, len(timings), seconds, tuple(problems), (), timings, bound_files)

    def _key(
        self,
        site: Site,
        edition: Edition,
        fingerprint: str,
        document_value: Callable[[str], str],
        resources: Callable[[str], Iterable[str]],
    ) -> str:
        config = site.config
        assets = {asset.source: asset.path for asset in site.assets}
        shown: set[str] = set()
        for source in edition.sources:
            shown.update(r for r in resources(source) if r in assets)
        cover = site.documents[edition.source].more.get("cover")
        if isinstance(cover, str) and cover in assets:
            shown.add(cover)
        files = [f"{source}\x1f{_file_digest(assets[source])}" for source in sorted(shown)]
        shown_config = {name: getattr(config, name) for name in _CONFIG_SHOWN}
        shown_config["print"] = replace(config.print, volumes=False)  # whether there are volumes: not the issue's
        return digest(
            code_digest(),
            engine_version(),
            stable(shown_config),
            fingerprint,
            repr(edition),
            *(f"{s}\x1f{document_value(s)}" for s in edition.sources),
            *files,
        )

    def _stored(self, key: str, reuse: bool) -> bytes | None:
        data = _RECENT.get(key)
        if data is None and self.store is not None and reuse:
            try:
                data = (self.store / f"{key}.pdf").read_bytes()
            except OSError:
                return None
        return data

    def _keep(self, key: str, pdf: bytes) -> None:
        _remember(key, pdf)
        if self.store is not None:
            self.store.mkdir(parents=True, exist_ok=True)
            scratch = self.store / f".{key}.{os.getpid()}.tmp"
            scratch.write_bytes(pdf)
            os.replace(scratch, self.store / f"{key}.pdf")

    def _prune(self, keys: set[str]) -> None:
        """Delete the stored PDFs of older builds (only the stage's own files in its folder).

        As many as this build has are kept besides its own, newest first: a second output folder
        of the site (another base URL) keeps its PDFs too, and an edit that is undone costs nothing.
        """
        if self.store is None or not self.store.is_dir():
            return
        others = []
        for path in self.store.iterdir():
            if _STORED.fullmatch(path.name) and path.stem not in keys:
                try:
                    others.append((path.stat().st_mtime_ns, path))
                except OSError:
                    continue
        for _, path in sorted(others, reverse=True)[len(keys) :]:
            path.unlink(missing_ok=True)

    def _notice(self, key: str, **values: object) -> tuple[messages.Text, ...]:
        if key in self._told:
            return ()
        self._told.add(key)
        return (messages.say(key, **values),)


_FONTS = "Noto Serif CJK SC、Noto Sans CJK SC"
# The settings a PDF shows (the others, like per_page or relative_urls, change pages only).
_CONFIG_SHOWN = ("title", "description", "base_url", "language", "timezone", "tracks", "author", "copyright", "print")
# The PDFs typeset or read lately in this process, by key: a preview's rebuilds, and builds of copies of one
# site (the tests'), typeset an issue once. The bytes are the same as typesetting again would give.
_RECENT: dict[str, bytes] = {}
_RECENT_MAX = 24


_FILE_DIGESTS: dict[tuple[Path, int, int], str] = {}  # an image's digest by its path and stat, for the process


def _file_digest(path: Path) -> str:
    """A digest of the file's bytes (an image a PDF shows), read again only when its stat changed."""
    try:
        info = path.stat()
        stamp = (path, info.st_size, info.st_mtime_ns)
        found = _FILE_DIGESTS.get(stamp)
        if found is None:
            found = _FILE_DIGESTS[stamp] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        return found
    except OSError:
        return "gone"


def _remember(key: str, pdf: bytes) -> None:
    _RECENT.pop(key, None)
    _RECENT[key] = pdf
    while len(_RECENT) > _RECENT_MAX:
        del _RECENT[next(iter(_RECENT))]


def _missing_glyphs(site: Site, markups: Callable[[str], Markup], book: _Book, missing: Sequence[str]) -> Problem:
    """The warning for characters no font has, on the first document of the issue that has one."""
    source = next(
        (s for s in book.sources if any(c in markups(s).html or c in site.documents[s].title for c in missing)),
        book.sources[0],
    )
    shown = " ".join(f"{c}（U+{ord(c):04X}）" for c in missing[:10])
    return Problem(
        f"content/{source}",
        None,
        messages.say("print_missing_glyphs", number=book.number or 0, characters=shown),
        messages.say("print_missing_glyphs_hint"),
        Severity.WARNING,
    )


def _files(site: Site, images: Mapping[str, Path]) -> dict[str, str]:
    """Site path -> file of every asset and every image variant (chaowen.images): what the print document may show."""
    files = {site.urls.get(asset.source, asset.source): str(asset.path) for asset in site.assets}
    files.update((path, str(file)) for path, file in images.items())
    return files


def render_edition(
    env: jinja2.Environment, site: Site, edition: Edition, markups: Callable[[str], Markup]
) -> tuple[str, Problem | None]:
    """The print document of ``edition``, or the problem of the template."""
    return _render(env, TEMPLATE, lambda: {"issue": issue_data(site, edition, markups), "settings": site.config.print})


def render_volume(
    env: jinja2.Environment, site: Site, volume: Volume, markups: Callable[[str], Markup]
) -> tuple[str, Problem | None]:
    """The print document of a bound volume, or the problem of the template."""
    data = lambda: {"volume": volume_data(site, volume, markups), "settings": site.config.print}  # noqa: E731
    return _render(env, VOLUME_TEMPLATE, data)


def _render(env: jinja2.Environment, name: str, data: Callable[[], dict[str, object]]) -> tuple[str, Problem | None]:
    try:
        return env.get_template(name).render(data()), None
    except jinja2.TemplateSyntaxError as error:
        where = f"templates/{error.name or name}"
        return "", Problem(where, error.lineno, messages.say("template_syntax", reason=error.message or ""))
    except jinja2.TemplateNotFound as error:
        searched = ", ".join(getattr(env.loader, "searchpath", []))
        return "", Problem(
            f"templates/{error.name}", None, messages.say("template_missing", name=error.name, searched=searched)
        )
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as error:
        return "", Problem(f"templates/{name}", None, messages.say("template_error", reason=str(error)))


# ------------------------------------------------------------------ typesetting, in parallel
# Below this many PDFs to typeset, worker processes cost about what they save: each loads the fonts
# again (bench/print_edition.py: the example's 3 issues, 5.8 s one by one, 5.5 s in 2 processes).
POOL_THRESHOLD = 4
_Job = tuple[str, str, dict[str, str], bytes]  # output path, print HTML, site path -> file, PDF identifier


def _typeset_one(job: _Job) -> tuple[str, Typeset, float]:
    number, html, files, identifier = job
    started = time.perf_counter()
    result = typeset(html, files, identifier)
    return number, result, time.perf_counter() - started


def typeset_all(jobs: Sequence[_Job], workers: int | None) -> Iterable[tuple[str, Typeset, float]]:
    """Typeset every job: in worker processes when there are several (one issue takes seconds)."""
    count = min(len(jobs), workers if workers is not None else (os.cpu_count() or 1))
    if count <= 1 or len(jobs) < POOL_THRESHOLD:
        yield from map(_typeset_one, jobs)
        return
    # Not a fork of this process: it may have run Pango, whose threads' locks a fork would inherit held. The
    # workers are forks of a server that imported WeasyPrint and typeset nothing: they start in milliseconds.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["chaowen.typeset", "weasyprint"])
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(_typeset_one, jobs)
