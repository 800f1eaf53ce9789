"""``chaowen serve`` over real HTTP on 127.0.0.1: what it serves, what it refuses, how it reports and stops."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.http_load import Client, hammer, target_mix
from tests.serving import Events, Serve, copy_example, strip_script

ESSAY = "content/essays/wang-xiaoming-iot.md"
ESSAY_PAGE = "essays/wang-xiaoming-iot/index.html"
POSIX = os.name == "posix"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    running = Serve(copy_example(tmp_path_factory.mktemp("serve") / "site"))
    yield running
    running.stop()


# ------------------------------------------------------------------------ serving
@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/essays/wang-xiaoming-iot/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("images/调研现场-*.png", "image/png"),  # processed images: a variant's name carries its digest
        ("images/line chart-*.webp", "image/webp"),
        ("/" + quote("files/成长营课程表.pdf"), "application/pdf"),
    ],
)
def test_content_types(server: Serve, path: str, kind: str) -> None:
    if "*" in path:
        [found] = server.preview.glob(path)
        path = "/" + quote(found.relative_to(server.preview).as_posix())
    response = server.get(path)
    assert response.status == 200, path
    assert response.header("Content-Type") == kind
    assert int(response.header("Content-Length")) == len(response.body) > 0


def test_html_gets_the_live_script_and_the_files_stay_as_built(server: Serve) -> None:
    response = server.get("/")
    assert response.header("Cache-Control") == "no-store"
    assert response.body.count(b"<script data-chaowen-live>") == 1
    assert response.body.index(b"<script data-chaowen-live>") < response.body.rindex(b"</body>")
    assert strip_script(response.body) == (server.preview / "index.html").read_bytes()
    for file in server.preview.rglob("*"):
        if file.is_file():
            assert b"chaowen-live" not in file.read_bytes() and b"__chaowen__" not in file.read_bytes(), file
    css = server.get("/static/style.css")
    assert b"chaowen" not in css.body.lower() or css.body == (server.preview / "static/style.css").read_bytes()


def test_head_sends_headers_only(server: Serve) -> None:
    full = server.get("/")
    head = server.get("/", "HEAD")
    assert head.status == 200 and head.body == b""
    assert head.header("Content-Length") == full.header("Content-Length")


def test_missing_page_is_404_with_the_sites_404_page(server: Serve) -> None:
    response = server.get("/no/such/page/")
    assert response.status == 404
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert strip_script(response.body) == (server.preview / "404.html").read_bytes()
    assert b"data-chaowen-live" in response.body  # the overlay works on the 404 page too
    assert server.get("/static/nope.css").status == 404


def test_folder_without_trailing_slash_redirects(server: Serve) -> None:
    response = server.get("/essays/wang-xiaoming-iot?from=x")
    assert response.status in (301, 302)
    assert response.header("Location") == "/essays/wang-xiaoming-iot/?from=x"
    assert server.get("/essays/wang-xiaoming-iot/").status == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"])
def test_only_get_and_head(server: Serve, method: str) -> None:
    response = server.get("/", method)
    assert response.status == 405
    assert response.header("Allow") == "GET, HEAD"


def test_requests_for_foreign_host_names_are_refused(server: Serve) -> None:
    assert server.get("/", headers={"Host": "attacker.example"}).status == 403  # DNS rebinding
    assert server.get("/", headers={"Host": f"localhost:{server.port}"}).status == 200


# ---------------------------------------------------------------------- traversal
TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/static/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/static%2f..%2f..%2fsecret.txt",
    "/..\\secret.txt",
    "/..%5csecret.txt",
    "/static/..%5c..%5csecret.txt",
    "/%252e%252e/secret.txt",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/etc/passwd",
    "/../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/C:/Windows/win.ini",
    "/c%3a%5cWindows%5cwin.ini",
    "/index.html%00.txt",
    "http://127.0.0.1/../secret.txt",  # absolute-form request target
]


@pytest.fixture(scope="module")
def secret(server: Serve) -> bytes:
    """A file beside the preview folder, and a symlink inside it pointing out."""
    text = b"TOP-SECRET-" + os.urandom(4).hex().encode()
    (server.preview.parent / "secret.txt").write_bytes(text)
    if POSIX:
        (server.preview / "leak.txt").symlink_to(server.preview.parent / "secret.txt")
        (server.preview / "leakdir").symlink_to(server.preview.parent, target_is_directory=True)
    return text


@pytest.mark.parametrize("target", TRAVERSALS)
def test_nothing_outside_the_preview_folder_can_be_read(server: Serve, secret: bytes, target: str) -> None:
    response = server.get(target)
    assert secret not in response.body and b"root:x:0:0" not in response.body
    assert response.status in (400, 403, 404), (target, response.status)


@pytest.mark.skipif(not POSIX, reason="symbolic links")
@pytest.mark.parametrize("target", ["/leak.txt", "/leakdir/secret.txt", "/leakdir/"])
def test_symlinks_pointing_out_are_not_followed(server: Serve, secret: bytes, target: str) -> None:
    response = server.get(target)
    assert response.status == 404 and secret not in response.body


# ------------------------------------------------------------------ live updates
def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_updates_the_page_and_tells_the_tabs(server: Serve) -> None:
    events = Events(server.port)
    try:
        name, hello = events.next()
        assert name == "hello" and hello["errors"] == []
        edit(server.site, ESSAY, "这里记下三个", "这里记下三个（集成测试）")
        update = events.next_update()
        assert ESSAY_PAGE in update["pages"]
        assert "about/index.html" not in update["pages"]  # pages that did not change are not reloaded
        assert update["token"] != hello["token"] and update["errors"] == []
        assert "集成测试" in server.get("/essays/wang-xiaoming-iot/").text
    finally:
        events.close()


def test_a_broken_save_shows_problems_and_keeps_the_last_good_page(server: Serve) -> None:
    events = Events(server.port)
    try:
        events.next()
        edit(server.site, ESSAY, "track: iot", "track: nowhere")
        update = events.next_update()
        (problem,) = [p for p in update["errors"] if p["severity"] == "error"]
        assert problem["path"] == ESSAY and problem["line"] == 6
        assert problem["place"] == f"{ESSAY} 第 6 行" and "nowhere" in problem["message"]
        assert update["title"].startswith("构建失败")
        assert server.get("/essays/wang-xiaoming-iot/").status == 200  # the last good page
        late = Events(server.port)  # a tab opened now sees the problem at once
        _, hello = late.next()
        late.close()
        assert hello["errors"] == update["errors"]
        server.wait_for(r"错误 content/essays/wang-xiaoming-iot.md:6: .*nowhere")  # and the terminal says it
        edit(server.site, ESSAY, "track: nowhere", "track: iot")
        fixed = events.next_update()
        assert fixed["errors"] == []
    finally:
        events.close()


def test_a_stylesheet_change_is_a_stylesheet_update_only(server: Serve) -> None:
    events = Events(server.port)
    try:
        events.next()
        override = server.site / "themes/default/static/style.css"
        override.parent.mkdir(parents=True, exist_ok=True)
        from chaowen.theme import REPO_THEMES

        override.write_text(
            (REPO_THEMES / "default/static/style.css").read_text(encoding="utf-8")
            + "\nbody { outline: 1px solid red; }\n",
            encoding="utf-8",
        )
        update = events.next_update()
        assert update["css"] == ["static/style.css"] and update["pages"] == []
        assert b"outline: 1px solid red" in server.get("/static/style.css").body
    finally:
        events.close()


def test_a_template_error_names_the_template_and_line(server: Serve) -> None:
    events = Events(server.port)
    template = server.site / "themes/default/templates/page.html"
    try:
        events.next()
        template.parent.mkdir(parents=True, exist_ok=True)
        template.write_text(
            '{% extends "base.html" %}\n{% block main %}\n{{ doc.title }\n{% endblock %}\n', encoding="utf-8"
        )
        update = events.next_update()
        assert [(p["path"], p["line"]) for p in update["errors"]] == [("themes/default/templates/page.html", 3)]
        template.unlink()
        assert events.next_update()["errors"] == []
    finally:
        events.close()
        template.unlink(missing_ok=True)


def test_a_file_deleted_while_referenced_is_a_problem(server: Serve) -> None:
    image = server.site / "content/images/调研现场.png"
    data = image.read_bytes()
    events = Events(server.port)
    try:
        events.next()
        image.unlink()
        update = events.next_update()
        assert any(
            p["path"] == "content/essays/chen-siyuan-linpu.md" and "调研现场.png" in p["message"]
            for p in update["errors"]
        )
        [variant] = server.preview.glob("images/调研现场-*.png")
        assert server.get("/" + quote(f"images/{variant.name}")).status == 200  # the last good site stays
        image.write_bytes(data)
        assert events.next_update()["errors"] == []
    finally:
        events.close()
        if not image.exists():
            image.write_bytes(data)


def test_dropped_connections_leave_no_noise(server: Serve) -> None:
    (server.preview / "big.bin").write_bytes(os.urandom(4 << 20))
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
            sock.recv(100)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset
    assert server.get("/").status == 200  # still serving; and nothing was printed about it:
    assert "Traceback" not in server.output and "Broken" not in server.output and "reset" not in server.output


def test_drafts_only_with_the_flag(server: Serve) -> None:
    assert server.get("/essays/shen-mengqi-draft/").status == 404


# ------------------------------------------------------------------------ base url
def test_base_url_serves_the_site_under_its_path(tmp_path: Path) -> None:
    server = Serve(copy_example(tmp_path / "site"), "--base-url", "https://example.org/chaowen/", "--drafts")
    try:
        assert server.base == "/chaowen/"
        for path in ("/", "/chaowen"):
            response = server.get(path)
            assert response.status in (301, 302) and response.header("Location") == "/chaowen/"
        home = server.get("/chaowen/")
        assert home.status == 200 and 'href="/chaowen/static/style.css' in home.text
        assert server.get("/chaowen/static/style.css").header("Content-Type") == "text/css; charset=utf-8"
        assert server.get("/chaowen/essays/wang-xiaoming-iot/").status == 200
        assert server.get("/essays/wang-xiaoming-iot/").status == 404
        assert server.get("/chaowen/../chaowen/index.html").status == 404
        assert '"base": "/chaowen/"' in home.text
        assert "初稿" in server.get("/chaowen/essays/shen-mengqi-draft/").text  # --drafts
    finally:
        server.stop()


# ------------------------------------------------------------- starting, stopping
def free_pair() -> int:
    """A port P with P+1 free as well."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port >= 65535:
            continue
        with socket.socket() as a, socket.socket() as b:
            try:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return int(port)
    raise AssertionError("no two free ports in a row")


