"""Fixtures stacked like the pipeline: a config, a scratch site in tmp_path, the example site built once."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from chaowen.build import BuildOptions, build
from chaowen.cli import main
from chaowen.model import SiteConfig, TrackConfig

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

CONFIG_YAML = """\
title: 测试站点
description: 用于测试的站点
base_url: https://example.org/
tracks:
  - key: iot
    name: 智能物联
  - key: health
    name: 生命健康
  - key: materials
    name: 新材料
"""


def tree_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (its POSIX path relative to ``folder`` -> its bytes): a state to compare."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(args: list[str]) -> tuple[int, str]:
    """``chaowen ARGS`` in this process: its exit code and what it printed.

    An exception other than the exit, or a traceback in the output, fails the test: none may reach an editor.
    """
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def built_example(tmp_path: Path, *, search: bool = True) -> Path:
    """A copy of the example journal (its configuration and content) under ``tmp_path``, built once."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy2(REPO / "chaowen.yaml", root / "chaowen.yaml")
    shutil.copytree(REPO / "content", root / "content")
    build(BuildOptions(site_root=root, jobs=1, search=search), now=NOW)
    return root


def make_config(root: Path = Path("/site"), **overrides: object) -> SiteConfig:
    values: dict[str, object] = {
        "root": root,
        "title": "测试站点",
        "description": "用于测试的站点",
        "base_url": "https://example.org/",
        "language": "zh-CN",
        "timezone": "Asia/Shanghai",
        "theme": "default",
        "per_page": 10,
        "tracks": (
            TrackConfig("iot", "智能物联"),
            TrackConfig("health", "生命健康"),
            TrackConfig("materials", "新材料"),
        ),
    }
    values.update(overrides)
    return SiteConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def config() -> SiteConfig:
    return make_config()


SiteFactory = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Write a site from {relative path: text or bytes}; chaowen.yaml defaults to CONFIG_YAML."""

    def factory(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        if "chaowen.yaml" not in files:
            (root / "chaowen.yaml").write_text(CONFIG_YAML, encoding="utf-8")
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
        return root

    return factory


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled example journal, built once per session."""
    root = tmp_path_factory.mktemp("example")
    shutil.copy2(REPO / "chaowen.yaml", root / "chaowen.yaml")
    shutil.copytree(REPO / "content", root / "content")
    build(BuildOptions(site_root=root, jobs=1), now=NOW)
    return root
