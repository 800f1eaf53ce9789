"""Walk ``content/``, read each file, validate its front matter -> Documents, Assets, Problems.

The folder decides the kind (``issues/``, ``minutes/``, ``essays/``, ``pages/``);
every non-Markdown file is an asset copied keeping its place. Reading
(:func:`load_content`) is kept apart from validating (:func:`parse_document`),
which is pure so that it can be tested on strings and fuzzed.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from . import messages
from .config import parse_bool
from .errors import Problem, Severity
from .frontmatter import Value, cut_body, split
from .model import KIND_FOLDERS, Asset, Document, Kind, SiteConfig
from .schema import (
    DATE_PATTERN,
    IMAGE_PATTERN,
    REQUIRED,
    all_front_matter_names,
    field_names,
    nearest,
    spec_of,
    table_only,
)
from .urls import is_valid_slug, slugify

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
_FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
# Files editors' tools leave behind; never content.
_IGNORED_NAMES = re.compile(r"(^\.|~$|^~\$|\.swp$|\.swx$|\.tmp$|^Thumbs\.db$|^desktop\.ini$|\.crdownload$)", re.I)
_TAG_SEPARATORS = re.compile(r"[,，、;；]")
_DATE = re.compile(DATE_PATTERN)
_IMAGE = re.compile(IMAGE_PATTERN)
_ISSUE_REF = re.compile(r"^第?\s*0*(\d+)\s*期?$")
# The catalogue key of the body `chaowen new` writes into a new document (scaffold.py
# writes it; a document that still has it is warned about, in either language).
BODY_PLACEHOLDER = "new_body"
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


Parsed = tuple[Document, tuple[Problem, ...]]  # a document without its body, and its warnings
StatKey = tuple[int, int, int]  # mtime (ns), size, inode
Recent = tuple[StatKey, Document, tuple[Problem, ...]]  # a file as last read in this process


@dataclass(frozen=True, slots=True)
class ContentResult:
    documents: tuple[Document, ...]
    assets: tuple[Asset, ...]
    problems: tuple[Problem, ...]
    parsed: Mapping[str, Parsed] = field(default_factory=dict)  # file digest -> parsed, for the build cache
    recent: Mapping[str, Recent] = field(default_factory=dict)  # source -> as read now, for the next rebuild


def is_ignored(name: str) -> bool:
    return bool(_IGNORED_NAMES.search(name))


def kind_of(source: str) -> Kind:
    """The kind a Markdown file's place gives it; Markdown outside the kind folders is a page."""
    first = source.split("/", 1)[0]
    return _FOLDER_KINDS.get(first, Kind.PAGE)


