"""The live part of the preview: the script injected into pages, and the event stream it listens to.

Every HTML response gets the live script (``live.js``) before ``</body>``, with
its settings filled in; the files on disk stay exactly what a build wrote.
``/__chaowen__/events`` is a Server-Sent Events stream fed by the :class:`Hub`: a
``hello`` with the current state on connect, then an ``update`` after each build,
listing the changed output paths or the build's problems (:func:`problem_view`,
worded once in the site's language). The script reloads a page only if its own
file changed, swaps changed stylesheets in place, shows problems in an overlay
and reconnects when the server restarts.
"""

from __future__ import annotations

import json
import queue
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import messages
from .errors import Problem

EVENTS_PATH = "/__chaowen__/events"

_LIVE_JS = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")
_BODY_END = re.compile(rb"</body\s*>", re.I)
_HTML_END = re.compile(rb"</html\s*>", re.I)
_SCRIPT_ATTRIBUTE = "data-chaowen-live"


def _json_for_script(value: object) -> str:
    """JSON that is safe inside an inline <script>: no ``</script>``, no line separators."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def live_script(config: Mapping[str, object]) -> bytes:
    """The ``<script>`` element injected into previewed pages, with its settings filled in."""
    code = _LIVE_JS.replace("__CONFIG__", _json_for_script(config))
    return f"<script {_SCRIPT_ATTRIBUTE}>{code}</script>".encode()


def inject(html: bytes, script: bytes) -> bytes:
    """``html`` with ``script`` before its last ``</body>`` (or ``</html>``, or at the end)."""
    for pattern in (_BODY_END, _HTML_END):
        matches = list(pattern.finditer(html))
        if matches:
            at = matches[-1].start()
            view = memoryview(html)  # slices without copies: the page is copied once, into the result
            return b"".join((view[:at], script, view[at:]))
    return html + script


def sse_frame(event: str, data: object) -> bytes:
    """One Server-Sent Events frame: ``event`` with ``data`` as JSON."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class Hub:
    """The open event streams, and the state (build token, problems) a new one starts from."""

    def __init__(self, token: str = "0") -> None:
        self._lock = threading.Lock()
        self._streams: set[queue.SimpleQueue[bytes | None]] = set()
        self._state: dict[str, Any] = {"token": token, "errors": [], "title": ""}
        self._closed = False

    @property
    def token(self) -> str:
        with self._lock:
            return str(self._state["token"])

    @property
    def streams(self) -> int:
        with self._lock:
            return len(self._streams)

    def subscribe(self) -> tuple[queue.SimpleQueue[bytes | None], bytes]:
        """A new stream and its first frame (``hello`` with the current state), taken together."""
        stream: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        with self._lock:
            if self._closed:
                stream.put(None)
            self._streams.add(stream)
            return stream, sse_frame("hello", self._state)

    def unsubscribe(self, stream: queue.SimpleQueue[bytes | None]) -> None:
        with self._lock:
            self._streams.discard(stream)

    def publish(self, update: Mapping[str, Any]) -> None:
        """Send an ``update`` to every stream; its token and errors become the state of new ones."""
        with self._lock:
            self._state = {"token": update["token"], "errors": update["errors"], "title": update.get("title", "")}
            frame = sse_frame("update", update)
            for stream in self._streams:
                stream.put(frame)

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        with self._lock:
            self._closed = True
            for stream in self._streams:
                stream.put(None)


def problem_view(problem: Problem, language: str) -> dict[str, Any]:
    """A problem as the overlay shows it: place (file and line), message, hint."""
    path = problem.path_in(language)  # a command-line option is named as one
    place = path if problem.line is None else messages.text("serve_place_line", language, path=path, line=problem.line)
    return {
        "path": problem.path,
        "line": problem.line,
        "place": place,
        "message": problem.message_in(language),
        "hint": problem.hint_in(language),
        "severity": "error" if problem.is_error else "warning",
    }
