"""Plain helpers the tests import by name (``from testkit import write_cells``).

They live here, not in a conftest.py: several test folders have a conftest.py, and
``from conftest import …`` would find whichever was imported first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any


def write_cells(source: Path, cells: dict[str, Any], dest: Path,
                edit: Callable[[Any], None] | None = None) -> Path:
    """Copy ``source`` to ``dest`` with ``{"Blad!A1": value}`` set; ``edit(wb)`` may do more."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    for ref, value in cells.items():
        sheet, addr = ref.split("!", 1)
        wb[sheet][addr] = value
    if edit is not None:
        edit(wb)
    wb.save(dest)
    return dest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def soffice_path() -> str | None:
    return os.environ.get("REPORTKIT_SOFFICE") or shutil.which("soffice") \
        or shutil.which("libreoffice")


def docx_text(path: Path) -> str:
    """All text of a .docx: its paragraphs, then every table cell."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def ooxml_errors(paths: list[Path]) -> list[str]:
    """openxml-audit's findings on each .docx that a bare python-docx document does not also
    have (TECH.md §8: every python-docx file carries two ``stylesWithEffects`` findings, which
    Word has opened for years), as ``file: path: description`` lines; empty when all are valid.
    Every ``schema`` error counts (an element twice or out of order, a bad value)."""
    import tempfile

    from docx import Document
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator(max_errors=0)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.docx"
        Document().save(str(bare))
        baseline = {(e.error_type.value, _shape(e.description))
                    for e in validator.validate(str(bare)).errors}
    out = []
    for path in paths:
        for e in validator.validate(str(path)).errors:
            kind = e.error_type.value
            if kind != "schema" and (kind, _shape(e.description)) in baseline:
                continue
            out.append(f"{path.name}: {e.path}: {e.description}")
    return out


def _shape(description: str) -> str:
    """A finding without its particulars: "styles.xml contains N style(s) not in …"."""
    import re

    return re.sub(r"\d+", "N", description.split(":")[0])
