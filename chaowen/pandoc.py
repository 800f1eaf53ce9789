"""The conversion engine of ``chaowen import``: pandoc's docx reader, and its Markdown (gfm) writer.

pandoc is found in the ``pypandoc-binary`` wheel (``pip install 'chaowen[import]'``, which
bundles a pandoc of a known version on every system, Windows included), else on ``PATH``
when it is pandoc 3 or newer (pandoc 2 loses merged table cells). The document goes
through pandoc's JSON tree: read (:meth:`Pandoc.read`), cleaned by
:mod:`chaowen.wordclean` in Python, then written (:meth:`Pandoc.write`).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .errors import Problem
from .messages import say

MINIMUM: Final = (3, 0)
INSTALL: Final = "pip install 'chaowen[import]'"
_TIMEOUT: Final = 120.0


class EngineError(Exception):
    """pandoc failed on a document; ``reason`` is the last line it wrote."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Pandoc:
    """A pandoc executable known to be new enough."""

    path: str
    version: tuple[int, ...]

    def read(self, docx: Path, media: Path) -> dict[str, Any]:
        """The JSON tree of ``docx``; its pictures are extracted under ``media`` (tracked changes accepted)."""
        output = self._run(
            ["--from=docx", "--to=json", f"--extract-media={media}", "--track-changes=accept", str(docx)], None
        )
        tree: dict[str, Any] = json.loads(output)
        return tree

    def write(self, tree: dict[str, Any]) -> str:
        """GitHub-flavoured Markdown of ``tree``: pipe tables when simple, HTML tables otherwise, footnotes."""
        return self._run(["--from=json", "--to=gfm", "--wrap=none"], json.dumps(tree, ensure_ascii=False))

    def _run(self, arguments: list[str], stdin: str | None) -> str:
        try:
            done = subprocess.run(
                [self.path, *arguments],
                input=stdin.encode("utf-8") if stdin is not None else None,
                capture_output=True,
                timeout=_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineError(str(error)) from None
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise EngineError(lines[-1] if lines else f"pandoc exit {done.returncode}")
        return done.stdout.decode("utf-8")


def find_pandoc() -> Pandoc | Problem:
    """The pandoc to use: the ``pypandoc-binary`` one, else pandoc 3+ on PATH; else a problem with the fix."""
    found: list[tuple[str, tuple[int, ...]]] = []
    bundled = _bundled()
    if bundled:
        found.append((bundled, _version(bundled)))
    on_path = shutil.which("pandoc")
    if on_path:
        found.append((on_path, _version(on_path)))
    for path, version in found:
        if version >= MINIMUM:
            return Pandoc(path, version)
    if found:
        shown = ".".join(str(part) for part in found[0][1]) or "?"
        return Problem(
            "pandoc", None, say("import_engine_old", version=shown), say("import_engine_hint", command=INSTALL)
        )
    return Problem("pandoc", None, say("import_engine_missing"), say("import_engine_hint", command=INSTALL))


def _bundled() -> str:
    """The pandoc inside the ``pypandoc-binary`` wheel; "" when that wheel is not installed."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or spec.origin is None:
        return ""
    bundled = Path(spec.origin).parent / "files"
    for name in ("pandoc", "pandoc.exe"):
        if (bundled / name).is_file():
            return str(bundled / name)
    return ""


def _version(path: str) -> tuple[int, ...]:
    try:
        done = subprocess.run([path, "--version"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    match = re.search(rb"pandoc(?:\.exe)?\s+([0-9][0-9.]*)", done.stdout)
    return tuple(int(part) for part in match.group(1).decode().strip(".").split(".")) if match else ()