def test_port_in_use_takes_the_next_one_and_says_so(tmp_path: Path) -> None:
    port = free_pair()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        server = Serve(copy_example(tmp_path / "site"), port=port)
        try:
            server.wait_for(rf"端口 {port} 已被占用，改用端口 {port + 1}")
            assert server.port == port + 1
            assert server.get("/").status == 200
        finally:
            server.stop()


def stops_cleanly(server: Serve, sig: int) -> None:
    preview = server.preview
    assert preview.is_dir()
    assert server.stop(sig, timeout=10) == 0  # the timeout only guards against a hang
    server.wait_for("预览已停止")
    assert "Traceback" not in server.output
    assert not preview.exists() and not preview.parent.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_at_once_without_traceback_and_removes_the_preview(tmp_path: Path) -> None:
    server = Serve(copy_example(tmp_path / "site"))
    events = Events(server.port)  # an open tab must not hold the server up
    events.next()
    stops_cleanly(server, signal.SIGINT)
    events.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, BROWSER command")
def test_sigterm_stops_too_all_interfaces_are_warned_about_and_open_opens(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    recorder = f"{sys.executable} -c \"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\" %s"
    server = Serve(copy_example(tmp_path / "site"), "--host", "0.0.0.0", "--open", env={"BROWSER": recorder})
    server.wait_for("注意：预览绑定在 0.0.0.0")
    assert server.url.startswith("http://127.0.0.1:")
    deadline = time.monotonic() + 10
    while not (opened.exists() and opened.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened.read_text() == server.url  # --open: the browser was asked for the preview's address
    stops_cleanly(server, signal.SIGTERM)


def test_a_site_broken_at_start_is_served_and_recovers(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    edit(site, ESSAY, "track: iot", "track: nowhere")
    server = Serve(site)
    try:
        server.wait_for("构建失败")
        home = server.get("/")
        assert home.status == 404 and b"data-chaowen-live" in home.body  # placeholder that shows the overlay
        events = Events(server.port)
        _, hello = events.next()
        assert [p["path"] for p in hello["errors"]] == [ESSAY]
        assert "nowhere" in hello["errors"][0]["message"]
        edit(site, ESSAY, "track: nowhere", "track: iot")
        # The first good build is a full one with the search index: seconds on a busy machine.
        assert events.next_update(timeout=30)["errors"] == []
        assert server.get("/").status == 200
        events.close()
    finally:
        server.stop()


def test_a_folder_without_config_is_refused(tmp_path: Path) -> None:
    server = Serve(tmp_path, wait=False)
    assert server.stop(sig=None, timeout=20) == 1
    server.wait_for("chaowen.yaml")
    assert "Traceback" not in server.output


# ------------------------------------------------------------------ odd requests
def head_for(port: int, extra: str = "") -> bytes:
    return f"Host: 127.0.0.1:{port}\r\n{extra}\r\n".encode()


LONG = "a" * 3000
ODD_REQUESTS: list[tuple[str, Callable[[int], bytes], int]] = [
    # (what, the raw request for a port, the status it must get)
    ("a path of 3,000 characters", lambda p: f"GET /{LONG} HTTP/1.1\r\n".encode() + head_for(p), 404),
    ("a long name in a folder", lambda p: f"GET /static/{LONG}.css HTTP/1.1\r\n".encode() + head_for(p), 404),
    ("a long path of short names", lambda p: f"GET {'/ab' * 2000} HTTP/1.1\r\n".encode() + head_for(p), 404),
    ("a request line of 10,000 bytes", lambda p: f"GET /{'b' * 10000} HTTP/1.1\r\n".encode() + head_for(p), 414),
    ("a request line of 70,000 bytes", lambda p: f"GET /{'c' * 70000} HTTP/1.1\r\n".encode() + head_for(p), 414),
    ("a header of 10,000 bytes", lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, f"X-Big: {'d' * 10000}\r\n"), 431),
    ("200 headers", lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, "".join(f"X-{i}: v\r\n" for i in range(200))), 431),
    ("headers of 90 KB in all", lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, f"X-A: {'e' * 8000}\r\n" * 11), 431),
    ("a header line without a colon", lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, "no colon here\r\n"), 400),
    ("a folded header line", lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, "X-A: 1\r\n  folded\r\n"), 400),
    ("a bad percent escape", lambda p: b"GET /%zz HTTP/1.1\r\n" + head_for(p), 400),
    ("a lone percent sign", lambda p: b"GET /essays/% HTTP/1.1\r\n" + head_for(p), 400),
    ("bytes that are not UTF-8", lambda p: b"GET /%ff%fe HTTP/1.1\r\n" + head_for(p), 400),
    ("raw bytes that are not UTF-8", lambda p: b"GET /\xff\xfe HTTP/1.1\r\n" + head_for(p), 400),
    ("a control character", lambda p: b"GET /a\x01b HTTP/1.1\r\n" + head_for(p), 400),
    ("an asterisk target", lambda p: b"GET * HTTP/1.1\r\n" + head_for(p), 400),
    ("an authority target", lambda p: b"GET example.org:80 HTTP/1.1\r\n" + head_for(p), 400),
    ("a relative target", lambda p: b"GET index.html HTTP/1.1\r\n" + head_for(p), 400),
    ("an HTTP/0.9 request", lambda p: b"GET /\r\n", 400),
    ("HTTP/0.9 spelt out", lambda p: b"GET / HTTP/0.9\r\n" + head_for(p), 505),
    ("HTTP/2.0 in text", lambda p: b"GET / HTTP/2.0\r\n" + head_for(p), 505),
    ("a garbled version", lambda p: b"GET / HTTQ/1.1\r\n" + head_for(p), 400),
    ("four words", lambda p: b"GET / HTTP/1.1 please\r\n" + head_for(p), 400),
    ("only empty lines", lambda p: b"\r\n" * 8, 400),
    ("a binary request line", lambda p: b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),  # TLS hello
    ("a method that is not a token", lambda p: b"G(T / HTTP/1.1\r\n" + head_for(p), 400),
    ("an unknown method", lambda p: b"BREW / HTTP/1.1\r\n" + head_for(p), 405),
    ("a lower-case method", lambda p: b"get / HTTP/1.1\r\n" + head_for(p), 405),
    (
        "two Content-Lengths",
        lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, "Content-Length: 1\r\nContent-Length: 2\r\n"),
        400,
    ),
    (
        "a Content-Length in superscript digits",  # "²" read as Latin-1: str.isdigit() is true for it
        lambda p: f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nContent-Length: \xb2\r\n\r\n".encode("latin-1"),
        400,
    ),
    ("a Content-Length that is no number", lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, "Content-Length: x\r\n"), 400),
    (
        "a POST with 300 KB the server does not read",
        lambda p: b"POST / HTTP/1.1\r\n" + head_for(p, "Content-Length: 300000\r\n") + b"f" * 300000,
        405,
    ),
    (
        "a chunked GET",
        lambda p: b"GET / HTTP/1.1\r\n" + head_for(p, "Transfer-Encoding: chunked\r\n") + b"0\r\n\r\n",
        200,
    ),
    # a file copied as it is (images are published as resized variants under other names)
    ("raw UTF-8 in the path", lambda p: "GET /files/成长营课程表.pdf HTTP/1.1\r\n".encode() + head_for(p), 200),
    ("a fragment in the target", lambda p: b"GET /robots.txt#top HTTP/1.1\r\n" + head_for(p), 200),
    ("a path with a trailing NUL escape", lambda p: b"GET /robots.txt%00 HTTP/1.1\r\n" + head_for(p), 404),
]


