"""The preview's HTTP server: the stdlib's ThreadingHTTPServer, made safe and live.

It serves one folder (the preview build) and nothing else:

* a URL path is decoded segment by segment; ``..``, encoded slashes and
  backslashes, drive letters and NUL are refused, and the joined path is resolved
  (symbolic links followed) and must stay inside the folder (:func:`safe_path`);
* only GET and HEAD, anything else is 405; from a loopback address only requests
  naming a loopback host are answered (no DNS rebinding into unpublished drafts);
* the site lives under its base path (``/chaowen/``), as it will when published;
* every HTML response gets the live script injected before ``</body>`` — the files
  on disk stay exactly what a build wrote — and is sent with ``no-store``;
* ``/__chaowen__/events`` is a Server-Sent Events stream (:class:`Hub`): a
  ``hello`` with the current state on connect, then an ``update`` after each
  build, listing the changed output paths or the build's problems. The script
  reloads a page only if its own file changed, swaps changed stylesheets in
  place, shows problems in an overlay and reconnects when the server restarts.

Dropped connections and idle tabs are a normal part of a browser's life and are
not reported; requests are logged only when asked (``-v``).
"""

from __future__ import annotations

import errno
import json
import queue
import re
import socket
import socketserver
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from . import messages
from .errors import Problem

EVENTS_PATH = "/__chaowen__/events"
_STREAM_THRESHOLD = 8 * 1024 * 1024  # larger files are streamed instead of read whole
_KEEPALIVE = 15.0  # seconds between comments on an idle event stream, to notice closed tabs

_UTF8 = "; charset=utf-8"
CONTENT_TYPES: Mapping[str, str] = {
    ".html": "text/html" + _UTF8,
    ".htm": "text/html" + _UTF8,
    ".css": "text/css" + _UTF8,
    ".js": "text/javascript" + _UTF8,
    ".mjs": "text/javascript" + _UTF8,
    ".json": "application/json" + _UTF8,
    ".map": "application/json" + _UTF8,
    ".webmanifest": "application/manifest+json" + _UTF8,
    ".xml": "application/xml" + _UTF8,
    ".xsl": "application/xml" + _UTF8,
    ".txt": "text/plain" + _UTF8,
    ".md": "text/markdown" + _UTF8,
    ".csv": "text/csv" + _UTF8,
    ".svg": "image/svg+xml" + _UTF8,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
DEFAULT_TYPE = "application/octet-stream"
_HTML = frozenset({".html", ".htm"})
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def content_type(name: str) -> str:
    """The Content-Type for a file name: our own table, not the OS registry (Windows maps .js oddly)."""
    return CONTENT_TYPES.get(Path(name).suffix.lower(), DEFAULT_TYPE)


# ---------------------------------------------------------------------------- paths
def url_segments(url_path: str) -> list[str] | None:
    """The decoded segments of a URL path, or None when one of them could step outside.

    ``/a//b/`` -> ``["a", "b"]``. Refused: ``.`` and ``..`` (also as ``%2e%2e``),
    slashes and backslashes inside a segment (``%2f``, ``%5c``, a raw ``\\``), NUL,
    ``:`` (drive letters, NTFS streams), Windows device names, invalid UTF-8.
    """
    if "\\" in url_path or "\x00" in url_path:
        return None
    segments = []
    for raw in url_path.split("/"):
        if not raw:
            continue
        try:
            segment = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if (
            segment in (".", "..")
            or any(ch in segment for ch in "/\\:\x00")
            or segment.split(".")[0].upper() in _WINDOWS_DEVICES
        ):
            return None
        segments.append(segment)
    return segments


def safe_join(root: Path, segments: Sequence[str]) -> Path | None:
    """``root`` joined with ``segments``, symbolic links resolved; None unless it is inside ``root``."""
    base = root.resolve()
    try:
        target = base.joinpath(*segments).resolve()
    except (OSError, RuntimeError, ValueError):  # symlink loops, names the OS refuses
        return None
    return target if target == base or base in target.parents else None


def safe_path(root: Path, url_path: str) -> Path | None:
    """The file or folder under ``root`` that a (percent-encoded) URL path names, or None if none may be."""
    segments = url_segments(url_path)
    return None if segments is None else safe_join(root, segments)


# ------------------------------------------------------------------- live script
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
            return html[:at] + script + html[at:]
    return html + script


# -------------------------------------------------------------------------- events
def sse_frame(event: str, data: object) -> bytes:
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


# -------------------------------------------------------------------------- server
def _ignore(text: str) -> None:
    return None


class PreviewServer(ThreadingHTTPServer):
    """Serves ``root`` under ``base_path`` with the live script; see the module docstring."""

    daemon_threads = True  # open tabs never keep the process alive
    block_on_close = False
    # On Windows SO_REUSEADDR lets a second server take a port in use; there we ask for exclusive use instead.
    allow_reuse_address = sys.platform != "win32"

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        hub: Hub,
        *,
        base_path: str = "/",
        language: str = "zh-CN",
        log: Callable[[str], None] = _ignore,
        verbose: bool = False,
    ) -> None:
        self.root = root
        self.hub = hub
        self.base_path = base_path
        self.language = language
        self.log = log
        self.verbose = verbose
        self.idle = threading.Event()  # cleared while a build is being written
        self.idle.set()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    @property
    def base_path(self) -> str:
        return self._base_path

    @base_path.setter
    def base_path(self, value: str) -> None:
        self._base_path = value if value.endswith("/") else value + "/"
        self.base_segments = url_segments(self._base_path) or []

    @property
    def loopback(self) -> bool:
        return self.server_address[0] in ("127.0.0.1", "::1") or str(self.server_address[0]).startswith("127.")

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def server_bind(self) -> None:
        # Not HTTPServer.server_bind: its reverse DNS lookup (getfqdn) can take seconds on some networks.
        if self.address_family == socket.AF_INET6 and hasattr(socket, "IPV6_V6ONLY"):
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # "::" takes IPv4 too
        exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
        if exclusive is not None:
            self.socket.setsockopt(socket.SOL_SOCKET, exclusive, 1)
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Dropped connections are normal (a tab closed, a reload); anything else is reported."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        self.log(traceback.format_exc().rstrip())

    def stop(self) -> None:
        """End the event streams and the serving loop, and close the socket."""
        self.hub.close()
        self.shutdown()
        self.server_close()


