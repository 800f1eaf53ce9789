"""Does the site's own search page find the right article first? Measured on a generated journal.

    python bench/search_recall.py                      # 4,000 documents, seed 1, this checkout
    python bench/search_recall.py --docs 600 --label quick
    python bench/search_recall.py --chaowen-root /path/to/other/checkout --label main

1. Generates a journal with ``generate.py`` and adds to every prose paragraph a few
   sentences drawn from jieba's dictionary by word frequency (jieba 0.42.1 is
   installed with pip when missing: it is a benchmark dependency only). The
   dictionary's 350,000 words make the vocabulary realistic: common words are in
   thousands of documents and rare ones in one or two. A few documents get fixed
   sentences with a Latin word, ``5G``, ``3 号线`` and ``AGV 小车``.
2. Builds it with chaowen (``python -m chaowen build``, search index included) and
   reads the index time and size from the build's summary.
3. Chooses the queries with a fixed seed, from the text of the built pages (their
   ``<h1>`` and ``.prose``; segmented with jieba, no HMM, so every word is a
   dictionary word): 50 rare words (2 to 4 Chinese characters, in at most two
   documents), 20 two-word queries (two words, each in 3 to 300 documents, both
   in one to three), a word in no document, and the Latin, number and mixed queries.
4. Types each query into the search page (``/search/``) in Debian's Chromium and
   reads the result links, as a reader sees them.
5. With a 4x CPU slowdown, measures the time from the last keystroke to the first
   results shown, and the bytes one search transfers (a first search, which also
   loads the search engine and each year's index, and a later one), by kind of file.
6. Notes the load average of the machine while it builds and while it measures in
   the browser (the machine may be shared: wall times carry that noise).

Prints a summary and appends a row to ``bench/results/search_recall.md`` (``--no-save``:
not). Everything is written under ``bench/work/search/``.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import html
import http.server
import importlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

JIEBA = "jieba==0.42.1"
CHROMIUM = "/usr/bin/chromium"
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
RESULTS = HERE / "results" / "search_recall.md"
# Fixed sentences that give the Latin, number and mixed queries something to find: (sentence, documents).
SPECIAL_SENTENCES = (
    ("厂区里的 AGV 小车按 5G 专网下发的任务运行。", 3),
    ("项目选址靠近地铁 3 号线的站点。", 2),
    ("老车间的设备只会说 Profibus 协议。", 2),
)
SPECIAL_QUERIES = ("Profibus", "5G", "3 号线", "AGV 小车")
SUMMARY = re.compile(r"搜索索引：(\d+) 篇，([\d.]+) (KB|MB)，用时 ([\d.]+) 秒")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_jieba() -> Any:
    try:
        return importlib.import_module("jieba")
    except ImportError:
        log(f"installing {JIEBA} (benchmark only)")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", JIEBA], check=True)
        importlib.invalidate_caches()
        return importlib.import_module("jieba")


# ------------------------------------------------------------------------------ the journal
class Dictionary:
    """jieba's words of Chinese characters, drawn by their frequency."""

    def __init__(self, jieba: Any) -> None:
        words: list[str] = []
        totals: list[int] = []
        total = 0
        path = Path(jieba.__file__).parent / "dict.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            word, freq, *_ = line.split(" ")
            if CJK.match(word) and len(word) <= 4:
                total += int(freq)
                words.append(word)
                totals.append(total)
        self.words, self.totals = words, totals

    def word(self, rng: random.Random) -> str:
        return self.words[bisect.bisect_right(self.totals, rng.random() * self.totals[-1])]

    def sentence(self, rng: random.Random) -> str:
        count = rng.randint(6, 14)
        words = [self.word(rng) for _ in range(count)]
        comma = rng.randint(2, count - 2)
        return "".join(words[:comma]) + "，" + "".join(words[comma:]) + "。"


