"""reportkit check: generate → fill → check reads back exactly what was written, with its cell,
and every kind of damage a person or a program does to a workbook gives its code and cell."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from reportkit.intake.check import check_file
from reportkit.workbook import layout
from reportkit.workbook.content import build_content

PERIOD = "2026-delår"
PT = "delår"
UNIT = "solrosens-forskola"   # 1 own goal (2 indicators) + 3 indicators for its verksamhet
NBSP = "\u00a0"
ROUND_TRIP_UNITS = ("solrosens-forskola", "BUN", "kommun", "EXBO")


def cell(sheet: str, key: str, n: int) -> str:
    return layout.cell_of(sheet, PT, key, n)


def sv(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def found(report) -> list[tuple[str, str | None, str | None]]:
    return [(p.code, p.location.sheet, p.location.cell) for p in report.problems]


# -- the programmatic fill used by the round trip ---------------------------------------------

def fill_plan(content) -> tuple[dict[str, Any], set[tuple]]:
    """Cells to write for one unit, and the values check must return: (field, item, value,
    sheet, cell). Values rotate through the forms units type."""
    cells: dict[str, Any] = {}
    expected: set[tuple] = set()
    ind, goals, act, txt = (layout.INDICATORS_SHEET, layout.GOALS_SHEET,
                            layout.ACTIVITIES_SHEET, layout.TEXTS_SHEET)

    def put(sheet: str, key: str, n: int, raw: Any, field: str, item: str, value: Any) -> None:
        # the sheet's own columns (a kommun's split by kön has Kvinnor and Män after Utfall)
        addr = layout.cell_of(sheet, PT, key, n, content.target_headers,
                              content.gender_headers)
        cells[f"{sheet}!{addr}"] = raw
        expected.add((field, item, value, sheet, addr))

    for n, row in enumerate(content.indicators):
        target = float(row.target)
        value = round(target * (0.85 + 0.05 * (n % 5)) + 0.25, 1)
        form = n % 5
        if row.unit == "%":
            raw: Any = [value, f"{sv(value)} %", f"{sv(value)}%", sv(value),
                        round(value / 100, 4)][form]
            if form == 4 and (value > 100 or target <= 1.5):
                raw = f"{sv(value)} %"
        else:
            raw = [value, sv(value), f"{value:,.1f}".replace(",", NBSP).replace(".", ","),
                   f" {sv(value)}  ", value][form]
        put(ind, "actual", n, raw, "indicator.actual", row.id, value)
        forecast = round(value * 1.02, 2)
        put(ind, "forecast", n, forecast, "indicator.forecast", row.id, forecast)
        put(ind, "comment", n, f"Kommentar till {row.id}  ", "indicator.comment", row.id,
            f"Kommentar till {row.id}")
    labels = {s["forecast_label"]: s["status"] for s in content.scale}
    for n, goal in enumerate(content.goals):
        put(goals, "analysis", n, f"Analys av {goal.id}", "goal.analysis", goal.id,
            f"Analys av {goal.id}")
        if n == 0:
            # an explicit bedömning with a motivation: accepted without a warning
            label = next(iter(labels))
            put(goals, "assessment", n, label, "goal.assessment", goal.id, labels[label])
            put(goals, "motivation", n, "Vi bedömer att målet nås.", "goal.motivation",
                goal.id, "Vi bedömer att målet nås.")
        if n == 1:
            put(goals, "actions", n, "Fler hembesök.", "goal.actions", goal.id, "Fler hembesök.")
    if content.goal_ids and content.has_activities:
        put(act, "goal", 0, content.goal_ids[0], "activity.goal", "1", content.goal_ids[0])
        put(act, "description", 0, "Införa digital närvaro", "activity.description", "1",
            "Införa digital närvaro")
        put(act, "responsible", 0, "Enhetschef", "activity.responsible", "1", "Enhetschef")
        put(act, "start", 0, dt.datetime(2026, 1, 15), "activity.start", "1",
            dt.date(2026, 1, 15))
        put(act, "end", 0, "2026-06-30", "activity.end", "1", dt.date(2026, 6, 30))
        put(act, "status", 0, "Pågår", "activity.status", "1", "Pågår")
    for n, (key, _heading, _guide) in enumerate(content.texts):
        put(txt, "text", n, f"Text om {key}.\nAndra stycket.", "text", key,
            f"Text om {key}.\nAndra stycket.")
    return cells, expected


def values_of(report) -> set[tuple]:
    return {(v.field, v.item, v.value, v.sheet, v.cell) for v in report.values}


@pytest.fixture(scope="session")
def filled(exempel, delar_workbooks, tmp_path_factory) -> dict[str, tuple[Path, set[tuple]]]:
    """Every unit's workbook filled programmatically: ``{unit: (path, expected values)}``."""
    from testkit import write_cells

    model, period = exempel
    out = tmp_path_factory.mktemp("inkommet")
    books = {}
    for unit_id, path in delar_workbooks.items():
        cells, expected = fill_plan(build_content(model, unit_id, period))
        books[unit_id] = (write_cells(path, cells, out / path.name), expected)
    return books