@pytest.mark.parametrize(("what", "make", "status"), ODD_REQUESTS, ids=[case[0] for case in ODD_REQUESTS])
def test_every_odd_request_gets_an_answer(server: Serve, what: str, make: Callable[[int], bytes], status: int) -> None:
    client = Client(server.port, timeout=10)
    try:
        answer = client.send(make(server.port))  # raises NoStatus if the connection ends without a status line
    finally:
        client.close()
    assert answer.status == status, (what, answer.status, answer.body[:200])
    assert int(answer.header("Content-Length")) == len(answer.body)
    if status >= 400 and status != 404:
        assert answer.header("Content-Type") == "text/plain; charset=utf-8"
        assert str(status).encode() in answer.body and len(answer.body.decode("utf-8").splitlines()) == 2


def test_odd_requests_leave_no_traceback_and_the_server_serving(server: Serve) -> None:
    for _, make, _ in ODD_REQUESTS:
        client = Client(server.port, timeout=10)
        try:
            client.send(make(server.port))
        finally:
            client.close()
    assert server.get("/").status == 200
    assert "Traceback" not in server.output and "内部出错" not in server.output


def test_an_answer_that_closes_the_connection_says_so(server: Serve) -> None:
    client = Client(server.port, timeout=10)
    try:
        answer = client.send(b"GET / HTTP/1.1\r\n" + head_for(server.port, f"X-Big: {'d' * 10000}\r\n"))
        assert answer.status == 431 and answer.header("Connection") == "close"
        assert client.sock is None  # the client saw the close and will reconnect
        assert client.get("/").status == 200
    finally:
        client.close()


