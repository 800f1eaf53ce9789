"""Markdown -> HTML with the URL map: links rewritten and checked, CJK fixes, toc, summary, stats.

Pure: text and the URL map in, :class:`Markup` and problems out. One
``markdown.Markdown`` instance per process is reused (``reset()`` between
documents) because building it costs more than converting a document; the
per-document inputs are handed to the tree processor for one call only.

Chinese needs care that generic Markdown gets wrong:

* lists indented by 2 spaces (Typora, GitHub) must nest: Python-Markdown wants 4,
  so list-item indentation is doubled before parsing (outside fenced code);
* a line break inside a paragraph between two Han characters must not become a
  space, as it would between Latin words;
* heading ids keep the Han characters (``#调研-心得``), readable and stable.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from functools import lru_cache
from importlib.metadata import version
from typing import Any
from urllib.parse import quote, unquote

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import messages
from .errors import Problem, Severity
from .model import Heading, Markup

MARKUP_VERSION = "1"  # bump when anything below changes the HTML produced
SUMMARY_LENGTH = 120
CHARS_PER_MINUTE = 400
MAX_NESTING = 60  # lists or quotes nested deeper than this are refused, not rendered

_HAN = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_CJK_BREAK = re.compile(f"(?<=[{_HAN}])[ \\t]*\\n[ \\t]*(?=[{_HAN}])")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WINDOWS_PATH = re.compile(r"^(?:file:/*)?(?:[a-zA-Z]:[\\/]|\\\\)")
_LIST_ITEM = re.compile(r"^( *)([-*+]|\d+[.)])( +|$)")
_FENCE = re.compile(r"^ *(```+|~~~+)")
_SENTENCE_END = "。！？!?"

EXTENSIONS = [
    "tables",
    "footnotes",
    "attr_list",
    "def_list",
    "admonition",
    "md_in_html",
    "sane_lists",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "toc",
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
    "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
    "pymdownx.tilde": {"subscript": False},
    "toc": {"slugify": slugify_unicode, "permalink": False, "toc_depth": "2-4"},
    "footnotes": {"BACKLINK_TITLE": "返回正文 %d", "SUPERSCRIPT_TEXT": "{}"},
}


def fingerprint() -> str:
    """Changes whenever anything that shapes the HTML changes: versions and configuration."""
    versions = [version(name) for name in ("markdown", "pymdown-extensions", "pygments")]
    return "|".join([MARKUP_VERSION, *versions, repr(EXTENSIONS), _stable_repr(EXTENSION_CONFIGS)])


def _stable_repr(value: object) -> str:
    """repr() without memory addresses: functions are named by module and name."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_stable_repr(v)}" for k, v in sorted(value.items())) + "}"
    return repr(value)


# ------------------------------------------------------------------ preprocessing
def widen_list_indents(text: str) -> str:
    """Double the indentation of nested list items and their continuation lines.

    Typora and GitHub nest lists with 2 spaces; Python-Markdown needs 4. Inside a
    list, lines indented by an odd-looking 2/6/10… spaces are re-indented by
    doubling; fenced code is left exactly as written.
    """
    lines = text.split("\n")
    out: list[str] = []
    fence: str | None = None
    in_list = False
    for line in lines:
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1).startswith(fence[0]) and len(fence_match.group(1)) >= len(fence):
                fence = None
            out.append(_double_indent(line) if in_list else line)
            continue
        if fence_match:
            fence = fence_match.group(1)
            out.append(_double_indent(line) if in_list else line)
            continue
        item = _LIST_ITEM.match(line)
        if item:
            in_list = True
        elif line.strip() == "":
            pass
        elif not line.startswith(" "):
            in_list = False
        if in_list and line.startswith("  ") and not line.startswith("    " * 8):
            out.append(_double_indent(line))
        else:
            out.append(line)
    return "\n".join(out)


def _double_indent(line: str) -> str:
    stripped = line.lstrip(" ")
    return " " * ((len(line) - len(stripped)) * 2) + stripped