# -- round trip --------------------------------------------------------------------------------

def test_every_exempelkommun_unit_gets_a_workbook(exempel, delar_workbooks) -> None:
    model, period = exempel
    assert len(delar_workbooks) == len(model.reporting_units(period)) >= 80


def test_round_trip_every_unit_reads_back_what_was_written(filled) -> None:
    assert sum(len(expected) for _, expected in filled.values()) > 1500
    bad = {}
    for unit_id, (path, expected) in filled.items():
        report = check_file(path, expected_period=PERIOD)
        got = values_of(report)
        if report.problems or got != expected or report.submission is None:
            bad[unit_id] = (found(report), sorted(expected - got, key=str)[:3],
                            sorted(got - expected, key=str)[:3])
    assert bad == {}


def test_round_trip_values_carry_their_cells(filled) -> None:
    path, _ = filled[UNIT]
    report = check_file(path, expected_period=PERIOD)
    by_cell = {(v.sheet, v.cell): (v.field, v.item) for v in report.values}
    assert by_cell[("Indikatorer", "H4")] == ("indicator.actual", "solrosens-forskola-E1-I1")
    assert by_cell[("Indikatorer", "I8")] == ("indicator.forecast", "FORSKOLA-V1-I3")
    assert by_cell[("Mål", "F4")] == ("goal.assessment", "solrosens-forskola-E1")
    assert by_cell[("Aktiviteter", "E4")] == ("activity.start", "1")
    assert by_cell[("Texter", "C4")] == ("text", "handelser")
    sub = report.submission
    assert sub.unit_id == UNIT and sub.period == PERIOD
    assert [i.indicator_id for i in sub.indicators][:2] == ["solrosens-forskola-E1-I1",
                                                           "solrosens-forskola-E1-I2"]
    assert all(i.status for i in sub.indicators)


def test_empty_generated_workbook_has_only_not_measured_warnings(delar_workbooks) -> None:
    report = check_file(delar_workbooks[UNIT], expected_period=PERIOD)
    assert found(report) == [("indicator-not-measured", "Indikatorer", f"H{r}")
                             for r in range(4, 9)] + [("wb-nothing-filled", None, None)]
    assert not report.has_errors
    assert report.values == []


# -- LibreOffice re-save -------------------------------------------------------------------------

def soffice_convert(soffice: str, files: list[Path], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    profile = Path(f"/tmp/lo-test-{os.getpid()}")
    env = dict(os.environ, LC_ALL="sv_SE.UTF-8", LANG="sv_SE.UTF-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
                    *map(str, files)], env=env, check=True, capture_output=True, timeout=240)
    converted = [out / f.name for f in files]
    assert all(p.exists() for p in converted)
    return converted


@pytest.fixture(scope="session")
def libreoffice_saved(filled, tmp_path_factory) -> dict[str, Path]:
    from testkit import in_ci, soffice_path

    soffice = soffice_path()
    if soffice is None:
        if in_ci():
            pytest.fail("LibreOffice (soffice) saknas men CI är satt.")
        pytest.skip("LibreOffice (soffice) saknas")
    files = [filled[u][0] for u in ROUND_TRIP_UNITS]
    converted = soffice_convert(soffice, files, tmp_path_factory.mktemp("libreoffice"))
    return dict(zip(ROUND_TRIP_UNITS, converted, strict=True))


@pytest.mark.libreoffice
@pytest.mark.parametrize("unit_id", ROUND_TRIP_UNITS)
def test_libreoffice_resave_reads_back_identically(filled, libreoffice_saved,
                                                   unit_id: str) -> None:
    path = libreoffice_saved[unit_id]
    report = check_file(path, expected_period=PERIOD)
    assert found(report) == []
    assert values_of(report) == filled[unit_id][1]


