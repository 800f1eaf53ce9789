"""Markdown -> :class:`Markup`: HTML, table of contents, summary, reading stats, checked links.

One :class:`markdown.Markdown` instance per thread and language is built lazily and
reset between documents; everything a call depends on (URL map, source, base path)
is handed to the processors for that call only and cleared afterwards, so calls do
not influence each other and the result is a pure function of the arguments.

Python-Markdown is adapted to how Chinese editors write (Typora, GitHub habits):

* lists nested with two spaces are re-indented to Python-Markdown's four
  (:mod:`chaowen.lists`, a preprocessor running after fenced code is stashed);
* a soft line break between two CJK characters disappears instead of becoming a
  space, and characters are counted the Chinese way (:mod:`chaowen.cjk`);
* heading ids keep Han characters (``调研-心得``), duplicates get ``-1``, ``-2``.

Python-Markdown has inputs that take quadratic time or more (unclosed ``[`` or
``<tag``, thousands of headings in one block, very many blocks). Many blocks are
handled by parsing the block list in chunks (:class:`_ChunkedBlockParser`); the
rest is estimated up front by :func:`chaowen.limits.check_limits`, and a document
that would take too long is refused with a problem instead of holding up the build.
"""

from __future__ import annotations

import html
import posixpath
import re
import threading
import unicodedata
import xml.etree.ElementTree as etree
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload
from urllib.parse import unquote

import markdown
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, HTML_PLACEHOLDER_RE, STX, Registry
from pygments.style import Style, StyleMeta

from .cjk import count_chars, cut_summary, join_cjk_breaks, reading_minutes
from .errors import Problem, Severity
from .gfm import GfmExtension, GfmLinksExtension, may_have_bare_links
from .inline import inline_processor
from .limits import MAX_DEPTH, check_limits
from .lists import ListLayoutPreprocessor
from .messages import Text, is_chinese, say
from .model import EMPTY, Heading, Markup, Picture
from .pictures import make_pictures
from .tree import BLOCK_TAGS, walk
from .urls import with_base

if TYPE_CHECKING:
    from pygments.style import _StyleDict
    from pygments.token import _TokenType

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


class _NoStylesMeta(StyleMeta):
    def __iter__(cls) -> Iterator[tuple[_TokenType, _StyleDict]]:  # no token has a style
        return iter(())


class _ThemeStyle(Style, metaclass=_NoStylesMeta):
    """The Pygments style of code blocks in Python: none. The theme's stylesheet colours the
    token classes; a formatter writing classes (``noclasses`` off) uses its style only to build
    a stylesheet it never writes, and pymdownx makes a formatter per code block: building it
    from a full style took 0.3 ms a block, most of the highlighting. The HTML is the same."""


