"""Markdown -> :class:`Markup`: HTML, table of contents, summary, reading stats, checked links.

One :class:`markdown.Markdown` instance per thread and language is built lazily and
reset between documents; everything a call depends on (URL map, source, base path)
is handed to the processors for that call only and cleared afterwards, so calls do
not influence each other and the result is a pure function of the arguments.

Python-Markdown is adapted to how Chinese editors write (Typora, GitHub habits):

* lists nested with two spaces are re-indented to Python-Markdown's four
  (:class:`_ListLayout`, a preprocessor running after fenced code is stashed);
* a soft line break between two CJK characters disappears instead of becoming a
  space (:func:`_join_cjk_breaks`);
* heading ids keep Han characters (``调研-心得``), duplicates get ``-1``, ``-2``.

Python-Markdown has inputs that take quadratic time or more (unclosed ``[`` or
``<tag``, thousands of headings in one block, very many blocks). Many blocks are
handled by parsing the block list in chunks (:class:`_ChunkedBlockParser`); the
rest is estimated up front by :func:`_check_limits`, deterministically (so the
result stays a pure function of the input and cacheable), and a document that would
take too long is refused with a problem instead of holding up the build.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import threading
import unicodedata
import xml.etree.ElementTree as etree
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import unquote

import markdown
import pygments
import pymdownx  # type: ignore[import-untyped]
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, HTML_PLACEHOLDER_RE, STX

from .content import MAX_DOCUMENT_BYTES
from .errors import Problem, Severity
from .messages import is_chinese, text
from .model import Heading, Markup
from .urls import with_base

# Bump whenever this module changes what it outputs for the same input: caches key on it.
MARKUP_VERSION: Final = "1"

# Nesting of lists and quotes: real writing stays far below, Python-Markdown's recursion far above.
MAX_DEPTH: Final = 60
MAX_BODY_BYTES: Final = MAX_DOCUMENT_BYTES  # the content stage's limit, checked again for direct callers
# Estimated seconds Python-Markdown would need (see _check_limits); a document above
# it is refused instead of holding up the build. A 2,000-character essay scores 0.005.
MAX_SECONDS: Final = 8.0

SUMMARY_LENGTH: Final = 120
CHARS_PER_MINUTE: Final = 400

# deflist is left out on purpose: a long run of "term / : definition" lines makes
# Python-Markdown recurse once per line and raise RecursionError.
_EXTENSIONS: Final = (
    "tables",
    "footnotes",
    "attr_list",
    "admonition",
    "sane_lists",
    "pymdownx.superfences",  # fences inside list items too, unlike fenced_code
    "pymdownx.highlight",
    "pymdownx.tasklist",
    "pymdownx.tilde",
)
_CONFIGS: Final[dict[str, dict[str, Any]]] = {
    "pymdownx.highlight": {
        "css_class": "highlight",  # the theme's Pygments stylesheet targets .highlight
        "use_pygments": True,
        "noclasses": False,  # classes, no inline styles
        "guess_lang": False,  # guessing is slow and often wrong for prose-like snippets
        "linenums": False,
    },
    "pymdownx.superfences": {"disable_indented_code_blocks": False},
    "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
    # Chinese uses "3~5 天" for ranges; single-tilde subscript would eat them.
    "pymdownx.tilde": {"subscript": False, "delete": True},
}
_BACKLINK_TITLE: Final = {True: "返回正文", False: "Back to the text"}


# --------------------------------------------------------------------------- API
def render_markdown(
    body: str,
    *,
    source: str,
    display_path: str,
    body_line: int,
    urls: Mapping[str, str],
    base_path: str,
    language: str = "zh-CN",
    summary: str = "",
) -> tuple[Markup, tuple[Problem, ...]]:
    """Render one document's Markdown body; never raises for any text.

    Links and images relative to ``source`` are checked against ``urls`` and
    rewritten to ``base_path`` + site path. Problems name ``display_path`` and the
    line of the file (``body_line`` is the line where ``body`` starts).
    """
    ctx = _Context(
        body=body,
        source=source,
        display_path=display_path,
        body_line=body_line,
        urls=urls,
        base_path=base_path,
        language=language,
    )
    refusal = _check_limits(ctx)
    if refusal is not None:
        return _empty_markup(summary), (refusal,)
    try:
        html_text = _convert(ctx)
    except RecursionError:
        # Safety net behind the depth check: the instance may be half-way through a
        # document, so it is thrown away and rebuilt on the next call.
        _ENGINES.__dict__.clear()
        return _empty_markup(summary), (ctx.refusal(None, "too_deep", limit=MAX_DEPTH),)
    markup = Markup(
        html=html_text,
        toc=tuple(ctx.toc),
        summary=summary.strip() or cut_summary(ctx.first_paragraph),
        chars=ctx.chars,
        minutes=max(1, round(ctx.chars / CHARS_PER_MINUTE)),
        links=tuple(dict.fromkeys(ctx.links)),
    )
    return markup, tuple(ctx.problems)


def fingerprint() -> str:
    """Changes whenever anything that affects :func:`render_markdown`'s output changes."""
    return _FINGERPRINT