def make_journal(docs: int, seed: int, site: Path, jieba: Any) -> None:
    """generate.py's journal, with dictionary sentences in its prose and the special sentences in a few documents."""
    generate(docs, seed, site)
    rng = random.Random(seed)
    dictionary = Dictionary(jieba)
    files = sorted((site / "content").rglob("*.md"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        lines = body.split("\n")
        for i, line in enumerate(lines):
            if line[:1] and "\u4e00" <= line[:1] <= "\u9fff" and len(line) > 20:
                lines[i] = line + "".join(dictionary.sentence(rng) for _ in range(rng.randint(1, 2)))
        path.write_text(head + sep + "\n".join(lines), encoding="utf-8")
    essays = [p for p in files if "/essays/" in p.as_posix()]
    for sentence, count in SPECIAL_SENTENCES:
        for path in rng.sample(essays, count):
            with path.open("a", encoding="utf-8") as handle:
                handle.write("\n" + sentence + "\n")


# ------------------------------------------------------------------------------ building
@dataclass
class Build:
    seconds: float  # the whole build
    cpu_seconds: float  # user + system time of the build and its Pagefind processes (steadier on a busy machine)
    index_seconds: float  # the search stage, from the summary
    index_bytes: int
    pages: int
    load: float = 0.0  # the machine's load average (1 minute) at the end of the build


def build(root: Path, site: Path, out: Path) -> Build:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".chaowen-cache", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "chaowen", "build", "--site", str(site), "--output", str(out)]
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # In the checkout's folder: ``python -m`` puts the current folder before PYTHONPATH, so from another checkout
    # it would build with that one's code (and the theme's files are read from the package found).
    done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout}\n{done.stderr}")
    found = SUMMARY.search(done.stdout + done.stderr)
    if not found:
        raise SystemExit(f"no search summary in the build's output:\n{done.stdout}\n{done.stderr}")
    index_bytes = sum(f.stat().st_size for f in (out / "pagefind").rglob("*") if f.is_file())
    return Build(seconds, cpu, float(found.group(4)), index_bytes, int(found.group(1)), os.getloadavg()[0])


class _Text(HTMLParser):
    """The text a reader reads as the document: its <h1> and its .prose blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 inside a wanted element
        self.stack: list[bool] = []
        self.parts: list[str] = []
        self.indexed = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "data-pagefind-body" in names:
            self.indexed = True
        if tag in ("br", "img", "hr", "meta", "link", "input", "source", "wbr"):
            return
        wanted = tag == "h1" or "prose" in (names.get("class") or "").split()
        self.stack.append(wanted)
        self.depth += wanted

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "hr", "meta", "link", "input", "source", "wbr") or not self.stack:
            return
        self.depth -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.parts.append(data)


def documents(out: Path) -> dict[str, str]:
    """Result URL -> the document's text, for every page that marks its text for the index."""
    found: dict[str, str] = {}
    for page in sorted(out.rglob("index.html")):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.indexed:
            url = "/" + page.parent.relative_to(out).as_posix() + "/"
            found[url.replace("//", "/")] = re.sub(r"\s+", " ", html.unescape("".join(parser.parts)))
    return found


# ------------------------------------------------------------------------------ the queries
@dataclass
class Query:
    text: str
    kind: str  # rare, pair, absent, special
    expected: list[str]  # the documents that contain it (all its words)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def containing(texts: dict[str, str], query: str) -> list[str]:
    words = [squeeze(w) for w in query.split()]
    return sorted(url for url, text in texts.items() if all(w in squeeze(text) for w in words))


