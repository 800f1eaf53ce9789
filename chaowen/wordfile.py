"""A Word file as ``chaowen import`` receives it: is it a usable .docx, and what in it cannot be converted.

Pure: :func:`read_word` takes the file's bytes. It refuses what is not a readable
Word document (an old .doc or .wps, an encrypted, truncated, empty or foreign file)
with a problem saying what to do, reads the document properties an editor may want
(title and author, unless they are a template's or a machine's), and lists what the
conversion engine would drop or mangle (text boxes, SmartArt, equations, comments,
tracked changes, embedded objects, pictures a browser cannot show), each with the
paragraph it is in, so the editor can look there. Text boxes are moved out of their
paragraph, after it: the engine would otherwise lose the paragraph's own text. A table
of contents is taken out: the page makes its own from the headings, and Word's links
point to bookmarks the page does not have. Headings numbered automatically by Word get
their numbers as text (pandoc would drop them).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Final
from xml.etree import ElementTree as etree

from .errors import Problem, Severity
from .messages import Text, say
from .wordnumbering import number_headings

W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS: Final = {
    "w": W,
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM: Final = "EncryptionInfo".encode("utf-16-le")
OLD_SUFFIXES: Final = frozenset({".doc", ".wps", ".dot", ".wpt", ".rtf"})
# Authors a computer fills in, not a person: Word's and WPS's defaults and the usual account names.
MACHINE_NAMES: Final = frozenset(
    {
        "administrator",
        "admin",
        "user",
        "users",
        "owner",
        "pc",
        "microsoft",
        "microsoft office user",
        "microsoft 帐户",
        "microsoft 账户",
        "windows 用户",
        "windows user",
        "微软用户",
        "微软中国",
        "用户",
        "管理员",
        "未知",
        "作者",
        "dell",
        "lenovo",
        "hp",
        "asus",
        "acer",
        "huawei",
        "python-docx",
        "apache poi",
    }
)
# Titles a template or a new blank file carries, not the author's.
_GENERIC_TITLE: Final = re.compile(
    r"^(?:|title|标题|无标题|untitled|document|文档|doc\d*|新建\s*(?:microsoft\s*)?(?:office\s*)?word\s*文档.*"
    r"|microsoft word\s*-.*|word\s*文档|学员心得|心得体会|模板|template)$",
    re.IGNORECASE,
)
# Picture formats a browser shows, by file suffix.
WEB_IMAGES: Final = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"})
_SNIPPET: Final = 16


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the conversion drops or changes, in paragraph ``paragraph`` (1-based) that begins ``snippet``."""

    what: str  # textbox | smartart | equation | comment | revision | object | image_format | contents
    paragraph: int
    snippet: str
    detail: str = ""  # a picture's file name, a text box's text
    before: str = ""  # the start of the nearest paragraph above with text, for one with none


@dataclass(frozen=True, slots=True)
class WordFile:
    """A readable .docx: the bytes to convert, its usable properties, and what will not convert."""

    data: bytes
    title: str  # the document property, "" when empty or a template's
    author: str  # the document property, "" when empty or a machine's name
    notices: tuple[Notice, ...]


def is_machine_name(name: str) -> bool:
    """``Administrator``, ``User``, ``微软用户``…: an account or vendor name, not an author."""
    cleaned = " ".join(name.split()).lower()
    return (
        not cleaned
        or cleaned in MACHINE_NAMES
        or bool(re.fullmatch(r"(?:user|admin|administrator|pc|dell|hp|lenovo|asus|acer)(?:[-_ ]\S*|\d+)", cleaned))
        or bool(re.fullmatch(r"[a-z]+-pc|desktop-\w+|laptop-\w+|win-\w+", cleaned))
    )


