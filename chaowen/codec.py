"""The JSON forms of the values the cache keeps: documents (every field, by its type) and problems.

A Document's codec is made from the dataclass and the field table, so a field added to
either is cached with no edit here; a field of a type without a codec fails at import.
Decoding raises KeyError/TypeError/ValueError on bad data: the cache then drops the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from . import messages
from .errors import Problem, Severity
from .model import Document, Kind
from .schema import FIELD_TYPES


def document_to_json(document: Document, problems: tuple[Problem, ...]) -> dict[str, Any]:
    """A document (without its body) as JSON: every field of :class:`Document`, by the codec of its type."""
    data: dict[str, Any] = {name: codec[0](getattr(document, name)) for name, codec in _DOCUMENT_CODECS.items()}
    data["problems"] = [problem_to_json(p) for p in problems]
    return data


def document_from_json(data: dict[str, Any]) -> tuple[Document, tuple[Problem, ...]]:
    """Rebuild a cached document (without its body). Raises KeyError/TypeError/ValueError on bad data."""
    values = {name: codec[1](data[name]) for name, codec in _DOCUMENT_CODECS.items()}
    document = Document(body="", **values)
    return document, tuple(problem_from_json(p) for p in data["problems"])


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # to JSON, from JSON (raising on bad data)
# One codec per type a Document field may have. The table below is made from the dataclass itself, so a
# field added to Document is cached with no edit here, and a field of a type without a codec fails at import.
_CODECS_BY_TYPE: dict[str, Codec] = {
    "str": (lambda v: v, lambda v: as_str(v)),
    "int": (lambda v: v, lambda v: int(v)),
    "bool": (lambda v: v, lambda v: bool(v)),
    "int | None": (lambda v: v, lambda v: opt_int(v)),
    "str | None": (lambda v: v, lambda v: None if v is None else as_str(v)),
    "datetime | None": (
        lambda v: v.isoformat() if v else None,
        lambda v: datetime.fromisoformat(as_str(v)) if v else None,
    ),
    "Kind": (lambda v: v.value, lambda v: Kind(v)),
    "tuple[str, ...]": (lambda v: list(v), lambda v: as_strs(v)),
    "Mapping[str, Any]": (lambda v: dict(v), lambda v: MappingProxyType(dict(v))),
    "Mapping[str, int]": (
        lambda v: dict(v),
        lambda v: MappingProxyType({as_str(k): int(n) for k, n in v.items()}),
    ),
}


# Document.more holds the fields declared only in the table, each by its declared type.
_CODECS_BY_FIELD_TYPE: dict[str, Codec] = {
    "text": _CODECS_BY_TYPE["str"],
    "image": _CODECS_BY_TYPE["str"],
    "track": _CODECS_BY_TYPE["str"],
    "int": _CODECS_BY_TYPE["int"],
    "bool": _CODECS_BY_TYPE["bool"],
    "date": _CODECS_BY_TYPE["datetime | None"],
    "text_or_list": _CODECS_BY_TYPE["tuple[str, ...]"],
    "mapping": _CODECS_BY_TYPE["Mapping[str, Any]"],
}


def _more_to_json(more: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _CODECS_BY_FIELD_TYPE[FIELD_TYPES[name]][0](value) for name, value in more.items()}


def _more_from_json(data: Any) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise TypeError("expected a mapping")
    return MappingProxyType(
        {as_str(name): _CODECS_BY_FIELD_TYPE[FIELD_TYPES[name]][1](value) for name, value in data.items()}
    )


def _document_codecs() -> dict[str, Codec]:
    codecs: dict[str, Codec] = {"more": (_more_to_json, _more_from_json)}
    for spec in fields(Document):
        if spec.name == "body" or spec.name in codecs:  # the body is cut from the file again on use
            continue
        kind = str(spec.type)
        if kind not in _CODECS_BY_TYPE:
            raise TypeError(f"Document.{spec.name}: no cache codec for the type {kind}")
        codecs[spec.name] = _CODECS_BY_TYPE[kind]
    return codecs


_DOCUMENT_CODECS: Final = _document_codecs()


def problem_to_json(problem: Problem) -> list[Any]:
    return [
        problem.path,
        problem.line,
        _text_to_json(problem.message),
        _text_to_json(problem.hint),
        problem.severity.value,
    ]


def problem_from_json(data: list[Any]) -> Problem:
    path, line, message, hint, severity = data
    return Problem(as_str(path), opt_int(line), _text_from_json(message), _text_from_json(hint), Severity(severity))


def _text_to_json(text: messages.Text | str) -> Any:
    return text if isinstance(text, str) else text.to_json()


def _text_from_json(data: Any) -> messages.Text | str:
    return messages.Text.from_json(data) if isinstance(data, dict) else as_str(data)


def as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def as_strs(value: Any) -> tuple[str, ...]:
    # The page manifest holds millions of these (each page's reads): the type test runs in C.
    if not isinstance(value, list) or not set(map(type, value)) <= {str}:
        raise TypeError("expected a list of text")
    return tuple(value)


def opt_int(value: Any) -> int | None:
    return None if value is None else int(value)
