"""CommonMark and GitHub behaviours that editors expect from Typora, as small Python-Markdown processors.

Editors write in Typora, which follows CommonMark and GitHub Flavored Markdown. Python-Markdown
differs from them in a few places an editor meets every week (issue 19); :class:`GfmExtension`
fixes those that no ready extension covers, each with the smallest change to the processor
that goes wrong:

* a list may start right after a paragraph line, without a blank line (``要点如下：`` /
  ``- 数据要真实``), and the next item may follow an item's indented paragraph directly;
  fenced code may follow a paragraph line; a quote ends at its empty line
  (:class:`BlockBreakPreprocessor` puts in the blank lines Python-Markdown needs);
* an ATX heading needs a space after its ``#`` (``#读书笔记#`` is a paragraph) and its closing
  ``#`` sequence must follow a space (``## 学习 C#`` keeps its ``#``) (:class:`AtxHeadingProcessor`);
* a setext underline does not turn a list item or quote into a heading (``- 事项`` / ``---`` is a
  list and a rule) (:class:`SetextHeadingProcessor`);
* block quotes separated by a blank line stay two quotes (:class:`BlockQuoteProcessor`);
* a list is loose or tight as a whole (:class:`ListTreeprocessor`);
* ``\\|`` in a table cell is a pipe, in code spans too (:class:`TableProcessor`);
* every ASCII punctuation character can be escaped, and a backslash at the end of a line is a
  hard line break (:func:`_escapes`);
* tabs inside fenced code stay tabs (:class:`NormalizeWhitespace`);
* Markdown between ``<details>`` tags is Markdown (:class:`DetailsPreprocessor`).

Pure: no I/O.
"""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as etree
from typing import Final

import markdown
from markdown import blockprocessors, treeprocessors, util
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor as _PyMarkdownTableProcessor
from markdown.inlinepatterns import AUTOLINK_RE, AutolinkInlineProcessor, SubstituteTagInlineProcessor
from markdown.preprocessors import Preprocessor

# --------------------------------------------------------------------------- whitespace, tabs in fences
_FENCE: Final = re.compile(r"^(?P<prefix>(?:[ \t]*>)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)(?P<fence>`{3,}|~{3,})")
_BLANK_LINE_SPACES: Final = re.compile(r"(?<=\n)[ \t]+\n")


class NormalizeWhitespace(Preprocessor):
    """Python-Markdown's whitespace normalisation, except that tabs inside fenced code stay tabs
    (a Makefile line copied from a page must still work). Tabs elsewhere become spaces, as before:
    Python-Markdown's block processors count indentation in spaces."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        if "\t" in source:
            source = "\n".join(_expand_tabs_outside_fences(source.split("\n"), self.md.tab_length))
        source = _BLANK_LINE_SPACES.sub("\n", source)
        return source.split("\n")


def _expand_tabs_outside_fences(lines: list[str], tab_length: int) -> list[str]:
    """Tabs expanded on every line but the content lines of fenced code blocks.

    A fence opens on a line of three or more backticks or tildes (after quote or list
    markers) and closes on a line of the same character, at least as long."""
    out: list[str] = []
    fence = ""
    for line in lines:
        if fence:
            stripped = line.lstrip(" \t>")
            if stripped.startswith(fence) and not stripped.lstrip(fence[0]).strip():
                fence = ""
                line = line.expandtabs(tab_length)
            out.append(line)
            continue
        match = _FENCE.match(line)
        if match:
            marks = match.group("fence")
            if marks[0] == "~" or "`" not in line[match.end() :]:
                fence = marks
        out.append(line.expandtabs(tab_length) if "\t" in line else line)
    return out


# --------------------------------------------------------------------------- Markdown between <details> tags
_DETAILS_WORD: Final = re.compile("details", re.IGNORECASE)
# At the margin only, as Python-Markdown's own HTML blocks: an indented tag may belong to a list item.
_DETAILS_TAG: Final = re.compile(r"</?(?:details|summary)(?:[\s>]|/>|$)", re.IGNORECASE)


class DetailsPreprocessor(Preprocessor):
    """``<details>`` and ``</details>`` as CommonMark reads them: an HTML block runs from the
    tag's line to the next blank line, and what follows the blank line is Markdown again
    (Typora writes the summary, a blank line, the Markdown, a blank line and the end tag).
    Python-Markdown would keep everything up to ``</details>`` as raw HTML; here each such
    HTML block is stashed on its own, so only the Markdown between them is parsed.
    Runs after fenced code is stashed and before Python-Markdown's HTML blocks (priority 20)."""

    def run(self, lines: list[str]) -> list[str]:
        if _DETAILS_WORD.search("\n".join(lines)) is None:
            return lines
        out: list[str] = []
        block: list[str] = []
        for line in lines:
            if block and line.strip():
                block.append(line)
                continue
            if block:
                out += ["", self.md.htmlStash.store("\n".join(block)), ""]
                block = []
            if _DETAILS_TAG.match(line):
                block.append(line)
            else:
                out.append(line)
        if block:
            out += ["", self.md.htmlStash.store("\n".join(block)), ""]
        return out


