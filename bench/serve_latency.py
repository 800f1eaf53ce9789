"""Time from saving a file to seeing it in the browser, with ``chaowen serve`` on the example journal.

    python bench/serve_latency.py [--saves 20] [--chromium /usr/bin/chromium]

Starts ``chaowen serve`` on a copy of the example site, opens an essay in
headless Chromium and saves the essay ``--saves`` times, each time with a new
sentence. For each save it measures, on the same clock, from just before the
file is written to the first frame of the reloaded page that shows the sentence
(``requestAnimationFrame`` after DOMContentLoaded). It also reports the rebuild
times the server printed, and in-process a full build against an incremental
rebuild after the same kind of edit.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chaowen.serve import PreviewBuilder, ServeOptions  # noqa: E402
from tests.serving import Serve, copy_example  # noqa: E402

ESSAY = "content/essays/wang-xiaoming-iot.md"
MARK_PAINT = """
document.addEventListener("DOMContentLoaded", () => {
  requestAnimationFrame(() => { window.__shownAt = Date.now(); });
});
"""


def browser_latency(saves: int, chromium: str) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = copy_example(Path(scratch) / "site")
        server = Serve(site)
        essay = site / ESSAY
        original = essay.read_text(encoding="utf-8")
        latencies: list[float] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium,
                    headless=True,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--no-first-run",
                    ],
                )
                page = browser.new_page()
                page.add_init_script(MARK_PAINT)
                page.goto(server.url + "essays/wang-xiaoming-iot/")
                page.wait_for_function("() => window.__chaowenLive === true")
                for i in range(saves + 1):  # the first save warms up and is not counted
                    sentence = f"第{i}次保存后出现的句子。"
                    page.wait_for_timeout(300)  # saves well apart: each one is its own rebuild
                    started = time.time() * 1000
                    essay.write_text(original + f"\n{sentence}\n", encoding="utf-8")
                    page.wait_for_function(
                        "s => document.body && document.body.innerText.includes(s) && window.__shownAt",
                        arg=sentence,
                        timeout=10000,
                    )
                    shown = float(page.evaluate("window.__shownAt"))
                    if i:
                        latencies.append(shown - started)
                browser.close()
        finally:
            server.stop()
        rebuilds = [float(s) * 1000 for s in re.findall(r"用时 ([\d.]+) 秒", "\n".join(server.stdout))[1:]]
        return latencies, rebuilds


def build_times(rounds: int = 5) -> tuple[float, float]:
    """Milliseconds: a full build of the preview (fresh builder, no cache) and an incremental rebuild."""
    fulls: list[float] = []
    incrementals: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        site = copy_example(Path(scratch) / "site")
        essay = site / ESSAY
        for i in range(rounds):
            cache = site / ".chaowen-cache"
            if cache.exists():
                import shutil

                shutil.rmtree(cache)
            output = Path(scratch) / f"out{i}"
            builder = PreviewBuilder(ServeOptions(site_root=site), output)
            started = time.perf_counter()
            builder.rebuild(None)
            fulls.append((time.perf_counter() - started) * 1000)
            essay.write_text(essay.read_text(encoding="utf-8") + f"\n增量{i}\n", encoding="utf-8")
            started = time.perf_counter()
            builder.rebuild(None)
            incrementals.append((time.perf_counter() - started) * 1000)
    return statistics.median(fulls), statistics.median(incrementals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    latencies, rebuilds = browser_latency(args.saves, args.chromium)
    full, incremental = build_times()
    print(
        f"save -> visible in the browser, {len(latencies)} saves: median {statistics.median(latencies):.0f} ms, "
        f"min {min(latencies):.0f} ms, max {max(latencies):.0f} ms"
    )
    if rebuilds:
        print(f"rebuild as reported by the server: median {statistics.median(rebuilds):.0f} ms")
    print(f"in process: full preview build {full:.0f} ms, incremental rebuild after an essay edit {incremental:.0f} ms")


if __name__ == "__main__":
    main()
