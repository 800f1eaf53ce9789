"""The field table is the one declaration: schema, scaffold and cache are checked against it."""

from dataclasses import fields
from datetime import datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chaowen.codec import document_from_json, document_to_json
from chaowen.content import parse_document
from chaowen.dates import read_date
from chaowen.errors import Problem, Severity
from chaowen.fields import CONVERTERS, RULES
from chaowen.model import Document, Kind
from chaowen.scaffold import front_matter
from chaowen.schema import (
    _JSON_TYPES,
    DERIVED,
    FRONT_MATTER,
    PYTHON_TYPES,
    REQUIRED,
    FieldSpec,
    attribute_of,
    json_schema,
    table_only,
)
from tests.conftest import make_config

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Only the date is checked: a schema with that one property, as an editor's validator would apply it.
DATE_SCHEMA = {"type": "object", "properties": {"date": json_schema(Kind.ESSAY)["properties"]["date"]}}


def schema_accepts(value: str) -> bool:
    return jsonschema.Draft7Validator(DATE_SCHEMA).is_valid({"date": value})


def build_accepts(value: str) -> bool:
    return isinstance(read_date(value, SHANGHAI), datetime)


def build_names_what_does_not_exist(value: str) -> bool:
    """The build refuses a date of the right form because a part does not exist (2024-02-30, 25:00)."""
    result = read_date(value, SHANGHAI)
    return not isinstance(result, datetime) and result.key != "bad_date"


DIGITS = st.sampled_from(list("0123456789") + list("０１２３４５６７８９") + ["٣", "x", ""])
SEPARATORS = st.sampled_from(["-", "/", ".", "年", "月", "日", " ", "T", ":", "：", "", "_", "T "])
ZONES = st.sampled_from(["", "Z", "+08:00", "-0530", "+8", "z", " +08:00", "+24:00"])


@st.composite
def date_like(draw: st.DrawFn) -> str:
    """Text shaped like the dates editors write, with mistakes mixed in."""
    parts = [
        "".join(draw(st.lists(DIGITS, min_size=1, max_size=5))),
        draw(SEPARATORS),
        "".join(draw(st.lists(DIGITS, min_size=1, max_size=3))),
        draw(SEPARATORS),
        "".join(draw(st.lists(DIGITS, min_size=1, max_size=3))),
    ]
    if draw(st.booleans()):
        parts.append(draw(SEPARATORS))
        parts.append("".join(draw(st.lists(DIGITS, min_size=1, max_size=3))))
        parts.append(draw(SEPARATORS))
        parts.append("".join(draw(st.lists(DIGITS, min_size=1, max_size=3))))
        parts.append(draw(ZONES))
    return "".join(parts)


ACCEPTED_FORMS = [
    "2024-03-05",
    "2024/3/5",
    "2024.3.5",
    "2024年3月5日",
    "２０２４年３月５日",
    "2024-03-05 14:30",
    "2024-03-05 14：30",
    "2024-03-05T14:30:00",
    "2024-03-05T14:30:00.5",
    "2024-03-05T06:00:00Z",
    "2024-03-05T14:30:00+08:00",
    "2024-03-05 14:30 +0800",
]


@pytest.mark.parametrize("value", ACCEPTED_FORMS)
def test_every_documented_date_form_is_accepted_by_build_and_schema(value: str) -> None:
    assert build_accepts(value)
    assert schema_accepts(value)


@pytest.mark.parametrize("value", ["2024-3", "24-03-05", "0000-01-01", "２０２４-٠٣-05", "2024-03-05 14", "明天"])
def test_forms_neither_accepts(value: str) -> None:
    assert not build_accepts(value)
    assert not schema_accepts(value)


