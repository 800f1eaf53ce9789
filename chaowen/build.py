"""The pipeline, read top to bottom.

:func:`load` reads and validates everything and writes nothing: config ->
content -> site model -> markup. :func:`build` is load + render + the link pass
over the rendered pages (in memory) + search (the Pagefind index of the rendered
pages) + write. ``chaowen check`` is that same build without its write stage
(:meth:`Builder.check`), so the two report the same problems. A build either has
a complete, checked site or raises :class:`BuildError` with every problem of
every stage, before the output folder changes.

:class:`Builder` runs that same pipeline again and again (the CLI once, the dev
server after every save), skipping work whose inputs did not change: front
matter and Markdown come from the build cache when the file's bytes are the
same, a page is rendered only when something it showed changed, and the search
index is made again only when an indexed page changed. There is
no second code path for "incremental": a rebuild is a build with a warm cache,
and its output is byte-identical to a clean build's.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import jinja2

from . import messages
from .cache import CACHE_DIR, BuildCache, FileStat, LinkMemo, MarkupEntry, PageEntry, Scans, digest
from .config import load_config
from .content import Recent, load_content, with_body
from .errors import BuildError, Problem
from .links import find_broken, report, scan_page
from .markup_pool import frozen_heap, render_all
from .model import Brief, BrokenLink, Document, Markup, Output, PageScan, PageSpec, Site, SiteConfig
from .render import Renderer, render_pages
from .search import SearchIndex, index_site, search_shards
from .site import build_site
from .theme import Theme, find_theme, make_environment, static_files, static_urls, template_fingerprints
from .urls import output_file, remember_slugs, slugify
from .views import ItemView
from .write import Staging, WriteStats, check_output_dir

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True, slots=True)
class BuildOptions:
    site_root: Path
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    clean: bool = False  # ignore the cache and the previous output: everything is made anew
    relative: bool | None = None
    jobs: int | None = None  # None: one per core
    cache: bool = True  # keep the build cache in SITE/.chaowen-cache
    search: bool = True  # write the full-text search index (pagefind/)
    # False: keep the previous search index while one is on disk, even when pages changed.
    # The preview uses it: Pagefind re-indexes every page of a year (about 10 ms each), and a search
    # that lags behind the last save costs an editor less than a slow reload does.
    search_refresh: bool = True
    # When loading found errors, still render the pages and check their links (in memory), so
    # that one run reports every problem. The preview sets it off: it shows the errors at once
    # instead of after rendering a site whose lists the errors changed.
    complete: bool = True

    @property
    def output_dir(self) -> Path:
        return self.output if self.output is not None else self.site_root / "output"


@dataclass(frozen=True)
class LoadedSite:
    """Everything up to markup, checked; what ``build`` renders."""

    config: SiteConfig
    site: Site
    markups: Mapping[str, Markup]
    theme: Theme
    warnings: tuple[Problem, ...]
    briefs: Mapping[str, Brief] | None = None  # summaries and reading stats, cheaper than whole markups


@dataclass(frozen=True)
class BuildResult:
    pages: int  # pages of the site
    files: int  # files in the output folder
    written: int  # files whose bytes changed
    warnings: tuple[Problem, ...]
    seconds: float
    timings: Mapping[str, float] = field(default_factory=dict)
    changed: tuple[str, ...] = ()  # output paths whose bytes changed (or are new)
    removed: tuple[str, ...] = ()  # output paths that the previous build had and this one has not
    rendered: int = 0  # pages rendered (the others were unchanged and kept)
    markdown: int = 0  # documents whose Markdown was rendered (the others came from the cache)
    indexed: int = 0  # pages in the search index (0: no index was made)
    index_bytes: int = 0  # size of the search index files
    shards_indexed: tuple[str, ...] = ()  # search shards made in this build (the others were kept)
    foreign: int = 0  # files and folders in the output folder that chaowen did not write (left in place)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _raise_if_failed(problems: Sequence[Problem], strict: bool) -> tuple[Problem, ...]:
    """Stop when there are errors (or, with ``strict``, warnings); else return the warnings."""
    if any(p.is_error for p in problems) or (strict and problems):
        raise BuildError([p.as_error() if strict else p for p in problems])
    return tuple(problems)


def load(options: BuildOptions, *, now: datetime | None = None, progress: Progress = _no_progress) -> LoadedSite:
    """Read and validate the whole site and render its Markdown; write nothing to the output."""
    return Builder(options).load(now=now, progress=progress)


def build(options: BuildOptions, *, now: datetime | None = None, progress: Progress = _no_progress) -> BuildResult:
    """Load, render the pages, and swap the new site in for the output folder."""
    return Builder(options).build(now=now, progress=progress)


def render_site(loaded: LoadedSite, *, progress: Progress = _no_progress) -> tuple[list[Output], dict[str, Path]]:
    """Every page's bytes (rendered anew, no reuse), plus the files to copy."""
    static = static_files(loaded.theme)
    renderer = Renderer(
        loaded.site,
        loaded.markups.__getitem__,
        make_environment(loaded.theme),
        static_urls(loaded.config.base_path, {n: p.read_bytes() for n, p in static.items()}),
    )
    outputs, problems = render_pages(renderer, loaded.site.pages)
    if problems:
        raise BuildError(problems)
    return outputs, _copies(loaded.site, static)


