"""Dates as editors write them: every form the build reads, and why one cannot be read.

``2024-03-05``, ``2024/3/5``, ``2024年3月5日``, ``2024-03-05 14:30`` and ISO 8601 with an
offset; the JSON Schema's pattern is the same one (:data:`chaowen.schema.DATE_PATTERN`). Pure.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .schema import DATE_PATTERN

_DATE = re.compile(DATE_PATTERN)


@dataclass(frozen=True, slots=True)
class DateMistake:
    """Why a date cannot be read: a catalogue key (its hint is ``hint``) and the values to fill in."""

    key: str
    hint: str
    values: dict[str, int | str]


def parse_date(raw: str, zone: ZoneInfo) -> datetime | None:
    """``2024-03-05``, ``2024-03-05 14:30``, ISO 8601 with offset, ``2024年3月5日`` -> aware datetime.

    A date without a zone is in the site's zone. Impossible dates (2024-02-30) give None.
    """
    result = read_date(raw, zone)
    return result if isinstance(result, datetime) else None


def read_date(raw: str, zone: ZoneInfo) -> datetime | DateMistake:
    """Like :func:`parse_date`, but says what is wrong: the form, or a day or time that does not exist."""
    match = _DATE.match(raw.strip())
    if match is None:
        return DateMistake("bad_date", "bad_date_hint", {"value": raw.strip()})
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups()[:6])
    offset = match.group(7)
    if not 1 <= month <= 12:
        return DateMistake("date_no_month", "date_no_month_hint", {"month": month})
    if year >= 1:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            hint = "date_not_leap_hint" if (month, day) == (2, 29) else "date_no_day_hint"
            return DateMistake("date_no_day", hint, {"year": year, "month": month, "day": day, "days": days})
    for value, limit, key in (
        (hour, 23, "date_no_hour"),
        (minute, 59, "date_no_minute"),
        (second, 59, "date_no_second"),
    ):
        if value > limit:
            return DateMistake(key, "date_time_hint", {key.rsplit("_", 1)[1]: value})
    try:
        day_part = date(year, month, day)
        clock = time(hour, minute, second)
    except ValueError:  # year 0
        return DateMistake("bad_date", "bad_date_hint", {"value": raw.strip()})
    if offset:
        stamp = f"{day_part.isoformat()}T{clock.isoformat()}{'+00:00' if offset == 'Z' else offset}"
        try:
            return datetime.fromisoformat(stamp)
        except ValueError:
            return DateMistake("date_bad_offset", "date_bad_offset_hint", {"offset": offset})
    return datetime.combine(day_part, clock, tzinfo=zone)
