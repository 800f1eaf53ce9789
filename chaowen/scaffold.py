"""What ``chaowen init`` and ``chaowen new`` create: files as values, never written here.

:func:`site_files` is a whole new site (``chaowen.yaml`` with the three tracks,
the content folders with one sample of each kind, a ``.gitignore``) that builds
as it is with no warning. :func:`document_file` is one new document of a kind,
its front matter generated from :data:`chaowen.schema.FRONT_MATTER`: required
fields filled in or left empty with a comment saying what to write (so ``chaowen
check`` points at them), optional fields as comments that stay valid YAML when
an editor deletes the leading ``# ``.

Pure except :func:`issue_numbers`, which reads the issues that already exist.
The CLI writes the files and never over an existing one.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from . import fields, messages
from .content import BODY_PLACEHOLDER, decode, kind_of, walk_content
from .errors import Problem, Severity
from .frontmatter import parse_yaml, split
from .model import Kind, SiteConfig, TrackConfig
from .schema import FRONT_MATTER, REQUIRED, FieldSpec
from .urls import slugify

TRACKS: tuple[TrackConfig, ...] = (
    TrackConfig("iot", "智能物联", "聚焦传感器、工业互联网与数字化改革，探讨数据如何真正用到企业车间和基层治理中去。"),
    TrackConfig("health", "生命健康", "关注生物医药、医疗器械和智慧医疗，从园区招商到社区健康服务都在讨论之列。"),
    TrackConfig("materials", "新材料", "围绕碳纤维、新能源电池材料等细分领域，研究产业链补链强链与科技成果转化。"),
)
GITIGNORE = "# chaowen 生成的网站和缓存，不需要提交\noutput/\n.output.*\n.chaowen-cache/\n"
_NUMBER = re.compile(r"^第?\s*0*(\d+)\s*期?$")
# Fields a new document does not mention: set by hand when needed (see the README).
_NOT_OFFERED = frozenset({"extra", "slug", "draft", "authors"})


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file to create: ``path`` relative to the site root with forward slashes, and its text."""

    path: str
    text: str


# ----------------------------------------------------------------------- init
def site_files(today: date, *, title: str = "潮闻") -> tuple[NewFile, ...]:
    """Every file of a new site dated ``today``; ``chaowen build`` builds it with no warning."""
    day = today.isoformat()
    issue, minutes, essay, page = (
        f"content/issues/{slugify('创刊号')}.md",
        f"content/minutes/{slugify('智能物联沙龙第一次')}.md",
        f"content/essays/{slugify('第一次企业走访')}.md",
        f"content/pages/{slugify('关于')}.md",
    )
    return (
        NewFile("chaowen.yaml", _config_yaml(title)),
        NewFile(".gitignore", GITIGNORE),
        NewFile(
            issue, _SAMPLE_ISSUE.format(date=day, essay=_relative(issue, essay), minutes=_relative(issue, minutes))
        ),
        NewFile(minutes, _SAMPLE_MINUTES.format(date=day)),
        NewFile(essay, _SAMPLE_ESSAY.format(date=day, minutes=_relative(essay, minutes))),
        NewFile(page, _SAMPLE_PAGE.format(date=day, title=title)),
        NewFile("content/images/示意图.svg", _SAMPLE_SVG),
    )


def _relative(source: str, target: str) -> str:
    """The link a Markdown file at ``source`` writes to reach ``target`` (both site-relative)."""
    return posixpath.relpath(target, posixpath.dirname(source))


