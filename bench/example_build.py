"""The example journal's build figures (pages, files, search index, seconds), written into the README.

    python bench/example_build.py [--runs 3] [--no-readme]

Copies the bundled example journal to a temporary folder and builds it cold
(``--clean``, no cache, a new output folder) ``--runs`` times, as ``chaowen build``
does. The README block between the ``example-build:begin`` and ``example-build:end``
markers is replaced by the median figures, with the date, the commit and the load of
the machine when they were measured: a figure in the README always says where it
came from. Durations belong here and in ``bench/run.py``, never in a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chaowen.build import BuildOptions, BuildResult, build  # noqa: E402

BEGIN, END = "<!-- example-build:begin -->", "<!-- example-build:end -->"


def measure(runs: int) -> list[BuildResult]:
    """``runs`` cold builds of a copy of the example journal."""
    results = []
    with tempfile.TemporaryDirectory(prefix="chaowen-example-") as folder:
        site = Path(folder) / "site"
        site.mkdir()
        shutil.copy2(REPO / "chaowen.yaml", site / "chaowen.yaml")
        shutil.copytree(REPO / "content", site / "content")
        for run in range(runs):
            options = BuildOptions(site_root=site, output=Path(folder) / f"out-{run}", clean=True, cache=False)
            results.append(build(options))
    return results


def commit() -> str:
    """The short commit of the checkout, marked when it has changes not committed."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return f"commit {head}" + (" with local changes" if dirty.stdout.strip() else "")


def summary(results: list[BuildResult]) -> str:
    last = results[-1]
    seconds = statistics.median(r.seconds for r in results)
    search = statistics.median(r.timings.get("search", 0.0) for r in results)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    return (
        f"* **Build of the example journal** (`python bench/example_build.py`, {when}, {commit()}; "
        f"median of {len(results)} cold builds on {os.cpu_count()} cores{load}, Python {platform.python_version()}): "
        f"{last.pages} pages, {last.files} files in {seconds:.1f} s, of which the search index of "
        f"{last.indexed} pages, {last.index_bytes / 1024:.0f} KB, took {search:.1f} s."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-readme", action="store_true", help="print the line only")
    args = parser.parse_args()
    text = summary(measure(max(1, args.runs)))
    print(text)
    if not args.no_readme:
        readme = REPO / "README.md"
        current = readme.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        if not pattern.search(current):
            raise SystemExit(f"README.md has no {BEGIN} … {END} block to fill")
        readme.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}\n{END}", current), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
