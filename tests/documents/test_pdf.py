"""The PDF step: tagged PDF/UA-1 + PDF/A-2b from a .docx, TOC page numbers, reruns, problems.

LibreOffice tests carry the ``libreoffice`` marker. They skip only when soffice is missing
and ``CI`` is not set; under ``CI=true`` a missing LibreOffice fails them. The module's
conversions use their own LibreOffice profile cache, so the first conversion starts from a
new profile and the rerun from the kept copy.
"""

from __future__ import annotations

import io
import os
import re
import struct
import sys
import zipfile
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
from reportkit.documents import toc
from reportkit.errors import CATALOGUE

TITLE = "Årsredovisning 2025"
CHAPTERS = [
    ("Förvaltningsberättelse", ["Översikt", "Viktiga händelser"]),
    ("Måluppfyllelse", ["Verksamhet"]),
    ("Ekonomi", ["Resultat", "Balans"]),
]
HEADINGS = [h for h1, subs in CHAPTERS for h in (h1, *subs)]
ALT = "Stapeldiagram över måluppfyllelse 2025"


def _png(width: int = 40, height: int = 20, rows: list[bytes] | None = None) -> bytes:
    rows = rows or [bytes([30, 90, 160]) * width for _ in range(height)]
    raw = b"".join(b"\x00" + row for row in rows)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


CR_WIDTH = 48


def _png_ending_in_cr(width: int = CR_WIDTH, height: int = 32) -> bytes:
    """A near-plain RGB picture whose samples have an Adler-32 ending in 0x0D.

    LibreOffice writes such a picture as one Flate stream of its samples, and zlib data ends
    in the Adler-32 of what it holds: the stream's last byte is CR. In the demo it was a font
    and a ToUnicode map; which stream it hits is chance (about 1 in 256).
    """
    rows = [bytearray(bytes([30, 90, 160]) * width) for _ in range(height)]
    for value in range(256):
        rows[0][0] = value
        if zlib.adler32(b"".join(rows)) & 0xFF == 0x0D:
            break
    return _png(width, height, [bytes(row) for row in rows])


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


def _new_document():
    """sv-SE in the style defaults (TECH.md §5) and title, author, subject."""
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
    return doc


def build_docx(path: Path, *, alt: str | None = ALT) -> Path:
    """A small årsredovisning: sv-SE, core properties, TOC, headings over pages, table, picture."""
    doc = _new_document()

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
    toc.fill(doc)  # as render does: the entries in the .docx, pages from the PDF step
    doc.save(path)
    return path


LONG_HEADINGS = [f"Avsnitt {i}" for i in range(1, 81)]


def build_long_docx(path: Path) -> Path:
    """A TOC that grows over pages straight into 80 headings, and a picture ending in CR."""
    doc = _new_document()
    doc.add_paragraph().add_run("Innehåll").bold = True
    _toc_field(doc.add_paragraph())
    for i, heading in enumerate(LONG_HEADINGS):
        doc.add_heading(heading, 1 if i % 4 == 0 else 2)
        doc.add_paragraph("Text om avsnittet. " * 40)
    shape = doc.add_picture(io.BytesIO(_png_ending_in_cr()), width=Mm(50))
    shape._inline.docPr.set("descr", "Blått mönster")
    toc.fill(doc)
    doc.save(path)
    return path