def read_word(data: bytes, path: str) -> WordFile | Problem:
    """The Word file ``path`` with bytes ``data``; a problem (nothing to import) when it is not usable."""
    if not data.strip(b"\0 \t\r\n"):
        return _refused(path, "import_empty_file", "import_empty_file_hint")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            return _refused(path, "import_encrypted", "import_encrypted_hint")
        return _refused(path, "import_old_format", "import_old_format_hint")
    if not data.startswith(b"PK"):
        return _refused(path, "import_not_word", "import_not_word_hint")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            return _refused(path, "import_not_word", "import_not_word_hint")
        document = etree.fromstring(archive.read("word/document.xml"))
        core = etree.fromstring(archive.read("docProps/core.xml")) if "docProps/core.xml" in names else None
        relations = _relations(archive, names)
    except (zipfile.BadZipFile, zlib.error, etree.ParseError, EOFError, KeyError, ValueError):
        return _refused(path, "import_corrupt", "import_corrupt_hint")
    body = document.find("w:body", _NS)
    if body is None or not _has_content(body):
        return _refused(path, "import_no_text", "import_no_text_hint")
    numbered = _number_headings(archive, names, document)
    contents = _contents_paragraphs(body, _toc_styles(archive, names))
    notices = _notices(body, relations, contents, has_comments="word/comments.xml" in names)
    moved = _move_text_boxes(document)
    removed = _remove_contents(document, contents)
    return WordFile(
        data=_replaced(archive, "word/document.xml", document) if moved or removed or numbered else data,
        title=_core_text(core, "dc:title", generic=_GENERIC_TITLE),
        author=_author(core),
        notices=tuple(notices),
    )


def _refused(path: str, message: str, hint: str) -> Problem:
    return Problem(path, None, say(message), say(hint))


def notice_problem(path: str, notice: Notice) -> Problem:
    """The warning an editor reads for ``notice`` in the file ``path``."""
    if notice.snippet or not notice.before:
        where = say("import_where", paragraph=notice.paragraph, snippet=notice.snippet)
    else:
        where = say("import_where_after", paragraph=notice.paragraph, snippet=notice.before)
    message: Text = say(f"import_lost_{notice.what}", where=where, detail=notice.detail)
    return Problem(path, None, message, say(f"import_lost_{notice.what}_hint"), Severity.WARNING)