# ------------------------------------------------------------- keep-alive, caching
def test_keep_alive_serves_many_answers_over_one_connection(server: Serve) -> None:
    client = Client(server.port, timeout=10)
    try:
        statuses = [
            client.get("/").status,
            client.get("/static/style.css").status,
            client.get("/no/such/page/").status,  # the error page keeps the connection
            client.get("/essays/wang-xiaoming-iot").status,  # a redirect too
            client.get("/", "HEAD").status,
            client.get("/", "DELETE").status,
            client.get("/%zz").status,
            client.get("/").status,
        ]
        assert statuses == [200, 200, 404, 302, 200, 405, 400, 200]
        assert client.connections == 1
    finally:
        client.close()


def test_two_requests_on_one_connection(server: Serve) -> None:
    client = Client(server.port, timeout=10)
    try:
        first = client.get("/")
        second = client.get("/static/style.css")
        third = client.get("/no/such/page/")
        fourth = client.send(
            f"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Length: 5\r\n\r\nhello".encode()
        )  # a GET with a small body: the body is dropped, the next request is read where it starts
        fifth = client.get("/robots.txt")
        assert [first.status, second.status, third.status, fourth.status, fifth.status] == [200, 200, 404, 200, 200]
        assert fourth.body == fifth.body == (server.preview / "robots.txt").read_bytes()
        assert client.connections == 1
        assert first.header("Connection") != "close"
    finally:
        client.close()


