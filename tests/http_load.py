"""A small HTTP/1.1 client over raw sockets, and a load generator built on it.

Used by the preview server's tests and by ``bench/serve_load.py``. It sends
request targets exactly as given (no client-side normalising, so traversal forms
and overlong paths reach the server as they are), keeps connections alive, and
tells a real answer from a connection that closed without a status line.
"""

from __future__ import annotations

import io
import socket
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote


class NoStatus(Exception):
    """The connection ended (or stalled) before a complete status line and headers arrived."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def read_answer(reader: io.BufferedIOBase, *, head: bool = False) -> Answer:
    """One response from a buffered socket file: status line, headers, then a body framed by Content-Length.

    Raises :class:`NoStatus` when the connection closes or times out before the
    headers are complete, or the status line is not ``HTTP/1.x NNN``.
    """
    readline, read = reader.readline, reader.read
    try:
        line = readline(65537)
        parts = line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise NoStatus(repr(line[:80]))
        status = int(parts[1])
        headers: dict[str, str] = {}
        while True:
            line = readline(65537)
            if not line:
                raise NoStatus("headers cut off")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if head or status in (204, 304) or 100 <= status < 200:
            return Answer(status, headers, b"")
        if "content-length" in headers:
            length = int(headers["content-length"])
            body = read(length) if length else b""
            if len(body) != length:
                raise NoStatus(f"body cut off: {len(body)} of {length} bytes")
        else:
            body = read()  # framed by the end of the connection
        return Answer(status, headers, body)
    except (OSError, ValueError) as error:  # reset, timeout
        raise NoStatus(f"{type(error).__name__}: {error}") from error


class Client:
    """One keep-alive connection to 127.0.0.1:``port``, reopened when the server closes it."""

    def __init__(self, port: int, *, timeout: float = 30) -> None:
        self.port = port
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.reader: io.BufferedIOBase | None = None
        self.connections = 0

    def _connect(self) -> None:
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        self.reader = self.sock.makefile("rb")
        self.connections += 1

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        if self.sock is not None:
            self.sock.close()
        self.reader = None
        self.sock = None

    def send(self, data: bytes, *, head: bool = False) -> Answer:
        """Send raw bytes (one request) and read one answer; the connection is closed after a ``close``."""
        if self.sock is None:
            self._connect()
        assert self.sock is not None and self.reader is not None
        try:
            self.sock.sendall(data)
        except OSError as error:
            self.close()
            raise NoStatus(f"send failed: {error}") from error
        try:
            answer = read_answer(self.reader, head=head)
        except NoStatus:
            self.close()
            raise
        if answer.header("connection").lower() == "close":
            self.close()
        return answer

    def get(self, target: str, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
        fields = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        request = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
        return self.send(request.encode("utf-8", "surrogateescape"), head=method == "HEAD")


@dataclass
class LoadResult:
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    no_status: int = 0
    no_status_examples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # seconds
    connections: int = 0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        rate = self.requests / self.seconds if self.seconds else 0.0
        return (
            f"{self.requests} requests in {self.seconds:.1f} s ({rate:.0f}/s) over {self.connections} connections; "
            f"p50 {self.percentile(0.5) * 1000:.1f} ms, p99 {self.percentile(0.99) * 1000:.1f} ms, "
            f"mean {statistics.fmean(self.latencies) * 1000 if self.latencies else 0:.1f} ms; "
            f"no status line: {self.no_status}; 5xx: {self.server_errors}; "
            f"statuses: {dict(sorted(self.statuses.items()))}"
        )


def hammer(
    port: int,
    targets: Sequence[str],
    *,
    connections: int,
    requests: int | None = None,
    until: Callable[[], bool] | None = None,
    timeout: float = 30,
) -> LoadResult:
    """``connections`` threads, each cycling through ``targets`` (from its own offset) over keep-alive.

    Stops after ``requests`` requests per connection, or when ``until()`` is true.
    Every answer's status is counted; a connection that ends without one counts as
    ``no_status`` and is reopened.
    """
    result = LoadResult()
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = Client(port, timeout=timeout)
        statuses: Counter[int] = Counter()
        latencies: list[float] = []
        failures: list[str] = []
        done = 0
        position = index * 7919
        while (requests is None or done < requests) and not (until is not None and until()):
            target = targets[position % len(targets)]
            position += 1
            started = time.perf_counter()
            try:
                answer = client.get(target)
            except NoStatus as error:
                failures.append(f"{target[:80]}: {error}")
            else:
                statuses[answer.status] += 1
                latencies.append(time.perf_counter() - started)
            done += 1
        client.close()
        with lock:
            result.requests += done
            result.statuses.update(statuses)
            result.latencies.extend(latencies)
            result.no_status += len(failures)
            result.no_status_examples.extend(failures[:5])
            result.connections += client.connections

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


# Request targets that are not pages: what crawlers, scanners and typos send.
MISSING = ["/no/such/page/", "/static/missing.css", "/wp-login.php", "/favicon.ico.bak"]
TRAVERSAL = [
    "/../secret.txt",
    "/static/../../secret.txt",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "//etc/passwd",
    "/C:/Windows/win.ini",
    "/index.html%00.txt",
    "/%zz",
    "/%ff%fe",
]
OVERLONG = ["/" + "a" * 3000, "/static/" + "b" * 300 + ".css", "/" + "c" * 9000]


def target_mix(preview: Path, *, pages: int = 40, assets: int = 40) -> list[str]:
    """Pages and assets of a built preview folder, then missing, traversal and overlong paths (about 1 in 6)."""
    files = sorted(p for p in preview.rglob("*") if p.is_file())
    urls = {p: "/" + quote(p.relative_to(preview).as_posix()) for p in files}
    page_urls = [u.removesuffix("index.html") for p, u in urls.items() if p.suffix == ".html"]
    asset_urls = [u for p, u in urls.items() if p.suffix in (".css", ".js", ".png", ".svg", ".pdf", ".xml", ".pf_meta")]
    step_pages, step_assets = max(1, len(page_urls) // pages), max(1, len(asset_urls) // assets)
    return page_urls[::step_pages][:pages] + asset_urls[::step_assets][:assets] + MISSING + TRAVERSAL + OVERLONG
