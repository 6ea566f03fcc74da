"""Prefilled workbooks: the next level writes on what came in from below, and a re-prefill
keeps what the level already wrote.

One small project for the module: the delår of Grundskola's enheter but one, consolidated;
then the verksamhet's workbook, the kommun's, and a re-prefill after they have answered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from reportkit.consolidate.rollup import compute
from reportkit.consolidate.run import consolidate
from reportkit.demo.simulate import fill_workbooks
from reportkit.intake.check import check_file
from reportkit.outputs.explain import explain
from reportkit.outputs.outbox import generate_workbooks
from reportkit.storage import store
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.project_setup import init_project
from reportkit.workbook import layout

PERIOD = "2026-delår"
VERKSAMHET = "grundskola"
MISSING = "grundsarskolan"


def _sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _results(project: Project):
    model, period = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        return model, compute(conn, model, period.id)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("prefill") / "kommun"
    init_project(root)
    project = Project.open(root)
    model, _ = project.period(PERIOD)
    enheter = [u.id for u in model.children_of(VERKSAMHET) if u.id != MISSING]
    paths = generate_workbooks(project, PERIOD, enheter)
    fill_workbooks(paths, project.inbox(PERIOD), mistakes=False)
    consolidate(project, PERIOD, outputs=False)
    return project


@pytest.fixture(scope="module")
def verksamhet_book(project: Project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("utskick")
    return generate_workbooks(project, PERIOD, [VERKSAMHET], out_dir=out)[0]


def test_a_prefilled_verksamhet_shows_exactly_its_enheter_and_who_is_missing(
        project, verksamhet_book) -> None:
    model, results = _results(project)
    rows = _sheet(verksamhet_book, layout.BELOW_SHEET)
    assert layout.BELOW_SHEET in CalamineWorkbook.from_path(str(verksamhet_book)).sheet_names
    missing_name = model.units[MISSING].name
    assert f"Saknas: {missing_name}." in rows[layout.NOTE_ROW - 1][0]
    shown = {r[0]: r for r in rows[layout.FIRST_ROW - 1:] if r[0] and r[0] in model.goals}
    below = {c for g in model.goals_of(VERKSAMHET) for c in g.children}
    assert set(shown) == below  # every goal linked below, and nothing from elsewhere
    col = {c.key: i for i, c in enumerate(layout.below_columns("delår"))}
    scale = results.scale
    for goal_id, row in shown.items():
        g = results.goals[goal_id]
        owner = model.units[model.goals[goal_id].owner]
        assert row[col["unit"]] == owner.name
        if owner.id == MISSING:
            assert row[col["assessment"]].startswith("Saknas")
            continue
        assert row[col["assessment"]].startswith(scale.label(g.assessment, forecast=True))
        assert row[col["proposal"]] == scale.label(g.proposal, forecast=True)
        assert row[col["analysis"]] == g.analysis and g.analysis
    headings = [r[0] for r in rows[layout.FIRST_ROW - 1:] if r[0] and r[0] not in shown]
    assert any(f"Saknas: {missing_name}" in h for h in headings)
    assert any(h.startswith("Underlaget: ") or "\nUnderlaget: " in h for h in headings)


def test_the_level_s_förslag_is_the_underlag_s_locked_and_read_back(
        project, verksamhet_book) -> None:
    _, results = _results(project)
    goals = _sheet(verksamhet_book, layout.GOALS_SHEET)
    n = 0
    gid = goals[layout.FIRST_ROW - 1 + n][0]
    proposal = results.goals[gid].proposal
    addr = layout.cell_of(layout.GOALS_SHEET, "delår", "proposal", n)
    row, col = layout.split_address(addr)
    assert goals[row - 1][col] == results.scale.label(proposal, forecast=True)
    report = check_file(verksamhet_book)
    assert not report.has_errors
    entry = report.submission.goals[0]
    assert entry.proposal == proposal and entry.assessment == proposal


def test_an_edit_in_the_underlag_sheet_is_ignored(verksamhet_book, fill) -> None:
    edited = fill(verksamhet_book, {f"{layout.BELOW_SHEET}!E5": "Uppfyllt",
                                    f"{layout.BELOW_SHEET}!G5": "ändrad analys"})
    report = check_file(edited)

    def where(r):
        return [(p.code, p.location.sheet, p.location.cell, p.values) for p in r.problems]

    assert where(report) == where(check_file(verksamhet_book))
    assert not any(v.sheet == layout.BELOW_SHEET for v in report.values)


def test_a_re_prefill_keeps_what_the_level_already_wrote(project, verksamhet_book,
                                                         tmp_path) -> None:
    filled = fill_workbooks([verksamhet_book], project.inbox(PERIOD), mistakes=False)[0].file
    consolidate(project, PERIOD, outputs=False)
    again = generate_workbooks(project, PERIOD, [VERKSAMHET], out_dir=tmp_path)[0]
    before, after = check_file(filled).submission, check_file(again).submission
    assert before.goals and after.goals
    for a, b in zip(before.goals, after.goals, strict=True):
        assert (b.analysis, b.actions, b.motivation) == (a.analysis, a.actions, a.motivation)
        assert (b.assessment, b.assessment_chosen) == (a.assessment, a.assessment_chosen)
    assert {k: t for k, (t, _) in after.texts.items()} == \
        {k: t for k, (t, _) in before.texts.items()} != {}
    strip = [(x.goal_id, x.description, x.responsible, x.start, x.end, x.status, x.comment)
             for x in before.activities]
    assert [(x.goal_id, x.description, x.responsible, x.start, x.end, x.status, x.comment)
            for x in after.activities] == strip != []
    instructions = " ".join(str(c) for r in _sheet(again, layout.INSTRUCTIONS_SHEET) for c in r)
    assert filled.name in instructions


def test_a_kf_bedömning_and_motivation_reach_the_store_and_explain(project, fill) -> None:
    model, _ = project.period(PERIOD)
    book = generate_workbooks(project, PERIOD, ["kommun"], out_dir=project.root / "kf")[0]
    report = check_file(book)
    goal = report.submission.goals[0]
    wanted = "ej_uppfyllt" if goal.proposal != "ej_uppfyllt" else "uppfyllt"
    scale = {s.status: s for s in _results(project)[1].scale.steps}
    motivation = "Kansliet väger in att två nämnder ännu inte har rapporterat."
    n = 0
    filled = fill(book, {
        f"{layout.GOALS_SHEET}!{layout.cell_of(layout.GOALS_SHEET, 'delår', 'assessment', n)}":
            scale[wanted].forecast_label,
        f"{layout.GOALS_SHEET}!{layout.cell_of(layout.GOALS_SHEET, 'delår', 'motivation', n)}":
            motivation}, name="kommun.xlsx")
    (project.inbox(PERIOD) / "kommun.xlsx").write_bytes(filled.read_bytes())
    consolidate(project, PERIOD, outputs=False)
    _, results = _results(project)
    g = results.goals[goal.goal_id]
    assert (g.assessment, g.chosen, g.assessed_by, g.motivation) == \
        (wanted, True, "kommun", motivation)
    lines = "\n".join(explain(project, goal.goal_id, PERIOD))
    assert f"Bedömning av {model.units['kommun'].name}: " in lines
    assert scale[wanted].label in lines and f"Motivering: {motivation}" in lines


def test_a_follow_up_carries_the_plan_s_activities(tmp_path) -> None:
    root = tmp_path / "kommun"
    init_project(root)
    project = Project.open(root)
    unit = "solrosens-forskola"
    plan = generate_workbooks(project, "2026-plan", [unit])
    fill_workbooks(plan, project.inbox("2026-plan"), mistakes=False)
    consolidate(project, "2026-plan", outputs=False)
    planned = check_file(project.inbox("2026-plan") / f"{unit}.xlsx").submission.activities
    book = generate_workbooks(project, PERIOD, [unit])[0]
    carried = check_file(book).submission.activities
    assert [(a.description, a.start, a.end, a.status) for a in carried] == \
        [(a.description, a.start, a.end, "") for a in planned] != []
    note = fill_workbooks([book], tmp_path / "ifyllt", mistakes=False)[0]
    reported = check_file(note.file).submission.activities
    assert [a.description for a in reported] == [a.description for a in planned]
    assert all(a.status in layout.ACTIVITY_STATUSES for a in reported)



def test_the_kommun_workbook_gets_the_finansiella_figures_from_the_exports(project, tmp_path):
    """The kansli judges the finansiella mål on the ekonomiavdelning's figure (delår: the
    helårsprognos in the prognos column), with where it came from in the comment."""
    [book] = generate_workbooks(project, PERIOD, ["kommun"], out_dir=tmp_path)
    rows = _sheet(book, layout.INDICATORS_SHEET)
    ids = [r[0] for r in rows]
    n = ids.index("KF7-I1") - (layout.FIRST_ROW - 1)
    # the kommun's sheet has Kvinnor and Män after Utfall (KF1-I1 is split by kön)
    col = {key: layout.column_index(layout.INDICATORS_SHEET, "delår", key, (), ("Kvinnor", "Män"))
           for key in ("forecast", "comment")}
    row = rows[layout.FIRST_ROW - 1 + n]
    # 1,8 % = the ekonom's prognos of årets resultat / skatteintäkter (nyckeltal.csv)
    assert row[col["forecast"]] == pytest.approx(1.8)
    # locked, with its source and date (källa: finansiella_mål read as an export figure)
    assert row[col["comment"]].startswith(
        f"Låst: enligt ekonomiavdelningens nyckeltal, data/{PERIOD}/nyckeltal.csv, rad ")
    assert row[col["comment"]].endswith("; hämtad 2027-01-15.")


def test_a_new_years_plan_carries_the_activities_that_end_after_31_december(
        tmp_path, fill) -> None:
    import datetime as dt
    import shutil

    from reportkit.styrmodell.next_year import next_year

    root = tmp_path / "kommun"
    init_project(root)
    project = Project.open(root)
    unit = "solrosens-forskola"
    plan = generate_workbooks(project, "2026-plan", [unit])
    filled = fill_workbooks(plan, project.inbox("2026-plan"), mistakes=False)[0].file
    planned = check_file(filled).submission.activities
    assert len(planned) >= 2
    going_on = planned[0]
    changed = fill(filled, {f"{layout.ACTIVITIES_SHEET}!{going_on.cells['end']}":
                            dt.date(2027, 6, 30)})
    shutil.copy(changed, filled)
    consolidate(project, "2026-plan", outputs=False)
    next_year(root)
    book = generate_workbooks(Project.open(root), "2027-plan", [unit])[0]
    carried = check_file(book).submission.activities
    assert [(a.description, a.end, a.status, a.comment) for a in carried] == \
        [(going_on.description, dt.date(2027, 6, 30), "", "Fortsätter från 2026.")]
