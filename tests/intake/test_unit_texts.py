"""Nothing a unit wrote is changed silently: a text cut to Excel's cell limit and removed
bidirectional control characters are varningar on their cell (#21 item 8)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from reportkit.intake.check import check_file
from reportkit.workbook import layout
from reportkit.workbook.parse import EXCEL_CELL_CHARS

PERIOD = "2026-delår"
UNIT = "solrosens-forskola"
ANALYSIS = layout.cell_of(layout.GOALS_SHEET, "delår", "analysis", 0)
TEXT = layout.cell_of(layout.TEXTS_SHEET, "delår", "text", 0)
ACTIVITY = layout.cell_of(layout.ACTIVITIES_SHEET, "delår", "description", 0)


def texts_found(report) -> list[tuple[str, str | None, str | None]]:
    return [(p.code, p.location.sheet, p.location.cell) for p in report.problems
            if p.code.startswith("text-")]


def value_at(report, sheet: str, cell: str):
    return next(v.value for v in report.values if (v.sheet, v.cell) == (sheet, cell))


def test_bidi_controls_are_removed_with_a_varning_naming_the_cell(delar_workbooks, fill) -> None:
    cells = {
        f"Mål!{ANALYSIS}": "Betalt \u202e0001\u202c kr.",
        f"Texter!{TEXT}": "\u2067Isolerad\u2069 text \u202a och \u202b inbäddad\u202c.",
        f"Aktiviteter!{ACTIVITY}": "Utemiljö\u202d",
        "Aktiviteter!B4": "solrosens-forskola-E1", "Aktiviteter!G4": "Pågår",
    }
    report = check_file(fill(delar_workbooks[UNIT], cells, name="riktning.xlsx"),
                        expected_period=PERIOD)
    assert texts_found(report) == [("text-bidi-removed", "Mål", ANALYSIS),
                                   ("text-bidi-removed", "Aktiviteter", ACTIVITY),
                                   ("text-bidi-removed", "Texter", TEXT)]
    assert not report.has_errors
    assert value_at(report, "Mål", ANALYSIS) == "Betalt 0001 kr."
    assert value_at(report, "Texter", TEXT) == "Isolerad text  och  inbäddad."
    sub = report.submission
    assert sub.goals[0].analysis == "Betalt 0001 kr."
    assert sub.activities[0].description == "Utemiljö"
    first = report.problems[[p.code for p in report.problems].index("text-bidi-removed")]
    assert first.line().startswith(f"riktning.xlsx, blad Mål, cell {ANALYSIS}: varning: "
                                   "Texten från Solrosens förskola innehöll osynliga tecken "
                                   "som styr skrivriktningen (U+202C, U+202E; 2 st).")


def _with_long_text(path: Path, marker: str, length: int, dest: Path) -> Path:
    """``path`` with ``marker`` replaced by ``length`` characters in the sheet XML: openpyxl
    and Excel cut a longer text themselves, so a file holding one is written by hand."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if marker.encode() in data:
                data = data.replace(marker.encode(), b"x" * (length - 3) + b"END")
            out.writestr(info, data)
    return dest


def test_a_text_longer_than_an_excel_cell_is_cut_with_a_varning(delar_workbooks, fill,
                                                                tmp_path) -> None:
    marked = fill(delar_workbooks[UNIT], {f"Mål!{ANALYSIS}": "LONG-ANALYSIS"})
    report = check_file(_with_long_text(marked, "LONG-ANALYSIS", 100_000,
                                        tmp_path / "lang-analys.xlsx"), expected_period=PERIOD)
    assert texts_found(report) == [("text-truncated", "Mål", ANALYSIS)]
    stored = value_at(report, "Mål", ANALYSIS)
    assert len(stored) == EXCEL_CELL_CHARS and not stored.endswith("END")
    assert report.submission.goals[0].analysis == stored
    message = report.problems[[p.code for p in report.problems].index("text-truncated")].message
    assert "Solrosens förskola är 100\u00a0000 tecken" in message
    assert "de första 32\u00a0767 tecknen" in message


def test_a_text_of_exactly_the_cell_limit_may_have_been_cut_and_says_so(delar_workbooks,
                                                                        fill) -> None:
    # what Excel (or openpyxl, as here) leaves of a longer text pasted into a cell
    path = fill(delar_workbooks[UNIT], {f"Mål!{ANALYSIS}": "y" * 40_000}, name="klippt.xlsx")
    report = check_file(path, expected_period=PERIOD)
    assert texts_found(report) == [("text-at-cell-limit", "Mål", ANALYSIS)]
    assert len(value_at(report, "Mål", ANALYSIS)) == EXCEL_CELL_CHARS


def test_ordinary_texts_get_no_text_varning(delar_workbooks, fill) -> None:
    cells = {f"Mål!{ANALYSIS}": "Arabiska: مرحبا, hebreiska: שלום, svenska: åäö.",
             f"Texter!{TEXT}": "z" * (EXCEL_CELL_CHARS - 1)}
    report = check_file(fill(delar_workbooks[UNIT], cells, name="vanlig.xlsx"),
                        expected_period=PERIOD)
    assert texts_found(report) == []
    assert value_at(report, "Mål", ANALYSIS).startswith("Arabiska: مرحبا")