# --------------------------------------------------------------------------- blocks Python-Markdown runs together
_QUOTE: Final = re.compile(r"(?: {0,3}> ?)*")
# "1)" starts a list in CommonMark but not in Python-Markdown: such a line is left in its paragraph.
_LIST_ITEM: Final = re.compile(r"(?P<indent> *)(?:[-+*]|(?P<number>\d{1,9})\.)[ ]+\S")
_RULE: Final = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")


class BlockBreakPreprocessor(Preprocessor):
    """A blank line where CommonMark ends a block that Python-Markdown would run on.

    Python-Markdown recognises most blocks only at the start of a block of lines, so a blank
    line is put in before:

    * a list item right after a paragraph line (``要点如下：`` / ``- 数据``; an ordered list
      only from ``1``, as in CommonMark), or after an item's indented paragraph, where the
      next, less indented item ends it (``2. 第二阶段`` / blank / ``····补充。`` / ``3. 第三阶段``).
      Items inside a list's own block (``- a`` / ``- b``, or after a lazy line) are left alone:
      Python-Markdown reads those already;
    * and after fenced code at the margin, whose placeholder would otherwise sit inside the
      paragraph around it (``如下：`` / fence);
    * a line after a quote's empty line (``> 引文`` / ``>`` / ``正文``), which is no lazy
      continuation of the quote.

    Runs after the list layout: lines are re-indented, fenced code and raw HTML are stash
    placeholders. Quote levels are kept apart.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        start: str | None = None  # the first line of the current block, quote prefix removed
        level = 0  # the quote level of the line before
        after_code = False  # the line before is fenced code at the margin
        after_empty_quote = False  # the line before is an empty quote line (">")
        for line in lines:
            quoted = _QUOTE.match(line) if line[:1] in (" ", ">") else None
            prefix = quoted.group(0) if quoted else ""
            rest = line[len(prefix) :]
            new_level = prefix.count(">")
            if not rest.strip():
                start, level, after_code, after_empty_quote = None, new_level, False, new_level > 0
                out.append(line)
                continue
            code = rest[:1] == util.STX and util.HTML_PLACEHOLDER_RE.fullmatch(rest.rstrip()) is not None
            if new_level != level:
                if after_empty_quote and not new_level and not _LIST_ITEM.match(rest):
                    out.append("")  # "> 引文" / ">" / "正文": the quote ended at its empty line
                start, level = rest, new_level
            elif start is None:
                start = rest
            elif after_code or code or _breaks_block(start, rest):
                out.append(prefix.rstrip())
                start = rest
            after_code, after_empty_quote = code, False
            out.append(line)
        return out


def _breaks_block(block_start: str, line: str) -> bool:
    """Whether ``line``, inside a block that began with ``block_start``, starts a list item
    that Python-Markdown would otherwise take for text of the block."""
    item = _LIST_ITEM.match(line)
    if item is None or _RULE.match(line) or len(item.group("indent")) >= 4:
        return False
    start_indent = len(block_start) - len(block_start.lstrip(" "))
    if _LIST_ITEM.match(block_start) and start_indent < 4:
        return False  # the block is a list: its items are Python-Markdown's business
    if start_indent >= 4:
        return True  # an item's indented paragraph ends at a less indented next item
    number = item.group("number")
    return number is None or int(number) == 1  # only "1." interrupts a paragraph


# --------------------------------------------------------------------------- headings
class AtxHeadingProcessor(blockprocessors.HashHeaderProcessor):
    """``#`` headings as CommonMark has them: a space (or the line's end) after the opening
    ``#``\\ s, up to three spaces before them, and a closing sequence only after a space."""

    RE = re.compile(r"(?:^|\n) {0,3}(?P<level>#{1,6})(?=[ \t\n]|$)(?P<header>[^\n]*?)(?:[ \t]+#+)?[ \t]*(?:\n|$)")

    def test(self, parent: etree.Element, block: str) -> bool:
        return "#" in block and self.RE.search(block) is not None