def test_http_1_0_closes_after_the_answer(server: Serve) -> None:
    client = Client(server.port, timeout=10)
    try:
        answer = client.send(f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
        assert answer.status == 200 and answer.header("Connection") == "close"
    finally:
        client.close()


PDF = "/" + quote("files/成长营课程表.pdf")


def test_ranges(server: Serve) -> None:
    data = (server.preview / "files/成长营课程表.pdf").read_bytes()
    size = len(data)
    assert size > 100
    whole = server.get(PDF)
    assert whole.status == 200 and whole.header("Accept-Ranges") == "bytes"
    cases = {"bytes=0-9": (0, 9), "bytes=10-": (10, size - 1), "bytes=-16": (size - 16, size - 1)}
    cases |= {f"bytes=5-{size * 2}": (5, size - 1), " bytes = 3 - 4 ": (3, 4)}
    for header, (first, last) in cases.items():
        part = server.get(PDF, headers={"Range": header})
        assert part.status == 206, header
        assert part.header("Content-Range") == f"bytes {first}-{last}/{size}"
        assert part.body == data[first : last + 1] and int(part.header("Content-Length")) == last - first + 1
    for header in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
        refused = server.get(PDF, headers={"Range": header})
        assert refused.status == 416, header
        assert refused.header("Content-Range") == f"bytes */{size}"
        assert int(refused.header("Content-Length")) == len(refused.body)
    for header in ("bytes=0-1,5-6", "items=0-1", "bytes=9-2", "bytes=x-y", "bytes=" + "9" * 5000 + "-"):
        ignored = server.get(PDF, headers={"Range": header})
        assert ignored.status in (200, 416), header
        if ignored.status == 200:
            assert ignored.body == data, header
    head = server.get(PDF, "HEAD", headers={"Range": "bytes=0-9"})
    assert head.status == 200 and head.body == b"" and int(head.header("Content-Length")) == size


def test_if_range_sends_the_part_only_of_the_same_file(server: Serve) -> None:
    data = (server.preview / "files/成长营课程表.pdf").read_bytes()
    whole = server.get(PDF)
    etag, modified = whole.header("ETag"), whole.header("Last-Modified")
    assert etag.startswith('"') and modified.endswith("GMT")
    same = server.get(PDF, headers={"Range": "bytes=0-3", "If-Range": etag})
    assert same.status == 206 and same.body == data[:4]
    by_date = server.get(PDF, headers={"Range": "bytes=0-3", "If-Range": modified})
    assert by_date.status == 206
    older = server.get(PDF, headers={"Range": "bytes=0-3", "If-Range": '"an-older-version"'})
    assert older.status == 200 and older.body == data


def test_range_on_a_large_streamed_file(server: Serve) -> None:
    data = os.urandom(9 << 20)  # above the size that is streamed instead of read whole
    (server.preview / "video.mp4").write_bytes(data)
    part = server.get("/video.mp4", headers={"Range": "bytes=8388000-8389999"})
    assert part.status == 206 and part.header("Content-Type") == "video/mp4"
    assert part.body == data[8388000:8390000]
    tail = server.get("/video.mp4", headers={"Range": "bytes=-10"})
    assert tail.body == data[-10:]


def test_etag_and_last_modified_give_304(server: Serve) -> None:
    client = Client(server.port, timeout=10)
    try:
        first = client.get("/static/style.css")
        etag, modified = first.header("ETag"), first.header("Last-Modified")
        assert first.status == 200 and etag and modified
        assert first.header("Cache-Control") == "no-cache"  # kept by the browser, but always asked about
        again = client.get("/static/style.css", headers={"If-None-Match": etag})
        assert again.status == 304 and again.body == b"" and again.header("ETag") == etag
        assert client.get("/static/style.css", headers={"If-None-Match": f'"x", W/{etag}'}).status == 304
        assert client.get("/static/style.css", headers={"If-None-Match": "*"}).status == 304
        assert client.get("/static/style.css", headers={"If-None-Match": '"other"'}).status == 200
        assert client.get("/static/style.css", headers={"If-Modified-Since": modified}).status == 304
        old = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert client.get("/static/style.css", headers={"If-Modified-Since": old}).status == 200
        assert client.get("/static/style.css", headers={"If-Modified-Since": "yesterday"}).status == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
        both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
        assert client.get("/static/style.css", headers=both).status == 200
        page = client.get("/")
        assert page.header("ETag") and not page.header("Last-Modified")  # the page carries the build token
        assert client.get("/", headers={"If-None-Match": page.header("ETag")}).status == 304
        assert client.connections == 1  # 304 answers keep the connection
    finally:
        client.close()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("probe.pdf", "application/pdf"),
        ("probe.webp", "image/webp"),
        ("probe.avif", "image/avif"),
        ("probe.svg", "image/svg+xml; charset=utf-8"),
        ("probe.xml", "application/xml; charset=utf-8"),
        ("probe.json", "application/json; charset=utf-8"),
        ("probe.wasm", "application/wasm"),
        ("probe.pf_meta", "application/octet-stream"),
        ("probe.pf_index", "application/octet-stream"),
        ("probe.pf_fragment", "application/octet-stream"),
        ("probe.pf_filter", "application/octet-stream"),
        ("probe.mp4", "video/mp4"),
    ],
)
def test_content_types_of_the_print_edition_and_search(server: Serve, name: str, kind: str) -> None:
    (server.preview / "probes").mkdir(exist_ok=True)
    (server.preview / "probes" / name).write_bytes(b"\x00probe")
    answer = server.get(f"/probes/{name}")
    assert answer.status == 200 and answer.header("Content-Type") == kind and answer.body == b"\x00probe"