def port_unusable(error: OSError) -> bool:
    """Whether binding failed because the port is taken (or, on Windows, reserved by the system)."""
    return error.errno in {errno.EADDRINUSE, errno.EACCES, 10048, 10013}


def open_server(
    host: str, port: int, make: Callable[[tuple[str, int]], PreviewServer], *, attempts: int = 20
) -> tuple[PreviewServer, list[int]]:
    """A server on ``port`` or, when that is in use, the next free one; also the ports that were busy.

    Raises the last OSError when none of ``attempts`` ports could be used, and
    other OSErrors (a host name that is not this machine's) at once.
    """
    busy: list[int] = []
    candidates = [0] if port == 0 else [p for p in range(port, min(port + attempts, 65536))]
    for candidate in candidates:
        try:
            return make((host, candidate)), busy
        except OSError as error:
            if not port_unusable(error) or candidate == candidates[-1]:
                raise
            busy.append(candidate)
    raise OSError(errno.EADDRINUSE, "no port")  # pragma: no cover - the loop returns or raises


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"  # keep-alive: a page and its stylesheet over one connection
    server_version = "chaowen-preview"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds

    # ---------------------------------------------------------------- plumbing
    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command not in ("GET", "HEAD"):
            self.close_connection = True  # a body we will not read may follow
            self._respond(
                HTTPStatus.METHOD_NOT_ALLOWED, b"405 Method Not Allowed\n", "text/plain" + _UTF8, {"Allow": "GET, HEAD"}
            )
            return False
        return True

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            self.server.log(f"{self.address_string()} {format % args}")

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _respond(
        self,
        status: HTTPStatus,
        data: bytes,
        kind: str,
        headers: Mapping[str, str] | None = None,
        *,
        body: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    # ---------------------------------------------------------------- routing
    def _host_allowed(self) -> bool:
        """On a loopback address, only requests for a loopback name (no DNS rebinding)."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0]
        return name in _LOOPBACK_NAMES or name.endswith(".localhost")

    def _serve(self, *, body: bool) -> None:
        if not self._host_allowed():
            self._respond(HTTPStatus.FORBIDDEN, b"403 Forbidden\n", "text/plain" + _UTF8, body=body)
            return
        target = self.path
        if not target.startswith("/"):  # absolute form: GET http://host/path HTTP/1.1
            target = urlsplit(target).path or "/"
        raw, _, query = target.partition("?")
        raw = raw.partition("#")[0]
        if raw == EVENTS_PATH:
            self._events(body=body)
            return
        segments = url_segments(raw)
        if segments is None:
            self._not_found(body)
            return
        base = self.server.base_segments
        if segments[: len(base)] != base:
            if segments:
                self._not_found(body)
            else:
                self._redirect(self.server.base_path, body)
            return
        path = safe_join(self.server.root, segments[len(base) :])
        if path is None:
            self._not_found(body)
            return
        if path.is_dir():
            if not raw.endswith("/"):
                location = "/" + "".join(quote(s) + "/" for s in segments) + (f"?{query}" if query else "")
                self._redirect(location, body)
                return
            path = path / "index.html"
        if not self._send_file(path, HTTPStatus.OK, body):
            self._not_found(body)

    def _redirect(self, location: str, body: bool) -> None:
        self._respond(HTTPStatus.FOUND, b"", "text/plain" + _UTF8, {"Location": location}, body=body)

    def _not_found(self, body: bool) -> None:
        page = self.server.root / "404.html"
        if self._send_file(page, HTTPStatus.NOT_FOUND, body):
            return
        title = messages.text("serve_not_found", self.server.language)
        html = (
            f'<!doctype html><html lang="{self.server.language}"><meta charset="utf-8"><title>{title}</title>'
            f"<body><h1>{title}</h1></body></html>"
        ).encode()
        self._respond(HTTPStatus.NOT_FOUND, self._with_script(html, None), CONTENT_TYPES[".html"], body=body)

    # ---------------------------------------------------------------- files
    def _send_file(self, path: Path, status: HTTPStatus, body: bool) -> bool:
        """Send a file; False when there is none (after waiting for a build that may be writing it)."""
        for attempt in range(2):
            try:
                size = path.stat().st_size
                if not path.is_file():
                    return False
                if size > _STREAM_THRESHOLD and path.suffix.lower() not in _HTML:
                    self._stream(path, size, status, body)
                    return True
                data = path.read_bytes()
                break
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError):
                if attempt or self.server.idle.is_set():
                    return False
                self.server.idle.wait(5)  # a build is swapping files; ask again when it is done
        if path.suffix.lower() in _HTML:
            try:
                page: str | None = path.resolve().relative_to(self.server.root.resolve()).as_posix()
            except ValueError:
                page = None
            data = self._with_script(data, page)
        self._respond(status, data, content_type(path.name), body=body)
        return True

    def _stream(self, path: Path, size: int, status: HTTPStatus, body: bool) -> None:
        with path.open("rb") as handle:
            self.send_response(status)
            self.send_header("Content-Type", content_type(path.name))
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                while chunk := handle.read(1 << 20):
                    self.wfile.write(chunk)

    def _with_script(self, html: bytes, page: str | None) -> bytes:
        language = self.server.language
        config = {
            "events": EVENTS_PATH,
            "base": unquote(self.server.base_path),
            "token": self.server.hub.token,
            "page": page,
            "lang": language,
            "text": {
                "close": messages.text("serve_overlay_close", language),
                "note": messages.text("serve_overlay_note", language),
                "offline": messages.text("serve_offline", language),
            },
        }
        return inject(html, live_script(config))

    # ---------------------------------------------------------------- events
    def _events(self, *, body: bool) -> None:
        self.close_connection = True  # the stream ends when either side closes it
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream" + _UTF8)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if not body:
            return
        stream, hello = self.server.hub.subscribe()
        try:
            self.wfile.write(b"retry: 1000\n\n" + hello)
            while True:
                try:
                    frame = stream.get(timeout=_KEEPALIVE)
                except queue.Empty:
                    frame = b": keep-alive\n\n"
                if frame is None:
                    return
                self.wfile.write(frame)
        except (ConnectionError, TimeoutError):
            return
        finally:
            self.server.hub.unsubscribe(stream)


def problem_view(problem: Problem, language: str) -> dict[str, Any]:
    """A problem as the overlay shows it: place (file and line), message, hint."""
    place = (
        problem.path
        if problem.line is None
        else messages.text("serve_place_line", language, path=problem.path, line=problem.line)
    )
    return {
        "path": problem.path,
        "line": problem.line,
        "place": place,
        "message": problem.message,
        "hint": problem.hint,
        "severity": "error" if problem.is_error else "warning",
    }
