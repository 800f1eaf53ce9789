"""``chaowen serve`` over real HTTP on 127.0.0.1: what it serves, what it refuses, how it reports and stops."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

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
        ("/" + quote("images/调研现场.png"), "image/png"),
        ("/" + quote("images/line chart.png"), "image/png"),
        ("/" + quote("files/成长营课程表.pdf"), "application/pdf"),
    ],
)
def test_content_types(server: Serve, path: str, kind: str) -> None:
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
        assert server.get("/" + quote("images/调研现场.png")).status == 200  # the last good site stays
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
    started = time.monotonic()
    code = server.stop(sig)
    assert time.monotonic() - started < 3
    assert code == 0
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
        assert events.next_update()["errors"] == []
        assert server.get("/").status == 200
        events.close()
    finally:
        server.stop()


def test_a_folder_without_config_is_refused(tmp_path: Path) -> None:
    server = Serve(tmp_path, wait=False)
    assert server.stop(sig=None, timeout=20) == 1
    server.wait_for("chaowen.yaml")
    assert "Traceback" not in server.output
