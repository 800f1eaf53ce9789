"""Files answered over HTTP: which file a URL path may name, and how it is sent.

* a URL path is decoded segment by segment; ``..``, encoded slashes and
  backslashes, drive letters and NUL are refused, and the joined path is resolved
  (symbolic links followed) and must stay inside the folder (:func:`safe_path`);
* files carry an ETag (and Last-Modified) for 304 answers, and a single byte
  ``Range`` gets 206 or 416 (PDF and video seeking); large files go from the file
  to the socket in the kernel;
* the Content-Type comes from our own table, not the operating system's.

:class:`FileConnection` sends files of :attr:`FileServer.root`; a file missing
while :attr:`FileServer.idle` is clear (a build is swapping files) is asked for
again once the build is done.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import os
import re
import stat
import threading
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, unquote_to_bytes

from .httpd import UTF8, Connection, ConnectionServer, ignore

_STREAM_THRESHOLD = 64 * 1024  # larger files go from the file to the socket, smaller ones in one write
NAME_MAX = 255  # bytes in one file name on every file system we run on; a longer segment is a 404
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RAW_HIGH = re.compile(r"[\x80-\xff]")

CONTENT_TYPES: Mapping[str, str] = {
    ".html": "text/html" + UTF8,
    ".htm": "text/html" + UTF8,
    ".css": "text/css" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".mjs": "text/javascript" + UTF8,
    ".json": "application/json" + UTF8,
    ".map": "application/json" + UTF8,
    ".webmanifest": "application/manifest+json" + UTF8,
    ".xml": "application/xml" + UTF8,
    ".xsl": "application/xml" + UTF8,
    ".txt": "text/plain" + UTF8,
    ".md": "text/markdown" + UTF8,
    ".csv": "text/csv" + UTF8,
    ".svg": "image/svg+xml" + UTF8,
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


def percent_encode_raw(raw: str) -> str:
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


class FileServer(ConnectionServer):
    """A :class:`ConnectionServer` whose connections send the files of ``root``."""

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[FileConnection],
        root: Path,
        *,
        language: str = "zh-CN",
        log: Callable[[str], None] = ignore,
        verbose: bool = False,
    ) -> None:
        self.root = root
        self.idle = threading.Event()  # cleared while a build is being written
        self.idle.set()
        super().__init__(address, handler, language=language, log=log, verbose=verbose)


class FileConnection(Connection):
    """A connection that can answer with a file: whole, a Range of it, 304 or 416."""

    server: FileServer

    def page(self, html: bytes, path: Path) -> bytes:
        """What is sent for the HTML file ``path`` (read as ``html``); pages are never cached."""
        return html

    def open_file(self, path: Path) -> BinaryIO | None:
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

    def send_file(self, path: Path, status: HTTPStatus, body: bool) -> bool:
        """Send a file (a range of it, or 304 when the client's copy is current); False when there is none."""
        handle = self.open_file(path)
        if handle is None:
            return False
        with handle:
            info = os.fstat(handle.fileno())
            tag = f"{info.st_ino:x}-{info.st_mtime_ns:x}-{info.st_size:x}"
            if path.suffix.lower() in _HTML:  # no-store: a page may change without its file (see page())
                data = self.page(handle.read(), path)
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


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder; False for a name the file system refuses."""
    try:
        return path.is_dir()
    except OSError:  # a name too long for the file system, a loop of links
        return False
