"""What the Markdown stage costs per document, and which part of it costs what (issue 15).

    python bench/markdown_stage.py --docs 1000                # generate a corpus in a temp folder
    python bench/markdown_stage.py --site bench/work/site-4000 # or take a site (a generated one, the example)
    python bench/markdown_stage.py --site S --digests FILE     # also write each document's digest (to diff runs)
    python bench/markdown_stage.py --chaowen-root /other/checkout  # e.g. main, for "before"

The site is loaded as ``chaowen build`` loads it (config, content, site, image plan) without
rendering; then every document body is rendered with :func:`chaowen.markup.render_markdown` in
this one process, as ``markup_pool._markup_one`` calls it. Two passes:

* **timed**: nothing instrumented, CPU time (user + system of this process) per document, best of
  ``--repeat`` rounds after a warm-up round (the engines built, Pygments' lexers imported);
* **parts**: each registered preprocessor, block processor (``test`` and ``run``), tree processor,
  inline pattern (the engine's ``__applyPattern``: the pattern's regex search and its
  ``handleMatch``), postprocessor, the serializer, and the steps of chaowen's finisher are wrapped
  with a timer that counts self time (a part's time without the parts it calls), less the
  wrappers' own cost (calibrated); the table gives each part's share, and that share of the
  timed pass's ms per document. "(rest)" is what no wrapper saw (``convert``'s own work, the reset).

The digest covers every output of every document (HTML, toc, summary, counts, links, problems):
a change that alters one byte of one document changes it. ``--digests`` writes one line per
document, so two runs can be diffed to find the document that differs.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- the corpus
def _jobs(site_root: Path) -> tuple[list[Any], dict[str, Any]]:
    """The documents ``chaowen build`` would render, and the arguments it renders them with."""
    from chaowen import build

    captured: dict[str, Any] = {}

    class _Captured(Exception):
        pass

    def capture(documents: Any, **kwargs: Any) -> Any:
        captured.update(kwargs, documents=list(documents))
        raise _Captured

    real = build.render_all
    build.render_all = capture  # type: ignore[assignment]
    try:
        options = build.BuildOptions(site_root=site_root, cache=False, search=False, print=False, jobs=1)
        with suppress(_Captured):
            build.Builder(options).load()
    finally:
        build.render_all = real
    if "documents" not in captured:
        sys.exit(f"{site_root}: the site did not load as far as its Markdown")
    documents = captured.pop("documents")
    captured.pop("progress", None)
    captured.pop("jobs", None)
    return documents, captured


def _render(documents: list[Any], shared: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    from chaowen.markup import render_markdown

    out = []
    for doc in documents:
        markup, problems = render_markdown(
            doc.body,
            source=doc.source,
            display_path=f"content/{doc.source}",
            body_line=doc.body_line,
            urls=shared["urls"],
            base_path=shared["base_path"],
            language=shared["language"],
            summary=doc.summary,
            images=shared["images"],
        )
        out.append((doc.source, markup, problems))
    return out


def _digests(results: list[tuple[str, Any, Any]]) -> tuple[str, list[str]]:
    lines = []
    total = hashlib.sha256()
    for source, markup, problems in sorted(results, key=lambda r: r[0]):
        one = hashlib.sha256(repr((markup, tuple(problems))).encode()).hexdigest()[:16]
        lines.append(f"{one} {source}")
        total.update(f"{one} {source}\n".encode())
    return total.hexdigest()[:16], lines


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


# --------------------------------------------------------------------------- the parts
class _Clock:
    """Self time per part: a part's time without the time of the parts it calls.

    Wall clock (``perf_counter``: a CPU clock costs a system call per read, more than most
    parts); the time this process waits for a core on a busy machine falls on every part
    alike, so the shares hold. A wrapped call costs time of its own, inside the part
    (``cost_in`` per call) and in its caller (``cost_out``); :meth:`corrected` takes both off."""

    def __init__(self) -> None:
        self.self_ns: dict[str, int] = defaultdict(int)
        self.calls: dict[str, int] = defaultdict(int)
        self.child_calls: dict[str, int] = defaultdict(int)
        self._children: list[list[int]] = []
        self.cost_in, self.cost_out = self._calibrate()

    def wrap(self, key: str, function: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.perf_counter_ns
        children = self._children
        self_ns, calls, child_calls = self.self_ns, self.calls, self.child_calls

        def timed(*args: Any, **kwargs: Any) -> Any:
            children.append([0, 0])
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = clock() - start
                inner, count = children.pop()
                self_ns[key] += elapsed - inner
                calls[key] += 1
                child_calls[key] += count
                if children:
                    children[-1][0] += elapsed
                    children[-1][1] += 1

        return timed

    def corrected(self, key: str) -> float:
        """Self time of ``key`` without the wrappers' own cost (never below zero)."""
        cost = self.calls[key] * self.cost_in + self.child_calls[key] * self.cost_out
        return max(0.0, self.self_ns[key] - cost)

    @staticmethod
    def _calibrate(rounds: int = 7, calls: int = 20000) -> tuple[float, float]:
        def noop() -> None:
            return None

        best_in, best_out = float("inf"), float("inf")
        for _ in range(rounds):
            probe = _Clock.__new__(_Clock)
            probe.self_ns, probe.calls, probe.child_calls = defaultdict(int), defaultdict(int), defaultdict(int)
            probe._children = []
            inner = probe.wrap("inner", noop)

            def wrapped_loop(function: Callable[[], None] = inner) -> None:
                for _ in range(calls):
                    function()

            def raw_loop(function: Callable[[], None] = noop) -> None:
                for _ in range(calls):
                    function()

            probe.wrap("outer", wrapped_loop)()
            probe.wrap("raw", raw_loop)()
            best_in = min(best_in, probe.self_ns["inner"] / calls)
            best_out = min(best_out, (probe.self_ns["outer"] - probe.self_ns["raw"]) / calls)
        return best_in, max(0.0, best_out)


