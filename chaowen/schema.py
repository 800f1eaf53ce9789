"""One definition of every configurable field, used to validate and to describe.

Config keys (``chaowen.yaml``) and front-matter fields (per content kind) are
declared here once. The validators in :mod:`chaowen.config` and
:mod:`chaowen.content` read these tables, and :func:`json_schema` turns them into
the JSON Schema that editors' YAML extensions use — so the three never disagree.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, Final

from .model import Document, Kind


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field: its name, the shape of its value, and what it means (in both languages)."""

    name: str
    type: str  # text | int | bool | date | text_or_list | mapping | image | track (front matter) | tracks, images (config)
    zh: str
    en: str
    default: Any = None
    required: frozenset[Kind] = frozenset()  # the kinds (front matter) that must give it
    example: str = ""  # a value as an editor writes it: the scaffold's and the error hints' example
    # Front matter only. ``rule``: a check beyond the type, by name (chaowen.fields.RULES), run after every
    # field is converted. ``attribute``: the Document attribute the value goes to when not the field's name.
    rule: str = ""
    attribute: str = ""


# Every way of writing a date that the build reads (dates.read_date), and the JSON Schema's "date" pattern:
# 2024-03-05, 2024/3/5, 2024年3月5日, 2024-03-05 14:30, 2024-03-05T14:30:00+08:00. Whether the day exists is
# the build's check; a pattern cannot know it. Digits are spelt out ([0-9０-９], not \d): in Python \d is any
# Unicode digit, in an editor's (ECMAScript) validator ASCII only, and the two must accept the same dates.
DATE_PATTERN: Final = (
    r"^(?![0０]{4})([0-9０-９]{4})[-/.年]([0-9０-９]{1,2})[-/.月]([0-9０-９]{1,2})日?"
    r"(?:[ T]+([0-9０-９]{1,2})[:：]([0-9０-９]{2})(?:[:：]([0-9０-９]{2})(?:\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)


# An image field: a path relative to the document, or from content/ when it starts with "/", to a picture file;
# not a URL (the site makes no external request), not a Windows path. Written for Python's re and ECMAScript alike.
IMAGE_PATTERN: Final = (
    r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\\\s][^\\]*\."
    r"([pP][nN][gG]|[jJ][pP][eE]?[gG]|[gG][iI][fF]|[wW][eE][bB][pP]|[sS][vV][gG]|[aA][vV][iI][fF])$"
)


# chaowen.yaml
CONFIG_FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("title", "text", "站点标题", "Site title", ""),
    FieldSpec("description", "text", "站点简介，用于首页和搜索引擎", "One-line description of the site", ""),
    FieldSpec(
        "base_url",
        "text",
        "发布后的网址，例如 https://example.org/chaowen/",
        "Where the site is published, e.g. https://example.org/chaowen/",
        "/",
    ),
    FieldSpec("language", "text", "站点语言，默认 zh-CN", "Site language (default zh-CN)", "zh-CN"),
    FieldSpec("timezone", "text", "时区，默认 Asia/Shanghai", "Time zone for dates without one", "Asia/Shanghai"),
    FieldSpec("theme", "text", "主题名称，默认 default", "Theme name (default: default)", "default"),
    FieldSpec("per_page", "int", "索引页每页条数", "Items per index page", 10),
    FieldSpec("author", "text", "站点作者或编辑部", "Site author, e.g. the editorial office", ""),
    FieldSpec("copyright", "text", "页脚版权说明", "Footer copyright line", ""),
    FieldSpec(
        "relative_urls",
        "bool",
        "生成相对链接，便于直接打开文件浏览（离线拷贝）",
        "Write relative links so the site browses from file:// (offline copy)",
        False,
    ),
    FieldSpec(
        "tracks",
        "tracks",
        "赛道列表：key（英文，用于网址）、name、description",
        "The tracks: key (ASCII, used in URLs), name, description",
        (),
    ),
    FieldSpec("extra", "mapping", "自定义数据，原样传给模板", "Free-form data passed to templates", None),
    FieldSpec(
        "images",
        "images",
        "图片处理：widths（宽度列表）、quality（1~100）、formats（webp、avif）、keep_originals（是否发布原图）；默认即可",
        "Image processing: widths, quality (1-100), formats (webp, avif), keep_originals; the defaults need no change",
        None,
    ),
    FieldSpec(
        "print",
        "print",
        "印刷版：每期生成一个可印刷的 PDF（enabled、paper、margins、new_page、volumes）",
        "The print edition: a print-ready PDF per journal issue (enabled, paper, margins, new_page, volumes)",
        None,
    ),
)

