"""Intern kontroll and uppdrag (issue #32): the risk scale's edges, the styrmodell's checks with
key and line, check's rules with sheet and cell, the Kontroll sheet, the roll-up counted by
hand, explain, and a decided version that keeps its uppdrag statuses after a resubmission."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from testkit import write_cells

from reportkit.styrmodell.control import RiskScale, is_overdue, needs_new_date
from reportkit.workbook import layout

REPO = Path(__file__).resolve().parents[2]
PERIOD = "2026-delår"
IK, UP = layout.CONTROL_SHEET, layout.ASSIGNMENTS_SHEET
BUN_ROWS = ["IK-K1", "IK-K2", "IK-BUN-1", "IK-BUN-2", "IK-BUN-3", "IK-BUN-4", "IK-BUN-5"]
BUN_UPPDRAG = ["U2026-01", "U2026-09"]


# -- the risk scale -------------------------------------------------------------------------

def test_risk_value_and_level_at_the_thresholds_edges() -> None:
    scale = RiskScale()  # låg from 1, medel from 4, hög from 9 (4 × 4)
    assert scale.value(3, 4) == 12
    edges = {(1, 3): "låg", (3, 1): "låg", (2, 2): "medel", (1, 4): "medel", (4, 2): "medel",
             (3, 3): "hög", (4, 4): "hög"}
    assert {cell: scale.level(*cell).id for cell in edges} == edges
    assert scale.level(3, 3).color == "FF5050" and scale.level(2, 2).color == "FFC000"
    assert scale.level(1, 1).symbol == "○"


def test_a_cell_has_its_own_level_whatever_its_product() -> None:
    scale = RiskScale.model_validate({"celler": {"1-4": "hög", "3-3": "medel"}})
    assert scale.level(1, 4).id == "hög" and scale.level(4, 1).id == "medel"
    assert scale.level(3, 3).id == "medel"


@given(st.integers(2, 6), st.data())
def test_the_level_is_the_highest_whose_from_the_value_reaches(size: int, data) -> None:
    top = size * size
    starts = sorted(data.draw(st.sets(st.integers(2, top), min_size=1, max_size=3)))
    scale = RiskScale.model_validate({"storlek": size, "nivåer": [
        {"id": f"n{i}", "etikett": f"Nivå {i}", "från": s, "färg": "FFFFFF"}
        for i, s in enumerate([1, *starts])]})
    s, k = data.draw(st.integers(1, size)), data.draw(st.integers(1, size))
    expected = max(x for x in [1, *starts] if x <= s * k)
    assert scale.level(s, k).start == expected
    edge = starts[0]  # at a level's "från" the level begins; one below it, the one before
    cells = [(a, b) for a in range(1, size + 1) for b in range(1, size + 1)]
    for a, b in cells:
        if a * b == edge:
            assert scale.level(a, b).start == edge
        elif a * b == edge - 1:
            assert scale.level(a, b).start < edge


def test_overdue_is_derived_from_the_date_not_a_status() -> None:
    due, on = dt.date(2026, 4, 30), dt.date(2026, 8, 31)
    assert is_overdue(due, "pagar", on) and is_overdue(due, None, on)
    assert not is_overdue(due, "genomfort", on) and not is_overdue(due, "avbrutet", on)
    assert not is_overdue(due, "pagar", due)  # the day itself is not late
    assert needs_new_date(due, "pagar", None, on)
    assert not needs_new_date(due, "pagar", dt.date(2026, 10, 1), on)


# -- the styrmodell ---------------------------------------------------------------------------

def _styrmodell(tmp_path: Path, extra: str) -> list:
    from reportkit.styrmodell.model import load_styrmodell

    text = (REPO / "fixtures" / "exempelkommun" / "styrmodell" / "2026.yaml").read_text(
        encoding="utf-8")
    start, end = text.index("\nintern_kontroll:"), text.index("\nnämnder:")
    path = tmp_path / "styrmodell" / "2026.yaml"
    path.parent.mkdir()
    path.write_text(text[:start] + "\n" + extra + text[end:], encoding="utf-8")
    return load_styrmodell(path)[1]


def test_the_styrmodell_names_key_and_line_in_swedish(tmp_path: Path) -> None:
    problems = _styrmodell(tmp_path, """intern_kontroll:
  planer:
    - nämnd: FINNSINTE
      kontrollmoment:
        - {id: X1, process: P, risk: R, sannolikhet: 5, konsekvens: 1}