def choose_queries(texts: dict[str, str], seed: int, jieba: Any) -> list[Query]:
    rng = random.Random(seed)
    urls = sorted(texts)
    tokens = {url: {w for w in jieba.lcut(texts[url], HMM=False) if CJK.match(w)} for url in urls}
    df: dict[str, int] = {}
    for words in tokens.values():
        for word in words:
            df[word] = df.get(word, 0) + 1
    queries: list[Query] = []
    rare = sorted(w for w, n in df.items() if n <= 2 and 2 <= len(w) <= 4)
    rng.shuffle(rare)
    for word in rare:
        docs = containing(texts, word)
        if 1 <= len(docs) <= 2:
            queries.append(Query(word, "rare", docs))
        if len(queries) == 50:
            break
    pairs: list[Query] = []
    seen: set[str] = set()
    while len(pairs) < 20:
        url = rng.choice(urls)
        common = sorted(w for w in tokens[url] if 2 <= len(w) <= 4 and 3 <= df[w] <= 300)
        if len(common) < 2:
            continue
        first, second = rng.sample(common, 2)
        text = f"{first} {second}"
        if text in seen or first in second or second in first:
            continue
        seen.add(text)
        docs = containing(texts, text)
        if 1 <= len(docs) <= 3:
            pairs.append(Query(text, "pair", docs))
    queries += pairs
    dictionary = Dictionary(jieba)
    while True:
        word = dictionary.words[rng.randrange(len(dictionary.words))]
        if len(word) >= 2 and not containing(texts, word):
            queries.append(Query(word, "absent", []))
            break
    queries += [Query(text, "special", containing(texts, text)) for text in SPECIAL_QUERIES]
    return queries


