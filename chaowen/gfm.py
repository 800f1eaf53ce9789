"""CommonMark and GitHub behaviours that editors expect from Typora, as small Python-Markdown processors.

Editors write in Typora, which follows CommonMark and GitHub Flavored Markdown. Python-Markdown
differs from them in a few places an editor meets every week (issue 19); :class:`GfmExtension`
fixes those that no ready extension covers, each with the smallest change to the processor
that goes wrong:

* a list may start right after a paragraph line, without a blank line (``要点如下：`` /
  ``- 数据要真实``), and the next item may follow an item's indented paragraph directly
  (:class:`ListBreakPreprocessor` puts in the blank line Python-Markdown needs);
* an ATX heading needs a space after its ``#`` (``#读书笔记#`` is a paragraph) and its closing
  ``#`` sequence must follow a space (``## 学习 C#`` keeps its ``#``) (:class:`AtxHeadingProcessor`);
* a setext underline does not turn a list item or quote into a heading (``- 事项`` / ``---`` is a
  list and a rule) (:class:`SetextHeadingProcessor`);
* block quotes separated by a blank line stay two quotes (:class:`BlockQuoteProcessor`);
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
from markdown.inlinepatterns import SubstituteTagInlineProcessor
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
_DETAILS_TAG: Final = re.compile(r" {0,3}</?(?:details|summary)(?:[\s>]|/>|$)", re.IGNORECASE)


class DetailsPreprocessor(Preprocessor):
    """``<details>`` and ``</details>`` as CommonMark reads them: an HTML block runs from the
    tag's line to the next blank line, and what follows the blank line is Markdown again
    (Typora writes the summary, a blank line, the Markdown, a blank line and the end tag).
    Python-Markdown would keep everything up to ``</details>`` as raw HTML; here each such
    HTML block is stashed on its own, so only the Markdown between them is parsed.
    Runs after fenced code is stashed and before Python-Markdown's HTML blocks (priority 20)."""

    def run(self, lines: list[str]) -> list[str]:
        if not any(map(_DETAILS_WORD.search, lines)):
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


# --------------------------------------------------------------------------- lists after a paragraph
_QUOTE: Final = re.compile(r"(?: {0,3}> ?)*")
_LIST_ITEM: Final = re.compile(r"(?P<indent> *)(?:[-+*]|(?P<number>\d{1,9})[.)])[ ]+\S")
_RULE: Final = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")


class ListBreakPreprocessor(Preprocessor):
    """A blank line before a list item that Python-Markdown would read as paragraph text.

    CommonMark starts a list right after a paragraph line (``要点如下：`` / ``- 数据``; an
    ordered list only from ``1``), and ends an item's indented paragraph at a less indented
    next item (``2. 第二阶段`` / blank / ``····补充。`` / ``3. 第三阶段``). Python-Markdown
    recognises a list only at the start of a block, so the line before such an item gets a
    blank line after it. Items inside a list's own block (``- a`` / ``- b``, or after a lazy
    line) are left alone: Python-Markdown reads those already. Runs after the list layout
    (lines are re-indented, fenced code and raw HTML stashed); quote levels are kept apart.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block_start: str | None = None  # the first line of the current block, quote prefix removed
        block_prefix = ""
        for line in lines:
            quoted = _QUOTE.match(line)
            prefix = quoted.group(0) if quoted else ""
            rest = line[len(prefix) :]
            if not rest.strip() or prefix.count(">") != block_prefix.count(">"):
                block_start = rest if rest.strip() else None
                block_prefix = prefix
                out.append(line)
                continue
            if block_start is None:
                block_start = rest
            elif _breaks_block(block_start, rest):
                out.append(prefix.rstrip() if prefix else "")
                block_start = rest
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


class SetextHeadingProcessor(blockprocessors.SetextHeaderProcessor):
    """A setext underline makes a heading only of paragraph text: ``- 事项`` / ``---`` is a list
    item and a rule, ``> 引文`` / ``---`` a quote and a rule."""

    _NOT_TEXT: Final = re.compile(r" {0,3}(?:>|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$))")

    def test(self, parent: etree.Element, block: str) -> bool:
        return super().test(parent, block) and not self._NOT_TEXT.match(block)


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
        if _ESCAPED_AMPERSAND in text:
            text = text.replace(_ESCAPED_AMPERSAND, util.AMP_SUBSTITUTE + "amp;")
        return super().unescape(text)


def _escapes(md: markdown.Markdown) -> None:
    """CommonMark: any ASCII punctuation can be escaped (``\\$``, ``\\<``, ``\\&``), and a
    backslash at the end of a line is a hard line break."""
    md.ESCAPED_CHARS.extend(char for char in _ASCII_PUNCTUATION if char not in md.ESCAPED_CHARS)
    md.treeprocessors.register(UnescapeTreeprocessor(md), "unescape", 0)
    # Python-Markdown's two-space hard break, with the backslash one in the same pattern: one pass less over
    # every text. The escape pattern (180) leaves "\" + newline alone; code spans (190) come first.
    md.inlinePatterns.register(SubstituteTagInlineProcessor(r"(?:  |\\)\n", "br"), "linebreak", 100)


# --------------------------------------------------------------------------- the extension
class GfmExtension(Extension):
    """The processors above, each in the place of the one it replaces. Register after ``tables``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(NormalizeWhitespace(md), "normalize_whitespace", 30)
        md.preprocessors.register(DetailsPreprocessor(md), "gfm_details", 21)
        md.preprocessors.register(ListBreakPreprocessor(md), "gfm_list_breaks", 18)
        parser = md.parser
        parser.blockprocessors.register(AtxHeadingProcessor(parser), "hashheader", 70)
        parser.blockprocessors.register(SetextHeadingProcessor(parser), "setextheader", 60)
        parser.blockprocessors.register(BlockQuoteProcessor(parser), "quote", 20)
        if "table" in parser.blockprocessors:  # the tables extension's defaults, as chaowen uses it
            parser.blockprocessors.register(TableProcessor(parser, {"use_align_attribute": False}), "table", 75)
        _escapes(md)
