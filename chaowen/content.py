"""Walk ``content/``, read each file, validate its front matter -> Documents, Assets, Problems.

The folder decides the kind (``issues/``, ``minutes/``, ``essays/``, ``pages/``);
every non-Markdown file is an asset copied keeping its place. Reading
(:func:`load_content`, :func:`read_source`) is kept apart from what a file's bytes
make (:func:`parse_file`, :func:`parse_document`), which is pure so that it can be
tested on strings, fuzzed and cached: the build's cache layer (:mod:`chaowen.doccache`)
is passed to :func:`load_content` as its ``parse`` and wraps :func:`parse_file`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import messages
from .errors import Problem, Severity
from .fields import FieldCheck
from .frontmatter import cut_body, split
from .model import KIND_FOLDERS, Asset, Document, Kind, SiteConfig

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
_FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
# Files editors' tools leave behind; never content.
_IGNORED_NAMES = re.compile(r"(^\.|~$|^~\$|\.swp$|\.swx$|\.tmp$|^Thumbs\.db$|^desktop\.ini$|\.crdownload$)", re.I)
# The catalogue key of the body `chaowen new` writes into a new document (scaffold.py
# writes it; a document that still has it is warned about, in either language).
BODY_PLACEHOLDER = "new_body"


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one Markdown file makes: its document (None when it has errors) and its problems.

    ``reusable``: the same bytes always make this (a cache may keep it); False when the
    file had errors or its encoding was guessed.
    """

    document: Document | None
    problems: tuple[Problem, ...]
    reusable: bool = True


Compute = Callable[[bytes, str], Parsed]  # a file's bytes and their digest -> what they make
# How load_content gets a file's result: (source, path, compute) -> Parsed, None when the file is gone.
# parse_fresh reads and computes; a cache layer (chaowen.doccache) may answer without either.
FileParser = Callable[[str, Path, Compute], "Parsed | None"]


@dataclass(frozen=True, slots=True)
class ContentResult:
    documents: tuple[Document, ...]
    assets: tuple[Asset, ...]
    problems: tuple[Problem, ...]


def is_ignored(name: str) -> bool:
    return bool(_IGNORED_NAMES.search(name))


def kind_of(source: str) -> Kind:
    """The kind a Markdown file's place gives it; Markdown outside the kind folders is a page."""
    first = source.split("/", 1)[0]
    return _FOLDER_KINDS.get(first, Kind.PAGE)


