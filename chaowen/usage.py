"""click's own words in the site's language: help pages, usage errors and the parameter types' complaints.

click writes its help and errors in English ("Usage:", "Error: No such option",
"Invalid value for '{issue|minutes|essay|page}'"), next to chaowen's Chinese.
Here the help of every verb and option comes from the catalogue
(``help_<verb>``, ``help_<verb>_<param>``, ``metavar_<param>``) and each of
click's usage errors is rebuilt from its structured fields (the option, the
parameter, the bad value) as a catalogue message. The language is the site's,
read before click parses anything; Chinese when there is no site yet.
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from . import messages

DEFAULT_LANGUAGE = "zh-CN"


def site_language(site: Path) -> str:
    """The site's language for messages, read cheaply from chaowen.yaml; zh-CN when unknown."""
    try:
        for line in (site / "chaowen.yaml").read_text("utf-8", errors="replace").splitlines():
            if line.startswith("language:"):
                return line.split(":", 1)[1].strip().strip("'\"") or DEFAULT_LANGUAGE
    except OSError:
        pass
    return DEFAULT_LANGUAGE


def language_of_args(args: Sequence[str]) -> str:
    """The language of the site a command line points at (``--site DIR``, else the current folder)."""
    site = "."
    for index, arg in enumerate(args):
        if arg == "--site" and index + 1 < len(args):
            site = args[index + 1]
        elif arg.startswith("--site="):
            site = arg.split("=", 1)[1]
    return site_language(Path(site))


class _Session:
    """What every context of one command line shares (as ``ctx.obj``): the language to speak."""

    def __init__(self, language: str) -> None:
        self.language = language


def _language(ctx: click.Context | None) -> str:
    session = ctx.find_object(_Session) if ctx is not None else None
    return session.language if session is not None else DEFAULT_LANGUAGE


class Worded(click.UsageError):
    """A command-line mistake chaowen found itself (not click), already worded in the site's language."""


# ------------------------------------------------------------------ parameter types
class BadValue(click.BadParameter):
    """A value that does not fit its parameter, as a catalogue key and the values for it."""

    def __init__(self, key: str, values: Mapping[str, object], ctx: click.Context | None, param: Any) -> None:
        super().__init__(messages.text(key, _language(ctx), **values), ctx, param)
        self.key = key
        self.values = dict(values)


class Choice(click.Choice[str]):
    """One of a fixed list of words, complaining in the site's language."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            choices = messages.join_choices([str(c) for c in self.choices], _language(ctx))
            raise BadValue("usage_bad_choice", {"value": value, "choices": choices}, ctx, param) from None


class IntRange(click.IntRange):
    """A whole number within bounds, complaining in the site's language."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            language = _language(ctx)
            if self.max is None:
                bounds = messages.text("usage_at_least", language, min=self.min)
            else:
                bounds = messages.text("usage_between", language, min=self.min, max=self.max)
            raise BadValue("usage_bad_number", {"value": value, "bounds": bounds}, ctx, param) from None


