"""Measure chaowen against Hugo, Hugo + Pagefind and Eleventy on the same generated journal, in one run.

    python bench/run.py                          # N = 1,000, 4,000 and 20,000 documents
    python bench/run.py --sizes 1000 4000        # choose the sizes
    python bench/run.py --quick                  # 200 documents, one repeat: a smoke test
    python bench/run.py --chaowen-root /path/to/chaowen --repeat 5
    python bench/run.py --sizes 4000 --only cold,hugo   # some rows only: a quick before/after of one change

For each N it generates the corpus (``generate.py``, seed 1), converts it for
Hugo and Eleventy (``convert.py``) and measures, as the median of ``--repeat``
runs (default 3, and 1 from 5,001 documents on):

- chaowen cold build with ``--jobs 1`` and with all cores (cold: ``--clean``, no
  output folder, no ``SITE/.chaowen-cache``), without the search index, taken in
  turns with the cold builds of Hugo (Debian's ``hugo``) and Eleventy (``@11ty/eleventy@3``)
  (``hugo``, ``eleventy``, ``j1``, ``cold``);
- chaowen rebuild with nothing changed, and after appending a sentence to one
  essay (both through the CLI, as an editor runs them: ``nochange``, ``edit``);
- a plain ``chaowen build`` (cold, all cores, with its search index), taken in turns
  with Hugo's cold build followed by Pagefind (``pagefind --site`` on Hugo's output, the
  Pagefind binary chaowen indexes with) timed as one command; then Pagefind alone
  (``search``, ``pagefind``), and the one-essay edit with the search index (``search-edit``);
- the in-process rebuild the dev server does after that edit: a second
  ``Builder.build()`` in one Python process (when ``chaowen.build.Builder`` exists: ``serve``);
- for every command: wall-clock time, user and system CPU seconds of it and all its
  processes (``/usr/bin/time``, or ``getrusage`` of a wrapper process) and so the cores
  used on average (CPU time / wall time);
- peak memory: the largest process's max RSS (``/usr/bin/time -f %M``, or
  ``getrusage`` of a wrapper process) and the whole process tree's peak
  proportional set size of chaowen's parallel build, sampled from ``/proc``
  every 100 ms (what a pool of workers costs together);
- the pages each generator wrote (HTML files, not counting Hugo's alias redirects),
  and the pages in each search index (Pagefind fragments).

``--only`` takes the step names in brackets above, comma-separated (default: all);
a rebuild whose starting build was not chosen gets that build untimed first.
The table ends with issue 15's targets at N = 4,000, each met or NOT met with its figure.

chaowen runs as ``python -m chaowen`` with ``PYTHONPATH`` set to ``--chaowen-root``
(default: the repository this script is in). Hugo is installed with apt-get and
Eleventy with npm (into ``bench/work/node_modules``) when missing. Everything is
written under ``bench/work/`` (ignored by git); the table is printed and saved to
``bench/results/latest.md`` and ``latest.json`` (``--quick`` saves under
``bench/work/`` instead).

Before each timed run the script waits (up to ``--patience`` seconds) until other
programs use less than ``--busy-limit`` cores, and a run during which other
programs used more than a quarter of a core (machine CPU time from ``/proc/stat``
minus the run's own) is done again, up to twice: on a small machine a test suite
running beside the benchmark would skew it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from convert import write_eleventy, write_hugo  # noqa: E402
from generate import generate  # noqa: E402

DEFAULT_SIZES = (1000, 4000, 20000)
ELEVENTY_PACKAGE = "@11ty/eleventy@3"
EDIT_SENTENCE = "编辑在第{n}次修改时，于文末补充了这一句话，用来测量只改一篇文章后的重建时间。"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ------------------------------------------------------------------------------ running and measuring
@dataclass
class Run:
    """One timed command: wall-clock seconds, the CPU seconds it used (user and system apart) and its memory."""

    seconds: float
    max_rss_mb: float | None  # the largest single process (MiB)
    tree_mb: float | None  # peak sum of PSS over the process and its descendants (MiB)
    others_s: float | None = None  # CPU seconds other programs used meanwhile
    user_s: float | None = None  # user CPU seconds of the command and its children
    sys_s: float | None = None  # system (kernel) CPU seconds of the command and its children

    @property
    def cpu_s(self) -> float | None:
        """User + system CPU seconds."""
        return self.user_s + self.sys_s if self.user_s is not None and self.sys_s is not None else None

    @property
    def cores(self) -> float | None:
        """Cores used on average: CPU seconds per wall-clock second."""
        cpu = self.cpu_s
        return cpu / self.seconds if cpu is not None and self.seconds > 0 else None

    @property
    def disturbed(self) -> bool:
        """Other programs used more than a quarter of a core on average while this ran."""
        return self.others_s is not None and self.others_s > 0.25 * self.seconds

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "cpu_s": self.cpu_s, "cores": _round(self.cores, 3)}


def _round(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


@dataclass
class Measurement:
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float | None:
        return statistics.median(r.seconds for r in self.runs) if self.runs else None

    @property
    def user_s(self) -> float | None:
        return _median(r.user_s for r in self.runs)

    @property
    def sys_s(self) -> float | None:
        return _median(r.sys_s for r in self.runs)

    @property
    def cpu_s(self) -> float | None:
        return _median(r.cpu_s for r in self.runs)

    @property
    def cores(self) -> float | None:
        """The median CPU seconds over the median wall-clock seconds."""
        cpu, seconds = self.cpu_s, self.seconds
        return cpu / seconds if cpu is not None and seconds else None

    @property
    def max_rss_mb(self) -> float | None:
        values = [r.max_rss_mb for r in self.runs if r.max_rss_mb is not None]
        return max(values) if values else None

    @property
    def tree_mb(self) -> float | None:
        values = [r.tree_mb for r in self.runs if r.tree_mb is not None]
        return max(values) if values else None

    def as_dict(self) -> dict[str, object]:
        return {
            "median_s": self.seconds,
            "median_user_s": self.user_s,
            "median_sys_s": self.sys_s,
            "median_cpu_s": self.cpu_s,
            "cores": _round(self.cores, 3),
            "runs_s": [round(r.seconds, 3) for r in self.runs],
            "max_rss_mb": self.max_rss_mb,
            "tree_pss_mb": self.tree_mb,
        }


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc/PID/task/TID/children``)."""
    found = [pid]
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    found.extend(int(child) for child in handle.read().split())
            except OSError:
                pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; ``peak_kb`` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self._done = threading.Event()
        self.available = os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")

    def run(self) -> None:
        while self.available and not self._done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _descendants(self.pid)))
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{usage.ru_maxrss} {usage.ru_utime} {usage.ru_stime}')\n"
    "sys.exit(code)\n"
)


