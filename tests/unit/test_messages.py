"""The catalogue: every message exists in both languages and is recognised as the language it is in."""

import re
import string

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