def _copies(site: Site, static: Mapping[str, Path]) -> dict[str, Path]:
    copies = {asset.source: asset.path for asset in site.assets}
    copies.update({f"static/{name}": path for name, path in static.items()})
    return copies


class Builder:
    """Builds one site into one output folder, as often as asked, reusing what did not change.

    ``hash_static`` adds a
    content hash to stylesheet URLs (off in the preview, so that a stylesheet edit
    changes only the stylesheet and can be swapped without reloading the page).
    """

    def __init__(self, options: BuildOptions, *, hash_static: bool = True) -> None:
        self.options = options
        self.hash_static = hash_static
        self._cache: BuildCache | None = None
        self._loaded: LoadedSite | None = None
        self._recent: dict[str, Recent] = {}  # files as last read, for the next build in this process
        self._views: tuple[str, dict[str, tuple[ItemView, frozenset[str], str]]] = ("", {})  # shape, views
        self._templates: tuple[tuple[tuple[str, int, int], ...], dict[str, str]] = ((), {})

    # ------------------------------------------------------------------ load
    def load(
        self, *, now: datetime | None = None, progress: Progress = _no_progress, bodies: bool = True
    ) -> LoadedSite:
        """config -> content -> site -> markup, all checked; raises BuildError with every problem.

        With ``bodies=False`` (what ``build`` asks for) a file whose stat is the one the
        cache recorded is not read: its document comes from the cache without its body,
        which is read only if its Markdown has to be rendered again.
        """
        loaded, problems = self._load(now=now, progress=progress, bodies=bodies)
        self._loaded = replace(loaded, warnings=_raise_if_failed(problems, self.options.strict))
        return self._loaded

    def _load(self, *, now: datetime | None, progress: Progress, bodies: bool) -> tuple[LoadedSite, list[Problem]]:
        """What :meth:`load` does, returning the problems with what did load instead of raising on them.

        Raises BuildError only when there is nothing to go on with (the configuration).
        """
        options = self.options
        config = load_config(options.site_root, base_url=options.base_url, relative=options.relative)
        theme = find_theme(config.root, config.theme, config.language)
        cache = self._cache_for(config)
        progress("content", 0, 1)
        recent = dict(self._recent) if bodies else {**_recorded(cache), **self._recent}
        read_ns = time.time_ns()
        content = load_content(config, cache.documents, recent)
        self._recent = dict(content.recent)
        stats: dict[str, FileStat] = {}
        for source, entry in content.recent.items():
            if entry is not recent.get(source):  # read just now
                stats[source] = FileStat(*entry[0], entry[1].digest, read_ns)
            elif source in cache.stats:  # trusted by its stat: recorded when it was read
                stats[source] = cache.stats[source]
        cache.stats = stats
        cache.documents.update(content.parsed)
        self._live_digests = set(content.parsed)
        remember_slugs(cache.slugs)
        moment = now or datetime.now(ZoneInfo(config.timezone))
        site, site_problems = build_site(config, content.documents, content.assets, now=moment, drafts=options.drafts)
        cache.slugs = {name: slugify(name) for name in (*site.by_tag, *site.by_author)}
        problems = [*content.problems, *site_problems]
        # Markdown problems (missing images, links) of the documents that did load are
        # reported in the same run as front-matter errors elsewhere: one list to fix.
        markups, markup_problems, rendered = self._markup(site, cache, progress)
        if any(p.is_error for p in problems):
            # A link to a document that failed to load looks broken only because of that
            # failure: while there are such errors, only the Markdown's own errors count.
            markup_problems = [p for p in markup_problems if p.is_error]
        problems.extend(markup_problems)
        self._markdown_count = rendered
        briefs = {s: cache.markups[s].brief for s in site.documents}
        return LoadedSite(config, site, markups, theme, (), briefs), problems

    def _cache_for(self, config: SiteConfig) -> BuildCache:
        """The cache valid for this configuration; a changed config starts from an empty one."""
        settings = digest(repr(config), str(self.options.drafts))
        if self._cache is not None and self._cache.settings == settings:
            return self._cache
        use_disk = self.options.cache and not self.options.clean
        folder = config.root / CACHE_DIR if self.options.cache else None
        cache = BuildCache(folder, settings)
        if use_disk:
            cache.load()
        self._cache = cache
        return cache

    def _markup(
        self, site: Site, cache: BuildCache, progress: Progress
    ) -> tuple[Mapping[str, Markup], list[Problem], int]:
        """Markdown of every document: from the cache when its inputs are the same, else rendered."""
        base = site.config.base_path
        keys = {source: digest(doc.digest, base) for source, doc in site.documents.items()}
        valid: list[str] = []
        stale: list[Document] = []
        for source, document in sorted(site.documents.items()):
            entry = cache.markups.get(source)
            if (
                entry is not None
                and entry.key == keys[source]
                and all(site.urls.get(t) == u for t, u in entry.targets.items())
            ):
                valid.append(source)
            else:
                stale.append(document if document.body else with_body(document, site.config.content_dir))
        fresh = render_all(
            stale,
            urls=site.urls,
            base_path=base,
            language=site.config.language,
            jobs=self.options.jobs,
            progress=progress,
        )
        problems: list[Problem] = []
        for source in valid:
            problems.extend(cache.markups[source].problems)
        for source, (markup, found) in fresh.items():
            targets = {t: site.urls.get(t) for t in markup.links}
            cache.markups[source] = MarkupEntry(keys[source], targets, found, markup.brief, markup)
            problems.extend(found)
        return _LazyMarkups(site, cache, keys), problems, len(stale)

    # ----------------------------------------------------------------- build
    def save_cache(self) -> None:
        """Write the build cache to disk (``build`` does it unless told not to)."""
        if self._cache is not None and self._loaded is not None:
            self._cache.save(set(self._loaded.site.documents), self._live_digests)

    def build(
        self,
        *,
        now: datetime | None = None,
        progress: Progress = _no_progress,
        save_cache: bool = True,
        write: bool = True,
    ) -> BuildResult:
        """Load, render what changed, check the links of the rendered pages, write; the output
        folder changes only if all of that worked.

        Every problem of every stage is reported in one BuildError: when loading found
        errors, the pages are still rendered and their links checked, in memory, for the
        complete list. ``write=False`` is ``chaowen check``: the same pipeline without the
        write stage (nothing is written, not even the cache), so check and build report
        the same problems by construction.

        The dev server passes ``save_cache=False`` after its first build and calls
        :meth:`save_cache` when it stops: the cache lives in memory meanwhile.
        """
        started = time.perf_counter()
        output = self.options.output_dir
        strict = self.options.strict
        if write:
            check_output_dir(output, self.options.site_root)
        loaded, problems = self._load(now=now, progress=progress, bodies=False)
        timings = {"load": time.perf_counter() - started}
        cache = self._cache
        assert cache is not None
        failed = any(p.is_error for p in problems) or (strict and bool(problems))
        if failed and not self.options.complete:
            _raise_if_failed(problems, strict)  # raises: the problems of loading alone
        if not write or failed:
            pages = self._pages(loaded, cache, output, progress, _Discard())
            warnings = _raise_if_failed(_with_page_problems(problems, pages.problems), strict)
            timings["render"] = time.perf_counter() - started - sum(timings.values())
            return BuildResult(
                pages=len(pages.outputs),
                files=0,
                written=0,
                warnings=warnings,
                seconds=time.perf_counter() - started,
                timings=timings,
                rendered=pages.rendered,
                markdown=self._markdown_count,
            )
        reuse = not self.options.clean
        # Pages go to the staging folder as they are rendered (the site's bytes are never
        # all in memory); the output folder changes only in commit(), after everything worked.
        index: SearchIndex | None = None
        with Staging(output, reuse=reuse, language=loaded.config.language) as staging:
            site = loaded.site
            staging.refuse_collisions([*(output_file(s.path) for s in site.pages), *(a.source for a in site.assets)])
            made = self._pages(loaded, cache, output, progress, staging)
            warnings = _raise_if_failed(_with_page_problems(problems, made.problems), strict)
            outputs, copies, manifest = made.outputs, made.copies, made.manifest
            timings["render"] = time.perf_counter() - started - sum(timings.values())
            pages_count = len(outputs)
            if self.options.search:
                index = self._index(outputs, manifest, output, cache, loaded.site, progress, staging)
                for item in index.outputs:
                    staging.put(item)
                outputs.extend(index.outputs)
                manifest.update(index.entries)
                timings["search"] = time.perf_counter() - started - sum(timings.values())
            for path, source in copies.items():
                staging.copy(path, source)
            stats: WriteStats = staging.commit()
        self._loaded = replace(loaded, warnings=warnings)
        output_id = self._output_id(output)
        cache.manifests.pop(output_id, None)  # re-inserted last: the most recent
        cache.manifests[output_id] = manifest
        if made.links is not None:
            cache.links[output_id] = made.links
        if save_cache:
            self.save_cache()
        timings["write"] = time.perf_counter() - started - sum(timings.values())
        return BuildResult(
            pages=pages_count,
            files=stats.total,
            written=stats.written,
            warnings=warnings,
            seconds=time.perf_counter() - started,
            timings=timings,
            changed=stats.changed,
            removed=stats.removed,
            rendered=made.rendered,
            markdown=self._markdown_count,
            indexed=index.pages if index else 0,
            index_bytes=index.size if index else 0,
            shards_indexed=index.made if index else (),
            foreign=stats.foreign,
        )

    def check(self, *, now: datetime | None = None, progress: Progress = _no_progress) -> BuildResult:
        """:meth:`build` without the write stage: raises BuildError with every problem; writes nothing."""
        return self.build(now=now, progress=progress, save_cache=False, write=False)

    def _pages(self, loaded: LoadedSite, cache: BuildCache, output: Path, progress: Progress, sink: _Sink) -> _Pages:
        """Render the pages into ``sink`` and check their links; problems are returned, not raised."""
        outputs, copies, rendered, manifest, scans, problems = self._render(loaded, cache, output, progress, sink)
        if problems:  # a page that failed to render would make every link to it look broken
            return _Pages(outputs, copies, rendered, manifest, problems, None)
        found, memo = self._links(loaded, cache, output, outputs, copies, scans)
        return _Pages(outputs, copies, rendered, manifest, found, memo)

    def _links(
        self,
        loaded: LoadedSite,
        cache: BuildCache,
        output: Path,
        outputs: Sequence[Output],
        copies: Mapping[str, Path],
        fresh: Mapping[str, PageScan],
    ) -> tuple[list[Problem], LinkMemo]:
        """The link pass over the rendered site, checking only what can have changed since the last build.

        What a page's links find depends on its bytes, the set of output files and the
        ids of the pages it links to (:func:`chaowen.links.find_broken`). So the pages
        checked are those rendered now, and of the pages kept those whose links lead
        to a file that came or went, or to a page rendered now with other ids; the
        others keep what they found. The last build's scans (each page's links, ids
        and targets, in the cache) stand in for the kept pages: no HTML is parsed again.
        """
        site = loaded.site
        files = frozenset({o.path for o in outputs} | set(copies))
        html = sorted(o.path for o in outputs if o.path.endswith(".html"))
        output_id = self._output_id(output)
        files_key = digest(*sorted(files))
        memo = None if self.options.clean else cache.links.get(output_id)
        if memo is not None and memo.files == files_key and not fresh:
            return report(site, loaded.markups, memo.broken, files), memo  # nothing changed
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
        return report(site, loaded.markups, broken, files), LinkMemo(stamp, files_key, broken, scans)

    def _index(
        self,
        outputs: list[Output],
        manifest: Mapping[str, PageEntry],
        output: Path,
        cache: BuildCache,
        site: Site,
        progress: Progress,
        staging: Staging,
    ) -> SearchIndex:
        """The search step: Pagefind over the rendered pages, a shard per year, each kept while its pages are."""
        progress("search", 0, 1)
        previous = self._previous(output, cache, staging)
        config = site.config
        index = index_site(
            outputs,
            output,
            previous,
            relative=config.relative_urls,
            refresh=self.options.search_refresh,
            read=staging.read,
            # equal entries mean equal bytes (what incremental rendering rests on): no page is read
            fingerprints={path: f"{e.base} {e.state} {e.size}" for path, e in manifest.items()},
            shards=search_shards(site),
            jobs=self.options.jobs,
        )
        progress("search", 1, 1)
        return index

    def _template_fingerprints(self, env: jinja2.Environment, theme: Theme) -> dict[str, str]:
        """Template fingerprints, worked out again only when a template file changed."""
        stamp = tuple(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size)
            for folder in theme.template_dirs
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        )
        if self._templates[0] != stamp:
            self._templates = (stamp, template_fingerprints(env))
        return self._templates[1]

    def _previous(self, output: Path, cache: BuildCache, staging: _Sink) -> dict[str, PageEntry]:
        """How the previous build made the files of ``output``, to keep those that would come out the same.

        The cache knows how; the folder's manifest (through ``staging``) whether a file is
        still chaowen's. When they disagree (another build wrote the folder since), nothing
        is kept: everything is made again.
        """
        recorded = {} if self.options.clean else cache.manifests.get(self._output_id(output), {})
        existing = staging.existing
        return recorded if all(path in existing for path in recorded) else {}

    def _output_id(self, output: Path) -> str:
        return digest(str(output.resolve()), str(self.hash_static))

    def _render(
        self, loaded: LoadedSite, cache: BuildCache, output: Path, progress: Progress, staging: _Sink
    ) -> tuple[list[Output], dict[str, Path], int, dict[str, PageEntry], dict[str, PageScan], list[Problem]]:
        """Render the pages whose inputs changed into ``staging``; the others are kept from the
        previous output. Returns every page without its bytes (content None), the scans of
        the pages rendered now, and the problems of the pages that could not be rendered."""
        site = loaded.site
        # templates compiled to bytecode are kept in the cache folder, by a build that writes only
        bytecode = cache.folder / "jinja" if cache.folder and isinstance(staging, Staging) else None
        env = make_environment(loaded.theme, bytecode)
        static = static_files(loaded.theme)
        static_bytes = {name: path.read_bytes() for name, path in static.items()}
        urls = (
            static_urls(site.config.base_path, static_bytes)
            if self.hash_static
            else {n: f"{site.config.base_path}static/{n}" for n in static_bytes}
        )
        templates = self._template_fingerprints(env, loaded.theme)
        shape = _site_fingerprint(site, urls)
        previous = self._previous(output, cache, staging)
        dependencies = _dependency_values(site, cache)
        old_shape, old_views = self._views
        still_valid = {
            s: (view, deps)
            for s, (view, deps, state) in old_views.items()
            if old_shape == shape and _state(sorted(deps | {s}), dependencies) == state
        }
        renderer = Renderer(
            site,
            loaded.markups.__getitem__,
            env,
            urls,
            loaded.briefs.__getitem__ if loaded.briefs else None,
            still_valid,
        )
        outputs: list[Output] = []
        manifest: dict[str, PageEntry] = {}
        todo: list[tuple[PageSpec, str]] = []
        for spec in site.pages:
            path = output_file(spec.path)
            base_key = digest(shape, templates.get(spec.template, ""), spec.path, spec.template, repr(spec.data))
            old = previous.get(path)
            if (
                old is not None
                and old.base == base_key
                and old.state == _state(old.touched, dependencies)
                and _unchanged_file(output / path, old.size)
            ):
                staging.put(Output(path, None))
                outputs.append(Output(path, None))
                manifest[path] = old
            else:
                todo.append((spec, base_key))
        progress("render", 0, len(todo))
        problems: dict[tuple[str, int | None, messages.Text | str], Problem] = {}
        scans: dict[str, PageScan] = {}
        for (_spec, base_key), (page, problem, touched, scan) in zip(
            todo, _render_pages(renderer, [s for s, _ in todo], self.options.jobs), strict=True
        ):
            if problem is not None:
                problems.setdefault((problem.path, problem.line, problem.message), problem)
                continue
            assert page is not None and page.content is not None
            staging.put(page)
            outputs.append(Output(page.path, None))
            manifest[page.path] = PageEntry(base_key, touched, _state(touched, dependencies), len(page.content))
            if scan is not None:
                scans[page.path] = scan
        self._views = (
            shape,
            {s: (view, deps, _state(sorted(deps | {s}), dependencies)) for s, (view, deps) in renderer.views.items()},
        )
        progress("render", len(todo), len(todo))
        rendered = len(todo)
        return outputs, _copies(site, static), rendered, manifest, scans, list(problems.values())


