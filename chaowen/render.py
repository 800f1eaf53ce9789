"""Page contexts -> page bytes, through the theme's Jinja templates.

The templates receive the typed contexts of :mod:`chaowen.contexts` (plain,
frozen data of :mod:`chaowen.views`), turned into Jinja's variables by
:func:`chaowen.views.namespace`, never chaowen objects with behaviour. Jinja runs
with StrictUndefined and autoescape (the environment of :mod:`chaowen.theme`), so a
typo in a template and a ``<script>`` in a title are both caught. Template
problems come back as :class:`Problem` values naming the template file and line.
Many pages are rendered by forked workers (:func:`render_many`).
"""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

import jinja2

from . import messages
from .contexts import Contexts, pager_window
from .errors import Problem
from .links import scan_page
from .markup_pool import frozen_heap
from .model import Brief, Markup, Output, PageScan, PageSpec, Site
from .urls import output_file
from .views import ItemView, namespace

__all__ = ["RenderedPage", "Renderer", "feed_time", "pager_window", "relativise", "render_many"]


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
        self.site = site  # for callers; never read while rendering (the contexts record what is)
        self.env = env
        self.contexts = Contexts(site, markups, static, briefs, views)

    # ---------------------------------------------------------------- render
    def render(self, spec: PageSpec) -> tuple[Output | None, Problem | None]:
        """Render one page; a template error comes back as a Problem naming the template and line.

        Afterwards :attr:`reads` holds everything the page read (:mod:`chaowen.reads`).
        """
        self.contexts.begin()
        try:
            template = self.env.get_template(spec.template)
            text = template.render(namespace(self.contexts.context(spec)))
        except jinja2.TemplateSyntaxError as error:
            return None, _template_problem(error, "template_syntax", error.message or "")
        except jinja2.TemplateNotFound as error:
            return None, Problem(
                f"templates/{error.name}",
                None,
                messages.say(
                    "template_missing",
                    name=error.name,
                    searched=", ".join(str(p) for p in self._template_dirs()),
                ),
            )
        except jinja2.UndefinedError as error:
            return None, _template_problem(error, "template_undefined", str(error.message))
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, jinja2.TemplateError) as error:
            return None, _template_problem(error, "template_error", str(error))
        if self.contexts.config.relative_urls and spec.template.endswith(".html"):
            text = relativise(text, self.contexts.base, spec.path)
        return Output(output_file(spec.path), text.encode("utf-8")), None

    @property
    def reads(self) -> frozenset[str]:
        """What the page rendered last read: documents, collection keys, config values."""
        return self.contexts.reads

    @property
    def views(self) -> dict[str, tuple[ItemView, frozenset[str]]]:
        """Every document view made so far, with the reads it made."""
        return self.contexts.views

    def _template_dirs(self) -> list[str]:
        loader = self.env.loader
        return list(getattr(loader, "searchpath", []))


def _template_problem(error: Exception, key: str, reason: str) -> Problem:
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
    return Problem(_short_path(filename), line, messages.say(key, reason=reason))


def _short_path(filename: str | None) -> str:
    if not filename:
        return "templates"
    parts = Path(filename).parts
    if "themes" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("themes") - 1 :])
    return filename


_URL_ATTR = re.compile(r"""(\b(?:href|src|action|srcset|content)=)(["'])([^"']*)\2""")


def relativise(html: str, base_path: str, page_path: str) -> str:
    """Make every link under ``base_path`` relative to the page, pointing at files explicitly.

    For browsing from ``file://`` (a USB stick), where ``/`` is the disk root and
    folders do not serve their ``index.html``.
    """
    page_dir = posixpath.dirname(output_file(page_path))

    def relative(url: str) -> str:
        if not url.startswith(base_path) or url.startswith("//"):
            return url
        rest = url[len(base_path) :]
        path, hash_mark, fragment = rest.partition("#")
        path, question, query = path.partition("?")
        target = output_file(path)
        return f"{posixpath.relpath(target, page_dir or '.')}{question}{query}{hash_mark}{fragment}"

    def replace(match: re.Match[str]) -> str:
        prefix, quote, url = match.groups()
        if prefix.startswith("srcset"):  # "URL 480w, URL 960w": each candidate's URL
            candidates = (c.strip().partition(" ") for c in url.split(","))
            url = ", ".join(f"{relative(u)}{space}{size}" for u, space, size in candidates)
        else:
            url = relative(url)
        return f"{prefix}{quote}{url}{quote}"

    return _URL_ATTR.sub(replace, html)


def feed_time(date: datetime | None) -> str:
    return date.isoformat() if date else ""


# ---------------------------------------------------------------------- the pool
RenderedPage = tuple[Output | None, Problem | None, tuple[str, ...], PageScan | None]
_POOL_THRESHOLD = 400  # pages; below this forking workers costs more than it saves
_FORKED: list[tuple[Renderer, list[PageSpec]]] = []  # what a forked worker inherits


def render_many(renderer: Renderer, specs: list[PageSpec], jobs: int | None) -> Iterator[RenderedPage]:
    """Render ``specs``, yielding in order each page (or its problem), its reads and its links' scan;
    many pages are split over forked processes that share the model. Pages come back in small
    chunks, to be written as they arrive.

    Forking lets the workers inherit the site model and the Jinja environment
    instead of receiving them pickled. It is only used where fork is safe: on
    POSIX, and when this process runs no other threads (the dev server does).
    """
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if (
        workers <= 1
        or len(specs) < _POOL_THRESHOLD
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


def _render_forked(index: int) -> RenderedPage:
    renderer, specs = _FORKED[0]
    return _render_one_with(renderer, specs[index])


def _render_one_with(renderer: Renderer, spec: PageSpec) -> RenderedPage:
    """A page, or the problem that stopped it; what it read; its links (in the worker)."""
    page, problem = renderer.render(spec)
    content = page.content if page is not None else None
    scan = scan_page(content) if content is not None and page is not None and page.path.endswith(".html") else None
    return page, problem, tuple(sorted(renderer.reads)), scan
