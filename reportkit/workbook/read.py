"""Read a workbook's values with python-calamine: fast, values only, true A1 positions.

``to_python(skip_empty_area=False)`` keeps leading empty rows and columns, so ``rows[r][c]``
is the cell at row r+1, column c+1 (TECH.md §1). Formulas, error values and protection are
invisible here; ``xmlinfo.py`` reads those from the XML where the check needs them.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from reportkit.workbook import layout


@dataclass
class RawBook:
    sheets: dict[str, list[list[Any]]]
    states: dict[str, str]

    def value(self, sheet: str, row: int, col: int) -> Any:
        """The value at 1-based ``row`` and 0-based ``col``; ``None`` when outside the data."""
        rows = self.sheets.get(sheet)
        if rows is None or row - 1 >= len(rows):
            return None
        line = rows[row - 1]
        if col >= len(line):
            return None
        value = line[col]
        return None if value == "" else value

    def meta(self) -> dict[str, Any] | None:
        """The ``_meta`` sheet as a dict, JSON values decoded; ``None`` if absent or broken."""
        rows = self.sheets.get(layout.META_SHEET)
        if not rows:
            return None
        meta: dict[str, Any] = {}
        for line in rows:
            if len(line) >= 2 and isinstance(line[0], str) and line[0]:
                meta[line[0]] = line[1]
        try:
            for key in ("scale", "rows", "locked", "model"):
                meta[key] = json.loads(meta[key])
        except (KeyError, TypeError, ValueError):
            return None
        return meta


def read_values(data: bytes) -> RawBook:
    """Every sheet's values; raises python_calamine.CalamineError on an unreadable file."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    states = {}
    for meta in wb.sheets_metadata:
        visible = str(meta.visible).rsplit(".", 1)[-1].lower()
        states[meta.name] = {"visible": "visible", "hidden": "hidden",
                             "veryhidden": "veryHidden"}.get(visible, visible)
    sheets = {}
    for name in wb.sheet_names:
        sheets[name] = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return RawBook(sheets, states)
