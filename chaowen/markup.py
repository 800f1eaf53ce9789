"""Markdown -> HTML (interim: replaced by the full stage with link rewriting and CJK fixes)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import markdown

from .errors import Problem
from .model import Markup

MARKUP_VERSION = "0"


def fingerprint() -> str:
    return f"interim-{MARKUP_VERSION}-{markdown.__version__}"


def render_markdown(
    body: str,
    *,
    source: str,
    display_path: str,
    body_line: int,
    urls: Mapping[str, str],
    base_path: str,
    language: str = "zh-CN",
    summary: str = "",
) -> tuple[Markup, tuple[Problem, ...]]:
    html = markdown.markdown(body, extensions=["extra", "toc"])
    text = re.sub(r"<[^>]+>", "", html)
    chars = len(re.findall(r"[\u4e00-\u9fff]", text)) + len(re.findall(r"[A-Za-z0-9]+", text))
    return Markup(html, (), summary or text.strip()[:120], chars, max(1, round(chars / 400))), ()
