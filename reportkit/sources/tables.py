"""Reading one export as a table: Swedish CSV or xlsx, and Swedish numbers in its cells.

Swedish ekonomi- and HR-systems export CSV with ``;`` between fields (the comma is the decimal
sign), a decimal comma, and a space or non-breaking space between thousands: ``-1 234,5``.
Excel on Swedish Windows saves "CSV (semikolonavgränsad)" in cp1252; "CSV UTF-8" starts with a
byte-order mark. Both are accepted: a BOM means UTF-8, otherwise UTF-8 is tried first (it
rejects almost all cp1252 text with å, ä, ö) and cp1252 is the fallback.

xlsx exports are read with python-calamine after :func:`reportkit.workbook.safety.preflight`;
only the first sheet is read and its first row is the header.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reportkit.errors import Problem, problem
from reportkit.sources.records import SourceRef, Value
from reportkit.workbook.parse import parse_number as read_number

Cell = str | float | None

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


@dataclass(frozen=True)
class Table:
    """One export read into memory.

    ``rows`` holds ``(row number, cells)``; the row number is 1-based and counts the header
    row, as a spreadsheet shows it, so the header is row 1 and the first data row is row 2.
    Blank rows are left out but keep their numbers. Cells are stripped strings (CSV) or
    calamine's values (xlsx: ``float`` for numbers, ``str`` for text); empty cells are ``None``.
    """

    file: str
    sha256: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]

    def column(self, name: str) -> int | None:
        """Index of the column called ``name``; case, spacing and dash style do not matter."""
        wanted = normalize_label(name)
        for i, head in enumerate(self.header):
            if normalize_label(head) == wanted:
                return i
        return None


def normalize_label(text: str) -> str:
    """Compare labels the way a person reads them: ``30-49 år`` equals ``30–49  År``."""
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    return _SPACES.sub(" ", text).strip().casefold()


def read_table(path: Path, display: str) -> tuple[Table | None, list[Problem]]:
    """Read ``path`` (``.csv`` or ``.xlsx``); problems are located at ``display``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [problem("file-unreadable", file=display, reason=exc.strerror or str(exc))]
    sha = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".xlsx":
        grid, problems = _xlsx_grid(path, display)
    else:
        grid, problems = _csv_grid(data, display)
    if grid is None:
        return None, problems
    numbered = [(i + 1, row) for i, row in enumerate(grid)]
    numbered = [(n, row) for n, row in numbered if any(c is not None for c in row)]
    if not numbered or len(numbered) < 2:
        return None, [problem("export-empty", file=display)]
    header_row = numbered[0][1]
    header = tuple("" if c is None else _text(c) for c in header_row)
    width = len(header)
    rows = tuple((n, tuple(row[:width]) + (None,) * (width - len(row)))
                 for n, row in numbered[1:])
    return Table(display, sha, header, rows), []


def _csv_grid(data: bytes, display: str) -> tuple[list[list[Cell]] | None, list[Problem]]:
    encodings = ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "cp1252")
    text = None
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        return None, [problem("file-unreadable", file=display,
                              reason="teckenkodningen är varken UTF-8 eller Windows-1252")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    grid: list[list[Cell]] = []
    for raw in reader:
        grid.append([cell.strip() or None for cell in raw])
    return grid, []


def _xlsx_grid(path: Path, display: str) -> tuple[list[list[Cell]] | None, list[Problem]]:
    from python_calamine import CalamineWorkbook

    from reportkit.workbook.safety import preflight

    refused = preflight(path)
    if refused:
        return None, [problem(p.code, file=display, sheet=p.location.sheet, **p.values)
                      for p in refused]
    try:
        with open(path, "rb") as fh:
            book = CalamineWorkbook.from_filelike(fh)
            rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own types; a bad file must not stop others
        return None, [problem("file-corrupt", file=display, reason=f"{type(exc).__name__}: {exc}")]
    grid: list[list[Cell]] = []
    for row in rows:
        grid.append([_xlsx_cell(c) for c in row])
    return grid, []


def _xlsx_cell(value: object) -> Cell:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return str(value)
    text = str(value).strip()
    return text or None


def _text(cell: Cell) -> str:
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell)
    return "" if cell is None else cell