# ----------------------------------------------------------------------------- reading
def _relations(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Relationship id -> target (``media/image1.emf``) of the main document."""
    rels = "word/_rels/document.xml.rels"
    if rels not in names:
        return {}
    root = etree.fromstring(archive.read(rels))
    return {item.get("Id", ""): item.get("Target", "") for item in root}


def _core_text(core: etree.Element | None, tag: str, *, generic: re.Pattern[str]) -> str:
    if core is None:
        return ""
    found = core.find(tag, _NS)
    value = " ".join((found.text or "").split()) if found is not None else ""
    return "" if generic.match(value) else value


def _author(core: etree.Element | None) -> str:
    if core is None:
        return ""
    found = core.find("dc:creator", _NS)
    value = " ".join((found.text or "").split()) if found is not None else ""
    return "" if is_machine_name(value) else value


def _has_content(body: etree.Element) -> bool:
    """Any text, picture or table at all."""
    for element in body.iter():
        tag = element.tag
        if tag == f"{{{W}}}t" and (element.text or "").strip():
            return True
        if tag in (f"{{{W}}}drawing", f"{{{W}}}pict", f"{{{W}}}tbl"):
            return True
    return False


def _text_of(paragraph: etree.Element) -> str:
    """A paragraph's own text (not its text boxes'), whitespace squeezed."""
    parts: list[str] = []
    _collect_text(paragraph, parts)
    return " ".join("".join(parts).split())


def _collect_text(element: etree.Element, parts: list[str]) -> None:
    for child in element:
        if child.tag == f"{{{W}}}txbxContent":
            continue
        if child.tag in (f"{{{W}}}t", f"{{{_NS['m']}}}t") and child.text:
            parts.append(child.text)
        _collect_text(child, parts)


def _snippet(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "…"


def _paragraphs(body: etree.Element) -> list[etree.Element]:
    """The paragraphs an editor sees, in order: those of the body and of its tables, not of text boxes."""
    found: list[etree.Element] = []

    def walk(element: etree.Element) -> None:
        for child in element:
            if child.tag == f"{{{W}}}p":
                found.append(child)
            elif child.tag != f"{{{W}}}txbxContent":
                walk(child)

    walk(body)
    return found


_DIAGRAM: Final = "http://schemas.openxmlformats.org/drawingml/2006/diagram"


def _notices(
    body: etree.Element, relations: dict[str, str], contents: set[etree.Element], *, has_comments: bool
) -> list[Notice]:
    notices: list[Notice] = []
    in_contents = False
    before = ""  # the text of the last paragraph that had some, for a paragraph with none (a lone picture)
    for number, paragraph in enumerate(_paragraphs(body), start=1):
        if paragraph in contents:
            if not in_contents:
                notices.append(Notice("contents", number, _snippet(_text_of(paragraph))))
            in_contents = True
            continue
        in_contents = False
        found: dict[str, list[str]] = {}
        for element in paragraph.iter():
            what, detail = _unconvertible(element, relations, has_comments=has_comments)
            details = found.setdefault(what, []) if what else []
            if what and (not details or what == "image_format") and detail not in details:
                details.append(detail)
        text = _text_of(paragraph)
        for what, details in found.items():
            notices.extend(Notice(what, number, _snippet(text), detail, _snippet(before)) for detail in details)
        before = text or before
    return _without_inner_duplicates(notices)


def _unconvertible(element: etree.Element, relations: dict[str, str], *, has_comments: bool) -> tuple[str, str]:
    """What ``element`` is that the conversion drops or changes, and a detail; ("", "") when nothing."""
    tag = element.tag
    if tag == f"{{{W}}}txbxContent":
        return "textbox", _snippet(" ".join("".join(t.text or "" for t in element.iter(f"{{{W}}}t")).split()))
    if tag == f"{{{_NS['a']}}}graphicData" and element.get("uri", "") == _DIAGRAM:
        return "smartart", ""
    if tag in (f"{{{_NS['m']}}}oMath", f"{{{_NS['m']}}}oMathPara"):
        return "equation", ""
    if tag in (f"{{{W}}}commentReference", f"{{{W}}}commentRangeStart") and has_comments:
        return "comment", ""
    if tag in (f"{{{W}}}ins", f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{W}}}moveTo"):
        return "revision", ""
    if tag in (f"{{{W}}}object", f"{{{_NS['o']}}}OLEObject"):
        return "object", ""
    if tag in (f"{{{_NS['a']}}}blip", f"{{{_NS['v']}}}imagedata"):
        key = element.get(f"{{{_NS['r']}}}embed") or element.get(f"{{{_NS['r']}}}id") or ""
        target = relations.get(key, "")
        suffix = "." + target.rsplit(".", 1)[-1].lower() if "." in target else ""
        if target and suffix not in WEB_IMAGES:
            return "image_format", target.rsplit("/", 1)[-1]
    return "", ""


def _without_inner_duplicates(notices: list[Notice]) -> list[Notice]:
    """An embedded object's preview picture is the object, not a second notice about a picture format."""
    objects = {n.paragraph for n in notices if n.what == "object"}
    return [n for n in notices if not (n.what == "image_format" and n.paragraph in objects)]


def _number_headings(archive: zipfile.ZipFile, names: set[str], document: etree.Element) -> bool:
    """Word's automatic heading numbers written into the headings (see :mod:`chaowen.wordnumbering`)."""
    if "word/numbering.xml" not in names or "word/styles.xml" not in names:
        return False
    try:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        numbering = etree.fromstring(archive.read("word/numbering.xml"))
    except (zipfile.BadZipFile, zlib.error, etree.ParseError, EOFError, KeyError, ValueError):
        return False  # the numbers are lost, as pandoc would lose them; the text is still there
    return number_headings(document, styles, numbering)


# ----------------------------------------------------------------------------- table of contents
_CONTENTS_STYLE: Final = re.compile(
    r"^(?:toc\s*\d|toc heading|contents\s*\d|contents heading|目录\s*\d)$", re.IGNORECASE
)


