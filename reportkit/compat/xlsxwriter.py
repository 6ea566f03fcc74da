"""The door to xlsxwriter's internals, for the sammanställning's large sheets.

Fast path (xlsxwriter in :data:`reportkit.compat.TESTED`):

- :func:`worksheet_class`: xlsxwriter's ``Worksheet`` with a faster writer of its cell rows
  (the same XML, built as one string instead of a call per tag: the kommun's file has
  300,000 cells on Storstad). It overrides ``_write_rows``, fills ``table`` with xlsxwriter's
  cell tuples, asks ``_get_shared_string_index`` and ``_get_xf_index`` and updates the
  sheet's extent (``dim_*``); what it does not know (row heights or formats, comments,
  constant_memory, Excel 2010 attributes, a cell type other than text, number, date or
  blank) goes to xlsxwriter's own code;
- :func:`store_parts_only`: in a worker that ends with its pool, xlsxwriter stores its parts
  instead of deflating them (``xlsxwriter.workbook.ZIP_DEFLATED``, read when it packs):
  ``normalize_zip`` deflates them anyway, with the same bytes.

- :func:`release`: after ``close``, a workbook lets go of its sheets' cell tables and its
  shared strings (the kommun's file holds 300,000 cells; a worker that writes file after
  file with the collector off would otherwise keep each one's until it ends).
- :func:`formula_sheet_class`: for the styrkort, whose Kontroll sheet holds hundreds of
  formulas: ``Worksheet._prepare_formula`` runs some 30 regular expressions over each formula
  to prefix Excel's newer functions (``_xlfn.``); a formula that names only functions no
  xlsxwriter prefixes (:data:`PLAIN_FUNCTIONS`) is returned as that method returns it,
  without them.

Public path (another xlsxwriter, or ``REPORTKIT_COMPAT=stock``): the stock ``Worksheet``,
every cell through ``write_string``/``write_number``, parts deflated by xlsxwriter. The files
have the same bytes after ``normalize_zip`` (``tests/test_compat.py``,
``tests/consolidate/test_outputs.py``).
"""

from __future__ import annotations

import functools
import re
from math import isfinite
from typing import Any

from reportkit.compat import fast_path

__all__ = ["fast", "worksheet_class", "formula_sheet_class", "put_row", "plain_row",
           "store_parts_only", "release", "PLAIN_FUNCTIONS"]

PLAIN_FUNCTIONS = frozenset({
    "IF", "AND", "OR", "NOT", "ISNUMBER", "ABS", "TRIM", "LEFT", "MID", "LEN", "LOWER",
    "SUBSTITUTE", "INDEX", "MATCH", "IFERROR", "MIN", "MAX", "TRUE", "FALSE"})
"""Functions of Excel 2007 and before, which xlsxwriter never prefixes with ``_xlfn.``."""

_NAME = re.compile(r"\b[A-Z][A-Z0-9._]*\(")


def fast() -> bool:
    """Whether xlsxwriter's internals are used (the installed xlsxwriter tested)."""
    return fast_path("xlsxwriter")


def worksheet_class() -> type | None:
    """The worksheet class for ``Workbook.worksheet_class`` (None: xlsxwriter's own)."""
    return _sheet_class() if fast() else None


def store_parts_only() -> None:
    """In a worker process that ends with its pool: xlsxwriter stores its parts instead of
    deflating them (``normalize_zip`` deflates them after, with the same bytes)."""
    import zipfile

    import xlsxwriter.workbook

    if fast() and getattr(xlsxwriter.workbook, "ZIP_DEFLATED", None) == zipfile.ZIP_DEFLATED:
        xlsxwriter.workbook.ZIP_DEFLATED = zipfile.ZIP_STORED


def release(wb: Any) -> None:
    """Let a closed workbook's cell tables and shared strings go (on the fast path; the stock
    path leaves them to the collector)."""
    if not fast():
        return
    for ws in wb.worksheets():
        ws.table.clear()
    strings = wb.str_table
    if isinstance(getattr(strings, "string_table", None), dict):
        strings.string_table = {}
        strings.string_array = []


def put_row(ws: Any, row: int, cells: list[tuple[Any, Any]]) -> None:
    """Write one row's cells, ``(value, format)`` from column A, in turn: text with
    ``write_string``, a number with ``write_number``, None left empty (on the fast path
    without xlsxwriter's checks per cell, the same cells)."""
    put = getattr(ws, "put_row", None)
    if put is not None:
        put(row, cells)
    else:
        plain_row(ws, row, cells)


def plain_row(ws: Any, row: int, cells: list[tuple[Any, Any]]) -> None:
    """:func:`put_row` through xlsxwriter's public API."""
    for col, (value, fmt) in enumerate(cells):
        if value is None:
            continue
        if isinstance(value, str):
            ws.write_string(row, col, value, fmt)
        else:
            ws.write_number(row, col, value, fmt)


def formula_sheet_class() -> type | None:
    """The worksheet class for the styrkort (None: xlsxwriter's own)."""
    return _formula_class() if fast() else None


def plain_formula(formula: str) -> str | None:
    """``formula`` as ``Worksheet._prepare_formula`` returns it (without future functions
    expanded) when every function it names is in :data:`PLAIN_FUNCTIONS`, else None (then
    xlsxwriter's own code decides). Names are looked for everywhere, text constants too, as
    xlsxwriter's expressions do; ``INGLE(`` is left to it (its pattern for SINGLE matches
    any character before it)."""
    if "INGLE(" in formula or any(m.group()[:-1] not in PLAIN_FUNCTIONS
                                  for m in _NAME.finditer(formula)):
        return None
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    return formula


