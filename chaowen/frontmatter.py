"""Split a Markdown file's text into front matter and body, and read the YAML safely.

Values are kept as the text the editor wrote: PyYAML's implicit typing would turn
``010`` into 8, ``NO`` into False and ``12:30`` into 45000, so we compose the YAML
into nodes with the *base* resolver (every scalar is a string) and convert the
nodes ourselves. That also lets us keep the line of every field, refuse tags
(``!!python/object``) without constructing anything, and refuse aliases, which
makes "billion laughs" documents harmless.

Pure: text in, values out; no file I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union

import yaml

from . import messages
from .errors import Problem

try:  # libyaml's C parser is several times faster when present
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

Value = Union[str, list["Value"], dict[str, "Value"], None]

_DELIMITER = "---"
_PLAIN_TAGS = frozenset(
    {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:null"}
)
# Full-width characters that editors type with a Chinese input method where YAML needs ASCII.
_FULLWIDTH = {"：": ":", "\u3000": " ", "，": ",", "－": "-", "＃": "#", "［": "[", "］": "]"}
_KEY_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_\-]*\s*：")
_KEY_FULLWIDTH_SPACE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_\-]*:\u3000")
_MAX_FRONT_MATTER = 256 * 1024  # bytes of YAML; far beyond any real header


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Fields as written (strings, lists, mappings), the line of each, and the body."""

    fields: dict[str, Value]
    lines: dict[str, int]
    body: str
    body_line: int  # 1-based line where the body starts
    has_front_matter: bool = True
    problems: tuple[Problem, ...] = field(default=())


