"""The built wheel carries the default theme: an installed chaowen builds a site folder outside the repo.

The wheel goes into a new virtual environment that sees no chaowen but the wheel's.
Its dependencies come from the interpreter running the tests, offline: a ``.pth`` file
names that interpreter's site-packages folders. ``system_site_packages`` would not
do: it inherits the *base* interpreter's packages, which are not the ones installed
when the tests themselves run in a virtual environment.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_installed_wheel_builds_a_site_outside_the_repo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    # the build backend as installed here when there is one, so nothing is fetched
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("chaowen-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Plain folder names: appended to sys.path after the venv's own site-packages (so its chaowen
    # wins), and their own .pth files (an editable chaowen of this checkout) are not run.
    Path(purelib, "test-dependencies.pth").write_text("\n".join(_site_folders()) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE")}
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy2(REPO / "chaowen.yaml", site / "chaowen.yaml")
    shutil.copytree(REPO / "content", site / "content")
    result = subprocess.run(
        [str(python), "-m", "chaowen", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    where = subprocess.run(
        [str(python), "-c", "import chaowen; print(chaowen.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout
    assert str(env_dir) in where
    assert (site / "output/static/style.css").is_file()
    assert '<html lang="zh-CN"' in (site / "output/index.html").read_text(encoding="utf-8")


def _site_folders() -> list[str]:
    """The folders this interpreter imports installed packages from (a venv's, or the system's)."""
    paths = sysconfig.get_paths()
    candidates = [paths["purelib"], paths["platlib"], *site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        candidates.append(site.getusersitepackages())
    folders: list[str] = []
    for folder in candidates:
        if folder not in folders and Path(folder).is_dir() and folder in sys.path:
            folders.append(folder)
    return folders
