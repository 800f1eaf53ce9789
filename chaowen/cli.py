"""The ``chaowen`` command: the only place that prints problems and sets the exit code.

Exit codes: 0 success, 1 content errors (or warnings with ``--strict``), 2 usage errors.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from zoneinfo import ZoneInfo

import click

from . import __version__, messages, usage
from .errors import BuildError, Problem, sort_problems
from .model import Kind, SiteConfig, TrackConfig

if TYPE_CHECKING:
    from .build import BuildResult
    from .importer import Imported as ImportedResult


def _language(site: Path) -> str:
    """The site's language for messages, read cheaply; zh-CN when unknown."""
    return usage.site_language(site)


def print_problems(problems: Iterable[Problem], *, err: bool = True, language: str = "zh-CN") -> None:
    """Problems grouped by file, errors in red and warnings in yellow on a terminal."""
    current = None
    for problem in sort_problems(list(problems)):
        if problem.path != current and current is not None:
            click.echo("", err=err)
        current = problem.path
        colour = "red" if problem.is_error else "yellow"
        label = messages.text("label_error" if problem.is_error else "label_warning", language)
        click.echo(click.style(f"{label} ", fg=colour, bold=True) + problem.format(language), err=err)


def _counts(problems: Iterable[Problem]) -> tuple[int, int]:
    items = list(problems)
    errors = sum(1 for p in items if p.is_error)
    return errors, len(items) - errors


site_option = click.option(
    "--site",
    "site",
    type=usage.Folder(),
    default=Path("."),
)


