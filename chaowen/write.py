"""Outputs + copied files -> a staging folder -> moved into ``output/``, file by file.

The only module that writes the built site, and the only one that decides what in
the output folder belongs to chaowen: the files listed in the folder's manifest,
:data:`MANIFEST`, which every build writes. Nothing else there is ever deleted,
replaced or written through:

* a folder that does not exist, or is empty, is taken as new;
* a folder with a manifest is the previous output: the files it lists are chaowen's,
  everything else (a ``CNAME``, a ``.git/`` of a GitHub Pages checkout, a file
  uploaded by hand, a symbolic link) is the user's and is left where it is;
* any other folder is refused, before anything is written. No option turns that
  refusal into deletion;
* a user's file (or link, or folder) at a path the build wants to write is a
  collision: the build is refused, naming it, before anything is written.

The previous output stays as it was until the complete new site exists in a staging
folder beside it; then, on a first build into a new folder, the staging folder is
renamed into place, and otherwise each changed file is renamed into place and the
files the previous build wrote and this one did not are removed. A file whose bytes
did not change is not written at all, so its modification time stays and a sync to
the host uploads only what changed. The manifest is rewritten before the first
rename (listing the old and the new files) and after the last one, so a process
killed half-way still knows every file it owns.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

from . import messages
from .errors import BuildError, Problem
from .model import Output

MANIFEST = ".chaowen-manifest.json"  # in the output folder: the files chaowen wrote there
_MANIFEST_FORMAT = 1
_MANIFEST_NOTE = "chaowen 生成的文件清单：chaowen 只会删除或替换这里列出的文件 / the files chaowen wrote here"


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int  # files whose bytes changed or are new
    kept: int  # files identical to the previous build, left untouched
    total: int
    changed: tuple[str, ...] = ()  # output paths written (new or different), sorted
    removed: tuple[str, ...] = ()  # output paths of the previous build that no longer exist
    foreign: int = 0  # files and folders in the output folder that chaowen did not write, left in place


def check_output_dir(output: Path, site_root: Path) -> None:
    """Refuse an output folder that is part of the site, a parent of it, the home folder or
    the root, or that holds files no chaowen build wrote (see :func:`owned_files`)."""
    out = output.resolve()
    root = site_root.resolve()
    reasons = [
        (out == root, messages.say("output_is_site")),
        (out == root / "content" or (root / "content") in out.parents, messages.say("output_is_content")),
        (out == root / "themes" or (root / "themes") in out.parents, messages.say("output_is_themes")),
        (out in root.parents, messages.say("output_is_parent")),
        (out == Path.home().resolve(), messages.say("output_is_home")),
        (out == Path(out.anchor), messages.say("output_is_parent")),
    ]
    for refused, reason in reasons:
        if refused:
            unsafe = messages.say("unsafe_output", path=str(output), reason=reason)
            raise _refusal(output, unsafe, messages.say("unsafe_output_hint"))
    owned_files(output)


def owned_files(output: Path) -> frozenset[str] | None:
    """The files an earlier build recorded in ``output``'s manifest; None when ``output`` is new.

    New means it does not exist or is an empty folder. Raises BuildError for anything
    else without a readable manifest: a file, or a folder no chaowen build wrote.
    """
    if not os.path.lexists(output):
        return None
    if not output.is_dir():
        not_folder = messages.say("output_not_folder", path=str(output))
        raise _refusal(output, not_folder, messages.say("output_not_folder_hint"))
    try:
        raw = (output / MANIFEST).read_bytes()
    except FileNotFoundError:
        with os.scandir(output) as entries:
            if next(entries, None) is None:
                return None
        foreign = messages.say("output_foreign", path=str(output), manifest=MANIFEST)
        raise _refusal(output, foreign, messages.say("output_foreign_hint")) from None
    files = _parse_manifest(raw)
    if files is None:
        damaged = messages.say("output_manifest_bad", path=str(output), manifest=MANIFEST)
        raise _refusal(output, damaged, messages.say("output_manifest_bad_hint"))
    return files


def _refusal(output: Path, message: messages.Text, hint: messages.Text) -> BuildError:
    """The output folder is not chaowen's to write: nothing was changed."""
    return BuildError([Problem(str(output), None, message, hint)])