def _compute_fingerprint() -> str:
    parts = {
        "markup": MARKUP_VERSION,
        "markdown": markdown.__version__,
        "pygments": pygments.__version__,
        "pymdownx": pymdownx.__version__,
        "extensions": _EXTENSIONS,
        "configs": _CONFIGS,
        "backlink": _BACKLINK_TITLE[True] + _BACKLINK_TITLE[False],
        "limits": [MAX_DEPTH, MAX_BODY_BYTES, MAX_SECONDS, SUMMARY_LENGTH, CHARS_PER_MINUTE],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


_FINGERPRINT: Final = _compute_fingerprint()


# --------------------------------------------------------------------------- per-call state
@dataclass
class _Context:
    """Inputs and results of one call; lives only for that call."""

    body: str
    source: str
    display_path: str
    body_line: int
    urls: Mapping[str, str]
    base_path: str
    language: str
    problems: list[Problem] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    toc: list[Heading] = field(default_factory=list)
    chars: int = 0
    first_paragraph: str = ""
    _newlines: list[int] | None = None
    _cursor: dict[str, int] = field(default_factory=dict)

    def line_of(self, target: str) -> int | None:
        """File line of ``target`` as written in the body: the first occurrence after
        the previous one found for the same target, so repeated links get their own lines."""
        start = self._cursor.get(target, -1) + 1
        pos = self.body.find(target, start)
        if pos < 0:
            pos = self.body.find(target)
        if pos < 0:
            return None
        self._cursor[target] = pos
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.body)]
        return self.body_line + bisect_left(self._newlines, pos)

    def refusal(self, line: int | None, key: str, **values: object) -> Problem:
        """The error for a document that is not rendered at all."""
        return Problem(self.display_path, line, text(key, self.language, **values), text(f"{key}_hint", self.language))

    def problem(self, key: str, target: str, severity: Severity, **values: object) -> None:
        self.problems.append(
            Problem(
                self.display_path,
                self.line_of(target),
                text(key, self.language, target=target),
                text(f"{key}_hint", self.language, **values),
                severity,
            )
        )


def _empty_markup(summary: str) -> Markup:
    return Markup(html="", toc=(), summary=summary.strip(), chars=0, minutes=1)


# --------------------------------------------------------------------------- the engine
@dataclass
class _Engine:
    md: markdown.Markdown
    finisher: _Finisher


_ENGINES = threading.local()  # one engine per thread (the dev server renders from threads)


def _engine(language: str) -> _Engine:
    chinese = is_chinese(language)
    engines: dict[bool, _Engine] = _ENGINES.__dict__.setdefault("engines", {})
    if chinese not in engines:
        engines[chinese] = _build_engine(chinese)
    return engines[chinese]


def _build_engine(chinese: bool) -> _Engine:
    finisher = _Finisher()
    configs = dict(_CONFIGS)
    configs["footnotes"] = {"BACKLINK_TITLE": _BACKLINK_TITLE[chinese]}
    md = markdown.Markdown(
        extensions=[*_EXTENSIONS, _ChaowenExtension(finisher)],
        extension_configs=configs,
        output_format="html",
        tab_length=4,
    )
    # Same parser, with parseChunk working through the block list in pieces (see class).
    md.parser.__class__ = _ChunkedBlockParser
    return _Engine(md, finisher)


def _convert(ctx: _Context) -> str:
    engine = _engine(ctx.language)
    engine.md.reset()
    engine.finisher.ctx = ctx
    try:
        return engine.md.convert(ctx.body)
    finally:
        engine.finisher.ctx = None
        engine.md.reset()  # drop the stash and footnotes of this document now


