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


def split(text: str, path: str) -> FrontMatter:
    """Split ``text`` (already decoded) into parsed front matter and body.

    ``path`` is only used to name the file in problems. Problems are returned in
    :attr:`FrontMatter.problems`; ``fields`` is empty when the YAML is unusable.
    """
    text = normalise_newlines(text)
    lines = text.split("\n")
    if not text.strip():
        problem = Problem(path, 1, messages.say("empty_file"), messages.say("frontmatter_missing_hint"))
        return FrontMatter({}, {}, "", 1, False, (problem,))
    if lines[0].rstrip() != _DELIMITER:
        problem = Problem(path, 1, messages.say("frontmatter_missing"), messages.say("frontmatter_missing_hint"))
        return FrontMatter({}, {}, text, 1, False, (problem,))
    end = _closing_line(lines)
    if end is None:
        problem = Problem(
            path,
            1,
            messages.say("frontmatter_unclosed"),
            messages.say("frontmatter_unclosed_hint"),
        )
        return FrontMatter({}, {}, "", len(lines) + 1, True, (problem,))
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    fields, field_lines, problems = parse_yaml(yaml_text, path, first_line=2)
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
    yaml_text: str, path: str, *, first_line: int = 1
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
                    messages.say("too_large", size="0.25", limit="0.25"),
                    messages.say("too_large_hint"),
                )
            ],
        )
    precheck = _typing_mistakes(yaml_text, path, first_line)
    if precheck:
        return {}, {}, precheck
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return {}, {}, [_yaml_problem(error, yaml_text, path, first_line)]
    except yaml.reader.ReaderError as error:  # a control character, as copied from web pages
        line = first_line + yaml_text.count("\n", 0, max(error.position, 0))
        code = f"U+{error.character:04X}" if isinstance(error.character, int) else "?"
        return (
            {},
            {},
            [
                Problem(
                    path,
                    line,
                    messages.say("yaml_control_char", code=code),
                    messages.say("yaml_control_char_hint"),
                )
            ],
        )
    except (yaml.YAMLError, UnicodeEncodeError):  # rare: text with lone surrogates
        return (
            {},
            {},
            [
                Problem(
                    path,
                    first_line,
                    messages.say("yaml_unreadable"),
                    messages.say("yaml_error_hint"),
                )
            ],
        )
    if node is None:
        return {}, {}, []
    converter = _Converter(path, first_line)
    if not isinstance(node, yaml.MappingNode):
        return (
            {},
            {},
            [
                Problem(
                    path,
                    first_line + node.start_mark.line,
                    messages.say("yaml_not_mapping"),
                    messages.say("yaml_error_hint"),
                )
            ],
        )
    fields, lines = converter.top_level(node)
    return fields, lines, converter.problems


def _typing_mistakes(yaml_text: str, path: str, first_line: int) -> list[Problem]:
    """Find what Chinese input methods and Word do to YAML before the parser sees it.

    The parser's own message for these ("mapping values are not allowed here")
    does not help an editor; naming the character and line does.
    """
    problems = []
    for offset, line in enumerate(yaml_text.split("\n")):
        line_no = first_line + offset
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") or (line.startswith(" ") and "\t" in line[: len(line) - len(stripped) + 1]):
            problems.append(Problem(path, line_no, messages.say("yaml_tab"), messages.say("yaml_tab_hint")))
        elif line.startswith("\u3000") or _KEY_FULLWIDTH_SPACE.match(line):
            problems.append(_fullwidth(path, line_no, "\u3000"))
        elif _KEY_FULLWIDTH_COLON.match(line):
            problems.append(_fullwidth(path, line_no, "："))
    return problems


def _fullwidth(path: str, line: int, char: str) -> Problem:
    shown: messages.Text | str = messages.say("char_fullwidth_space") if char == "\u3000" else char
    replacement = _FULLWIDTH[char]
    shown_replacement: messages.Text | str = messages.say("char_space") if replacement == " " else replacement
    return Problem(
        path,
        line,
        messages.say("yaml_fullwidth", char=shown),
        messages.say("yaml_fullwidth_hint", replacement=shown_replacement),
    )


def _yaml_problem(error: yaml.MarkedYAMLError, yaml_text: str, path: str, first_line: int) -> Problem:
    """The parser's complaint as a message an editor can act on, at the line where the mistake is.

    PyYAML (pure Python or libyaml, whose wording differs) describes what the
    *parser* expected, often at the end of the file; this names the editor's
    mistake instead (an unclosed quote, a colon in a value, a bad indent) at the
    line it was made, with a fix. Anything unrecognised still gets the line and
    a message in the site's language, never the parser's English.
    """
    found = _diagnose(error, yaml_text.split("\n"))
    if found.fullwidth is not None:
        return _fullwidth(path, first_line + found.line, found.fullwidth)
    return Problem(
        path,
        first_line + found.line,
        messages.say(found.key, **found.values),
        messages.say(found.key + "_hint", **found.values),
    )


