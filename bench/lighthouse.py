"""Lighthouse scores of the example journal, written into the README.

    python bench/lighthouse.py [--runs 3] [--no-readme]

Builds the example journal for http://127.0.0.1:PORT/chaowen/ (so canonical links
point at the host being measured), serves it under /chaowen/ with nginx and
docs/nginx-chaowen.conf (gzip and cache headers as in production), and runs
``npx lighthouse@12.2.3`` with Debian's Chromium (CHROME_PATH=/usr/bin/chromium),
mobile emulation and simulated throttling, on eight kinds of page. Each score is
the median of ``--runs`` runs. The table replaces the one between the
``lighthouse:begin`` and ``lighthouse:end`` markers in README.md.

Not part of the test suite: Lighthouse takes a minute or more and needs the npm
registry the first time (npx caches it). Needs nginx and Chromium (scripts/test.sh
installs both) and Node.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chaowen.build import BuildOptions, build  # noqa: E402
from tests.servers import free_port, nginx  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "首页 home": "",
    "期刊 issue": "issues/1/",
    "心得 essay": "essays/cong-yi-kuai-chuan-gan-qi-kan-chan-ye-lian/",
    "赛道 track": "tracks/iot/",
    "归档 archive": "archive/",
    "数据 stats": "stats/",
    "搜索 search": "search/?q=" + quote("电池"),
    "404": "404.html",
}
BEGIN, END = "<!-- lighthouse:begin -->", "<!-- lighthouse:end -->"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def run_lighthouse(url: str, report: Path) -> dict[str, int]:
    chrome_flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
    subprocess.run(
        [
            "npx",
            "--yes",
            LIGHTHOUSE,
            url,
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={chrome_flags}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    failed = [
        f"{a['id']} ({a['score']})"
        for a in data["audits"].values()
        if a.get("scoreDisplayMode") in ("binary", "numeric") and a.get("score") is not None and a["score"] < 0.9
    ]
    if failed:
        print(f"  below 0.9 on {url}: {', '.join(failed)}", file=sys.stderr)
    return {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}


def table(scores: dict[str, dict[str, int]], runs: int) -> str:
    lines = [
        f"Lighthouse 12.2.3, mobile emulation, Debian's Chromium, the example journal behind nginx under /chaowen/ "
        f"(median of {runs} run{'s' if runs > 1 else ''}; the search page with results for `?q=电池`, the 404 page "
        "as `404.html`; `python bench/lighthouse.py` updates this table):",
        "",
        "| page | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|",
    ]
    for page, values in scores.items():
        lines.append(f"| {page} | " + " | ".join(str(values[c]) for c in CATEGORIES) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chaowen-lighthouse-") as folder:
        work = Path(folder)
        site = work / "site"
        site.mkdir()
        shutil.copy2(REPO / "chaowen.yaml", site / "chaowen.yaml")
        shutil.copytree(REPO / "content", site / "content")
        port = free_port()
        base = f"http://127.0.0.1:{port}/chaowen/"
        build(BuildOptions(site_root=site, output=work / "www" / "chaowen", base_url=base, cache=False), now=NOW)
        scores: dict[str, dict[str, int]] = {}
        with nginx(work / "www", work / "nginx", port):
            for page, path in PAGES.items():
                runs = [run_lighthouse(base + path, work / f"report-{n}.json") for n in range(args.runs)]
                scores[page] = {c: int(statistics.median(r[c] for r in runs)) for c in CATEGORIES}
                print(f"{page}: {scores[page]}", file=sys.stderr)
    text = table(scores, args.runs)
    print(text)
    if not args.no_readme:
        readme = REPO / "README.md"
        current = readme.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        if not pattern.search(current):
            raise SystemExit(f"README.md has no {BEGIN} … {END} block to fill")
        readme.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}\n{END}", current), encoding="utf-8")
    return 0 if all(v >= 95 for s in scores.values() for v in s.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