class _ChaowenExtension(Extension):
    def __init__(self, finisher: _Finisher) -> None:
        super().__init__()
        self.finisher = finisher

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After superfences (25) and the raw-HTML stash (20): fences and HTML blocks are
        # placeholders by then, so their contents are never re-indented.
        md.preprocessors.register(_ListLayoutPreprocessor(md), "chaowen_lists", 19)
        self.finisher.md = md
        # After unescape (0): text holds real characters, only stash placeholders remain.
        md.treeprocessors.register(self.finisher, "chaowen", -1)


class _ChunkedBlockParser(BlockParser):
    """Parses a long block list in pieces.

    Python-Markdown's processors take blocks with ``blocks.pop(0)`` and push back
    with ``insert(0, …)``, which is quadratic in the number of blocks (tens of
    seconds for a few MB of short paragraphs). Pieces only end before a block that
    starts at column 0, which no processor reaches into from the block before: they
    continue only into indented blocks or through the parent element's last child.
    """

    CHUNK: Final = 200

    def parseChunk(self, parent: etree.Element, text: str) -> None:  # noqa: N802 - overridden name
        blocks = text.split("\n\n")
        start = 0
        while start < len(blocks):
            end = min(start + self.CHUNK, len(blocks))
            while end < len(blocks) and blocks[end][:1] in ("", " ", "\t"):
                end += 1
            self.parseBlocks(parent, blocks[start:end])
            start = end


# --------------------------------------------------------------------------- lists nested by two spaces
_QUOTE_PREFIX = re.compile(r"(?: {0,3}> ?)+")
_ITEM = re.compile(r"( *)([-+*]|\d{1,9}\.)( +)(?=\S)")
_HR = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")


@dataclass(frozen=True, slots=True)
class _Item:
    indent: int  # column of the marker in the source
    content: int  # column where the item's text starts in the source
    depth: int  # 0 for a top-level item

    @property
    def child_column(self) -> int:
        """A line this far in is inside the item: two spaces (Typora) or the marker width."""
        return min(self.content, self.indent + 2)


class _ListLayout:
    """Re-indents list lines so nesting is four columns per level, as Python-Markdown needs.

    An item is nested in the one above when it is indented at least two columns (or
    up to its text) past that item's marker, so ``- a / ··- b`` (Typora, GitHub) and
    ``- a / ····- b`` both nest. Lines inside an item keep their indentation relative
    to the item: by four columns past the marker when they have that much (so code
    indented for Python-Markdown stays code), else relative to the item's text.
    Lines outside any list are returned unchanged. Quote prefixes (``> ``) are kept
    and each quote level has its own list state.
    """

    def __init__(self) -> None:
        self.stack: list[_Item] = []
        self.quote = 0
        self.blank_before = True

    def feed(self, line: str) -> tuple[str, int]:
        """The re-indented line and its nesting depth (lists and quotes)."""
        prefix_match = _QUOTE_PREFIX.match(line)
        prefix = prefix_match.group(0) if prefix_match else ""
        rest = line[len(prefix) :]
        quote = prefix.count(">")
        if quote != self.quote:
            self.stack, self.quote = [], quote
        if not rest.strip():
            self.blank_before = True
            return line, quote + len(self.stack)
        if "\t" in rest:
            rest = rest.expandtabs(4)
        item = _ITEM.match(rest)
        if item and not self.stack and len(item.group(1)) >= 4:
            item = None  # indented four or more outside a list: that is a code block
        if item and not _HR.match(rest):
            new_rest, depth = self._item(rest, item)
        else:
            new_rest, depth = self._continuation(rest)
        self.blank_before = False
        return prefix + new_rest, quote + depth

    def _item(self, rest: str, match: re.Match[str]) -> tuple[str, int]:
        indent = len(match.group(1))
        while self.stack and indent < self.stack[-1].child_column:
            self.stack.pop()
        spaces = len(match.group(3))
        content = indent + len(match.group(2)) + (spaces if spaces <= 4 else 1)
        depth = len(self.stack)
        self.stack.append(_Item(indent, content, depth))
        nested = _count_markers(rest[match.end() :])
        return " " * (4 * depth) + rest[indent:], depth + 1 + nested

    def _continuation(self, rest: str) -> tuple[str, int]:
        indent = len(rest) - len(rest.lstrip(" "))
        owner = self._owner(indent)
        if owner is None:
            if self.blank_before and indent < 4:
                self.stack = []  # a paragraph at the margin after a blank line ends the list
            return rest, len(self.stack)
        if self.blank_before:
            del self.stack[owner.depth + 1 :]  # deeper items are over
        if indent >= owner.indent + 4:
            extra = indent - owner.indent - 4
        else:
            extra = max(0, indent - owner.content)
        return " " * (4 * (owner.depth + 1) + extra) + rest[indent:], owner.depth + 1

    def _owner(self, indent: int) -> _Item | None:
        if indent == 0:
            return None  # lazy continuation or a new block: leave it to Python-Markdown
        for item in reversed(self.stack):
            if indent >= item.child_column:
                return item
        return None


