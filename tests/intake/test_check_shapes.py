"""check reads formulas, error values and protection the same whatever shape the sheet XML has.

A returned workbook as openpyxl (or Excel) writes it is read by the fast scan of the sheet bytes;
the same workbook with its sheets rewritten as other tools may write them (every element with a
namespace prefix, a comment in the sheet data) is read by the XML parser. Both must report the
same problems at the same cells and read the same values.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from reportkit.intake.check import check_file
from reportkit.workbook import xmlinfo

PERIOD = "2026-delår"
UNIT = "solrosens-forskola"
EXPECTED = [
    ("wb-protection-removed", "Mål", None),
    ("cell-formula-in-input", "Indikatorer", "H4"),
    ("cell-error-value", "Indikatorer", "L5"),
    ("cell-error-value", "Texter", "C4"),
]


def found(report) -> list[tuple[str, str | None, str | None]]:
    return [(p.code, p.location.sheet, p.location.cell) for p in report.problems]


def values(report) -> list[tuple]:
    return [(v.field, v.item, v.value, v.sheet, v.cell) for v in report.values]


@pytest.fixture
def damaged(delar_workbooks, fill) -> Path:
    """A formula and error values typed into input cells, one sheet unprotected, the goal's
    assessment copied from its proposal by formula (=E4: not a problem, the proposal)."""

    def unprotect(wb):
        wb["Mål"].protection.sheet = False

    cells = {"Indikatorer!H4": "=80+5", "Indikatorer!L5": "#N/A", "Texter!C4": "#DIV/0!",
             "Indikatorer!H5": 91, "Indikatorer!H6": 12, "Indikatorer!H7": 70,
             "Indikatorer!H8": 3, "Mål!F4": "=E4", "Mål!H4": "Analysen & slutsatsen"}
    return fill(delar_workbooks[UNIT], cells, name="skadad.xlsx", edit=unprotect)


def rewritten(path: Path, target: Path, change) -> Path:
    """A copy of ``path`` with ``change(bytes)`` applied to every worksheet part."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = change(data)
            zout.writestr(info, data)
    return target


def prefixed(data: bytes) -> bytes:
    """Every element in the main namespace written with the prefix x:."""
    data = data.replace(b'<worksheet xmlns="', b'<worksheet xmlns:x="', 1)
    return re.sub(rb"<(/?)(?=[A-Za-z])", rb"<\1x:", data)


def commented(data: bytes) -> bytes:
    return data.replace(b"<sheetData>", b'<sheetData><!-- <c r="B9" t="e"><v>#N/A</v></c> -->')


def test_fast_scan_finds_formula_error_and_removed_protection(damaged: Path,
                                                              monkeypatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the parser read a sheet the scan should have read")

    monkeypatch.setattr(xmlinfo, "_parse_sheet", refuse)
    report = check_file(damaged, expected_period=PERIOD)
    assert found(report) == EXPECTED
    formula = report.problems[1].values
    assert (formula["formula"], formula["cached"]) == ("=80+5", "")
    assert [p.values["value"] for p in report.problems[2:]] == ["#N/A", "#DIV/0!"]
    goal = report.submission.goals[0]
    assert (goal.assessment, goal.assessment_chosen) == (goal.proposal, False)
    assert ("goal.analysis", goal.goal_id, "Analysen & slutsatsen", "Mål", "H4") in values(report)
    assert ("indicator.actual", report.submission.indicators[1].indicator_id, 91.0,
            "Indikatorer", "H5") in values(report)


@pytest.mark.parametrize("change", [prefixed, commented])
def test_other_shapes_read_by_the_parser_give_the_same_report(damaged: Path, tmp_path: Path,
                                                              change) -> None:
    other = rewritten(damaged, tmp_path / f"{change.__name__}.xlsx", change)
    with zipfile.ZipFile(other) as zf:
        part = zf.read("xl/worksheets/sheet3.xml")
    assert xmlinfo._scan_sheet(part, xmlinfo.SheetXmlInfo("Indikatorer"), None) is False
    plain = check_file(damaged, expected_period=PERIOD)
    again = check_file(other, expected_period=PERIOD)
    assert found(again) == found(plain) == EXPECTED
    assert [p.values for p in again.problems] == [p.values for p in plain.problems]
    assert values(again) == values(plain)
    assert again.submission == plain.submission


def test_same_report_when_preflight_keeps_no_part(damaged: Path, monkeypatch) -> None:
    """The sheets are then decompressed from the zip again, as before preflight kept them."""
    from reportkit.workbook import safety

    kept = check_file(damaged, expected_period=PERIOD)
    monkeypatch.setattr(safety, "_KEEP_PART", 0)
    again = check_file(damaged, expected_period=PERIOD)
    assert found(again) == found(kept) == EXPECTED
    assert values(again) == values(kept)
    assert again.submission == kept.submission and again.sha256 == kept.sha256


def test_a_report_survives_the_trip_from_a_worker_process(damaged: Path) -> None:
    """consolidate's workers send reports to the parent pickled: all of it must arrive."""
    import pickle

    report = check_file(damaged, expected_period=PERIOD)
    back = pickle.loads(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == report and back is not report
    assert back.to_dict() == report.to_dict()
    assert back.submission.indicators[1].cells == report.submission.indicators[1].cells
    assert [type(v).__name__ for v in back.values[:1]] == ["Value"]
    assert back.has_errors and back.values[0].cell == report.values[0].cell


@pytest.mark.parametrize("typed, code", [("#N/A", "cell-error-value"),
                                         ("=1+1", "cell-formula-in-input")])
def test_error_or_formula_alone_in_an_activity_row(delar_workbooks, fill, typed: str,
                                                   code: str) -> None:
    """A row otherwise blank is no activity, but what was typed into it is still reported;
    the blank rows around it, and a filled row, are read as usual."""
    cells = {"Aktiviteter!D9": typed, "Aktiviteter!B4": "solrosens-forskola-E1",
             "Aktiviteter!C4": "Utemiljö", "Aktiviteter!G4": "Pågår"}
    report = check_file(fill(delar_workbooks[UNIT], cells, name="aktivitet.xlsx"),
                        expected_period=PERIOD)
    assert [f for f in found(report) if f[1] == "Aktiviteter"] == [(code, "Aktiviteter", "D9")]
    assert [(a.row, a.description) for a in report.submission.activities] == [(4, "Utemiljö")]


@pytest.mark.parametrize("damage", [
    lambda d: d.replace(b"</row>", b"</rad>", 1),                       # a mismatched tag
    lambda d: d.replace(b"<sheetData>", b"<sheetData><y:extra/>", 1),    # an unbound prefix
])
def test_sheet_xml_calamine_reads_but_xml_does_not_is_one_problem(damaged: Path, tmp_path: Path,
                                                                   damage) -> None:
    """calamine reads these sheets; the XML reader refuses them: the file gets file-corrupt
    instead of the check stopping (and with it a whole consolidation)."""
    broken = rewritten(damaged, tmp_path / "trasig.xlsx", damage)
    report = check_file(broken, expected_period=PERIOD)
    assert [p.code for p in report.problems] == ["file-corrupt"]
    assert report.problems[0].location.file == "trasig.xlsx"
    assert "line 1" in report.problems[0].values["reason"]  # from the XML reader
    assert report.submission is None and report.values == [] and report.sha256
