"""One ``källa`` per indicator, end to end on Exempelkommun: KF4-I1 "Sjukfrånvaro bland
kommunens medarbetare" has ``källa: {export: sjukfrånvaro}``, so the kommun's styrkort, the
roll-up and the document show the HR export's figure, the one the personnel table shows
(the issue: 6,4 % typed in a styrkort against 6,9 % in the statutory table)."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from reportkit.consolidate import economy as eco
from reportkit.consolidate.exports import stored_exports
from reportkit.consolidate.rollup import compute
from reportkit.consolidate.run import consolidate
from reportkit.demo.simulate import fill_workbooks
from reportkit.documents.build import to_report_data
from reportkit.documents.economy import economy_for
from reportkit.formats import format_percent, format_value, percent_points
from reportkit.intake.check import check_file
from reportkit.outputs.outbox import generate_workbooks
from reportkit.storage import store
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.project_setup import init_project
from reportkit.workbook import layout

PERIOD = "2026-delår"
INDICATOR = "KF4-I1"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    """Exempelkommun's delår with its exports and the kommun's own workbook filled in."""
    root = tmp_path_factory.mktemp("source") / "kommun"
    init_project(root)
    project = Project.open(root)
    consolidate(project, PERIOD, outputs=False)  # loads the period's exports
    paths = generate_workbooks(project, PERIOD, ["kommun"])
    fill_workbooks(paths, project.inbox(PERIOD), mistakes=False)
    consolidate(project, PERIOD, outputs=False)
    return project


def _hr_total(project: Project) -> float:
    model, period = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        data = stored_exports(conn, PERIOD)
    finally:
        conn.close()
    ratio = eco.sick_leave(data.hr, kommun=model.kommun.id)[-1].ratio("totalt").value
    assert ratio is not None
    return percent_points(ratio, 1)  # KF4-I1 has one decimal: the table's 6,4 %, not 6,41


def _row(book: Path, ind_id: str) -> tuple[list, dict[str, int]]:
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(
        layout.INDICATORS_SHEET).to_python()
    row = next(r for r in rows if r and r[0] == ind_id)
    # the kommun's sheet has Kvinnor and Män after Utfall (KF1-I1 is typed split by kön)
    col = {key: layout.column_index(layout.INDICATORS_SHEET, "delår", key, (), ("Kvinnor", "Män"))
           for key in ("actual", "forecast", "comment")}
    return row, col


def test_the_kommun_styrkort_shows_the_export_figure_locked_with_source_and_date(
        project, tmp_path) -> None:
    [book] = generate_workbooks(project, PERIOD, ["kommun"], out_dir=tmp_path)
    row, col = _row(book, INDICATOR)
    assert row[col["actual"]] == pytest.approx(_hr_total(project))
    comment = row[col["comment"]]
    assert comment.startswith("Låst: enligt personalexporten (sjukfrånvaro), "
                              f"data/{PERIOD}/hr-sjukfranvaro.csv, rad ")
    assert "hämtad 2027-01-15; kvinnor " in comment and ", män " in comment
    report = check_file(book)
    assert not report.problems
    # the unit cannot type over it: the cell is locked and check says so
    from openpyxl import load_workbook

    wb = load_workbook(book)
    ws = wb[layout.INDICATORS_SHEET]
    n = [c.value for c in ws["A"]].index(INDICATOR)
    cell = ws.cell(row=n + 1, column=col["actual"] + 1)
    assert cell.protection.locked
    cell.value = 5.0  # typed over the export figure
    wb.save(tmp_path / "edited.xlsx")
    codes = [p.code for p in check_file(tmp_path / "edited.xlsx").problems]
    assert codes == ["wb-locked-changed"]


def test_the_roll_up_and_the_document_show_the_export_figure(project) -> None:
    model, period = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, PERIOD)
    finally:
        conn.close()
    figure = _hr_total(project)
    ind = next(i for i in results.goals["KF4"].indicators if i.indicator_id == INDICATOR)
    assert ind.actual == pytest.approx(figure)
    assert ind.rule.startswith("utfall enligt personalexporten (sjukfrånvaro) "
                               f"(data/{PERIOD}/hr-sjukfranvaro.csv, rad ")
    # the delår's utfall so far is the export's; the kansli's own prognos stays beside it
    [m] = ind.measurements
    conn = store.connect(project.store_path)
    try:
        typed = conn.execute("SELECT v.forecast FROM indicator_value v JOIN submission s ON "
                             "s.id = v.submission_id WHERE s.unit_id = 'kommun' AND "
                             "v.indicator_id = ?", (INDICATOR,)).fetchone()[0]
    finally:
        conn.close()
    assert typed is not None
    assert (m.actual, m.forecast, ind.forecast) == (ind.actual, typed, typed)
    economy = economy_for(project, model, period)
    statutory = next(s for s in economy.sick_leave if s.year == model.year)
    assert statutory.total is not None and statutory.women and statutory.men
    assert format_percent(statutory.total, 1) == format_value(ind.actual, "%")
    # the years before: the same HR exports the table shows for them, so the trend agrees
    earlier = {s.year: percent_points(s.total, 1) for s in economy.sick_leave
               if s.year < model.year and s.total is not None}
    assert earlier and {y: ind.history[y] for y in earlier} == earlier
    # kön: ja — kvinnor and män beside the total, the personnel table's own figures
    assert ind.by_gender == {"K": percent_points(statutory.women, 1),
                             "M": percent_points(statutory.men, 1)}
    split = (f"kvinnor {format_value(statutory.women * 100, '%', 1)}, "
             f"män {format_value(statutory.men * 100, '%', 1)}")
    assert ind.source_note == split
    data = to_report_data(project, model, results, period)
    shown = next(i for g in data.goals for i in g.indicators if i.id == INDICATOR)
    assert shown.actual == pytest.approx(figure)
    assert shown.source == f"personalexporten (sjukfrånvaro), {split}"