@dataclass(frozen=True, slots=True)
class _Diagnosis:
    line: int  # 0-based line of the YAML text
    key: str  # catalogue key; its hint is key + "_hint"
    values: dict[str, str] = field(default_factory=dict)
    fullwidth: str | None = None  # a full-width character to name instead


_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?)\s*:(?:\s+(.*))?$")
_OPEN_QUOTE = re.compile(r"^\s*(?:-\s+|[^\s:#'\"][^:#]*?:\s+)(?P<value>(?P<quote>[\"'])(?P<rest>.*))$")


def _diagnose(error: yaml.MarkedYAMLError, lines: list[str]) -> _Diagnosis:
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    at = min(mark.line, len(lines) - 1) if mark is not None else 0
    column = mark.column if mark is not None else 0
    opened = error.context_mark.line if error.context_mark is not None else at
    line = lines[at] if 0 <= at < len(lines) else ""

    if "quoted scalar" in context and "escape" not in problem:
        quote = _quote_at(lines, opened, error.context_mark.column if error.context_mark else 0)
        return _Diagnosis(opened, "yaml_unclosed_quote", {"quote": quote})
    if "escape" in problem:
        return _Diagnosis(at, "yaml_bad_escape", {"escape": _escape_at(line, column)})
    if "flow sequence" in context or "flow mapping" in context:
        bracket, closing = ("[", "]") if "sequence" in context else ("{", "}")
        if not _closes(lines[opened] if opened < len(lines) else "", bracket, closing):
            return _Diagnosis(opened, "yaml_unclosed_bracket", {"bracket": bracket, "closing": closing})
        return _Diagnosis(at, "yaml_colon_in_list", {"example": _quoted_example(line)})
    unclosed = _unclosed_quote_before(lines, at)
    if unclosed is not None:
        return unclosed
    if "flow node" in context:  # inside [ ] or { }: an empty item, an unclosed bracket, or a bad first character
        open_bracket = _unclosed_bracket_before(lines, at)
        if open_bracket is not None:
            return open_bracket
        char = line[column] if column < len(line) else ""
        if char == ",":
            return _Diagnosis(at, "yaml_empty_item")
        return _Diagnosis(at, "yaml_bad_start", {"char": char or "?", "example": _quoted_example(line)})
    if "directive" in context:
        return _Diagnosis(opened, "yaml_bad_start", {"char": "%", "example": _quoted_example(lines[opened])})
    if "tab character" in problem:
        return _Diagnosis(at, "yaml_tab_inline")
    if "unexpected ':'" in problem:
        return _Diagnosis(at, "yaml_colon_in_list", {"example": _quoted_example(line)})
    if "node content" in problem or "mapping keys are not allowed" in problem:
        char = line[column] if column < len(line) else ""
        if char.strip():
            return _Diagnosis(at, "yaml_bad_start", {"char": char, "example": _quoted_example(line)})
    if "while scanning a tag" in context:
        start = error.context_mark.column if error.context_mark is not None else column
        return _Diagnosis(opened, "yaml_tag", {"tag": (line[start:].split() or ["!"])[0]})
    if "cannot start any token" in problem or "alias" in problem or "alias" in context or "anchor" in context:
        char = line[column] if column < len(line) else ""
        if "alias" in context or "anchor" in context or "alias" in problem:
            char = _first_of(line, column, "*&")
        if char == "\t":
            return _Diagnosis(at, "yaml_tab_inline")
        return _Diagnosis(at, "yaml_bad_start", {"char": char, "example": _quoted_example(line)})
    if "tag handle" in problem:
        tag = line[column:].split()[0] if line[column:].split() else "!"
        return _Diagnosis(at, "yaml_tag", {"tag": tag})
    if "block scalar" in context:
        return _Diagnosis(at, "yaml_block_scalar")
    if "another document" in problem:
        return _Diagnosis(at, "yaml_second_document")
    directive = next((i for i, text in enumerate(lines[: at + 1]) if text.startswith("%")), None)
    if "document start" in problem and directive is not None:
        return _Diagnosis(directive, "yaml_bad_start", {"char": "%", "example": _quoted_example(lines[directive])})
    if "sequence entries are not allowed" in problem:
        return _Diagnosis(at, "yaml_inline_item")
    if "document start" in problem:  # the first field is indented, or something follows the mapping at column 0
        if lines and lines[0][:1].isspace():
            return _Diagnosis(0, "yaml_indent")
        return _Diagnosis(at, "yaml_stray_item" if line.startswith("-") else "yaml_indent")
    for char in _FULLWIDTH:
        if char in line:
            return _Diagnosis(at, "yaml_error", fullwidth=char)
    if "mapping values are not allowed" in problem:
        return _mapping_value_problem(lines, at, column)
    if "could not find expected ':'" in problem:
        return _Diagnosis(opened, "yaml_missing_colon")
    if "expected key" in problem or "block end" in problem or "'-' indicator" in problem:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if column > indent:
            before = line[:column].rstrip()
            if before.endswith(("'", '"', "]", "}")):
                return _Diagnosis(at, "yaml_text_after_close", {"example": _quoted_example(line)})
        if stripped.startswith(":"):
            return _Diagnosis(at, "yaml_missing_key")
        if stripped.startswith("- ") or stripped == "-":
            return _Diagnosis(at, "yaml_stray_item")
        return _Diagnosis(at, "yaml_indent")
    return _Diagnosis(at, "yaml_error", {"reason": problem or context or "?"})