def _count_markers(text_after_marker: str) -> int:
    """Further list or quote markers on the same line (``- - - x``): each nests once more."""
    count = 0
    pos = 0
    while count <= MAX_DEPTH:
        match = _ITEM.match(text_after_marker, pos) or _QUOTE_PREFIX.match(text_after_marker, pos)
        if match is None or match.end() == pos:
            return count
        count += max(1, match.group(0).count(">"))
        pos = match.end()
    return count


class _ListLayoutPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any(line[:1] in (" ", ">") for line in lines):
            return lines  # nothing is indented: nothing to re-indent
        layout = _ListLayout()
        return [layout.feed(line)[0] for line in lines]


# --------------------------------------------------------------------------- limits
# Estimated seconds of work, measured on the build machine (2 cores, CPython 3.11):
_PER_BLOCK: Final = 5e-5  # every block runs through every block processor and inline pattern
_PER_LINE: Final = 1.2e-5
_PER_CHAR: Final = 1.5e-6
_PER_FENCE: Final = 8e-4  # Pygments per code block
_PER_MARK_PAIR: Final = 3e-9  # inline patterns rebuild a text node for every match: marks squared
_PER_BRACKET_STEP: Final = 2e-7  # the link parser walks from each [ to its ] character by character
_PER_SPLIT_LINE: Final = 1.5e-7  # a heading or rule inside a block re-splits the rest of it
_PER_TAG_STEP: Final = 1e-7  # the raw-HTML parser reads from an unclosed <tag to the next >

_FENCE_LINE = re.compile(r"^ *(`{3,}|~{3,})(.*)$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
_SPLITTING_LINE = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|[=-]+ *$|(?:[-*_] *){3,}$|!!!|\?\?\?)", re.MULTILINE)
_MARKS: Final = "*_`~[]<&\\!"
# A line can only be nested deeper than MAX_DEPTH after a line with 16+ columns of
# indentation (items nest two columns at a time) or with many markers (> > >, - - -).
_MAYBE_DEEP = re.compile(
    rf"^[ \t>]*?[ \t]{{16}}|^(?:[ \t]*(?:>|[-+*]|\d{{1,9}}\.)[ \t]*){{{MAX_DEPTH // 2}}}", re.MULTILINE
)