def _parse_manifest(raw: bytes) -> frozenset[str] | None:
    """The paths a manifest lists, or None if it is not one chaowen wrote (or names a path outside)."""
    try:
        data = orjson.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("generator") != "chaowen" or data.get("format") != _MANIFEST_FORMAT:
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) and _is_inside(f) for f in files):
        return None
    return frozenset(files)


def _is_inside(path: str) -> bool:
    """Whether ``path`` is a plain relative path ('a/b.html'), which cannot lead out of the folder."""
    return path != MANIFEST and "\\" not in path and all(p not in ("", ".", "..") for p in path.split("/"))


def write_site(
    output: Path,
    pages: Iterable[Output],
    copies: Mapping[str, Path],
    *,
    reuse: bool = True,
) -> WriteStats:
    """Write ``pages`` and copy ``copies`` (output path -> source file) as the new ``output``.

    :class:`Staging` in one call: see there. Raises BuildError when ``output`` is not
    chaowen's to write, OSError only for real I/O failures; ``output`` is untouched then.
    """
    with Staging(output, reuse=reuse) as staging:
        for page in pages:
            staging.put(page)
        for path, source in copies.items():
            staging.copy(path, source)
        return staging.commit()


class Staging:
    """The new site, file by file, beside ``output``; :meth:`commit` puts it in place.

    Pages are written as they are rendered (:meth:`put`), so a build never holds the
    bytes of the whole site in memory. Only the files whose bytes differ from the
    previous output are staged (all of them without ``reuse``, which is ``--clean``).
    :meth:`commit` renames them into place and removes the files the previous build
    wrote and this one did not; a build that fails before :meth:`commit` (leaving the
    ``with`` block by an exception) leaves ``output`` exactly as it was, and a rebuild
    costs what changed, not the size of the site. Raises BuildError when ``output``
    is not chaowen's to write (see :func:`owned_files`), and :meth:`commit` raises it
    when a file the user put in ``output`` is where the build wants to write.
    """

    def __init__(self, output: Path, *, reuse: bool = True, listings: Listings | None = None) -> None:
        self.output = output.absolute()
        owned = owned_files(self.output)
        self.fresh = owned is None and not self.output.exists()  # the staging folder becomes ``output``
        self.owned: frozenset[str] = owned or frozenset()  # what the previous builds wrote
        self.updating = reuse and bool(self.owned)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_staging(self.output)
        self.folder = self.output.with_name(f".{self.output.name}.staging-{os.getpid()}")
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir()
        self._placed: set[str] = set()
        self._staged: list[str] = []
        self._blocked: list[str] = []  # the user's files (or links, folders) in the way of the build's
        self._folders: set[str] = set()  # folders of ``output`` seen on disk to be real folders, not links
        # What ``output`` holds, as one walk found it when the build began: the build's paths are
        # checked against it without a system call each.
        # ``listings``: the folders' listings of an earlier walk in this process (the dev server's
        # builder keeps one), each used again while the folder's modification time says it is the same.
        self._tree = {} if self.fresh else _survey(self.output, self.owned, listings)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def existing(self) -> frozenset[str]:
        """The files of the previous output the new one may keep (none when it is being replaced)."""
        return self.owned if self.updating else frozenset()

    def put(self, page: Output) -> None:
        """Stage ``page``; content None keeps the file the previous output has."""
        self._place(page.path)
        if page.content is None:
            if page.path not in self.existing:
                raise FileNotFoundError(self.output / page.path)  # nothing to keep: it must be rendered
            return
        if page.path in self.existing and _same(self.output / page.path, page.content, None):
            return
        _write(self.folder / page.path, page.content)
        self._staged.append(page.path)

    def copy(self, path: str, source: Path) -> None:
        """Stage a copy of ``source`` as ``path`` (unless the previous output has the same file)."""
        self._place(path)
        if path in self.existing and _same(self.output / path, None, source):
            return
        _copy(source, self.folder / path)
        self._staged.append(path)

    def read(self, path: str) -> bytes:
        """The bytes ``path`` has in the new site, staged or kept."""
        staged = self.folder / path
        return (staged if staged.exists() else self.output / path).read_bytes()

    def refuse_collisions(self, paths: Iterable[str]) -> None:
        """Raise BuildError now if something of the user's is where ``paths`` are to be written.

        :meth:`commit` checks every path placed anyway; this spares rendering a site
        that could not be written.
        """
        if not self.fresh:
            blocked = {blocker for path in paths if (blocker := self._blocker(path)) is not None}
            if blocked:
                raise self._collisions(blocked)

    def commit(self) -> WriteStats:
        """Put the staged site in place; nothing in ``output`` changes if this raises BuildError."""
        if self._blocked:
            raise self._collisions(set(self._blocked))
        total = len(self._placed)
        staged = sorted(self._staged)
        if self.fresh:
            _write_manifest(self.folder, self._placed)
            self.folder.rename(self.output)
            return WriteStats(total, 0, total, tuple(staged), (), 0)
        # The folder as it is now, for the files about to be replaced: the user may have
        # put something there while the site was rendered.
        late = {blocker for path in staged if (blocker := self._blocker_on_disk(path)) is not None}
        if late:
            raise self._collisions(late)
        removed = sorted(self.owned - self._placed)
        if staged or removed or self.owned != self._placed:
            # Everything new is on disk; first record every file that may be ours while moving,
            # then only renames and deletions of our own files.
            _write_manifest(self.output, self.owned | self._placed, self.folder)
            for path in staged:
                target = self.output / path
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.folder / path, target)
            for path in removed:
                if self._is_ours(path):  # a file the user has since replaced by a link or a folder stays
                    (self.output / path).unlink()
            _prune_empty_dirs(self.output, removed)
            _write_manifest(self.output, self._placed, self.folder)
        written = len(staged)
        return WriteStats(written, total - written, total, tuple(staged), tuple(removed), self._foreign())

    def _foreign(self) -> int:
        """How many files and folders of the user's the output folder holds: a folder that holds
        no file of the site (``.git/``) counts once, whatever is in it."""
        folders = _parents(self._placed)
        # folders the site wrote into before and no longer does: kept (and counted once) only
        # while something of the user's is still in them
        retired = {path for path, kind in self._tree.items() if kind == _FOLDER and path not in folders}
        count = 0
        for path, kind in self._tree.items():
            if path == MANIFEST or path in self._placed or (retired and any(p in retired for p in _parents([path]))):
                continue
            if kind == _FOLDER:
                count += path in retired and os.path.isdir(self.output / path)
            elif kind == _OTHER_FOLDER and path in folders:
                count += _count_foreign(self.output, self._placed, folders, path)  # the site writes into it now
            elif not (kind == _FILE and path in self.owned):  # a file of ours not placed was removed
                count += 1
        return count

    def _collisions(self, blocked: set[str]) -> BuildError:
        return BuildError(
            [
                Problem(
                    str(self.output / path),
                    None,
                    messages.say("output_collision", path=str(self.output / path)),
                    messages.say("output_collision_hint"),
                )
                for path in sorted(blocked)
            ]
        )

    def _place(self, path: str) -> None:
        """Record ``path`` as part of the new site, and whether something of the user's is in its way."""
        self._placed.add(path)
        if path == MANIFEST:
            self._blocked.append(path)
        elif not self.fresh and (blocker := self._blocker(path)) is not None:
            self._blocked.append(blocker)

    def _blocker(self, path: str) -> str | None:
        """What in ``output`` stands where ``path`` is to be written: None if nothing, or a file of ours.

        Every folder on the way must be a real folder (writing through a link could
        write outside ``output``); the file itself must be absent or one of ours.
        Answered from the walk made at the start, and from the disk below a folder
        of the user's, which that walk did not enter.
        """
        parts = path.split("/")
        prefix = ""
        for part in parts[:-1]:
            prefix = f"{prefix}/{part}" if prefix else part
            kind = self._tree.get(prefix)
            if kind is None:
                return None  # in a folder the walk entered, so absent: a new folder
            if kind == _OTHER_FOLDER:
                return self._blocker_on_disk(path)
            if kind != _FOLDER:
                return prefix
        kind = self._tree.get(path)
        return None if kind is None or (kind == _FILE and path in self.owned) else path

    def _blocker_on_disk(self, path: str) -> str | None:
        """:meth:`_blocker` asked of the disk as it is now, a system call per folder and file."""
        parts = path.split("/")
        prefix = ""
        for part in parts[:-1]:
            prefix = f"{prefix}/{part}" if prefix else part
            if prefix in self._folders:
                continue
            try:
                mode = os.lstat(self.output / prefix).st_mode
            except FileNotFoundError:
                return None  # a new folder: nothing below it exists
            if not stat.S_ISDIR(mode):
                return prefix
            self._folders.add(prefix)
        try:
            mode = os.lstat(self.output / path).st_mode
        except FileNotFoundError:
            return None
        return None if stat.S_ISREG(mode) and path in self.owned else path

    def _is_ours(self, path: str) -> bool:
        """Whether ``path`` is still a regular file of ours, reached through real folders only."""
        try:
            return self._blocker_on_disk(path) is None and stat.S_ISREG(os.lstat(self.output / path).st_mode)
        except OSError:
            return False