# ------------------------------------------------------------------------------ the browser
@contextmanager
def serve(folder: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


WAIT_ANSWER = """(term) => {
  const text = document.getElementById("cw-search-status").textContent;
  return text.includes("“" + term + "”") && (text.startsWith("找到") || text.startsWith("没有找到"));
}"""
READ_RESULTS = """() => Array.from(document.querySelectorAll("#cw-search-results .item-title a"),
  (a) => new URL(a.href).pathname)"""
# Time from the last keystroke's input event to the status line saying the search finished.
TIMER = """() => {
  window.__typed = 0; window.__shown = 0;
  const box = document.getElementById("cw-search-q");
  box.addEventListener("input", () => { window.__typed = performance.now(); window.__shown = 0; });
  new MutationObserver(() => {
    const text = document.getElementById("cw-search-status").textContent;
    if (window.__typed && !window.__shown && (text.startsWith("找到") || text.startsWith("没有找到")))
      window.__shown = performance.now();
  }).observe(document.getElementById("cw-search-status"), { childList: true, characterData: true, subtree: true });
}"""


@dataclass
class Answer:
    query: Query
    results: list[str]

    @property
    def rank(self) -> int | None:
        """1-based rank of the first expected document among the results shown (first ten)."""
        for i, url in enumerate(self.results):
            if url in self.query.expected:
                return i + 1
        return None

    @property
    def ok(self) -> bool:
        expected = self.query.expected
        if self.query.kind == "rare":
            return self.rank is not None and self.rank <= 3
        if self.query.kind == "absent":
            return not self.results
        want = min(len(expected), 10)
        return bool(expected) and len(self.results) >= want and set(self.results[:want]) <= set(expected)


@dataclass
class Timing:
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    cold_bytes: list[int] = field(default_factory=list)
    warm_bytes: list[int] = field(default_factory=list)
    load_bytes: list[int] = field(default_factory=list)  # what focusing the box loads: the engine, each year's index
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind of file -> bytes of each search typed at once
    loads: list[float] = field(default_factory=list)  # the load average (1 minute) after each timed tab


def run_browser(url: str, queries: list[Query], timed: list[str], ime: bool = False) -> tuple[list[Answer], Timing]:
    from playwright.sync_api import sync_playwright

    answers: list[Answer] = []
    timing = Timing()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(locale="zh-CN")
        page.goto(url + "search/")
        box = page.locator("#cw-search-q")
        for query in queries:
            box.fill(query.text)
            page.wait_for_function(WAIT_ANSWER, arg=query.text, timeout=300_000)
            answers.append(Answer(query, page.evaluate(READ_RESULTS)))
        page.close()
        for n, word in enumerate(timed):
            following = timed[(n + 1) % len(timed)]
            # A reader who types at once (the engine and every year's index load with the search), and one who
            # types once the page has loaded them (the box loads them when it gets the focus).
            cold, received = _timed_tab(browser, url)
            kinds: dict[str, int] = {}
            cold.on("requestfinished", functools.partial(_record_kind, kinds))
            timing.cold_ms.append(_type(cold, received, word, timing.cold_bytes, ime))
            for kind in KINDS:
                timing.kinds.setdefault(kind, []).append(kinds.get(kind, 0))
            cold.context.close()
            warm, received = _timed_tab(browser, url)
            warm.locator("#cw-search-q").focus()
            _settle(warm, received)
            timing.load_bytes.append(sum(received))
            for term in (word, following):
                timing.warm_ms.append(_type(warm, received, term, timing.warm_bytes, ime))
            warm.context.close()
            timing.loads.append(os.getloadavg()[0])
        browser.close()
    return answers, timing


def _timed_tab(browser: Any, url: str) -> tuple[Any, list[int]]:
    """A fresh page of the search page with a 4x CPU slowdown, counting the bytes it receives."""
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    received: list[int] = []
    tab.on("requestfinished", functools.partial(_record, received))
    context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    tab.goto(url + "search/")
    tab.wait_for_load_state("networkidle")
    tab.evaluate(TIMER)
    received.clear()
    return tab, received


def _settle(tab: Any, received: list[int]) -> None:
    """Wait until nothing has been received for a second (the worker's requests do not count for networkidle)."""
    count = -1
    while count != len(received):
        count = len(received)
        tab.wait_for_timeout(1000)


def _type(tab: Any, received: list[int], term: str, spent: list[int], ime: bool = False) -> float:
    """Type ``term`` into the box; the milliseconds from the last keystroke to the results (bytes into ``spent``).

    Key by key, 30 ms apart, or with ``ime`` all at once, as an input method commits a word (one input event).
    """
    tab.locator("#cw-search-q").fill("")
    tab.wait_for_timeout(300)
    before = len(received)
    if ime:
        tab.locator("#cw-search-q").focus()
        tab.keyboard.insert_text(term)
    else:
        tab.locator("#cw-search-q").press_sequentially(term, delay=30)
    tab.wait_for_function(WAIT_ANSWER, arg=term, timeout=300_000)
    _settle(tab, received)
    spent.append(sum(received[before:]))
    return float(tab.evaluate("window.__shown - window.__typed"))


def _record(into: list[int], request: Any) -> None:
    into.append(_size(request))


KINDS = ("engine", "router", "entry+meta", "index", "fragments", "page")


def _kind(url: str) -> str:
    """What a request of the search page fetched, for the breakdown of a search's bytes."""
    path = url.split("?")[0]
    if "/pagefind/" not in path:
        return "page"  # the page, its script, worker and engine module, the stylesheet
    if path.endswith(("pagefind.js", ".wasm", ".pagefind")):
        return "engine"
    if "/routes/" in path:
        return "router"
    if path.endswith(".pf_index"):
        return "index"
    if path.endswith(".pf_fragment"):
        return "fragments"
    return "entry+meta"  # shards.json, each bundle's entry, metadata and filters


def _record_kind(into: dict[str, int], request: Any) -> None:
    kind = _kind(request.url)
    into[kind] = into.get(kind, 0) + _size(request)


def _size(request: Any) -> int:
    try:
        sizes = request.sizes()
        return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])
    except Exception:  # a request without a response (aborted): nothing received
        return 0