class _Sink(Protocol):
    """Where rendered pages go: the staging folder of a build, or nowhere for ``check``."""

    @property
    def existing(self) -> frozenset[str]:
        """Output paths that a previous build wrote and that are still there (kept pages must be among them)."""
        ...

    def put(self, page: Output) -> None: ...


class _Discard:
    """The sink of ``check`` and of a build that already failed: nothing is written."""

    @property
    def existing(self) -> frozenset[str]:
        return frozenset()  # nothing is kept: every page is rendered in memory and checked

    def put(self, page: Output) -> None:
        return None


@dataclass(frozen=True)
class _Pages:
    """The render stage and the link pass of one build."""

    outputs: list[Output]  # every page, without its bytes
    copies: dict[str, Path]
    rendered: int
    manifest: dict[str, PageEntry]
    problems: list[Problem]  # pages that could not be rendered, else the broken links
    links: LinkMemo | None  # what the link pass found, for the next build into this output


def _with_page_problems(loaded: Sequence[Problem], found: Sequence[Problem]) -> list[Problem]:
    """The problems of loading and of the rendered pages, as one list.

    A link to a document that failed to load looks broken only because of that
    failure: while loading found errors, only the pages' errors count (as the
    Markdown stage does with its own warnings).
    """
    if any(p.is_error for p in loaded):
        found = [p for p in found if p.is_error]
    return [*loaded, *found]


