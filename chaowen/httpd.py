"""HTTP/1.1 connections that answer every request: the plumbing under the preview server.

:class:`ConnectionServer` accepts connections and serves them on a bounded pool of
threads that are kept for the next connection; :class:`Connection` reads the
requests of one connection, one after another (keep-alive), and gives each to
:meth:`Connection.answer`. What it cannot read gets a status line all the same: a
request line over 8 KiB is 414, headers too long or too many 431, a malformed
target or version 400/505, and a bug in the answer 500 (reported once). Every
answer but an endless one carries a Content-Length.

Dropped connections are a normal part of a browser's life and are not reported;
requests are logged only when asked (``verbose``).
"""

from __future__ import annotations

import contextlib
import email.message
import email.parser
import errno
import io
import queue
import re
import select
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from . import messages

# What a request may be. Beyond these it is answered (414, 431) and the connection closed.
_MAX_REQUEST_LINE = 8192  # bytes, like nginx: ~900 Chinese characters percent-encoded
_MAX_HEADER_LINE = 8192
_MAX_HEADERS = 100
_MAX_HEADER_BYTES = 65536
_MAX_SKIPPED_BODY = 65536  # a body this small (GET may carry one) is read and dropped to keep the connection
_BLANK_LINES = 4  # empty lines tolerated before a request line
# After the answer that closes a connection, what the client still sends is read (and dropped) for a
# moment: closing a socket with unread data resets the connection, and the reset can destroy the answer
# before the client has read it.
_LINGER_SECONDS = 2.0
_LINGER_BYTES = 1 << 20
_COALESCE_BYTES = 4096  # an answer this small goes out in one write with its headers
_LOGGED_CHARS = 300  # of a request line in the -v log
_WORKER_IDLE_SECONDS = 60.0  # a connection thread waits this long for the next connection before it ends
_CROWDED_IDLE_SECONDS = 1.0  # an idle kept-alive connection ends after this while others wait for a thread
_IDLE_SLICE_SECONDS = 0.25  # how often an idle connection looks whether others wait

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 5.6.2: methods and header names
_VERSION = re.compile(r"HTTP/([0-9])\.([0-9])")
_DIGITS = re.compile(r"[0-9]+")  # not str.isdigit(), which takes "²" (and int() then refuses it)

UTF8 = "; charset=utf-8"


def ignore(text: str) -> None:
    """A log that drops what it is told."""
    return None


