"""Row headers in the PDF's tag tree (issue 29): the first cell of a data table's body rows."""

from __future__ import annotations

import pikepdf

from reportkit.documents.pdftags import mark_row_headers


def _cell(pdf: pikepdf.Pdf, tag: str, attrs=None) -> pikepdf.Dictionary:
    cell = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name(tag), K=0))
    if attrs is not None:
        cell.A = attrs
    return cell


def _table(pdf: pikepdf.Pdf, rows: list[list[str]], body_wrapper: bool = False):
    trs = [pdf.make_indirect(pikepdf.Dictionary(
        S=pikepdf.Name.TR, K=pikepdf.Array([_cell(pdf, tag) for tag in row]))) for row in rows]
    if body_wrapper:
        head = pikepdf.Dictionary(S=pikepdf.Name.THead, K=pikepdf.Array(trs[:1]))
        body = pikepdf.Dictionary(S=pikepdf.Name.TBody, K=pikepdf.Array(trs[1:]))
        trs = [pdf.make_indirect(head), pdf.make_indirect(body)]
    return pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Table, K=pikepdf.Array(trs)))


def _tags(table) -> list[list[tuple[str, str]]]:
    def scope(cell) -> str:
        attrs = cell.get("/A")
        listed = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
        return next((str(a.Scope) for a in listed if isinstance(a, pikepdf.Dictionary)
                     and "/Scope" in a), "")

    rows = []
    for kid in table.K:
        for tr in (kid.K if str(kid.S) in ("/THead", "/TBody") else [kid]):
            rows.append([(str(c.S), scope(c)) for c in tr.K])
    return rows


def test_body_rows_first_cell_becomes_a_row_header_layout_tables_stay() -> None:
    pdf = pikepdf.new()
    data = _table(pdf, [["/TH", "/TH"], ["/TD", "/TD"], ["/TD", "/TD"]])
    wrapped = _table(pdf, [["/TH", "/TH"], ["/TD", "/TD"]], body_wrapper=True)
    layout = _table(pdf, [["/TD", "/TD"], ["/TD", "/TD"]])
    # a Layout attribute already there is kept beside the Table attribute
    data.K[1].K[0].A = pikepdf.Dictionary(O=pikepdf.Name.Layout, Width=10)
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([data, wrapped, layout])))

    assert mark_row_headers(pdf) == 3
    assert _tags(data) == [[("/TH", ""), ("/TH", "")], [("/TH", "/Row"), ("/TD", "")],
                           [("/TH", "/Row"), ("/TD", "")]]
    assert str(data.K[1].K[0].A[0].O) == "/Layout"
    assert _tags(wrapped)[1] == [("/TH", "/Row"), ("/TD", "")]
    assert _tags(layout) == [[("/TD", "")] * 2] * 2
    assert mark_row_headers(pdf) == 0  # once is enough: a second pass changes nothing


def test_a_pdf_without_a_tag_tree_is_left_alone() -> None:
    assert mark_row_headers(pikepdf.new()) == 0
