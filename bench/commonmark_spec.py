"""How close is chaowen's Markdown stage to CommonMark? The spec's examples, matched per section.

    python bench/commonmark_spec.py                    # rates per section, this checkout
    python bench/commonmark_spec.py --show Lists       # also each miss of a section: input, expected, got
    python bench/commonmark_spec.py --json             # machine-readable rates
    python bench/commonmark_spec.py --chaowen-root /path/to/other/checkout   # e.g. main, for "before"

Runs each example of ``fixtures/commonmark_spec_0.31.2.json`` (CommonMark 0.31.2, CC-BY-SA 4.0, see
``fixtures/README.md``) through :func:`chaowen.markup.render_markdown` and compares the HTML with the
spec's after normalising both sides the same way:

* whitespace next to block tags and before ``<br>`` dropped, runs of whitespace outside ``<pre>``
  collapsed to one space;
* attributes sorted; those chaowen adds for the theme and for readers dropped (``id``, ``class``,
  ``tabindex``, ``loading``, ``decoding``), ``href``/``src`` percent-decoded;
* the Pygments wrapper of code blocks (``<div class="highlight">``, ``<span>``\\ s in ``<pre>``) removed;
* text and attribute values unescaped and re-escaped alike (``&quot;`` and ``"`` compare equal).

The sections an editor meets (issue 19) are reported one by one and together, also counting as matches
the examples where chaowen differs on purpose (:data:`INTENDED`: GFM's bare links, emphasis beside
punctuation); the rest only together.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "commonmark_spec_0.31.2.json"

EDITOR_SECTIONS = (
    "Paragraphs",
    "Thematic breaks",
    "ATX headings",
    "Setext headings",
    "Fenced code blocks",
    "Block quotes",
    "List items",
    "Lists",
    "Backslash escapes",
    "Code spans",
    "Emphasis and strong emphasis",
    "Links",
    "Images",
    "Autolinks",
    "Hard line breaks",
)
# Examples where chaowen differs from CommonMark on purpose (issue 19), counted apart in the summary.
INTENDED = {
    608: "GFM: a bare URL is a link",
    611: "GFM: a bare URL is a link",
    612: "GFM: a bare e-mail address is a link",
    352: "emphasis beside punctuation (**注意：**请勿转载)",
    354: "emphasis beside punctuation (**注意：**请勿转载)",
    368: "emphasis beside punctuation (**注意：**请勿转载)",
    380: "emphasis beside punctuation (**注意：**请勿转载)",
    392: "emphasis beside punctuation (**注意：**请勿转载)",
}
DROPPED_ATTRIBUTES = frozenset({"id", "class", "tabindex", "loading", "decoding"})
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


class Normaliser(HTMLParser):
    """HTML -> a canonical string: see the module docstring for what is made equal."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0
        self.skipped: list[str] = []  # end tags to swallow (the Pygments wrapper)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("class", "highlight") in attrs:
            self.skipped.append("div")
            return
        if tag == "span" and self.pre:
            self.skipped.append("span")
            return
        if tag == "pre":
            self.pre += 1
        kept = []
        for name, value in sorted(attrs):
            if name in DROPPED_ATTRIBUTES:
                continue
            value = value or ""
            if name in ("href", "src"):
                value = unquote(value)
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self._block_edge(tag)
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag in BLOCK_TAGS:
            self.out.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if self.skipped and self.skipped[-1] == tag:
            self.skipped.pop()
            return
        if tag == "pre":
            self.pre -= 1
        self._block_edge(tag)
        self.out.append(f"</{tag}>")
        if tag in BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        text = html.escape(data, quote=True)
        if not self.pre:
            text = _collapse(text)
        self.out.append(text)

    def _block_edge(self, tag: str) -> None:
        """Spaces before a block tag's start or end, or before a line break, mean nothing: drop them."""
        if (tag in BLOCK_TAGS or tag == "br") and not self.pre and self.out:
            self.out[-1] = self.out[-1].rstrip(" ")

    def result(self) -> str:
        self.close()
        lines = (line.strip() if "<pre" not in line else line for line in "".join(self.out).split("\n"))
        return "\n".join(line for line in lines if line)


def _collapse(text: str) -> str:
    """Runs of whitespace -> one space (a newline too: in HTML both are a space)."""
    collapsed = " ".join(text.split())
    if not collapsed:
        return " " if text else ""
    if text[:1].isspace():
        collapsed = " " + collapsed
    if text[-1:].isspace():
        collapsed += " "
    return collapsed


def normalise(markup: str) -> str:
    parser = Normaliser()
    parser.feed(markup)
    return parser.result()


def render(markdown_text: str) -> str:
    from chaowen.markup import render_markdown

    markup, _problems = render_markdown(
        markdown_text,
        source="essays/spec.md",
        display_path="content/essays/spec.md",
        body_line=1,
        urls={},
        base_path="/",
        language="zh-CN",
    )
    return markup.html


def run(examples: list[dict[str, object]]) -> tuple[Counter[str], Counter[str], list[tuple[dict[str, object], str]]]:
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    misses: list[tuple[dict[str, object], str]] = []
    for example in examples:
        section = str(example["section"])
        got = render(str(example["markdown"]))
        total[section] += 1
        if normalise(got) == normalise(str(example["html"])):
            passed[section] += 1
        else:
            misses.append((example, got))
    return total, passed, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="append", default=[], metavar="SECTION", help="print the misses of SECTION")
    parser.add_argument("--json", action="store_true", help="print the rates as JSON")
    parser.add_argument("--chaowen-root", type=Path, default=HERE.parent, help="the checkout whose chaowen to run")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.chaowen_root.resolve()))
    examples = json.loads(FIXTURE.read_text(encoding="utf-8"))
    total, passed, misses = run(examples)
    editor_total = sum(total[s] for s in EDITOR_SECTIONS)
    editor_passed = sum(passed[s] for s in EDITOR_SECTIONS)
    rows = [(s, passed[s], total[s]) for s in EDITOR_SECTIONS]
    rows.append(("editor sections", editor_passed, editor_total))
    intended = sum(
        1 for example, _ in misses if example["example"] in INTENDED and example["section"] in EDITOR_SECTIONS
    )
    rows.append(("  + intended differences", editor_passed + intended, editor_total))
    rows.append(("other sections", sum(passed.values()) - editor_passed, sum(total.values()) - editor_total))
    rows.append(("all examples", sum(passed.values()), sum(total.values())))
    if args.json:
        print(json.dumps({name: {"passed": p, "total": t} for name, p, t in rows}, ensure_ascii=False, indent=1))
    else:
        for name, p, t in rows:
            print(f"{name:32} {p:4d}/{t:<4d} {100 * p / t:5.1f}%")
    for example, got in misses:
        if example["section"] in args.show:
            print(f"\n--- example {example['example']} ({example['section']})")
            print(f"markdown: {example['markdown']!r}")
            print(f"expected: {normalise(str(example['html']))!r}")
            print(f"got:      {normalise(got)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
