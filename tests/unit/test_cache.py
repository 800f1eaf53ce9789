"""The cache's code digest: entries are valid only for the code that made them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from chaowen import cache as cache_module
from chaowen.cache import OUTPUT_LIBRARIES, code_digest, code_files


def copy_package(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "chaowen"
    folder.mkdir()
    for path in code_files():
        shutil.copy2(path, folder / path.name)
    return sorted(folder.glob("*.py"))


def test_code_digest_covers_every_source_file_of_the_package() -> None:
    names = {path.name for path in code_files()}
    assert {"build.py", "cache.py", "content.py", "markup.py", "schema.py", "frontmatter.py"} <= names


def test_code_digest_is_stable_across_processes() -> None:
    code = "from chaowen.cache import code_digest; print(code_digest())"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == code_digest() and len(other) >= 16


def test_an_unchanged_copy_of_the_package_has_the_same_digest(tmp_path: Path) -> None:
    copied = copy_package(tmp_path)
    assert cache_module._digest_code(copied, OUTPUT_LIBRARIES) == code_digest()


def test_one_changed_byte_in_a_source_file_changes_the_digest(tmp_path: Path) -> None:
    copied = copy_package(tmp_path)
    content = tmp_path / "chaowen" / "content.py"
    content.write_bytes(content.read_bytes() + b"#")
    assert cache_module._digest_code(copied, OUTPUT_LIBRARIES) != code_digest()


def test_a_library_version_is_part_of_the_digest() -> None:
    files = code_files()
    assert cache_module._digest_code(files, OUTPUT_LIBRARIES[1:]) != code_digest()