_CONFIGS: Final[dict[str, dict[str, Any]]] = {
    "pymdownx.highlight": {
        "css_class": "highlight",  # the theme's Pygments stylesheet targets .highlight
        "use_pygments": True,
        "noclasses": False,  # classes, no inline styles
        "pygments_style": _ThemeStyle,  # so no stylesheet is built in Python (see class)
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
    images: Mapping[str, Picture] = EMPTY,
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
        images=images,
    )
    refused = check_limits(body)
    if refused is not None:
        line = None if refused.line is None else body_line + refused.line
        return _empty_markup(summary), (Problem(display_path, line, refused.message, refused.hint),)
    try:
        html_text = _convert(ctx)
    except RecursionError:
        # Safety net behind the depth check: the instance may be half-way through a
        # document, so it is thrown away and rebuilt on the next call.
        _ENGINES.__dict__.clear()
        refusal = Problem(display_path, None, say("too_deep", limit=MAX_DEPTH), say("too_deep_hint"))
        return _empty_markup(summary), (refusal,)
    markup = Markup(
        html=html_text,
        toc=tuple(ctx.toc),
        summary=summary.strip() or cut_summary(ctx.first_paragraph),
        chars=ctx.chars,
        minutes=reading_minutes(ctx.chars),
        links=tuple(dict.fromkeys(ctx.links)),
    )
    return markup, tuple(ctx.problems)


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
    images: Mapping[str, Picture] = field(default_factory=dict)  # raster image source -> its published variants
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

    def problem(self, message: Text, hint: Text, target: str, severity: Severity) -> None:
        """A problem with the link or image ``target``, on the line where it is written."""
        self.problems.append(Problem(self.display_path, self.line_of(target), message, hint, severity))


def _empty_markup(summary: str) -> Markup:
    return Markup(html="", toc=(), summary=summary.strip(), chars=0, minutes=1)


# --------------------------------------------------------------------------- the engine
@dataclass
class _Engine:
    md: markdown.Markdown
    finisher: _Finisher


_ENGINES = threading.local()  # one engine per thread (the dev server renders from threads)


def _engine(language: str, bare_links: bool) -> _Engine:
    """The thread's engine for the language; with the bare-link patterns only when asked
    (they cost two inline patterns on every text, and most documents have no address)."""
    key = (is_chinese(language), bare_links)
    engines: dict[tuple[bool, bool], _Engine] = _ENGINES.__dict__.setdefault("engines", {})
    if key not in engines:
        engines[key] = _build_engine(*key)
    return engines[key]


def _build_engine(chinese: bool, bare_links: bool) -> _Engine:
    finisher = _Finisher()
    configs = dict(_CONFIGS)
    configs["footnotes"] = {"BACKLINK_TITLE": _BACKLINK_TITLE[chinese]}
    gfm: list[Extension] = [GfmExtension(), GfmLinksExtension()] if bare_links else [GfmExtension()]
    md = markdown.Markdown(
        extensions=[*_EXTENSIONS, *gfm, _ChaowenExtension(finisher)],
        extension_configs=configs,
        output_format="html",
        tab_length=4,
    )
    # Same parser, with parseChunk working through the block list in pieces (see class).
    md.parser.__class__ = _ChunkedBlockParser
    md.__class__ = _Markdown  # the block-level test remembered per tag (see class)
    assert isinstance(md, _Markdown)
    md.block_level = {}
    # Same inline processor, trying a pattern only on texts that hold what it needs (inline.py).
    md.treeprocessors.register(inline_processor(md), "inline", 20)
    # attr_list skips trees without a brace (see class).
    if type(md.treeprocessors["attr_list"]) is AttrListTreeprocessor:
        md.treeprocessors["attr_list"].__class__ = _AttrLists
    if type(md.parser.blockprocessors["admonition"]) is AdmonitionProcessor:
        md.parser.blockprocessors["admonition"].__class__ = _Admonitions  # answers most blocks at once
    _freeze(md.inlinePatterns)
    _freeze(md.parser.blockprocessors)  # iterated for every block
    return _Engine(md, finisher)


def _convert(ctx: _Context) -> str:
    engine = _engine(ctx.language, may_have_bare_links(ctx.body))
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
        md.preprocessors.register(ListLayoutPreprocessor(md, MAX_DEPTH), "chaowen_lists", 19)
        self.finisher.md = md
        # After unescape (0): text holds real characters, only stash placeholders remain.
        md.treeprocessors.register(self.finisher, "chaowen", -1)


class _Markdown(markdown.Markdown):
    """Python-Markdown with :meth:`is_block_level` remembered per tag.

    The engine asks it a few hundred times per document (prettify, attr_list, the raw-HTML
    parser), each time lower-casing the tag and searching the list of block-level tags.
    Extensions add to that list when they are registered, before the engine renders; the
    answers are remembered from the first document on."""

    block_level: dict[str, bool]  # tag -> answer; set empty when the class is given

    def is_block_level(self, tag: Any) -> bool:
        if not isinstance(tag, str):
            return False
        answer = self.block_level.get(tag)
        if answer is None:
            answer = self.block_level[tag] = super().is_block_level(tag)
        return answer


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


class _AttrLists(AttrListTreeprocessor):
    """attr_list, skipping trees without a ``{``: every attribute list is in braces, and it looks
    only at texts and tails. A pass over every element of every document otherwise (about 2%
    of the Markdown stage), for a syntax most documents never use."""

    def run(self, doc: etree.Element) -> None:
        if "{" in "".join(doc.itertext()):  # every text and tail of the tree
            super().run(doc)


class _Admonitions(AdmonitionProcessor):
    """The admonition block processor, whose test answers at once for a block that can be
    neither an admonition (``!!!``) nor the indented content of one. The block parser asks it
    about every block, and its own test looks for the previous admonition each time."""

    def test(self, parent: etree.Element, block: str) -> bool:
        if self.current_sibling is None and "!!!" not in block and not block.startswith(" " * self.tab_length):
            return False  # what parse_content finds for an unindented block: no sibling
        return super().test(parent, block)


_P = TypeVar("_P")


class _FrozenRegistry(Registry[_P]):
    """A registry whose items are looked up by position, and iterated, from a list.

    Python-Markdown's inline processor fetches every pattern by index for every piece of
    text (``inlinePatterns[i]``), and each fetch re-checks the sort order and goes through
    two dictionaries: about a tenth of the Markdown stage; the block parser lists its
    processors anew for every block. The items are listed once, when the engine is built,
    and again after any (re)registration."""

    _items: list[_P]

    @overload
    def __getitem__(self, key: slice) -> Registry[_P]: ...
    @overload
    def __getitem__(self, key: str | int) -> _P: ...
    def __getitem__(self, key: str | int | slice) -> _P | Registry[_P]:
        if type(key) is int:
            return self._items[key]
        return super().__getitem__(key)

    def __iter__(self) -> Iterator[_P]:
        return iter(self._items)

    def register(self, item: _P, name: str, priority: float) -> None:
        super().register(item, name, priority)
        self.refresh()

    def deregister(self, name: str, strict: bool = True) -> None:
        super().deregister(name, strict)
        self.refresh()

    def refresh(self) -> None:
        self._items = list(super().__iter__())


def _freeze(registry: Registry[Any]) -> None:
    registry.__class__ = _FrozenRegistry
    assert isinstance(registry, _FrozenRegistry)
    registry.refresh()


# --------------------------------------------------------------------------- the tree
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
        join_cjk_breaks(root)
        texts = _PlainText(self.md)
        _set_heading_ids(root, texts, ctx)
        _rewrite_links(root, ctx)
        make_pictures(root, self.md.htmlStash.rawHtmlBlocks, ctx)  # <picture>, srcset, figures (pictures.py)
        _make_accessible(root, texts)
        ctx.chars = count_chars(texts.of(root, skip_code=True))
        ctx.first_paragraph = _first_paragraph(root, texts)


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
            if child.tag in BLOCK_TAGS and child.tag not in ("br", "img", "input"):
                break
            pieces.append(self._collect(child, False))
            pieces.append(child.tail or "")
        return self._resolve("".join(pieces), skip_code=False)

    def _collect(self, element: etree.Element, skip_code: bool) -> str:
        """Text and tails under ``element`` (not its own tail), placeholders unresolved."""
        pieces: list[str] = []
        skipping: etree.Element | None = None
        for node, leaving in walk(element):
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
        ctx.problem(say("absolute_path", target=raw), say("absolute_path_hint", name=name), raw, Severity.ERROR)
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
            ctx.problem(say("missing_image", target=raw), say("missing_image_hint"), raw, Severity.ERROR)
        else:
            ctx.problem(say("broken_link", target=raw), say("broken_link_hint"), raw, Severity.WARNING)
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


# --------------------------------------------------------------------------- summary
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