IMAGE_FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec(
        "widths", "int", "生成的图片宽度（像素），不会超过原图", "Widths made of each image, never above its own", None
    ),
    FieldSpec("quality", "int", "有损格式的压缩质量 1~100", "Quality of the lossy formats, 1-100", None),
    FieldSpec("formats", "text", "在 JPEG/PNG 之外提供的新格式：webp、avif", "Modern formats besides JPEG/PNG", None),
    FieldSpec(
        "keep_originals", "bool", "同时发布原图（含拍摄信息）", "Also publish the original (with its metadata)", None
    ),
)

# print: in chaowen.yaml (the print edition, chaowen.printing)
PRINT_FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("enabled", "bool", "是否生成印刷版 PDF", "Make the print edition", False),
    FieldSpec("paper", "text", "纸张：A4 或 A5", "Paper size: A4 or A5", "A4"),
    FieldSpec(
        "margins",
        "text",
        "页边距，一到四个长度，如 20mm 18mm",
        "Page margins, one to four lengths, e.g. 20mm 18mm",
        "20mm 18mm",
    ),
    FieldSpec("new_page", "bool", "每篇文章从新的一页开始", "Start every article on a new page", True),
    FieldSpec(
        "volumes",
        "bool",
        "每年另出一册合订本 PDF，收录当年各期",
        "Also make a bound volume per year: every issue of the year in one PDF",
        False,
    ),
)

TRACK_FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("key", "text", "赛道代号（小写英文，用于网址）", "Track key (lower-case ASCII, used in URLs)"),
    FieldSpec("name", "text", "赛道名称", "Track name"),
    FieldSpec("description", "text", "赛道简介", "Track description", ""),
)

_ALL_KINDS: Final = frozenset(Kind)
_NOT_PAGE: Final = frozenset({Kind.ISSUE, Kind.MINUTES, Kind.ESSAY})

_COMMON: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("title", "text", "标题", "Title", required=_ALL_KINDS, example="标题", rule="title_without_number"),
    FieldSpec(
        "date",
        "date",
        "日期，如 2024-03-15 或 2024-03-15 14:30",
        "Date, e.g. 2024-03-15 or 2024-03-15 14:30",
        required=_NOT_PAGE,
        example="2024-03-15",
    ),
    FieldSpec(
        "tags",
        "text_or_list",
        "标签：列表，或用 、，, 分隔的一行",
        "Tags: a list, or one line split on commas",
        example="调研、乡村振兴",
    ),
    FieldSpec(
        "summary", "text", "摘要（不写则取正文第一段）", "Summary (default: the first paragraph)", example="一句话摘要"
    ),
    FieldSpec(
        "slug",
        "text",
        "网址中的名字（小写英文、数字、连字符）",
        "Name in the URL (lower-case ASCII, digits, hyphens)",
        example="my-page",
        rule="slug",
    ),
    FieldSpec("draft", "bool", "草稿：true 时不发布", "Draft: not published unless --drafts", False, example="true"),
    FieldSpec("extra", "mapping", "自定义字段，原样传给模板", "Free-form fields passed to templates", example="{}"),
)
_TRACK = FieldSpec(
    "track",
    "track",
    "赛道：代号或中文名",
    "Track: its key or its name",
    required=frozenset({Kind.MINUTES, Kind.ESSAY}),
    example="…",
)
_ISSUE = FieldSpec("issue", "int", "刊登于第几期", "Number of the journal issue it appeared in", example="1")

FRONT_MATTER: Final[dict[Kind, tuple[FieldSpec, ...]]] = {
    Kind.ISSUE: _COMMON
    + (
        FieldSpec("number", "int", "期号（第N期）", "Issue number", required=frozenset({Kind.ISSUE}), example="1"),
        _TRACK,
        FieldSpec(
            "cover",
            "image",
            "封面图片：相对本文件的路径，如 cover.jpg（图片放在 content/ 下）",
            "Cover image: a path relative to this file, e.g. cover.jpg (the image under content/)",
            example="cover.jpg",
        ),
    ),
    Kind.MINUTES: _COMMON
    + (
        _TRACK,
        _ISSUE,
        FieldSpec("host", "text", "主持人", "Host", example="姓名"),
        FieldSpec("venue", "text", "地点", "Venue", example="临浦镇文化站"),
        FieldSpec("participants", "text_or_list", "参与人员列表", "Participants (a list)", example="张三、李四"),
    ),
    Kind.ESSAY: _COMMON
    + (
        _TRACK,
        _ISSUE,
        FieldSpec("author", "text_or_list", "作者", "Author", example="姓名", attribute="authors"),
        FieldSpec(
            "authors",
            "text_or_list",
            "多位作者（列表）",
            "Several authors (a list)",
            example="张三、李四",
            rule="not_both_authors",
        ),
        FieldSpec("unit", "text", "作者单位，例如 临浦镇", "The author's work unit", example="临浦镇"),
    ),
    Kind.PAGE: _COMMON,
}

