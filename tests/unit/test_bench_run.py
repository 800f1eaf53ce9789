"""bench/run.py's bookkeeping: CPU time kept as user and system, issue 15's targets judged, ``--only`` parsed.

The timings themselves are the benchmark's business; these check that what it reports is what it measured.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def run() -> Iterator[ModuleType]:
    """bench/run.py, loaded under a name of its own (it imports its neighbours from bench/)."""
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))
    sys.modules["bench_run"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH))
        del sys.modules["bench_run"]


def measured(run: ModuleType, seconds: float, user: float, system: float, rss: float | None = None) -> object:
    return run.Measurement([run.Run(seconds, rss, None, 0.0, user, system)])


def test_timed_keeps_user_and_system_time_apart(run: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(run.SETTLE, "patience", 0.0)
    monkeypatch.setitem(run.SETTLE, "limit", 1000.0)
    spin = "n = 0\nfor i in range(2_000_000): n += i"  # a fixed amount of work in user space, no system calls
    result = run.timed([sys.executable, "-c", spin])
    assert result.user_s is not None and result.sys_s is not None
    assert result.user_s >= 0.1  # the loop's CPU time, not the wrapper's
    assert result.sys_s < result.user_s
    assert result.cpu_s == pytest.approx(result.user_s + result.sys_s)
    assert result.cores == pytest.approx(result.cpu_s / result.seconds)
    saved = result.as_dict()
    assert {"user_s", "sys_s", "cpu_s", "cores"} <= saved.keys()


def test_a_cell_shows_wall_time_ratio_cpu_split_and_cores(run: ModuleType) -> None:
    cell = run._cell_time(measured(run, 20.4, 16.5, 11.7), 3.7)
    assert cell == "20.4 s (5.51x) · 16.5 user + 11.7 sys · 1.38 cores"
    assert run._cell_time(run.Measurement([run.Run(0.43, None, None)]), None) == "0.43 s"


def test_issue_15_targets_are_judged_with_their_figures(run: ModuleType) -> None:
    at = run.SizeResult(4000, 1, {})
    at.measurements.update(
        hugo_cold=measured(run, 4.0, 2.7, 1.0),
        chaowen_cold_all=measured(run, 10.0, 18.0, 3.0, rss=390.0),
        chaowen_search_cold=measured(run, 30.0, 40.0, 10.0, rss=650.0),
        hugo_pagefind=measured(run, 31.0, 40.0, 5.0),
        chaowen_edit_cli=measured(run, 1.0, 0.8, 0.1),
    )
    lines = run.targets([at])
    assert "vs Hugo's cold build: 2.50x (target ≤ 2.5x) — met" in lines[0]
    assert "18.00 s (target ≤ 18.2 s) — met" in lines[1]
    assert lines[2] == "system CPU time of that build: 3.00 s (target < 3 s) — NOT met"
    assert "0.97x (target < 1x) — met" in lines[3]
    assert "CLI rebuild: 1.00 s (target < 1 s) — NOT met" in lines[4]
    assert "in-process rebuild (serve): n/a" in lines[5]
    assert "without search: 390 MiB (target < 400 MiB) — met" in lines[6]
    assert "with the search index: 650 MiB (target < 600 MiB) — NOT met" in lines[7]
    assert lines[8].startswith("20,000 documents vs 4,000: n/a")
    large = run.SizeResult(20000, 1, {})
    large.measurements["chaowen_cold_all"] = measured(run, 51.0, 90.0, 10.0)
    assert "5.10x (target ≤ 5x) — NOT met" in run.targets([at, large])[8]
    assert run.targets([large]) == []


def test_only_takes_known_steps_and_names_them_when_not(run: ModuleType) -> None:
    assert run.parse_steps("cold, hugo,search") == {"cold", "hugo", "search"}
    with pytest.raises(argparse.ArgumentTypeError, match="unknown step bogus; the steps are hugo: "):
        run.parse_steps("cold,bogus")
    with pytest.raises(argparse.ArgumentTypeError, match=r"\(none given\)"):
        run.parse_steps(",")