def _check_limits(ctx: _Context) -> Problem | None:
    """A problem when the body is too large, too deeply nested or too slow to render."""
    body = ctx.body
    if len(body) * 4 > MAX_BODY_BYTES and len(body.encode("utf-8")) > MAX_BODY_BYTES:
        size = len(body.encode("utf-8")) / 1048576
        return ctx.refusal(None, "too_large", size=f"{size:.1f}", limit=MAX_BODY_BYTES // 1048576)
    prose, fences = _blank_fences(body)
    deep = _deep_line(prose)
    if deep is not None:
        return ctx.refusal(ctx.body_line + deep, "too_deep", limit=MAX_DEPTH)
    starts = [0, *(m.end() for m in _BLANK_LINE.finditer(prose))]
    linear = _PER_BLOCK * len(starts) + _PER_LINE * prose.count("\n") + _PER_CHAR * len(prose) + _PER_FENCE * fences
    if linear > MAX_SECONDS:
        return ctx.refusal(None, "too_long")
    extra, line = _superlinear(prose, starts)
    if linear + extra > MAX_SECONDS:
        return ctx.refusal(ctx.body_line + line, "too_complex")
    return None


def _blank_fences(body: str) -> tuple[str, int]:
    """The body with fenced code emptied (newlines kept, so lines keep their numbers),
    and the number of fenced blocks. Code is never parsed as Markdown, so it costs nothing."""
    if "```" not in body and "~~~" not in body:
        return body, 0
    pieces: list[str] = []
    position = 0
    count = 0
    opening: re.Match[str] | None = None
    for match in _FENCE_LINE.finditer(body):
        if opening is None:
            opening = match
            continue
        fence = opening.group(1)
        if match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not match.group(2).strip():
            pieces.append(body[position : opening.end()])
            pieces.append("\n" * body.count("\n", opening.end(), match.start()))
            position = match.start()
            count += 1
            opening = None
    pieces.append(body[position:])
    return "".join(pieces), count


def _deep_line(prose: str) -> int | None:
    """The 0-based first line of the list or quote that nests deeper than MAX_DEPTH.

    That is where the editor has to start undoing it. The exact nesting needs the
    list layout of every line; it is worked out only when some line is indented or
    marked enough to possibly be that deep."""
    if not _MAYBE_DEEP.search(prose):
        return None
    layout = _ListLayout()
    start = 0
    for number, line in enumerate(prose.split("\n")):
        depth = layout.feed(line)[1]
        if depth == 0:
            start = number + 1  # the nested run, if any, begins after this line
        elif depth > MAX_DEPTH:
            return start
    return None


def _superlinear(prose: str, starts: list[int]) -> tuple[float, int]:
    """Estimated seconds of the super-linear work, and the 0-based line of the worst block.

    Upper bounds (whole-document count times the longest block) skip the per-block
    work for ordinary documents, where every term is tiny."""
    longest = max(b - a for a, b in zip(starts, [*starts[1:], len(prose)], strict=True))
    marks = sum(prose.count(c) for c in _MARKS)
    bound = _PER_MARK_PAIR * marks * longest + _PER_BRACKET_STEP * prose.count("[") * longest
    bound += _PER_SPLIT_LINE * len(_SPLITTING_LINE.findall(prose)) * longest
    total, worst, worst_at = 0.0, 0.0, 0
    if bound > MAX_SECONDS / 10:
        for start, end in zip(starts, [*starts[1:], len(prose)], strict=True):
            cost = _block_cost(prose[start:end])
            total += cost
            if cost > worst:
                worst, worst_at = cost, start
    tags, tag_at = _tag_cost(prose)
    if tags > worst:
        worst_at = tag_at
    return total + tags, prose.count("\n", 0, worst_at)


def _block_cost(block: str) -> float:
    marks = sum(block.count(c) for c in _MARKS)
    cost = _PER_MARK_PAIR * marks * marks
    if cost > MAX_SECONDS:
        return cost  # refused anyway: spare the bracket walk of a huge block
    if "[" in block:
        cost += _PER_BRACKET_STEP * _bracket_scan(block)
    if "\n" in block.strip():
        splitting = len(_SPLITTING_LINE.findall(block))
        if splitting > 1:
            cost += _PER_SPLIT_LINE * splitting * block.count("\n")
    return cost


def _bracket_scan(block: str) -> int:
    """Characters the link parser walks: from each ``[`` to its ``]``, or to the block's end."""
    total = 0
    opened: list[int] = []
    for match in re.finditer(r"[\[\]]", block):
        if match.group() == "[":
            opened.append(match.start())
        elif opened:
            total += match.start() - opened.pop()
    return total + sum(len(block) - start for start in opened)


def _tag_cost(prose: str) -> tuple[float, int]:
    """Cost of ``<tag`` openings far from the next ``>``, and where the worst one is."""
    if "<" not in prose:
        return 0.0, 0
    closers = [m.start() for m in re.finditer(">", prose)]
    total, worst, worst_at = 0.0, 0, 0
    for match in re.finditer(r"<[A-Za-z]", prose):
        after = bisect_left(closers, match.start())
        distance = (closers[after] if after < len(closers) else len(prose)) - match.start()
        total += distance
        if distance > worst:
            worst, worst_at = distance, match.start()
    return _PER_TAG_STEP * total, worst_at


# --------------------------------------------------------------------------- the tree
# Text is never joined across these: block boundaries, and inline elements without text.
_BLOCK_TAGS: Final = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "details", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "tr", "ul", "br", "img", "input"),
    }
)
_CODE_TAGS: Final = frozenset({"pre", "code", "script", "style", "kbd", "samp"})
_HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TOC_LEVELS: Final = range(2, 5)


class _Finisher(Treeprocessor):
    """Runs last on the tree: CJK line breaks, heading ids, links, stats, summary.

    ``ctx`` is set for one conversion and cleared after it (see :func:`_convert`).
    """

    def __init__(self) -> None:
        self.ctx: _Context | None = None

    def run(self, root: etree.Element) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        _join_cjk_breaks(root)
        texts = _PlainText(self.md)
        _set_heading_ids(root, texts, ctx)
        _rewrite_links(root, ctx)
        _make_accessible(root, texts)
        ctx.chars = _count_chars(texts.of(root, skip_code=True))
        ctx.first_paragraph = _first_paragraph(root, texts)


