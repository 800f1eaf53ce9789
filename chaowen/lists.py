"""Lists nested by two spaces, re-indented to the four columns Python-Markdown needs.

Chinese editors write in Typora or on GitHub, where ``- a`` / ``··- b`` nests; in
Python-Markdown it takes four spaces. :class:`ListLayout` re-indents a document line
by line and reports how deeply each line is nested (the input limits use that to
refuse documents nested too deeply); :class:`ListLayoutPreprocessor` runs it inside
Python-Markdown, after fenced code and raw HTML are stashed, so their contents are
never re-indented. Lines outside any list come out unchanged. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from markdown.preprocessors import Preprocessor

_QUOTE_PREFIX = re.compile(r"(?: {0,3}> ?)+")
_ITEM = re.compile(r"( *)([-+*]|\d{1,9}\.)( +)(?=\S)")
# What a line outside lists must start with, besides a digit, to be a list item or a quote.
_MAY_NEST = frozenset(" >-+*")
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


class ListLayout:
    """Re-indents list lines so nesting is four columns per level, as Python-Markdown needs.

    An item is nested in the one above when it is indented at least two columns (or
    up to its text) past that item's marker, so ``- a / ··- b`` (Typora, GitHub) and
    ``- a / ····- b`` both nest. Lines inside an item keep their indentation relative
    to the item: by four columns past the marker when they have that much (so code
    indented for Python-Markdown stays code), else relative to the item's text.
    Lines outside any list are returned unchanged. Quote prefixes (``> ``) are kept
    and each quote level has its own list state.

    Markers repeated on one line (``- - - x``) are counted up to ``max_depth`` + 1
    only, so a line of thousands of them costs no more than a line of a few.
    """

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.stack: list[_Item] = []
        self.quote = 0
        self.blank_before = True

    def feed(self, line: str) -> tuple[str, int]:
        """The re-indented line and its nesting depth (lists and quotes)."""
        first = line[:1]
        if not self.stack and not self.quote and first not in _MAY_NEST and not first.isdecimal() and "\t" not in line:
            # Outside lists and quotes, a line that starts with no space, quote, marker or digit
            # (any decimal digit, as \d) is no item and is returned as it is: the common case,
            # decided without a match; :meth:`_feed` would give the same.
            self.blank_before = not line.strip()
            return line, 0
        return self._feed(line)

    def _feed(self, line: str) -> tuple[str, int]:
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
        nested = _count_markers(rest[match.end() :], self.max_depth)
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


def _count_markers(text_after_marker: str, max_depth: int) -> int:
    """Further list or quote markers on the same line (``- - - x``): each nests once more."""
    count = 0
    pos = 0
    while count <= max_depth:
        match = _ITEM.match(text_after_marker, pos) or _QUOTE_PREFIX.match(text_after_marker, pos)
        if match is None or match.end() == pos:
            return count
        count += max(1, match.group(0).count(">"))
        pos = match.end()
    return count


class ListLayoutPreprocessor(Preprocessor):
    """:class:`ListLayout` over a document's lines, as a Python-Markdown preprocessor."""

    def __init__(self, md: markdown.Markdown, max_depth: int) -> None:
        super().__init__(md)
        self.max_depth = max_depth

    def run(self, lines: list[str]) -> list[str]:
        if not any(line[:1] in (" ", ">") for line in lines):
            return lines  # nothing is indented: nothing to re-indent
        layout = ListLayout(self.max_depth)
        return [layout.feed(line)[0] for line in lines]
