"""The print edition: a print-ready PDF of every journal issue, made from the same documents as its page.

Switched on by ``print: {enabled: true}`` in ``chaowen.yaml``. :func:`plan_editions` says which
PDFs the site has and where they go (``issues/3/chaowen-3.pdf``, saved as ``潮闻第3期.pdf``);
:class:`PrintStage` makes them. For each issue it renders the theme's ``print/issue.html``
(which includes the stylesheet ``print/print.css``; both overridable in the site's theme
folder like any template) with a :class:`PrintIssue`: the cover, the editor's note, the
contents by track, then the articles by track, their Markdown HTML prepared for print by
:func:`chaowen.typeset.print_article`. WeasyPrint lays it out (:func:`chaowen.typeset.typeset`),
in worker processes when several issues are to be typeset.

A PDF is stored under a key made from everything it shows: the code, WeasyPrint's version,
the configuration, the print templates, the issue's documents (their bytes and Markdown
results) and the files of the images they show. A build whose key is stored takes the stored
bytes, so an unchanged issue is not typeset again and its PDF stays byte-identical; two
typesettings of the same input give the same bytes too (the PDF's creation date is the
issue's date and its identifier the key).

When WeasyPrint or a font that can draw Chinese is missing, the site is built without the
print edition and the stage gives a notice, once, saying what to install. Pages learn of the
PDFs through ``Site.prints`` (issue number -> path, download name, size), set by the build.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
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


def issue_data(site: Site, edition: Edition, markups: Callable[[str], Markup]) -> PrintIssue:
    """The print template's data for ``edition`` (pure)."""
    config = site.config
    base = config.base_path
    doc = site.documents[edition.source]
    ids: dict[str, str] = {}
    for _, sources in edition.groups:
        for source in sources:
            ids[source] = f"a{len(ids) + 1}"
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
            PrintGroup(f"t{index}", track.name if track else "其他", track.description if track else "", tuple(shown))
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
        note_html=prepared(edition.source, "note"),
        note_titled=bool(note.toc) and note.toc[0].title == "编者按",
        groups=tuple(groups),
    )


def _date_text(date: object) -> str:
    from datetime import datetime

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
        entry = cache.markups.get(source)
        return digest(
            site.documents[source].digest,
            entry.key if entry else "",
            repr(sorted((entry.targets if entry else {}).items())),
        )

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
    timings: Mapping[int, float] = field(default_factory=dict)  # issue number -> seconds to typeset it


@dataclass
class PrintStage:
    """Makes the print edition of a site again and again (the CLI once, the preview after every save).

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
        """
        started = time.perf_counter()
        editions = plan_editions(site)
        if not editions:
            return Printed({}, {}, 0, 0.0)
        fingerprint = template_fingerprint(env, TEMPLATE)  # with the stylesheet it includes
        keys = {e.number: self._key(site, e, fingerprint, document_value, resources) for e in editions}
        found: dict[int, bytes] = {}
        for edition in editions:
            stored = self._stored(keys[edition.number], reuse)
            if stored is not None:
                found[edition.number] = stored
                _remember(keys[edition.number], stored)
        todo = [e for e in editions if e.number not in found]
        problems: list[Problem] = []
        timings: dict[int, float] = {}
        if todo and make:
            missing = engine_missing()  # imported only when there is something to typeset (a second or so)
            if missing is not None:
                return Printed({}, {}, 0, 0.0, notices=self._notice("print_skipped_engine", reason=missing))
            if fonts_missing():
                return Printed({}, {}, 0, 0.0, notices=self._notice("print_skipped_font", fonts=_FONTS))
            documents: list[tuple[int, str, dict[str, str], bytes]] = []
            for edition in todo:
                html, problem = render_edition(env, site, edition, markups)
                if problem is not None:
                    problems.append(problem)
                    continue
                identifier = digest(html).encode("ascii")  # what is printed, not how: a code change may keep it
                documents.append((edition.number, html, _files(site), identifier))
            if progress:
                progress("print", 0, len(documents))
            for done, (number, result, seconds) in enumerate(typeset_all(documents, jobs), 1):
                timings[number] = seconds
                if progress:
                    progress("print", done, len(documents))
                han = [c for c in result.missing if is_han(c)]
                if han:  # no Chinese font: a PDF of empty boxes is not written
                    return Printed({}, {}, 0, 0.0, notices=self._notice("print_skipped_font", fonts=_FONTS))
                if result.missing:
                    problems.append(_missing_glyphs(site, editions, number, result.missing))
                found[number] = result.pdf
                self._keep(keys[number], result.pdf)
        if problems and any(p.is_error for p in problems):
            return Printed({}, {}, 0, time.perf_counter() - started, tuple(problems))
        files = {
            e.number: PrintFile(e.path, e.name, len(found[e.number]) if e.number in found else 0) for e in editions
        }
        outputs = {e.path: found[e.number] for e in editions if e.number in found} if make else {}
        if make:
            self._prune(set(keys.values()))
        made = len(timings)
        return Printed(files, outputs, made, time.perf_counter() - started, tuple(problems), (), timings)

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
        files = []
        for source in sorted(shown):
            try:
                info = assets[source].stat()
                files.append(f"{source}\x1f{info.st_size}\x1f{info.st_mtime_ns}")
            except OSError:
                files.append(f"{source}\x1fgone")
        shown_config = {name: getattr(config, name) for name in _CONFIG_SHOWN}
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
        """Delete the stored PDFs no issue has any more (only the stage's own files in its folder)."""
        if self.store is None or not self.store.is_dir():
            return
        for path in self.store.iterdir():
            if _STORED.fullmatch(path.name) and path.stem not in keys:
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