def _walk(root: etree.Element) -> Iterator[tuple[etree.Element, bool]]:
    """Document order without recursion (emphasis can nest thousands deep):
    (element, False) on entering it, (element, True) after its children."""
    stack: list[tuple[etree.Element, int]] = [(root, 0)]
    yield root, False
    while stack:
        element, index = stack[-1]
        if index < len(element):
            stack[-1] = (element, index + 1)
            child = element[index]
            yield child, False
            stack.append((child, 0))
        else:
            stack.pop()
            yield element, True


# --------------------------------------------------------------------------- CJK line breaks
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Punctuation set full-width in Chinese text: joins when the other side is CJK.
_WIDE_PUNCT = frozenset("“”‘’—…·")
_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_BARRIER = "\x00"  # stands for block boundaries and code, which are never joined across
_Slot = tuple[etree.Element, bool]  # an element and whether the slot is its tail (else its text)


def _is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.match(char))


def _joins(before: str, after: str) -> bool:
    if _is_cjk(before):
        return _is_cjk(after) or after in _WIDE_PUNCT
    return before in _WIDE_PUNCT and _is_cjk(after)


def _join_cjk_breaks(root: etree.Element) -> None:
    """Removes soft line breaks between CJK characters, across inline elements too.

    Chinese has no spaces between words, so the newline of a wrapped line would show
    as a stray space. All text of the document is laid out as one string of slots,
    with block elements and code as barriers; each break whose neighbours are CJK is
    deleted from the slot that holds it.
    """
    parts: list[str] = []
    slots: list[_Slot | None] = []  # parallel to parts; None for a barrier
    skip_depth = 0
    for element, leaving in _walk(root):
        tag = element.tag if isinstance(element.tag, str) else ""
        barrier = tag in _BLOCK_TAGS or tag in _CODE_TAGS
        if not leaving:
            if barrier:
                parts.append(_BARRIER)
                slots.append(None)
            if tag in _CODE_TAGS:
                skip_depth += 1
            elif skip_depth == 0 and element.text:
                parts.append(element.text)
                slots.append((element, False))
            continue
        if tag in _CODE_TAGS:
            skip_depth -= 1
        if barrier:
            parts.append(_BARRIER)
            slots.append(None)
        if skip_depth == 0 and element.tail and element is not root:
            parts.append(element.tail)
            slots.append((element, True))
    _delete_breaks(parts, slots)


def _delete_breaks(parts: list[str], slots: list[_Slot | None]) -> None:
    joined = "".join(parts)
    if "\n" not in joined:
        return
    cuts = [
        (m.start(), m.end())
        for m in _BREAK.finditer(joined)
        if m.start() > 0 and m.end() < len(joined) and _joins(joined[m.start() - 1], joined[m.end()])
    ]
    if not cuts:
        return
    # Parts and cuts are both in document order: one pointer walks the cuts (a cut
    # may span two slots, "\n" ending one and spaces starting the next).
    first = 0
    offset = 0
    for part, slot in zip(parts, slots, strict=True):
        start, end = offset, offset + len(part)
        offset = end
        if slot is None:
            continue
        while first < len(cuts) and cuts[first][1] <= start:
            first += 1
        inside: list[tuple[int, int]] = []
        index = first
        while index < len(cuts) and cuts[index][0] < end:
            a, b = cuts[index]
            inside.append((max(a, start) - start, min(b, end) - start))
            index += 1
        if inside:
            _cut_slot(slot, part, inside)


def _cut_slot(slot: _Slot, part: str, cuts: list[tuple[int, int]]) -> None:
    pieces: list[str] = []
    previous = 0
    for a, b in cuts:
        pieces.append(part[previous:a])
        previous = b
    pieces.append(part[previous:])
    element, is_tail = slot
    if is_tail:
        element.tail = "".join(pieces)
    else:
        element.text = "".join(pieces)