def walk_content(content_dir: Path) -> tuple[list[str], list[str]]:
    """Markdown sources and asset sources under ``content_dir``, sorted, relative with '/'.

    Follows symlinks but never into a folder already visited, so a symlink loop ends.
    """
    markdown: list[str] = []
    assets: list[str] = []
    if not content_dir.is_dir():
        return markdown, assets
    visited: set[str] = set()
    for folder, dirs, files in os.walk(content_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        relative_folder = os.path.relpath(folder, content_dir).replace(os.sep, "/")
        for name in sorted(files):
            if is_ignored(name):
                continue
            source = name if relative_folder == "." else f"{relative_folder}/{name}"
            if Path(name).suffix.lower() in MARKDOWN_SUFFIXES:
                markdown.append(source)
            else:
                assets.append(source)
    return markdown, assets


def load_content(
    config: SiteConfig, known: Mapping[str, Parsed] | None = None, recent: Mapping[str, Recent] | None = None
) -> ContentResult:
    """Read and validate every file under ``content/``; never raises for a content problem.

    ``known`` maps the digest of a file's bytes to its parsed front matter from an
    earlier build with the same configuration; such files are not parsed again.
    ``recent`` holds the files as read by the previous build in this process (the
    dev server): a file whose modification time, size and inode are unchanged is
    not even read again.
    """
    content_dir = config.content_dir
    markdown, asset_sources = walk_content(content_dir)
    documents: list[Document] = []
    problems: list[Problem] = []
    parsed: dict[str, Parsed] = {}
    now_read: dict[str, Recent] = {}
    known = known or {}
    for source in markdown:
        display = f"content/{source}"
        stat_key = _stat_key(content_dir / source)
        previous = recent.get(source) if recent is not None else None
        if previous is not None and stat_key is not None and previous[0] == stat_key:
            documents.append(previous[1])
            problems.extend(previous[2])
            now_read[source] = previous
            if previous[1].digest in known:
                parsed[previous[1].digest] = known[previous[1].digest]
            continue
        before = len(problems)
        raw = _read(content_dir / source, display, config.language, problems)
        if raw is None:
            continue
        file_digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        hit = known.get(file_digest)
        if hit is not None and hit[0].source == source:
            body = _cached_body(raw)
            if body is not None:
                cached = replace(hit[0], body=body)
                documents.append(cached)
                problems.extend(hit[1])
                parsed[file_digest] = hit
                if stat_key is not None:
                    now_read[source] = (stat_key, cached, hit[1])
                continue
        text, warning = decode(raw, display, config.language)
        if warning is not None:
            problems.append(warning)
            if warning.is_error:
                continue
        assert text is not None
        document, found = parse_document(source, text, config, digest=file_digest)
        problems.extend(found)
        if document is not None:
            documents.append(document)
            if warning is None:
                parsed[file_digest] = (replace(document, body=""), tuple(found))
                if stat_key is not None:
                    now_read[source] = (stat_key, document, tuple(problems[before:]))
    assets = tuple(Asset(source, content_dir / source) for source in asset_sources if (content_dir / source).is_file())
    return ContentResult(tuple(documents), assets, tuple(problems), parsed, now_read)


def with_body(document: Document, content_dir: Path) -> Document:
    """``document`` as taken from the cache by its stat (body left empty), with its body read.

    Unchanged when the file is gone or no longer UTF-8: the next build reads it in full.
    """
    try:
        body = _cached_body((content_dir / document.source).read_bytes())
    except OSError:
        return document
    return document if body is None else replace(document, body=body)


def _cached_body(raw: bytes) -> str | None:
    """The body of a file whose front matter comes from the cache; None when it is not UTF-8."""
    try:
        return cut_body(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


def _stat_key(path: Path) -> StatKey | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _read(path: Path, display: str, language: str, problems: list[Problem]) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            problems.append(
                Problem(
                    display,
                    None,
                    messages.text(
                        "too_large", language, size=f"{size / 1048576:.1f}", limit=MAX_DOCUMENT_BYTES // 1048576
                    ),
                    messages.text("too_large_hint", language),
                )
            )
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None  # deleted between listing and reading: it is simply not part of this build
    except OSError as error:
        problems.append(Problem(display, None, messages.text("unreadable", language, reason=error.strerror or error)))
        return None


def decode(raw: bytes, display: str, language: str) -> tuple[str | None, Problem | None]:
    """Decode a file's bytes: UTF-8 (with or without BOM), else a detected Chinese encoding.

    Returns the text and, when it was not UTF-8, a warning naming the encoding —
    or ``(None, error)`` when the bytes are not text at all.
    """
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw[:8192]:
        return None, Problem(
            display, None, messages.text("not_text", language), messages.text("not_text_hint", language)
        )
    from charset_normalizer import from_bytes  # only needed for the rare non-UTF-8 file

    best = from_bytes(raw, cp_isolation=["gb18030", "gbk", "big5", "utf_16", "cp1252"]).best()
    if best is None or best.encoding is None or best.chaos > 0.3:
        return None, Problem(
            display, None, messages.text("not_text", language), messages.text("not_text_hint", language)
        )
    encoding = "GB18030" if best.encoding in ("gb18030", "gbk", "gb2312") else best.encoding.upper()
    text = raw.decode(best.encoding, errors="replace")
    return text, Problem(
        display,
        None,
        messages.text("encoding_guessed", language, encoding=encoding),
        messages.text("encoding_guessed_hint", language, encoding=encoding),
        Severity.WARNING,
    )


def parse_document(
    source: str, text: str, config: SiteConfig, *, digest: str = ""
) -> tuple[Document | None, list[Problem]]:
    """Validate one Markdown file's text. Pure: returns the document (or None) and its problems."""
    display = f"content/{source}"
    language = config.language
    kind = kind_of(source)
    front = split(text, display, language)
    problems = list(front.problems)
    if problems and not front.fields:
        return None, problems
    validator = _FieldValidator(display, front.lines, config, kind)
    document = validator.document(source, front.fields, front.body, front.body_line, digest)
    problems.extend(validator.problems)
    problems.extend(_placeholders(display, front.body, front.body_line, language))
    if any(p.is_error for p in problems):
        return None, problems
    return document, problems


class _FieldValidator:
    """Converts one file's fields by the schema, collecting a problem per bad field."""

    def __init__(self, display: str, lines: dict[str, int], config: SiteConfig, kind: Kind) -> None:
        self.display = display
        self.lines = lines
        self.config = config
        self.language = config.language
        self.kind = kind
        self.problems: list[Problem] = []

    def error(self, at: str | None, key: str, hint: str = "", /, **values: Any) -> None:
        line = self.lines.get(at, 1) if at else 1
        self.problems.append(Problem(self.display, line, messages.text(key, self.language, **values), hint))

    def warn(self, at: str, key: str, hint: str = "", /, **values: Any) -> None:
        self.problems.append(
            Problem(
                self.display, self.lines.get(at, 1), messages.text(key, self.language, **values), hint, Severity.WARNING
            )
        )

    def document(self, source: str, fields: dict[str, Value], body: str, body_line: int, digest: str) -> Document:
        self._unknown_fields(fields)
        self._required(fields)
        title = self.text(fields, "title")
        authors = self._authors(fields)
        slug_text = self.text(fields, "slug")
        if slug_text and not is_valid_slug(slug_text):
            suggestion = slugify(slug_text) or "my-page"
            self.error(
                "slug", "bad_slug", messages.text("did_you_mean", self.language, suggestion=suggestion), value=slug_text
            )
        stem = source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        slug = (
            slug_text
            if slug_text and is_valid_slug(slug_text)
            else (slugify(stem) or "p-" + hashlib.blake2b(stem.encode(), digest_size=4).hexdigest())
        )
        number = self._positive_int(fields, "number", "bad_number")
        if self.kind is Kind.ISSUE and number is not None:
            title = self._title_without_number(title, number)
        extra = fields.get("extra")
        if extra is not None and not isinstance(extra, dict):
            self.error(
                "extra", "config_bad_value", key="extra", reason=messages.text("expected_mapping", self.language)
            )
            extra = None
        return Document(
            source=source,
            kind=self.kind,
            title=title,
            date=self._date(fields),
            slug=slug,
            body=body,
            body_line=body_line,
            number=number,
            track=self._track(fields),
            issue=self._issue_ref(fields),
            authors=authors,
            unit=self.text(fields, "unit"),
            host=self.text(fields, "host"),
            venue=self.text(fields, "venue"),
            participants=self.text_list(fields, "participants"),
            tags=self.text_list(fields, "tags"),
            summary=self.text(fields, "summary"),
            draft=self._bool(fields, "draft"),
            extra=MappingProxyType(dict(extra or {})),
            more=MappingProxyType(self._table_only(source, fields)),
            field_lines=MappingProxyType(dict(self.lines)),
            digest=digest,
        )

    def _table_only(self, source: str, fields: dict[str, Value]) -> dict[str, Any]:
        """The given fields declared only in the table, each converted by its type."""
        values: dict[str, Any] = {}
        for spec in table_only(self.kind):
            if fields.get(spec.name) is None:
                continue
            value = self._convert(spec.type, spec.name, source, fields)
            if value is not None:
                values[spec.name] = value
        return values

    def _convert(self, kind: str, name: str, source: str, fields: dict[str, Value]) -> Any:
        """One converter per field type; a bad value is reported at its line and gives None."""
        if kind == "text":
            return self.text(fields, name) or None
        if kind == "text_or_list":
            return self.text_list(fields, name) or None
        if kind == "int":
            return self._positive_int(fields, name, "bad_number")
        if kind == "bool":
            return self._bool(fields, name)
        if kind == "date":
            return self._date(fields, name)
        if kind == "image":
            return self._image(fields, name, source)
        if kind == "mapping":
            raw = fields.get(name)
            if isinstance(raw, dict):
                return MappingProxyType(dict(raw))
            self.error(name, "config_bad_value", key=name, reason=messages.text("expected_mapping", self.language))
            return None
        raise ValueError(f"front-matter field {name}: no converter for the type {kind}")

    def _image(self, fields: dict[str, Value], name: str, source: str) -> str | None:
        """An image path -> its source relative to content/ (whether it exists is the site stage's check)."""
        raw = fields.get(name)
        written = raw.strip() if isinstance(raw, str) else ""
        target = ""
        if _IMAGE.match(written):
            folder = posixpath.dirname(source)
            target = posixpath.normpath(written[1:] if written.startswith("/") else posixpath.join(folder, written))
        if not target or target == ".." or target.startswith("../"):
            self.error(name, "bad_field_value", field=name, reason=messages.text("expected_image", self.language))
            return None
        return target

    def _title_without_number(self, title: str, number: int) -> str:
        """An issue's title without its own number in front (第二期：走进车间 -> 走进车间), with a warning.

        The number is shown beside the title everywhere (第2期 走进车间), so repeated
        it would read 第2期 第二期：走进车间. A title that is nothing but the number stays.
        """
        match = _NUMBERED_TITLE.match(title)
        if match is None or issue_numeral(match.group(1)) != number:
            return title
        rest = title[match.end() :].strip()
        shown = f"第{number}期 {rest or title}"
        self.warn(
            "title",
            "title_repeats_number",
            messages.text("title_repeats_number_hint", self.language),
            shown=shown,
            title=title,
        )
        return rest or title

    def _unknown_fields(self, fields: dict[str, Value]) -> None:
        own = field_names(self.kind)
        every = all_front_matter_names()
        for name in fields:
            if name in own:
                continue
            suggestion = nearest(name, own) or (nearest(name, every) if name not in every else None)
            hint = (
                messages.text("did_you_mean", self.language, suggestion=suggestion)
                if suggestion
                else messages.text("unknown_field_hint_extra", self.language)
            )
            self.warn(name, "unknown_field", hint, field=name)

    def _required(self, fields: dict[str, Value]) -> None:
        # A field written but left empty (as ``chaowen new`` leaves them) is named at its line.
        for name in REQUIRED[self.kind]:
            if fields.get(name) in (None, "", []):
                self.error(name if name in self.lines else None, "missing_field", self._example(name), field=name)
        if self.kind is Kind.ESSAY and not fields.get("author") and not fields.get("authors"):
            at = "author" if "author" in self.lines else "authors" if "authors" in self.lines else None
            self.error(at, "missing_field", self._example("author"), field="author")

    def _example(self, name: str) -> str:
        """The hint for a missing field: the line to write, its value taken from the field's declaration."""
        spec = spec_of(self.kind, name)
        value = spec.example if spec is not None and spec.example else "…"
        if name == "track" and self.config.tracks:
            value = self.config.tracks[0].name
        return messages.text("missing_field_hint", self.language, example=f"{name}: {value}")

    def text(self, fields: dict[str, Value], name: str) -> str:
        raw = fields.get(name)
        if raw is None:
            return ""
        if isinstance(raw, str):
            return raw.strip()
        self.error(name, "config_bad_value", key=name, reason=messages.text("expected_text", self.language))
        return ""

    def text_list(self, fields: dict[str, Value], name: str) -> tuple[str, ...]:
        raw = fields.get(name)
        if raw is None:
            return ()
        items: list[Value] = (
            _TAG_SEPARATORS.split(raw) if isinstance(raw, str) else raw if isinstance(raw, list) else [raw]
        )
        result: list[str] = []
        for item in items:
            if item is None:
                continue
            if not isinstance(item, str):
                self.error(name, "config_bad_value", key=name, reason=messages.text("expected_text", self.language))
                continue
            cleaned = item.strip()
            if cleaned and cleaned not in result:
                result.append(cleaned)
        return tuple(result)

    def _authors(self, fields: dict[str, Value]) -> tuple[str, ...]:
        if fields.get("author") is not None and fields.get("authors") is not None:
            self.error("authors", "both_author_fields", messages.text("both_author_fields_hint", self.language))
        if fields.get("author") is not None:
            return self.text_list(fields, "author")
        return self.text_list(fields, "authors")

    def _bool(self, fields: dict[str, Value], name: str) -> bool:
        raw = fields.get(name)
        if raw is None:
            return False
        parsed = parse_bool(raw)
        if parsed is None:
            self.error(name, "bad_bool", field=name, value=raw)
            return False
        return parsed

    def _positive_int(self, fields: dict[str, Value], name: str, message: str) -> int | None:
        raw = fields.get(name)
        if raw is None:
            return None
        match = _ISSUE_REF.match(raw.strip()) if isinstance(raw, str) else None
        if match is None or int(match.group(1)) == 0:
            self.error(name, message, messages.text("bad_number_hint", self.language), value=raw)
            return None
        return int(match.group(1))

    def _issue_ref(self, fields: dict[str, Value]) -> int | None:
        return self._positive_int(fields, "issue", "bad_number")

    def _date(self, fields: dict[str, Value], name: str = "date") -> datetime | None:
        raw = fields.get(name)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.error(name, "bad_date", messages.text("bad_date_hint", self.language), value=raw)
            return None
        parsed = read_date(raw, ZoneInfo(self.config.timezone))
        if isinstance(parsed, DateMistake):
            hint = messages.text(parsed.hint, self.language, **parsed.values)
            self.error(name, parsed.key, hint, **parsed.values)
            return None
        return parsed

    def _track(self, fields: dict[str, Value]) -> str | None:
        raw = fields.get("track")
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.error("track", "config_bad_value", key="track", reason=messages.text("expected_text", self.language))
            return None
        wanted = raw.strip()
        for track in self.config.tracks:
            if wanted in (track.key, track.name) or wanted.lower() == track.key:
                return track.key
        names = [track.name for track in self.config.tracks]
        keys = [track.key for track in self.config.tracks]
        suggestion = nearest(wanted, names, cutoff=0.4) or nearest(wanted, keys, cutoff=0.4)
        hint = messages.text("did_you_mean", self.language, suggestion=suggestion) if suggestion else ""
        self.error("track", "unknown_track", hint, value=wanted, choices=messages.join_choices(names, self.language))
        return None


def issue_numeral(text: str) -> int | None:
    """The number written as ``12``, ``１２`` or ``十二`` (一百零五, 两 …); None when it is none of these."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[char]
        elif char in _CHINESE_UNITS:
            total += (current or 1) * _CHINESE_UNITS[char]
            current = 0
        else:
            return None
    return total + current


def _placeholders(display: str, body: str, body_line: int, language: str) -> list[Problem]:
    """A warning for each line of ``body`` that is still the text ``chaowen new`` wrote there."""
    texts = set(messages.CATALOGUE[BODY_PLACEHOLDER])
    return [
        Problem(
            display,
            body_line + index,
            messages.text("placeholder_left", language, text=line.strip()),
            messages.text("placeholder_left_hint", language),
            Severity.WARNING,
        )
        for index, line in enumerate(body.split("\n"))
        if line.strip() in texts
    ]


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
