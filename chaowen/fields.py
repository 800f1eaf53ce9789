"""The converters and rules the field table names: one function per field type, one per special rule.

:data:`chaowen.schema.FRONT_MATTER` declares each front-matter field once; its
``type`` names a converter in :data:`CONVERTERS` and its ``rule`` (if any) a
function in :data:`RULES`. :class:`FieldCheck` runs them over one file's fields
and puts each value where the row says (an attribute of :class:`~chaowen.model.Document`,
or ``Document.more``), so a field is validated by declaring it. Pure: problems are
collected as codes (:func:`chaowen.messages.say`), worded where they are reported.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final
from zoneinfo import ZoneInfo

from .config import parse_bool
from .dates import DateMistake, read_date
from .errors import Problem, Severity
from .frontmatter import Value
from .messages import Text, say
from .model import Document, Kind, SiteConfig, TrackConfig
from .schema import AUTHOR_ONE_OF, FRONT_MATTER, IMAGE_PATTERN, REQUIRED, attribute_of, nearest, spec_of
from .urls import is_valid_slug, slugify

_TAG_SEPARATORS = re.compile(r"[,，、;；]")
_IMAGE = re.compile(IMAGE_PATTERN)
_ISSUE_REF = re.compile(r"^第?\s*0*(\d+)\s*期?$")
# An issue title that starts with its own number: 第2期、第 2 期、第二期、第十二期 …,
# followed by a separator or nothing (第二期间 is a word: "during the second period").
_NUMBERED_TITLE = re.compile(
    r"^\s*第\s*([0-9０-９]+|[〇零一二两三四五六七八九十百千]+)\s*期(?:[\s：:·・、，,|｜/—–-]+|$)"
)
_CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}


_NAMES: Final = {kind: tuple(spec.name for spec in specs) for kind, specs in FRONT_MATTER.items()}
_ALL_NAMES: Final = tuple({name: None for names in _NAMES.values() for name in names})


@dataclass
class FieldCheck:
    """One file's fields being checked: where each field is, what the site allows, the problems found."""

    display: str  # the file as shown to the editor (content/…)
    source: str  # relative to content/
    kind: Kind
    config: SiteConfig
    fields: Mapping[str, Value]
    lines: Mapping[str, int]
    problems: list[Problem] = field(default_factory=list)

    def error(self, at: str | None, message: Text, hint: Text | str = "") -> None:
        line = self.lines.get(at, 1) if at else 1
        self.problems.append(Problem(self.display, line, message, hint))

    def warn(self, at: str, message: Text, hint: Text | str = "") -> None:
        self.problems.append(Problem(self.display, self.lines.get(at, 1), message, hint, Severity.WARNING))

    def document(self, body: str, body_line: int, digest: str) -> Document:
        """Every row of the kind's table converted and checked, as a Document (bad values left at their default)."""
        self._unknown_fields()
        self._required()
        specs = FRONT_MATTER[self.kind]
        values: dict[str, Any] = {}
        for spec in specs:
            raw = self.fields.get(spec.name)
            values[spec.name] = None if raw is None else CONVERTERS[spec.type](raw, spec.name, self)
        for spec in specs:
            if spec.rule:
                values[spec.name] = RULES[spec.rule](values[spec.name], values, self)
        attributes: dict[str, Any] = {}
        more: dict[str, Any] = {}
        for spec in specs:
            value = values[spec.name]
            if value is None:
                continue
            target = attribute_of(spec)
            if target is None:
                more[spec.name] = value
            else:
                attributes.setdefault(target, value)
        return Document(
            source=self.source,
            kind=self.kind,
            body=body,
            body_line=body_line,
            more=MappingProxyType(more),
            field_lines=MappingProxyType(dict(self.lines)),
            digest=digest,
            **attributes,
        )

    def _unknown_fields(self) -> None:
        own = _NAMES[self.kind]
        every = _ALL_NAMES
        for name in self.fields:
            if name in own:
                continue
            suggestion = nearest(name, own) or (nearest(name, every) if name not in every else None)
            hint = say("did_you_mean", suggestion=suggestion) if suggestion else say("unknown_field_hint_extra")
            self.warn(name, say("unknown_field", field=name), hint)

    def _required(self) -> None:
        # A field written but left empty (as ``chaowen new`` leaves them) is named at its line.
        for name in REQUIRED[self.kind]:
            if self.fields.get(name) in (None, "", []):
                self.error(name if name in self.lines else None, say("missing_field", field=name), self._example(name))
        if self.kind is Kind.ESSAY and not any(self.fields.get(name) for name in AUTHOR_ONE_OF):
            at = next((name for name in AUTHOR_ONE_OF if name in self.lines), None)
            self.error(at, say("missing_field", field=AUTHOR_ONE_OF[0]), self._example(AUTHOR_ONE_OF[0]))

    def _example(self, name: str) -> Text:
        """The hint for a missing field: the line to write, its value taken from the field's declaration."""
        spec = spec_of(self.kind, name)
        value = spec.example if spec is not None and spec.example else "…"
        if spec is not None and spec.type == "track" and self.config.tracks:
            value = self.config.tracks[0].name
        return say("missing_field_hint", example=f"{name}: {value}")


