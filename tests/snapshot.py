"""A folder as data, to assert that nothing in it changed: links are recorded, never followed."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def snapshot(root: Path) -> dict[str, tuple[str, bytes, int]]:
    """Every entry under ``root``: kind ('file', 'link', 'dir'), bytes (or link target), and mtime in ns."""
    found: dict[str, tuple[str, bytes, int]] = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            info = path.lstat()
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                found[key] = ("link", os.fsencode(os.readlink(path)), info.st_mtime_ns)
            elif stat.S_ISDIR(info.st_mode):
                found[key] = ("dir", b"", 0)  # a folder's mtime changes when chaowen adds its own files
            else:
                found[key] = ("file", path.read_bytes(), info.st_mtime_ns)
    return found