class SetextHeadingProcessor(blockprocessors.SetextHeaderProcessor):
    """Setext headings as CommonMark has them: the underline may be indented up to three
    spaces and may follow a paragraph of several lines (``第一行`` / ``第二行`` / ``===``), but
    makes a heading only of paragraph text: ``- 事项`` / ``---`` is a list item and a rule,
    ``> 引文`` / ``---`` a quote and a rule, ``***`` / ``---`` two rules."""

    RE = re.compile(r"^(?P<text>(?:[^\n]*\n)+?) {0,3}(?P<line>=+|-+)[ \t]*(?:\n|$)")
    _UNDERLINE: Final = re.compile(r"\n {0,3}(?:=+|-+)[ \t]*(?:\n|$)")
    _NOT_TEXT: Final = re.compile(
        r" {0,3}(?:>|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)|([-*_])(?:[ \t]*\1){2,}[ \t]*$|\[[^\]]+\]:)"
    )

    def test(self, parent: etree.Element, block: str) -> bool:
        if self._UNDERLINE.search(block) is None:
            return False  # the common case, decided by one scan
        match = self.RE.match(block)
        return match is not None and not any(map(self._NOT_TEXT.match, match.group("text").splitlines()))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = self.RE.match(block)
        assert match is not None  # test() said so
        heading = etree.SubElement(parent, "h1" if match.group("line")[0] == "=" else "h2")
        heading.text = match.group("text").strip()
        rest = block[match.end() :]
        if rest:
            blocks.insert(0, rest)


# --------------------------------------------------------------------------- lists
class ListTreeprocessor(treeprocessors.Treeprocessor):
    """Lists as CommonMark shapes them: a list is loose or tight as a whole, so when one item's
    text is a paragraph (a blank line in or between items), every item's is; and ``003.``
    starts at 3. Python-Markdown decides item by item (``1. 甲`` / ``2. 乙`` / blank / ``3. 丙``
    wraps only 乙 and 丙) and keeps the start number as written."""

    def run(self, root: etree.Element) -> None:
        for element in [*root.iter("ul"), *root.iter("ol")]:
            start = element.get("start")
            if start is not None and start.isdigit():
                element.set("start", str(int(start)))
            items = [item for item in element if item.tag == "li"]
            if any(_is_loose(item) for item in items):
                for item in items:
                    if item.text and item.text.strip():
                        paragraph = etree.Element("p")
                        paragraph.text, item.text = item.text.strip("\n"), None
                        item.insert(0, paragraph)


def _is_loose(item: etree.Element) -> bool:
    return not (item.text and item.text.strip()) and len(item) > 0 and item[0].tag == "p"