def _cpu_times() -> tuple[int, int]:
    """Busy and total jiffies of all cores since boot (``/proc/stat``)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def busy_cores(seconds: float = 0.5) -> float:
    """How many cores' worth of CPU the machine used over ``seconds`` (0 where /proc/stat is missing)."""
    try:
        busy, total = _cpu_times()
        time.sleep(seconds)
        busy2, total2 = _cpu_times()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (busy2 - busy) / max(1, total2 - total) * (os.cpu_count() or 1)


SETTLE = {"limit": 0.35, "patience": 60.0}  # other load tolerated (cores), and how long to wait for it to go


def settle() -> None:
    """Wait (up to ``patience`` seconds) until other programs leave the CPU alone, so they do not skew a run."""
    waited = 0.0
    load = busy_cores()
    while load > SETTLE["limit"] and waited < SETTLE["patience"]:
        if waited == 0:
            log(f"  the machine is busy ({load:.1f} cores in use by other programs): waiting for it to settle")
        time.sleep(5)
        waited += 5.5
        load = busy_cores()
    if waited and load > SETTLE["limit"]:
        log(f"  still busy after {waited:.0f} s ({load:.1f} cores); measuring anyway")


def timed(
    command: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, tree: bool = False
) -> Run:
    """Run ``command``; its wall-clock time, its largest process's max RSS, and (``tree``) its tree's peak PSS.

    Sampling the tree costs a little CPU, so it is only done where a pool of workers makes it matter.
    """
    settle()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        if Path("/usr/bin/time").exists():
            wrapped = ["/usr/bin/time", "-f", "%M %U %S", "-o", rss_file.name, *command]
        else:
            wrapped = [sys.executable, "-c", _RUSAGE_WRAPPER, rss_file.name, *command]
        machine_before, own_before = _machine_cpu_s(), time.process_time()
        started = time.perf_counter()
        process = subprocess.Popen(
            wrapped, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace"
        )
        sampler = TreeSampler(process.pid)
        if tree:
            sampler.start()
        stdout, stderr = process.communicate()
        seconds = time.perf_counter() - started
        if tree:
            sampler.stop()
        machine_s, own_s = _machine_cpu_s() - machine_before, time.process_time() - own_before
        if process.returncode != 0:
            raise RuntimeError(
                f"{' '.join(map(str, command))} failed ({process.returncode}):\n{stdout[-2000:]}\n{stderr[-3000:]}"
            )
        words = Path(rss_file.name).read_text().split()  # ... max RSS (KB), user and system seconds
    try:
        max_rss, user, system = int(words[-3]) / 1024, float(words[-2]), float(words[-1])
    except (IndexError, ValueError):
        return Run(seconds, None, sampler.peak_kb / 1024 if sampler.peak_kb else None)
    others = max(0.0, machine_s - user - system - own_s) if machine_s >= 0 else None
    return Run(seconds, max_rss, sampler.peak_kb / 1024 if sampler.peak_kb else None, others, user, system)


def _machine_cpu_s() -> float:
    """CPU seconds all programs have used since boot, or -inf where ``/proc/stat`` is missing."""
    try:
        return _cpu_times()[0] / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("-inf")


# Where remove() puts what it clears during a run: emptied only when the run ends. ext4 skips
# an inode freed in the last seconds when it allocates one, so deleting an output folder of
# 10,000 files and at once writing a new one costs the next build (chaowen's, Hugo's) up to
# three times the system time of writing into a folder of a clean disk, as a first build on a
# fresh checkout does: that is the file system, not the generator.
TRASH: list[Path] = []


def remove(*paths: Path) -> None:
    for path in paths:
        if TRASH and path.exists() and path.parent.is_dir():
            TRASH[0].mkdir(parents=True, exist_ok=True)
            path.rename(TRASH[0] / f"{len(list(TRASH[0].iterdir()))}-{path.name}")
        elif path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def empty_trash() -> None:
    if TRASH and TRASH[0].exists():
        shutil.rmtree(TRASH[0])


def count_pages(folder: Path) -> int:
    """HTML pages in an output folder, leaving out redirect stubs (Hugo's ``page/1/`` aliases)."""
    pages = 0
    for path in folder.rglob("*.html"):
        if path.stat().st_size < 1024 and b'http-equiv="refresh"' in path.read_bytes():
            continue
        pages += 1
    return pages


