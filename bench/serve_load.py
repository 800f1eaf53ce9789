"""``chaowen serve`` under loopback load while an essay is saved every 2 seconds.

    python bench/serve_load.py [--connections 16] [--requests 20000] [--soak 300] [--out FILE]

Starts ``chaowen serve`` (without ``-v``, as an editor runs it) on a copy of the
example journal, on 127.0.0.1 only, and drives it from ``--connections`` threads
over keep-alive connections with a fixed mix of request targets: pages, assets,
missing paths, traversal forms and overlong paths (see ``tests/http_load.py``).
Meanwhile the essay ``wang-xiaoming-iot.md`` is saved every ``--save-every``
seconds with a new sentence, so the preview rebuilds under load.

Two phases: ``--requests`` requests in all, then a soak of ``--soak`` seconds of
the same load. Reported for each: requests per second, p50/p99 latency, the
count of answers without a status line (a connection that closed or stalled
without one), 5xx answers, and the status counts; for the soak also the server
process's resident memory (VmRSS, Linux) and threads at its start, every
``--sample-every`` seconds and at its end;
and whether the page shows the last saved sentence once the load stops. Exits 1
if any answer had no status line, any was 5xx, the server printed a traceback or
an internal error, or the last edit was not shown.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.http_load import Client, LoadResult, NoStatus, hammer, target_mix  # noqa: E402
from tests.serving import copy_example  # noqa: E402

ESSAY = "content/essays/wang-xiaoming-iot.md"
ESSAY_URL = "/essays/wang-xiaoming-iot/"
READY = re.compile(r"(?:预览地址|preview at)[：:]?\s*http://[^\s/]+:(\d+)/")


def proc_status(pid: int, field: str) -> int:
    """A number from a process's /proc status (Linux), 0 where it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB."""
    return proc_status(pid, "VmRSS")


def threads(pid: int) -> int:
    """Threads of a process."""
    return proc_status(pid, "Threads")


class Saver:
    """Saves the essay with a new numbered sentence every ``every`` seconds until stopped."""

    def __init__(self, essay: Path, every: float) -> None:
        self.essay = essay
        self.original = essay.read_text(encoding="utf-8")
        self.every = every
        self.saves = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            self.saves += 1
            self.essay.write_text(self.original + f"\n\n压力测试第{self.saves}次保存的句子。\n", encoding="utf-8")

    @property
    def last_sentence(self) -> str:
        return f"压力测试第{self.saves}次保存的句子。"

    def __enter__(self) -> Saver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def last_edit_shown(port: int, sentence: str, timeout: float = 30) -> float | None:
    """Seconds until the essay page shows ``sentence`` after the load stopped, None if it never did."""
    started = time.monotonic()
    client = Client(port, timeout=10)
    try:
        while time.monotonic() - started < timeout:
            try:
                if sentence in client.get(ESSAY_URL).body.decode("utf-8"):
                    return time.monotonic() - started
            except NoStatus:
                pass
            time.sleep(0.1)
    finally:
        client.close()
    return None