def _write(target: Path, data: bytes) -> None:
    try:
        target.write_bytes(data)
    except FileNotFoundError:  # the first file of its folder
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _write_manifest(folder: Path, files: Iterable[str], scratch: Path | None = None) -> None:
    """Write the manifest into ``folder`` whole or not at all (through a file in ``scratch``)."""
    data = orjson.dumps(
        {"generator": "chaowen", "format": _MANIFEST_FORMAT, "note": _MANIFEST_NOTE, "files": sorted(files)},
        option=orjson.OPT_INDENT_2,
    )
    temporary = (scratch or folder) / f".{MANIFEST}.tmp"
    temporary.write_bytes(data + b"\n")
    os.replace(temporary, folder / MANIFEST)


_ABANDONED = re.compile(r"\.(?P<name>.+)\.(?:staging|old)-(?P<pid>\d+)")


def _remove_abandoned_staging(output: Path) -> None:
    """Remove the staging folders of builds into ``output`` whose process is gone (killed mid-build).

    Only folders named as :class:`Staging` names them (``.NAME.staging-PID``, and
    ``.NAME.old-PID`` of earlier versions) are candidates, and only when no process
    with that id is running.
    """
    with os.scandir(output.parent) as entries:
        for entry in entries:
            found = _ABANDONED.fullmatch(entry.name)
            if (
                found
                and found["name"] == output.name
                and entry.is_dir(follow_symlinks=False)
                and not _running(int(found["pid"]))
            ):
                shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process (or not a process id): leave its folder alone
    return True


