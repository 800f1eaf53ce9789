"""How Chinese (CJK) text is treated: line breaks, character counts, summaries.

* :func:`join_cjk_breaks` deletes a soft line break whose neighbours are CJK
  characters (or full-width punctuation next to one), so a wrapped line of Chinese
  does not show a stray space; Latin words keep theirs.
* :func:`count_chars` counts each Han character and each Latin word, the way
  Chinese word counts are given; :func:`reading_minutes` turns that into minutes.
* :func:`cut_summary` shortens text to about :data:`SUMMARY_LENGTH` characters,
  after the last Chinese or Latin sentence end when there is one.

Pure functions of their arguments; :func:`join_cjk_breaks` edits the tree it is given.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Final

from .tree import BLOCK_TAGS, CODE_TAGS, walk

SUMMARY_LENGTH: Final = 120
CHARS_PER_MINUTE: Final = 400

# --------------------------------------------------------------------------- line breaks
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Punctuation set full-width in Chinese text: joins when the other side is CJK.
_WIDE_PUNCT = frozenset("“”‘’—…·")
_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# A newline with the spaces after it, before a character that may join: the only breaks
# that can be deleted, found by a search that skips to each newline.
_NEWLINE_BEFORE_JOINING = re.compile(f"\n[ \t]*(?=[{_CJK}{''.join(sorted(_WIDE_PUNCT))}])")
_BARRIER = "\x00"  # stands for block boundaries and code, which are never joined across
_Slot = tuple[etree.Element, bool]  # an element and whether the slot is its tail (else its text)


def _is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.match(char))


def _joins(before: str, after: str) -> bool:
    if _is_cjk(before):
        return _is_cjk(after) or after in _WIDE_PUNCT
    return before in _WIDE_PUNCT and _is_cjk(after)


def join_cjk_breaks(root: etree.Element) -> None:
    """Removes soft line breaks between CJK characters, across inline elements too.

    Chinese has no spaces between words, so the newline of a wrapped line would show
    as a stray space. All text of the document is laid out as one string of slots,
    with block elements and code as barriers; each break whose neighbours are CJK is
    deleted from the slot that holds it.
    """
    parts: list[str] = []
    slots: list[_Slot | None] = []  # parallel to parts; None for a barrier
    skip_depth = 0
    for element, leaving in walk(root):
        tag = element.tag if isinstance(element.tag, str) else ""
        barrier = tag in BLOCK_TAGS or tag in CODE_TAGS
        if not leaving:
            if barrier:
                parts.append(_BARRIER)
                slots.append(None)
            if tag in CODE_TAGS:
                skip_depth += 1
            elif skip_depth == 0 and element.text:
                parts.append(element.text)
                slots.append((element, False))
            continue
        if tag in CODE_TAGS:
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
    cuts = _breaks_to_delete(joined)
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


def _breaks_to_delete(joined: str) -> list[tuple[int, int]]:
    """Spans of the breaks (_BREAK: a newline with the spaces and tabs around it) whose
    neighbours join. Only newlines followed by a character that may join are looked at."""
    cuts = []
    for match in _NEWLINE_BEFORE_JOINING.finditer(joined):
        start = match.start()
        while start and joined[start - 1] in " \t":
            start -= 1
        if start and _joins(joined[start - 1], joined[match.end()]):
            cuts.append((start, match.end()))
    return cuts


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


# --------------------------------------------------------------------------- counts and summaries
_HAN_RANGES = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NOT_HAN = re.compile(f"[^{_HAN_RANGES}]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
_SENTENCE_END = "。！？!?"
_CLOSERS = "”’」』）)"


def count_chars(plain: str) -> int:
    """Han characters, each one, plus Latin words (runs of letters and digits).

    The Markdown stage counts over the document's text without code blocks (inline code counts)."""
    # The Han characters are what is left without the runs of other characters: a few hundred
    # runs to cut instead of a list of thousands of one-character strings (2.5x faster).
    return len(_NOT_HAN.sub("", plain)) + len(_LATIN_WORD.findall(plain))


def reading_minutes(chars: int) -> int:
    """Minutes to read ``chars`` counted characters at :data:`CHARS_PER_MINUTE`; at least one."""
    return max(1, round(chars / CHARS_PER_MINUTE))


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
