"""Word's automatic heading numbers (``一、`` ``（一）`` ``1.1``) written into the headings' text.

Pure. A heading numbered by a multilevel list (Word's "linked to Heading 1" numbering)
shows ``一、背景`` in Word, but its number is not text: pandoc's docx reader keeps only
``背景``. :func:`number_headings` counts every numbered paragraph of the document the way
Word does (a counter per list, deeper levels restarting) and writes the number into each
heading paragraph as a run of text. List paragraphs are left as they are: pandoc makes
them Markdown lists, which number themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final
from xml.etree import ElementTree as etree

W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS: Final = {"w": W}
_XML_SPACE: Final = "{http://www.w3.org/XML/1998/namespace}space"
_DIGITS: Final = "〇一二三四五六七八九"
_LEGAL: Final = "零壹贰叁肆伍陆柒捌玖"
_STEMS: Final = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES: Final = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN: Final = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _val(element: etree.Element | None, path: str, default: str = "") -> str:
    found = element.find(path, _NS) if element is not None else None
    return found.get(f"{{{W}}}val", default) if found is not None else default


def chinese(number: int, digits: str = _DIGITS, ten: str = "十", hundred: str = "百", zero: str = "零") -> str:
    """``11`` -> ``十一``, ``20`` -> ``二十``, ``105`` -> ``一百零五`` (up to 999; beyond, digit by digit)."""
    if number <= 0 or number > 999:
        return "".join(digits[int(d)] for d in str(max(number, 0)))
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    text = digits[hundreds] + hundred if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    elif hundreds and ones:
        text += zero
    return text + (digits[ones] if ones else "")


def roman(number: int) -> str:
    text = ""
    for value, symbols in _ROMAN:
        while number >= value:
            text += symbols
            number -= value
    return text


def letters(number: int) -> str:
    """Word's letters: A…Z, then AA, BB… (the letter repeated)."""
    return chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1) if number > 0 else ""


def formatted(number: int, style: str) -> str:
    """``number`` in Word's number format ``style`` (``decimal``, ``chineseCounting``…)."""
    if style in ("none", "bullet"):
        return ""
    if style in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese(number)
    if style in ("japaneseCounting", "koreanCounting"):
        return chinese(number)
    if style == "ideographDigital" or style == "taiwaneseDigital":
        return "".join(_DIGITS[int(d)] for d in str(number))
    if style in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return chinese(number, _LEGAL, "拾", "佰")
    if style == "ideographTraditional":
        return _STEMS[(number - 1) % 10]
    if style == "ideographZodiac":
        return _BRANCHES[(number - 1) % 12]
    if style in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if style == "decimalEnclosedParen" and 1 <= number <= 20:
        return chr(0x2474 + number - 1)
    if style == "decimalFullWidth" or style == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(number))
    if style == "decimalZero":
        return f"{number:02d}"
    if style == "upperLetter":
        return letters(number)
    if style == "lowerLetter":
        return letters(number).lower()
    if style == "upperRoman":
        return roman(number)
    if style == "lowerRoman":
        return roman(number).lower()
    return str(number)


@dataclass(slots=True)
class _Level:
    start: int = 1
    style: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    legal: bool = False


@dataclass(slots=True)
class _Lists:
    """numbering.xml: each list (numId) -> its abstract definition's levels, and their counters."""

    abstract_of: dict[str, str] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # (numId, level) -> start override
    counters: dict[str, list[int | None]] = field(default_factory=dict)