_FILE, _FOLDER, _OTHER_FOLDER, _OTHER = "file", "folder", "other folder", "other"
_LINK, _DIR = "link", "dir"  # as a listing has them, before the walk tells our folders from the user's


def _parents(paths: Iterable[str]) -> set[str]:
    """Every folder ('a', 'a/b') that holds one of ``paths`` ('a/b/c.html'), however deep."""
    folders: set[str] = set()
    for path in paths:
        cut = path.rfind("/")
        while cut > 0 and path[:cut] not in folders:
            folders.add(path[:cut])
            cut = path.rfind("/", 0, cut)
    return folders


# A folder whose modification time is this close to when it was listed may change again within the
# same tick of the file system's clock (coarse ones tick every 2 s): its listing is not used again.
RACY_NS = 2_000_000_000


class Listings:
    """What each folder of an output folder held when last listed, for the next walk of it.

    A folder's modification time changes whenever an entry is added, removed, renamed or
    replaced in it (a file becoming a link or a folder included), so a folder whose time is
    the one it had when listed, and was already well in the past then, holds the same entries:
    a stat instead of a listing. The dev server's builder keeps one across rebuilds.
    """

    def __init__(self) -> None:
        self.output = ""
        # folder (relative, "" the top) -> its mtime (ns), the clock when listed, [(name, kind)]
        self.folders: dict[str, tuple[int, int, list[tuple[str, str]]]] = {}

    def listing(self, top: str, folder: str) -> list[tuple[str, str]]:
        """The entries of ``folder``: from the last listing while the folder is unchanged, else listed now."""
        path = f"{top}/{folder}" if folder else top
        known = self.folders.get(folder)
        if known is not None:
            try:
                mtime = os.lstat(path).st_mtime_ns
            except OSError:
                mtime = -1
            if mtime == known[0] and mtime < known[1] - RACY_NS:
                return known[2]
        listed = time.time_ns()
        mtime = os.lstat(path).st_mtime_ns
        entries = _listing(path)
        self.folders[folder] = (mtime, listed, entries)
        return entries


