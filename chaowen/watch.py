"""watchdog -> debounced, classified batches of changes, for the dev server.

One save in an editor is rarely one file-system event: editors write a temporary
file and rename it over the original (VS Code, Typora, Word), vim probes the
folder with a file named ``4913`` and renames the original to ``name~`` first,
Notepad truncates and then writes. :class:`Debouncer` turns such a burst into one
:class:`Batch`: the batch is due once no event has arrived for ``quiet`` seconds
(or ``longest`` seconds after the first event, so a stream of events such as a
``git checkout`` still gets built). :class:`Layout` says what each path is to the
build (:class:`ChangeKind`) and drops what the build never reads: editor
temporary and lock files, hidden files, the output, preview and cache folders.

The pure parts (:class:`Layout`, :class:`Debouncer`) take paths and times as
arguments; :class:`Watcher` is the thin layer that feeds them from watchdog.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from .cache import CACHE_DIR
from .content import is_ignored
from .theme import PACKAGE_THEMES, REPO_THEMES

QUIET = 0.05  # seconds without events after which a burst is over (one save takes a few milliseconds)
LONGEST = 1.0  # a batch is built at most this long after its first event, even if events keep coming
CONFIG_FILE = "chaowen.yaml"

# Besides what the build itself skips (content.is_ignored: hidden files, ``x~``, ``~$x``, .swp, .tmp …):
# vim's write probe, JetBrains "safe write" files, Kate's swap files.
_EDITOR_TEMPORARY = re.compile(r"(^4913$|___jb_(tmp|old)___$|\.kate-swp$|\.sw[a-p]$)", re.I)


class ChangeKind(str, Enum):
    """What a changed file is to the build; the dev server's rebuild may use it to do less."""

    CONTENT = "content"  # under content/: a document or an asset
    TEMPLATE = "template"  # a theme's templates (or anything else in a theme but its static files)
    STATIC = "static"  # a theme's static files (stylesheets, scripts, fonts, images)
    CONFIG = "config"  # chaowen.yaml: everything may change


@dataclass(frozen=True, slots=True)
class Change:
    path: Path  # absolute
    kind: ChangeKind


@dataclass(frozen=True, slots=True)
class Batch:
    """The changes of one burst of events, each path once, in the order first seen."""

    changes: tuple[Change, ...]

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(change.path for change in self.changes)

    @property
    def kinds(self) -> frozenset[ChangeKind]:
        return frozenset(change.kind for change in self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)


def is_temporary(name: str) -> bool:
    """Whether a file name is one that editors and file managers make and remove around a save."""
    return is_ignored(name) or bool(_EDITOR_TEMPORARY.search(name))


@dataclass(frozen=True)
class Layout:
    """Where a site's inputs are, and what a changed path is to the build.

    ``theme_roots`` are folders holding theme folders (``SITE/themes`` and the
    bundled themes); ``ignored`` folders (the output, the preview) never count.
    """

    site_root: Path
    theme_roots: tuple[Path, ...]
    ignored: tuple[Path, ...] = ()

    @classmethod
    def for_site(cls, site_root: Path, ignored: Iterable[Path] = ()) -> Layout:
        root = site_root.resolve()
        themes = dict.fromkeys(p.resolve() for p in (root / "themes", PACKAGE_THEMES, REPO_THEMES))
        skip = [root / "output", root / CACHE_DIR, *(p.resolve() for p in ignored)]
        return cls(root, tuple(themes), tuple(dict.fromkeys(skip)))

    @property
    def content_dir(self) -> Path:
        return self.site_root / "content"

    def folders(self) -> list[tuple[Path, bool]]:
        """The folders to watch, each with whether to watch it recursively.

        The site root itself only non-recursively: for ``chaowen.yaml`` and for
        ``content/`` or ``themes/`` appearing after the server started.
        """
        found = [(self.site_root, False), (self.content_dir, True)]
        found.extend((root, True) for root in self.theme_roots)
        return found

    def classify(self, path: Path) -> ChangeKind | None:
        """The kind of change a path is, or None when the build does not read it."""
        if any(path == skip or skip in path.parents for skip in self.ignored):
            return None
        if path == self.site_root / CONFIG_FILE:
            return ChangeKind.CONFIG
        if path == self.content_dir or self.content_dir in path.parents:
            return None if self._hidden(path, self.content_dir) else ChangeKind.CONTENT
        for root in self.theme_roots:
            if path == root or root in path.parents:
                if self._hidden(path, root):
                    return None
                parts = path.relative_to(root).parts
                return ChangeKind.STATIC if len(parts) >= 2 and parts[1] == "static" else ChangeKind.TEMPLATE
        return None

    @staticmethod
    def _hidden(path: Path, root: Path) -> bool:
        """Whether any part of ``path`` below ``root`` is a temporary or hidden name."""
        return any(is_temporary(part) for part in path.relative_to(root).parts)