def phase(
    port: int,
    pid: int,
    site: Path,
    targets: list[str],
    args: argparse.Namespace,
    *,
    requests: int | None,
    seconds: float | None,
) -> tuple[LoadResult, Saver, list[tuple[float, int, int]], float | None]:
    """One load phase with saves; the result, the saver, samples (seconds, RSS KiB, threads), the time to the last edit."""
    samples: list[tuple[float, int, int]] = [(0.0, rss_kib(pid), threads(pid))]
    done = threading.Event()
    started = time.monotonic()

    def sample() -> None:
        while not done.wait(args.sample_every):
            samples.append((time.monotonic() - started, rss_kib(pid), threads(pid)))
            print(f"  {samples[-1][0]:.0f} s: RSS {samples[-1][1]} KiB, {samples[-1][2]} threads", flush=True)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    until: Callable[[], bool] | None = None
    if seconds is not None:
        deadline = started + seconds

        def until() -> bool:
            return time.monotonic() >= deadline

    per_connection = None if requests is None else -(-requests // args.connections)
    with Saver(site / ESSAY, args.save_every) as saver:
        result = hammer(port, targets, connections=args.connections, requests=per_connection, until=until)
    done.set()
    sampler.join()
    samples.append((time.monotonic() - started, rss_kib(pid), threads(pid)))
    shown = last_edit_shown(port, saver.last_sentence) if saver.saves else 0.0
    return result, saver, samples, shown


def describe(name: str, result: LoadResult, saver: Saver, shown: float | None) -> list[str]:
    rate = result.requests / result.seconds if result.seconds else 0.0
    lines = [
        f"### {name}",
        "",
        "| figure | value |",
        "|---|---|",
        f"| requests | {result.requests:,} in {result.seconds:.1f} s over {result.connections} connections |",
        f"| requests per second | {rate:,.0f} |",
        f"| latency p50 / p99 | {result.percentile(0.5) * 1000:.1f} ms / {result.percentile(0.99) * 1000:.1f} ms |",
        f"| answers without a status line | {result.no_status} |",
        f"| 5xx answers | {result.server_errors} |",
        f"| statuses | {', '.join(f'{s}: {n:,}' for s, n in sorted(result.statuses.items()))} |",
        f"| saves (rebuilds) during the load | {saver.saves} |",
        "| last edit shown after the load | "
        + ("no" if shown is None else f"yes, {shown:.1f} s after the load stopped")
        + " |",
        "",
    ]
    if result.no_status_examples:
        lines += ["Answers without a status line, examples:", ""]
        lines += [f"- `{example}`" for example in result.no_status_examples[:10]] + [""]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20000, help="requests of the first phase")
    parser.add_argument("--soak", type=float, default=300, help="seconds of the soak phase (0: none)")
    parser.add_argument("--save-every", type=float, default=2.0)
    parser.add_argument("--sample-every", type=float, default=30.0, help="seconds between RSS samples")
    parser.add_argument("--out", type=Path, help="also write the figures as Markdown to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="chaowen-load-") as scratch_name:
        scratch = Path(scratch_name)
        site = copy_example(scratch / "site")
        temp = scratch / "tmp"  # the server's TMPDIR: where its preview folder is made, so we can list it
        temp.mkdir()
        log_path = scratch / "serve.log"
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", "TMPDIR": str(temp)}
        command = [sys.executable, "-m", "chaowen", "serve", "--site", str(site), "--port", "0"]
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 120
            while not (ready := READY.search(log_path.read_text(encoding="utf-8"))):
                if process.poll() is not None or time.monotonic() > deadline:
                    print(log_path.read_text(encoding="utf-8"), file=sys.stderr)
                    return 1
                time.sleep(0.1)
            port = int(ready.group(1))
            (preview,) = temp.glob("chaowen-preview-*/site")
            targets = target_mix(preview)
            idle_rss = rss_kib(process.pid)
            print(f"server pid {process.pid} on 127.0.0.1:{port}; {len(targets)} targets; RSS {idle_rss} KiB")

            burst, burst_saver, _, burst_shown = phase(
                port, process.pid, site, targets, args, requests=args.requests, seconds=None
            )
            print("load:", burst.summary())
            report = [
                "# `chaowen serve` under load",
                "",
                f"`python bench/serve_load.py --connections {args.connections} --requests {args.requests} "
                f"--soak {args.soak:g}` on the example journal; {len(targets)} request targets "
                "(pages, assets, missing, traversal and overlong paths), the essay saved every "
                f"{args.save_every:g} s. Server and load generator share this machine's {os.cpu_count()} cores.",
                "",
                f"Server RSS after the first build, before any request: {idle_rss / 1024:.1f} MiB.",
                "",
                *describe(
                    f"{args.requests:,} requests, {args.connections} connections", burst, burst_saver, burst_shown
                ),
            ]
            failed = burst.no_status or burst.server_errors or burst_shown is None
            if args.soak > 0:
                soak, soak_saver, samples, soak_shown = phase(
                    port, process.pid, site, targets, args, requests=None, seconds=args.soak
                )
                print("soak:", soak.summary())
                start, end = samples[0][1], samples[-1][1]
                print(f"soak RSS: start {start} KiB, end {end} KiB, max {max(s[1] for s in samples)} KiB")
                report += describe(f"soak: {args.soak:g} s", soak, soak_saver, soak_shown)
                report += [
                    f"Server RSS over the soak: start {start / 1024:.1f} MiB, end {end / 1024:.1f} MiB, "
                    f"highest {max(s[1] for s in samples) / 1024:.1f} MiB "
                    f"({(end - start) / 1024:+.1f} MiB from start to end).",
                    "",
                    "| seconds into the soak | RSS (MiB) | server threads |",
                    "|---|---|---|",
                    *(f"| {t:.0f} | {k / 1024:.1f} | {n} |" for t, k, n in samples),
                    "",
                ]
                failed = failed or soak.no_status or soak.server_errors or soak_shown is None
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        output = log_path.read_text(encoding="utf-8")
        problems = output.count("Traceback") + output.count("内部出错")
        report += [f"Tracebacks or internal errors printed by the server: {problems}.", ""]
        failed = failed or problems
    text = "\n".join(report)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