@pytest.mark.libreoffice
def test_libreoffice_resave_makes_meta_hidden_and_drops_frozen_panes(libreoffice_saved) -> None:
    from reportkit.workbook.xmlinfo import read_xml_info

    path = libreoffice_saved[UNIT]
    info = read_xml_info(path)
    assert info.sheets[layout.META_SHEET].state == "hidden"
    with zipfile.ZipFile(path) as zf:
        part = info.sheets[layout.INDICATORS_SHEET].part
        assert b"<pane" not in zf.read(part.lstrip("/"))


# -- one test per error kind ---------------------------------------------------------------------

@pytest.fixture
def blank(delar_workbooks) -> Path:
    return delar_workbooks[UNIT]


def check(path: Path):
    return check_file(path, expected_period=PERIOD)


def test_wrong_period(filled) -> None:
    report = check_file(filled[UNIT][0], expected_period="2026-helår")
    assert found(report) == [("wb-wrong-period", None, None)]
    assert report.problems[0].values == {"found": PERIOD, "expected": "2026-helår"}
    assert report.submission is None


def test_any_period_is_accepted_when_none_is_expected(filled) -> None:
    assert found(check_file(filled[UNIT][0])) == []


def test_a_workbook_sent_back_empty_gets_a_varning(delar_workbooks, filled) -> None:
    empty = check_file(delar_workbooks[UNIT])
    assert ("wb-nothing-filled", None, None) in found(empty)
    assert empty.submission is not None            # accepted, with the note
    assert "wb-nothing-filled" not in [p.code for p in check_file(filled[UNIT][0]).problems]


