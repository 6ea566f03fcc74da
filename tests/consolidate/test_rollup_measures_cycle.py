"""Who measures, end to end (issue 25 item 3): workbooks from the measures variant
(tests/measures_variant.py), three grundskolor and Västerskolan (no category) fill theirs, one
grundskola marks the åk 9 indicator Ej aktuell; consolidate rolls BUN's indicator up from the
grundskolor that measured, and explain shows the Ej aktuell with its motivation."""

from __future__ import annotations

import pytest
from measures_variant import BY_CATEGORY, write_variant
from scenario import PERIOD, read_meta
from testkit import write_cells

from reportkit.workbook import layout

UNITS = ["centralskolan", "angskolan", "norrskolan", "vasterskolan"]
MOTIVATION = "Norrskolan har bara årskurs F–6"


def _cell(key: str, n: int) -> str:
    sheet = layout.INDICATORS_SHEET
    return f"{sheet}!{layout.cell_of(sheet, PERIOD.split('-')[1], key, n)}"


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory):
    import openpyxl

    from reportkit.consolidate.run import consolidate
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("matare") / "kommun"
    init_project(root)
    write_variant(root)
    project = Project.open(root)
    blanks = {p.stem: p for p in generate_workbooks(project, PERIOD, UNITS)}
    inbox = project.inbox(PERIOD)
    inbox.mkdir(parents=True, exist_ok=True)
    rows = {}
    for unit in UNITS:
        ids = read_meta(openpyxl.load_workbook(blanks[unit]))["rows"][layout.INDICATORS_SHEET]
        rows[unit] = ids
        value = {"centralskolan": 90, "angskolan": 70, "vasterskolan": 10}.get(unit)
        cells = {_cell("actual", n): value for n in range(len(ids)) if value is not None}
        if unit == "norrskolan":
            cells = {_cell("actual", n): 80 for n, i in enumerate(ids) if i != BY_CATEGORY[1]}
            cells[_cell("comment", ids.index(BY_CATEGORY[1]))] = f"Ej aktuell: {MOTIVATION}"
        write_cells(blanks[unit], cells, inbox / f"{unit}.xlsx")
    report = consolidate(project, PERIOD)
    return project, rows, report


def test_only_the_grundskolor_have_the_row(cycle) -> None:
    _project, rows, _report = cycle
    assert [u for u in UNITS if BY_CATEGORY[1] in rows[u]] == UNITS[:3]


def test_the_roll_up_counts_the_grundskolor_that_measured(cycle) -> None:
    from reportkit.consolidate.rollup import compute
    from reportkit.storage import store

    project, _rows, report = cycle
    assert [f.path.name for f in report.new if any(p.is_error for p in f.problems)] == []
    model, _ = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, PERIOD)
    finally:
        conn.close()
    (ind,) = [i for i in results.goals[BY_CATEGORY[0]].indicators
              if i.indicator_id == BY_CATEGORY[1]]
    # (90 + 70) / 2: Västerskolan's 10 is not asked for, Norrskolan is Ej aktuell
    assert ind.actual == pytest.approx(80.0)
    assert ind.rule.startswith("medel av 2 av 3 enheters utfall; 1 ej aktuell; ")
    assert ind.missing_units == []


def test_explain_shows_the_ej_aktuell_with_its_motivation(cycle) -> None:
    from reportkit.outputs.explain import explain

    project, _rows, _report = cycle
    lines = explain(project, BY_CATEGORY[1], PERIOD)
    assert any(line.strip().startswith(f"Norrskolan: ej aktuell ({MOTIVATION}) "
                                       "[norrskolan.xlsx, sha256") for line in lines), lines
    assert not any("Västerskolan" in line for line in lines)