# ------------------------------------------------------------------------------ the report
def report(label: str, docs: int, seed: int, made: Build, answers: list[Answer], timing: Timing) -> str:
    rare = [a for a in answers if a.query.kind == "rare"]
    pairs = [a for a in answers if a.query.kind == "pair"]
    other = [a for a in answers if a.query.kind in ("absent", "special")]
    top3 = sum(a.ok for a in rare)
    first = sum(a.rank == 1 for a in rare)
    lines = [
        f"{label}: N = {docs}, seed {seed}: rare words first {first}/{len(rare)}, in the first three {top3}/{len(rare)}; "
        f"two-word queries with the documents containing both first {sum(a.ok for a in pairs)}/{len(pairs)}; "
        f"others {sum(a.ok for a in other)}/{len(other)}",
        f"  index {made.pages} pages, {made.index_bytes / 1e6:.2f} MB, {made.index_seconds:.1f} s "
        f"(build {made.seconds:.1f} s, {made.cpu_seconds:.1f} CPU s)",
        f"  first results after typing, 4x CPU slowdown: typing at once {_median(timing.cold_ms)} ms, "
        f"once the engine loaded {_median(timing.warm_ms)} ms (max {max(timing.warm_ms, default=0):.0f}); transferred: "
        f"typing at once {_median([b / 1000 for b in timing.cold_bytes])} KB, once loaded "
        f"{_median([b / 1000 for b in timing.warm_bytes])} KB (max {max(timing.warm_bytes, default=0) / 1000:.0f}), "
        f"the engine and indexes' entry files {_median([b / 1000 for b in timing.load_bytes])} KB",
        "  a search typed at once, by kind (median KB): "
        + ", ".join(f"{kind} {_median([b / 1000 for b in timing.kinds.get(kind, [])])}" for kind in KINDS),
        f"  load average (1 min): {made.load:.1f} after the build, "
        f"{min(timing.loads, default=0):.1f}-{max(timing.loads, default=0):.1f} while timing",
    ]
    for answer in answers:
        if not answer.ok:
            lines.append(
                f"  MISS {answer.query.kind} {answer.query.text!r}: rank {answer.rank}, "
                f"expected {answer.query.expected[:3]}, got {answer.results[:3]}"
            )
    return "\n".join(lines)


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.0f}" if values else "-"


