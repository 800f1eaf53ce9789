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

Every request that arrives gets a status line, whatever it is: a request line
over 8 KiB is 414, headers too long or too many 431, a malformed target or
version 400/505, another method 405, a path no file can have or a file gone
during a rebuild 404, a bug in the handler 500 (reported once). Connections are
kept alive (HTTP/1.1) with a Content-Length on every answer but the event stream;
files carry an ETag (and Last-Modified) for 304 answers, and a single byte
``Range`` gets 206 or 416 (PDF and video seeking).

Dropped connections and idle tabs are a normal part of a browser's life and are
not reported; requests are logged only when asked (``-v``).
"""

from __future__ import annotations

import contextlib
import datetime
import email.message
import email.parser
import email.utils
import errno
import hashlib
import json
import os
import queue
import re
import socket
import socketserver
import stat
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from . import messages
from .errors import Problem

EVENTS_PATH = "/__chaowen__/events"
_STREAM_THRESHOLD = 64 * 1024  # larger files go from the file to the socket, smaller ones in one write
_KEEPALIVE = 15.0  # seconds between comments on an idle event stream, to notice closed tabs

# What a request may be. Beyond these it is answered (414, 431) and the connection closed.
_MAX_REQUEST_LINE = 8192  # bytes, like nginx: ~900 Chinese characters percent-encoded
_MAX_HEADER_LINE = 8192
_MAX_HEADERS = 100
_MAX_HEADER_BYTES = 65536
_MAX_SKIPPED_BODY = 65536  # a body this small (GET may carry one) is read and dropped to keep the connection
_BLANK_LINES = 4  # empty lines tolerated before a request line
_NAME_MAX = 255  # bytes in one file name on every file system we run on; a longer segment is a 404
# After the answer that closes a connection, what the client still sends is read (and dropped) for a
# moment: closing a socket with unread data resets the connection, and the reset can destroy the answer
# before the client has read it.
_LINGER_SECONDS = 2.0
_LINGER_BYTES = 1 << 20
_LOGGED_CHARS = 300  # of a request line in the -v log
_WORKER_IDLE_SECONDS = 60.0  # a connection thread waits this long for the next connection before it ends

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 5.6.2: methods and header names
_VERSION = re.compile(r"HTTP/([0-9])\.([0-9])")
_DIGITS = re.compile(r"[0-9]+")  # not str.isdigit(), which takes "²" (and int() then refuses it)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RAW_HIGH = re.compile(r"[\x80-\xff]")

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
    ".wasm": "application/wasm",
    # Pagefind's index: compressed binary chunks it fetches and decodes itself.
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".pagefind": "application/octet-stream",
    ".zip": "application/zip",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
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


def _percent_encode_raw(raw: str) -> str:
    """A request path as sent (bytes read as Latin-1) with raw non-ASCII bytes percent-encoded.

    Browsers encode them; a hand-typed ``curl http://.../文件/`` sends UTF-8 as it is.
    """
    return _RAW_HIGH.sub(lambda m: f"%{ord(m.group()):02X}", raw)


def malformed_path(raw: str) -> bool:
    """Whether a percent-encoded request path is not one at all (a 400, where a safe but absent path is a 404).

    Malformed: control characters, a ``%`` not followed by two hex digits, bytes
    that are not UTF-8 once decoded.
    """
    if _CONTROL.search(raw) or _BAD_ESCAPE.search(raw):
        return True
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


# -------------------------------------------------------------- HTTP semantics
class RangeNotSatisfiable(ValueError):
    """A Range that asks for bytes the file does not have (416)."""


_RANGE = re.compile(r"\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*", re.I | re.ASCII)
_HUGE = 10**18


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) that a ``Range`` header asks of ``size`` bytes.

    None means "send the whole file": several ranges, another unit, or a malformed
    header, which RFC 9110 14.2 lets a server ignore. Raises
    :class:`RangeNotSatisfiable` for a range that starts beyond the end (or a
    suffix range of zero bytes).
    """
    match = _RANGE.fullmatch(header)
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if not first_text:  # bytes=-N: the last N bytes
        suffix = _number(last_text)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(0, size - suffix), size - 1
    first = _number(first_text)
    last = _number(last_text) if last_text else size - 1
    if last < first and last_text:
        return None  # bytes=9-2 is not a range
    if first >= size:
        raise RangeNotSatisfiable(header)
    return first, min(last, size - 1)