class ConnectionServer(ThreadingHTTPServer):
    """Connections answered by ``handler`` on threads kept for the next connection."""

    daemon_threads = True  # open tabs never keep the process alive
    block_on_close = False
    # On Windows SO_REUSEADDR lets a second server take a port in use; there we ask for exclusive use instead.
    allow_reuse_address = sys.platform != "win32"
    max_workers = 32  # connection threads at most; a browser opens about 6 connections per tab

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[Connection],
        *,
        language: str = "zh-CN",
        log: Callable[[str], None] = ignore,
        verbose: bool = False,
    ) -> None:
        self.language = language  # of the error answers and the reports
        self.log = log
        self.verbose = verbose
        self._reported: set[tuple[str, str, int]] = set()
        self._reported_lock = threading.Lock()
        # Connections are handed to a bounded pool of threads kept for the next one (see process_request).
        self._pending: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()  # None: stop
        self._waiting = 0  # connections queued, not yet taken by a thread
        self._idle_workers = 0  # threads waiting for a connection
        self._workers = 0  # threads in the pool
        self._workers_lock = threading.Lock()
        self._left = threading.local()  # .active on a thread that left the pool (leave_pool)
        # What a closing connection still sends is read into this and dropped: one buffer for all
        # threads (its bytes are never looked at), not a new one per connection.
        self._drain = bytearray(16384)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

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

    @property
    def crowded(self) -> bool:
        """Whether connections wait for a thread that the full pool cannot give (then kept-alive
        connections give theirs up)."""
        return self._waiting > self._idle_workers and self._workers >= self.max_workers

    @property
    def workers(self) -> int:
        """The connection threads in the pool now (event streams that left it not counted)."""
        with self._workers_lock:
            return self._workers

    def process_request(self, request: Any, client_address: Any) -> None:
        """Queue the connection for the pool; start a thread if none is free and the pool is not full.

        ThreadingMixIn starts a thread for every connection, with no bound on their
        number (and each new thread may take a malloc arena of its own). Here at most
        ``max_workers`` threads serve connections, each kept for the next
        connection and ended after a minute without one. When all are busy a new
        connection waits; a kept-alive connection that is idle gives its thread up
        meanwhile (see :meth:`Connection.handle`). Workers are daemon threads: open
        tabs never keep the process alive.
        """
        with self._workers_lock:
            self._pending.put((request, client_address))
            self._waiting += 1
            if self._waiting <= self._idle_workers or self._workers >= self.max_workers:
                return
            self._workers += 1
            self._idle_workers += 1
        threading.Thread(target=self._work, daemon=True).start()

    def leave_pool(self) -> None:
        """Take the calling worker out of the pool for good (an endless event stream holds its thread).

        The thread ends when its connection does; the pool may start another in its place.
        """
        self._left.active = True
        with self._workers_lock:
            self._workers -= 1
            start = self._waiting > self._idle_workers
            if start:
                self._workers += 1
                self._idle_workers += 1
        if start:
            threading.Thread(target=self._work, daemon=True).start()

    def _work(self) -> None:
        while True:
            try:
                item = self._pending.get(timeout=_WORKER_IDLE_SECONDS)
            except queue.Empty:
                with self._workers_lock:
                    if self._waiting <= self._idle_workers - 1:  # no queued connection counts on this thread
                        self._idle_workers -= 1
                        self._workers -= 1
                        return
                continue
            if item is None:  # the server stopped
                return
            request, client_address = item
            with self._workers_lock:
                self._waiting -= 1
                self._idle_workers -= 1
            self.process_request_thread(request, client_address)  # handles, reports, closes
            if getattr(self._left, "active", False):
                return
            with self._workers_lock:
                self._idle_workers += 1

    def shutdown_request(self, request: Any) -> None:
        """Close a connection without destroying the last answer (see ``_LINGER_SECONDS``)."""
        try:
            request.shutdown(socket.SHUT_WR)  # the answer is complete: the client sees the end
            request.settimeout(_LINGER_SECONDS)
            deadline, drained = time.monotonic() + _LINGER_SECONDS, 0
            while drained < _LINGER_BYTES and time.monotonic() < deadline:
                received = request.recv_into(self._drain)
                if not received:
                    break
                drained += received
        except OSError:
            pass
        self.close_request(request)

    def stop(self) -> None:
        """End the serving loop, close the socket, and end the threads waiting for a connection."""
        self.shutdown()
        self.server_close()
        with self._workers_lock:
            for _ in range(self._idle_workers):
                self._pending.put(None)


S = TypeVar("S", bound=ConnectionServer)


def port_unusable(error: OSError) -> bool:
    """Whether binding failed because the port is taken (or, on Windows, reserved by the system)."""
    return error.errno in {errno.EADDRINUSE, errno.EACCES, 10048, 10013}


def open_server(
    host: str, port: int, make: Callable[[tuple[str, int]], S], *, attempts: int = 20
) -> tuple[S, list[int]]:
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


def _readable(sock: socket.socket, timeout: float) -> bool:
    """Whether ``sock`` has bytes to read (or has ended) within ``timeout`` seconds."""
    if hasattr(select, "poll"):  # not select.select: it cannot watch descriptors above 1023
        poller = select.poll()
        poller.register(sock, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(timeout * 1000))
    return bool(select.select([sock], [], [], timeout)[0])


