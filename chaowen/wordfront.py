"""What the first lines of a Word document say about it, as trainees write them: bylines and minutes' header lines.

Pure text in, values out; :mod:`chaowen.wordclean` finds the lines and takes them out of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_NAME: Final = r"[\u4e00-\u9fff·]{2,5}"
_NAMES: Final = re.compile(rf"^{_NAME}(?:\s*[、，,和及]\s*{_NAME})*$")
_BYLINE_LABEL: Final = re.compile(r"^(?:作\s*者|文|撰\s*稿|撰\s*文|执\s*笔|供\s*稿|学\s*员)\s*[：:/／]\s*(.+)$")
_NAME_UNIT: Final = re.compile(rf"^({_NAME}(?:\s*[、，,]\s*{_NAME})*)\s*[（(]([^（）()]{{2,30}})[）)]$")
_UNIT_NAME: Final = re.compile(rf"^([^\s（）()：:，,。]{{2,30}})[\s\u3000]+({_NAME}(?:\s*[、，,]\s*{_NAME})*)$")
_UNIT_WORDS: Final = re.compile(
    r"(?:镇|乡|街道|村|社区|区|县|市|省|局|委|办|署|院|所|校|中心|公司|集团|部|厅|处|科|站|队|会|园|馆|行|厂)$"
)


@dataclass(frozen=True, slots=True)
class Byline:
    """Who wrote it, as the byline line says: one or more names, and the unit when given."""

    names: tuple[str, ...]
    unit: str = ""


def parse_byline(text: str, *, first: bool = False) -> Byline | None:
    """Names and unit from a byline as trainees write it; None when ``text`` is not one.

    ``作者：张三``, ``作者：张三、李四``, ``张三（临浦镇）``, ``临浦镇 张三``, ``作者：临浦镇 张三``;
    a lone name (``张三``) only when ``first`` (right under the title).
    """
    text = " ".join(text.replace("\u3000", " ").split())
    if not text or len(text) > 40:
        return None
    labelled = _BYLINE_LABEL.match(text)
    if labelled:
        rest = labelled.group(1).strip()
        return _names_and_unit(rest) or (Byline(_split_names(rest)) if _NAMES.match(rest) else None)
    found = _names_and_unit(text)
    if found is not None:
        return found
    if first and re.fullmatch(_NAME, text) and len(text) <= 4:
        return Byline((text,))
    return None


def _names_and_unit(text: str) -> Byline | None:
    match = _NAME_UNIT.match(text)
    if match:
        return Byline(_split_names(match.group(1)), match.group(2).strip())
    match = _UNIT_NAME.match(text)
    if match and _UNIT_WORDS.search(match.group(1)):
        return Byline(_split_names(match.group(2)), match.group(1))
    return None


def _split_names(text: str) -> tuple[str, ...]:
    return tuple(name for name in re.split(r"\s*[、，,和及]\s*", text.strip()) if name)


# ----------------------------------------------------------------------------- minutes
MINUTES_LABELS: Final = {
    "host": ("主持人", "主持"),
    "venue": ("会议地点", "活动地点", "地点"),
    "participants": ("参加人员", "参会人员", "出席人员", "与会人员", "参会学员", "参加人", "参会人", "出席"),
    "date": ("会议时间", "活动时间", "时间", "日期"),
}
_FIELD_OF: Final = {label: name for name, labels in MINUTES_LABELS.items() for label in labels}
_LABEL: Final = re.compile(r"(" + "|".join(sorted(_FIELD_OF, key=len, reverse=True)) + r")[\s\u3000]*[：:][\s\u3000]*")
_DAY: Final = re.compile(
    r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?(?:[^\d]{0,10}?(\d{1,2})\s*[:：]\s*(\d{2}))?"
)
MINUTES_LINES: Final = 8  # the lines to look at, from the top


def minutes_date(text: str) -> str | None:
    """``2026年11月20日（周五）下午 14:30`` -> ``2026-11-20 14:30``; None without a year, month and day."""
    match = _DAY.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute = match.groups()
    date = f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{date} {int(hour):02d}:{minute}" if hour is not None else date


def minutes_line(text: str) -> dict[str, str] | None:
    """The fields of a line made only of ``标签：值`` parts; None when any part is not usable."""
    matches = list(_LABEL.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    found: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip(" \u3000；;，,。")
        name = _FIELD_OF[match.group(1)]
        if name == "date":
            value = minutes_date(value) or ""
        if not value or name in found:
            return None
        found[name] = value
    return found
