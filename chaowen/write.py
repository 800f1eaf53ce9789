"""Outputs + copied files -> a staging folder -> swapped in for ``output/``.

The only module that writes the built site. The previous ``output/`` stays as it
was until a complete new one exists beside it; then the two are swapped with
renames. A file whose bytes did not change is hard-linked from the previous
output instead of written, so its modification time stays and a sync to the host
uploads only what changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import messages
from .errors import BuildError, Problem
from .model import Output


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int  # files whose bytes changed or are new
    kept: int  # files identical to the previous build, left untouched
    total: int
    changed: tuple[str, ...] = ()  # output paths written (new or different), sorted
    removed: tuple[str, ...] = ()  # output paths of the previous build that no longer exist


def check_output_dir(output: Path, site_root: Path, language: str = "zh-CN") -> None:
    """Refuse an output folder whose replacement would destroy the site or the user's files."""
    out = output.resolve()
    root = site_root.resolve()
    reasons = [
        (out == root, "output_is_site"),
        (out == root / "content" or (root / "content") in out.parents, "output_is_content"),
        (out == root / "themes" or (root / "themes") in out.parents, "output_is_themes"),
        (out in root.parents, "output_is_parent"),
        (out == Path.home().resolve(), "output_is_home"),
        (out == Path(out.anchor), "output_is_parent"),
    ]
    for refused, reason in reasons:
        if refused:
            raise BuildError(
                [
                    Problem(
                        str(output),
                        None,
                        messages.text(
                            "unsafe_output", language, path=str(output), reason=messages.text(reason, language)
                        ),
                        messages.text("unsafe_output_hint", language),
                    )
                ]
            )


def write_site(
    output: Path, pages: Iterable[Output], copies: Mapping[str, Path], *, reuse: bool = True, in_place: bool = False
) -> WriteStats:
    """Write ``pages`` and copy ``copies`` (output path -> source file) into a new ``output``.

    With ``reuse``, files equal to those in the existing ``output`` are hard-linked
    from it. Raises OSError only for real I/O failures; ``output`` is untouched then.
    ``in_place`` updates the folder file by file instead (the dev server's preview
    folder, which nobody publishes and which must follow every save quickly).
    """
    output = output.absolute()
    if in_place and output.is_dir():
        return _update_in_place(output, pages, copies)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f".{output.name}.staging-{os.getpid()}")
    previous = output if reuse and output.is_dir() else None
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    changed: list[str] = []
    placed: set[str] = set()
    made_dirs: set[Path] = {staging}
    try:
        for page in pages:
            placed.add(page.path)
            if _place(staging, page.path, made_dirs, previous, data=page.content):
                changed.append(page.path)
        for path, source in copies.items():
            placed.add(path)
            if _place(staging, path, made_dirs, previous, source=source):
                changed.append(path)
        removed = _missing_now(previous, placed) if previous is not None else []
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    total = len(placed)
    return WriteStats(len(changed), total - len(changed), total, tuple(sorted(changed)), tuple(removed))


def _missing_now(previous: Path, placed: set[str]) -> list[str]:
    return sorted(
        path
        for path in (p.relative_to(previous).as_posix() for p in previous.rglob("*") if p.is_file())
        if path not in placed
    )


def _update_in_place(output: Path, pages: Iterable[Output], copies: Mapping[str, Path]) -> WriteStats:
    changed: list[str] = []
    placed: set[str] = set()
    for page in pages:
        placed.add(page.path)
        if page.content is not None and not _same(output / page.path, page.content, None):
            _atomic_write(output / page.path, page.content)
            changed.append(page.path)
    for path, source in copies.items():
        placed.add(path)
        if not _same(output / path, None, source):
            (output / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, output / path)
            changed.append(path)
    removed = _missing_now(output, placed)
    for path in removed:
        (output / path).unlink(missing_ok=True)
    total = len(placed)
    return WriteStats(len(changed), total - len(changed), total, tuple(sorted(changed)), tuple(removed))


def _atomic_write(target: Path, data: bytes) -> None:
    """Replace a file by rename, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _place(
    staging: Path,
    relative: str,
    made_dirs: set[Path],
    previous: Path | None,
    *,
    data: bytes | None = None,
    source: Path | None = None,
) -> bool:
    """Put one file into staging; return True when it differs from the previous build.

    A page with neither ``data`` nor ``source`` is the previous build's file, unchanged.
    """
    target = staging / relative
    parent = target.parent
    if parent not in made_dirs:
        parent.mkdir(parents=True, exist_ok=True)
        made_dirs.add(parent)
    old = previous / relative if previous is not None else None
    if data is None and source is None:
        if old is None:
            raise FileNotFoundError(relative)
        try:
            os.link(old, target)
        except OSError:  # file systems without hard links
            shutil.copy2(old, target)
        return False
    if old is not None and _same(old, data, source):
        try:
            os.link(old, target)
            return False
        except OSError:
            pass  # file systems without hard links: fall through and write
    if data is not None:
        target.write_bytes(data)
    else:
        assert source is not None
        shutil.copy2(source, target)
    return True


def _same(old: Path, data: bytes | None, source: Path | None) -> bool:
    try:
        stat = old.stat()
        if data is not None:
            return stat.st_size == len(data) and old.read_bytes() == data
        assert source is not None
        new = source.stat()
        return stat.st_size == new.st_size and int(stat.st_mtime) == int(new.st_mtime)
    except OSError:
        return False


def _swap(staging: Path, output: Path) -> None:
    """Replace ``output`` with ``staging`` by renames; the old folder is deleted last."""
    if not output.exists():
        staging.rename(output)
        return
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    if retired.exists():
        shutil.rmtree(retired)
    output.rename(retired)
    try:
        staging.rename(output)
    except OSError:
        retired.rename(output)  # put the previous site back
        raise
    shutil.rmtree(retired, ignore_errors=True)
