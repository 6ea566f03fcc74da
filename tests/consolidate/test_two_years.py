"""Two budget years end to end (issue 26): Exempelkommun's 2026 consolidated at helår, then 2027
with a hand-written styrmodell (tests/fixtures/two-years/2027.yaml) that has a changed set of
målområden (trygghet and klimat new, hallbarhet gone), one renamed indicator (KF2-I2 →
KF2-NMI through ``tidigare_id``), one dropped (KF6-I2) and one new (KF5-I3).

Nothing is copied by hand: 2026's values reach 2027's workbooks ("Utfall förra året"), the
roll-up, the sammanställning and the documents through the store alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from scenario import PERIOD, SCENARIO, fill_exact, read_meta

from reportkit.consolidate.run import consolidate
from reportkit.storage import store
from reportkit.workbook import layout

FIXTURE_2027 = Path(__file__).resolve().parents[1] / "fixtures" / "two-years" / "2027.yaml"
KOMMUN_2026 = SCENARIO["kommun"]["actual"]
# the kommun's 2027 utfall (KF2-NMI is the renamed KF2-I2; KF6-I2 is gone, KF5-I3 is new)
KOMMUN_2027 = {"KF1-I1": 89, "KF1-I2": 88, "KF2-I1": 91, "KF2-NMI": 62, "KF3-I1": 86,
               "KF3-I2": 58, "KF4-I1": 6.2, "KF4-I2": 81, "KF5-I1": 70, "KF5-I2": 135,
               "KF5-I3": 4, "KF6-I1": 3.4, "KF7-I1": 2.1, "KF8-I1": 62, "KF8-I2": 7}


@pytest.fixture(scope="module")
def two_years(make_project, tmp_path_factory):
    """The project after 2026-helår (the scenario's ten workbooks) and 2027-helår (the
    kommun's workbook, generated from the 2027 styrmodell and filled) were consolidated."""
    from reportkit.outputs.outbox import generate_workbooks

    project = make_project(tmp_path_factory.mktemp("tvaar") / "kommun")
    first = consolidate(project, PERIOD)
    assert not first.has_errors
    shutil.copyfile(FIXTURE_2027, project.root / "styrmodell" / "2027.yaml")
    [blank] = generate_workbooks(project, "2027-helår", ["kommun"])
    inbox = project.inbox("2027-helår")
    inbox.mkdir(parents=True)
    fill_exact(blank, inbox / blank.name, {"actual": KOMMUN_2027})
    second = consolidate(project, "2027-helår")
    assert not second.has_errors, [p.message for p in second.problems if p.is_error]
    return project, second


def _previous_column(path: Path) -> dict[str, object]:
    """``{indicator id: the "Utfall förra året" cell}`` of a generated workbook."""
    wb = openpyxl.load_workbook(path)
    meta = read_meta(wb)
    ids = meta["rows"][layout.INDICATORS_SHEET]
    sheet = wb[layout.INDICATORS_SHEET]
    return {ind: sheet[layout.cell_of(layout.INDICATORS_SHEET, meta["period_type"], "previous",
                                      n)].value for n, ind in enumerate(ids)}


def test_2027_workbooks_show_2026_utfall_as_last_year(two_years, tmp_path):
    from reportkit.outputs.outbox import generate_workbooks

    project, _ = two_years
    [kommun, solros] = generate_workbooks(project, "2027-plan",
                                          ["kommun", "solrosens-forskola"], out_dir=tmp_path)
    previous = _previous_column(kommun)
    assert previous["KF1-I1"] == KOMMUN_2026["KF1-I1"]
    assert previous["KF2-NMI"] == KOMMUN_2026["KF2-I2"]  # renamed: joins through tidigare_id
    assert previous["KF4-I2"] is None  # not measured 2026: empty, never 2025's 79,2
    assert previous["KF5-I3"] is None  # new 2027
    own = _previous_column(solros)
    assert own["FORSKOLA-V1-I1"] == SCENARIO["solrosens-forskola"]["actual"]["FORSKOLA-V1-I1"]


def _report_data(project, period_id: str):
    from reportkit.consolidate.rollup import compute_cached
    from reportkit.documents.build import to_report_data

    model, period = project.period(period_id)
    conn = store.connect(project.store_path)
    try:
        results = compute_cached(conn, model, period.id)
    finally:
        conn.close()
    return to_report_data(project, model, results, period)


def _kf_indicators(data) -> dict[str, object]:
    return {i.id: i for g in data.kf_goals() for i in g.indicators}


def test_2027_documents_show_2026_as_previous_year_and_in_every_trend(two_years):
    from reportkit.documents.context import build_context

    project, _ = two_years
    data = _report_data(project, "2027-helår")
    inds = _kf_indicators(data)
    assert inds["KF1-I1"].previous(2027) == KOMMUN_2026["KF1-I1"]
    assert inds["KF2-NMI"].previous(2027) == KOMMUN_2026["KF2-I2"]
    assert inds["KF2-NMI"].history[2025] == 59.7  # the CSV's 2025 joins through tidigare_id
    assert inds["KF4-I2"].previous(2027) is None  # "–", not 2025's value
    assert inds["KF4-I2"].history[2025] == 79.2
    assert inds["KF5-I3"].history == {}
    built = build_context(data, "arsredovisning", with_charts=False)
    rows = {r["namn"]: r for g in built.values["kf_mal"] for r in g["indikatorer"]}
    assert rows[inds["KF1-I1"].name]["foregaende"] == "88,0\u00a0%"  # its decimaler: 1
    assert rows[inds["KF4-I2"].name]["foregaende"] == "–"
    assert rows[inds["KF5-I3"].name]["foregaende"] == "–"
    # every trend runs through 2026: its value where 2026 has one, a gap where it has none
    from reportkit.documents.context import _goal_charts

    trends = {k: spec for k, spec in _goal_charts(data, "arsredovisning").items()
              if k.startswith("goal:")}
    assert trends
    for key, (_draw, spec) in trends.items():
        assert 2026 in spec["years"], key
        ind_id = spec["name"].split("-", 2)[2]
        assert spec["actual"][spec["years"].index(2026)] == inds[ind_id].history.get(2026)


def test_the_plan_for_2027_shows_2026_helar_as_previous_year(two_years):
    from reportkit.consolidate.history import earlier_history

    project, _ = two_years

    model, period = project.period("2027-plan")
    conn = store.connect(project.store_path)
    try:
        history = earlier_history(conn, model, period, project.root)
    finally:
        conn.close()
    assert history[("KF1-I1", "kommun")][2026] == KOMMUN_2026["KF1-I1"]
    assert 2026 not in history[("KF4-I2", "kommun")]


def test_reconsolidating_2026_changes_2027s_previous_year(make_project, tmp_path):
    """The roll-up cache of 2027 is keyed by 2026's submissions and decisions too."""
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.storage.decisions import record_decision

    project = make_project(tmp_path / "kommun", units=["kommun"])
    consolidate(project, PERIOD)
    shutil.copyfile(FIXTURE_2027, project.root / "styrmodell" / "2027.yaml")
    [blank] = generate_workbooks(project, "2027-helår", ["kommun"])
    project.inbox("2027-helår").mkdir(parents=True)
    fill_exact(blank, project.inbox("2027-helår") / blank.name, {"actual": KOMMUN_2027})
    consolidate(project, "2027-helår")

    def previous() -> object:
        return _kf_indicators(_report_data(project, "2027-helår"))["KF1-I1"].previous(2027)

    assert previous() == 88
    record_decision(project, PERIOD, "KF 2027-04-20 § 45")
    [blank] = generate_workbooks(project, PERIOD, ["kommun"], out_dir=tmp_path / "ut")
    fill_exact(blank, project.inbox(PERIOD) / "kommun-rattad.xlsx",
               {"actual": dict(KOMMUN_2026, **{"KF1-I1": 77})})
    consolidate(project, PERIOD)
    assert previous() == 88  # the decided version stands for 2026, not the later draft
    from reportkit.storage.decisions import undo_decision

    undo_decision(project, PERIOD, "1", "Fel siffra i KF1-I1")
    assert previous() == 77  # no live decision: the draft


def test_the_history_file_in_2027_names_dropped_and_renamed_indicators_rightly(two_years):
    _, report = two_years
    found = [(p.code, p.values.get("value"), p.values.get("then")) for p in report.problems
             if p.code.startswith("history-")]
    assert ("history-dropped-id", "KF6-I2", 2026) in found
    assert not [f for f in found if f[1] == "KF2-I2"]  # renamed through tidigare_id: no varning
    dropped = next(p for p in report.problems if p.code == "history-dropped-id")
    assert "fanns 2026 men inte 2027" in dropped.message
    assert "stavningen" not in dropped.message + dropped.hint


def test_a_history_row_for_a_consolidated_year_the_store_wins_with_a_varning(make_project,
                                                                             tmp_path):
    project = make_project(tmp_path / "kommun", units=["kommun"])
    consolidate(project, PERIOD)
    csv = project.root / "historik" / "utfall.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join([*lines, "2026;helår;kommun;KF1-I1;80",
                              "2026;helår;kommun;KF1-I2;81"]) + "\n", encoding="utf-8")
    shutil.copyfile(FIXTURE_2027, project.root / "styrmodell" / "2027.yaml")
    report = consolidate(project, "2027-helår")
    differs = [p for p in report.problems if p.code == "history-store-differs"]
    assert [(p.location.file, p.location.row, p.location.column) for p in differs] == [
        ("historik/utfall.csv", len(lines) + 1, "utfall")]  # KF1-I2: the same 81, no varning
    assert "80\u00a0%" in differs[0].message and "88\u00a0%" in differs[0].message
    assert not differs[0].is_error
    assert _kf_indicators(_report_data(project, "2027-helår"))["KF1-I1"].previous(2027) == 88


