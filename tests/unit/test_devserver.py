"""The preview server's pure parts: which paths may be served, content types, the injected script, the hub."""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from chaowen import devserver, messages
from chaowen.devserver import PreviewServer
from chaowen.errors import Problem, Severity
from chaowen.httpd import open_server
from chaowen.httpfiles import (
    CONTENT_TYPES,
    RangeNotSatisfiable,
    byte_range,
    content_type,
    etag_matches,
    http_date,
    malformed_path,
    safe_path,
    url_segments,
)
from chaowen.live import Hub, inject, live_script, problem_view, sse_frame
from tests.http_load import Client, NoStatus


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "preview" / "site"
    (site / "essays/foo").mkdir(parents=True)
    (site / "essays/foo/index.html").write_text("<p>foo</p>", encoding="utf-8")
    (site / "static").mkdir()
    (site / "static/style.css").write_text("body{}", encoding="utf-8")
    (site / "文件").mkdir()
    (site / "文件/课程 表.pdf").write_bytes(b"%PDF")
    (tmp_path / "preview/secret.txt").write_text("secret", encoding="utf-8")
    return site


TRAVERSALS = [
    "/../secret.txt",
    "/static/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/static%2f..%2f..%2fsecret.txt",
    "/..\\secret.txt",
    "/..%5csecret.txt",
    "/static/..%5c..%5csecret.txt",
    "/%2fetc%2fpasswd",
    "/%5cetc%5cpasswd",
    "/C:/Windows/win.ini",
    "/c%3a/Windows/win.ini",
    "/static/style.css%00.html",
    "/static/style.css::$DATA",
    "/CON",
    "/nul.txt",
    "/%ff%fe",  # not UTF-8
    "/./static/style.css",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_paths_that_could_step_outside_are_refused(root: Path, url: str) -> None:
    assert safe_path(root, url) is None


@pytest.mark.parametrize("url", ["//etc/passwd", "///secret.txt", "/etc/passwd"])
def test_absolute_paths_stay_inside_the_folder(root: Path, url: str) -> None:
    found = safe_path(root, url)
    assert found is not None and root.resolve() in found.parents  # a file that does not exist there: a 404


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("/", "."),
        ("", "."),
        ("/essays/foo/", "essays/foo"),
        ("/essays//foo/index.html", "essays/foo/index.html"),
        ("/static/style.css", "static/style.css"),
        ("/%E6%96%87%E4%BB%B6/%E8%AF%BE%E7%A8%8B%20%E8%A1%A8.pdf", "文件/课程 表.pdf"),
        ("/%252e%252e/x", "%2e%2e/x"),  # decoded once: a literal name, not a way up
        ("/essays/a..b/", "essays/a..b"),
    ],
)
def test_ordinary_paths_map_into_the_folder(root: Path, url: str, relative: str) -> None:
    assert safe_path(root, url) == (root / relative).resolve()