def _config_yaml(title: str) -> str:
    lines = [
        "# 潮闻站点配置。改完后运行 chaowen check 检查；每一项的含义见上面一行的注释。",
        "# 站点标题",
        f"title: {yaml_text(title)}",
        "# 站点简介，用于首页和搜索引擎",
        "description: 产业成长营的交流刊物，记录各赛道学员的调研所见、沙龙讨论与实践心得。",
        "# 发布后的网址：请改成真实地址，例如 https://example.org/chaowen/",
        "base_url: https://example.org/",
        "# 站点语言：zh-CN（中文）或 en（英文提示信息）",
        "language: zh-CN",
        "# 没写时区的日期按这个时区理解",
        "timezone: Asia/Shanghai",
        "theme: default",
        "# 索引页每页条数",
        "per_page: 10",
        "author: 潮闻编辑部",
        "# 赛道：key 是网址里用的英文代号，name 是显示的名称；文章里写 track: 智能物联 或 track: iot 都可以",
        "tracks:",
    ]
    for track in TRACKS:
        lines += [f"  - key: {track.key}", f"    name: {track.name}", f"    description: {track.description}"]
    return "\n".join(lines) + "\n"


_SAMPLE_ISSUE = """\
---
title: 创刊号
date: {date}
number: 1
tags: [创刊号]
summary: 潮闻第一期：一次沙龙、一次企业走访，和我们打算怎样把这本刊物办下去。
---

## 卷首语

这是潮闻的第一期。每一期由一篇卷首语、若干篇沙龙纪要和学员心得组成：
纪要和心得在文件头写上 `issue: 1`，就会出现在这一期的目录里。

本期推荐阅读[第一次企业走访]({essay})和[智能物联沙龙纪要]({minutes})。

## 怎样投稿

用 `chaowen new essay "标题" --track 智能物联 --author 姓名` 新建一篇心得，写完后运行 `chaowen check` 检查。
"""

_SAMPLE_MINUTES = """\
---
title: 智能物联沙龙第一次：数据上了云，然后呢？
date: {date}
track: 智能物联
issue: 1
host: 刘卫东
venue: 区委党校报告厅
participants: [王晓明, 陈思远]
tags: [数字化改革]
---

## 主要观点

- 企业上云只是第一步，数据要回到车间才有价值；
- 中小企业最缺的是懂行的“翻译”，而不是更多的平台。

## 下一步

各位学员在下次沙龙前各走访一家企业，带回一个具体问题。
"""

_SAMPLE_ESSAY = """\
---
title: 第一次企业走访
date: {date}
author: 王晓明
unit: 区经信局
track: 智能物联
issue: 1
tags: [企业走访, 工业互联网]
---

这是一篇示例心得，写法和普通的 Markdown 一样。文件头（两行 `---` 之间）写标题、日期、作者和赛道，
下面是正文。可以链接到别的文章，例如[这次沙龙的纪要]({minutes})，也可以跳到本文的[收获](#收获)一节。

## 见闻

图片放在 `content/images/` 下，用相对路径插入：

![走访示意图](../images/示意图.svg)

## 收获

数据上了云，还要回到车间里去。
"""

_SAMPLE_PAGE = """\
---
title: 关于
date: {date}
---

**{title}**是产业成长营的交流刊物，由学员和带教老师共同编辑，不定期出刊。

这是一个独立页面：`content/pages/` 下的文件会生成“关于”“投稿须知”这样的页面。
"""

