"""What an enhetschef sees in a generated workbook: text that is not cut off, headers and notes
that fit the period, and instructions that say how the förslag is made.

Widths and heights are checked against what LibreOffice was seen to fit (a PDF of the
workbooks under a Swedish locale): about 1.36 characters of the 10 pt body text per unit of
column width, 1.5 of the bold italic status text, 12.75 points per line.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from reportkit.workbook import layout
from reportkit.workbook.content import build_content
from reportkit.workbook.generate import generate_workbook

BODY_CHARS_PER_WIDTH = 1.36
STATUS_CHARS_PER_WIDTH = 1.5
POINTS_PER_LINE = 12.75


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], openpyxl.Workbook]:
    from reportkit.styrmodell.project import Project

    project = Project.open(Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun")
    out = tmp_path_factory.mktemp("look")
    loaded = {}
    for period_id in ("2026-plan", "2026-delår", "2026-helår"):
        model, period = project.period(period_id)
        for unit in ("solrosens-forskola", "forskola", "BUN", "EXBO", "kommun"):
            path = generate_workbook(build_content(model, unit, period), out / f"{unit}.xlsx")
            loaded[(unit, period.type)] = openpyxl.load_workbook(path)
    return loaded


def _lines_needed(text: str, width: float, chars_per_width: float) -> int:
    per_line = width * chars_per_width
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _table_rows(ws) -> range:
    return range(layout.FIRST_ROW, ws.max_row + 1)


@pytest.mark.parametrize("sheet", [layout.GOALS_SHEET, layout.INDICATORS_SHEET])
@pytest.mark.parametrize("period_type", ["plan", "delår"])
def test_locked_text_in_table_rows_is_not_cut_off(books, sheet: str, period_type: str) -> None:
    cut = []
    for (unit, pt), wb in books.items():
        if pt != period_type:
            continue
        ws = wb[sheet]
        for r in _table_rows(ws):
            height = ws.row_dimensions[r].height
            for c in range(1, ws.max_column + 1):
                cell = ws.cell(r, c)
                if not isinstance(cell.value, str) or cell.value.startswith("="):
                    continue
                width = ws.column_dimensions[layout.col_letter(c - 1)].width
                need = _lines_needed(cell.value, width, BODY_CHARS_PER_WIDTH) * POINTS_PER_LINE
                if height is None or height < need:
                    cut.append(f"{unit} {sheet}!{cell.coordinate} {cell.value[:30]!r}")
    assert cut == []


@pytest.mark.parametrize("period_type, labels", [
    ("delår", ["Bedöms uppfyllas", "Bedöms delvis uppfyllas", "Bedöms inte uppfyllas"]),
    ("helår", ["Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt"]),
])
def test_status_columns_show_the_longest_label_on_one_line(books, period_type: str,
                                                           labels: list[str]) -> None:
    wb = books[("BUN", period_type)]
    longest = max(len(t) for t in [*labels, "Mäts vid helår"])
    for sheet, key in ((layout.INDICATORS_SHEET, "status"), (layout.GOALS_SHEET, "proposal"),
                       (layout.GOALS_SHEET, "assessment")):
        letter = layout.col_letter(layout.column_index(sheet, period_type, key))
        assert wb[sheet].column_dimensions[letter].width * STATUS_CHARS_PER_WIDTH >= longest


def test_plan_indicator_sheet_does_not_ask_for_outcomes(books) -> None:
    note = books[("solrosens-forskola", "plan")][layout.INDICATORS_SHEET]["A2"].value
    assert "utfall" not in note.lower() and "låsta" in note
    follow_up = books[("solrosens-forskola", "delår")][layout.INDICATORS_SHEET]["A2"].value
    assert "utfallet" in follow_up


def test_a_unit_without_indicators_is_told_why_the_table_is_empty(books) -> None:
    ws = books[("forskola", "delår")][layout.INDICATORS_SHEET]
    assert ws.cell(layout.FIRST_ROW, 1).value is None
    assert "enheterna" in ws["A2"].value


def test_headers_say_måttenhet_not_enhet(books) -> None:
    ws = books[("solrosens-forskola", "delår")][layout.INDICATORS_SHEET]
    headers = [c.value for c in ws[layout.HEADER_ROW]]
    assert "Måttenhet" in headers and "Enhet" not in headers


def test_contributes_to_names_the_parent_goal(books) -> None:
    ws = books[("BUN", "delår")][layout.GOALS_SHEET]
    col = layout.column_index(layout.GOALS_SHEET, "delår", "parents") + 1
    bun_m2 = ws.cell(layout.FIRST_ROW + 1, col).value
    assert bun_m2.splitlines() == [
        "KF1: Alla barn och elever ges förutsättningar att nå sin fulla potential",
        "KF3: Äldre och personer med funktionsnedsättning känner trygghet och inflytande"]


def test_instructions_give_the_proposal_rule_and_the_file_to_check(books) -> None:
    ws = books[("solrosens-forskola", "delår")][layout.INSTRUCTIONS_SHEET]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "reportkit check solrosens-forskola.xlsx" in text
    assert "Bedöms delvis uppfyllas vid minst 80\u00a0%" in text
    assert "Prognos helår" in text
    helår = books[("solrosens-forskola", "helår")][layout.INSTRUCTIONS_SHEET]
    text = " ".join(str(c.value) for row in helår.iter_rows() for c in row if c.value)
    assert "Delvis uppfyllt vid minst 80\u00a0%" in text and "prognos" not in text


def test_tables_print_one_page_wide_in_landscape_with_repeated_headers(books) -> None:
    wb = books[("BUN", "delår")]
    for sheet in (layout.GOALS_SHEET, layout.INDICATORS_SHEET, layout.ACTIVITIES_SHEET,
                  layout.TEXTS_SHEET):
        ws = wb[sheet]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows.replace("$", "") == f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"


@pytest.mark.parametrize("unit, to", [("solrosens-forskola", "nämnden och kommunfullmäktige."),
                                      ("kommun", "kommunfullmäktige."),
                                      ("EXBO", "kommunfullmäktige.")])
def test_instructions_name_who_reads_the_texts(books, unit: str, to: str) -> None:
    ws = books[(unit, "delår")][layout.INSTRUCTIONS_SHEET]
    row = next(r for r in ws.iter_rows(values_only=True)
               if r[0] in ("4. Texter", "3. Texter"))
    assert row[1].endswith("rapporterna till " + to)


@pytest.mark.parametrize("period_type", ["plan", "delår", "helår"])
def test_the_kommun_workbook_has_no_activities(books, period_type: str) -> None:
    wb = books[("kommun", period_type)]
    assert layout.ACTIVITIES_SHEET not in wb.sheetnames
    instructions = " ".join(str(c.value) for row in wb[layout.INSTRUCTIONS_SHEET].iter_rows()
                            for c in row if c.value)
    assert "Aktiviteter" not in instructions and "3. Texter" in instructions
    assert layout.ACTIVITIES_SHEET in books[("BUN", period_type)].sheetnames


def test_helår_asks_for_no_prognos(books) -> None:
    for unit in ("solrosens-forskola", "BUN"):
        headers = [c.value for c in books[(unit, "helår")][layout.INDICATORS_SHEET][
            layout.HEADER_ROW]]
        assert "Utfall" in headers and "Prognos helår" not in headers
        delår = [c.value for c in books[(unit, "delår")][layout.INDICATORS_SHEET][
            layout.HEADER_ROW]]
        assert "Prognos helår" in delår
