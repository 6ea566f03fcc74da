"""The PDF step: tagged PDF/UA-1 + PDF/A-2b from a .docx, TOC page numbers, reruns, problems.

LibreOffice tests carry the ``libreoffice`` marker. They skip only when soffice is missing
and ``CI`` is not set; under ``CI=true`` a missing LibreOffice fails them.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from reportkit.documents import pdf as pdfstep
from reportkit.errors import CATALOGUE

TITLE = "Årsredovisning 2025"
CHAPTERS = [
    ("Förvaltningsberättelse", ["Översikt", "Viktiga händelser"]),
    ("Måluppfyllelse", ["Verksamhet"]),
    ("Ekonomi", ["Resultat", "Balans"]),
]
HEADINGS = [h for h1, subs in CHAPTERS for h in (h1, *subs)]
ALT = "Stapeldiagram över måluppfyllelse 2025"


def _png(width: int = 40, height: int = 20) -> bytes:
    raw = b"".join(b"\x00" + bytes([30, 90, 160]) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _toc_field(paragraph) -> None:
    def fld_char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    paragraph.add_run()._r.append(instr)
    fld_char("separate")
    paragraph.add_run("Uppdatera innehållsförteckningen.")
    fld_char("end")


def build_docx(path: Path, *, alt: str | None = ALT) -> Path:
    """A small årsredovisning: sv-SE, core properties, TOC, headings over pages, table, picture."""
    doc = Document()
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    props = doc.core_properties
    props.title, props.author, props.subject = TITLE, "Exempelkommun", "Kommunens årsredovisning"

    # A non-heading style, so that "Innehåll" does not list itself (TECH.md §6).
    doc.add_paragraph().add_run("Innehåll").bold = True
    _toc_field(doc.add_paragraph())
    for chapter, sections in CHAPTERS:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(chapter, 1)
        for section in sections:
            doc.add_heading(section, 2)
            for _ in range(6):
                doc.add_paragraph("Kommunen har arbetat med målen under året. " * 8)

    table = doc.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for col, text in enumerate(["Mål", "Utfall", "Status"]):
        table.cell(0, col).text = text
    for row in range(1, 4):
        for col in range(3):
            table.cell(row, col).text = f"{row}-{col}"
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)

    doc.add_paragraph("Diagram över måluppfyllelsen:")
    shape = doc.add_picture(io.BytesIO(_png()), width=Mm(60))
    if alt:
        shape._inline.docPr.set("descr", alt)
    doc.save(path)
    return path


def _require_libreoffice() -> None:
    if pdfstep.libreoffice_available():
        return
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail("LibreOffice (soffice) saknas men CI är satt: installera libreoffice och "
                    "python3-uno i CI-bilden.")
    pytest.skip("LibreOffice (soffice) saknas")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """One convert_to_pdf call (one soffice) for the good and the alt-less document."""
    _require_libreoffice()
    src = tmp_path_factory.mktemp("docx")
    good = build_docx(src / "arsredovisning.docx")
    noalt = build_docx(src / "utan-alt.docx", alt=None)
    out = tmp_path_factory.mktemp("pdf")
    result = pdfstep.convert_to_pdf([good, noalt], out)
    return {"result": result, "good": out / "arsredovisning.pdf", "noalt": out / "utan-alt.pdf",
            "docx": good}


@pytest.mark.libreoffice
def test_convert_writes_one_pdf_per_docx(converted):
    assert converted["result"].pdfs == [converted["good"], converted["noalt"]]
    assert not [p for p in converted["result"].problems if p.is_error]


@pytest.mark.libreoffice
def test_pdf_is_compliant_with_pdfua1_and_pdfa2b(converted):
    import page

    for profile in ("ua1", "2b"):
        report = page.validate_pdf(str(converted["good"]), profile=profile)
        assert report.is_compliant, [f.rule_id for f in report.failures]
    assert pdfstep.validate_pdf(converted["good"]) == []


@pytest.mark.libreoffice
def test_pdf_is_tagged_swedish_and_titled(converted):
    with pikepdf.open(converted["good"]) as pdf:
        assert str(pdf.Root.Lang) == "sv-SE"
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.docinfo["/Title"]) == TITLE
        assert str(pdf.docinfo["/Author"]) == "Exempelkommun"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == TITLE
        assert meta["dc:description"] == "Kommunens årsredovisning"
        assert meta["dc:creator"] == ["Exempelkommun"]
        assert meta["dc:language"] == {"sv-SE"}
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfuaid:part"] == "1"
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp


@pytest.mark.libreoffice
def test_table_header_row_becomes_th(converted):
    with pikepdf.open(converted["good"]) as pdf:
        roles = {str(obj.get("/S")) for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary) and "/S" in obj and "/P" in obj}
    assert {"/Table", "/TH", "/TD", "/Figure", "/H1", "/H2"} <= roles


@pytest.mark.libreoffice
def test_outlines_hold_the_headings(converted):
    from pypdf import PdfReader

    def titles(items) -> list[str]:
        out: list[str] = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    assert titles(PdfReader(converted["good"]).outline) == HEADINGS


@pytest.mark.libreoffice
def test_toc_lists_headings_with_the_pages_they_start_on(converted):
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(converted["good"]).pages]
    toc = {m.group(1).strip(): int(m.group(2))
           for m in re.finditer(r"^(\S.*?)\s*\.{3,}\s*(\d+)\s*$", pages[0], re.MULTILINE)}
    assert list(toc) == HEADINGS
    for heading, number in toc.items():
        starts = [i + 1 for i, text in enumerate(pages[1:], start=1)
                  if heading in [line.strip() for line in text.splitlines()]]
        assert starts and starts[0] == number, (heading, number, starts)


@pytest.mark.libreoffice
def test_two_conversions_are_byte_identical(converted, tmp_path):
    again = pdfstep.convert_to_pdf([converted["docx"]], tmp_path)
    assert again.pdfs == [tmp_path / "arsredovisning.pdf"]
    assert again.pdfs[0].read_bytes() == converted["good"].read_bytes()


@pytest.mark.libreoffice
def test_picture_without_alt_text_gives_swedish_varning(converted):
    problems = [p for p in converted["result"].problems if p.location.file == "utan-alt.pdf"]
    assert [(p.code, p.values["rule"]) for p in problems] == [
        ("pdf-validation-failed", "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001")]
    warning = problems[0]
    assert warning.severity == "varning"
    assert "utan-alt.pdf uppfyller inte PDF/UA-1: regel PDFUA1-FIGURE-ALTERNATIVE-TEXT-001" in (
        warning.message)
    assert warning.hint.startswith("Ge alla bilder en alternativtext i mallen")
    assert pdfstep.pdfcheck([converted["noalt"]]) == problems


def test_missing_soffice_gives_problem_and_no_pdf(tmp_path, monkeypatch):
    monkeypatch.delenv("REPORTKIT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    docx = build_docx(tmp_path / "a.docx")

    assert pdfstep.libreoffice_available() is False
    result = pdfstep.convert_to_pdf([docx], tmp_path / "out")

    assert result.pdfs == []
    assert [p.code for p in result.problems] == ["pdf-libreoffice-missing"]
    assert result.problems[0].message.startswith("LibreOffice saknas, PDF skapades inte")
    assert not (tmp_path / "out").exists()


def test_pdfcheck_reports_a_missing_file(tmp_path):
    problems = pdfstep.pdfcheck([tmp_path / "saknas.pdf"])
    assert [p.code for p in problems] == ["file-unreadable"]


def test_pdfcheck_reports_a_file_that_is_not_a_pdf(tmp_path):
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really")
    assert [p.code for p in pdfstep.pdfcheck([bad])] == ["pdf-unreadable"]


def test_pdf_kinds_render_with_their_fields():
    for code in ("pdf-libreoffice-missing", "pdf-conversion-failed", "pdf-toc-not-updated",
                 "pdf-title-missing", "pdf-validation-failed", "pdf-unreadable"):
        kind = CATALOGUE[code]
        values = {name: f"<{name}>" for name in kind.fields}
        assert "{" not in kind.message.format(**values) + kind.hint.format(**values)