def test_segments_are_decoded_once() -> None:
    assert url_segments("/a//b/%E6%BD%AE/") == ["a", "b", "潮"]
    assert url_segments("/a/%2e%2e/b") is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlinks_pointing_out_are_refused_and_inside_allowed(root: Path) -> None:
    (root / "out.txt").symlink_to(root.parent / "secret.txt")
    (root / "up").symlink_to(root.parent, target_is_directory=True)
    (root / "alias.css").symlink_to(root / "static/style.css")
    assert safe_path(root, "/out.txt") is None
    assert safe_path(root, "/up/secret.txt") is None
    assert safe_path(root, "/up") is None
    assert safe_path(root, "/alias.css") == (root / "static/style.css").resolve()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("A.HTM", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("atom.xml", "application/xml; charset=utf-8"),
        ("search.json", "application/json; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("favicon.svg", "image/svg+xml; charset=utf-8"),
        ("调研现场.png", "image/png"),
        ("photo.JPG", "image/jpeg"),
        ("font.woff2", "font/woff2"),
        ("成长营课程表.pdf", "application/pdf"),
        ("报告.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("cover.webp", "image/webp"),
        ("cover.AVIF", "image/avif"),
        ("pagefind_bg.wasm", "application/wasm"),
        ("pagefind-entry.json", "application/json; charset=utf-8"),
        ("zh_abc.pf_meta", "application/octet-stream"),
        ("zh_abc.pf_index", "application/octet-stream"),
        ("zh_abc.pf_fragment", "application/octet-stream"),
        ("zh_abc.pf_filter", "application/octet-stream"),
        ("wasm.zh.pagefind", "application/octet-stream"),
        ("clip.mov", "video/quicktime"),
        ("data.bin", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
    ],
)
def test_content_types(name: str, expected: str) -> None:
    assert content_type(name) == expected


def test_every_text_type_declares_utf8() -> None:
    for suffix, kind in CONTENT_TYPES.items():
        if kind.startswith("text/") or kind.split(";")[0].endswith(("xml", "json")):
            assert kind.endswith("; charset=utf-8"), suffix


# ------------------------------------------------------------------------ injection
SCRIPT = b"<script data-chaowen-live>x</script>"


def test_script_goes_before_the_last_body_end() -> None:
    html = b"<html><body><pre>&lt;/body&gt; </body> in text</pre></BODY >\n</html>\n"
    out = inject(html, SCRIPT)
    assert out == b"<html><body><pre>&lt;/body&gt; </body> in text</pre>" + SCRIPT + b"</BODY >\n</html>\n"


def test_script_without_body_end() -> None:
    assert inject(b"<p>x</p></html>", SCRIPT) == b"<p>x</p>" + SCRIPT + b"</html>"
    assert inject(b"<p>x</p>", SCRIPT) == b"<p>x</p>" + SCRIPT


def test_live_script_settings_cannot_break_out_of_the_script() -> None:
    hostile = "</script><script>alert(1)</script>\u2028<!--"
    script = live_script({"page": hostile, "base": "/", "token": "t", "events": "/e", "lang": "zh", "text": {}})
    text = script.decode()
    assert text.startswith("<script data-chaowen-live>") and text.endswith("</script>")
    assert text.count("</script") == 1 and "<!--" not in text and "\u2028" not in text
    assert "alert(1)" in text  # still there, as inert JSON text
    config = re.search(r"var C = (\{.*?\});\n", text)
    assert config is not None and json.loads(config.group(1))["page"] == hostile


def test_live_script_has_no_external_resources() -> None:
    text = live_script({"page": None, "base": "/", "token": "t", "events": "/e", "lang": "zh", "text": {}}).decode()
    assert "http://" not in text and "https://" not in text and "innerHTML" not in text


# ------------------------------------------------------------------------------ hub
def test_a_new_stream_starts_with_the_current_state() -> None:
    hub = Hub("a-1")
    stream, hello = hub.subscribe()
    assert hello == sse_frame("hello", {"token": "a-1", "errors": [], "title": ""})
    update = {"token": "a-2", "errors": [], "pages": ["index.html"], "css": [], "other": [], "removed": []}
    hub.publish(update)
    assert stream.get_nowait() == sse_frame("update", update)
    later, hello = hub.subscribe()
    assert b'"token": "a-2"' in hello
    assert hub.token == "a-2" and hub.streams == 2


def test_problems_reach_every_stream_and_closing_ends_them() -> None:
    hub = Hub()
    streams = [hub.subscribe()[0] for _ in range(3)]
    hub.publish({"token": "0", "errors": [{"message": "坏了"}], "title": "构建失败"})
    assert all(b"\xe5\x9d\x8f" in (s.get_nowait() or b"") for s in streams)  # 坏 in UTF-8
    _, hello = hub.subscribe()
    assert "坏了".encode() in hello
    hub.close()
    assert all(s.get_nowait() is None for s in streams)
    late, _ = hub.subscribe()
    assert late.get_nowait() is None


def test_frames_are_one_data_line() -> None:
    frame = sse_frame("update", {"message": "第一行\n第二行"})
    assert frame.count(b"\n") == 3 and frame.startswith(b"event: update\ndata: {")


def test_problem_view_names_file_and_line() -> None:
    problem = Problem("content/essays/a.md", 3, "YAML 格式错误", "检查冒号")
    view = problem_view(problem, "zh-CN")
    assert view["place"] == "content/essays/a.md 第 3 行"
    assert view["message"] == "YAML 格式错误" and view["hint"] == "检查冒号" and view["severity"] == "error"
    warning = problem_view(Problem("chaowen.yaml", None, "x", severity=Severity.WARNING), "en")
    assert warning["place"] == "chaowen.yaml" and warning["severity"] == "warning"


def test_problem_view_words_a_catalogue_problem_in_the_sites_language() -> None:
    problem = Problem(
        "content/essays/a.md",
        2,
        messages.say("missing_field", field="title"),
        messages.say("missing_field_hint", example="title: 标题"),
    )
    chinese = problem_view(problem, "zh-CN")
    assert chinese["message"] == "缺少必填字段 “title”" and chinese["hint"] == "在文件头加上 title: 标题"
    english = problem_view(problem, "en")
    assert english["message"] == "missing required field 'title'" and english["place"] == "content/essays/a.md, line 2"
    json.dumps(chinese)  # what the event stream sends: plain text, no message objects


def test_problem_view_names_a_command_line_option_as_one() -> None:
    problem = Problem("--base-url", None, messages.say("option_bad_url", value="x"))
    assert problem_view(problem, "en")["place"] == "command-line option --base-url"
    assert problem_view(problem, "zh-CN")["place"] == "命令行参数 --base-url"


# --------------------------------------------------------------------------- ports
def test_a_busy_port_falls_through_to_the_next() -> None:
    tried: list[int] = []

    def make(address: tuple[str, int]) -> PreviewServer:
        tried.append(address[1])
        if address[1] < 8002:
            raise OSError(errno.EADDRINUSE, "Address already in use")
        return "server"  # type: ignore[return-value]

    server, busy = open_server("127.0.0.1", 8000, make)
    assert server == "server" and busy == [8000, 8001] and tried == [8000, 8001, 8002]


def test_other_bind_errors_are_not_retried() -> None:
    def make(address: tuple[str, int]) -> PreviewServer:
        raise OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")

    with pytest.raises(OSError) as raised:
        open_server("10.255.255.1", 8000, make)
    assert raised.value.errno == errno.EADDRNOTAVAIL


def test_all_ports_busy_raises() -> None:
    def make(address: tuple[str, int]) -> PreviewServer:
        raise OSError(errno.EADDRINUSE, "busy")

    with pytest.raises(OSError):
        open_server("127.0.0.1", 8000, make, attempts=3)


# -------------------------------------------------------------------- request paths
@pytest.mark.parametrize(
    ("raw", "malformed"),
    [
        ("/", False),
        ("/essays/foo/", False),
        ("/%E6%BD%AE/", False),
        ("/%e6%bd%ae/", False),
        ("/a%20b", False),
        ("/%2e%2e/secret", False),  # well-formed: refused as a way out (404), not as malformed
        ("/index.html%00", False),
        ("/%zz", True),
        ("/%", True),
        ("/a%2", True),
        ("/%ff%fe", True),
        ("/%E6%BD", True),  # a cut-off character
        ("/a\x01b", True),
        ("/a\x7fb", True),
    ],
)
def test_malformed_paths(raw: str, malformed: bool) -> None:
    assert malformed_path(raw) is malformed


# ------------------------------------------------------------------- HTTP semantics
@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-9", 100, (0, 9)),
        ("bytes=90-", 100, (90, 99)),
        ("bytes=-10", 100, (90, 99)),
        ("bytes=-1000", 100, (0, 99)),
        ("bytes=50-1000", 100, (50, 99)),
        ("bytes=99-99", 100, (99, 99)),
        ("BYTES = 1 - 2", 100, (1, 2)),
        ("bytes=0-" + "9" * 5000, 100, (0, 99)),  # no ValueError from int() on thousands of digits
        ("bytes=0-1,5-6", 100, None),  # several ranges: the whole file
        ("bytes=9-2", 100, None),
        ("bytes=-", 100, None),
        ("items=0-1", 100, None),
        ("bytes=a-b", 100, None),
        ("", 100, None),
    ],
)
def test_byte_ranges(header: str, size: int, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, size) == expected


