"""Web servers for the browser tests and the Lighthouse script: stdlib http.server, and Debian's nginx.

Both listen on 127.0.0.1 on a free port and stop when the ``with`` block ends.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NGINX_SNIPPET = REPO / "docs" / "nginx-chaowen.conf"
SNIPPET_ROOT = "root /var/www;"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` at the root of http://127.0.0.1:PORT/; yields that URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is needed: run ./scripts/test.sh (it installs Debian's nginx)")
    return found


@contextmanager
def nginx(www: Path, workdir: Path, port: int | None = None) -> Iterator[str]:
    """Serve ``www/chaowen/`` as /chaowen/ with docs/nginx-chaowen.conf; yields http://127.0.0.1:PORT/.

    The committed snippet is used as it is, with only its ``root`` pointed at ``www``,
    inside a minimal nginx.conf that keeps every file nginx writes in ``workdir``.
    """
    snippet = NGINX_SNIPPET.read_text(encoding="utf-8")
    assert SNIPPET_ROOT in snippet, "docs/nginx-chaowen.conf no longer sets the root this helper replaces"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "chaowen.conf").write_text(snippet.replace(SNIPPET_ROOT, f"root {www};"), encoding="utf-8")
    port = port or free_port()
    temp = "\n".join(
        f"  {kind}_temp_path {workdir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx would hand requests to workers running as "nobody", who cannot read pytest's folders.
    user = "user root;" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    (workdir / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temp}
  server {{
    listen 127.0.0.1:{port};
    server_name localhost;
    include {workdir}/chaowen.conf;
  }}
}}
""",
        encoding="utf-8",
    )
    log = (workdir / "stderr.log").open("wb")
    process = subprocess.Popen(
        [nginx_binary(), "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(port, process, workdir)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], workdir: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = (workdir / "stderr.log").read_text(errors="replace")
            raise RuntimeError(f"nginx exited with {process.returncode}: {errors}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on port {port} within 10 s")
