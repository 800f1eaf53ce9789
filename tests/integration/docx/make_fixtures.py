"""Regenerate the .docx fixtures of the import tests (needs LibreOffice; CI uses the committed files).

    python3 tests/integration/docx/make_fixtures.py

Word-processor documents, not hand-written XML: ``sources/*.fodt`` (flat OpenDocument) and
``sources/*.html`` are saved as .docx by LibreOffice (``soffice --headless --convert-to docx``);
the odd cases a trainee's Word produces (full-width indents, empty paragraphs, manual line breaks,
the machine name ``Administrator`` as author) are written with python-docx below. The bad inputs
(an old .doc, a .wps, a truncated, an encrypted, an empty and a not-Word file) come last.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
BAD = HERE / "bad"


def soffice(source: Path, target: Path, *, infilter: str | None = None, convert: str = "docx") -> None:
    """Save ``source`` as ``target`` through LibreOffice (headless, a profile of its own)."""
    with tempfile.TemporaryDirectory() as scratch:
        command = ["soffice", f"-env:UserInstallation=file://{scratch}/profile", "--headless"]
        if infilter:
            command.append(f"--infilter={infilter}")
        command += ["--convert-to", convert, "--outdir", scratch, str(source)]
        subprocess.run(command, check=True, capture_output=True)
        made = next(p for p in Path(scratch).iterdir() if p.is_file())
        shutil.move(made, target)
    print(target.relative_to(HERE))


def word_habits(target: Path) -> None:
    """An essay typed the way trainees type in Word: no styles, every habit the importer cleans."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    document.core_properties.author = "Administrator"
    document.core_properties.title = "新建 Microsoft Word 文档"
    title = document.add_paragraph()
    title.add_run("乡镇数字化改革的三点思考").bold = True
    document.add_paragraph("作者：王五（河上镇）")
    document.add_paragraph("")
    document.add_paragraph("\u3000\u3000今年以来，河上镇把数字化改革作为“一号工程”来抓。")
    document.add_paragraph("\u3000\u3000")
    document.add_paragraph("一、认识要到位")
    paragraph = document.add_paragraph("\u3000\u3000数字化不是买设备，")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("而是改流程。镇里\u00a0先后开了三次专题会。")
    document.add_paragraph("（一）领导带头")
    document.add_paragraph("\t镇主要领导每月听一次汇报。")
    document.add_paragraph("")
    document.add_paragraph("")
    document.add_paragraph("二、数据要打通")
    poem = document.add_paragraph("\u3000\u3000村里的数据有三类：")
    poem.add_run().add_break(WD_BREAK.LINE)
    poem.add_run("\u3000\u3000一是人口数据；")
    poem.add_run().add_break(WD_BREAK.LINE)
    poem.add_run("\u3000\u3000二是产业数据。")
    bold = document.add_paragraph()
    bold.add_run("几点建议").bold = True
    advice = document.add_paragraph("\u3000\u3000第一，")
    advice.add_run("“最多跑一次”").bold = True
    advice.add_run("要从群众的角度来衡量。")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, (("村", "上线事项"), ("河上村", "12"), ("众联村", "9")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("\u3000\u3000（全文完）")
    document.save(target)
    print(target.relative_to(HERE))


def equation_and_tiff(target: Path) -> None:
    """An equation (Word's OMML) and a TIFF picture, written by pandoc's docx writer from sources/gong-shi.md.

    LibreOffice without its Math module drops formulas when it saves a .docx, so pandoc writes this one.
    """
    import pypandoc
    from PIL import Image, ImageDraw

    with tempfile.TemporaryDirectory() as scratch:
        picture = Image.new("RGB", (160, 80), "#ffffff")
        ImageDraw.Draw(picture).rectangle([20, 20, 140, 60], outline="#0b5aa6", width=4)
        picture.save(Path(scratch) / "liu-cheng.tiff")
        subprocess.run(
            [pypandoc.get_pandoc_path(), str(SOURCES / "gong-shi.md"), "-o", str(target), f"--resource-path={scratch}"],
            check=True,
        )
    print(target.relative_to(HERE))


def bad_inputs() -> None:
    """One file per way an input can be unusable."""
    BAD.mkdir(exist_ok=True)
    soffice(SOURCES / "jinggao.fodt", BAD / "jiu-ge-shi.doc", convert="doc")
    (BAD / "wps-wen-dang.wps").write_bytes((BAD / "jiu-ge-shi.doc").read_bytes())  # WPS's own format is OLE too
    whole = (HERE / "xinde-quan.docx").read_bytes()
    (BAD / "sun-huai.docx").write_bytes(whole[: len(whole) // 2])
    (BAD / "kong.docx").write_bytes(b"")
    from docx import Document

    Document().save(BAD / "kong-wen-dang.docx")
    (BAD / "bu-shi-word.docx").write_text("这是一个改了扩展名的文本文件。\n", encoding="utf-8")
    for name in ("kong.docx", "kong-wen-dang.docx", "bu-shi-word.docx", "wps-wen-dang.wps", "sun-huai.docx"):
        print((BAD / name).relative_to(HERE))


def main() -> int:
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) is needed to regenerate the fixtures", file=sys.stderr)
        return 1
    soffice(SOURCES / "xinde-quan.fodt", HERE / "xinde-quan.docx")
    soffice(SOURCES / "jinggao.fodt", HERE / "jinggao.docx")
    soffice(SOURCES / "zi-dong-bian-hao.fodt", HERE / "zi-dong-bian-hao.docx")
    soffice(SOURCES / "jiyao.html", HERE / "jiyao.docx", infilter="HTML (StarWriter)", convert="docx:MS Word 2007 XML")
    word_habits(HERE / "word-xi-guan.docx")
    equation_and_tiff(HERE / "gong-shi.docx")
    bad_inputs()
    return 0


if __name__ == "__main__":
    sys.exit(main())