def _toc_styles(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The ids of the paragraph styles of a table of contents (Chinese Word names them 10, 11…, so by name)."""
    if "word/styles.xml" not in names:
        return set()
    found: set[str] = set()
    for style in etree.fromstring(archive.read("word/styles.xml")).iter(f"{{{W}}}style"):
        name = style.find("w:name", _NS)
        if name is not None and _CONTENTS_STYLE.match(name.get(f"{{{W}}}val", "").strip()):
            found.add(style.get(f"{{{W}}}styleId", ""))
    return found


def _contents_paragraphs(body: etree.Element, styles: set[str]) -> set[etree.Element]:
    """The paragraphs of a Word table of contents: in its content control, or in a contents style."""
    found: set[etree.Element] = set()
    for control in body.iter(f"{{{W}}}sdt"):
        gallery = control.find("w:sdtPr/w:docPartObj/w:docPartGallery", _NS)
        if gallery is not None and gallery.get(f"{{{W}}}val", "").lower() == "table of contents":
            found.update(control.iter(f"{{{W}}}p"))
    for paragraph in body.iter(f"{{{W}}}p"):
        style = paragraph.find("w:pPr/w:pStyle", _NS)
        if style is not None and style.get(f"{{{W}}}val", "") in styles:
            found.add(paragraph)
    return found


def _remove_contents(document: etree.Element, contents: set[etree.Element]) -> bool:
    """Take the table of contents out (the page makes its own from the headings); True when there was one."""
    if not contents:
        return False
    parents = {child: parent for parent in document.iter() for child in parent}
    for paragraph in contents:
        parent = parents.get(paragraph)
        if parent is not None:
            parent.remove(paragraph)
    return True


# ----------------------------------------------------------------------------- text boxes
def _move_text_boxes(document: etree.Element) -> bool:
    """Put each text box's paragraphs after the paragraph it floats in; True when there was one.

    The run holding the box (its drawing and the fallback picture) is removed, so
    the paragraph keeps its own text and the box's text follows it once.
    """
    parents = {child: parent for parent in document.iter() for child in parent}
    moved = False
    for paragraph in list(document.iter(f"{{{W}}}p")):
        if paragraph not in parents or _inside_text_box(paragraph, parents):
            continue
        boxes = [run for run in paragraph.iter(f"{{{W}}}r") if run.find(".//w:txbxContent", _NS) is not None]
        if not boxes:
            continue
        outer = [run for run in boxes if not any(_is_ancestor(other, run, parents) for other in boxes)]
        extracted: list[etree.Element] = []
        for run in outer:
            content = run.find(".//w:txbxContent", _NS)
            if content is not None:
                extracted.extend(child for child in content if child.tag in (f"{{{W}}}p", f"{{{W}}}tbl"))
            parents[run].remove(run)
        host = parents[paragraph]
        index = list(host).index(paragraph)
        for offset, block in enumerate(extracted, start=1):
            host.insert(index + offset, block)
        moved = True
    return moved


def _inside_text_box(element: etree.Element, parents: dict[etree.Element, etree.Element]) -> bool:
    current = parents.get(element)
    while current is not None:
        if current.tag == f"{{{W}}}txbxContent":
            return True
        current = parents.get(current)
    return False


def _is_ancestor(candidate: etree.Element, element: etree.Element, parents: dict[etree.Element, etree.Element]) -> bool:
    current = parents.get(element)
    while current is not None:
        if current is candidate:
            return True
        current = parents.get(current)
    return False


def _replaced(archive: zipfile.ZipFile, name: str, root: etree.Element) -> bytes:
    """The archive's bytes with member ``name`` replaced by ``root``, namespace prefixes kept."""
    original = archive.read(name)
    for prefix, uri in _declared_namespaces(original):
        etree.register_namespace(prefix, uri)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            if info.filename == name:
                copy.writestr(info, etree.tostring(root, encoding="utf-8", xml_declaration=True))
            else:
                copy.writestr(info, archive.read(info.filename))
    return output.getvalue()


def _declared_namespaces(xml: bytes) -> list[tuple[str, str]]:
    found = []
    for _event, (prefix, uri) in etree.iterparse(io.BytesIO(xml), events=("start-ns",)):
        if prefix and not re.match(r"ns\d+$", prefix):
            found.append((prefix, uri))
    return found
