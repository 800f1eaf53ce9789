"""``chaowen serve``: build a preview, serve it, rebuild after every save, tell the open tabs.

The preview is built by the same pipeline as ``chaowen build`` (:mod:`chaowen.build`)
into a folder of its own (``tempfile.mkdtemp``, outside the site), so that what gets
published never contains preview machinery; the live script exists only in the
HTTP responses (:mod:`chaowen.devserver`, :mod:`chaowen.live`). The loop is plain:

    watch (:mod:`chaowen.watch`) -> batch of changes -> :meth:`PreviewBuilder.rebuild`
    -> changed output paths, or the problems -> an ``update`` to every open tab.

A failed build never stops the server: the problems go to the terminal (through
the CLI's :class:`Terminal`; only the CLI prints) and to an overlay in every tab,
and the last good pages stay served. Ctrl-C (or SIGTERM) stops everything at once
and removes the preview folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from . import messages
from .build import Builder, BuildOptions, BuildResult
from .config import load_config
from .devserver import PreviewServer
from .errors import BuildError, Problem
from .httpd import open_server, port_unusable
from .live import Hub, problem_view
from .watch import CONFIG_FILE, Batch, ChangeKind, Layout, Watcher

_ALL_INTERFACES = frozenset({"0.0.0.0", "::", ""})
_PORT_ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class ServeOptions:
    site_root: Path
    host: str = "127.0.0.1"
    port: int = 8000  # 0: any free port
    drafts: bool = False
    base_url: str | None = None
    open_browser: bool = False
    verbose: int = 0
    language: str = "zh-CN"  # of the terminal messages and the overlay
    search: bool = True  # index the preview for search (once, at start: see PreviewBuilder)


class Terminal(Protocol):
    """How the server talks to the person who started it; the CLI provides it."""

    def info(self, text: str) -> None: ...

    def warn(self, text: str) -> None: ...

    def problems(self, problems: Sequence[Problem]) -> None: ...


class PreviewBuilder:
    """The one place the preview gets built.

    :meth:`rebuild` is all the rest of the server knows about building: it takes the
    batch of changed source paths (None for the first build) and returns the
    :class:`BuildResult` (``changed`` and ``removed`` output paths), or raises
    :class:`BuildError`. The :class:`Builder` keeps its state (parsed documents,
    rendered Markdown, page manifests) between rebuilds, so a rebuild costs what
    changed; its cache is written to disk after the first build and on stop.
    """

    def __init__(self, options: ServeOptions, output: Path) -> None:
        build_options = BuildOptions(
            site_root=options.site_root,
            output=output,
            base_url=options.base_url,
            drafts=options.drafts,
            jobs=1,  # no worker processes: Ctrl-C must stop one process, without their tracebacks
            search=options.search,
            print=False,  # typesetting the print edition takes seconds per issue: chaowen build makes it
            complete=False,  # a content error shows at once, without rendering the pages first
        )
        # Stylesheet URLs without a content hash: a stylesheet edit then changes the stylesheet
        # alone, and the open tabs swap it in without reloading.
        self._builder = Builder(build_options, hash_static=False, keep_listings=True)
        self._cache_saved = False

    def rebuild(self, changes: Batch | None = None) -> BuildResult:
        """Bring the preview up to date after ``changes``; the folder is left as it was on BuildError."""
        result = self._builder.build(save_cache=not self._cache_saved)
        if not self._cache_saved:
            # From now on the search index made at start is kept: Pagefind indexes every page of
            # the year again for any change (seconds on a large journal), which a save must not wait for.
            self._builder.options = dataclasses.replace(self._builder.options, search_refresh=False)
        self._cache_saved = True
        return result

    def close(self) -> None:
        """Keep what was learnt for the next start (the build cache)."""
        with contextlib.suppress(OSError):
            self._builder.save_cache()


def run(options: ServeOptions, terminal: Terminal) -> int:
    """Serve until Ctrl-C or SIGTERM; the exit code (0 when stopped, 1 when it could not start)."""
    root = options.site_root
    if not (root / CONFIG_FILE).is_file():
        try:
            load_config(root)
        except BuildError as error:
            terminal.problems(error.problems)
        return 1
    restore = _stop_on_signals()
    _limit_malloc_arenas()
    preview: Path | None = None
    session: _Session | None = None
    try:
        preview = Path(tempfile.mkdtemp(prefix="chaowen-preview-"))
        session = _Session(options, terminal, preview)
        return session.serve()
    except KeyboardInterrupt:
        return 0
    finally:
        with _interrupts_ignored():
            if session is not None:
                session.close()
            if preview is not None:
                shutil.rmtree(preview, ignore_errors=True)
        restore()
        terminal.info(messages.text("serve_stopped", options.language))


class _Session:
    """One run of the server: the preview folder, the builder, the watcher, the HTTP server."""

    def __init__(self, options: ServeOptions, terminal: Terminal, preview: Path) -> None:
        self.options = options
        self.terminal = terminal
        self.language = options.language
        self.output = preview / "site"
        self.output.mkdir()
        self.builder = PreviewBuilder(options, self.output)
        self._id = secrets.token_hex(4)  # a tab that reconnects to a restarted server sees a new token
        self.hub = Hub(self._token(0))
        self.watcher = Watcher(Layout.for_site(options.site_root, ignored=[preview]))
        self.server: PreviewServer | None = None
        self.base_path = self._base_path() or "/"
        self.generation = 0
        self.broken = False
        self.warnings: set[Problem] = set()

    def _token(self, generation: int) -> str:
        return f"{self._id}-{generation}"

    def _text(self, key: str, **values: Any) -> str:
        return messages.text(key, self.language, **values)

    def serve(self) -> int:
        self.watcher.start()  # before the first build, so that no save made during it is missed
        if self.options.verbose:
            self.terminal.info(self._text("serve_preview_dir", path=self.output))
        self.terminal.info(self._text("serve_building"))
        self.update(None)
        # What the first build made lives as long as the server: out of the collector's sight, every
        # later collection looks only at what came after it, and takes a millisecond, not 150.
        gc.freeze()
        if not self._start_server():
            return 1
        assert self.server is not None
        url = f"http://{_display_host(self.options.host)}:{self.server.port}{self.base_path}"
        self.terminal.info(self._text("serve_ready", url=url))
        if self.options.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        while True:
            batch = self.watcher.next_batch()
            if batch:
                self.watcher.refresh()
                self.update(batch)

    def _start_server(self) -> bool:
        host, port = self.options.host, self.options.port

        def make(address: tuple[str, int]) -> PreviewServer:
            return PreviewServer(
                address,
                self.output,
                self.hub,
                base_path=self.base_path,
                language=self.language,
                log=self.terminal.warn,
                verbose=self.options.verbose > 0,
            )

        try:
            self.server, busy = open_server(host, port, make, attempts=_PORT_ATTEMPTS)
        except OSError as error:
            if port and port_unusable(error):
                self.terminal.warn(
                    self._text("serve_no_port", host=host, first=port, last=min(port + _PORT_ATTEMPTS, 65536) - 1)
                )
            else:
                self.terminal.warn(self._text("serve_bind_failed", host=host, port=port, reason=error.strerror))
                self.terminal.warn(self._text("serve_bind_hint"))
            return False
        if busy:
            self.terminal.warn(self._text("serve_port_busy", port=busy[0], next=self.server.port))
        if not self.server.loopback:  # 0.0.0.0, ::, or an address of this computer on the network
            self.terminal.warn(self._text("serve_public", host=host or "0.0.0.0"))
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return True

    # ------------------------------------------------------------------ builds
    def update(self, batch: Batch | None) -> None:
        """Rebuild after ``batch`` and tell the tabs what changed, or what went wrong; then tidy memory."""
        try:
            self._update(batch)
        finally:
            _release_garbage()

    def _update(self, batch: Batch | None) -> None:
        if batch is not None and self.options.verbose:
            self.terminal.info(self._text("serve_changes", paths=", ".join(self._shown(p) for p in batch.paths)))
        idle = self.server.idle if self.server is not None else threading.Event()
        idle.clear()
        try:
            result = self.builder.rebuild(batch)
        except BuildError as error:
            self._failed(error.problems)
            return
        except OSError as error:
            reason = f"{error.filename or ''} {error.strerror or error}".strip()
            self._failed([Problem(str(error.filename or CONFIG_FILE), None, messages.say("io_error", reason=reason))])
            return
        except Exception as error:  # a bug in chaowen: say so, keep serving the last good pages
            self.terminal.warn(traceback.format_exc().rstrip())
            reason = f"{type(error).__name__}: {error}"
            self._failed([Problem("chaowen", None, messages.say("serve_internal_error", reason=reason))])
            return
        finally:
            idle.set()
        self._succeeded(result, batch)

    def _failed(self, problems: Sequence[Problem]) -> None:
        self.terminal.problems(problems)
        errors = sum(1 for p in problems if p.is_error)
        self.terminal.warn(self._text("serve_failed", errors=errors, warnings=len(problems) - errors))
        self.broken = True
        self.hub.publish(
            {
                "token": self.hub.token,
                "title": self._text("serve_overlay_title", count=len(problems)),
                "errors": [problem_view(p, self.language) for p in problems],
                "pages": [],
                "css": [],
                "other": [],
                "removed": [],
            }
        )

    def _succeeded(self, result: BuildResult, batch: Batch | None) -> None:
        new_warnings = [w for w in result.warnings if w not in self.warnings]
        self.warnings = set(result.warnings)
        if new_warnings:
            self.terminal.problems(new_warnings)
        if batch is not None and ChangeKind.CONFIG in batch.kinds:
            self.base_path = self._base_path() or self.base_path
            if self.server is not None:
                self.server.base_path = self.base_path
        fixed, self.broken = self.broken, False
        if not (result.changed or result.removed or fixed):
            return
        self.generation += 1
        pages = [p for p in result.changed if p.endswith((".html", ".htm"))]
        css = [p for p in result.changed if p.endswith(".css")]
        other = [p for p in result.changed if p not in pages and p not in css]
        self.hub.publish(
            {
                "token": self._token(self.generation),
                "errors": [],
                "pages": pages,
                "css": css,
                "other": other,
                "removed": list(result.removed),
            }
        )
        if batch is not None or fixed:
            key = "serve_fixed" if fixed else "serve_rebuilt"
            self.terminal.info(self._text(key, written=result.written, seconds=result.seconds))

    def _base_path(self) -> str | None:
        try:
            return load_config(self.options.site_root, base_url=self.options.base_url).base_path
        except (BuildError, OSError):
            return None

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.options.site_root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        self.watcher.stop()
        self.builder.close()


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (``malloc_trim`` and ``mallopt`` in it), else None (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


_GLIBC = _glibc()
_M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)
_ARENAS = 2


def _limit_malloc_arenas() -> None:
    """At most two glibc malloc arenas for this process, set before the server's threads start.

    glibc gives threads arenas of their own (up to eight per core), each keeping the
    most memory it ever held at once; with a pool of connection threads the
    process's memory rises in steps of about 2 MiB under load
    (``bench/results/serve_load.md``). Under the GIL the threads seldom allocate
    at the same moment, so sharing two arenas costs nothing measurable.
    """
    if _GLIBC is not None:
        _GLIBC.mallopt(_M_ARENA_MAX, _ARENAS)


def _release_garbage() -> None:
    """After a rebuild (and after the tabs were told): free what it left behind, and give it back.

    A rebuild leaves reference cycles behind (a Jinja environment with its
    templates and macros, about 400 objects), which live long enough to reach the
    oldest generation; Python collects that one only now and then, so without a
    collection here the server grew by about 2 MiB a minute while an essay was
    saved every 2 s, with or without requests (``bench/results/serve_load.md``).
    With the first build's objects frozen (:meth:`_Session.serve`) the collection
    takes about a millisecond. Then glibc is asked to return its free pages.
    """
    gc.collect()
    if _GLIBC is not None:
        _GLIBC.malloc_trim(0)


def _display_host(host: str) -> str:
    """The host to put in the URL shown: a browser cannot open 0.0.0.0."""
    if host in _ALL_INTERFACES:
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> Callable[[], None]:
    """Make Ctrl-C, SIGTERM (and Ctrl-Break on Windows) stop the server; return the undo.

    SIGINT is set too, because a process started with it ignored (``cmd &`` in a
    script) would otherwise not stop on ``kill -INT``.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, _raise_interrupt)

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """A second Ctrl-C while cleaning up must not leave the preview folder behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, n)]
    previous = {n: signal.signal(n, signal.SIG_IGN) for n in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