@settings(max_examples=400, deadline=None)
@given(st.one_of(date_like(), st.text(max_size=24)))
@example("٢٠٢٤-03-05")  # Arabic-Indic digits: Python's \d takes them, an editor's validator does not
@example("2024-02-30")
def test_the_build_and_the_json_schema_agree_on_dates(value: str) -> None:
    value = value.strip()  # the YAML reader strips a scalar; the build strips again
    if build_accepts(value):
        assert schema_accepts(value), value
    if schema_accepts(value):
        # A pattern cannot know which days exist; the build then names the part that does not.
        assert build_accepts(value) or build_names_what_does_not_exist(value), value


def _sample(name: str, annotation: str) -> Any:
    """A value of a Document field that differs from its default."""
    samples: dict[str, Any] = {
        "str": f"值-{name}",
        "int": 7,
        "bool": True,
        "int | None": 3,
        "str | None": "materials",
        "datetime | None": datetime(2024, 3, 5, 14, 30, tzinfo=SHANGHAI),
        "Kind": Kind.MINUTES,
        "tuple[str, ...]": (f"甲-{name}", "乙"),
        "Mapping[str, Any]": MappingProxyType({"k": [1, "二"], "n": None}),
        "Mapping[str, int]": MappingProxyType({"title": 2, "date": 3}),
    }
    return samples[annotation]


BY_FIELD_TYPE: dict[str, Any] = {
    "text": "文字",
    "image": "issues/cover.png",
    "int": 4,
    "bool": True,
    "date": datetime(2024, 3, 5, tzinfo=SHANGHAI),
    "text_or_list": ("甲", "乙"),
    "mapping": MappingProxyType({"k": "v"}),
    "track": "materials",
}


def test_every_document_field_round_trips_through_the_cache_codec() -> None:
    values = {f.name: _sample(f.name, str(f.type)) for f in fields(Document) if f.name not in ("body", "more")}
    values["more"] = MappingProxyType({spec.name: BY_FIELD_TYPE[spec.type] for spec in table_only_specs()})
    document = Document(body="", **values)
    problems = (Problem("content/a.md", 3, "信息", "提示", Severity.WARNING),)
    back, back_problems = document_from_json(document_to_json(document, problems))
    assert back == document
    assert back_problems == problems
    for name, value in values.items():  # every field differs from its default, so none is dropped silently
        assert getattr(back, name) == value
    for name, value in values["more"].items():
        assert back.more[name] == value and type(back.more[name]) is type(value)


def table_only_specs() -> list[FieldSpec]:
    """Every field declared only in the table, once (a name has one type in every kind)."""
    found: dict[str, FieldSpec] = {}
    for kind in Kind:
        for spec in table_only(kind):
            found.setdefault(spec.name, spec)
    return list(found.values())


def test_every_field_type_of_the_table_is_sampled_by_the_round_trip() -> None:
    for specs in FRONT_MATTER.values():
        for spec in specs:
            assert spec.type in BY_FIELD_TYPE, spec.type


@pytest.mark.parametrize("kind", list(Kind))
def test_every_field_of_the_table_is_in_the_json_schema(kind: Kind) -> None:
    schema = json_schema(kind)
    assert set(schema["properties"]) == {spec.name for spec in FRONT_MATTER[kind]}
    assert schema["required"] == list(REQUIRED[kind])
    for spec in FRONT_MATTER[kind]:
        assert schema["properties"][spec.name]["description"] == spec.zh


@pytest.mark.parametrize("kind", list(Kind))
def test_every_field_of_the_table_is_in_the_scaffold_or_deliberately_left_out(kind: Kind) -> None:
    text = front_matter(kind, {}, make_config())
    offered = {line.lstrip("# ").split(":", 1)[0] for line in text.splitlines() if ":" in line}
    left_out = {"extra", "slug", "draft", "authors"}  # scaffold._NOT_OFFERED: rarely wanted in a new file
    for spec in FRONT_MATTER[kind]:
        assert spec.name in offered or spec.name in left_out, spec.name