def _number(digits: str) -> int:
    """A decimal position; beyond 18 digits as good as infinite (and int() refuses thousands of digits)."""
    return int(digits) if len(digits) <= 18 else _HUGE


_ENTITY_TAG = re.compile(r'\s*(?:W/)?("[^"]*")\s*(?:,|$)')


def etag_matches(header: str, etag: str) -> bool:
    """``If-None-Match`` against our ``etag``: weak comparison, any tag of the list, ``*`` for any."""
    if header.strip() == "*":
        return True
    strong = etag.removeprefix("W/")
    return any(match.group(1) == strong for match in _ENTITY_TAG.finditer(header))


def http_date(value: str | None) -> float | None:
    """An HTTP date as a POSIX timestamp (whole seconds), or None when there is none or it cannot be read."""
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, source unknown
        moment = moment.replace(tzinfo=datetime.UTC)
    return float(int(moment.timestamp()))


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
        self._reported: set[tuple[str, str, int]] = set()
        self._reported_lock = threading.Lock()
        # Connections are handed to threads that are kept for the next one (see process_request).
        self._pending: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self._idle_workers = 0
        self._workers_lock = threading.Lock()
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
        """Dropped connections are normal (a tab closed, a reload); anything else is reported once."""
        error = sys.exc_info()[1]
        if error is None or isinstance(error, (ConnectionError, TimeoutError)):
            return
        self.report(error, "")

    def report(self, error: BaseException, request: str) -> None:
        """Tell the terminal about a bug met while answering ``request``, once per place in the code.

        One line; with ``-v`` the traceback too. A request that keeps hitting the same
        bug (a reloading tab) does not flood the terminal.
        """
        frames = traceback.extract_tb(error.__traceback__)
        where = (type(error).__name__, frames[-1].filename, frames[-1].lineno or 0) if frames else ("", "", 0)
        with self._reported_lock:
            if where in self._reported:
                return
            self._reported.add(where)
        if self.verbose:
            self.log("".join(traceback.format_exception(error)).rstrip())
        reason = f"{type(error).__name__}: {error}"
        request = request if len(request) <= _LOGGED_CHARS else request[:_LOGGED_CHARS] + " …"
        self.log(messages.text("serve_handler_error", self.language, request=request or "-", reason=reason))

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection on an idle worker thread, or on a new one when all are busy.

        ThreadingMixIn starts a thread for every connection; under load that churn
        makes the process's memory creep up (each new thread draws on the allocator's
        arenas afresh). Here a thread that finished a connection waits for the next
        one, and ends after a minute without any. Workers are daemon threads: open
        tabs never keep the process alive.
        """
        with self._workers_lock:
            if self._idle_workers:
                self._idle_workers -= 1
                self._pending.put((request, client_address))
                return
        threading.Thread(target=self._work, args=(request, client_address), daemon=True).start()

    def _work(self, request: Any, client_address: Any) -> None:
        while True:
            self.process_request_thread(request, client_address)  # handles, reports, closes
            with self._workers_lock:
                self._idle_workers += 1
            while True:
                try:
                    request, client_address = self._pending.get(timeout=_WORKER_IDLE_SECONDS)
                    break
                except queue.Empty:
                    with self._workers_lock:
                        if self._pending.empty():  # nobody counted on this worker: it may end
                            self._idle_workers -= 1
                            return

    def shutdown_request(self, request: Any) -> None:
        """Close a connection without destroying the last answer (see ``_LINGER_SECONDS``)."""
        try:
            request.shutdown(socket.SHUT_WR)  # the answer is complete: the client sees the end
            request.settimeout(_LINGER_SECONDS)
            deadline, drained, buffer = time.monotonic() + _LINGER_SECONDS, 0, bytearray(16384)
            while drained < _LINGER_BYTES and time.monotonic() < deadline:
                received = request.recv_into(buffer)
                if not received:
                    break
                drained += received
        except OSError:
            pass
        self.close_request(request)

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


class _BadRequest(Exception):
    """A request that gets ``status`` and then the connection is closed (what follows cannot be trusted)."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    """One connection: requests read, checked and answered one after another (HTTP/1.1 keep-alive).

    Reading the request is ours, not :class:`BaseHTTPRequestHandler`'s, because the
    stdlib closes the connection without a word in some cases (an empty request line)
    and answers HTTP/0.9 without a status line. Here every request that arrives gets
    a status line: 400, 414, 431, 505 for what cannot be read, 405 for other methods,
    500 (logged once) for a bug in the handler.
    """

    server: PreviewServer
    _headers_buffer: list[bytes]  # the stdlib's: status line and headers waiting to be sent
    protocol_version = "HTTP/1.1"  # keep-alive: a page and its stylesheet over one connection
    server_version = "chaowen-preview"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds
    disable_nagle_algorithm = True  # a small answer is not held back waiting for an acknowledgement

    # ---------------------------------------------------------------- plumbing
    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def handle_one_request(self) -> None:
        self._answered = False  # whether a status line went out for this request
        self.command, self.path, self.requestline = "", "", ""
        self.request_version = "HTTP/1.1"  # how an answer to an unreadable request is framed
        try:
            if not self._read_request():
                self.close_connection = True  # the client closed the connection between requests
                return
            if self.command in ("GET", "HEAD"):
                self._serve(body=self.command == "GET")
            else:
                self._error(HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": "GET, HEAD"})
            self.wfile.flush()
        except _BadRequest as bad:
            self.close_connection = True
            if not self._answered:
                self._error(bad.status)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as error:  # a bug in chaowen: answer 500, say so once, keep serving
            self.close_connection = True
            self.server.report(error, self.requestline)
            if not self._answered:
                with contextlib.suppress(OSError):
                    self._error(HTTPStatus.INTERNAL_SERVER_ERROR)

    def _read_request(self) -> bool:
        """Read the request line and headers into ``command``, ``path``, ``headers``; False at end of stream.

        Raises :class:`_BadRequest` for what cannot be read. A request body (which GET
        and HEAD do not have, but may carry) is read and dropped when it is small, so
        the next request on the connection starts where it should; otherwise the
        connection is closed after the answer.
        """
        line = b""
        for _ in range(_BLANK_LINES + 1):  # RFC 9112 2.2: ignore empty lines before a request line
            line = self.rfile.readline(_MAX_REQUEST_LINE + 1)
            if not line:
                return False
            if line.strip(b"\r\n"):
                break
        self.raw_requestline = line
        if len(line) > _MAX_REQUEST_LINE:
            raise _BadRequest(HTTPStatus.REQUEST_URI_TOO_LONG)
        self.requestline = line.decode("latin-1").rstrip("\r\n")
        words = [word.decode("latin-1") for word in line.split()]  # ASCII whitespace only: not \xa0 in UTF-8
        if len(words) != 3 or not _TOKEN.fullmatch(words[0]):  # also HTTP/0.9's "GET /"
            raise _BadRequest(HTTPStatus.BAD_REQUEST)
        method, target, version = words
        match = _VERSION.fullmatch(version)
        if match is None:
            raise _BadRequest(HTTPStatus.BAD_REQUEST)
        if match.group(1) != "1":
            raise _BadRequest(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED)
        self.request_version = version
        self.command, self.path = method, target
        self.headers = self._read_headers()
        self.close_connection = version == "HTTP/1.0" or "close" in self._tokens("Connection")
        self._skip_body()
        return True

    def _read_headers(self) -> email.message.Message:
        lines: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(_MAX_HEADER_LINE + 1)
            if not line:
                raise ConnectionResetError  # the client went away halfway through its request
            if line in (b"\r\n", b"\n"):
                break
            total += len(line)
            if len(line) > _MAX_HEADER_LINE or len(lines) >= _MAX_HEADERS or total > _MAX_HEADER_BYTES:
                raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
            name, colon, _ = line.partition(b":")
            if not colon or not _TOKEN.fullmatch(name.decode("latin-1")):  # also obsolete line folding
                raise _BadRequest(HTTPStatus.BAD_REQUEST)
            lines.append(line)
        message: email.message.Message = email.parser.Parser(_class=self.MessageClass).parsestr(
            b"".join(lines).decode("latin-1")
        )
        return message

    def _tokens(self, name: str) -> list[str]:
        return [t.strip().lower() for value in self.headers.get_all(name, []) for t in str(value).split(",")]

    def _skip_body(self) -> None:
        """Drop a request body we will not use, or make sure the connection closes after the answer."""
        if self.headers.get("Transfer-Encoding") is not None:
            self.close_connection = True  # a chunked body: not worth reading; the connection ends instead
            return
        lengths = {str(v).strip() for v in self.headers.get_all("Content-Length", [])}
        if not lengths:
            return
        if len(lengths) > 1 or not all(_DIGITS.fullmatch(n) for n in lengths):
            raise _BadRequest(HTTPStatus.BAD_REQUEST)  # RFC 9112 6.3: the message cannot be framed
        length = int(lengths.pop()[:20])
        if length > _MAX_SKIPPED_BODY or self.headers.get("Expect") is not None:
            self.close_connection = True  # the client may wait for a "100 Continue" we do not send
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                raise ConnectionResetError
            length -= len(chunk)

    def send_response(self, code: int, message: str | None = None) -> None:
        self._answered = True
        super().send_response(code, message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self._error(HTTPStatus(code))  # not the stdlib's page: ours has the same framing as every answer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            text = format % args
            if len(text) > _LOGGED_CHARS:  # a 3,000-character path need not fill the terminal
                text = text[: _LOGGED_CHARS // 2] + " … " + text[-_LOGGED_CHARS // 4 :]
            self.server.log(f"{self.address_string()} {text}")

    def _respond(
        self,
        status: HTTPStatus,
        data: bytes,
        kind: str,
        headers: Mapping[str, str] | None = None,
        *,
        body: bool = True,
    ) -> None:
        """A complete answer with a Content-Length; ``headers`` may replace Cache-Control."""
        self.send_response(status)
        fields = {"Content-Type": kind, "Content-Length": str(len(data)), "Cache-Control": "no-store"}
        fields.update(headers or {})
        self._head(fields, data if body else b"")

    def _head(self, fields: Mapping[str, str], data: bytes = b"") -> None:
        """Send ``fields`` (after the status line) and, in the same write, ``data``."""
        fields = {**fields, "X-Content-Type-Options": "nosniff"}
        if self.close_connection:
            fields["Connection"] = "close"
        for name, value in fields.items():
            self.send_header(name, value)
        self._headers_buffer.append(b"\r\n" + data)
        self.flush_headers()

    def _error(self, status: HTTPStatus, headers: Mapping[str, str] | None = None) -> None:
        """A short plain-text answer: the status and what it means for the person previewing."""
        text = f"{status.value} {status.phrase}\n{messages.text(f'serve_http_{status.value}', self.server.language)}\n"
        self._respond(status, text.encode(), "text/plain" + _UTF8, headers, body=self.command != "HEAD")

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
            parts = urlsplit(target) if target.lower().startswith(("http://", "https://")) else None
            if parts is None or not parts.netloc:
                raise _BadRequest(HTTPStatus.BAD_REQUEST)  # "*", "example.org:80", "index.html"
            target = parts.path or "/"
        raw, _, query = target.partition("?")
        raw = _percent_encode_raw(raw.partition("#")[0])
        if malformed_path(raw):
            self._error(HTTPStatus.BAD_REQUEST)
            return
        if raw == EVENTS_PATH:
            self._events(body=body)
            return
        segments = url_segments(raw)
        if segments is None or any(len(s.encode()) > _NAME_MAX for s in segments):
            self._not_found(body)  # a way out of the folder, or a name no file can have
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
        if _is_dir(path):
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
    def _open(self, path: Path) -> BinaryIO | None:
        """``path`` opened, or None when there is no such file (after waiting for a build that may be writing it)."""
        for attempt in range(2):
            try:
                handle = path.open("rb")
            except (FileNotFoundError, NotADirectoryError):
                if attempt or self.server.idle.is_set():
                    return None
                self.server.idle.wait(5)  # a build is swapping files; ask again when it is done
            except OSError:  # a folder, a name too long, no permission: nothing to serve
                return None
            else:
                if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return handle
                handle.close()
                return None
        return None

    def _send_file(self, path: Path, status: HTTPStatus, body: bool) -> bool:
        """Send a file (a range of it, or 304 when the client's copy is current); False when there is none."""
        handle = self._open(path)
        if handle is None:
            return False
        with handle:
            info = os.fstat(handle.fileno())
            tag = f"{info.st_ino:x}-{info.st_mtime_ns:x}-{info.st_size:x}"
            if path.suffix.lower() in _HTML:
                # Pages are never cached (no-store): the injected script carries the build token.
                try:
                    page: str | None = path.resolve().relative_to(self.server.root.resolve()).as_posix()
                except ValueError:
                    page = None
                data = self._with_script(handle.read(), page)
                etag = f'"{tag}-{hashlib.blake2b(data, digest_size=6).hexdigest()}"'
                fields = {"Content-Type": content_type(path.name), "Cache-Control": "no-store", "ETag": etag}
                self._send_representation(status, fields, len(data), lambda first, n: data[first : first + n], body)
                return True
            fields = {
                "Content-Type": content_type(path.name),
                "Cache-Control": "no-cache",  # kept by the browser, but asked about (ETag) every time
                "ETag": f'"{tag}"',
                "Last-Modified": email.utils.formatdate(info.st_mtime, usegmt=True),
            }

            def read(first: int, count: int) -> bytes:
                handle.seek(first)
                return handle.read(count)

            self._send_representation(status, fields, info.st_size, read, body, stream=handle)
        return True

    def _send_representation(
        self,
        status: HTTPStatus,
        fields: dict[str, str],
        size: int,
        read: Callable[[int, int], bytes],
        body: bool,
        stream: BinaryIO | None = None,
    ) -> None:
        """Answer with ``fields`` and ``size`` bytes from ``read``: whole, a Range of them, 304 or 416."""
        if status == HTTPStatus.OK:
            if self._not_modified(fields):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self._head({k: v for k, v in fields.items() if k != "Content-Type"})
                return
            fields["Accept-Ranges"] = "bytes"
            span = self._requested_range(fields, size) if self.command == "GET" else None
            if span == "unsatisfiable":
                self._error(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, {"Content-Range": f"bytes */{size}"})
                return
            if isinstance(span, tuple):
                first, last = span
                status = HTTPStatus.PARTIAL_CONTENT
                fields["Content-Range"] = f"bytes {first}-{last}/{size}"
                start, count = first, last - first + 1
            else:
                start, count = 0, size
        else:
            start, count = 0, size
        self.send_response(status)
        fields["Content-Length"] = str(count)
        if not body:
            self._head(fields)
        elif count <= _STREAM_THRESHOLD or stream is None:
            self._head(fields, read(start, count))
        else:
            self._head(fields)
            # From the file to the socket in the kernel (os.sendfile where there is one): no copy in
            # Python, and no large buffers left to fragment the process's memory.
            if self.connection.sendfile(stream, start, count) < count:
                self.close_connection = True  # the file shrank while it was sent: the answer is cut short

    def _not_modified(self, fields: Mapping[str, str]) -> bool:
        """Whether the client's copy is current (If-None-Match, else If-Modified-Since)."""
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return etag_matches(tags, fields["ETag"])
        since = http_date(self.headers.get("If-Modified-Since"))
        modified = http_date(fields.get("Last-Modified"))
        return since is not None and modified is not None and modified <= since

    def _requested_range(self, fields: Mapping[str, str], size: int) -> tuple[int, int] | str | None:
        """The one byte range the request asks for, "unsatisfiable", or None for the whole file."""
        header = self.headers.get("Range")
        if header is None:
            return None
        condition = self.headers.get("If-Range")
        if condition is not None:
            condition = condition.strip()
            current = (
                condition == fields["ETag"] if condition.startswith('"') else condition == fields.get("Last-Modified")
            )
            if not current:
                return None  # the client's part is of an older file: send the whole new one
        try:
            return byte_range(header, size)
        except RangeNotSatisfiable:
            return "unsatisfiable"

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
        # An endless answer: no Content-Length, so it ends with the connection (as HTTP/1.1 allows).
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self._head({"Content-Type": "text/event-stream" + _UTF8, "Cache-Control": "no-store"})
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


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the file system, a loop of links
        return False


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
