"""The print edition's engine: an issue's print HTML -> PDF bytes, with WeasyPrint.

Two steps, both pure functions of their arguments:

* :func:`print_article` turns a document's rendered Markdown HTML into what the print
  stylesheet expects: ids made unique within the issue (``a3-…``), the Markdown's
  footnotes moved to where they are called (``float: footnote`` sets them at the foot
  of that page), each external link's address added as a footnote of its own, a link
  to another article of the issue made a link within the PDF, and a link to the site
  made absolute.
* :func:`typeset` lays out a whole issue and returns the PDF with the characters no
  font could draw. Images and other resources are read only from the files given
  (the site's assets): the typesetter makes no request to the network.

WeasyPrint (and tinyhtml5, which it brings) are the ``print`` extra: this module imports
them only when called, and :func:`engine_missing` says whether they can be.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging
import mimetypes
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

# Resources of the print HTML are fetched from here: any other address fails to load (and is logged).
PRINT_ORIGIN = "https://print.chaowen.invalid"


def engine_missing() -> str | None:
    """None when WeasyPrint and the libraries it loads (Pango) can be imported; else why not."""
    try:
        with warnings.catch_warnings():
            # Without any font WeasyPrint warns as it is imported; fonts_missing() says it in Chinese.
            warnings.simplefilter("ignore", UserWarning)
            import tinyhtml5  # noqa: F401
            import weasyprint  # noqa: F401
    except ImportError as error:  # the extra is not installed
        return str(error) or type(error).__name__
    except OSError as error:  # the Python package is there, the Pango library it loads is not
        return str(error) or type(error).__name__
    return None


@functools.cache
def fonts_missing() -> bool:
    """Whether fontconfig knows no font at all (Pango would crash on the first character)."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
    return bool(fonts == ffi.NULL or fonts.nfont == 0)


def engine_version() -> str:
    """WeasyPrint's version (part of every PDF's cache key); "-" when not installed."""
    try:
        return importlib.metadata.version("weasyprint")
    except importlib.metadata.PackageNotFoundError:
        return "-"


@dataclass(frozen=True, slots=True)
class Typeset:
    """A typeset issue: the PDF, and the characters that no font had (drawn as empty boxes)."""

    pdf: bytes
    pages: int
    missing: tuple[str, ...]


def typeset(html: str, files: Mapping[str, str], identifier: bytes) -> Typeset:
    """Lay out ``html`` (a complete print document) as a PDF.

    ``files`` maps the site path of each resource the document may show (``images/a.png``)
    to the file to read it from; a resource not in it is left out (nothing is fetched from
    the network). ``identifier`` is the PDF's file identifier: with the creation date the
    document gives (``dcterms.created``), the same input gives the same bytes.
    """
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=PRINT_ORIGIN + "/", url_fetcher=_fetcher(files))
    logger = logging.getLogger("weasyprint")
    quiet = logger.level
    logger.setLevel(logging.ERROR)  # a resource left out is reported by the link check of the pages
    try:
        laid_out = document.render()
        pdf = laid_out.write_pdf(pdf_identifier=identifier)
    finally:
        logger.setLevel(quiet)
    missing = {chr(code) for font in laid_out.fonts.values() for code in font.missing}
    return Typeset(pdf, len(laid_out.pages), tuple(sorted(missing)))


def _read(url: str, files: Mapping[str, str]) -> tuple[bytes, str, str]:
    """The bytes, file name and media type of a file of the site; ValueError for any other address."""
    if url.startswith(PRINT_ORIGIN + "/"):
        path = unquote(urlsplit(url).path).lstrip("/")
        source = files.get(path)
        if source is not None:
            with open(source, "rb") as handle:
                data = handle.read()
            return data, source, mimetypes.guess_type(source)[0] or "application/octet-stream"
    raise ValueError(f"not a file of the site: {url}")


