"""Word's habits out of a converted document: chaowen's own cleaning of pandoc's JSON tree.

Pure. :func:`clean` takes the tree pandoc read from a .docx and returns the body an
editor would publish, with what goes into the front matter taken out of it:

* the **title**: the paragraph in Word's Title style (its Subtitle, Author, Date and Abstract
  paragraphs, which pandoc takes out as metadata, are put back at the top of the body), else a first heading (or a first
  bold paragraph standing alone) that is not numbered, else the document property
  (unless a template's), else the file's name;
* the **byline** under it (``作者：张三``, ``张三（临浦镇）``, ``临浦镇 张三``) as names and unit;
* **headings** from Word's heading styles and from manual outline numbering (``一、``,
  ``（一）``, ``1.``, ``（1）``) or bold short paragraphs standing alone, mapped to levels
  from ``##`` down with no level skipped (the page title is the only ``#``);
* Word's habits removed: leading full-width spaces and tabs, empty paragraphs, manual
  line breaks (a new paragraph when the next line is indented or the line ends a
  sentence, else joined), non-breaking spaces, empty bold, underline and styled spans;
* links to bookmarks inside the Word file (a table of contents) kept as text: no such anchor on the page;
* **tables** with their first row as header, no fixed widths; **pictures** without
  Word's sizes, each with an alternative text; loose lists made tight; equations kept
  as code (with a warning).

Curly quotes stay as the author typed them; bold next to Chinese punctuation
(``**“潮闻”**是``) is left as pandoc writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from .wordfront import MINUTES_LINES, Byline, minutes_line, parse_byline

Node = dict[str, Any]

_EMPTY_ATTR: Final[list[Any]] = ["", [], []]
# Han characters, CJK and full-width punctuation, and the curly quotes Chinese text uses.
_CJK: Final = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f“”‘’—…·]")
_BLANK: Final = "\u3000\t \u00a0\u2002\u2003\u200b"
_SENTENCE_END: Final = "。！？；：…”』」）)!?;:"
_HEADING_END: Final = "。！？；，：,;:!?…"
_NUMBERING: Final = (
    (1, re.compile(r"^[一二三四五六七八九十百]+\s*[、.．]")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
MAX_HEADING: Final = 30  # characters: longer numbered or bold paragraphs are text, not headings


@dataclass(slots=True)
class Cleaned:
    """The body to publish and what was taken out of it for the front matter."""

    blocks: list[Node]
    title: str = ""
    title_source: str = ""  # style | heading | property | file
    byline: Byline | None = None
    images: list[Node] = field(default_factory=list)  # the Image nodes, in order: the caller sets their targets
    fields: dict[str, str] = field(default_factory=dict)  # minutes: host, venue, participants, date (ISO)


def clean(
    tree: Node,
    *,
    property_title: str = "",
    file_title: str = "",
    take_byline: bool = True,
    take_minutes_lines: bool = False,
) -> Cleaned:
    """The cleaned body of pandoc's ``tree``; ``property_title`` is the usable document property.

    ``take_minutes_lines``: the lines minutes begin with (``时间：``, ``地点：``, ``主持人：``,
    ``参加人员：``) become :attr:`Cleaned.fields`; a byline is then taken only when no host is named.
    """
    result = Cleaned(blocks=[])
    meta = tree.get("meta", {})
    blocks = _blocks(_meta_blocks(meta) + list(tree.get("blocks", [])), result)
    meta_title = plain(_join_breaks(_meta_inlines(meta.get("title"))))
    if meta_title:
        result.title, result.title_source = meta_title, "style"
    else:
        blocks = _take_title(blocks, result)
    if not result.title and property_title:
        result.title, result.title_source = property_title, "property"
    if not result.title:
        result.title, result.title_source = file_title, "file"
    if take_minutes_lines:
        blocks = _take_minutes_lines(blocks, result)
    if take_byline and "host" not in result.fields:
        blocks = _take_byline(blocks, result)
    result.blocks = _headings(blocks)
    return result


# ----------------------------------------------------------------------------- text
def plain(inlines: Iterable[Node]) -> str:
    """The text of ``inlines``, footnotes left out, whitespace squeezed."""
    parts: list[str] = []
    _plain(inlines, parts)
    return " ".join("".join(parts).split())


def _plain(inlines: Iterable[Node], parts: list[str]) -> None:
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            parts.append(node["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Emph", "Strong", "Strikeout", "Underline", "SmallCaps", "Superscript", "Subscript"):
            _plain(node["c"], parts)
        elif kind in ("Span", "Link", "Quoted"):
            _plain(node["c"][1], parts)
        elif kind in ("Code", "Math"):
            parts.append(node["c"][1])


def _meta_inlines(value: Any) -> list[Node]:
    if not isinstance(value, dict):
        return []
    if value.get("t") == "MetaInlines":
        return list(value["c"])
    if value.get("t") == "MetaBlocks":
        return [inline for block in value["c"] if block["t"] in ("Para", "Plain") for inline in block["c"]]
    return []


# Paragraphs pandoc's docx reader takes out of the body by their Word style, kept in the body here.
_META_PARAGRAPHS: Final = ("subtitle", "author", "date", "abstract")


def _meta_blocks(meta: dict[str, Any]) -> list[Node]:
    """The Subtitle, Author, Date and Abstract paragraphs, back at the top of the body in that order."""
    blocks: list[Node] = []
    for key in _META_PARAGRAPHS:
        value = meta.get(key)
        items = value["c"] if isinstance(value, dict) and value.get("t") == "MetaList" else [value]
        for item in items:
            if isinstance(item, dict) and item.get("t") == "MetaBlocks":
                blocks.extend(item["c"])
            elif isinstance(item, dict) and item.get("t") == "MetaInlines":
                blocks.append({"t": "Para", "c": item["c"]})
    return blocks


def _is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


# ----------------------------------------------------------------------------- blocks
def _blocks(blocks: Iterable[Node], result: Cleaned) -> list[Node]:
    """Every block cleaned, containers included; empty paragraphs dropped."""
    out: list[Node] = []
    for block in blocks:
        kind = block["t"]
        if kind == "Div":
            out.extend(_blocks(block["c"][1], result))
        elif kind == "Figure":
            out.extend(_figure(block, result))
        elif kind == "Para":
            inlines = _inlines(block["c"], result)
            pieces = [_join_breaks(inlines)] if _all_bold(inlines) else _split_at_breaks(inlines)  # a bold title
            for inlines in pieces:
                trimmed = _trim(inlines)
                if _has_content(trimmed):
                    out.append({"t": "Para", "c": trimmed})
        elif kind == "Plain":
            trimmed = _trim(_join_breaks(_inlines(block["c"], result)))
            if _has_content(trimmed):
                out.append({"t": "Plain", "c": trimmed})
        elif kind == "Header":
            trimmed = _trim(_join_breaks(_inlines(block["c"][2], result)))
            if _has_content(trimmed):
                out.append({"t": "Header", "c": [block["c"][0], _EMPTY_ATTR, trimmed]})
        elif kind == "BlockQuote":
            inner = _blocks(block["c"], result)
            if inner:
                out.append({"t": "BlockQuote", "c": inner})
        elif kind == "BulletList":
            items = _items(block["c"], result)
            if items:
                out.append({"t": "BulletList", "c": items})
        elif kind == "OrderedList":
            items = _items(block["c"][1], result)
            if items:
                out.append({"t": "OrderedList", "c": [block["c"][0], items]})
        elif kind == "Table":
            out.append(_table(block, result))
        elif kind == "LineBlock":
            for line in block["c"]:
                trimmed = _trim(_inlines(line, result))
                if _has_content(trimmed):
                    out.append({"t": "Para", "c": trimmed})
        else:
            out.append(block)
    return out


def _figure(block: Node, result: Cleaned) -> list[Node]:
    """A picture with a caption: the picture as a paragraph, the caption as its alternative text when it has none."""
    caption = [inline for part in block["c"][1][1] for inline in part.get("c", []) if part["t"] in ("Para", "Plain")]
    inner = _blocks(block["c"][2], result)
    for node in inner:
        if node["t"] in ("Plain", "Para"):
            node["t"] = "Para"
            for inline in node["c"]:
                if inline["t"] == "Image" and not plain(inline["c"][1]) and caption:
                    inline["c"][1] = caption
    return inner


def _items(items: list[list[Node]], result: Cleaned) -> list[list[Node]]:
    """List items cleaned; a list whose items are one paragraph each is made tight (no blank lines)."""
    cleaned = [_blocks(item, result) for item in items]
    cleaned = [item for item in cleaned if item]
    texts = [[block for block in item if block["t"] not in ("BulletList", "OrderedList")] for item in cleaned]
    if all(len(text) <= 1 and all(block["t"] in ("Para", "Plain") for block in text) for text in texts):
        for text in texts:
            for block in text:
                block["t"] = "Plain"
    return cleaned


def _table(block: Node, result: Cleaned) -> Node:
    """A table with its cells cleaned, Word's column widths dropped and the first row as header when it has none."""
    attr, caption, colspecs, head, bodies, foot = block["c"]
    colspecs = [[spec[0], {"t": "ColWidthDefault"}] for spec in colspecs]
    for row in _rows(head, bodies, foot):
        for cell in row[1]:
            cell[4] = _blocks(cell[4], result) or [{"t": "Plain", "c": []}]
            for inner in cell[4]:
                if inner["t"] == "Para" and len(cell[4]) == 1:
                    inner["t"] = "Plain"
    if not head[1] and bodies and not bodies[0][2] and bodies[0][3]:
        first = bodies[0][3][0]
        if all(cell[2] == 1 for cell in first[1]):
            head = [head[0], [first]]
            bodies[0][3] = bodies[0][3][1:]
    return {"t": "Table", "c": [attr, caption, colspecs, head, bodies, foot]}


