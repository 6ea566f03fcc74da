"""Row headers in the PDF's tag tree (issue 29): a table's first column names its rows.

LibreOffice's PDF export tags a Word table's repeated header rows as ``TH`` with
``/Scope /Column`` and every other cell as ``TD``; Writer has no notion of a row header, so a
statement's post names ("Verksamhetens intäkter", "Summa") reach a screen reader as plain
data cells. :func:`mark_row_headers` turns the first cell of every body row of a data table
(one whose first row is column headers) into a ``TH`` with ``/Scope /Row``, as PDF/UA
(ISO 14289-1, 7.5) and WCAG 1.3.1 want, keeping its content and layout attributes. A table
without a header row (a layout table) is left as it is.
"""

from __future__ import annotations

from typing import Any

__all__ = ("mark_row_headers",)


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _rows(table: Any) -> list[Any]:
    """The table's ``TR`` elements in order, through ``THead``/``TBody``/``TFoot``."""
    rows = []
    for kid in _kids(table):
        tag = str(kid.get("/S"))
        if tag == "/TR":
            rows.append(kid)
        elif tag in ("/THead", "/TBody", "/TFoot"):
            rows += [r for r in _kids(kid) if str(r.get("/S")) == "/TR"]
    return rows


def _row_scope(cell: Any) -> None:
    """``cell`` becomes a ``TH`` whose Table attributes say ``/Scope /Row``."""
    import pikepdf

    cell.S = pikepdf.Name.TH
    scope = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Row)
    attrs = cell.get("/A")
    if attrs is None:
        cell.A = scope
        return
    listed = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
    for a in listed:
        if isinstance(a, pikepdf.Dictionary) and a.get("/O") == pikepdf.Name.Table:
            a.Scope = pikepdf.Name.Row
            return
    cell.A = pikepdf.Array([*listed, scope])


def mark_row_headers(pdf: Any) -> int:
    """Make the first cell of each body row of every data table in ``pdf`` (a pikepdf.Pdf) a
    row header; the number of cells changed."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    changed = 0
    stack = [root]
    while stack:
        element = stack.pop()
        if str(element.get("/S", "")) != "/Table":
            stack += _kids(element)
            continue
        rows = _rows(element)
        heads = [c for c in (_kids(rows[0]) if rows else []) if str(c.get("/S")) == "/TH"]
        if not heads:
            continue  # a layout table, or one without column headers
        for row in rows[1:]:
            cells = _kids(row)
            if cells and str(cells[0].get("/S")) == "/TD":
                _row_scope(cells[0])
                changed += 1
        stack += [c for row in rows for c in _kids(row)]  # a table inside a cell
    return changed