def _fetcher(files: Mapping[str, str]) -> Any:
    """WeasyPrint's URL fetcher over ``files`` only: an object since WeasyPrint 67, a function before."""
    from weasyprint import urls

    if not hasattr(urls, "URLFetcherResponse"):

        def fetch(url: str) -> dict[str, Any]:
            data, source, kind = _read(url, files)
            return {"string": data, "filename": source, "mime_type": kind}

        return fetch

    class Fetcher(urls.URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type information
        def fetch(self, url: str, headers: object = None) -> Any:
            data, _, kind = _read(url, files)
            return urls.URLFetcherResponse(url, data, {"Content-Type": kind})

    return Fetcher(allowed_protocols=())


def is_han(character: str) -> bool:
    """Whether ``character`` is a Chinese character or Chinese punctuation (what a CJK font is needed for)."""
    code = ord(character)
    return (
        0x3000 <= code <= 0x303F
        or 0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or unicodedata.east_asian_width(character) == "W"
        and unicodedata.category(character).startswith(("L", "P"))
    )


# ---------------------------------------------------------------- the articles' HTML
_FOOTNOTE_LISTS = ("footnote", "footnotes")  # Python-Markdown's div.footnote, CommonMark's section.footnotes
_BACKREF = re.compile(r"footnote-backref|footnote-back")


def print_article(
    html: str,
    prefix: str,
    *,
    articles: Mapping[str, str],
    base_path: str,
    origin: str,
) -> str:
    """A document's Markdown HTML as the print document shows it; see the module's docstring.

    ``prefix`` makes its ids unique in the issue (``a3``); ``articles`` maps the site path of
    each article of the issue (``essays/foo/``) to its id in the print document; ``base_path``
    and ``origin`` (``/``, ``https://example.org``) make the site's links absolute.
    """
    import tinyhtml5

    root = tinyhtml5.parse(f"<body>{html}</body>", namespace_html_elements=False)
    body = root.find("body")
    assert body is not None
    notes = _take_footnotes(body)
    for parent in body.iter():
        for index, element in enumerate(list(parent)):
            if element.tag == "sup" and (target := _footnote_call(element)) is not None and target in notes:
                parent.remove(element)
                note = notes[target]
                note.tail = element.tail
                parent.insert(index, note)
    _unwrap_pictures(body)
    _figures(body)
    local = {old: f"{prefix}-{old}" for old in _ids(body)}
    for element in list(body.iter()):
        if "id" in element.attrib:
            element.set("id", local[element.attrib["id"]])
        if element.tag == "a" and "href" in element.attrib:
            _relink(element, local, articles, base_path, origin)
        if element.tag == "img" and "src" in element.attrib:
            element.set("src", _resource(element.attrib["src"], base_path))
    return "".join(ET.tostring(child, encoding="unicode", method="html") for child in body) if len(body) else ""


def _unwrap_pictures(body: ET.Element) -> None:
    """A ``<picture>`` (chaowen.images) is printed as its ``<img>``: its largest variant in the fallback format.

    WeasyPrint reads neither ``<source>`` nor ``srcset``; the fallback is a JPEG or PNG it
    embeds, upright and without the photo's metadata, like every published variant.
    """
    for parent in list(body.iter()):
        for index, element in enumerate(list(parent)):
            if element.tag != "picture":
                continue
            image = element.find("img")
            parent.remove(element)
            if image is not None:
                for name in ("srcset", "sizes", "loading", "decoding"):
                    image.attrib.pop(name, None)
                image.tail = element.tail
                parent.insert(index, image)


def _figures(body: ET.Element) -> None:
    """A paragraph that is one image becomes a figure with its description (alt) as the caption."""
    for paragraph in body.iter("p"):
        children = list(paragraph)
        if len(children) != 1 or children[0].tag != "img" or "".join(paragraph.itertext()).strip():
            continue
        image = children[0]
        paragraph.tag = "figure"
        paragraph.attrib = {"class": "image"}
        caption = image.attrib.get("title") or image.attrib.get("alt") or ""
        image.tail = None
        if caption:
            ET.SubElement(paragraph, "figcaption").text = caption


def _ids(body: ET.Element) -> list[str]:
    return [element.attrib["id"] for element in body.iter() if "id" in element.attrib]


def _take_footnotes(body: ET.Element) -> dict[str, ET.Element]:
    """Remove the list of footnotes from ``body``: footnote id -> a ``span.footnote`` with its text."""
    notes: dict[str, ET.Element] = {}
    for parent in list(body.iter()):
        for holder in list(parent):
            classes = holder.attrib.get("class", "").split()
            if holder.tag not in ("div", "section") or not any(c in _FOOTNOTE_LISTS for c in classes):
                continue
            for item in holder.iter("li"):
                if "id" not in item.attrib:
                    continue
                note = ET.Element("span", {"class": "footnote"})
                _append_text(note, item.text)
                for child in list(item):
                    if child.tag == "p":  # a footnote's paragraphs run on as one line at the foot of the page
                        _append_text(note, child.text)
                        note.extend(list(child))
                        _append_text(note, child.tail)
                    else:
                        note.append(child)
                if note.text:
                    note.text = note.text.lstrip()
                for backref in [a for a in note.iter("a") if _BACKREF.search(a.attrib.get("class", ""))]:
                    _remove(note, backref)
                notes[item.attrib["id"]] = note
            parent.remove(holder)
    return notes


def _append_text(element: ET.Element, text: str | None) -> None:
    """Add ``text`` at the end of ``element``'s content (after its last child, if any)."""
    if not text or not text.strip():
        return
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _footnote_call(sup: ET.Element) -> str | None:
    """The footnote id a ``<sup><a href="#fn:1">1</a></sup>`` calls, if it is one."""
    links = list(sup.iter("a"))
    if len(links) == 1 and links[0].attrib.get("href", "").startswith("#"):
        return links[0].attrib["href"][1:]
    return None


def _remove(root: ET.Element, element: ET.Element) -> None:
    """Remove ``element`` from below ``root``, keeping the text that followed it."""
    for parent in root.iter():
        children = list(parent)
        if element in children:
            index = children.index(element)
            tail = (element.tail or "").replace("\u21a9", "").rstrip()
            if index == 0:
                parent.text = ((parent.text or "").rstrip("\u00a0 ") + tail) or None
            else:
                previous = children[index - 1]
                previous.tail = ((previous.tail or "").rstrip("\u00a0 ") + tail) or None
            parent.remove(element)
            return


def _relink(
    link: ET.Element, local: Mapping[str, str], articles: Mapping[str, str], base_path: str, origin: str
) -> None:
    href = link.attrib["href"]
    if href.startswith("#"):
        target = unquote(href[1:])
        link.set("href", f"#{local.get(target, local.get(href[1:], target))}")
        return
    parts = urlsplit(href)
    if parts.scheme in ("http", "https"):
        _address_note(link, href)
        return
    if parts.scheme or parts.netloc or not href.startswith(base_path):
        return  # mailto:, tel: and the like: the text says it
    path = unquote(parts.path)[len(base_path) :]
    article = articles.get(path)
    if article is not None:
        link.set("href", f"#{article}")
        return
    absolute = origin + href
    link.set("href", absolute)
    _address_note(link, absolute)


def _address_note(link: ET.Element, address: str) -> None:
    """Print the address of ``link`` in a footnote after it, unless its text is the address."""
    text = "".join(link.itertext()).strip()
    if text in (address, address.split("://", 1)[-1], address.rstrip("/")):
        link.set("class", (link.attrib.get("class", "") + " url").strip())
        return
    note = ET.Element("span", {"class": "footnote address"})
    note.text = address
    link.append(note)  # inside the link: the call follows its text, and the address is a link too


def _resource(src: str, base_path: str) -> str:
    """An image's address in the print document: the site's files are fetched from :data:`PRINT_ORIGIN`."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not src.startswith(base_path):
        return src  # not a file of the site: it does not load, and the page's link check has said why
    return f"{PRINT_ORIGIN}/{src[len(base_path) :]}"