def test_every_field_has_both_descriptions_and_an_example() -> None:
    for specs in FRONT_MATTER.values():
        for spec in specs:
            assert spec.zh and spec.en and spec.example, spec.name


def test_document_attributes_and_table_rows_agree_in_name_and_type() -> None:
    """Every Document attribute but the derived ones is filled by a row of its type, and every row's attribute
    (when it has one) exists with that type: an attribute without its row, or the reverse, fails here."""
    annotations = {f.name: str(f.type) for f in fields(Document)}
    filled: dict[str, set[str]] = {}
    for kind, specs in FRONT_MATTER.items():
        for spec in specs:
            attribute = attribute_of(spec)
            if attribute is None:
                continue
            assert annotations[attribute] == PYTHON_TYPES[spec.type], (kind, spec.name)
            filled.setdefault(attribute, set()).add(spec.name)
    assert set(filled) == set(annotations) - DERIVED
    assert set(annotations) >= DERIVED


@pytest.mark.parametrize("kind", list(Kind))
def test_the_json_schema_has_every_row_with_the_json_type_of_its_type(kind: Kind) -> None:
    schema = json_schema(kind)
    assert list(schema["properties"]) == [spec.name for spec in FRONT_MATTER[kind]]
    for spec in FRONT_MATTER[kind]:
        expected = dict(_JSON_TYPES[spec.type])
        assert {k: v for k, v in schema["properties"][spec.name].items() if k != "description"} == expected
        assert (spec.name in schema["required"]) == (kind in spec.required)
    assert schema["required"] == list(REQUIRED[kind])


def test_every_type_has_a_converter_a_python_type_and_a_json_type_and_every_rule_a_function() -> None:
    assert set(CONVERTERS) == set(PYTHON_TYPES) and set(PYTHON_TYPES) <= set(_JSON_TYPES)
    for specs in FRONT_MATTER.values():
        for spec in specs:
            assert spec.type in CONVERTERS and spec.type in _JSON_TYPES
            assert not spec.rule or spec.rule in RULES


def _example_value(spec: FieldSpec) -> str:
    return {"date": "2024-03-05", "bool": "true", "track": "智能物联", "mapping": "{k: v}"}.get(
        spec.type, spec.example or "甲"
    )


@pytest.mark.parametrize("kind", list(Kind))
def test_every_row_given_lands_in_the_document_and_survives_the_cache(kind: Kind) -> None:
    """Each field, written with its example, changes the parsed document (its attribute or Document.more)
    and comes back from the cache codec: no row is validated and then dropped."""
    config = make_config()
    folder = {Kind.ISSUE: "issues", Kind.MINUTES: "minutes", Kind.ESSAY: "essays", Kind.PAGE: "pages"}[kind]
    base = {spec.name: _example_value(spec) for spec in FRONT_MATTER[kind] if spec.name in REQUIRED[kind]}
    if kind is Kind.ESSAY:
        base["author"] = "王小明"
    base["title"] = "走进车间"

    def parse(values: dict[str, str]) -> Document:
        text = "---\n" + "".join(f"{name}: {value}\n" for name, value in values.items()) + "---\n正文\n"
        document, problems = parse_document(f"{folder}/a.md", text, config)
        assert document is not None, [p.format() for p in problems]
        assert not [p for p in problems if p.is_error]
        return document

    plain = parse(base)
    for spec in FRONT_MATTER[kind]:
        if spec.name in base or spec.name == "authors" and kind is Kind.ESSAY:
            continue
        document = parse({**base, spec.name: _example_value(spec)})
        assert document != plain, spec.name
        attribute = attribute_of(spec)
        if attribute is None:
            assert spec.name in document.more
        else:
            assert getattr(document, attribute) != getattr(plain, attribute), spec.name
        back, _ = document_from_json(document_to_json(document, ()))
        assert back == Document(**{**{f.name: getattr(document, f.name) for f in fields(Document)}, "body": ""})