class _ListIndent(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if _uses_two_space_lists(text):
            text = widen_list_indents(text)
        return text.split("\n")


def _uses_two_space_lists(text: str) -> bool:
    """A document nests lists with 2 spaces when a list item is indented by 2 (or 6, 10…)."""
    fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fence = not fence
            continue
        if not fence:
            item = _LIST_ITEM.match(line)
            if item and len(item.group(1)) % 4 == 2:
                return True
    return False


# ---------------------------------------------------------------- tree processing
class _Document(Treeprocessor):
    """Rewrites links, collects problems and joins CJK line breaks for one document."""

    source = ""
    display_path = ""
    body_line = 1
    body = ""
    urls: Mapping[str, str] = {}
    base_path = "/"
    language = "zh-CN"

    def reset_for(self, **values: object) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        self.problems: list[Problem] = []
        self.links: set[str] = set()
        self._search_from: dict[str, int] = {}

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self._link(element, "href", is_image=False)
            elif element.tag == "img" and element.get("src") is not None:
                self._link(element, "src", is_image=True)
                element.set("loading", "lazy")
                element.set("decoding", "async")
            elif element.tag == "pre":
                element.set("tabindex", "0")  # a scrolling region must be reachable by keyboard
            elif element.tag == "table":
                element.set("tabindex", "0")

            if element.tag not in ("pre", "code"):
                if element.text:
                    element.text = _CJK_BREAK.sub("", element.text)
                if element.tail:
                    element.tail = _CJK_BREAK.sub("", element.tail)

    def _link(self, element: ET.Element, attribute: str, *, is_image: bool) -> None:
        raw = element.get(attribute) or ""
        target = raw.strip()
        if target.startswith("#") or target == "":
            return
        if _WINDOWS_PATH.match(target) or _WINDOWS_PATH.match(unquote(target)):
            name = re.split(r"[\\/]", unquote(target))[-1]
            self._problem(raw, "absolute_path", "absolute_path_hint", Severity.ERROR, target=unquote(target), name=name)
            return
        if _SCHEME.match(target) or target.startswith(("/", "//")):
            return
        path, _, fragment = target.partition("#")
        path = path.split("?", 1)[0]
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(self.source), unquote(path)))
        if resolved.startswith("../") or resolved == "..":
            found = None
        else:
            self.links.add(resolved)
            found = self.urls.get(resolved)
        if found is None:
            if is_image:
                self._problem(raw, "missing_image", "missing_image_hint", Severity.ERROR, target=unquote(path))
            else:
                self._problem(raw, "broken_link", "broken_link_hint", Severity.WARNING, target=unquote(path))
            return
        url = self.base_path + quote(found, safe="/~-._")
        element.set(attribute, url + (f"#{fragment}" if fragment else ""))

    def _problem(self, raw: str, key: str, hint: str, severity: Severity, **values: str) -> None:
        self.problems.append(
            Problem(
                self.display_path,
                self._line_of(raw),
                messages.text(key, self.language, **values),
                messages.text(hint, self.language, **values),
                severity,
            )
        )

    def _line_of(self, raw: str) -> int:
        """The file line where ``raw`` is written (the next occurrence after the last one found)."""
        candidates = [raw, unquote(raw), html.unescape(raw), quote(raw, safe="/:#?&=~-._%\\")]
        start = self._search_from.get(raw, 0)
        for candidate in candidates:
            index = self.body.find(candidate, start)
            if index >= 0:
                self._search_from[raw] = index + 1
                return self.body_line + self.body.count("\n", 0, index)
        return self.body_line


_TASK = re.compile(r'(<li class="task-list-item"><input type="checkbox"[^>]*?)(/?>)\s*([^<]*)')


class _LabelTasks(Postprocessor):
    """Give each task's checkbox the task's text as its name (screen readers; axe's label rule).

    pymdownx.tasklist inserts the checkbox as raw HTML, so this works on the HTML.
    """

    def run(self, text: str) -> str:
        def label(match: re.Match[str]) -> str:
            name = html.escape(" ".join(html.unescape(match.group(3)).split()) or "任务")
            return f'{match.group(1)} aria-label="{name}"{match.group(2)} {match.group(3)}'

        return _TASK.sub(label, text)