def walk_content(content_dir: Path) -> tuple[list[str], list[str]]:
    """Markdown sources and asset sources under ``content_dir``, sorted, relative with '/'.

    Follows symlinks but never into a folder already visited, so a symlink loop ends.
    """
    markdown: list[str] = []
    assets: list[str] = []
    if not content_dir.is_dir():
        return markdown, assets
    visited: set[str] = set()
    for folder, dirs, files in os.walk(content_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        relative_folder = os.path.relpath(folder, content_dir).replace(os.sep, "/")
        for name in sorted(files):
            if is_ignored(name):
                continue
            source = name if relative_folder == "." else f"{relative_folder}/{name}"
            if Path(name).suffix.lower() in MARKDOWN_SUFFIXES:
                markdown.append(source)
            else:
                assets.append(source)
    return markdown, assets


def load_content(config: SiteConfig, parse: FileParser | None = None) -> ContentResult:
    """Read and validate every file under ``content/``; never raises for a content problem.

    ``parse`` gives each Markdown file's result (:func:`parse_fresh` when None): the build
    passes its cache layer, which answers for unchanged files without parsing them.
    """
    content_dir = config.content_dir
    markdown, asset_sources = walk_content(content_dir)
    documents: list[Document] = []
    problems: list[Problem] = []
    for source in markdown:
        result = (parse or parse_fresh)(source, content_dir / source, functools.partial(parse_file, source, config))
        if result is None:
            continue
        problems.extend(result.problems)
        if result.document is not None:
            documents.append(result.document)
    assets = tuple(Asset(source, content_dir / source) for source in asset_sources if (content_dir / source).is_file())
    return ContentResult(tuple(documents), assets, tuple(problems))


def parse_fresh(source: str, path: Path, compute: Compute) -> Parsed | None:
    """Read ``path`` and compute what it makes, with no cache; None when the file is gone."""
    raw = read_source(source, path)
    return compute(raw, digest_of(raw)) if isinstance(raw, bytes) else raw


def parse_file(source: str, config: SiteConfig, raw: bytes, digest: str) -> Parsed:
    """What a Markdown file's bytes make: decoded, split and validated. Pure."""
    text, warning = decode(raw, f"content/{source}")
    if text is None:
        assert warning is not None
        return Parsed(None, (warning,), reusable=False)
    document, found = parse_document(source, text, config, digest=digest)
    problems = tuple(found) if warning is None else (warning, *found)
    return Parsed(document, problems, reusable=document is not None and warning is None)


def digest_of(raw: bytes) -> str:
    """The hash of a file's bytes (``Document.digest``): tells two versions of a file apart."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def with_body(document: Document, content_dir: Path) -> Document:
    """``document`` as taken from the cache by its stat (body left empty), with its body read.

    Unchanged when the file is gone or no longer UTF-8: the next build reads it in full.
    """
    try:
        body = body_of((content_dir / document.source).read_bytes())
    except OSError:
        return document
    return document if body is None else replace(document, body=body)


def body_of(raw: bytes) -> str | None:
    """The body of a UTF-8 file (what follows its front matter); None when it is not UTF-8."""
    try:
        return cut_body(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


def read_source(source: str, path: Path) -> bytes | Parsed | None:
    """A Markdown file's bytes; a result with the problem when it is too large or unreadable; None when gone."""
    display = f"content/{source}"
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            message = messages.say("too_large", size=f"{size / 1048576:.1f}", limit=MAX_DOCUMENT_BYTES // 1048576)
            return Parsed(None, (Problem(display, None, message, messages.say("too_large_hint")),), reusable=False)
        return path.read_bytes()
    except FileNotFoundError:
        return None  # deleted between listing and reading: it is simply not part of this build
    except OSError as error:
        message = messages.say("unreadable", reason=error.strerror or str(error))
        return Parsed(None, (Problem(display, None, message),), reusable=False)


def decode(raw: bytes, display: str) -> tuple[str | None, Problem | None]:
    """Decode a file's bytes: UTF-8 (with or without BOM), else a detected Chinese encoding.

    Returns the text and, when it was not UTF-8, a warning naming the encoding —
    or ``(None, error)`` when the bytes are not text at all.
    """
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw[:8192]:
        return None, Problem(display, None, messages.say("not_text"), messages.say("not_text_hint"))
    from charset_normalizer import from_bytes  # only needed for the rare non-UTF-8 file

    best = from_bytes(raw, cp_isolation=["gb18030", "gbk", "big5", "utf_16", "cp1252"]).best()
    if best is None or best.encoding is None or best.chaos > 0.3:
        return None, Problem(display, None, messages.say("not_text"), messages.say("not_text_hint"))
    encoding = "GB18030" if best.encoding in ("gb18030", "gbk", "gb2312") else best.encoding.upper()
    text = raw.decode(best.encoding, errors="replace")
    return text, Problem(
        display,
        None,
        messages.say("encoding_guessed", encoding=encoding),
        messages.say("encoding_guessed_hint", encoding=encoding),
        Severity.WARNING,
    )


def parse_document(
    source: str, text: str, config: SiteConfig, *, digest: str = ""
) -> tuple[Document | None, list[Problem]]:
    """Validate one Markdown file's text. Pure: returns the document (or None) and its problems."""
    display = f"content/{source}"
    kind = kind_of(source)
    front = split(text, display)
    problems = list(front.problems)
    if problems and not front.fields:
        return None, problems
    check = FieldCheck(display, source, kind, config, front.fields, front.lines)
    document = check.document(front.body, front.body_line, digest)
    problems.extend(check.problems)
    problems.extend(_placeholders(display, front.body, front.body_line))
    if any(p.is_error for p in problems):
        return None, problems
    return document, problems


def _placeholders(display: str, body: str, body_line: int) -> list[Problem]:
    """A warning for each line of ``body`` that is still the text ``chaowen new`` wrote there."""
    texts = set(messages.CATALOGUE[BODY_PLACEHOLDER])
    return [
        Problem(
            display,
            body_line + index,
            messages.say("placeholder_left", text=line.strip()),
            messages.say("placeholder_left_hint"),
            Severity.WARNING,
        )
        for index, line in enumerate(body.split("\n"))
        if line.strip() in texts
    ]
