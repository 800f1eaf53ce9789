"""The preview's HTTP server: one folder (the preview build) served safely and live.

It serves that folder and nothing else (:mod:`chaowen.httpfiles` decides which
file a URL may name), under the site's base path (``/chaowen/``), as it will be
when published:

* only GET and HEAD, anything else is 405; from a loopback address only requests
  naming a loopback host are answered (no DNS rebinding into unpublished drafts);
* every HTML response gets the live script injected before ``</body>`` and is sent
  with ``no-store``; ``/__chaowen__/events`` streams the builds' updates to it
  (:mod:`chaowen.live`);
* a folder without its trailing slash is redirected, a missing file answered
  with the site's ``404.html`` (or a page of our own).

Every request that arrives gets a status line, whatever it is (:mod:`chaowen.httpd`),
and connections are kept alive (HTTP/1.1).
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from . import messages
from .httpd import UTF8, BadRequest, ignore
from .httpfiles import (
    CONTENT_TYPES,
    NAME_MAX,
    FileConnection,
    FileServer,
    is_dir,
    malformed_path,
    percent_encode_raw,
    safe_join,
    url_segments,
)
from .live import EVENTS_PATH, Hub, inject, live_script

_KEEPALIVE = 15.0  # seconds between comments on an idle event stream, to notice closed tabs
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class PreviewServer(FileServer):
    """Serves ``root`` under ``base_path`` with the live script; see the module docstring."""

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        hub: Hub,
        *,
        base_path: str = "/",
        language: str = "zh-CN",
        log: Callable[[str], None] = ignore,
        verbose: bool = False,
    ) -> None:
        self.hub = hub
        self.base_path = base_path
        super().__init__(address, _Handler, root, language=language, log=log, verbose=verbose)

    @property
    def base_path(self) -> str:
        return self._base_path

    @base_path.setter
    def base_path(self, value: str) -> None:
        self._base_path = value if value.endswith("/") else value + "/"
        self.base_segments = url_segments(self._base_path) or []

    def stop(self) -> None:
        """End the event streams and the serving loop, and close the socket."""
        self.hub.close()
        super().stop()


class _Handler(FileConnection):
    """One connection to the preview: requests routed to files, the event stream or an error."""

    server: PreviewServer

    # ---------------------------------------------------------------- routing
    def _host_allowed(self) -> bool:
        """On a loopback address, only requests for a loopback name (no DNS rebinding)."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0]
        return name in _LOOPBACK_NAMES or name.endswith(".localhost")

    def answer(self, *, body: bool) -> None:
        if not self._host_allowed():
            self._respond(HTTPStatus.FORBIDDEN, b"403 Forbidden\n", "text/plain" + UTF8, body=body)
            return
        target = self.path
        if not target.startswith("/"):  # absolute form: GET http://host/path HTTP/1.1
            parts = urlsplit(target) if target.lower().startswith(("http://", "https://")) else None
            if parts is None or not parts.netloc:
                raise BadRequest(HTTPStatus.BAD_REQUEST)  # "*", "example.org:80", "index.html"
            target = parts.path or "/"
        raw, _, query = target.partition("?")
        raw = percent_encode_raw(raw.partition("#")[0])
        if malformed_path(raw):
            self._error(HTTPStatus.BAD_REQUEST)
            return
        if raw == EVENTS_PATH:
            self._events(body=body)
            return
        segments = url_segments(raw)
        if segments is None or any(len(s.encode()) > NAME_MAX for s in segments):
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
        if is_dir(path):
            if not raw.endswith("/"):
                location = "/" + "".join(quote(s) + "/" for s in segments) + (f"?{query}" if query else "")
                self._redirect(location, body)
                return
            path = path / "index.html"
        if not self.send_file(path, HTTPStatus.OK, body):
            self._not_found(body)

    def _redirect(self, location: str, body: bool) -> None:
        self._respond(HTTPStatus.FOUND, b"", "text/plain" + UTF8, {"Location": location}, body=body)

    def _not_found(self, body: bool) -> None:
        page = self.server.root / "404.html"
        if self.send_file(page, HTTPStatus.NOT_FOUND, body):
            return
        title = messages.text("serve_not_found", self.server.language)
        html = (
            f'<!doctype html><html lang="{self.server.language}"><meta charset="utf-8"><title>{title}</title>'
            f"<body><h1>{title}</h1></body></html>"
        ).encode()
        self._respond(HTTPStatus.NOT_FOUND, self._with_script(html, None), CONTENT_TYPES[".html"], body=body)

    def page(self, html: bytes, path: Path) -> bytes:
        """A page with the live script, which carries the build token (so pages are never cached)."""
        try:
            name: str | None = path.resolve().relative_to(self.server.root.resolve()).as_posix()
        except ValueError:
            name = None
        return self._with_script(html, name)

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
        self._head({"Content-Type": "text/event-stream" + UTF8, "Cache-Control": "no-store"})
        if not body:
            return
        self.server.leave_pool()  # an endless answer must not hold one of the pool's threads
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