class Folder(click.Path):
    """A folder that may not exist yet (but is not a file), complaining in the site's language."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            raise BadValue("usage_not_a_folder", {"value": value}, ctx, param) from None


# ------------------------------------------------------------------ help
def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, breaking between CJK characters but not inside ASCII words."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in re.findall(r"[!-~]+|\s|.", paragraph):
            if line and _width(line + token) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


def _rows(rows: Iterable[tuple[str, str]], total: int) -> list[str]:
    """A two-column list: names padded to one width (by terminal columns), texts wrapped beside them."""
    items = list(rows)
    first = min(max((_width(name) for name, _ in items), default=0), 24) + 2
    out: list[str] = []
    for name, text in items:
        wrapped = _wrap(text, max(total - first - 2, 20)) or [""]
        if _width(name) + 2 > first:
            out.append(f"  {name}")
            out.extend(" " * (first + 2) + part for part in wrapped)
            continue
        out.append(f"  {name}{' ' * (first - _width(name))}{wrapped[0]}".rstrip())
        out.extend(" " * (first + 2) + part for part in wrapped[1:])
    return out


def _help_key(ctx: click.Context, param: click.Parameter | None = None) -> str:
    """The catalogue key of a verb's help (``help_build``) or a parameter's (``help_build_jobs``, else ``help_jobs``)."""
    verb = ctx.command.name if ctx.parent is not None and ctx.command.name else "main"
    if param is None:
        return f"help_{verb}"
    if isinstance(param, click.Option) and param.opts and set(param.opts) <= set(ctx.help_option_names):
        return "help_help"  # by its flags: Click 8.5 names this option ``_click_default_help``, not ``help``
    own = f"help_{verb}_{param.name}"
    return own if own in messages.CATALOGUE else f"help_{param.name}"


def _metavar(param: click.Parameter, language: str) -> str:
    key = f"metavar_{param.name}"
    return messages.text(key if key in messages.CATALOGUE else "metavar_value", language)


def _help_text(ctx: click.Context, param: click.Parameter | None, language: str) -> str:
    """A verb's or parameter's help from the catalogue; the decorator's text if it has no entry yet.

    tests/integration/test_errors.py asserts that every verb and parameter has its entry.
    """
    key = _help_key(ctx, param)
    if key in messages.CATALOGUE:
        return messages.text(key, language)
    written = getattr(param, "help", None) if param is not None else ctx.command.help
    return written or ""


def _usage_pieces(command: click.Command, ctx: click.Context, language: str) -> list[str]:
    pieces = [messages.text("usage_options", language)]
    for param in command.get_params(ctx):
        if isinstance(param, click.Argument):
            name = _metavar(param, language)
            pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, click.Group):
        pieces.append(messages.text("usage_command", language))
    return pieces


def usage_line(ctx: click.Context) -> str:
    language = _language(ctx)
    pieces = " ".join(_usage_pieces(ctx.command, ctx, language))
    return messages.text("usage", language, usage=f"{ctx.command_path} {pieces}")


def _option_name(param: click.Parameter, language: str) -> str:
    names = ", ".join(sorted([*param.opts, *param.secondary_opts], key=lambda opt: opt.startswith("--")))
    if isinstance(param, click.Option) and not param.is_flag and not param.count:
        names += " " + _metavar(param, language)
    return names


def help_page(ctx: click.Context) -> str:
    """The ``--help`` page of a verb (or of ``chaowen``) in the site's language."""
    language = _language(ctx)
    total = min(shutil.get_terminal_size((80, 24)).columns, 100) if sys.stdout.isatty() else 80
    lines = [usage_line(ctx), ""]
    lines.extend("  " + part for part in _wrap(_help_text(ctx, None, language), total - 2))
    params = ctx.command.get_params(ctx)
    arguments = [(_metavar(p, language), _help_text(ctx, p, language)) for p in params if isinstance(p, click.Argument)]
    if arguments:
        lines += ["", messages.text("usage_arguments_heading", language), *_rows(arguments, total)]
    options = [
        (_option_name(p, language), _help_text(ctx, p, language))
        for p in params
        if isinstance(p, click.Option) and not p.hidden
    ]
    lines += ["", messages.text("usage_options_heading", language), *_rows(options, total)]
    if isinstance(ctx.command, click.Group):
        verbs = [(name, _verb_help(ctx.command, ctx, name, language)) for name in ctx.command.list_commands(ctx)]
        lines += ["", messages.text("usage_commands_heading", language), *_rows(verbs, total)]
    return "\n".join(lines)


def _with_context(error: click.UsageError, ctx: click.Context) -> click.UsageError:
    """click's option parser raises without a context; the message needs it to name the option's kind."""
    if error.ctx is None:
        error.ctx = ctx
    return error


def _verb_help(group: click.Group, ctx: click.Context, name: str, language: str) -> str:
    """The first line of a verb's help, for the list of verbs."""
    key = f"help_{name}"
    if key in messages.CATALOGUE:
        return messages.text(key, language).split("\n")[0]
    command = group.get_command(ctx, name)
    return command.get_short_help_str() if command is not None else ""


