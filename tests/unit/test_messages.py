"""The catalogue: every message exists in both languages and is recognised as the language it is in."""

import ast
import json
import re
import string
from pathlib import Path

import pytest

from chaowen import messages
from chaowen.errors import Problem


def filled(template: str) -> str:
    """The template with each placeholder filled: numbers where a format spec needs one, else a word."""
    values = {name: 7 if spec else "x" for _, name, spec, _ in string.Formatter().parse(template) if name is not None}
    return template.format(**values)


@pytest.mark.parametrize("key", sorted(messages.CATALOGUE))
def test_every_message_is_recognised_as_its_own_language(key: str) -> None:
    zh, en = messages.CATALOGUE[key]
    zh_names, en_names = set(re.findall(r"\{(\w+)", zh)), set(re.findall(r"\{(\w+)", en))
    # The same placeholders, except that Chinese may leave out {reason}: an English text from PyYAML or click.
    assert zh_names == en_names or en_names - zh_names == {"reason"} and zh_names < en_names, key
    for template, language in ((zh, "zh-CN"), (en, "en")):
        if re.fullmatch(r"[\s\W]*|(\{[^{}]*\}[\s\W]*)+", template.strip()):
            continue  # nothing but placeholders and punctuation: no language to recognise
        assert messages.language_of(filled(template)) == language, (key, template)


def test_a_chinese_message_quoting_a_colon_keeps_chinese_punctuation() -> None:
    """``值里有“冒号加空格”（: ）…`` also fits the English ``{param}: {reason}``; the more specific template wins."""
    message = messages.text("yaml_colon_in_value", "zh-CN")
    assert messages.language_of(message) == "zh-CN"
    hint = messages.text("yaml_colon_in_value_hint", "zh-CN", example='title: "a: b"')
    assert Problem("a.md", 2, message, hint).format().endswith('（用引号把整个值括起来：title: "a: b"）')
    assert Problem("a.md", 2, message, hint).format("zh-CN") == Problem("a.md", 2, message, hint).format()


def test_a_text_is_worded_in_the_language_asked_for_only_when_rendered() -> None:
    reason = messages.say("expected_int")
    text = messages.say("bad_field_value", field="number", reason=reason)
    assert text.render("zh-CN") == "字段 “number” 的值无效：应为正整数"
    assert text.render("en") == "invalid value for the field 'number': expected a positive whole number"


def test_a_list_value_is_joined_the_way_each_language_lists_things() -> None:
    text = messages.say("did_you_mean", suggestion=["智能物联", "新材料"])
    assert text.render("zh-CN") == "是否想写 “智能物联、新材料”？"
    assert text.render("en") == "did you mean '智能物联, 新材料'?"


def test_a_text_survives_the_cache_as_json() -> None:
    text = messages.say("bad_field_value", field="tags", reason=messages.say("did_you_mean", suggestion=["a", "b"]))
    assert messages.Text.from_json(json.loads(json.dumps(text.to_json()))) == text
    assert hash(text) == hash(messages.Text.from_json(text.to_json()))


def test_a_key_missing_from_the_catalogue_is_a_bug_found_where_it_is_made() -> None:
    with pytest.raises(KeyError, match="no_such_message"):
        messages.say("no_such_message")


def test_a_problem_is_worded_in_the_language_the_reporter_gives() -> None:
    problem = Problem(
        "content/a.md",
        3,
        messages.say("missing_field", field="title"),
        messages.say("missing_field_hint", example="title: 标题"),
    )
    assert problem.format("zh-CN") == "content/a.md:3: 缺少必填字段 “title”（在文件头加上 title: 标题）"
    assert (
        problem.format("en") == "content/a.md:3: missing required field 'title' (add title: 标题 to the front matter)"
    )
    assert problem.message_in("en") == "missing required field 'title'"


# --------------------------------------------------------------------------- every use names a real message
PACKAGE = Path(messages.__file__).parent
_WORDING = {"say": 0, "text": 1}  # the functions that take a key, and how many positional arguments follow it


def _placeholders(key: str) -> set[str]:
    """The names both templates of ``key`` use (Chinese may leave out one English has)."""
    return {
        re.split(r"[.\[]", name)[0]
        for template in messages.CATALOGUE[key]
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }


def _wording_calls(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    """The calls of ``messages.say``/``messages.text`` (however imported) in ``tree``, with the function's name."""
    imported = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in ("messages", "chaowen.messages")
        for alias in node.names
        if alias.name in _WORDING
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
            name = function.attr if function.value.id == "messages" else None
        else:
            name = imported.get(function.id) if isinstance(function, ast.Name) else None
        if name in _WORDING:
            found.append((name, node))
    return found


def _mistakes(source: str, where: str) -> list[str]:
    """Each ``messages.say("key", …)`` / ``messages.text("key", …)`` whose key is not in the catalogue
    or whose keywords are not exactly the placeholders of that key's templates."""
    found = []
    for _, node in _wording_calls(ast.parse(source)):
        first = node.args[0]
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            continue  # a key computed at run time
        key, place = first.value, f"{where}:{node.lineno}"
        if key not in messages.CATALOGUE:
            found.append(f"{place}: no message {key!r} in the catalogue")
            continue
        given = {keyword.arg for keyword in node.keywords if keyword.arg is not None}
        spread = any(keyword.arg is None for keyword in node.keywords)  # **values: only the named ones are known
        wanted = _placeholders(key)
        if given - wanted or (not spread and wanted - given):
            found.append(f"{place}: {key!r} takes {sorted(wanted)}, given {sorted(given)}")
    return found


def test_every_message_named_in_the_code_exists_and_gets_its_placeholders() -> None:
    """A misspelt key or placeholder fails here, not in an editor's build."""
    mistakes = [
        mistake
        for path in sorted(PACKAGE.glob("*.py"))
        for mistake in _mistakes(path.read_text(encoding="utf-8"), path.name)
    ]
    assert mistakes == []


def test_the_key_check_finds_a_misspelt_key_and_a_wrong_placeholder() -> None:
    source = (
        "from . import messages\n"
        "from .messages import say as s\n"
        'a = messages.say("config_unknwon_key", key=1)\n'
        'b = messages.say("config_unknown_key", name=1)\n'
        's("missing_field")\n'
        'messages.text("config_unknown_key", "en", key=1)\n'
        'messages.say("config_unknown_key", key=1, reason=messages.say("did_you_mean", suggestion="x"))\n'
        "messages.say(key_of_the_day, **values)\n"
    )
    assert _mistakes(source, "x.py") == [
        "x.py:3: no message 'config_unknwon_key' in the catalogue",
        "x.py:4: 'config_unknown_key' takes ['key'], given ['name']",
        "x.py:5: 'missing_field' takes ['field'], given []",
        "x.py:7: 'config_unknown_key' takes ['key'], given ['key', 'reason']",
    ]


# The modules that put words on a screen or into a file, in the reader's language: the command line, the
# preview (terminal, overlay, HTTP answers) and the scaffolds chaowen new writes. Every other module is a
# stage: its problems are codes (messages.say), worded where they are reported.
_SPEAKERS = {"cli", "usage", "serve", "devserver", "httpd", "live", "scaffold"}


def test_only_the_reporters_word_messages() -> None:
    wording = {
        path.stem
        for path in PACKAGE.glob("*.py")
        if any(name == "text" for name, _ in _wording_calls(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert wording <= _SPEAKERS, "a stage words a message: give its Problem messages.say(...)"