@pytest.mark.parametrize(
    ("header", "size"),
    [("bytes=100-", 100), ("bytes=100-200", 100), ("bytes=-0", 100), ("bytes=0-", 0), ("bytes=-5", 0)]
    + [("bytes=" + "9" * 5000 + "-", 100)],
)
def test_unsatisfiable_ranges(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, size)


def test_etag_comparison_is_weak_and_takes_lists() -> None:
    assert etag_matches('"abc"', '"abc"')
    assert etag_matches('W/"abc"', '"abc"')
    assert etag_matches('"x", W/"abc" , "y"', '"abc"')
    assert etag_matches(" * ", '"abc"')
    assert not etag_matches('"abcd"', '"abc"')
    assert not etag_matches("abc", '"abc"')  # not quoted: not an entity tag
    assert not etag_matches("", '"abc"')


def test_http_dates() -> None:
    assert http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777.0
    assert http_date("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777.0
    assert http_date("Sun Nov  6 08:49:37 1994") == 784111777.0
    assert http_date("Sun, 06 Nov 1994 08:49:37 -0000") == 784111777.0
    for bad in (None, "", "yesterday", "Sun, 99 Nov 1994 08:49:37 GMT", "9" * 100):
        assert http_date(bad) is None, bad


# ----------------------------------------------------------------- the server itself
class Running:
    def __init__(self, root: Path, *, verbose: bool) -> None:
        self.lines: list[str] = []
        self.server = PreviewServer(("127.0.0.1", 0), root, Hub(), log=self.lines.append, verbose=verbose)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def get(self, target: str) -> int:
        client = Client(self.server.port, timeout=10)
        try:
            return client.get(target).status
        finally:
            client.close()


@pytest.fixture(params=[True, False], ids=["verbose", "quiet"])
def running(root: Path, request: pytest.FixtureRequest) -> Iterator[Running]:
    server = Running(root, verbose=request.param)
    yield server
    server.server.stop()
    server.thread.join(10)


def test_a_bug_in_the_handler_is_a_500_reported_once_and_the_server_keeps_serving(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: bytes, script: bytes) -> bytes:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(devserver, "inject", broken)
    assert running.get("/essays/foo/") == 500
    assert running.get("/essays/foo/index.html") == 500
    assert running.get("/static/style.css") == 200  # no page: no injection, no bug
    tracebacks = [line for line in running.lines if "Traceback" in line]
    reports = [line for line in running.lines if "已回答 500" in line]
    assert len(reports) == 1 and "RuntimeError: injected failure" in reports[0]
    assert "GET /essays/foo/ HTTP/1.1" in reports[0]
    assert len(tracebacks) == (1 if running.server.verbose else 0)
    monkeypatch.undo()
    assert running.get("/essays/foo/") == 200


def test_a_file_missing_while_a_build_writes_is_asked_for_again(root: Path) -> None:
    running = Running(root, verbose=True)
    try:
        running.server.idle.clear()  # a build is writing
        late = root / "static/late.css"

        def finish_build() -> None:
            late.write_text("p{}", encoding="utf-8")
            running.server.idle.set()

        timer = threading.Timer(0.2, finish_build)
        timer.start()
        assert running.get("/static/late.css") == 200  # waited for the build, then found it
        timer.join()
        running.server.idle.clear()
        threading.Timer(0.2, running.server.idle.set).start()
        assert running.get("/static/gone.css") == 404  # waited, and it is still not there
        assert running.get("/static/style.css") == 200
        assert not any("Traceback" in line for line in running.lines)
    finally:
        running.server.stop()


# --------------------------------------------------------------------- thread pool
def _pool_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name.endswith("(_work)"))


