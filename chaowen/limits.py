"""Input limits of the Markdown stage, and the cost model that enforces them.

Python-Markdown has inputs that take quadratic time or more (unclosed ``[`` or
``<tag``, thousands of headings in one block, marks in a very long block) and
recurses once per level of nesting. :func:`check_limits` estimates up front, from
the text alone, how long the document would take, and refuses it with a
:class:`Refusal` when it is larger than :data:`MAX_BODY_BYTES`, nested deeper than
:data:`MAX_DEPTH` or estimated above :data:`MAX_SECONDS`. The estimate is
deterministic (no clock), so whether a document renders is a pure function of its
text and the result can be cached. Many short blocks are handled by the Markdown
stage's chunked block parser instead, and are cheap here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Final

from .content import MAX_DOCUMENT_BYTES
from .lists import ListLayout
from .messages import Text, say

# Nesting of lists and quotes: real writing stays far below, Python-Markdown's recursion far above.
MAX_DEPTH: Final = 60
MAX_BODY_BYTES: Final = MAX_DOCUMENT_BYTES  # the content stage's limit, checked again for direct callers
# Estimated seconds Python-Markdown would need; a document above it is refused
# instead of holding up the build. A 2,000-character essay scores 0.005.
MAX_SECONDS: Final = 8.0

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
# Searched in the text after a newline: a search for a newline first is several times faster
# than trying a line start at every position. The spaces around markers are taken possessively
# (no marker starts with a space, so the same lines match): with backtracking, a space between
# two markers could end one group or start the next, and a line of 25 markers that does not
# match ("- - … x") took 8 seconds, twice as long for each marker more.
_MAYBE_DEEP = re.compile(rf"\n(?:[ \t>]*?[ \t]{{16}}|(?:[ \t]*+(?:>|[-+*]|\d{{1,9}}\.)[ \t]*+){{{MAX_DEPTH // 2}}})")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a body is not rendered (a message and how to fix it, worded where they are
    reported) and the 0-based line of the body where the editor should look (``None``:
    the document as a whole)."""

    message: Text
    hint: Text
    line: int | None = None


def check_limits(body: str) -> Refusal | None:
    """A refusal when the body is too large, too deeply nested or too slow to render."""
    if len(body) * 4 > MAX_BODY_BYTES and len(body.encode("utf-8")) > MAX_BODY_BYTES:
        size = len(body.encode("utf-8")) / 1048576
        limit = MAX_BODY_BYTES // 1048576
        return Refusal(say("too_large", size=f"{size:.1f}", limit=limit), say("too_large_hint"))
    prose, fences = _blank_fences(body)
    deep = _deep_line(prose)
    if deep is not None:
        return Refusal(say("too_deep", limit=MAX_DEPTH), say("too_deep_hint"), deep)
    starts = [0, *(m.end() for m in _BLANK_LINE.finditer(prose))]
    linear = _PER_BLOCK * len(starts) + _PER_LINE * prose.count("\n") + _PER_CHAR * len(prose) + _PER_FENCE * fences
    if linear > MAX_SECONDS:
        return Refusal(say("too_long"), say("too_long_hint"))
    extra, line = _superlinear(prose, starts)
    if linear + extra > MAX_SECONDS:
        return Refusal(say("too_complex"), say("too_complex_hint"), line)
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
    if not _MAYBE_DEEP.search("\n" + prose):  # every line start is after a newline
        return None
    layout = ListLayout(MAX_DEPTH)
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
    # Splitting lines are counted only when counting every line as one could tip the bound.
    lines = prose.count("\n") + 1
    if bound + _PER_SPLIT_LINE * lines * longest > MAX_SECONDS / 10:
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