def output(command: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """What a short command prints (its stdout, else its stderr); a description when it cannot run."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)
    except (OSError, subprocess.SubprocessError) as error:
        return f"unavailable ({error})"
    return (result.stdout or result.stderr).strip()


# ------------------------------------------------------------------------------ the three generators
@dataclass
class Chaowen:
    """How to run chaowen from a source tree, and what that version of it can do."""

    root: Path
    jobs_all: int
    flags: set[str] = field(default_factory=set)
    has_builder: bool = False

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(self.root), "PYTHONDONTWRITEBYTECODE": ""}

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "chaowen", *args]

    def detect(self) -> None:
        """Read ``build --help`` and look for ``Builder``: the benchmark adapts to what main has."""
        help_text = output(self.command("build", "--help"), env=self.env, cwd=self.root)
        self.flags = {
            flag for flag in ("--jobs", "--clean", "--no-cache", "--quiet", "--no-search") if flag in help_text
        }
        probe = "import chaowen.build as b; print(hasattr(b, 'Builder') and hasattr(b, 'BuildOptions'))"
        self.has_builder = output([sys.executable, "-c", probe], env=self.env, cwd=self.root) == "True"

    def build_args(
        self, site: Path, out: Path, *, jobs: int | None = None, clean: bool = False, search: bool = False
    ) -> list[str]:
        """Without ``search`` the search index is left out: Hugo and Eleventy build none either."""
        args = ["build", "--site", str(site), "--output", str(out)]
        if not search and "--no-search" in self.flags:
            args.append("--no-search")
        if jobs is not None and "--jobs" in self.flags:
            args += ["--jobs", str(jobs)]
        if clean and "--clean" in self.flags:
            args.append("--clean")
        if "--quiet" in self.flags:
            args.append("--quiet")
        return self.command(*args)

    def version(self) -> str:
        text = output(self.command("--version"), env=self.env, cwd=self.root)
        commit = output(["git", "-C", str(self.root), "log", "-1", "--format=%h %s"])
        markdown = output([sys.executable, "-c", "import markdown; print(markdown.__version__)"], env=self.env)
        return f"{text.split()[-1] if text else '?'} (commit {commit}; Python-Markdown {markdown})"


IN_PROCESS = """\
import inspect, json, resource, sys, time
from pathlib import Path
from chaowen.build import Builder, BuildOptions

site, out, target, repeat, sentence = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
try:  # the dev server's own builder; it keeps its search index while editing, so none is made here
    from chaowen.serve import PreviewBuilder, ServeOptions

    if "search" not in inspect.signature(ServeOptions).parameters:
        raise ImportError("this preview re-indexes on every edit")
    build = PreviewBuilder(ServeOptions(site_root=site, search=False), out).rebuild
except ImportError:
    extra = {"hash_static": False} if "hash_static" in inspect.signature(Builder).parameters else {}
    build = Builder(BuildOptions(site_root=site, output=out), **extra).build


def cpu():  # user and system seconds of this process and of the children it has waited for
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + children.ru_utime, own.ru_stime + children.ru_stime


started = time.perf_counter()
build()
first = time.perf_counter() - started
times, cpus = [], []
for n in range(repeat):
    with open(site / "content" / target, "a", encoding="utf-8") as handle:
        handle.write("\\n" + sentence.format(n=f"serve-{n}") + "\\n")
    (user, system), started = cpu(), time.perf_counter()
    result = build()
    times.append(time.perf_counter() - started)
    user2, system2 = cpu()
    cpus.append([user2 - user, system2 - system])
print(json.dumps({"first": first, "times": times, "cpu": cpus, "rendered": getattr(result, "rendered", None)}))
"""


def ensure_hugo() -> str | None:
    """The hugo executable, installed with apt-get when missing; None if that fails."""
    found = shutil.which("hugo")
    if found:
        return found
    log("hugo not found: installing Debian's hugo with apt-get")
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "hugo"]):
        if subprocess.run([*prefix, *step], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}).returncode:
            break
    return shutil.which("hugo")


def ensure_eleventy(work: Path) -> Path | None:
    """Eleventy's command in ``work/node_modules``, installed with npm when missing; None if that fails."""
    command = work / "node_modules" / ".bin" / "eleventy"
    if command.exists():
        return command
    if not shutil.which("npm"):
        log("npm not found: Eleventy is skipped (install Node.js and npm to include it)")
        return None
    log(f"installing {ELEVENTY_PACKAGE} with npm into {work}")
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(work), "--no-audit", "--no-fund", "--save-exact", ELEVENTY_PACKAGE],
        check=False,
    )
    return command if command.exists() else None


def find_pagefind(chaowen: Chaowen) -> tuple[str | None, str]:
    """The Pagefind binary chaowen indexes with (``pagefind.service.get_executable``, as chaowen/search.py finds
    it), and its version; None when chaowen's Python has no Pagefind."""
    probe = "from pagefind.service import get_executable; print(get_executable() or '')"
    found = output([sys.executable, "-c", probe], env=chaowen.env, cwd=chaowen.root).splitlines()
    path = found[-1].strip() if found else ""
    if not path or not Path(path).is_file():
        return None, "n/a"
    version = output([path, "--version"]).removeprefix("pagefind").strip()
    return path, f"{version} ({Path(path).name})"


@dataclass(frozen=True)
class Tools:
    """The yardsticks found on this machine (None: not measured)."""

    hugo: str | None = None
    eleventy: Path | None = None
    pagefind: str | None = None