def _rows(head: list[Any], bodies: list[Any], foot: list[Any]) -> list[list[Any]]:
    rows: list[list[Any]] = list(head[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    rows.extend(foot[1])
    return rows


# ----------------------------------------------------------------------------- inlines
_UNWRAP: Final = frozenset({"Underline", "SmallCaps"})
_WRAPPERS: Final = frozenset({"Emph", "Strong", "Strikeout", "Superscript", "Subscript"})


def _inlines(inlines: Iterable[Node], result: Cleaned) -> list[Node]:
    """Inlines with styled spans and underline unwrapped, spaces cleaned, pictures and footnotes cleaned."""
    out: list[Node] = []
    for node in inlines:
        kind = node["t"]
        if kind == "Span":
            out.extend(_inlines(node["c"][1], result))
        elif kind in _UNWRAP:
            out.extend(_inlines(node["c"], result))
        elif kind in _WRAPPERS:
            inner = _inlines(node["c"], result)
            if not plain(inner) and not any(n["t"] in ("Image", "Note") for n in inner):
                out.extend(inner)  # bold spaces: no bold at all
                continue
            lead, core, tail = _edges(inner)
            out.extend(lead)
            out.append({"t": kind, "c": core})
            out.extend(tail)
        elif kind == "Str":
            out.extend(_text(node["c"]))
        elif kind == "Link":
            _attr, content, target = node["c"]
            if str(target[0]).startswith("#"):  # a bookmark in the Word file (a table of contents): just the text
                out.extend(_inlines(content, result))
            else:
                out.append({"t": "Link", "c": [_EMPTY_ATTR, _inlines(content, result), target]})
        elif kind == "Quoted":
            out.append({"t": "Quoted", "c": [node["c"][0], _inlines(node["c"][1], result)]})
        elif kind == "Image":
            out.append(_image(node, result))
        elif kind == "Note":
            out.append({"t": "Note", "c": _blocks(node["c"], result) or [{"t": "Para", "c": [{"t": "Str", "c": " "}]}]})
        elif kind == "Math":
            out.append({"t": "Code", "c": [_EMPTY_ATTR, node["c"][1]]})
        else:
            out.append(node)
    return out


def _text(value: str) -> list[Node]:
    """A Str with non-breaking and odd spaces made plain: none between Chinese characters, else one space."""
    if not any(char in value for char in "\u00a0\u2002\u2003\u200b"):
        return [{"t": "Str", "c": value}]
    value = value.replace("\u200b", "")
    value = re.sub(
        r"(?<=.)[\u00a0\u2002\u2003]+(?=.)",
        lambda m: "" if _is_cjk(value[m.start() - 1]) or _is_cjk(value[m.end()]) else "\u0020",
        value,
    )
    value = value.replace("\u00a0", " ").replace("\u2002", " ").replace("\u2003", " ")
    out: list[Node] = []
    for index, part in enumerate(value.split(" ")):
        if index:
            out.append({"t": "Space"})
        if part:
            out.append({"t": "Str", "c": part})
    return out


def _image(node: Node, result: Cleaned) -> Node:
    """A picture without Word's size, with an alternative text (its title, else 图 N)."""
    _attr, alt, (target, title) = node["c"]
    image: Node = {"t": "Image", "c": [_EMPTY_ATTR, alt, [target, ""]]}
    if not plain(alt):
        number = len(result.images) + 1
        image["c"][1] = [{"t": "Str", "c": title.strip() or f"图{number}"}]
    result.images.append(image)
    return image


def _edges(inlines: list[Node]) -> tuple[list[Node], list[Node], list[Node]]:
    """Whitespace at the start and end of a bold or italic run moved outside it (Markdown needs it so)."""
    start, end = 0, len(inlines)
    while start < end and _is_blank(inlines[start]):
        start += 1
    while end > start and _is_blank(inlines[end - 1]):
        end -= 1
    return inlines[:start], inlines[start:end], inlines[end:]


def _is_blank(node: Node) -> bool:
    return node["t"] in ("Space", "SoftBreak") or (node["t"] == "Str" and not node["c"].strip(_BLANK))


def _has_content(inlines: list[Node]) -> bool:
    return bool(plain(inlines).strip(_BLANK)) or any(_holds(node, ("Image", "Note")) for node in inlines)


def _holds(node: Node, kinds: tuple[str, ...]) -> bool:
    if node["t"] in kinds:
        return True
    content: Any = node.get("c")
    if node["t"] in _WRAPPERS:
        return any(_holds(child, kinds) for child in content)
    if node["t"] in ("Link", "Span"):
        return any(_holds(child, kinds) for child in content[1])
    return False


def _trim(inlines: list[Node]) -> list[Node]:
    """No whitespace at either end: Word's full-width indents, tabs and trailing spaces."""
    out = list(inlines)
    _trim_side(out, 0)
    _trim_side(out, -1)
    return out


def _trim_side(inlines: list[Node], side: int) -> None:
    while inlines:
        node = inlines[side]
        if node["t"] in ("Space", "SoftBreak", "LineBreak"):
            inlines.pop(side)
        elif node["t"] == "Str":
            stripped = node["c"].lstrip(_BLANK) if side == 0 else node["c"].rstrip(_BLANK)
            if stripped:
                inlines[side] = {"t": "Str", "c": stripped}
                return
            inlines.pop(side)
        elif node["t"] in _WRAPPERS and node["c"]:
            inner = list(node["c"])
            _trim_side(inner, side)
            if inner:
                inlines[side] = {"t": node["t"], "c": inner}
                return
            inlines.pop(side)
        else:
            return


def _split_at_breaks(inlines: list[Node]) -> list[list[Node]]:
    """A paragraph cut at each manual line break that starts a new thought; the other breaks joined."""
    pieces: list[list[Node]] = [[]]
    for index, node in enumerate(inlines):
        if node["t"] != "LineBreak":
            pieces[-1].append(node)
            continue
        before, after = plain(pieces[-1]), _starting_text(inlines[index + 1 :])
        if after[:1] in ("\u3000", "\t") or (before.rstrip(_BLANK)[-1:] in _SENTENCE_END and before.strip(_BLANK)):
            pieces.append([])
        else:
            pieces[-1].extend(_joiner(before, after.lstrip(_BLANK)))
    return [_join_breaks(piece) for piece in pieces]


def _join_breaks(inlines: list[Node]) -> list[Node]:
    """Soft and hard line breaks inside a line of text joined: nothing between Chinese, a space otherwise."""
    out: list[Node] = []
    for index, node in enumerate(inlines):
        if node["t"] in ("SoftBreak", "LineBreak"):
            out.extend(_joiner(plain(out), _starting_text(inlines[index + 1 :]).lstrip(_BLANK)))
        else:
            out.append(node)
    return out


def _starting_text(inlines: list[Node]) -> str:
    """The raw text at the start of ``inlines`` (full-width spaces kept, unlike :func:`plain`)."""
    for node in inlines:
        if node["t"] == "Str":
            return str(node["c"])
        if node["t"] in _WRAPPERS:
            return _starting_text(node["c"])
        if node["t"] in ("Space",):
            return " "
        if node["t"] in ("SoftBreak", "LineBreak"):
            continue
        return ""
    return ""


def _joiner(before: str, after: str) -> list[Node]:
    last, first = before.rstrip()[-1:], after[:1]
    if not last or not first or _is_cjk(last) or _is_cjk(first):
        return []
    return [{"t": "Space"}]


# ----------------------------------------------------------------------------- title and byline
def _take_title(blocks: list[Node], result: Cleaned) -> list[Node]:
    """The first block as the title when it is an unnumbered heading or a bold paragraph standing alone."""
    if not blocks:
        return blocks
    first = blocks[0]
    if first["t"] == "Header":
        text = plain(first["c"][2])
    elif first["t"] == "Para" and _all_bold(first["c"]):
        text = plain(first["c"])
    else:
        return blocks
    if not text or _numbering_depth(text) is not None or len(text) > 60:
        return blocks
    result.title, result.title_source = text, "heading"
    return blocks[1:]


def _take_byline(blocks: list[Node], result: Cleaned) -> list[Node]:
    """The byline among the first three paragraphs (else the last two), taken out of the body.

    At the end only the explicit forms count (``作者：张三``, ``张三（临浦镇）``, ``临浦镇 张三``), not a lone name.
    """
    for index, block in enumerate(blocks[:3]):
        if block["t"] != "Para":
            if block["t"] == "Header":
                break
            continue
        byline = parse_byline(plain(block["c"]), first=index == 0)
        if byline is not None:
            result.byline = byline
            return blocks[:index] + blocks[index + 1 :]
    for index in range(len(blocks) - 1, max(len(blocks) - 3, 2), -1):
        block = blocks[index]
        byline = parse_byline(plain(block["c"])) if block["t"] == "Para" else None
        if byline is not None:
            result.byline = byline
            return blocks[:index] + blocks[index + 1 :]
    return blocks


# ----------------------------------------------------------------------------- minutes
def _take_minutes_lines(blocks: list[Node], result: Cleaned) -> list[Node]:
    """The ``时间：`` ``地点：`` ``主持人：`` ``参加人员：`` lines near the top, taken out as fields."""
    kept: list[Node] = []
    for index, block in enumerate(blocks):
        found = minutes_line(plain(block["c"])) if index < MINUTES_LINES and block["t"] == "Para" else None
        if found is None or any(name in result.fields for name in found):
            kept.append(block)
            continue
        result.fields.update(found)
    return kept


# ----------------------------------------------------------------------------- headings
def _numbering_depth(text: str) -> int | None:
    for depth, pattern in _NUMBERING:
        if pattern.match(text):
            return depth
    return None


def _all_bold(inlines: list[Node]) -> bool:
    meaningful = [node for node in inlines if not _is_blank(node) and node["t"] != "LineBreak"]
    return bool(meaningful) and all(node["t"] == "Strong" for node in meaningful)


def _heading_like(text: str) -> bool:
    return 0 < len(text) <= MAX_HEADING and text[-1] not in _HEADING_END


def _headings(blocks: list[Node]) -> list[Node]:
    """Styled and manual headings at levels from 2 down, none skipped.

    Short numbered paragraphs one after another at the same depth (``1. 走访企业`` then
    ``2. 召开座谈会``) are a list of points, not headings: they stay paragraphs.
    """
    numbered_points = _numbered_points(blocks)
    depths: list[int | None] = []
    previous: int | None = None
    for index, block in enumerate(blocks):
        depth: int | None = None
        if block["t"] == "Header":
            depth = int(block["c"][0])
        elif block["t"] == "Para" and index not in numbered_points:
            text = plain(block["c"])
            numbered = _numbering_depth(text)
            if numbered is not None and _heading_like(text):
                depth = numbered
            elif _all_bold(block["c"]) and _heading_like(text) and not any(_holds(n, ("Note",)) for n in block["c"]):
                depth = numbered if numbered is not None else (previous + 1 if previous is not None else 1)
        if depth is not None:
            previous = depth
        depths.append(depth)
    found = [depth for depth in depths if depth is not None]
    if not found:
        return blocks
    shift = 2 - min(found)
    out: list[Node] = []
    level_before = 1
    for block, depth in zip(blocks, depths, strict=True):
        if depth is None:
            out.append(block)
            continue
        level = min(depth + shift, level_before + 1, 6)
        level_before = level
        inlines = block["c"][2] if block["t"] == "Header" else _unbold(block["c"])
        out.append({"t": "Header", "c": [level, _EMPTY_ATTR, inlines]})
    return out


def _numbered_points(blocks: list[Node]) -> set[int]:
    """The indexes of short numbered paragraphs (not bold) next to another at the same depth."""
    depths: list[int | None] = []
    for block in blocks:
        text = plain(block["c"]) if block["t"] == "Para" and not _all_bold(block["c"]) else ""
        depth = _numbering_depth(text) if text and _heading_like(text) else None
        depths.append(depth)
    found: set[int] = set()
    for index in range(len(blocks) - 1):
        if depths[index] is not None and depths[index] == depths[index + 1]:
            found.update((index, index + 1))
    return found


def _unbold(inlines: list[Node]) -> list[Node]:
    """A heading's text without the bold the author gave it (a heading is bold already)."""
    if not _all_bold(inlines):
        return inlines
    out: list[Node] = []
    for node in inlines:
        out.extend(node["c"] if node["t"] == "Strong" else [node])
    return _trim(out)