def _remember(key: str, pdf: bytes) -> None:
    _RECENT.pop(key, None)
    _RECENT[key] = pdf
    while len(_RECENT) > _RECENT_MAX:
        del _RECENT[next(iter(_RECENT))]


def _missing_glyphs(site: Site, editions: Sequence[Edition], number: int, missing: Sequence[str]) -> Problem:
    source = next(e.source for e in editions if e.number == number)
    shown = " ".join(f"{c}（U+{ord(c):04X}）" for c in missing[:10])
    return Problem(
        f"content/{source}",
        None,
        messages.say("print_missing_glyphs", number=number, characters=shown),
        messages.say("print_missing_glyphs_hint"),
        Severity.WARNING,
    )


def _files(site: Site) -> dict[str, str]:
    """Site path -> file of every asset: what the print document may show."""
    return {site.urls.get(asset.source, asset.source): str(asset.path) for asset in site.assets}


def render_edition(
    env: jinja2.Environment, site: Site, edition: Edition, markups: Callable[[str], Markup]
) -> tuple[str, Problem | None]:
    """The print document of ``edition``, or the problem of the template."""
    try:
        template = env.get_template(TEMPLATE)
        data = issue_data(site, edition, markups)
        return template.render(issue=data, settings=site.config.print), None
    except jinja2.TemplateSyntaxError as error:
        where = f"templates/{error.name or TEMPLATE}"
        return "", Problem(where, error.lineno, messages.say("template_syntax", reason=error.message or ""))
    except jinja2.TemplateNotFound as error:
        searched = ", ".join(getattr(env.loader, "searchpath", []))
        return "", Problem(
            f"templates/{error.name}", None, messages.say("template_missing", name=error.name, searched=searched)
        )
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as error:
        return "", Problem(f"templates/{TEMPLATE}", None, messages.say("template_error", reason=str(error)))


# ------------------------------------------------------------------ typesetting, in parallel
_Job = tuple[int, str, dict[str, str], bytes]  # issue number, print HTML, site path -> file, PDF identifier


def _typeset_one(job: _Job) -> tuple[int, Typeset, float]:
    number, html, files, identifier = job
    started = time.perf_counter()
    result = typeset(html, files, identifier)
    return number, result, time.perf_counter() - started


def typeset_all(jobs: Sequence[_Job], workers: int | None) -> Iterable[tuple[int, Typeset, float]]:
    """Typeset every job: in worker processes when there are several (one issue takes seconds)."""
    count = min(len(jobs), workers if workers is not None else (os.cpu_count() or 1))
    if count <= 1:
        yield from map(_typeset_one, jobs)
        return
    # Not a fork of this process: it may have loaded Pango and fontconfig, whose locks a fork inherits held.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(_typeset_one, jobs)