# ------------------------------------------------------------------------------ one size
ROWS: tuple[tuple[str, str], ...] = (
    ("chaowen_cold_j1", "chaowen cold build, --jobs 1"),
    ("chaowen_cold_all", "chaowen cold build, all cores"),
    ("chaowen_nochange", "chaowen rebuild, nothing changed"),
    ("chaowen_edit_cli", "chaowen rebuild after editing one essay (CLI)"),
    ("chaowen_edit_serve", "chaowen rebuild after editing one essay (in-process, serve)"),
    ("chaowen_search_cold", "chaowen cold build with the search index, all cores (plain `chaowen build`)"),
    ("chaowen_search_edit", "chaowen rebuild with the search index after editing one essay (CLI)"),
    ("hugo_cold", "Hugo cold build"),
    ("hugo_pagefind", "Hugo cold build, then Pagefind on its output"),
    ("pagefind_alone", "Pagefind alone on Hugo's output"),
    ("eleventy_cold", "Eleventy cold build"),
)
MEMORY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("chaowen_cold_j1", "max_rss_mb", "peak memory: chaowen cold --jobs 1 (max RSS)"),
    ("chaowen_cold_all", "tree_mb", "peak memory: chaowen cold, all cores (all processes, PSS)"),
    ("chaowen_cold_all", "max_rss_mb", "peak memory: chaowen cold, all cores (largest process, RSS)"),
    ("chaowen_nochange", "max_rss_mb", "peak memory: chaowen no-change rebuild (max RSS)"),
    ("chaowen_search_cold", "tree_mb", "peak memory: chaowen cold with the search index (all processes, PSS)"),
    ("hugo_cold", "max_rss_mb", "peak memory: Hugo cold (max RSS)"),
    ("hugo_pagefind", "max_rss_mb", "peak memory: Hugo then Pagefind (the larger max RSS)"),
    ("eleventy_cold", "max_rss_mb", "peak memory: Eleventy cold (max RSS)"),
)
# What ``--only`` can choose, in the order they run; a step that needs an earlier one's output makes it untimed.
STEPS: dict[str, str] = {
    "hugo": "Hugo cold build",
    "eleventy": "Eleventy cold build",
    "j1": "chaowen cold build, --jobs 1",
    "cold": "chaowen cold build, all cores, --no-search",
    "nochange": "chaowen rebuild with nothing changed",
    "edit": "chaowen rebuild after a one-essay edit (CLI)",
    "search": "chaowen cold build with its search index (plain `chaowen build`)",
    "pagefind": "Hugo cold build then Pagefind, and Pagefind alone",
    "search-edit": "chaowen rebuild with its search index after a one-essay edit (CLI)",
    "serve": "chaowen in-process rebuild after a one-essay edit (the dev server)",
}
WITHOUT_YARDSTICKS = frozenset({"j1", "cold", "nochange", "edit", "serve"})  # --chaowen-only


@dataclass
class SizeResult:
    docs: int
    repeat: int
    corpus: dict[str, object]
    measurements: dict[str, Measurement] = field(default_factory=dict)
    serve: dict[str, object] | None = None
    pages: dict[str, int] = field(default_factory=dict)
    indexed: dict[str, int] = field(default_factory=dict)  # pages in each search index
    notes: list[str] = field(default_factory=list)

    def seconds(self, key: str) -> float | None:
        found = self.measurements.get(key)
        return found.seconds if found else None


RETRIES = 2  # times a run disturbed by other programs is done again


def _measure(label: str, index: int, times: int, once: Callable[[], Run]) -> Run:
    """Run ``once``, again (up to ``RETRIES`` times) while other programs took the CPU meanwhile, and log it."""
    for attempt in range(RETRIES + 1):
        run = once()
        if not run.disturbed or attempt == RETRIES:
            break
        log(
            f"  {label} {index + 1}/{times}: {run.seconds:.2f} s, but other programs used "
            f"{run.others_s:.1f} CPU seconds meanwhile: running it again"
        )
    memory = f", {run.max_rss_mb:.0f} MiB max RSS" if run.max_rss_mb else ""
    tree = f", {run.tree_mb:.0f} MiB tree PSS" if run.tree_mb else ""
    noise = f" (other programs used {run.others_s:.1f} CPU s meanwhile)" if run.disturbed else ""
    cpu = (
        f" ({run.user_s:.2f} user + {run.sys_s:.2f} sys CPU s, {run.cores:.2f} cores)"
        if run.user_s is not None and run.sys_s is not None and run.cores is not None
        else ""
    )
    log(f"  {label} {index + 1}/{times}: {run.seconds:.2f} s{cpu}{memory}{tree}{noise}")
    return run


def repeat_runs(label: str, times: int, once: Callable[[], Run]) -> Measurement:
    """``times`` runs of ``once``; a run during which other programs took the CPU is done again."""
    return Measurement([_measure(label, index, times, once) for index in range(times)])


def in_turns(steps: Sequence[tuple[str, str, Callable[[], Run]]], times: int) -> dict[str, Measurement]:
    """``times`` runs of each (key, label, once), taken in turns (A, B, A, B): slow drift of a shared machine
    then weighs on both sides of a ratio alike."""
    measurements = {key: Measurement() for key, _, _ in steps}
    for index in range(times):
        for key, label, once in steps:
            measurements[key].runs.append(_measure(label, index, times, once))
    return measurements


def count_indexed(folder: Path) -> int:
    """Pages in the Pagefind indexes under ``folder`` (one ``.pf_fragment`` file per indexed page)."""
    return sum(1 for _ in folder.rglob("*.pf_fragment")) if folder.is_dir() else 0


