"""Never lose the kansli's edits: render keeps a .docx edited since reportkit wrote it beside
the new one under a dated name, and names a PDF older than its .docx as stale (issue 28)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
from docx import Document

from reportkit.documents import build, kept
from reportkit.storage import store

DAY = dt.date(2027, 1, 15)


def _project(tmp_path: Path) -> tuple[Path, Path, Path]:
    root = tmp_path / "kommun"
    folder = root / "rapporter" / "2026-helår"
    (folder / "kapitel").mkdir(parents=True)
    return root, root / "reportkit.sqlite", folder


def _docx(path: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_an_edited_docx_survives_a_re_render_as_a_kept_file(tmp_path: Path) -> None:
    root, db, folder = _project(tmp_path)
    out = _docx(folder / "arsredovisning-2026-helår.docx", "Utkast")
    chapter = _docx(folder / "kapitel" / "arsredovisning-2026-helår-BUN.docx", "Kapitel")
    kept.record_written(root, db, [out, chapter])

    # nothing edited: nothing kept
    assert kept.keep_edited(root, db, folder, "arsredovisning-2026-helår", DAY) == []

    doc = Document(str(out))
    doc.add_paragraph("Kansliets tillägg")
    doc.save(str(out))
    problems = kept.keep_edited(root, db, folder, "arsredovisning-2026-helår", DAY)
    copy = folder / "arsredovisning-2026-helår (redigerad 2027-01-15).docx"
    assert _texts(copy) == ["Utkast", "Kansliets tillägg"]
    assert [p.code for p in problems] == ["document-edited-kept"]
    assert problems[0].severity == "varning"
    assert "rapporter/2026-helår/arsredovisning-2026-helår (redigerad 2027-01-15).docx" in (
        problems[0].message)
    # the same edit is kept once; the unedited chapter is not kept at all
    assert kept.keep_edited(root, db, folder, "arsredovisning-2026-helår", DAY) == []
    assert sorted(p.name for p in folder.rglob("*.docx")) == [
        "arsredovisning-2026-helår (redigerad 2027-01-15).docx",
        "arsredovisning-2026-helår-BUN.docx", "arsredovisning-2026-helår.docx"]

    # a second, different edit the same day gets its own name
    doc.add_paragraph("Mer")
    doc.save(str(out))
    kept.keep_edited(root, db, folder, "arsredovisning-2026-helår", DAY)
    assert _texts(folder / "arsredovisning-2026-helår (redigerad 2027-01-15, 2).docx")[-1] == "Mer"


def test_reportkits_own_rewrite_after_the_pdf_is_not_an_edit(tmp_path: Path) -> None:
    # render records the hash after the table of contents' page numbers are written
    root, db, folder = _project(tmp_path)
    out = _docx(folder / "delarsrapport-2026-helår.docx", "Före sidnummer")
    pdf = out.with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.7\n")
    _docx(out, "Med sidnummer")  # documents/pdf.py rewrites the .docx after the PDF
    outcome = build.RenderOutcome(paths=[out, pdf])
    build._after_render(_open(root), outcome)
    assert outcome.problems == []  # the PDF made in this run is not stale
    assert kept.keep_edited(root, db, folder, "delarsrapport-2026-helår", DAY) == []


def test_a_pdf_older_than_its_docx_is_named_as_stale(tmp_path: Path) -> None:
    root, _db, folder = _project(tmp_path)
    pdf = folder / "arsredovisning-2026-helår.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    os.utime(pdf, (1_700_000_000, 1_700_000_000))
    out = _docx(folder / "arsredovisning-2026-helår.docx", "Nytt")
    outcome = build.RenderOutcome(paths=[out])
    build._after_render(_open(root), outcome)
    assert [p.code for p in outcome.problems] == ["document-pdf-stale"]
    assert "rapporter/2026-helår/arsredovisning-2026-helår.pdf" in outcome.problems[0].message
    assert outcome.groups == [("PDF", outcome.problems)]
    assert pdf.exists()  # named, never removed


def test_a_store_made_before_the_written_table_migrates(tmp_path: Path) -> None:
    path = tmp_path / "reportkit.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, "
                "applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    names = [name for name, _ in store.MIGRATIONS]
    for name, sql in store.MIGRATIONS[:names.index("0112_document_written")]:
        for statement in sql.split(";"):
            if statement.strip():
                old.execute(statement)
        old.execute("INSERT INTO migrations(name) VALUES (?)", (name,))
    old.commit()
    old.close()
    conn = store.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM document_written").fetchone()[0] == 0
    finally:
        conn.close()


def _open(root: Path):
    from types import SimpleNamespace

    return SimpleNamespace(root=root, store_path=root / "reportkit.sqlite")


@pytest.mark.slow
def test_render_keeps_an_edited_document_and_warns_about_what_the_template_lacks(
        tmp_path: Path) -> None:
    """The whole route on a consolidated project with the kommun's own templates."""
    from reportkit import copy_templates, render_documents
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = init_project(tmp_path / "kommun", kommun="fyrkanta")
    copy_templates(root)
    project = Project.open(root)
    period = next(p for p in project.styrmodell(2026).config.periods if p.type == "helår")
    fill_workbooks(generate_workbooks(project, period.id), project.inbox(period.id),
                   mistakes=False)
    consolidate(project, period.id)
    first = render_documents(project, ["arsredovisning"], period.id)
    assert not any(p.code in ("document-edited-kept", "template-lacks-variables")
                   for p in first.problems)
    out = first.paths[0]
    doc = Document(str(out))
    doc.add_paragraph("Kansliets tillägg")
    doc.save(str(out))
    again = render_documents(project, ["arsredovisning"], period.id)
    [kept_one] = [p for p in again.problems if p.code == "document-edited-kept"]
    copy = out.with_name(f"{out.stem} (redigerad 2027-01-15).docx")
    assert "Kansliets tillägg" in _texts(copy)
    assert "Kansliets tillägg" not in _texts(out)
    third = render_documents(project, ["arsredovisning"], period.id)
    assert not any(p.code == "document-edited-kept" for p in third.problems), kept_one