def test_the_history_exports_as_a_file_the_history_reader_reads_back(two_years, tmp_path):
    from click.testing import CliRunner

    from reportkit.cli import main
    from reportkit.consolidate.history import parse_history

    project, _ = two_years
    out = tmp_path / "alla-ar.csv"
    result = CliRunner().invoke(main, ["historik", str(project.root), "--fil", str(out)])
    assert result.exit_code == 0, result.output
    assert "rader" in result.output
    back = parse_history(out)
    assert back.problems == []
    values = {(r[0], r[1], r[2], r[3]): r[4] for r in back.rows}
    assert values[(2025, "helår", "kommun", "KF1-I1")] == 85.8  # from historik/utfall.csv
    assert values[(2026, "helår", "kommun", "KF1-I1")] == 88  # consolidated 2026
    assert values[(2026, "helår", "kommun", "KF2-I2")] == 60  # under its 2026 id
    assert values[(2027, "helår", "kommun", "KF2-NMI")] == 62
    assert (2026, "helår", "kommun", "KF4-I2") not in values  # not measured
    assert out.read_bytes().startswith(b"\xef\xbb\xbf\xc3\xa5r;period;enhet;indikator;utfall")


def test_the_2027_arsredovisning_as_rendered(two_years):
    """One real render (docx, no PDF): the table's Föregående år and the trend's alt text."""
    import re
    import zipfile

    from reportkit.documents.build import render_document_for

    project, _ = two_years
    outcome = render_document_for(project, "arsredovisning", "2027-helår")
    assert not [p for p in outcome.problems if p.is_error]
    xml = zipfile.ZipFile(outcome.paths[0]).read("word/document.xml").decode("utf-8")
    cells = re.sub(r"\|+", "|", re.sub(r"<[^>]+>", "|", xml))
    # Indikator | Målvärde | Utfall | Föregående år
    assert "|Elever i åk 9 som är behöriga till yrkesprogram|89,8\u00a0%|89,0\u00a0%|88,0\u00a0%|" \
        in cells
    assert "|Hållbart medarbetarengagemang (HME), totalindex|81,6|81,0|–|" in cells
    [trend] = re.findall(r'descr="(Linjediagram: Elever i åk 9[^"]*)"', xml)
    assert "2023–2027" in trend and "85,8\u00a0%, 88\u00a0%, 89\u00a0%" in trend


