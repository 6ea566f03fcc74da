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