def bench_size(
    docs: int, repeat: int, seed: int, work: Path, chaowen: Chaowen, tools: Tools, only: frozenset[str]
) -> SizeResult:
    """Generate the corpus of ``docs`` documents and measure the ``only`` steps on it."""
    folder = work / f"n{docs}"
    site, hugo_site, eleventy_site = folder / "site", folder / "hugo", folder / "eleventy"
    out_chaowen, out_hugo, out_eleventy = folder / "out-chaowen", folder / "out-hugo", folder / "out-eleventy"
    out_search = folder / "out-search"
    started = time.perf_counter()
    corpus = generate(docs, seed, site)
    log(f"N={docs}: generated {describe(corpus)} in {time.perf_counter() - started:.1f} s")
    hugo = tools.hugo if only & {"hugo", "pagefind"} else None
    pagefind = tools.pagefind if "pagefind" in only and hugo else None
    eleventy = tools.eleventy if "eleventy" in only else None
    started = time.perf_counter()
    if hugo:
        write_hugo(site, hugo_site)
    if eleventy:
        write_eleventy(site, eleventy_site)
    if hugo or eleventy:
        log(f"N={docs}: converted for Hugo and/or Eleventy in {time.perf_counter() - started:.1f} s")
    result = SizeResult(docs, repeat, corpus)
    cache = site / ".chaowen-cache"
    hugo_command = [hugo or "hugo", "--quiet", "-s", str(hugo_site), "-d", str(out_hugo)]

    def hugo_cold() -> Run:
        remove(out_hugo, hugo_site / "resources")
        return timed(hugo_command)

    def eleventy_cold() -> Run:
        remove(out_eleventy)
        return timed([str(eleventy), "--quiet", f"--output={out_eleventy}"], cwd=eleventy_site)

    def chaowen_cold(jobs: int) -> Callable[[], Run]:
        def once() -> Run:
            remove(out_chaowen, cache)
            command = chaowen.build_args(site, out_chaowen, jobs=jobs, clean=True)
            return timed(command, env=chaowen.env, tree=jobs > 1)

        return once

    cold_steps: list[tuple[str, str, Callable[[], Run]]] = []
    if hugo and "hugo" in only:
        cold_steps.append(("hugo_cold", "Hugo cold", hugo_cold))
    if eleventy:
        cold_steps.append(("eleventy_cold", "Eleventy cold", eleventy_cold))
    if "j1" in only:
        cold_steps.append(("chaowen_cold_j1", "chaowen cold --jobs 1", chaowen_cold(1)))
    if "cold" in only:
        cold_steps.append(
            ("chaowen_cold_all", f"chaowen cold --jobs {chaowen.jobs_all}", chaowen_cold(chaowen.jobs_all))
        )
    result.measurements.update(in_turns(cold_steps, repeat))
    if "hugo_cold" in result.measurements:
        result.pages["Hugo"] = count_pages(out_hugo)
    if "eleventy_cold" in result.measurements:
        result.pages["Eleventy"] = count_pages(out_eleventy)

    target = str(corpus["edit_target"])
    edits = iter(range(1, 1000))
    if only & {"nochange", "edit"}:
        if not only & {"j1", "cold"}:  # the rebuilds start from a build of this corpus
            log("  chaowen cold build (untimed: what the rebuilds start from)")
            remove(out_chaowen, cache)
            subprocess.run(chaowen.build_args(site, out_chaowen, clean=True), env=chaowen.env, check=True)
        rebuild = chaowen.build_args(site, out_chaowen)
        if "nochange" in only:
            result.measurements["chaowen_nochange"] = repeat_runs(
                "chaowen no-change rebuild", repeat, lambda: timed(rebuild, env=chaowen.env)
            )

        def edit_and_rebuild() -> Run:
            return _edit_and_time(site, target, next(edits), rebuild, out_chaowen, chaowen, result, folder)

        if "edit" in only:
            result.measurements["chaowen_edit_cli"] = repeat_runs(
                "chaowen one-essay edit (CLI)", repeat, edit_and_rebuild
            )
    if out_chaowen.is_dir() and only & {"j1", "cold", "nochange", "edit"}:
        result.pages["chaowen"] = count_pages(out_chaowen)

    searching = "--no-search" in chaowen.flags  # else every build above already made the index

    def search_cold() -> Run:
        remove(out_search, cache)
        command = chaowen.build_args(site, out_search, jobs=chaowen.jobs_all, clean=True, search=True)
        return timed(command, env=chaowen.env, tree=True)

    pagefind_command = [pagefind or "pagefind", "--site", str(out_hugo)]

    def hugo_then_pagefind() -> Run:
        remove(out_hugo, hugo_site / "resources")
        script = f"{' '.join(map(shlex.quote, hugo_command))}\n{' '.join(map(shlex.quote, pagefind_command))}\n"
        return timed(["sh", "-ec", script])

    def pagefind_alone() -> Run:
        remove(out_hugo / "pagefind")
        return timed(pagefind_command)

    search_steps: list[tuple[str, str, Callable[[], Run]]] = []
    if searching and "search" in only:
        search_steps.append(("chaowen_search_cold", "chaowen cold with search index", search_cold))
    if pagefind:
        search_steps.append(("hugo_pagefind", "Hugo cold, then Pagefind", hugo_then_pagefind))
    result.measurements.update(in_turns(search_steps, repeat))
    if pagefind:
        result.indexed["Hugo + Pagefind"] = count_indexed(out_hugo / "pagefind")
        result.pages.setdefault("Hugo", count_pages(out_hugo))
        result.measurements["pagefind_alone"] = repeat_runs("Pagefind alone on Hugo's output", repeat, pagefind_alone)
    elif "pagefind" in only:
        result.notes.append(f"N={docs}: no Hugo + Pagefind row (Hugo or chaowen's Pagefind binary is missing)")

    if searching and "search-edit" in only:
        if "search" not in only:
            log("  chaowen cold build with the search index (untimed: what the rebuilds start from)")
            remove(out_search, cache)
            subprocess.run(chaowen.build_args(site, out_search, clean=True, search=True), env=chaowen.env, check=True)
        with_search = chaowen.build_args(site, out_search, search=True)

        def search_edit() -> Run:
            return _edit_and_time(site, target, next(edits), with_search, out_search, chaowen, result, folder)

        result.measurements["chaowen_search_edit"] = repeat_runs(
            "chaowen one-essay edit with search index (CLI)", repeat, search_edit
        )
    if out_search.is_dir() and searching and only & {"search", "search-edit"}:
        result.indexed["chaowen"] = count_indexed(out_search / "pagefind")

    if "serve" in only and chaowen.has_builder:
        serve_out = folder / "out-serve"
        remove(serve_out)
        command = [sys.executable, "-c", IN_PROCESS, str(site), str(serve_out), target, str(repeat), EDIT_SENTENCE]
        log("  chaowen in-process: first build, then rebuilds after one-essay edits")
        settle()
        finished = subprocess.run(command, env=chaowen.env, capture_output=True, text=True)
        if finished.returncode != 0:
            raise RuntimeError(f"in-process rebuild failed:\n{finished.stderr[-3000:]}")
        data = json.loads(finished.stdout.splitlines()[-1])
        result.serve = data
        cpus = data.get("cpu") or [[None, None]] * len(data["times"])
        result.measurements["chaowen_edit_serve"] = Measurement(
            [
                Run(t, None, None, user_s=user, sys_s=system)
                for t, (user, system) in zip(data["times"], cpus, strict=True)
            ]
        )
        log(f"  chaowen in-process: first build {data['first']:.2f} s, rebuilds {[round(t, 3) for t in data['times']]}")
    elif "serve" in only:
        log("  chaowen in-process: n/a (chaowen.build.Builder does not exist in this chaowen)")
    if len(set(result.pages.values())) > 1:
        result.notes.append(f"N={docs}: the generators wrote different numbers of pages: {result.pages}")
    if len(set(result.indexed.values())) > 1:
        result.notes.append(f"N={docs}: the search indexes hold different numbers of pages: {result.indexed}")
    return result


