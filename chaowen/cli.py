"""The ``chaowen`` command: the only place that prints problems and sets the exit code.

Exit codes: 0 success, 1 content errors (or warnings with ``--strict``), 2 usage errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__, messages
from .errors import BuildError, Problem, sort_problems


def _language(site: Path) -> str:
    """The site's language for messages, read cheaply; zh-CN when unknown."""
    try:
        for line in (site / "chaowen.yaml").read_text("utf-8", errors="replace").splitlines():
            if line.startswith("language:"):
                return line.split(":", 1)[1].strip().strip("'\"") or "zh-CN"
    except OSError:
        pass
    return "zh-CN"


def print_problems(problems: Iterable[Problem], *, err: bool = True) -> None:
    """Problems grouped by file, errors in red and warnings in yellow on a terminal."""
    current = None
    for problem in sort_problems(list(problems)):
        if problem.path != current and current is not None:
            click.echo("", err=err)
        current = problem.path
        colour = "red" if problem.is_error else "yellow"
        label = "错误" if problem.is_error else "警告"
        click.echo(click.style(f"{label} ", fg=colour, bold=True) + problem.format(), err=err)


def _counts(problems: Iterable[Problem]) -> tuple[int, int]:
    items = list(problems)
    errors = sum(1 for p in items if p.is_error)
    return errors, len(items) - errors


site_option = click.option(
    "--site",
    "site",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="当前目录",
    help="站点目录（含 chaowen.yaml）。",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chaowen")
def main() -> None:
    """潮闻 —— 交流期刊的静态网站生成器。"""


@main.command()
@site_option
@click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path), default=None, help="输出目录，默认为 站点/output。"
)
@click.option("--base-url", default=None, help="覆盖 chaowen.yaml 中的 base_url，例如 https://example.org/chaowen/。")
@click.option("--drafts", is_flag=True, help="包含草稿和未来日期的文章。")
@click.option("--clean", is_flag=True, help="不复用上一次的输出，全部重新写入。")
@click.option("--strict", is_flag=True, help="把警告当作错误。")
@click.option("--relative", is_flag=True, default=None, help="生成相对链接，可直接打开文件浏览（离线拷贝）。")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="并行进程数，默认为 CPU 核数；1 为单进程。"
)
@click.option("--no-cache", is_flag=True, help="不读也不写构建缓存（站点/.chaowen-cache）。")
@click.option("-v", "--verbose", count=True, help="显示更多信息。")
@click.option("-q", "--quiet", is_flag=True, help="只显示错误。")
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
    verbose: int,
    quiet: bool,
) -> None:
    """生成网站到 output/。"""
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
    )
    language = _language(site)
    try:
        with _progress(enabled=not quiet and sys.stderr.isatty(), language=language) as progress:
            result = run_build(options, progress=progress)
    except BuildError as error:
        print_problems(error.problems)
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
        print_problems(result.warnings)
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
        )
        if verbose:
            stages = " · ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
            click.echo(f"{stages} · markdown {result.markdown} · pages rendered {result.rendered}")



@main.command()
@site_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听的地址；0.0.0.0 让同一网络中的其他电脑也能访问。")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="端口；被占用时自动改用下一个。"
)
@click.option("--drafts", is_flag=True, help="包含草稿和未来日期的文章。")
@click.option("--open", "open_browser", is_flag=True, help="启动后在浏览器中打开预览。")
@click.option("--base-url", default=None, help="覆盖 chaowen.yaml 中的 base_url，例如 https://example.org/chaowen/。")
@click.option("-v", "--verbose", count=True, help="显示每次变化的文件和每个请求。")
def serve(site: Path, host: str, port: int, drafts: bool, open_browser: bool, base_url: str | None, verbose: int) -> None:
    """预览网站：保存文件后，浏览器中的页面自动更新。"""
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
    )
    sys.exit(run(options, _ServeTerminal()))


class _ServeTerminal:
    """What ``serve`` says goes through here: the CLI is the only place that prints."""

    def info(self, text: str) -> None:
        click.echo(text)

    def warn(self, text: str) -> None:
        click.echo(click.style(text, fg="yellow"), err=True)

    def problems(self, problems: Sequence[Problem]) -> None:
        print_problems(problems)


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
