"""Phone photos on a phone: page weight, Lighthouse, and the time to process them (issue 14).

    python bench/images.py [--photos 100] [--no-lighthouse] [--before REV]

1. **Page weight.** An essay with one 6 MB, 4000x3000 phone photo (``tests/photos.py``: EXIF
   orientation, GPS, camera) is added to the example journal, built by this checkout and by
   ``--before`` (default ``main``: the same site through ``git archive``, which copies images as
   they are), and served by nginx with docs/nginx-chaowen.conf. Chromium (Playwright, Debian's
   /usr/bin/chromium) opens the page as a 360 px phone (device pixel ratio 2, touch, mobile)
   and counts the bytes on the wire (CDP ``encodedDataLength``): on load, and after scrolling
   to the end (lazy images).
2. **Lighthouse** performance (and the other categories) of that page, mobile emulation and
   simulated throttling, as ``bench/lighthouse.py`` runs it (npx, Chromium).
3. **Processing time.** ``--photos`` such photos (distinct bytes: each has its own JPEG comment,
   so each is decoded and encoded) in ten essays, built cold (no cache), then rebuilt after one
   photo changed; the build's own count of encoded images is printed with the times.
4. **Memory.** Peak RSS of one process encoding a 10 MB photo, against decoding it whole first.
5. **AVIF or not.** The 960 px variant of the photo as WebP and as AVIF at the same quality
   setting: bytes and encode time, to decide whether ``images.formats`` should offer AVIF by default.

Not part of the test suite: it takes minutes. The numbers depend on the machine's load;
the report says how many cores the build used.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from bench.lighthouse import run_lighthouse  # noqa: E402
from chaowen.build import BuildOptions, build  # noqa: E402
from tests.photos import phone_jpeg  # noqa: E402
from tests.servers import free_port, nginx  # noqa: E402

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SLUG = "tu-pian-ce-shi"
ESSAY = """---
title: 图片测试：一张手机照片
date: 2025-10-20
author: 王小明
unit: 区经信局
track: iot
slug: {slug}
---

上周跟着园区管委会走访了三家企业，这是在第二家企业门口拍的。

![园区主干道和两侧的研发楼](../images/{name})

照片是手机拍的，原图 {megabytes:.1f} MB、4000×3000 像素，带着拍摄地点。读者用手机流量打开这一页时，
不应该为这一张照片付出几兆的流量，也不应该看到我站在哪里。
"""


def big_photo() -> bytes:
    """A 4000x3000 phone JPEG of about 6 MB (sensor noise at quality 97, as phones write)."""
    # held upright: stored 4000x3000 turned a quarter, shown 3000x4000 (EXIF orientation 6)
    return phone_jpeg(3000, 4000, seed=11, orientation=6, quality=97, noise=40.0)


def with_comment(data: bytes, text: str) -> bytes:
    """The same JPEG with a comment segment after SOI: other bytes, same pixels."""
    payload = text.encode()
    return data[:2] + b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload + data[2:]


def example_site(folder: Path, photo: bytes) -> Path:
    site = folder / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy2(REPO / "chaowen.yaml", site / "chaowen.yaml")
    (site / "content/images/photo.jpg").write_bytes(photo)
    text = ESSAY.format(slug=SLUG, name="photo.jpg", megabytes=len(photo) / 1e6)
    (site / "content/essays/图片测试.md").write_text(text, encoding="utf-8")
    return site


def build_before(rev: str, site: Path, output: Path, base: str, work: Path) -> None:
    """Build ``site`` with the code of ``rev`` (its chaowen package and theme, from git archive)."""
    checkout = work / "before"
    checkout.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "chaowen", "themes"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive.stdout, check=True)
    command = [sys.executable, "-m", "chaowen", "build", "--site", str(site), "--output", str(output)]
    command += ["--base-url", base, "--no-cache", "--no-search", "-q"]
    # cwd: ``python -m`` puts the current folder first on sys.path, which would import this checkout's chaowen
    subprocess.run(command, check=True, cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)})


@contextmanager
def phone() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def transfer(browser: Browser, url: str) -> tuple[int, int, int]:
    """Bytes on the wire for ``url`` on a 360 px phone: on load, after scrolling to the end; and requests."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)
    on_load = sum(sizes.values())
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(1500)
    after = sum(sizes.values())
    context.close()
    return on_load, after, len(sizes)


def weights(work: Path, photo: bytes, rev: str, lighthouse: bool) -> list[str]:
    site = example_site(work, photo)
    port = free_port()
    base = f"http://127.0.0.1:{port}/chaowen/"
    www = {"before": work / "www-before", "after": work / "www-after"}
    build_before(rev, site, www["before"] / "chaowen", base, work)
    build(
        BuildOptions(site_root=site, output=www["after"] / "chaowen", base_url=base, cache=False, search=False), now=NOW
    )
    lines = [
        f"Essay page with one {len(photo) / 1e6:.1f} MB 4000x3000 phone photo, 360 px phone (DPR 2), nginx + gzip:",
        "",
        "| build | bytes on load | after scrolling to the end | requests | Lighthouse perf / a11y / BP / SEO |",
        "|---|---|---|---|---|",
    ]
    for name, folder in www.items():
        with nginx(folder, work / f"nginx-{name}", port), phone() as browser:
            url = f"{base}essays/{SLUG}/"
            on_load, after, requests = transfer(browser, url)
            scores = "-"
            if lighthouse:
                found = run_lighthouse(url, work / f"lighthouse-{name}.json")
                scores = " / ".join(str(v) for v in found.values())
        label = f"{name} ({rev})" if name == "before" else "after (this checkout)"
        lines.append(f"| {label} | {on_load / 1024:.0f} KB | {after / 1024:.0f} KB | {requests} | {scores} |")
    return lines