def table_row(label: str, docs: int, made: Build, answers: list[Answer], timing: Timing) -> str:
    rare = [a for a in answers if a.query.kind == "rare"]
    pairs = [a for a in answers if a.query.kind == "pair"]
    other = [a for a in answers if a.query.kind in ("absent", "special")]
    cells = [
        label,
        f"{docs:,}",
        f"{sum(a.rank == 1 for a in rare)}/{len(rare)}",
        f"{sum(a.ok for a in rare)}/{len(rare)}",
        f"{sum(a.ok for a in pairs)}/{len(pairs)}",
        f"{sum(a.ok for a in other)}/{len(other)}",
        f"{made.index_seconds:.1f} s",
        f"{made.cpu_seconds:.0f} s",
        f"{made.index_bytes / 1e6:.2f} MB",
        f"{_median(timing.warm_ms)} ms ({_median(timing.cold_ms)} ms)",
        f"{_median([b / 1000 for b in timing.warm_bytes])} KB ({_median([b / 1000 for b in timing.cold_bytes])} KB, "
        f"engine {_median([b / 1000 for b in timing.load_bytes])} KB)",
        f"{made.load:.0f} / {statistics.median(timing.loads) if timing.loads else 0:.0f}",
        datetime.now(UTC).strftime("%Y-%m-%d"),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = """# Search recall on a generated journal

Written by `bench/search_recall.py` (one row per run; the label names the candidate measured).
Rare: 50 words of 2-4 Chinese characters in at most two documents; "first" and "top 3" count the words whose
document the search page shows first or in the first three. Pairs: 20 two-word queries; a pair counts when the
documents containing both words are the first results. Other: a word in no document (must find nothing),
`Profibus`, `5G`, `3 号线`, `AGV 小车` (what contains them first). Times: from the last keystroke to the first
results shown (typed key by key 30 ms apart: the page pauses 60 ms after the last), 4x CPU slowdown, median of searches once the search
box has loaded the engine (it does on focus), in brackets when typing at once (the engine and every year's index
load with the search). Transfer: bytes received for one such search; "engine": what the focus loads. Build CPU:
user + system seconds of the whole build, Pagefind included (steadier than wall time on a busy machine). Load: the
machine's 1-minute load average after the build / while timing (2 cores; other jobs share them).

| candidate | N | rare first | rare top 3 | pairs | other | index time | build CPU | index size | first results | transfer | load | date |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chaowen-root", type=Path, default=HERE.parent, help="the chaowen checkout to build with")
    parser.add_argument("--label", default="this checkout", help="the candidate's name in the table")
    parser.add_argument("--timed", type=int, default=12, help="rare words to time with the CPU slowdown")
    parser.add_argument("--no-save", action="store_true", help="print only; do not add a row to the table")
    parser.add_argument("--reuse", action="store_true", help="keep an already generated journal of the same size")
    parser.add_argument("--no-build", action="store_true", help="measure the output of this label's last build again")
    parser.add_argument("--timing-only", action="store_true", help="skip the recall queries")
    parser.add_argument(
        "--build-only", action="store_true", help="build and report the index's time and size only (a row of its own)"
    )
    parser.add_argument("--ime", action="store_true", help="time words committed at once, as an input method does")
    args = parser.parse_args(argv)
    jieba = load_jieba()
    jieba.setLogLevel(60)
    work = HERE / "work" / "search"
    site = work / f"site-{args.docs}-{args.seed}"
    tag = re.sub(r"[^\w.-]+", "-", args.label).strip("-") or "run"
    out = work / f"out-{args.docs}-{args.seed}-{tag}"
    if not (args.reuse and (site / "chaowen.yaml").exists()):
        log(f"generating {args.docs} documents")
        make_journal(args.docs, args.seed, site, jieba)
    made_file = work / f"build-{args.docs}-{args.seed}-{tag}.json"
    if args.no_build and made_file.exists():
        made = Build(**json.loads(made_file.read_text(encoding="utf-8")))
    else:
        log(f"building with {args.chaowen_root}")
        made = build(args.chaowen_root.resolve(), site, out)
        made_file.write_text(json.dumps(made.__dict__), encoding="utf-8")
    log(f"index: {made.pages} pages, {made.index_bytes / 1e6:.2f} MB in {made.index_seconds:.1f} s")
    log(f"build: {made.seconds:.1f} s, {made.cpu_seconds:.1f} CPU s, load average {made.load:.1f}")
    if args.build_only:
        if not args.no_save:
            save_row(build_row(args.label, args.docs, made))
        return 0
    texts = documents(out)
    chosen = work / f"queries-{args.docs}-{args.seed}.json"
    if args.reuse and chosen.exists():  # the same journal: the same queries, without segmenting it again
        saved = json.loads(chosen.read_text(encoding="utf-8"))
        queries = [Query(q["text"], q["kind"], q["expected"]) for q in saved]
    else:
        queries = choose_queries(texts, args.seed, jieba)
        chosen.write_text(json.dumps([q.__dict__ for q in queries], ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"{len(queries)} queries over {len(texts)} documents")
    timed = [q.text for q in queries if q.kind == "rare"][: args.timed]
    if args.timing_only:
        queries = []
    with serve(out) as url:
        answers, timing = run_browser(url, queries, timed, args.ime)
    print(report(args.label, args.docs, args.seed, made, answers, timing))
    (work / f"answers-{args.docs}-{args.seed}-{tag}.json").write_text(
        json.dumps([a.query.__dict__ | {"results": a.results} for a in answers], ensure_ascii=False, indent=1)
    )
    if not args.no_save:
        save_row(table_row(args.label, args.docs, made, answers, timing))
    return 0


def build_row(label: str, docs: int, made: Build) -> str:
    """A row of the table for a build alone (``--build-only``): the index's time, the build's CPU, the size."""
    cells = [label, f"{docs:,}", "–", "–", "–", "–", f"{made.index_seconds:.1f} s", f"{made.cpu_seconds:.0f} s"]
    cells += [
        f"{made.index_bytes / 1e6:.2f} MB",
        "–",
        "–",
        f"{made.load:.0f} / –",
        datetime.now(UTC).strftime("%Y-%m-%d"),
    ]
    return "| " + " | ".join(cells) + " |"


def save_row(row: str) -> None:
    """Add ``row`` at the end of the table in the results file (notes below the table stay below it)."""
    lines = (RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER).splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("|"))  # the table ends there; notes follow
    lines.insert(last + 1, row)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