def test_sixty_four_busy_connections_are_all_answered_by_a_bounded_pool_of_threads(root: Path) -> None:
    running = Running(root, verbose=False)
    statuses: list[int] = []
    failures: list[str] = []
    most = 0
    done = threading.Event()

    def client() -> None:
        connection = Client(running.server.port, timeout=30)
        try:
            for index in range(20):
                try:
                    statuses.append(connection.get("/essays/foo/" if index % 2 else "/static/style.css").status)
                except NoStatus as error:
                    failures.append(str(error))
        finally:
            connection.close()

    before = _pool_threads()  # of servers that earlier tests stopped, still finishing

    def count() -> None:
        nonlocal most
        while not done.wait(0.01):
            most = max(most, _pool_threads() - before)

    counter = threading.Thread(target=count)
    counter.start()
    clients = [threading.Thread(target=client) for _ in range(64)]
    try:
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(60)
    finally:
        done.set()
        counter.join()
        running.server.stop()
    assert failures == [] and statuses == [200] * 64 * 20
    assert 0 < most <= PreviewServer.max_workers < 64


def test_idle_kept_alive_connections_give_their_threads_up_when_others_wait(root: Path) -> None:
    running = Running(root, verbose=False)
    idle = [Client(running.server.port, timeout=30) for _ in range(PreviewServer.max_workers + 8)]
    try:
        for connection in idle:  # one request each, then the connection stays open and silent
            assert connection.get("/static/style.css").status == 200
        assert running.server.workers <= PreviewServer.max_workers
        late = Client(running.server.port, timeout=30)
        assert late.get("/essays/foo/").status == 200  # served once an idle connection let its thread go
        late.close()
    finally:
        for connection in idle:
            connection.close()
        running.server.stop()


def test_open_event_streams_do_not_take_the_threads_pages_need(root: Path) -> None:
    running = Running(root, verbose=False)
    streams = []
    try:
        for _ in range(PreviewServer.max_workers + 4):  # more open tabs than the pool has threads
            stream = socket.create_connection(("127.0.0.1", running.server.port), timeout=30)
            stream.sendall(b"GET /__chaowen__/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert stream.recv(64).startswith(b"HTTP/1.1 200")
            streams.append(stream)
        page = Client(running.server.port, timeout=30)
        assert page.get("/essays/foo/").status == 200  # each stream left the pool: a thread was free
        page.close()
        assert running.server.workers <= PreviewServer.max_workers
    finally:
        for stream in streams:
            stream.close()
        running.server.stop()
