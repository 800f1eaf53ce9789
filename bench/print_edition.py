"""How long the print edition takes: each issue of the example journal, a generated issue of about 60 pages,
and the example's issues typeset one after another against in parallel.

    python bench/print_edition.py [--essays 26] [--jobs 2]

Prints a Markdown table: pages, PDF size, wall-clock seconds and CPU seconds of typesetting each issue (the
HTML is rendered first and not counted), with the machine's load, which the wall-clock figures depend on.
The generated issue repeats the example's essays (each twice over) in one issue of ``--essays`` articles.
Durations belong here, never in a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chaowen.build import BuildOptions, load  # noqa: E402
from chaowen.printing import plan_editions, render_edition, typeset_all  # noqa: E402
from chaowen.theme import make_environment  # noqa: E402
from chaowen.typeset import typeset  # noqa: E402

Job = tuple[int, str, dict[str, str], bytes]


def jobs_of(root: Path) -> list[Job]:
    """The print HTML of every issue of the site at ``root``, ready to typeset."""
    loaded = load(BuildOptions(site_root=root, jobs=1))
    site = loaded.site
    env = make_environment(loaded.theme)
    files = {site.urls.get(a.source, a.source): str(a.path) for a in site.assets}
    made: list[Job] = []
    for edition in plan_editions(site):
        html, problem = render_edition(env, site, edition, loaded.markups.__getitem__)
        assert problem is None, problem
        made.append((edition.number, html, files, b"bench"))
    return made


def generated(root: Path, essays: int) -> Path:
    """A site with one issue of ``essays`` articles made of the example's essays."""
    shutil.copy2(REPO / "chaowen.yaml", root / "chaowen.yaml")
    shutil.copytree(REPO / "content/images", root / "content/images")
    (root / "content/issues").mkdir(parents=True)
    (root / "content/essays").mkdir(parents=True)
    (root / "content/issues/9.md").write_text(
        "---\ntitle: 厚厚的一期\ndate: 2026-06-30\nnumber: 9\ncover: ../images/issue-03-cover.svg\n---\n"
        + "这一期用来测量排版一本六十页左右的刊物要多久。\n" * 3,
        encoding="utf-8",
    )
    bodies = [p.read_text(encoding="utf-8").split("---", 2)[2] for p in sorted((REPO / "content/essays").glob("*.md"))]
    tracks = ("iot", "health", "materials")
    for n in range(essays):
        body = bodies[n % len(bodies)]
        (root / f"content/essays/e{n:02d}.md").write_text(
            f"---\ntitle: 第{n + 1}篇：产业链上的所见所思\ndate: 2026-05-{n % 28 + 1:02d}\nauthor: 作者{n}\n"
            f"unit: 区发改局\ntrack: {tracks[n % 3]}\nissue: 9\n---\n{body}\n\n{body}\n",
            encoding="utf-8",
        )
    return root


def timed(job: Job) -> tuple[int, int, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = typeset(job[1], job[2], job[3])
    return result.pages, len(result.pdf), time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=26)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| issue | pages | PDF | wall s | CPU s |\n|---|---:|---:|---:|---:|")
    example = jobs_of(REPO)
    timed(example[0])  # the first typesetting loads fonts and WeasyPrint's modules: not counted
    for job in example:
        pages, size, wall, cpu = timed(job)
        print(f"| example 第{job[0]}期 | {pages} | {size / 1e6:.2f} MB | {wall:.1f} | {cpu:.1f} |")
    with tempfile.TemporaryDirectory() as folder:
        (big,) = jobs_of(generated(Path(folder), args.essays))
        pages, size, wall, cpu = timed(big)
        print(f"| generated ({args.essays} articles) | {pages} | {size / 1e6:.2f} MB | {wall:.1f} | {cpu:.1f} |")
    many = example * 3  # a journal of 9 issues
    started = time.perf_counter()
    list(typeset_all(many, 1))
    serial = time.perf_counter() - started
    started = time.perf_counter()
    list(typeset_all(many, args.jobs))
    first = time.perf_counter() - started  # starts the server the workers are forked from
    started = time.perf_counter()
    list(typeset_all(many, args.jobs))
    parallel = time.perf_counter() - started
    print(
        f"\n{len(many)} issues: one by one {serial:.1f} s; in {args.jobs} processes {parallel:.1f} s "
        f"({first:.1f} s the first time, which starts the server the workers are forked from)"
    )


if __name__ == "__main__":
    main()