def _toc_and_starts(pdf_path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """TOC entries (heading → page number) and the page each heading line first appears on."""
    from pypdf import PdfReader

    toc: dict[str, int] = {}
    starts: dict[str, int] = {}
    for number, pdf_page in enumerate(PdfReader(pdf_path).pages, start=1):
        for line in pdf_page.extract_text().splitlines():
            entry = re.match(r"^(\S.*?)\s*\.{3,}\s*(\d+)\s*$", line)
            if entry:
                toc.setdefault(entry.group(1).strip(), int(entry.group(2)))
            else:
                starts.setdefault(line.strip(), number)
    return toc, starts


def _require_libreoffice() -> None:
    if pdfstep.libreoffice_available():
        return
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail("LibreOffice (soffice) saknas men CI är satt: installera libreoffice och "
                    "python3-uno i CI-bilden.")
    pytest.skip("LibreOffice (soffice) saknas")


@pytest.fixture(scope="module")
def profile_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lo-cache")


@pytest.fixture
def use_profile_cache(profile_cache, monkeypatch) -> Path:
    monkeypatch.setenv("REPORTKIT_LO_PROFILE_CACHE", str(profile_cache))
    return profile_cache


@pytest.fixture(scope="module")
def converted(tmp_path_factory, profile_cache):
    """One convert_to_pdf call (one soffice, new profile) for the module's documents."""
    _require_libreoffice()
    src = tmp_path_factory.mktemp("docx")
    good = build_docx(src / "arsredovisning.docx")
    noalt = build_docx(src / "utan-alt.docx", alt=None)
    long = build_long_docx(src / "lang.docx")
    out = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORTKIT_LO_PROFILE_CACHE", str(profile_cache))
        result = pdfstep.convert_to_pdf([good, noalt, long], out)
    return {"result": result, "good": out / "arsredovisning.pdf", "noalt": out / "utan-alt.pdf",
            "long": out / "lang.pdf", "docx": good, "out": out}


@pytest.mark.libreoffice
def test_convert_writes_one_pdf_per_docx(converted):
    out = converted["out"]
    assert converted["result"].pdfs == [out / "arsredovisning.pdf", out / "utan-alt.pdf",
                                        out / "lang.pdf"]
    assert not [p for p in converted["result"].problems if p.is_error]
    assert not [p for p in out.iterdir() if p.suffix != ".pdf"]


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
        assert str(pdf.docinfo["/Subject"]) == "Kommunens årsredovisning"
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
        tree = _tag_tree(pdf)
    assert {"/Table", "/TH", "/TD", "/Figure", "/H1", "/H2"} <= roles
    # issue 29: the header row's cells have /Scope /Column, each body row's first cell is a
    # row header (/Scope /Row), the rest data cells
    assert tree["rows"] == [["/Column"] * 3] + [["/Row", "", ""]] * 3


def _tag_tree(pdf) -> dict[str, list]:
    """The table rows (each cell's TH scope, "" for a TD) and the empty P, TD and TH
    elements (no content and no children) of ``pdf``'s structure tree."""
    out: dict[str, list] = {"rows": [], "empty": []}

    def kids(el):
        k = el.get("/K")
        items = [] if k is None else (list(k) if isinstance(k, pikepdf.Array) else [k])
        return items

    def scope(cell) -> str:
        attrs = cell.get("/A")
        listed = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
        found = [str(a.get("/Scope")) for a in listed
                 if isinstance(a, pikepdf.Dictionary) and "/Scope" in a]
        return found[0] if found else "TH without /Scope"

    def walk(el) -> None:
        tag = str(el.get("/S", ""))
        if tag in ("/P", "/TD", "/TH") and not kids(el):
            out["empty"].append(tag)
        if tag == "/TR":
            out["rows"].append([scope(c) if str(c.get("/S")) == "/TH" else ""
                                for c in kids(el) if isinstance(c, pikepdf.Dictionary)])
        for kid in kids(el):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return out


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
    toc, starts = _toc_and_starts(converted["good"])
    assert list(toc) == HEADINGS
    assert {heading: starts.get(heading) for heading in HEADINGS} == toc


def _docx_toc(path: Path) -> dict[str, str]:
    return dict(p.text.rsplit("\t", 1) for p in Document(str(path)).paragraphs
                if p.style.name.startswith("toc"))


def test_a_toc_is_filled_in_the_docx_itself_before_any_pdf(tmp_path):
    """The .docx's own TOC lists the headings, each a link to a bookmark on its heading;
    the pages are empty until the PDF step (or Word) lays the document out."""
    path = build_long_docx(tmp_path / "lang.docx")
    entries = _docx_toc(path)
    assert list(entries) == LONG_HEADINGS and set(entries.values()) == {""}
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert 'w:anchor="_Toc00000001"' in xml and 'w:name="_Toc00000080"' in xml
    assert "Uppdatera innehållsförteckningen" not in xml
    again = zipfile.ZipFile(build_long_docx(tmp_path / "igen.docx")).read("word/document.xml")
    assert again.decode() == xml


@pytest.mark.libreoffice
def test_the_docx_toc_gets_the_pdfs_page_numbers(converted):
    pdf_toc, _ = _toc_and_starts(converted["good"])
    assert _docx_toc(converted["docx"]) == {h: str(n) for h, n in pdf_toc.items()}


@pytest.mark.libreoffice
def test_toc_that_grows_over_pages_has_the_final_page_numbers(converted):
    """The TOC fills pages 1–2 and pushes every heading on; one update pass must see that."""
    toc, starts = _toc_and_starts(converted["long"])
    assert list(toc) == LONG_HEADINGS
    assert toc["Avsnitt 1"] >= 2
    assert {heading: starts.get(heading) for heading in LONG_HEADINGS} == toc


@pytest.mark.libreoffice
def test_toc_entries_are_links_and_pages_with_links_declare_tab_order(converted):
    with pikepdf.open(converted["good"]) as pdf:
        links = [a for a in pdf.pages[0].obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert len(links) >= len(HEADINGS)
        annotated = [pg.obj for pg in pdf.pages if "/Annots" in pg.obj]
        assert annotated and all(pg.get("/Tabs") == pikepdf.Name.S for pg in annotated)


@pytest.mark.libreoffice
def test_stream_ending_in_cr_still_matches_its_length(converted):
    """Written as-is, a stream ending in CR reads as CR LF endstream: PDFA2B-STREAM-LENGTH-001."""
    with pikepdf.open(converted["long"]) as pdf:
        samples = [obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
                   and obj.get("/Subtype") == "/Image" and obj.get("/Width") == CR_WIDTH]
    assert samples and zlib.adler32(samples[0]) & 0xFF == 0x0D, (
        "LibreOffice no longer writes the picture as Flate of its samples: find a new trigger")
    assert b"\r\nendstream" not in converted["long"].read_bytes()
    assert pdfstep.validate_pdf(converted["long"]) == []


def test_save_keeps_cr_away_from_endstream():
    """The same without LibreOffice: qpdf's plain save shows the trap, _save avoids it."""
    content = next(c for c in (b"q Q " * n + b" " * m for n in range(1, 9) for m in range(256))
                   if zlib.compress(c).endswith(b"\r"))
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, b"")
    stream.write(zlib.compress(content), filter=pikepdf.Name.FlateDecode)
    pdf.Root.Extra = pdf.make_indirect(stream)
    plain = io.BytesIO()
    pdf.save(plain)
    assert b"\r\nendstream" in plain.getvalue()

    data = pdfstep._save(pdf)
    assert b"\r\nendstream" not in data
    with pikepdf.open(io.BytesIO(data)) as again:
        assert again.Root.Extra.read_bytes() == content


@pytest.mark.libreoffice
def test_two_conversions_are_byte_identical(converted, tmp_path, use_profile_cache):
    """The rerun starts from the kept profile copy, the first one from a new profile."""
    assert list(use_profile_cache.glob("libreoffice-profile-*/reportkit-profile-complete"))
    again = pdfstep.convert_to_pdf([converted["docx"]], tmp_path)
    assert again.pdfs == [tmp_path / "arsredovisning.pdf"]
    assert again.pdfs[0].read_bytes() == converted["good"].read_bytes()


def _processes_using(folder: Path) -> list[int]:
    """Pids whose command line names ``folder`` (soffice's profile lives there)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(folder).encode() in cmdline:
                found.append(int(entry.name))
    return found


@pytest.mark.libreoffice
def test_libreoffice_started_early_is_taken_by_the_next_conversion(converted, tmp_path,
                                                                   use_profile_cache):
    """render --pdf starts LibreOffice before rendering; the PDF is the same bytes."""
    early = pdfstep.start_libreoffice()
    assert early is not None

    result = pdfstep.convert_to_pdf([converted["docx"]], tmp_path, early=early)

    assert result.pdfs == [tmp_path / "arsredovisning.pdf"]
    assert result.pdfs[0].read_bytes() == converted["good"].read_bytes()
    assert "startades i förväg" in result.timeline[0][1]
    assert early.taken and early.proc.returncode == 0
    assert not early.tmp.exists() and not _processes_using(early.tmp)


@pytest.mark.libreoffice
def test_documents_handed_over_early_give_the_same_pdf(converted, tmp_path, use_profile_cache):
    """A multi-document render hands each .docx to LibreOffice as soon as it is written; one
    handed over but then not asked for is converted and dropped."""
    other = build_docx(tmp_path / "annan.docx")
    early = pdfstep.start_libreoffice()
    assert early is not None
    pdfstep.hand_over(early, [converted["docx"], other])
    assert len(early.sent) == 2

    result = pdfstep.convert_to_pdf([converted["docx"]], tmp_path / "ut", early=early)

    assert result.pdfs == [tmp_path / "ut" / "arsredovisning.pdf"]
    assert result.pdfs[0].read_bytes() == converted["good"].read_bytes()
    assert [p.line() for p in result.problems] == []
    assert not (tmp_path / "ut" / "annan.pdf").exists() and not (tmp_path / "annan.pdf").exists()
    assert not early.tmp.exists() and not _processes_using(early.tmp)


@pytest.mark.libreoffice
def test_libreoffice_started_early_but_not_used_is_stopped(use_profile_cache):
    _require_libreoffice()
    early = pdfstep.start_libreoffice()
    assert early is not None

    pdfstep.discard_early(early)  # what happens at exit when no conversion came

    assert early.taken and early.proc.returncode is not None
    assert not early.tmp.exists() and not _processes_using(early.tmp)


@pytest.mark.libreoffice
def test_without_python3_uno_the_pdf_is_made_with_a_toc_varning(converted, tmp_path,
                                                                 monkeypatch,
                                                                 use_profile_cache):
    monkeypatch.setenv("REPORTKIT_UNO_PYTHON", sys.executable)  # the venv has no uno
    result = pdfstep.convert_to_pdf([converted["docx"]], tmp_path)
    assert result.pdfs == [tmp_path / "arsredovisning.pdf"]
    toc = [p for p in result.problems if p.code == "pdf-toc-not-updated"]
    assert len(toc) == 1 and "python3-uno saknas" in toc[0].message
    assert not [p for p in result.problems if p.is_error]


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


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_three_exempelkommun_documents_pass_pdfua1_and_pdfa2b(tmp_path,
                                                                  use_profile_cache):
    """The built-in templates with charts, tables and TOC: no fel and no varning at all."""
    from reportkit.documents.compose import render_report
    from reportkit.documents.reportdata import example_reportdata

    _require_libreoffice()
    docx = []
    for document, period_type in (("verksamhetsplan", "plan"), ("delarsrapport", "delår"),
                                  ("arsredovisning", "helår")):
        rendered = render_report(document, example_reportdata(period_type),
                                 tmp_path / f"{document}.docx",
                                 texts_dir=tmp_path / "texter" / period_type,
                                 chart_cache=tmp_path / "diagram")
        docx.append(rendered.path)

    result = pdfstep.convert_to_pdf(docx)

    assert [p.line() for p in result.problems] == []
    assert result.pdfs == [path.with_suffix(".pdf") for path in docx]
    for made in result.pdfs:
        with pikepdf.open(made) as pdf:
            assert str(pdf.Root.Lang) == "sv-SE"
            assert len(pdf.open_outline().root) > 0
            tree = _tag_tree(pdf)
        # issue 29: no empty P, TD or TH in the tag tree; every body row of a table has its
        # first cell as a row header
        assert tree["empty"] == [], made.name
        body = [r for r in tree["rows"] if r and r[0] != "/Column"]
        assert body and all(r[0] == "/Row" for r in body), made.name


@pytest.mark.libreoffice
def test_a_document_over_the_time_limit_is_abandoned_and_cleaned_up(converted, tmp_path,
                                                                    use_profile_cache):
    result = pdfstep.convert_to_pdf([converted["docx"]], tmp_path, timeout=0.01)
    assert result.pdfs == []
    assert [p.code for p in result.problems] == ["pdf-conversion-failed"]
    assert "LibreOffice svarade inte inom 0,01\N{NO-BREAK SPACE}s" in result.problems[0].message
    assert not list(Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_reportkit-{os.getpid()}-*"))


def consolidated(project: Path, *periods: str) -> None:
    """Each period consolidated (with one unit's styrkort, so there is something to render:
    an empty period is refused with period-empty)."""
    import shutil

    from reportkit import consolidate_period, generate_workbooks

    for period in periods:
        (path,) = generate_workbooks(project, period, units=["solrosens-forskola"])
        inbox = project / "inkommet" / period
        inbox.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, inbox / path.name)
        consolidate_period(project, period)


@pytest.mark.slow
def test_render_pdf_without_libreoffice_writes_the_docx_and_says_so(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from reportkit.cli import main
    from reportkit.styrmodell.project_setup import init_project

    project = tmp_path / "kommun"
    init_project(project)
    consolidated(project, "2026-plan")
    monkeypatch.delenv("REPORTKIT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    result = CliRunner().invoke(main, ["render", "verksamhetsplan", str(project),
                                       "--period", "2026-plan", "--pdf"])

    docx = project / "rapporter" / "2026-plan" / "verksamhetsplan-2026-plan.docx"
    assert result.exit_code == 0, result.output
    assert docx.is_file() and not docx.with_suffix(".pdf").exists()
    assert "LibreOffice saknas, PDF skapades inte; Word-filerna finns (1 st)." in result.output
    assert f"Skrev {docx}" in result.output


@pytest.mark.slow
def test_render_several_documents_in_one_call_gives_their_pdfs_to_one_conversion(
        tmp_path, monkeypatch):
    """Each document for its own period; one PDF step for all (here: one 'missing' varning
    that counts both Word files)."""
    from click.testing import CliRunner

    from reportkit.cli import main
    from reportkit.styrmodell.project_setup import init_project

    project = tmp_path / "kommun"
    init_project(project)
    consolidated(project, "2026-plan", "2026-delår")
    monkeypatch.delenv("REPORTKIT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    result = CliRunner().invoke(main, ["render", "verksamhetsplan", "delarsrapport",
                                       str(project), "--pdf"])

    assert result.exit_code == 0, result.output
    for period, name in (("2026-plan", "verksamhetsplan"), ("2026-delår", "delarsrapport")):
        assert f"Skrev {project / 'rapporter' / period / f'{name}-{period}.docx'}" in (
            result.output)
    assert result.output.count("LibreOffice saknas") == 1
    assert "Word-filerna finns (2 st)." in result.output


def test_pdfcheck_reports_a_missing_file(tmp_path):
    problems = pdfstep.pdfcheck([tmp_path / "saknas.pdf"])
    assert [p.code for p in problems] == ["file-missing"]  # exit code 2 (README)
    assert [p.code for p in pdfstep.pdfcheck([tmp_path])] == ["file-is-directory"]


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


@pytest.mark.parametrize(("rule", "says"), [
    ("PDFUA1-TABLE-ROW-COLUMNSPAN-001", "fler kolumner än raden har"),
    ("PDFUA1-TABLE-HEADERS-SCOPE-001", "rubrikceller"),
    ("PDFUA1-TABLE-KIDS-001", "Upprepa som rubrikrad"),
    ("PDFUA1-HEADING-NESTING-001", "rubriknivåerna i ordning"),
    ("PDFUA1-FONT-EMBEDDING-001", "typsnitt"),
    ("PDFUA1-SOMETHING-NEW-001", "Rätta det regeln gäller"),
])
def test_each_validation_rule_gets_a_hint_that_fits_it(rule, says):
    """A kommun's årsredovisning failed on merged cells with the hint to mark a header row."""
    assert says in pdfstep._action_for(rule)


def test_libreoffice_reads_a_copy_whose_table_rows_may_split(tmp_path) -> None:
    # LibreOffice 7.4 drew only the first rows of a bolag's nyckeltal table in Storstad's
    # årsredovisning when the table broke over a page with rows that may not split (the
    # templates' cantSplit): the rest were tagged but never drawn. The UNO worker hands it a
    # copy without cantSplit; the .docx itself keeps it for Word.
    from reportkit.documents import uno_worker

    src = tmp_path / "dokument.docx"
    body = (b'<w:document><w:tbl><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr></w:tr>'
            b'<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr></w:tr>'
            b'<w:tr><w:trPr><w:cantSplit w:val="false"/></w:trPr></w:tr></w:tbl></w:document>')
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", body)
        z.writestr("word/media/image1.png", b"\x89PNG bytes")
    before = src.read_bytes()
    dst = tmp_path / "ut" / "0.pdf"
    dst.parent.mkdir()
    loaded = Path(uno_worker.splittable(str(src), str(dst)))
    assert loaded != src and loaded.parent.parent == dst.parent and loaded.name == src.name
    with zipfile.ZipFile(loaded) as z:
        assert z.read("word/document.xml") == (
            b'<w:document><w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr></w:tr>'
            b'<w:tr><w:trPr></w:trPr></w:tr>'
            b'<w:tr><w:trPr><w:cantSplit w:val="false"/></w:trPr></w:tr></w:tbl></w:document>')
        assert z.read("word/media/image1.png") == b"\x89PNG bytes"
    assert src.read_bytes() == before  # the user's .docx is never touched

    plain = tmp_path / "utan.docx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("word/document.xml", b"<w:document><w:p/></w:document>")
    assert uno_worker.splittable(str(plain), str(dst)) == str(plain)
