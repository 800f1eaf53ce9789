"""Outputs + copied files -> a staging folder -> swapped in for ``output/``.

The only module that writes the built site. The previous ``output/`` stays as it
was until a complete new one exists beside it; then the two are swapped with
renames, or, on a rebuild, the changed files are renamed into place. A file whose
bytes did not change is not written at all, so its modification time stays and a
sync to the host uploads only what changed.
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

    :class:`Staging` in one call: see there. Raises OSError only for real I/O
    failures; ``output`` is untouched then.
    """
    with Staging(output, reuse=reuse, existing=existing) as staging:
        for page in pages:
            staging.put(page)
        for path, source in copies.items():
            staging.copy(path, source)
        return staging.commit()


class Staging:
    """The new site, file by file, beside ``output``; :meth:`commit` puts it in place.

    Pages are written as they are rendered (:meth:`put`), so a build never holds the
    bytes of the whole site in memory. Without ``reuse`` (``--clean``) or without a
    previous output, every file goes to a staging folder that then replaces
    ``output`` by a rename. Otherwise only the files whose bytes differ are staged,
    and :meth:`commit` renames them into place and removes the files no longer
    built: a build that fails before :meth:`commit` (leaving the ``with`` block by
    an exception) leaves ``output`` exactly as it was, and a rebuild costs what
    changed, not the size of the site. ``existing`` is the list of files in
    ``output`` when the caller knows it (it wrote them), which saves walking it.
    """

    def __init__(self, output: Path, *, reuse: bool = True, existing: set[str] | None = None) -> None:
        self.output = output.absolute()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.folder = self.output.with_name(f".{self.output.name}.staging-{os.getpid()}")
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir()
        self.updating = reuse and self.output.is_dir()
        self._existing = existing
        self._placed: set[str] = set()
        self._staged: list[str] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def existing(self) -> set[str]:
        """The files of the previous output (none when it is being replaced)."""
        if self._existing is None:
            self._existing = _files_under(self.output) if self.updating else set()
        return self._existing

    def put(self, page: Output) -> None:
        """Stage ``page``; content None keeps the file the previous output has."""
        self._placed.add(page.path)
        if page.content is None:
            if not self.updating or page.path not in self.existing:
                raise FileNotFoundError(self.output / page.path)  # nothing to keep: it must be rendered
            return
        if self.updating and page.path in self.existing and _same(self.output / page.path, page.content, None):
            return
        _write(self.folder / page.path, page.content)
        self._staged.append(page.path)

    def copy(self, path: str, source: Path) -> None:
        """Stage a copy of ``source`` as ``path`` (unless the previous output has the same file)."""
        self._placed.add(path)
        if self.updating and path in self.existing and _same(self.output / path, None, source):
            return
        _copy(source, self.folder / path)
        self._staged.append(path)

    def read(self, path: str) -> bytes:
        """The bytes ``path`` has in the new site, staged or kept."""
        staged = self.folder / path
        return (staged if staged.exists() else self.output / path).read_bytes()

    def commit(self) -> WriteStats:
        """Put the staged site in place of ``output``."""
        total = len(self._placed)
        if not self.updating:
            _swap(self.folder, self.output)
            return WriteStats(total, 0, total, tuple(sorted(self._placed)), ())
        # Everything new is on disk; from here on only renames and deletions.
        for path in self._staged:
            target = self.output / path
            if target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.folder / path, target)
        removed = sorted(self.existing - self._placed)
        for path in removed:
            (self.output / path).unlink(missing_ok=True)
        _prune_empty_dirs(self.output, removed)
        written = len(self._staged)
        return WriteStats(written, total - written, total, tuple(sorted(self._staged)), tuple(removed))


def _write(target: Path, data: bytes) -> None:
    try:
        target.write_bytes(data)
    except FileNotFoundError:  # the first file of its folder
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
