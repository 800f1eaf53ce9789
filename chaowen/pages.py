"""The render stage of a build and the link pass over its result, reusing what did not change.

:meth:`PageStage.run` renders every page whose inputs changed since the last build
into a sink (the staging folder, or nowhere for ``check``) and keeps the others. A
page is kept when its template (with what it includes), its path and page data,
and the values of everything it read while rendered (:mod:`chaowen.reads`) are
what the page manifest recorded, and its file is still there. Then the link pass
checks the links of the pages that can have changed. One object lives as long as
its :class:`~chaowen.build.Builder`, keeping the document views and template
fingerprints that are still valid for the next build (the dev server's).
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import jinja2

from . import messages
from .cache import BuildCache, digest
from .contexts import STATIC
from .errors import Problem
from .links import find_broken, report, scan_page
from .manifest import LinkMemo, PageEntry, Scans
from .model import Brief, BrokenLink, Document, Markup, Output, PageScan, PageSpec, Site
from .reads import Values, document_meta
from .render import Renderer, render_many
from .theme import Theme, make_environment, static_files, static_urls, template_fingerprints
from .urls import output_file
from .views import ItemView


class Sink(Protocol):
    """Where rendered pages go: the staging folder of a build, or nowhere for ``check``."""

    @property
    def existing(self) -> frozenset[str]:
        """Output paths that a previous build wrote and that are still there (kept pages must be among them)."""
        ...

    def put(self, page: Output) -> None: ...


class Discard:
    """The sink of ``check`` and of a build that already failed: nothing is written."""

    @property
    def existing(self) -> frozenset[str]:
        return frozenset()  # nothing is kept: every page is rendered in memory and checked

    def put(self, page: Output) -> None:
        return None


@dataclass(frozen=True)
class Target:
    """The output folder a build renders for, and how the last build there made each file."""

    folder: Path
    id: str  # the folder's key in the cache's manifests and link memos
    previous: Mapping[str, PageEntry]  # empty: nothing is kept
    bytecode: Path | None = None  # where compiled templates are kept, if anywhere


@dataclass(frozen=True)
class Pages:
    """The render stage and the link pass of one build."""

    outputs: list[Output]  # every page, without its bytes
    copies: dict[str, Path]
    rendered: int
    manifest: dict[str, PageEntry]
    problems: list[Problem]  # pages that could not be rendered, else the broken links
    links: LinkMemo | None  # what the link pass found, for the next build into this output


@dataclass
class PageStage:
    """Renders the pages of a site again and again, reusing what did not change."""

    hash_static: bool = True  # a content hash in stylesheet URLs (off in the preview)
    # the document views of the last build: source -> view, its reads
    _views: dict[str, tuple[ItemView, frozenset[str]]] = field(default_factory=dict)
    _templates: tuple[str, dict[str, str]] = ("", {})  # the key of the template files, their fingerprints
    # The last build's manifest, and what each read of its pages and views was worth then
    # (Values.lines). When the next build starts from that manifest (the dev server's), the
    # reads whose value changed are found once, and a page or view is still valid when it
    # read none of them: no digest of every page's values, which read 4,000 documents each
    # on an archive page.
    _last: tuple[Mapping[str, PageEntry], Mapping[str, bytes]] | None = None

    def resume(self, previous: Mapping[str, PageEntry], lines: Mapping[str, bytes]) -> None:
        """Start the next build from ``previous``, a manifest another process made, and ``lines``, what
        its pages' reads were worth then (kept by the cache); a manifest this stage made is kept as it is."""
        if self._last is None or self._last[0] is not previous:
            self._last = (previous, lines)

    def lines_of(self, manifest: Mapping[str, PageEntry]) -> Mapping[str, bytes] | None:
        """What the reads of ``manifest``'s pages were worth, if this stage made it in its last build."""
        return self._last[1] if self._last is not None and self._last[0] is manifest else None

    def run(
        self,
        site: Site,
        markups: Mapping[str, Markup],
        briefs: Mapping[str, Brief] | None,
        theme: Theme,
        cache: BuildCache,
        target: Target,
        sink: Sink,
        progress: Callable[[str, int, int], None],
        *,
        jobs: int | None = None,
        clean: bool = False,
        more: frozenset[str] = frozenset(),
    ) -> Pages:
        """Render the pages into ``sink`` and check their links; problems are returned, not raised.

        ``jobs``: processes to render in (None: one per core); ``clean``: check every link anew;
        ``more``: other files the output will have, which links may lead to (the print edition's PDFs).
        """
        env = make_environment(theme, target.bytecode)
        static = static_files(theme)
        copies = {asset.source: asset.path for asset in site.assets}
        copies.update({f"static/{name}": path for name, path in static.items()})
        static_bytes = {name: path.read_bytes() for name, path in static.items()}
        base = site.config.base_path
        urls = static_urls(base, static_bytes) if self.hash_static else {n: f"{base}static/{n}" for n in static_bytes}
        values = Values(
            site, _document_values(site, cache), {STATIC: repr(sorted(urls.items()))}, _document_metas(cache)
        )
        changed = values.changed(self._last[1]) if self._last is not None and self._last[0] is target.previous else None
        if changed is None:  # the views' reads were worth something in a build whose values are not known here
            self._views = {}
        still_valid = {
            s: (view, r) for s, (view, r) in self._views.items() if changed is not None and changed.isdisjoint(r)
        }
        renderer = Renderer(site, markups.__getitem__, env, urls, briefs.__getitem__ if briefs else None, still_valid)
        outputs, manifest, scans, problems, rendered = self._render(
            site,
            renderer,
            values,
            changed,
            self._template_fingerprints(env, theme, cache),
            target,
            sink,
            progress,
            jobs,
        )
        self._views = dict(renderer.views)
        self._last = (manifest, values.lines)
        if problems:  # a page that failed to render would make every link to it look broken
            return Pages(outputs, copies, rendered, manifest, problems, None)
        found, memo = self._links(site, markups, cache, target, outputs, copies, scans, clean, more)
        return Pages(outputs, copies, rendered, manifest, found, memo)

    def _render(
        self,
        site: Site,
        renderer: Renderer,
        values: Values,
        changed: set[str] | None,
        templates: Mapping[str, str],
        target: Target,
        sink: Sink,
        progress: Callable[[str, int, int], None],
        jobs: int | None,
    ) -> tuple[list[Output], dict[str, PageEntry], dict[str, PageScan], list[Problem], int]:
        """Render the pages whose inputs changed into ``sink``; the others are kept from the previous
        output. Returns every page without its bytes (content None), their manifest, the scans of
        the pages rendered now, the problems of the pages that could not be rendered, and how many
        pages were rendered.

        ``changed``: the reads whose value changed since the build that made ``target.previous``,
        when this stage made it (a kept page's state is then its old one); None: compare states."""
        outputs: list[Output] = []
        manifest: dict[str, PageEntry] = {}
        todo: list[tuple[PageSpec, str]] = []
        folder = os.fspath(target.folder)
        for spec in site.pages:
            path = output_file(spec.path)
            base_key = digest(templates.get(spec.template, ""), spec.path, spec.template, repr(spec.data))
            old = target.previous.get(path)
            if (
                old is not None
                and old.base == base_key
                and (changed.isdisjoint(old.reads) if changed is not None else old.state == values.state(old.reads))
                and _unchanged_file(f"{folder}/{path}", old.size)
            ):
                sink.put(Output(path, None))
                outputs.append(Output(path, None))
                manifest[path] = old
            else:
                todo.append((spec, base_key))
        progress("render", 0, len(todo))
        problems: dict[tuple[str, int | None, messages.Text | str], Problem] = {}
        scans: dict[str, PageScan] = {}
        for (_spec, base_key), (page, problem, reads, scan) in zip(
            todo, render_many(renderer, [s for s, _ in todo], jobs), strict=True
        ):
            if problem is not None:
                problems.setdefault((problem.path, problem.line, problem.message), problem)
                continue
            assert page is not None and page.content is not None
            sink.put(page)
            outputs.append(Output(page.path, None))
            reads = tuple(map(sys.intern, reads))  # the same reads on many pages: one string each in memory
            manifest[page.path] = PageEntry(base_key, reads, values.state(reads), len(page.content))
            if scan is not None:
                scans[page.path] = scan
        progress("render", len(todo), len(todo))
        return outputs, manifest, scans, list(problems.values()), len(todo)

    def _template_fingerprints(self, env: jinja2.Environment, theme: Theme, cache: BuildCache) -> dict[str, str]:
        """Template fingerprints, worked out again only when a template file changed.

        Working them out parses every template (a quarter of a second); the cache keeps
        them under a digest of the template files' bytes, for the next process.
        """
        key = _templates_key(theme)
        if self._templates[0] != key:
            known = cache.templates.get(key)
            self._templates = (key, known if known is not None else template_fingerprints(env))
            cache.templates = {key: self._templates[1]}
        return self._templates[1]

    def _links(
        self,
        site: Site,
        markups: Mapping[str, Markup],
        cache: BuildCache,
        target: Target,
        outputs: Sequence[Output],
        copies: Mapping[str, Path],
        fresh: Mapping[str, PageScan],
        clean: bool,
        more: frozenset[str] = frozenset(),
    ) -> tuple[list[Problem], LinkMemo]:
        """The link pass over the rendered site, checking only what can have changed since the last build.

        What a page's links find depends on its bytes, the set of output files and the
        ids of the pages it links to (:func:`chaowen.links.find_broken`). So the pages
        checked are those rendered now, and of the pages kept those whose links lead
        to a file that came or went, or to a page rendered now with other ids; the
        others keep what they found. The last build's scans (each page's links, ids
        and targets, in the cache) stand in for the kept pages: no HTML is parsed again.
        """
        output, output_id = target.folder, target.id
        files = frozenset({o.path for o in outputs} | set(copies) | more)
        html = sorted(o.path for o in outputs if o.path.endswith(".html"))
        files_key = digest(*sorted(files))
        memo = None if clean else cache.links.get(output_id)
        if memo is not None and memo.files == files_key and not fresh:
            return report(site, markups, memo.broken, files), memo  # nothing changed
        old = cache.scans(output_id) if memo is not None else Scans({}, {})
        read: dict[str, PageScan] = {}
        html_set = set(html)

        def scan_of(path: str) -> PageScan | None:
            scan = fresh.get(path) or read.get(path) or old.get(path)
            if scan is None and path in html_set:  # kept, but its scan was lost: read the page
                scan = read[path] = scan_page((output / path).read_bytes())
            return scan

        if memo is None or old.files is None:
            todo = html
            broken: dict[str, tuple[BrokenLink, ...]] = {}
        else:
            changed = files ^ old.files
            changed |= {p for p, scan in fresh.items() if p not in old or old[p].ids != scan.ids}
            todo = [p for p in html if p in fresh or (changed and old.may_lead_to(p, changed))]
            broken = {p: found for p, found in memo.broken.items() if p in html_set}
            for path in todo:
                broken.pop(path, None)
        found, targets = find_broken(site, todo, scan_of, files)
        broken.update(found)
        scans = old.carried(html, {**read, **fresh}, targets, files)
        stamp = digest(files_key, str(time.time_ns()), str(os.getpid()))
        return report(site, markups, broken, files), LinkMemo(stamp, files_key, broken, scans)


def _templates_key(theme: Theme) -> str:
    """A digest of every file of the theme's template folders: name, place and bytes."""
    parts = [
        f"{rank}/{path.relative_to(folder).as_posix()}\x00{hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()}"
        for rank, folder in enumerate(theme.template_dirs)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]
    return digest(*parts)


def _unchanged_file(path: str, size: int) -> bool:
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def _document_metas(cache: BuildCache) -> Callable[[Document], str]:
    """The value of a ``docmeta`` read, from the cache when the document's bytes did not change."""
    return functools.partial(cache.meta, compute=document_meta)


def _document_values(site: Site, cache: BuildCache) -> Callable[[str], str]:
    """A document's value for :class:`~chaowen.reads.Values`: a hash of everything about it a page can
    show, its bytes and its markup (with the URLs its links resolved to)."""

    def value(source: str) -> str:
        return cache.document_value(site.documents[source])

    return value
