"""Rendering Markdown for the unit tests of the Markdown stage (markup, cjk, lists, limits)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from chaowen.errors import Problem
from chaowen.limits import MAX_DEPTH
from chaowen.markup import render_markdown
from chaowen.messages import Text, say
from chaowen.model import Markup

URLS = {
    "essays/wang.md": "essays/wang/",
    "essays/other.md": "essays/other/",
    "minutes/m.md": "minutes/m/",
    "pages/about.md": "about/",
    "images/line chart.png": "images/line chart.png",
    "images/调研现场.png": "images/调研现场.png",
    "files/课程表.pdf": "files/课程表.pdf",
}
BODY_LINE = 6  # the body starts on line 6 of the file, after the front matter


def render(
    body: str, *, base: str = "/", summary: str = "", language: str = "zh-CN", source: str = "essays/wang.md"
) -> tuple[Markup, tuple[Problem, ...]]:
    return render_markdown(
        body,
        source=source,
        display_path=f"content/{source}",
        body_line=BODY_LINE,
        urls=URLS,
        base_path=base,
        language=language,
        summary=summary,
    )


class _TreeBuilder(HTMLParser):
    """HTML5 output (``<br>``, ``<img>``) into an ElementTree, for structural assertions."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def tree(html: str) -> ET.Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def text_of(element: ET.Element | None) -> str:
    assert element is not None
    return "".join(element.itertext())


def refused(problems: tuple[Problem, ...], key: str) -> bool:
    """One error, the refusal ``key`` (with its exact text for ``too_deep``)."""
    if len(problems) != 1 or not problems[0].is_error:
        return False
    message = problems[0].message
    if key == "too_deep":
        return message == say(key, limit=MAX_DEPTH)
    return isinstance(message, Text) and message.key == key
