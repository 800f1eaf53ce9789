"""Helpers for tests that run ``chaowen serve`` for real: the process, raw HTTP, the event stream."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tests.conftest import REPO

READY = re.compile(r"(?:预览地址|preview at)[：:]?\s*(http://[^\s/]+:(\d+)(/\S*))")
PREVIEW_DIR = re.compile(r"(?:预览文件夹|preview folder)[：:]\s*(\S+)")
LIVE_SCRIPT = re.compile(rb"<script data-chaowen-live>.*?</script>", re.S)


def copy_example(target: Path) -> Path:
    """A copy of the bundled example journal (config and content, the theme stays bundled)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "chaowen.yaml", target / "chaowen.yaml")
    shutil.copytree(REPO / "content", target / "content")
    return target


class Serve:
    """``python -m chaowen serve`` in a subprocess, with its output collected as it comes."""

    def __init__(
        self, site: Path, *args: str, port: int = 0, wait: bool = True, env: dict[str, str] | None = None
    ) -> None:
        command = [sys.executable, "-m", "chaowen", "serve", "--site", str(site), "--port", str(port), "-v", *args]
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
            "PYTHONIOENCODING": "utf-8",
            **(env or {}),
        }
        self.site = site
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._collect, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))
        ]
        for reader in self._readers:
            reader.start()
        self.url = ""
        self.port = 0
        self.base = "/"
        self.preview = Path()
        if wait:
            self.wait_ready()

    def _collect(self, stream: Any, lines: list[str]) -> None:
        for line in stream:
            with self._changed:
                lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(self.stdout + self.stderr)

    def wait_for(self, pattern: str | re.Pattern[str], timeout: float = 30) -> re.Match[str]:
        """The first match of ``pattern`` in the output so far or to come."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = regex.search("\n".join(self.stdout + self.stderr))
                if found:
                    return found
                left = deadline - time.monotonic()
                finished = self.process.poll() is not None and not any(r.is_alive() for r in self._readers)
                if left <= 0 or finished:
                    raise AssertionError(f"{regex.pattern!r} not in output:\n" + "\n".join(self.stdout + self.stderr))
                self._changed.wait(min(left, 0.2))

    def wait_ready(self) -> None:
        ready = self.wait_for(READY)
        self.url, self.port, self.base = ready.group(1), int(ready.group(2)), ready.group(3)
        self.preview = Path(self.wait_for(PREVIEW_DIR).group(1))

    def stop(self, sig: int | None = signal.SIGINT, timeout: float = 10) -> int:
        """Send ``sig`` (None: none, just wait for the exit) and wait; the exit code."""
        if sig is not None and self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            for reader in self._readers:
                reader.join(5)
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()

    def get(self, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
        return request(self.port, path, method, headers)


class Response:
    def __init__(self, raw: bytes) -> None:
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def request(port: int, target: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
    """One request over a raw socket, the target sent exactly as given (no client-side normalising)."""
    fields = {"Host": f"127.0.0.1:{port}", "Connection": "close", **(headers or {})}
    head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode("utf-8", "surrogateescape"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return Response(b"".join(chunks))


def strip_script(body: bytes) -> bytes:
    return LIVE_SCRIPT.sub(b"", body)


class Events:
    """The server's event stream, read event by event."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.connection.request("GET", "/__chaowen__/events")
        self.sock = self.connection.sock  # the response takes the socket over (the stream ends with the connection)
        assert self.sock is not None
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"

    def next(self, timeout: float = 10) -> tuple[str, dict[str, Any]]:
        """The next event (name, data), skipping comments and ``retry``."""
        self.sock.settimeout(timeout)
        name, data = "message", ""
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if not line:
                raise EOFError("stream closed")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
            elif line == "" and data:
                return name, json.loads(data)

    def next_update(self, timeout: float = 10) -> dict[str, Any]:
        name, data = self.next(timeout)
        assert name == "update", (name, data)
        return data

    def close(self) -> None:
        self.response.close()
        self.connection.close()