def _recorded(cache: BuildCache) -> dict[str, Recent]:
    """The files the cache saw, as :func:`load_content` takes them: trusted by stat alone."""
    recorded: dict[str, Recent] = {}
    for source, stat in cache.stats.items():
        parsed = cache.documents.get(stat.digest)
        if parsed is None or parsed[0].source != source:
            continue
        key = stat.trusted_key()
        if key is not None:  # load_content compares it with the file's stat now
            recorded[source] = (key, parsed[0], parsed[1])
    return recorded


_RenderedPage = tuple[Output | None, Problem | None, tuple[str, ...], PageScan | None]
_RENDER_POOL_THRESHOLD = 400  # pages; below this forking workers costs more than it saves
_FORKED: list[tuple[Renderer, list[PageSpec]]] = []  # what a forked worker inherits


def _render_pages(renderer: Renderer, specs: list[PageSpec], jobs: int | None) -> Iterator[_RenderedPage]:
    """Render ``specs``, yielding in order; many pages are split over forked processes that
    share the model. Pages come back in small chunks, to be written as they arrive.

    Forking lets the workers inherit the site model and the Jinja environment
    instead of receiving them pickled. It is only used where fork is safe: on
    POSIX, and when this process runs no other threads (the dev server does).
    """
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if (
        workers <= 1
        or len(specs) < _RENDER_POOL_THRESHOLD
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from (_render_one_with(renderer, spec) for spec in specs)
        return
    _FORKED[:] = [(renderer, specs)]
    try:
        with (
            frozen_heap(),
            ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool,
        ):
            chunk = max(1, min(64, len(specs) // (workers * 4)))
            yield from pool.map(_render_forked, range(len(specs)), chunksize=chunk)
    finally:
        _FORKED.clear()


def _render_forked(index: int) -> _RenderedPage:
    renderer, specs = _FORKED[0]
    return _render_one_with(renderer, specs[index])


def _render_one_with(renderer: Renderer, spec: PageSpec) -> _RenderedPage:
    """A page, or the problem that stopped it; the documents it showed; its links (in the worker)."""
    page, problem = renderer.render(spec)
    content = page.content if page is not None else None
    scan = scan_page(content) if content is not None and page is not None and page.path.endswith(".html") else None
    return page, problem, tuple(sorted(renderer.touched)), scan


class _LazyMarkups(Mapping[str, Markup]):
    """Every document's markup, read from the cache only when a page that shows it is rendered.

    An entry whose file turns out unreadable is rendered again on the spot, so a
    cache damaged between check and use costs time, never correctness.
    """

    def __init__(self, site: Site, cache: BuildCache, keys: Mapping[str, str]) -> None:
        self._site = site
        self._cache = cache
        self._keys = keys

    def __getitem__(self, source: str) -> Markup:
        markup = self._cache.markup(source)
        if markup is None:
            site = self._site
            document = site.documents[source]
            if not document.body:  # trusted by its stat: the body was not read
                document = with_body(document, site.config.content_dir)
            rendered = render_all(
                [document], urls=site.urls, base_path=site.config.base_path, language=site.config.language, jobs=1
            )
            markup, found = rendered[source]
            targets = {t: self._site.urls.get(t) for t in markup.links}
            self._cache.markups[source] = MarkupEntry(self._keys[source], targets, found, markup.brief, markup)
        return markup

    def __iter__(self) -> Iterator[str]:
        return iter(self._site.documents)

    def __len__(self) -> int:
        return len(self._site.documents)


def _unchanged_file(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _state(touched: Iterable[str], values: Mapping[str, str]) -> str:
    """The state of the documents a page showed; a document no longer published counts as changed."""
    text = "\n".join(f"{t}={values.get(t, 'gone')}" for t in touched)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _dependency_values(site: Site, cache: BuildCache) -> dict[str, str]:
    """For each document, a hash of everything about it a page can show: its bytes and its markup."""
    values = {}
    for source, document in site.documents.items():
        entry = cache.markups.get(source)
        values[source] = digest(
            document.digest, entry.key if entry else "", repr(sorted((entry.targets if entry else {}).items()))
        )
    return values


def _site_fingerprint(site: Site, static_urls_map: Mapping[str, str]) -> str:
    """Everything every page may show that is not a single document: config, navigation, collections."""
    config = site.config
    documents = site.documents
    return digest(
        repr(config),
        repr(sorted(static_urls_map.items())),
        repr(site.items),
        repr(site.issues),
        repr([(s, documents[s].title) for s in site.standalone]),
        repr([(s, d.date.isoformat() if d.date else "") for s, d in sorted(documents.items())]),
        repr(sorted(site.urls.items())),
        repr(sorted(site.by_track.items())),
        repr(sorted(site.by_tag.items())),
        repr(sorted(site.by_author.items())),
        repr(sorted(site.by_issue.items())),
        repr(sorted(site.neighbours.items())),
        repr(sorted(site.tag_slugs.items())),
        repr(sorted(site.author_slugs.items())),
    )