def normalise_newlines(text: str) -> str:
    """Drop a BOM and turn CRLF and lone CR into LF, as Windows editors save them."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str, path: str, language: str = "zh-CN") -> FrontMatter:
    """Split ``text`` (already decoded) into parsed front matter and body.

    ``path`` is only used to name the file in problems. Problems are returned in
    :attr:`FrontMatter.problems`; ``fields`` is empty when the YAML is unusable.
    """
    text = normalise_newlines(text)
    lines = text.split("\n")
    if not text.strip():
        problem = Problem(
            path, 1, messages.text("empty_file", language), messages.text("frontmatter_missing_hint", language)
        )
        return FrontMatter({}, {}, "", 1, False, (problem,))
    if lines[0].rstrip() != _DELIMITER:
        problem = Problem(
            path, 1, messages.text("frontmatter_missing", language), messages.text("frontmatter_missing_hint", language)
        )
        return FrontMatter({}, {}, text, 1, False, (problem,))
    end = _closing_line(lines)
    if end is None:
        problem = Problem(
            path,
            1,
            messages.text("frontmatter_unclosed", language),
            messages.text("frontmatter_unclosed_hint", language),
        )
        return FrontMatter({}, {}, "", len(lines) + 1, True, (problem,))
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    fields, field_lines, problems = parse_yaml(yaml_text, path, first_line=2, language=language)
    return FrontMatter(fields, field_lines, body, end + 2, True, tuple(problems))


def cut_body(text: str) -> str:
    """The body of a file whose front matter is already known to be valid (no YAML parsing).

    Used for documents whose parsed front matter comes from the build cache.
    """
    text = normalise_newlines(text)
    lines = text.split("\n")
    end = _closing_line(lines) if lines and lines[0].rstrip() == _DELIMITER else None
    return text if end is None else "\n".join(lines[end + 1 :])


def _closing_line(lines: list[str]) -> int | None:
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_DELIMITER, "..."):
            return index
    return None


def parse_yaml(
    yaml_text: str, path: str, *, first_line: int = 1, language: str = "zh-CN"
) -> tuple[dict[str, Value], dict[str, int], list[Problem]]:
    """Parse a YAML mapping keeping every scalar as text.

    Returns the mapping, the 1-based line of each top-level key, and problems.
    ``first_line`` is the file line of the YAML's first line.
    """
    if len(yaml_text.encode("utf-8", "surrogatepass")) > _MAX_FRONT_MATTER:
        return (
            {},
            {},
            [
                Problem(
                    path,
                    first_line,
                    messages.text("too_large", language, size="0.25", limit="0.25"),
                    messages.text("too_large_hint", language),
                )
            ],
        )
    precheck = _typing_mistakes(yaml_text, path, first_line, language)
    if precheck:
        return {}, {}, precheck
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return {}, {}, [_yaml_problem(error, yaml_text, path, first_line, language)]
    except (yaml.YAMLError, UnicodeEncodeError) as error:  # rare: a bad stream, or text with lone surrogates
        return (
            {},
            {},
            [
                Problem(
                    path,
                    first_line,
                    messages.text("yaml_error", language, reason=str(error)),
                    messages.text("yaml_error_hint", language),
                )
            ],
        )
    if node is None:
        return {}, {}, []
    converter = _Converter(path, first_line, language)
    if not isinstance(node, yaml.MappingNode):
        return (
            {},
            {},
            [
                Problem(
                    path,
                    first_line + node.start_mark.line,
                    messages.text("yaml_not_mapping", language),
                    messages.text("yaml_error_hint", language),
                )
            ],
        )
    fields, lines = converter.top_level(node)
    return fields, lines, converter.problems


def _typing_mistakes(yaml_text: str, path: str, first_line: int, language: str) -> list[Problem]:
    """Find what Chinese input methods and Word do to YAML before the parser sees it.

    The parser's own message for these ("mapping values are not allowed here")
    does not help an editor; naming the character and line does.
    """
    problems = []
    for offset, line in enumerate(yaml_text.split("\n")):
        line_no = first_line + offset
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") or (line.startswith(" ") and "\t" in line[: len(line) - len(stripped) + 1]):
            problems.append(
                Problem(path, line_no, messages.text("yaml_tab", language), messages.text("yaml_tab_hint", language))
            )
        elif line.startswith("\u3000") or _KEY_FULLWIDTH_SPACE.match(line):
            problems.append(_fullwidth(path, line_no, "\u3000", language))
        elif _KEY_FULLWIDTH_COLON.match(line):
            problems.append(_fullwidth(path, line_no, "：", language))
    return problems


def _fullwidth(path: str, line: int, char: str, language: str) -> Problem:
    shown = "全角空格" if char == "\u3000" and messages.is_chinese(language) else char
    if char == "\u3000" and not messages.is_chinese(language):
        shown = "U+3000 IDEOGRAPHIC SPACE"
    replacement = _FULLWIDTH[char]
    shown_replacement = "空格" if replacement == " " and messages.is_chinese(language) else replacement
    return Problem(
        path,
        line,
        messages.text("yaml_fullwidth", language, char=shown),
        messages.text("yaml_fullwidth_hint", language, replacement=shown_replacement),
    )


def _yaml_problem(error: yaml.MarkedYAMLError, yaml_text: str, path: str, first_line: int, language: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = first_line + (mark.line if mark is not None else 0)
    reason = error.problem or error.context or "?"
    text_lines = yaml_text.split("\n")
    offending = text_lines[mark.line] if mark is not None and mark.line < len(text_lines) else ""
    for char in _FULLWIDTH:
        if char in offending:
            return _fullwidth(path, line, char, language)
    return Problem(
        path, line, messages.text("yaml_error", language, reason=reason), messages.text("yaml_error_hint", language)
    )


class _Converter:
    """Turn composed nodes into plain values, refusing tags, aliases and duplicate keys."""

    def __init__(self, path: str, first_line: int, language: str) -> None:
        self.path = path
        self.first_line = first_line
        self.language = language
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._alias_reported = False  # one problem per file: a bomb repeats its aliases thousands of times

    def top_level(self, node: yaml.MappingNode) -> tuple[dict[str, Value], dict[str, int]]:
        fields: dict[str, Value] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            line = self._line(key_node)
            if key in fields:
                self._problem(key_node, "yaml_duplicate_key", "yaml_duplicate_key_hint", field=key)
                continue
            fields[key] = self.value(value_node)
            lines[key] = line
        return fields, lines

    def value(self, node: yaml.Node, depth: int = 0) -> Value:
        if id(node) in self._seen:  # the composer shares the node an alias points to
            if not self._alias_reported:
                self._alias_reported = True
                self._problem(node, "yaml_alias", "yaml_alias_hint")
            return None
        self._seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, "yaml_tag", "yaml_tag_hint", tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
            return None
        if depth > 50:
            self._problem(node, "too_deep", "too_deep_hint", limit=50)
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":null") or (
                node.style in (None, "") and node.value in ("", "~", "null", "Null", "NULL")
            ):
                return None
            return str(node.value)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            mapping: dict[str, Value] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                if key is None:
                    continue
                if key in mapping:
                    self._problem(key_node, "yaml_duplicate_key", "yaml_duplicate_key_hint", field=key)
                    continue
                mapping[key] = self.value(value_node, depth + 1)
            return mapping
        return None  # pragma: no cover - the composer only makes the three node kinds

    def _key(self, node: yaml.Node) -> str | None:
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, "yaml_tag", "yaml_tag_hint", tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
            return None
        if not isinstance(node, yaml.ScalarNode):
            self._problem(node, "yaml_not_mapping", "yaml_error_hint")
            return None
        return str(node.value).strip()

    def _line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def _problem(self, node: yaml.Node, key: str, hint: str, **values: Any) -> None:
        self.problems.append(
            Problem(
                self.path,
                self._line(node),
                messages.text(key, self.language, **values),
                messages.text(hint, self.language),
            )
        )