def _edit_and_time(
    site: Path,
    target: str,
    number: int,
    command: list[str],
    out: Path,
    chaowen: Chaowen,
    result: SizeResult,
    folder: Path,
) -> Run:
    """Append a sentence to the essay ``target``, time ``command`` and check that its page shows the sentence."""
    sentence = EDIT_SENTENCE.format(n=number)
    with open(site / "content" / target, "a", encoding="utf-8") as handle:
        handle.write("\n" + sentence + "\n")
    run = timed(command, env=chaowen.env)
    page = out / "essays" / Path(target).stem / "index.html"
    if page.exists() and sentence not in page.read_text("utf-8"):
        result.notes.append(f"N={result.docs}: the edited sentence is missing from {page.relative_to(folder)}")
    return run


# ------------------------------------------------------------------------------ the report
def describe(corpus: dict[str, object]) -> str:
    counts = corpus["counts"]
    assert isinstance(counts, dict)
    names = {"issue": "issues", "minutes": "minutes", "essay": "essays", "page": "pages"}
    return ", ".join(f"{counts.get(kind, 0)} {name}" for kind, name in names.items())


TARGETS_AT = 4000
USER_BASELINE_S = 16.5  # issue 15: user CPU seconds of the cold --no-search build at 4,000 documents before it


def _peak(at: SizeResult, *sources: tuple[str, str]) -> float | None:
    values = [getattr(at.measurements[key], attribute) for key, attribute in sources if key in at.measurements]
    known = [v for v in values if v]
    return max(known) if known else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def targets(results: list[SizeResult]) -> list[str]:
    """Issue 15's targets (measured at 4,000 documents), each with the measured value and met / NOT met."""
    at = next((r for r in results if r.docs == TARGETS_AT), None)
    if at is None:
        return []
    cold = at.measurements.get("chaowen_cold_all")
    no_search = _peak(
        at, ("chaowen_cold_j1", "max_rss_mb"), ("chaowen_cold_all", "tree_mb"), ("chaowen_cold_all", "max_rss_mb")
    )
    with_search = _peak(at, ("chaowen_search_cold", "tree_mb"), ("chaowen_search_cold", "max_rss_mb"))
    # label, measured value, limit, unit, whether the limit itself still meets the target
    checks: list[tuple[str, float | None, float, str, bool]] = [
        (
            "cold `--no-search` build, all cores, vs Hugo's cold build",
            _ratio(at.seconds("chaowen_cold_all"), at.seconds("hugo_cold")),
            2.5,
            "x",
            True,
        ),
        (
            f"user CPU time of that build (within 10% of issue 15's {USER_BASELINE_S:g} s, or lower)",
            cold.user_s if cold else None,
            round(USER_BASELINE_S * 1.1, 1),
            " s",
            True,
        ),
        ("system CPU time of that build", cold.sys_s if cold else None, 3.0, " s", False),
        (
            "plain cold `chaowen build` (with its search index) vs Hugo then Pagefind",
            _ratio(at.seconds("chaowen_search_cold"), at.seconds("hugo_pagefind")),
            1.0,
            "x",
            False,
        ),
        ("one-essay edit, CLI rebuild", at.seconds("chaowen_edit_cli"), 1.0, " s", False),
        ("one-essay edit, in-process rebuild (serve)", at.seconds("chaowen_edit_serve"), 0.3, " s", False),
        ("peak memory, cold build without search", no_search, 400.0, " MiB", False),
        ("peak memory, cold build with the search index", with_search, 600.0, " MiB", False),
    ]
    large = next((r for r in results if r.docs == 5 * TARGETS_AT), None)
    if large is not None:
        ratio = _ratio(large.seconds("chaowen_cold_all"), at.seconds("chaowen_cold_all"))
        checks.append(("20,000 documents vs 4,000 (cold `--no-search`, all cores)", ratio, 5.0, "x", True))
    lines = []
    for label, value, limit, unit, inclusive in checks:
        if value is None:
            lines.append(f"{label}: n/a (not measured in this run)")
            continue
        met = value <= limit if inclusive else value < limit
        shown = f"{value:.0f}" if unit == " MiB" else f"{value:.2f}"
        relation = "≤" if inclusive else "<"
        verdict = "met" if met else "NOT met"
        lines.append(f"{label}: {shown}{unit} (target {relation} {limit:g}{unit}) — {verdict}")
    if large is None:
        lines.append("20,000 documents vs 4,000: n/a (run `--sizes 4000 20000` to check it)")
    lines.append("save → updated page in the browser: not measured here (`python bench/serve_latency.py`)")
    return lines


