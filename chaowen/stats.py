"""The journal in numbers, as templates show it: headline figures and charts.

:func:`chaowen.site.site_stats` counts; this module turns the counts into the
plain views of :mod:`chaowen.views` (:class:`Figure`, :class:`Chart`). Every chart
is one row of :data:`CHARTS`: where its bars come from, how many it shows, and
its titles; one function makes bars of them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .model import Site
from .site import Stats
from .views import Bar, Chart, Figure, TrackView

Url = Callable[[str], str]  # a site path -> its URL with the base path


@dataclass(frozen=True, slots=True)
class Row:
    """One bar before scaling: label, value, link, the note after the value, the axis tick."""

    label: str
    value: int
    url: str = ""
    note: str = ""
    tick: str = ""


@dataclass(frozen=True, slots=True)
class Numbers:
    """What the charts are drawn from."""

    site: Site
    stats: Stats
    tracks: Mapping[str, TrackView]
    url: Url


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One chart: its HTML id, titles, shape, and the rows it shows (the ``top`` largest, 0: all)."""

    id: str
    title: str
    label_header: str
    shape: str  # "bars" or "columns"
    rows: Callable[[Numbers], list[Row]]
    note: str = ""
    top: int = 0
    counted: tuple[str, str] = ("", "")  # measure and noun of the note when some are left out: 个, 单位


def _issue_rows(n: Numbers) -> list[Row]:
    rows = []
    for number, count in n.stats.per_issue:
        source = n.site.issue_sources[number]
        title = n.site.documents[source].title
        rows.append(Row(f"第{number}期 {title}", count, n.url(n.site.urls[source])))
    return rows


def _track_rows(n: Numbers) -> list[Row]:
    return [
        Row(
            n.tracks[key].name,
            tally.essays + tally.minutes,
            n.tracks[key].url,
            f"心得 {tally.essays} · 纪要 {tally.minutes}",
        )
        for key, tally in n.stats.per_track
    ]


def _month_rows(n: Numbers) -> list[Row]:
    many = len(n.stats.per_month) > 24  # then only every quarter gets a tick
    return [
        Row(
            f"{year}年{month}月",
            count,
            note=f"{year}年" if index == 0 or month == 1 else "",
            tick=f"{month}月" if not many or month in (1, 4, 7, 10) else "",
        )
        for index, (year, month, count) in enumerate(n.stats.per_month)
    ]


def _unit_rows(n: Numbers) -> list[Row]:
    return [Row(name, count) for name, count in n.stats.per_unit]


def _author_rows(n: Numbers) -> list[Row]:
    return [Row(name, count, n.url(f"authors/{n.site.author_slugs[name]}/")) for name, count in n.stats.per_author]


def _tag_rows(n: Numbers) -> list[Row]:
    return [Row(name, count, n.url(f"tags/{n.site.tag_slugs[name]}/")) for name, count in n.stats.per_tag]


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("cw-chart-issue", "每期收录篇数", "期号", "bars", _issue_rows, "心得与纪要，不含期刊本身"),
    ChartSpec("cw-chart-track", "各赛道篇数", "赛道", "bars", _track_rows),
    ChartSpec("cw-chart-month", "每月发表篇数", "月份", "columns", _month_rows, "期刊、心得与纪要，按发表日期"),
    ChartSpec("cw-chart-unit", "各单位学员心得篇数", "单位", "bars", _unit_rows, top=15, counted=("个", "单位")),
    ChartSpec("cw-chart-author", "最活跃的作者", "作者", "bars", _author_rows, top=10, counted=("位", "作者")),
    ChartSpec("cw-chart-tag", "常用标签", "标签", "bars", _tag_rows, top=15, counted=("个", "标签")),
)


def charts(numbers: Numbers) -> tuple[Chart, ...]:
    """Every chart of :data:`CHARTS`, each bar's share taken of its chart's largest shown value."""
    made = []
    for spec in CHARTS:
        rows = spec.rows(numbers)
        shown = rows[: spec.top] if spec.top else rows
        top = max((row.value for row in shown), default=0) or 1
        bars = tuple(Bar(r.label, r.value, r.value / top, r.url, tick=r.tick, note=r.note) for r in shown)
        note = spec.note
        if spec.top and len(rows) > spec.top:
            measure, noun = spec.counted
            note = f"共 {len(rows)} {measure}{noun}，只列出最多的 {spec.top} {measure}"
        made.append(Chart(spec.id, spec.title, "篇", spec.label_header, spec.shape, bars, note))
    return tuple(made)


def totals(stats: Stats, url: Url) -> tuple[Figure, ...]:
    """The journal in a few numbers (front page and stats page)."""
    return (
        Figure("期刊", stats.issues, "期", url("issues/")),
        Figure("学员心得", stats.essays, "篇"),
        Figure("沙龙纪要", stats.minutes, "篇"),
        Figure("作者", stats.authors, "位", url("authors/")),
        Figure("单位", stats.units, "个"),
        Figure("标签", stats.tags, "个", url("tags/")),
    )