def test_the_search_index_is_served_as_binary(server: Serve) -> None:
    files = sorted(p for p in (server.preview / "pagefind").rglob("*") if p.suffix.startswith(".pf_"))
    assert {p.suffix for p in files} >= {".pf_meta", ".pf_fragment", ".pf_index"}
    for suffix in (".pf_meta", ".pf_fragment", ".pf_index"):
        path = next(p for p in files if p.suffix == suffix)
        answer = server.get("/" + quote(path.relative_to(server.preview).as_posix()))
        assert answer.status == 200 and answer.header("Content-Type") == "application/octet-stream"
        assert answer.body == path.read_bytes()


def test_the_event_stream_is_framed_by_the_end_of_the_connection(server: Serve) -> None:
    head = server.get("/__chaowen__/events", "HEAD")
    assert head.status == 200 and head.header("Content-Type") == "text/event-stream; charset=utf-8"
    assert head.header("Connection") == "close" and not head.header("Content-Length")


# -------------------------------------------------------------------------- load
@pytest.mark.slow
def test_under_load_with_saves_every_request_gets_a_status_and_none_fails(tmp_path: Path) -> None:
    server = Serve(copy_example(tmp_path / "site"))
    try:
        targets = target_mix(server.preview)
        essay = server.site / ESSAY
        original = essay.read_text(encoding="utf-8")
        saves = 0
        finished = threading.Event()

        def save() -> None:
            nonlocal saves
            while not finished.wait(0.5) and saves < 4:
                saves += 1
                essay.write_text(original + f"\n负载测试第{saves}次保存。\n", encoding="utf-8")

        saver = threading.Thread(target=save, daemon=True)
        saver.start()
        result = hammer(server.port, targets, connections=8, requests=1000)
        finished.set()
        saver.join()
        assert result.requests == 8000
        assert result.no_status == 0, result.no_status_examples
        assert result.server_errors == 0, result.summary()
        assert {200, 404, 400, 414} <= set(result.statuses), result.summary()
        assert saves >= 1
        deadline = time.monotonic() + 30  # a hang guard: the last save is shown once its rebuild is done
        last = f"负载测试第{saves}次保存。"
        while last not in server.get("/essays/wang-xiaoming-iot/").text and time.monotonic() < deadline:
            time.sleep(0.1)
        assert last in server.get("/essays/wang-xiaoming-iot/").text
        assert "Traceback" not in server.output
    finally:
        server.stop()