def test_a_removed_unit_keeps_its_history_and_leaves_this_years_tables(make_project, tmp_path):
    """Lärkans förskola is closed in 2027: its 2026 utfall stays in the history (the export),
    but FORSKOLA-V1-I1's 2026 in the 2027 roll-up is the mean over the förskolor of 2027."""
    from reportkit.consolidate.history import export_history
    from reportkit.consolidate.rollup import compute

    units = ["forskola", "solrosens-forskola", "ekbackens-forskola", "larkans-forskola"]
    project = make_project(tmp_path / "kommun", units=units)
    consolidate(project, PERIOD)
    text = FIXTURE_2027.read_text(encoding="utf-8")
    start = text.index("          - id: larkans-forskola\n")
    end = text.index("          - id: bjorkens-forskola\n")
    (project.root / "styrmodell" / "2027.yaml").write_text(text[:start] + text[end:],
                                                           encoding="utf-8")
    model, period = project.period("2027-helår")
    assert "larkans-forskola" not in model.units
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, period.id)
    finally:
        conn.close()
    [ind] = [i for i in results.goals["FORSKOLA-V1"].indicators
             if i.indicator_id == "FORSKOLA-V1-I1"]
    actual = {u: SCENARIO[u]["actual"]["FORSKOLA-V1-I1"] for u in units[1:]}
    assert ind.history[2026] == pytest.approx(
        (actual["solrosens-forskola"] + actual["ekbackens-forskola"]) / 2)
    path, _rows = export_history(project, tmp_path / "alla.csv")
    assert f"2026;helår;larkans-forskola;FORSKOLA-V1-I1;{actual['larkans-forskola']}" \
        in path.read_text(encoding="utf-8-sig").splitlines()


def test_the_2027_sammanstallning_has_2026_among_the_earlier_years(two_years):
    project, report = two_years
    [path] = [p for p in report.outputs if p.name.startswith("sammanstallning-2027-helår")
              and "-" not in p.stem.removeprefix("sammanstallning-2027-helår")]
    # read-only keeps the file open until closed: left to the collector, its ResourceWarning
    # failed whichever later test the collection happened in
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in wb["Indikatorer"].iter_rows(values_only=True)]
    finally:
        wb.close()
    header = next(r for r in rows if r and r[0] == "Id")
    assert header[4:7] == ["2024", "2025", "2026"]
    by_id = {r[0]: r for r in rows if r and r[0]}
    assert by_id["KF1-I1"][4:7] == [88.0, 85.8, 88]
    assert by_id["KF2-NMI"][4:7] == [56.3, 59.7, 60]
    assert by_id["KF4-I2"][6] is None