def test_plain_workbook_is_not_a_reportkit_workbook(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Mål"
    wb.save(tmp_path / "egen.xlsx")
    assert found(check(tmp_path / "egen.xlsx")) == [("wb-not-reportkit", None, None)]


def test_old_template_version(blank, fill) -> None:
    report = check(fill(blank, {"_meta!B1": 0}, name="gammal-mall.xlsx"))
    assert found(report) == [("wb-template-version", None, None)]


@pytest.mark.parametrize("key, text", [
    ("locked", "[1, 2]"), ("rows", '{"Indikatorer": 5}'), ("model", '{"indikatorer": {}}'),
    ("scale", '{"steps": 7}')])
def test_hand_edited_meta_is_a_fel_not_a_crash(blank, fill, key, text) -> None:
    def damage(wb):
        ws = wb["_meta"]
        row = next(r for r in ws.iter_rows() if r[0].value == key)
        row[1].value = text

    report = check(fill(blank, {}, name=f"meta-{key}.xlsx", edit=damage))
    assert found(report) == [("wb-meta-damaged", None, None)]
    assert report.submission is None and report.values == []
    assert "Bladet _meta ska inte ändras" in report.problems[0].line()


def test_renamed_sheet(blank, fill) -> None:
    def rename(wb):
        wb["Indikatorer"].title = "Indikatorer (2)"

    report = check(fill(blank, {}, name="bytt-bladnamn.xlsx", edit=rename))
    assert found(report) == [("wb-sheet-missing", "Indikatorer", None)]
    assert report.problems[0].message == (
        "Bladet 'Indikatorer' saknas. Det kan ha bytt namn eller tagits bort.")
    assert "namnet 'Indikatorer'" in report.problems[0].hint


def test_a_renamed_sheet_costs_only_its_own_values(blank, fill) -> None:
    def rename(wb):
        wb["Aktiviteter"].title = "Aktiviteter (2)"

    cells = {"Indikatorer!H4": "85 %", "Mål!H4": "Analys av målet.", **activity()}
    report = check(fill(blank, cells, name="bytt-namn-aktiviteter.xlsx", edit=rename))
    assert ("wb-sheet-missing", "Aktiviteter", None) in found(report)
    assert report.has_errors
    assert {(v.sheet, v.cell) for v in report.values} == {("Indikatorer", "H4"), ("Mål", "H4")}
    assert report.submission.indicators[0].actual == 85.0
    assert report.submission.activities == []


def test_deleted_sheet(blank, fill) -> None:
    def delete(wb):
        del wb["Aktiviteter"]

    report = check(fill(blank, {"Indikatorer!H4": 80}, name="borttaget-blad.xlsx", edit=delete))
    assert found(report)[0] == ("wb-sheet-missing", "Aktiviteter", None)
    assert "wb-locked-changed" not in {p.code for p in report.problems}
    assert [(v.sheet, v.cell) for v in report.values] == [("Indikatorer", "H4")]


def test_row_inserted_in_indicators(blank, fill) -> None:
    report = check(fill(blank, {}, name="infogad-rad.xlsx",
                        edit=lambda wb: wb["Indikatorer"].insert_rows(5)))
    assert found(report) == [("wb-row-mismatch", "Indikatorer", "A5")]
    assert report.submission is None


def test_row_deleted_in_indicators(blank, fill) -> None:
    report = check(fill(blank, {}, name="borttagen-rad.xlsx",
                        edit=lambda wb: wb["Indikatorer"].delete_rows(5)))
    assert found(report) == [("wb-row-mismatch", "Indikatorer", "A5")]


def test_row_appended_below_the_table(blank, fill) -> None:
    report = check(fill(blank, {"Indikatorer!A9": "egen-indikator"}, name="extra-rad.xlsx"))
    assert found(report) == [("wb-row-mismatch", "Indikatorer", "A9")]


def test_changed_target_in_locked_cell(blank, fill) -> None:
    report = check(fill(blank, {"Indikatorer!F4": 50, "Indikatorer!H4": 85},
                        name="andrat-malvarde.xlsx"))
    assert ("wb-locked-changed", "Indikatorer", "F4") in found(report)
    assert [c for c, *_ in found(report) if c == "wb-locked-changed"] == ["wb-locked-changed"]


def test_text_in_numeric_cell(blank, fill) -> None:
    report = check(fill(blank, {"Indikatorer!H4": "ungefär 80"}, name="text-i-talcell.xlsx"))
    assert ("cell-not-number", "Indikatorer", "H4") in found(report)
    assert not any(v.cell == "H4" and v.sheet == "Indikatorer" for v in report.values)


def test_ambiguous_number_in_numeric_cell(blank, fill) -> None:
    report = check(fill(blank, {"Indikatorer!H7": "5.200"}, name="tusen-med-punkt.xlsx"))
    assert ("cell-ambiguous-number", "Indikatorer", "H7") in found(report)


def test_invalid_dropdown_text_in_assessment(blank, fill) -> None:
    report = check(fill(blank, {"Mål!F4": "Jättebra"}, name="ogiltig-bedomning.xlsx"))
    assert ("cell-invalid-choice", "Mål", "F4") in found(report)


def test_assessment_label_tolerates_case_and_spaces(blank, fill) -> None:
    path = fill(blank, {"Mål!F4": "  bedöms  UPPFYLLAS ", "Mål!G4": "Motiverat."},
                name="bedomning-versaler.xlsx")
    report = check(path)
    assert ("goal.assessment", "solrosens-forskola-E1", "uppfyllt", "Mål", "F4") \
        in values_of(report)
    assert not report.has_errors


def test_assessment_differing_from_proposal_without_motivation_is_a_warning(blank,
                                                                            fill) -> None:
    path = fill(blank, {"Indikatorer!H4": 95, "Indikatorer!H5": 90,
                        "Mål!F4": "Bedöms inte uppfyllas"}, name="avvikande-bedomning.xlsx")
    report = check(path)
    goal = report.submission.goals[0]
    assert goal.proposal == "uppfyllt" and goal.assessment == "ej_uppfyllt"
    assert ("assessment-needs-motivation", "Mål", "G4") in found(report)
    assert [p.severity for p in report.problems if p.code == "assessment-needs-motivation"] \
        == ["varning"]


def test_assessment_differing_with_motivation_has_no_warning(blank, fill) -> None:
    path = fill(blank, {"Indikatorer!H4": 95, "Indikatorer!H5": 90,
                        "Mål!F4": "Bedöms inte uppfyllas", "Mål!G4": "Personalbrist i höst."},
                name="motiverad-bedomning.xlsx")
    assert "assessment-needs-motivation" not in [c for c, *_ in found(check(path))]


def activity(**cells: Any) -> dict[str, Any]:
    base = {"goal": "solrosens-forskola-E1", "description": "Utemiljö", "status": "Pågår"}
    base.update(cells)
    return {f"Aktiviteter!{cell('Aktiviteter', k, 0)}": v for k, v in base.items()}


def test_activity_end_before_start(blank, fill) -> None:
    path = fill(blank, activity(start=dt.datetime(2026, 5, 1), end="2026-03-01"),
                name="slut-fore-start.xlsx")
    report = check(path)
    assert ("activity-end-before-start", "Aktiviteter", "F4") in found(report)
    assert report.submission.activities == []


def test_activity_text_date_that_is_not_a_date(blank, fill) -> None:
    report = check(fill(blank, activity(start="i höst"), name="datum-text.xlsx"))
    assert ("cell-not-date", "Aktiviteter", "E4") in found(report)


def test_activity_with_unknown_status(blank, fill) -> None:
    report = check(fill(blank, activity(status="Typ klar"), name="okand-status.xlsx"))
    assert ("cell-invalid-choice", "Aktiviteter", "G4") in found(report)


def test_activity_without_description_is_incomplete(blank, fill) -> None:
    report = check(fill(blank, activity(description=None, goal=None), name="ofullstandig.xlsx"))
    assert ("activity-incomplete", "Aktiviteter", "A4") in found(report)
    incomplete = next(p for p in report.problems if p.code == "activity-incomplete")
    assert incomplete.message == "Aktiviteten på rad 4 saknar mål, aktivitet."


def test_formula_typed_into_an_input_cell(blank, fill) -> None:
    report = check(fill(blank, {"Mål!H4": "=1+1"}, name="formel-i-analys.xlsx"))
    assert ("cell-formula-in-input", "Mål", "H4") in found(report)
    assert not any(v.sheet == "Mål" and v.cell == "H4" for v in report.values)


def test_formula_typed_into_a_number_cell(blank, fill) -> None:
    report = check(fill(blank, {"Indikatorer!H4": "=80+5"}, name="formel-i-utfall.xlsx"))
    assert ("cell-formula-in-input", "Indikatorer", "H4") in found(report)


def test_error_value_in_an_input_cell(blank, fill) -> None:
    report = check(fill(blank, {"Indikatorer!H4": "#DIV/0!"}, name="felvarde.xlsx"))
    assert ("cell-error-value", "Indikatorer", "H4") in found(report)
    assert report.problems[[p.code for p in report.problems].index(
        "cell-error-value")].values["value"] == "#DIV/0!"


def test_missing_actual_is_a_not_measured_warning(blank, fill) -> None:
    cells = {f"Indikatorer!H{r}": 80 for r in range(5, 9)}
    report = check(fill(blank, cells, name="utfall-saknas.xlsx"))
    assert found(report) == [("indicator-not-measured", "Indikatorer", "H4")]
    assert not report.has_errors
    assert report.submission.indicators[0].actual is None


def test_sheet_protection_removed_is_a_warning(blank, fill) -> None:
    def unprotect(wb):
        wb["Mål"].protection.sheet = False

    report = check(fill(blank, {}, name="utan-bladskydd.xlsx", edit=unprotect))
    assert ("wb-protection-removed", "Mål", None) in found(report)
    assert not report.has_errors
    assert "Bladet 'Mål' är inte längre skyddat." in report.problems[0].line()


def test_errors_keep_the_other_values(blank, fill) -> None:
    path = fill(blank, {"Indikatorer!H4": "x", "Indikatorer!H5": "85 %"}, name="blandat.xlsx")
    report = check(path)
    assert ("indicator.actual", "solrosens-forskola-E1-I2", 85.0, "Indikatorer", "H5") \
        in values_of(report)


def test_1904_date_system_reads_activity_dates(blank, fill) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    def to_1904(wb):
        wb.epoch = CALENDAR_MAC_1904

    cells = activity(start=dt.datetime(2026, 3, 15), end=dt.date(2026, 11, 30))
    path = fill(blank, cells, name="datum-1904.xlsx", edit=to_1904)
    with zipfile.ZipFile(path) as zf:
        assert b'date1904="1"' in zf.read("xl/workbook.xml")
    report = check(path)
    assert not report.has_errors, found(report)
    got = values_of(report)
    assert ("activity.start", "1", dt.date(2026, 3, 15), "Aktiviteter", "E4") in got
    assert ("activity.end", "1", dt.date(2026, 11, 30), "Aktiviteter", "F4") in got


def test_a_broken_file_is_one_problem_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(b"PK\x03\x04 trasig")
    report = check(path)
    assert len(report.problems) == 1 and report.has_errors


# -- compatibility, the human view, and what the command imports ----------------------------------

def test_a_header_of_an_earlier_release_is_still_read(blank, fill) -> None:
    # Workbooks already sent out say "Enhet" where new ones say "Måttenhet"; same column.
    column = layout.column_index(layout.INDICATORS_SHEET, PT, "unit")
    header = f"Indikatorer!{layout.address(column, layout.HEADER_ROW)}"
    report = check(fill(blank, {header: "Enhet", "Indikatorer!H4": 85}, name="gammal-rubrik.xlsx"))
    assert "wb-header-changed" not in [c for c, *_ in found(report)]
    assert report.submission is not None and report.submission.indicators[0].actual == 85
    renamed = check(fill(blank, {header: "Mått"}, name="ny-rubrik.xlsx"))
    assert ("wb-header-changed", "Indikatorer", "D3") in found(renamed)


def test_human_view_groups_problems_by_file_and_wraps_to_the_width(blank, fill) -> None:
    from reportkit.console import report_lines
    from reportkit.intake.check import CheckReport

    bad = check(fill(blank, {"Indikatorer!H4": "ungefär [80]"}, name="fel.xlsx"))
    good = check(fill(blank, {}, name="bra.xlsx"))
    lines = report_lines(CheckReport(files=[bad, good]), width=72)
    assert lines[0] == "fel.xlsx"
    assert lines[1].split() == ["Blad", "Cell", "Allvar", "Vad", "är", "fel", "–", "och", "vad",
                                "du", "gör"]
    assert all(len(line) <= 72 for line in lines)
    row = next(line for line in lines if " H4 " in line)
    assert row.split()[:3] == ["Indikatorer", "H4", "fel"]
    assert any("[80]" in line for line in lines)  # shown as typed, never read as markup
    assert lines[-1] == "bra.xlsx: 0 fel, 6 varningar, 0 värden lästa – kan skickas."
    assert "bra.xlsx" in lines  # its own group, after a blank line
    assert lines[lines.index("bra.xlsx") - 1] == ""
    summary = lines.index(next(line for line in lines if line.startswith("fel.xlsx: ")))
    assert "rätta felen" in " ".join(lines[summary:summary + 2])


def test_the_check_command_loads_no_heavy_library(filled) -> None:
    import json
    import sys

    code = ("import sys, json\nfrom reportkit.cli import main\n"
            f"sys.argv = ['reportkit', 'check', {str(filled[UNIT][0])!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    loaded = {m.split(".")[0] for m in json.loads(done.stdout.splitlines()[-1])}
    heavy = {"openpyxl", "matplotlib", "docxtpl", "docx", "pydantic", "rich", "yaml", "numpy",
             "babel", "xlsxwriter", "pikepdf"}
    assert sorted(loaded & heavy) == []
    # the file is read in a forked child (reportkit.isolate): the native reader never
    # runs in the process that prints the verdict
    assert "python_calamine" not in loaded
    assert "reportkit.isolate" in {m for m in json.loads(done.stdout.splitlines()[-1])}


def test_plan_activities_carried_over_without_a_status_name_their_rows(exempel, tmp_path) -> None:
    # a follow-up's workbook carries the plan's activities over with an empty status (what
    # prefill.PrefillSource writes); sent back as it is, each row is a varning with its number
    from reportkit.workbook.content import Prefill
    from reportkit.workbook.generate import generate_workbook

    model, period = exempel
    carried = [{"goal": "solrosens-forskola-E1", "description": f"Aktivitet {n}",
                "responsible": "Rektor", "start": "2026-01-15", "end": "2026-12-15",
                "status": "", "comment": ""} for n in (1, 2)]
    content = build_content(model, UNIT, period, prefill=Prefill(activities=carried))
    report = check(generate_workbook(content, tmp_path / "fran-planen.xlsx"))
    incomplete = [p for p in report.problems if p.code == "activity-incomplete"]
    assert [(p.location.cell, p.message) for p in incomplete] == [
        ("A4", "Aktiviteten på rad 4 saknar status."),
        ("A5", "Aktiviteten på rad 5 saknar status.")]
    assert [a.description for a in report.submission.activities] == ["Aktivitet 1",
                                                                      "Aktivitet 2"]
