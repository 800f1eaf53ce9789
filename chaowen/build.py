"""The pipeline, read top to bottom.

:func:`load` reads and validates everything and writes nothing (it is ``chaowen
check``): config -> content -> site model -> markup. :func:`build` is load +
render + write. A build either has a complete, checked model or raises
:class:`BuildError` with every problem, before the first byte is written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import load_config
from .content import load_content
from .errors import BuildError, Problem
from .model import Document, Markup, Output, Site, SiteConfig
from .render import Renderer, Theme, find_theme, make_environment, render_pages, static_files, static_urls
from .site import build_site
from .write import WriteStats, check_output_dir, write_site

Progress = Callable[[str, int, int], None]  # stage, done, total
_POOL_THRESHOLD = 48  # below this many documents a process pool costs more than it saves


@dataclass(frozen=True, slots=True)
class BuildOptions:
    site_root: Path
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    clean: bool = False
    relative: bool | None = None
    jobs: int | None = None  # None: one per core

    @property
    def output_dir(self) -> Path:
        return self.output if self.output is not None else self.site_root / "output"


@dataclass(frozen=True)
class LoadedSite:
    """Everything up to markup, checked; what ``check`` reports on and ``build`` renders."""

    config: SiteConfig
    site: Site
    markups: Mapping[str, Markup]
    theme: Theme
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int
    written: int
    warnings: tuple[Problem, ...]
    seconds: float
    timings: Mapping[str, float] = field(default_factory=dict)
    changed: tuple[str, ...] = ()  # output paths whose bytes changed (or are new)
    removed: tuple[str, ...] = ()  # output paths that the previous build had and this one has not


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _raise_if_failed(problems: Sequence[Problem], strict: bool) -> tuple[Problem, ...]:
    """Stop when there are errors (or, with ``strict``, warnings); else return the warnings."""
    if any(p.is_error for p in problems) or (strict and problems):
        raise BuildError([p.as_error() if strict else p for p in problems])
    return tuple(problems)


def load(options: BuildOptions, *, now: datetime | None = None, progress: Progress = _no_progress) -> LoadedSite:
    """Read and validate the whole site, render its Markdown; write nothing."""
    config = load_config(options.site_root, base_url=options.base_url, relative=options.relative)
    theme = find_theme(config.root, config.theme, config.language)
    progress("content", 0, 1)
    content = load_content(config)
    moment = now or datetime.now(ZoneInfo(config.timezone))
    site, site_problems = build_site(config, content.documents, content.assets, now=moment, drafts=options.drafts)
    problems = [*content.problems, *site_problems]
    _raise_if_failed(problems, options.strict)
    markups, markup_problems = render_markup(site, jobs=options.jobs, progress=progress)
    problems.extend(markup_problems)
    warnings = _raise_if_failed(problems, options.strict)
    return LoadedSite(config, site, markups, theme, warnings)


def build(options: BuildOptions, *, now: datetime | None = None, progress: Progress = _no_progress) -> BuildResult:
    """Load, render every page, and swap the new site in for the output folder."""
    started = time.perf_counter()
    site_root = options.site_root
    check_output_dir(options.output_dir, site_root)
    loaded = load(options, now=now, progress=progress)
    timings = {"load": time.perf_counter() - started}
    outputs, copies = render_site(loaded, progress=progress)
    timings["render"] = time.perf_counter() - started - timings["load"]
    stats: WriteStats = write_site(options.output_dir, outputs, copies, reuse=not options.clean)
    timings["write"] = time.perf_counter() - started - timings["load"] - timings["render"]
    return BuildResult(
        len(outputs), stats.total, stats.written, loaded.warnings, time.perf_counter() - started, timings,
        stats.changed, stats.removed,
    )


def render_site(loaded: LoadedSite, *, progress: Progress = _no_progress) -> tuple[list[Output], dict[str, Path]]:
    """Every page's bytes, plus the files to copy (assets and theme static files)."""
    static = static_files(loaded.theme)
    static_bytes = {name: path.read_bytes() for name, path in static.items()}
    renderer = Renderer(
        loaded.site, loaded.markups, make_environment(loaded.theme), static_urls(loaded.config.base_path, static_bytes)
    )
    progress("render", 0, len(loaded.site.pages))
    outputs, problems = render_pages(renderer, loaded.site.pages)
    if problems:
        raise BuildError(problems)
    progress("render", len(loaded.site.pages), len(loaded.site.pages))
    copies = {asset.source: asset.path for asset in loaded.site.assets}
    copies.update({f"static/{name}": path for name, path in static.items()})
    return outputs, copies


# --------------------------------------------------------------------------- markup
def render_markup(
    site: Site, *, jobs: int | None = None, progress: Progress = _no_progress
) -> tuple[dict[str, Markup], list[Problem]]:
    """Render every published document's Markdown, over a process pool when it pays."""
    documents = sorted(site.documents.values(), key=lambda d: d.source)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    shared = (dict(site.urls), site.config.base_path, site.config.language)
    markups: dict[str, Markup] = {}
    problems: list[Problem] = []
    progress("markdown", 0, len(documents))
    if workers <= 1 or len(documents) < _POOL_THRESHOLD:
        _init_worker(*shared)
        results = map(_markup_one, documents)
        for done, (source, markup, found) in enumerate(results, 1):
            markups[source] = markup
            problems.extend(found)
            progress("markdown", done, len(documents))
        return markups, problems
    chunk = max(1, min(64, len(documents) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=shared) as pool:
        for done, (source, markup, found) in enumerate(pool.map(_markup_one, documents, chunksize=chunk), 1):
            markups[source] = markup
            problems.extend(found)
            if done % 50 == 0 or done == len(documents):
                progress("markdown", done, len(documents))
    return markups, problems


_WORKER: dict[str, object] = {}


def _init_worker(urls: dict[str, str], base_path: str, language: str) -> None:
    _WORKER.update(urls=urls, base_path=base_path, language=language)


def _markup_one(document: Document) -> tuple[str, Markup, tuple[Problem, ...]]:
    from .markup import render_markdown

    markup, problems = render_markdown(
        document.body,
        source=document.source,
        display_path=f"content/{document.source}",
        body_line=document.body_line,
        urls=_WORKER["urls"],  # type: ignore[arg-type]
        base_path=str(_WORKER["base_path"]),
        language=str(_WORKER["language"]),
        summary=document.summary,
    )
    return document.source, markup, problems