def cell_text(cell: Cell) -> str | None:
    """A cell as text: a code read from xlsx as ``31.0`` becomes ``"31"``; empty is ``None``."""
    return None if cell is None else _text(cell)


def parse_number(cell: Cell) -> float | None:
    """A Swedish number: ``-1 234,5``, ``1 234`` (any space kind), ``−12`` (minus sign), ``45,2 %``.

    Read by :func:`reportkit.workbook.parse.parse_number`, the reader styrkort workbooks and
    the history file use, with its rules (thousands groups of three, ``1.234,5`` read,
    ``1.234`` and ``1,234.5`` ambiguous); a ``%`` after the number is dropped. Empty and a lone
    dash (``–``) are ``None``. Raises ``ValueError`` for anything else.
    """
    if cell is None:
        return None
    value, _, issue = read_number(cell)
    if issue is not None:
        raise ValueError(cell)
    return value


class Rows:
    """Reads typed values out of a table's rows, collecting Problems as it goes.

    ``columns`` maps a field name to the header the mapping expects; ``key`` is the mapping's
    key path (``drift.kolumner``) that a missing-column problem points the user to.
    """

    def __init__(self, table: Table, problems: list[Problem], key: str):
        self.table = table
        self.problems = problems
        self.key = key
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self.seen: dict[object, int] = {}

    def require(self, columns: BaseModel, optional: tuple[str, ...] = ()) -> bool:
        """Find the columns a mapping section names (field → header); report each missing
        required one with the YAML key to change. False if any is missing."""
        ok = True
        fields = type(columns).model_fields
        for field_name in fields:
            header = getattr(columns, field_name)
            i = self.table.column(header)
            if i is None:
                if field_name not in optional:
                    ok = False
                    self.problems.append(problem(
                        "export-column-missing", file=self.table.file, row=1, column=header,
                        found=", ".join(h for h in self.table.header if h) or "(inga)",
                        setting=f"{self.key}.{fields[field_name].alias or field_name}"))
                continue
            self.index[field_name] = i
            self.names[field_name] = self.table.header[i]
        return ok

    def has(self, field_name: str) -> bool:
        return field_name in self.index

    def raw(self, cells: tuple[Cell, ...], field_name: str) -> Cell:
        i = self.index.get(field_name)
        return None if i is None else cells[i]

    def text(self, cells: tuple[Cell, ...], field_name: str) -> str | None:
        return cell_text(self.raw(cells, field_name))

    def ref(self, row: int, field_name: str) -> SourceRef:
        return SourceRef(self.table.file, self.table.sha256, row,
                         self.names.get(field_name, field_name))

    def number(self, row: int, cells: tuple[Cell, ...], field_name: str) -> Value | None:
        """The cell as a :class:`Value`, or ``None`` after reporting ``export-not-number``."""
        cell = self.raw(cells, field_name)
        try:
            number = parse_number(cell)
        except ValueError:
            self.problems.append(problem("export-not-number", file=self.table.file, row=row,
                                         column=self.names[field_name], value=cell))
            return None
        return Value(number, self.ref(row, field_name))

    def first(self, key: object, row: int, field_name: str, what: str) -> bool:
        """True the first time ``key`` (a project, an ansvar and group …) occurs in the table;
        a later row with it is an ``export-duplicate-row`` naming the first row."""
        if key in self.seen:
            self.fail("export-duplicate-row", row, field_name, what=what, first=self.seen[key])
            return False
        self.seen[key] = row
        return True

    def fail(self, code: str, row: int, field_name: str | None, /, **values: Any) -> None:
        column = self.names.get(field_name, field_name) if field_name else None
        self.problems.append(problem(code, file=self.table.file, row=row, column=column,
                                     **values))
