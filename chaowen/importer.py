"""``chaowen import``: Word documents (.docx) become Markdown documents that pass ``chaowen check`` as they are.

For each file: :func:`chaowen.wordfile.read_word` refuses what is not a usable .docx and lists
what will not convert; pandoc (:mod:`chaowen.pandoc`) reads it into its JSON tree;
:mod:`chaowen.wordclean` cleans Word's habits and takes the title and byline out; pandoc
writes the body as Markdown; the front matter is made from the field table
(:func:`chaowen.scaffold.front_matter`), and the document is checked by the build's own
:func:`chaowen.content.parse_document` before it is offered. Pictures go into a folder named
after the document, beside it, linked by relative paths.

Nothing is written here: :func:`import_word` returns the files to create as values and the
CLI creates them, never over an existing file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from . import messages
from .content import parse_document
from .dates import parse_date
from .errors import Problem, Severity
from .model import Kind, SiteConfig, TrackConfig
from .pandoc import EngineError, Pandoc
from .scaffold import NewFile, front_matter
from .urls import slugify
from .wordclean import Cleaned, Node, clean
from .wordfile import OLD_SUFFIXES, WEB_IMAGES, WordFile, notice_problem, read_word

WORD_SUFFIXES: Final = frozenset({".docx", ".docm", ".dotx"})
MAX_STEM: Final = 80  # a long title's pinyin would make a file name some systems refuse
IMAGE_PREFIX: Final = "tu-"  # 图: pictures are saved as tu-1.png, tu-2.jpg…


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the command line says about every file of one run."""

    kind: Kind
    today: date
    track: TrackConfig | None = None
    issue: int | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Imported:
    """One Word file's outcome: the document and pictures to create (none when an error stopped it)."""

    source: str
    document: NewFile | None
    images: tuple[tuple[str, bytes], ...] = ()
    problems: tuple[Problem, ...] = ()
    folder: str = ""  # the pictures' folder, site-relative; "" when there are none

    @property
    def warnings(self) -> int:
        return sum(1 for problem in self.problems if not problem.is_error)


@dataclass
class _Run:
    """What one file's import collects."""

    shown: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, hint: str = "", **values: object) -> None:
        self.problems.append(
            Problem(self.shown, None, messages.say(message, **values), messages.say(hint) if hint else "")
        )

    def warn(self, message: str, hint: str = "", **values: object) -> None:
        self.problems.append(
            Problem(
                self.shown, None, messages.say(message, **values), messages.say(hint) if hint else "", Severity.WARNING
            )
        )


def word_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The files to import: each path as given, a folder's .docx (and .doc/.wps, to be told what to do)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                child
                for child in path.iterdir()
                if child.is_file()
                and not child.name.startswith(("~$", "."))
                and child.suffix.lower() in WORD_SUFFIXES | OLD_SUFFIXES
            )
            if not found:
                problems.append(
                    Problem(
                        str(path), None, messages.say("import_empty_folder"), messages.say("import_empty_folder_hint")
                    )
                )
            files.extend(found)
        elif not path.exists():
            problems.append(
                Problem(str(path), None, messages.say("import_missing_file"), messages.say("import_missing_file_hint"))
            )
        else:
            files.append(path)
    return files, problems


def import_word(
    path: Path,
    shown: str,
    config: SiteConfig,
    options: ImportOptions,
    engine: Pandoc,
    numbers: MutableMapping[int, str],
) -> Imported:
    """Import the Word file at ``path`` (named ``shown`` in messages); ``numbers`` are the site's issues."""
    run = _Run(shown)
    suffix = path.suffix.lower()
    if suffix in OLD_SUFFIXES:
        run.error("import_old_format", "import_old_format_hint")
        return Imported(shown, None, problems=tuple(run.problems))
    if suffix not in WORD_SUFFIXES:
        run.error("import_not_word", "import_not_word_hint")
        return Imported(shown, None, problems=tuple(run.problems))
    try:
        data = path.read_bytes()
    except OSError as error:
        run.error("import_unreadable", reason=error.strerror or str(error))
        return Imported(shown, None, problems=tuple(run.problems))
    word = read_word(data, shown)
    if isinstance(word, Problem):
        return Imported(shown, None, problems=(word,))
    run.problems.extend(notice_problem(shown, notice) for notice in word.notices)
    with tempfile.TemporaryDirectory(prefix="chaowen-import-") as scratch:
        docx = Path(scratch) / "in.docx"
        docx.write_bytes(word.data)
        try:
            tree = engine.read(docx, Path(scratch) / "media")
        except EngineError as error:
            run.error("import_engine_failed", "import_corrupt_hint", reason=error.reason)
            return Imported(shown, None, problems=tuple(run.problems))
        cleaned = clean(
            tree,
            property_title=word.title,
            file_title=" ".join(path.stem.replace("_", " ").split()),
            take_byline=options.kind in (Kind.ESSAY, Kind.MINUTES),
            take_minutes_lines=options.kind is Kind.MINUTES,
        )
        values = _front_values(cleaned, word, options, config, numbers, run)
        if values is None:
            return Imported(shown, None, problems=tuple(run.problems))
        stem = _stem(cleaned.title) or _stem(path.stem) or f"{options.kind.value}-{options.today:%Y%m%d}"
        target = f"content/{options.kind.folder}/{stem}.md"
        images = _pictures(cleaned, stem, f"content/{options.kind.folder}/{stem}", run)
        try:
            body = engine.write(
                {"pandoc-api-version": tree["pandoc-api-version"], "meta": {}, "blocks": cleaned.blocks}
            )
        except EngineError as error:
            run.error("import_engine_failed", "import_corrupt_hint", reason=error.reason)
            return Imported(shown, None, problems=tuple(run.problems))
    text = front_matter(options.kind, values, config) + "\n" + _tidy(body)
    document, problems = parse_document(target.removeprefix("content/"), text, config)
    run.problems.extend(problems)
    if document is None:
        return Imported(shown, None, problems=tuple(run.problems))
    if options.kind is Kind.ISSUE:
        numbers[int(values["number"])] = target
    return Imported(
        shown,
        NewFile(target, text),
        images=tuple(images),
        problems=tuple(run.problems),
        folder=f"content/{options.kind.folder}/{stem}" if images else "",
    )