# --------------------------------------------------------------------------- block quotes
class BlockQuoteProcessor(blockprocessors.BlockQuoteProcessor):
    """A quote after a blank line is a new quote (Python-Markdown adds it to the quote before)."""

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = self.RE.search(block)
        if match:
            self.parser.parseBlocks(parent, [block[: match.start()]])
            block = "\n".join(self.clean(line) for line in block[match.start() :].split("\n"))
        quote = etree.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


# --------------------------------------------------------------------------- tables
_PIPE: Final = f"{util.STX}pipe{util.ETX}"  # STX and ETX never survive in the source (see NormalizeWhitespace)


class TableProcessor(_PyMarkdownTableProcessor):
    """``\\|`` in a cell is a pipe, in code spans too (GFM; Typora writes ``\\|`` for a pipe in code).
    The escaped pipes are set aside while the row is split into cells, and put back as pipes."""

    def test(self, parent: etree.Element, block: str) -> bool:
        # A table's header row has a pipe; without one Python-Markdown's test splits the block's
        # rows for nothing (it is asked for every block of every document).
        return "|" in block and super().test(parent, block)

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        escaped = "\\|" in blocks[0]
        if escaped:
            blocks[0] = blocks[0].replace("\\|", _PIPE)
        super().run(parent, blocks)
        if escaped:
            for cell in parent[-1].iter():
                if cell.text and _PIPE in cell.text:
                    cell.text = cell.text.replace(_PIPE, "|")


# --------------------------------------------------------------------------- escapes and hard breaks
_ASCII_PUNCTUATION: Final = tuple(string.punctuation)


_ESCAPED_AMPERSAND: Final = f"{util.STX}{ord('&')}{util.ETX}"


class UnescapeTreeprocessor(treeprocessors.UnescapeTreeprocessor):
    """Escaped characters back, except that ``\\&`` stays ``&amp;`` in the HTML: the serializer
    would keep ``&copy;`` after an unescaped ``&`` as an entity (CommonMark shows ``&copy;``)."""

    def unescape(self, text: str) -> str:
        if util.STX not in text:
            return text  # most texts: nothing escaped, no regular expression run
        if _ESCAPED_AMPERSAND in text:
            text = text.replace(_ESCAPED_AMPERSAND, util.AMP_SUBSTITUTE + "amp;")
        return self.RE.sub(_unescaped, text)


def _unescaped(match: re.Match[str]) -> str:
    return chr(int(match.group(1)))


def _escapes(md: markdown.Markdown) -> None:
    """CommonMark: any ASCII punctuation can be escaped (``\\$``, ``\\<``, ``\\&``), and a
    backslash at the end of a line is a hard line break."""
    md.ESCAPED_CHARS.extend(char for char in _ASCII_PUNCTUATION if char not in md.ESCAPED_CHARS)
    md.treeprocessors.register(UnescapeTreeprocessor(md), "unescape", 0)
    # Python-Markdown's two-space hard break (taking all the spaces, as CommonMark does), with the backslash
    # one in the same pattern: one pass less over every text. The escape pattern (180) leaves "\" + newline
    # alone and code spans (190) come first; after raw inline HTML (90), whose attributes may span lines.
    md.inlinePatterns.deregister("linebreak")
    md.inlinePatterns.register(SubstituteTagInlineProcessor(r"(?: {2,}|\\)\n", "br"), "linebreak", 89)


