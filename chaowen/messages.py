"""The one catalogue of editor-facing messages, in Chinese and English, and how they are worded.

Stages never write message text inline: a problem carries :func:`say` — a key and
the values to fill in, a :class:`Text` — and is worded once, in the site's
language, where it is reported (:meth:`chaowen.errors.Problem.format`). The
command line and the dev server word their own lines with :func:`text`. So every
message exists in both languages and reads the same way wherever it is raised.
A ``zh-*`` site gets Chinese, anything else English.

The entries live in two halves, :mod:`chaowen.catalogue_problems` (what a build
reports about a site) and :mod:`chaowen.catalogue_commands` (what the commands and
the preview say); :data:`CATALOGUE` joins them, refusing a key defined twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Union

from .catalogue_commands import MESSAGES as _COMMANDS
from .catalogue_problems import MESSAGES as _PROBLEMS


def _merged(*parts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        for key, texts in part.items():
            if key in merged:
                raise ValueError(f"the message {key!r} is in the catalogue twice")
            merged[key] = texts
    return merged


# key -> (Chinese, English), the one catalogue: its halves are catalogue_problems and catalogue_commands.
CATALOGUE: Final[dict[str, tuple[str, str]]] = _merged(_PROBLEMS, _COMMANDS)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each catalogue template as a pattern (placeholders match anything), the most specific first.

    A template's specificity is the length of its fixed text: a Chinese message that
    quotes ": " would otherwise fullmatch a short English template like "{param}: {reason}".
    """
    found: list[tuple[int, re.Pattern[str], str]] = []
    for index, language in ((1, "en"), (0, "zh-CN")):
        for texts in CATALOGUE.values():
            parts = re.split(r"\{[^{}]*\}", texts[index])
            if any(part.strip() for part in parts):
                pattern = re.compile("(?s)" + ".*".join(re.escape(part) for part in parts))
                found.append((sum(len(part) for part in parts), pattern, language))
    found.sort(key=lambda item: -item[0])
    return tuple((pattern, language) for _, pattern, language in found)


def language_of(message: str) -> str | None:
    """The language of a message made from the catalogue (``en`` or ``zh-CN``); None when it is not one.

    Prefer knowing the language (:meth:`errors.Problem.format` takes it); this is the fallback.
    """
    for pattern, language in _patterns():
        if pattern.fullmatch(message):
            return language
    return None


def is_chinese(language: str) -> bool:
    return language.lower().startswith("zh")


def text(key: str, language: str = "zh-CN", /, **values: object) -> str:
    """The message ``key`` in the site's language, with ``values`` filled in."""
    zh, en = CATALOGUE[key]
    template = zh if is_chinese(language) else en
    return template.format(**values) if values else template


Value = Union[str, int, "Text", tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Text:
    """A message not yet worded: a catalogue key and the values to fill in.

    Stages return problems as ``Text`` values; the words, in the site's language,
    are chosen once, where problems are reported (:meth:`errors.Problem.format`).
    A value may itself be a ``Text`` (a reason inside a message) or a tuple of
    choices, which is joined the way the language lists things (``、`` or ``, ``).
    """

    key: str
    values: tuple[tuple[str, Value], ...] = ()

    def __post_init__(self) -> None:
        if self.key not in CATALOGUE:
            raise KeyError(f"no message {self.key!r} in the catalogue")

    def render(self, language: str) -> str:
        zh, en = CATALOGUE[self.key]
        template = zh if is_chinese(language) else en
        if not self.values:
            return template
        return template.format(**{name: _render_value(value, language) for name, value in self.values})

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "values": [[name, _value_to_json(value)] for name, value in self.values]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Text:
        return cls(str(data["key"]), tuple((str(name), _value_from_json(value)) for name, value in data["values"]))


def say(key: str, /, **values: object) -> Text:
    """The message ``key`` with ``values``, to be worded later in the site's language.

    Lists become tuples (joined per language when worded); other values that are not
    text, numbers or messages are kept as their ``str``.
    """
    return Text(key, tuple((name, _value(value)) for name, value in values.items()))


def _value(value: object) -> Value:
    if isinstance(value, (str, int, Text)) and not isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(str(item) for item in value)
    return str(value)


def _render_value(value: Value, language: str) -> object:
    if isinstance(value, Text):
        return value.render(language)
    if isinstance(value, tuple):
        return join_choices(value, language)
    return value


def _value_to_json(value: Value) -> Any:
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, tuple):
        return {"choices": list(value)}
    return value


def _value_from_json(data: Any) -> Value:
    if isinstance(data, dict):
        if "text" in data:
            return Text.from_json(data["text"])
        return tuple(str(item) for item in data["choices"])
    if isinstance(data, (str, int)):
        return data
    raise ValueError(f"not a message value: {data!r}")


def join_choices(choices: list[str] | tuple[str, ...], language: str) -> str:
    return ("、" if is_chinese(language) else ", ").join(choices)