def processing(work: Path, photo: bytes, count: int) -> list[str]:
    site = work / "many"
    (site / "content/images").mkdir(parents=True)
    (site / "content/essays").mkdir(parents=True)
    shutil.copy2(REPO / "chaowen.yaml", site / "chaowen.yaml")
    for n in range(count):
        (site / f"content/images/p{n:03}.jpg").write_bytes(with_comment(photo, f"photo {n}"))
    for essay in range(10):
        images = "\n\n".join(f"![照片 {n}](../images/p{n:03}.jpg)" for n in range(essay, count, 10))
        text = (
            f"---\ntitle: 照片集 {essay}\ndate: 2025-10-{essay + 1:02}\nauthor: 王小明\ntrack: iot\n---\n\n{images}\n"
        )
        (site / f"content/essays/album-{essay}.md").write_text(text, encoding="utf-8")
    options = BuildOptions(site_root=site, search=False)
    rows = []
    for label in ("cold", "again, nothing changed", "after changing one photo"):
        if label.startswith("after"):
            (site / "content/images/p007.jpg").write_bytes(with_comment(photo, "photo 7, edited"))
        wall, cpu = time.perf_counter(), _cpu()
        result = build(options, now=NOW)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        rows.append(f"| {label} | {wall:.2f} | {cpu:.2f} | {result.images} |")
    jobs = os.cpu_count()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return [
        f"{count} photos of {len(photo) / 1e6:.1f} MB (4000x3000) in 10 essays, {jobs} cores (load average "
        f"{load} after the builds), default settings:",
        "",
        "| build | wall seconds | CPU seconds (all processes) | images encoded |",
        "|---|---|---|---|",
        *rows,
    ]


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the encoding pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def avif_or_not(photo: bytes) -> list[str]:
    image = Image.open(io.BytesIO(photo))
    image.draft("RGB", (1920, 1440))
    image = image.convert("RGB").resize((960, 720), Image.Resampling.LANCZOS)
    lines = ["The 960 px variant, quality 78 (the default):", "", "| format | bytes | encode ms |", "|---|---|---|"]
    for fmt, options in (("WEBP", {"method": 4}), ("AVIF", {"speed": 8}), ("AVIF", {"speed": 6}), ("JPEG", {})):
        buffer = io.BytesIO()
        started = time.perf_counter()
        for _ in range(3):
            buffer = io.BytesIO()
            image.save(buffer, fmt, quality=78, **options)
        ms = (time.perf_counter() - started) / 3 * 1000
        lines.append(f"| {fmt} {options or ''} | {len(buffer.getvalue()) / 1024:.0f} KB | {ms:.0f} |")
    return lines


MEMORY = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from chaowen.images import ImageStage, _encode, _Job
from chaowen.model import Asset, ImageSettings
photo, folder, naive = Path({photo!r}), Path({folder!r}), {naive!r}
if naive:  # what decoding the whole photo costs: 4000x3000 RGB, then the three widths
    from PIL import Image, ImageOps
    image = ImageOps.exif_transpose(Image.open(photo))
    for width in (480, 960, 1600):
        image.resize((width, width * image.height // image.width)).save(folder / f"{{width}}.webp", quality=78)
else:
    settings = ImageSettings()
    survey = ImageStage(folder).survey([Asset("p.jpg", photo)], settings)
    job = _Job("p.jpg", str(photo), str(folder / "out"), survey.pictures["p.jpg"], settings.quality)
    assert _encode(job) == ("", "")
print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1])
"""


def memory(work: Path) -> list[str]:
    """Peak memory (VmHWM: ru_maxrss survives exec on Linux) of a process encoding a 10 MB photo, against
    decoding it whole."""
    photo = work / "ten.jpg"
    photo.write_bytes(phone_jpeg(4000, 3000, seed=4, quality=100, noise=60.0))
    baseline = subprocess.run(
        [sys.executable, "-c", "import PIL.Image\n" + MEMORY.rsplit("\n", 2)[-2]],
        capture_output=True,
        text=True,
        check=True,
    )
    peaks = {}
    for naive in (False, True):
        folder = work / f"memory-{naive}"
        folder.mkdir()
        code = MEMORY.format(repo=str(REPO), photo=str(photo), folder=str(folder), naive=naive)
        found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        peaks[naive] = int(found.stdout.split()[-1]) / 1024
    return [
        f"Peak memory of a process encoding one {photo.stat().st_size / 1e6:.1f} MB 4000x3000 photo "
        f"(Python with Pillow imported: {int(baseline.stdout) / 1024:.0f} MB):",
        "",
        f"- chaowen.images (JPEG draft at 1/2 scale, then resized): {peaks[False]:.0f} MB",
        f"- decoding the whole photo first: {peaks[True]:.0f} MB",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--before", default="main", help="the revision to compare with (default: main)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    photo = big_photo()
    with tempfile.TemporaryDirectory(prefix="chaowen-images-bench-") as folder:
        work = Path(folder)
        report = [*weights(work, photo, args.before, not args.no_lighthouse), ""]
        report += [*avif_or_not(photo), ""]
        report += [*memory(work), ""]
        report += processing(work, photo, args.photos)
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
