"""A broken template's fel in plain Swedish: which folder's template, the broken tag as the
kansli sees it in Word, no Jinja message and no XML (issue 28)."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from reportkit.documents.render import check_template


def test_a_tag_closed_with_one_brace_is_named_with_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mallar" / "docx"
    folder.mkdir(parents=True)
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("{{ kommun_namn }").font.size = Pt(31.75)
    doc.add_paragraph("Inledning")
    doc.save(str(folder / "arsredovisning.docx"))
    [found] = check_template(folder / "arsredovisning.docx", {"kommun_namn"})
    assert found.code == "template-syntax"
    text = found.message
    assert 'taggen "{{ kommun_namn }"' in text
    assert str(folder) in text or "mallar/docx/" in text
    assert "unexpected" not in text.lower() and "jinja" not in text.lower()
    assert not re.search(r"<w:|center|635", text), text


def test_an_unknown_variable_names_the_folder_too(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Ordförande: {{ ordforande }}")
    doc.save(str(tmp_path / "egen.docx"))
    [found] = check_template(tmp_path / "egen.docx", {"kommun_namn"})
    assert found.code == "template-unknown-variable"
    assert f"(i {tmp_path}/)" in found.message
