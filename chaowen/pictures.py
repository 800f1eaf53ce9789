"""Images in a document's HTML as phones should get them: ``<picture>``, ``srcset``, sizes, captions.

Called by the Markdown stage (:mod:`chaowen.markup`) on the finished tree, after links
were rewritten: an ``<img>`` whose ``src`` is a processed image (a :class:`Picture`, made
by :mod:`chaowen.images`) becomes a ``<picture>`` offering the modern formats first, each
with every width and ``sizes``, and an ``<img>`` with the fallback, ``width``/``height``
(no layout shift) and lazy loading below the first screen. A raw ``<img>`` in the body
is rewritten the same way in the HTML stash. ``![图：调研现场](…)`` or an image with a title,
alone in its paragraph, becomes a ``<figure>`` with a ``<figcaption>``. An image without
alt text is a warning.

Pure: everything comes from the arguments; the result is a function of the tree and the
pictures, so the Markdown cache stays valid as long as the pictures are the same (their
file names carry a digest of the image and the settings).
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Final, Protocol
from urllib.parse import unquote

from .errors import Severity
from .messages import Text, say
from .model import Picture
from .urls import with_base

# The column of an essay or minutes page (style.css: 40rem wrap, 1rem padding each side).
SIZES: Final = "(max-width: 40rem) calc(100vw - 2rem), 38rem"
MIME: Final = {"webp": "image/webp", "avif": "image/avif", "jpeg": "image/jpeg", "png": "image/png"}
_CAPTION = re.compile(r"^\s*图\s*[\d一二三四五六七八九十]*\s*[：:]\s*")
_FIRST_SCREEN: Final = 3  # an image among the first top-level blocks may be on the first screen


class Context(Protocol):
    """What the Markdown stage hands over for one document (see ``markup._Context``)."""

    source: str
    urls: Mapping[str, str]
    base_path: str
    images: Mapping[str, Picture]
    links: list[str]

    def problem(self, message: Text, hint: Text, target: str, severity: Severity) -> None: ...


def srcset(picture: Picture, fmt: str, base_path: str) -> str:
    return ", ".join(f"{with_base(base_path, v.path)} {v.width}w" for v in picture.of(fmt))


def fallback_src(picture: Picture) -> str:
    """The fallback variant a browser without ``srcset`` shows: the one nearest 960 px wide."""
    return min(picture.of(picture.fallback), key=lambda v: abs(v.width - 960)).path


def picture_element(picture: Picture, attributes: Mapping[str, str], base_path: str, *, eager: bool) -> etree.Element:
    """``<picture>`` with a ``<source>`` per modern format and the ``<img>`` (given ``attributes``: alt, class…)."""
    element = etree.Element("picture")
    for fmt in picture.formats:
        etree.SubElement(
            element, "source", {"type": MIME[fmt], "srcset": srcset(picture, fmt, base_path), "sizes": SIZES}
        )
    img = etree.SubElement(element, "img", {k: v for k, v in attributes.items() if k not in _OURS})
    img.set("src", with_base(base_path, fallback_src(picture)))
    img.set("srcset", srcset(picture, picture.fallback, base_path))
    img.set("sizes", SIZES)
    img.set("width", str(picture.width))
    img.set("height", str(picture.height))
    if not eager:  # (fetchpriority="high" for the eager one is newer than the HTML checker the tests run)
        img.set("loading", "lazy")
    img.set("decoding", "async")
    return element


_OURS: Final = frozenset({"src", "srcset", "sizes", "width", "height", "loading", "decoding"})


def make_pictures(root: etree.Element, stash: list[str | etree.Element], ctx: Context) -> None:
    """Rewrite the document's images in place (tree and raw HTML stash); warn about missing alt text."""
    if next(root.iter("img"), None) is not None:  # most documents have none: no walk, no map
        _tree_pictures(root, ctx)
    for index, entry in enumerate(stash):
        if isinstance(entry, str) and "<img" in entry.lower():
            stash[index] = _RAW_IMG.sub(lambda m: _raw_picture(m.group(0), ctx), entry)