def _lists(numbering: etree.Element) -> _Lists:
    lists = _Lists()
    for abstract in numbering.findall("w:abstractNum", _NS):
        key = abstract.get(f"{{{W}}}abstractNumId", "")
        levels: dict[int, _Level] = {}
        for level in abstract.findall("w:lvl", _NS):
            index = int(level.get(f"{{{W}}}ilvl", "0"))
            start = _val(level, "w:start", "1")
            levels[index] = _Level(
                start=int(start) if start.isdigit() else 1,
                style=_val(level, "w:numFmt", "decimal"),
                text=_val(level, "w:lvlText"),
                suffix=_val(level, "w:suff", "tab"),
                legal=level.find("w:isLgl", _NS) is not None,
            )
        lists.levels[key] = levels
    for number in numbering.findall("w:num", _NS):
        key = number.get(f"{{{W}}}numId", "")
        lists.abstract_of[key] = _val(number, "w:abstractNumId")
        for override in number.findall("w:lvlOverride", _NS):
            start = _val(override, "w:startOverride")
            if start.isdigit():
                lists.starts[(key, int(override.get(f"{{{W}}}ilvl", "0")))] = int(start)
    return lists


@dataclass(frozen=True, slots=True)
class _Style:
    num_id: str
    level: int
    heading: bool


def _styles(styles: etree.Element) -> dict[str, _Style]:
    """Paragraph style id -> its numbering (through the styles it is based on) and whether it is a heading."""
    raw: dict[str, etree.Element] = {
        style.get(f"{{{W}}}styleId", ""): style
        for style in styles.findall("w:style", _NS)
        if style.get(f"{{{W}}}type") == "paragraph"
    }

    def resolve(key: str, depth: int = 0) -> _Style:
        style = raw.get(key)
        if style is None or depth > 10:
            return _Style("", 0, False)
        base = resolve(_val(style, "w:basedOn"), depth + 1)
        properties = style.find("w:pPr", _NS)
        num_id = _val(properties, "w:numPr/w:numId", base.num_id)
        level = _val(properties, "w:numPr/w:ilvl", "")
        name = _val(style, "w:name").strip().lower()
        heading = bool(re.fullmatch(r"heading \d", name)) or _val(properties, "w:outlineLvl", "9") != "9"
        return _Style(num_id, int(level) if level.isdigit() else base.level, heading or base.heading)

    return {key: resolve(key) for key in raw}


def number_headings(document: etree.Element, styles: etree.Element, numbering: etree.Element) -> bool:
    """Write each numbered heading's number into its text, as Word shows it; True when one was written."""
    lists = _lists(numbering)
    by_style = _styles(styles)
    written = False
    for paragraph in document.iter(f"{{{W}}}p"):
        properties = paragraph.find("w:pPr", _NS)
        style = by_style.get(_val(properties, "w:pStyle"), _Style("", 0, False))
        num_id = _val(properties, "w:numPr/w:numId", style.num_id)
        level_text = _val(properties, "w:numPr/w:ilvl", "")
        level = int(level_text) if level_text.isdigit() else style.level
        if not num_id or num_id == "0" or num_id not in lists.abstract_of:
            continue
        text = _count(lists, num_id, level)
        if style.heading and text and properties is not None:
            run = etree.Element(f"{{{W}}}r")
            label = etree.SubElement(run, f"{{{W}}}t")
            label.set(_XML_SPACE, "preserve")
            label.text = text
            paragraph.insert(list(paragraph).index(properties) + 1, run)
            written = True
    return written


def _count(lists: _Lists, num_id: str, level: int) -> str:
    """Count one paragraph of list ``num_id`` at ``level``; the number text Word shows for it."""
    abstract = lists.abstract_of[num_id]
    levels = lists.levels.get(abstract, {})
    definition = levels.get(level)
    if definition is None:
        return ""
    counters = lists.counters.setdefault(abstract, [None] * 9)
    if level >= len(counters):
        return ""
    current = counters[level]
    counters[level] = lists.starts.get((num_id, level), definition.start) if current is None else current + 1
    for deeper in range(level + 1, len(counters)):
        counters[deeper] = None

    def number(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        shown = levels.get(index, _Level())
        value = counters[index] if index < len(counters) and counters[index] is not None else shown.start
        return formatted(value or 0, "decimal" if definition.legal and index < level else shown.style)

    text = re.sub(r"%([1-9])", number, definition.text)
    if not text.strip():
        return ""
    if definition.suffix == "space" or (definition.suffix == "tab" and not re.search(r"[、）)：:．]$", text)):
        text += " "
    return text