@dataclass
class Debouncer:
    """Collects changes and hands them out as one batch once a burst of events is over.

    Not thread-safe; :class:`ChangeQueue` wraps it with a lock. Times are
    arguments, so the rules can be tested without waiting.
    """

    quiet: float = QUIET
    longest: float = LONGEST
    _pending: dict[Path, ChangeKind] = field(default_factory=dict)
    _first: float = 0.0
    _last: float = 0.0

    def add(self, change: Change, now: float) -> None:
        if not self._pending:
            self._first = now
        self._pending.setdefault(change.path, change.kind)
        self._last = now

    def due(self) -> float | None:
        """When the pending batch is ready, or None when nothing is pending."""
        if not self._pending:
            return None
        return min(self._last + self.quiet, self._first + self.longest)

    def take(self, now: float) -> Batch | None:
        """The pending batch if it is ready at ``now``."""
        due = self.due()
        if due is None or now < due:
            return None
        batch = Batch(tuple(Change(path, kind) for path, kind in self._pending.items()))
        self._pending.clear()
        return batch


class ChangeQueue:
    """A thread-safe :class:`Debouncer`: watchdog's thread puts paths, the server's loop gets batches."""

    _SLICE = 0.25  # wait in slices so that Ctrl-C is noticed on Windows too

    def __init__(self, layout: Layout, *, quiet: float = QUIET, longest: float = LONGEST) -> None:
        self.layout = layout
        self._debouncer = Debouncer(quiet, longest)
        self._ready = threading.Condition()
        self._closed = False

    def put(self, path: Path) -> None:
        kind = self.layout.classify(path)
        if kind is None:
            return
        with self._ready:
            self._debouncer.add(Change(path, kind), time.monotonic())
            self._ready.notify_all()

    def get(self, timeout: float | None = None) -> Batch | None:
        """The next batch, waiting at most ``timeout`` seconds (None: until there is one or closed)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._ready:
            while not self._closed:
                now = time.monotonic()
                batch = self._debouncer.take(now)
                if batch is not None:
                    return batch
                due = self._debouncer.due()
                until = min(t for t in (due, deadline, now + self._SLICE) if t is not None)
                if deadline is not None and now >= deadline:
                    return None
                self._ready.wait(max(0.0, until - now))
        return None

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()


class _Forward(FileSystemEventHandler):
    """Passes the paths of watchdog's events on; events that only read a file are dropped."""

    _READS = frozenset({"opened", "closed_no_write"})  # the build itself reading content

    def __init__(self, queue: ChangeQueue) -> None:
        self.queue = queue

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in self._READS:
            return
        if event.is_directory and event.event_type in ("modified", "attrib"):
            return  # a folder's time stamp changes with its entries, whose own events follow
        for raw in (event.src_path, event.dest_path):
            if raw:
                self.queue.put(Path(os.fsdecode(raw)))


class Watcher:
    """Watches a site's inputs with watchdog and hands out batches of changes."""

    def __init__(self, layout: Layout, *, quiet: float = QUIET, longest: float = LONGEST) -> None:
        self.layout = layout
        self.queue = ChangeQueue(layout, quiet=quiet, longest=longest)
        self._observer: BaseObserver = Observer()
        self._observer.daemon = True
        self._handler = _Forward(self.queue)
        self._watches: dict[Path, ObservedWatch] = {}

    def start(self) -> None:
        self.refresh()
        self._observer.start()

    def refresh(self) -> None:
        """Watch folders that appeared since (``content/`` made after the start); drop vanished ones."""
        for folder, recursive in self.layout.folders():
            watch = self._watches.get(folder)
            if watch is not None and not folder.is_dir():
                self._observer.unschedule(watch)
                del self._watches[folder]
            elif watch is None and folder.is_dir():
                # It may vanish between the check and the call; the next refresh tries again.
                with contextlib.suppress(OSError):
                    self._watches[folder] = self._observer.schedule(self._handler, str(folder), recursive=recursive)

    def next_batch(self, timeout: float | None = None) -> Batch | None:
        return self.queue.get(timeout)

    def stop(self) -> None:
        self.queue.close()
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=2)
