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

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .cache import CACHE_DIR, BuildCache, MarkupEntry, digest
from .config import load_config
from .content import load_content, with_body
from .doccache import DocumentMemo
from .errors import BuildError, Problem
from .images import ImageStage, Survey, publish, uses
from .images import problems as image_problems
from .manifest import PageEntry
from .markup_pool import render_all
from .messages import Text
from .model import Brief, Document, Markup, Output, Site, SiteConfig
from .pages import Discard, Pages, PageStage, Sink, Target
from .printing import STORE, Printed, PrintStage, print_inputs
from .search import SearchIndex, index_site, search_shards
from .search_feed import SearchFeed
from .site import build_site
from .theme import Theme, find_theme, make_environment
from .urls import output_file, remember_slugs, slugify
from .write import Listings, Staging, WriteStats, check_output_dir

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
    # Make the print edition (a PDF per issue) when chaowen.yaml asks for it. The preview does not:
    # typesetting an issue takes seconds, which a save must not wait for.
    print: bool = True
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
    images: int = 0  # raster images whose variants were made for this site (the others came from its cache)
    prints: int = 0  # PDFs of the print edition
    prints_made: int = 0  # of those, typeset in this build (the others were stored)
    notices: tuple[Text, ...] = ()  # what was skipped and how to get it (the print edition without WeasyPrint)


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