@click.group(cls=usage.Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chaowen", message="%(prog)s %(version)s")
def main() -> None:
    """chaowen: the verbs. Help texts are in the catalogue (``help_<verb>_<option>``), shown by :mod:`usage`."""


@main.command()
@site_option
@click.option("--output", type=usage.Folder(), default=None)
@click.option("--base-url", default=None)
@click.option("--drafts", is_flag=True)
@click.option("--clean", is_flag=True)
@click.option("--strict", is_flag=True)
@click.option("--relative", is_flag=True, default=None)
@click.option("--jobs", "-j", type=usage.IntRange(min=1), default=None)
@click.option("--no-cache", is_flag=True)
@click.option("--no-search", is_flag=True)
@click.option("--no-print", is_flag=True)
@click.option("-v", "--verbose", count=True)
@click.option("-q", "--quiet", is_flag=True)
def build(
    site: Path,
    output: Path | None,
    base_url: str | None,
    drafts: bool,
    clean: bool,
    strict: bool,
    relative: bool | None,
    jobs: int | None,
    no_cache: bool,
    no_search: bool,
    no_print: bool,
    verbose: int,
    quiet: bool,
) -> None:
    """Build the site into its output folder."""
    from .build import BuildOptions
    from .build import build as run_build

    options = BuildOptions(
        site_root=site,
        output=output,
        base_url=base_url,
        drafts=drafts,
        strict=strict,
        clean=clean,
        relative=relative,
        jobs=jobs,
        cache=not no_cache,
        search=not no_search,
        print=not no_print,
    )
    language = _language(site)
    try:
        with _progress(enabled=not quiet and sys.stderr.isatty(), language=language) as progress:
            result = run_build(options, progress=progress)
    except BuildError as error:
        print_problems(error.problems, language=language)
        errors, warnings = _counts(error.problems)
        click.echo(click.style(messages.text("failed", language, errors=errors, warnings=warnings), fg="red"), err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(
            click.style(
                messages.text("io_error", language, reason=f"{error.filename or ''} {error.strerror}"), fg="red"
            ),
            err=True,
        )
        sys.exit(1)
    if not quiet:
        print_problems(result.warnings, language=language)
        click.echo(
            messages.text(
                "built",
                language,
                pages=result.pages,
                files=result.files,
                written=result.written,
                warnings=len(result.warnings),
                seconds=result.seconds,
            )
            + _print_summary(result, language)
            + _search_summary(result, language)
            + (messages.text("output_foreign_kept", language, count=result.foreign) if result.foreign else "")
        )
        for notice in result.notices:
            click.echo(click.style(notice.render(language), fg="yellow"), err=True)
        if verbose:
            stages = " · ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
            click.echo(f"{stages} · markdown {result.markdown} · pages rendered {result.rendered}")


@main.command()
@click.argument("directory", type=usage.Folder(), default=Path("."), required=False)
@click.option("--title", default="潮闻")
def init(directory: Path, title: str) -> None:
    """Create a site folder (the current one by default) with a sample of each kind; never overwrites a file."""
    from .scaffold import site_files

    language = "zh-CN"
    config = directory / "chaowen.yaml"
    if config.exists():
        problem = Problem(
            str(config),
            None,
            messages.say("site_exists", path=_shown(directory.absolute())),
            messages.say("site_exists_hint"),
        )
        print_problems([problem], language=language)
        sys.exit(1)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    for new_file in site_files(today, title=" ".join(title.split()) or "潮闻"):
        created = _create(directory, new_file.path, new_file.text)
        click.echo(messages.text("created" if created else "kept", language, path=_shown(directory / new_file.path)))
    click.echo(messages.text("init_done", language))
    if directory.resolve() != Path.cwd().resolve():
        click.echo(f"  cd {_shown(directory)}")
    click.echo(messages.text("init_next", language))


_KIND_NAMES = [kind.value for kind in Kind]
# The options of `new` and `import` that each kind takes.
_OPTIONS_OF_KIND: dict[Kind, frozenset[str]] = {
    Kind.ESSAY: frozenset({"track", "author", "issue"}),
    Kind.MINUTES: frozenset({"track", "author", "issue"}),
    Kind.ISSUE: frozenset({"track", "issue"}),
    Kind.PAGE: frozenset(),
}


def _check_kind_options(chosen: Kind, language: str, **values: object) -> None:
    """A usage error for an option given that ``chosen`` does not take (``new`` and ``import``)."""
    allowed = _OPTIONS_OF_KIND[chosen]
    for option, value in values.items():
        if value is not None and option not in allowed:
            label = chosen.label if messages.is_chinese(language) else chosen.value
            raise usage.Worded(messages.text("option_not_for_kind", language, kind=label, option=option))


def _config_and_track(site: Path, track: str | None, language: str) -> tuple[SiteConfig, TrackConfig | None]:
    """The site's configuration and the track named by ``--track`` (by key or name); exits on a problem."""
    from .config import load_config
    from .scaffold import find_track

    try:
        config = load_config(site)
    except BuildError as error:
        _fail(error.problems, language)
    if track is None:
        return config, None
    track_config, problem = find_track(config, track)
    if problem is not None:
        _fail([problem], config.language)
    return config, track_config


@main.command()
@click.argument("kind", type=usage.Choice(_KIND_NAMES))
@click.argument("title")
@click.option("--track", default=None)
@click.option("--author", default=None)
@click.option("--issue", type=usage.IntRange(min=1), default=None)
@site_option
def new(kind: str, title: str, track: str | None, author: str | None, issue: int | None, site: Path) -> None:
    """Create one document from its kind's scaffold and print its path; never overwrites a file."""
    from .scaffold import document_file, issue_numbers

    chosen = Kind(kind)
    language = _language(site)
    _check_kind_options(chosen, language, track=track, author=author, issue=issue)
    if not title.strip():
        raise usage.Worded(messages.text("empty_value", language, field="title"))
    config, track_config = _config_and_track(site, track, language)
    language = config.language
    numbers = issue_numbers(config) if chosen is Kind.ISSUE or issue is not None else {}
    today = datetime.now(ZoneInfo(config.timezone)).date()
    new_file, problems = document_file(
        chosen, title, config, today=today, track=track_config, author=author, issue=issue, numbers=numbers
    )
    if new_file is None:
        _fail(problems, language)
    target = site / new_file.path
    if not _create(site, new_file.path, new_file.text):
        _fail(
            [
                Problem(
                    new_file.path,
                    None,
                    messages.say("file_exists", path=_shown(target)),
                    messages.say("file_exists_hint"),
                )
            ],
            language,
        )
    print_problems(problems, language=language)
    click.echo(_shown(target))


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=usage.Choice(_KIND_NAMES), default=Kind.ESSAY.value)
@click.option("--track", default=None)
@click.option("--author", default=None)
@click.option("--issue", type=usage.IntRange(min=1), default=None)
@site_option
def import_(
    files: tuple[Path, ...], kind: str, track: str | None, author: str | None, issue: int | None, site: Path
) -> None:
    """Import Word documents as Markdown documents; prints each new path and a summary; never overwrites."""
    from .importer import ImportOptions, import_word, word_files
    from .pandoc import find_pandoc
    from .scaffold import issue_numbers

    chosen = Kind(kind)
    language = _language(site)
    _check_kind_options(chosen, language, track=track, author=author, issue=issue)
    config, track_config = _config_and_track(site, track, language)
    language = config.language
    engine = find_pandoc()
    if isinstance(engine, Problem):
        _fail([engine], language)
    paths, problems = word_files(files)
    options = ImportOptions(
        kind=chosen,
        today=datetime.now(ZoneInfo(config.timezone)).date(),
        track=track_config,
        issue=issue,
        author=author,
    )
    numbers = issue_numbers(config)
    done, warnings, skipped = 0, 0, len(problems)
    print_problems(problems, language=language)
    for path in paths:
        result = import_word(path, _shown(path), config, options, engine, numbers)
        for problem in result.problems:  # in the order of the file's paragraphs, not sorted by their wording
            print_problems([problem], language=language)
        if result.document is None or not _write_import(site, result, language):
            skipped += 1
            continue
        done, warnings = done + 1, warnings + result.warnings
        click.echo(_shown(site / result.document.path))
    summary = messages.text("import_done", language, imported=done, warnings=warnings, skipped=skipped)
    click.echo(click.style(summary, fg="yellow" if skipped else "green"))
    sys.exit(1 if skipped else 0)


def _write_import(site: Path, result: ImportedResult, language: str) -> bool:
    """Create an imported document and its pictures; False (nothing written) when any of them exists."""
    assert result.document is not None
    taken = [site / result.document.path]
    if result.folder:
        taken.append(site / result.folder)
    for path in taken:
        if path.exists() or path.is_symlink():
            problem = Problem(
                _shown(path), None, messages.say("file_exists", path=_shown(path)), messages.say("import_exists_hint")
            )
            print_problems([problem], language=language)
            return False
    current = site / result.folder
    try:
        if result.folder:
            current.mkdir(parents=True)
        for relative, data in result.images:
            current = site / relative
            with current.open("xb") as handle:
                handle.write(data)
    except OSError as error:
        shown = _shown(current)
        print_problems(
            [Problem(shown, None, messages.say("unwritable", path=shown, reason=error.strerror))], language=language
        )
        return False
    return _create(site, result.document.path, result.document.text)


@main.command()
@site_option
@click.option("--strict", is_flag=True)
@click.option("--drafts", is_flag=True)
def check(site: Path, strict: bool, drafts: bool) -> None:
    """Every check of a build, through the build's own pipeline without its write stage; exit 1 on errors."""
    from .build import Builder, BuildOptions

    language = _language(site)
    problems: tuple[Problem, ...]
    try:  # the build's own pipeline without its write stage: the same problems, the same severities
        problems = Builder(BuildOptions(site_root=site, drafts=drafts, strict=strict)).check().warnings
    except BuildError as error:
        problems = error.problems
    except OSError as error:
        click.echo(
            click.style(
                messages.text("unreadable", language, reason=f"{error.filename or ''} {error.strerror}"), fg="red"
            ),
            err=True,
        )
        sys.exit(1)
    print_problems(problems, err=False, language=language)
    errors, warnings = _counts(problems)
    colour = "red" if errors else ("yellow" if warnings else "green")
    click.echo(click.style(messages.text("checked", language, errors=errors, warnings=warnings), fg=colour))
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("kind", type=usage.Choice(_KIND_NAMES), required=False)
@click.option(
    "--out",
    type=usage.Folder(),
    default=None,
)
@site_option
@click.pass_context
def schema(ctx: click.Context, kind: str | None, out: Path | None, site: Path) -> None:
    """Print or write the JSON Schema of the front matter; a --site that is no site is an error."""
    from .config import CONFIG_FILE, load_config
    from .schema import json_schema

    language = _language(site)
    tracks: list[str] = []
    named = ctx.get_parameter_source("site") is not click.core.ParameterSource.DEFAULT
    if named or (site / CONFIG_FILE).exists():  # a site named with --site must be one
        try:
            config = load_config(site)
        except BuildError as error:
            _fail(error.problems, language)
        language = config.language
        tracks = [name for track in config.tracks for name in (track.name, track.key)]
    kinds = [Kind(kind)] if kind else list(Kind)
    schemas = {k.value: json_schema(k, tracks, language) for k in kinds}
    if out is None:
        click.echo(json.dumps(schemas[kind] if kind else schemas, ensure_ascii=False, indent=2))
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, value in schemas.items():
            path = out / f"{name}.schema.json"
            path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            click.echo(messages.text("schema_written", language, path=_shown(path)))
    except OSError as error:
        _fail(
            [Problem(_shown(out), None, messages.say("unwritable", path=_shown(out), reason=error.strerror))],
            language,
        )


def _fail(problems: Iterable[Problem], language: str) -> NoReturn:
    print_problems(problems, language=language)
    sys.exit(1)


def _shown(path: Path) -> str:
    """A path as the editor typed it, with the separators of their system."""
    return os.path.normpath(path)


def _create(root: Path, relative: str, text: str) -> bool:
    """Create ``root/relative`` with ``text``; False (and nothing written) when it already exists."""
    path = root / relative
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    except OSError as error:
        problem = Problem(_shown(path), None, messages.say("unwritable", path=_shown(path), reason=error.strerror))
        _fail([problem], usage.site_language(root))
    return True


@main.command()
@site_option
@click.option("--host", default="127.0.0.1")
@click.option("--port", type=usage.IntRange(0, 65535), default=8000)
@click.option("--drafts", is_flag=True)
@click.option("--open", "open_browser", is_flag=True)
@click.option("--base-url", default=None)
@click.option("--no-search", is_flag=True)
@click.option("-v", "--verbose", count=True)
def serve(
    site: Path,
    host: str,
    port: int,
    drafts: bool,
    open_browser: bool,
    base_url: str | None,
    no_search: bool,
    verbose: int,
) -> None:
    """Serve a live preview that follows every save."""
    try:
        from .serve import ServeOptions, run

        language = _language(site)
        options = ServeOptions(
            site_root=site,
            host=host,
            port=port,
            drafts=drafts,
            base_url=base_url,
            open_browser=open_browser,
            verbose=verbose,
            language=language,
            search=not no_search,
        )
        code = run(options, _ServeTerminal(language))
    except KeyboardInterrupt:  # Ctrl-C while starting, before there is anything to clean up
        code = 0
    sys.exit(code)


class _ServeTerminal:
    """What ``serve`` says goes through here: the CLI is the only place that prints."""

    def __init__(self, language: str) -> None:
        self.language = language

    def info(self, text: str) -> None:
        click.echo(text)

    def warn(self, text: str) -> None:
        click.echo(click.style(text, fg="yellow"), err=True)

    def problems(self, problems: Sequence[Problem]) -> None:
        print_problems(problems, language=self.language)


def _search_summary(result: BuildResult, language: str) -> str:
    """How long the search index took and how big it is; nothing when none was made."""
    if not result.indexed:
        return ""
    return messages.text(
        "built_search",
        language,
        pages=result.indexed,
        size=round(result.index_bytes / 1024),
        seconds=result.timings.get("search", 0.0),
    )


def _print_summary(result: BuildResult, language: str) -> str:
    """How many PDFs the print edition has and how many were typeset now; nothing without one."""
    if not result.prints:
        return ""
    seconds = result.timings.get("print", 0.0)
    return messages.text("built_print", language, count=result.prints, made=result.prints_made, seconds=seconds)


class _progress:
    """A rich progress bar on a terminal; nothing otherwise."""

    def __init__(self, *, enabled: bool, language: str) -> None:
        self.enabled = enabled
        self.language = language
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _progress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True)
            self._bar.__enter__()
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            return
        task = self._tasks.get(stage)
        if task is None:
            description = messages.text(f"stage_{stage}", self.language)
            task = self._tasks[stage] = self._bar.add_task(description, total=total)
        self._bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