givna_uppdrag:
  lista:
    - {id: U1, ursprung: nämnd, typ: motion, beskrivning: B, ansvarig: BUN,
       återrapportering: 2026-05-01}
""")
    found = {(p.code, p.location.key) for p in problems}
    keys = [k for _c, k in found]
    assert any(k.startswith("intern_kontroll.planer[0].nämnd (rad ") for k in keys)
    assert any(k.startswith("intern_kontroll.planer[0].kontrollmoment[0].sannolikhet (rad ")
               for k in keys)
    assert any(k.startswith("givna_uppdrag.lista[0].givet_av (rad ") for k in keys)
    assert all(c == "config-invalid-value" for c, _k in found)
    assert any("riskskalan har 4 steg" in p.message for p in problems)


def test_a_scale_whose_levels_do_not_start_at_1_is_refused(tmp_path: Path) -> None:
    problems = _styrmodell(tmp_path, """intern_kontroll:
  riskskala:
    nivåer:
      - {id: a, etikett: A, från: 2, färg: "FFFFFF"}
      - {id: b, etikett: B, från: 6, färg: "000000"}
""")
    assert [p.code for p in problems] == ["config-invalid-value"]
    assert problems[0].location.key.startswith("intern_kontroll.riskskala (rad ")
    assert "börja på 1" in problems[0].message


# -- the workbook and check -------------------------------------------------------------------

@pytest.fixture(scope="module")
def bun_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    model, period = Project.open(REPO / "fixtures" / "exempelkommun").period(PERIOD)
    out = tmp_path_factory.mktemp("ik") / "BUN.xlsx"
    return generate_workbook(build_content(model, "BUN", period), out)


def _at(sheet: str, key: str, item: str) -> str:
    rows = BUN_ROWS if sheet == IK else BUN_UPPDRAG
    return layout.cell_of(sheet, "delår", key, rows.index(item))


def _cells(first: bool = True) -> dict[str, object]:
    """BUN's answers: every result once, one avvikelse without its åtgärd (a fel), one row
    blank; U2026-01 genomfört, U2026-09 late without a new date (the resubmission swaps)."""
    day = dt.datetime(2026, 5, 12)
    out: dict[str, object] = {}

    def put(sheet: str, item: str, **values: object) -> None:
        for key, value in values.items():
            out[f"{sheet}!{_at(sheet, key, item)}"] = value

    put(IK, "IK-K1", result="Utan anmärkning", date=day)
    put(IK, "IK-K2", result="Med avvikelse", date=day, deviation="Tre fakturor utan underlag",
        action="Ny rutin för attest", action_responsible="Ekonomichef",
        action_date=dt.datetime(2026, 12, 31))
    put(IK, "IK-BUN-1", result="Med avvikelse", date=day, action="Påminnelse",
        action_date=dt.datetime(2026, 6, 1))
    put(IK, "IK-BUN-2", result="Kontroll ej genomförd")
    put(IK, "IK-BUN-3", result="Utan anmärkning", date=day)
    put(IK, "IK-BUN-5", result="Med avvikelse", date=day, deviation="Saknas")
    if first:
        put(UP, "U2026-01", status="Genomfört", date=dt.datetime(2026, 6, 20))
        put(UP, "U2026-09", status="Pågår")
    else:
        put(UP, "U2026-01", status="Pågår", date=dt.datetime(2026, 11, 30))
        put(UP, "U2026-09", status="Genomfört", date=dt.datetime(2026, 8, 1))
    return out


def test_check_rules_name_code_sheet_and_cell(bun_book: Path, tmp_path: Path) -> None:
    from reportkit.intake.check import check_file

    filled = write_cells(bun_book, {**_cells(), f"{UP}!{_at(UP, 'status', 'U2026-01')}":
                                    "Genomfört", f"{UP}!{_at(UP, 'date', 'U2026-01')}": None},
                         tmp_path / "BUN.xlsx")
    report = check_file(filled, expected_period=PERIOD)
    found = {(p.code, p.severity, p.location.sheet, p.location.cell) for p in report.problems
             if p.location.sheet in (IK, UP)}
    assert found == {
        ("control-no-action", "fel", IK, _at(IK, "action", "IK-BUN-5")),
        ("control-missing", "varning", IK, _at(IK, "result", "IK-BUN-4")),
        ("assignment-no-date", "fel", UP, _at(UP, "date", "U2026-01")),
        ("assignment-overdue", "varning", UP, _at(UP, "date", "U2026-09")),
    }
    sub = report.submission
    assert sub is not None
    assert [c.control_id for c in sub.controls] == [r for r in BUN_ROWS if r != "IK-BUN-5"]
    assert [a.assignment_id for a in sub.assignments] == ["U2026-09"]


def test_a_performed_control_needs_a_date_and_a_late_uppdrag_a_new_one(bun_book: Path,
                                                                       tmp_path: Path) -> None:
    from reportkit.intake.check import check_file

    cells = {f"{IK}!{_at(IK, 'result', 'IK-K1')}": "Utan anmärkning",
             f"{UP}!{_at(UP, 'status', 'U2026-09')}": "Pågår",
             f"{UP}!{_at(UP, 'date', 'U2026-09')}": dt.datetime(2026, 10, 15),
             f"{UP}!{_at(UP, 'status', 'U2026-01')}": "Klar"}
    report = check_file(write_cells(bun_book, cells, tmp_path / "b.xlsx"),
                        expected_period=PERIOD)
    codes = {(p.code, p.location.cell) for p in report.problems if p.location.sheet in (IK, UP)}
    assert ("control-no-date", _at(IK, "date", "IK-K1")) in codes
    assert ("cell-invalid-choice", _at(UP, "status", "U2026-01")) in codes
    assert not any(code == "assignment-overdue" for code, _ in codes)  # it has a new date


def test_the_kontroll_sheet_covers_both_sheets(bun_book: Path) -> None:
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.checksheet import checks
    from reportkit.workbook.content import build_content

    model, period = Project.open(REPO / "fixtures" / "exempelkommun").period(PERIOD)
    found = [c for c in checks(build_content(model, "BUN", period)) if c.sheet in (IK, UP)]
    assert [c.cell for c in found if c.sheet == IK] == \
        [_at(IK, "result", r) for r in BUN_ROWS]
    assert [c.cell for c in found if c.sheet == UP] == \
        [_at(UP, "status", u) for u in BUN_UPPDRAG]
    first = found[0]
    assert "Med avvikelse" in first.formula and "åtgärd" in first.formula
    assert first.now == "Resultat saknas: kontrollmoment IK-K1"
    # the other levels have no such sheets
    assert not [c for c in checks(build_content(model, "kommun", period))
                if c.sheet in (IK, UP)]


# -- consolidated: counts by hand, explain, a decided version ---------------------------------

@pytest.fixture(scope="module")
def project(bun_book: Path, tmp_path_factory: pytest.TempPathFactory):
    from reportkit.consolidate.run import consolidate
    from reportkit.styrmodell.project import Project

    root = tmp_path_factory.mktemp("ikproj") / "kommun"
    shutil.copytree(REPO / "fixtures" / "exempelkommun", root)
    project = Project.open(root)
    inbox = project.inbox(PERIOD)
    inbox.mkdir(parents=True)
    write_cells(bun_book, _cells(), inbox / "BUN.xlsx")
    consolidate(project, PERIOD)
    return project


def _follow(project, decision=None):
    from reportkit.consolidate.control import follow_up
    from reportkit.storage import decisions, store

    model, period = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        subs = decisions.version_submissions(conn, decision) if decision is not None \
            else store.active_submissions(conn, PERIOD)
        return follow_up(conn, model, period.end, subs)
    finally:
        conn.close()


def test_roll_up_counts_per_nämnd_and_kommun_by_hand(project) -> None:
    model, _ = project.period(PERIOD)
    found = _follow(project)
    bun = found.of("BUN")
    assert bun.result_counts() == {"utan_anmarkning": 2, "med_avvikelse": 2,
                                   "ej_genomford": 1, "ej_rapporterat": 2}
    assert [c.id for c in bun.open_actions()] == ["IK-K2"]  # IK-BUN-1's was due 2026-06-01
    assert bun.status_counts() == {"ej_paborjat": 0, "pagar": 1, "genomfort": 1,
                                   "avbrutet": 0, "ej_rapporterat": 0, "forsenat": 1}
    # IK-BUN-1 (3 × 4) and IK-K2 (3 × 3) are hög; the plan has one of each cell counted
    assert bun.risk_counts()[(3, 4)] == 1 and bun.risk_counts()[(2, 3)] == 1
    ik = model.config.internal_control
    assert ik is not None
    planned = sum(len(ik.common) + len(p.points) for p in ik.plans)
    kommun = found.result_counts()
    assert sum(kommun.values()) == planned
    assert kommun["ej_rapporterat"] == planned - 5  # only BUN reported, 5 accepted rows
    ua = model.config.assignments
    assert ua is not None
    assert found.status_counts()["ej_rapporterat"] == len(ua.items) - 2
    assert found.origin_counts()["nämnd"]["pagar"] == 1  # U2026-09, given by BUN


def test_explain_a_kontrollmoment_down_to_its_cell(project) -> None:
    from reportkit.outputs.explain import explain

    lines = explain(project, "IK-K2", PERIOD)
    text = "\n".join(lines)
    bun = next(i for i, line in enumerate(lines) if "Barn- och utbildningsnämnden" in line)
    assert "riskvärde 9 → Hög risk" in lines[bun + 1]
    assert "Med avvikelse [BUN.xlsx" in lines[bun + 2]
    assert f"blad {IK}, cell {_at(IK, 'result', 'IK-K2')}" in lines[bun + 2]
    assert f"Åtgärd: Ny rutin för attest [cell {_at(IK, 'action', 'IK-K2')}]" in text
    assert "Ej rapporterat" in text  # the nämnder that sent nothing


def test_a_decided_version_keeps_its_uppdrag_statuses(project, tmp_path: Path,
                                                      bun_book: Path) -> None:
    from reportkit.intake.check import check_file
    from reportkit.storage import decisions, store

    model, _ = project.period(PERIOD)
    copy = tmp_path / "kommun"
    shutil.copytree(project.root, copy)
    from reportkit.styrmodell.project import Project

    proj = Project.open(copy)
    conn = store.connect(proj.store_path)
    try:
        kf = decisions.decide(conn, model, PERIOD, "KF 2026-10-19 § 112",
                              recorded_at="2026-10-19T10:00:00+00:00", recorded_by="kansliet")
        again = write_cells(bun_book, _cells(first=False), tmp_path / "BUN.xlsx")
        report = check_file(again, expected_period=PERIOD)
        with store.transaction(conn):
            store.insert_report(conn, PERIOD, report, "2026-10-20T08:00:00+00:00", True)
    finally:
        conn.close()

    def statuses(found) -> dict[str, str]:
        return {a.id: a.status for a in found.of("BUN").assignments}

    assert statuses(_follow(proj)) == {"U2026-01": "pagar", "U2026-09": "genomfort"}
    assert statuses(_follow(proj, kf)) == {"U2026-01": "genomfort", "U2026-09": "pagar"}


def test_a_re_prefilled_workbook_keeps_the_answers(project, tmp_path: Path) -> None:
    from reportkit.intake.check import check_file
    from reportkit.outputs.outbox import generate_workbooks

    [path] = generate_workbooks(project, PERIOD, units=["BUN"], out_dir=tmp_path)
    report = check_file(path, expected_period=PERIOD)
    got = {(c.control_id, c.result, c.action) for c in report.submission.controls}
    assert ("IK-K2", "med_avvikelse", "Ny rutin för attest") in got
    assert ("IK-BUN-2", "ej_genomford", "") in got
    assert {(a.assignment_id, a.status) for a in report.submission.assignments} == \
        {("U2026-01", "genomfort"), ("U2026-09", "pagar")}
    # IK-BUN-5's avvikelse without åtgärd was not accepted, so it is blank again (a varning)
    assert ("control-missing", _at(IK, "result", "IK-BUN-5")) in \
        {(p.code, p.location.cell) for p in report.problems}