class BadRequest(Exception):
    """A request that gets ``status`` and then the connection is closed (what follows cannot be trusted)."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status)
        self.status = status


class Connection(BaseHTTPRequestHandler):
    """One connection: requests read, checked and answered one after another (HTTP/1.1 keep-alive).

    Reading the request is ours, not :class:`BaseHTTPRequestHandler`'s, because the
    stdlib closes the connection without a word in some cases (an empty request line)
    and answers HTTP/0.9 without a status line. Here every request that arrives gets
    a status line: 400, 414, 431, 505 for what cannot be read, 405 for other methods,
    500 (logged once) for a bug in the handler.
    """

    server: ConnectionServer
    _headers_buffer: list[bytes]  # the stdlib's: status line and headers waiting to be sent
    protocol_version = "HTTP/1.1"  # keep-alive: a page and its stylesheet over one connection
    server_version = "chaowen-preview"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds
    disable_nagle_algorithm = True  # a small answer is not held back waiting for an acknowledgement

    def answer(self, *, body: bool) -> None:
        """Answer the GET (``body``) or HEAD request just read; what a subclass serves."""
        raise NotImplementedError

    # ---------------------------------------------------------------- plumbing
    def handle(self) -> None:
        try:
            self.close_connection = True
            self.handle_one_request()
            while not self.close_connection and self._next_request_comes():
                self.handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def _next_request_comes(self) -> bool:
        """Wait for the next request on a kept-alive connection; False when the connection should end.

        True as soon as bytes (or the end of the stream) arrive. False after
        ``timeout`` idle seconds, or after ``_CROWDED_IDLE_SECONDS`` while other
        connections wait for a thread: an idle connection gives its thread up (the
        client opens a new connection when it needs one).
        """
        sock, reader = self.connection, self.rfile
        if isinstance(reader, io.BufferedReader):
            sock.settimeout(0.0)  # a look into the buffer (pipelined requests) and the socket, without waiting
            try:
                if reader.peek(1):
                    return True
            except OSError:
                return True  # the read that follows reports it
            finally:
                sock.settimeout(self.timeout)
        started = time.monotonic()
        while True:
            idle = time.monotonic() - started
            limit = _CROWDED_IDLE_SECONDS if self.server.crowded else float(self.timeout)
            if idle >= limit:
                return False
            if _readable(sock, min(_IDLE_SLICE_SECONDS, limit - idle)):
                return True

    def handle_one_request(self) -> None:
        self._answered = False  # whether a status line went out for this request
        self.command, self.path, self.requestline = "", "", ""
        self.request_version = "HTTP/1.1"  # how an answer to an unreadable request is framed
        try:
            if not self._read_request():
                self.close_connection = True  # the client closed the connection between requests
                return
            if self.server.crowded:
                self.close_connection = True  # this answer ends the connection: others wait for a thread
            if self.command in ("GET", "HEAD"):
                self.answer(body=self.command == "GET")
            else:
                self._error(HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": "GET, HEAD"})
            self.wfile.flush()
        except BadRequest as bad:
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

        Raises :class:`BadRequest` for what cannot be read. A request body (which GET
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
            raise BadRequest(HTTPStatus.REQUEST_URI_TOO_LONG)
        self.requestline = line.decode("latin-1").rstrip("\r\n")
        words = [word.decode("latin-1") for word in line.split()]  # ASCII whitespace only: not \xa0 in UTF-8
        if len(words) != 3 or not _TOKEN.fullmatch(words[0]):  # also HTTP/0.9's "GET /"
            raise BadRequest(HTTPStatus.BAD_REQUEST)
        method, target, version = words
        match = _VERSION.fullmatch(version)
        if match is None:
            raise BadRequest(HTTPStatus.BAD_REQUEST)
        if match.group(1) != "1":
            raise BadRequest(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED)
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
                raise BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
            name, colon, _ = line.partition(b":")
            if not colon or not _TOKEN.fullmatch(name.decode("latin-1")):  # also obsolete line folding
                raise BadRequest(HTTPStatus.BAD_REQUEST)
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
            raise BadRequest(HTTPStatus.BAD_REQUEST)  # RFC 9112 6.3: the message cannot be framed
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
        """Send ``fields`` (after the status line), then ``data``: in the same write when it is small."""
        fields = {**fields, "X-Content-Type-Options": "nosniff"}
        if self.close_connection:
            fields["Connection"] = "close"
        for name, value in fields.items():
            self.send_header(name, value)
        if len(data) <= _COALESCE_BYTES:
            self._headers_buffer.append(b"\r\n" + data)
            self.flush_headers()
        else:  # not joined to the headers: no second and third copy of a page in memory
            self._headers_buffer.append(b"\r\n")
            self.flush_headers()
            self.wfile.write(data)

    def _error(self, status: HTTPStatus, headers: Mapping[str, str] | None = None) -> None:
        """A short plain-text answer: the status and what it means for the person previewing."""
        text = f"{status.value} {status.phrase}\n{messages.text(f'serve_http_{status.value}', self.server.language)}\n"
        self._respond(status, text.encode(), "text/plain" + UTF8, headers, body=self.command != "HEAD")