def _tree_pictures(root: etree.Element, ctx: Context) -> None:
    by_url = {with_base(ctx.base_path, p.main.path): p for p in ctx.images.values()}
    first = True
    for position, top in enumerate(list(root)):
        for parent in list(top.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                picture = by_url.get(child.get("src", ""))
                _check_alt(child.get("alt"), picture.source if picture else child.get("src", ""), ctx)
                if picture is None:
                    continue
                eager = first and position < _FIRST_SCREEN
                first = False
                attributes = dict(child.attrib)
                title = attributes.pop("title", "")
                element = picture_element(picture, attributes, ctx.base_path, eager=eager)
                element.tail = child.tail
                parent[index] = element
                alt = attributes.get("alt", "")
                caption = title or (alt if _CAPTION.match(alt) else "")
                if caption and parent.tag == "p" and len(parent) == 1 and _blank(parent.text, element.tail):
                    if not title:  # "图：调研现场": the caption says 图, the alt text only what is shown
                        element[-1].set("alt", _CAPTION.sub("", alt))
                    _as_figure(parent, caption)


def _blank(*texts: str | None) -> bool:
    return all(not (t or "").strip() for t in texts)


def _as_figure(paragraph: etree.Element, caption: str) -> None:
    """The paragraph holding only ``picture`` becomes ``<figure>`` with ``caption`` under it."""
    paragraph.tag = "figure"
    paragraph.text = None
    paragraph[0].tail = None
    figcaption = etree.SubElement(paragraph, "figcaption")
    figcaption.text = caption


def _check_alt(alt: str | None, src: str, ctx: Context) -> None:
    if alt is not None and alt.strip():
        return
    name = posixpath.basename(unquote(src.split("?", 1)[0].split("#", 1)[0])) or src
    ctx.problem(say("image_no_alt", image=name), say("image_no_alt_hint"), name, Severity.WARNING)


# --------------------------------------------------------------------------- raw <img> in the body
_RAW_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_SRC = re.compile(r"""(\ssrc\s*=\s*)(["'])[^"']*\2""", re.IGNORECASE)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _raw_picture(tag: str, ctx: Context) -> str:
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    attributes = parser.found
    raw = attributes.get("src", "")
    _check_alt(attributes.get("alt"), raw, ctx)
    if not raw or raw.startswith(("/", "#")) or ":" in raw.split("/", 1)[0]:
        return tag
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.source), unquote(raw.split("?", 1)[0])))
    picture = ctx.images.get(resolved)
    site_path = ctx.urls.get(resolved)
    if site_path is None:
        return tag  # not a file under content/: the link pass of the page reports it
    ctx.links.append(resolved)  # the page's Markdown cache is valid while this image's URL is the same
    if picture is None:  # an SVG or GIF, or an image that could not be processed: its URL on the site
        url = html.escape(with_base(ctx.base_path, site_path), quote=True)
        return _SRC.sub(lambda m: f"{m.group(1)}{m.group(2)}{url}{m.group(2)}", tag, count=1)
    element = picture_element(picture, attributes, ctx.base_path, eager=False)
    return _serialise(element)


def _serialise(element: etree.Element) -> str:
    """HTML of ``picture`` (no children but ``source`` and ``img``: void elements, attributes escaped)."""
    parts = ["<picture>"]
    for child in element:
        attributes = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in child.attrib.items())
        parts.append(f"<{child.tag}{attributes}>")
    parts.append("</picture>")
    return "".join(parts)


def picture_markup(picture: Picture, attributes: Mapping[str, str], base_path: str, *, eager: bool) -> str:
    """The ``<picture>`` HTML for a template (an issue's cover)."""
    return _serialise(picture_element(picture, attributes, base_path, eager=eager))