@contextmanager
def _instrumented(language: str) -> Iterator[_Clock]:
    """Both engines of ``language`` (with and without bare links), every part wrapped."""
    from markdown import treeprocessors

    from chaowen import markup

    clock = _Clock()
    engines = [markup._engine(language, bare) for bare in (False, True)]
    pattern_names: dict[int, str] = {}
    undo: list[Callable[[], None]] = []

    def wrap_attr(owner: Any, attr: str, key: str) -> None:
        had = attr in vars(owner) if hasattr(owner, "__dict__") else False
        old = getattr(owner, attr)
        setattr(owner, attr, clock.wrap(key, old))
        undo.append((lambda: setattr(owner, attr, old)) if had else (lambda: delattr(owner, attr)))

    for engine in engines:
        md = engine.md
        for name in list(md.preprocessors._data):
            wrap_attr(md.preprocessors[name], "run", f"pre  {name}")
        for name in list(md.parser.blockprocessors._data):
            processor = md.parser.blockprocessors[name]
            wrap_attr(processor, "test", f"block {name}")
            wrap_attr(processor, "run", f"block {name}")
        for name in list(md.treeprocessors._data):
            wrap_attr(md.treeprocessors[name], "run", f"tree {name}" + (" (engine)" if name == "inline" else ""))
        for name in list(md.inlinePatterns._data):
            pattern_names[id(md.inlinePatterns[name])] = f"inline {name}"
        for name in list(md.postprocessors._data):
            wrap_attr(md.postprocessors[name], "run", f"post {name}")
        wrap_attr(md, "serializer", "serializer")
        wrap_attr(md.parser, "parseDocument", "block parser (loop over blocks, processors)")
    for name in ("join_cjk_breaks", "_set_heading_ids", "_rewrite_links", "make_pictures", "_make_accessible"):
        wrap_attr(markup, name, f"finisher {name}")
    wrap_attr(markup, "_first_paragraph", "finisher _first_paragraph")
    wrap_attr(markup, "count_chars", "finisher count_chars")
    wrap_attr(markup._PlainText, "of", "finisher text (heading titles, counts)")
    wrap_attr(markup, "check_limits", "check_limits")

    apply_name = "_InlineProcessor__applyPattern"
    original_apply = getattr(treeprocessors.InlineProcessor, apply_name)
    by_pattern: dict[str, Callable[..., Any]] = {}

    def apply(self: Any, pattern: Any, *args: Any) -> Any:
        key = pattern_names.get(id(pattern), f"inline {type(pattern).__name__}")
        timed = by_pattern.get(key)
        if timed is None:
            timed = by_pattern[key] = clock.wrap(key, original_apply)
        return timed(self, pattern, *args)

    setattr(treeprocessors.InlineProcessor, apply_name, apply)
    undo.append(lambda: setattr(treeprocessors.InlineProcessor, apply_name, original_apply))
    try:
        yield clock
    finally:
        for step in reversed(undo):
            step()