# ------------------------------------------------------------------ converters
Converter = Callable[[Value, str, FieldCheck], Any]  # (value as written, field, check) -> value, or None when bad


def text(raw: Value, name: str, check: FieldCheck) -> str | None:
    if isinstance(raw, str):
        return raw.strip() or None
    check.error(name, say("config_bad_value", key=name, reason=say("expected_text")))
    return None


def text_list(raw: Value, name: str, check: FieldCheck) -> tuple[str, ...] | None:
    """A list, or one line split on 、，, ; — each item once, in order."""
    items: list[Value] = _TAG_SEPARATORS.split(raw) if isinstance(raw, str) else raw if isinstance(raw, list) else [raw]
    result: list[str] = []
    for item in items:
        if item is None:
            continue
        if not isinstance(item, str):
            check.error(name, say("config_bad_value", key=name, reason=say("expected_text")))
            continue
        cleaned = item.strip()
        if cleaned and cleaned not in result:
            result.append(cleaned)
    return tuple(result) or None


def positive_int(raw: Value, name: str, check: FieldCheck) -> int | None:
    """``3``, ``第3期``, ``03``: a whole number above zero."""
    match = _ISSUE_REF.match(raw.strip()) if isinstance(raw, str) else None
    if match is None or int(match.group(1)) == 0:
        check.error(name, say("bad_number", value=_shown(raw)), say("bad_number_hint"))
        return None
    return int(match.group(1))


def boolean(raw: Value, name: str, check: FieldCheck) -> bool | None:
    parsed = parse_bool(raw)
    if parsed is None:
        check.error(name, say("bad_bool", field=name, value=_shown(raw)))
    return parsed


def a_date(raw: Value, name: str, check: FieldCheck) -> Any:
    if not isinstance(raw, str):
        check.error(name, say("bad_date", value=_shown(raw)), say("bad_date_hint"))
        return None
    parsed = read_date(raw, ZoneInfo(check.config.timezone))
    if isinstance(parsed, DateMistake):
        check.error(name, say(parsed.key, **parsed.values), say(parsed.hint, **parsed.values))
        return None
    return parsed


def image(raw: Value, name: str, check: FieldCheck) -> str | None:
    """An image path -> its source relative to content/ (whether it exists is the site stage's check)."""
    written = raw.strip() if isinstance(raw, str) else ""
    target = ""
    if _IMAGE.match(written):
        folder = posixpath.dirname(check.source)
        target = posixpath.normpath(written[1:] if written.startswith("/") else posixpath.join(folder, written))
    if not target or target == ".." or target.startswith("../"):
        check.error(name, say("bad_field_value", field=name, reason=say("expected_image")))
        return None
    return target


def mapping(raw: Value, name: str, check: FieldCheck) -> Mapping[str, Any] | None:
    if isinstance(raw, dict):
        return MappingProxyType(dict(raw))
    check.error(name, say("config_bad_value", key=name, reason=say("expected_mapping")))
    return None


def track(raw: Value, name: str, check: FieldCheck) -> str | None:
    """A track's key or name -> its key; an unknown one is named with the valid ones and the nearest."""
    if not isinstance(raw, str):
        check.error(name, say("config_bad_value", key=name, reason=say("expected_text")))
        return None
    found = find_track(check.config.tracks, raw)
    if found is None:
        check.error(name, *unknown_track(check.config.tracks, raw))
        return None
    return found.key