class Command(click.Command):
    """A verb whose help page and usage line come from the catalogue."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise _with_context(error, ctx) from None

    def get_help(self, ctx: click.Context) -> str:
        return help_page(ctx)

    def get_usage(self, ctx: click.Context) -> str:
        return usage_line(ctx)


class Group(Command, click.Group):
    """``chaowen`` itself: its verbs are :class:`Command`, and click's errors are shown in the site's language.

    Parsing, help page and usage line come from :class:`Command` (before ``click.Group`` in the MRO)."""

    command_class = Command

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        language = language_of_args(argv)
        extra.setdefault("obj", _Session(language))
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            if not standalone_mode:
                raise
            _show(error, language)
        except click.Abort:
            if not standalone_mode:
                raise
            click.echo(messages.text("usage_aborted", language), err=True)
            sys.exit(1)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


# ------------------------------------------------------------------ errors
def _show(error: click.ClickException, language: str) -> NoReturn:
    """Print one of click's errors as chaowen prints problems: usage line, message（hint）, where to get help."""
    ctx = error.ctx if isinstance(error, click.UsageError) else None
    if isinstance(error, click.exceptions.NoArgsIsHelpError) and ctx is not None:
        click.echo(help_page(ctx), err=True)
        sys.exit(error.exit_code)
    message, hint = describe(error, language)
    if hint:
        message += f"（{hint}）" if messages.is_chinese(language) else f" ({hint})"
    if ctx is not None:
        click.echo(usage_line(ctx), err=True)
    label = messages.text("label_error", language)
    click.echo(click.style(label, fg="red", bold=True) + " " + message, err=True)
    if ctx is not None:
        click.echo(messages.text("usage_try_help", language, command=ctx.command_path), err=True)
    sys.exit(error.exit_code)


def describe(error: click.ClickException, language: str) -> tuple[str, str]:
    """What went wrong on the command line and how to fix it, from the error's fields, never its English text."""
    ctx = error.ctx if isinstance(error, click.UsageError) else None
    if isinstance(error, click.MissingParameter):
        param = error.param
        name = _label(param, language) if param is not None else "?"
        hint = _help_text(ctx, param, language) if ctx is not None and param is not None else ""
        hint = hint.split("\n")[0].rstrip("。.")
        return messages.text("usage_missing", language, param=name), hint
    if isinstance(error, BadValue):
        reason = messages.text(error.key, language, **error.values)
        return messages.text("usage_invalid", language, param=_label(error.param, language), reason=reason), ""
    if isinstance(error, click.BadParameter):
        reason = messages.text("usage_bad_value", language)
        return messages.text("usage_invalid", language, param=_label(error.param, language), reason=reason), ""
    if isinstance(error, click.NoSuchOption):
        return messages.text("usage_no_such_option", language, option=error.option_name), _did_you_mean(
            error.possibilities, language
        )
    if isinstance(error, click.exceptions.NoSuchCommand):
        hint = _did_you_mean(error.possibilities, language) or _verbs(ctx, language)
        return messages.text("usage_no_such_command", language, name=error.command_name), hint
    if isinstance(error, click.BadOptionUsage):
        return _option_usage(error, language), ""
    if isinstance(error, Worded):
        return error.message, ""
    extra = re.search(r"unexpected extra arguments? \((.*)\)", error.message)
    if extra:
        takes_title = ctx is not None and any(p.name == "title" for p in ctx.command.params)
        hint = messages.text("usage_extra_args_hint", language) if takes_title else ""
        return messages.text("usage_extra_args", language, args=extra.group(1)), hint
    if error.message.startswith("Missing command"):
        return messages.text("usage_missing_command", language), _verbs(ctx, language)
    return messages.text("usage_error", language, reason=error.message), ""


def _label(param: click.Parameter | None, language: str) -> str:
    """How the editor wrote (or should write) the parameter: ``--jobs``, or the argument's name."""
    if param is None:
        return "?"
    if isinstance(param, click.Argument):
        return _metavar(param, language)
    return max(param.opts, key=len)


def _did_you_mean(possibilities: Iterable[str] | None, language: str) -> str:
    found = sorted(possibilities or ())
    if not found:
        return ""
    return messages.text("did_you_mean", language, suggestion=messages.join_choices(found, language))


def _verbs(ctx: click.Context | None, language: str) -> str:
    command = ctx.find_root().command if ctx is not None else None
    if not isinstance(command, click.Group) or ctx is None:
        return ""
    names = command.list_commands(ctx)
    return messages.text("usage_commands", language, choices=messages.join_choices(names, language))


def _option_usage(error: click.BadOptionUsage, language: str) -> str:
    """An option given without its value, or a flag given one."""
    param = None
    if error.ctx is not None:
        param = next((p for p in error.ctx.command.get_params(error.ctx) if error.option_name in p.opts), None)
    if isinstance(param, click.Option) and (param.is_flag or param.count):
        return messages.text("usage_flag_value", language, option=error.option_name)
    metavar = _metavar(param, language) if param is not None else "…"
    return messages.text("usage_needs_value", language, option=error.option_name, metavar=metavar)