def comparisons(results: list[SizeResult]) -> list[str]:
    """At every size: chaowen against its yardstick, with and without a search index, wall and CPU time."""
    pairs = (
        ("chaowen_cold_all", "hugo_cold", "cold `--no-search` build, all cores, vs Hugo"),
        ("chaowen_search_cold", "hugo_pagefind", "plain cold `chaowen build` vs Hugo then Pagefind"),
    )
    lines = []
    for result in results:
        for mine, theirs, label in pairs:
            a, b = result.measurements.get(mine), result.measurements.get(theirs)
            if a is None or b is None or not a.seconds or not b.seconds:
                continue
            cpu = f"; CPU {a.cpu_s:.1f} s vs {b.cpu_s:.1f} s" if a.cpu_s is not None and b.cpu_s is not None else ""
            lines.append(
                f"N = {result.docs:,}: {label}: {a.seconds / b.seconds:.2f}x "
                f"({a.seconds:.2f} s vs {b.seconds:.2f} s wall{cpu})"
            )
    return lines


def _seconds(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _cell_time(measurement: Measurement | None, hugo: float | None) -> str:
    """``20.40 s (3.27x) · 16.5 user + 11.7 sys · 1.38 cores``: the median wall time, its ratio to Hugo's cold
    build, the median user and system CPU seconds and the cores used on average; a ``*`` marks a median that
    includes a run other programs disturbed."""
    seconds = measurement.seconds if measurement else None
    if measurement is None or seconds is None:
        return "n/a"
    text = f"{_seconds(seconds)} s"
    text = f"{text} ({seconds / hugo:.2f}x)" if hugo else text
    text += "*" if any(r.disturbed for r in measurement.runs) else ""
    user, system, cores = measurement.user_s, measurement.sys_s, measurement.cores
    if user is not None and system is not None and cores is not None:
        text += f" · {_seconds(user)} user + {_seconds(system)} sys · {cores:.2f} cores"
    return text


def table(results: list[SizeResult]) -> list[list[str]]:
    header = ["measurement", *(f"N = {r.docs:,}" for r in results)]
    rows = [header]
    for key, label in ROWS:
        if any(key in r.measurements for r in results):
            rows.append([label, *(_cell_time(r.measurements.get(key), r.seconds("hugo_cold")) for r in results)])
    for key, attribute, label in MEMORY_ROWS:
        if not any(key in r.measurements for r in results):
            continue
        cells = []
        for r in results:
            value = getattr(r.measurements[key], attribute) if key in r.measurements else None
            cells.append(f"{value:.0f} MiB" if value else "n/a")
        rows.append([label, *cells])
    names = ("chaowen", "Hugo", "Eleventy")
    if any(r.pages for r in results):
        rows.append(
            [
                "HTML pages: chaowen / Hugo / Eleventy",
                *(" / ".join(str(r.pages.get(n, "n/a")) for n in names) for r in results),
            ]
        )
    if any(r.indexed for r in results):
        rows.append(
            [
                "pages in the search index: chaowen / Hugo + Pagefind",
                *(" / ".join(str(r.indexed.get(n, "n/a")) for n in ("chaowen", "Hugo + Pagefind")) for r in results),
            ]
        )
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" + "---:|" * (len(rows[0]) - 1)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
    return "\n".join(lines)


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows)


def growth(results: list[SizeResult]) -> list[str]:
    """How the time grows from each size to the next (issue 15 asks 20,000 <= 5x 4,000)."""
    lines = []
    keys = ("chaowen_cold_all", "chaowen_cold_j1", "chaowen_search_cold", "hugo_cold", "hugo_pagefind", "eleventy_cold")
    for small, large in zip(results, results[1:], strict=False):
        for key in keys:
            a, b = small.seconds(key), large.seconds(key)
            if a and b:
                lines.append(
                    f"{key}: {large.docs:,} docs take {b / a:.2f}x the time of {small.docs:,} "
                    f"({large.docs / small.docs:.0f}x the documents)"
                )
    return lines


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cores": os.cpu_count(), "cpu": model, "memory": memory, "system": platform.platform()}


def _command_line(results: list[SizeResult], args: argparse.Namespace) -> str:
    words = ["python", "bench/run.py", "--sizes", *(str(r.docs) for r in results)]
    if args.repeat:
        words += ["--repeat", str(args.repeat)]
    if args.only is not None:
        words += ["--only", ",".join(step for step in STEPS if step in args.only)]
    if args.chaowen_only:
        words.append("--chaowen-only")
    return " ".join(words)