def find_track(tracks: tuple[TrackConfig, ...], wanted: str) -> TrackConfig | None:
    """The track ``wanted`` names: by its key (in any case) or its name."""
    cleaned = wanted.strip()
    for candidate in tracks:
        if cleaned in (candidate.key, candidate.name) or cleaned.lower() == candidate.key:
            return candidate
    return None


def unknown_track(tracks: tuple[TrackConfig, ...], wanted: str) -> tuple[Text, Text | str]:
    """The problem (message, hint) of a track that is not one of ``tracks``: the valid ones and the nearest."""
    cleaned = wanted.strip()
    names = [t.name for t in tracks]
    suggestion = nearest(cleaned, names, cutoff=0.4) or nearest(cleaned, [t.key for t in tracks], cutoff=0.4)
    hint = say("did_you_mean", suggestion=suggestion) if suggestion else ""
    return say("unknown_track", value=cleaned, choices=names), hint


def _shown(raw: Value) -> str:
    """A value as the message shows it (a list or mapping as Python writes it, as before)."""
    return raw if isinstance(raw, str) else str(raw)


CONVERTERS: Final[dict[str, Converter]] = {
    "text": text,
    "text_or_list": text_list,
    "int": positive_int,
    "bool": boolean,
    "date": a_date,
    "image": image,
    "mapping": mapping,
    "track": track,
}


# ----------------------------------------------------------------------- rules
Rule = Callable[[Any, Mapping[str, Any], FieldCheck], Any]  # (value, every row's value, check) -> value


def title_without_number(title: Any, values: Mapping[str, Any], check: FieldCheck) -> Any:
    """An issue's title without its own number in front (第二期：走进车间 -> 走进车间), with a warning.

    The number is shown beside the title everywhere (第2期 走进车间), so repeated
    it would read 第2期 第二期：走进车间. A title that is nothing but the number stays.
    """
    number = values.get("number")
    if not isinstance(title, str) or not isinstance(number, int):
        return title
    match = _NUMBERED_TITLE.match(title)
    if match is None or issue_numeral(match.group(1)) != number:
        return title
    rest = title[match.end() :].strip()
    shown = f"第{number}期 {rest or title}"
    check.warn("title", say("title_repeats_number", shown=shown, title=title), say("title_repeats_number_hint"))
    return rest or title


def slug_or_default(slug: Any, values: Mapping[str, Any], check: FieldCheck) -> str:
    """The slug as written when it is valid; else (with an error when one was written) made from the file name."""
    if isinstance(slug, str) and is_valid_slug(slug):
        return slug
    if isinstance(slug, str):
        check.error("slug", say("bad_slug", value=slug), say("did_you_mean", suggestion=slugify(slug) or "my-page"))
    stem = check.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return slugify(stem) or "p-" + hashlib.blake2b(stem.encode(), digest_size=4).hexdigest()


def not_both_authors(authors: Any, values: Mapping[str, Any], check: FieldCheck) -> Any:
    """``author`` and ``authors`` fill the same list: giving both is a mistake (``author`` wins)."""
    if all(check.fields.get(name) is not None for name in AUTHOR_ONE_OF):
        check.error(AUTHOR_ONE_OF[1], say("both_author_fields"), say("both_author_fields_hint"))
    return authors


RULES: Final[dict[str, Rule]] = {
    "title_without_number": title_without_number,
    "slug": slug_or_default,
    "not_both_authors": not_both_authors,
}


def issue_numeral(written: str) -> int | None:
    """The number written as ``12``, ``１２`` or ``十二`` (一百零五, 两 …); None when it is none of these."""
    if written.isdigit():
        return int(written)
    total, current = 0, 0
    for char in written:
        if char in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[char]
        elif char in _CHINESE_UNITS:
            total += (current or 1) * _CHINESE_UNITS[char]
            current = 0
        else:
            return None
    return total + current


def _check_table() -> None:
    """Every row's type has a converter and its rule a function: a mistake in the table fails at import."""
    for specs in FRONT_MATTER.values():
        for spec in specs:
            if spec.type not in CONVERTERS:
                raise TypeError(f"front-matter field {spec.name}: no converter for the type {spec.type}")
            if spec.rule and spec.rule not in RULES:
                raise TypeError(f"front-matter field {spec.name}: no rule {spec.rule}")


_check_table()