# --------------------------------------------------------------------------- plain text
class _PlainText:
    """Plain text of elements: tags gone, entities decoded, raw HTML from the stash
    stripped to its text, footnote markers and (optionally) code blocks left out."""

    _TAG = re.compile(r"<[^>]*>")

    def __init__(self, md: markdown.Markdown) -> None:
        self.stash = md.htmlStash.rawHtmlBlocks

    def of(self, element: etree.Element, *, skip_code: bool = False) -> str:
        return self._resolve(self._collect(element, skip_code), skip_code)

    def inline_text(self, element: etree.Element) -> str:
        """The element's own line of text: up to its first block child (a nested list)."""
        pieces = [element.text or ""]
        for child in element:
            if child.tag in _BLOCK_TAGS and child.tag not in ("br", "img", "input"):
                break
            pieces.append(self._collect(child, False))
            pieces.append(child.tail or "")
        return self._resolve("".join(pieces), skip_code=False)

    def _collect(self, element: etree.Element, skip_code: bool) -> str:
        """Text and tails under ``element`` (not its own tail), placeholders unresolved."""
        pieces: list[str] = []
        skipping: etree.Element | None = None
        for node, leaving in _walk(element):
            if skipping is None and not leaving and _is_skipped(node, skip_code):
                skipping = node
            if skipping is None and not leaving and node.text:
                pieces.append(node.text)
            if leaving and node is skipping:
                skipping = None
            if leaving and skipping is None and node.tail and node is not element:
                pieces.append(node.tail)
        return "".join(pieces)

    def _resolve(self, raw: str, skip_code: bool) -> str:
        if STX in raw:
            raw = HTML_PLACEHOLDER_RE.sub(lambda m: self._stashed(int(m.group(1)), skip_code), raw)
            raw = raw.replace(AMP_SUBSTITUTE, "&")
        return html.unescape(raw)

    def _stashed(self, index: int, skip_code: bool) -> str:
        if index >= len(self.stash):
            return ""
        entry = self.stash[index]
        if not isinstance(entry, str):
            return "".join(entry.itertext())
        if skip_code and entry.lstrip().startswith(('<div class="highlight"', "<pre")):
            return " "
        # Raw HTML keeps its text; entities stay encoded here and are decoded once, after.
        return self._TAG.sub(" " if _BLOCKISH.match(entry) else "", entry)


_BLOCKISH = re.compile(r"\s*<(?:div|p|table|ul|ol|pre|blockquote|h\d|section)\b", re.IGNORECASE)


def _is_skipped(node: etree.Element, skip_code: bool) -> bool:
    if node.tag == "sup" and node.get("id", "").startswith("fnref"):
        return True  # a footnote marker's number is not part of the sentence
    return skip_code and node.tag == "pre"


def _squash(value: str) -> str:
    return " ".join(value.split())


# --------------------------------------------------------------------------- headings
_NOT_SLUG = re.compile(r"[^\w\s-]")
_SLUG_GAPS = re.compile(r"[\s_-]+")


def _heading_slug(title: str) -> str:
    """``调研 心得`` -> ``调研-心得``; Han characters stay, punctuation goes."""
    value = unicodedata.normalize("NFKC", title).lower()
    value = _SLUG_GAPS.sub("-", _NOT_SLUG.sub("", value)).strip("-")
    return value or "section"


def _set_heading_ids(root: etree.Element, texts: _PlainText, ctx: _Context) -> None:
    """Ids for headings without one (explicit ``{#id}`` wins); the toc of h2-h4."""
    used = {el.get("id", "") for el in root.iter() if el.get("id")}
    counters: dict[str, int] = {}
    for element in root.iter():
        if element.tag not in _HEADINGS:
            continue
        title = _squash(texts.of(element))
        ident = element.get("id")
        if not ident:
            ident = _unique(_heading_slug(title), used, counters)
            element.set("id", ident)
        level = int(str(element.tag)[1])
        if level in _TOC_LEVELS:
            ctx.toc.append(Heading(level, ident, title))


def _unique(base: str, used: set[str], counters: dict[str, int]) -> str:
    """``base``, else ``base-1``, ``base-2`` …; ``counters`` remembers where each base got to,
    so a heading repeated a thousand times does not retry every number before it."""
    candidate, counter = base, counters.get(base, 1)
    while candidate in used:
        candidate = f"{base}-{counter}"
        counter += 1
    counters[base] = counter
    used.add(candidate)
    return candidate


# --------------------------------------------------------------------------- links and images
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_WINDOWS = re.compile(r"(?:[A-Za-z]:(?:[\\/]|$)|\\|file:)", re.IGNORECASE)


def _rewrite_links(root: etree.Element, ctx: _Context) -> None:
    for element in root.iter():
        if element.tag == "a" and element.get("href"):
            _rewrite(element, "href", ctx, image=False)
        elif element.tag == "img":
            element.set("loading", "lazy")
            element.set("decoding", "async")
            if element.get("src"):
                _rewrite(element, "src", ctx, image=True)


