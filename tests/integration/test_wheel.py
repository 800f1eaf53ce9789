"""The built wheel carries the default theme: an installed chaowen builds a site folder outside the repo."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_installed_wheel_builds_a_site_outside_the_repo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("chaowen-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy2(REPO / "chaowen.yaml", site / "chaowen.yaml")
    shutil.copytree(REPO / "content", site / "content")
    result = subprocess.run(
        [str(python), "-m", "chaowen", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    where = subprocess.run(
        [str(python), "-c", "import chaowen; print(chaowen.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert str(env_dir) in where
    assert (site / "output/static/style.css").is_file()
    assert '<html lang="zh-CN"' in (site / "output/index.html").read_text(encoding="utf-8")