# --------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a site folder (default: generate one in a temp folder)")
    parser.add_argument("--docs", type=int, default=1000, help="documents to generate when no --site")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="timed rounds after the warm-up; the best counts")
    parser.add_argument("--no-parts", action="store_true", help="skip the instrumented pass")
    parser.add_argument("--top", type=int, default=40, help="rows of the parts table")
    parser.add_argument("--digests", type=Path, help="write one digest per document to this file")
    parser.add_argument("--chaowen-root", type=Path, help="import chaowen from this checkout")
    args = parser.parse_args()
    if args.chaowen_root:
        sys.path.insert(0, str(args.chaowen_root.resolve()))
    chaowen = importlib.import_module("chaowen")
    print(f"chaowen from {Path(chaowen.__file__).parent}")

    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            sys.path.insert(0, str(HERE))
            generate = importlib.import_module("generate")
            sys.argv = ["generate.py", "--docs", str(args.docs), "--seed", str(args.seed), "--out", str(site)]
            generate.main()
        documents, shared = _jobs(site.resolve())

    count = len(documents)
    body_chars = sum(len(d.body) for d in documents)
    print(f"{count} documents, {body_chars / max(count, 1):.0f} characters of Markdown each on average")
    results = _render(documents, shared)  # warm-up: engines, lexers, caches
    best = float("inf")
    for _ in range(max(1, args.repeat)):
        start = _cpu()
        results = _render(documents, shared)
        best = min(best, _cpu() - start)
    digest, lines = _digests(results)
    print(f"timed: {best:.2f} CPU s, {best * 1000 / max(count, 1):.2f} CPU ms per document; digest {digest}")
    if args.digests:
        args.digests.write_text("\n".join(lines) + "\n", encoding="utf-8")

    if args.no_parts:
        return
    with _instrumented(shared["language"]) as clock:
        start_ns = time.perf_counter_ns()
        again = _render(documents, shared)
        total_ns = time.perf_counter_ns() - start_ns
    if _digests(again)[0] != digest:
        print("warning: the instrumented pass gave other outputs")
    parts = {key: clock.corrected(key) for key in clock.self_ns}
    rest = max(0.0, total_ns - sum(clock.self_ns.values()))
    parts["(rest: convert, reset, what no wrapper saw)"] = rest
    seen = sum(parts.values())
    per_doc = best * 1000 / max(count, 1)
    print(
        f"\nparts: self time, less the wrappers' cost ({clock.cost_in:.0f} + {clock.cost_out:.0f} ns a call), "
        f"as shares of the timed {per_doc:.2f} ms per document"
    )
    print(f"{'part':52} {'ms/doc':>7} {'share':>6} {'calls/doc':>9}")
    rows = sorted(parts.items(), key=lambda kv: -kv[1])
    for key, ns in rows[: args.top]:
        calls = clock.calls.get(key, 0) / max(count, 1)
        share = ns / max(seen, 1)
        print(f"{key:52} {per_doc * share:7.3f} {share:6.1%} {calls:9.1f}")


if __name__ == "__main__":
    main()