class Builder:
    """Builds one site into one output folder, as often as asked, reusing what did not change.

    ``hash_static`` adds a
    content hash to stylesheet URLs (off in the preview, so that a stylesheet edit
    changes only the stylesheet and can be swapped without reloading the page).
    ``keep_listings`` keeps the output folder's listings between builds, so a rebuild
    lists again only the folders that changed (the dev server's; a single build has no use for them).
    """

    def __init__(self, options: BuildOptions, *, hash_static: bool = True, keep_listings: bool = False) -> None:
        self.options = options
        self.hash_static = hash_static
        self._listings = Listings() if keep_listings else None
        self._cache: BuildCache | None = None
        self._loaded: LoadedSite | None = None
        self._files = DocumentMemo()  # the content stage's cache layer; remembers files between builds
        self._stage = PageStage(hash_static)
        self._images: ImageStage | None = None  # the image step's memo; its folder is known with the config
        self._survey = Survey({}, (), {}, {}, {})
        self._image_users: dict[str, list[tuple[Document, int | None]]] = {}
        self._printer: PrintStage | None = None

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
        theme = find_theme(config.root, config.theme)
        cache = self._cache_for(config)
        progress("content", 0, 1)
        self._files.start(cache.documents, cache.stats, cache.settings, on_disk=not bodies)
        content = load_content(config, self._files.parsed)
        cache.stats, self._live_digests = self._files.finish()
        remember_slugs(cache.slugs)
        moment = now or datetime.now(ZoneInfo(config.timezone))
        site, site_problems = build_site(config, content.documents, content.assets, now=moment, drafts=options.drafts)
        # Raster images: planned (sizes, variant names) before the Markdown, which writes their <picture>.
        progress("images", 0, 1)
        self._survey = self._image_stage(config).survey(site.assets, config.images)
        site = publish(site, self._survey, config.images)
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
        self._image_users = uses(site, {s: cache.markups[s].targets for s in site.documents})
        problems.extend(image_problems(self._survey.faults, self._image_users))
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

    def _image_stage(self, config: SiteConfig) -> ImageStage:
        folder = config.root / CACHE_DIR / "images" if self.options.cache else None
        if self._images is None or self._images.folder != folder:
            self._images = ImageStage(folder, fresh=self.options.clean)
        return self._images

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
            images=site.images,
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
            if self._images is not None:
                self._images.save(self._survey)

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
        if write and not failed:
            # Before the print edition, which shows the variants; raises before anything is committed.
            self._encode_images(loaded.config, progress)
        printed = self._print(loaded, cache, progress, make=write and not failed)
        timings["print"] = printed.seconds
        problems.extend(printed.problems)
        if printed.files:  # the pages link to the PDFs, with their size
            loaded = replace(loaded, site=replace(loaded.site, prints=printed.files, volumes=printed.volumes))
        more = frozenset(p.path for p in (*printed.files.values(), *printed.volumes.values()))
        if not write or failed:
            pages = self._pages(loaded, cache, output, progress, Discard(), more)
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
                notices=printed.notices,
            )
        reuse = not self.options.clean
        # Pages go to the staging folder as they are rendered (the site's bytes are never
        # all in memory); the output folder changes only in commit(), after everything worked.
        index: SearchIndex | None = None
        with (
            Staging(output, reuse=reuse, listings=self._listings) as staging,
            self._feed(staging, output, cache, loaded.site) as feed,
        ):
            site = loaded.site
            staging.refuse_collisions(
                [*(output_file(s.path) for s in site.pages), *(a.source for a in site.assets), *printed.outputs]
            )
            made = self._pages(loaded, cache, output, progress, feed or staging, more)
            warnings = _raise_if_failed(_with_page_problems(problems, made.problems), strict)
            outputs, copies, manifest = made.outputs, made.copies, made.manifest
            timings["render"] = time.perf_counter() - started - sum(timings.values())
            pages_count = len(outputs)
            if self.options.search:
                index = self._index(outputs, manifest, output, cache, loaded.site, progress, staging, feed)
                for item in index.outputs:
                    staging.put(item)
                outputs.extend(index.outputs)
                manifest.update(index.entries)
                timings["search"] = time.perf_counter() - started - sum(timings.values())
            for path, source in copies.items():
                staging.copy(path, source)
            for path, pdf in printed.outputs.items():
                staging.put(Output(path, pdf))
            stats: WriteStats = staging.commit()
        self._loaded = replace(loaded, warnings=warnings)
        output_id = self._output_id(output)
        cache.manifests.pop(output_id, None)  # re-inserted last: the most recent
        cache.manifests[output_id] = manifest
        # What the pages' reads were worth, for the next build in another process (the one here has them)
        lines = self._stage.lines_of(manifest)
        if lines is not None:
            cache.lines[output_id] = lines
        else:
            cache.lines.pop(output_id, None)
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
            images=self._images.encoded if self._images else 0,
            prints=len(printed.outputs),
            prints_made=printed.made,
            notices=printed.notices,
        )

    def _encode_images(self, config: SiteConfig, progress: Progress) -> None:
        """Make the variant files the image cache lacks; BuildError naming the image and its documents if one fails."""
        assert self._images is not None
        total = len(self._survey.pictures)
        progress("images", 0, total)
        faults = self._images.encode(self._survey, config.images, self.options.jobs)
        progress("images", total, total)
        if faults:
            raise BuildError(image_problems(faults, self._image_users, unused=True))

    def check(self, *, now: datetime | None = None, progress: Progress = _no_progress) -> BuildResult:
        """:meth:`build` without the write stage: raises BuildError with every problem; writes nothing."""
        return self.build(now=now, progress=progress, save_cache=False, write=False)

    def _print(self, loaded: LoadedSite, cache: BuildCache, progress: Progress, *, make: bool) -> Printed:
        """The print edition: a PDF per issue (chaowen.printing), typeset only when what it shows changed."""
        if not self.options.print:
            return Printed({}, {}, 0, 0.0)
        if self._printer is None:
            self._printer = PrintStage(cache.folder / STORE if cache.folder is not None else None)
        value, resources = print_inputs(loaded.site, cache)
        env = make_environment(loaded.theme)
        return self._printer.run(
            loaded.site,
            loaded.markups.__getitem__,
            env,
            value,
            resources,
            images=self._survey.files,
            make=make,
            reuse=not self.options.clean,
            jobs=self.options.jobs,
            progress=progress,
        )

    def _pages(
        self,
        loaded: LoadedSite,
        cache: BuildCache,
        output: Path,
        progress: Progress,
        sink: Sink,
        more: frozenset[str] = frozenset(),
    ) -> Pages:
        """Render the pages into ``sink`` and check their links; problems are returned, not raised.

        ``more``: files of the output that are neither pages nor copies (the print edition's PDFs)."""
        output_id = self._output_id(output)
        # templates compiled to bytecode are kept in the cache folder, by a build that writes only
        bytecode = cache.folder / "jinja" if cache.folder and isinstance(sink, (Staging, SearchFeed)) else None
        previous = self._previous(output, cache, sink)
        lines = cache.lines.get(output_id)
        if previous and lines is not None:
            # A build in a new process: the cache has what the reads of the previous build's pages were
            # worth, so the stage finds the reads whose value changed once, as it does in the dev server.
            self._stage.resume(previous, lines)
        return self._stage.run(
            loaded.site,
            loaded.markups,
            loaded.briefs,
            loaded.theme,
            cache,
            Target(output, output_id, previous, bytecode),
            sink,
            progress,
            jobs=self.options.jobs,
            clean=self.options.clean,
            more=more,
        )

    def _index(
        self,
        outputs: list[Output],
        manifest: Mapping[str, PageEntry],
        output: Path,
        cache: BuildCache,
        site: Site,
        progress: Progress,
        staging: Staging,
        feed: SearchFeed | None = None,
    ) -> SearchIndex:
        """The search step: Pagefind over the rendered pages, a shard per year, each kept while its pages are;
        ``feed`` has begun the shards whose pages were all rendered (:meth:`_feed`)."""
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
            feed=feed,
        )
        progress("search", 1, 1)
        return index

    def _feed(
        self, staging: Staging, output: Path, cache: BuildCache, site: Site
    ) -> AbstractContextManager[SearchFeed | None]:
        """The sink that indexes each year's search shard beside rendering, once its pages are written (or None,
        for a build without search: the pages go to ``staging`` as they are)."""
        if not self.options.search:
            return nullcontext(None)
        previous = self._previous(output, cache, staging)
        shards = search_shards(site)
        return SearchFeed(staging, previous, shards, relative=site.config.relative_urls, jobs=self.options.jobs)

    def _previous(self, output: Path, cache: BuildCache, staging: Sink) -> dict[str, PageEntry]:
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


def _with_page_problems(loaded: Sequence[Problem], found: Sequence[Problem]) -> list[Problem]:
    """The problems of loading and of the rendered pages, as one list.

    A link to a document that failed to load looks broken only because of that
    failure: while loading found errors, only the pages' errors count (as the
    Markdown stage does with its own warnings).
    """
    if any(p.is_error for p in loaded):
        found = [p for p in found if p.is_error]
    return [*loaded, *found]


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
                [document],
                urls=site.urls,
                base_path=site.config.base_path,
                language=site.config.language,
                jobs=1,
                images=site.images,
            )
            markup, found = rendered[source]
            targets = {t: self._site.urls.get(t) for t in markup.links}
            self._cache.markups[source] = MarkupEntry(self._keys[source], targets, found, markup.brief, markup)
        return markup

    def __iter__(self) -> Iterator[str]:
        return iter(self._site.documents)

    def __len__(self) -> int:
        return len(self._site.documents)