class _Chaowen(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.preprocessors.register(_ListIndent(md), "chaowen_list_indent", 35)
        md.postprocessors.register(_LabelTasks(md), "chaowen_label_tasks", 0)
        md.treeprocessors.register(_Document(md), "chaowen_document", 1)  # after inline and toc


@lru_cache(maxsize=1)
def _markdown() -> tuple[markdown.Markdown, _Document]:
    md = markdown.Markdown(extensions=[*EXTENSIONS, _Chaowen()], extension_configs=EXTENSION_CONFIGS)
    processor = md.treeprocessors["chaowen_document"]
    assert isinstance(processor, _Document)
    return md, processor


# ---------------------------------------------------------------------- the stage
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
    """Convert one document's body. Never raises for anything an editor can write."""
    depth = _nesting_depth(body)
    if depth > MAX_NESTING:
        return _refused(display_path, body_line, language, summary)
    md, processor = _markdown()
    md.reset()
    processor.reset_for(
        source=source,
        display_path=display_path,
        body_line=body_line,
        body=body,
        urls=urls,
        base_path=base_path,
        language=language,
    )
    try:
        html_text = md.convert(body)
    except RecursionError:
        return _refused(display_path, body_line, language, summary)
    toc = tuple(_headings(getattr(md, "toc_tokens", [])))
    plain = _plain_text(html_text)
    chars = len(_HAN_CHAR.findall(plain)) + len(_LATIN_WORD.findall(_HAN_CHAR.sub(" ", plain)))
    markup = Markup(
        html=html_text,
        toc=toc,
        summary=summary or make_summary(html_text),
        chars=chars,
        minutes=max(1, round(chars / CHARS_PER_MINUTE)),
        links=tuple(sorted(processor.links)),
    )
    return markup, tuple(processor.problems)


def _refused(display_path: str, body_line: int, language: str, summary: str) -> tuple[Markup, tuple[Problem, ...]]:
    """An empty page and an error, for a document too deeply nested to render safely."""
    problem = Problem(
        display_path,
        body_line,
        messages.text("too_deep", language, limit=MAX_NESTING),
        messages.text("too_deep_hint", language),
    )
    return Markup("", (), summary, 0, 1), (problem,)


def _nesting_depth(body: str) -> int:
    """How deep lists and quotes nest, judged from indentation and ``>`` runs (cheap, before parsing)."""
    deepest = 0
    for line in body.split("\n"):
        stripped = line.lstrip(" \t")
        quotes = len(stripped) - len(stripped.lstrip("> "))
        indent = (len(line) - len(stripped)) // 2
        deepest = max(deepest, stripped[:quotes].count(">"), indent if _LIST_ITEM.match(stripped) else 0)
    return deepest


def _headings(tokens: list[dict[str, object]]) -> list[Heading]:
    result: list[Heading] = []
    for token in tokens:
        level = int(str(token.get("level", 2)))
        if 2 <= level <= 4:
            result.append(Heading(level, str(token.get("id", "")), html.unescape(str(token.get("name", "")))))
        children = token.get("children")
        if isinstance(children, list):
            result.extend(_headings(children))
    return result


_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def _plain_text(html_text: str) -> str:
    without_code = re.sub(r"<pre[^>]*>.*?</pre>", " ", html_text, flags=re.S)
    return html.unescape(_TAG.sub(" ", without_code))


def make_summary(html_text: str) -> str:
    """The first paragraph as plain text, cut at about 120 characters at a sentence end."""
    for match in _PARAGRAPH.finditer(html_text):
        text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split())
        if text:
            return cut_summary(text)
    return ""


def cut_summary(text: str, length: int = SUMMARY_LENGTH) -> str:
    if len(text) <= length:
        return text
    window = text[: length + 1]
    end = max(window.rfind(mark) for mark in _SENTENCE_END)
    if end >= length // 3:
        return window[: end + 1]
    return text[:length].rstrip() + "…"