def _listing(path: str) -> list[tuple[str, str]]:
    """Each entry of the folder ``path`` and its kind: :data:`_LINK`, :data:`_DIR`, :data:`_FILE`
    or :data:`_OTHER`; scandir needs no stat per entry to tell."""
    found: list[tuple[str, str]] = []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_symlink():
                kind = _LINK
            elif entry.is_dir(follow_symlinks=False):
                kind = _DIR
            else:
                kind = _FILE if entry.is_file(follow_symlinks=False) else _OTHER
            found.append((entry.name, kind))
    return found


def _survey(output: Path, owned: frozenset[str], listings: Listings | None = None) -> dict[str, str]:
    """Every entry of ``output`` (relative path -> kind) as one walk finds it, entering only the
    folders that hold a file of ours: a folder of the user's (``.git/``) is listed, not entered.
    Links, to files or folders, are :data:`_OTHER`."""
    folders = _parents(owned)
    tree: dict[str, str] = {}
    pending = [""]
    top = os.fspath(output)  # strings, not Paths: a Path join per folder was a third of the walk
    if listings is not None and listings.output != top:
        listings.output, listings.folders = top, {}
    while pending:
        folder = pending.pop()
        entries = (
            listings.listing(top, folder) if listings is not None else _listing(f"{top}/{folder}" if folder else top)
        )
        for name, kind in entries:
            path = f"{folder}/{name}" if folder else name
            if kind == _DIR:
                if path in folders:
                    tree[path] = _FOLDER
                    pending.append(path)
                else:
                    tree[path] = _OTHER_FOLDER
            else:
                tree[path] = _OTHER if kind == _LINK else kind
    return tree


def _count_foreign(output: Path, placed: set[str], folders: set[str], start: str) -> int:
    """Files and folders below ``start`` that are not the site's: a folder without any file of
    the site in it counts once and is not entered."""
    count = 0
    pending = [start]
    while pending:
        folder = pending.pop()
        with os.scandir(output / folder) as entries:
            for entry in entries:
                path = f"{folder}/{entry.name}"
                if entry.is_dir(follow_symlinks=False) and path in folders:
                    pending.append(path)
                elif path not in placed:
                    count += 1
    return count


def _prune_empty_dirs(output: Path, removed: list[str]) -> None:
    folders = sorted({(output / p).parent for p in removed}, key=lambda p: len(p.parts), reverse=True)
    for folder in folders:
        while folder != output:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty (or already gone, or a link)
            folder = folder.parent


def _same(old: Path, data: bytes | None, source: Path | None) -> bool:
    try:
        info = old.stat()
        if data is not None:
            return info.st_size == len(data) and old.read_bytes() == data
        assert source is not None
        new = source.stat()
        return info.st_size == new.st_size and int(info.st_mtime) == int(new.st_mtime)
    except OSError:
        return False