_SAMPLE_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120" role="img">
<title>示意图</title>
<rect width="320" height="120" fill="#eef4fb"/>
<circle cx="60" cy="60" r="30" fill="#0b5aa6"/>
<rect x="120" y="40" width="160" height="40" rx="6" fill="#5b8fc7"/>
</svg>
"""


# ------------------------------------------------------------------------ new
def issue_numbers(config: SiteConfig) -> dict[int, str]:
    """Issue number -> the content file that has it, read from ``content/issues/`` as written.

    Files that cannot be read or have no usable ``number`` are passed over: this
    only finds the next free number; ``chaowen check`` reports what is wrong with them.
    """
    numbers: dict[int, str] = {}
    markdown, _ = walk_content(config.content_dir)
    for source in markdown:
        if kind_of(source) is not Kind.ISSUE:
            continue
        try:
            raw = (config.content_dir / source).read_bytes()
        except OSError:
            continue
        text, _problem = decode(raw, source)
        if text is None:
            continue
        value = split(text, source).fields.get("number")
        match = _NUMBER.match(value.strip()) if isinstance(value, str) else None
        if match is not None:
            numbers.setdefault(int(match.group(1)), f"content/{source}")
    return numbers


def find_track(config: SiteConfig, wanted: str) -> tuple[TrackConfig | None, Problem | None]:
    """The track named by key or name, as ``content`` accepts them; else a problem listing the valid ones."""
    found = fields.find_track(config.tracks, wanted)
    if found is not None:
        return found, None
    message, hint = fields.unknown_track(config.tracks, wanted)
    return None, Problem("--track", None, message, hint)


def document_file(
    kind: Kind,
    title: str,
    config: SiteConfig,
    *,
    today: date,
    track: TrackConfig | None = None,
    author: str | None = None,
    issue: int | None = None,
    numbers: Mapping[int, str] | None = None,
) -> tuple[NewFile | None, list[Problem]]:
    """A new document of ``kind``; problems are errors (nothing to create) or warnings (created anyway).

    ``numbers`` are the existing issues (:func:`issue_numbers`). For an issue,
    ``issue`` is its number (default: the next free one); for minutes and essays
    it is the issue they appear in. ``author`` is an essay's author or the host
    of minutes.
    """
    language = config.language
    numbers = dict(numbers or {})
    problems: list[Problem] = []
    title = " ".join(title.split())
    values: dict[str, str] = {"title": title, "date": today.isoformat()}
    if kind is Kind.ISSUE:
        number = issue if issue is not None else max(numbers, default=0) + 1
        if number in numbers:
            problems.append(
                Problem(
                    "--issue",
                    None,
                    messages.say("duplicate_number", value=number, other=numbers[number]),
                    messages.say("duplicate_number_hint"),
                )
            )
            return None, problems
        values["number"] = str(number)
    elif issue is not None:
        values["issue"] = str(issue)
        if issue not in numbers:
            choices = [str(n) for n in sorted(numbers)] or ["—"]
            problems.append(
                Problem(
                    "--issue",
                    None,
                    messages.say("missing_issue", value=issue),
                    messages.say("missing_issue_hint", choices=choices),
                    Severity.WARNING,
                )
            )
    if track is not None:
        values["track"] = track.name
    if author:
        values["host" if kind is Kind.MINUTES else "author"] = " ".join(author.split())
    stem = slugify(title) or f"{kind.value}-{today.strftime('%Y%m%d')}"
    path = f"content/{kind.folder}/{stem}.md"
    return NewFile(
        path, front_matter(kind, values, config) + "\n" + messages.text(BODY_PLACEHOLDER, language) + "\n"
    ), problems


def front_matter(kind: Kind, values: Mapping[str, str], config: SiteConfig) -> str:
    """The ``---`` block of a new document: given values, then empty required fields, then optional ones."""
    language = config.language
    required = set(REQUIRED[kind]) | ({"author"} if kind is Kind.ESSAY else set())
    lines = ["---"]
    for spec in FRONT_MATTER[kind]:
        if spec.name in values:
            lines.append(f"{spec.name}: {yaml_text(values[spec.name])}")
        elif spec.name in required:
            what = _describe(spec, config)
            lines.append(f"{spec.name}:   # {messages.text('new_required', language, what=what)}")
    for spec in FRONT_MATTER[kind]:
        if spec.name not in values and spec.name not in required and spec.name not in _NOT_OFFERED:
            what = _describe(spec, config)
            lines.append(f"# {spec.name}:   # {messages.text('new_optional', language, what=what)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _describe(spec: FieldSpec, config: SiteConfig) -> str:
    chinese = messages.is_chinese(config.language)
    text = spec.zh if chinese else spec.en
    if spec.type == "track" and config.tracks:
        text += "：" if chinese else ": "
        text += messages.join_choices([t.name for t in config.tracks], config.language)
    return text


def yaml_text(value: str) -> str:
    """``value`` as a YAML scalar that reads back as exactly that text: plain when safe, else quoted."""
    fields, _, problems = parse_yaml(f"v: {value}", "-")
    if not problems and fields.get("v") == value and value == value.strip() and "\n" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar
