from pathlib import Path

import pytest

from chaowen.config import load_config
from chaowen.errors import BuildError
from tests.conftest import CONFIG_YAML


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "chaowen.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_and_tracks(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, CONFIG_YAML))
    assert config.language == "zh-CN"
    assert config.timezone == "Asia/Shanghai"
    assert config.theme == "default"
    assert config.per_page == 10
    assert [t.key for t in config.tracks] == ["iot", "health", "materials"]
    assert config.base_path == "/"
    assert config.origin == "https://example.org"


def test_subpath_base_url(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, CONFIG_YAML), base_url="https://example.org/chaowen")
    assert config.base_url == "https://example.org/chaowen/"
    assert config.base_path == "/chaowen/"
    assert config.origin == "https://example.org"


def test_misspelt_key_names_the_nearest(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_config(write(tmp_path, CONFIG_YAML + "titel: x\nper_pgae: 5\n"))
    messages = [(p.line, p.message_in("zh-CN"), p.hint_in("zh-CN")) for p in caught.value.problems]
    assert any("titel" in m and "title" in h for _, m, h in messages)
    assert any("per_pgae" in m and "per_page" in h for _, m, h in messages)
    assert all(line is not None for line, _, _ in messages)


def test_every_bad_value_is_reported(tmp_path: Path) -> None:
    text = (
        CONFIG_YAML.replace("base_url: https://example.org/", "base_url: ftp:/x")
        + "timezone: Mars/Base\nper_page: many\n"
    )
    with pytest.raises(BuildError) as caught:
        load_config(write(tmp_path, text))
    assert len(caught.value.problems) == 3


def test_missing_config_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_config(tmp_path)
    assert "chaowen init" in caught.value.problems[0].hint_in("zh-CN")


def test_bad_track_key(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_config(write(tmp_path, "title: x\ntracks:\n  - key: 智能\n    name: 智能物联\n"))
    assert "赛道代号" in caught.value.problems[0].message_in("zh-CN")


def test_yaml_mistake_in_config_is_named_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_config(write(tmp_path, CONFIG_YAML.replace("description: 用于测试的站点", "description: 潮闻: 交流期刊")))
    assert [p.format() for p in caught.value.problems] == [
        'chaowen.yaml:2: 值里有“冒号加空格”（: ），YAML 把它当成了新的字段（用引号把整个值括起来：description: "潮闻: 交流期刊"）'
    ]


def test_a_bad_base_url_from_the_command_line_is_blamed_on_the_option(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_config(write(tmp_path, CONFIG_YAML), base_url="example.org")
    assert [p.format() for p in caught.value.problems] == [
        "命令行参数 --base-url: “example.org” 不是有效的网址：应以 http:// 或 https:// 开头"
        "（例如 --base-url https://example.org/chaowen/，或只写路径 --base-url /chaowen/）"
    ]
    assert [p.format("en") for p in caught.value.problems] == [
        "command-line option --base-url: 'example.org' is not a valid URL: it must start with http:// or https://"
        " (e.g. --base-url https://example.org/chaowen/, or just the path: --base-url /chaowen/)"
    ]


def test_problems_are_worded_in_the_language_they_are_reported_in(tmp_path: Path) -> None:
    """The config stage does not word its problems: an English site's reporter asks for English."""
    english = CONFIG_YAML + "language: en\ntitel: x\ntimezone: Mars/Base\n"
    with pytest.raises(BuildError) as caught:
        load_config(write(tmp_path, english))
    assert [p.format("en") for p in caught.value.problems] == [
        "chaowen.yaml:12: unknown config key 'titel' (did you mean 'title'?)",
        "chaowen.yaml:13: unknown time zone 'Mars/Base' (for example Asia/Shanghai)",
    ]
    assert [p.format("zh-CN") for p in caught.value.problems] == [
        "chaowen.yaml:12: 未知的配置项 “titel”（是否想写 “title”？）",
        "chaowen.yaml:13: 未知的时区 “Mars/Base”（例如 Asia/Shanghai）",
    ]


def test_a_bad_base_url_in_the_file_is_blamed_on_its_line(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_config(write(tmp_path, CONFIG_YAML.replace("https://example.org/", "example.org")))
    assert [p.format() for p in caught.value.problems] == [
        "chaowen.yaml:3: base_url 应以 http:// 或 https:// 开头，例如 https://example.org/chaowen/"
    ]
    # A good value on the command line replaces the file's bad one for this build.
    assert load_config(tmp_path, base_url="/preview/").base_path == "/preview/"