def _front_values(
    cleaned: Cleaned,
    word: WordFile,
    options: ImportOptions,
    config: SiteConfig,
    numbers: MutableMapping[int, str],
    run: _Run,
) -> dict[str, str] | None:
    """The front matter's values; None (and an error) when a required one cannot be known."""
    kind = options.kind
    title = " ".join(cleaned.title.split())
    values: dict[str, str] = {"title": title, "date": options.today.isoformat()}
    if cleaned.title_source == "file":
        run.warn("import_title_from_file", "import_title_from_file_hint", title=title)
    ok = True
    if options.track is not None:
        values["track"] = options.track.name  # an issue's track is optional, a page takes none (the CLI checks)
    elif kind in (Kind.ESSAY, Kind.MINUTES):
        choices = [track.name for track in config.tracks] or ["—"]
        run.error("import_track_required", "import_track_required_hint", kind=kind.label, choices=choices)
        ok = False
    names = cleaned.byline.names if cleaned.byline else ()
    author = " ".join(options.author.split()) if options.author else "、".join(names)
    if not author and word.author and kind in (Kind.ESSAY, Kind.MINUTES):
        author = word.author
        run.warn("import_author_from_property", "import_author_from_property_hint", author=author)
    if kind is Kind.ESSAY:
        if not author:
            run.error("import_no_author", "import_no_author_hint")
            ok = False
        values["author"] = author
        if cleaned.byline and cleaned.byline.unit and not options.author:
            values["unit"] = cleaned.byline.unit
    elif kind is Kind.MINUTES:
        host = " ".join(options.author.split()) if options.author else cleaned.fields.get("host") or author
        if host:
            values["host"] = host
        for name in ("venue", "participants"):
            if cleaned.fields.get(name):
                values[name] = cleaned.fields[name]
        day = cleaned.fields.get("date", "")
        if day and parse_date(day, ZoneInfo(config.timezone)) is not None:
            values["date"] = day
        elif day:
            run.warn("import_bad_date", "import_bad_date_hint", value=day)
    if kind is Kind.ISSUE:
        number = options.issue if options.issue is not None else max(numbers, default=0) + 1
        if number in numbers:
            run.problems.append(
                Problem(
                    "--issue",
                    None,
                    messages.say("duplicate_number", value=number, other=numbers[number]),
                    messages.say("duplicate_number_hint"),
                )
            )
            ok = False
        values["number"] = str(number)
    elif options.issue is not None:
        values["issue"] = str(options.issue)
        if options.issue not in numbers:
            choices = [str(n) for n in sorted(numbers)] or ["—"]
            run.problems.append(
                Problem(
                    "--issue",
                    None,
                    messages.say("missing_issue", value=options.issue),
                    messages.say("missing_issue_hint", choices=choices),
                    Severity.WARNING,
                )
            )
    return values if ok else None


def _stem(title: str) -> str:
    """The file name of a title: its pinyin, cut at a word to at most :data:`MAX_STEM` characters."""
    stem = slugify(title)
    if len(stem) <= MAX_STEM:
        return stem
    return stem[: MAX_STEM + 1].rsplit("-", 1)[0].rstrip("-")


def _pictures(cleaned: Cleaned, stem: str, folder: str, run: _Run) -> list[tuple[str, bytes]]:
    """Each picture pandoc extracted, renamed ``tu-N.ext`` in ``folder``; the links made relative to the document.

    A picture a browser cannot show (EMF, WMF, TIFF…) is taken out of the text; the
    file's notices already name its paragraph.
    """
    files: list[tuple[str, bytes]] = []
    names: dict[str, str] = {}
    for image in cleaned.images:
        source = Path(image["c"][2][0])
        suffix = source.suffix.lower()
        if suffix == ".jpeg":
            suffix = ".jpg"
        if suffix not in WEB_IMAGES or not source.is_file():
            _drop(image)
            if suffix in WEB_IMAGES:
                run.warn("import_image_missing", "import_image_missing_hint", name=source.name)
            continue
        name = names.get(str(source))
        if name is None:
            name = names[str(source)] = f"{IMAGE_PREFIX}{len(names) + 1}{suffix}"
            files.append((f"{folder}/{name}", source.read_bytes()))
        image["c"][2][0] = f"{stem}/{name}"
    return files


def _drop(image: Node) -> None:
    """Turn a picture that cannot be shown into nothing, where it stands."""
    image.clear()
    image.update({"t": "Str", "c": ""})


def _tidy(markdown: str) -> str:
    """pandoc's Markdown with no trailing spaces and one final newline."""
    lines = [line.rstrip() for line in markdown.splitlines()]
    return "\n".join(lines).strip("\n") + "\n"
