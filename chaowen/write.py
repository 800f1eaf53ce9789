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
    output: Path,
    pages: Iterable[Output],
    copies: Mapping[str, Path],
    *,
    reuse: bool = True,
    existing: set[str] | None = None,
) -> WriteStats:
    """Write ``pages`` and copy ``copies`` (output path -> source file) as the new ``output``.

    Raises OSError only for real I/O failures; ``output`` is untouched then. Without
    ``reuse`` (``--clean``) or without a previous output, the whole site is written to
    a staging folder that then replaces ``output`` by a rename. Otherwise only the
    files that differ are staged, and once all of them are written they are renamed
    into place and files no longer built are removed: a failed build still leaves
    ``output`` as it was, and a rebuild costs what changed, not the size of the site.
    ``existing`` is the list of files in ``output`` when the caller knows it (it
    wrote them), which saves walking the folder.
    """
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f".{output.name}.staging-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        if reuse and output.is_dir():
            return _update(output, staging, pages, copies, existing)
        return _replace(output, staging, pages, copies)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace(output: Path, staging: Path, pages: Iterable[Output], copies: Mapping[str, Path]) -> WriteStats:
    paths: list[str] = []
    jobs: list[tuple[Path, bytes | Path]] = []
    for page in pages:
        if page.content is None:
            raise FileNotFoundError(page.path)  # nothing to keep: the caller must render every page
        jobs.append((staging / page.path, page.content))
        paths.append(page.path)
    for path, source in copies.items():
        jobs.append((staging / path, source))
        paths.append(path)
    _put_all(jobs)
    _swap(staging, output)
    return WriteStats(len(paths), 0, len(paths), tuple(sorted(paths)), ())


def _update(
    output: Path, staging: Path, pages: Iterable[Output], copies: Mapping[str, Path], known: set[str] | None
) -> WriteStats:
    existing = known if known is not None else _files_under(output)
    staged: list[str] = []
    placed: set[str] = set()
    jobs: list[tuple[Path, bytes | Path]] = []
    for page in pages:
        placed.add(page.path)
        if page.content is None:
            if page.path not in existing:
                raise FileNotFoundError(output / page.path)
        elif page.path not in existing or not _same(output / page.path, page.content, None):
            jobs.append((staging / page.path, page.content))
            staged.append(page.path)
    for path, source in copies.items():
        placed.add(path)
        if path not in existing or not _same(output / path, None, source):
            jobs.append((staging / path, source))
            staged.append(path)
    _put_all(jobs)
    # Everything new is on disk; from here on only renames and deletions.
    for path in staged:
        target = output / path
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / path, target)
    removed = sorted(existing - placed)
    for path in removed:
        (output / path).unlink(missing_ok=True)
    _prune_empty_dirs(output, removed)
    total = len(placed)
    return WriteStats(len(staged), total - len(staged), total, tuple(sorted(staged)), tuple(removed))


def _put_all(jobs: list[tuple[Path, bytes | Path]]) -> None:
    """Write bytes or copy files to their targets; threads overlap the file-system calls."""
    if len(jobs) < 64:
        for target, what in jobs:
            _put(target, what)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(lambda job: _put(*job), jobs):
            pass  # iterating re-raises the first failure


def _put(target: Path, what: bytes | Path) -> None:
    if isinstance(what, bytes):
        _write(target, what)
    else:
        _copy(what, target)


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _files_under(folder: Path) -> set[str]:
    """Every file below ``folder``, relative with '/' (scandir: os.walk's relpath per folder
    and stat per entry cost a tenth of a second on a large site's no-change rebuild)."""
    found: set[str] = set()
    pending = [(os.fspath(folder), "")]
    while pending:
        path, prefix = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir():  # as os.walk: a link to a folder is neither entered nor listed
                    if not entry.is_symlink():
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found.add(prefix + entry.name)
    return found


def _prune_empty_dirs(output: Path, removed: list[str]) -> None:
    folders = sorted({(output / p).parent for p in removed}, key=lambda p: len(p.parts), reverse=True)
    for folder in folders:
        while folder != output:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty (or already gone)
            folder = folder.parent


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