def _mapping_value_problem(lines: list[str], at: int, column: int) -> _Diagnosis:
    """``mapping values are not allowed``: a colon in a value, a missing colon above, or a stray indent."""
    line = lines[at] if at < len(lines) else ""
    head = line[:column]
    if ": " in head or head.rstrip().endswith(":"):
        return _Diagnosis(at, "yaml_colon_in_value", {"example": _quoted_example(line)})
    previous = next(
        (i for i in range(at - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None
    )
    if previous is not None and ":" not in lines[previous] and not lines[previous].lstrip().startswith("-"):
        return _Diagnosis(previous, "yaml_missing_colon")
    return _Diagnosis(at, "yaml_indent")


def _unclosed_quote_before(lines: list[str], at: int) -> _Diagnosis | None:
    """A value that opens a quote and does not close it on its line, at or above line ``at``.

    A quoted value may legally run over several lines, so this is only asked
    once the parser has failed: then such a quote is almost always the cause,
    although the parser notices only lines later.
    """
    for index in range(min(at, len(lines) - 1) + 1):
        match = _OPEN_QUOTE.match(lines[index])
        if match is None:
            continue
        quote, rest = match.group("quote"), match.group("rest")
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else re.search(r"'", rest.replace("''", ""))
        if closed is None:
            return _Diagnosis(index, "yaml_unclosed_quote", {"quote": quote})
    return None


def _unclosed_bracket_before(lines: list[str], at: int) -> _Diagnosis | None:
    """The first line at or above ``at`` that opens more [ or { than it closes (outside quotes)."""
    for index in range(min(at, len(lines) - 1) + 1):
        text = re.sub(r'"[^"]*"|\'[^\']*\'', "", lines[index])
        for bracket, closing in (("[", "]"), ("{", "}")):
            if text.count(bracket) > text.count(closing):
                return _Diagnosis(index, "yaml_unclosed_bracket", {"bracket": bracket, "closing": closing})
    return None


def _quote_at(lines: list[str], line: int, column: int) -> str:
    text = lines[line] if line < len(lines) else ""
    return text[column] if column < len(text) and text[column] in "\"'" else '"'


def _escape_at(line: str, column: int) -> str:
    start = line.rfind("\\", 0, column + 1)
    return line[start : start + 2] if start >= 0 else "\\"


def _first_of(line: str, column: int, chars: str) -> str:
    for index in range(min(column, len(line) - 1), -1, -1):
        if line[index] in chars:
            return line[index]
    return chars[0]


def _closes(line: str, opening: str, closing: str) -> bool:
    return line.count(closing) >= line.count(opening)


def _quoted_example(line: str) -> str:
    """The editor's own line with its value in quotes: the fix most YAML mistakes in a value need."""
    match = _KEY_VALUE.match(line)
    if match is None or not match.group(3):
        text = line.strip()
        return f'"{text}"' if '"' not in text else f"'{text}'"
    key, value = match.group(2), match.group(3).strip()
    if '"' not in value:
        return f'{key}: "{value}"'
    if "'" not in value:
        return f"{key}: '{value}'"
    return key + ': "' + value.replace('"', '\\"') + '"'


class _Converter:
    """Turn composed nodes into plain values, refusing tags, aliases and duplicate keys."""

    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
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
                messages.say(key, **values),
                messages.say(hint),
            )
        )