# --------------------------------------------------------------------------- bare links
_MAGICLINK_CONFIG: Final = {"hide_protocol": False, "repo_url_shortener": False, "social_url_shortener": False}
_BARE_LINK_HINT: Final = re.compile(r"://|www\.|@", re.IGNORECASE)
# Where a bare link ends in Chinese text: CJK punctuation, full-width forms, kana and Han.
_WRITTEN_OUT: Final = re.compile(r"<([A-Za-z][-A-Za-z0-9+.]{1,31}:[^\s<>]*)>|\]\( *<?([^\s<>()]+)")
_LINK_STOP: Final = re.compile("[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def may_have_bare_links(text: str) -> bool:
    """Whether ``text`` has anything a bare-link pattern could link (a URL scheme, ``www.``, ``@``)."""
    return _BARE_LINK_HINT.search(text) is not None


class BareLinkEndTreeprocessor(treeprocessors.Treeprocessor):
    """A bare link ends before Chinese: ``https://example.com，欢迎访问`` links the address only.

    GFM (and magiclink) end a bare URL at whitespace, which Chinese text rarely has: the
    full-width comma and the words after it would be part of the address. A link whose
    text is its own address is cut at the first CJK character and the rest becomes text
    again, unless the address is written out, in angle brackets (``<https://例子.cn/路径>``) or
    as a link's target (``[…](https://例子.cn/路径)``), which say where it ends. ``bracketed``
    holds those addresses (set by :class:`_SourcePreprocessor`)."""

    bracketed: frozenset[str] = frozenset()

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for link in parent:
                text = link.text
                if link.tag != "a" or not text or link.get("href", "") not in (text, "http://" + text):
                    continue
                stop = _LINK_STOP.search(text)
                if stop is None or stop.start() == 0 or text in self.bracketed:
                    continue
                cut = stop.start()
                href = link.get("href", "")
                link.text = util.AtomicString(text[:cut])
                link.set("href", href[: len(href) - len(text) + cut])
                link.tail = text[cut:] + (link.tail or "")
        self.bracketed = frozenset()  # nothing of a document outlives its conversion


class _SourcePreprocessor(Preprocessor):
    """Hands the addresses written out in the text to a :class:`BareLinkEndTreeprocessor`
    (one scan of the text, so a document of many links costs no more per link); changes nothing."""

    def __init__(self, md: markdown.Markdown, target: BareLinkEndTreeprocessor) -> None:
        super().__init__(md)
        self.target = target

    def run(self, lines: list[str]) -> list[str]:
        self.target.bracketed = frozenset(url for pair in _WRITTEN_OUT.findall("\n".join(lines)) for url in pair)
        return lines


class GfmLinksExtension(Extension):
    """Bare URLs, ``www.`` addresses and e-mail addresses become links (GFM's autolinks, with
    ``pymdownx.magiclink``), ending before Chinese text. Costs two inline patterns per text:
    used only for documents where :func:`may_have_bare_links`. Register after ``GfmExtension``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.registerExtensions(["pymdownx.magiclink"], {"pymdownx.magiclink": dict(_MAGICLINK_CONFIG)})
        # magiclink's <...> autolink takes http(s) and ftp only; Python-Markdown's takes any scheme (CommonMark).
        md.inlinePatterns.register(AutolinkInlineProcessor(AUTOLINK_RE, md), "autolink", 120)
        # After inline patterns (20): links exist; before unescape (0).
        link_end = BareLinkEndTreeprocessor(md)
        md.treeprocessors.register(link_end, "gfm_bare_link_end", 19)
        md.preprocessors.register(_SourcePreprocessor(md, link_end), "gfm_link_source", 29)


# --------------------------------------------------------------------------- the extension
class GfmExtension(Extension):
    """The processors above, each in the place of the one it replaces. Register after ``tables``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(NormalizeWhitespace(md), "normalize_whitespace", 30)
        md.preprocessors.register(DetailsPreprocessor(md), "gfm_details", 21)
        md.preprocessors.register(BlockBreakPreprocessor(md), "gfm_block_breaks", 18)
        parser = md.parser
        parser.blockprocessors.register(AtxHeadingProcessor(parser), "hashheader", 70)
        parser.blockprocessors.register(SetextHeadingProcessor(parser), "setextheader", 60)
        parser.blockprocessors.register(BlockQuoteProcessor(parser), "quote", 20)
        # Before the inline patterns (20): items hold their raw text still.
        md.treeprocessors.register(ListTreeprocessor(md), "gfm_lists", 21)
        if "table" in parser.blockprocessors:  # the tables extension's defaults, as chaowen uses it
            parser.blockprocessors.register(TableProcessor(parser, {"use_align_attribute": False}), "table", 75)
        _escapes(md)