def _rewrite(element: etree.Element, attribute: str, ctx: _Context, *, image: bool) -> None:
    raw = element.get(attribute, "")
    if STX in raw or AMP_SUBSTITUTE in raw:
        return  # obfuscated mailto: autolink, or stashed HTML: not a path
    if _WINDOWS.match(raw):
        name = re.split(r"[\\/]", unquote(raw))[-1]
        ctx.problem("absolute_path", raw, Severity.ERROR, name=name)
        return
    if raw.startswith(("#", "/")) or _SCHEME.match(raw):
        return  # fragment, root-absolute, protocol-relative or external
    target, suffix = _split_target(raw)
    if not target:
        return
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.source), unquote(target)))
    inside = not (resolved.startswith("../") or resolved in ("..", "."))
    if inside:
        ctx.links.append(resolved)  # found or not: a missing target may appear later
    site_path = ctx.urls.get(resolved) if inside else None
    if site_path is None:
        if image:
            ctx.problem("missing_image", raw, Severity.ERROR)
        else:
            ctx.problem("broken_link", raw, Severity.WARNING)
        return
    element.set(attribute, with_base(ctx.base_path, site_path) + suffix)


def _split_target(raw: str) -> tuple[str, str]:
    """``a.md?x=1#part`` -> (``a.md``, ``?x=1#part``), spaces in the suffix encoded."""
    cut = len(raw)
    for mark in ("?", "#"):
        index = raw.find(mark)
        if 0 <= index < cut:
            cut = index
    return raw[:cut], raw[cut:].replace(" ", "%20")


# --------------------------------------------------------------------------- accessibility
_CODE_BLOCK_START = '<div class="highlight"><pre'
_CHECKBOX_START = '<input type="checkbox"'


def _make_accessible(root: etree.Element, texts: _PlainText) -> None:
    """Wide tables and code blocks scroll, so they must take keyboard focus; a task's
    checkbox is named by the task's text. Code and checkboxes are raw HTML in the stash."""
    for table in root.iter("table"):
        table.set("tabindex", "0")
    stash = texts.stash
    for index, entry in enumerate(stash):
        if isinstance(entry, str) and entry.startswith(_CODE_BLOCK_START):
            stash[index] = entry.replace("<pre", '<pre tabindex="0"', 1)
    for item in root.iter("li"):
        if item.get("class") == "task-list-item":
            _label_checkbox(item, texts)


def _label_checkbox(item: etree.Element, texts: _PlainText) -> None:
    holder = item[0] if len(item) and item[0].tag == "p" and not (item.text or "").strip() else item
    placeholder = HTML_PLACEHOLDER_RE.match(holder.text or "")
    if placeholder is None:
        return
    index = int(placeholder.group(1))
    entry = texts.stash[index] if index < len(texts.stash) else None
    if not isinstance(entry, str) or not entry.startswith(_CHECKBOX_START):
        return
    label = _squash(texts.inline_text(holder)) or "☐"
    named = f'{_CHECKBOX_START} aria-label="{html.escape(label, quote=True)}"'
    texts.stash[index] = entry.replace(_CHECKBOX_START, named, 1)


# --------------------------------------------------------------------------- summary and stats
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
_SENTENCE_END = "。！？!?"
_CLOSERS = "”’」』）)"


def _count_chars(plain: str) -> int:
    """Han characters, each one, plus Latin words (runs of letters and digits).

    Counted over the document's text without code blocks (inline code counts)."""
    return len(_HAN.findall(plain)) + len(_LATIN_WORD.findall(plain))


def _first_paragraph(root: etree.Element, texts: _PlainText) -> str:
    """Text of the first top-level paragraph that has some, else of any paragraph in a
    list or quote; headings, code (stashed), tables and footnotes are never summaries."""
    body = [child for child in root if not (child.tag == "div" and child.get("class") == "footnote")]
    top = [child for child in body if child.tag == "p"]
    nested = (p for child in body if child.tag != "p" for p in child.iter("p"))
    for paragraph in [*top, *nested]:
        plain = _squash(texts.of(paragraph, skip_code=True))
        if plain:
            return plain
    return ""


def cut_summary(plain: str) -> str:
    """At most ~120 characters, cut after the last sentence end if there is one, else with "…"."""
    if len(plain) <= SUMMARY_LENGTH:
        return plain
    head = plain[:SUMMARY_LENGTH]
    end = max(head.rfind(mark) for mark in _SENTENCE_END)
    if end >= 0:
        while end + 1 < len(plain) and plain[end + 1] in _CLOSERS:
            end += 1  # keep the closing quote of a quoted sentence
        return plain[: end + 1]
    return head.rstrip() + "…"