def report(
    results: list[SizeResult], versions: dict[str, str], args: argparse.Namespace, folder: Path, elapsed: float
) -> None:
    rows = table(results)
    print()
    print(text_table(rows))
    for line in comparisons(results):
        print(line)
    for line in growth(results):
        print(line)
    for line in targets(results):
        print("target:", line)
    for result in results:
        for note in result.notes:
            print("NOTE:", note)
    info = machine()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# chaowen benchmark",
        "",
        f"Measured {now} on {info['cores']} cores ({info['cpu']}, {info['memory']}), {info['system']}.",
        f"Command: `{_command_line(results, args)}` (seed {args.seed}; the median of "
        + ", ".join(f"{r.repeat} at N = {r.docs:,}" for r in results)
        + f" runs per measurement; the whole run took {elapsed / 60:.1f} min).",
        "",
        "Versions: " + "; ".join(f"{name} {value}" for name, value in versions.items()) + ".",
        "",
        "Each cell: the median wall-clock time including start-up, in brackets its ratio to Hugo's cold build of",
        "the same corpus; then the median user and system CPU seconds of the command and all its processes, and",
        "the cores it used on average (median CPU seconds / median wall-clock seconds). The in-process row counts",
        "the CPU time of that one process (and of the children it waited for). Cold: no output folder and no",
        "build cache (the last ones are moved aside and deleted when the run ends: ext4 makes a build that writes",
        "just after thousands of files were deleted pay for it in system time). The cold builds without a search index (Hugo, Eleventy, chaowen) are taken in turns, and so",
        "are chaowen's cold build with its search index and Hugo followed by Pagefind (`pagefind --site`, the",
        "binary chaowen indexes with, on Hugo's output, whose document pages carry `data-pagefind-body` as",
        "chaowen's do). Memory: the largest process's max RSS, or the peak of the summed proportional set size of",
        "all the build's processes (the pool of workers included). A run during which other programs used over a",
        "quarter of a core was done again (up to twice); a `*` marks a median that still includes such a run.",
        "Per-run figures are in latest.json.",
        "",
        markdown_table(rows),
        "",
    ]
    lines += [f"- {line}" for line in comparisons(results)]
    lines += [f"- {line}" for line in growth(results)]
    if targets(results):
        lines += ["", f"Targets of issue 15 at N = {TARGETS_AT:,}:", ""]
        lines += [f"- {line}" for line in targets(results)]
        lines.append("")
    for result in results:
        corpus = result.corpus
        lines.append(
            f"- N = {result.docs:,}: {describe(corpus)}, {corpus['drafts']} of them drafts, "
            f"{corpus['authors']} authors, {corpus['tags']} tags"
        )
        lines += [f"- NOTE: {note}" for note in result.notes]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = {
        "date": now,
        "command": _command_line(results, args),
        "machine": info,
        "versions": versions,
        "seed": args.seed,
        "elapsed_s": round(elapsed, 1),
        "sizes": {
            str(r.docs): {
                "repeat": r.repeat,
                "corpus": r.corpus,
                "pages": r.pages,
                "indexed": r.indexed,
                "serve": r.serve,
                "notes": r.notes,
                "measurements": {key: m.as_dict() for key, m in r.measurements.items()},
                "runs": {key: [run.as_dict() for run in m.runs] for key, m in r.measurements.items()},
            }
            for r in results
        },
        "comparisons": comparisons(results),
        "growth": growth(results),
        "targets": targets(results),
    }
    (folder / "latest.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {folder / 'latest.md'} and {folder / 'latest.json'}")


def parse_steps(text: str) -> frozenset[str]:
    """``--only cold,hugo,search`` -> the steps; an unknown name is an error that lists the known ones."""
    chosen = frozenset(word.strip() for word in text.split(",") if word.strip())
    unknown = sorted(chosen - STEPS.keys())
    if unknown or not chosen:
        known = "; ".join(f"{name}: {what}" for name, what in STEPS.items())
        raise argparse.ArgumentTypeError(f"unknown step {', '.join(unknown) or '(none given)'}; the steps are {known}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="numbers of documents")
    parser.add_argument("--quick", action="store_true", help="200 documents, one run each: a smoke test")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 3; 1 above 5,000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="'all cores' for chaowen (default: all)")
    parser.add_argument("--chaowen-root", type=Path, default=HERE.parent, help="chaowen source tree to measure")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="scratch folder (default bench/work)")
    parser.add_argument("--results", type=Path, default=None, help="where latest.md/json go (default bench/results)")
    parser.add_argument("--busy-limit", type=float, default=0.35, help="other CPU load tolerated, in cores")
    parser.add_argument("--patience", type=float, default=60, help="seconds to wait for the machine to settle")
    parser.add_argument(
        "--only",
        type=parse_steps,
        default=None,
        metavar="STEP,STEP",
        help="measure only these steps (default: all): " + ", ".join(STEPS),
    )
    parser.add_argument(
        "--chaowen-only",
        action="store_true",
        help="only chaowen's rows without the search index (no Hugo, no Eleventy): to compare two chaowen trees",
    )
    args = parser.parse_args(argv)
    SETTLE.update(limit=args.busy_limit, patience=args.patience)
    if args.quick:
        args.sizes = [200]
        args.repeat = args.repeat or 1
    only: frozenset[str] = args.only if args.only is not None else frozenset(STEPS)
    if args.chaowen_only:
        only &= WITHOUT_YARDSTICKS
    results_folder = args.results or (args.work / "quick-results" if args.quick else HERE / "results")
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    TRASH[:] = [work / ".trash"]
    empty_trash()  # left by a run that was stopped
    begun = time.perf_counter()

    chaowen = Chaowen(args.chaowen_root.resolve(), args.jobs)
    chaowen.detect()
    log(f"chaowen at {chaowen.root}: flags {sorted(chaowen.flags)}, Builder {'yes' if chaowen.has_builder else 'no'}")
    log("steps: " + ", ".join(step for step in STEPS if step in only))
    hugo = ensure_hugo() if only & {"hugo", "pagefind"} else None
    pagefind, pagefind_version = find_pagefind(chaowen) if "pagefind" in only else (None, "n/a")
    eleventy = ensure_eleventy(work) if "eleventy" in only else None
    tools = Tools(hugo, eleventy, pagefind)
    versions = {
        "chaowen": chaowen.version(),
        "Python": platform.python_version(),
        "Hugo": output([hugo, "version"]).split("+")[0].removeprefix("hugo ") if hugo else "n/a",
        "Pagefind": pagefind_version,
        "Eleventy": output([str(eleventy), "--version"]) if eleventy else "n/a",
        "Node.js": output(["node", "--version"]) if eleventy else "n/a",
    }
    log("versions: " + "; ".join(f"{k} {v}" for k, v in versions.items()))

    results = []
    try:
        for docs in args.sizes:
            repeat = args.repeat or (3 if docs <= 5000 else 1)
            log(f"N={docs}: {repeat} run(s) per measurement")
            results.append(bench_size(docs, repeat, args.seed, work, chaowen, tools, only))
    finally:
        empty_trash()
    report(results, versions, args, results_folder, time.perf_counter() - begun)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