@functools.cache  # made once, never changed after it is made (a class is not state)
def _formula_class() -> type:
    from xlsxwriter.worksheet import Worksheet

    class FormulaSheet(Worksheet):
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False
                             ) -> str:
            if not (self.use_future_functions or expand_future_functions):
                plain = plain_formula(formula)
                if plain is not None:
                    return plain
            return super()._prepare_formula(formula, expand_future_functions)

    return FormulaSheet


@functools.cache  # made once, never changed after it is made (a class is not state)
def _sheet_class() -> type | None:
    from xlsxwriter.worksheet import Worksheet

    try:
        from xlsxwriter.worksheet import CellNumberTuple as Number
        from xlsxwriter.worksheet import CellStringTuple as String
    except ImportError:  # another xlsxwriter: its own code throughout
        return None

    class Sheet(Worksheet):
        # the sheet's extent, set by Worksheet.__init__ (xlsxwriter has no type information)
        dim_rowmin: int | None
        dim_rowmax: int | None
        dim_colmin: int | None
        dim_colmax: int | None

        def put_row(self, row: int, cells: list[tuple[Any, Any]]) -> None:
            """:func:`put_row` without xlsxwriter's checks per cell (:func:`_fast_row`)."""
            if self.constant_memory or row >= self.xls_rowmax \
                    or len(cells) > self.xls_colmax:
                plain_row(self, row, cells)
                return
            _fast_row(self, row, cells, String, Number)

        def _write_rows(self) -> None:
            if (self.row_info or self.comments or self.constant_memory
                    or self.excel_version == 2010
                    or self.default_row_height != self.original_row_height):
                super()._write_rows()
                return
            _fast_rows_xml(self)

    return Sheet
def _fast_row(ws: Any, row: int, cells: list[tuple[Any, Any]], string: Any, number: Any
              ) -> None:
    """Text up to half Excel's limit and finite numbers stored as ``write_string`` and
    ``write_number`` store them (``string`` and ``number``: xlsxwriter's cell tuples; the
    shared strings in the same order), the sheet's extent updated once; anything else goes
    through those methods."""
    shared = ws.str_table._get_shared_string_index
    half = ws.xls_strmax // 2
    line = ws.table[row]
    first: int | None = None
    last = 0
    for col, (value, fmt) in enumerate(cells):
        if value is None:
            continue
        kind = value.__class__
        if kind is str and len(value) <= half:
            line[col] = string(shared(value), fmt)
        elif (kind is float or kind is int) and isfinite(value):
            line[col] = number(value, fmt)
        else:
            plain_row(ws, row, [(None, None)] * col + [(value, fmt)])
            continue
        if first is None:
            first = col
        last = col
    if first is not None:
        if ws.dim_rowmin is None or row < ws.dim_rowmin:
            ws.dim_rowmin = row
        if ws.dim_rowmax is None or row > ws.dim_rowmax:
            ws.dim_rowmax = row
        if ws.dim_colmin is None or first < ws.dim_colmin:
            ws.dim_colmin = first
        if ws.dim_colmax is None or last > ws.dim_colmax:
            ws.dim_colmax = last


def _row_spans(table: dict[int, dict[int, Any]]) -> dict[int, str]:
    """The spans attribute: the first and last column of each block of 16 rows (what
    xlsxwriter's _calculate_spans finds walking every column of every row)."""
    ends: dict[int, tuple[int, int]] = {}
    for row, cells in table.items():
        if cells:
            lo, hi = min(cells), max(cells)
            seen = ends.get(row // 16)
            ends[row // 16] = (lo, hi) if seen is None else (
                min(seen[0], lo), max(seen[1], hi))
    return {block: f"{lo + 1}:{hi + 1}" for block, (lo, hi) in ends.items()}


def _fast_rows_xml(ws: Any) -> None:
    """The sheet's ``<row>`` elements as xlsxwriter writes them."""

    table, col_info = ws.table, ws.col_info
    spans = ws.row_spans = _row_spans(table)
    out: list[str] = []
    # only called for a sheet with cells (Worksheet._write_sheet_data)
    assert ws.dim_rowmin is not None and ws.dim_rowmax is not None
    for row in range(ws.dim_rowmin, ws.dim_rowmax + 1):
        cells = table[row]
        if not cells:
            continue
        r = str(row + 1)
        span = spans.get(row // 16)
        out.append(f'<row r="{r}" spans="{span}">' if span else f'<row r="{r}">')
        for col in sorted(cells):
            cell = cells[col]
            name = _column_name(col)
            fmt = cell.format
            if fmt:
                attr = f' r="{name}{r}" s="{fmt._get_xf_index()}"'
            elif col in col_info and col_info[col].column_format is not None:
                attr = f' r="{name}{r}" s="{col_info[col].column_format._get_xf_index()}"'
            else:
                attr = f' r="{name}{r}"'
            kind = cell.__class__.__name__
            if kind == "String":
                out.append(f'<c{attr} t="s"><v>{cell.string}</v></c>')
            elif kind in ("Number", "Datetime"):
                out.append(f"<c{attr}><v>{cell.number:.16G}</v></c>")
            elif kind == "Blank":
                out.append(f"<c{attr}/>")
            else:
                ws.fh.write("".join(out))
                out.clear()
                ws._write_cell(row, col, cell)
        out.append("</row>")
        if len(out) > 20000:  # a few thousand rows at a time
            ws.fh.write("".join(out))
            out.clear()
    ws.fh.write("".join(out))


@functools.lru_cache(maxsize=16_384)  # a pure function of the column number
def _column_name(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(col)