# Derived from the table (essays also need author or authors: a cross-field rule, checked by content.py
# and stated in the JSON Schema as anyOf).
REQUIRED: Final[dict[Kind, tuple[str, ...]]] = {
    kind: tuple(spec.name for spec in specs if kind in spec.required) for kind, specs in FRONT_MATTER.items()
}
AUTHOR_ONE_OF: Final = ("author", "authors")


def spec_of(kind: Kind, name: str) -> FieldSpec | None:
    """The declaration of front-matter field ``name`` for ``kind``; None when the kind has no such field."""
    for spec in FRONT_MATTER[kind]:
        if spec.name == name:
            return spec
    return None


# Document attributes that no row fills: where the file is and what follows its front matter. Every other
# attribute is filled by the row of its name (or the row whose ``attribute`` it is); tests hold the two equal.
DERIVED: Final = frozenset({"source", "kind", "body", "body_line", "more", "field_lines", "digest"})
DOCUMENT_ATTRIBUTES: Final = frozenset(f.name for f in fields(Document)) - DERIVED
# The Python type each field type converts to, as Document's annotations spell it.
PYTHON_TYPES: Final[dict[str, str]] = {
    "text": "str",
    "text_or_list": "tuple[str, ...]",
    "int": "int | None",
    "bool": "bool",
    "date": "datetime | None",
    "mapping": "Mapping[str, Any]",
    "image": "str | None",
    "track": "str | None",
}


def attribute_of(spec: FieldSpec) -> str | None:
    """The Document attribute a row fills; None when it has none (its value is kept in ``Document.more``)."""
    name = spec.attribute or spec.name
    return name if name in DOCUMENT_ATTRIBUTES else None


def table_only(kind: Kind) -> tuple[FieldSpec, ...]:
    """The fields of ``kind`` that have no attribute of their own on Document: kept in ``Document.more``.

    They are validated, cached and shown by their type alone, so declaring one here is all it takes.
    """
    return tuple(spec for spec in FRONT_MATTER[kind] if attribute_of(spec) is None)


def _types_by_name() -> dict[str, str]:
    types: dict[str, str] = {}
    for specs in FRONT_MATTER.values():
        for spec in specs:
            if types.setdefault(spec.name, spec.type) != spec.type:
                raise TypeError(f"front-matter field {spec.name} is declared with two types")
    return types


# A field's type is the same in every kind that has it (the cache reads Document.more by name).
FIELD_TYPES: Final[dict[str, str]] = _types_by_name()


def nearest(word: str, choices: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The closest choice to ``word``, for "did you mean" hints; case-insensitive."""
    options = list(choices)
    lowered = {choice.lower(): choice for choice in options}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None


_JSON_TYPES: Final[dict[str, dict[str, Any]]] = {
    "text": {"type": "string"},
    "int": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 1},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "pattern": DATE_PATTERN},
    "text_or_list": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "mapping": {"type": "object"},
    "image": {"type": "string", "pattern": IMAGE_PATTERN},
    "track": {"type": "string"},
}


def json_schema(kind: Kind, track_names: Iterable[str] = (), language: str = "zh-CN") -> dict[str, Any]:
    """JSON Schema (draft-07: what the YAML language server and Ajv read by default) of the front matter of ``kind``."""
    chinese = language.lower().startswith("zh")
    properties: dict[str, Any] = {}
    for spec in FRONT_MATTER[kind]:
        prop = dict(_JSON_TYPES[spec.type])
        prop["description"] = spec.zh if chinese else spec.en
        if spec.type == "track" and track_names:
            prop = {"description": prop["description"], "enum": sorted(set(track_names))}
        properties[spec.name] = prop
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": f"chaowen {kind.value} front matter",
        "type": "object",
        "properties": properties,
        "required": list(REQUIRED[kind]),
        "additionalProperties": False,
    }
    if kind is Kind.ESSAY:
        schema["anyOf"] = [{"required": ["author"]}, {"required": ["authors"]}]
    return schema
